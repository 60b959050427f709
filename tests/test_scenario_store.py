"""Saved scenarios (a small DuckDB file) and scenario levers in links."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from reassess.model.scenarios import ScenarioInput
from reassess.store import scenarios as store

AS_OF = date(2026, 3, 6)
TARGET = date(2026, 4, 30)
ROOT = Path(__file__).resolve().parent.parent


def scenario(**overrides: object) -> ScenarioInput:
    return ScenarioInput.from_programme(AS_OF, name="test", **overrides)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "scenarios.duckdb"


def test_save_load_list_delete_round_trip(db: Path) -> None:
    inp = scenario(extra_officers=12, start_date=date(2026, 3, 16), productivity_per_fte=9.5)
    saved = store.save(db, "  Ten more from March ", inp, as_of=AS_OF, saved_by="planner@met")
    assert saved.name == "Ten more from March"
    loaded = store.load(db, "ten more from march")  # names match ignoring case and spaces
    assert loaded.name == "Ten more from March"
    assert loaded.as_of == AS_OF and loaded.saved_by == "planner@met"
    assert loaded.scenario(scenario()) == replace(inp, name="Ten more from March")
    assert loaded.inputs["start_date"] == "2026-03-16"
    assert loaded.inputs["isva_cases_per_adviser"] == [15, 20]
    store.save(db, "Another", scenario(), as_of=AS_OF)
    assert [s.name for s in store.list_saved(db)] == ["Another", "Ten more from March"]
    assert store.delete(db, "TEN MORE FROM MARCH", by="planner@met") == "Ten more from March"
    assert [s.name for s in store.list_saved(db)] == ["Another"]
    with pytest.raises(store.ScenarioNotFound, match="no saved scenario called `Ten more"):
        store.load(db, "Ten more from March")
    with pytest.raises(store.ScenarioNotFound, match="to delete"):
        store.delete(db, "Ten more from March")


def test_nothing_saved_yet_creates_no_file(db: Path) -> None:
    assert store.list_saved(db) == []
    with pytest.raises(store.ScenarioNotFound):
        store.load(db, "x")
    assert not db.exists()


def test_overwrite_is_refused_unless_asked(db: Path) -> None:
    store.save(db, "Plan", scenario(extra_officers=5), as_of=AS_OF)
    with pytest.raises(store.ScenarioExists, match="`Plan` is saved already"):
        store.save(db, "plan", scenario(extra_officers=9), as_of=AS_OF)
    assert store.load(db, "Plan").inputs["extra_officers"] == 5
    store.save(db, "plan", scenario(extra_officers=9), as_of=AS_OF, overwrite=True)
    saved = store.list_saved(db)
    assert [(s.name, s.inputs["extra_officers"]) for s in saved] == [("plan", 9)]


def test_only_the_owner_or_a_commander_with_a_reason_may_delete_or_replace(db: Path) -> None:
    store.save(db, "Mine", scenario(extra_officers=5), as_of=AS_OF, saved_by="ann@met")
    with pytest.raises(store.NotPermitted, match="was saved by `ann@met`: only they, or a"):
        store.delete(db, "Mine", by="bob@met", role="planner")
    with pytest.raises(store.NotPermitted, match="only they, or a commander"):
        store.save(
            db, "mine", scenario(), as_of=AS_OF, saved_by="bob@met", overwrite=True, role="analyst"
        )
    with pytest.raises(store.NotPermitted, match="give a reason of at least 10 characters"):
        store.delete(db, "Mine", by="cat@met", role="commander", reason="tidy")
    assert store.load(db, "Mine").inputs["extra_officers"] == 5  # nothing changed
    again = store.save(
        db, "Mine", scenario(extra_officers=7), as_of=AS_OF, saved_by="ann@met", overwrite=True
    )
    assert (again.replaced_owner, again.override_reason) == ("ann@met", "")
    over = store.save(
        db,
        "Mine",
        scenario(extra_officers=9),
        as_of=AS_OF,
        saved_by="cat@met",
        overwrite=True,
        role="commander",
        reason="superseded by the May plan",
    )
    assert (over.replaced_owner, over.override_reason) == ("ann@met", "superseded by the May plan")
    assert store.load(db, "Mine").saved_by == "cat@met"  # the new version is the commander's
    gone = store.delete_scenario(db, "Mine", by="cat@met", role="commander")
    assert (gone.name, gone.saved_by, gone.override_reason) == ("Mine", "cat@met", "")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("x" * 61, "61 characters long; shorten it to 60"),
        ("tab\there", "control character"),
    ],
)
def test_names_are_checked(db: Path, name: str, message: str) -> None:
    with pytest.raises(store.StoreError, match=message):
        store.save(db, name, scenario(), as_of=AS_OF)
    assert store.check_name("x" * 60) == "x" * 60


def test_sql_injection_in_a_name_is_only_text(db: Path) -> None:
    name = "x'); drop table scenarios; --"
    store.save(db, name, scenario(), as_of=AS_OF)
    assert [s.name for s in store.list_saved(db)] == [name]


def test_concurrent_saves_from_threads_all_land(db: Path) -> None:
    errors: list[BaseException] = []

    def save(i: int) -> None:
        try:
            store.save(db, f"Scenario {i:02d}", scenario(extra_officers=i), as_of=AS_OF)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    saved = store.list_saved(db)
    assert [s.inputs["extra_officers"] for s in saved] == list(range(16))


def test_concurrent_saves_of_one_name_keep_exactly_one(db: Path) -> None:
    outcomes: list[str] = []
    lock = threading.Lock()

    def save(i: int) -> None:
        try:
            store.save(db, "Same name", scenario(extra_officers=i), as_of=AS_OF)
            result = "saved"
        except store.ScenarioExists:
            result = "refused"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused"] * 11 + ["saved"]
    assert len(store.list_saved(db)) == 1


def test_concurrent_saves_from_two_processes(db: Path) -> None:
    code = (
        "import sys; from datetime import date; from reassess.store import scenarios as s; "
        "from reassess.model.scenarios import ScenarioInput as I; "
        "b = date(2026, 3, 6); "
        "[s.save(sys.argv[1], f'{sys.argv[2]} {i}', I.from_programme(b), as_of=b) "
        "for i in range(10)]"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db), who], cwd=ROOT) for who in "AB"]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert len(store.list_saved(db)) == 20


def test_store_sql_is_parameterised_and_loaded_from_files() -> None:
    for name in ("schema", "insert", "replace", "get", "list", "delete"):
        text = store.store_sql(name)
        assert text.startswith("-- purpose:")
        assert "{" not in text and "%s" not in text


def test_json_round_trip_and_bad_json() -> None:
    inp = scenario(extra_officers=3, productivity_per_fte=None, target_date=date(2026, 9, 30))
    data = json.loads(json.dumps(store.input_to_json(inp)))
    assert store.input_from_json(data, scenario()) == inp
    with pytest.raises(ValueError, match="unknown scenario field"):
        store.input_from_json({"officers": 3}, scenario())
    with pytest.raises(ValueError, match="'extra_officers' must be a whole number; got '3'"):
        store.input_from_json({"extra_officers": "3"}, scenario())
    with pytest.raises(ValueError, match="'start_date' must be a date"):
        store.input_from_json({"start_date": "next week"}, scenario())
    with pytest.raises(ValueError, match="abstraction_rate must be from 0 to below 1"):
        store.input_from_json({"abstraction_rate": 1.5}, scenario())


# --------------------------------------------------------------------------- levers in links


def defaults() -> dict[str, object]:
    values: dict[str, object] = {store.COUNT_KEY: 1, store.TARGET.key: TARGET}
    for slot in store.SLOTS:
        values |= store.slot_values(scenario(start_date=date(2026, 3, 13)), slot)
    return values


def test_levers_round_trip_through_a_link() -> None:
    inp = scenario(
        extra_officers=14,
        start_date=date(2026, 4, 6),
        ramp_up_weeks=6,
        productivity_per_fte=8.5,
        abstraction_rate=0.175,
        attrition_per_year=0.12,
        referral_rate_victim_support=0.25,
        investigator_hours_per_reinvestigation=150.0,
        loaded_cost_per_fte=70_500.0,
    )
    values = defaults() | store.slot_values(inp, "b") | {store.COUNT_KEY: 2}
    params: dict[str, str] = {"snapshot": "2026-03-06", "a_extra": "99"}
    store.write_link(params, values, defaults())
    assert params == {
        "snapshot": "2026-03-06",  # not this page's: left alone
        "scenarios": "2",
        "b_extra": "14",
        "b_start": "2026-04-06",
        "b_ramp": "6",
        "b_prod": "8.5",
        "b_abstraction": "17.5",
        "b_attrition": "12",
        "b_support": "25",
        "b_inv_hours": "150",
        "b_cost": "70500",
    }
    read, problems = store.read_link(params, defaults(), AS_OF, TARGET)
    assert problems == []
    assert read == values
    assert replace(scenario(), **store.slot_overrides(read, "b"), name="test") == replace(
        inp, name="test"
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "a_extra",
            "ten",
            "'Extra officers' of Scenario A to a value that cannot be used: `ten` is not a whole number. Using 0 instead.",
        ),
        ("a_extra", "501", "501 is outside 0 to 500"),
        ("b_extra", "2.5", "`2.5` is not a whole number"),
        ("a_abstraction", "120", "120% is outside 0% to 95%"),
        ("c_prod", "nan", "`nan` is not a number. Using the measured rate instead."),
        ("a_start", "2026-02-01", "1 February 2026 is outside 6 March 2026 to"),
        ("a_start", "01/04/2026", "`01/04/2026` is not a date written YYYY-MM-DD"),
        ("target", "2026-13-01", "'Target date (every scenario)' to a value that cannot be used"),
        ("scenarios", "7", "it can show 1, 2 or 3. Showing 1."),
        (
            "a_cost",
            "<script>" + "x" * 80,
            "`<script>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…` is not a number",
        ),
    ],
)
def test_bad_link_values_are_refused_with_a_reason(key: str, value: str, message: str) -> None:
    read, problems = store.read_link({key: value}, defaults(), AS_OF, TARGET)
    assert read == defaults()
    assert len(problems) == 1
    assert message in problems[0]


def test_a_past_target_from_config_is_a_valid_link_value() -> None:
    later = date(2026, 6, 26)
    read, problems = store.read_link({"target": "2026-04-30"}, defaults(), later, TARGET)
    assert problems == [] and read["target"] == TARGET
    assert store.clamp(store.LEVER_BY_KEY["start"], AS_OF, later, TARGET) == later


def test_widget_specs_follow_the_levers() -> None:
    kind, args = store.widget_spec(store.LEVER_BY_KEY["extra"], AS_OF, TARGET)
    assert (kind, args["min_value"], args["max_value"], args["step"]) == ("number_input", 0, 500, 1)
    kind, args = store.widget_spec(store.LEVER_BY_KEY["attrition"], AS_OF, TARGET)
    assert (kind, args["max_value"], args["format"]) == ("slider", 100.0, "%.1f%%")
    # abstraction left empty is the measured rate, shown as the placeholder
    kind, args = store.widget_spec(store.LEVER_BY_KEY["abstraction"], AS_OF, TARGET, None, 0.1234)
    assert (kind, args["max_value"], args["value"], args["placeholder"]) == (
        "number_input",
        95.0,
        None,
        "measured: 12.3%",
    )
    assert store.LEVER_BY_KEY["abstraction"].to_field(17.5) == 0.175
    assert store.LEVER_BY_KEY["abstraction"].to_field(None) is None
    kind, args = store.widget_spec(store.LEVER_BY_KEY["prod"], AS_OF, TARGET, 7.256)
    assert (kind, args["value"], args["placeholder"]) == ("number_input", None, "measured: 7.26")
    kind, args = store.widget_spec(store.TARGET, date(2026, 6, 26), TARGET)
    assert (kind, args["min_value"]) == ("date_input", TARGET)  # a passed target stays shown


def test_page_state_helpers() -> None:
    values = store.page_defaults(scenario(start_date=date(2026, 3, 13)), TARGET)
    assert values == defaults()
    shown = store.shown_defaults(values, 2)
    assert "b_extra" in shown and "c_extra" not in shown and "target" in shown
    later = date(2026, 6, 26)
    moved = store.out_of_bounds(values | {"b_start": date(2026, 7, 1)}, later, TARGET)
    assert moved == {"a_start": later, "c_start": later}  # b_start was already in bounds
    loaded = store.loaded_values(scenario(extra_officers=4), "c", 1, later, TARGET)
    assert loaded["c_extra"] == 4 and loaded["c_start"] == later and loaded["scenarios"] == 3
    assert loaded["target"] == TARGET


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Scenario A", "scenario-scenario-a-2026-03-06-SYNTHETIC"),
        ("=cmd|' /C calc'!A0", "scenario-cmd-c-calc-a0-2026-03-06-SYNTHETIC"),
        ("£££", "scenario-scenario-2026-03-06-SYNTHETIC"),
    ],
)
def test_export_file_names_are_safe(name: str, stem: str) -> None:
    assert store.export_stem(name, "2026-03-06", True) == stem


def test_link_values_are_shown_inert() -> None:
    hostile = "![x](http://203.0.113.9/t.png)`\n\n# heading"
    _, problems = store.read_link({"a_extra": hostile}, defaults(), AS_OF, TARGET)
    assert problems[0].startswith(
        "The link set 'Extra officers' of Scenario A to a value that cannot be used: "
        "`![x](http://203.0.113.9/t.png)# heading` is not a whole number."
    )
    assert store.quoted("") == "an empty value"


def test_a_scenario_saved_before_the_reinvestigation_levers_loads_with_none_set(db: Path) -> None:
    inp = scenario(extra_officers=5)
    older = {
        k: v
        for k, v in store.input_to_json(inp).items()
        if k not in {"extra_investigators", "investigators_from", "extra_isvas"}
    }
    loaded = store.input_from_json(json.loads(json.dumps(older)), scenario())
    assert loaded == inp
    assert (loaded.extra_investigators, loaded.investigators_from, loaded.extra_isvas) == (
        0,
        None,
        0,
    )


def test_the_reinvestigation_levers_are_saved_and_travel_in_a_link(db: Path) -> None:
    inp = scenario(
        start_date=date(2026, 3, 13),
        extra_investigators=8,
        investigators_from=date(2026, 4, 6),
        extra_isvas=2,
    )
    store.save(db, "Investigators", inp, as_of=AS_OF)
    assert store.load(db, "Investigators").scenario(scenario()) == replace(
        inp, name="Investigators"
    )
    values = defaults() | store.slot_values(inp, "a")
    params: dict[str, str] = {}
    store.write_link(params, values, defaults())
    assert params == {"a_inv_extra": "8", "a_inv_start": "2026-04-06", "a_isva_extra": "2"}
    read, problems = store.read_link(params, defaults(), AS_OF, TARGET)
    assert problems == [] and read == values
    _, problems = store.read_link({"a_inv_start": "2026-01-05"}, defaults(), AS_OF, TARGET)
    assert problems and "'Extra investigators start on' of Scenario A" in problems[0]
    with pytest.raises(ValueError, match="extra_investigators must be 0 or more"):
        scenario(extra_investigators=-1)
