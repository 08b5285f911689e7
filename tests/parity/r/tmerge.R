# Golden episodes for continuity.timeline.split_episodes, built with R's survival::tmerge.
#
# Run from the repository root:   Rscript tests/parity/r/tmerge.R
# Writes into tests/parity/data/: the study (tmerge_terms.csv, tmerge_agreements.csv,
# tmerge_parties.csv, tmerge_settings.csv) and one table of episodes per case
# (tmerge_episodes_<case>.csv). tests/parity/test_tmerge_parity.py reads them and never needs R.
#
# The rules restated here, independently of the Python code (instrument level):
#   entry = effective if given, else signed; formal end = ended if given, else expires;
#   event = formal end on or before as_of; stop = that end, else as_of; delayed entry at
#   observed_from. Each party's leadership is a time-dependent covariate (tdc) taking the value
#   of the term in office (0 = vacancy: a gap between terms or after a last term that ended);
#   a leader change is dated when the new holder takes office (cumtdc); window edges are extra
#   split times (a dummy tdc); cuts are applied by survSplit.
suppressPackageStartupMessages(library(survival))
out <- "tests/parity/data"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
wcsv <- function(x, name) write.csv(x, file.path(out, name), row.names = FALSE, na = "")
day0 <- as.Date("1970-01-01")
iso <- function(d) ifelse(is.na(d), NA, format(day0 + d, "%Y-%m-%d"))

set.seed(20180607)
as_of <- as.numeric(as.Date("2022-12-31"))

# ------------------------------------------------------------------ leadership terms
# J1..J6 have terms: 4-5 year terms, some with the same holder re-elected, some followed by a
# vacancy, some caretaker spells; J7 has none (its exposure is unknown).
terms <- list()
for (j in 1:6) {
  t <- as.numeric(as.Date("1998-01-01")) + sample(0:900, 1)
  k <- 0
  holder <- paste0("H", j, "_0")
  while (t < as_of - 200) {
    k <- k + 1
    r <- runif(1)
    if (r < 0.15) {
      kind <- "acting"; len <- sample(30:200, 1)
    } else {
      kind <- "elected"; len <- sample(c(1461, 1826, 900:1900), 1)
    }
    if (runif(1) < 0.8 || k == 1) holder <- paste0("H", j, "_", k)  # else re-elected
    end <- t + len
    last <- end >= as_of - 200
    open <- last && runif(1) < 0.7
    terms[[length(terms) + 1]] <- data.frame(
      jurisdiction = paste0("J", j), office = "mayor", holder = holder, kind = kind,
      start = t, end = if (open) NA else end, term_id = sprintf("J%d-T%02d", j, k))
    gap <- if (runif(1) < 0.25) sample(1:120, 1) else 0
    t <- end + gap
    if (open) break
  }
}
terms <- do.call(rbind, terms)

# ------------------------------------------------------------------ instruments
n <- 80
js <- paste0("J", 1:7)
signed <- as.numeric(as.Date("2001-01-01")) + sample(0:(as_of - as.numeric(as.Date("2001-01-01")) + 300), n, replace = TRUE)
effective <- ifelse(runif(n) < 0.3, signed + sample(0:90, n, replace = TRUE), NA)
expires <- ifelse(runif(n) < 0.7, signed + 365 * sample(1:5, n, replace = TRUE), NA)
ended <- ifelse(runif(n) < 0.2, signed + sample(1:3000, n, replace = TRUE), NA)
# a few fixed edge cases: one-day instrument, ended on its signing day, signed on a transition
signed[1] <- terms$start[2]; expires[1] <- NA; ended[1] <- signed[1] + 1; effective[1] <- NA
signed[2] <- terms$start[5]; ended[2] <- signed[2]; effective[2] <- NA; expires[2] <- NA
signed[3] <- terms$start[3] - 400; expires[3] <- terms$start[3]; ended[3] <- NA; effective[3] <- NA
agreements <- data.frame(agreement_id = sprintf("A%03d", 1:n), signed = signed,
                         effective = effective, expires = expires, ended = ended)
parties <- list()
for (i in 1:n) {
  k <- if (runif(1) < 0.2) 3 else 2
  pool <- if (runif(1) < 0.15) js else js[1:6]
  if (i <= 3) pool <- js[1:6]
  parties[[i]] <- data.frame(agreement_id = agreements$agreement_id[i],
                             jurisdiction = sample(pool, k))
}
parties <- do.call(rbind, parties)

wcsv(transform(terms, start = iso(start), end = iso(end)), "tmerge_terms.csv")
wcsv(transform(agreements, signed = iso(signed), effective = iso(effective),
               expires = iso(expires), ended = iso(ended)), "tmerge_agreements.csv")
wcsv(parties, "tmerge_parties.csv")

# ------------------------------------------------------------------ each jurisdiction's step function
terms <- terms[order(terms$jurisdiction, terms$start), ]
terms$code <- seq_len(nrow(terms))
steps <- list(); changes <- list()
for (j in unique(terms$jurisdiction)) {
  t <- terms[terms$jurisdiction == j, ]
  m <- nrow(t)
  nxt <- c(t$start[-1], NA)
  into_gap <- !is.na(t$end) & (is.na(nxt) | nxt != t$end)
  steps[[j]] <- data.frame(jurisdiction = j,
                           day = c(t$start, t$end[into_gap]),
                           code = c(t$code, rep(0, sum(into_gap))))
  if (m > 1) {
    ch <- which(t$holder[-1] != t$holder[-m]) + 1
    ch <- ch[t$start[ch] <= as_of]
    changes[[j]] <- data.frame(jurisdiction = j, day = t$start[ch])
  }
}
steps <- do.call(rbind, steps); changes <- do.call(rbind, changes)
state_on <- function(j, d) {  # term code in office in j on day d (0: none)
  s <- steps[steps$jurisdiction == j, ]
  s <- s[order(s$day), ]
  i <- findInterval(d, s$day)
  ifelse(i == 0, 0, s$code[pmax(i, 1)])
}

# ------------------------------------------------------------------ episodes, one case at a time
episodes <- function(window = NULL, cuts = NULL, observed_from = NULL) {
  a <- agreements
  a$entry <- ifelse(is.na(a$effective), a$signed, a$effective)
  a$end <- ifelse(is.na(a$ended), a$expires, a$ended)
  a$ev <- as.integer(!is.na(a$end) & a$end <= as_of)
  a$stop <- ifelse(a$ev == 1, a$end, as_of)
  a$lo <- if (is.null(observed_from)) a$entry else pmax(a$entry, observed_from)
  a <- a[a$entry <= as_of & a$stop > a$entry & a$stop > a$lo, ]
  a$id <- seq_len(nrow(a))
  base <- data.frame(id = a$id, t0 = a$lo - a$entry, t1 = a$stop - a$entry, ev = a$ev)
  d <- tmerge(base, base, id = id, tstart = t0, tstop = t1, event = event(t1, ev))
  p <- merge(parties, a[, c("agreement_id", "id", "entry")], by = "agreement_id")
  p <- p[order(p$id, p$jurisdiction), ]
  p$slot <- ave(p$id, p$id, FUN = seq_along)
  k <- max(p$slot)
  for (s in 1:k) {
    ps <- p[p$slot == s, ]
    known <- ps[ps$jurisdiction %in% steps$jurisdiction, ]
    st <- merge(known, steps, by = "jurisdiction")
    st <- data.frame(id = st$id, time = st$day - st$entry, code = st$code)
    ch <- merge(known, changes, by = "jurisdiction")
    ch <- ch[ch$day > ch$entry, ]
    ch <- data.frame(id = ch$id, time = ch$day - ch$entry)
    d <- tmerge(d, st, id = id, term = tdc(time, code, 0))
    d <- tmerge(d, ch, id = id, n = cumtdc(time), last = tdc(time, time))
    if (!is.null(window)) {
      edge <- data.frame(id = ch$id, time = ch$time + window)
      d <- tmerge(d, edge, id = id, edge = tdc(time))
      d$edge <- NULL
    }
    d$jur <- ps$jurisdiction[match(d$id, ps$id)]
    d$known <- d$jur %in% steps$jurisdiction
    d$term[!d$known | is.na(d$jur)] <- NA
    d$n[!d$known] <- NA
    d$last[!d$known] <- NA
    names(d)[match(c("term", "n", "last", "jur", "known"), names(d))] <-
      paste0(c("term_", "n_", "last_", "jur_", "known_"), s)
  }
  if (length(cuts)) {
    d <- survSplit(Surv(tstart, tstop, event) ~ ., data = d, cut = cuts)
  }
  d <- d[order(d$id, d$tstart), ]
  ent <- a$entry[d$id]
  res <- data.frame(agreement_id = a$agreement_id[d$id],
                    episode = ave(d$id, d$id, FUN = seq_along),
                    start = iso(ent + d$tstart), stop = iso(ent + d$tstop),
                    t_start = d$tstart, t_stop = d$tstop, event = d$event)
  nmat <- sapply(1:k, function(s) ifelse(is.na(d[[paste0("jur_", s)]]), 0, d[[paste0("n_", s)]]))
  nmat <- matrix(nmat, ncol = k)
  res$changes <- rowSums(nmat)  # NA when a party's exposure is unknown
  lmat <- matrix(sapply(1:k, function(s) d[[paste0("last_", s)]]), ncol = k)
  last <- suppressWarnings(apply(lmat, 1, function(x) if (all(is.na(x))) NA else max(x, na.rm = TRUE)))
  res$signer_in_office <- NA
  sig <- matrix(NA, nrow(d), k)
  for (s in 1:k) {
    j <- d[[paste0("jur_", s)]]
    known <- d[[paste0("known_", s)]]
    term <- d[[paste0("term_", s)]]
    h <- ifelse(!is.na(term) & term > 0, terms$holder[match(term, terms$code)], NA)
    term0 <- mapply(function(jj, day) if (is.na(jj) || !(jj %in% steps$jurisdiction)) NA
                    else state_on(jj, day), j, ent)
    h0 <- ifelse(!is.na(term0) & term0 > 0, terms$holder[match(term0, terms$code)], NA)
    v <- ifelse(is.na(j), TRUE,
           ifelse(!known | is.na(h0), NA, !is.na(h) & h == h0 & d[[paste0("n_", s)]] == 0))
    sig[, s] <- v
    res[[paste0("jurisdiction_", s)]] <- j
    res[[paste0("leader_", s)]] <- h
    res[[paste0("term_id_", s)]] <- ifelse(is.na(h), NA, terms$term_id[match(term, terms$code)])
  }
  res$signer_in_office <- apply(sig, 1, all)
  res$days_since_change <- ifelse(is.na(res$changes), NA, d$tstart - last)
  if (!is.null(window)) {
    res$post_change <- ifelse(is.na(res$changes), NA,
                              !is.na(res$days_since_change) & res$days_since_change < window)
  }
  lead <- c("agreement_id", "episode", "start", "stop", "t_start", "t_stop", "event", "changes",
            "signer_in_office", "days_since_change", if (!is.null(window)) "post_change")
  res[, c(lead, setdiff(names(res), lead))]
}

cases <- list(
  plain = list(),
  window = list(window = 180),
  delayed_cuts = list(window = 365, cuts = c(100, 730, 2000),
                      observed_from = as.numeric(as.Date("2010-01-01")))
)
settings <- data.frame(case = names(cases),
                       window = sapply(cases, function(x) if (is.null(x$window)) NA else x$window),
                       cuts = sapply(cases, function(x) paste(x$cuts, collapse = " ")),
                       observed_from = sapply(cases, function(x) iso(if (is.null(x$observed_from)) NA else x$observed_from)),
                       as_of = iso(as_of))
wcsv(settings, "tmerge_settings.csv")
for (nm in names(cases)) {
  e <- do.call(episodes, cases[[nm]])
  wcsv(e, paste0("tmerge_episodes_", nm, ".csv"))
  cat(nm, ":", nrow(e), "episodes,", length(unique(e$agreement_id)), "instruments\n")
}
