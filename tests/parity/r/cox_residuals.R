# Golden residuals of survival::coxph for continuity's CoxResult.residuals
# (tests/parity/test_cox_residuals_parity.py). Run from the repository root, after cox.R:
#   Rscript tests/parity/r/cox_residuals.R
# Writes tests/parity/data/cox_resid_rows.csv (per row, and per cluster with collapse) and
# cox_resid_events.csv (Schoenfeld and scaled Schoenfeld, per event).
suppressPackageStartupMessages(library(survival))
out <- "tests/parity/data"
options(digits = 17)
specs <- read.csv(file.path(out, "cox_fits.csv"), stringsAsFactors = FALSE)
keep <- c("heart_efron_cluster", "heart_strata", "grid_breslow_cluster", "grid_strata_cluster",
          "late_efron_cluster")
datasets <- lapply(c(heart = "cox_heart.csv", grid = "cox_grid.csv", late = "cox_late.csv"),
                   function(f) read.csv(file.path(out, f)))
rows <- list()
events <- list()
for (name in keep) {
  s <- specs[specs$fit == name, ]
  d <- datasets[[s$data]]
  covs <- strsplit(s$covariates, " ")[[1]]
  rhs <- paste(covs, collapse = " + ")
  if (s$strata != "") rhs <- paste0(rhs, " + strata(", s$strata, ")")
  f <- as.formula(sprintf("Surv(%s, %s, event) ~ %s", s$start, s$stop, rhs))
  fit <- coxph(f, data = d, ties = s$ties)  # the residuals do not depend on cluster=
  per_row <- data.frame(fit = name, level = "row", key = seq_len(nrow(d)) - 1,
                        martingale = residuals(fit, "martingale"),
                        deviance = residuals(fit, "deviance"))
  sc <- residuals(fit, "score")
  db <- residuals(fit, "dfbeta")
  for (k in seq_along(covs)) {
    per_row[[paste0("score_", k)]] <- sc[, k]
    per_row[[paste0("dfbeta_", k)]] <- db[, k]
  }
  rows[[length(rows) + 1]] <- per_row
  if (s$cluster != "") {
    id <- d[[s$cluster]]
    sc <- residuals(fit, "score", collapse = id)
    db <- residuals(fit, "dfbeta", collapse = id)
    per_cl <- data.frame(fit = name, level = "cluster", key = sort(unique(id)),
                         martingale = residuals(fit, "martingale", collapse = id),
                         deviance = residuals(fit, "deviance", collapse = id))
    for (k in seq_along(covs)) {
      per_cl[[paste0("score_", k)]] <- sc[, k]
      per_cl[[paste0("dfbeta_", k)]] <- db[, k]
    }
    rows[[length(rows) + 1]] <- per_cl
  }
  sch <- as.matrix(residuals(fit, "schoenfeld"))
  ssc <- as.matrix(residuals(fit, "scaledsch"))
  ev <- data.frame(fit = name, time = as.numeric(rownames(sch)))
  for (k in seq_along(covs)) {
    ev[[paste0("schoenfeld_", k)]] <- sch[, k]
    ev[[paste0("scaledsch_", k)]] <- ssc[, k]
  }
  events[[length(events) + 1]] <- ev
}
fill <- function(l) {
  cols <- unique(unlist(lapply(l, names)))
  do.call(rbind, lapply(l, function(x) { x[setdiff(cols, names(x))] <- NA; x[cols] }))
}
write.csv(fill(rows), file.path(out, "cox_resid_rows.csv"), row.names = FALSE)
write.csv(fill(events), file.path(out, "cox_resid_events.csv"), row.names = FALSE)
cat("survival", as.character(packageVersion("survival")), "\n")
