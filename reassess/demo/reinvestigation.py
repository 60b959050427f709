"""The second phase: referred cases become reinvestigations, a working day at a time.

A case assessed with outcome ``reinvestigate`` is referred a few days after its QA sign-off.
The reinvestigation workstream then:

1. contacts the victim (attempts every week or so, highest priority first; after five failed
   attempts the victim is recorded as not contactable and the referral is closed);
2. engages them and offers an ISVA; the victim decides over a few weeks whether to support a
   reinvestigation (Operation Beaconport's rule: nothing goes beyond victim_engaged without
   consent); a declined referral is closed;
3. opens an investigation when a lead officer has room (each leads a few at a time), works
   its effort (config's investigator_hours_per_reinvestigation, more for organised-group and
   institutional cases) through the lead's available hours, identifying and arresting
   suspects as it goes, so an investigation takes months;
4. sends a file for a charging decision when someone has been arrested; some are charged,
   and the reinvestigation closes once the charges are laid.

Durations are drawn when a step begins, from that week's random stream; what happens at its
end is drawn when it ends. Nothing depends on the build's end date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reassess.demo.calendar import add_working_days
from reassess.demo.cases import CaseBook
from reassess.demo.people import Officer

# Demo assumption: working days from QA sign-off to the referral being recorded.
REFERRAL_LAG_DAYS = (0, 4)
# Demo assumption: contact attempts an investigator makes a day (an hour each), the chance
# an attempt reaches the victim, the wait before trying again, and when to stop.
CONTACT_ATTEMPTS_PER_DAY = 1.6
CONTACT_HOURS = 1.0
CONTACT_SUCCESS = 0.5
RETRY_AFTER_DAYS = 5
MAX_ATTEMPTS = 5
# Demo assumption: working days a victim takes to decide (geometric mean), and the share
# who agree to a reinvestigation.
CONSENT_MEAN_DAYS = 12
CONSENT_GIVEN_SHARE = 0.68
# Demo assumption: working days from a decline or a failed trace to the referral's closure.
CLOSE_AFTER_DAYS = (5, 20)
# Demo assumption: ISVA offered at first contact to most victims; what they decide and when.
ISVA_OFFERED_AT_CONTACT = 0.85
ISVA_MEAN_DAYS = 8
ISVA_ACCEPTED = 0.62
ISVA_DECLINED = 0.28
# Demo assumption: investigations a lead carries at once (a sergeant fewer), hours a day of
# investigative work per FTE, and a new starter's first working days before leading one.
LEAD_CASELOAD = 6
SERGEANT_CASELOAD = 2
HOURS_PER_DAY = 6.2
LEAD_AFTER_DAYS = 5
# Demo assumption: effort of a reinvestigation around config's hours, lognormal.
EFFORT_SIGMA = 0.45
HARD_CATEGORY_EFFORT = 1.4
HARD_CATEGORIES = frozenset({"organised_group", "institutional"})
# Demo assumption: daily chances while investigating.
NEW_SUSPECT_DAILY = 0.003
ARREST_DAILY = 0.007  # per identified suspect not yet arrested, after the first weeks
ARREST_AFTER_DAYS = 20
VICTIM_WITHDRAWS_DAILY = 0.0006
LINKED_DAILY = 0.0003
# Demo assumption: the charging decision and the laying of charges.
DECISION_DAYS = (20, 60)
CHARGE_SHARE = 0.55
CHARGED_SHARE_OF_ARRESTED = 0.75
CLOSE_AFTER_CHARGE_DAYS = (15, 60)


@dataclass
class Reinvestigation:
    """One reinvestigation as it stands."""

    ref: str
    case: int
    referred: int
    rank: int  # the case's priority rank (0 high)
    stage: str = "awaiting_contact"
    consent: str = "pending"
    isva: str = "not_offered"
    lead: int = -1
    opened: int = 0
    closed: int = 0
    closure: str = ""
    identified: int = 0
    arrested: int = 0
    charged: int = 0
    hours: float = 0.0
    attempts: int = 0
    next_attempt: int = 0
    due: int = 0
    isva_due: int = 0
    consent_day: int = 0
    effort: float = 0.0
    worked: float = 0.0


class Reinvestigations:
    """Every reinvestigation referred so far, and the referrals on their way."""

    def __init__(self, book: CaseBook, hours_per_reinvestigation: float) -> None:
        self.book = book
        self.effort_median = hours_per_reinvestigation
        self.items: list[Reinvestigation] = []
        self.incoming: list[tuple[int, int]] = []  # (referral day, case)
        self.contact_credit: dict[int, float] = {}

    def refer(self, rng: np.random.Generator, case: int, signed_off: int) -> None:
        """A reinvestigate assessment signed off: the referral follows a few days later."""
        lag = int(rng.integers(REFERRAL_LAG_DAYS[0], REFERRAL_LAG_DAYS[1] + 1))
        self.incoming.append((add_working_days(signed_off, lag), case))

    def day(self, rng: np.random.Generator, officers: list[Officer], day: int) -> None:
        """One working day of the workstream; `officers` are those working today."""
        self._arrivals(day)
        hours = {o.index: HOURS_PER_DAY * o.fte for o in officers}
        self._contact(rng, officers, day, hours)
        self._decisions(rng, day)
        self._open(rng, officers, day)
        self._investigate(rng, officers, day, hours)

    def _arrivals(self, day: int) -> None:
        due = sorted(x for x in self.incoming if x[0] <= day)
        self.incoming = [x for x in self.incoming if x[0] > day]
        for referred, case in due:
            ref = f"SYN-RI-{len(self.items) + 1:05d}"
            rank = {"high": 0, "medium": 1, "low": 2}[str(self.book.priority[case])]
            self.items.append(Reinvestigation(ref, case, referred, rank, next_attempt=referred))

    def _contact(
        self,
        rng: np.random.Generator,
        officers: list[Officer],
        day: int,
        hours: dict[int, float],
    ) -> None:
        """Investigators try to reach victims, highest priority and longest waiting first."""
        callers = [o for o in officers if not o.sergeant]
        if not callers:
            return
        waiting = sorted(
            (
                r
                for r in self.items
                if r.stage == "awaiting_contact"
                and r.consent == "pending"
                and r.next_attempt <= day
            ),
            key=lambda r: (r.rank, r.referred, r.ref),
        )
        queue = iter(waiting)
        for caller in callers:
            credit = self.contact_credit.get(caller.index, 0.0) + CONTACT_ATTEMPTS_PER_DAY
            while credit >= 1.0:
                r = next(queue, None)
                if r is None:
                    self.contact_credit[caller.index] = min(credit, 1.0)
                    return
                credit -= 1.0
                hours[caller.index] -= CONTACT_HOURS
                r.hours += CONTACT_HOURS
                r.attempts += 1
                if rng.random() < CONTACT_SUCCESS:
                    r.stage = "victim_engaged"
                    r.due = add_working_days(day, 1 + int(rng.geometric(1 / CONSENT_MEAN_DAYS)))
                    if rng.random() < ISVA_OFFERED_AT_CONTACT:
                        r.isva = "offered"
                        r.isva_due = add_working_days(day, int(rng.geometric(1 / ISVA_MEAN_DAYS)))
                elif r.attempts >= MAX_ATTEMPTS:
                    r.consent = "not_contactable"
                    r.due = add_working_days(day, int(rng.integers(*CLOSE_AFTER_DAYS)))
                else:
                    r.next_attempt = add_working_days(day, RETRY_AFTER_DAYS)
            self.contact_credit[caller.index] = credit

    def _decisions(self, rng: np.random.Generator, day: int) -> None:
        """Consent decisions, ISVA decisions, closures of declined and untraced referrals."""
        for r in self.items:
            if r.stage == "closed":
                continue
            if r.isva == "offered" and r.isva_due and r.isva_due <= day:
                u = rng.random()
                r.isva = (
                    "accepted"
                    if u < ISVA_ACCEPTED
                    else "declined"
                    if u < ISVA_ACCEPTED + ISVA_DECLINED
                    else "offered"
                )
                r.isva_due = 0
            if r.stage == "victim_engaged" and r.consent == "pending" and r.due <= day:
                if rng.random() < CONSENT_GIVEN_SHARE:
                    r.consent = "given"
                    r.consent_day = day
                    if r.isva == "not_offered":
                        r.isva = "offered"
                        r.isva_due = add_working_days(day, int(rng.geometric(1 / ISVA_MEAN_DAYS)))
                else:
                    r.consent = "declined"
                    r.due = add_working_days(day, int(rng.integers(*CLOSE_AFTER_DAYS)))
            elif r.consent in ("declined", "not_contactable") and r.due <= day:
                self._close(r, day, "nfa_victim_withdrew" if r.consent == "declined" else "other")
            elif r.stage == "charging_decision" and r.due <= day:
                if rng.random() < CHARGE_SHARE:
                    r.stage = "charged"
                    r.charged = max(1, int(rng.binomial(r.arrested, CHARGED_SHARE_OF_ARRESTED)))
                    r.due = add_working_days(day, int(rng.integers(*CLOSE_AFTER_CHARGE_DAYS)))
                else:
                    self._close(r, day, "nfa_evidential")
            elif r.stage == "charged" and r.due <= day:
                self._close(r, day, "charged_all" if r.charged == r.identified else "charged_some")

    def _open(self, rng: np.random.Generator, officers: list[Officer], day: int) -> None:
        """Consented referrals become investigations when a lead has room."""
        ready = sorted(
            (r for r in self.items if r.stage == "victim_engaged" and r.consent == "given"),
            key=lambda r: (r.rank, r.consent_day, r.ref),
        )
        if not ready:
            return
        load = {o.index: 0 for o in officers}
        for r in self.items:
            if r.lead in load and r.stage in ("investigating", "charging_decision"):
                load[r.lead] += 1
        for r in ready:
            leads = [
                o
                for o in officers
                if add_working_days(o.start, LEAD_AFTER_DAYS) <= day
                and load[o.index] < (SERGEANT_CASELOAD if o.sergeant else LEAD_CASELOAD)
            ]
            if not leads:
                return
            lead = min(leads, key=lambda o: (load[o.index], o.index))
            load[lead.index] += 1
            r.stage = "investigating"
            r.lead = lead.index
            r.opened = day
            r.identified = int(self.book.suspects[r.case])
            median = self.effort_median * (
                HARD_CATEGORY_EFFORT if self.book.category[r.case] in HARD_CATEGORIES else 1.0
            )
            r.effort = float(median * np.exp(rng.normal(0, EFFORT_SIGMA)))

    def _investigate(
        self,
        rng: np.random.Generator,
        officers: list[Officer],
        day: int,
        hours: dict[int, float],
    ) -> None:
        """Leads at work share their hours across their investigations; suspects are found."""
        working = {o.index for o in officers}
        by_lead: dict[int, list[Reinvestigation]] = {}
        for r in self.items:
            if r.stage == "investigating" and r.lead in working:
                by_lead.setdefault(r.lead, []).append(r)
        for lead, items in by_lead.items():
            share = max(0.0, hours[lead]) / len(items)
            for r in items:
                r.worked += share
                r.hours += share
                if rng.random() < NEW_SUSPECT_DAILY:
                    r.identified += 1
                waiting = r.identified - r.arrested
                after = add_working_days(r.opened, ARREST_AFTER_DAYS) <= day
                if after and waiting > 0 and rng.random() < min(0.5, ARREST_DAILY * waiting):
                    r.arrested += 1
                u = rng.random()
                if u < VICTIM_WITHDRAWS_DAILY:
                    self._close(r, day, "nfa_victim_withdrew")
                elif u < VICTIM_WITHDRAWS_DAILY + LINKED_DAILY:
                    self._close(r, day, "linked_to_other")
                elif r.worked >= r.effort:
                    if r.arrested > 0:
                        r.stage = "charging_decision"
                        r.due = add_working_days(day, int(rng.integers(*DECISION_DAYS)))
                    else:
                        self._close(r, day, "nfa_evidential")

    @staticmethod
    def _close(r: Reinvestigation, day: int, outcome: str) -> None:
        r.stage = "closed"
        r.closed = day
        r.closure = outcome
