"""Figures of a study and of its results, drawn with matplotlib (the ``plot`` extra).

Every function takes ``ax=`` (a matplotlib Axes; a new figure when omitted) and returns the Axes,
so figures compose in a notebook and in the report. matplotlib is imported when a function is
called, never by ``import continuity``. The styles survive greyscale printing: kinds of office are
told apart by hatching as well as by shade, and curves by line style as well as by colour.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import continuity as ct
>>> from continuity import plotting
>>> study = ct.datasets.load_solo()
>>> ax = plotting.plot_timeline(study)
>>> ax.get_title(loc="left")
'Instruments and the leadership terms of each party'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from continuity.errors import DependencyError, OptionError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from continuity.study import Study

__all__ = [
    "plot_curves",
    "plot_dormancy",
    "plot_estimates",
    "plot_timeline",
]

#: Shade and hatch of each kind of term: elected and appointed leaders solid, acting officials
#: and caretakers hatched, vacancies empty.
_TERM_STYLE = {
    "elected": ("#4d4d4d", ""),
    "appointed": ("#4d4d4d", ""),
    "acting": ("#bdbdbd", "////"),
    "caretaker": ("#d9d9d9", "xxx"),
    "vacancy": ("#ffffff", "...."),
}
#: Colours that stay distinct in greyscale (dark, middle, light), paired with line styles.
_SERIES = [("#1b4f72", "-"), ("#b9770e", "--"), ("#7d3c98", ":"), ("#117a65", "-.")]
_INSTRUMENT_COLOUR = "#1b4f72"


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:  # pragma: no cover - the plot extra is installed in the tests
        raise DependencyError("continuity.plotting needs matplotlib: "
                              "python -m pip install 'continuity[plot]'") from err
    return plt


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    _, new = _pyplot().subplots(figsize=size, layout="constrained")
    return new


def _num(values: Any) -> np.ndarray:
    """Dates as matplotlib date numbers (days since 1970-01-01)."""
    days = pd.to_datetime(pd.Series(values)).to_numpy().astype("datetime64[D]")
    return days.astype(float)


# --- the timeline ------------------------------------------------------------------------------
def _fuzzy_ranges(study: Study) -> pd.DataFrame:
    """Earliest and latest day of every term boundary, from the two extreme resolutions."""
    lo = study.resolve_dates("earliest").leadership_terms()
    hi = study.resolve_dates("latest").leadership_terms()
    keys = ["term_id"]
    out = lo[[*keys, "start", "end"]].merge(hi[[*keys, "start", "end"]], on=keys,
                                             suffixes=("_lo", "_hi"))
    return out.set_index("term_id")


def _chars_that_fit(ax: Axes, days: float, fontsize: float = 7) -> int:
    """How many characters of a label fit in a bar ``days`` long, at the axes' current size."""
    lo, hi = ax.get_xlim()
    width_pt = ax.get_window_extent().width * 72 / ax.figure.dpi
    return int(days / (hi - lo) * width_pt / (0.62 * fontsize))


def _draw_terms(ax: Axes, terms: pd.DataFrame, y: float, end: pd.Timestamp,
                ranges: pd.DataFrame) -> None:
    for row in terms.itertuples(index=False):
        stop = row.end if pd.notna(row.end) else end
        x0, x1 = _num([row.start, stop])
        shade, hatch = _TERM_STYLE.get(row.kind, _TERM_STYLE["elected"])
        ax.broken_barh([(x0, max(x1 - x0, 1.0))], (y - 0.35, 0.7), facecolors=shade,
                       edgecolor="black", linewidth=0.4, hatch=hatch)
        room = _chars_that_fit(ax, x1 - x0) - 1
        if room >= 4 and row.kind != "vacancy":
            ax.text((x0 + x1) / 2, y, _short(row.holder, room), ha="center", va="center",
                    fontsize=7, color="white" if shade == "#4d4d4d" else "black", clip_on=True)
        if row.term_id in ranges.index:
            r = ranges.loc[row.term_id]
            lo, hi = _num([r["start_lo"], r["start_hi"]])
            if hi > lo:  # a start known only to the month or year: its range as a whisker
                ax.plot([lo, hi], [y + 0.42, y + 0.42], color="black", linewidth=1.2)


def _short(name: str, limit: int = 18) -> str:
    name = str(name)
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _draw_changes(ax: Axes, transitions: pd.DataFrame, y: float) -> None:
    changes = transitions[transitions["leader_change"].fillna(False).astype(bool)]
    if len(changes):
        ax.plot(_num(changes["date"]), np.full(len(changes), y - 0.5), linestyle="none",
                marker="^", markersize=4, color="black")


def _instrument_rows(study: Study) -> pd.DataFrame:
    """Instruments observed by ``as_of`` with their entry and formal end (the library's rule)."""
    from continuity.lifetimes import entry, formal_end
    from continuity.metrics._views import observed_agreements

    ag = observed_agreements(study)
    out = pd.DataFrame({"agreement_id": ag["agreement_id"], "relationship_id":
                        ag["relationship_id"], "instrument": ag["instrument"],
                        "entry": entry(ag), "end": formal_end(ag, study.as_of)})
    return out.sort_values(["relationship_id", "entry"], kind="stable").reset_index(drop=True)


def _draw_instruments(ax: Axes, study: Study, rows: pd.DataFrame, base: float) -> list[str]:
    acts = study.activities
    labels = []
    for k, row in enumerate(rows.itertuples(index=False)):
        y = base + k
        stop = row.end if pd.notna(row.end) else study.as_of
        x0, x1 = _num([row.entry, stop])
        ax.broken_barh([(x0, max(x1 - x0, 1.0))], (y - 0.2, 0.4), facecolors=_INSTRUMENT_COLOUR,
                       edgecolor="black", linewidth=0.4)
        if pd.isna(row.end):  # formally alive at as_of: an open end
            ax.plot([x1], [y], marker=">", color=_INSTRUMENT_COLOUR, markersize=5)
        if acts is not None:
            mine = acts[acts["agreement_id"] == row.agreement_id]
            statement = mine.get("kind", pd.Series(index=mine.index, dtype=object)).eq("statement")
            ax.plot(_num(mine.loc[~statement, "date"]), np.full(int((~statement).sum()), y),
                    linestyle="none", marker="o", markersize=4, markerfacecolor="white",
                    markeredgecolor="black")
            ax.plot(_num(mine.loc[statement, "date"]), np.full(int(statement.sum()), y),
                    linestyle="none", marker="x", markersize=5, color="black")
        kind = f" ({row.instrument})" if isinstance(row.instrument, str) else ""
        labels.append(_short(row.agreement_id, 26) + kind)
    return labels


def _chosen(study: Study, instruments: Sequence[str] | None, limit: int
            ) -> tuple[pd.DataFrame, int]:
    """The instruments to draw (the first ``limit`` by relationship and entry, unless named),
    and how many are left out."""
    rows = _instrument_rows(study)
    if instruments is not None:
        unknown = sorted(set(instruments) - set(rows["agreement_id"]))
        if unknown:
            raise OptionError(f"plot_timeline: instruments {unknown} are not in the study (or "
                              "not signed by as_of)")
        rows = rows[rows["agreement_id"].isin(list(instruments))].reset_index(drop=True)
        return rows, 0
    return rows.head(limit), max(len(rows) - limit, 0)


def plot_timeline(study: Study, *, ax: Axes | None = None,
                  instruments: Sequence[str] | None = None, max_instruments: int = 40,
                  title: str | None = "Instruments and the leadership terms of each party") -> Axes:
    """Instruments and their activities against the leadership terms of every party.

    One lane per jurisdiction with leadership terms (solid: elected or appointed; hatched:
    acting officials and caretakers; dotted: vacancies), leader changes marked with a triangle
    under the lane, and a whisker over a term whose start is known only to the month or year
    (its range between the earliest and the latest resolution); the parties whose leaders are
    not in the record share one lane that names them. Below, one bar per instrument from its
    entry into force to its formal end (an arrow when it still runs at ``as_of``), with its
    activities as open circles and statements about its state as crosses. A dashed line marks
    ``as_of``.

    Parameters
    ----------
    study : Study
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the study when omitted.
    instruments : sequence of str, optional
        The agreement ids to draw, with their parties; by default the first
        ``max_instruments`` in order of relationship and entry.
    max_instruments : int, default 40
        More bars than this are not readable; the figure says how many were left out.
    title : str or None
        The title; None for none.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import continuity as ct
    >>> ax = ct.plotting.plot_timeline(ct.datasets.load_solo())
    >>> [t.get_text() for t in ax.get_yticklabels()][:4]
    ['Surakarta', "Xi'an", 'Zhuhai', 'no leadership record']
    """
    rows, left_out = _chosen(study, instruments, max_instruments)
    lead = study.leadership_terms()
    parties = study.parties[study.parties["agreement_id"].isin(rows["agreement_id"])]
    named = sorted(parties["jurisdiction"].unique())
    known = [j for j in named if (lead["jurisdiction"] == j).any()]
    unknown = [j for j in named if j not in known]
    lanes = known + (["no leadership record"] if unknown else [])
    ax = _axes(ax, (11, 1.4 + 0.45 * (len(lanes) + len(rows))))
    ranges = _fuzzy_ranges(study)
    transitions = study.transitions()
    _set_span(ax, study, lead)
    for y, j in enumerate(known):
        _draw_terms(ax, lead[lead["jurisdiction"] == j], y, study.as_of, ranges)
        _draw_changes(ax, transitions[transitions["jurisdiction"] == j], y)
    if unknown:
        ax.text(ax.get_xlim()[0], len(known), "  " + _short(", ".join(unknown), 150)
                + " (exposure unknown)", va="center", fontsize=7, style="italic",
                color="#555555")
    labels = _draw_instruments(ax, study, rows, len(lanes) + 0.5)
    ax.axvline(_num([study.as_of])[0], color="black", linestyle="--", linewidth=0.8)
    ticks = list(range(len(lanes))) + [len(lanes) + 0.5 + k for k in range(len(rows))]
    ax.set_yticks(ticks, lanes + labels, fontsize=8)
    ax.set_ylim(ticks[-1] + 0.8, -0.9)  # top to bottom, with room above the first lane
    ax.xaxis_date()
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.5)
    ax.set_axisbelow(True)
    _timeline_legend(ax)
    if left_out:
        ax.text(1.0, 1.005, f"first {len(rows)} instruments shown, {left_out} more left out "
                "(instruments= chooses which)", transform=ax.transAxes, fontsize=7,
                style="italic", ha="right", va="bottom")
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    return ax


def _set_span(ax: Axes, study: Study, lead: pd.DataFrame) -> None:
    """Fix the time axis first, so that labels can be fitted to their bars."""
    first = min(lead["start"].min(), study.agreements["signed"].min())
    lo, hi = _num([first, study.as_of])
    pad = 0.02 * (hi - lo)
    ax.set_xlim(lo - pad, hi + pad)


def _timeline_legend(ax: Axes) -> None:
    from matplotlib.artist import Artist
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = [Patch(facecolor=_TERM_STYLE[k][0], hatch=_TERM_STYLE[k][1],
                                   edgecolor="black",
                     linewidth=0.4, label=label)
               for k, label in [("elected", "leader"), ("acting", "acting"),
                                ("caretaker", "caretaker"), ("vacancy", "vacancy")]]
    handles += [
        Line2D([], [], marker="^", linestyle="none", color="black", label="leader change"),
        Patch(facecolor=_INSTRUMENT_COLOUR, label="instrument in force"),
        Line2D([], [], marker="o", linestyle="none", markerfacecolor="white",
               markeredgecolor="black", label="activity"),
        Line2D([], [], marker="x", linestyle="none", color="black", label="statement"),
        Line2D([], [], linestyle="--", color="black", linewidth=0.8, label="as_of"),
    ]
    height = ax.get_window_extent().height / ax.figure.dpi  # inches: keep the gap ~0.45 in
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.45 / height),
              ncol=5, fontsize=7, frameon=False)


# --- curves ------------------------------------------------------------------------------------
def _groups(df: pd.DataFrame, by: str | Sequence[str] | None) -> list[tuple[str, pd.DataFrame]]:
    if by is None:
        return [("all", df)]
    cols = [by] if isinstance(by, str) else list(by)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise OptionError(f"plot_curves: by names columns the table does not have: {missing}; "
                          f"it has {list(df.columns)}")
    return [(", ".join(map(str, key if isinstance(key, tuple) else (key,))), g)
            for key, g in df.groupby(cols, sort=True, dropna=False)]


def _step(ax: Axes, g: pd.DataFrame, colour: str, style: str, label: str, start: float) -> None:
    t = np.concatenate([[0.0], g["time"].to_numpy(float)])
    y = np.concatenate([[start], g["estimate"].to_numpy(float)])
    ax.step(t, y, where="post", color=colour, linestyle=style, linewidth=1.4, label=label)
    if {"conf_low", "conf_high"} <= set(g.columns):
        lo = np.concatenate([[start], g["conf_low"].to_numpy(float)])
        hi = np.concatenate([[start], g["conf_high"].to_numpy(float)])
        ax.fill_between(t, lo, hi, step="post", color=colour, alpha=0.15, linewidth=0)


def plot_curves(curves: pd.DataFrame, *, by: str | Sequence[str] | None = None,
                ax: Axes | None = None, kind: str = "survival", at_risk: bool = True,
                time_unit: str = "days", title: str | None = None) -> Axes:
    """Step curves with their confidence bands: Kaplan-Meier or cumulative incidence.

    Parameters
    ----------
    curves : pandas.DataFrame
        A curve table as :func:`continuity.kaplan_meier` returns it: ``time``, ``estimate``,
        optionally ``conf_low``, ``conf_high``, ``n_at_risk`` and group columns.
    by : str or list of str, optional
        Group columns; one curve per group, told apart by colour and line style.
    ax : matplotlib Axes, optional
    kind : {"survival", "incidence"}
        A survival curve starts at 1, a cumulative incidence at 0.
    at_risk : bool
        Write the numbers at risk under the axis at five evenly spaced times.
    time_unit : str
        The label of the time axis.
    title : str, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import continuity as ct
    >>> sim = ct.simulate.simulate_study(200, 10, seed=1)
    >>> km = ct.kaplan_meier(sim.episodes(window=365), by="post_change")
    >>> ax = ct.plotting.plot_curves(km, by="post_change")
    >>> bool(ax.get_ylim()[1] <= 1.05)
    True
    """
    if kind not in ("survival", "incidence"):
        raise OptionError(f"plot_curves: kind must be one of 'survival', 'incidence', not {kind!r}")
    ax = _axes(ax, (7, 4.2))
    start = 1.0 if kind == "survival" else 0.0
    groups = _groups(curves, by)
    for k, (label, g) in enumerate(groups):
        colour, style = _SERIES[k % len(_SERIES)]
        _step(ax, g.sort_values("time"), colour, style, label, start)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel(f"time ({time_unit})")
    ax.set_ylabel("share still alive" if kind == "survival" else "cumulative incidence")
    if by is not None:
        ax.legend(fontsize=8, frameon=False, title=by if isinstance(by, str) else None)
    if at_risk and "n_at_risk" in curves.columns:
        _at_risk_rows(ax, groups)
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    ax.grid(color="#e0e0e0", linewidth=0.5)
    return ax


def _at_risk_rows(ax: Axes, groups: list[tuple[str, pd.DataFrame]]) -> None:
    t_max = max(float(g["time"].max()) for _, g in groups if len(g)) if groups else 0.0
    marks = np.linspace(0, t_max, 5)
    for k, (label, g) in enumerate(groups):
        g = g.sort_values("time")
        times, risk = g["time"].to_numpy(float), g["n_at_risk"].to_numpy()
        counts = []
        for m in marks:  # at risk at m: the first row at or after m (risk sets only shrink there)
            i = np.searchsorted(times, m, side="left")
            counts.append(str(int(risk[i])) if i < len(risk) else "0")
        y = -0.22 - 0.07 * k
        ax.text(-0.05, y, f"{label}", transform=ax.transAxes, ha="right", va="center",
                fontsize=7)
        for m, c in zip(marks, counts, strict=False):
            ax.text(m / t_max if t_max else 0, y, c, transform=ax.transAxes, ha="center",
                    va="center", fontsize=7)
    ax.text(-0.05, -0.15, "at risk", transform=ax.transAxes, ha="right", fontsize=7,
            style="italic")


# --- estimates with intervals ------------------------------------------------------------------
def plot_estimates(table: pd.DataFrame, *, x: str, ax: Axes | None = None,
                   reference: float | None = 1.0, log: bool = True,
                   xlabel: str | None = None, ylabel: str = "estimate",
                   title: str | None = None) -> Axes:
    """Point estimates with their intervals against a position or a label.

    For an event-study path (rate ratios by period relative to a leader change), an activity
    rate per administration, or any tidy result with ``estimate``, ``conf_low`` and
    ``conf_high``.

    Parameters
    ----------
    table : pandas.DataFrame
        With ``estimate``, ``conf_low``, ``conf_high`` and the column ``x``.
    x : str
        The column placed along the horizontal axis: numbers (a relative period) are placed at
        their value, anything else in the order of the table.
    ax : matplotlib Axes, optional
    reference : float or None
        A horizontal reference line (1 for ratios); None for none.
    log : bool
        A logarithmic vertical axis (right for ratios).
    xlabel, ylabel, title : str, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from continuity.plotting import plot_estimates
    >>> path = pd.DataFrame({"relative_period": [-2, -1, 0, 1], "estimate": [1.0, 1.1, 0.6, 0.7],
    ...                      "conf_low": [0.7, 0.8, 0.4, 0.5], "conf_high": [1.4, 1.5, 0.9, 1.0]})
    >>> ax = plot_estimates(path, x="relative_period")
    >>> len(ax.lines) >= 1
    True
    """
    missing = [c for c in (x, "estimate", "conf_low", "conf_high") if c not in table.columns]
    if missing:
        raise OptionError(f"plot_estimates: the table has no column {missing}; it has "
                          f"{list(table.columns)}")
    ax = _axes(ax, (7, 3.8))
    numeric = pd.api.types.is_numeric_dtype(table[x])
    pos = table[x].to_numpy(float) if numeric else np.arange(len(table), dtype=float)
    est = table["estimate"].to_numpy(float)
    lo, hi = table["conf_low"].to_numpy(float), table["conf_high"].to_numpy(float)
    ok = np.isfinite(est)
    ax.errorbar(pos[ok], est[ok], yerr=[est[ok] - lo[ok], hi[ok] - est[ok]], fmt="o",
                color=_SERIES[0][0], ecolor="black", elinewidth=1, capsize=3, markersize=5)
    if reference is not None:
        ax.axhline(reference, color="black", linestyle="--", linewidth=0.8)
    if log and (est[ok] > 0).all() and (lo[ok] > 0).all():
        ax.set_yscale("log")
    if not numeric:
        ax.set_xticks(pos, [_short(v, 30) for v in table[x].astype(str)], rotation=30,
                      ha="right", fontsize=8)
    ax.set_xlabel(xlabel if xlabel is not None else x)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.5)
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    return ax


# --- dormancy over time ------------------------------------------------------------------------
def plot_dormancy(study: Study, *, thresholds: Sequence[int] = (365, 730, 1095),
                  ax: Axes | None = None, title: str | None = None) -> Axes:
    """Days since the last sign of life of each relationship, over calendar time.

    A sawtooth per relationship: it climbs one day a day from the relationship's entry or its
    last activity and drops to zero at each activity; horizontal lines mark the dormancy
    thresholds, so the stretches above a line are the spells a relationship spent dormant at
    that threshold. Statements about a relationship's state are not signs of life.

    Parameters
    ----------
    study : Study
    thresholds : sequence of int
        Dormancy thresholds in days, drawn as horizontal lines.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import continuity as ct
    >>> ax = ct.plotting.plot_dormancy(ct.datasets.load_solo())
    >>> len(ax.get_legend().get_texts()) >= 2
    True
    """
    ax = _axes(ax, (9, 3.8))
    rows = _instrument_rows(study)
    top = 0.0
    for k, (rel, g) in enumerate(rows.groupby("relationship_id", sort=True)):
        days = _signs_of_life(study, g)
        colour, style = _SERIES[k % len(_SERIES)]
        t, y = _sawtooth(days, _num([study.as_of])[0])
        ax.plot(t, y / 30.4375, color=colour, linestyle=style, linewidth=1.2, label=str(rel))
        top = max(top, float(y.max(initial=0.0)) / 30.4375)
    for th in thresholds:
        ax.axhline(th / 30.4375, color="black", linestyle=":", linewidth=0.7)
        ax.text(1.0, th / 30.4375, f" {th / 30.4375:.0f} months",
                transform=ax.get_yaxis_transform(), fontsize=7, va="center")
    limit = 2.5 * max(thresholds, default=730) / 30.4375
    ax.set_ylim(0, min(max(top, 1.0) * 1.05, limit))
    if top > limit:
        ax.text(0.01, 0.98, "cut at the top: longer silences run off the chart",
                transform=ax.transAxes, fontsize=7, va="top", style="italic")
    ax.xaxis_date()
    ax.set_ylabel("months since last sign of life")
    ax.legend(fontsize=7, frameon=False, ncol=2)
    ax.grid(color="#e0e0e0", linewidth=0.5)
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    return ax


def _signs_of_life(study: Study, instruments: pd.DataFrame) -> np.ndarray:
    """Day numbers of a relationship's instrument entries and of its counted activities."""
    from continuity.metrics._views import counted_activities, observed_agreements

    ag = observed_agreements(study)
    acts = counted_activities(study, ag[ag["agreement_id"].isin(instruments["agreement_id"])]
                              .reset_index(drop=True))
    every = pd.concat([instruments["entry"], acts["date"]]).dropna()
    return np.unique(_num(every[every <= study.as_of]))


def _sawtooth(days: np.ndarray, end: float) -> tuple[np.ndarray, np.ndarray]:
    t, y = [], []
    for start, stop in zip(days, np.append(days[1:], end), strict=False):
        t += [start, stop]
        y += [0.0, stop - start]
    return np.asarray(t), np.asarray(y)
