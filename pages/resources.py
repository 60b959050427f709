"""Resources: the staffing gap to the target, what it costs, and the demand assessments create."""

from datetime import date, timedelta

import streamlit as st

from reassess.figures.forecast import headline, officers
from reassess.figures.scenarios import (
    CURRENT_PLAN,
    DEFAULT_CONFIDENCE,
    answer_sentence,
    assumption_settings,
    default_start,
    finder_curve,
    gap_figures,
    pipeline_figures,
    pipeline_table,
    position_for,
    run_scenario,
    support_figures,
    target_passed,
)
from reassess.figures.team import team
from reassess.model.scenarios import ScenarioInput
from reassess.model.workload import planning_horizon_weeks
from reassess.present.formats import fmt_int, long_date, money
from reassess.present.vocabulary import FORECAST_LABELS
from reassess.ui import page_context
from reassess.ui.charts import officers_curve_chart
from reassess.ui.widgets import Kpi, assumptions_note, kpi_row


def _day(value: date | None) -> str:
    return "—" if value is None else long_date(value)


ctx = page_context("resources")
prog, as_of = ctx.programme, ctx.snapshot.as_of
position = position_for(ctx.db, ctx.snapshot, ctx.role)
plan = headline(ctx.db, ctx.snapshot, prog, ctx.window)
for problem in plan.problems:
    st.warning(str(problem), icon=":material/settings_alert:")
start, target = default_start(as_of), prog.target_date
if target_passed(as_of, target):
    when = "has passed" if as_of > target else "is less than a week away"
    st.warning(
        f"The target date ({long_date(target)}) {when} with {fmt_int(position.remaining)} "
        "cases still to assess, so officers added now cannot help meet it. "
        "Choose a date to plan for instead.",
        icon=":material/event_busy:",
    )
    target = st.date_input(
        "Finish by",
        value=as_of + timedelta(weeks=12),
        min_value=start + timedelta(weeks=1),
        max_value=as_of + timedelta(weeks=520),
        key="finish_by",
        format="DD/MM/YYYY",
    )
inp = ScenarioInput.from_programme(as_of, prog, name=CURRENT_PLAN, start_date=start)
current = run_scenario(ctx.db, ctx.snapshot, prog, inp, position, ctx.window, current_plan=True)
answer = officers(
    ctx.db, ctx.snapshot, prog, target, start=start, confidence=DEFAULT_CONFIDENCE,
    window_weeks=ctx.window,
)  # fmt: skip

st.subheader(f"The gap to {long_date(target)}")
figures = gap_figures(team(plan), answer, plan.capacity(planning_horizon_weeks(as_of, target)))
kpi_row([Kpi(label, value, help=h) for label, value, h in figures], 3)
st.markdown(answer_sentence(answer))
if answer.warning:
    st.warning(answer.warning, icon=":material/group_off:")
if answer.curve:
    st.plotly_chart(
        officers_curve_chart(finder_curve(answer), target=target, limit=answer.recruitable),
        key="officers_curve",
    )
cost = plan.cost
st.markdown("**The current plan** (no extra officers: the overview's forecast)")
kpi_row(
    [
        Kpi(FORECAST_LABELS["p50"], _day(current.p50)),
        Kpi(FORECAST_LABELS["p85"], _day(current.p85)),
        Kpi(FORECAST_LABELS["p95"], _day(current.p95)),
        Kpi(
            FORECAST_LABELS["cost_to_p85"],
            money(current.team_cost_to_completion),
            help=None if cost is None else cost.definition,
        ),
    ],
    4,
)
st.caption(
    f"The current plan finishes by {long_date(plan.p85)} with {DEFAULT_CONFIDENCE:.0%} "
    f"confidence; the whole team costs {money(None if cost is None else cost.to_p85)} to then "
    "(the same forecast as the overview)."
    if plan.p85 and plan.status == "ok"
    else current.message
)

st.subheader("Reinvestigation pipeline")
kpi_row(
    [Kpi(label, value, help=h) for label, value, h in pipeline_figures(position, inp, current)], 4
)
table = pipeline_table(ctx.run("resources_referrals"), inp.investigator_hours_per_reinvestigation)
st.dataframe(
    table,
    hide_index=True,
    key="pipeline",
    column_config={c: st.column_config.NumberColumn(format="%,d") for c in table.columns[1:]},
)

st.subheader("Victim support and advocates")
kpi_row(
    [Kpi(label, value, help=h) for label, value, h in support_figures(position, inp, current)], 4
)
st.caption(
    "Independent Sexual Violence Advisers (ISVAs) needed if every referral were open at once "
    "(an upper bound), counted by case: a case with several victims may need more. The "
    "shortfall is the advisers needed beyond those in post (an assumption below)."
)
assumptions_note(assumption_settings(inp, current, prog))
