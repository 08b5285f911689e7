# Golden results of survival::survfit with a cluster-robust variance, for the landmark survival
# of continuity.metrics.survival_across_administrations (tests/parity/test_km_clustered_parity.py).
# Run from the repository root:  Rscript tests/parity/r/km_clustered.R
# Writes tests/parity/data/km_clustered_input.csv (the spells) and km_clustered_r.csv (R's
# survival and robust standard error at each horizon, and the log-log limits).
suppressPackageStartupMessages(library(survival))
out <- "tests/parity/data"

# 'pooled': 60 relationships, each followed from 1 to 4 leader changes (landmark spells of one
# relationship share its end, as pooled spells do); integer days, ties, censoring.
set.seed(20261204)
rows <- list()
for (r in seq_len(60)) {
  end <- sample(200:3000, 1)
  ended <- rbinom(1, 1, 0.6)
  k <- sample(1:4, 1)
  changes <- sort(sample(0:(end - 1), k))
  grp <- sample(c("a", "b"), 1)
  rows[[r]] <- data.frame(relationship_id = paste0("R", r), t_stop = end - changes,
                          event = ended, level = grp)
}
pooled <- do.call(rbind, rows)
pooled$dataset <- "pooled"
# 'landmark': the six spells of landmark_study() in tests/unit/test_metrics_transitions.py
landmark <- data.frame(relationship_id = c("G1", "G2", "G2", "G3", "G3", "G3"),
                       t_stop = c(181, 1096, 366, 1826, 1095, 944),
                       event = c(1, 1, 1, 0, 0, 0), level = "all", dataset = "landmark")
input <- rbind(pooled, landmark)
write.csv(input, file.path(out, "km_clustered_input.csv"), row.names = FALSE)

horizons <- c(100, 365, 730, 1000, 1825, 2500)
res <- list()
for (ds in unique(input$dataset)) {
  d <- input[input$dataset == ds, ]
  for (lv in unique(d$level)) {
    dl <- d[d$level == lv, ]
    f <- survfit(Surv(t_stop, event) ~ 1, data = dl, cluster = relationship_id,
                 conf.type = "log-log")
    s <- summary(f, times = horizons[horizons <= max(dl$t_stop)], extend = FALSE)
    res[[length(res) + 1]] <- data.frame(dataset = ds, level = lv, horizon = s$time,
                                         estimate = s$surv, std_error = s$std.err,
                                         conf_low = s$lower, conf_high = s$upper)
  }
}
write.csv(do.call(rbind, res), file.path(out, "km_clustered_r.csv"), row.names = FALSE)
