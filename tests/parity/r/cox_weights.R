# Golden results of survival::coxph with case weights for cox(..., weights=)
# (tests/parity/test_cox_weights_parity.py). Run from the repository root, after cox.R:
#   Rscript tests/parity/r/cox_weights.R
# Adds a column 'w' of weights to the heart and late data (cox_weights_<data>.csv) and writes
# cox_weights_r.csv (coefficients, SEs, robust SEs, log-likelihoods, tests) and
# cox_weights_resid.csv (martingale, score and dfbeta residuals per row).
suppressPackageStartupMessages(library(survival))
out <- "tests/parity/data"
options(digits = 17)
set.seed(5)
heart <- read.csv(file.path(out, "cox_heart.csv"))
heart$w <- round(runif(nrow(heart), 0.2, 3), 2)
late <- read.csv(file.path(out, "cox_late.csv"))
late$w <- sample(c(0.5, 1, 2, 4), nrow(late), replace = TRUE)
write.csv(heart, file.path(out, "cox_weights_heart.csv"), row.names = FALSE)
write.csv(late, file.path(out, "cox_weights_late.csv"), row.names = FALSE)
heart <- read.csv(file.path(out, "cox_weights_heart.csv"))
late <- read.csv(file.path(out, "cox_weights_late.csv"))
late$flag <- as.numeric(as.logical(late$flag))
fits <- list(
  heart_efron = coxph(Surv(start, stop, event) ~ age + year + surgery, data = heart,
                      weights = w),
  heart_breslow_cluster = coxph(Surv(start, stop, event) ~ age + year + surgery, data = heart,
                                weights = w, ties = "breslow", cluster = id),
  late_efron_cluster = coxph(Surv(t_start, t_stop, event) ~ flag + z + post, data = late,
                             weights = w, cluster = id),
  late_strata = coxph(Surv(t_start, t_stop, event) ~ z + post + strata(region), data = late,
                      weights = w)
)
coefs <- list()
resid <- list()
for (name in names(fits)) {
  fit <- fits[[name]]
  se <- sqrt(diag(if (is.null(fit$naive.var)) fit$var else fit$naive.var))
  rse <- if (is.null(fit$naive.var)) rep(NA_real_, length(se)) else sqrt(diag(fit$var))
  coefs[[name]] <- data.frame(fit = name, term = names(coef(fit)), coef = unname(coef(fit)),
                              se = unname(se), robust_se = unname(rse),
                              loglik0 = fit$loglik[1], loglik1 = fit$loglik[2],
                              wald = unname(fit$wald.test), score = unname(fit$score))
  sc <- residuals(fit, "score")
  r <- data.frame(fit = name, martingale = residuals(fit, "martingale"))
  for (k in seq_len(ncol(sc))) r[[paste0("score_", k)]] <- sc[, k]
  resid[[name]] <- r
}
write.csv(do.call(rbind, coefs), file.path(out, "cox_weights_r.csv"), row.names = FALSE)
fill <- function(l) {
  cols <- unique(unlist(lapply(l, names)))
  do.call(rbind, lapply(l, function(x) { x[setdiff(cols, names(x))] <- NA; x[cols] }))
}
write.csv(fill(resid), file.path(out, "cox_weights_resid.csv"), row.names = FALSE)
cat("survival", as.character(packageVersion("survival")), "\n")
