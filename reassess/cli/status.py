"""`python -m reassess status`: the overview's KPIs and forecast, headless, through the same code."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from reassess.cli.common import record_cli_export
from reassess.config import programme, settings
from reassess.present.formats import long_date
from reassess.present.marking import marking
from reassess.present.vocabulary import column_label
from reassess.snapshot.listing import Listing, SnapshotInfo, list_snapshots

if TYPE_CHECKING:
    from reassess.config import Programme
    from reassess.snapshot.runner import Database


def resolve_snapshot(listing: Listing, wanted: str) -> SnapshotInfo:
    """'latest' or an as-of date; raise SystemExit with a clear message otherwise."""
    if not listing.snapshots:
        raise SystemExit(
            f"error: there are no snapshots in {settings().snapshot_dir}; run `python -m reassess demo` "
            "or ingest an extract"
        )
    if wanted == "latest":
        return listing.snapshots[-1]
    snap = listing.get(wanted)
    if snap is None:
        known = ", ".join(s.label for s in listing.snapshots[-5:])
        raise SystemExit(
            f"error: there is no snapshot for {wanted!r}; give 'latest' or an as-of date "
            f"(the latest are {known})"
        )
    return snap


def resolve_compare(
    listing: Listing, snap: SnapshotInfo, wanted: str | None
) -> SnapshotInfo | None:
    """'previous' (default), 'none', or an earlier as-of date."""
    if wanted in (None, "previous"):
        return listing.previous(snap)
    if wanted == "none":
        return None
    other = resolve_snapshot(listing, wanted)
    if other.as_of >= snap.as_of:
        raise SystemExit(f"error: the compare snapshot {wanted} must be earlier than {snap.label}")
    return other


def cmd_status(args: argparse.Namespace) -> int:
    """Print the status of the programme at a snapshot."""
    from reassess.figures.status import compute_status
    from reassess.figures.track_record import track_record
    from reassess.present.narrative import forecast_sentence
    from reassess.snapshot.runner import Database

    listing = list_snapshots(settings().snapshot_dir)
    snap = resolve_snapshot(listing, args.snapshot)
    compare = resolve_compare(listing, snap, args.compare)
    db, prog = Database(), programme()
    status = compute_status(db, snap, compare, prog, window_weeks=args.window)
    refused = record_cli_export(
        "status", "commander", snap.as_of, "status --json" if args.json else "status"
    )
    if refused:
        print(refused, file=sys.stderr)
        return 1
    if args.json:
        data: dict[str, Any] = status.to_json()
        data["synthetic"] = snap.synthetic
        data["headline"] = forecast_sentence(status)
        record = track_record(
            db, listing.snapshots, snap, compare, prog, settings().ledger_file, args.window
        )
        data["track_record"] = record.to_json()
        data["reinvestigation"] = reinvestigation_json(db, listing, snap, prog)
        json.dump(data, sys.stdout, indent=2)
        print()
        return 0
    k = status.kpis
    shown_marking = marking(snap.synthetic)
    print(
        f"[{shown_marking}] Status as at {long_date(snap.as_of)}"
        + (f", compared with {long_date(compare.as_of)}" if compare else "")
    )
    print(f"RAG: {status.rag.colour.upper()} - {status.rag.label}. {status.rag.reason}")
    print(forecast_sentence(status))
    f = status.forecast
    if f.cost_to_p85 is not None:
        print(f"  {'cost to completion (P85)':<22}£{f.cost_to_p85:>,.0f}")
    for problem in f.problems:
        print(f"  warning: {problem}")
    for key in (
        "in_scope",
        "assessed",
        "pct_assessed",
        "in_assessment",
        "awaiting_allocation",
        "awaiting_qa",
        "throughput_4w",
    ):
        delta = status.deltas.get(key)
        if key == "pct_assessed":
            value, shown = f"{k[key]:.1f}%", "" if delta is None else f" ({delta:+.1f} pts)"
        elif key == "throughput_4w":
            value, shown = f"{k[key]:,.1f}", "" if delta is None else f" ({delta:+,.1f})"
        else:
            value, shown = f"{k[key]:,.0f}", "" if delta is None else f" ({delta:+,.0f})"
        print(f"  {column_label(key):<28}{value:>10}{shown}")
    if status.required_weekly is not None:
        print(f"  {column_label('required_weekly'):<28}{status.required_weekly:>10,.1f}")
    print(reinvestigation_line(db, snap))
    from reassess.figures.reinvestigation_plan import coupled_plan

    print(f"  {coupled_plan(db, snap, programme=prog).statement()}")
    return 0


def reinvestigation_json(
    db: Database, listing: Listing, snap: SnapshotInfo, prog: Programme
) -> dict[str, Any]:
    """The reinvestigation section of `status --json`: the funnel and ISVA counts as recorded."""
    from reassess.figures.reinvestigation import read_funnel, recorded_from, victim_support
    from reassess.figures.reinvestigation_plan import coupled_plan

    funnel = read_funnel(db, snap, role="commander")
    first = recorded_from(listing, snap)
    out = funnel.to_json()
    out["recorded_from"] = first.isoformat() if first else None
    out["isva"] = victim_support(funnel, prog).to_json()
    plan = coupled_plan(db, snap, programme=prog)
    out["coupled_plan"] = {
        "peak_unmet_fte": round(plan.peak_unmet_fte, 2),
        "unmet_cost_12m_gbp": round(plan.unmet_cost_12m_gbp),
        "effort_measured": plan.effort_measured,
        "statement": plan.statement(),
        "peak_isvas_needed": [round(v, 1) for v in plan.peak_isvas_needed],
        "isva_statement": plan.isva_statement(),
    }
    return out


def reinvestigation_line(db: Database, snap: SnapshotInfo) -> str:
    """One line of the text status: the reinvestigation funnel as recorded."""
    from reassess.figures.reinvestigation import read_funnel

    f = read_funnel(db, snap, role="commander")
    if not f.recorded:
        return "Reinvestigations: none recorded yet (a version 1 extract)."
    return (
        f"Reinvestigations: {f['referred']:,} referred, {f['open']:,} open, {f['opened']:,} "
        f"investigations opened, {f['charged']:,} with a suspect charged, {f['closed']:,} closed."
    )


def window_weeks(text: str) -> int:
    """An argparse type for the forecast window: one of the weeks the pages offer."""
    from reassess.present.window_state import window_options

    options = window_options(int(programme().throughput_window_weeks))
    if not text.strip().isdigit() or int(text) not in options:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a forecast window the pages offer; give one of "
            + ", ".join(str(o) for o in options)
        )
    return int(text)


def register(sub: Any) -> None:
    """Add the status command."""
    p = sub.add_parser("status", help="headline KPIs, RAG and completion forecast")
    p.add_argument("--snapshot", default="latest", help="'latest' (default) or an as-of date")
    p.add_argument("--compare", default=None, help="'previous' (default), 'none' or an as-of date")
    p.add_argument(
        "--window",
        type=window_weeks,
        default=None,
        help="forecast window in weeks, as the pages offer it (default from config)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_status)
