"""Scenarios: what extra officers, from when, would do to the finish date, the cost and demand."""

import json
from dataclasses import replace
from datetime import date, timedelta

import streamlit as st

from reassess.config import settings
from reassess.figures.forecast import headline, officers
from reassess.figures.reinvestigation_plan import unmet_by_month, unmet_table
from reassess.figures.scenarios import (
    CURRENT_PLAN,
    DEFAULT_CONFIDENCE,
    answer_sentence,
    assumption_settings,
    completion_curves,
    default_start,
    finder_curve,
    position_for,
    results_table,
    run_scenario,
    scenario_export,
    target_passed,
)
from reassess.model.scenarios import ScenarioInput, ScenarioResult, levers_for
from reassess.present.csvsafe import safe_frame
from reassess.present.formats import money
from reassess.present.narrative import chance_by_sentence
from reassess.present.vocabulary import FORECAST_LABELS
from reassess.store import scenarios as store
from reassess.ui import page_context
from reassess.ui.audit_hooks import audited_download, record_scenario
from reassess.ui.charts import completion_curves_chart, officers_curve_chart, unmet_chart
from reassess.ui.widgets import assumptions_note

S = st.session_state
CONFIDENCES = (0.5, 0.75, 0.85, 0.9, 0.95)


def load_saved(slot_default: ScenarioInput, as_of: date, goal: date) -> None:
    """Callback: show a saved scenario in the chosen slot (its levers and target)."""
    name, slot = S["load_name"], S["load_slot"]
    try:
        inp = store.load(settings().scenario_db, name).scenario(slot_default)
    except (store.StoreError, ValueError) as exc:
        st.toast(f"Could not load {store.quoted(name, 60)}: {exc}", icon=":material/error:")
        return
    S.update(store.loaded_values(inp, slot, S[store.COUNT_KEY], as_of, goal))
    st.toast(
        f"Loaded {store.quoted(name, 60)} into {store.slot_label(slot)}.",
        icon=":material/download_done:",
    )


def delete_saved() -> None:
    """Callback: delete the chosen saved scenario (its owner, or a commander with a reason)."""
    try:
        gone = store.delete_scenario(
            settings().scenario_db, S["load_name"], by=ctx.user, role=ctx.role,
            reason=S.get("change_reason") or "",
        )  # fmt: skip
        record_scenario(ctx, "delete", gone.name, owner=gone.saved_by, reason=gone.override_reason)
        st.toast(f"Deleted {store.quoted(gone.name, 60)}.")
    except store.StoreError as exc:
        st.toast(str(exc), icon=":material/error:")


def use_answer(extra: int, start: date, finish_by: date) -> None:
    """Callback: show the officers-needed answer as Scenario A, against its finish-by date."""
    S["a_extra"], S["a_start"], S[store.TARGET.key] = extra, start, finish_by


def lever(spec: store.Lever, key: str) -> None:
    """The input of one lever, in its units and bounds."""
    measured = None if base.pace is None else base.pace.per_available_fte
    kind, args = store.widget_spec(spec, as_of, goal, measured, base.abstraction.rate)
    getattr(st, kind)(spec.label, key=key, **args)


ctx = page_context("scenarios")
prog, as_of, goal = ctx.programme, ctx.snapshot.as_of, ctx.programme.target_date
position = position_for(ctx.db, ctx.snapshot, ctx.role)
base = headline(ctx.db, ctx.snapshot, prog, ctx.window)
for problem in base.problems:
    st.warning(str(problem), icon=":material/settings_alert:")
starts = {"start_date": default_start(as_of), "investigators_from": default_start(as_of)}
slot_default = ScenarioInput.from_programme(as_of, prog, **starts)
defaults = store.page_defaults(slot_default, goal)
missing = {k: v for k, v in defaults.items() if k not in S}
if missing:  # a new session, or levers not shown last time: the link seeds them
    values, problems = store.read_link(st.query_params.to_dict(), missing, as_of, goal)
    for link_problem in problems:
        st.warning(link_problem, icon=":material/link_off:")
    for key, value in values.items():
        S[key] = value
for key, value in store.out_of_bounds(S, as_of, goal).items():
    S[key] = value

finder = st.container(border=True)
top = st.columns([2, 1])
with top[0]:
    lever(store.TARGET, store.TARGET.key)
top[1].number_input("Scenarios to compare", 1, len(store.SLOTS), key=store.COUNT_KEY)
slots = store.SLOTS[: S[store.COUNT_KEY]]
for slot, tab in zip(slots, st.tabs([store.slot_label(s) for s in slots]), strict=True):
    for group, title in store.GROUP_TITLES.items():
        box = tab if group == "staffing" else tab.expander(title, expanded=group != "demand")
        with box, st.container(horizontal=True):
            for spec in (s for s in store.LEVERS if s.group == group):
                with st.container(width=240):
                    lever(spec, store.widget_key(slot, spec))
shown = store.shown_defaults(defaults, len(slots))
store.write_link(st.query_params, {k: S.get(k) for k in shown}, shown)

target = S[store.TARGET.key]
plan = replace(
    ScenarioInput.from_programme(as_of, prog, name=CURRENT_PLAN, **starts),
    target_date=target,
)
inputs = {s: replace(plan, name=store.slot_label(s), **store.slot_overrides(S, s)) for s in slots}


def run(inp: ScenarioInput, current: bool = False) -> ScenarioResult:
    return run_scenario(ctx.db, ctx.snapshot, prog, inp, position, ctx.window, current_plan=current, coupled=True)  # fmt: skip


pairs = [(plan, run(plan, True)), *((inp, run(inp)) for inp in inputs.values())]
st.subheader("Scenarios side by side")
st.caption(
    "The current plan is the overview's forecast: the team expected in post with no extra "
    "officers, the same trials and dates. Each scenario changes only the levers set for it."
)
table = results_table(pairs)
st.dataframe(table, hide_index=True, key="results", height=35 * len(table) + 38)
st.plotly_chart(
    completion_curves_chart(completion_curves([r for _, r in pairs]), target=target), key="curves"
)
by = st.date_input(
    FORECAST_LABELS["chance_by"], value=max(target, as_of + timedelta(weeks=1)),
    min_value=as_of, max_value=as_of + timedelta(weeks=520), key="chance_by", format="DD/MM/YYYY",
)  # fmt: skip
for inp, result in pairs:
    st.markdown(f"**{inp.name}**: " + chance_by_sentence(by, result.plan.prob_by(by), as_of))
assumptions_note(
    assumption_settings(plan, pairs[0][1], prog), "Assumptions behind the current plan"
)

st.subheader("Reinvestigation demand the team in post cannot meet")
demand = [(r.name, r.coupled) for _, r in pairs if r.coupled is not None]
if demand:
    st.markdown(demand[0][1].statement() + " " + demand[0][1].isva_statement())
    st.caption(
        "Month by month over the next 12 months: the referrals each scenario's assessments "
        "create, carried forward into open reinvestigations, against the reinvestigation team "
        "in post (with any extra investigators). Figures are in FTE of investigators; costs at "
        f"the staff investigator salary ({money(prog.staff_investigator_salary)} a year). "
        "Unlike 'Investigators for a year' above (every expected referral worked within one "
        "year), this counts the referrals expected to open as investigations, while they are open."
    )
    st.plotly_chart(unmet_chart(unmet_by_month(demand)), key="unmet_chart")
    st.dataframe(unmet_table(demand), hide_index=True, key="unmet_table")

with finder:
    st.markdown("**Find the officers needed** (other assumptions as in Scenario A)")
    finish = as_of + timedelta(weeks=12) if target_passed(as_of, target) else target
    with st.form("find_form", border=False):
        c = st.columns(3)
        f_start = c[0].date_input("Extra officers start on", default_start(as_of), key="find_start", **store.widget_spec(store.LEVER_BY_KEY["start"], as_of, goal)[1])  # fmt: skip
        f_by = c[1].date_input("Finish by", finish, key="find_by", **store.widget_spec(store.TARGET, as_of, goal)[1])  # fmt: skip
        f_conf = c[2].select_slider("Confidence", CONFIDENCES, DEFAULT_CONFIDENCE, "{:.0%}".format, key="find_conf")  # fmt: skip
        submitted = st.form_submit_button("Find the officers needed", type="primary")
    if submitted:
        answer = officers(
            ctx.db, ctx.snapshot, prog, f_by, start=f_start, confidence=f_conf,
            levers=levers_for(replace(inputs["a"], extra_officers=0), prog), window_weeks=ctx.window,
        )  # fmt: skip
        (st.success if answer.extra_officers is not None else st.error)(answer_sentence(answer))
        if answer.warning:
            st.warning(answer.warning, icon=":material/group_off:")
        if answer.curve:
            st.plotly_chart(
                officers_curve_chart(finder_curve(answer), target=f_by, limit=answer.recruitable),
                key="finder_curve",
            )
        if answer.extra_officers:
            args = (answer.extra_officers, f_start, f_by)
            st.button("Show this as Scenario A", key="use_answer", on_click=use_answer, args=args)

st.subheader("Save, share and download")
st.caption("The address bar holds these levers: copy it to share this comparison.")
save_cols = st.columns([3, 1, 2], vertical_alignment="bottom")
name = save_cols[0].text_input("Name", max_chars=store.NAME_MAX, key="save_name")
save_slot = save_cols[1].selectbox("Scenario", slots, format_func=store.slot_label, key="save_slot")
overwrite = save_cols[2].checkbox("Replace a saved scenario of the same name", key="save_overwrite")
if st.button("Save", key="save"):
    try:
        saved = store.save(settings().scenario_db, name, inputs[save_slot], as_of=as_of, saved_by=ctx.user, overwrite=overwrite, role=ctx.role, reason=S.get("change_reason") or "")  # fmt: skip
        if saved.replaced_owner is None:
            record_scenario(ctx, "save", saved.name)
        else:
            record_scenario(ctx, "overwrite", saved.name, owner=saved.replaced_owner, reason=saved.override_reason)  # fmt: skip
        st.success(f"Saved {store.quoted(saved.name, 60)}.")
    except store.StoreError as exc:
        st.error(str(exc))
saved_list = store.list_saved(settings().scenario_db)
saved_names = [s.name for s in saved_list]
if ctx.role == store.OVERRIDE_ROLE:
    st.text_input(
        "Reason (to replace or delete a scenario someone else saved)",
        max_chars=200,
        key="change_reason",
        help="Only the person who saved a scenario may replace or delete it; a commander may, "
        "giving a reason, which is recorded in the audit log.",
    )
if saved_names:
    load_cols = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
    load_cols[0].selectbox("Saved scenarios", saved_names, key="load_name")
    load_cols[1].selectbox("Into", store.SLOTS, format_func=store.slot_label, key="load_slot")
    load_cols[2].button("Load", key="load", on_click=load_saved, args=(slot_default, as_of, goal))
    load_cols[3].button("Delete", key="delete", on_click=delete_saved)
labels = [inp.name for inp, _ in pairs]
pick = st.selectbox("Download", range(len(pairs)), format_func=labels.__getitem__, key="download")
inp, result = pairs[pick]
stem = store.export_stem(inp.name, ctx.snapshot.label, ctx.snapshot.synthetic)
export = json.dumps(scenario_export(inp, result, position, prog, ctx.snapshot), indent=2)
dl_cols = st.columns(2)
with dl_cols[0]:
    audited_download(ctx, label="Projection (CSV)", data=lambda: safe_frame(result.projection).to_csv(index=False).encode(), file_name=f"{stem}.csv", mime="text/csv", key="download_csv")  # fmt: skip
with dl_cols[1]:
    audited_download(ctx, label="Scenario and projection (JSON)", data=export.encode(), file_name=f"{stem}.json", mime="application/json", key="download_json")  # fmt: skip
