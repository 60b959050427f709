"""The shell every page shares: identity and role, snapshot pickers in the URL, banners."""

from __future__ import annotations

import streamlit as st

from reassess.access import PAGE_BY_ID, ROLE_LABELS, ROLES
from reassess.config import programme, settings
from reassess.disclosure.releases import RESTRICTED_ROLES, allowed_compares
from reassess.present import window_state
from reassess.present.marking import CLASSIFICATION
from reassess.snapshot.listing import Listing, SnapshotInfo, list_snapshots
from reassess.ui.context import CTX_KEY, PageContext
from reassess.ui.database import database
from reassess.ui.identity import resolve_identity
from reassess.ui.style import add_app_css

NO_COMPARE = "(none)"
NOTICES_KEY = "_link_notices"


def render_shell() -> PageContext:
    """Resolve who is looking and which snapshots; store the context for the page; or stop."""
    cfg = settings()
    listing = list_snapshots(cfg.snapshot_dir)
    if not listing.snapshots:
        first_run(cfg.snapshot_dir, listing)
        st.stop()
    identity = resolve_identity(listing)
    snapshot, compare = snapshot_pickers(listing, identity.role)
    prog = programme()
    window = forecast_window(int(prog.throughput_window_weeks))
    show_notices()
    ctx = PageContext(
        role=identity.role,
        user=identity.user,
        snapshot=snapshot,
        compare=compare,
        listing=listing,
        db=database(),
        programme=prog,
        window=window,
    )
    st.session_state[CTX_KEY] = ctx
    return ctx


def first_run(snapshot_dir: object, listing: Listing) -> None:
    """A friendly screen when there is no snapshot to show."""
    st.title("reassess")
    st.info(
        f"There are no snapshots in `{snapshot_dir}` yet, so there is nothing to show.\n\n"
        "To build the synthetic demonstration programme, run:\n\n"
        "```\nmake run\n```\n"
        "or `python -m reassess demo`. To load a real weekly extract, run:\n\n"
        "```\npython -m reassess ingest PATH --as-of YYYY-MM-DD\n```\n"
        "(see docs/data-contract.md), then reload this page."
    )
    for broken in listing.broken:
        st.warning(f"Skipped {broken.path.name}: it {broken.reason}.")


def snapshot_pickers(
    listing: Listing, role: str = "commander"
) -> tuple[SnapshotInfo, SnapshotInfo | None]:
    """Sidebar pickers for the snapshot and its comparison, kept in the URL.

    The Mayor's office is offered only the fixed comparisons (reassess/disclosure/releases.py):
    the previous week, four weeks back and the programme start."""
    labels = [s.label for s in reversed(listing.snapshots)]
    _seed_from_url("snapshot", labels, labels[0], "snapshot")
    chosen = st.sidebar.selectbox(
        "Snapshot (as-of date)",
        labels,
        key="snapshot",
        help="Each snapshot is one weekly extract of the case tracker. Every figure is as at this date.",
    )
    snapshot = listing.get(chosen) or listing.snapshots[-1]
    earlier = [s.label for s in reversed(listing.snapshots) if s.as_of < snapshot.as_of]
    if role in RESTRICTED_ROLES:
        earlier = [s.label for s in allowed_compares(listing, snapshot).values()]
    options = [*earlier, NO_COMPARE]
    previous = earlier[0] if earlier else NO_COMPARE
    if st.session_state.get("compare") not in options:
        st.session_state.pop("compare", None)
    _seed_from_url("compare", options, previous, "comparison snapshot")
    compare_label = st.sidebar.selectbox(
        "Compare with",
        options,
        key="compare",
        help="Changes and deltas are shown against this earlier snapshot.",
    )
    compare = listing.get(compare_label) if compare_label != NO_COMPARE else None
    st.query_params["snapshot"] = snapshot.label
    st.query_params["compare"] = compare_label if compare else "none"
    if listing.broken:
        st.sidebar.warning(
            f"{len(listing.broken)} snapshot file(s) could not be read and were skipped; "
            "see Data quality."
        )
    return snapshot, compare


def forecast_window(default: int) -> int:
    """The forecast window every page shares: a sidebar picker seeded from the link and kept in
    it (reassess.present.window_state), so it does not reset when another page is opened."""
    key = window_state.WINDOW_KEY
    options = window_state.window_options(default)
    if st.session_state.get(key) not in options:
        value, problem = window_state.read_window(st.query_params.to_dict(), default)
        if problem:
            notice(problem)
        st.session_state[key] = value
    window = int(
        st.sidebar.select_slider(
            window_state.LABEL, options=options, key=key, help=window_state.HELP
        )
    )
    window_state.write_window(st.query_params, window)
    return window


def _seed_from_url(key: str, options: list[str], default: str, what: str) -> None:
    """Set a picker's first value from the URL, or explain why the URL's value was ignored."""
    if key in st.session_state and st.session_state[key] in options:
        return
    wanted = st.query_params.get(key)
    if wanted == "none" and NO_COMPARE in options:
        wanted = NO_COMPARE
    if wanted is not None and wanted not in options:
        notice(
            f"The link asked for {what} {literal(wanted)}, which does not exist; "
            f"showing {default} instead."
        )
        wanted = None
    st.session_state[key] = wanted if wanted is not None else default


def notice(message: str) -> None:
    """Queue a sidebar warning about the link; kept until a page has shown it (survives the
    landing page's redirect to the role's first page)."""
    pending = st.session_state.setdefault(NOTICES_KEY, [])
    if message not in pending:
        pending.append(message)


def show_notices() -> None:
    """Show the queued link warnings in the sidebar."""
    for message in st.session_state.get(NOTICES_KEY, []):
        st.sidebar.warning(message)


def literal(text: str, limit: int = 40) -> str:
    """Text from a URL shown inertly: a markdown code span, so it never renders as a link or image."""
    cleaned = "".join(ch for ch in str(text)[:limit] if ch.isprintable() and ch != "`")
    return f"`{cleaned}`" if cleaned else "(empty)"


def page_header(ctx: PageContext, page_id: str) -> None:
    """The title, the data marking and the as-of line at the top of every page."""
    spec = PAGE_BY_ID[page_id]
    add_app_css(ctx.snapshot.synthetic)
    if ctx.snapshot.synthetic:
        st.warning(
            "**SYNTHETIC DATA** — a demonstration programme generated by software. "
            "No real case, victim, suspect or officer is shown.",
            icon=":material/science:",
        )
    else:
        st.caption(f"**{CLASSIFICATION}** — need to know only.")
    st.title(spec.title)
    compare = f" · compared with {ctx.compare.label}" if ctx.compare else ""
    st.caption(
        f"As at **{ctx.snapshot.as_of:%A %-d %B %Y}** (snapshot {ctx.snapshot.label}){compare} · "
        f"viewing as {ROLE_LABELS[ctx.role]}"
    )


def role_selector(default: str) -> str:
    """Demo mode only: choose the role to view as (no sign-in while every snapshot is synthetic)."""
    if st.session_state.get("demo_role") not in ROLES:
        wanted = st.query_params.get("role")
        if wanted is not None and wanted not in ROLES:
            notice(f"The link asked for role {literal(wanted)}, which does not exist.")
            wanted = None
        st.session_state["demo_role"] = wanted or default
    role = st.sidebar.selectbox(
        "View as (demo)",
        ROLES,
        key="demo_role",
        format_func=lambda r: ROLE_LABELS[r],
        help="Demo mode: sign-in is off because every snapshot is synthetic.",
    )
    st.query_params["role"] = role
    return str(role)
