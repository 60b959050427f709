"""The people on the review: who joins when, in which team and role, and who leaves.

Officers are ``PPO-nnnn`` pseudonyms, numbered in the order they join. A new starter's role and
hours are drawn in the week they start, from that week's random stream; a leaver's notice is
drawn in the week it is given, and the end date appears in the extract from that week on (so
the planner can see a known leaver before they go).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from reassess.demo.calendar import ordinal

ASSESSMENT = "assessment"
REINVESTIGATION = "reinvestigation"
SERGEANT = "detective_sergeant"

# Demo assumption (CALIBRATION: a detective sergeant per team of 6-8): the 26 officers of the
# letter start as four assessment teams.
INITIAL_TEAMS = 4
# Demo assumption (CALIBRATION: "about 40 from February 2026"): two new assessment teams of
# seven. config/programme.toml's planned_headcount carries the schedule.
ASSESSMENT_TEAM_PREFIX = "Review Team"
REINVESTIGATION_TEAM_PREFIX = "Reinvestigation Team"
# Demo assumption: investigators in an assessment team (DCs and staff investigators mostly).
ROLE_MIX: tuple[tuple[str, float], ...] = (
    ("detective_constable", 0.5),
    ("staff_investigator", 0.4),
    ("police_constable", 0.1),
)
REINVESTIGATION_ROLE_MIX: tuple[tuple[str, float], ...] = (
    ("detective_constable", 0.75),
    ("staff_investigator", 0.15),
    ("police_constable", 0.10),
)
# Demo assumption: most work full time; a few part time.
FTE_MIX: tuple[tuple[float, float], ...] = ((1.0, 0.9), (0.8, 0.07), (0.6, 0.03))
# Demo assumption: how many open cases an assessing officer keeps in hand.
OPEN_CASES_TARGET = (5, 8)  # drawn per officer, inclusive
SERGEANT_OPEN_CASES = 2
# Demo assumption: individual pace varies a little (experience, typing, familiarity).
PACE_SIGMA = 0.08
# Demo assumption: notice period of a leaver, and the gap before a replacement starts.
NOTICE_WEEKS = (3, 6)
REPLACEMENT_WEEKS_AFTER_END = (4, 8)
# Demo assumption: leavers are replaced only while the end of the assessments is far off.
LAST_REPLACEMENT_START = date(2026, 6, 1)
# Demo assumption: attrition starts after the first month (nobody leaves a brand-new team), and
# nobody gives notice in their own first four weeks. Sergeants stay for the whole assessment.
ATTRITION_FROM = date(2025, 12, 1)
SETTLING_IN_DAYS = 28


@dataclass
class Officer:
    """One person on the review; `end` and `end_known` are 0 until a leaving date is set."""

    index: int
    ref: str
    team: str
    role: str
    fte: float
    start: int
    workstream: str
    open_target: int
    pace: float
    initial: bool  # one of the 26 the programme started with (no learning curve)
    end: int = 0
    end_known: int = 0

    @property
    def sergeant(self) -> bool:
        return self.role == SERGEANT

    def in_post(self, day: int) -> bool:
        """Whether the officer is on the review on a day."""
        return self.start <= day and (self.end == 0 or day <= self.end)


@dataclass(frozen=True)
class Wave:
    """A planned intake: a new team of `size` (its sergeant and size - 1 others) from `start`."""

    start: date
    size: int
    workstream: str


def waves_from_plan(plan: object, workstream: str) -> tuple[Wave, ...]:
    """The teams the demo hires: config's planned_headcount entries of one workstream.

    Each entry is { date, fte, workstream?, source }; the demo hires a team of round(fte)
    officers on that date (the plan's FTE counts posts; part-timers make the team's FTE less).
    """
    out: list[Wave] = []
    for entry in plan if isinstance(plan, list) else []:
        if not isinstance(entry, dict) or entry.get("workstream", ASSESSMENT) != workstream:
            continue
        start, size = entry.get("date"), round(float(entry.get("fte", 0)))
        if not isinstance(start, date) or size < 2:
            raise ValueError(
                "config/programme.toml: a planned_headcount entry the demo hires must have a "
                f"date and fte >= 2; got {entry!r}"
            )
        out.append(Wave(start, size, workstream))
    return tuple(sorted(out, key=lambda w: w.start))


class Staff:
    """Everyone who has joined so far, and the hires still to come."""

    def __init__(self) -> None:
        self.officers: list[Officer] = []
        self.team_count: dict[str, int] = {ASSESSMENT: 0, REINVESTIGATION: 0}
        self.pending: list[tuple[int, str, str]] = []  # (start day, team, workstream)

    def hire(
        self,
        rng: np.random.Generator,
        team: str,
        start: int,
        workstream: str,
        *,
        sergeant: bool = False,
        initial: bool = False,
    ) -> Officer:
        """One new officer: a sergeant leads the team; others are drawn from the role mix."""
        mix = ROLE_MIX if workstream == ASSESSMENT else REINVESTIGATION_ROLE_MIX
        if sergeant:
            role, fte = SERGEANT, 1.0
            target = SERGEANT_OPEN_CASES
        else:
            role = str(rng.choice([r for r, _ in mix], p=[p for _, p in mix]))
            fte = float(rng.choice([f for f, _ in FTE_MIX], p=[p for _, p in FTE_MIX]))
            target = int(rng.integers(OPEN_CASES_TARGET[0], OPEN_CASES_TARGET[1] + 1))
        pace = float(np.exp(rng.normal(0, PACE_SIGMA)))
        index = len(self.officers)
        officer = Officer(
            index=index,
            ref=f"PPO-{index + 1:04d}",
            team=team,
            role=role,
            fte=fte,
            start=start,
            workstream=workstream,
            open_target=target,
            pace=pace,
            initial=initial,
        )
        self.officers.append(officer)
        return officer

    def new_team(
        self, rng: np.random.Generator, start: int, size: int, workstream: str, *, initial: bool
    ) -> list[Officer]:
        """A new team: its sergeant and size - 1 others."""
        self.team_count[workstream] += 1
        prefix = ASSESSMENT_TEAM_PREFIX if workstream == ASSESSMENT else REINVESTIGATION_TEAM_PREFIX
        name = f"{prefix} {self.team_count[workstream]}"
        team = [self.hire(rng, name, start, workstream, sergeant=True, initial=initial)]
        team += [self.hire(rng, name, start, workstream, initial=initial) for _ in range(size - 1)]
        return team

    def initial_teams(self, rng: np.random.Generator, start: date, size: int) -> None:
        """The team the programme starts with, in INITIAL_TEAMS teams."""
        for t in range(INITIAL_TEAMS):
            n = size // INITIAL_TEAMS + (t < size % INITIAL_TEAMS)
            self.new_team(rng, ordinal(start), n, ASSESSMENT, initial=True)

    def in_post(self, day: int, workstream: str | None = None) -> list[Officer]:
        """Officers on the review on a day (optionally one workstream)."""
        return [
            o
            for o in self.officers
            if o.in_post(day) and (workstream is None or o.workstream == workstream)
        ]

    def sergeant_of(self, team: str, day: int) -> Officer | None:
        """The team's sergeant on a day."""
        for o in self.officers:
            if o.team == team and o.sergeant and o.in_post(day):
                return o
        return None
