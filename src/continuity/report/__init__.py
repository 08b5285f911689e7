"""The evaluation report: one self-contained HTML page and the tables behind it.

:func:`build_report` computes the sections from the public API; :func:`write_report` writes
``report.html`` (figures inline as SVG, styles inline, nothing fetched from a network) and every
table as CSV beside it. The command line's ``continuity report`` calls :func:`write_report`.

Examples
--------
>>> import tempfile, matplotlib
>>> matplotlib.use("Agg")
>>> import continuity as ct
>>> from continuity.report import write_report
>>> out = write_report(ct.datasets.load_solo(), tempfile.mkdtemp(), focal="Surakarta")
>>> out.name
'report.html'
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from continuity._options import Lang, TableFormat, check_literal
from continuity.errors import OptionError, WriteError
from continuity.export import write_table
from continuity.report._html import render_html
from continuity.report._model import Figure, Paragraph, Report, Section, Table
from continuity.report._sections import SECTIONS, Context
from continuity.report._text import say
from continuity.study import Study

__all__ = ["Figure", "Paragraph", "Report", "Section", "Table", "build_report", "common_party",
           "data_digest",
           "render_html", "write_report"]


def data_digest(study: Study) -> str:
    """SHA-256 of the study's tables and settings, so a figure can be traced to its data.

    The tables are hashed as CSV text in a fixed order, with ``as_of`` and the offices, so the
    same data give the same digest on any machine.

    Examples
    --------
    >>> import continuity as ct
    >>> len(data_digest(ct.datasets.load_solo()))
    64
    """
    h = hashlib.sha256()
    h.update(f"as_of={study.as_of.date()};offices={sorted(study.offices.items())}".encode())
    for name in ("terms", "agreements", "parties", "activities", "targets"):
        df = getattr(study, name)
        if df is not None:
            h.update(name.encode())
            h.update(df.to_csv(index=False, lineterminator="\n").encode())
    return h.hexdigest()


def common_party(study: Study) -> str | None:
    """The one jurisdiction that is a party to every instrument (the city whose registry it
    is), or None when there is no such single jurisdiction.

    Examples
    --------
    >>> import continuity as ct
    >>> common_party(ct.datasets.load_solo())
    'Surakarta'
    """
    parties = study.parties
    n = parties["agreement_id"].nunique()
    counts = parties.drop_duplicates(["agreement_id", "jurisdiction"])["jurisdiction"] \
        .value_counts()
    every = counts[counts == n].index.tolist()
    return every[0] if len(every) == 1 else None


def _progress(steps: Iterable[Any], total: int) -> Iterable[Any]:
    """A progress bar on a terminal (tqdm, when installed), nothing when piped."""
    if not sys.stderr.isatty():
        return steps
    try:
        from tqdm import tqdm
    except ImportError:
        return steps
    return tqdm(steps, total=total, desc="report", unit="section", file=sys.stderr)


def build_report(study: Study, *, lang: str = "en", focal: str | None = None,
                 name: str | None = None) -> Report:
    """Compute every section of the evaluation report.

    Parameters
    ----------
    study : Study
    lang : {"en", "id"}
        The language of the report's own words (the data stay as they are).
    focal : str, optional
        The jurisdiction whose evaluation this is (its side is "own"); by default the one
        jurisdiction that is a party to every instrument (:func:`common_party`), if there is
        one.
    name : str, optional
        What the title calls the study; default: the focal jurisdiction, or "the study".

    Returns
    -------
    Report
        ``sections`` in order: at a glance, timeline, continuity, robustness, sources.
    """
    from continuity import __version__

    lang = check_literal(lang, Lang, "lang", "build_report")
    if focal is not None and focal not in set(study.parties["jurisdiction"]):
        raise OptionError(f"build_report: focal {focal!r} is not a party of the study; give one "
                          f"of {sorted(set(study.parties['jurisdiction']))}")
    focal = focal if focal is not None else common_party(study)
    ctx = Context(study, lang, focal)
    sections = [build(ctx) for build in _progress(SECTIONS, len(SECTIONS))]
    n_fuzzy = int(study.summary()["fuzzy_dates"].sum())
    meta = [
        say(lang, "meta_asof", as_of=study.as_of.date(),
            source=say(lang, study.as_of_source), focal=focal or say(lang, "none")),
        say(lang, "meta_version", version=__version__, digest=data_digest(study)),
        say(lang, "meta_rule", n_fuzzy=n_fuzzy),
    ]
    title = say(lang, "title", name=name or focal or "the study")
    return Report(title, lang, meta, sections)


def write_report(study: Study, out: str | Path, *, lang: str = "en", focal: str | None = None,
                 name: str | None = None, force: bool = False, format: str = "csv") -> Path:
    """Write ``report.html`` and the tables behind it into the folder ``out``.

    Parameters
    ----------
    study : Study
    out : str or Path
        The output folder; created when missing. A folder that is not empty is refused unless
        ``force=True``.
    lang, focal, name
        As for :func:`build_report`.
    force : bool
        Write into a non-empty folder (files of the same names are replaced).
    format : {"csv", "parquet"}
        The format of the tables written to ``out/tables/`` (CSV cells that a spreadsheet would
        run as formulas are neutralised; Parquet needs the ``parquet`` extra).

    Returns
    -------
    Path
        The path of ``report.html``.

    Raises
    ------
    WriteError
        When ``out`` is a file, or a non-empty folder without ``force``, or cannot be written.
    """
    out = Path(out)
    check_literal(format, TableFormat, "format", "write_report")
    if out.exists() and not out.is_dir():
        raise WriteError(f"write_report: {out} is a file; give a folder for the report")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise WriteError(f"write_report: {out} is not empty; give an empty or new folder, or "
                         "force=True (--force) to write into it")
    report = build_report(study, lang=lang, focal=focal, name=name)
    for table_name, frame in report.tables().items():
        write_table(frame, out / "tables" / f"{table_name}.{format}", format)
    path = out / "report.html"
    try:
        path.write_text(render_html(report), encoding="utf-8")
    except OSError as exc:
        raise WriteError(f"{path}: cannot be written ({exc.strerror or exc})") from exc
    return path
