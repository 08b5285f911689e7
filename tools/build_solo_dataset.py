"""Build the bundled Solo example data from the hand-compiled case files.

Reads the compiled tables of ``../shared/data/cases`` (officeholders of Surakarta, Xi'an and
Zhuhai; Solo's sister-city instruments; dated activities) and writes the four tables of the
data model into ``src/continuity/datasets/solo/``:

``terms.csv``, ``agreements.csv``, ``parties.csv``, ``activities.csv``.

Every decision taken on the way (which rows are kept, merged or left out, how a title maps to a
term kind, which dates were refined from other rows of the record) is declared below as data and
explained in ``src/continuity/datasets/solo/SOURCES.md``. The output is deterministic: the same
input gives byte-identical files.

Usage::

    python tools/build_solo_dataset.py [CASES_DIR] [--out OUT_DIR]

``CASES_DIR`` defaults to ``../shared/data/cases`` (relative to the working directory, i.e. the
repository root); ``OUT_DIR`` defaults to ``src/continuity/datasets/solo`` next to this script.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CASES = Path("../shared/data/cases")
DEFAULT_OUT = REPO / "src" / "continuity" / "datasets" / "solo"

SEP = " | "  # separator of multi-valued text cells (sources, source row ids)

JURISDICTIONS = {
    "Kota Surakarta": "Surakarta",
    "Xi'an, Shaanxi, China": "Xi'an",
    "Zhuhai, Guangdong, China": "Zhuhai",
}
COUNTRY = {
    "Surakarta": "Indonesia",
    "Xi'an": "China",
    "Zhuhai": "China",
    "Montana": "Bulgaria",
    "Andong": "South Korea",
}
TERM_CODES = {"Surakarta": "SUR", "Xi'an": "XIA", "Zhuhai": "ZHU"}
OFFICE_CODES = {"mayor": "MAY", "deputy_mayor": "DEP", "party_secretary": "SEC"}

# --- terms ----------------------------------------------------------------------------------

#: Solo's titles -> (office, kind). Plt and Plh (pelaksana tugas / harian: an official carrying
#: out the duties) are "acting"; Pj (penjabat: an interim head appointed by the governor or the
#: minister) is "caretaker"; a deputy promoted for the rest of the term is "elected" (he was
#: elected on the ticket; he is a definitive mayor, not a caretaker).
SOLO_TITLES = {
    "Wali Kota": ("mayor", "elected"),
    "Wali Kota (de facto caretaker)": ("mayor", "acting"),
    "Wali Kota (Plt)": ("mayor", "acting"),
    "Penjabat (Pj) Wali Kota": ("mayor", "caretaker"),
    "Plh / Pj Wali Kota": ("mayor", "caretaker"),
    "Plh Wali Kota": ("mayor", "acting"),
    "Wakil Wali Kota": ("deputy_mayor", "elected"),
}
#: Xi'an and Zhuhai offices -> (office, kind). A 代市长 (acting mayor) is a term of the mayor
#: office.
CHINA_OFFICES = {
    "party_secretary": ("party_secretary", "appointed"),
    "acting_mayor": ("mayor", "acting"),
    "mayor": ("mayor", "elected"),
}
#: Holder names cleaned of the office held at the same time.
HOLDER_NAMES = {"Budi Suharto (Sekda)": "Budi Suharto", "Ahyani (Sekda)": "Ahyani"}

#: Rows of the compiled officeholder files left out of ``terms`` (each listed in SOURCES.md).
OMITTED_TERMS = {
    "solo_officeholders_compiled.csv#17": (
        "deputy-mayor vacancy 2024-07-19..2025-02-20: the source only says no replacement was "
        "found, it does not name a vacancy; kept as a gap between terms"
    ),
    "ZH-PS-05": "Chen Yong: start not found (between 2023-06-26 and Nov 2024)",
    "ZH-M-01": "Zhong Shijian: neither start nor end found",
    "ZH-M-02": "He Ningka: start not found",
    "ZH-M-07": "Yao Yisheng: start not found (after 2017-09-02)",
}

#: Dates refined from other rows of the same record: (row, column) -> (value, precision, why).
REFINED_TERM_DATES = {
    ("ZH-PS-04", "start"): (
        "2021-12",
        "month",
        "Build: start refined from year '2021' ('late 2021') to month 2021-12, because the "
        "predecessor Guo Yonghang (ZH-PS-03) held the post until 2021-12.",
    ),
}

#: Solo's 'approximate' precisions: the date given is kept at day precision with this note.
SOLO_APPROXIMATE = (
    "Build: compiled precision '{0}'; the day given is kept at day precision (the latest bound: "
    "the day he was sworn in as DKI Jakarta governor)."
)


def _iso_precision(value: str) -> str:
    """Precision implied by the string form of an ISO date ('' when empty)."""
    if value == "":
        return ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    raise ValueError(f"not an ISO date of day, month or year precision: {value!r}")


def _sources(*cells: str) -> str:
    """Union of source lists (separated by ';' or '|'), first-seen order, joined by SEP."""
    seen: list[str] = []
    for cell in cells:
        for s in re.split(r"\s+[;|]\s+", cell.strip()):
            s = s.strip()
            if s and s not in seen:
                seen.append(s)
    return SEP.join(seen)


def _join_notes(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def build_terms(cases: Path) -> pd.DataFrame:
    """Terms of Surakarta's mayors and deputies; Xi'an's and Zhuhai's secretaries and mayors."""
    rows = []
    solo = _read(cases / "solo_officeholders_compiled.csv")
    for i, r in enumerate(solo.itertuples(index=False), start=1):
        row_id = f"solo_officeholders_compiled.csv#{i}"
        if row_id in OMITTED_TERMS:
            continue
        office, kind = SOLO_TITLES[r.office]
        holder = HOLDER_NAMES.get(r.holder, r.holder)
        if holder == "(vacant)":
            kind = "vacancy"
        notes = [r.notes]
        precisions = {}
        for col, value, prec in (
            ("start", r.start_date, r.start_precision),
            ("end", r.end_date, r.end_precision),
        ):
            if prec.startswith("approximate"):
                notes.append(
                    SOLO_APPROXIMATE.format(prec)
                    if col == "end"
                    else f"Build: compiled start precision '{prec}'; kept at day precision."
                )
            precisions[col] = _iso_precision(value)
        if holder == "(vacant)":
            notes.append(
                "Build: kept as a row because the source names the vacancy (the DPRD "
                "elected a deputy to fill it)."
            )
        rows.append(
            {
                "jurisdiction": JURISDICTIONS[r.jurisdiction],
                "office": office,
                "holder": holder,
                "start": r.start_date,
                "end": r.end_date,
                "kind": kind,
                "party": "",
                "start_precision": precisions["start"],
                "end_precision": precisions["end"],
                "office_title": r.office,
                "holder_native": "",
                "basis": r.holder_type,
                "last_confirmed": "",
                "confidence": r.confidence,
                "sources": _sources(r.sources),
                "notes": _join_notes(*notes),
                "source_row_id": row_id,
            }
        )
    china = _read(cases / "xian_zhuhai_officeholders.csv")
    for r in china.itertuples(index=False):
        if r.row_id in OMITTED_TERMS:
            continue
        office, kind = CHINA_OFFICES[r.office]
        for value, prec in ((r.start_date, r.start_precision), (r.end_date, r.end_precision)):
            if _iso_precision(value) != ("" if prec in ("", "unknown") else prec):
                raise ValueError(f"{r.row_id}: precision {prec!r} disagrees with {value!r}")
        start, end, notes = r.start_date, r.end_date, [r.notes]
        if (r.row_id, "start") in REFINED_TERM_DATES:
            start, _, why = REFINED_TERM_DATES[(r.row_id, "start")]
            notes.append(why)
        if r.office == "mayor" and ("split" in r.notes or "only one row" in r.notes):
            notes.append(
                "Build: kind 'elected' although the term may begin with an acting "
                "phase that the sources do not date."
            )
        confirmed = re.search(r"confirmed (\d{4}-\d{2}-\d{2})", r.in_office_as_of_sources)
        last = confirmed.group(1) if confirmed else ""
        if "June 2023" in r.in_office_as_of_sources:
            last = "2023-06"
        rows.append(
            {
                "jurisdiction": JURISDICTIONS[r.jurisdiction],
                "office": office,
                "holder": r.holder_romanized,
                "start": start,
                "end": end,
                "kind": kind,
                "party": "",
                "start_precision": _iso_precision(start),
                "end_precision": _iso_precision(end),
                "office_title": r.local_title,
                "holder_native": r.holder_native,
                "basis": "",
                "last_confirmed": last,
                "confidence": r.confidence,
                "sources": _sources(r.sources),
                "notes": _join_notes(*notes),
                "source_row_id": r.row_id,
            }
        )
    terms = pd.DataFrame(rows)
    for col, prec in (("start", "start_precision"), ("end", "end_precision")):
        given = terms[prec]
        implied = terms[col].map(_iso_precision)
        if not (given == implied).all():
            raise ValueError(f"terms: {prec} disagrees with {col}")
    terms = terms.sort_values(["jurisdiction", "office", "start", "source_row_id"], kind="stable")
    seq = terms.groupby(["jurisdiction", "office"], sort=False).cumcount() + 1
    terms.insert(
        0,
        "term_id",
        [
            f"{TERM_CODES[j]}-{OFFICE_CODES[o]}-{n:02d}"
            for j, o, n in zip(terms["jurisdiction"], terms["office"], seq, strict=True)
        ],
    )
    return terms.reset_index(drop=True)


# --- agreements and parties -----------------------------------------------------------------

#: The instruments the record supports: a signed instrument with a date. Each one names the rows
#: of solo_agreements_compiled.csv (by 1-based position) and of solo_activities.csv it rests on.
AGREEMENTS = [
    {
        "agreement_id": "SOLO-MONTANA-MOU-2007",
        "relationship_id": "REL-SOLO-MONTANA",
        "partner": "Montana",
        "instrument": "mou",
        "signed": "2007-02-19",
        "title": "Sister-city (kota kembar) MoU between Surakarta and Montana Municipality",
        "sector": "economy",
        "agreement_rows": [1, 2],
        "activity_rows": ["SOLO-MON-01"],
        "confidence": "medium",
        "notes": (
            "Signed at Solo City Hall; trade and business (Montana as a gateway for Solo "
            "handicraft and furniture exports). Day from a blog dated Feb 2007 ('Senin (19/2)', "
            "a Monday in 2007); a forum repost says '19 Januari 2007' (a Friday); February "
            "preferred. No recorded end: left open (censored). The record says it was never "
            "operationalised: 2008 Indonesian ambassador 'no progress'; Solopos 2013-07-19 "
            "'tak berwujud nyata' under Mayor Jokowi; 2013-12-06 Solo's cooperation head: "
            "intercontinental twinning 'tidak lagi relevan'. No termination is recorded."
        ),
    },
    {
        "agreement_id": "SOLO-XIAN-LOI-2015",
        "relationship_id": "REL-SOLO-XIAN",
        "partner": "Xi'an",
        "instrument": "loi",
        "signed": "2015-09-25",
        "title": (
            "Letter of Intent on developing sister/friendship-city relations "
            "between Surakarta and Xi'an"
        ),
        "sector": "",
        "agreement_rows": [4, 6, 7],
        "activity_rows": ["SOLO-XIA-06"],
        "confidence": "high",
        "notes": (
            "Signed in Xi'an on 'Jumat (25/9/2015)' per the contemporaneous Solopos report "
            "(SOLO-XIA-06; the compiled agreements file gives only 2015-09); tourism and trade "
            "named as the main fields. Signed while Solo was under a caretaker (Pj Budi "
            "Suharto from 2015-08-05); the signatory is not verified. No recorded end: left "
            "open (censored). 2016: a tourism cooperation memorandum reported by Xi'an only "
            "(kept as an activity). 2018: Xi'an's people's congress standing committee "
            "deliberated concluding friendship-city relations. 2021-10-21: workshop to renew "
            "the 2015 LoIs under PP 28/2018; no renewed instrument found. 2023-05-12: the "
            "Chinese ambassador called the cooperation 'in MoU stage' and Mayor Gibran said it "
            "had 'sempat terhenti di tengah jalan'; no MoU signed afterwards was found."
        ),
    },
    {
        "agreement_id": "SOLO-ZHUHAI-LOI-2015",
        "relationship_id": "REL-SOLO-ZHUHAI",
        "partner": "Zhuhai",
        "instrument": "loi",
        "signed": "2015-09",
        "title": "Letter of Intent on sister-city cooperation between Surakarta and Zhuhai",
        "sector": "",
        "agreement_rows": [5, 6, 8],
        "activity_rows": ["SOLO-ZHU-01"],
        "confidence": "medium",
        "notes": (
            "Known only from a 2021 Solopos retrospective (month only; no contemporaneous "
            "report of the signing found). Signed while Solo was under a caretaker (Pj Budi "
            "Suharto). No recorded end: left open (censored). A 2025 journal abstract says the "
            "partnership was 'initiated in 2019' (conflicting) and reports a 2021 COVID health "
            "grant from Zhuhai. 2021-10-21: renewal workshop under PP 28/2018; no renewed "
            "instrument found. Zhuhai's official sister-city page of 2023-05-15 lists 16 sister "
            "cities (names 15) and Surakarta is not among them: suggestive that the LoI never "
            "became a formal sister-city relation, not conclusive."
        ),
    },
    {
        "agreement_id": "SOLO-ANDONG-AGR-2007",
        "relationship_id": "REL-SOLO-ANDONG",
        "partner": "Andong",
        "instrument": "agreement",
        "signed": "2007",
        "title": "Cultural exchange agreement between Andong and Surakarta",
        "sector": "culture",
        "agreement_rows": [],
        "activity_rows": ["SOLO-AND-02"],
        "confidence": "medium",
        "notes": (
            "Not in the compiled agreements file; rests on activity row SOLO-AND-02 (a Korean "
            "report): a cultural exchange agreement concluded when Andong invited Solo to its "
            "2007 mask-dance festival. Year only; signatories and document not seen. No "
            "recorded end: left open (censored). Later activity is mostly festival-to-festival "
            "(SIPA, International Mask Festival, Andong Maskdance Festival)."
        ),
    },
]


def build_agreements(cases: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The signed instruments and their parties."""
    compiled = _read(cases / "solo_agreements_compiled.csv")
    acts = _read(cases / "solo_activities.csv").set_index("row_id")
    rows, parties = [], []
    for a in AGREEMENTS:
        src_cells = [compiled.iloc[i - 1]["sources"] for i in a["agreement_rows"]]
        src_cells += [acts.loc[r, "sources"] for r in a["activity_rows"]]
        row_ids = [f"solo_agreements_compiled.csv#{i}" for i in a["agreement_rows"]]
        row_ids += a["activity_rows"]
        rows.append(
            {
                "agreement_id": a["agreement_id"],
                "signed": a["signed"],
                "relationship_id": a["relationship_id"],
                "instrument": a["instrument"],
                "effective": "",
                "expires": "",
                "ended": "",
                "end_reason": "",
                "title": a["title"],
                "sector": a["sector"],
                "signed_precision": _iso_precision(a["signed"]),
                "confidence": a["confidence"],
                "sources": _sources(*src_cells),
                "notes": a["notes"],
                "source_row_id": SEP.join(row_ids),
            }
        )
        for jur, role in (("Surakarta", "home"), (a["partner"], "partner")):
            parties.append(
                {
                    "agreement_id": a["agreement_id"],
                    "jurisdiction": jur,
                    "role": role,
                    "country": COUNTRY[jur],
                }
            )
    return pd.DataFrame(rows), pd.DataFrame(parties)


# --- activities -----------------------------------------------------------------------------

PARTNERS = {
    "Surakarta–Montana": "REL-SOLO-MONTANA",
    "Surakarta–Xi'an": "REL-SOLO-XIAN",
    "Surakarta–Zhuhai": "REL-SOLO-ZHUHAI",
    "Surakarta–Andong": "REL-SOLO-ANDONG",
}

#: Rows of solo_activities.csv folded into another row because NOTES-activities.md says they
#: record one event: dropped row -> kept row.
MERGED_ACTIVITIES = {"SOLO-XIA-11": "SOLO-XIA-10"}

#: One event recorded under two instruments (both rows kept, cross-referenced).
SAME_EVENT = {"SOLO-XIA-09": "SOLO-ZHU-04", "SOLO-ZHU-04": "SOLO-XIA-09"}

#: Extra notes on single rows.
ACTIVITY_NOTES = {
    "SOLO-XIA-01": (
        "AGGREGATE ROW (several undated delegations since 2010): weight or drop it "
        "when counting events."
    ),
    "SOLO-XIA-07": (
        "Build: a signed sectoral memorandum reported by the Xi'an side only (year "
        "only, signatories unknown); kept as an activity of the LoI, not as an "
        "instrument: as an 'mou' it would mark a stage the 2023 record ('in MoU "
        "stage') says was not reached."
    ),
    "SOLO-ZHU-02": (
        "Build: claim from a journal abstract; no instrument of 2019 is known; kept "
        "as an activity of the 2015 LoI."
    ),
    "SOLO-ZHU-05": "Build: the date is the article's publication date, not an event date.",
    "SOLO-AND-06": (
        "Build: an MoU between festival bodies (not the city governments); kept as "
        "an activity of the 2007 agreement."
    ),
}


def build_activities(cases: Path, agreements: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dated activities mapped to instruments, and the audit of rows left out."""
    acts = _read(cases / "solo_activities.csv")
    left_out = []
    keep = []
    by_id = acts.set_index("row_id")
    for r in acts.itertuples(index=False):
        rel = PARTNERS.get(r.relationship)
        if r.row_id in MERGED_ACTIVITIES:
            left_out.append(
                (
                    r.row_id,
                    f"merged into {MERGED_ACTIVITIES[r.row_id]} (same event "
                    "per NOTES-activities.md)",
                )
            )
            continue
        if rel is None:
            left_out.append((r.row_id, f"no signed instrument in the record for {r.relationship}"))
            continue
        if r.date == "":
            left_out.append((r.row_id, "undated (date_precision 'unknown')"))
            continue
        keep.append(r._asdict())
    out = pd.DataFrame(keep)

    # Map each activity to the latest instrument of its relationship signed on or before it
    # (compared on ISO strings, fuzzy dates at their first day), or to the first instrument.
    rel_of = out["relationship"].map(PARTNERS)
    agr = agreements.sort_values(["relationship_id", "signed", "agreement_id"])
    mapped = []
    for rel, date in zip(rel_of, out["date"], strict=True):
        chain = agr[agr["relationship_id"] == rel]
        earlier = chain[chain["signed"] <= date]
        mapped.append((earlier if len(earlier) else chain).iloc[-1 if len(earlier) else 0])
    out["agreement_id"] = [m["agreement_id"] for m in mapped]
    out["relationship_id"] = rel_of.to_numpy()
    signed = pd.Series([m["signed"] for m in mapped], index=out.index)
    # certainly before signing: the activity's last possible day precedes the first possible
    # day of the signing (ISO strings of mixed precision compare correctly by prefix rule)
    out["before_signing"] = [
        "yes" if (d < s and not s.startswith(d)) else "no"
        for d, s in zip(out["date"], signed, strict=True)
    ]

    sources, row_ids, descs, notes, signal, quote, actor = [], [], [], [], [], [], []
    for r in out.itertuples(index=False):
        src, ids, desc = [r.sources], [r.row_id], r.description
        note = [r.date_note, ACTIVITY_NOTES.get(r.row_id, "")]
        sig, quo, act = r.dormancy_signal, r.dormancy_quote, r.actor_level
        for dropped, kept in MERGED_ACTIVITIES.items():
            if kept == r.row_id:
                d = by_id.loc[dropped]
                src.append(d["sources"])
                ids.append(dropped)
                desc = f"{desc} Same event ({dropped}, merged): {d['description']}"
                note.append(
                    f"Build: {dropped} ({d['kind']}, {d['actor_level']}) merged here: "
                    "NOTES-activities.md lists the pair as one event."
                )
                if d["dormancy_signal"] == "yes" or sig == "":
                    sig = d["dormancy_signal"]
                quo = _join_notes(quo, d["dormancy_quote"])
                if d["actor_level"] != act:
                    act = "mixed"
        if r.row_id in SAME_EVENT:
            note.append(f"Same event as {SAME_EVENT[r.row_id]} (one workshop on both partners).")
        sources.append(_sources(*src))
        row_ids.append(SEP.join(ids))
        descs.append(desc)
        notes.append(_join_notes(*note))
        signal.append(sig)
        quote.append(quo)
        actor.append(act)

    table = pd.DataFrame(
        {
            "activity_id": out["row_id"],
            "agreement_id": out["agreement_id"],
            "relationship_id": out["relationship_id"],
            "date": out["date"],
            "date_precision": out["date"].map(_iso_precision),
            "date_end": out["date_end"],
            "kind": out["kind"],
            "sector": out["sector"],
            "objective": "",
            "cost": "",
            "participants": "",
            "description": descs,
            "host": out["initiator_or_host"],
            "actor_level": actor,
            "before_signing": out["before_signing"],
            "same_event_as": out["row_id"].map(SAME_EVENT).fillna(""),
            "dormancy_signal": signal,
            "dormancy_quote": quote,
            "mayor_at_time": out["indonesian_mayor_at_time"],
            "mayor_source": out["mayor_source"],
            "in_study_window": out["in_study_window"],
            "confidence": out["confidence"],
            "sources": sources,
            "notes": notes,
            "source_row_id": row_ids,
        }
    )
    if not (table["date_precision"] == out["date_precision"]).all():
        raise ValueError("activities: date_precision disagrees with the compiled file")
    table = table.sort_values(["agreement_id", "date", "activity_id"], kind="stable")
    audit = pd.DataFrame(left_out, columns=["source_row_id", "reason"])
    return table.reset_index(drop=True), audit


def build(cases: Path, out: Path) -> dict[str, pd.DataFrame]:
    """Build every table from ``cases`` and write the CSVs into ``out``."""
    cases, out = Path(cases), Path(out)
    terms = build_terms(cases)
    agreements, parties = build_agreements(cases)
    activities, audit = build_activities(cases, agreements)
    tables = {
        "terms": terms,
        "agreements": agreements,
        "parties": parties,
        "activities": activities,
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(out / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
    tables["left_out_activities"] = audit
    return tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "cases",
        nargs="?",
        default=str(DEFAULT_CASES),
        help="folder of the compiled case files (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        default=str(DEFAULT_OUT),
        help="folder to write the CSVs into (default: the package's solo/)",
    )
    args = parser.parse_args(argv)
    cases = Path(args.cases)
    if not (cases / "solo_activities.csv").is_file():
        parser.error(f"{cases} does not hold solo_activities.csv; pass the cases folder")
    tables = build(cases, Path(args.out))
    for name, df in tables.items():
        print(f"{name}: {len(df)} rows")
    for r in tables["left_out_activities"].itertuples(index=False):
        print(f"  left out {r.source_row_id}: {r.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
