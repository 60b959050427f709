"""`python -m reassess scenario`: the staffing scenario planner, headless, through the same code.

The scenario is the scenarios page's: ``ScenarioInput`` defaults from config/programme.toml with
the options given, run on the one planning model (``reassess.figures.scenarios.run_scenario``);
with no option changed it is the headline forecast of the overview and ``status`` exactly.
``--find-officers`` is the page's officers finder (``reassess.figures.forecast.officers``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Any

from reassess.cli.common import parse_date
from reassess.cli.status import window_weeks
from reassess.config import programme, settings
from reassess.present.marking import marking
from reassess.snapshot.listing import list_snapshots

ROLE = "planner"
"""The baseline needs only aggregate queries: the command runs with the planner's access."""


def fraction(text: str) -> float:
    """An argparse type for a share between 0 and 1 (0.2 means 20%)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number; write a share such as 0.2"
        ) from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(
            f"{text} is not between 0 and 1; write a share such as 0.2 for 20%"
        )
    return value


def whole(low: int, high: int) -> Any:
    """An argparse type for a whole number from low to high."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low} and {high}")
        return value

    return parse


def money_amount(text: str) -> float:
    """An argparse type for pounds (0 or more)."""
    try:
        value = float(text.replace(",", "").lstrip("£"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an amount in pounds, e.g. 65000"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative; give an amount of 0 or more")
    return value


def cmd_scenario(args: argparse.Namespace) -> int:
    """Run one staffing scenario (or find the officers needed) on a snapshot."""
    from reassess.cli.status import resolve_snapshot
    from reassess.figures.forecast import officers
    from reassess.figures.scenarios import (
        answer_sentence,
        answer_summary,
        default_start,
        position_for,
        run_scenario,
        scenario_export,
    )
    from reassess.model.scenarios import ScenarioInput, levers_for
    from reassess.present.formats import long_date, money
    from reassess.snapshot.runner import Database

    prog = programme()
    snap = resolve_snapshot(list_snapshots(settings().snapshot_dir), args.snapshot)
    db = Database()
    overrides: dict[str, Any] = {
        "name": args.name,
        "extra_officers": args.extra_officers,
        "start_date": args.start or default_start(snap.as_of),
    }
    for option, field in (
        ("target", "target_date"),
        ("ramp_up_weeks", "ramp_up_weeks"),
        ("abstraction_rate", "abstraction_rate"),
        ("attrition", "attrition_per_year"),
        ("cost_per_fte", "loaded_cost_per_fte"),
        ("productivity", "productivity_per_fte"),
        ("trials", "trials"),
        ("extra_investigators", "extra_investigators"),
        ("investigators_from", "investigators_from"),
        ("extra_isvas", "extra_isvas"),
    ):
        if getattr(args, option) is not None:
            overrides[field] = getattr(args, option)
    if (
        overrides.get("investigators_from") is not None
        and overrides["investigators_from"] < snap.as_of
    ):
        print(
            f"error: --investigators-from {overrides['investigators_from']} is before the snapshot "
            f"date {snap.label}; extra investigators can start on the snapshot date or later",
            file=sys.stderr,
        )
        return 2
    if overrides["start_date"] < snap.as_of:
        print(
            f"error: --start {overrides['start_date']} is before the snapshot date {snap.label}; "
            "extra officers can start on the snapshot date or later",
            file=sys.stderr,
        )
        return 2
    try:
        inp = ScenarioInput.from_programme(snap.as_of, prog, **overrides)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    position = position_for(db, snap, ROLE)
    result = run_scenario(db, snap, prog, inp, position, args.window, coupled=True)
    answer = (
        officers(
            db,
            snap,
            prog,
            inp.target_date,
            start=inp.start_date,
            confidence=args.confidence,
            levers=levers_for(replace(inp, extra_officers=0), prog),
            window_weeks=args.window,
        )
        if args.find_officers
        else None
    )
    if args.json:
        data = scenario_export(inp, result, position, prog, snap)
        data["synthetic"] = snap.synthetic
        if answer is not None:
            data["officers_needed"] = answer_summary(answer)
        json.dump(data, sys.stdout, indent=2)
        print()
        return 0
    shown_marking = marking(snap.synthetic)
    print(f"[{shown_marking}] Scenario '{inp.name}' at {snap.label}")
    print(
        f"  {inp.extra_officers} extra officers from {long_date(inp.start_date)}; "
        f"target {long_date(inp.target_date)}"
    )
    if result.message:
        print(f"  {result.message}")
    for label, value in (
        ("finish, median (P50)", result.p50),
        ("finish, 85% (P85)", result.p85),
        ("finish, 95% (P95)", result.p95),
    ):
        print(f"  {label:<32}{long_date(value) if value else '—'}")
    chance = "—" if result.prob_by_target is None else f"{result.prob_by_target:.0%}"
    print(f"  {'chance of meeting the target':<32}{chance}")
    print(f"  {'extra officers a year':<32}{money(result.cost_per_year)}")
    print(f"  {'extra cost to the P85 date':<32}{money(result.cost_to_completion)}")
    print(f"  {'whole team to the P85 date':<32}{money(result.team_cost_to_completion)}")
    print(f"  {'reinvestigations expected':<32}{result.reinvestigations:,}")
    print(f"  {'victim-support referrals':<32}{result.victim_support_referrals:,}")
    coupled = result.coupled
    if coupled is not None:
        print("Reinvestigation demand, next 12 months (coupled forecast):")
        if inp.extra_investigators or inp.extra_isvas:
            when = long_date(inp.investigators_from or default_start(snap.as_of))
            print(
                f"  {inp.extra_investigators} extra investigators from {when}; "
                f"{inp.extra_isvas} extra ISVAs"
            )
        print(f"  {coupled.statement()}")
        print(
            f"  {'month':<16}{'open':>8}{'FTE needed':>12}{'in post':>10}{'short':>8}{'ISVAs needed':>15}"
        )
        for m in coupled.months:
            isvas = f"{m.isvas_needed_low:.0f}-{m.isvas_needed_high:.0f}"
            print(
                f"  {m.month:%B %Y}".ljust(18)
                + f"{m.open_p50:>8,.0f}{m.fte_needed:>12,.1f}{m.fte_in_post:>10,.1f}"
                f"{m.unmet_fte:>8,.1f}{isvas:>15}"
            )
        print(f"  {'shortfall cost, 12 months':<32}{money(coupled.unmet_cost_12m_gbp)}")
    if answer is not None:
        print("Officers needed: " + answer_sentence(answer).replace("**", ""))
    return 0


def register(sub: Any) -> None:
    """Add the scenario command."""
    p = sub.add_parser(
        "scenario",
        help="a staffing scenario: finish dates, cost and demand; or the officers needed",
        description="Run the scenarios page's staffing model on a snapshot. Options left out "
        "take their value from config/programme.toml.",
    )
    p.add_argument("--snapshot", default="latest", help="'latest' (default) or an as-of date")
    p.add_argument(
        "--name", default="Scenario", help="a name for the scenario (shown in the output)"
    )
    p.add_argument(
        "--extra-officers",
        type=whole(0, 500),
        default=0,
        help="extra full-time officers (default 0)",
    )
    p.add_argument(
        "--start",
        type=parse_date,
        default=None,
        help="when they start, YYYY-MM-DD (default: a week after the snapshot)",
    )
    p.add_argument(
        "--target",
        type=parse_date,
        default=None,
        help="the date to finish by (default: the programme's target)",
    )
    p.add_argument("--ramp-up-weeks", type=whole(0, 52), default=None)
    p.add_argument(
        "--abstraction-rate",
        type=fraction,
        default=None,
        help="share of time abstracted, e.g. 0.2 (default: measured from the records)",
    )
    p.add_argument(
        "--attrition",
        type=fraction,
        default=None,
        help="share of the team leaving in a year, e.g. 0.1",
    )
    p.add_argument(
        "--cost-per-fte", type=money_amount, default=None, help="loaded cost per FTE a year, £"
    )
    p.add_argument(
        "--productivity",
        type=float,
        default=None,
        help="assessments per available FTE a week (default: measured)",
    )
    p.add_argument(
        "--trials",
        type=whole(1, 1_000_000),
        default=None,
        help="Monte Carlo trials (default from config)",
    )
    p.add_argument(
        "--extra-investigators",
        type=whole(0, 500),
        default=None,
        help="extra full-time investigators for the reinvestigation team (default 0)",
    )
    p.add_argument(
        "--investigators-from",
        type=parse_date,
        default=None,
        help="when they start, YYYY-MM-DD (default: the Monday after the snapshot)",
    )
    p.add_argument(
        "--extra-isvas",
        type=whole(0, 500),
        default=None,
        help="extra ISVAs beyond those in post (default 0)",
    )
    p.add_argument(
        "--window",
        type=window_weeks,
        default=None,
        help="forecast window in weeks, as the pages offer it (default from config)",
    )
    p.add_argument(
        "--find-officers",
        action="store_true",
        help="also find the extra officers needed from --start to finish by --target",
    )
    p.add_argument(
        "--confidence",
        type=fraction,
        default=0.85,
        help="confidence for --find-officers (default 0.85)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_scenario)
