"""Resources: the staffing gap to the target, what it costs, and the demand assessments create."""

from datetime import timedelta

import streamlit as st

from reassess.figures.baseline import (
    CURRENT_PLAN,
    DEFAULT_CONFIDENCE,
    BaselineError,
    answer_sentence,
    assumption_settings,
    baseline_for,
    default_start,
    find_officers,
    gap_figures,
    pipeline_figures,
    pipeline_table,
    support_figures,
    target_passed,
)
from reassess.model.scenarios import ScenarioInput, run_scenario
from reassess.present.formats import fmt_int, long_date
from reassess.ui import page_context
from reassess.ui.widgets import Kpi, assumptions_note, kpi_row

find = st.cache_data(find_officers, show_spinner=False, max_entries=128)
run = st.cache_data(run_scenario, show_spinner=False, max_entries=128)

ctx = page_context("resources")
prog, as_of = ctx.programme, ctx.snapshot.as_of
try:
    baseline = baseline_for(ctx.db, ctx.snapshot, prog, ctx.role)
except BaselineError as exc:
    st.error(str(exc))
    st.stop()
start, target = default_start(as_of), prog.target_date
if target_passed(as_of, target):
    when = "has passed" if as_of > target else "is less than a week away"
    st.warning(
        f"The target date ({long_date(target)}) {when} with {fmt_int(baseline.remaining)} "
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
inp = ScenarioInput.from_programme(
    baseline, prog, name=CURRENT_PLAN, start_date=start, target_date=target
)
answer = find(baseline, inp, DEFAULT_CONFIDENCE)
plan = run(baseline, inp)
weekly_fte = ctx.run("resources_weekly_fte", as_of=as_of, weeks=baseline.window_weeks)

st.subheader(f"The gap to {long_date(target)}")
kpi_row(
    [
        Kpi(label, value, help=h)
        for label, value, h in gap_figures(baseline, inp, answer, weekly_fte)
    ],
    3,
)
st.markdown(answer_sentence(answer))
st.caption(
    f"The current plan (no extra officers) finishes by {long_date(plan.p85)} with "
    f"{DEFAULT_CONFIDENCE:.0%} confidence."
    if plan.p85
    else plan.message
)

st.subheader("Reinvestigation pipeline")
kpi_row([Kpi(label, value, help=h) for label, value, h in pipeline_figures(baseline, inp, plan)], 4)
table = pipeline_table(ctx.run("resources_referrals"), inp.investigator_hours_per_reinvestigation)
st.dataframe(
    table,
    hide_index=True,
    key="pipeline",
    column_config={c: st.column_config.NumberColumn(format="%,d") for c in table.columns[1:]},
)

st.subheader("Victim support and advocates")
kpi_row([Kpi(label, value, help=h) for label, value, h in support_figures(baseline, inp, plan)], 4)
st.caption(
    "Independent Sexual Violence Advisers (ISVAs) needed if every referral were open at once "
    "(an upper bound), counted by case: a case with several victims may need more. The "
    "shortfall is the advisers needed beyond those in post (an assumption below)."
)
assumptions_note(assumption_settings(inp, baseline, prog))
