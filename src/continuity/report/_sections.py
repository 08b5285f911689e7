"""The sections of the evaluation report, each built from the public API of continuity."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd

from continuity import metrics
from continuity._options import Event
from continuity.errors import ValidationError
from continuity.report._model import Figure, Paragraph, Section, Table
from continuity.report._text import say
from continuity.study import Study
from continuity.survival import kaplan_meier

__all__ = ["SECTIONS", "Context"]

_DORMANCY = 730
_WINDOW = 365


@dataclass(frozen=True)
class Context:
    """What every section builder needs: the study, the language and the focal jurisdiction."""

    study: Study
    lang: str
    focal: str | None
    conf_level: float = 0.95

    def say(self, key: str, **values: object) -> str:
        return say(self.lang, key, **values)

    @property
    def conf(self) -> str:
        return f"{self.conf_level:.0%}"

    @property
    def event(self) -> Event:
        """The de facto end where activities are recorded, else the formal end only."""
        return "formal" if self.study.activities is None else "dormant"


def _svg(ax) -> str:
    import matplotlib.pyplot as plt

    fig = ax.figure
    buf = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "continuity"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


# --- at a glance -------------------------------------------------------------------------------
def _parties(study: Study) -> pd.DataFrame:
    lead = study.leadership_terms()
    admins = study.administrations()
    changes = study.transitions()
    rows = []
    for j in sorted(study.parties["jurisdiction"].unique()):
        t = lead[lead["jurisdiction"] == j]
        known = len(t) > 0
        rows.append({
            "jurisdiction": j,
            "office": study.offices.get(j),
            "terms": len(t),
            "administrations": int((admins["jurisdiction"] == j).sum()) if known else pd.NA,
            "leader_changes": int(changes.loc[changes["jurisdiction"] == j,
                                              "leader_change"].fillna(False).sum())
            if known else pd.NA,
            "record_from": t["start"].min() if known else pd.NaT,
            "record_to": (t["end"].max() if t["end"].notna().all() else study.as_of)
            if known else pd.NaT,
        })
    return pd.DataFrame(rows)


def _instruments(study: Study) -> pd.DataFrame:
    from continuity.lifetimes import entry, formal_end
    from continuity.metrics._views import counted_activities, observed_agreements

    ag = observed_agreements(study)
    counts = counted_activities(study, ag).groupby("agreement_id").size()
    return pd.DataFrame({
        "agreement_id": ag["agreement_id"],
        "relationship_id": ag["relationship_id"],
        "instrument": ag["instrument"],
        "signed": ag["signed"],
        "entry": entry(ag),
        "formal_end": formal_end(ag, study.as_of),
        "n_activities": ag["agreement_id"].map(counts).fillna(0).astype("int64"),
    })


def glance(ctx: Context) -> Section:
    s = ctx.study
    parties, inst = _parties(s), _instruments(s)
    lead = ctx.say("glance_lead", n_parties=len(parties), n_instruments=len(inst),
                   n_rel=inst["relationship_id"].nunique(),
                   n_activities=0 if s.activities is None else len(s.activities),
                   n_changes=int(pd.to_numeric(parties["leader_changes"]).sum()),
                   as_of=s.as_of.date())
    return Section("glance", ctx.say("glance"), lead, [
        Table("parties", ctx.say("glance_parties"), parties, ctx.say("glance_parties_note")),
        Table("instruments", ctx.say("glance_instruments"), inst),
    ])


def timeline(ctx: Context) -> Section:
    from continuity.plotting import plot_timeline

    ax = plot_timeline(ctx.study, title=None)
    return Section("timeline", ctx.say("timeline"), ctx.say("timeline_lead"),
                   [Figure(ctx.say("timeline_caption"), _svg(ax))])


# --- continuity --------------------------------------------------------------------------------
def _survival_blocks(ctx: Context) -> list:
    from continuity.plotting import plot_curves

    s, months = ctx.study, _DORMANCY // 30
    across = metrics.survival_across_administrations(s, event=ctx.event)
    ep = s.episodes(level="relationship", event=ctx.event, dormancy=_DORMANCY)
    km = kaplan_meier(ep, conf_level=ctx.conf_level)
    ax = plot_curves(km, time_unit="days since entry")
    return [
        Paragraph(ctx.say("survival_head"), heading=True),
        Paragraph(ctx.say("survival_text", conf=ctx.conf)),
        Table("survival_across_administrations", ctx.say("survival_caption"), across),
        Figure(ctx.say("km_caption", dormancy_months=months, conf=ctx.conf), _svg(ax)),
    ]


def _hazard_blocks(ctx: Context) -> list:
    blocks: list = [Paragraph(ctx.say("hazard_head"), heading=True),
                    Paragraph(ctx.say("hazard_text", window=_WINDOW))]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a fit that does not converge is shown as it is
            hr = metrics.transition_hazard_ratio(ctx.study, event=ctx.event, window=_WINDOW,
                                                 n_placebo=200, seed=1)
    except ValidationError as err:  # the data cannot give this estimate: the reader is told why
        return [*blocks, Paragraph(ctx.say("not_estimable", reason=err))]
    blocks.append(Table("transition_hazard_ratio", ctx.say("hazard_caption"), hr))
    n_events = int(hr["n_events"].sum())
    if n_events < 10:
        blocks.append(Paragraph(ctx.say("hazard_few", n_events=n_events)))
    return blocks


def _dormancy_blocks(ctx: Context) -> list:
    from continuity.plotting import plot_dormancy

    months = _DORMANCY // 30
    head = Paragraph(ctx.say("dormancy_head"), heading=True)
    if ctx.event == "formal":
        return [head, Paragraph(ctx.say("no_activities"))]
    d = metrics.dormancy(ctx.study, thresholds=(_DORMANCY,))
    cols = ["agreement_id", "relationship_id", "formally_alive", "n_activities",
            "last_activity", "days_inactive", "dormant", "paper_partnership"]
    ax = plot_dormancy(ctx.study)
    return [head, Paragraph(ctx.say("dormancy_text", dormancy_months=months)),
            Table("dormancy", ctx.say("dormancy_caption", dormancy_months=months), d[cols]),
            Figure(ctx.say("dormancy_figure"), _svg(ax))]


def _table_or_reason(ctx: Context, name: str, caption: str,
                     compute: Callable[[], pd.DataFrame]) -> Table | Paragraph:
    """The metric's table, or, when the data cannot give it, the metric's own reason."""
    try:
        return Table(name, caption, compute())
    except ValidationError as err:
        return Paragraph(ctx.say("not_estimable", reason=err))


def _share_blocks(ctx: Context) -> list:
    s = ctx.study
    blocks: list = []
    shares: list[tuple[str, str, str, str, Callable[[Study], pd.DataFrame]]] = [
        ("renewal_head", "renewal_text", "renewal_shares", "renewal_caption",
         metrics.renewal_shares),
        ("stages_head", "stages_text", "stage_progression", "stages_caption",
         metrics.stage_progression),
        ("lame_head", "lame_text", "lame_duck", "lame_caption", metrics.lame_duck),
        ("retention_head", "retention_text", "portfolio_retention", "retention_caption",
         metrics.portfolio_retention),
    ]
    for head, text, name, caption, compute in shares:
        blocks += [Paragraph(ctx.say(head), heading=True), Paragraph(ctx.say(text)),
                   _table_or_reason(ctx, name, ctx.say(caption), partial(compute, s))]
    return blocks


def continuity_section(ctx: Context) -> Section:
    blocks = (_survival_blocks(ctx) + _hazard_blocks(ctx) + _dormancy_blocks(ctx)
              + _share_blocks(ctx))
    return Section("continuity", ctx.say("continuity"),
                   ctx.say("continuity_lead", dormancy_months=_DORMANCY // 30), blocks)


# --- effectiveness -----------------------------------------------------------------------------
_SCORE_COLUMNS = ["administration", "caretaker", "days", "n_inherited", "n_kept", "n_signed",
                  "n_renewed", "n_dormant", "n_ended", "n_activities", "exposure_years",
                  "estimate", "conf_low", "conf_high", "attainment", "targets_met",
                  "budget_realisation"]


def _scorecard_blocks(ctx: Context) -> list:
    from continuity.plotting import plot_estimates

    if ctx.focal is None:
        return [Paragraph(ctx.say("scorecard_head"), heading=True),
                Paragraph(ctx.say("scorecard_no_focal"))]
    card = metrics.administration_scorecard(ctx.study, focal=ctx.focal)
    card = card[[c for c in _SCORE_COLUMNS if c in card.columns]]
    card = card.dropna(axis=1, how="all")  # attainment and budgets only where the data hold them
    blocks: list = [Paragraph(ctx.say("scorecard_head"), heading=True),
                    Paragraph(ctx.say("scorecard_text", conf=ctx.conf)),
                    Table("administration_scorecard", ctx.say("scorecard_caption"), card)]
    if len(card) > 1:
        ax = plot_estimates(card, x="administration", reference=None, log=False,
                            xlabel="", ylabel=ctx.say("rate_axis"))
        blocks.append(Figure(ctx.say("scorecard_figure", conf=ctx.conf), _svg(ax)))
    return blocks


def _change_blocks(ctx: Context) -> list:
    pooled = metrics.activity_change(ctx.study, window=_WINDOW, focal=ctx.focal, by=None)
    per = metrics.activity_change(ctx.study, window=_WINDOW, focal=ctx.focal)
    return [Paragraph(ctx.say("change_head"), heading=True),
            Paragraph(ctx.say("change_text", window=_WINDOW)),
            Table("activity_change", ctx.say("change_caption"), pooled),
            Table("activity_change_by_transition", ctx.say("change_rows_caption"),
                  per[per["n_before"] + per["n_after"] > 0])]


def _goal_blocks(ctx: Context) -> list:
    blocks: list = [Paragraph(ctx.say("goals_head"), heading=True),
                    Paragraph(ctx.say("goals_text"))]
    acts = ctx.study.activities
    assert acts is not None  # effectiveness() leaves this section out without activities
    for name, dim in (("goal_coverage_objective", "objective"), ("goal_coverage_sector", "sector")):
        if dim not in acts.columns or acts[dim].isna().all():
            blocks.append(Paragraph(ctx.say(f"none_{dim}")))
            continue
        blocks.append(_table_or_reason(ctx, name, ctx.say(f"caption_{dim}"),
                                       partial(metrics.goal_coverage, ctx.study, dimension=dim,
                                               focal=ctx.focal)))
    blocks.append(_table_or_reason(ctx, "goal_breadth", ctx.say("caption_breadth"),
                                   lambda: metrics.goal_breadth(ctx.study, focal=ctx.focal)))
    return blocks


def _target_blocks(ctx: Context) -> list:
    head = Paragraph(ctx.say("targets_head"), heading=True)
    if ctx.study.targets is None:
        return [head, Paragraph(ctx.say("targets_none"))]
    return [head, Paragraph(ctx.say("targets_text", conf=ctx.conf)),
            _table_or_reason(ctx, "target_attainment", ctx.say("targets_caption"),
                             lambda: metrics.target_attainment(ctx.study, focal=ctx.focal)),
            _table_or_reason(ctx, "budget_realisation", ctx.say("budget_caption"),
                             lambda: metrics.budget_realisation(ctx.study, focal=ctx.focal))]


def effectiveness(ctx: Context) -> Section:
    lead = ctx.say("effectiveness_lead")
    if ctx.study.activities is None:
        return Section("effectiveness", ctx.say("effectiveness"), lead,
                       [Paragraph(ctx.say("no_activities_effect")), *_target_blocks(ctx)])
    blocks = (_scorecard_blocks(ctx) + _change_blocks(ctx) + _goal_blocks(ctx)
              + _target_blocks(ctx))
    return Section("effectiveness", ctx.say("effectiveness"), lead, blocks)


# --- robustness --------------------------------------------------------------------------------
def _headlines(study: Study, focal: str | None) -> dict[str, int]:
    lame = metrics.lame_duck_signings(study)
    if focal is not None:
        lame = lame[lame["jurisdiction"] == focal]
    ep = study.episodes(level="instrument")
    out = {
        "h_lame": int(lame["lame_duck"].fillna(False).astype(bool).sum()),
        "h_changes": int(pd.to_numeric(ep.groupby("agreement_id")["changes"].max(),
                                       errors="coerce").sum()),
    }
    if study.activities is not None:
        d = metrics.dormancy(study, thresholds=(_DORMANCY,))
        alive = d[d["formally_alive"]]
        out |= {"h_dormant": int(alive["dormant"].sum()),
                "h_paper": int(alive["paper_partnership"].sum())}
    return out


def robustness(ctx: Context) -> Section:
    rules = {"earliest": ctx.study.resolve_dates("earliest"), "middle": ctx.study,
             "latest": ctx.study.resolve_dates("latest")}
    heads = {rule: _headlines(st, ctx.focal) for rule, st in rules.items()}
    by_rule = pd.DataFrame({"figure": [ctx.say(k) for k in heads["middle"]]}
                           | {ctx.say(f"rule_{r}"): list(h.values()) for r, h in heads.items()})
    audit = ctx.study.audit
    n_events = int(ctx.study.episodes(level="relationship", event=ctx.event)["event"].sum())
    blocks: list = [Table("robustness_dates", ctx.say("robust_dates_caption"), by_rule)]
    if ctx.event == "dormant":
        blocks.append(Table("robustness_thresholds", ctx.say("robust_threshold_caption"),
                            metrics.dormancy_shares(ctx.study)))
    blocks.append(Table("audit", ctx.say("audit_caption"), audit) if len(audit)
                  else Paragraph(ctx.say("audit_none")))
    blocks += [Paragraph(ctx.say("limits_head"), heading=True),
               Paragraph(ctx.say("limits_text", n_rel=ctx.study.agreements[
                   "relationship_id"].nunique(), n_events=n_events))]
    return Section("robustness", ctx.say("robust"), ctx.say("robust_lead"), blocks)


# --- sources -----------------------------------------------------------------------------------
def sources(ctx: Context) -> Section:
    cited = []
    for name in ("terms", "agreements", "activities"):
        df = getattr(ctx.study, name)
        if df is not None and "sources" in df.columns:
            cited.append(df["sources"].dropna().astype(str))
    if not cited:
        return Section("sources", ctx.say("sources"), ctx.say("sources_none"))
    rows = pd.concat(cited)
    each = rows.str.split(r"\s*\|\s*").explode().str.strip()
    each = each[each != ""]
    counts = each.value_counts().rename_axis("source").reset_index(name="rows")
    lead = ctx.say("sources_lead", n_cited=len(rows), n_sources=len(counts))
    return Section("sources", ctx.say("sources"), lead,
                   [Table("sources", ctx.say("sources_caption"), counts)])


#: The sections in the order the report shows them.
SECTIONS: tuple[Callable[[Context], Section], ...] = (
    glance, timeline, continuity_section, effectiveness, robustness, sources,
)
