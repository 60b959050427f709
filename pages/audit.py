"""Audit log: who opened what, when and why; filters, the records, a CSV export, the chain check."""

from datetime import UTC, datetime

import streamlit as st

from reassess.access import ROLE_LABELS
from reassess.present.audit import events_table, publishing_table
from reassess.present.csvsafe import to_safe_csv
from reassess.present.marking import marking
from reassess.present.vocabulary import AUDIT_ACTION_LABELS as ACTION_LABELS
from reassess.store.audit import ACTIONS, NO_ROLE, AuditError, default_range, select
from reassess.ui import page_context
from reassess.ui.audit_hooks import audit_log, audited_download, read_audit

ROLE_NAMES = {**ROLE_LABELS, NO_ROLE: "No role"}

ctx = page_context("audit")
today = datetime.now(UTC).date()
first, last = default_range(today)
st.caption(
    "Unlike the rest of the dashboard, this page works in real time: every event carries the "
    "server's clock (UTC), and the dates below default to the last 7 days by that clock, not "
    "to the snapshot's as-of date. Case data is never recorded here, only what was opened, "
    "by whom and why."
)

c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
span = c1.date_input("Dates (UTC)", value=(first, last), max_value=today, key="audit_dates")
since, until = (span[0], span[-1]) if isinstance(span, tuple) and span else (first, last)
events = read_audit(ctx, since, until)
users = c2.multiselect("People", sorted(events["user"].dropna().unique()), key="audit_users")
actions = c3.multiselect(
    "Actions", ACTIONS, key="audit_actions", format_func=lambda a: ACTION_LABELS.get(a, a)
)
roles = c4.multiselect(
    "Roles", tuple(ROLE_NAMES), key="audit_roles", format_func=lambda r: ROLE_NAMES.get(r, r)
)
shown = select(events, user=users, action=actions, role=roles)

st.subheader(f"{len(shown):,} events from {since:%-d %B %Y} to {until:%-d %B %Y}")
if shown.empty:
    st.info("No events match these filters. Widen the dates or clear a filter.")
else:
    st.dataframe(
        events_table(shown),
        hide_index=True,
        key="audit_events",
        column_config={
            "at": "When (UTC)",
            "user": "Person",
            "role": "Role",
            "action": "Action",
            "page": "Page",
            "snapshot": "Snapshot",
            "filters": "Filters",
            "detail": "What",
            "reason": "Reason given",
            "rows": st.column_config.NumberColumn("Rows", format="%d"),
        },
    )
    audited_download(
        ctx,
        label="Export these events (CSV)",
        data=lambda: to_safe_csv(shown, marking(ctx.snapshot.synthetic)),
        file_name=f"audit-{since.isoformat()}-{until.isoformat()}.csv",
        mime="text/csv",
        key="audit_csv",
        rows=len(shown),
        filters={
            "since": since.isoformat(),
            "until": until.isoformat(),
            "users": users if len(users) <= 10 else f"{len(users)} people",
            "actions": actions,
            "roles": roles,
        },
        page="audit",
    )

st.subheader("Packs and alerts sent")
published = publishing_table(shown)
if published.empty:
    st.caption(
        "No pack or alert was delivered in these dates (python -m reassess publish; see "
        "docs/publishing.md)."
    )
else:
    st.dataframe(published, hide_index=True, key="audit_publishing")
    st.caption(
        "Each weekly pack is built as its reader's role; a failed delivery stays owed and is "
        "sent by the next run. Alerts are worked out as the planner role (team-level figures)."
    )

st.subheader("Is the trail intact?")
check = audit_log().verify()
if check.ok:
    st.success(check.summary(), icon=":material/verified:")
else:
    st.error(check.summary(), icon=":material/gpp_bad:")
    st.dataframe(
        [{"file": p.file, "line": p.line, "problem": p.problem} for p in check.problems[:500]],
        hide_index=True,
        key="audit_problems",
    )
st.caption(
    "Each record carries the SHA-256 of the record before it in the same day's file, so an "
    "edited, inserted, deleted or reordered record breaks the chain here. Removing the newest "
    "records or a whole day's file does not: keep the anchor below somewhere this server cannot "
    "change, and check it later with `python -m reassess audit --verify --anchor …` (see "
    "docs/operations.md)."
)
try:
    head = audit_log().head()
except AuditError as exc:
    st.warning(f"No anchor for the newest record: {exc}")
else:
    if head is not None:
        st.code(str(head), language=None)
