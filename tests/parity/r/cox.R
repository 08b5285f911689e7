# Golden results of survival::coxph for continuity.cox (tests/parity/test_cox_parity.py).
# Run from the repository root:  Rscript tests/parity/r/cox.R
# Writes tests/parity/data/cox_*.csv: the input data sets, the fits' specifications and R's results.
suppressPackageStartupMessages(library(survival))
out <- "tests/parity/data"
wcsv <- function(x, name) write.csv(x, file.path(out, name), row.names = FALSE)

# --- data sets --------------------------------------------------------------------------------
heart_in <- survival::heart[, c("id", "start", "stop", "event", "age", "year", "surgery",
                                "transplant")]
heart_in$transplant <- as.integer(as.character(heart_in$transplant))
wcsv(heart_in, "cox_heart.csv")

# 'grid': integer times on a short grid, so that many rows enter exactly when others leave
# and many events are tied; 80 units split into episodes at integer change points.
set.seed(20240611)
make_grid <- function(n_units) {
  rows <- list()
  for (u in seq_len(n_units)) {
    entry <- sample(0:3, 1)
    exit <- entry + sample(1:9, 1)
    cuts <- sort(unique(c(entry, sample(seq(entry, exit), 2, replace = TRUE), exit)))
    x1 <- round(rnorm(1), 2)
    grp <- sample(c("a", "b"), 1)
    k <- length(cuts) - 1
    ev <- rbinom(1, 1, 0.6)
    changed <- as.integer(seq_len(k) > 1)
    rows[[u]] <- data.frame(id = u, t_start = cuts[-(k + 1)], t_stop = cuts[-1],
                            event = c(rep(0L, k - 1), ev), x1 = x1,
                            changed = changed,
                            dose = round(x1 * changed + runif(k), 1),
                            group = grp)
  }
  do.call(rbind, rows)
}
grid <- make_grid(80)
wcsv(grid, "cox_grid.csv")

# 'late': fractional times with tied events at exact entry times, staggered entry (delayed
# entry), risk sets that empty and refill, and a boolean covariate; 120 units.
set.seed(7)
make_late <- function(n_units) {
  rows <- list()
  for (u in seq_len(n_units)) {
    entry <- sample(c(0, 0.5, 1, 1.5, 2.5, 6), 1)
    len <- sample(c(0.5, 1, 1.5, 2, 3, 4.5), 1)
    k <- sample(1:4, 1)
    cuts <- entry + len * (0:k) / k
    ev <- rbinom(1, 1, 0.5)
    z <- rnorm(1)
    rows[[u]] <- data.frame(id = u, t_start = cuts[-(k + 1)], t_stop = cuts[-1],
                            event = c(rep(0L, k - 1), ev),
                            flag = as.logical(rbinom(1, 1, 0.4)),
                            z = round(z, 3),
                            post = as.integer(seq_len(k) >= 2),
                            region = sample(1:3, 1))
  }
  do.call(rbind, rows)
}
late <- make_late(120)
wcsv(late, "cox_late.csv")

# --- fits ---------------------------------------------------------------------------------------
specs <- data.frame(
  fit = c("heart_efron", "heart_breslow", "heart_efron_cluster", "heart_breslow_cluster",
          "heart_strata", "heart_strata_cluster",
          "grid_efron", "grid_breslow", "grid_efron_cluster", "grid_breslow_cluster",
          "grid_strata_cluster",
          "late_efron", "late_breslow", "late_efron_cluster", "late_breslow_cluster",
          "late_strata_cluster"),
  data = c(rep("heart", 6), rep("grid", 5), rep("late", 5)),
  start = c(rep("start", 6), rep("t_start", 10)),
  stop = c(rep("stop", 6), rep("t_stop", 10)),
  ties = c("efron", "breslow", "efron", "breslow", "efron", "breslow",
           "efron", "breslow", "efron", "breslow", "efron",
           "efron", "breslow", "efron", "breslow", "breslow"),
  covariates = c(rep("age year surgery transplant", 4), "age year transplant",
                 "age year transplant",
                 rep("x1 changed dose", 5),
                 rep("flag z post", 5)),
  cluster = c("", "", "id", "id", "", "id",
              "", "", "id", "id", "id",
              "", "", "id", "id", "id"),
  strata = c("", "", "", "", "surgery", "surgery",
             "", "", "", "", "group",
             "", "", "", "", "region"),
  stringsAsFactors = FALSE
)
wcsv(specs, "cox_fits.csv")

# fit on the data as read back from the CSVs, exactly what the Python tests read
datasets <- lapply(c(heart = "cox_heart.csv", grid = "cox_grid.csv", late = "cox_late.csv"),
                   function(f) read.csv(file.path(out, f)))
coefs <- list()
tests <- list()
for (i in seq_len(nrow(specs))) {
  s <- specs[i, ]
  d <- datasets[[s$data]]
  rhs <- paste(strsplit(s$covariates, " ")[[1]], collapse = " + ")
  if (s$strata != "") rhs <- paste0(rhs, " + strata(", s$strata, ")")
  f <- as.formula(sprintf("Surv(%s, %s, event) ~ %s", s$start, s$stop, rhs))
  fit <- if (s$cluster != "") {
    coxph(f, data = d, ties = s$ties, cluster = d[[s$cluster]])
  } else {
    coxph(f, data = d, ties = s$ties)
  }
  cf <- coef(fit)
  se <- sqrt(diag(if (is.null(fit$naive.var)) fit$var else fit$naive.var))
  rse <- if (is.null(fit$naive.var)) rep(NA_real_, length(cf)) else sqrt(diag(fit$var))
  sm <- summary(fit, conf.int = 0.95)$conf.int
  coefs[[i]] <- data.frame(fit = s$fit, term = names(cf), coef = unname(cf),
                           se = unname(se), robust_se = unname(rse),
                           conf_low = unname(sm[, "lower .95"]),
                           conf_high = unname(sm[, "upper .95"]))
  tests[[i]] <- data.frame(fit = s$fit, loglik0 = fit$loglik[1], loglik1 = fit$loglik[2],
                           lr = 2 * diff(fit$loglik), wald = unname(fit$wald.test),
                           score = unname(fit$score),
                           robust_score = if (is.null(fit$rscore)) NA_real_ else fit$rscore,
                           iter = fit$iter, n = fit$n, nevent = fit$nevent)
}
options(digits = 17)
write.csv(do.call(rbind, coefs), file.path(out, "cox_r_coef.csv"), row.names = FALSE)
write.csv(do.call(rbind, tests), file.path(out, "cox_r_tests.csv"), row.names = FALSE)
cat("survival", as.character(packageVersion("survival")), "\n")
