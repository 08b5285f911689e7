# Golden values for near-tied times (R's timefix / aeqSurv) in continuity.survival.
#
# The data are R survival's own test of tied floating-point times, tests/tiedtime.R: the file
# tests/ties.rda (time1, time2: 690 pairs of ages in years, x = time2 - time1 has values that
# differ only by rounding noise) and the five-row data set c(1, 2, sqrt(2)^2, 2, sqrt(2)^2).
# Source: https://github.com/therneau/survival, tests/tiedtime.R and tests/ties.rda.
#
# Run from the repository root, with the path of ties.rda from a copy of that repository:
#     Rscript tests/parity/r/tiedtime.R path/to/survival/tests/ties.rda
# Writes tests/parity/data/tiedtime_*.csv. Every number is written with 17 significant digits
# (write.csv keeps 15), so that Python reads the very same doubles and recomputes
# x = time2 - time1 bit for bit. tests/parity/test_tiedtime_parity.py reads them; R is not needed.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
rda <- if (length(args)) args[1] else "ties.rda"
out <- "tests/parity/data"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
exact <- function(d) {
  for (nm in names(d)) if (is.double(d[[nm]])) d[[nm]] <- sprintf("%.17g", d[[nm]])
  d
}
wcsv <- function(x, name) write.csv(exact(x), file.path(out, name), row.names = FALSE,
                                    na = "NA", quote = FALSE)

load(rda)  # time1, time2
x <- time2 - time1
n <- length(x)
# an arbitrary but fixed split into two groups, for the log-rank test
ties_d <- data.frame(time1 = time1, time2 = time2, x = x, event = 1L,
                     group = 1L + (seq_len(n) %% 2L))
tdata <- data.frame(time = c(1, 2, sqrt(2)^2, 2, sqrt(2)^2), event = 1L,
                    group = c(1L, 1L, 1L, 2L, 2L))
wcsv(ties_d, "tiedtime_input_ties.csv")
wcsv(tdata, "tiedtime_input_tdata.csv")
stopifnot(length(unique(x)) > length(unique(aeqSurv(Surv(x))[, 1])))  # the data do have near-ties

curves <- list(); tables <- list()
add <- function(name, by, f, horizon) {
  grp <- if (is.null(f$strata)) NA else sub("^group=", "", rep(names(f$strata), f$strata))
  curves[[length(curves) + 1]] <<- data.frame(
    dataset = name, by = by, group = grp, time = f$time, n_risk = f$n.risk,
    n_event = f$n.event, n_censor = f$n.censor, surv = f$surv, std_err_fit = f$std.err,
    lower = f$lower, upper = f$upper)
  tb <- summary(f, rmean = horizon)$table
  if (is.null(dim(tb))) tb <- t(as.matrix(tb))
  g <- if (is.null(f$strata)) NA else sub("^group=", "", rownames(tb))
  tables[[length(tables) + 1]] <<- data.frame(
    dataset = name, by = by, group = g, horizon = horizon, records = tb[, "records"],
    events = tb[, "events"], median = tb[, "median"], lcl = tb[, "0.95LCL"],
    ucl = tb[, "0.95UCL"], rmean = tb[, "rmean"], se_rmean = tb[, "se(rmean)"])
}
# conf.type = "log-log", continuity's default
add("ties_x", "none", survfit(Surv(x) ~ 1, data = ties_d, conf.type = "log-log"), 5)
add("ties_x", "group", survfit(Surv(x) ~ group, data = ties_d, conf.type = "log-log"), 5)
add("ties_counting", "none",
    survfit(Surv(time1, time2, event) ~ 1, data = ties_d, conf.type = "log-log"), 75)
add("ties_thirds", "none",
    survfit(Surv(ifelse(group == 1, 0, x / 3), x, event) ~ 1, data = ties_d,
            conf.type = "log-log"), 5)
add("tdata", "none", survfit(Surv(time, event) ~ 1, data = tdata, conf.type = "log-log"), 2)
add("tdata", "group", survfit(Surv(time, event) ~ group, data = tdata, conf.type = "log-log"), 2)
wcsv(do.call(rbind, curves), "tiedtime_curves.csv")
wcsv(do.call(rbind, tables), "tiedtime_tables.csv")

tests <- list()
for (spec in list(list("ties_x", Surv(ties_d$x, ties_d$event) ~ ties_d$group),
                  list("tdata", Surv(tdata$time, tdata$event) ~ tdata$group))) {
  sd <- survdiff(spec[[2]])
  tests[[length(tests) + 1]] <- data.frame(
    dataset = spec[[1]], group = sub("^.*group=", "", names(sd$n)), n = as.vector(sd$n),
    observed = sd$obs, expected = sd$exp, variance = diag(sd$var), chisq = sd$chisq,
    df = length(sd$n) - 1, p_value = pchisq(sd$chisq, length(sd$n) - 1, lower.tail = FALSE))
}
wcsv(do.call(rbind, tests), "tiedtime_logrank.csv")
cat("R", R.version$major, R.version$minor, "survival", as.character(packageVersion("survival")), "\n")
