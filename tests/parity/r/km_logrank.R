# Golden values for continuity.survival and continuity.rates, computed with R's survival package.
#
# Run from the repository root:   Rscript tests/parity/r/km_logrank.R
# Writes CSVs into tests/parity/data/ (inputs km_input_*.csv and results km_*.csv, logrank_*.csv,
# rates_*.csv). The Python tests in tests/parity/test_km_parity.py read them and never need R.
suppressPackageStartupMessages(library(survival))
out <- "tests/parity/data"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
wcsv <- function(x, name) write.csv(x, file.path(out, name), row.names = FALSE, na = "NA")
options(digits = 17)

# ---------------------------------------------------------------- input data sets
# (1) own_lt: left-truncated data of our own making; integer times give many ties at entry and
#     exit times, and entries that coincide with other rows' exits.
set.seed(20150917)
n <- 240
entry <- sample(0:12, n, replace = TRUE)
entry[1:40] <- 0
dur <- sample(1:25, n, replace = TRUE)
own_lt <- data.frame(t_start = entry, t_stop = entry + dur,
                     event = rbinom(n, 1, 0.7), group = sample(1:3, n, replace = TRUE))
# (2) own_edge: a censoring before the first event (S = 1 there), a curve that reaches 0 while
#     later rows are still to enter, and entries at an event time.
own_edge <- data.frame(t_start = c(0, 0, 0, 2, 3, 4, 2, 0, 0, 1, 1, 5),
                       t_stop  = c(1, 2, 2, 5, 6, 7, 3, 2, 4, 3, 6, 9),
                       event   = c(0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1),
                       group   = c(1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2))
# (3) flat_half: right-censored curves that stay at exactly 0.5 (median by R's midpoint rule),
#     group 1 drops again later, group 2 never does.
flat_half <- data.frame(t_start = 0, t_stop = c(1, 2, 3, 5, 1, 2, 3, 5),
                        event = c(1, 1, 0, 1, 1, 1, 0, 0),
                        group = c(1, 1, 1, 1, 2, 2, 2, 2))
# (4) heart: Stanford heart transplant, counting-process form (survival::heart); group = surgery,
#     transplant kept for the log-rank test with a time-varying group.
heart_d <- data.frame(t_start = heart$start, t_stop = heart$stop, event = heart$event,
                      group = heart$surgery, transplant = heart$transplant)
# (5) aml: right-censored, two groups given as text.
aml_d <- data.frame(t_start = 0, t_stop = aml$time, event = aml$status,
                    group = as.character(aml$x))
# (6) lung: right-censored, group = sex; lung3: ph.ecog 0, 1, 2 for a three-group test.
lung_d <- data.frame(t_start = 0, t_stop = lung$time, event = lung$status - 1, group = lung$sex)
l3 <- lung[!is.na(lung$ph.ecog) & lung$ph.ecog < 3, ]
lung3_d <- data.frame(t_start = 0, t_stop = l3$time, event = l3$status - 1, group = l3$ph.ecog)

datasets <- list(own_lt = own_lt, own_edge = own_edge, flat_half = flat_half, heart = heart_d,
                 aml = aml_d, lung = lung_d, lung3 = lung3_d)
right_censored <- c("flat_half", "aml", "lung", "lung3")
horizons <- list(own_lt = c(5, 12, 40), own_edge = c(1.5, 3, 20), flat_half = c(2, 4.5, 10),
                 heart = c(100, 500, 2000), aml = c(9, 30, 200), lung = c(180, 365.25, 1100),
                 lung3 = c(365))
for (nm in names(datasets)) wcsv(datasets[[nm]], paste0("km_input_", nm, ".csv"))

# ---------------------------------------------------------------- Kaplan-Meier, medians, rmean
km_rows <- list(); tab_rows <- list()
for (nm in names(datasets)) {
  d <- datasets[[nm]]
  for (by in c("none", "group")) {
    rhs <- if (by == "none") "1" else "group"
    lhs <- if (nm %in% right_censored) "Surv(t_stop, event)" else "Surv(t_start, t_stop, event)"
    for (ct in c("log-log", "log", "plain")) {
      f <- survfit(as.formula(paste(lhs, "~", rhs)), data = d, conf.type = ct)
      s <- summary(f, censored = TRUE)
      grp <- if (is.null(f$strata)) NA else sub("^group=", "", rep(names(f$strata), f$strata))
      stopifnot(all.equal(s$time, f$time))
      km_rows[[length(km_rows) + 1]] <- data.frame(
        dataset = nm, by = by, conf_type = ct, group = grp, time = f$time,
        n_risk = f$n.risk, n_event = f$n.event, n_censor = f$n.censor, surv = f$surv,
        std_err_summary = s$std.err, std_err_fit = f$std.err, lower = f$lower, upper = f$upper)
      for (h in horizons[[nm]]) {
        tb <- summary(f, rmean = h)$table
        if (is.null(dim(tb))) tb <- t(as.matrix(tb))
        g <- if (is.null(f$strata)) NA else sub("^group=", "", rownames(tb))
        tab_rows[[length(tab_rows) + 1]] <- data.frame(
          dataset = nm, by = by, conf_type = ct, group = g, horizon = h,
          records = tb[, "records"], events = tb[, "events"], rmean = tb[, "rmean"],
          se_rmean = tb[, "se(rmean)"], median = tb[, "median"],
          lcl = tb[, "0.95LCL"], ucl = tb[, "0.95UCL"])
      }
    }
  }
}
wcsv(do.call(rbind, km_rows), "km_curves.csv")
wcsv(do.call(rbind, tab_rows), "km_summary_table.csv")

# A 90% interval, to check conf_level is used everywhere.
f <- survfit(Surv(t_start, t_stop, event) ~ group, data = own_lt, conf.int = 0.9)
tb <- summary(f, rmean = 12)$table
wcsv(data.frame(group = sub("^group=", "", rownames(tb)), median = tb[, "median"],
                lcl = tb[, "0.9LCL"], ucl = tb[, "0.9UCL"], rmean = tb[, "rmean"],
                se_rmean = tb[, "se(rmean)"]), "km_summary_table_90.csv")
wcsv(data.frame(group = sub("^group=", "", rep(names(f$strata), f$strata)), time = f$time,
                surv = f$surv, lower = f$lower, upper = f$upper), "km_curves_90.csv")

# ---------------------------------------------------------------- log-rank
# Right-censored data: survdiff. Counting-process data: survdiff refuses it, so the test is
# computed by hand below (hypergeometric variance over the (start, stop] risk sets) and checked
# against the score test of coxph(ties = "exact"), which equals it.
logrank_by_hand <- function(start, stop, event, g) {
  g <- as.factor(g); lev <- levels(g); k <- length(lev)
  O <- E <- numeric(k); V <- matrix(0, k, k)
  for (t in sort(unique(stop[event == 1]))) {
    risk <- start < t & stop >= t
    dead <- event == 1 & stop == t
    nn <- sum(risk); dd <- sum(dead)
    nj <- sapply(lev, function(l) sum(risk & g == l))
    dj <- sapply(lev, function(l) sum(dead & g == l))
    O <- O + dj; E <- E + dd * nj / nn
    if (nn > 1) V <- V + dd * (nn - dd) / (nn^2 * (nn - 1)) * (nn * diag(nj, k) - outer(nj, nj))
  }
  keep <- E > 0
  u <- (O - E)[keep][-1]; vv <- V[keep, keep][-1, -1, drop = FALSE]
  list(levels = lev, O = O, E = E, V = diag(V), chisq = sum(solve(vv, u) * u), df = sum(keep) - 1)
}
lr_tests <- list(); lr_groups <- list()
add_lr <- function(nm, gcol, method, chisq, df, O, E, V, lev, n_by, chisq_check) {
  lr_tests[[length(lr_tests) + 1]] <<- data.frame(
    dataset = nm, by = gcol, method = method, chisq = chisq, df = df,
    p_value = pchisq(chisq, df, lower.tail = FALSE), n = sum(n_by), n_events = sum(O),
    chisq_check = chisq_check)
  lr_groups[[length(lr_groups) + 1]] <<- data.frame(
    dataset = nm, by = gcol, group = lev, n = as.vector(n_by), observed = O, expected = E,
    variance = V)
}
for (nm in c("aml", "lung", "lung3", "flat_half")) {
  d <- datasets[[nm]]
  sd <- survdiff(Surv(t_stop, event) ~ group, data = d)
  hand <- logrank_by_hand(d$t_start, d$t_stop, d$event, d$group)
  add_lr(nm, "group", "survdiff", sd$chisq, length(sd$n) - 1, sd$obs, sd$exp, diag(sd$var),
         sub("^group=", "", names(sd$n)), sd$n, hand$chisq)
}
for (spec in list(c("own_lt", "group"), c("own_edge", "group"), c("heart", "group"),
                  c("heart", "transplant"))) {
  nm <- spec[1]; gcol <- spec[2]; d <- datasets[[nm]]
  hand <- logrank_by_hand(d$t_start, d$t_stop, d$event, d[[gcol]])
  # ties = "exact" enumerates the tied sets, which is too slow for own_lt (up to 14 tied events
  # among 100 at risk); there the check is left NA.
  check <- NA
  if (nm != "own_lt") {
    cx <- coxph(Surv(t_start, t_stop, event) ~ factor(d[[gcol]]), data = d, ties = "exact")
    stopifnot(abs(cx$score - hand$chisq) < 1e-8 * max(1, hand$chisq))
    check <- cx$score
  }
  add_lr(nm, gcol, "hand_counting_process", hand$chisq, hand$df, hand$O, hand$E, hand$V,
         hand$levels, table(factor(d[[gcol]], levels = hand$levels)), check)
}
wcsv(do.call(rbind, lr_tests), "logrank_tests.csv")
wcsv(do.call(rbind, lr_groups), "logrank_groups.csv")

# ---------------------------------------------------------------- rates
pcases <- rbind(c(10, 100, 5, 120, 0.95), c(0, 50, 4, 60, 0.95), c(7, 30, 0, 40, 0.95),
                c(3, 1000.5, 17, 2000, 0.95), c(25, 365.25, 25, 365.25, 0.95),
                c(1, 1, 1, 1, 0.95), c(130, 2500, 98, 3100, 0.9), c(2, 10, 40, 20, 0.99),
                c(12, 7.5, 3, 0.25, 0.95), c(400, 10000, 431, 10000, 0.95))
prows <- list()
for (i in seq_len(nrow(pcases))) {
  p <- pcases[i, ]
  pt <- poisson.test(c(p[1], p[3]), c(p[2], p[4]), conf.level = p[5])
  prows[[i]] <- data.frame(events_a = p[1], time_a = p[2], events_b = p[3], time_b = p[4],
                           conf_level = p[5], estimate = unname(pt$estimate),
                           conf_low = pt$conf.int[1], conf_high = pt$conf.int[2],
                           p_value = pt$p.value)
}
wcsv(do.call(rbind, prows), "rates_poisson_test.csv")

wcases <- rbind(c(0, 10, 0.95), c(10, 10, 0.95), c(3, 10, 0.95), c(1, 1, 0.95), c(45, 120, 0.95),
                c(999, 1000, 0.95), c(5, 7, 0.9), c(5, 7, 0.99), c(0, 1, 0.8), c(123456, 654321, 0.95))
wrows <- list()
for (i in seq_len(nrow(wcases))) {
  w <- wcases[i, ]
  pt <- suppressWarnings(prop.test(w[1], w[2], conf.level = w[3], correct = FALSE))
  wrows[[i]] <- data.frame(successes = w[1], trials = w[2], conf_level = w[3],
                           estimate = unname(pt$estimate), conf_low = pt$conf.int[1],
                           conf_high = pt$conf.int[2])
}
wcsv(do.call(rbind, wrows), "rates_prop_test.csv")
cat("R", R.version$major, R.version$minor, "survival", as.character(packageVersion("survival")), "\n")
