"""Each role's weekly pack, built as that role through the query runner (no Streamlit).

- The Mayor's office: the disclosure-controlled briefing (reassess/briefing: `build_briefing`,
  every figure through disclosure control, no officer or case reference) as its PDF; the
  message's summary is the briefing's own headline and status, already rounded.
- Commanders (and analysts): the full pack: a PDF with the status, the planning model's
  forecast, the headline figures as recorded with their change, the workload by team and the
  QA queue by team, and the alerts; with the briefing PDF as it goes to the Mayor's office.
- Planners: the resources and scenarios summary: the forecast and its cost, the weekly FTE
  in post and available, the saved scenarios, and the alerts.

Every query runs as the reader's role (`Database.run(..., role=role)`), so the access levels and
disclosure control are the dashboard's own; no pack is built as an administrator. A pack is
built once per role and snapshot and shared by every reader of that role.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reassess.briefing.build import build_briefing
from reassess.briefing.contents import Briefing
from reassess.briefing.export import briefing_pdf
from reassess.config import Programme, settings
from reassess.figures.status import compute_status
from reassess.model.plan import Plan
from reassess.present.formats import fmt_int, long_date, money, short_date
from reassess.present.marking import marking
from reassess.present.vocabulary import DASHBOARD_ROLE_LABELS
from reassess.publish.alerts import AlertReport, Plans
from reassess.publish.document import Furniture, Section, pack_pdf
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database
from reassess.store.scenarios import StoreError, list_saved

PDF = "application/pdf"
WHAT = {
    "mayors_office": "the disclosure-controlled briefing",
    "commander": "the full pack",
    "analyst": "the full pack",
    "planner": "the resources and scenarios summary",
}
"""What each role receives, in words (subjects, bodies and the audit trail)."""
TITLES = {
    "mayors_office": "Weekly briefing",
    "commander": "Weekly pack",
    "analyst": "Weekly pack",
    "planner": "Resources and scenarios summary",
}
KPI_ROWS = (
    ("in_scope", "Cases in scope"),
    ("assessed", "Cases assessed"),
    ("awaiting_allocation", "Awaiting allocation"),
    ("in_assessment", "In assessment"),
    ("awaiting_qa", "Awaiting QA"),
    ("qa_signed_off", "QA signed off"),
    ("throughput_4w", "Completed in the last 4 weeks"),
)


@dataclass(frozen=True)
class Attachment:
    """One file attached to a message."""

    filename: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class Pack:
    """One role's pack for one snapshot: what it is, its summary lines and its files."""

    role: str
    title: str
    what: str
    marking: str
    summary: tuple[str, ...]
    attachments: tuple[Attachment, ...]


def _forecast_sentence(plan: Plan) -> str:
    if plan.status == "done":
        return "Every case in scope has been assessed."
    if plan.reason:
        return f"No forecast can be made: {plan.reason}"
    dates = ", ".join(
        f"{label} {long_date(d) if d else 'beyond the forecast horizon'}"
        for label, d in (("P50", plan.p50), ("P85", plan.p85), ("P95", plan.p95))
    )
    chance = (
        f"; the chance of finishing by the target ({long_date(plan.target)}) is "
        f"{plan.prob_by_target:.0%}"
        if plan.prob_by_target is not None
        else ""
    )
    return f"The planning model's finish: {dates}{chance}."


def _alert_section(alerts: AlertReport | None) -> tuple[Section, ...]:
    if alerts is None:
        return ()
    lines = [line for line in alerts.lines() if line] or ["No alert is open at this snapshot."]
    return (Section("Alerts", tuple(lines)),)


class PackBuilder:
    """Builds each role's pack for a snapshot once, through the query runner as that role."""

    def __init__(
        self,
        db: Database,
        snap: SnapshotInfo,
        compare: SnapshotInfo | None,
        programme: Programme,
        plans: Plans,
    ) -> None:
        self.db = db
        self.snap = snap
        self.compare = compare
        self.programme = programme
        self.plans = plans
        self._briefing: Briefing | None = None
        self._briefing_pdf: bytes | None = None
        self._packs: dict[tuple[str, AlertReport | None], Pack] = {}

    @property
    def marking(self) -> str:
        return marking(self.snap.synthetic)

    def furniture(self, role: str) -> Furniture:
        return Furniture(
            f"{TITLES[role]} ({DASHBOARD_ROLE_LABELS[role]})",
            self.marking,
            self.snap.as_of,
            self.snap.label,
        )

    def briefing(self) -> tuple[Briefing, Attachment]:
        """The Mayor's office briefing (built as the Mayor's office role) and its PDF."""
        if self._briefing is None or self._briefing_pdf is None:
            self._briefing = build_briefing(self.db, self.snap, self.compare, self.programme)
            self._briefing_pdf = briefing_pdf(self._briefing)
        name = f"briefing-{self.snap.label}.pdf"
        return self._briefing, Attachment(name, PDF, self._briefing_pdf)

    def pack(self, role: str, alerts: AlertReport | None) -> Pack:
        """A role's pack; the alerts given are the reader's own (None for a pack-only reader)."""
        key = (role, alerts)
        if key not in self._packs:
            build = {
                "mayors_office": self._mayors_office,
                "commander": self._full,
                "analyst": self._full,
                "planner": self._planner,
            }[role]
            self._packs[key] = build(role, alerts)
        return self._packs[key]

    # --- the packs --------------------------------------------------------------------------

    def _mayors_office(self, role: str, alerts: AlertReport | None) -> Pack:
        b, pdf = self.briefing()
        summary = [b.headline, f"Status: {b.rag_colour.upper()}, {b.rag_label.lower()}."]
        if b.changes_text:
            summary.append(b.changes_text)
        return Pack(role, TITLES[role], WHAT[role], self.marking, tuple(summary), (pdf,))

    def _full(self, role: str, alerts: AlertReport | None) -> Pack:
        status = compute_status(self.db, self.snap, self.compare, self.programme, role=role)
        plan = self.plans.plan(self.snap, role)
        k = status.kpis
        rows = []
        for key, label in KPI_ROWS:
            delta = status.deltas.get(key)
            rows.append(
                {
                    "Measure": label,
                    "Now": fmt_int(k[key]),
                    "Change": "" if delta is None else f"{delta:+,.0f}",
                }
            )
        headline = (
            f"{fmt_int(k['assessed'])} of {fmt_int(k['in_scope'])} cases in scope assessed "
            f"({k['pct_assessed']:.0f}%). Status {status.rag.colour.upper()}: {status.rag.label}."
        )
        workload = self.db.run(
            "workload_by_team",
            self.snap,
            role=role,
            as_of=self.snap.as_of,
            window_weeks=int(self.programme.throughput_window_weeks),
            idle_weeks=int(self.programme.idle_weeks),
            overload=int(self.programme.overload_open_cases),
        )
        teams = pd.DataFrame(
            {
                "Team": workload["team"],
                "Officers in post": [fmt_int(v) for v in workload["officers_in_post"]],
                "Available FTE": [f"{float(v):.1f}" for v in workload["available_fte"]],
                "Open cases": [fmt_int(v) for v in workload["open_cases"]],
                "Awaiting QA": [fmt_int(v) for v in workload["awaiting_qa"]],
                "Completed recently": [fmt_int(v) for v in workload["completed_recent"]],
                "Officers overloaded": [fmt_int(v) for v in workload["officers_overloaded"]],
            }
        )
        compare = (
            f"Changes are since {long_date(self.compare.as_of)}."
            if self.compare
            else "There is no earlier snapshot to compare with."
        )
        sections = (
            Section(
                "Status and forecast",
                (status.rag.reason, _forecast_sentence(plan), f"RAG rule: {status.rag.rule}"),
            ),
            Section("Headline figures (as recorded)", (compare,), pd.DataFrame(rows)),
            Section(
                "Workload by team",
                (
                    f"Recent completions are over the last "
                    f"{int(self.programme.throughput_window_weeks)} weeks; an officer is "
                    f"overloaded with more than {int(self.programme.overload_open_cases)} open "
                    "cases.",
                ),
                teams,
            ),
            *_alert_section(alerts),
        )
        pdf = pack_pdf(self.furniture(role), (headline,), sections)
        _, briefing = self.briefing()
        own = Attachment(f"weekly-pack-{self.snap.label}.pdf", PDF, pdf)
        summary = (headline, _forecast_sentence(plan))
        return Pack(role, TITLES[role], WHAT[role], self.marking, summary, (own, briefing))

    def _planner(self, role: str, alerts: AlertReport | None) -> Pack:
        plan = self.plans.plan(self.snap, role)
        weeks = 8
        fte = self.db.run(
            "model_weekly_fte", self.snap, role=role, as_of=self.snap.as_of, weeks=weeks
        )
        fte_table = pd.DataFrame(
            {
                "Week ending": [short_date(pd.Timestamp(d).date()) for d in fte["week_ending"]],
                "Assessment FTE in post": [f"{float(v):.1f}" for v in fte["fte_in_post"]],
                "Assessment FTE available": [f"{float(v):.1f}" for v in fte["available_fte"]],
            }
        )
        cost = plan.cost
        cost_lines = (
            (
                f"Cost to the P85 finish: {money(cost.to_p85)} "
                f"(at {money(cost.loaded_cost_per_fte)} per FTE-year, loaded).",
            )
            if cost is not None and cost.to_p85 is not None
            else ("No cost to completion can be worked out at this snapshot.",)
        )
        sections = (
            Section("Forecast", (_forecast_sentence(plan), *cost_lines)),
            Section(
                f"FTE in post and available, last {weeks} weeks",
                (
                    "Available FTE is net of recorded leave, sickness, training and other abstraction.",
                ),
                fte_table,
            ),
            self._scenarios(),
            *_alert_section(alerts),
        )
        pdf = pack_pdf(self.furniture(role), (_forecast_sentence(plan),), sections)
        own = Attachment(f"resources-and-scenarios-{self.snap.label}.pdf", PDF, pdf)
        summary = (_forecast_sentence(plan), *cost_lines)
        return Pack(role, TITLES[role], WHAT[role], self.marking, summary, (own,))

    def _scenarios(self) -> Section:
        try:
            saved = list_saved(settings().scenario_db)
        except StoreError as exc:
            return Section("Saved scenarios", (f"The saved scenarios could not be read: {exc}",))
        if not saved:
            return Section("Saved scenarios", ("No scenario has been saved yet.",))
        table = pd.DataFrame(
            {
                "Scenario": [s.name for s in saved],
                "Saved at snapshot": [short_date(s.as_of) for s in saved],
                "Saved on": [short_date(s.saved_at.date()) for s in saved],
            }
        )
        return Section(
            "Saved scenarios",
            (f"{len(saved):,} saved on the scenarios page; open it to compare them.",),
            table,
        )


def subject(pack: Pack, snap: SnapshotInfo, latest: bool, alerts: AlertReport | None) -> str:
    """The subject line: the marking first, then what and when ("as at" for an older snapshot)."""
    when = (
        f"week ending {long_date(snap.as_of)}"
        if latest
        else f"as at {long_date(snap.as_of)} (not the latest snapshot)"
    )
    new = len(alerts.of("new")) if alerts else 0
    tail = f" - {new} new alert{'s' if new != 1 else ''}" if new else ""
    return f"[{pack.marking}] {pack.title}, {when}{tail}"


def alerts_subject(mark: str, snap: SnapshotInfo, latest: bool, alerts: AlertReport) -> str:
    """The subject of an alerts-only message."""
    when = long_date(snap.as_of) if latest else f"as at {long_date(snap.as_of)}"
    counts = f"{len(alerts.of('new'))} new, {len(alerts.of('resolved'))} resolved"
    return f"[{mark}] Alerts, {when}: {counts}"
