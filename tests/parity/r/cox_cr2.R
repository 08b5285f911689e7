# Golden results for continuity.cox(..., cluster = ..., vcov_type = "cr2")
# (tests/parity/test_cox_cr2_parity.py). Run from the repository root, after cox.R and
# cox_firth_profile.R:  Rscript tests/parity/r/cox_cr2.R
# With Breslow ties a Cox model is a Poisson glm over (row, event time) pairs with one
# parameter per event time of each stratum. clubSandwich defines CR2 and the Satterthwaite
# degrees of freedom for that glm: vcovCR(type = "CR2") and coef_test(test = "Satterthwaite").
# The script also checks that vcovCR(type = "CR0") on the glm equals coxph's robust variance,
# which shows the two forms are one model.
# Writes tests/parity/data/cox_cr2_fits.csv and cox_cr2_r.csv.
suppressPackageStartupMessages({
  library(survival)
  library(clubSandwich)
})
out <- "tests/parity/data"
options(digits = 17)

# few clusters: the first 20 units of the grid and late data sets (fewer separate), and the
# grid data in six clusters
grid <- read.csv(file.path(out, "cox_grid.csv"))
late <- read.csv(file.path(out, "cox_late.csv"))
heart <- read.csv(file.path(out, "cox_heart.csv"))
datasets <- list(
  grid20 = grid[grid$id %in% 1:20, ],
  grid = grid,
  late20 = late[late$id %in% 1:20, ],
  heart = heart
)
for (nm in names(datasets)) write.csv(datasets[[nm]], file.path(out, paste0("cox_cr2_", nm, ".csv")),
                                      row.names = FALSE)
datasets <- lapply(setNames(names(datasets), names(datasets)),
                   function(nm) read.csv(file.path(out, paste0("cox_cr2_", nm, ".csv"))))

specs <- data.frame(
  fit = c("grid20", "grid_region", "late20", "heart", "grid_strata"),
  data = c("grid20", "grid", "late20", "heart", "grid"),
  start = c("t_start", "t_start", "t_start", "start", "t_start"),
  stop = c("t_stop", "t_stop", "t_stop", "stop", "t_stop"),
  covariates = c("x1 changed", "x1 changed dose", "z post", "age surgery transplant",
                 "x1 changed"),
  cluster = c("id", "cl", "id", "id", "cl"),
  strata = c("", "", "", "", "group"),
  stringsAsFactors = FALSE
)
# 'cl': six clusters of units in the grid data
datasets$grid$cl <- datasets$grid$id %% 6
write.csv(datasets$grid, file.path(out, "cox_cr2_grid.csv"), row.names = FALSE)
write.csv(specs, file.path(out, "cox_cr2_fits.csv"), row.names = FALSE)

# the Poisson form: one row per (row, event time of its stratum inside (start, stop])
expand <- function(d, s) {
  st <- if (s$strata == "") rep(1, nrow(d)) else as.integer(factor(d[[s$strata]]))
  rows <- list()
  for (g in unique(st)) {
    dg <- d[st == g, ]
    times <- sort(unique(dg[[s$stop]][dg$event == 1]))
    for (k in seq_along(times)) {
      at <- dg[[s$start]] < times[k] & dg[[s$stop]] >= times[k]
      if (!any(at)) next
      r <- dg[at, ]
      r$.y <- as.integer(r$event == 1 & r[[s$stop]] == times[k])
      r$.time <- paste(g, k)
      rows[[length(rows) + 1]] <- r
    }
  }
  do.call(rbind, rows)
}

res <- list()
for (i in seq_len(nrow(specs))) {
  s <- specs[i, ]
  d <- datasets[[s$data]]
  covs <- strsplit(s$covariates, " ")[[1]]
  rhs <- paste(covs, collapse = " + ")
  if (s$strata != "") rhs <- paste0(rhs, " + strata(", s$strata, ")")
  cf <- coxph(as.formula(sprintf("Surv(%s, %s, event) ~ %s", s$start, s$stop, rhs)),
              data = d, ties = "breslow", cluster = d[[s$cluster]])
  e <- expand(d, s)
  g <- glm(as.formula(paste(".y ~ ", paste(covs, collapse = " + "), " + factor(.time)")),
           family = poisson, data = e, control = glm.control(epsilon = 1e-14, maxit = 100))
  stopifnot(max(abs(coef(g)[covs] - coef(cf))) < 1e-8)
  cr0 <- vcovCR(g, cluster = e[[s$cluster]], type = "CR0")[covs, covs]
  stopifnot(max(abs(cr0 - cf$var) / abs(cf$var)) < 1e-6)
  v2 <- vcovCR(g, cluster = e[[s$cluster]], type = "CR2")
  ct <- coef_test(g, vcov = v2, test = "Satterthwaite", coefs = covs)
  res[[i]] <- data.frame(fit = s$fit, term = covs, coef = unname(coef(cf)),
                         robust_se_cr0 = sqrt(diag(cf$var)),
                         se_cr2 = ct$SE, df = ct$df_Satt, p_value = ct$p_Satt)
  cat(s$fit, "\n")
}
write.csv(do.call(rbind, res), file.path(out, "cox_cr2_r.csv"), row.names = FALSE)
cat("clubSandwich", as.character(packageVersion("clubSandwich")), "\n")
