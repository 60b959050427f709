"""Rules across fields and rows (keys, references, dates in order, status and stage), in SQL.

Each table's rules are one query in queries/ingest/rules_<table>.sql over the valid typed rows
(t_<table>); it names the rule broken and its facts, and `MESSAGES` here words it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from reassess.extract.contract import BCUS, BOROUGH_BCU, EARLIEST_REPORTED
from reassess.extract.issues import Issue, file_issue
from reassess.snapshot.sql import sql_text

if TYPE_CHECKING:
    from reassess.extract.validate import Checked

DATE_CHAIN = "dates must run reported <= allocated <= started <= completed <= qa"
V2_CHAIN = "dates must run completed <= referred <= opened <= closed"

Words = Callable[[str, str | None, str | None, dict[str, str]], str]


def future(as_of: date) -> str:
    """A date after the as-of date."""
    return (
        f"is in the future (after the as-of date {as_of.isoformat()}); correct the date, "
        "or give the date the extract was taken as --as-of"
    )


def _borough(value: str, bcu: str | None, _a2: str | None, _ctx: dict[str, str]) -> str:
    home = BOROUGH_BCU[value]
    return f"is not in BCU {bcu}; {value} is in {home} ({BCUS[home][0]})"


def _unknown_officer(_v: str, _a1: str | None, _a2: str | None, ctx: dict[str, str]) -> str:
    return f"is not in {ctx['officers']}; add the officer there or correct the reference"


# rule -> (code, words from value, a1, a2 and the context: as_of and the tables' sources)
MESSAGES: dict[str, tuple[str, Words]] = {
    "duplicate_officer": (
        "duplicate_key",
        lambda v, a1, a2, c: f"is a duplicate of row {a1}; each officer must appear once",
    ),
    "started_after_as_of": (
        "invalid",
        lambda v, a1, a2, c: (
            f"is after the as-of date {c['as_of']}; list officers who have started by then"
        ),
    ),
    "ends_before_start": ("invalid", lambda v, a1, a2, c: f"is before start_date {a1}"),
    "unknown_officer": ("unknown_officer", _unknown_officer),
    "ends_before_from": ("invalid", lambda v, a1, a2, c: f"is before from_date {a1}"),
    "duplicate_case": (
        "duplicate_key",
        lambda v, a1, a2, c: f"is a duplicate of row {a1}; each case must appear once",
    ),
    "before_scope": (
        "invalid",
        lambda v, a1, a2, c: "is before 2010-01-01, the start of the review's scope",
    ),
    "future": ("invalid", lambda v, a1, a2, c: c["future"]),
    "borough_bcu": ("borough_bcu", _borough),
    "ethnicity_without_suspects": (
        "invalid",
        lambda v, a1, a2, c: f"is only for cases with no suspects, but suspects is {a1}",
    ),
    "ethnicity_recorded_no_suspects": (
        "invalid",
        lambda v, a1, a2, c: "says ethnicity was recorded but suspects is 0; use not_applicable",
    ),
    "officer_while_unallocated": (
        "invalid",
        lambda v, a1, a2, c: "must be empty while the case is awaiting_allocation",
    ),
    "officer_missing": (
        "invalid",
        lambda v, a1, a2, c: f"is empty but the case is {a1}; give the officer it is allocated to",
    ),
    "date_missing": (
        "invalid",
        lambda v, a1, a2, c: f"is empty but the case is {a1}; it is required from {a2} on",
    ),
    "date_too_early": (
        "status_date",
        lambda v, a1, a2, c: (
            f"is set but the case is only {a1}; it belongs to {a2} and later "
            "(check the status or clear the date)"
        ),
    ),
    "date_order": ("date_order", lambda v, a1, a2, c: f"is before {a1} {a2}; {DATE_CHAIN}"),
    "outcome_missing": (
        "invalid",
        lambda v, a1, a2, c: f"is empty but the case is {a1}; give the assessment outcome",
    ),
    "outcome_too_early": (
        "status_date",
        lambda v, a1, a2, c: (
            f"is set but the case is only {a1}; an outcome belongs to awaiting_qa and later"
        ),
    ),
    # Version 2: reinvestigations.
    "duplicate_reinvestigation": (
        "duplicate_key",
        lambda v, a1, a2, c: f"is a duplicate of row {a1}; each reinvestigation must appear once",
    ),
    "unknown_case": (
        "unknown_case",
        lambda v, a1, a2, c: (
            f"is not in {c['cases']}; a reinvestigation must be of a case in the extract"
        ),
    ),
    "case_not_referred": (
        "not_referred",
        lambda v, a1, a2, c: (
            f"is a case whose outcome is {a1 or 'not yet given'}, not reinvestigate; only a "
            "case assessed as reinvestigate goes on to a reinvestigation"
        ),
    ),
    "second_reinvestigation": (
        "duplicate_key",
        lambda v, a1, a2, c: (
            f"already has a reinvestigation in row {a1}; each case has at most one"
        ),
    ),
    "referred_before_completed": (
        "date_order",
        lambda v, a1, a2, c: (
            f"is before the case's completed_date {a1} in {c['cases']}; {V2_CHAIN}"
        ),
    ),
    "consent_needed": (
        "consent",
        lambda v, a1, a2, c: (
            f"is {v} but the reinvestigation is at {a1}; a reinvestigation goes beyond "
            "victim_engaged only with consent given"
        ),
    ),
    "stage_field_missing": (
        "invalid",
        lambda v, a1, a2, c: (
            f"is empty but the reinvestigation is at {a1}; it is required from {a2} on"
        ),
    ),
    "stage_field_early": (
        "stage_field",
        lambda v, a1, a2, c: (
            f"is set but the reinvestigation is only at {a1}; it belongs to {a2}"
            + (" and later" if a2 != "closed" else "")
            + " (check the stage or clear the value)"
        ),
    ),
    "reinvestigation_order": (
        "date_order",
        lambda v, a1, a2, c: f"is before {a1} {a2}; {V2_CHAIN}",
    ),
    "more_than": (
        "invalid",
        lambda v, a1, a2, c: f"is more than {a1} ({a2}); it must be between 0 and {a1}",
    ),
    "closed_field_missing": (
        "invalid",
        lambda v, a1, a2, c: "is empty but the reinvestigation is closed; it is required then",
    ),
}


def check(
    con: duckdb.DuckDBPyConnection, checked: Mapping[str, Checked], as_of: date, room: int
) -> list[Issue]:
    """Every rule broken by the valid rows, officers first, at most `room` of them."""
    sources = {name: t.source for name, t in checked.items()}
    ctx = {
        "as_of": as_of.isoformat(),
        "future": future(as_of),
        "officers": sources.get("officers", "officers.csv"),
        "cases": sources.get("cases", "cases.csv"),
    }
    boroughs = pa.table({"borough": list(BOROUGH_BCU), "bcu": list(BOROUGH_BCU.values())})
    con.register("contract_boroughs", boroughs)
    issues: list[Issue] = []
    try:
        for name in ("officers", "abstractions", "cases", "reinvestigations"):
            if name not in checked or room - len(issues) <= 0:
                continue
            if name == "cases":
                t = checked["cases"]
                if t.valid == 0 and t.failed == 0:
                    issues.append(
                        file_issue(
                            sources["cases"],
                            "has no cases; an extract must list every case in scope",
                            "empty",
                        )
                    )
                    continue
            params: dict[str, object] = {"room": room - len(issues)}
            if name in ("officers", "cases", "reinvestigations"):
                params["as_of"] = as_of
            if name == "cases":
                params["earliest"] = EARLIEST_REPORTED
            rows = con.execute(sql_text("ingest", f"rules_{name}"), params).fetchall()
            for row in rows:
                rownum, _seq, rule, column, value, a1 = row[:6]
                a2 = row[6] if len(row) > 6 else None
                code, words = MESSAGES[rule]
                issues.append(
                    Issue(sources[name], rownum, column, value, words(value, a1, a2, ctx), code)
                )
    finally:
        con.unregister("contract_boroughs")
    return issues
