"""The Mayor's office briefing, built: one frozen Briefing from a snapshot and its comparison (no Streamlit).

`build_briefing(db, snapshot, compare, programme)` gathers everything the briefing page and its
PDF, Excel and CSV exports show, already through disclosure control, into one frozen `Briefing`:

- every table comes from a query run as the "mayors_office" role, so the query runner applies
  disclosure control (reassess/disclosure/frames.py) before any figure reaches this module; the
  one two-way table (borough by category) is pivoted here from raw counts and protected with
  `protect_table` (secondary suppression across rows and columns);
- the forecast is `reassess.figures.status.compute_status`: the planning model's headline, the
  same forecast as the overview, worked out from the raw aggregate counts (MODEL_ROLE). Only its dates and probabilities, and counts
  passed through `protect_count`, leave this module: no raw count is stored in a Briefing;
- the narrative is generated from the shown (rounded) figures, and says "about" for every
  rounded count;
- the resource position is the resources page's answer (reassess.figures.baseline: baseline_for,
  find_officers), also from raw aggregates: only FTE, money and dates leave, and the officer
  headcount through `protect_count`;
- no officer reference and no case reference is read or shown anywhere.

No Streamlit here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from reassess.access import ROLE_RESULTS
from reassess.briefing.contents import (
    BRIEFING_ROLE,
    DEFINITIONS,
    HEADLINE_ROWS,
    MODEL_ROLE,
    TITLE,
    Briefing,
    Shown,
)
from reassess.briefing.outcomes import TABLE as OUTCOMES_TABLE
from reassess.briefing.outcomes import demand_statement, outcomes
from reassess.briefing.resources import resource_lines
from reassess.briefing.stocks import release_stocks
from reassess.briefing.tables import (
    build_fan_table,
    ethnicity_table,
)
from reassess.briefing.timeline import (
    change_cells,
    changes_table,
    cross_section_tables,
    headline_cells,
    headline_table,
    progress_cells,
    progress_table,
    release_cells,
    weekly_cells,
    weekly_table,
)
from reassess.briefing.words import (
    caveats,
    changes_sentence,
    forecast_note,
    forecast_sentence,
    progress_sentence,
    rag_reason_text,
    sources_list,
    write_narrative,
)
from reassess.config import Programme
from reassess.disclosure.ledger import Ledger, ledger_for
from reassess.disclosure.tables import (
    DisclosureRules,
    default_rules,
    protected_percent,
    rules_text,
)
from reassess.figures.reinvestigation_plan import coupled_plan
from reassess.figures.status import compute_status
from reassess.present.marking import markings
from reassess.snapshot.listing import SnapshotInfo, list_snapshots
from reassess.snapshot.runner import Database

# --- words --------------------------------------------------------------------------------


# --- building ----------------------------------------------------------------------------


def build_briefing(
    db: Database,
    snapshot: SnapshotInfo,
    compare: SnapshotInfo | None,
    programme: Programme,
    *,
    rules: DisclosureRules | None = None,
    ledger: Ledger | None = None,
    window_weeks: int | None = None,
    role: str = BRIEFING_ROLE,
) -> Briefing:
    """The briefing for a snapshot (and a comparison), every figure through disclosure control.

    `role` is who the briefing is made for: it changes only the reinvestigation table, which the
    review team's roles read as recorded (reassess/briefing/outcomes.py); every other figure is
    the Mayor's office's.
    """
    rules = rules or default_rules()
    ledger = ledger or ledger_for(snapshot.path.parent)
    listing = list_snapshots(snapshot.path.parent)
    status = compute_status(
        db, snapshot, compare, programme, role=MODEL_ROLE, window_weeks=window_weeks
    )

    def run(name: str, snap: SnapshotInfo = snapshot, **params: Any) -> pd.DataFrame:
        return db.run(name, snap, role=BRIEFING_ROLE, **params)

    # Every figure over time is a base cell of a release or derived from them (stocks.py).
    stocks = release_stocks(db, listing, snapshot, programme.programme_start, ledger, rules)
    now = headline_cells(stocks, snapshot.as_of, rules)
    figures: dict[str, Shown] = {k: now[k].shown for k, _ in HEADLINE_ROWS}
    figures["remaining"] = remaining = now["remaining"].shown
    in_scope, assessed = figures["in_scope"], figures["assessed"]
    pct = protected_percent(assessed, in_scope, rules=rules)

    headline = progress_sentence(assessed, in_scope, pct) + " " + forecast_sentence(status)
    narrative = write_narrative(status, figures, rules)

    changes = changes_text = None
    before = None
    if compare is not None:
        before = headline_cells(stocks, compare.as_of, rules)
        shown_changes = change_cells(stocks, snapshot.as_of, compare.as_of, rules)
        changes_text = changes_sentence(
            compare.as_of, {k: c.shown for k, c in shown_changes.items()}
        )
        changes = changes_table(compare, shown_changes, rules)

    weeks = status.window_weeks
    weekly = weekly_table(weekly_cells(stocks, snapshot.as_of, weeks, rules), weeks, rules)
    progress, chart_assessed, chart_scope = progress_table(
        progress_cells(stocks, snapshot.as_of, programme.programme_start, rules), rules
    )
    fan_table, chart_fan = build_fan_table(status, rules)
    ethnicity, ethnicity_caveat = ethnicity_table(run, programme, rules)
    resources, resources_text = resource_lines(db, run, snapshot, programme, status, rules)
    cross_section = cross_section_tables(db, snapshot, rules)
    by_category, by_bcu, borough_category = cross_section
    published = release_cells(db, listing, snapshot, programme, ledger, rules, cross_section)
    if changes is not None and compare is not None:
        published += [
            (f"changes:{compare.as_of.isoformat()}", k, c) for k, c in shown_changes.items()
        ]
    phase = outcomes(db, snapshot, compare, ledger, rules, role=role)
    published += [(OUTCOMES_TABLE, k, c) for k, c in phase.cells.items()]
    ledger.record(snapshot.as_of, published)
    f = status.forecast
    rag_reason = rag_reason_text(status, remaining, rules)
    shown_markings = markings(snapshot.synthetic)
    return Briefing(
        title=TITLE,
        markings=shown_markings,
        synthetic=snapshot.synthetic,
        as_of=snapshot.as_of,
        compare_as_of=compare.as_of if compare else None,
        target=status.target,
        snapshot_label=snapshot.label,
        ingested_at=snapshot.ingested_at,
        headline=headline,
        narrative=narrative,
        rag_colour=status.rag.colour,
        rag_label=status.rag.label,
        rag_reason=rag_reason,
        rag_rule=status.rag.rule,
        figures=figures,
        pct_assessed=pct,
        forecast_p50=f.p50 if f.status == "ok" else None,
        forecast_p85=f.p85 if f.status == "ok" else None,
        forecast_p95=f.p95 if f.status == "ok" else None,
        forecast_prob_by_target=f.prob_by_target,
        forecast_cost_to_p85=f.cost_to_p85 if f.status == "ok" else None,
        forecast_note=forecast_note(status),
        changes_text=changes_text,
        headline_table=headline_table(snapshot, compare, now, before, rules),
        changes=changes,
        weekly=weekly,
        progress=progress,
        forecast=fan_table,
        by_category=by_category,
        by_bcu=by_bcu,
        borough_category=borough_category,
        ethnicity=ethnicity,
        resources=resources,
        resources_text=resources_text,
        caveats=caveats(snapshot, programme, ethnicity_caveat, in_scope, status, rules),
        definitions=DEFINITIONS,
        disclosure_rules=tuple(rules_text(rules)),
        chart_assessed=chart_assessed,
        chart_scope=chart_scope,
        chart_fan=chart_fan,
        sources=sources_list(snapshot, compare, programme),
        reinvestigation=phase.table,
        reinvestigation_text=phase.text,
        unmet_demand=demand_statement(
            coupled_plan(db, snapshot, programme=programme),
            as_recorded=ROLE_RESULTS.get(role) == "as_recorded",
        ),
    )
