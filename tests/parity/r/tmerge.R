# Golden episodes for continuity.split_episodes, built with R's survival::tmerge.
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
#   of the term in office (0 = none: a gap between terms, a row of kind "vacancy", or outside
#   the record); a leader change is dated when the new holder takes office (cumtdc), and so is
#   a change of party (cumtdc of 1 when both parties are known and differ) and a change with a
#   party unknown (cumtdc). A party's record runs from its first row to the end of its last
#   (vacancy rows included; open if the last is open). A party's changes since entry are known
#   on an episode iff entry >= record start and episode start < record end; post_change is TRUE
#   if a recorded change at any party is inside the window, else NA if some party's window
#   (max(entry, start - window), start] is not inside its record, else FALSE. Record edges,
#   record start + window (for units entering before it) and window edges are extra split
#   times (dummy tdc); cuts are applied by survSplit.
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
# records that do not cover every unit (no random draws here, so the draws below are as before):
# J6's record starts in 2008; J5's in 2005, with a recorded vacancy of 700 days before its
# first term; the record that ends first gets a recorded vacancy of 150 days after its end
day <- function(x) as.numeric(as.Date(x))
terms <- terms[!(terms$jurisdiction %in% c("J5", "J6") &
                 terms$start < ifelse(terms$jurisdiction == "J5", day("2007-01-01"),
                                      day("2008-01-01"))), ]
j5 <- min(terms$start[terms$jurisdiction == "J5"])
vac <- data.frame(jurisdiction = "J5", office = "mayor", holder = "(vacant)", kind = "vacancy",
                  start = j5 - 700, end = j5, term_id = "J5-V0")
last <- do.call(rbind, lapply(split(terms, terms$jurisdiction),
                              function(t) t[which.max(t$start), ]))
last <- last[!is.na(last$end), ]
if (nrow(last)) {
  last <- last[which.min(last$end), ]
  vac <- rbind(vac, data.frame(jurisdiction = last$jurisdiction, office = "mayor",
                               holder = "(vacant)", kind = "vacancy", start = last$end,
                               end = last$end + 150, term_id = paste0(last$jurisdiction, "-V9")))
}
terms <- rbind(terms, vac)
rownames(terms) <- NULL

# ------------------------------------------------------------------ instruments
n <- 80
js <- paste0("J", 1:7)
signed <- as.numeric(as.Date("2001-01-01")) + sample(0:(as_of - as.numeric(as.Date("2001-01-01")) + 300), n, replace = TRUE)
effective <- ifelse(runif(n) < 0.3, signed + sample(0:90, n, replace = TRUE), NA)
expires <- ifelse(runif(n) < 0.7, signed + 365 * sample(1:5, n, replace = TRUE), NA)
ended <- ifelse(runif(n) < 0.2, signed + sample(1:3000, n, replace = TRUE), NA)
# an instrument cannot end before it enters into force (validation refuses it)
ended <- ifelse(!is.na(effective) & !is.na(ended) & ended < effective, effective + 1, ended)
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
# the party of each holder (drawn last, so that the draws above are unchanged)
terms$party <- sample(c("red", "blue", "green", NA), nrow(terms), replace = TRUE,
                      prob = c(0.4, 0.35, 0.15, 0.1))
terms$party[terms$kind == "vacancy"] <- NA

wcsv(transform(terms, start = iso(start), end = iso(end)), "tmerge_terms.csv")
wcsv(transform(agreements, signed = iso(signed), effective = iso(effective),
               expires = iso(expires), ended = iso(ended)), "tmerge_agreements.csv")
wcsv(parties, "tmerge_parties.csv")

# ------------------------------------------------------------------ each jurisdiction's step function
terms <- terms[order(terms$jurisdiction, terms$start), ]
terms$code <- seq_len(nrow(terms))
records <- do.call(rbind, lapply(split(terms, terms$jurisdiction), function(t)
  data.frame(jurisdiction = t$jurisdiction[1], rec_lo = min(t$start),
             rec_hi = if (any(is.na(t$end))) Inf else max(t$end))))
steps <- list(); changes <- list()
for (j in unique(terms$jurisdiction)) {
  t <- terms[terms$jurisdiction == j & terms$kind != "vacancy", ]
  m <- nrow(t)
  nxt <- c(t$start[-1], NA)
  into_gap <- !is.na(t$end) & (is.na(nxt) | nxt != t$end)
  steps[[j]] <- data.frame(jurisdiction = j,
                           day = c(t$start, t$end[into_gap]),
                           code = c(t$code, rep(0, sum(into_gap))))
  if (m > 1) {
    ch <- which(t$holder[-1] != t$holder[-m]) + 1
    ch <- ch[t$start[ch] <= as_of]
    p_new <- t$party[ch]; p_old <- t$party[ch - 1]
    unknown <- is.na(p_new) | is.na(p_old)
    changes[[j]] <- data.frame(jurisdiction = j, day = t$start[ch],
                               pc = as.integer(!unknown & p_new != p_old),
                               pu = as.integer(unknown))
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
    ch <- data.frame(id = ch$id, time = ch$day - ch$entry, pc = ch$pc, pu = ch$pu)
    d <- tmerge(d, st, id = id, term = tdc(time, code, 0))
    d <- tmerge(d, ch, id = id, n = cumtdc(time), last = tdc(time, time),
                pc = cumtdc(time, pc, 0), pu = cumtdc(time, pu, 0))
    rec <- merge(known, records, by = "jurisdiction")
    edge <- data.frame(id = rec$id, time = rec$rec_lo - rec$entry)
    edge <- rbind(edge, data.frame(id = rec$id, time = rec$rec_hi - rec$entry)[
      is.finite(rec$rec_hi), ])
    if (!is.null(window)) {
      late <- rec$entry < rec$rec_lo
      edge <- rbind(edge, data.frame(id = ch$id, time = ch$time + window),
                    data.frame(id = rec$id[late], time = rec$rec_lo[late] + window -
                                 rec$entry[late]))
    }
    d <- tmerge(d, edge, id = id, edge = tdc(time))
    d$edge <- NULL
    d$jur <- ps$jurisdiction[match(d$id, ps$id)]
    d$known <- d$jur %in% steps$jurisdiction
    r <- records[match(d$jur, records$jurisdiction), ]
    ent <- a$entry[d$id]
    d$from_entry <- d$known & ent >= r$rec_lo
    d$in_rec <- d$known & ent + d$tstart < r$rec_hi
    d$win <- if (is.null(window)) NA else
      d$in_rec & (d$from_entry | ent + d$tstart - window >= r$rec_lo)
    d$term[!d$known | is.na(d$jur)] <- NA
    d$n[!d$known] <- NA
    d$last[!d$known] <- NA
    v <- c("term", "n", "last", "jur", "known", "pc", "pu", "from_entry", "in_rec", "win")
    names(d)[match(v, names(d))] <- paste0(v, "_", s)
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
  col <- function(v, s) d[[paste0(v, "_", s)]]
  absent <- function(s) is.na(col("jur", s))
  slots <- function(f) matrix(sapply(1:k, f), ncol = k)
  # changes of a party: NA unless its record covers [entry, episode start]
  nmat <- slots(function(s) ifelse(absent(s), 0,
                                   ifelse(col("from_entry", s) & col("in_rec", s),
                                          col("n", s), NA)))
  res$changes <- rowSums(nmat)
  pmat <- slots(function(s) ifelse(absent(s), 0, ifelse(col("pu", s) > 0, NA, col("pc", s))))
  res$party_changes <- ifelse(is.na(res$changes), NA, rowSums(pmat))
  lmat <- slots(function(s) col("last", s))
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
    n_s <- d[[paste0("n_", s)]]
    v <- ifelse(is.na(j), TRUE,
           ifelse(!known | is.na(h0), NA,
             ifelse(!d[[paste0("in_rec_", s)]], ifelse(n_s > 0, FALSE, NA),
                    !is.na(h) & h == h0 & n_s == 0)))
    sig[, s] <- v
    res[[paste0("jurisdiction_", s)]] <- j
    res[[paste0("leader_", s)]] <- h
    res[[paste0("term_id_", s)]] <- ifelse(is.na(h), NA, terms$term_id[match(term, terms$code)])
  }
  res$signer_in_office <- apply(sig, 1, all)
  res$days_since_change <- ifelse(is.na(res$changes), NA, d$tstart - last)
  if (!is.null(window)) {
    inside <- !is.na(last) & d$tstart - last < window
    wmat <- slots(function(s) absent(s) | col("win", s))
    res$post_change <- ifelse(inside, TRUE, ifelse(apply(wmat, 1, all), FALSE, NA))
  }
  lead <- c("agreement_id", "episode", "start", "stop", "t_start", "t_stop", "event", "changes",
            "party_changes", "signer_in_office", "days_since_change",
            if (!is.null(window)) "post_change")
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
