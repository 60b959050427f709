"""Warnings about time and change: what has waited too long, and what went back or went away."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

import duckdb

from reassess.extract.contract import STALE_AWAITING_CONTACT_DAYS, STALE_IN_ASSESSMENT_DAYS
from reassess.extract.issues import Issue, file_issue
from reassess.snapshot.sql import sql_text

if TYPE_CHECKING:
    from reassess.extract.validate import Checked


def stale_warnings(
    con: duckdb.DuckDBPyConnection, checked: Mapping[str, Checked], as_of: date
) -> list[Issue]:
    """Cases in assessment for over 90 days; reinvestigations awaiting contact for over 8 weeks."""
    sources = {name: t.source for name, t in checked.items()}
    rows = con.execute(
        sql_text("ingest", "stale"),
        {
            "assessment_since": as_of - timedelta(days=STALE_IN_ASSESSMENT_DAYS),
            "contact_since": as_of - timedelta(days=STALE_AWAITING_CONTACT_DAYS),
        },
    ).fetchall()
    out: list[Issue] = []
    for table, rownum, ref, since in rows:
        days = (as_of - since).days
        if table == "cases":
            out.append(
                Issue(
                    sources["cases"],
                    rownum,
                    "started_date",
                    since.isoformat(),
                    f"case {ref} has been in assessment for {days} days "
                    f"(over {STALE_IN_ASSESSMENT_DAYS})",
                    "stale_in_assessment",
                )
            )
        else:
            out.append(
                Issue(
                    sources["reinvestigations"],
                    rownum,
                    "referred_date",
                    since.isoformat(),
                    f"reinvestigation {ref} has been awaiting contact for {days} days "
                    f"(over {STALE_AWAITING_CONTACT_DAYS // 7} weeks)",
                    "stale_awaiting_contact",
                )
            )
    return out


def case_change_warnings(
    con: duckdb.DuckDBPyConnection, prev_as_of: date, source: str
) -> list[Issue]:
    """Cases gone since the previous snapshot, and cases whose status went backwards."""
    rows = con.execute(
        "select case_ref, change, previous_status, status from changes "
        "where change in ('removed', 'status_backwards') order by change, case_ref"
    ).fetchall()
    out: list[Issue] = []
    for case_ref, change, before, after in rows:
        if change == "removed":
            msg = f"case {case_ref} was in the snapshot of {prev_as_of.isoformat()} and is gone from this extract"
            out.append(Issue(source, None, "case_ref", case_ref, msg, "left_scope"))
        else:
            msg = (
                f"case {case_ref} went back from {before} to {after} since {prev_as_of.isoformat()}"
            )
            out.append(Issue(source, None, "status", after, msg, "status_backwards"))
    return out


def reinvestigation_change_warnings(
    con: duckdb.DuckDBPyConnection, prev_as_of: date, source: str
) -> list[Issue]:
    """Reinvestigations gone since the previous snapshot, and those whose stage went backwards."""
    rows = con.execute(
        "select investigation_ref, change, previous_stage, stage from reinvestigation_changes "
        "where change in ('removed', 'stage_backwards') order by change, investigation_ref"
    ).fetchall()
    out: list[Issue] = []
    when = prev_as_of.isoformat()
    for ref, change, before, after in rows:
        if change == "removed":
            msg = (
                f"reinvestigation {ref} was in the snapshot of {when} and is gone from this extract"
            )
            out.append(Issue(source, None, "investigation_ref", ref, msg, "reinvestigation_gone"))
        else:
            msg = f"reinvestigation {ref} went back from {before} to {after} since {when}"
            out.append(Issue(source, None, "stage", after, msg, "stage_backwards"))
    return out


def capped(warnings: list[Issue], limit: int, setting: str) -> list[Issue]:
    """At most `limit` warnings; past that, one summary line per kind with how many were left out."""
    if len(warnings) <= limit:
        return warnings
    kept = warnings[:limit]
    left: dict[tuple[str, str], int] = {}
    for w in warnings[limit:]:
        left[(w.code, w.file)] = left.get((w.code, w.file), 0) + 1
    for (code, file), n in left.items():
        kept.append(
            file_issue(
                file,
                f"and {n:,} more warnings of this kind ({code}) that are counted but not listed; "
                f"at most {limit:,} warnings are listed, set by {setting}",
                code,
            )
        )
    return kept
