"""Alerts: each rule of config/subscriptions.toml measured on a snapshot and its compare snapshot.

Every measure is worked out through the query runner as ALERT_ROLE (team-level figures only,
never as an administrator) from the queries queries/pages/alert_*.sql, and the P85 finish from
the planning model (`run_plan(plan_input(...), Levers())`, reassess/figures/plan.py). An alert
names no officer and no case: it says what crossed which threshold, by how much, since when, and
links to the dashboard page (with the snapshot and the view in the address).

What a person is told is kept in `<data>/publish/alerts.json`:
- an *episode* per rule that is open: since when, and the snapshot it was first raised at;
- the *report* of each snapshot published: which alerts were new, still open and resolved.
For a snapshot at or after the newest one evaluated, a rule that crosses its threshold and has
no open episode is raised ("new") and an episode opens; one with an open episode is listed as
"still open" (not raised again); an open episode whose rule no longer crosses is "resolved",
said in that snapshot's report, and closed, so it is said once. A snapshot's report, once
worked out, is kept and reused: a message owed since a failed delivery says what the first
attempt would have said. An older snapshot is compared with its compare snapshot only, and
leaves the state as it was.

No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from reassess.access import PAGE_BY_ID
from reassess.config import Programme
from reassess.figures.plan import plan_input
from reassess.model.levers import Levers
from reassess.model.plan import Plan, run_plan
from reassess.present.formats import long_date
from reassess.publish.record import read_json, write_json_atomic
from reassess.publish.subscriptions import AlertRule, Subscriptions
from reassess.snapshot.listing import Listing, SnapshotInfo
from reassess.snapshot.runner import Database

ALERT_ROLE = "planner"
"""The role every alert measure runs as: aggregate and team-level queries, no officer or case rows."""
STATE_FILE = "alerts.json"
STATES = ("new", "open", "resolved")
STATE_WORDS = {"new": "New", "open": "Still open", "resolved": "Resolved"}
PAGE_VIEWS: dict[str, dict[str, str]] = {
    "categories": {"prio": "high", "by": "priority"},
    "throughput": {"split": "team"},
}
"""The view an alert's link opens, beyond the snapshot and comparison."""


class Plans:
    """The planning model's headline plan per snapshot, worked out once per run."""

    def __init__(self, db: Database, programme: Programme) -> None:
        self.db = db
        self.programme = programme
        self._plans: dict[str, Plan] = {}

    def plan(self, snap: SnapshotInfo, role: str = ALERT_ROLE) -> Plan:
        key = f"{snap.label}/{role}"
        if key not in self._plans:
            inp = plan_input(self.db, snap, self.programme, role)
            self._plans[key] = run_plan(inp, Levers())
        return self._plans[key]


@dataclass(frozen=True)
class Reading:
    """One rule measured at one snapshot: whether it crosses, the figure, and in words."""

    crossed: bool
    text: str
    excess: str = ""  # by how much, in words
    since: date | None = None  # when measured from the data itself (the waiting cases)


@dataclass(frozen=True)
class Alert:
    """One alert in a snapshot's report, in words a reader can act on."""

    rule: str  # the rule's key
    name: str
    kind: str
    state: str  # new, open, resolved
    text: str
    excess: str
    threshold: str
    source: str
    since: str  # e.g. "since 13 March 2026", "since at least 6 March 2026"
    before: str  # the figure at the compare snapshot, in words ("" without one)
    link: str
    recipients: tuple[str, ...]

    def lines(self) -> list[str]:
        """The alert as plain-text lines for a message or a PDF."""
        if self.state == "resolved":
            head = f"{self.name} (resolved): {self.text}"
        else:
            head = f"{self.name}: {self.text}" + (f", {self.excess}" if self.excess else "")
            head += f"; {self.since}."
        out = [head]
        if self.before:
            out.append(f"Before: {self.before}.")
        return out + [f"Threshold: {self.threshold} ({self.source}).", f"See: {self.link}"]


@dataclass(frozen=True)
class AlertReport:
    """The alerts of one snapshot: new, still open and resolved."""

    snapshot: date
    compare: date | None
    alerts: tuple[Alert, ...]

    def for_reader(self, email: str) -> AlertReport:
        return AlertReport(
            self.snapshot, self.compare, tuple(a for a in self.alerts if email in a.recipients)
        )

    def of(self, state: str) -> tuple[Alert, ...]:
        return tuple(a for a in self.alerts if a.state == state)

    @property
    def news(self) -> bool:
        """Whether there is anything to say that was not said before (new or resolved)."""
        return any(a.state != "open" for a in self.alerts)

    def lines(self) -> list[str]:
        """Every alert under its heading, as plain text."""
        out: list[str] = []
        for state, heading in (
            ("new", "New alerts"),
            ("open", "Still open (raised before, not raised again)"),
            ("resolved", "Resolved since they were raised"),
        ):
            alerts = self.of(state)
            if alerts:
                out += ["", f"{heading}:"]
                for a in alerts:
                    out += [f"- {a.lines()[0]}", *(f"  {line}" for line in a.lines()[1:])]
        return out


# --- measures ------------------------------------------------------------------------------


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def measure_p85(rule: AlertRule, snap: SnapshotInfo, plans: Plans) -> Reading:
    """The planning model's P85 finish against the rule's date."""
    assert isinstance(rule.threshold, date)
    limit = rule.threshold
    plan = plans.plan(snap)
    if plan.status == "done":
        return Reading(False, "every case in scope has been assessed")
    if plan.reason:
        return Reading(True, f"no P85 finish can be forecast ({plan.reason.rstrip('.')})")
    p85 = plan.p85
    if p85 is None:
        return Reading(True, "fewer than 85% of the forecast's trials finish within its horizon")
    text = f"the P85 finish is {long_date(p85)}"
    if p85 <= limit:
        return Reading(False, text)
    weeks = (p85 - limit).days // 7
    return Reading(True, text, f"{_plural(weeks, 'week')} after {long_date(limit)}")


def measure_qa(rule: AlertRule, snap: SnapshotInfo, db: Database) -> Reading:
    """The longest QA queue of one team against the rule's count."""
    assert isinstance(rule.threshold, int)
    frame = db.run("alert_qa_backlog", snap, role=ALERT_ROLE)
    if frame.empty:
        return Reading(False, "no case awaits QA")
    over = frame[frame["awaiting_qa"] > rule.threshold]
    top = frame.iloc[0]
    text = f"{_plural(int(top['awaiting_qa']), 'case')} await QA in {top['team']}"
    if over.empty:
        return Reading(False, text)
    others = [f"{r.team} ({int(r.awaiting_qa):,})" for r in over.iloc[1:].itertuples()]
    if others:
        text += "; also over the threshold: " + ", ".join(others)
    excess = f"{int(top['awaiting_qa']) - rule.threshold:,} more than the threshold"
    return Reading(True, text, excess)


def measure_overload(rule: AlertRule, snap: SnapshotInfo, db: Database) -> Reading:
    """Officers holding more open cases than the rule's count, by team (no officer named)."""
    assert isinstance(rule.threshold, int)
    frame = db.run("alert_officer_overloaded", snap, role=ALERT_ROLE, overload=rule.threshold)
    if frame.empty:
        return Reading(False, f"no officer holds more than {rule.threshold:,} open cases")
    officers = int(frame["officers_overloaded"].sum())
    teams = ", ".join(f"{r.team} ({int(r.officers_overloaded):,})" for r in frame.itertuples())
    most = int(frame["most_open_cases"].max())
    text = (
        f"{_plural(officers, 'officer')} {'holds' if officers == 1 else 'hold'} more than "
        f"{rule.threshold:,} open cases, in {teams}"
    )
    excess = f"the most open cases held is {most:,}, {most - rule.threshold:,} over the threshold"
    return Reading(True, text, excess)


def _at_or_before(listing: Listing, day: date) -> SnapshotInfo | None:
    earlier = [s for s in listing.snapshots if s.as_of <= day]
    return earlier[-1] if earlier else None


def measure_unallocated(
    rule: AlertRule, snap: SnapshotInfo, db: Database, listing: Listing
) -> Reading:
    """High-priority cases awaiting allocation now and already at the snapshot N weeks before."""
    assert isinstance(rule.threshold, int)
    weeks = rule.threshold
    then = _at_or_before(listing, snap.as_of - timedelta(weeks=weeks))
    if then is None:
        return Reading(False, f"there is no snapshot {_plural(weeks, 'week')} before this one")

    def waiting(earlier: SnapshotInfo) -> int:
        row = db.run("alert_high_priority_waiting", snap, role=ALERT_ROLE, compare=earlier)
        return int(row.iloc[0]["waiting_since_then"])

    count = waiting(then)
    if count == 0:
        return Reading(False, f"no high-priority case has awaited allocation for {weeks} weeks")
    # Since when: walk back while some of today's high-priority cases were already waiting.
    since = then.as_of
    for earlier in reversed([s for s in listing.snapshots if s.as_of < then.as_of]):
        if waiting(earlier) == 0:
            break
        since = earlier.as_of
    longest = (snap.as_of - since).days // 7
    text = (
        f"{_plural(count, 'high-priority case')} {'has' if count == 1 else 'have'} awaited "
        f"allocation for at least {_plural(weeks, 'week')}"
    )
    excess = f"the longest for at least {_plural(longest, 'week')}"
    if longest > weeks:
        excess += f", {longest - weeks:,} more than the threshold"
    return Reading(True, text, excess, since)


def measure_contact(rule: AlertRule, snap: SnapshotInfo, db: Database) -> Reading:
    """Reinvestigations awaiting victim contact for longer than the rule's weeks."""
    assert isinstance(rule.threshold, int) and rule.weeks is not None
    row = db.run(
        "alert_reinvestigation_contact", snap, role=ALERT_ROLE, as_of=snap.as_of, weeks=rule.weeks
    ).iloc[0]
    longer = int(row["waiting_longer"])
    text = (
        f"{longer:,} of the {_plural(int(row['awaiting_contact']), 'reinvestigation')} awaiting "
        f"victim contact {'has' if longer == 1 else 'have'} waited more than "
        f"{_plural(rule.weeks, 'week')}"
    )
    if longer <= rule.threshold:
        return Reading(False, text)
    return Reading(True, text, f"{longer - rule.threshold:,} more than the threshold")


def measure(
    rule: AlertRule, snap: SnapshotInfo, db: Database, listing: Listing, plans: Plans
) -> Reading:
    """One rule at one snapshot."""
    measures: dict[str, Callable[[], Reading]] = {
        "p85_finish_after": lambda: measure_p85(rule, snap, plans),
        "qa_backlog": lambda: measure_qa(rule, snap, db),
        "officer_overloaded": lambda: measure_overload(rule, snap, db),
        "high_priority_unallocated": lambda: measure_unallocated(rule, snap, db, listing),
        "reinvestigation_contact": lambda: measure_contact(rule, snap, db),
    }
    return measures[rule.kind]()


# --- words and links -----------------------------------------------------------------------


def threshold_words(rule: AlertRule) -> str:
    """The threshold as a person reads it."""
    t = rule.threshold
    if isinstance(t, date):
        return f"P85 finish no later than {long_date(t)}"
    return {
        "high_priority_unallocated": f"allocated within {_plural(t, 'week')}",
        "qa_backlog": f"at most {t:,} cases awaiting QA in one team",
        "officer_overloaded": f"at most {t:,} open cases per officer",
        "reinvestigation_contact": (
            f"at most {t:,} reinvestigations awaiting victim contact for over "
            f"{_plural(rule.weeks or 0, 'week')}"
        ),
    }[rule.kind]


def page_link(base: str, page: str, snap: SnapshotInfo, compare: SnapshotInfo | None) -> str:
    """The dashboard address of a page at a snapshot, with the alert's view."""
    params = {"snapshot": snap.label, "compare": compare.label if compare else "none"}
    params.update(PAGE_VIEWS.get(page, {}))
    return f"{base}/{PAGE_BY_ID[page].page_id}?{urlencode(params)}"


# --- state and evaluation ------------------------------------------------------------------


def rule_id(rule: AlertRule) -> str:
    """A rule's identity in the state: its key and threshold (a changed threshold starts afresh)."""
    weeks = f"/{rule.weeks}w" if rule.weeks is not None else ""
    return f"{rule.key}@{rule.threshold}{weeks}"


@dataclass(frozen=True)
class Transition:
    """An alert raised or resolved for the first time (for the audit trail)."""

    alert: Alert
    snapshot: date


class AlertState:
    """alerts.json in the publishing folder: open episodes and each snapshot's report."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATE_FILE
        data = read_json(self.path, "the state of the alerts")
        self.episodes: dict[str, dict[str, Any]] = dict(data.get("episodes", {}))
        self.reports: dict[str, list[dict[str, Any]]] = dict(data.get("reports", {}))
        self.newest: str = str(data.get("newest", ""))

    def save(self) -> None:
        write_json_atomic(
            self.path, {"episodes": self.episodes, "reports": self.reports, "newest": self.newest}
        )

    def report(self, label: str) -> tuple[Alert, ...] | None:
        stored = self.reports.get(label)
        if stored is None:
            return None
        return tuple(Alert(**{**a, "recipients": tuple(a["recipients"])}) for a in stored)


def evaluate(
    db: Database,
    listing: Listing,
    snap: SnapshotInfo,
    compare: SnapshotInfo | None,
    subs: Subscriptions,
    plans: Plans,
    state: AlertState,
) -> tuple[AlertReport, list[Transition]]:
    """The snapshot's alert report, and the alerts raised or resolved by working it out.

    Updates `state` in memory; the caller saves it (not on a dry run)."""
    stored = state.report(snap.label)
    if stored is not None:
        return AlertReport(snap.as_of, compare.as_of if compare else None, stored), []
    stateful = snap.label >= state.newest
    alerts: list[Alert] = []
    transitions: list[Transition] = []
    for rule in subs.alerts:
        now = measure(rule, snap, db, listing, plans)
        before = measure(rule, compare, db, listing, plans) if compare is not None else None
        ident = rule_id(rule)
        episode = state.episodes.get(ident) if stateful else None
        was_raised = episode is not None if stateful else bool(before and before.crossed)
        if now.crossed:
            kind = "open" if was_raised else "new"
            if episode is not None:
                since = date.fromisoformat(episode["since"])
                exact = bool(episode["exact"])
            elif now.since is not None:
                since, exact = now.since, True
            elif before is not None and before.crossed and compare is not None:
                since, exact = compare.as_of, False
            else:
                since, exact = snap.as_of, True
            if stateful and episode is None:
                state.episodes[ident] = {
                    "since": since.isoformat(),
                    "exact": exact,
                    "raised": snap.label,
                }
            since_text = f"since {'' if exact else 'at least '}{long_date(since)}"
            if since == snap.as_of:
                since_text = f"since this snapshot ({long_date(since)})"
        elif was_raised:
            kind = "resolved"
            since_text = (
                f"raised at the snapshot of {long_date(date.fromisoformat(episode['raised']))}"
                if episode is not None
                else ""
            )
            if stateful:
                state.episodes.pop(ident, None)
        else:
            continue
        was = f"at {long_date(compare.as_of)}, {before.text}" if before and compare else ""
        alert = Alert(
            rule=rule.key,
            name=rule.name,
            kind=rule.kind,
            state=kind,
            text=now.text,
            excess=now.excess,
            threshold=threshold_words(rule),
            source=rule.source,
            since=since_text,
            before=was,
            link=page_link(subs.dashboard_url, rule.spec.page, snap, compare),
            recipients=rule.recipients,
        )
        alerts.append(alert)
        if kind != "open":
            transitions.append(Transition(alert, snap.as_of))
    if stateful:
        state.newest = snap.label
        state.reports[snap.label] = [asdict(a) for a in alerts]
    return AlertReport(snap.as_of, compare.as_of if compare else None, tuple(alerts)), transitions
