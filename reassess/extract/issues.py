"""What an ingest reports: one Issue per problem, and ExtractError for a refused extract."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Issue:
    """One problem found in an extract: where it is, the value, and how to fix it."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        text = ", ".join(where) + ": "
        if self.value is not None:
            text += f"value {show_value(self.value)}: "
        return text + self.message


def show_value(value: Any, limit: int = 40) -> str:
    """A short, printable rendering of a cell value for messages."""
    text = str(value)
    length = len(text)
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    if length > limit:
        return f"'{text[:limit]}…' ({length:,} characters)"
    return f"'{text}'"


class ExtractError(Exception):
    """The extract was refused; `issues` lists every error found."""

    def __init__(self, issues: Sequence[Issue], truncated: bool = False) -> None:
        self.issues = list(issues)
        self.truncated = truncated
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.issues)
        more = f" (stopped after the first {n}; fix these and run again)" if self.truncated else ""
        return (
            f"The extract was refused: {n} error{'s' if n != 1 else ''}{more}. Nothing was written."
        )


def file_issue(file: str, message: str, code: str = "invalid") -> Issue:
    """A problem with a whole file (no row, column or value to point at)."""
    return Issue(file, None, None, None, message, code)


def refused(file: str, message: str, code: str = "invalid") -> ExtractError:
    """The extract refused for one reason about a whole file (no row or column to point at)."""
    return ExtractError([file_issue(file, message, code)])


def raise_if_errors(errors: Sequence[Issue], limit: int) -> None:
    """Refuse the extract if there are errors, keeping the first `limit` of them."""
    if errors:
        raise ExtractError(errors[:limit], truncated=len(errors) >= limit)
