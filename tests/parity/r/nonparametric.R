# Golden values for the non-parametric estimators beyond the plain Kaplan-Meier:
# stratified and G-rho log-rank tests (survdiff), Kaplan-Meier with case weights and the
# Nelson-Aalen cumulative hazard (survfit), cumulative incidence of competing ends (survfit on a
# multi-state Surv with a factor status, and cmprsk::cuminc), exact binomial limits (binom.test).
#
# Run from the repository root:   Rscript tests/parity/r/nonparametric.R
# Writes tests/parity/data/np_*.csv, with 17 significant digits; read by
# tests/parity/test_nonparametric_parity.py. Needs the R packages survival and cmprsk.
suppressPackageStartupMessages({library(survival); library(cmprsk)})
out <- "tests/parity/data"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
exact <- function(d) {
  for (nm in names(d)) if (is.double(d[[nm]])) d[[nm]] <- sprintf("%.17g", d[[nm]])
  d
}
wcsv <- function(x, name) write.csv(exact(x), file.path(out, name), row.names = FALSE,
                                    na = "NA", quote = FALSE)
set.seed(20180622)

# ------------------------------------------------------------------ inputs
lung_d <- with(lung[!is.na(lung$ph.ecog), ],
               data.frame(t_start = 0, t_stop = time, event = status - 1L, sex = sex,
                          ecog = ph.ecog, w = round(runif(length(time), 0.2, 3), 3)))
own <- read.csv(file.path(out, "km_input_own_lt.csv"))  # delayed entry, whole days, ties
own$w <- round(runif(nrow(own), 0.2, 3), 3)
own$stratum <- 1L + (seq_len(nrow(own)) %% 2L)
m <- mgus2
etime <- with(m, ifelse(pstat == 0, futime, ptime))
cause <- with(m, ifelse(pstat == 0, ifelse(death == 1, "death", "censor"), "pcm"))
mg <- data.frame(id = m$id, t_start = round(etime * runif(nrow(m), 0, 0.4), 2), t_stop = etime,
                 cause = cause, sex = as.character(m$sex))
wcsv(lung_d, "np_input_lung.csv"); wcsv(own, "np_input_own.csv"); wcsv(mg, "np_input_mgus.csv")

# ------------------------------------------------------------------ log-rank: strata and rho
lr <- list()
add_lr <- function(dataset, strata, rho, sd) {
  o <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
  e <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
  lr[[length(lr) + 1]] <<- data.frame(
    dataset = dataset, strata = strata, rho = rho, group = sub("^.*=", "", names(sd$n)),
    n = as.vector(sd$n), observed = o, expected = e, variance = diag(sd$var), chisq = sd$chisq,
    df = sum(e > 0) - 1, p_value = pchisq(sd$chisq, sum(e > 0) - 1, lower.tail = FALSE))
}
for (rho in c(0, 0.5, 1, 2)) {
  add_lr("lung", "none", rho, survdiff(Surv(t_stop, event) ~ sex, data = lung_d, rho = rho))
  add_lr("lung", "ecog", rho,
         survdiff(Surv(t_stop, event) ~ sex + strata(ecog), data = lung_d, rho = rho))
  add_lr("own", "stratum", rho,
         survdiff(Surv(t_stop, event) ~ group + strata(stratum), data = own, rho = rho))
}
wcsv(do.call(rbind, lr), "np_logrank.csv")

# ------------------------------------------------------------------ weighted KM, Nelson-Aalen
curves <- list()
add_curve <- function(dataset, weighted, f) {
  grp <- if (is.null(f$strata)) NA else sub("^.*=", "", rep(names(f$strata), f$strata))
  curves[[length(curves) + 1]] <<- data.frame(
    dataset = dataset, weighted = weighted, group = grp, time = f$time, n_risk = f$n.risk,
    n_event = f$n.event, n_censor = f$n.censor, surv = f$surv, std_err_fit = f$std.err,
    lower = f$lower, upper = f$upper, cumhaz = f$cumhaz, std_chaz = f$std.chaz)
}
for (wt in c(FALSE, TRUE)) {
  w_l <- if (wt) lung_d$w else NULL
  w_o <- if (wt) own$w else NULL
  # robust = FALSE: Greenwood on weighted counts (R switches to the infinitesimal jackknife for
  # non-integer weights by default; continuity does not compute that variance)
  add_curve("lung", wt, survfit(Surv(t_stop, event) ~ 1, data = lung_d, weights = w_l,
                                robust = FALSE,
                                conf.type = "log-log"))
  add_curve("lung_sex", wt, survfit(Surv(t_stop, event) ~ sex, data = lung_d, weights = w_l,
                                    robust = FALSE,
                                    conf.type = "log-log"))
  add_curve("own", wt, survfit(Surv(t_start, t_stop, event) ~ 1, data = own, weights = w_o,
                               robust = FALSE,
                               conf.type = "log-log"))
}
wcsv(do.call(rbind, curves), "np_curves.csv")

# ------------------------------------------------------------------ cumulative incidence
ci <- list()
add_ms <- function(dataset, f) {
  # survfit on a multi-state Surv: pstate columns are the states, "(s0)" first
  states <- f$states
  grp <- if (is.null(f$strata)) NA else sub("^.*=", "", rep(names(f$strata), f$strata))
  for (k in seq_along(states)[-1]) {
    ci[[length(ci) + 1]] <<- data.frame(
      dataset = dataset, source = "survfit", group = grp, cause = states[k], time = f$time,
      n_risk = f$n.risk[, 1], n_event = f$n.event[, k], estimate = f$pstate[, k],
      variance = f$std.err[, k]^2)
  }
}
fac <- factor(mg$cause, levels = c("censor", "pcm", "death"))
add_ms("mgus", survfit(Surv(t_stop, fac) ~ 1, data = mg))
add_ms("mgus_sex", survfit(Surv(t_stop, fac) ~ sex, data = mg))
add_ms("mgus_entry", survfit(Surv(t_start, t_stop, fac) ~ 1, data = mg, id = id))
add_cuminc <- function(dataset, group) {
  cu <- if (is.null(group)) cuminc(mg$t_stop, mg$cause, cencode = "censor")
        else cuminc(mg$t_stop, mg$cause, group, cencode = "censor")
  for (nm in names(cu)[names(cu) != "Tests"]) {
    parts <- strsplit(nm, " ")[[1]]
    g <- if (is.null(group)) NA else parts[1]
    sel <- if (is.null(group)) rep(TRUE, nrow(mg)) else mg$sex == g
    times <- sort(unique(mg$t_stop[sel & mg$cause != "censor"]))
    tp <- timepoints(cu[nm], times)
    ci[[length(ci) + 1]] <<- data.frame(
      dataset = dataset, source = "cuminc", group = g, cause = parts[length(parts)],
      time = times, n_risk = NA, n_event = NA, estimate = as.vector(tp$est),
      variance = as.vector(tp$var))
  }
}
add_cuminc("mgus", NULL)
add_cuminc("mgus_sex", mg$sex)
wcsv(do.call(rbind, ci), "np_cuminc.csv")

# ------------------------------------------------------------------ exact binomial limits
bt <- list()
for (case in list(c(1, 5), c(4, 5), c(2, 3), c(0, 4), c(9, 10), c(17, 20), c(1, 50))) {
  for (lev in c(0.95, 0.9)) {
    b <- binom.test(case[1], case[2], conf.level = lev)
    bt[[length(bt) + 1]] <- data.frame(x = case[1], n = case[2], conf_level = lev,
                                       conf_low = b$conf.int[1], conf_high = b$conf.int[2])
  }
}
wcsv(do.call(rbind, bt), "np_binom_exact.csv")
cat("R", R.version$major, R.version$minor, "survival", as.character(packageVersion("survival")),
    "cmprsk", as.character(packageVersion("cmprsk")), "\n")
