"""disclose_frame: declared count columns through disclosure control; the runner applies it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from reassess.config import programme
from reassess.disclosure.frames import disclose_frame
from reassess.disclosure.tables import DisclosureError, protect_count, protect_series
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database
from tests.briefing_fixtures import SPEC_A, build_programme, snapshots_of

LABELS = {"<10", "[c]"}


def test_each_count_column_is_protected_down_the_column() -> None:
    frame = pd.DataFrame(
        {
            "bcu": ["CE", "CN", "AS", "AW"],
            "in_scope": [3, 27, 104, 0],
            "assessed": [12, 13, 14, 58],
            "hours": [1.5, 2.0, 7.0, 3.0],  # numeric-looking but not declared: left alone
        }
    )
    out = disclose_frame(frame, ("in_scope", "assessed"))
    for column in ("in_scope", "assessed"):
        expected = protect_series(frame[column], total=False).shown.iloc[:, 0].tolist()
        assert out[column].tolist() == expected
    # 3 is hidden, so a second figure in the column is too (the smallest non-zero: 27)
    assert out["in_scope"].tolist() == ["<10", "[c]", 105, 0]
    assert out["assessed"].tolist() == [10, 15, 15, 60]
    assert out["assessed"].dtype == "int64"  # nothing hidden: stays numeric
    assert out["bcu"].tolist() == frame["bcu"].tolist()
    assert out["hours"].tolist() == frame["hours"].tolist()
    assert frame["in_scope"].tolist() == [3, 27, 104, 0], "the input frame is not changed"


def test_a_one_row_frame_is_whole_programme_totals() -> None:
    frame = pd.DataFrame({"in_scope": [9233], "assessed": [7], "zero": [0], "fte": [3.5]})
    out = disclose_frame(frame, ("in_scope", "assessed", "zero"))
    assert out.iloc[0].tolist() == [
        protect_count(9233),
        "<10",
        0,
        3.5,
    ]
    assert out["in_scope"].iloc[0] == 9235


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([12, 13], [10, 15]),
        ([5, 40, 41], ["<10", "[c]", 40]),
        ([0, 0, 0], [0, 0, 0]),
        ([1, 2], ["<10", "<10"]),
        ([22.0, 48.0], [20, 50]),  # whole floats (e.g. sums) are counts too
        ([Decimal(12), Decimal(30)], [10, 30]),  # DECIMAL sums
    ],
)
def test_columns_table(values: list[float], expected: list[object]) -> None:
    out = disclose_frame(pd.DataFrame({"n": values}), ("n",))
    assert out["n"].tolist() == expected


def test_missing_values_stay_missing_and_take_no_part() -> None:
    frame = pd.DataFrame({"n": [25, None, 30]})
    out = disclose_frame(frame, ("n",))
    assert out["n"].tolist()[0] == 25 and out["n"].tolist()[2] == 30
    assert out["n"].tolist()[1] is None


def test_empty_frame_and_no_counts() -> None:
    empty = pd.DataFrame({"n": pd.Series([], dtype="int64")})
    assert disclose_frame(empty, ("n",)).empty
    frame = pd.DataFrame({"n": [3]})
    assert disclose_frame(frame, ()).equals(frame)


def test_a_declared_column_that_is_not_there_names_it() -> None:
    with pytest.raises(DisclosureError, match=r"'victims'.*counts:"):
        disclose_frame(pd.DataFrame({"n": [3]}), ("n", "victims"))


@pytest.mark.parametrize("values", [[-4], [float("inf"), 3.0], [2.5, 10]])
def test_a_bad_count_names_its_column(values: list[float]) -> None:
    with pytest.raises(DisclosureError, match=r"^the count column 'n': .*whole numbers"):
        disclose_frame(pd.DataFrame({"n": values}), ("n",))


def test_text_in_a_count_column_is_refused() -> None:
    with pytest.raises(DisclosureError, match=r"'n' holds the text 'CE'"):
        disclose_frame(pd.DataFrame({"n": ["CE", "CN"]}), ("n",))


# --- the runner, on a known-answer snapshot ----------------------------------------------


@pytest.fixture(scope="module")
def data_a(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_programme(tmp_path_factory.mktemp("frames"), SPEC_A)


NO_FILTERS = {
    "categories": None,
    "bcus": None,
    "priorities": None,
    "year_from": None,
    "year_to": None,
}


def _calls(latest: SnapshotInfo, compare: SnapshotInfo) -> list[tuple[str, dict]]:
    start = programme().programme_start
    return [
        ("kpis", {}),
        ("weekly_flow", {"as_of": latest.as_of, "weeks": 8}),
        ("burn_up", {"as_of": latest.as_of, "programme_start": start}),
        ("scope_history", {}),
        ("snapshot_manifest", {}),
        ("changes_since", {"compare": compare, "compare_as_of": compare.as_of}),
        *(("categories_breakdown", {"dimension": d, **NO_FILTERS}) for d in ("category", "bcu")),
        ("briefing_borough_category", {}),
        ("briefing_ethnicity", {}),
    ]


def test_runner_shows_the_mayors_office_no_count_below_10(data_a: Path) -> None:
    latest, compare = snapshots_of(data_a)
    db = Database()
    raw_small = 0
    for name, params in _calls(latest, compare):
        counts = db.query(name).counts
        assert counts, f"{name} declares no counts"
        shown = db.run(name, latest, role="mayors_office", **params)
        raw = db.run(name, latest, role="commander", **params)
        assert list(shown.columns) == list(raw.columns) and len(shown) == len(raw), name
        for column in counts:
            for value in shown[column]:
                if isinstance(value, str):
                    assert value in LABELS, (name, column, value)
                else:
                    assert value == 0 or (value >= 10 and value % 5 == 0), (name, column, value)
            raw_small += sum(1 for v in raw[column] if 1 <= v <= 9)
        undeclared = [c for c in raw.columns if c not in counts]
        assert shown[undeclared].equals(raw[undeclared]), name
    assert raw_small > 0, "the fixture has small counts, so the check above means something"


def test_runner_refuses_a_query_without_declared_counts(data_a: Path) -> None:
    from reassess.access import AccessDenied
    from reassess.snapshot.runner import Query

    latest, _ = snapshots_of(data_a)
    db = Database()
    q = db.query("kpis")
    db.queries["kpis_no_counts"] = Query(
        "kpis_no_counts", q.sql, q.purpose, q.grain, q.params, q.access, (), q.compare
    )
    with pytest.raises(AccessDenied, match="declares no count columns"):
        db.run("kpis_no_counts", latest, role="mayors_office")
