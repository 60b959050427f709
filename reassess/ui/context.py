"""What every page needs: who is looking, at which snapshot, compared with which."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from reassess.access import PAGE_BY_ID, ROLE_LABELS, can_open
from reassess.config import Programme
from reassess.snapshot.listing import Listing, SnapshotInfo
from reassess.snapshot.runner import Database

CTX_KEY = "_page_ctx"
VIA_APP_KEY = "_via_app"


@dataclass(frozen=True)
class PageContext:
    """The selection and identity a page renders for."""

    role: str
    user: str
    snapshot: SnapshotInfo
    compare: SnapshotInfo | None
    listing: Listing
    db: Database
    programme: Programme
    window: int | None = None
    """The forecast window in weeks (the shared lever; None: throughput_window_weeks in config)."""

    def run(self, name: str, **params: Any) -> pd.DataFrame:
        """Run a named query on the selected snapshot as this role."""
        return self.db.run(name, self.snapshot, role=self.role, **params)

    def one(self, name: str, **params: Any) -> dict[str, Any]:
        """A one-row query as a dict."""
        return self.db.scalar_row(name, self.snapshot, role=self.role, **params)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


def page_context(page_id: str) -> PageContext:
    """The context for a page; renders the shell itself when the page runs on its own."""
    from reassess.ui import shell

    if st.session_state.get(VIA_APP_KEY) and CTX_KEY in st.session_state:
        ctx: PageContext = st.session_state[CTX_KEY]
    else:
        ctx = shell.render_shell()
    if not can_open(ctx.role, page_id):
        refuse_page(ctx, page_id)
    shell.page_header(ctx, page_id)
    from reassess.ui.audit_hooks import record_page_view

    record_page_view(ctx, page_id)
    st.session_state[shell.NOTICES_KEY] = []  # shown once, on the page they led to
    return ctx


def refuse_page(ctx: PageContext, page_id: str) -> None:
    """Record a refused page (access_denied) and say so; the page stops here."""
    from reassess.ui.audit_hooks import record_access_denied

    record_access_denied(ctx.user, ctx.role, page_id, "page not permitted for this role")
    spec = PAGE_BY_ID.get(page_id)
    st.error(
        f"The {ctx.role_label} role cannot open {spec.title if spec else page_id}. "
        "Choose a page from the menu; if you need this one, ask an administrator "
        "for a role that includes it."
    )
    st.stop()
