"""One vocabulary for every label a person reads: pages, tables, charts, exports and the CLI.

Each code of the extract contract (``nfa_victim_declined``), each column a table shows
(``case_ref``) and each code the dashboard itself uses (an audit action, a change since the last
snapshot, a warning) has exactly one display form here. JSON and CSV meant for scripts keep the
codes; everything meant for a person goes through ``label``, ``labels`` or ``relabel``.
No Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from reassess.extract.contract import BCUS

if TYPE_CHECKING:  # pandas is imported where frames are relabelled, so the CLI starts quickly
    import pandas as pd

CATEGORY_LABELS = {
    "organised_group": "Organised group",
    "intra_familial": "Intra-familial",
    "peer_on_peer": "Peer-on-peer",
    "institutional": "Institutional",
    "gang_related": "Gang-related",
    "online": "Online",
    "other": "Other",
}
ORIGINAL_OUTCOME_LABELS = {
    "charged": "Charged",
    "nfa_evidential": "NFA: evidential difficulties",
    "nfa_victim_declined": "NFA: victim declined",
    "nfa_no_suspect": "NFA: no suspect identified",
    "nfa_other": "NFA: other",
    "other": "Other",
}
PRIORITY_LABELS = {"high": "High", "medium": "Medium", "low": "Low"}
STATUS_LABELS = {
    "awaiting_allocation": "Awaiting allocation",
    "allocated": "Allocated, not started",
    "in_assessment": "In assessment",
    "awaiting_qa": "Awaiting QA",
    "assessed": "Assessed",
    "qa_signed_off": "QA signed off",
}
OUTCOME_LABELS = {
    "no_further_action": "No further action",
    "reinvestigate": "Reinvestigate",
    "safeguarding_referral": "Safeguarding referral",
    "refer_beaconport": "Refer to Operation Beaconport",
    "linked_live_investigation": "Linked live investigation",
}
ETHNICITY_LABELS = {
    "all": "All recorded",
    "some": "Some recorded",
    "none": "Not recorded",
    "none_recorded": "Not recorded",
    "some_recorded": "Some recorded",
    "all_recorded": "All recorded",
    "not_applicable": "Not applicable (no suspect)",
}
VICTIM_SUPPORT_LABELS = {
    "not_assessed": "Not yet assessed",
    "not_required": "Not required",
    "referred": "Referred",
    "declined": "Offered, not taken up",
}
OFFICER_ROLE_LABELS = {
    "detective_sergeant": "Detective sergeant",
    "detective_constable": "Detective constable",
    "police_constable": "Police constable",
    "staff_investigator": "Staff investigator",
    "analyst": "Analyst",
}
ABSTRACTION_REASON_LABELS = {
    "annual_leave": "Annual leave",
    "sickness": "Sickness",
    "training": "Training",
    "operational_abstraction": "Operational abstraction",
    "other": "Other",
}
WORKSTREAM_LABELS = {"assessment": "Assessment", "reinvestigation": "Reinvestigation"}
STAGE_LABELS = {
    "awaiting_contact": "Awaiting victim contact",
    "victim_engaged": "Victim engaged",
    "investigating": "Investigating",
    "charging_decision": "Awaiting charging decision",
    "charged": "Charged",
    "closed": "Closed",
}
CONSENT_LABELS = {
    "pending": "Not yet asked or deciding",
    "given": "Agreed to a reinvestigation",
    "declined": "Did not agree",
    "not_contactable": "Could not be contacted",
}
ISVA_LABELS = {
    "not_offered": "Not yet offered",
    "offered": "Offered",
    "accepted": "Accepted",
    "declined": "Offered, not taken up",
}
CLOSURE_OUTCOME_LABELS = {
    "charged_all": "All suspects charged",
    "charged_some": "Some suspects charged",
    "nfa_evidential": "NFA: evidential difficulties",
    "nfa_victim_withdrew": "NFA: victim chose not to continue",
    "linked_to_other": "Linked to another investigation",
    "other": "Other",
}
DASHBOARD_ROLE_LABELS = {
    "commander": "Commander",
    "planner": "Planner",
    "mayors_office": "Mayor's office (MOPAC)",
    "analyst": "Analyst",
}
AUDIT_ACTION_LABELS = {
    "page_view": "Page viewed",
    "drilldown": "Case list opened",
    "export": "Export",
    "scenario_save": "Scenario saved",
    "scenario_delete": "Scenario deleted",
    "scenario_overwrite": "Scenario replaced",
    "sign_in": "Signed in",
    "access_denied": "Access refused",
    "delivery": "Pack or alerts delivered",
    "delivery_failed": "Delivery failed (owed, retried next run)",
    "alert_raised": "Alert raised",
    "alert_resolved": "Alert resolved",
}
CHANGE_LABELS = {
    "added": "Cases added to scope",
    "removed": "Cases removed from scope",
    "left_scope": "Cases removed from scope",
    "completed": "Assessments completed",
    "newly_allocated": "Cases newly allocated to an officer",
    "reassigned": "Cases reassigned to another officer",
    "status_backwards": "Cases whose status went backwards",
    "high_priority_awaiting": "High-priority cases still awaiting allocation",
}
DIMENSION_LABELS = {
    "category": "Category",
    "bcu": "BCU",
    "borough": "Borough",
    "year": "Year of original report",
    "original_outcome": "Original outcome",
    "priority": "Priority",
}

VALUES: dict[str, Mapping[str, str]] = {
    "category": CATEGORY_LABELS,
    "original_outcome": ORIGINAL_OUTCOME_LABELS,
    "priority": PRIORITY_LABELS,
    "status": STATUS_LABELS,
    "outcome": OUTCOME_LABELS,
    "suspect_ethnicity_recorded": ETHNICITY_LABELS,
    "victim_support": VICTIM_SUPPORT_LABELS,
    "officer_role": OFFICER_ROLE_LABELS,
    "reason": ABSTRACTION_REASON_LABELS,
    "workstream": WORKSTREAM_LABELS,
    "stage": STAGE_LABELS,
    "victim_consent": CONSENT_LABELS,
    "isva": ISVA_LABELS,
    "closure_outcome": CLOSURE_OUTCOME_LABELS,
    "dashboard_role": DASHBOARD_ROLE_LABELS,
    "action": AUDIT_ACTION_LABELS,
    "change": CHANGE_LABELS,
    "dimension": DIMENSION_LABELS,
}
"""Every kind of code a person may read, and its display forms."""

COLUMN_LABELS = {
    # the extract contract's columns
    "case_ref": "Case reference",
    "reported_date": "Reported",
    "category": "Category",
    "bcu": "BCU",
    "borough": "Borough",
    "original_outcome": "Original outcome",
    "victims": "Victims",
    "suspects": "Suspects",
    "suspect_ethnicity_recorded": "Suspect ethnicity recorded",
    "priority": "Priority",
    "status": "Status",
    "officer_ref": "Officer",
    "allocated_date": "Allocated",
    "started_date": "Started",
    "completed_date": "Completed",
    "qa_date": "QA signed off",
    "outcome": "Assessment outcome",
    "victim_support": "Victim support",
    "hours_spent": "Hours spent",
    "team": "Team",
    "role": "Role",
    "fte": "FTE",
    "start_date": "Started on the review",
    "end_date": "Left the review",
    "workstream": "Workstream",
    "from_date": "From",
    "to_date": "To",
    "reason": "Reason",
    "investigation_ref": "Investigation reference",
    "referred_date": "Referred",
    "stage": "Stage",
    "victim_consent": "Victim's decision",
    "lead_officer_ref": "Lead officer",
    "opened_date": "Opened",
    "suspects_identified": "Suspects identified",
    "suspects_arrested": "Suspects arrested",
    "suspects_charged": "Suspects charged",
    "isva": "ISVA",
    "closed_date": "Closed",
    "closure_outcome": "Closure outcome",
    # figures the dashboard derives
    "in_scope": "In scope",
    "assessed": "Assessed",
    "pct_assessed": "% assessed",
    "in_assessment": "In assessment",
    "awaiting_allocation": "Awaiting allocation",
    "allocated": "Allocated, not started",
    "awaiting_qa": "Awaiting QA",
    "qa_signed_off": "QA signed off",
    "throughput_4w": "Weekly pace (last 4 weeks)",
    "required_weekly": "Weekly pace needed",
    "available_fte": "Available FTE",
    "fte_in_post": "FTE in post",
    "officers_in_post": "Officers in post",
    "open_cases": "Open cases",
    "days_in_assessment": "Days in assessment",
    "change": "Change",
    "previous_status": "Status before",
    "age_days": "Days since allocation",
    "days_waiting": "Days waiting for contact",
}
"""Column headers, for every table a person reads (one heading per column code)."""


def label(kind: str, code: Any) -> str:
    """The display form of one code, e.g. label('category', 'gang_related') -> 'Gang-related'.

    A BCU code reads as 'CE Central East'. An unknown code is returned as it is written (so a
    missing label shows up in the tests that look for snake_case on screen, never as 'None').
    """
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return "—"
    text = str(code)
    if kind == "bcu":
        return f"{text} {BCUS[text][0]}" if text in BCUS else text
    return VALUES[kind].get(text, text) if kind in VALUES else text


def labels(kind: str, codes: Iterable[Any]) -> list[str]:
    """``label`` for each code."""
    return [label(kind, c) for c in codes]


def column_label(column: str) -> str:
    """The heading of a column code (an unknown one returned as written)."""
    return COLUMN_LABELS.get(column, column)


def relabel(
    frame: pd.DataFrame,
    values: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A copy for a person: the codes in ``values`` (column -> kind) in words, headings in words.

    ``columns`` overrides a heading for this table only; every other heading comes from
    COLUMN_LABELS.
    """
    out = frame.copy()
    for column, kind in (values or {}).items():
        if column in out.columns:
            out[column] = [label(kind, v) for v in out[column]]
    names = {c: (columns or {}).get(c, column_label(str(c))) for c in out.columns}
    return out.rename(columns=names)


def dimension_label(dimension: str) -> str:
    """The words for a dimension, e.g. 'Year of original report'."""
    return DIMENSION_LABELS[dimension]


def value_label(dimension: str, value: Any) -> str:
    """The words for one value of a dimension, e.g. 'CE Central East', 'Gang-related'."""
    return label(dimension, value) if dimension != "year" else str(value)


def labeller(dimension: str) -> Callable[[Any], str]:
    """A format function for a widget listing values of a dimension."""
    return lambda value: value_label(dimension, value)


# The planning model's figures as a reader sees them (overview, scenarios, resources, briefing).
FORECAST_LABELS = {
    "p50": "Finish, median (P50)",
    "p85": "Finish, 85% confidence (P85)",
    "p95": "Finish, 95% confidence (P95)",
    "prob_by_target": "Chance of finishing by the target",
    "cost_to_p85": "Cost to completion (P85)",
    "chance_by": "Chance of finishing by",
}
MOVEMENT_LABELS = {
    "time": "Weeks passing",
    "scope": "Scope",
    "pace": "Pace",
    "staffing": "Staffing",
}
"""Why the P85 date moved: the parts of reassess.model.movement.Movement."""
