"""Access below the UI: pages per role, the query runner's refusals, sign-in and failing closed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from reassess.access import (
    PAGES,
    ROLES,
    AccessDenied,
    can_open,
    can_run,
    load_access_map,
    pages_for,
)
from reassess.snapshot.ingest import ingest
from reassess.snapshot.listing import Listing, SnapshotInfo, list_snapshots
from reassess.snapshot.runner import Database
from reassess.snapshot.sql import load_queries
from tests.extracts import AS_OF, write_valid_extract

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
QUERIES = load_queries()
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret-0123456789abcdef",
    "client_id": "reassess-test",
    "client_secret": "not-a-secret",
    "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
}
GROUP_OF = {
    "commander": "reassess-commanders",
    "analyst": "reassess-analysts",
    "planner": "reassess-planners",
    "mayors_office": "reassess-mopac",
}
DATA_TESTIDS = ("metric", "dataframe", "plotly_chart", "arrow_vega_lite_chart", "table")


def registered(at: AppTest, *, refused: bool = False) -> list[str]:
    """The url paths of the pages app.py handed to st.navigation (the hidden home left out):
    the role's own pages (page files), or with refused=True the hidden refusals (callables)."""
    pages = at._registered_pages.values()  # noqa: SLF001 (AppTest has no public accessor)
    return [
        p["url_pathname"]
        for p in pages
        if p.get("url_pathname")
        and p["url_pathname"] != "home"
        and bool(p.get("script_path")) != refused
    ]


def shows_data(at: AppTest) -> bool:
    return any(len(at.get(kind)) for kind in DATA_TESTIDS)


# Pages per role, through app.py


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("via", ["session_state", "query_params"])
def test_each_role_is_given_exactly_its_pages(demo_env: Path, role: str, via: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    if via == "session_state":
        at.session_state["demo_role"] = role
    else:
        at.query_params["role"] = role
    at.run()

    assert not at.exception
    assert registered(at) == [p.page_id for p in pages_for(role)]
    # Every other page keeps its URL as a hidden refusal, so a typed link is refused and audited.
    assert sorted(registered(at, refused=True)) == sorted(
        p.page_id for p in PAGES if p not in pages_for(role)
    )
    first = pages_for(role)[0]
    assert [t.value for t in at.title] == [first.title]
    assert at.query_params["role"] == role


def test_the_page_table_is_what_the_architecture_says() -> None:
    expected = {
        "commander": {p.page_id for p in PAGES},
        "planner": {
            "overview",
            "throughput",
            "workload",
            "categories",
            "resources",
            "scenarios",
            "briefing",
            "reinvestigation",
        },
        "analyst": {
            "overview",
            "throughput",
            "workload",
            "categories",
            "data_quality",
            "resources",
            "scenarios",
            "briefing",
            "reinvestigation",
            "audit",
        },
        "mayors_office": {"briefing", "reinvestigation"},
    }
    assert {r: {p.page_id for p in pages_for(r)} for r in ROLES} == expected
    assert not can_open("commander", "no_such_page")
    assert not can_open("superuser", "overview")


@pytest.mark.parametrize(
    ("role", "page_id"),
    [(r, p.page_id) for r in ROLES for p in PAGES if r not in p.roles],
)
def test_a_forbidden_page_run_on_its_own_refuses_and_shows_no_data(
    demo_env: Path, role: str, page_id: str
) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page_id}.py"), default_timeout=60)
    at.session_state["demo_role"] = role
    at.run()

    assert not at.exception
    assert [e.value for e in at.error] == [
        f"The {role_label(role)} role cannot open {title(page_id)}. Choose a page from the menu; "
        "if you need this one, ask an administrator for a role that includes it."
    ]
    assert not shows_data(at)
    assert not at.title  # not even the page header


def role_label(role: str) -> str:
    from reassess.access import ROLE_LABELS

    return ROLE_LABELS[role]


def title(page_id: str) -> str:
    return next(p.title for p in PAGES if p.page_id == page_id)


# The query runner refuses every query above the role's level


@pytest.fixture(scope="module")
def snapshots(demo_dir: Path) -> Listing:
    return list_snapshots(demo_dir / "snapshots")


@pytest.fixture(scope="module")
def db() -> Database:
    return Database()


def sample_params(name: str, snap: SnapshotInfo, earlier: SnapshotInfo) -> dict[str, Any]:
    """Plausible values for every parameter a query declares (by name, else by type)."""
    by_name: dict[str, Any] = {
        "as_of": snap.as_of,
        "compare_as_of": earlier.as_of,
        "programme_start": date(2025, 11, 3),
        "dimension": "category",
        "rows": "category",
        "cols": "bcu",
        "row_value": "online",
        "col_value": "CE",
        "weeks": 8,
        "window_weeks": 4,
        "idle_weeks": 2,
        "overload": 25,
        "limit": 10,
    }
    by_type: dict[str, Any] = {
        "date": snap.as_of,
        "int": 4,
        "float": 1.0,
        "bool": False,
        "text": None,
        "text[]": None,
    }
    return {p: by_name.get(p, by_type[kind]) for p, kind in QUERIES[name].params.items()}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_runner_allows_a_query_only_at_the_roles_level(
    db: Database, snapshots: Listing, name: str, role: str
) -> None:
    q = QUERIES[name]
    snap = snapshots.get("2026-03-06")
    earlier = snapshots.get("2026-02-27")
    assert snap is not None and earlier is not None
    params = sample_params(name, snap, earlier)
    compare = earlier if q.compare else None
    allowed = can_run(role, q.access) and (role != "mayors_office" or bool(q.counts))

    if not allowed:
        with pytest.raises(AccessDenied) as refused:
            db.run(name, snap, role=role, compare=compare, **params)
        assert repr(name) in str(refused.value)
        return
    frame = db.run(name, snap, role=role, compare=compare, **params)
    assert frame is not None


@pytest.mark.parametrize("role", ["", "admin", "Commander", "commander ", None])
def test_an_unknown_role_is_refused_every_query(
    db: Database, snapshots: Listing, role: Any
) -> None:
    snap = snapshots.get("2026-03-06")
    assert snap is not None
    with pytest.raises(AccessDenied, match="unknown role"):
        db.run("kpis", snap, role=role)


def test_mayors_office_is_refused_an_aggregate_query_without_counts(
    db: Database, snapshots: Listing, tmp_path: Path
) -> None:
    query_dir = tmp_path / "queries"
    (query_dir / "pages").mkdir(parents=True)
    (query_dir / "pages" / "uncounted.sql").write_text(
        "-- purpose: a test aggregate with no count columns declared\n"
        "-- grain: one row\n-- params: none\n-- access: aggregate\n"
        "select count(*) as in_scope from cases\n"
    )
    snap = snapshots.get("2026-03-06")
    assert snap is not None
    local = Database(query_dir)
    with pytest.raises(AccessDenied, match="declares no count columns"):
        local.run("uncounted", snap, role="mayors_office")
    assert int(local.run("uncounted", snap, role="planner")["in_scope"].iloc[0]) > 0


# Failing closed: real data and no sign-in


@pytest.fixture(scope="module")
def real_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding one NON-synthetic snapshot (the test extract, ingested plainly)."""
    root = tmp_path_factory.mktemp("real")
    ingest(write_valid_extract(root / "extract"), AS_OF, root / "data" / "snapshots")
    return root / "data"


@pytest.fixture
def real_env(real_data: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Real (non-synthetic) data, served as it must be: with the audit key set."""
    monkeypatch.setenv("REASSESS_DATA_DIR", str(real_data))
    monkeypatch.setenv("REASSESS_AUDIT_KEY", "a" * 64)
    monkeypatch.delenv("REASSESS_DEMO_ROLE", raising=False)
    yield real_data


@pytest.mark.parametrize("script", ["app.py", "pages/overview.py", "pages/workload.py"])
@pytest.mark.parametrize("role", [None, "commander"])
def test_real_data_without_sign_in_shows_nothing(
    real_env: Path, script: str, role: str | None
) -> None:
    assert not list_snapshots(real_env / "snapshots").all_synthetic
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    if role:
        at.query_params["role"] = role
        at.session_state["demo_role"] = role
    at.run()

    assert not at.exception
    assert len(at.error) == 1
    assert "sign-in is not configured, so no data is shown" in at.error[0].value
    assert "`.streamlit/secrets.toml` (`[auth]`)" in at.error[0].value
    assert not shows_data(at)
    assert not at.selectbox  # no role picker, no snapshot picker
    # the router never reached st.navigation (under AppTest the page list would then fall back
    # to the pages/ folder, which `python -m reassess.ui.serve` turns off), and no page ran
    assert [t.value for t in at.title] == ["reassess"]


# Signed in: the role comes from config/access.toml


def signed_in(
    script: str, email: str, groups: list[str], *, logged_in: bool = True, **params: str
) -> AppTest:
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": logged_in, "email": email, "groups": groups}
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


@pytest.mark.parametrize("role", ROLES)
def test_a_signed_in_person_gets_the_role_of_their_group(demo_env: Path, role: str) -> None:
    at = signed_in("app.py", f"{role}@example.org", ["Some-Other-Group", GROUP_OF[role]])

    assert not at.exception
    assert registered(at) == [p.page_id for p in pages_for(role)]
    # Every other page keeps its URL as a hidden refusal, so a typed link is refused and audited.
    assert sorted(registered(at, refused=True)) == sorted(
        p.page_id for p in PAGES if p not in pages_for(role)
    )
    assert f"Signed in as {role}@example.org · {role_label(role)}" in [
        c.value for c in at.sidebar.caption
    ]
    assert not any(s.label == "View as (demo)" for s in at.selectbox)


def test_a_signed_in_person_cannot_pick_another_role_through_the_link(demo_env: Path) -> None:
    at = signed_in("app.py", "m@example.org", ["reassess-mopac"], role="commander")
    assert not at.exception
    assert registered(at) == ["briefing", "reinvestigation"]
    at = signed_in("pages/workload.py", "m@example.org", ["reassess-mopac"], role="commander")
    assert "The Mayor's office (MOPAC) role cannot open Workload." in at.error[0].value
    assert not shows_data(at)


def test_signed_in_on_real_data_is_served(real_env: Path) -> None:
    at = signed_in("app.py", "c@example.org", ["reassess-commanders"])
    assert not at.exception
    assert registered(at) == [p.page_id for p in pages_for("commander")]
    assert "OFFICIAL-SENSITIVE" in " ".join(c.value for c in at.caption)
    assert shows_data(at)


def test_real_data_without_the_audit_key_shows_nothing(
    real_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REASSESS_AUDIT_KEY")
    trail = real_env / "audit"
    before = sorted(p.read_bytes() for p in trail.glob("*.jsonl")) if trail.exists() else []
    at = signed_in("app.py", "c@example.org", ["reassess-commanders"])
    assert not at.exception
    assert not shows_data(at)
    assert any("the audit key is not set" in e.value for e in at.error)
    after = sorted(p.read_bytes() for p in trail.glob("*.jsonl")) if trail.exists() else []
    assert after == before  # no unsigned record was written


def test_an_identity_with_no_role_sees_the_polite_no_access_page_only(demo_env: Path) -> None:
    at = signed_in("app.py", "stranger@example.org", ["reassess-visitors"])

    assert not at.exception
    assert [i.value for i in at.info] == [
        "You are signed in as stranger@example.org, but this account has no role on the review "
        "dashboard, so there is nothing to show. If you need access, ask the review's data "
        "protection lead to add you."
    ]
    assert [b.label for b in at.button] == ["Sign out"]
    assert [t.value for t in at.title] == ["reassess"]
    assert not shows_data(at)
    assert not at.selectbox


def test_not_signed_in_sees_only_the_sign_in_button(demo_env: Path) -> None:
    at = signed_in("pages/overview.py", "", [], logged_in=False, role="commander")
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not shows_data(at)
    assert not at.selectbox


def test_the_access_map_matches_emails_domains_and_groups(tmp_path: Path) -> None:
    path = tmp_path / "access.toml"
    path.write_text(
        'groups_claim = "roles"\n'
        '[roles.commander]\nemails = ["Boss@Example.org"]\ngroups = []\n'
        '[roles.analyst]\nemails = ["@analysts.example.org"]\ngroups = []\n'
        '[roles.mayors_office]\nemails = []\ngroups = ["MOPAC"]\n'
    )
    access = load_access_map(path)
    assert access.groups_claim == "roles"
    assert access.role_for("boss@example.org") == "commander"
    assert access.role_for("a@analysts.example.org") == "analyst"
    assert access.role_for("a@evil-analysts.example.org") is None
    assert access.role_for("x@example.org", ["mopac"]) == "mayors_office"
    assert access.role_for("x@example.org", []) is None
    assert access.role_for(None) is None
