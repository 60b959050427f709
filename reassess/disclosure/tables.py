"""Statistical disclosure control for counts that leave the commander role.

Counts about child victims by borough can identify people, so every aggregate sent outside
the commander role (the Mayor's office, MOPAC) passes through this module first. With the
default rules (config/disclosure.toml holds the values and the source of every rule):

- primary suppression: counts of 1 to 9 are hidden and shown as "<10";
- rounding: counts of 10 or more are rounded to the nearest 5 (halves up), never below 10;
- zeros are shown as 0;
- totals are worked out from the raw counts, then rounded and suppressed like any count;
- secondary suppression: in a table with totals, every row and column (its total counted
  as a member) holding one hidden figure gets a second one, shown as "[c]": its smallest
  non-zero visible figure, else a zero, else (a line with no other cell) its total. This
  repeats until stable, as rows and columns interact. A last check then hides one more
  figure wherever rows and columns linked through hidden figures would still pin one down
  exactly (the hidden cell lies on no cycle of hidden cells), and the loop runs again;
- one-way tables: if exactly one category is hidden, the next smallest non-zero is too;
- the whole-programme (grand) total is rounded but never hidden to protect another
  figure; a grand total of 1 to 9 is still hidden, because no shown count may be 1 to 9;
- tables shown without totals hide the same figures as with them, because the totals are
  usually published elsewhere;
- percentages come from the rounded figures shown, never from raw counts, and are hidden
  when either figure is.

Pure Python/pandas/numpy: no Streamlit, no database.
"""

from __future__ import annotations

import math
import numbers
import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reassess.config import CONFIG_DIR
from reassess.disclosure.suppression import Line, suppress

RULES_FILE = CONFIG_DIR / "disclosure.toml"

# Rules a user can set in config/disclosure.toml: each needs a value and a source.
SETTABLE_RULES = (
    "threshold",
    "rounding_base",
    "suppressed_label",
    "show_zero",
    "secondary_label",
)
# Rules fixed in this module: config/disclosure.toml records only their source.
FIXED_RULES = ("margins", "secondary_suppression", "percentages", "grand_totals")


class DisclosureError(ValueError):
    """Counts or disclosure rules that cannot be protected as given."""


@dataclass(frozen=True)
class DisclosureRules:
    """The disclosure control rules, each with its source (see config/disclosure.toml)."""

    threshold: int = 10
    rounding_base: int = 5
    suppressed_label: str = "<10"
    show_zero: bool = True
    sources: dict[str, str] = field(default_factory=dict, hash=False, compare=False, repr=False)
    secondary_label: str = "[c]"

    def __post_init__(self) -> None:
        """Refuse rules that would make a shown figure ambiguous."""
        for name in ("threshold", "rounding_base"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise DisclosureError(
                    f"{name} must be a whole number of at least 1, not {value!r}; "
                    "set it in config/disclosure.toml [disclosure]"
                )
        for name in ("suppressed_label", "secondary_label"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip() or _is_number_text(value):
                raise DisclosureError(
                    f"{name} must be a non-empty label that is not a number, not {value!r}; "
                    "set it in config/disclosure.toml [disclosure]"
                )
        if not isinstance(self.show_zero, bool):
            raise DisclosureError(
                f"show_zero must be true or false, not {self.show_zero!r}; "
                "set it in config/disclosure.toml [disclosure]"
            )

    @property
    def smallest_shown(self) -> int:
        """The smallest count shown: the first multiple of the rounding base >= threshold."""
        return -(-self.threshold // self.rounding_base) * self.rounding_base

    def source(self, rule: str) -> str:
        """Where a rule comes from, as recorded in config/disclosure.toml."""
        return self.sources.get(rule, "not recorded")


@dataclass(frozen=True, eq=False)
class ProtectedTable:
    """A table made safe to share, with masks of what was hidden and footnotes saying why."""

    shown: pd.DataFrame  # object dtype: rounded ints, or a suppression label
    numeric: pd.DataFrame  # shown values as floats, NaN where hidden (for charts)
    suppressed: pd.DataFrame  # bool: hidden for any reason
    primary: pd.DataFrame  # bool: hidden because the count itself is 1 to threshold-1
    notes: tuple[str, ...]  # plain-English footnotes


def load_rules(path: Path | None = None) -> DisclosureRules:
    """Read the [disclosure] section of config/disclosure.toml; every rule needs a source."""
    path = path or RULES_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DisclosureError(f"{path} is missing; restore it from the repository") from None
    except tomllib.TOMLDecodeError as exc:
        raise DisclosureError(f"{path} is not valid TOML: {exc}") from None
    section = raw.get("disclosure")
    if not isinstance(section, dict):
        raise DisclosureError(f"{path} has no [disclosure] section; restore it from the repository")
    known = SETTABLE_RULES + FIXED_RULES
    for name in section:
        if name not in known:
            raise DisclosureError(
                f"{path}: [disclosure] {name} is not a known rule; known rules: {', '.join(known)}"
            )
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name in known:
        entry = section.get(name)
        settable = name in SETTABLE_RULES
        form = '{ value = ..., source = "..." }' if settable else '{ source = "..." }'
        if entry is None:
            raise DisclosureError(f"{path}: [disclosure] is missing {name}; add {name} = {form}")
        if not isinstance(entry, dict) or not str(entry.get("source", "")).strip():
            raise DisclosureError(f"{path}: [disclosure] {name} must be {form}")
        if settable and "value" not in entry:
            raise DisclosureError(f"{path}: [disclosure] {name} must be {form}")
        if not settable and "value" in entry:
            raise DisclosureError(
                f"{path}: [disclosure] {name} is fixed in reassess/disclosure/tables.py and takes no "
                f"value; write {name} = {form}"
            )
        if settable:
            values[name] = entry["value"]
        sources[name] = str(entry["source"])
    try:
        return DisclosureRules(**values, sources=sources)
    except DisclosureError as exc:
        raise DisclosureError(f"{path}: {exc}") from None


@lru_cache(maxsize=1)
def default_rules() -> DisclosureRules:
    """The rules in config/disclosure.toml, read once per process."""
    return load_rules()


def round_to_base(n: int, base: int = 5) -> int:
    """Round a count to the nearest multiple of base, halves upwards (12 -> 10, 13 -> 15)."""
    n = _as_count(n, "round_to_base: the count")
    if isinstance(base, bool) or not isinstance(base, int) or base < 1:
        raise DisclosureError(
            f"round_to_base: base must be a whole number of at least 1, not {base!r}"
        )
    return (2 * n + base) // (2 * base) * base


def protect_count(n: int, rules: DisclosureRules | None = None) -> int | str:
    """One count as shown: 0, "<10" for 1-9, else rounded (a whole-programme total included)."""
    rules = rules or default_rules()
    return _shown_value(_as_count(n, "protect_count: the count"), rules)


def protected_percent(
    numerator_shown: Any,
    denominator_shown: Any,
    *,
    decimals: int = 0,
    rules: DisclosureRules | None = None,
) -> float | None:
    """Percent of two shown (rounded) figures, halves up; None if either is hidden or base 0."""
    # 47 of 123 is shown as 45 of 125, so 36%. A figure no rounded count could take (47)
    # is a raw count passed by mistake and raises DisclosureError.
    rules = rules or default_rules()
    numerator = _shown_figure(numerator_shown, "numerator", rules)
    denominator = _shown_figure(denominator_shown, "denominator", rules)
    if numerator is None or denominator is None or denominator == 0:
        return None
    percent = Decimal(100 * numerator) / Decimal(denominator)
    return float(percent.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def protect_table(
    counts: pd.DataFrame,
    rules: DisclosureRules | None = None,
    *,
    margins: bool = True,
    total_label: str = "Total",
) -> ProtectedTable:
    """Protect a two-way table of counts, with row and column totals (see the module doc)."""
    # A one-column DataFrame gets a Total column too; use protect_series for a plain list.
    rules = rules or default_rules()
    if not isinstance(counts, pd.DataFrame):
        raise DisclosureError(
            f"protect_table needs a pandas DataFrame of counts, not {type(counts).__name__}; "
            "use protect_series for a Series"
        )
    _check_labels(counts.index, "row", total_label)
    _check_labels(counts.columns, "column", total_label)
    raw = _validated_counts(counts)
    n, m = raw.shape
    full = np.zeros((n + 1, m + 1), dtype=object)
    full[:n, :m] = raw
    full[:n, m] = raw.sum(axis=1) if m else 0
    full[n, :m] = raw.sum(axis=0) if n else 0
    full[n, m] = sum(int(v) for v in raw.flat)
    lines = [Line(tuple((i, j) for j in range(m + 1)), (i, m)) for i in range(n + 1)] + [
        Line(tuple((i, j) for i in range(n + 1)), (n, j)) for j in range(m + 1)
    ]
    primary, suppressed = suppress(full, lines, {(n, m)}, rules, linked=True)
    index = pd.Index([*counts.index, total_label], name=counts.index.name)
    columns = pd.Index([*counts.columns, total_label], name=counts.columns.name)
    if not margins:
        full, primary, suppressed = full[:n, :m], primary[:n, :m], suppressed[:n, :m]
        index, columns = index[:n], columns[:m]
    return _build(full, primary, suppressed, index, columns, rules, totals=margins)


def protect_series(
    counts: pd.Series,
    rules: DisclosureRules | None = None,
    *,
    total: bool = True,
    total_label: str = "Total",
) -> ProtectedTable:
    """Protect a one-way table of counts, shown as a single column with a Total row."""
    rules = rules or default_rules()
    if not isinstance(counts, pd.Series):
        raise DisclosureError(
            f"protect_series needs a pandas Series of counts, not {type(counts).__name__}; "
            "use protect_table for a DataFrame"
        )
    _check_labels(counts.index, "row", total_label)
    name = counts.name if counts.name is not None else "Count"
    raw = _validated_counts(counts.to_frame(name=name), one_way=True)
    n = raw.shape[0]
    full = np.zeros((n + 1, 1), dtype=object)
    full[:n, 0] = raw[:, 0]
    full[n, 0] = sum(int(v) for v in raw.flat)
    lines = [Line(tuple((i, 0) for i in range(n + 1)), (n, 0))]
    primary, suppressed = suppress(full, lines, {(n, 0)}, rules, linked=False)
    index = pd.Index([*counts.index, total_label], name=counts.index.name)
    columns = pd.Index([name])
    if not total:
        full, primary, suppressed, index = full[:n], primary[:n], suppressed[:n], index[:n]
    return _build(full, primary, suppressed, index, columns, rules, totals=total)


def rules_text(rules: DisclosureRules | None = None) -> list[str]:
    """The rules in plain English, each with its source, for a briefing's notes page."""
    rules = rules or default_rules()
    small = _small_range(rules)
    lines: list[str] = []
    if small:
        lines.append(
            f'Counts of {small} are not shown; they appear as "{rules.suppressed_label}". '
            f"Source: {_sources(rules, 'threshold', 'suppressed_label')}"
        )
    example_low, example_high = rules.smallest_shown + 2, rules.smallest_shown + 3
    lines.append(
        f"Counts of {rules.threshold} or more are rounded to the nearest {rules.rounding_base}, "
        f"halves upwards (for example {example_low} is shown as "
        f"{_shown_value(example_low, rules)} and {example_high} as "
        f"{_shown_value(example_high, rules)}); no count is shown as less than "
        f"{rules.smallest_shown}. Source: {rules.source('rounding_base')}"
    )
    if rules.show_zero:
        lines.append(
            f"A count of zero is shown as 0, meaning none. Source: {rules.source('show_zero')}"
        )
    else:
        lines.append(
            f'Zeros are not shown either; they appear as "{rules.suppressed_label}". '
            f"Source: {rules.source('show_zero')}"
        )
    lines.append(
        "Totals are worked out from the unrounded counts and then rounded, so the figures "
        f"in a row or column may not add up to the total shown. Source: {rules.source('margins')}"
    )
    lines.append(
        "Where a hidden count could be worked out from the totals, further figures are hidden "
        f'and appear as "{rules.secondary_label}": every row and column with a hidden figure '
        "has at least two, chosen from its smallest figures. "
        f"Source: {_sources(rules, 'secondary_suppression', 'secondary_label')}"
    )
    lines.append(
        "Percentages are worked out from the rounded figures shown, never from the underlying "
        "counts, and are not shown where either figure is hidden. "
        f"Source: {rules.source('percentages')}"
    )
    lines.append(
        "Whole-programme totals are rounded but never hidden to protect another figure"
        + (f"; a total of {small} is still hidden. " if small else ". ")
        + f"Source: {rules.source('grand_totals')}"
    )
    return lines


# --- internals -----------------------------------------------------------------------------


def _is_number_text(text: str) -> bool:
    """True if a label would read as a number (a label must never look like a count)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _as_count(value: Any, where: str) -> int:
    """A count as a Python int, or DisclosureError saying where the bad value is."""
    fix = "counts must be whole numbers of 0 or more"
    if pd.api.types.is_scalar(value) and not isinstance(value, str) and pd.isna(value):
        raise DisclosureError(f"{where} is missing ({value!r}); {fix}")
    if isinstance(value, bool | np.bool_):
        raise DisclosureError(f"{where} is {value!r}, a true/false value; {fix}")
    if isinstance(value, numbers.Integral):
        n = int(value)
    elif (
        isinstance(value, numbers.Real)
        and math.isfinite(float(value))
        and float(value).is_integer()
    ):
        n = int(float(value))
    else:
        raise DisclosureError(f"{where} is {value!r}; {fix}")
    if n < 0:
        raise DisclosureError(f"{where} is {value!r}; {fix}")
    return n


def _check_labels(labels: pd.Index, kind: str, total_label: str) -> None:
    """Refuse row/column labels the Total line would clash with or could not extend."""
    if isinstance(labels, pd.MultiIndex):
        raise DisclosureError(
            f"the {kind} labels have {labels.nlevels} levels; join them into one level first "
            "(e.g. ' / '.join) so a Total can be added"
        )
    if total_label in list(labels):
        raise DisclosureError(
            f"there is already a {kind} labelled {total_label!r}; drop it (totals are added "
            "from the raw counts) or pass another total_label"
        )


def _validated_counts(counts: pd.DataFrame, *, one_way: bool = False) -> np.ndarray:
    """The counts as an object array of Python ints; DisclosureError names any bad cell."""
    out = np.zeros(counts.shape, dtype=object)
    for j, column in enumerate(counts.columns):
        values = counts.iloc[:, j].tolist()
        for i, row in enumerate(counts.index):
            where = f"count at {row!r}" if one_way else f"count at row {row!r}, column {column!r}"
            out[i, j] = _as_count(values[i], where)
    return out


def _shown_value(n: int, rules: DisclosureRules) -> int | str:
    """The figure shown for a raw count under the primary rules (no secondary suppression)."""
    if n == 0:
        return 0 if rules.show_zero else rules.suppressed_label
    if n < rules.threshold:
        return rules.suppressed_label
    return max(round_to_base(n, rules.rounding_base), rules.smallest_shown)


def _shown_figure(value: Any, name: str, rules: DisclosureRules) -> int | None:
    """A shown figure as an int, None if hidden; DisclosureError if it looks like a raw count."""
    labels = (rules.suppressed_label, rules.secondary_label)
    if isinstance(value, str):
        if value in labels:
            return None
        raise DisclosureError(
            f"protected_percent: the {name} {value!r} is neither a figure nor a suppression "
            f"label ({' or '.join(map(repr, labels))}); pass a value from ProtectedTable.shown"
        )
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    n = _as_count(value, f"protected_percent: the {name}")
    if n != 0 and (n % rules.rounding_base or n < rules.smallest_shown):
        raise DisclosureError(
            f"protected_percent: the {name} {value!r} is not a figure that could be shown "
            f"(shown counts are 0 or multiples of {rules.rounding_base} from "
            f"{rules.smallest_shown}); pass the rounded figure from protect_count or "
            "ProtectedTable.shown, not the raw count"
        )
    return n


def _build(
    values: np.ndarray,
    primary: np.ndarray,
    suppressed: np.ndarray,
    index: pd.Index,
    columns: pd.Index,
    rules: DisclosureRules,
    *,
    totals: bool,
) -> ProtectedTable:
    """Assemble the shown, numeric and mask frames and the footnotes."""
    shown = np.empty(values.shape, dtype=object)
    numeric = np.full(values.shape, np.nan)
    for cell, v in np.ndenumerate(values):
        if primary[cell]:
            shown[cell] = rules.suppressed_label
        elif suppressed[cell]:
            shown[cell] = rules.secondary_label
        else:
            shown[cell] = _shown_value(int(v), rules)
            numeric[cell] = float(shown[cell])

    def frame(data: np.ndarray) -> pd.DataFrame:
        """One output frame with the table's labels."""
        return pd.DataFrame(data, index=index.copy(), columns=columns.copy())

    return ProtectedTable(
        shown=frame(shown).astype(object),
        numeric=frame(numeric),
        suppressed=frame(suppressed.copy()),
        primary=frame(primary.copy()),
        notes=_notes(values, shown, primary, suppressed, rules, totals=totals),
    )


def _notes(
    values: np.ndarray,
    shown: np.ndarray,
    primary: np.ndarray,
    suppressed: np.ndarray,
    rules: DisclosureRules,
    *,
    totals: bool,
) -> tuple[str, ...]:
    """Plain-English footnotes saying what was done to this table."""
    notes: list[str] = []
    small = _small_range(rules)
    n_primary = int(primary.sum())
    n_secondary = int((suppressed & ~primary).sum())
    if n_primary:
        what = f"counts of {small}" if small else "counts"
        if not rules.show_zero and bool((values == 0).any()):
            what = f"zeros and {what}" if small else "zeros"
        notes.append(
            f"{_figures(n_primary)} {'is' if n_primary == 1 else 'are'} shown as "
            f'"{rules.suppressed_label}": {what} are not shown.'
        )
    if n_secondary:
        where = "the totals" if totals else "totals published elsewhere"
        notes.append(
            f"{_figures(n_secondary)} {'is' if n_secondary == 1 else 'are'} shown as "
            f'"{rules.secondary_label}" so that no hidden count can be worked out from {where}.'
        )
    notes.append(
        f"Counts of {rules.threshold} or more are rounded to the nearest {rules.rounding_base}."
    )
    if totals:
        notes.append(
            "Totals are worked out from the unrounded counts and then rounded, so the figures "
            "shown may not add up to them."
        )
    if any(isinstance(v, int) and v == 0 for v in shown.flat):
        notes.append("0 means none.")
    return tuple(notes)


def _sources(rules: DisclosureRules, *names: str) -> str:
    """The sources of several rules, in order, each given once."""
    return "; ".join(dict.fromkeys(rules.source(name) for name in names))


def _figures(n: int) -> str:
    """'1 figure' or 'n figures'."""
    return f"{n} figure" if n == 1 else f"{n} figures"


def _small_range(rules: DisclosureRules) -> str:
    """The hidden small counts in words: '1 to 9', '1', or '' when none are hidden."""
    if rules.threshold <= 1:
        return ""
    if rules.threshold == 2:
        return "1"
    return f"1 to {rules.threshold - 1}"


__all__ = [
    "DisclosureError",
    "DisclosureRules",
    "ProtectedTable",
    "default_rules",
    "load_rules",
    "protect_count",
    "protect_series",
    "protect_table",
    "protected_percent",
    "round_to_base",
    "rules_text",
]
