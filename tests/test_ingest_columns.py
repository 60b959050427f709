"""Column-wise validation gives the verdicts and words of the cell-by-cell reference check.

The SQL shortcuts (pystrip, the reference pattern, the candidate filters) are checked against
Python on generated values, and a whole extract read by DuckDB's CSV reader against the same
extract read by Python's csv module.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reassess.extract.csvload as csvload
from reassess.extract.cells import Bad, CellChecker
from reassess.extract.columns import WHITESPACE, candidates, define_macros
from reassess.extract.contract import CASES, OFFICERS, REF_PATTERN, REF_RE
from reassess.extract.issues import ExtractError
from reassess.snapshot.ingest import ingest
from tests.extracts import AS_OF, mutate_csv, write_valid_extract

ALPHABET = st.sampled_from(
    list("aZ09/_-., :+=@\"'é") + [" ", "\t", "\u00a0", "\u3000", "\u2028", "\x1c", "Ｋ", "\u212a"]
)
VALUES = st.one_of(
    st.text(ALPHABET, max_size=14),
    st.sampled_from(
        [
            "2025-04-03",
            "03/04/2025",
            " 3/4/2025 ",
            "2025-02-31",
            "12/31/2025",
            "7",
            "-1",
            "0.8",
            "1.50",
            ".5",
            "+3",
            "3.0",
            " HIGH ",
            "Assessed",
            "ce",
            " hackney",
            "\u212aensington and Chelsea",
        ]
    ),
)


def test_whitespace_is_what_str_strip_removes() -> None:
    assert WHITESPACE == "".join(c for c in map(chr, range(0x110000)) if c.isspace())


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    define_macros(c)
    return c


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(VALUES)
def test_sql_strip_and_reference_pattern_agree_with_python(
    con: duckdb.DuckDBPyConnection, value: str
) -> None:
    stripped, ref_ok = con.execute(
        f"select pystrip($v), regexp_full_match(pystrip($v), '{REF_PATTERN}')", {"v": value}
    ).fetchall()[0]
    assert stripped == value.strip()
    assert ref_ok == bool(REF_RE.match(value.strip()))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(VALUES)
def test_a_value_the_candidate_filter_drops_is_one_python_refuses(value: str) -> None:
    checker = CellChecker()
    for col in (*CASES, *OFFICERS):
        if col.kind == "ref":
            continue
        kept = candidates(pa.array([value]), col)[0]
        if not kept:
            assert isinstance(checker.check(col, value), Bad), (col.name, value)


def _outcome(folder: Path, tmp_path: Path, name: str) -> object:
    try:
        result = ingest(folder, AS_OF, tmp_path / name)
    except ExtractError as exc:
        return [str(i) for i in exc.issues]
    con = duckdb.connect(str(result.path), read_only=True)
    try:
        return [
            con.execute("select * exclude (source_row) from cases order by source_row").fetchall(),
            con.execute("select * from officers order by source_row").fetchall(),
        ]
    finally:
        con.close()


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["category", "victims", "reported_date", "officer_ref", "hours_spent", "bcu"]
            ),
            st.integers(2, 6),
            VALUES,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_duckdb_and_python_readers_give_the_same_verdicts(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    changes: list[tuple[str, int, str]],
) -> None:
    tmp = tmp_path_factory.mktemp("same")
    folder = write_valid_extract(tmp / "extract")
    for column, row, value in changes:
        mutate_csv(folder, "cases.csv", row, column, value.replace('"', ""))
    fast = _outcome(folder, tmp, "fast")
    with monkeypatch.context() as m:
        m.setattr(csvload, "_load_plain", lambda *a, **k: None)
        slow = _outcome(folder, tmp, "slow")
    assert fast == slow
