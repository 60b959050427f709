"""The planning model's input read from a snapshot and config/programme.toml (no Streamlit).

``plan_input(db, snapshot, programme, role)`` is the one place a ``PlanInput`` is built for the
app, the CLI and the briefing. It reads, through the query runner:
- kpis: cases in scope and assessed now;
- scope_history: scope and assessed as each earlier weekly snapshot recorded them, so each
  week's completions are "as recorded" by that week's own snapshot (``recorded_history``); a
  week with no snapshot of its own is counted from the completion dates in this snapshot
  (weekly_flow) and flagged;
- model_weekly_fte: FTE of the assessment workstream in post and available (net of recorded
  abstraction) each week;
- snapshot_manifest: whether the extract has any abstraction records at all;
- model_officer_cohorts: the people on the review by start date, end date and workstream;
- model_planned_absence: leave already booked for the weeks ahead;
- workload_hours_per_case: recorded hours per recent assessment (the capacity in hours);
- model_case_groups: cases by priority, category and completion week with their recorded
  hours, for the work content (``reassess.model.effort``);
and the settings in config/programme.toml, each with its source. ``track_record_cases`` gives
every snapshot's input with what happened after it, for the track record and the backtest. ``role`` must be one that may
read team-level queries (planner, analyst, commander); the briefing passes its model role.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd

from reassess.config import ConfigError, Programme
from reassess.model.backtest import Case
from reassess.model.effort import CaseGroup, Work, work_content
from reassess.model.inputs import (
    CONFIG_FILE,
    SETTING_KEYS,
    History,
    Officer,
    PlanInput,
    PlannedAbsence,
    PlannedChange,
    PlanSettings,
    Seasonal,
)
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database

PLANNED_ABSENCE_WEEKS = 52
"""How far ahead booked leave is read."""

CONFIG_FIELDS = (
    "trials",
    "seed",
    "window_weeks",
    "ramp_up_weeks",
    "attrition_per_year",
    "replacement_weeks",
    "abstraction_rate",
    "loaded_cost_per_fte",
    "weeks_per_year",
    "recruitable_extra_officers",
    "productive_hours_per_fte_week",
    "complete_at_share",
    "max_weeks",
    "drift_per_week",
    "scope_half_life_weeks",
    "learning_per_doubling",
)
"""PlanSettings fields read as plain values from config/programme.toml (SETTING_KEYS names them)."""
INT_FIELDS = frozenset(
    {
        "trials",
        "seed",
        "window_weeks",
        "ramp_up_weeks",
        "replacement_weeks",
        "recruitable_extra_officers",
        "max_weeks",
    }
)


def weeks_since_start(as_of: date, start: date) -> int:
    """Weeks (ending on the as-of weekday) from the programme start to the as-of date."""
    return max(0, (as_of - start).days // 7 + 1) if as_of >= start else 0


def _month_day(text: Any, where: str) -> tuple[int, int]:
    try:
        month, day = (int(x) for x in str(text).split("-"))
        date(2024, month, day)
    except (ValueError, TypeError):
        raise ConfigError(
            f'{where} must be a month and day written "MM-DD"; got {text!r}'
        ) from None
    return month, day


def seasonal(programme: Programme) -> tuple[Seasonal, ...]:
    """The seasonal_abstraction list of config/programme.toml."""
    key = SETTING_KEYS["seasonal"]
    out = []
    for i, entry in enumerate(getattr(programme, key), start=1):
        where = f"{CONFIG_FILE}: {key} entry {i}"
        if not isinstance(entry, dict) or not {"name", "from", "to", "abstraction"} <= set(entry):
            raise ConfigError(f"{where} must be {{ name, from, to, abstraction }}; got {entry!r}")
        out.append(
            Seasonal(
                str(entry["name"]),
                _month_day(entry["from"], f"{where} from"),
                _month_day(entry["to"], f"{where} to"),
                float(entry["abstraction"]),
            )
        )
    return tuple(out)


def planned_changes(programme: Programme) -> tuple[PlannedChange, ...]:
    """The planned_headcount schedule of config/programme.toml, each change with its source."""
    key = SETTING_KEYS["planned_changes"]
    out = []
    for i, entry in enumerate(getattr(programme, key), start=1):
        where = f"{CONFIG_FILE}: {key} entry {i}"
        if not isinstance(entry, dict) or not {"date", "fte", "source"} <= set(entry):
            raise ConfigError(
                f'{where} must be {{ date = YYYY-MM-DD, fte = ..., source = "..." }}; got {entry!r}'
            )
        if not isinstance(entry["date"], date):
            raise ConfigError(
                f"{where}: date must be a TOML date (YYYY-MM-DD); got {entry['date']!r}"
            )
        out.append(
            PlannedChange(
                effective=entry["date"],
                fte=float(entry["fte"]),
                source=str(entry["source"]),
                note=str(entry.get("note", "")),
                workstream=str(entry.get("workstream", "assessment")),
            )
        )
    return tuple(out)


def plan_settings(programme: Programme, window_weeks: int | None = None) -> PlanSettings:
    """PlanSettings from config/programme.toml (``window_weeks`` overrides the configured window)."""
    values: dict[str, Any] = {}
    sources = []
    for name in CONFIG_FIELDS:
        setting = programme.setting(SETTING_KEYS[name])
        value = setting.value
        if value is not None:
            value = int(value) if name in INT_FIELDS else float(value)
        values[name] = value
        sources.append((name, setting.source))
    if window_weeks is not None:
        values["window_weeks"] = int(window_weeks)
        sources = [(n, s) for n, s in sources if n != "window_weeks"]
        sources.append(("window_weeks", "chosen on screen (the forecast window)"))
    sources.append(("seasonal", programme.setting(SETTING_KEYS["seasonal"]).source))
    weighting = programme.setting(SETTING_KEYS["effort_weighting"])
    sources.append(("effort_weighting", weighting.source))
    return PlanSettings(
        **values,
        seasonal=seasonal(programme),
        effort_weighting=bool(weighting.value),
        sources=tuple(sources),
    )


def recorded_history(
    db: Database, snapshot: SnapshotInfo, programme: Programme, role: str
) -> pd.DataFrame:
    """One row per week since the programme start: the week's figures as recorded.

    Columns: week_ending, assessed and in_scope at the week's end, completions in the week,
    as_recorded (the week had its own snapshot, and so did the week before, or it was the
    first week), fte_in_post, available_fte. ``assessed`` and ``in_scope`` are those of the
    week's own snapshot where there is one (the burn-up "as recorded"); other weeks carry the
    nearest earlier recorded scope and the assessed counted from completion dates here.
    """
    start: date = programme.programme_start
    as_of = snapshot.as_of
    weeks = weeks_since_start(as_of, start)
    columns = [
        "week_ending",
        "assessed",
        "in_scope",
        "completions",
        "as_recorded",
        "fte_in_post",
        "available_fte",
    ]
    if weeks == 0:
        return pd.DataFrame(columns=columns)
    flow = db.run("weekly_flow", snapshot, role=role, as_of=as_of, weeks=weeks)
    fte = db.run("model_weekly_fte", snapshot, role=role, as_of=as_of, weeks=weeks)
    hist = db.run("scope_history", snapshot, role=role)
    recorded = {
        pd.Timestamp(r.as_of).date(): (int(r.assessed), int(r.in_scope)) for r in hist.itertuples()
    }
    kpis = db.scalar_row("kpis", snapshot, role=role)
    recorded[as_of] = (int(kpis["assessed"]), int(kpis["in_scope"]))
    ends = [pd.Timestamp(d).date() for d in flow["week_ending"]]
    by_dates = [int(x) for x in flow["completed"]]
    # Assessed by each week's end counted from the dates in this snapshot.
    counted = pd.Series(by_dates).cumsum() + (int(kpis["assessed"]) - sum(by_dates))
    rows = []
    first_scope = next((recorded[d][1] for d in ends if d in recorded), int(kpis["in_scope"]))
    scope = first_scope
    for k, end in enumerate(ends):
        here = recorded.get(end)
        before = recorded.get(end - timedelta(weeks=1))
        first_week = end - timedelta(weeks=1) < start
        if here is not None and (before is not None or first_week):
            done = here[0] - (0 if first_week else before[0])  # type: ignore[index]
            rows.append((end, here[0], here[1], done, True))
            scope = here[1]
        else:
            if here is not None:
                scope = here[1]
            assessed = here[0] if here is not None else int(counted.iloc[k])
            rows.append((end, assessed, scope, by_dates[k], False))
    frame = pd.DataFrame(rows, columns=columns[:5])
    frame["fte_in_post"] = fte["fte_in_post"].astype(float).to_numpy()
    frame["available_fte"] = fte["available_fte"].astype(float).to_numpy()
    return frame


def officers(db: Database, snapshot: SnapshotInfo, role: str) -> tuple[Officer, ...]:
    """Everyone on the review, as cohorts sharing a start date, end date and workstream."""
    frame = db.run("model_officer_cohorts", snapshot, role=role)
    out = []
    for r in frame.itertuples():
        start = pd.Timestamp(r.start_date).date()
        end = None if pd.isna(r.end_date) else pd.Timestamp(r.end_date).date()
        out.append(
            Officer(
                ref=f"{start.isoformat()}..{end.isoformat() if end else ''} ({int(r.officers)})",
                fte=float(r.fte),
                start=start,
                end=end,
                workstream=str(r.workstream),
            )
        )
    return tuple(out)


def planned_absence(db: Database, snapshot: SnapshotInfo, role: str) -> tuple[PlannedAbsence, ...]:
    """FTE-days of leave already booked in each week ahead (weeks with none left out)."""
    frame = db.run(
        "model_planned_absence",
        snapshot,
        role=role,
        as_of=snapshot.as_of,
        weeks=PLANNED_ABSENCE_WEEKS,
    )
    return tuple(
        PlannedAbsence(pd.Timestamp(r.week_ending).date(), float(r.fte_days))
        for r in frame.itertuples()
        if r.fte_days > 0
    )


def work(db: Database, snapshot: SnapshotInfo, role: str, weeks: tuple[date, ...]) -> Work | None:
    """The work content of the snapshot's cases (None when too few hours are recorded)."""
    frame = db.run("model_case_groups", snapshot, role=role, as_of=snapshot.as_of)
    groups = [
        CaseGroup(
            priority=str(r.priority),
            category=str(r.category),
            completed=None if pd.isna(r.week_ending) else pd.Timestamp(r.week_ending).date(),
            queue=0 if pd.isna(r.queue) else int(r.queue),
            cases=int(r.cases),
            hours=float(r.hours),
            with_hours=int(r.with_hours),
        )
        for r in frame.itertuples()
    ]
    return work_content(groups, weeks)


def plan_input(
    db: Database,
    snapshot: SnapshotInfo,
    programme: Programme,
    role: str,
    *,
    window_weeks: int | None = None,
) -> PlanInput:
    """The planning model's input at a snapshot (``window_weeks``: the forecast window lever)."""
    settings = plan_settings(programme, window_weeks)
    kpis = db.scalar_row("kpis", snapshot, role=role)
    in_scope, assessed = int(kpis["in_scope"]), int(kpis["assessed"])
    weeks = recorded_history(db, snapshot, programme, role)
    manifest = db.scalar_row("snapshot_manifest", snapshot, role=role)
    measured = int(manifest["abstraction_rows"]) > 0
    history = History(
        week_ending=tuple(weeks["week_ending"]),
        completions=tuple(int(x) for x in weeks["completions"]),
        scope=tuple(int(x) for x in weeks["in_scope"]),
        headcount_fte=tuple(round(float(x), 9) for x in weeks["fte_in_post"]),
        available_fte=tuple(
            round(float(x), 9)
            for x in (weeks["available_fte"] if measured else weeks["fte_in_post"])
        ),
        as_recorded=tuple(bool(x) for x in weeks["as_recorded"]),
        abstraction_measured=measured,
    )
    window = max(1, min(settings.window_weeks, history.weeks or 1))
    hours = db.scalar_row(
        "workload_hours_per_case", snapshot, role=role, as_of=snapshot.as_of, weeks=window
    )
    with_hours = int(hours["completed_with_hours"])
    return PlanInput(
        as_of=snapshot.as_of,
        programme_start=programme.programme_start,
        target=programme.target_date,
        in_scope=in_scope,
        remaining=in_scope - assessed,
        history=history,
        officers=officers(db, snapshot, role),
        planned_absence=planned_absence(db, snapshot, role),
        planned_changes=planned_changes(programme),
        settings=settings,
        hours_per_case=float(hours["hours"]) / with_hours if with_hours else None,
        work=work(db, snapshot, role, history.week_ending),
        label=snapshot.label,
    )


def completed_on(frame: pd.DataFrame, share: float) -> date | None:
    """The first week ending whose recorded figures count as complete (``recorded_history``)."""
    for row in frame.itertuples():
        if row.in_scope > 0 and row.assessed >= share * row.in_scope - 1e-9:
            return row.week_ending
    return None


def track_record_cases(
    db: Database,
    snapshots: Sequence[SnapshotInfo],
    programme: Programme,
    role: str,
    *,
    first: int = 1,
    window_weeks: int | None = None,
) -> list[Case]:
    """One backtest Case per snapshot (from the ``first``-th, oldest first) up to the work's
    completion: its input, and what the latest snapshot shows happened after it. For the
    track record (``reassess.model.backtest.score`` and ``summarise``) and ``bench.backtest``."""
    if not snapshots:
        return []
    ordered = sorted(snapshots, key=lambda s: s.as_of)
    latest = ordered[-1]
    actual = completed_on(
        recorded_history(db, latest, programme, role), programme.complete_at_share
    )
    cases = []
    for snap in ordered[first - 1 :]:
        if actual is not None and snap.as_of >= actual:
            break
        inp = plan_input(db, snap, programme, role, window_weeks=window_weeks)
        cases.append(Case(snap.label, inp, actual, latest.as_of))
    return cases
