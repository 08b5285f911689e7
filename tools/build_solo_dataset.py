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

import re
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _casefiles import (  # the tools folder is not a package: found on sys.path
    SEP,
    TERM_COLUMNS,
    activity_table,
    check_compiled_precision,
    cross_reference,
    find_cases,
    iso_precision,
    join_notes,
    join_sources,
    map_to_instruments,
    number_terms,
    read_case,
    run_cli,
    side_of,
    write_tables,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CASES = find_cases(REPO)
DEFAULT_OUT = REPO / "src" / "continuity" / "datasets" / "solo"

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

#: Corrections of compiled rows, from the fact-check of issue 7 and from other rows of the
#: record: row -> columns replaced, sources added and the note saying why (SOURCES.md lists them).
TERM_CORRECTIONS = {
    "solo_officeholders_compiled.csv#2": {
        "end": "2012-10-01",
        "sources": [
            "https://megapolitan.kompas.com/read/2012/10/04/21204699/"
            "mendagri.teken.pengangkatan.wali.kota.solo.yang.baru",
            "https://metro.sindonews.com/berita/676946/63/sk-pemberhentian-jokowi-terbit-besok",
            "https://news.republika.co.id/berita/mb8usc/"
            "surat-pengunduran-diri-jokowi-dikirim-ke-mendagri",
        ],
        "note": (
            "Correction (issue 7): he ceased to be mayor on 2012-10-01: the decree of the "
            "Minister of Home Affairs 131.33-698/2012 dismisses him 'sejak 1 Oktober' (Solopos, "
            "11 Oct 2012); the DPRD approved his resignation in plenary on the evening of Monday "
            "2012-10-01 and the minister signed the decree on 2012-10-04 (Kompas, Sindonews). "
            "The compiled end 2012-10-15 was his inauguration as Jakarta governor."
        ),
    },
    "solo_officeholders_compiled.csv#4": {
        "start": "2012-10-01",
        "sources": ["https://m.jpnn.com/amp/news/rudyatmo-naik-jika-jokowi-resmi-dilantik"],
        "note": (
            "Correction (issue 7): starts 2012-10-01, when Jokowi ceased to be mayor (decree "
            "131.33-698/2012); the compiled start 2012-10-15 was Jokowi's Jakarta inauguration. "
            "The ministry said Rudyatmo counts as mayor only from his oath (2012-10-19; JPNN, "
            "2012-10-08), so the spell runs to 2012-10-19."
        ),
    },
    "solo_officeholders_compiled.csv#10": {
        "note": (
            "Sources disagree on his status: Tempo has him Plh from 2015-12-31 (SK Gubernur "
            "131/90/2015) and Pj only from early February 2016 ('17 days' as Pj); Sindonews has "
            "him Pj from 2015-12-31. Choice: one row of kind 'caretaker' from 2015-12-31, not "
            "split: on either reading he stands in for a mayor who is gone (acting and caretaker "
            "are both caretaker kinds, so the transitions are the same), and the day a Pj status "
            "began is not established (Tempo's 'Jumat 10 Feb 2016' was a Wednesday), so a split "
            "would put a boundary on an invented day."
        ),
    },
    "solo_officeholders_compiled.csv#14": {
        "basis": "elected (Pilkada 2020-12-09; 86.54%; 225,451 votes)",
        "sources": [
            "https://jateng.antaranews.com/amp/berita/356120/"
            "hasil-penghitungan-kpu-gibran-teguh-raih-8654-persen-suara"
        ],
        "note": (
            "Correction (issue 7): 86.54% (225,451 of 260,506 valid votes) in the KPU Surakarta "
            "recapitulation of 2020-12-16 (Antara); the compiled 86.53% was a rounding."
        ),
    },
    "ZH-PS-04": {
        "start": "2021-12",
        "note": (
            "Build: start refined from year '2021' ('late 2021') to month 2021-12, because the "
            "predecessor Guo Yonghang (ZH-PS-03) held the post until 2021-12."
        ),
    },
    "XA-M-09": {
        "last_confirmed": "2025-03-25",
        "sources": ["https://news.qq.com/rain/a/20250325A07DLS00"],
        "note": (
            "Build: last confirmed moved from 2023-06 to 2025-03-25, the later check cited in "
            "the compiled note (news.qq.com)."
        ),
    },
}

#: Solo's 'approximate' precisions: the date given is kept at day precision with this note.
SOLO_APPROXIMATE = "Build: compiled {0} precision '{1}'; the day given is kept at day precision."


def _apply_correction(row: dict) -> dict:
    """The row with its TERM_CORRECTIONS entry applied (columns, sources, note)."""
    fix = TERM_CORRECTIONS.get(row["source_row_id"])
    if fix is None:
        return row
    out = dict(row)
    for col, value in fix.items():
        if col not in ("sources", "note"):
            out[col] = value
    out["sources"] = join_sources(row["sources"], *fix.get("sources", []))
    out["notes"] = join_notes(row["notes"], fix["note"])
    return out


def _solo_terms(cases: Path) -> list[dict]:
    """Surakarta's mayors and deputies, from the compiled Solo file."""
    rows = []
    solo = read_case(cases / "solo_officeholders_compiled.csv")
    for i, r in enumerate(solo.itertuples(index=False), start=1):
        row_id = f"solo_officeholders_compiled.csv#{i}"
        if row_id in OMITTED_TERMS:
            continue
        office, kind = SOLO_TITLES[r.office]
        holder = HOLDER_NAMES.get(r.holder, r.holder)
        fix = TERM_CORRECTIONS.get(row_id, {})
        notes = [r.notes]
        for col, prec in (("start", r.start_precision), ("end", r.end_precision)):
            if prec.startswith("approximate") and col not in fix:
                notes.append(SOLO_APPROXIMATE.format(col, prec))
        if holder == "(vacant)":
            kind = "vacancy"
            notes.append(
                "Build: kept as a row because the source names the vacancy (the DPRD "
                "elected a deputy to fill it)."
            )
        rows.append(
            _term_row(JURISDICTIONS[r.jurisdiction], office, holder, r.start_date, r.end_date,
                      kind, r.office, "", r.holder_type, "", r.confidence, r.sources,
                      join_notes(*notes), row_id)
        )
    return rows


def _china_terms(cases: Path) -> list[dict]:
    """Xi'an's and Zhuhai's party secretaries and mayors."""
    rows = []
    china = read_case(cases / "xian_zhuhai_officeholders.csv")
    for r in china.itertuples(index=False):
        if r.row_id in OMITTED_TERMS:
            continue
        office, kind = CHINA_OFFICES[r.office]
        check_compiled_precision(
            r.row_id, ((r.start_date, r.start_precision), (r.end_date, r.end_precision))
        )
        notes = [r.notes]
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
            _term_row(JURISDICTIONS[r.jurisdiction], office, r.holder_romanized, r.start_date,
                      r.end_date, kind, r.local_title, r.holder_native, "", last, r.confidence,
                      r.sources, join_notes(*notes), r.row_id)
        )
    return rows


def _term_row(jurisdiction, office, holder, start, end, kind, title, native, basis, last,
              confidence, sources, notes, row_id) -> dict:
    """One row of terms.csv, with its correction applied and precisions from the dates."""
    row = _apply_correction({
        "jurisdiction": jurisdiction, "office": office, "holder": holder, "start": start,
        "end": end, "kind": kind, "party": "", "office_title": title, "holder_native": native,
        "basis": basis, "last_confirmed": last, "confidence": confidence,
        "sources": join_sources(sources), "notes": notes, "source_row_id": row_id,
    })
    row["start_precision"] = iso_precision(row["start"])
    row["end_precision"] = iso_precision(row["end"])
    return row




def build_terms(cases: Path) -> pd.DataFrame:
    """Terms of Surakarta's mayors and deputies; Xi'an's and Zhuhai's secretaries and mayors."""
    terms = pd.DataFrame(_solo_terms(cases) + _china_terms(cases))[TERM_COLUMNS]
    return number_terms(terms, TERM_CODES, OFFICE_CODES)


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
        "signed": "2007-09-29",
        "title": "Cultural exchange agreement between Andong and Surakarta",
        "sector": "culture",
        "agreement_rows": [],
        "activity_rows": ["SOLO-AND-02", "SOLO-AND-01"],
        "confidence": "medium",
        "notes": (
            "Not in the compiled agreements file; rests on activity row SOLO-AND-02 (a Korean "
            "report): a cultural exchange agreement concluded when Andong invited Solo to its "
            "2007 mask-dance festival. Correction (issue 7): dated 2007-09-29, the signing at "
            "Andong City Hall during Mayor Jokowi's festival visit of 28 Sept - 1 Oct 2007, as "
            "reported by Korean local media (the Kyongbuk and UGN reports of SOLO-AND-01); the "
            "compiled row gave the year only. Document not seen. No recorded end: left open "
            "(censored). Later activity is mostly festival-to-festival (SIPA, International Mask "
            "Festival, Andong Maskdance Festival)."
        ),
    },
]


def build_agreements(cases: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The signed instruments and their parties."""
    compiled = read_case(cases / "solo_agreements_compiled.csv")
    acts = read_case(cases / "solo_activities.csv").set_index("row_id")
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
                "signed_precision": iso_precision(a["signed"]),
                "confidence": a["confidence"],
                "sources": join_sources(*src_cells),
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
    "Surakarta–Montana": ("REL-SOLO-MONTANA", "Montana"),
    "Surakarta–Xi'an": ("REL-SOLO-XIAN", "Xi'an"),
    "Surakarta–Zhuhai": ("REL-SOLO-ZHUHAI", "Zhuhai"),
    "Surakarta–Andong": ("REL-SOLO-ANDONG", "Andong"),
}

#: Rows recording one event (NOTES-activities.md): each names the others in ``same_event_as``.
SAME_EVENT = cross_reference([("SOLO-XIA-09", "SOLO-ZHU-04"), ("SOLO-XIA-10", "SOLO-XIA-11")])

#: Which side hosted the activity (or made it, when nothing was hosted), for rows that are not
#: visits ("home" = Surakarta, "partner" = the other city, "" = the record does not say or the
#: actor is neither city); visits in are hosted by Solo, visits out by the partner.
SIDES = {
    "SOLO-MON-01": "home",  # "Hosted by Solo at Balai Kota"
    "SOLO-MON-02": "partner",  # the ambassador meets Montana's mayor in Montana
    "SOLO-MON-03": "",  # a newspaper's statement
    "SOLO-MON-04": "home",  # Solo's cooperation section head
    "SOLO-XIA-06": "partner",  # "Signed in Xi'an"
    "SOLO-XIA-07": "",  # unknown venue
    "SOLO-XIA-08": "partner",  # Xi'an people's congress standing committee
    "SOLO-XIA-09": "home",  # hosted by Solo at Hotel Harris Solo
    "SOLO-XIA-11": "home",  # Mayor Gibran to the press
    "SOLO-ZHU-01": "",
    "SOLO-ZHU-02": "",
    "SOLO-ZHU-03": "partner",  # Zhuhai's grant to Surakarta
    "SOLO-ZHU-04": "home",
    "SOLO-ZHU-05": "",  # an academic article
    "SOLO-AND-02": "partner",  # Andong invited Solo; signed at Andong City Hall
    "SOLO-AND-03": "home",  # World Heritage Cities meeting in Solo
    "SOLO-AND-04": "home",  # SIPA festival, Solo
    "SOLO-AND-05": "home",
    "SOLO-AND-06": "",  # festival bodies, venue not given
    "SOLO-AND-09": "home",  # invited by SIPA (Solo)
    "SOLO-AND-10": "home",  # SIPA's request to IMACO
    "SOLO-AND-11": "partner",  # Andong Maskdance Festival
    "SOLO-AND-12": "home",  # Solo performing-arts festival
    "SOLO-AND-13": "partner",  # Solo dancers sent to Andong
    "SOLO-AND-15": "home",  # International Mask Festival, Solo
}

#: Dates refined from the corrected instrument: row -> (date, why).
ACTIVITY_DATES = {
    "SOLO-AND-02": (
        "2007-09-29",
        "Build: dated 2007-09-29 with the agreement it records (issue 7: signing at Andong "
        "City Hall); compiled as year 2007.",
    ),
}

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



def _solo_activity_rows(acts: pd.DataFrame) -> tuple[list[dict], list[tuple[str, str]]]:
    """The compiled rows kept (with their relationship), and the rows left out with why."""
    keep, left_out = [], []
    for r in acts.itertuples(index=False):
        if r.relationship not in PARTNERS:
            left_out.append((r.row_id, f"no signed instrument in the record for {r.relationship}"))
        elif r.date == "":
            left_out.append((r.row_id, "undated (date_precision 'unknown')"))
        else:
            keep.append(r._asdict())
    return keep, left_out


def build_activities(cases: Path, agreements: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dated activities mapped to instruments, and the audit of rows left out."""
    keep, left_out = _solo_activity_rows(read_case(cases / "solo_activities.csv"))
    out = pd.DataFrame(keep)
    notes = [
        join_notes(r.date_note, ACTIVITY_DATES.get(r.row_id, ("", ""))[1],
                   ACTIVITY_NOTES.get(r.row_id, ""))
        for r in out.itertuples(index=False)
    ]
    out["date"] = [ACTIVITY_DATES.get(i, (d,))[0] for i, d in zip(out["row_id"], out["date"],
                                                                   strict=True)]
    rel, partner = zip(*out["relationship"].map(PARTNERS), strict=True)
    mapped = map_to_instruments(pd.Series(rel), out["date"], agreements)
    table = activity_table(
        out, mapped,
        activity_id=out["row_id"],
        relationship_id=rel,
        objective="",
        participants="",
        side=[side_of(k, "Surakarta", p, SIDES, i)
              for k, p, i in zip(out["kind"], partner, out["row_id"], strict=True)],
        same_event_as=out["row_id"].map(SAME_EVENT).fillna(""),
        notes=notes,
    )
    refined = out["row_id"].isin(list(ACTIVITY_DATES))[table.index]
    agree = table["date_precision"] == out.loc[table.index, "date_precision"]
    if not agree[~refined].all():
        raise ValueError("activities: date_precision disagrees with the compiled file")
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
    write_tables(tables, out)
    tables["left_out_activities"] = audit
    return tables


def main(argv: list[str] | None = None) -> int:
    return run_cli(__doc__, build, DEFAULT_CASES, DEFAULT_OUT, "solo_activities.csv", argv)


if __name__ == "__main__":
    sys.exit(main())
