"""Numbers, money and dates as a person reads them (UK style), in one place (no Streamlit)."""

from __future__ import annotations

from datetime import date, datetime

DASH = "—"
"""Shown where there is no figure (never "None", "nan" or "NaT")."""

SMALL_NUMBERS = "no one two three four five six seven eight nine ten eleven twelve".split()


def long_date(d: date) -> str:
    """'30 April 2026'."""
    return f"{d.day} {d:%B %Y}"


def short_date(d: date | None) -> str:
    """'26 Jun 2026' (tables, axes), or a dash."""
    return DASH if d is None else f"{d.day} {d:%b %Y}"


def timestamp(moment: datetime, seconds: bool = False) -> str:
    """'3 Dec 2026, 19:25' (or '19:25:04'), the time as recorded: audit and ingest keep UTC."""
    return (
        f"{moment.day} {moment:%b %Y, %H:%M:%S}"
        if seconds
        else f"{moment.day} {moment:%b %Y, %H:%M}"
    )


def date_range(first: date, last: date) -> str:
    """'14 and 28 August 2026', '28 August and 4 September 2026', or two full dates."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} and {last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} and {last.day} {last:%B %Y}"
    return f"{long_date(first)} and {long_date(last)}"


def fmt_int(n: float | int | None) -> str:
    """A whole number with thousands separators, or a dash."""
    return DASH if n is None else f"{int(round(n)):,}"


def money(value: float | None) -> str:
    """£ to the nearest thousand, or a dash."""
    return DASH if value is None else f"£{round(value, -3):,.0f}"


def number_words(n: int) -> str:
    """Small whole numbers in words (for weeks): 4 -> 'four'; larger ones as digits."""
    return SMALL_NUMBERS[n] if 0 <= n < len(SMALL_NUMBERS) else f"{n:,}"


def weeks_phrase(n: int) -> str:
    """'week' for 1, otherwise '8 weeks'."""
    return "week" if n == 1 else f"{n} weeks"


def horizon_phrase(max_weeks: int) -> str:
    """'10 years' for 520 weeks, otherwise '100 weeks'."""
    if max_weeks % 52 == 0:
        years = max_weeks // 52
        return "1 year" if years == 1 else f"{years} years"
    return f"{max_weeks} weeks"


def chance(p: float) -> str:
    """A probability in words a reader can take in: '35%', 'less than 1%', 'more than 99%'."""
    if 0 < p < 0.005:
        return "less than 1%"
    if 0.995 <= p < 1:
        return "more than 99%"
    return f"{p:.0%}"
