# Golden results for continuity.cox(method = "firth") and conf_type = "profile"
# (tests/parity/test_cox_firth_profile_parity.py). Run from the repository root, after cox.R:
#   Rscript tests/parity/r/cox_firth_profile.R
# R's survival has no Firth option and no profile intervals, so both are computed here from
# coxph itself, independently of continuity's Newton-Raphson:
# - the penalised log partial likelihood loglik + 0.5 log det(information) is evaluated with
#   coxph(..., init = beta, control = coxph.control(iter.max = 0)) (loglik[2] and var at beta)
#   and maximised with optim (BFGS, central-difference gradient, reltol 1e-15);
# - the ordinary profile fixes the coefficient through an offset() and refits the others with
#   coxph; the penalised profile maximises the penalised likelihood over the others with optim;
# - the limits are where 2 (max - profile) equals qchisq(conf, 1), found with uniroot
#   (tol 1e-12); a limit is Inf when the profile has not fallen that far 50 units away.
# Writes tests/parity/data/cox_separated.csv, cox_profile_fits.csv and cox_profile_r.csv.
suppressPackageStartupMessages(library(survival))
out <- "tests/parity/data"
options(digits = 17)

# 'separated': events only among units with x = 1 (monotone likelihood in x), z ordinary
set.seed(11)
n <- 24
sep <- data.frame(id = seq_len(n), t_start = 0, t_stop = sample(1:30, n, replace = TRUE),
                  x = rep(0:1, length.out = n), z = round(rnorm(n), 2))
sep$event <- as.integer(sep$x == 1 & runif(n) < 0.7)
write.csv(sep, file.path(out, "cox_separated.csv"), row.names = FALSE)

datasets <- lapply(c(heart = "cox_heart.csv", grid = "cox_grid.csv", late = "cox_late.csv",
                     separated = "cox_separated.csv"),
                   function(f) read.csv(file.path(out, f)))

specs <- data.frame(
  fit = c("heart_profile", "grid_profile", "late_profile", "separated_profile",
          "grid_firth", "late_firth", "separated_firth", "separated_firth_breslow"),
  data = c("heart", "grid", "late", "separated", "grid", "late", "separated", "separated"),
  start = c("start", rep("t_start", 7)),
  stop = c("stop", rep("t_stop", 7)),
  ties = c("efron", "breslow", "efron", "efron", "efron", "breslow", "efron", "breslow"),
  method = c(rep("mle", 4), rep("firth", 4)),
  covariates = c("age year surgery", "x1 changed dose", "flag z post", "x z",
                 "x1 changed dose", "z post", "x z", "x"),
  conf_level = c(0.95, 0.95, 0.9, 0.95, 0.95, 0.95, 0.95, 0.9),
  stringsAsFactors = FALSE
)
write.csv(specs, file.path(out, "cox_profile_fits.csv"), row.names = FALSE)

surv_formula <- function(s, rhs) {
  as.formula(sprintf("Surv(%s, %s, event) ~ %s", s$start, s$stop, rhs))
}

# ordinary log partial likelihood maximised with coefficient k fixed at b (offset)
profile_mle <- function(s, d, covs, k, b) {
  d$.off <- b * d[[covs[k]]]
  others <- covs[-k]
  rhs <- paste(c(others, "offset(.off)"), collapse = " + ")
  fit <- suppressWarnings(coxph(surv_formula(s, rhs), data = d, ties = s$ties))
  tail(fit$loglik, 1)
}

penalised <- function(s, d, covs, beta) {
  fit <- coxph(surv_formula(s, paste(covs, collapse = " + ")), data = d, ties = s$ties,
               init = beta, control = coxph.control(iter.max = 0))
  # a step far out (information numerically 0) is a very low value, so the line search backs off
  logdet <- tryCatch(as.numeric(determinant(solve(fit$var), logarithm = TRUE)$modulus),
                     error = function(e) -Inf)
  if (!is.finite(logdet)) return(-1e10)
  fit$loglik[2] + 0.5 * logdet
}

maximise <- function(fn, start) {
  gr <- function(b) vapply(seq_along(b), function(j) {
    h <- replace(numeric(length(b)), j, 1e-5)
    (fn(b + h) - fn(b - h)) / 2e-5
  }, numeric(1))
  o <- optim(start, fn, gr, method = "BFGS",
             control = list(fnscale = -1, reltol = 1e-15, maxit = 2000))
  o <- optim(o$par, fn, gr, method = "BFGS",
             control = list(fnscale = -1, reltol = 1e-15, maxit = 2000))
  list(par = o$par, value = o$value)
}

profile_firth <- function(s, d, covs, beta_hat, k, b) {
  if (length(covs) == 1) return(penalised(s, d, covs, b))
  fn <- function(others) penalised(s, d, covs, append(others, b, after = k - 1))
  maximise(fn, beta_hat[-k])$value
}

limit <- function(excess, centre, direction, scale) {
  step <- min(max(scale, 0.05), 1)
  inner <- centre
  while (step <= 50) {
    outer <- centre + direction * step
    if (excess(outer) > 0) {
      return(uniroot(excess, sort(c(inner, outer)), tol = 1e-12)$root)
    }
    inner <- outer
    step <- 2 * step
  }
  direction * Inf
}

rows <- list()
for (i in seq_len(nrow(specs))) {
  s <- specs[i, ]
  d <- datasets[[s$data]]
  covs <- strsplit(s$covariates, " ")[[1]]
  cut <- qchisq(s$conf_level, 1)
  if (s$method == "mle") {
    fit <- suppressWarnings(coxph(surv_formula(s, paste(covs, collapse = " + ")), data = d,
                                  ties = s$ties))
    beta <- unname(coef(fit))
    lhat <- fit$loglik[2]
    l0 <- fit$loglik[1]
    prof <- function(k, b) profile_mle(s, d, covs, k, b)
  } else {
    fn <- function(b) penalised(s, d, covs, b)
    m <- maximise(fn, rep(0, length(covs)))
    beta <- m$par
    lhat <- m$value
    l0 <- fn(rep(0, length(covs)))
    prof <- function(k, b) profile_firth(s, d, covs, beta, k, b)
  }
  for (k in seq_along(covs)) {
    excess <- function(b) 2 * (lhat - prof(k, b)) - cut
    lr0 <- 2 * (lhat - prof(k, 0))
    rows[[length(rows) + 1]] <- data.frame(
      fit = s$fit, term = covs[k], coef = beta[k],
      conf_low = exp(limit(excess, beta[k], -1, 1)),
      conf_high = exp(limit(excess, beta[k], +1, 1)),
      lr_term = lr0, loglik0 = l0, loglik1 = lhat)
  }
  cat(s$fit, "\n")
}
write.csv(do.call(rbind, rows), file.path(out, "cox_profile_r.csv"), row.names = FALSE)
cat("survival", as.character(packageVersion("survival")), "\n")
