"""Row 1 of a table: which position holds each contract column, and what is wrong with it."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches

from reassess.extract.cells import character_problem
from reassess.extract.contract import OPTIONAL_COLUMNS, Column
from reassess.extract.issues import Issue
from reassess.extract.limits import Limits


def norm_header(name: str) -> str:
    """A heading as it is matched: trimmed, lower case, without a byte-order mark."""
    return str(name).strip().lower().lstrip("\ufeff")


def check_width(source: str, width: int, limits: Limits) -> Issue | None:
    """A header wider than the max_columns limit, refused before any row is read."""
    if width <= limits.max_columns:
        return None
    return Issue(
        source,
        1,
        None,
        None,
        f"has {width:,} columns; the limit is {limits.max_columns:,}, set by "
        f"{limits.setting('max_columns')}. Export only the contract's columns",
        "limit",
    )


def check_header(
    source: str, header: Sequence[str], columns: tuple[Column, ...]
) -> tuple[dict[str, int], list[Issue], list[Issue]]:
    """Map contract columns to positions; errors for missing, misspelt and duplicate columns.

    Returns (positions, errors, warnings); warnings are the extra columns that are ignored.
    """
    errors: list[Issue] = []
    warnings: list[Issue] = []
    positions: dict[str, int] = {}
    seen: dict[str, int] = {}
    names = [norm_header(h) for h in header]
    expected = {c.name for c in columns}
    for i, name in enumerate(names):
        problem = character_problem(name)
        if problem:
            errors.append(Issue(source, 1, None, name, f"the heading of column {i + 1} {problem}"))
            names[i] = name = ""
        if name in seen and name in expected:
            errors.append(
                Issue(
                    source,
                    1,
                    name,
                    None,
                    f"the column appears twice (columns {seen[name] + 1} and {i + 1}); "
                    "delete one of them",
                    "duplicate_column",
                )
            )
        seen.setdefault(name, i)
    unknown = [n for n in names if n not in expected]
    for col in columns:
        if col.name in seen:
            positions[col.name] = seen[col.name]
            continue
        if col.name in OPTIONAL_COLUMNS:
            continue
        close = get_close_matches(col.name, unknown, n=1, cutoff=0.75)
        hint = (
            f"; the file has {close[0]!r}: rename it to {col.name!r}"
            if close
            else f"; add a column headed {col.name!r} in row 1"
            + (" (it may be empty for cases not yet at that stage)" if not col.required else "")
        )
        errors.append(
            Issue(source, 1, col.name, None, "required column is missing" + hint, "missing_column")
        )
    missing = sorted(expected - set(seen))
    for name in unknown:
        if name and not get_close_matches(name, missing, n=1, cutoff=0.75):
            warnings.append(
                Issue(
                    source,
                    1,
                    name,
                    None,
                    "column is not in the contract and was ignored",
                    "extra_column",
                )
            )
        elif not name:
            warnings.append(
                Issue(
                    source,
                    1,
                    None,
                    None,
                    "a column has no heading and was ignored",
                    "extra_column",
                )
            )
    return positions, errors, warnings
