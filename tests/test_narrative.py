"""Words for figures: the weeks-to-target tile and number formats."""

from __future__ import annotations

from datetime import date

import pytest

from reassess.present.formats import fmt_int, long_date
from reassess.present.narrative import weeks_to_target_tile

TARGET = date(2026, 4, 30)


@pytest.mark.parametrize(
    ("weeks", "label", "value"),
    [
        (7.9, "Weeks to target", "7.9"),
        (0.0, "Weeks to target", "0.0"),
        (-8.1, "Weeks overdue", "8.1"),
        (-0.1, "Weeks overdue", "0.1"),
    ],
)
def test_the_tile_says_overdue_in_words_not_a_negative_number(
    weeks: float, label: str, value: str
) -> None:
    shown_label, shown_value, help_text = weeks_to_target_tile(weeks, TARGET)
    assert (shown_label, shown_value) == (label, value)
    assert "30 April 2026" in help_text
    assert "-" not in shown_value


@pytest.mark.parametrize(
    ("finished", "label", "value"),
    [
        (date(2026, 10, 5), "Weeks finished after target", "22.6"),
        (date(2026, 4, 16), "Weeks finished before target", "2.0"),
    ],
)
def test_once_finished_the_tile_stops_counting(finished: date, label: str, value: str) -> None:
    """With every case assessed, the tile says how far from the target the work finished,
    whatever the snapshot's date (the weeks to the snapshot are ignored)."""
    for weeks in (-31.1, -40.0):
        shown_label, shown_value, help_text = weeks_to_target_tile(weeks, TARGET, finished)
        assert (shown_label, shown_value) == (label, value)
        assert long_date(finished) in help_text and "30 April 2026" in help_text


def test_formats() -> None:
    assert fmt_int(9230) == "9,230"
    assert fmt_int(None) == "—"
    assert long_date(date(2026, 6, 5)) == "5 June 2026"
