"""Recording what people do on the dashboard in the audit trail (the Streamlit side).

Each `record_*` builds an AuditEvent for the person in the page context and appends it with
`AuditLog(settings().audit_dir).record`. Failing closed: when the audit cannot be written,
`record_drilldown` and `audited_download` show an error and stop the page before any case-level
data or file is shown, and `record_page_view` stops the page too, because an unrecorded view of
OFFICIAL-SENSITIVE figures is not allowed. The audit never holds case data: only names of what
was opened or exported, the filters, a row count and the reason given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any, NoReturn

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from reassess.access import require_level
from reassess.config import settings
from reassess.store.audit import (
    MAX_FILTERS,
    MAX_PAGE,
    MAX_REASON,
    MIN_REASON,
    NO_ROLE,
    PAGE_RE,
    AuditError,
    AuditEvent,
    AuditKeyMissing,
    AuditLog,
    InvalidAuditEvent,
    filters_json,
    looks_like_case_refs,
    open_trail,
)
from reassess.ui.context import PageContext

LAST_VIEW_KEY = "_audit_last_view"  # the page being visited and the views recorded on it
SCENARIO_ACTIONS = {
    "save": "scenario_save",
    "delete": "scenario_delete",
    "overwrite": "scenario_overwrite",
}
FILTER_VALUE_CHARS = 80
FILTER_LIST_ITEMS = 20
LOG = logging.getLogger("reassess.store.audit")


def audit_log() -> AuditLog:
    """The audit trail in REASSESS_DATA_DIR/audit (signing refused unkeyed on real data)."""
    return open_trail(settings())


def _short(value: Any) -> Any:
    """A filter value cut down to size: text to 80 characters, lists to their first 20 items."""
    if isinstance(value, str):
        return value[:FILTER_VALUE_CHARS]
    if isinstance(value, list | tuple | set | frozenset):
        return [_short(v) for v in list(value)[:FILTER_LIST_ITEMS]]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:FILTER_VALUE_CHARS]


def _context_filters(ctx: PageContext, filters: dict[str, Any] | None) -> str:
    """The comparison snapshot and the page's filters as JSON text, bounded in size.

    Pass filter values after they were checked against their allow-lists, never raw link text.
    """
    merged = {"compare": ctx.compare.label if ctx.compare else None}
    merged.update({str(k)[:40]: _short(v) for k, v in (filters or {}).items()})
    text = filters_json(merged)
    if len(text) > MAX_FILTERS or looks_like_case_refs(text):
        text = filters_json({"compare": merged["compare"], "filters": "not recorded (too long)"})
    return text


def _event(ctx: PageContext, action: str, page: str, **fields: Any) -> AuditEvent:
    return AuditEvent(
        user=ctx.user,
        role=ctx.role,
        action=action,
        page=page,
        snapshot=ctx.snapshot.as_of,
        **fields,
    )


def _current_page() -> str:
    """The page id of the running page, from its URL path (empty outside st.navigation)."""
    try:
        run = get_script_run_ctx()
        if run is None:
            return ""
        current = run.pages_manager.get_pages().get(run.page_script_hash)
        name = str(current.get("url_pathname", "") or "") if current is not None else ""
    except Exception:  # best effort: the page id is a nicety, the event is recorded anyway
        return ""
    return name if PAGE_RE.match(name) and len(name) <= MAX_PAGE else ""


def fail_closed(what: str, exc: AuditError) -> NoReturn:
    """Explain that nothing is shown because the audit could not be written; stop the page.

    The details (file, operating-system error) go to the server log, not to the screen.
    """
    LOG.error("audit trail not written, %s withheld: %s", what.lower(), exc)
    if isinstance(exc, AuditKeyMissing):
        st.error(
            f"{what} is not shown, because the audit key is not set: on real data every audit "
            "record is signed. An administrator sets REASSESS_AUDIT_KEY (docs/operations.md, "
            "'The audit key').",
            icon=":material/gpp_bad:",
        )
    elif isinstance(exc, InvalidAuditEvent) and "reason" in str(exc):
        st.error(
            f"{what} is not shown, because the reason cannot be recorded: give it in words, "
            "without listing case or officer references.",
            icon=":material/gpp_bad:",
        )
    else:
        st.error(
            f"{what} is not shown, because the audit trail could not be written. Tell the "
            "service's administrator (the server log says why); nothing is shown until the "
            "audit can be written.",
            icon=":material/gpp_bad:",
        )
    st.stop()


def record_page_view(ctx: PageContext, page_id: str, filters: dict[str, Any] | None = None) -> None:
    """Record a page view; stop the page if the audit cannot be written.

    Recorded once per visit to a page for each snapshot and filter choice, not on every rerun;
    going to another page and back is a new visit. `filters`: values already checked against
    their allow-lists (they are cut to size and never hold case references)."""
    try:
        event = _event(ctx, "page_view", page_id, filters=_context_filters(ctx, filters))
        seen = (event.user, event.role, event.snapshot, event.filters)
        visit = st.session_state.get(LAST_VIEW_KEY)
        if not isinstance(visit, dict) or visit.get("page") != page_id:
            visit = {"page": page_id, "seen": set()}  # a new visit to this page
        if seen in visit["seen"]:
            return
        audit_log().record(event)
    except AuditError as exc:
        fail_closed("This page", exc)
    visit["seen"].add(seen)
    st.session_state[LAST_VIEW_KEY] = visit


def record_drilldown(
    ctx: PageContext,
    what: str,
    reason: str,
    row_count: int,
    *,
    page: str | None = None,
    filters: dict[str, Any] | None = None,
) -> None:
    """Record that a case-level list (`what`: its query name) was opened and why; stop on failure.

    Call it before the list is shown: if the audit cannot be written, the page stops here.
    """
    try:
        event = _event(
            ctx,
            "drilldown",
            page if page is not None else _current_page(),
            detail=what,
            reason=reason.strip(),
            rows=int(row_count),
            filters=_context_filters(ctx, filters),
        )
        audit_log().record(event)
    except AuditError as exc:
        fail_closed("The case list", exc)


def record_export(
    ctx: PageContext,
    what: str,
    *,
    page: str | None = None,
    rows: int | None = None,
    filters: dict[str, Any] | None = None,
) -> None:
    """Record an export (`what`: the file name, e.g. "briefing.pdf"); raises AuditError."""
    audit_log().record(
        _event(
            ctx,
            "export",
            page if page is not None else _current_page(),
            detail=what,
            rows=rows,
            filters=_context_filters(ctx, filters),
        )
    )


def record_scenario(
    ctx: PageContext,
    action: str,
    name: str,
    *,
    page: str = "scenarios",
    owner: str | None = None,
    reason: str = "",
) -> None:
    """Record a scenario saved, replaced or deleted (`action`: "save", "overwrite" or
    "delete"), with the owner of the one replaced or deleted when it was someone else's and
    the commander's reason; raises AuditError."""
    kind = SCENARIO_ACTIONS.get(action, action)
    detail = name if owner in (None, ctx.user) else f"{name} (saved by {owner})"
    audit_log().record(_event(ctx, kind, page, detail=detail[:200], reason=reason))


def record_sign_in(user: str, role: str | None) -> None:
    """Record a sign-in (role None: signed in but no role); raises AuditError."""
    audit_log().record(AuditEvent(user=user, role=role or NO_ROLE, action="sign_in"))


def record_access_denied(user: str, role: str | None, page_id: str, detail: str = "") -> None:
    """Record a refused page or query; never raises (a refusal is shown either way)."""
    try:
        audit_log().record(
            AuditEvent(
                user=user,
                role=role or NO_ROLE,
                action="access_denied",
                page=page_id if PAGE_RE.match(page_id) and len(page_id) <= MAX_PAGE else "",
                detail=detail[:200],
            )
        )
    except AuditError:
        pass


def require_reason(key: str, what: str) -> str | None:
    """Ask why a case-level list is needed; the stripped reason once long enough, else None."""
    reason = st.text_input(
        f"Reason for opening {what}",
        key=key,
        max_chars=min(300, MAX_REASON),
        placeholder="e.g. checking the cases behind this figure before the weekly review",
        help=(
            "Case-level lists are need-to-know. Your reason is recorded in the audit trail with "
            f"your name, the snapshot and the list; at least {MIN_REASON} characters."
        ),
    )
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        st.caption(
            f"Type a reason of at least {MIN_REASON} characters to open the list (it is recorded)."
        )
        return None
    return reason


def audited_download(
    ctx: PageContext,
    *,
    label: str,
    data: bytes | Callable[[], bytes],
    file_name: str,
    mime: str,
    key: str,
    rows: int | None = None,
    filters: dict[str, Any] | None = None,
    page: str | None = None,
) -> None:
    """One click: the download button records the export, then makes the file.

    Streamlit runs the button's data callable when it is clicked, so the audit record is written
    before a byte leaves (a download already made cannot be recalled). When the record cannot be
    written the callable raises, and no file is sent: the browser reports a failed download, and
    the reason goes to the server log. A trail that cannot be opened at all (no audit key on
    real data) is found before the button is offered, and said on the page instead.
    """
    try:
        audit_log()
    except AuditError as exc:
        fail_closed("The export", exc)
    page_id = page if page is not None else _current_page()  # read here: the click has no page
    file = exported(
        lambda: record_export(ctx, file_name, page=page_id, rows=rows, filters=filters), data
    )
    st.download_button(
        label,
        file,
        file_name=file_name,
        mime=mime,
        key=key,
        on_click="ignore",
        icon=":material/download:",
        help=f"{file_name}; the export is recorded in the audit trail.",
    )


def exported(record: Callable[[], None], data: bytes | Callable[[], bytes]) -> Callable[[], bytes]:
    """The file's bytes, made only after `record()` has written the export to the audit trail.

    `record` raising (AuditError) means nothing is made and nothing leaves: the error goes to the
    server log and is raised again, so the download fails instead of sending the file.
    """

    def make() -> bytes:
        try:
            record()
        except AuditError as exc:
            LOG.error("audit trail not written, export withheld: %s", exc)
            raise
        return data() if callable(data) else data

    return make


def read_audit(
    ctx: PageContext,
    since: date | None,
    until: date | None,
    user: list[str] | None = None,
    action: list[str] | None = None,
    role: list[str] | None = None,
) -> pd.DataFrame:
    """The audit events for a role allowed to read them (AccessDenied otherwise)."""
    require_level(ctx.role, "audit", "the audit log")
    return audit_log().read(since, until, user=user, action=action, role=role)
