"""The levers a planner moves on the scenarios page, their widgets and their links (no Streamlit).

Each lever is described once in ``LEVERS``: its widget units, bounds and words. The scenarios
page builds its widgets from them, and links carry them as query parameters
(``a_extra=10&a_start=2026-03-16``) that are checked against the same bounds. Re-exported by
``reassess.store.scenarios``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from reassess.model.scenarios import ScenarioInput

# --------------------------------------------------------------------------- levers, widgets and links

LeverKind = Literal["int", "number", "percent", "date", "productivity", "measured_percent"]


@dataclass(frozen=True)
class Lever:
    """One thing a planner can change, in the units its widget and its link use."""

    field: str
    key: str
    label: str
    kind: LeverKind
    low: float = 0
    high: float = 0
    step: float = 1
    help: str = ""
    group: Literal["staffing", "demand", "reinvestigation"] = "staffing"

    def to_widget(self, value: Any) -> Any:
        """A ScenarioInput field value in widget units (percent for rates)."""
        if value is None or self.kind == "date":
            return value
        if self.kind in ("percent", "measured_percent"):
            return round(float(value) * 100, 6)
        if self.kind == "int":
            return int(value)
        return float(value)

    def to_field(self, value: Any) -> Any:
        """A widget value as the ScenarioInput field value."""
        if value is None or self.kind == "date":
            return value
        if self.kind in ("percent", "measured_percent"):
            return float(value) / 100
        if self.kind == "int":
            return int(value)
        return float(value)

    def to_text(self, value: Any) -> str:
        """A widget value as it is written in a link."""
        if self.kind == "date":
            return value.isoformat()
        if self.kind == "int":
            return str(int(value))
        return f"{float(value):.6f}".rstrip("0").rstrip(".")


# fmt: off
LEVERS: tuple[Lever, ...] = (
    Lever("extra_officers", "extra", "Extra officers", "int", 0, 500, 1,
          "Full-time officers added to the current team."),
    Lever("start_date", "start", "Extra officers start on", "date",
          help="From this date the extra officers are in post, ramping up to full productivity."),
    Lever("ramp_up_weeks", "ramp", "Weeks to full productivity", "int", 0, 52, 1,
          "A new starter does k / N of a full week's work in their k-th week."),
    Lever("productivity_per_fte", "prod", "Assessments per available FTE a week", "productivity",
          0, 100, 0.5, "Leave empty to use the rate measured over recent weeks."),
    Lever("abstraction_rate", "abstraction", "Abstraction (% of time)", "measured_percent", 0, 95,
          0.5, "Leave, sickness, training and other duties. Leave empty to use the abstraction "
          "measured from the records (or the configured rate where there are none)."),
    Lever("attrition_per_year", "attrition", "Attrition (% a year)", "percent", 0, 100, 0.5,
          "Share of the current team leaving the review in a year."),
    Lever("referral_rate_reinvestigation", "reinv", "Referred for reinvestigation (%)", "percent",
          0, 100, 0.5, "Share of the remaining assessments expected to need reinvestigation.",
          "demand"),
    Lever("referral_rate_safeguarding", "safeguarding", "Safeguarding referrals (%)", "percent",
          0, 100, 0.5, "Share of the remaining assessments expected to lead to a safeguarding referral.",
          "demand"),
    Lever("referral_rate_victim_support", "support", "Referred to victim support (%)", "percent",
          0, 100, 0.5, "Share of the remaining assessments expected to refer victims for support.",
          "demand"),
    Lever("investigator_hours_per_reinvestigation", "inv_hours",
          "Investigator hours per reinvestigation", "number", 0, 5000, 10, group="demand"),
    Lever("loaded_cost_per_fte", "cost", "Loaded cost per FTE a year (£)", "number", 0, 500_000,
          1000, "Pay plus on-costs.", "demand"),
    Lever("extra_investigators", "inv_extra", "Extra investigators", "int", 0, 500, 1,
          "Full-time investigators added to the reinvestigation team.", "reinvestigation"),
    Lever("investigators_from", "inv_start", "Extra investigators start on", "date",
          help="From this date the extra investigators are in post.", group="reinvestigation"),
    Lever("extra_isvas", "isva_extra", "Extra ISVAs", "int", 0, 500, 1,
          "Independent sexual violence advisers added to those in post.", "reinvestigation"),
)
GROUP_TITLES = {
    "staffing": "Assessment team",
    "demand": "Demand and cost assumptions",
    "reinvestigation": "Reinvestigation team and ISVAs",
}
"""The heading of each group of levers on the scenarios page."""
DATE_STARTS = {"start": "start_date", "inv_start": "investigators_from"}
"""Link keys of the start-date levers (bounded from the as-of date)."""
TARGET = Lever("target_date", "target", "Target date (every scenario)", "date",
               help="Every case in scope should be assessed by this date.")
# fmt: on
LEVER_BY_KEY = {lever.key: lever for lever in (*LEVERS, TARGET)}
SLOTS = ("a", "b", "c")
"""Scenario slots: their widget keys and link parameters start 'a_', 'b_', 'c_'."""
COUNT_KEY = "scenarios"
"""Link parameter (and widget key) for how many scenarios are shown, 1-3."""
START_HORIZON = timedelta(weeks=156)
TARGET_HORIZON = timedelta(weeks=520)


def slot_label(slot: str) -> str:
    """'Scenario A' for slot 'a'."""
    return f"Scenario {slot.upper()}"


def widget_key(slot: str, lever: Lever) -> str:
    """The widget key and link parameter of a lever in a slot ('a_extra')."""
    return f"{slot}_{lever.key}"


def date_bounds(lever: Lever, as_of: date, configured_target: date) -> tuple[date, date]:
    """The dates a date lever may take on a snapshot: a start from the as-of date; a target
    from the configured target or the as-of date, whichever is earlier."""
    if lever.field in DATE_STARTS.values():
        return as_of, as_of + START_HORIZON
    return min(as_of, configured_target), as_of + TARGET_HORIZON


def clamp(lever: Lever, value: Any, as_of: date, configured_target: date) -> Any:
    """A widget value brought inside its bounds (dates and numbers)."""
    if value is None:
        return None
    bounds: tuple[Any, Any] = (
        date_bounds(lever, as_of, configured_target)
        if lever.kind == "date"
        else (lever.low, lever.high)
    )
    return min(max(value, bounds[0]), bounds[1])


def slot_values(inp: ScenarioInput, slot: str) -> dict[str, Any]:
    """Widget key -> widget value for a scenario's levers in a slot."""
    return {widget_key(slot, lever): lever.to_widget(getattr(inp, lever.field)) for lever in LEVERS}


def slot_overrides(values: Mapping[str, Any], slot: str) -> dict[str, Any]:
    """ScenarioInput field -> value from the widget values of a slot."""
    return {
        lever.field: lever.to_field(values[widget_key(slot, lever)])
        for lever in LEVERS
        if widget_key(slot, lever) in values
    }


def widget_spec(
    lever: Lever,
    as_of: date,
    configured_target: date,
    measured: float | None = None,
    measured_abstraction: float | None = None,
) -> tuple[str, dict[str, Any]]:
    """Which Streamlit input shows a lever ("date_input", "slider" or "number_input") and its
    keyword arguments: bounds, step, format and help, in the lever's units. ``measured`` and
    ``measured_abstraction`` (a share) are shown as the placeholder of a lever left empty."""
    args: dict[str, Any] = {"help": lever.help or None}
    if lever.kind == "date":
        low, high = date_bounds(lever, as_of, configured_target)
        return "date_input", args | {"min_value": low, "max_value": high, "format": "DD/MM/YYYY"}
    if lever.kind == "int":
        bounds: dict[str, Any] = {
            "min_value": int(lever.low),
            "max_value": int(lever.high),
            "step": int(lever.step),
        }
        return "number_input", args | bounds
    bounds = {
        "min_value": float(lever.low),
        "max_value": float(lever.high),
        "step": float(lever.step),
    }
    if lever.kind == "percent":
        return "slider", args | bounds | {"format": "%.1f%%"}
    if lever.kind == "measured_percent":
        hint = (
            "measured"
            if measured_abstraction is None
            else f"measured: {100 * measured_abstraction:.1f}%"
        )
        return "number_input", args | bounds | {
            "value": None,
            "placeholder": hint,
            "format": "%.1f",
        }
    if lever.kind == "productivity":
        hint = "measured" if measured is None else f"measured: {measured:.2f}"
        return "number_input", args | bounds | {
            "value": None,
            "placeholder": hint,
            "format": "%.2f",
        }
    return "number_input", args | bounds | {"format": "%.0f"}


def page_defaults(slot_default: ScenarioInput, configured_target: date) -> dict[str, Any]:
    """Widget key -> default value for everything the scenarios page puts in a link."""
    values: dict[str, Any] = {COUNT_KEY: 1, TARGET.key: configured_target}
    for slot in SLOTS:
        values |= slot_values(slot_default, slot)
    return values


def shown_defaults(defaults: Mapping[str, Any], count: int) -> dict[str, Any]:
    """The defaults of the shared levers and of the first ``count`` slots."""
    hidden = tuple(f"{slot}_" for slot in SLOTS[count:])
    return {k: v for k, v in defaults.items() if not k.startswith(hidden)}


def out_of_bounds(
    values: Mapping[str, Any], as_of: date, configured_target: date
) -> dict[str, Any]:
    """Date levers in ``values`` outside the bounds of this snapshot, brought inside them
    (after a change of snapshot, a start date can fall before the new as-of date)."""
    keys = [TARGET.key, *(f"{slot}_{k}" for slot in SLOTS for k in DATE_STARTS)]
    out = {}
    for key in keys:
        if values.get(key) is None:
            continue
        lever = TARGET if key == TARGET.key else LEVER_BY_KEY[key.partition("_")[2]]
        inside = clamp(lever, values[key], as_of, configured_target)
        if inside != values[key]:
            out[key] = inside
    return out


def loaded_values(
    inp: ScenarioInput, slot: str, count: int, as_of: date, configured_target: date
) -> dict[str, Any]:
    """Widget values that show a saved scenario in ``slot``: its levers and target (inside this
    snapshot's bounds), and enough scenarios shown to include the slot."""
    values = {
        key: clamp(LEVER_BY_KEY[key.partition("_")[2]], value, as_of, configured_target)
        for key, value in slot_values(inp, slot).items()
    }
    values[TARGET.key] = clamp(TARGET, inp.target_date, as_of, configured_target)
    values[COUNT_KEY] = max(count, SLOTS.index(slot) + 1)
    return values


def export_stem(name: str, snapshot_label: str, synthetic: bool) -> str:
    """A file name (without extension) for a scenario's downloads: letters, digits and '-'."""
    words = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "scenario"
    return f"scenario-{words[:40]}-{snapshot_label}" + ("-SYNTHETIC" if synthetic else "")


def quoted(text: str, limit: int = 40) -> str:
    """A value from a link, safe to show in a markdown message: cut to ``limit`` characters,
    without control characters or backticks, inside a code span (so never rendered)."""
    cleaned = re.sub(r"[\x00-\x1f\x7f`]", "", text)
    cut = cleaned if len(cleaned) <= limit else cleaned[:limit] + "…"
    return f"`{cut}`" if cut else "an empty value"


def parse_lever(
    lever: Lever, raw: Any, as_of: date, configured_target: date
) -> tuple[Any, str | None]:
    """A link's text for a lever as a widget value, or (None, why it was refused)."""
    text = str(raw[-1] if isinstance(raw, (list, tuple)) and raw else raw).strip()
    shown = quoted(text)
    if lever.kind == "date":
        low, high = date_bounds(lever, as_of, configured_target)
        try:
            value: Any = date.fromisoformat(text)
        except ValueError:
            return None, f"{shown} is not a date written YYYY-MM-DD"
        if not low <= value <= high:
            return None, f"{value:%-d %B %Y} is outside {low:%-d %B %Y} to {high:%-d %B %Y}"
        return value, None
    if lever.kind == "int":
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            return None, f"{shown} is not a whole number"
        value = int(text)
    else:
        try:
            value = float(text)
        except ValueError:
            return None, f"{shown} is not a number"
        if not math.isfinite(value):
            return None, f"{shown} is not a number"
    if not lever.low <= value <= lever.high:
        unit = "%" if lever.kind in ("percent", "measured_percent") else ""
        lo, hi, got = (lever.to_text(v) + unit for v in (lever.low, lever.high, value))
        return None, f"{got} is outside {lo} to {hi}"
    return value, None


def read_link(
    params: Mapping[str, Any],
    defaults: Mapping[str, Any],
    as_of: date,
    configured_target: date,
) -> tuple[dict[str, Any], list[str]]:
    """Widget values for every key in ``defaults`` (slot levers, the target and the scenario
    count), taken from the link where valid; and a message for every value refused."""
    values = dict(defaults)
    problems: list[str] = []
    for key, default in defaults.items():
        if key not in params:
            continue
        raw = params[key]
        if key == COUNT_KEY:
            text = str(raw).strip()
            if text in {"1", "2", "3"}:
                values[key] = int(text)
            else:
                problems.append(
                    f"The link asked for {quoted(text)} scenarios; it can show 1, 2 or 3. "
                    f"Showing {default}."
                )
            continue
        slot, _, lever_key = key.partition("_") if key != TARGET.key else ("", "", key)
        lever = LEVER_BY_KEY[lever_key]
        value, why = parse_lever(lever, raw, as_of, configured_target)
        if why is None:
            values[key] = value
            continue
        where = f" of {slot_label(slot)}" if slot else ""
        shown_default = lever.to_text(default) if default is not None else "the measured rate"
        problems.append(
            f"The link set '{lever.label}'{where} to a value that cannot be used: {why}. "
            f"Using {shown_default} instead."
        )
    return values, problems


def write_link(
    params: MutableMapping[str, Any], values: Mapping[str, Any], defaults: Mapping[str, Any]
) -> None:
    """Put every value that differs from its default in ``params`` (e.g. st.query_params) and
    take the rest out, so a link carries only what the planner changed. Keys are those of
    ``defaults``; any other link parameter of this page (a slot no longer shown) is removed."""
    owned = {widget_key(s, lever) for s in SLOTS for lever in LEVERS} | {TARGET.key, COUNT_KEY}
    for key in owned:
        value = values.get(key)
        if key in defaults and value is not None and value != defaults[key]:
            if key == COUNT_KEY:
                text = str(int(value))
            else:
                lever = LEVER_BY_KEY[key if key == TARGET.key else key.partition("_")[2]]
                text = lever.to_text(value)
            if params.get(key) != text:
                params[key] = text
        elif key in params:
            del params[key]
