# Golden tables of survival::cox.zph for CoxResult.proportional_hazards_test
# (tests/parity/test_cox_zph_parity.py). Run from the repository root, after cox.R:
#   Rscript tests/parity/r/cox_zph.R
# Writes tests/parity/data/cox_zph_r.csv.
suppressPackageStartupMessages(library(survival))
out <- "tests/parity/data"
options(digits = 17)
specs <- read.csv(file.path(out, "cox_fits.csv"), stringsAsFactors = FALSE)
keep <- c("heart_efron", "heart_breslow", "heart_strata", "grid_efron", "grid_strata_cluster",
          "late_efron", "late_breslow")
datasets <- lapply(c(heart = "cox_heart.csv", grid = "cox_grid.csv", late = "cox_late.csv"),
                   function(f) read.csv(file.path(out, f)))
res <- list()
for (name in keep) {
  s <- specs[specs$fit == name, ]
  d <- datasets[[s$data]]
  if (s$data == "late") d$flag <- as.numeric(as.logical(d$flag))
  covs <- strsplit(s$covariates, " ")[[1]]
  rhs <- paste(covs, collapse = " + ")
  if (s$strata != "") rhs <- paste0(rhs, " + strata(", s$strata, ")")
  f <- as.formula(sprintf("Surv(%s, %s, event) ~ %s", s$start, s$stop, rhs))
  fit <- coxph(f, data = d, ties = s$ties)
  for (tr in c("km", "identity", "rank", "log")) {
    z <- cox.zph(fit, transform = tr)$table
    res[[length(res) + 1]] <- data.frame(fit = name, transform = tr, term = rownames(z),
                                         statistic = z[, "chisq"], df = z[, "df"],
                                         p_value = z[, "p"])
  }
}
write.csv(do.call(rbind, res), file.path(out, "cox_zph_r.csv"), row.names = FALSE)
cat("survival", as.character(packageVersion("survival")), "\n")
