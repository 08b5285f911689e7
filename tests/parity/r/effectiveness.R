# Golden values for the intervals of the effectiveness metrics (continuity.rates.poisson_rates,
# rate_ratios, clopper_pearson, binom_two_sided; activity_rates, activity_change, reciprocity,
# target_attainment, goal_coverage), computed with base R's stats package.
#
# Run from the repository root:   Rscript tests/parity/r/effectiveness.R
# Writes tests/parity/data/effectiveness_*.csv; tests/parity/test_effectiveness_parity.py reads
# them and never needs R.
out <- "tests/parity/data"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
wcsv <- function(x, name) write.csv(x, file.path(out, name), row.names = FALSE, na = "NA")
options(digits = 17)

# ---------------------------------------------------------------- one Poisson rate: poisson.test(x, T)
pgrid <- expand.grid(x = c(0, 1, 4, 15, 100, 1234), time = c(0.5, 3.0007, 18.37, 250.5),
                     conf_level = c(0.95, 0.9))
prow <- function(x, time, conf_level) {
  pt <- poisson.test(x, time, conf.level = conf_level)
  data.frame(events = x, time = time, conf_level = conf_level, estimate = unname(pt$estimate),
             conf_low = pt$conf.int[1], conf_high = pt$conf.int[2])
}
wcsv(do.call(rbind, Map(prow, pgrid$x, pgrid$time, pgrid$conf_level)),
     "effectiveness_poisson_one.csv")

# ---------------------------------------------------------------- rate ratios: poisson.test(c(a, b), c(ta, tb))
set.seed(20260917)
n <- 40
rr <- data.frame(events_a = rpois(n, 6), time_a = round(runif(n, 0.1, 4), 4),
                 events_b = rpois(n, 9), time_b = round(runif(n, 0.1, 4), 4),
                 conf_level = sample(c(0.95, 0.9, 0.99), n, replace = TRUE))
rr <- rbind(rr, data.frame(events_a = c(0, 7, 1, 3, 250, 1), time_a = c(1, 2, 1, 1, 100, 1),
                           events_b = c(5, 0, 3, 3, 300, 0), time_b = c(1, 1, 1, 1, 100.5, 1),
                           conf_level = 0.95))
rr <- rr[rr$events_a + rr$events_b > 0, ]
rrow <- function(i) {
  p <- rr[i, ]
  pt <- poisson.test(c(p$events_a, p$events_b), c(p$time_a, p$time_b), conf.level = p$conf_level)
  data.frame(p, estimate = unname(pt$estimate), conf_low = pt$conf.int[1],
             conf_high = pt$conf.int[2], p_value = pt$p.value)
}
wcsv(do.call(rbind, lapply(seq_len(nrow(rr)), rrow)), "effectiveness_rate_ratio.csv")

# ---------------------------------------------------------------- binomial: binom.test(x, n, p)
bgrid <- rbind(data.frame(x = c(0, 1, 2, 3, 5, 13, 40, 7, 0, 9), n = c(4, 4, 3, 3, 12, 20, 41, 7, 1, 30),
                          p = 0.5, conf_level = 0.95),
               data.frame(x = c(3, 10, 2, 25), n = c(10, 12, 9, 100), p = c(0.2, 0.7, 0.333, 0.31),
                          conf_level = c(0.9, 0.95, 0.99, 0.95)))
brow <- function(i) {
  b <- bgrid[i, ]
  bt <- binom.test(b$x, b$n, b$p, conf.level = b$conf_level)
  data.frame(b, estimate = unname(bt$estimate), conf_low = bt$conf.int[1],
             conf_high = bt$conf.int[2], p_value = bt$p.value)
}
wcsv(do.call(rbind, lapply(seq_len(nrow(bgrid)), brow)), "effectiveness_binom_test.csv")

# ---------------------------------------------------------------- the hand-built studies of the unit tests
# activity_rates: 4 activities in 1096 days; activity_change: 1 after, 3 before in 365 days each;
# reciprocity: 2 of 3 hosted by the focal side; target_attainment: 2 of 3 targets met (Wilson).
year <- 365.25
pt1 <- poisson.test(4, 1096 / year)
pt2 <- poisson.test(c(1, 3), c(365, 365) / year)
bt <- binom.test(2, 3)
pr <- suppressWarnings(prop.test(2, 3, correct = FALSE))
cases <- data.frame(
  metric = c("activity_rates", "activity_change", "reciprocity", "target_attainment"),
  estimate = c(unname(pt1$estimate), unname(pt2$estimate), unname(bt$estimate), unname(pr$estimate)),
  conf_low = c(pt1$conf.int[1], pt2$conf.int[1], bt$conf.int[1], pr$conf.int[1]),
  conf_high = c(pt1$conf.int[2], pt2$conf.int[2], bt$conf.int[2], pr$conf.int[2]),
  p_value = c(NA, pt2$p.value, bt$p.value, NA))
wcsv(cases, "effectiveness_cases.csv")
