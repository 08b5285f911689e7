"""Rendering a built report as one self-contained HTML page.

Everything the page needs is inside it: styles inline, figures as inline SVG, no script and
nothing fetched from a network. Every string that comes from the data is escaped.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from continuity.report._model import Figure, Paragraph, Report, Section, Table
from continuity.report._text import column_label

__all__ = ["render_html"]

_CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #1a1a1a;
       max-width: 1100px; margin: 0 auto; padding: 1.5rem 1rem 3rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1b4f72; padding-bottom: 0.2rem;
     margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
p, li { max-width: 75ch; overflow-wrap: anywhere; }
.meta { color: #555; font-size: 0.9rem; }
.lead { font-size: 1rem; }
.note { color: #444; font-size: 0.9rem; }
nav ol { columns: 2; font-size: 0.95rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.9rem; color: #333; margin-top: 0.3rem; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.6rem 0; }
.caption { font-weight: bold; margin: 1rem 0 0.2rem; }
th, td { border-bottom: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left;
         vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { background: #eef2f5; }
@media print { nav { display: none; } figure, table { break-inside: avoid; } }
@media (max-width: 600px) { body { padding: 0.8rem 0.5rem; } nav ol { columns: 1; } }
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _cell(value: object) -> tuple[str, bool]:
    """A table cell's text, and whether it is a number (right-aligned)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–", False
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no"), False
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d"), False
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}", True
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if np.isfinite(v) and v == int(v) and abs(v) < 1e15:  # inf: a normal df
            return f"{int(v):,}", True
        return (f"{v:.3g}" if abs(v) < 1e-3 or abs(v) >= 1e4 else f"{v:.3f}"), True
    return str(value), False


def _table(block: Table, lang: str) -> str:
    df = block.frame
    head = "".join(f"<th scope=\"col\">{_esc(column_label(c, lang))}</th>" for c in df.columns)
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for v in rec:
            text, num = _cell(v)
            cls = " class=\"num\"" if num else ""
            cells.append(f"<td{cls}>{_esc(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = f"<p class=\"note\">{_esc(block.note)}</p>" if block.note else ""
    return (f"<p class=\"caption\">{_esc(block.caption)}</p>"
            f"<div class=\"scroll\"><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>{note}")


def _figure(block: Figure) -> str:
    svg = re.sub(r"^.*?(<svg)", r"\1", block.svg, count=1, flags=re.S)  # drop the XML prolog
    svg = svg.replace("<svg ", f"<svg role=\"img\" aria-label=\"{_esc(block.caption)}\" ", 1)
    return f"<figure>{svg}<figcaption>{_esc(block.caption)}</figcaption></figure>"


def _section(section: Section, lang: str) -> str:
    parts = [f"<section id=\"{_esc(section.key)}\"><h2>{_esc(section.title)}</h2>"]
    if section.lead:
        parts.append(f"<p class=\"lead\">{_esc(section.lead)}</p>")
    for block in section.blocks:
        if isinstance(block, Table):
            parts.append(_table(block, lang))
        elif isinstance(block, Figure):
            parts.append(_figure(block))
        elif isinstance(block, Paragraph):
            tag = "h3" if block.heading else "p"
            parts.append(f"<{tag}>{_esc(block.text)}</{tag}>")
    parts.append("</section>")
    return "".join(parts)


def render_html(report: Report) -> str:
    """The report as one HTML document (a string)."""
    nav = "".join(f"<li><a href=\"#{_esc(s.key)}\">{_esc(s.title)}</a></li>"
                  for s in report.sections)
    meta = "<br>".join(_esc(line) for line in report.meta)
    body = "".join(_section(s, report.lang) for s in report.sections)
    return (f"<!DOCTYPE html><html lang=\"{_esc(report.lang)}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_esc(report.title)}</title><style>{_CSS}</style></head><body>"
            f"<header><h1>{_esc(report.title)}</h1><p class=\"meta\">{meta}</p></header>"
            f"<nav><ol>{nav}</ol></nav><main>{body}</main></body></html>\n")
