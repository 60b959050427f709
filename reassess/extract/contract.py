"""The extract contract (v1 with the v2 additions): tables, columns, types and vocabulary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from reassess.extract.issues import ExtractError, Issue, refused, show_value
from reassess.extract.limits import limits

__all__ = ["ExtractError", "Issue", "refused", "show_value"]  # importers take these from here too

# The version an extract follows: "1" without any v2 part, "2" with the reinvestigations table
# or the officers' workstream column. The manifest records it for each snapshot.
CONTRACT_VERSION = "1"
CONTRACT_VERSION_2 = "2"
EARLIEST_REPORTED = date(2010, 1, 1)
MAX_ERRORS = limits().max_errors
MAX_CELL_CHARS = limits().max_cell_chars
STALE_IN_ASSESSMENT_DAYS = 90
STALE_AWAITING_CONTACT_DAYS = 8 * 7  # DATA-CONTRACT v2: awaiting contact for over 8 weeks

CATEGORIES = (
    "organised_group",
    "intra_familial",
    "peer_on_peer",
    "institutional",
    "gang_related",
    "online",
    "other",
)
ORIGINAL_OUTCOMES = (
    "charged",
    "nfa_evidential",
    "nfa_victim_declined",
    "nfa_no_suspect",
    "nfa_other",
    "other",
)
ETHNICITY_RECORDED = ("all", "some", "none", "not_applicable")
PRIORITIES = ("high", "medium", "low")
STATUSES = ("awaiting_allocation", "allocated", "in_assessment", "awaiting_qa", "assessed")
OUTCOMES = (
    "no_further_action",
    "reinvestigate",
    "safeguarding_referral",
    "refer_beaconport",
    "linked_live_investigation",
)
VICTIM_SUPPORT = ("not_assessed", "not_required", "referred", "declined")
OFFICER_ROLES = (
    "detective_sergeant",
    "detective_constable",
    "police_constable",
    "staff_investigator",
    "analyst",
)
WORKSTREAMS = ("assessment", "reinvestigation")
ABSTRACTION_REASONS = (
    "annual_leave",
    "sickness",
    "training",
    "operational_abstraction",
    "other",
)
# Version 2: the reinvestigation phase.
STAGES = (
    "awaiting_contact",
    "victim_engaged",
    "investigating",
    "charging_decision",
    "charged",
    "closed",
)
CONSENT = ("pending", "given", "declined", "not_contactable")
ISVA = ("not_offered", "offered", "accepted", "declined")
CLOSURE_OUTCOMES = (
    "charged_all",
    "charged_some",
    "nfa_evidential",
    "nfa_victim_withdrew",
    "linked_to_other",
    "other",
)

BCUS: dict[str, tuple[str, tuple[str, ...]]] = {
    "CN": ("Central North", ("Camden", "Islington")),
    "CE": ("Central East", ("Hackney", "Tower Hamlets")),
    "AS": ("Central South", ("Lambeth", "Southwark")),
    "AW": (
        "Central West",
        ("Westminster", "Kensington and Chelsea", "Hammersmith and Fulham"),
    ),
    "EA": ("East Area", ("Barking and Dagenham", "Havering", "Redbridge")),
    "NA": ("North Area", ("Enfield", "Haringey")),
    "NE": ("North East", ("Newham", "Waltham Forest")),
    "NW": ("North West", ("Barnet", "Brent", "Harrow")),
    "SN": ("South Area", ("Bromley", "Croydon", "Sutton")),
    "SE": ("South East", ("Bexley", "Greenwich", "Lewisham")),
    "SW": (
        "South West",
        ("Kingston upon Thames", "Merton", "Richmond upon Thames", "Wandsworth"),
    ),
    "WA": ("West Area", ("Ealing", "Hillingdon", "Hounslow")),
}
BOROUGH_BCU: dict[str, str] = {b: code for code, (_, bs) in BCUS.items() for b in bs}

# The order in which a case moves; a later status needs every earlier date.
STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
STAGE_RANK = {s: i for i, s in enumerate(STAGES)}

REF_RE = re.compile(r"^[A-Za-z0-9/_-]{1,32}$")
REF_PATTERN = "[A-Za-z0-9/_-]{1,32}"  # REF_RE for DuckDB's regexp_full_match


@dataclass(frozen=True)
class Column:
    """One column of the contract."""

    name: str
    kind: str  # text, ref, date, int, number, enum
    required: bool = True
    choices: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    max_chars: int = 32
    default: str | None = None  # stored when the cell is empty or the column absent


CASES = (
    Column("case_ref", "ref"),
    Column("reported_date", "date"),
    Column("category", "enum", choices=CATEGORIES),
    Column("bcu", "enum", choices=tuple(BCUS)),
    Column("borough", "enum", choices=tuple(BOROUGH_BCU)),
    Column("original_outcome", "enum", choices=ORIGINAL_OUTCOMES),
    Column("victims", "int", min_value=1, max_value=10_000),
    Column("suspects", "int", min_value=0, max_value=10_000),
    Column("suspect_ethnicity_recorded", "enum", choices=ETHNICITY_RECORDED),
    Column("priority", "enum", choices=PRIORITIES),
    Column("status", "enum", choices=STATUSES),
    Column("officer_ref", "ref", required=False),
    Column("allocated_date", "date", required=False),
    Column("started_date", "date", required=False),
    Column("completed_date", "date", required=False),
    Column("qa_date", "date", required=False),
    Column("outcome", "enum", required=False, choices=OUTCOMES),
    Column("victim_support", "enum", choices=VICTIM_SUPPORT),
    Column("hours_spent", "number", required=False, min_value=0, max_value=500),
)
OFFICERS = (
    Column("officer_ref", "ref"),
    Column("team", "text", max_chars=40),
    Column("role", "enum", choices=OFFICER_ROLES),
    Column("fte", "number", min_value=0, max_value=1),
    Column("start_date", "date"),
    Column("end_date", "date", required=False),
    Column("workstream", "enum", required=False, choices=WORKSTREAMS, default="assessment"),
)
ABSTRACTIONS = (
    Column("officer_ref", "ref"),
    Column("from_date", "date"),
    Column("to_date", "date"),
    Column("reason", "enum", choices=ABSTRACTION_REASONS),
)
REINVESTIGATIONS = (
    Column("investigation_ref", "ref"),
    Column("case_ref", "ref"),
    Column("referred_date", "date"),
    Column("stage", "enum", choices=STAGES),
    Column("victim_consent", "enum", choices=CONSENT),
    Column("lead_officer_ref", "ref", required=False),
    Column("opened_date", "date", required=False),
    Column("suspects_identified", "int", min_value=0, max_value=10_000),
    Column("suspects_arrested", "int", min_value=0, max_value=10_000),
    Column("suspects_charged", "int", min_value=0, max_value=10_000),
    Column("isva", "enum", choices=ISVA),
    Column("closed_date", "date", required=False),
    Column("closure_outcome", "enum", required=False, choices=CLOSURE_OUTCOMES),
    Column("hours_spent", "number", required=False, min_value=0, max_value=5000),
)
# In the order they are validated (officers first, so that references to them resolve).
TABLES: dict[str, tuple[Column, ...]] = {
    "cases": CASES,
    "officers": OFFICERS,
    "abstractions": ABSTRACTIONS,
    "reinvestigations": REINVESTIGATIONS,
}
VALIDATION_ORDER = ("officers", "abstractions", "cases", "reinvestigations")
CASE_COLUMNS: tuple[str, ...] = tuple(c.name for c in CASES)
# The v1 columns of officers (what a v1 extract writes); v2 adds workstream.
OFFICER_COLUMNS: tuple[str, ...] = tuple(c.name for c in OFFICERS if c.name != "workstream")
OFFICER_COLUMNS_V2: tuple[str, ...] = tuple(c.name for c in OFFICERS)
ABSTRACTION_COLUMNS: tuple[str, ...] = tuple(c.name for c in ABSTRACTIONS)
REINVESTIGATION_COLUMNS: tuple[str, ...] = tuple(c.name for c in REINVESTIGATIONS)
REQUIRED_TABLES = ("cases", "officers")
V2_TABLES = ("reinvestigations",)
# Columns that may be left out of the header altogether (their values are optional).
OPTIONAL_COLUMNS = frozenset({"hours_spent", "end_date", "workstream"})

# The date columns of a case, in the order they must hold, and the status that sets each.
CASE_DATES = (
    ("allocated_date", "allocated"),
    ("started_date", "in_assessment"),
    ("completed_date", "awaiting_qa"),
    ("qa_date", "assessed"),
)
