"""Build the bundled Bandung example data from the hand-compiled case files.

Reads ``bandung_officeholders.csv``, ``bandung_sister_cities.csv`` and
``bandung_activities.csv`` of ``shared/data/cases`` and writes the four tables of the data model
into ``src/continuity/datasets/bandung/``: ``terms.csv``, ``agreements.csv``, ``parties.csv``,
``activities.csv``.

Every decision (a term split at a campaign leave, the rule for a detained mayor, which rows
become instruments, which activities are left out and why) is declared below as data and
explained in ``src/continuity/datasets/bandung/SOURCES.md``. The output is deterministic.

Usage::

    python tools/build_bandung_dataset.py [CASES_DIR] [--out OUT_DIR]
"""

from __future__ import annotations

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
DEFAULT_OUT = REPO / "src" / "continuity" / "datasets" / "bandung"
HOME = "Bandung"

# --- terms ----------------------------------------------------------------------------------

#: Compiled titles -> kind. Plh and Plt (officials carrying out the duties) and a deputy who
#: exercises the mayor's duties are "acting"; Pj and Pjs (interim heads appointed by the
#: minister or governor) are "caretaker"; a Wali Kota is "elected" (Yana Mulyana, a deputy made
#: definitive mayor for the rest of the term, was elected on the ticket).
KINDS = {
    "Wali Kota (term 2003-2008)": "elected",
    "Wali Kota (term 2008-2013)": "elected",
    "Wali Kota": "elected",
    "Plh, later Pj Wali Kota": "acting",  # split below: Plh, then Pj
    "Wakil Wali Kota exercising mayor's duties": "acting",
    "Pjs Wali Kota": "caretaker",
    "Wakil Wali Kota holding mayor's post (Plt)": "acting",
    "Plt Wali Kota": "acting",
    "Plh Wali Kota": "acting",
    "Pj Wali Kota": "caretaker",
}

DETENTION_RULE = (
    "Rule for a detained mayor (the one who holds the powers leads the city): the term ends on "
    "the day of detention or arrest, and the official carrying out the duties starts then."
)

#: Corrections and refinements of compiled rows: row -> columns replaced, sources added, note.
TERM_CORRECTIONS = {
    "BD-03": {
        "end": "2013-08-19",
        "sources": [
            "https://m.tribunnews.com/regional/2013/08/19/wawali-bandung-minta-kpk-tangguhkan-"
            "penahanan-dada",
            "http://riaudaily.com/news/detail/2981/2013/08/20/kpk-tahan-wali-kota-bandung-dada-"
            "rosada",
        ],
        "note": (
            f"Build: end moved from 2013-09-16 (end of the term) to 2013-08-19, the day the KPK "
            f"detained him in Jakarta (Tribunnews, Riaudaily: Monday 19 Aug 2013). "
            f"{DETENTION_RULE}"
        ),
    },
    "BD-04": {
        "start": "2013-08-19",
        "sources": [
            "https://m.tribunnews.com/regional/2013/08/19/wawali-bandung-minta-kpk-tangguhkan-"
            "penahanan-dada",
        ],
        "note": (
            "Build: start refined from 2013-08 to 2013-08-19, Dada Rosada's detention; the deputy "
            f"said that day he would carry on his duties to 16 September. {DETENTION_RULE}"
        ),
    },
    "BD-06": {
        "end": "2018-06-24",
        "note": (
            "Build: end 2018-06-24, not the compiled 2018-06-23: he handed back on the evening "
            "of 23 June and Ridwan Kamil resumed at 00:00 on 24 June; terms are [start, end)."
        ),
    },
    "BD-10": {
        "basis": "deputy mayor made definitive mayor for the rest of the 2018-2023 term",
        "note": (
            "Build: ends at the arrest (2023-04-14), as compiled, although he stayed a "
            f"'non-active mayor' until 2023-09-20 (DPRD, 2023-07-28). {DETENTION_RULE} The "
            "one-day gap to Ema Sumarna's Plh (announced 2023-04-15; formal letter dated "
            "2023-04-16) is kept as a gap."
        ),
    },
    "BD-11": {
        "note": "Build: the governor's formal letter naming him Plh is dated 2023-04-16.",
    },
}

#: Ridwan Kamil's term is split around his campaign leave (2018-02-15 .. 2018-06-24), when the
#: Pjs Muhamad Solihin held the office: row -> the (start, end) of each part.
SPLITS = {
    "BD-05": [("2013-09-16", "2018-02-15"), ("2018-06-24", "2018-09-05")],
    "BD-02": [("2008-06", "2008-07-22"), ("2008-07-22", "2008-09")],
}
SPLIT_NOTES = {
    "BD-05": (
        "Build: split around the campaign leave 2018-02-15..2018-06-24 (BD-06, Pjs Muhamad "
        "Solihin); the two rows are one administration (the same holder returns)."
    ),
    "BD-02": (
        "Build: split into his Plh spell (acting) and his Pj spell (caretaker) from the day he "
        "was sworn in as Pj, 2008-07-22 (Detik)."
    ),
}
SPLIT_KINDS = {"BD-02": ["acting", "caretaker"]}
SPLIT_SOURCES = {"BD-02": ["https://news.detik.com/berita-jawa-barat/d-975862"]}

#: An official named in the compiled notes but not given a row there: added, with its source.
ADDED_TERMS = [
    {
        "holder": "Dadang Supriatna",
        "start": "2018-09-16",
        "end": "2018-09-20",
        "kind": "acting",
        "office_title": "Plh Wali Kota",
        "basis": "Pj city secretary named Plh until the inauguration",
        "confidence": "medium",
        "sources": (
            "https://kilasbandungnews.com/jadi-plh-wali-kota-bandung-dadang-pastikan-pelantikan-"
            "wali-kota-wakil-wali-kota-bandung-lancar"
        ),
        "notes": (
            "Build: added from the fact-check note of BD-07: Kilas Bandung News reports that Pj "
            "Sekda Dadang Supriatna was named Plh Wali Kota on 2018-09-16 to serve until Oded's "
            "inauguration (2018-09-20). Single source."
        ),
        "source_row_id": "BD-07 (note)",
    },
]



def _term(r, start: str, end: str, kind: str, extra_note: str = "", sources=()) -> dict:
    """One row of terms.csv from a compiled row, with its correction applied."""
    fix = TERM_CORRECTIONS.get(r.row_id, {})
    row = {
        "jurisdiction": HOME, "office": "mayor", "holder": r.holder_romanized,
        "start": fix.get("start", start), "end": fix.get("end", end), "kind": kind,
        "party": "", "office_title": r.local_title, "holder_native": r.holder_native,
        "basis": fix.get("basis", ""), "last_confirmed": "", "confidence": r.confidence,
        "sources": join_sources(r.sources, *fix.get("sources", []), *sources),
        "notes": join_notes(r.notes, extra_note, fix.get("note", "")),
        "source_row_id": r.row_id,
    }
    row["start_precision"] = iso_precision(row["start"])
    row["end_precision"] = iso_precision(row["end"])
    return row


def build_terms(cases: Path, last_confirmed: str) -> pd.DataFrame:
    """Bandung's mayors with their acting and caretaker officials."""
    rows = []
    for r in read_case(cases / "bandung_officeholders.csv").itertuples(index=False):
        check_compiled_precision(
            r.row_id, ((r.start_date, r.start_precision), (r.end_date, r.end_precision))
        )
        kind = KINDS[r.local_title]
        if r.row_id in SPLITS:
            kinds = SPLIT_KINDS.get(r.row_id, [kind] * len(SPLITS[r.row_id]))
            for (start, end), k in zip(SPLITS[r.row_id], kinds, strict=True):
                rows.append(_term(r, start, end, k, SPLIT_NOTES[r.row_id],
                                  SPLIT_SOURCES.get(r.row_id, ())))
        else:
            rows.append(_term(r, r.start_date, r.end_date, kind))
    for added in ADDED_TERMS:
        rows.append({"jurisdiction": HOME, "office": "mayor", "party": "", "holder_native": "",
                     "last_confirmed": "", "start_precision": iso_precision(added["start"]),
                     "end_precision": iso_precision(added["end"]), **added})
    terms = pd.DataFrame(rows)[TERM_COLUMNS]
    terms.loc[terms["end"] == "", "last_confirmed"] = last_confirmed
    return number_terms(terms, {HOME: "BDG"}, {"mayor": "MAY"})


# --- agreements and parties -----------------------------------------------------------------

#: The partners with a signed, dated instrument: name, country, leadership office, id code.
PARTNERS = {
    "Braunschweig": ("Germany", "mayor", "BRAUNSCHWEIG"),
    "Fort Worth": ("United States", "mayor", "FORTWORTH"),
    "Suwon": ("South Korea", "mayor", "SUWON"),
    "Liuzhou": ("China", "party_secretary", "LIUZHOU"),
    "Hamamatsu": ("Japan", "mayor", "HAMAMATSU"),
    "Kawasaki": ("Japan", "mayor", "KAWASAKI"),
    "Toyota": ("Japan", "mayor", "TOYOTA"),
    "Seoul": ("South Korea", "mayor", "SEOUL"),
    "Petaling Jaya": ("Malaysia", "mayor", "PETALINGJAYA"),
    "Namur": ("Belgium", "mayor", "NAMUR"),
    "Cuenca": ("Ecuador", "mayor", "CUENCA"),
    "Cotabato City": ("Philippines", "mayor", "COTABATO"),
    "Melbourne": ("Australia", "mayor", "MELBOURNE"),
}
INSTRUMENT_CODES = {"mou": "MOU", "loi": "LOI", "agreement": "AGR", "renewal": "REN"}

#: Instruments: partner, instrument, signed, expires, title, sector, the rows they rest on
#: (bandung_sister_cities.csv row_id and activity row_id), confidence, decision note.
AGREEMENTS = [
    ("Braunschweig", "mou", "1960-05-24", "", "Sister-city MoU between Bandung and Braunschweig",
     "", ["BS-01"], "medium",
     "Signed in Braunschweig 1960-05-24; an amended version was signed in Bandung 1960-06-02 "
     "(the first date is kept). Indonesia's oldest sister-city link."),
    ("Braunschweig", "renewal", "2016-02", "",
     "Joint declaration reaffirming the Bandung-Braunschweig partnership treaty",
     "", ["BDG-BRA-04"], "high",
     "Build: a signed joint declaration reaffirming the 1960 treaty and its fields of "
     "cooperation, so an instrument of kind 'renewal' (it renews the commitment; no expiry is "
     "recorded for either). 2022: a renewed MoU under current rules was discussed "
     "(BDG-BRA-12/-13) but none was found."),
    ("Fort Worth", "mou", "1990-04-02", "", "Sister-city MoU between Bandung and Fort Worth",
     "", ["BS-02"], "medium",
     "Day from a Bandung blog (mayors Ateng Wahyudi and Bob Bolen); Fort Worth gives the year "
     "1990 and marked the 35th anniversary on 2025-05-13."),
    ("Suwon", "mou", "1997-08", "", "Sister-city MoU between Bandung and Suwon", "",
     ["BS-03"], "high",
     "Month precision: Suwon's table gives 1997-08-25, a Bandung blog 1997-08-27."),
    ("Liuzhou", "agreement", "2005", "", "Sister-city agreement between Bandung and Liuzhou", "",
     ["BS-04"], "medium",
     "Build: instrument type not stated ('sister city'); recorded as 'agreement'. Year from the "
     "20th anniversary marked on 2025-04-21."),
    ("Hamamatsu", "loi", "2014-12-19", "", "Letter of Intent on inter-city exchange between "
     "Bandung and Hamamatsu", "", ["BS-06", "BDG-HAM-03"], "high",
     "Day from BDG-HAM-03 (a 2025 retrospective; a Dec 2015 post confirms an exchange agreement "
     "'concluded last year'). A 2008 blog listing Hamamatsu as a sister city from 2005/2007 "
     "conflicts with the 2009 association post describing talks still under way; the 2014 "
     "date is kept."),
    ("Hamamatsu", "mou", "2019-06-26", "", "First Bandung-Hamamatsu MoU", "",
     ["BDG-HAM-10"], "high", "Per a 2025 retrospective."),
    ("Hamamatsu", "renewal", "2025-08-11", "", "Extension of the Bandung-Hamamatsu MoU "
     "(skilled-worker training, clean-water technology)", "", ["BDG-HAM-14"], "high",
     "Signed at Balai Kota Bandung by Mayor Muhammad Farhan and Mayor Yusuke Nakano."),
    ("Kawasaki", "mou", "2016-02-18", "", "MoU on inter-city collaboration for a low-carbon, "
     "sustainable city", "environment", ["BS-16", "BDG-KAW-04"], "high",
     "An environmental-cooperation MoU, not a sister-city agreement (corrected BS-16)."),
    ("Kawasaki", "renewal", "2020-02-06", "", "New MoU on collaboration toward a sustainable "
     "city (renewal of the 2016 MoU)", "environment", ["BS-16", "BDG-KAW-08"], "high", ""),
    ("Kawasaki", "agreement", "2023-05-17", "", "Implementation Agreement for the Bandung City "
     "& Kawasaki City Gesuidou (sewerage) Project", "environment", ["BDG-KAW-09"], "high",
     "Build: signed by Kawasaki's Waterworks & Sewerage Bureau with PDAM Tirtawening and city "
     "agencies (both city bodies), witnessed by Plh Ema Sumarna: an implementing agreement of "
     "the MoU, kind 'agreement'. A three-year project; no expiry date given."),
    ("Toyota", "loi", "2017-03-23", "", "Letter of Intent between Bandung and Toyota (seven "
     "fields)", "", ["BS-17", "BDG-TOY-03"], "high",
     "Signed at Balai Kota Bandung by Ridwan Kamil and Mayor Toshihiko Ota (corrected BS-17)."),
    ("Seoul", "loi", "2015-05-20", "", "Letter of Intent on inter-city exchange between Bandung "
     "and Seoul", "", ["BS-09", "BDG-SEO-03"], "high",
     "Day from BDG-SEO-03 (signed at Seoul City Hall); BS-09 had the year. No later MoU found."),
    ("Petaling Jaya", "mou", "2015-11-27", "2020-11-27", "Sister-city MoU between Bandung and "
     "Petaling Jaya (five years)", "", ["BS-10", "BDG-PJ-01"], "high",
     "Day from BDG-PJ-01; signed for five years, so it expires 2020-11-27. No renewal found "
     "(2023: the mayor was ready to 'menyambung kembali' it)."),
    ("Namur", "mou", "2017-10-09", "", "Sister-city MoU between Bandung and Namur", "",
     ["BS-11", "BDG-NAM-02"], "high", "Signed at Namur City Hall."),
    ("Cuenca", "loi", "2017-08", "", "Letter of Intent between Bandung and Cuenca", "",
     ["BS-12", "BDG-CUE-01"], "medium",
     "Signed during the 9-11 Aug 2017 visit; the day is not given, so month precision. The "
     "MoU planned within a year was not found."),
    ("Cotabato City", "mou", "2017", "", "Sisterhood agreement between Bandung and Cotabato "
     "City", "", ["BS-13", "BDG-COT-02"], "low",
     "Year inferred from April 2017 talks planning a May 2017 visit (the report is undated, "
     "'last weekend'). BDG-COT-03 (2019) speaks of the 'sister-city LoI': the instrument's "
     "type is uncertain; the compiled 'MoU' is kept."),
    ("Melbourne", "loi", "2019-05-10", "", "Letter of Intent on a Bandung-Melbourne "
     "partnership", "", ["BS-14", "BDG-MEL-02"], "medium",
     "From the companion file, not re-verified; 2024 sources confirm an LoI in 2019. The DPRD "
     "approved the cooperation on 2023-03-30 (kept as activity BDG-MEL-07)."),
    ("Melbourne", "mou", "2024-04-22", "2028-04-22", "Memorandum of Understanding (Memorandum "
     "Saling Pengertian) between Bandung and Melbourne", "", ["BS-15", "BDG-MEL-08"], "high",
     "Dated by Melbourne's signature at Melbourne Town Hall; Pj Bambang Tirtoyuliono signed "
     "earlier in Bandung (date not given). Valid four years, renewable: expires 2028-04-22."),
]

#: Rows of bandung_sister_cities.csv that are not instruments (no date): row -> why.
OMITTED_SISTER_CITIES = {
    "BS-05": "Yingkou: listed in a 2008 budget story only; no agreement date found",
    "BS-07": "Cebu City: listed in 2008 and in Cebu's 2014 list; no agreement date found",
    "BS-08": "Bari: listed by a 2008 blog only, absent from Bari's lists; no date found",
}


def build_agreements(cases: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The signed instruments with their parties."""
    cities = read_case(cases / "bandung_sister_cities.csv").set_index("row_id")
    acts = read_case(cases / "bandung_activities.csv").set_index("row_id")
    rows, parties = [], []
    for partner, instr, signed, expires, title, sector, rests, conf, note in AGREEMENTS:
        country, _, code = PARTNERS[partner]
        agreement_id = f"BDG-{code}-{INSTRUMENT_CODES[instr]}-{signed[:4]}"
        cells = [(cities if r.startswith("BS-") else acts).loc[r, "sources"] for r in rests]
        compiled = [cities.loc[r, "status_notes"] for r in rests if r.startswith("BS-")]
        rows.append({
            "agreement_id": agreement_id, "signed": signed, "relationship_id": f"REL-BDG-{code}",
            "instrument": instr, "effective": "", "expires": expires, "ended": "",
            "end_reason": "", "title": title, "sector": sector,
            "signed_precision": iso_precision(signed),
            "expires_precision": iso_precision(expires), "confidence": conf,
            "sources": join_sources(*cells), "notes": join_notes(*compiled, note),
            "source_row_id": SEP.join(rests),
        })
        for jur, role, ctry in ((HOME, "home", "Indonesia"), (partner, "partner", country)):
            parties.append({"agreement_id": agreement_id, "jurisdiction": jur, "role": role,
                            "country": ctry})
    return pd.DataFrame(rows), pd.DataFrame(parties)


# --- activities -----------------------------------------------------------------------------

#: Compiled rows left out: row -> why (SOURCES.md lists them).
LEFT_OUT = {
    "BDG-LIU-01": "undated (start of a vocational-college student flow; no year given)",
    "BDG-KAW-10": "undated (a Kawasaki post, 'the other day', after Feb 2020; no year given)",
    "BDG-KAW-11": "undated (21st Kawasaki Eco-Business Forum; year not printed)",
    "BDG-GUM-01": "exploratory talks with Gumi and Gimcheon: no signed instrument",
    "BDG-HGZ-01": "exploratory talks with Hangzhou: no signed instrument",
    "BDG-DAE-01": "DPRD approval of a Daegu cooperation: no signed instrument found",
}

#: One compiled row about several relationships, recorded once under each: row -> partners.
SPLIT_ACTIVITIES = {"BDG-JPN-01": ["Hamamatsu", "Kawasaki", "Toyota"]}

#: Rows recording one event (NOTES-activities.md): each names the others in ``same_event_as``.
SAME_EVENT = cross_reference([
    ("BDG-BRA-03", "BDG-BRA-04"),
    ("BDG-PJ-01", "BDG-PJ-02"),
    ("BDG-PJ-04", "BDG-PJ-05"),
    ("BDG-JPN-01-HAM", "BDG-JPN-01-KAW", "BDG-JPN-01-TOY"),
])

#: Side of rows that are not visits ("home" = Bandung, "partner", "" = not said or neither
#: city), with the phrase of the compiled ``initiator_or_host`` column it rests on.
SIDES = {
    "BDG-BRA-02": "partner",  # Braunschweig winter carnival
    "BDG-BRA-04": "home",  # signed in Bandung
    "BDG-BRA-05": "partner",  # Burgpassage, Braunschweig
    "BDG-BRA-06": "partner",  # host: City of Braunschweig
    "BDG-BRA-07": "home",  # consul general meets the deputy mayor at Balai Kota
    "BDG-BRA-09": "partner",  # Braunschweig Kulturnacht
    "BDG-BRA-10": "partner",  # City of Braunschweig / KJRI Hamburg
    "BDG-BRA-11": "partner",  # Bürgerpark Braunschweig
    "BDG-BRA-12": "",  # unknown venue/format
    "BDG-BRA-13": "home",  # German ambassador received at Balai Kota
    "BDG-BRA-14": "partner",  # Braunschweig Kulturnacht (remote participation)
    "BDG-FTW-02": "partner",  # host: Fort Worth Sister Cities / Tarrant County
    "BDG-FTW-04": "home",  # youth ambassadors to Bandung
    "BDG-FTW-05": "partner",  # Fort Worth Sister Cities International
    "BDG-FTW-06": "home",  # hosted by families of SMAN 5 Bandung
    "BDG-FTW-07": "partner",  # Fort Worth Sister Cities (virtual)
    "BDG-FTW-08": "home",  # received at Balai Kota
    "BDG-FTW-09": "partner",  # hosted by Fort Worth (reception)
    "BDG-FTW-10": "partner",  # Asia Matters for America / Fort Worth Sister Cities
    "BDG-SUW-04": "",  # both cities
    "BDG-SUW-06": "",  # both cities
    "BDG-SUW-08": "home",  # Grha Sanusi, Universitas Padjadjaran, Bandung
    "BDG-SUW-09": "partner",  # host: Suwon
    "BDG-SUW-10": "partner",  # donor: Suwon City
    "BDG-SUW-11": "partner",  # host: Suwon
    "BDG-LIU-02": "partner",  # organised by Liuzhou Foreign Affairs Office
    "BDG-LIU-03": "",  # virtual meeting
    "BDG-HAM-03": "",  # unknown venue
    "BDG-HAM-04": "partner",  # embassy counsellors call on Hamamatsu's mayor
    "BDG-HAM-06": "partner",  # Hamamatsu water utility hosting PDAM staff
    "BDG-HAM-07": "home",  # Asian African Carnival, Bandung
    "BDG-HAM-10": "",  # unknown venue
    "BDG-HAM-12": "home",  # goodwill tour to Bandung
    "BDG-HAM-14": "home",  # signed at Balai Kota Bandung
    "BDG-KAW-01": "partner",  # host: Kawasaki
    "BDG-KAW-02": "home",  # in Bandung, at Bandung's request
    "BDG-KAW-03": "partner",  # Kawasaki accepts Bandung staff
    "BDG-KAW-04": "",  # unknown venue
    "BDG-KAW-05": "home",  # in Bandung
    "BDG-KAW-07": "home",  # received at Balai Kota
    "BDG-KAW-08": "",  # unknown venue
    "BDG-KAW-09": "home",  # kick-off seminar in Bandung
    "BDG-JPN-01-HAM": "home",  # Japanese ambassador received at Balai Kota
    "BDG-JPN-01-KAW": "home",
    "BDG-JPN-01-TOY": "home",
    "BDG-TOY-03": "home",  # signed at Balai Kota Bandung
    "BDG-SEO-03": "partner",  # signed at Seoul City Hall
    "BDG-SEO-06": "home",  # organised by Bandung's cooperation section
    "BDG-PJ-01": "partner",  # Petaling Jaya
    "BDG-PJ-02": "partner",  # Petaling Jaya
    "BDG-PJ-03": "partner",  # host: Petaling Jaya
    "BDG-PJ-05": "",  # a media report
    "BDG-NAM-02": "partner",  # signed at Namur City Hall
    "BDG-CUE-01": "partner",  # signed in Cuenca
    "BDG-COT-01": "",  # video call
    "BDG-COT-02": "home",  # signed at Bandung City Hall
    "BDG-COT-03": "home",  # welcomed at Balai Kota
    "BDG-COT-04": "home",  # received at Gedung Sate, Bandung
    "BDG-MEL-02": "",  # unknown venue
    "BDG-MEL-04": "partner",  # DFAT, Victoria and City of Melbourne
    "BDG-MEL-05": "partner",  # Victoria Cleantech Expo
    "BDG-MEL-06": "",  # joint event
    "BDG-MEL-07": "home",  # DPRD Kota Bandung
    "BDG-MEL-08": "partner",  # Melbourne Town Hall
    "BDG-MEL-09": "partner",  # in Melbourne
}

#: Goals the source states (only human_resources is ever stated: staff trained or "HR capacity").
OBJECTIVES = {
    "BDG-HAM-06": "human_resources",  # internships of Bandung water-company staff
    "BDG-HAM-13": "human_resources",  # "HR capacity"
    "BDG-KAW-03": "human_resources",  # training of Bandung officials in Kawasaki
    "BDG-KAW-09": "human_resources",  # training Bandung staff (sewerage project)
}

#: Head counts the source gives (the people it counts; people it names without a count, such
#: as an accompanying leader, are not added).
PARTICIPANTS = {
    "BDG-BRA-15": "4",  # four-member Bandung delegation
    "BDG-FTW-01": "4",  # acting mayor and three officials
    "BDG-FTW-04": "8",  # 7 high-school students, 1 university student (leaders not counted)
    "BDG-FTW-06": "7",  # six students and one teacher
    "BDG-FTW-08": "10",  # ten youth delegates (their leader not counted)
    "BDG-HAM-01": "18",  # 18 people
    "BDG-PJ-03": "12",  # twelve Bandung students
    "BDG-COT-03": "15",  # fifteen Cotabato students
}

ACTIVITY_NOTES = {
    "BDG-SUW-06": "AGGREGATE ROW (2014-2015, a thesis summary): weight or drop it when counting.",
    "BDG-MEL-03": "Possibly the same trip as the 2019 LoI (BDG-MEL-02); not certain, not linked.",
    "BDG-LIU-02": "Reported on 2025-04-02 as held shortly before; the compiled year is kept.",
}



def _activity_rows(acts: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Compiled rows kept (one per relationship), with their partner; the rows left out."""
    keep, left_out = [], []
    for r in acts.to_dict("records"):
        if r["row_id"] in LEFT_OUT:
            left_out.append((r["row_id"], LEFT_OUT[r["row_id"]]))
        elif r["row_id"] in SPLIT_ACTIVITIES:
            for p in SPLIT_ACTIVITIES[r["row_id"]]:
                keep.append({**r, "activity_id": f"{r['row_id']}-{p[:3].upper()}", "partner": p,
                             "note": f"Build: one meeting about three relationships "
                                     f"({', '.join(SPLIT_ACTIVITIES[r['row_id']])}); recorded "
                                     f"under each, cross-referenced in same_event_as."})
        else:
            partner = r["relationship"].removeprefix("Bandung–")
            if partner not in PARTNERS:
                raise ValueError(f"{r['row_id']}: no instrument for {partner!r} and not left out")
            keep.append({**r, "activity_id": r["row_id"], "partner": partner, "note": ""})
    return pd.DataFrame(keep), left_out


def build_activities(cases: Path, agreements: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dated activities mapped to instruments, and the audit of rows left out."""
    out, left_out = _activity_rows(read_case(cases / "bandung_activities.csv"))
    rel = out["partner"].map(lambda p: f"REL-BDG-{PARTNERS[p][2]}")
    mapped = map_to_instruments(rel, out["date"], agreements)
    ids = out["activity_id"]
    table = activity_table(
        out, mapped,
        activity_id=ids,
        relationship_id=rel,
        objective=ids.map(OBJECTIVES).fillna(""),
        participants=ids.map(PARTICIPANTS).fillna(""),
        side=[side_of(k, HOME, p, SIDES, i)
              for k, p, i in zip(out["kind"], out["partner"], ids, strict=True)],
        same_event_as=ids.map(SAME_EVENT).fillna(""),
        notes=[join_notes(d, n, ACTIVITY_NOTES.get(i, ""))
               for d, n, i in zip(out["date_note"], out["note"], ids, strict=True)],
    )
    if not (table["date_precision"] == out.loc[table.index, "date_precision"]).all():
        raise ValueError("activities: date_precision disagrees with the compiled file")
    audit = pd.DataFrame(left_out, columns=["source_row_id", "reason"])
    return table.reset_index(drop=True), audit


def last_confirmed_mayor(cases: Path, holder: str) -> str:
    """Latest day on which an activity's source names ``holder`` as the mayor at the time."""
    acts = read_case(cases / "bandung_activities.csv")
    stated = acts[(acts["mayor_source"] == "stated")
                  & acts["indonesian_mayor_at_time"].str.startswith(holder)]
    return max(stated["date"])


def build(cases: Path, out: Path) -> dict[str, pd.DataFrame]:
    """Build every table from ``cases`` and write the CSVs into ``out``."""
    cases, out = Path(cases), Path(out)
    offices = read_case(cases / "bandung_officeholders.csv")
    incumbent = offices.loc[offices["end_date"] == "", "holder_romanized"].iloc[-1]
    terms = build_terms(cases, last_confirmed_mayor(cases, incumbent))
    agreements, parties = build_agreements(cases)
    activities, audit = build_activities(cases, agreements)
    tables = {"terms": terms, "agreements": agreements, "parties": parties,
              "activities": activities}
    write_tables(tables, out)
    tables["left_out_activities"] = audit
    return tables


def main(argv: list[str] | None = None) -> int:
    return run_cli(__doc__, build, DEFAULT_CASES, DEFAULT_OUT, "bandung_activities.csv", argv)


if __name__ == "__main__":
    sys.exit(main())
