# Golden curves of survival::survfit.coxph for CoxResult.predict_survival
# (tests/parity/test_cox_survfit_parity.py). Run from the repository root, after cox.R:
#   Rscript tests/parity/r/cox_survfit.R
# Writes tests/parity/data/cox_survfit_new.csv (the covariate rows) and cox_survfit_r.csv
# (one row per curve and event time; default conf.type "log", conf.int 0.95).
suppressPackageStartupMessages(library(survival))
out <- "tests/parity/data"
options(digits = 17)
specs <- read.csv(file.path(out, "cox_fits.csv"), stringsAsFactors = FALSE)
keep <- c("heart_efron", "heart_breslow", "grid_efron", "late_breslow", "heart_strata",
          "grid_strata_cluster")
datasets <- lapply(c(heart = "cox_heart.csv", grid = "cox_grid.csv", late = "cox_late.csv"),
                   function(f) read.csv(file.path(out, f)))
newdata <- list(
  heart = data.frame(age = c(0, -5, 10), year = c(0, 3, 1), surgery = c(0, 1, 0),
                     transplant = c(0, 1, 1)),
  grid = data.frame(x1 = c(0, 1.5), changed = c(0, 1), dose = c(0, 0.7)),
  late = data.frame(flag = c(0, 1), z = c(0, -1), post = c(0, 1))
)
for (nm in names(newdata)) {
  write.csv(cbind(data = nm, newdata[[nm]]), file.path(out, paste0("cox_survfit_new_", nm, ".csv")),
            row.names = FALSE)
}
res <- list()
for (name in keep) {
  s <- specs[specs$fit == name, ]
  d <- datasets[[s$data]]
  covs <- strsplit(s$covariates, " ")[[1]]
  if (s$data == "late") d$flag <- as.numeric(as.logical(d$flag))
  rhs <- paste(covs, collapse = " + ")
  if (s$strata != "") rhs <- paste0(rhs, " + strata(", s$strata, ")")
  f <- as.formula(sprintf("Surv(%s, %s, event) ~ %s", s$start, s$stop, rhs))
  fit <- coxph(f, data = d, ties = s$ties)
  nd <- newdata[[s$data]][, covs, drop = FALSE]
  for (curve in c(-1, seq_len(nrow(nd)))) {  # -1: R's default, the covariate means
    sf <- if (curve < 0) survfit(fit) else survfit(fit, newdata = nd[curve, , drop = FALSE])
    strata <- if (is.null(sf$strata)) rep(0, length(sf$time)) else
      rep(seq_along(sf$strata) - 1, sf$strata)
    ev <- sf$n.event > 0
    res[[length(res) + 1]] <- data.frame(
      fit = name, curve = curve, stratum = strata[ev], time = sf$time[ev],
      n_at_risk = sf$n.risk[ev], n_events = sf$n.event[ev], estimate = sf$surv[ev],
      cumhaz = sf$cumhaz[ev], std_error = sf$std.err[ev], conf_low = sf$lower[ev],
      conf_high = sf$upper[ev])
  }
}
write.csv(do.call(rbind, res), file.path(out, "cox_survfit_r.csv"), row.names = FALSE)
cat("survival", as.character(packageVersion("survival")), "\n")
