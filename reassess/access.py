"""Roles, what each may see, and the check the query runner applies (no Streamlit here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reassess.present.vocabulary import DASHBOARD_ROLE_LABELS

ROLES = ("commander", "planner", "mayors_office", "analyst")
ROLE_LABELS = DASHBOARD_ROLE_LABELS

# Access levels a query declares in its header, from least to most sensitive.
LEVELS = ("aggregate", "team", "quality", "audit", "officer", "case")
ROLE_LEVELS: dict[str, frozenset[str]] = {
    "commander": frozenset(LEVELS),
    "planner": frozenset({"aggregate", "team"}),
    "analyst": frozenset({"aggregate", "team", "quality", "audit"}),
    "mayors_office": frozenset({"aggregate"}),
}
# How each role's query results are shaped (reassess/disclosure/policy.py): "as_recorded", or
# "disclosed" (every count column through disclosure control; queries with no declared counts
# are refused).
ROLE_RESULTS: dict[str, str] = {
    "commander": "as_recorded",
    "planner": "as_recorded",
    "analyst": "as_recorded",
    "mayors_office": "disclosed",
}


@dataclass(frozen=True)
class PageSpec:
    """One view of the dashboard and the roles that may open it."""

    page_id: str
    title: str
    icon: str
    roles: frozenset[str]


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "overview", "Overview", ":material/flag:", frozenset({"commander", "planner", "analyst"})
    ),
    PageSpec(
        "throughput",
        "Throughput",
        ":material/trending_up:",
        frozenset({"commander", "planner", "analyst"}),
    ),
    PageSpec(
        "workload", "Workload", ":material/groups:", frozenset({"commander", "planner", "analyst"})
    ),
    PageSpec(
        "categories",
        "Categories",
        ":material/category:",
        frozenset({"commander", "planner", "analyst"}),
    ),
    PageSpec(
        "data_quality", "Data quality", ":material/fact_check:", frozenset({"commander", "analyst"})
    ),
    PageSpec(
        "resources",
        "Resources",
        ":material/payments:",
        frozenset({"commander", "planner", "analyst"}),
    ),
    PageSpec(
        "scenarios", "Scenarios", ":material/tune:", frozenset({"commander", "planner", "analyst"})
    ),
    PageSpec("briefing", "Briefing", ":material/description:", frozenset(ROLES)),
    PageSpec("reinvestigation", "Reinvestigation", ":material/manage_search:", frozenset(ROLES)),
    PageSpec("audit", "Audit log", ":material/policy:", frozenset({"commander", "analyst"})),
)
PAGE_BY_ID = {p.page_id: p for p in PAGES}


class AccessDenied(Exception):
    """The caller's role may not see this page or run this query."""


def check_role(role: str) -> str:
    """Return the role if it is known, or raise with the list of roles."""
    if role not in ROLES:
        raise AccessDenied(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    return role


def can_run(role: str, level: str) -> bool:
    """Whether a role may run a query of this access level."""
    return level in ROLE_LEVELS.get(role, frozenset())


def may_set_thresholds(role: str) -> bool:
    """Whether a role may change the thresholds that turn officers into team counts.

    Stepping "overloaded above" one case at a time and reading each team's count of overloaded
    officers gives every officer's caseload. Only a role that may see officer-level figures
    anyway may move the thresholds; every other role reads the configured ones.
    """
    return can_run(role, "officer")


def require_level(role: str, level: str, what: str) -> None:
    """Raise AccessDenied unless the role may run a query of this level."""
    check_role(role)
    if not can_run(role, level):
        raise AccessDenied(
            f"the {ROLE_LABELS[role]} role may not run {what} (access level {level!r})"
        )


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in menu order."""
    return [p for p in PAGES if role in p.roles]


def can_open(role: str, page_id: str) -> bool:
    """Whether a role may open a page."""
    spec = PAGE_BY_ID.get(page_id)
    return spec is not None and role in spec.roles


@dataclass(frozen=True)
class AccessMap:
    """Which identities get which role (config/access.toml)."""

    rules: tuple[tuple[str, frozenset[str], frozenset[str]], ...]  # role, emails/domains, groups
    groups_claim: str = "groups"

    def role_for(self, email: str | None, groups: list[str] | tuple[str, ...] = ()) -> str | None:
        """The first role whose e-mails, domains or groups match; None when nothing does."""
        mail = (email or "").strip().lower()
        domain = "@" + mail.split("@", 1)[1] if "@" in mail else None
        group_set = {str(g).strip().lower() for g in groups}
        for role, emails, role_groups in self.rules:
            if mail and (mail in emails or (domain is not None and domain in emails)):
                return role
            if group_set & role_groups:
                return role
        return None


def load_access_map(path: Path | None = None) -> AccessMap:
    """Read config/access.toml; unknown roles are an error naming the file and the role."""
    from reassess.config import CONFIG_DIR, ConfigError, read_toml

    path = path or CONFIG_DIR / "access.toml"
    raw = read_toml(path, fix="copy it from the repository")
    rules = []
    for role, entry in raw.get("roles", {}).items():
        if role not in ROLES:
            raise ConfigError(f"{path}: [roles.{role}] is not a role; roles are {', '.join(ROLES)}")
        emails = frozenset(str(e).strip().lower() for e in entry.get("emails", []))
        groups = frozenset(str(g).strip().lower() for g in entry.get("groups", []))
        rules.append((role, emails, groups))
    return AccessMap(tuple(rules), str(raw.get("groups_claim", "groups")))
