"""Every queries/pages/*.sql parses, declares its header, and runs against snapshots built by ingest."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reassess.snapshot.ingest import ingest
from reassess.snapshot.listing import SnapshotInfo, list_snapshots
from reassess.snapshot.runner import Database
from reassess.snapshot.sql import QUERY_DIR, QueryError, expand_includes, load_queries, parse_query

ROOT = Path(__file__).resolve().parent.parent
QUERIES = load_queries()


def default_params(q: Any, snap: SnapshotInfo, compare: SnapshotInfo | None) -> dict[str, Any]:
    """A valid value for every declared parameter, by its type."""
    values: dict[str, Any] = {}
    for name, kind in q.params.items():
        if kind == "date":
            values[name] = compare.as_of if (name.startswith("compare") and compare) else snap.as_of
            if name == "programme_start":
                values[name] = date(2025, 11, 3)
        elif kind == "int":
            values[name] = 8
        elif kind == "float":
            values[name] = 1.0
        elif kind == "bool":
            values[name] = False
        else:
            values[name] = None
    return values


@pytest.fixture(scope="module")
def example_snapshots(tmp_path_factory: pytest.TempPathFactory) -> list[SnapshotInfo]:
    """The docs example extract ingested for two as-of dates (the second compares with the first)."""
    folder = tmp_path_factory.mktemp("example") / "snapshots"
    for as_of in (date(2026, 1, 23), date(2026, 1, 30)):
        ingest(
            ROOT / "docs" / "examples" / "extract", as_of, folder, synthetic=True, progress=False
        )
    return list(list_snapshots(folder).snapshots)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_runs_on_example_snapshot(name: str, example_snapshots: list[SnapshotInfo]) -> None:
    q = QUERIES[name]
    first, second = example_snapshots
    db = Database()
    frame = db.run(
        name,
        second,
        role="commander",
        compare=first if q.compare else None,
        **default_params(q, second, first),
    )
    assert list(frame.columns), name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_runs_on_demo_snapshot(name: str, demo_dir: Path) -> None:
    listing = list_snapshots(demo_dir / "snapshots")
    snap = listing.get("2026-03-06")
    assert snap is not None
    compare = listing.previous(snap)
    q = QUERIES[name]
    frame = Database().run(
        name,
        snap,
        role="commander",
        compare=compare if q.compare else None,
        **default_params(q, snap, compare),
    )
    assert len(frame.columns) > 0


def test_every_query_declares_purpose_grain_params_access() -> None:
    for q in QUERIES.values():
        assert q.purpose and q.grain and q.access, q.name
        for line in q.sql.splitlines()[:6]:
            if line.startswith("-- access:"):
                break
        else:
            pytest.fail(f"{q.name}: the access line must be in the header")


def test_runner_checks_parameters_exactly(example_snapshots: list[SnapshotInfo]) -> None:
    snap = example_snapshots[-1]
    db = Database()
    with pytest.raises(QueryError, match=r"missing: weeks; not declared: none"):
        db.run("weekly_flow", snap, role="commander", as_of=snap.as_of)
    with pytest.raises(QueryError, match=r"not declared: bcu"):
        db.run("weekly_flow", snap, role="commander", as_of=snap.as_of, weeks=4, bcu="CE")
    with pytest.raises(QueryError, match=r"\$weeks must be int; got str"):
        db.run("weekly_flow", snap, role="commander", as_of=snap.as_of, weeks="4")
    with pytest.raises(QueryError, match="no query named 'nope'"):
        db.run("nope", snap, role="commander")


def test_header_and_sql_must_agree() -> None:
    text = "-- purpose: x\n-- grain: one row\n-- params: $a date\n-- access: aggregate\nselect $b"
    with pytest.raises(QueryError, match="declares \\['a'\\] but the SQL uses \\['b'\\]"):
        parse_query("bad", text)
    with pytest.raises(QueryError, match="access 'secret' is not one of"):
        parse_query("bad", text.replace("aggregate", "secret").replace("$b", "$a"))
    with pytest.raises(QueryError, match="no '-- grain:' line"):
        parse_query("bad", "-- purpose: x\n-- params: none\n-- access: aggregate\nselect 1")


def test_a_shared_fragment_is_written_once_and_checked_with_the_query(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "shared" / "recent.sql").write_text(
        "recent as (select * from cases where completed_date > $since)\n"
    )
    head = "-- purpose: p\n-- grain: g\n-- params: $since date\n-- access: aggregate\n"
    (tmp_path / "pages" / "counted.sql").write_text(
        head + "with\n-- include: recent\nselect count(*) from recent"
    )
    query = load_queries(tmp_path)["counted"]
    assert query.params == {"since": "date"}  # the fragment's parameter is the query's
    assert "completed_date > $since" in query.sql and "include" not in query.sql
    # The header must declare what the fragment uses, as for any other SQL.
    (tmp_path / "pages" / "counted.sql").write_text(
        head.replace("$since date", "none") + "with\n-- include: recent\nselect 1"
    )
    with pytest.raises(QueryError, match=r"declares \[\] but the SQL uses \['since'\]"):
        load_queries(tmp_path)
    with pytest.raises(
        QueryError, match="includes 'missing', but there is no queries/shared/missing.sql"
    ):
        expand_includes("q", "with\n-- include: missing\nselect 1", tmp_path)


def test_the_workload_queries_share_one_definition_of_an_officer_row() -> None:
    queries = load_queries()
    shared = (QUERY_DIR / "shared" / "workload_officer_rows.sql").read_text().rstrip("\n")
    for name in ("workload_by_officer", "workload_by_team"):
        assert shared in queries[name].sql


def test_results_are_cached_and_independent_copies(example_snapshots: list[SnapshotInfo]) -> None:
    snap = example_snapshots[-1]
    db = Database()
    a = db.run("kpis", snap, role="commander")
    a.loc[0, "in_scope"] = -1
    b = db.run("kpis", snap, role="commander")
    assert int(b.loc[0, "in_scope"]) == 8


def test_scope_history_carries_every_earlier_snapshot(demo_dir: Path) -> None:
    listing = list_snapshots(demo_dir / "snapshots")
    latest = listing.latest
    assert latest is not None
    hist = Database().run("scope_history", latest, role="commander")
    assert [d.date() for d in hist["as_of"]] == [s.as_of for s in listing.snapshots]
    assert list(hist["in_scope"]) == [s.in_scope for s in listing.snapshots]
    assert list(hist["assessed"]) == [s.assessed for s in listing.snapshots]


def test_a_shared_fragment_can_rename_its_parameter(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "shared" / "pick.sql").write_text("case $dimension when 'a' then 1 end\n")
    head = "-- purpose: p\n-- grain: g\n-- params: $rows text, $cols text\n-- access: aggregate\n"
    body = (
        "select\n    -- include: pick with $dimension = $rows\n    as r,\n"
        "    -- include: pick with $dimension = $cols\n    as c\n"
    )
    (tmp_path / "pages" / "two.sql").write_text(head + body)
    query = load_queries(tmp_path)["two"]
    assert "    case $rows when 'a' then 1 end\n    as r" in query.sql
    assert "case $cols when" in query.sql and "$dimension" not in query.sql
    with pytest.raises(QueryError, match=r"renames \$nothing, but queries/shared/pick.sql"):
        expand_includes("q", "-- include: pick with $nothing = $rows", tmp_path)
    with pytest.raises(QueryError, match="must rename parameters like"):
        expand_includes("q", "-- include: pick with rows", tmp_path)


def test_the_dimension_expression_is_written_once() -> None:
    shared = (QUERY_DIR / "shared" / "dimension.sql").read_text()
    for path in (QUERY_DIR / "pages").glob("*.sql"):
        assert "when 'original_outcome' then original_outcome" not in path.read_text(), path
    queries = load_queries()
    assert shared.splitlines()[1].strip() in queries["categories_crosstab"].sql
