"""Scenarios: what extra officers, from when, would do to the finish date, the cost and demand."""

import json
from dataclasses import replace
from datetime import date, timedelta

import streamlit as st

from reassess.config import settings
from reassess.figures.baseline import (
    CURRENT_PLAN,
    DEFAULT_CONFIDENCE,
    BaselineError,
    answer_sentence,
    assumption_settings,
    baseline_for,
    completion_curves,
    default_start,
    find_officers,
    results_table,
    scenario_export,
    target_passed,
)
from reassess.model.scenarios import ScenarioInput, run_scenario
from reassess.present.charts.scenarios import completion_chart
from reassess.present.csvsafe import safe_frame
from reassess.store import scenarios as store
from reassess.ui import page_context
from reassess.ui.audit_hooks import audited_download, record_scenario
from reassess.ui.widgets import assumptions_note

find = st.cache_data(find_officers, show_spinner=False, max_entries=128)
run = st.cache_data(run_scenario, show_spinner=False, max_entries=256)
chart = st.cache_resource(completion_chart, show_spinner=False, max_entries=32)  # never mutated
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
    """Callback: delete the chosen saved scenario."""
    try:
        deleted = store.delete(settings().scenario_db, S["load_name"])
        record_scenario(ctx, "scenario_delete", deleted)
        st.toast(f"Deleted {store.quoted(deleted, 60)}.")
    except store.StoreError as exc:
        st.toast(str(exc), icon=":material/error:")


def use_answer(extra: int, start: date, finish_by: date) -> None:
    """Callback: show the officers-needed answer as Scenario A, against its finish-by date."""
    S["a_extra"], S["a_start"], S[store.TARGET.key] = extra, start, finish_by


def lever(spec: store.Lever, key: str) -> None:
    """The input of one lever, in its units and bounds."""
    kind, args = store.widget_spec(spec, as_of, goal, baseline.measured_productivity())
    getattr(st, kind)(spec.label, key=key, **args)


ctx = page_context("scenarios")
prog, as_of, goal = ctx.programme, ctx.snapshot.as_of, ctx.programme.target_date
try:
    baseline = baseline_for(ctx.db, ctx.snapshot, prog, ctx.role)
except BaselineError as exc:
    st.error(str(exc))
    st.stop()
slot_default = ScenarioInput.from_programme(baseline, prog, start_date=default_start(as_of))
defaults = store.page_defaults(slot_default, goal)
missing = {k: v for k, v in defaults.items() if k not in S}
if missing:  # a new session, or levers not shown last time: the link seeds them
    values, problems = store.read_link(st.query_params.to_dict(), missing, as_of, goal)
    for problem in problems:
        st.warning(problem, icon=":material/link_off:")
    S.update(values)
S.update(store.out_of_bounds(S, as_of, goal))

finder = st.container(border=True)
top = st.columns([2, 1])
with top[0]:
    lever(store.TARGET, store.TARGET.key)
top[1].number_input("Scenarios to compare", 1, len(store.SLOTS), key=store.COUNT_KEY)
slots = store.SLOTS[: S[store.COUNT_KEY]]
for slot, tab in zip(slots, st.tabs([store.slot_label(s) for s in slots]), strict=True):
    for group in ("staffing", "demand"):
        box = tab if group == "staffing" else tab.expander("Demand and cost assumptions")
        with box, st.container(horizontal=True):
            for spec in (s for s in store.LEVERS if s.group == group):
                with st.container(width=240):
                    lever(spec, store.widget_key(slot, spec))
shown = store.shown_defaults(defaults, len(slots))
store.write_link(st.query_params, {k: S.get(k) for k in shown}, shown)

target = S[store.TARGET.key]
plan = replace(ScenarioInput.from_programme(baseline, prog, name=CURRENT_PLAN), target_date=target)
inputs = {s: replace(plan, name=store.slot_label(s), **store.slot_overrides(S, s)) for s in slots}
pairs = [(inp, run(baseline, inp)) for inp in (plan, *inputs.values())]
st.subheader("Scenarios side by side")
st.caption(
    "The current plan is the current team with no extra officers. The overview's forecast projects "
    "recent weekly completions as they are; this model projects completions per available FTE "
    "onto the team expected in post, after abstraction and attrition, so the two can differ."
)
table = results_table(pairs)
st.dataframe(table, hide_index=True, key="results", height=35 * len(table) + 38)
st.plotly_chart(chart(completion_curves([r for _, r in pairs]), target=target), key="curves")
assumptions_note(assumption_settings(plan, baseline, prog), "Assumptions behind the current plan")

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
        answer = find(baseline, replace(inputs["a"], start_date=f_start, target_date=f_by), f_conf)
        (st.success if answer.extra_officers is not None else st.error)(answer_sentence(answer))
        if answer.extra_officers:
            args = (answer.extra_officers, f_start, f_by)
            st.button("Show this as Scenario A", key="use_answer", on_click=use_answer, args=args)

st.subheader("Save, share and download")
st.caption("The address bar holds these levers: copy it to share this comparison.")
c = st.columns([3, 1, 2], vertical_alignment="bottom")
name = c[0].text_input("Name", max_chars=store.NAME_MAX, key="save_name")
save_slot = c[1].selectbox("Scenario", slots, format_func=store.slot_label, key="save_slot")
overwrite = c[2].checkbox("Replace a saved scenario of the same name", key="save_overwrite")
if st.button("Save", key="save"):
    try:
        saved = store.save(settings().scenario_db, name, inputs[save_slot], as_of=as_of, saved_by=ctx.user, overwrite=overwrite)  # fmt: skip
        record_scenario(ctx, "scenario_save", saved.name)
        st.success(f"Saved {store.quoted(saved.name, 60)}.")
    except store.StoreError as exc:
        st.error(str(exc))
saved_names = [s.name for s in store.list_saved(settings().scenario_db)]
if saved_names:
    c = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
    c[0].selectbox("Saved scenarios", saved_names, key="load_name")
    c[1].selectbox("Into", store.SLOTS, format_func=store.slot_label, key="load_slot")
    c[2].button("Load", key="load", on_click=load_saved, args=(slot_default, as_of, goal))
    c[3].button("Delete", key="delete", on_click=delete_saved)
labels = [inp.name for inp, _ in pairs]
pick = st.selectbox("Download", range(len(pairs)), format_func=labels.__getitem__, key="download")
inp, result = pairs[pick]
stem = store.export_stem(inp.name, ctx.snapshot.label, ctx.snapshot.synthetic)
export = json.dumps(scenario_export(inp, result, baseline, prog, ctx.snapshot), indent=2)
c = st.columns(2)
with c[0]:
    audited_download(ctx, label="Projection (CSV)", data=lambda: safe_frame(result.projection).to_csv(index=False).encode(), file_name=f"{stem}.csv", mime="text/csv", key="download_csv")  # fmt: skip
with c[1]:
    audited_download(ctx, label="Scenario and projection (JSON)", data=export.encode(), file_name=f"{stem}.json", mime="application/json", key="download_json")  # fmt: skip
