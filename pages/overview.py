"""Overview: will every case in scope be assessed by the target, and if not, when?"""

from datetime import timedelta

import streamlit as st

from reassess.config import settings
from reassess.figures.reinvestigation import assessments_complete, read_funnel
from reassess.figures.reinvestigation_plan import coupled_plan
from reassess.figures.status import burn_up_frames, compute_status, status_fan
from reassess.figures.track_record import track_record
from reassess.present.formats import chance, fmt_int, long_date, money
from reassess.present.narrative import (
    chance_by_sentence,
    changes_table,
    coverage_table,
    forecast_sentence,
    movement_table,
    weeks_to_target_tile,
)
from reassess.present.reinvestigation import phase_headline
from reassess.present.vocabulary import FORECAST_LABELS
from reassess.ui import page_context
from reassess.ui.charts import burn_up_chart, track_record_chart
from reassess.ui.widgets import Kpi, kpi_row, rag_badge

ctx = page_context("overview")
complete_on = assessments_complete(ctx.db, ctx.snapshot, role=ctx.role)
if complete_on is not None:  # the assessments are done: lead with the reinvestigation phase
    st.success(
        phase_headline(
            complete_on,
            read_funnel(ctx.db, ctx.snapshot, role=ctx.role),
            coupled_plan(ctx.db, ctx.snapshot, programme=ctx.programme).statement(),
        ),
        icon=":material/task_alt:",
    )
status = compute_status(
    ctx.db, ctx.snapshot, ctx.compare, ctx.programme, role=ctx.role, window_weeks=ctx.window
)
k, d, f, plan = status.kpis, status.deltas, status.forecast, status.plan

rag_badge(status.rag)
st.markdown(forecast_sentence(status))
for problem in f.problems:
    st.warning(problem, icon=":material/settings_alert:")

label_left, value_left, help_left = weeks_to_target_tile(
    status.weeks_to_target, status.target, complete_on
)
pace_help = (
    "Throughput: average assessments completed a week over the last four weeks."
    if status.pace_weeks == 4
    else f"Throughput: assessments completed divided by the {status.pace_weeks} week(s) since the "
    "programme started (fewer than four have passed)."
)
kpi_row(
    [
        Kpi("In scope", fmt_int(k["in_scope"]), d["in_scope"], "Cases the review must assess."),
        Kpi(
            "Assessed",
            fmt_int(k["assessed"]),
            d["assessed"],
            "Assessment completed (with or without QA sign-off).",
        ),
        Kpi("% assessed", f"{k['pct_assessed']:.1f}%", d["pct_assessed"], delta_suffix=" pts"),
        Kpi("In assessment", fmt_int(k["in_assessment"]), d["in_assessment"]),
        Kpi(
            "Awaiting allocation",
            fmt_int(k["awaiting_allocation"]),
            d["awaiting_allocation"],
            lower_is_better=True,
        ),
        Kpi("Awaiting QA", fmt_int(k["awaiting_qa"]), d["awaiting_qa"], lower_is_better=True),
        Kpi("Weekly pace", f"{k['throughput_4w']:,.1f}", d["throughput_4w"], pace_help),
        Kpi(
            "Pace needed",
            f"{status.required_weekly:,.1f}" if status.required_weekly is not None else "—",
            None,
            "Assessments a week needed to meet the target: remaining cases divided by the weeks "
            "left to it (a dash once the target has passed).",
        ),
        Kpi(label_left, value_left, help=help_left),
        Kpi("Allocated, not started", fmt_int(k["allocated"]), d["allocated"]),
    ]
)


def _day(value: object) -> str:
    if f.status == "done":  # the work counts as complete: no finish date is left to forecast
        return "Complete"
    return "—" if value is None else long_date(value)  # type: ignore[arg-type]


kpi_row(
    [
        Kpi(
            FORECAST_LABELS["p50"],
            _day(f.p50),
            help="Half of the forecast's trials finish by then.",
        ),
        Kpi(FORECAST_LABELS["p85"], _day(f.p85), help="85% of the trials finish by then."),
        Kpi(FORECAST_LABELS["p95"], _day(f.p95), help="95% of the trials finish by then."),
        Kpi(
            FORECAST_LABELS["prob_by_target"],
            "—" if f.prob_by_target is None else chance(f.prob_by_target),
            help=f"Share of the trials that finish by {long_date(status.target)}.",
        ),
        Kpi(FORECAST_LABELS["cost_to_p85"], money(f.cost_to_p85), help=f.cost_definition or None),
    ]
)
for note in f.notes:
    st.caption(note)
st.caption(
    f"The forecast measures the team's pace over the last {status.window_weeks} week(s) "
    f"({f.trials:,} trials; the forecast window is in the sidebar and applies to every page)."
)

default_by = max(status.target, ctx.snapshot.as_of + timedelta(weeks=1))
by = st.date_input(
    FORECAST_LABELS["chance_by"],
    value=default_by,
    min_value=ctx.snapshot.as_of,
    max_value=ctx.snapshot.as_of + timedelta(weeks=520),
    key="chance_by",
    format="DD/MM/YYYY",
)
st.markdown(chance_by_sentence(by, plan.prob_by(by), ctx.snapshot.as_of))

assessed, scope = burn_up_frames(ctx.db, ctx.snapshot, ctx.programme, role=ctx.role)
fan = status_fan(status)
st.plotly_chart(
    burn_up_chart(assessed, scope, fan, as_of=ctx.snapshot.as_of, target=status.target),
    key="burn_up",
)
st.caption(
    "Assessed is shown as each week's own snapshot recorded it; the fan comes from the same "
    "trials as the dates above, scope change included, so its median reaches the finish line "
    "in the P50 week."
)

if ctx.compare is not None and status.changes is not None:
    st.subheader(f"What changed since {ctx.compare.as_of:%-d %B %Y}")
    st.dataframe(changes_table(status.changes), hide_index=True, key="changes")
else:
    st.info("Choose a snapshot to compare with in the sidebar to see what changed.")

st.subheader("Track record of the forecast")
record = track_record(
    ctx.db,
    ctx.listing.snapshots,
    ctx.snapshot,
    ctx.compare,
    ctx.programme,
    settings().ledger_file,
    ctx.window,
)
st.plotly_chart(
    track_record_chart(record.drift(), target=status.target, finished=record.coverage.finished),
    key="drift",
)
if record.movement is not None:
    st.markdown(f"**Why the P85 date moved since {long_date(record.movement.compare_as_of)}**")
    moved = movement_table(record.movement)
    if moved is None:
        st.caption(record.movement.reason)
    else:
        st.dataframe(moved, hide_index=True, key="moved")
st.markdown("**How often past forecasts held**")
coverage = coverage_table(record)
st.dataframe(coverage, hide_index=True, key="coverage")
st.caption(
    f"Past snapshots scored: {record.coverage.scored} ({coverage.attrs['basis']}). A date still "
    "ahead with the work not yet complete is not scored."
)
