"""config/subscriptions.toml: who receives the weekly pack and the alerts, typed and checked.

`load_subscriptions(path)` reads the file once, before anything is built or sent, and refuses
it with a `SubscriptionError` naming the file, the line and the key of the first problem:

- a reader's role is not one of the dashboard's roles, or what they receive is not
  pack, alerts or both, or a role whose figures are disclosure-controlled (the Mayor's office)
  is to receive alerts (worked out as recorded, at team level);
- an address is not an e-mail address, or is outside `[delivery] allowed_domains` (so a pack
  never goes outside the organisation), or is listed twice;
- an alert rule's kind is unknown, its threshold is not of the kind's type (a date, or a whole
  number above zero), it has no source, or a recipient is not a reader who receives alerts,
  or whose role may not open the page the alert links to.

No Streamlit here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reassess.access import PAGE_BY_ID, ROLE_LABELS, ROLE_RESULTS, ROLES, can_open
from reassess.config import CONFIG_DIR, ConfigError

DEFAULT_PATH = CONFIG_DIR / "subscriptions.toml"
RECEIVES = ("pack", "alerts", "both")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")
SLUG_RE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class AlertKind:
    """What an alert rule of one kind measures, its threshold's type, and the page it links to."""

    kind: str
    threshold: str  # "date" or "count"
    unit: str  # what the threshold counts, in words ("cases", "weeks"); "" for a date
    page: str
    needs_weeks: bool = False


def _reinvestigation_page() -> str:
    """The reinvestigation page where the dashboard has one, else the resources page."""
    return "reinvestigation" if "reinvestigation" in PAGE_BY_ID else "resources"


ALERT_KINDS: dict[str, AlertKind] = {
    k.kind: k
    for k in (
        AlertKind("p85_finish_after", "date", "", "overview"),
        AlertKind("high_priority_unallocated", "count", "weeks", "categories"),
        AlertKind("qa_backlog", "count", "cases", "throughput"),
        AlertKind("officer_overloaded", "count", "open cases", "workload"),
        AlertKind("reinvestigation_contact", "count", "cases", _reinvestigation_page(), True),
    )
}


class SubscriptionError(ConfigError):
    """config/subscriptions.toml is malformed; nothing is built or sent."""


@dataclass(frozen=True)
class Reader:
    """One person who receives the pack, the alerts, or both, as their role."""

    name: str
    email: str
    role: str
    receives: str
    line: int

    @property
    def wants_pack(self) -> bool:
        return self.receives in ("pack", "both")

    @property
    def wants_alerts(self) -> bool:
        return self.receives in ("alerts", "both")


@dataclass(frozen=True)
class AlertRule:
    """One alert rule: what to watch, the threshold and where it comes from, who is told."""

    key: str
    name: str
    kind: str
    threshold: date | int
    source: str
    recipients: tuple[str, ...]
    weeks: int | None
    line: int

    @property
    def spec(self) -> AlertKind:
        return ALERT_KINDS[self.kind]


@dataclass(frozen=True)
class Subscriptions:
    """The whole file: delivery settings, readers and alert rules."""

    path: Path
    sender: str
    dashboard_url: str
    allowed_domains: tuple[str, ...]
    readers: tuple[Reader, ...]
    alerts: tuple[AlertRule, ...]

    def rules_for(self, reader: Reader) -> tuple[AlertRule, ...]:
        """The alert rules a reader is a recipient of (none unless they receive alerts)."""
        if not reader.wants_alerts:
            return ()
        return tuple(r for r in self.alerts if reader.email in r.recipients)


def key_line(text: str, table: str, index: int, key: str | None) -> int:
    """The line (1-based) of `key` in the index-th (0-based) `[[table]]` or `[table]` block.

    The block's header line when the key is not written there (a missing key)."""
    header = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*(#.*)?$")
    any_header = re.compile(r"^\s*\[")
    key_re = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=") if key else None
    seen = -1
    start = 0
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        if header.match(line):
            seen += 1
            inside = seen == index
            if inside:
                start = number
            continue
        if any_header.match(line):
            if inside:
                break
            continue
        if inside and key_re is not None and key_re.match(line):
            return number
    return start or 1


class _Checker:
    """Collects where each problem is, and raises the first with its line and key."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    def fail(self, table: str, index: int, key: str | None, problem: str) -> SubscriptionError:
        line = key_line(self.text, table, index, key)
        block = f"[[{table}]] {index + 1}" if table != "delivery" else "[delivery]"
        where = f"{self.path}: line {line}, {block}" + (f", key '{key}'" if key else "")
        return SubscriptionError(f"{where}: {problem}; nothing was sent")

    def text_value(self, entry: dict[str, Any], table: str, i: int, key: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(table, i, key, f"'{key}' must be written as text and not be empty")
        return value.strip()

    def email(self, value: Any, domains: tuple[str, ...], table: str, i: int, key: str) -> str:
        if not isinstance(value, str) or not EMAIL_RE.match(value.strip()):
            raise self.fail(table, i, key, f"{value!r} is not an e-mail address")
        mail = value.strip().lower()
        domain = mail.rsplit("@", 1)[1]
        if domain not in domains:
            raise self.fail(
                table,
                i,
                key,
                f"{mail} is outside the allowed domains ({', '.join(domains)}); "
                "add its domain to [delivery] allowed_domains only if it is the organisation's own",
            )
        return mail


def load_subscriptions(path: Path | None = None) -> Subscriptions:
    """Read and check config/subscriptions.toml (or the --subscriptions file)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SubscriptionError(
            f"{path} is missing; copy config/subscriptions.toml from the repository and list "
            "your readers; nothing was sent"
        ) from None
    except OSError as exc:
        raise SubscriptionError(
            f"{path} could not be read ({exc.strerror}); nothing was sent"
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SubscriptionError(f"{path} is not valid TOML: {exc}; nothing was sent") from None
    check = _Checker(path, text)
    for key in raw:
        if key not in ("delivery", "readers", "alerts"):
            raise SubscriptionError(
                f"{path}: line {key_line(text, key, 0, None)}: [{key}] is not a section "
                "reassess knows (delivery, readers, alerts); nothing was sent"
            )
    delivery = raw.get("delivery")
    if not isinstance(delivery, dict):
        raise SubscriptionError(f"{path}: there is no [delivery] section; nothing was sent")
    domains_raw = delivery.get("allowed_domains")
    if (
        not isinstance(domains_raw, list)
        or not domains_raw
        or not all(isinstance(d, str) and d.strip() for d in domains_raw)
    ):
        raise check.fail(
            "delivery", 0, "allowed_domains", 'must be a list of domains, e.g. ["example.org"]'
        )
    domains = tuple(d.strip().lower().lstrip("@") for d in domains_raw)
    sender = check.email(delivery.get("sender"), domains, "delivery", 0, "sender")
    url = check.text_value(delivery, "delivery", 0, "dashboard_url")
    if not re.match(r"^https?://[^\s]+$", url):
        raise check.fail("delivery", 0, "dashboard_url", f"{url!r} is not an http(s) address")
    readers = _readers(raw.get("readers", []), check, domains)
    alerts = _alerts(raw.get("alerts", []), check, domains, {r.email: r for r in readers})
    return Subscriptions(path, sender, url.rstrip("/"), domains, readers, alerts)


def _table_list(value: Any, check: _Checker, table: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise check.fail(table, 0, None, f"write each entry as a [[{table}]] table")
    return value


def _readers(value: Any, check: _Checker, domains: tuple[str, ...]) -> tuple[Reader, ...]:
    out: list[Reader] = []
    seen: set[str] = set()
    for i, entry in enumerate(_table_list(value, check, "readers")):
        name = check.text_value(entry, "readers", i, "name")
        email = check.email(entry.get("email"), domains, "readers", i, "email")
        if email in seen:
            raise check.fail("readers", i, "email", f"{email} is listed as a reader twice")
        seen.add(email)
        role = entry.get("role")
        if role not in ROLES:
            raise check.fail(
                "readers", i, "role", f"{role!r} is not a role; roles are {', '.join(ROLES)}"
            )
        receives = entry.get("receives")
        if receives not in RECEIVES:
            raise check.fail(
                "readers",
                i,
                "receives",
                f"{receives!r} is not one of {', '.join(RECEIVES)}",
            )
        if receives != "pack" and ROLE_RESULTS[str(role)] == "disclosed":
            raise check.fail(
                "readers",
                i,
                "receives",
                f"the {ROLE_LABELS[str(role)]} role receives the pack only: alerts hold "
                'figures as recorded, not through disclosure control; write receives = "pack"',
            )
        line = key_line(check.text, "readers", i, None)
        out.append(Reader(name, email, str(role), str(receives), line))
    return tuple(out)


def _threshold(entry: dict[str, Any], spec: AlertKind, check: _Checker, i: int) -> date | int:
    value = entry.get("threshold")
    if spec.threshold == "date":
        if not isinstance(value, date):
            raise check.fail(
                "alerts",
                i,
                "threshold",
                f"a {spec.kind} threshold is a date written YYYY-MM-DD (no quotes); got {value!r}",
            )
        return value
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise check.fail(
            "alerts",
            i,
            "threshold",
            f"a {spec.kind} threshold is a whole number of {spec.unit} above zero; got {value!r}",
        )
    return value


def _alerts(
    value: Any, check: _Checker, domains: tuple[str, ...], readers: dict[str, Reader]
) -> tuple[AlertRule, ...]:
    out: list[AlertRule] = []
    keys: set[str] = set()
    for i, entry in enumerate(_table_list(value, check, "alerts")):
        name = check.text_value(entry, "alerts", i, "name")
        kind = entry.get("kind")
        if kind not in ALERT_KINDS:
            raise check.fail(
                "alerts",
                i,
                "kind",
                f"{kind!r} is not an alert kind; kinds are {', '.join(ALERT_KINDS)}",
            )
        spec = ALERT_KINDS[str(kind)]
        threshold = _threshold(entry, spec, check, i)
        weeks = entry.get("weeks")
        if spec.needs_weeks:
            if not isinstance(weeks, int) or isinstance(weeks, bool) or weeks < 1:
                raise check.fail(
                    "alerts",
                    i,
                    "weeks",
                    f"a {kind} rule needs weeks, a whole number above zero; got {weeks!r}",
                )
        elif weeks is not None:
            raise check.fail("alerts", i, "weeks", f"a {kind} rule takes no weeks")
        source = check.text_value(entry, "alerts", i, "source")
        recipients_raw = entry.get("recipients")
        if not isinstance(recipients_raw, list) or not recipients_raw:
            raise check.fail(
                "alerts", i, "recipients", "must list at least one reader's e-mail address"
            )
        recipients = []
        for address in recipients_raw:
            mail = check.email(address, domains, "alerts", i, "recipients")
            reader = readers.get(mail)
            if reader is None or not reader.wants_alerts:
                raise check.fail(
                    "alerts",
                    i,
                    "recipients",
                    f"{mail} is not a reader who receives alerts; list them under [[readers]] "
                    'with receives = "alerts" or "both"',
                )
            if not can_open(reader.role, spec.page):
                raise check.fail(
                    "alerts",
                    i,
                    "recipients",
                    f"{mail} has the {ROLE_LABELS[reader.role]} role, which may not open the "
                    f"{PAGE_BY_ID[spec.page].title} page this alert links to",
                )
            recipients.append(mail)
        key = SLUG_RE.sub("_", name.lower()).strip("_")
        if key in keys:
            raise check.fail("alerts", i, "name", f"there is already a rule named {name!r}")
        keys.add(key)
        line = key_line(check.text, "alerts", i, None)
        out.append(
            AlertRule(key, name, str(kind), threshold, source, tuple(recipients), weeks, line)
        )
    return tuple(out)
