"""The scenarios page under AppTest: the figures are the planning model's (the current plan is
the headline), the answer the officers finder's, levers survive a link, bad links warn, and
scenarios save, reload and delete."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from reassess.config import programme
from reassess.figures.forecast import headline, officers
from reassess.figures.scenarios import (
    CURRENT_PLAN,
    answer_sentence,
    position_for,
    results_table,
    run_scenario,
)
from reassess.model.finder import OfficersAnswer
from reassess.model.scenarios import ScenarioInput, ScenarioResult, levers_for
from reassess.snapshot.listing import SnapshotInfo, list_snapshots
from reassess.snapshot.runner import Database
from reassess.store import scenarios as store
from tests import resource_fixtures as rf
from tests.page_helpers import Exports

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "scenarios.py")
FIND = "FormSubmitter:find_form-Find the officers needed"


def page(role: str = "planner", snapshot: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["demo_role"] = role
    if snapshot:
        at.query_params["snapshot"] = snapshot
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def snap_of(data_dir: Path, as_of: str) -> SnapshotInfo:
    snap = list_snapshots(data_dir / "snapshots").get(as_of)
    assert snap is not None
    return snap


def scenario(as_of: date, name: str, **overrides: object) -> ScenarioInput:
    monday = as_of + timedelta(days=7 - as_of.weekday())
    return ScenarioInput.from_programme(
        as_of, programme(), name=name, **({"start_date": monday} | overrides)
    )


def result(snap: SnapshotInfo, inp: ScenarioInput) -> ScenarioResult:
    db = Database()
    current = inp.name == CURRENT_PLAN
    position = position_for(db, snap, "planner")
    return run_scenario(db, snap, programme(), inp, position, current_plan=current, coupled=True)


def answer(snap: SnapshotInfo, inp: ScenarioInput) -> OfficersAnswer:
    return officers(
        Database(),
        snap,
        programme(),
        inp.target_date,
        start=inp.start_date,
        levers=levers_for(replace(inp, extra_officers=0), programme()),
    )


@pytest.fixture
def steady(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> rf.Fixture:
    fx = rf.build_steady(tmp_path / "data")
    monkeypatch.setenv("REASSESS_DATA_DIR", str(fx.data_dir))
    return fx


@pytest.mark.slow
def test_the_table_shows_run_scenarios_figures(demo_env: Path) -> None:
    at = page(
        snapshot="2026-03-06",
        scenarios="2",
        a_extra="20",
        a_start="2026-03-16",
        b_extra="40",
        b_abstraction="15",
        target="2026-09-30",
    )
    assert not at.exception
    snap = snap_of(demo_env, "2026-03-06")
    target = {"target_date": date(2026, 9, 30)}
    inputs = [
        scenario(snap.as_of, CURRENT_PLAN, **target),
        scenario(
            snap.as_of, "Scenario A", extra_officers=20, start_date=date(2026, 3, 16), **target
        ),
        scenario(snap.as_of, "Scenario B", extra_officers=40, abstraction_rate=0.15, **target),
    ]
    results = [result(snap, i) for i in inputs]
    expected = results_table(list(zip(inputs, results, strict=True)))
    shown = at.dataframe[0].value
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected)
    assert list(shown.columns) == ["Figure", CURRENT_PLAN, "Scenario A", "Scenario B"]
    # the current plan is the overview's headline: the same dates
    plan = headline(Database(), snap, programme())
    assert (results[0].p50, results[0].p85, results[0].p95) == (plan.p50, plan.p85, plan.p95)


@pytest.mark.slow
def test_the_officers_needed_answer_is_officers_needed(demo_env: Path) -> None:
    at = page(snapshot="2026-03-06")
    at.date_input(key="find_start").set_value(date(2026, 3, 20))
    at.date_input(key="find_by").set_value(date(2026, 9, 25))
    at.button(key=FIND).click().run()
    assert not at.exception
    snap = snap_of(demo_env, "2026-03-06")
    inp = scenario(
        snap.as_of, "Scenario A", start_date=date(2026, 3, 20), target_date=date(2026, 9, 25)
    )
    found = answer(snap, inp)
    n = found.extra_officers
    assert n is not None and n > 0
    assert [s.value for s in at.success] == [answer_sentence(found)]
    assert (
        f"**{n} extra officers** from 20 March 2026 finish by 25 September 2026"
        in at.success[0].value
    )
    # one click shows the answer as Scenario A, against the finish-by date
    at.button(key="use_answer").click().run()
    assert at.number_input(key="a_extra").value == n
    assert at.date_input(key="a_start").value == date(2026, 3, 20)
    assert at.date_input(key="target").value == date(2026, 9, 25)
    table = at.dataframe[0].value.set_index("Figure")
    chance = table.loc["Chance of finishing by the target", "Scenario A"]
    assert int(chance.rstrip("%")) >= 85
    assert at.query_params["a_extra"] == str(n)


def test_the_answer_comes_in_one_submit(steady: rf.Fixture) -> None:
    """A planner gets the answer in one submit (its speed is measured in bench/, not here)."""
    at = page()
    at.date_input(key="find_by").set_value(date(2026, 5, 29))
    at.button(key=FIND).click().run()
    assert not at.exception
    snap = snap_of(steady.data_dir, "2026-03-06")
    n = answer(snap, scenario(snap.as_of, "A", target_date=date(2026, 5, 29))).extra_officers
    assert f"**{n} extra officers**" in at.success[0].value
    assert at.get("plotly_chart")  # the curve of extra officers against the P85 date


def test_levers_round_trip_through_the_link(steady: rf.Fixture) -> None:
    at = page(
        scenarios="3",
        a_extra="12",
        a_start="2026-03-23",
        b_prod="4.5",
        b_attrition="12.5",
        c_cost="70000",
        c_ramp="8",
        target="2026-06-30",
    )
    assert not at.exception
    assert not [w for w in at.warning if "link" in w.value]
    assert at.number_input(key="a_extra").value == 12
    assert at.date_input(key="a_start").value == date(2026, 3, 23)
    assert at.number_input(key="b_prod").value == 4.5
    assert at.slider(key="b_attrition").value == 12.5
    assert at.number_input(key="c_cost").value == 70000.0
    assert at.number_input(key="c_ramp").value == 8
    assert at.date_input(key="target").value == date(2026, 6, 30)
    assert [t.label for t in at.tabs] == ["Scenario A", "Scenario B", "Scenario C"]
    # the page writes back what it shows, and follows the widgets
    at.number_input(key="b_extra").set_value(7)
    at.number_input(key="a_extra").set_value(0)
    at.run()
    params = at.query_params
    assert params["b_extra"] == "7" and "a_extra" not in params
    assert params["a_start"] == "2026-03-23" and params["c_cost"] == "70000"
    # and a new session opened on that link shows the same levers
    again = page(**{k: v for k, v in params.items() if k != "role"})
    for key in ("b_extra", "a_extra", "c_cost", "c_ramp", "b_prod"):
        assert again.number_input(key=key).value == at.number_input(key=key).value
    assert again.dataframe[0].value.equals(at.dataframe[0].value)


def test_bad_link_values_warn_and_fall_back(steady: rf.Fixture) -> None:
    at = page(
        scenarios="9",
        a_extra="ten",
        a_abstraction="250",
        a_start="2025-01-01",
        target="30/04/2026",
        b_cost="1e9",
    )
    assert not at.exception
    warnings = [w.value for w in at.warning]
    for text in (
        "The link asked for `9` scenarios; it can show 1, 2 or 3. Showing 1.",
        "'Extra officers' of Scenario A to a value that cannot be used: `ten` is not a whole number. Using 0 instead.",
        "'Abstraction (% of time)' of Scenario A to a value that cannot be used: 250% is outside 0% to 95%",
        "1 January 2025 is outside 6 March 2026 to",
        "`30/04/2026` is not a date written YYYY-MM-DD. Using 2026-04-30 instead.",
        "1000000000 is outside 0 to 500000",
    ):
        assert any(text in w for w in warnings), text
    assert at.number_input(key="a_extra").value == 0
    assert at.date_input(key="a_start").value == date(2026, 3, 9)  # the Monday after
    assert "a_extra" not in at.query_params and "b_cost" not in at.query_params


def test_save_reload_and_delete(steady: rf.Fixture) -> None:
    at = page(a_extra="6", a_ramp="2")
    at.text_input(key="save_name").input("Six more")
    at.button(key="save").click().run()
    assert [s.value for s in at.success] == ["Saved `Six more`."]
    saved = store.load(steady.data_dir / "scenarios.duckdb", "six more")
    assert saved.inputs["extra_officers"] == 6 and saved.inputs["ramp_up_weeks"] == 2
    assert saved.as_of == rf.AS_OF
    # saving again under the same name is refused unless asked
    at.button(key="save").click().run()
    assert "`Six more` is saved already" in at.error[0].value
    # reload it into Scenario B
    at.number_input(key="scenarios").set_value(2).run()
    at.selectbox(key="load_name").set_value("Six more")
    at.selectbox(key="load_slot").set_value("b")
    at.button(key="load").click().run()
    assert not at.exception
    assert at.number_input(key="b_extra").value == 6
    assert at.number_input(key="b_ramp").value == 2
    assert at.toast[0].value == "Loaded `Six more` into Scenario B."
    table = at.dataframe[0].value.set_index("Figure")
    assert table.loc["Extra officers", "Scenario B"] == "6"
    # and delete it
    at.button(key="delete").click().run()
    assert store.list_saved(steady.data_dir / "scenarios.duckdb") == []
    assert not [s for s in at.selectbox if s.key == "load_name"]


def test_a_saved_scenario_from_an_earlier_snapshot_is_brought_into_range(
    steady: rf.Fixture,
) -> None:
    old = replace(scenario(rf.AS_OF, "x"), extra_officers=3, start_date=date(2026, 3, 6))
    store.save(steady.data_dir / "scenarios.duckdb", "Old", old, as_of=rf.AS_OF)
    at = page()
    at.button(key="load").click().run()
    assert not at.exception
    assert at.number_input(key="a_extra").value == 3
    assert at.date_input(key="a_start").value == date(2026, 3, 6)


def test_download_buttons_and_share_note(
    steady: rf.Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports_made = Exports(monkeypatch)
    at = page()
    assert not at.exception
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Projection (CSV)", "Scenario and projection (JSON)"]
    from reassess.config import settings
    from reassess.store.audit import AuditLog

    assert AuditLog(settings().audit_dir).read(action="export").empty
    csv_bytes = exports_made.click(0)
    assert csv_bytes
    exports = AuditLog(settings().audit_dir).read(action="export")
    assert len(exports) == 1 and exports.iloc[0]["detail"].endswith(".csv")
    assert any("address bar" in c.value for c in at.caption)


@pytest.mark.slow
def test_target_passed_on_the_latest_demo_snapshot(demo_env: Path) -> None:
    at = page()
    assert not at.exception
    assert at.date_input(key="find_by").value == date(2026, 9, 18)  # as of + 12 weeks
    table = at.dataframe[0].value.set_index("Figure")
    assert "The target date (30 April 2026) has passed." in table.loc["Notes", CURRENT_PLAN]


def test_roles(steady: rf.Fixture) -> None:
    assert not page(role="analyst").exception
    at = page(role="mayors_office")
    assert not at.exception
    assert "cannot open Scenarios" in at.error[0].value


def test_only_the_owner_or_a_commander_with_a_reason_deletes(steady: rf.Fixture) -> None:
    from reassess.config import settings
    from reassess.store.audit import AuditLog

    path = steady.data_dir / "scenarios.duckdb"
    store.save(path, "=Theirs", scenario(rf.AS_OF, "x"), as_of=rf.AS_OF, saved_by="ann@met")
    at = page(role="planner")
    at.button(key="delete").click().run()
    assert "was saved by `ann@met`: only they, or a commander" in at.toast[0].value
    assert [s.name for s in store.list_saved(path)] == ["=Theirs"]
    at = page(role="commander")
    at.text_input(key="change_reason").input("duplicate of the May plan").run()
    at.button(key="delete").click().run()
    assert not at.exception and store.list_saved(path) == []
    events = AuditLog(settings().audit_dir).read(action="scenario_delete")
    assert len(events) == 1
    event = events.iloc[0]
    assert event["detail"] == "=Theirs (saved by ann@met)"
    assert event["reason"] == "duplicate of the May plan" and event["role"] == "commander"


def test_a_scenario_name_is_neutralised_in_the_export(steady: rf.Fixture) -> None:
    from reassess.figures.scenarios import scenario_export

    snap = snap_of(steady.data_dir, "2026-03-06")
    inp = scenario(snap.as_of, "=HYPERLINK(1)")
    data = scenario_export(
        inp, result(snap, inp), position_for(Database(), snap, "planner"), programme(), snap
    )
    assert (
        data["scenario"]["name"] == "'=HYPERLINK(1)" and data["result"]["name"] == "'=HYPERLINK(1)"
    )
