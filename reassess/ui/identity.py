"""Who is looking: signed in through OpenID Connect, or a demo role while all data is synthetic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from reassess.access import ROLE_LABELS, load_access_map
from reassess.config import settings
from reassess.snapshot.listing import Listing


@dataclass(frozen=True)
class Identity:
    """The person (or demo viewer) and their role."""

    user: str
    role: str
    signed_in: bool


def auth_configured() -> bool:
    """Whether `[auth]` is set in .streamlit/secrets.toml (then sign-in is required)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def resolve_identity(listing: Listing) -> Identity:
    """Sign in when configured; demo roles only while every snapshot is synthetic; else stop."""
    from reassess.ui.shell import role_selector

    if auth_configured():
        return _signed_in_identity()
    if not listing.all_synthetic:
        st.title("reassess")
        st.error(
            "This service holds real (non-synthetic) snapshots, and sign-in is not configured, "
            "so no data is shown. An administrator must configure OpenID Connect sign-in in "
            "`.streamlit/secrets.toml` (`[auth]`) and map people to roles in "
            "`config/access.toml`; see docs/operations.md."
        )
        st.stop()
    role = role_selector(default=settings().demo_role or "commander")
    return Identity("demo viewer", role, False)


def _signed_in_identity() -> Identity:
    user: Any = st.user
    if not user.get("is_logged_in", False):
        st.title("reassess")
        st.write("This dashboard is OFFICIAL-SENSITIVE. Sign in with your organisation account.")
        st.button("Sign in", on_click=st.login, type="primary", key="sign_in")
        st.stop()
    access = load_access_map()
    email = str(user.get("email") or "")
    groups = user.get(access.groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    role = access.role_for(email, list(groups))
    if st.session_state.get("_sign_in_recorded") != (email, role):
        from reassess.store.audit import AuditError
        from reassess.ui.audit_hooks import fail_closed, record_sign_in

        try:
            record_sign_in(email, role)
        except AuditError as exc:
            fail_closed("Sign-in", exc)
        st.session_state["_sign_in_recorded"] = (email, role)
    if role is None:
        st.title("reassess")
        st.info(
            f"You are signed in as {email or 'an account with no e-mail'}, but this account has "
            "no role on the review dashboard, so there is nothing to show. If you need access, "
            "ask the review's data protection lead to add you."
        )
        st.button("Sign out", on_click=st.logout, key="sign_out_no_access")
        st.stop()
    st.sidebar.caption(f"Signed in as {email} · {ROLE_LABELS[role]}")
    st.sidebar.button("Sign out", on_click=st.logout, key="sign_out")
    return Identity(email, role, True)
