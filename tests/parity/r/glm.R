# Golden results of R's glm/lm with factor fixed effects and sandwich::vcovCL for
# continuity.event_study and continuity.discrete_hazard (tests/parity/test_glm_parity.py).
# Run from the repository root:  Rscript tests/parity/r/glm.R
# Writes tests/parity/data/glm_*.csv: the input panels and R's coefficients, standard errors and
# pre-trend Wald tests.
suppressPackageStartupMessages(library(sandwich))
out <- "tests/parity/data"
wcsv <- function(x, name) write.csv(x, file.path(out, name), row.names = FALSE, na = "")
ctrl <- glm.control(epsilon = 1e-14, maxit = 200)

# --- an event-study panel: 90 units over 10 periods, changes staggered, 20 never changed --------
set.seed(20151231)
n_units <- 90
rows <- list()
for (u in seq_len(n_units)) {
  first <- sample(1:3, 1)
  last <- sample(8:10, 1)
  periods <- first:last
  change <- if (u <= 20) NA else sample(3:8, 1)
  rel <- if (is.na(change)) rep(NA, length(periods)) else periods - change
  effect <- ifelse(is.na(rel), 0, ifelse(rel >= 0, -0.4 - 0.05 * pmin(rel, 3), 0))
  exposure <- rep(365, length(periods))
  exposure[1] <- sample(30:365, 1)
  alpha <- rnorm(1, 0, 0.5)
  mu <- exposure / 365 * exp(0.3 + alpha + 0.05 * periods + effect)
  y <- rpois(length(periods), mu)
  if (u %in% c(5, 50)) y[] <- 0L  # units with no activity at all: dropped by both
  yc <- 1 + alpha + 0.1 * periods + 2 * effect + rnorm(length(periods))
  rows[[u]] <- data.frame(unit = u, cluster = (u + 1) %/% 2, period = periods, rel = rel,
                          changes = ifelse(is.na(rel), 0L, as.integer(!is.na(rel) & rel == 0)),
                          exposure = exposure, y = y, yc = yc)
}
panel <- do.call(rbind, rows)
wcsv(panel, "glm_event_panel.csv")

bin_dummies <- function(rel, lo, hi, ref) {
  b <- pmin(pmax(rel, lo), hi)
  levels <- setdiff(lo:hi, ref)
  m <- sapply(levels, function(k) as.integer(!is.na(b) & b == k))
  colnames(m) <- paste0("rel_", ifelse(levels < 0, paste0("m", -levels), levels))
  m
}

event_fit <- function(d, model, lo, hi, ref, label) {
  m <- bin_dummies(d$rel, lo, hi, ref)
  d <- cbind(d, m)
  terms <- colnames(m)
  f <- paste(c(terms, "factor(unit)", "factor(period)"), collapse = " + ")
  if (model == "poisson") {
    keep_units <- tapply(d$y, d$unit, sum) > 0
    d <- d[d$unit %in% as.integer(names(keep_units)[keep_units]), ]
    fit <- glm(as.formula(paste("y ~", f, "+ offset(log(exposure))")), family = poisson,
               data = d, control = ctrl)
  } else {
    fit <- lm(as.formula(paste("yc ~", f)), data = d)
  }
  v <- vcovCL(fit, cluster = ~cluster)[terms, terms]
  b <- coef(fit)[terms]
  leads <- terms[grepl("^rel_m", terms)]
  wald <- as.numeric(t(b[leads]) %*% solve(v[leads, leads]) %*% b[leads])
  list(coefs = data.frame(fit = label, term = terms, coef = unname(b),
                          std_error = sqrt(diag(v)), n_obs = nrow(d)),
       tests = data.frame(fit = label, statistic = wald, df = length(leads),
                          p_value = pchisq(wald, length(leads), lower.tail = FALSE)))
}

# the stacked estimator (Cengiz, Dube, Lindner and Zipperer 2019): for each cohort c of first
# change, its units and the clean controls (no change, and none unknown, in c+lo..c+hi), periods
# c+lo..c+hi, unit-by-stack and period-by-stack fixed effects
stack_panel <- function(d, lo, hi) {
  first <- tapply(ifelse(!is.na(d$rel) & d$rel == 0, d$period, Inf), d$unit, min)
  d$cohort <- first[as.character(d$unit)]
  busy <- is.na(d$changes) | d$changes > 0
  cohorts <- sort(unique(first[is.finite(first)]))
  out <- list()
  for (s in seq_along(cohorts)) {
    c <- cohorts[s]
    win <- d$period >= c + lo & d$period <= c + hi
    dirty <- unique(d$unit[busy & win])
    treated <- d$cohort == c & win
    control <- !(d$unit %in% dirty) & d$cohort != c & win
    piece <- d[treated | control, ]
    piece$rel <- ifelse(piece$cohort == c, piece$period - c, NA)
    piece$stack <- s - 1
    out[[s]] <- piece
  }
  do.call(rbind, out)
}

drop_zero <- function(d) {  # unit-by-stack and period-by-stack groups with no count at all
  repeat {
    n <- nrow(d)
    d <- d[ave(d$y, d$unit, d$stack, FUN = sum) > 0, ]
    d <- d[ave(d$y, d$period, d$stack, FUN = sum) > 0, ]
    if (nrow(d) == n) break
  }
  d
}

stacked_fit <- function(d, lo, hi, ref, label) {
  keep_units <- tapply(d$y, d$unit, sum) > 0
  d <- d[d$unit %in% as.integer(names(keep_units)[keep_units]), ]
  d <- drop_zero(stack_panel(d, lo, hi))
  m <- bin_dummies(d$rel, lo, hi, ref)
  terms <- colnames(m)
  d <- cbind(d, m)
  d$us <- factor(paste(d$unit, d$stack))
  d$ps <- factor(paste(d$period, d$stack))
  fit <- glm(as.formula(paste("y ~", paste(c(terms, "us", "ps"), collapse = " + "),
                              "+ offset(log(exposure))")),
             family = poisson, data = d,
             # with epsilon 1e-14 glm.fit does not converge here (it returns standard errors of
             # 1e9); 1e-10 converges in 6 iterations
             control = glm.control(epsilon = 1e-10, maxit = 200))
  stopifnot(fit$converged)
  v <- vcovCL(fit, cluster = ~cluster)[terms, terms]
  b <- coef(fit)[terms]
  leads <- terms[grepl("^rel_m", terms)]
  wald <- as.numeric(t(b[leads]) %*% solve(v[leads, leads]) %*% b[leads])
  list(coefs = data.frame(fit = label, term = terms, coef = unname(b),
                          std_error = sqrt(diag(v)), n_obs = nrow(d)),
       tests = data.frame(fit = label, statistic = wald, df = length(leads),
                          p_value = pchisq(wald, length(leads), lower.tail = FALSE)))
}

fits <- list(event_fit(panel, "poisson", -3, 3, -1, "poisson_3_3"),
             stacked_fit(panel, -3, 3, -1, "stacked_3_3"),
             event_fit(panel, "poisson", -2, 4, -2, "poisson_2_4_ref2"),
             event_fit(panel, "ols", -3, 3, -1, "ols_3_3"))
wcsv(do.call(rbind, lapply(fits, `[[`, "coefs")), "glm_event_coefs.csv")
wcsv(do.call(rbind, lapply(fits, `[[`, "tests")), "glm_event_tests.csv")

# --- a discrete-time hazard panel: 300 units, one row per period at risk ------------------------
set.seed(20180214)
rows <- list()
for (u in seq_len(300)) {
  x1 <- rbinom(1, 1, 0.4)
  t_max <- sample(3:12, 1)
  x2 <- round(rnorm(t_max), 3)
  h <- 1 - exp(-exp(-2.2 + 0.5 * x1 + 0.3 * x2 + 0.1 * seq_len(t_max)))
  ev <- rbinom(t_max, 1, h)
  stop_at <- if (any(ev == 1)) which(ev == 1)[1] else t_max
  k <- seq_len(stop_at)
  rows[[u]] <- data.frame(unit = u, cluster = (u + 2) %/% 3, duration = k - 1L, x1 = x1,
                          x2 = x2[k], ended = as.integer(ev[k] == 1))
}
haz <- do.call(rbind, rows)
# durations with no event carry no information on the covariates (their baseline is -Inf):
# dropped by both sides
has_event <- tapply(haz$ended, haz$duration, sum) > 0
haz <- haz[haz$duration %in% as.integer(names(has_event)[has_event]), ]
wcsv(haz, "glm_hazard_panel.csv")
hz <- list()
for (link in c("cloglog", "logit")) {
  fit <- glm(ended ~ x1 + x2 + factor(duration), family = binomial(link = link), data = haz,
             control = ctrl)
  v <- vcovCL(fit, cluster = ~cluster)[c("x1", "x2"), c("x1", "x2")]
  hz[[link]] <- data.frame(link = link, term = c("x1", "x2"), coef = unname(coef(fit)[c("x1", "x2")]),
                           std_error = sqrt(diag(v)), n_obs = nrow(haz))
  fit0 <- glm(ended ~ x1 + x2, family = binomial(link = link), data = haz, control = ctrl)
  v0 <- vcovCL(fit0, cluster = ~cluster)[c("x1", "x2"), c("x1", "x2")]
  hz[[paste0(link, "_none")]] <- data.frame(link = paste0(link, "_none"), term = c("x1", "x2"),
                                            coef = unname(coef(fit0)[c("x1", "x2")]),
                                            std_error = sqrt(diag(v0)), n_obs = nrow(haz))
}
wcsv(do.call(rbind, hz), "glm_hazard_coefs.csv")
