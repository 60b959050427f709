"""Tests for reassess/disclosure/tables.py: rounding, suppression, percentages and the rules file."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reassess.disclosure.tables import (
    DisclosureError,
    DisclosureRules,
    ProtectedTable,
    load_rules,
    protect_count,
    protect_series,
    protect_table,
    protected_percent,
    round_to_base,
    rules_text,
)

RULES = DisclosureRules()  # the defaults: threshold 10, base 5, "<10", zeros shown, "[c]"
S, C = "<10", "[c]"  # primary and secondary labels, for writing expected tables by hand
PROPERTY = settings(max_examples=120, deadline=None, database=None)


def table(
    rows: list[list[int]], index: Sequence[str] = "AB", columns: Sequence[str] = "xy"
) -> pd.DataFrame:
    """A small counts table with one-letter row and column labels."""
    return pd.DataFrame(rows, index=list(index[: len(rows)]), columns=list(columns[: len(rows[0])]))


def expected(
    rows: list[list[object]], index: Sequence[Hashable], columns: Sequence[Hashable]
) -> pd.DataFrame:
    """A hand-written shown table, object dtype like ProtectedTable.shown."""
    return pd.DataFrame(rows, index=index, columns=columns, dtype=object)


# --- rounding and single counts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "base", "rounded"),
    [
        (0, 5, 0),
        (2, 5, 0),
        (3, 5, 5),
        (10, 5, 10),
        (12, 5, 10),
        (13, 5, 15),
        (17, 5, 15),
        (18, 5, 20),
        (47, 5, 45),
        (123, 5, 125),
        (14, 10, 10),
        (15, 10, 20),  # halves round upwards
        (9000, 5, 9000),
    ],
)
def test_round_to_base(n: int, base: int, rounded: int) -> None:
    assert round_to_base(n, base) == rounded


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (0, 0),
        (1, S),
        (5, S),
        (9, S),
        (10, 10),
        (11, 10),
        (12, 10),
        (13, 15),
        (17, 15),
        (18, 20),
        (47, 45),
        (123, 125),
        (8999, 9000),
    ],
)
def test_protect_count(n: int, shown: int | str) -> None:
    assert protect_count(n, RULES) == shown
    assert protect_count(n, RULES) == shown  # a total of 1-9 is hidden too


def test_protect_count_accepts_numpy_and_whole_floats() -> None:
    assert protect_count(np.int64(13), RULES) == 15  # type: ignore[arg-type]
    assert protect_count(13.0, RULES) == 15  # type: ignore[arg-type]


def test_zeros_hidden_when_show_zero_is_off() -> None:
    assert protect_count(0, DisclosureRules(show_zero=False)) == S


def test_label_is_configurable() -> None:
    assert protect_count(4, DisclosureRules(suppressed_label="*")) == "*"


def test_rounded_count_never_below_threshold() -> None:
    # base 3 would round 10 down to 9; the smallest shown figure is 12 instead
    assert protect_count(10, DisclosureRules(rounding_base=3)) == 12


# --- two-way tables worked by hand ---------------------------------------------------------


def test_small_cell_hides_its_row_and_column_partners() -> None:
    # raw totals: rows 43, 85; columns 28, 100; grand 128
    result = protect_table(table([[3, 40], [25, 60]]), RULES)
    assert result.shown.equals(
        expected(
            [[S, C, 45], [C, C, 85], [30, 100, 130]],
            ["A", "B", "Total"],
            ["x", "y", "Total"],
        )
    )
    assert result.primary.values.tolist() == [[True, False, False], [False] * 3, [False] * 3]
    assert result.suppressed.values.tolist() == [
        [True, True, False],
        [True, True, False],
        [False] * 3,
    ]
    assert np.isnan(result.numeric.loc["A", "x"]) and result.numeric.loc["Total", "Total"] == 130.0
    assert result.notes[:2] == (
        '1 figure is shown as "<10": counts of 1 to 9 are not shown.',
        '3 figures are shown as "[c]" so that no hidden count can be worked out from the totals.',
    )


def test_table_without_small_counts_is_only_rounded() -> None:
    # raw totals: rows 22, 30; columns 23, 29; grand 52
    result = protect_table(table([[10, 12], [13, 17]]), RULES)
    assert result.shown.equals(
        expected(
            [[10, 10, 20], [15, 15, 30], [25, 30, 50]],
            ["A", "B", "Total"],
            ["x", "y", "Total"],
        )
    )
    assert not result.suppressed.values.any()
    assert result.numeric.dtypes.eq(float).all()


def test_zero_cells_are_shown_as_zero() -> None:
    result = protect_table(table([[0, 20], [30, 40]]), RULES)
    assert result.shown.equals(
        expected(
            [[0, 20, 20], [30, 40, 70], [30, 60, 90]], ["A", "B", "Total"], ["x", "y", "Total"]
        )
    )
    assert "0 means none." in result.notes


def test_zero_cells_hidden_when_show_zero_is_off() -> None:
    result = protect_table(table([[0, 20], [30, 40]]), DisclosureRules(show_zero=False))
    assert result.shown.equals(
        expected([[S, C, 20], [C, C, 70], [30, 60, 90]], ["A", "B", "Total"], ["x", "y", "Total"])
    )
    assert (
        result.notes[0] == '1 figure is shown as "<10": zeros and counts of 1 to 9 are not shown.'
    )
    assert "0 means none." not in result.notes


def test_zero_is_a_complement_only_when_nothing_else_is_left() -> None:
    # column y holds 40 (hidden to protect the 3) and a zero: the zero is the only partner
    result = protect_table(table([[3, 40], [25, 0]]), RULES)
    assert result.shown.equals(
        expected([[S, C, 45], [C, C, 25], [30, 40, 70]], ["A", "B", "Total"], ["x", "y", "Total"])
    )


def test_small_total_is_hidden_and_counts_as_a_partner() -> None:
    # row A: 5 and its total 5 are both hidden; row B and the Total column then need partners
    result = protect_table(table([[5, 0], [20, 30]]), RULES)
    assert result.shown.equals(
        expected([[S, 0, S], [C, 30, C], [25, 30, 55]], ["A", "B", "Total"], ["x", "y", "Total"])
    )


def test_one_column_table_hides_the_partner_row() -> None:
    result = protect_table(pd.DataFrame({"n": [3, 40]}, index=["A", "B"]), RULES)
    assert result.shown.equals(
        expected([[S, S], [C, C], [45, 45]], ["A", "B", "Total"], ["n", "Total"])
    )


def test_rows_and_columns_linked_through_hidden_cells_are_broken_up() -> None:
    # Lines alone hide (0,1)=8 with partners in row 0 and column 1, but rows 2 and 3 and
    # column 2 then give (3,1) - (2,1) = 8 exactly: the 42 is hidden to close that loop.
    counts = pd.DataFrame([[7, 8, 0], [5, 0, 0], [42, 33, 6]])
    result = protect_table(counts, RULES)
    assert result.shown.equals(
        expected(
            [[S, S, 0, C], [S, 0, 0, S], [C, C, S, 80], [55, C, S, 100]],
            [0, 1, 2, "Total"],
            [0, 1, 2, "Total"],
        )
    )


def test_without_margins_the_same_cells_are_hidden() -> None:
    counts = table([[3, 40], [25, 60]])
    with_margins = protect_table(counts, RULES)
    without = protect_table(counts, RULES, margins=False)
    assert without.shown.equals(with_margins.shown.iloc[:2, :2])
    assert without.suppressed.equals(with_margins.suppressed.iloc[:2, :2])
    assert any("totals published elsewhere" in note for note in without.notes)


def test_labels_and_names_are_kept() -> None:
    counts = pd.crosstab(
        pd.Series(["Camden", "Camden", "Brent"], name="borough"),
        pd.Series(["F", "M", "F"], name="sex"),
    )
    result = protect_table(counts, RULES, total_label="All")
    assert list(result.shown.index) == ["Brent", "Camden", "All"]
    assert result.shown.index.name == "borough" and result.shown.columns.name == "sex"
    assert result.shown.loc["All", "All"] == S  # a grand total of 3 is still hidden


def test_empty_table_has_zero_totals() -> None:
    result = protect_table(pd.DataFrame({"x": pd.Series([], dtype=int)}), RULES)
    assert result.shown.values.tolist() == [[0, 0]]


# --- one-way tables ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        # one small category: the next smallest non-zero one is hidden too
        ({"A": 3, "B": 40, "C": 25, "D": 0, "E": 60}, [S, 40, C, 0, 60, 130]),
        # two small categories protect each other
        ({"A": 3, "B": 4, "C": 50}, [S, S, 50, 55]),
        # the total is small too, so it is the second hidden figure; zeros stay shown
        ({"A": 3, "B": 0, "C": 0}, [S, 0, 0, S]),
        # zeros are skipped when a non-zero category is left
        ({"A": 3, "B": 0, "C": 50, "D": 70}, [S, 0, C, 70, 125]),
        # nothing small: only rounding
        ({"A": 12, "B": 13}, [10, 15, 25]),
    ],
)
def test_protect_series(counts: dict[str, int], shown: list[object]) -> None:
    result = protect_series(pd.Series(counts, name="cases"), RULES)
    assert result.shown["cases"].tolist() == shown
    assert list(result.shown.index) == [*counts, "Total"]


def test_series_without_total_hides_the_same_categories() -> None:
    counts = pd.Series({"A": 3, "B": 40, "C": 25}, name="cases")
    result = protect_series(counts, RULES, total=False)
    assert result.shown["cases"].tolist() == [S, 40, C]


def test_unnamed_series_gets_a_count_column() -> None:
    assert list(protect_series(pd.Series([12, 30]), RULES).shown.columns) == ["Count"]


# --- percentages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "percent"),
    [
        (45, 125, 36.0),  # 47 of 123, as shown
        (S, 125, None),
        (45, C, None),
        (45, 0, None),
        (0, 0, None),
        (None, 125, None),
        (float("nan"), 125.0, None),
        (0, 125, 0.0),
        (25, 40, 63.0),  # 62.5 rounds half upwards
        (10, 10, 100.0),
    ],
)
def test_protected_percent(numerator: object, denominator: object, percent: float | None) -> None:
    assert protected_percent(numerator, denominator, rules=RULES) == percent


def test_percent_comes_from_rounded_figures() -> None:
    shown_num, shown_den = protect_count(47, RULES), protect_count(123, RULES)
    assert (shown_num, shown_den) == (45, 125)
    assert protected_percent(shown_num, shown_den, rules=RULES) == 36.0  # not 38.2 from raw
    assert protected_percent(10, 15, decimals=1, rules=RULES) == 66.7


def test_percent_of_hidden_count_is_hidden() -> None:
    assert (
        protected_percent(protect_count(4, RULES), protect_count(123, RULES), rules=RULES) is None
    )


def test_percent_from_table_figures() -> None:
    result = protect_table(table([[3, 40], [25, 60]]), RULES)
    assert (
        protected_percent(result.shown.loc["A", "x"], result.shown.loc["A", "Total"], rules=RULES)
        is None
    )
    assert (
        protected_percent(
            result.numeric.loc["Total", "x"], result.numeric.loc["Total", "Total"], rules=RULES
        )
        == 23.0
    )


@pytest.mark.parametrize(
    ("numerator", "denominator", "message"),
    [
        (47, 125, "the numerator 47 is not a figure that could be shown"),
        (45, 123, "the denominator 123 is not a figure that could be shown"),
        (5, 125, "the numerator 5 is not a figure that could be shown"),
        ("45", 125, "the numerator '45' is neither a figure nor a suppression label"),
        (-5, 125, "the numerator is -5"),
    ],
)
def test_percent_refuses_raw_counts(numerator: object, denominator: object, message: str) -> None:
    with pytest.raises(DisclosureError, match=message):
        protected_percent(numerator, denominator, rules=RULES)


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "count at row 'B', column 'y' is -1; counts must be whole numbers of 0 or more"),
        (2.5, "count at row 'B', column 'y' is 2.5; counts must be whole numbers of 0 or more"),
        (float("nan"), "count at row 'B', column 'y' is missing \\(nan\\)"),
        (None, "count at row 'B', column 'y' is missing"),
        ("7", "count at row 'B', column 'y' is '7'; counts must be whole numbers"),
        (True, "count at row 'B', column 'y' is True, a true/false value"),
        (float("inf"), "count at row 'B', column 'y' is inf"),
    ],
)
def test_bad_counts_name_the_cell(value: object, message: str) -> None:
    counts = pd.DataFrame({"x": [1, 2], "y": [3, value]}, index=["A", "B"], dtype=object)
    with pytest.raises(DisclosureError, match=message):
        protect_table(counts, RULES)


def test_missing_count_in_nullable_column() -> None:
    counts = pd.DataFrame({"y": pd.array([3, None], dtype="Int64")}, index=["A", "B"])
    with pytest.raises(DisclosureError, match="count at row 'B', column 'y' is missing \\(<NA>\\)"):
        protect_table(counts, RULES)


def test_bad_series_count_names_the_category() -> None:
    with pytest.raises(DisclosureError, match="count at 'Brent' is -2"):
        protect_series(pd.Series({"Camden": 4, "Brent": -2}), RULES)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: protect_count(-3, RULES), "protect_count: the count is -3"),
        (lambda: protect_count(1.5, RULES), "protect_count: the count is 1.5"),  # type: ignore[arg-type]
        (lambda: round_to_base(12, 0), "base must be a whole number of at least 1, not 0"),
        (
            lambda: protect_table(table([[1, 2]], columns=["x", "Total"]), RULES),
            "there is already a column labelled 'Total'",
        ),
        (
            lambda: protect_series(pd.Series({"Total": 4}), RULES),
            "there is already a row labelled 'Total'",
        ),
        (
            lambda: protect_table(
                pd.DataFrame([[1]], index=pd.MultiIndex.from_tuples([("a", "b")])), RULES
            ),
            "the row labels have 2 levels",
        ),
        (lambda: protect_table(pd.Series([1]), RULES), "use protect_series for a Series"),
        (lambda: protect_series(table([[1]]), RULES), "use protect_table for a DataFrame"),
        (lambda: DisclosureRules(threshold=0), "threshold must be a whole number of at least 1"),
        (
            lambda: DisclosureRules(suppressed_label="5"),
            "suppressed_label must be a non-empty label",
        ),
        (lambda: DisclosureRules(show_zero="yes"), "show_zero must be true or false"),  # type: ignore[arg-type]
    ],
)
def test_errors_say_what_is_wrong(call: object, message: str) -> None:
    with pytest.raises(DisclosureError, match=message):
        call()  # type: ignore[operator]


# --- the rules file ------------------------------------------------------------------------

GOOD_RULES = """
[disclosure]
threshold = { value = 5, source = "test: threshold" }
rounding_base = { value = 10, source = "test: base" }
suppressed_label = { value = "*", source = "test: label" }
show_zero = { value = false, source = "test: zeros" }
secondary_label = { value = "x", source = "test: secondary" }
margins = { source = "test: margins" }
secondary_suppression = { source = "test: secondary suppression" }
percentages = { source = "test: percentages" }
grand_totals = { source = "test: grand totals" }
"""


def test_repository_rules_file_gives_the_defaults_with_sources() -> None:
    rules = load_rules()
    assert rules == DisclosureRules()
    assert set(rules.sources) == {
        "threshold",
        "rounding_base",
        "suppressed_label",
        "show_zero",
        "secondary_label",
        "margins",
        "secondary_suppression",
        "percentages",
        "grand_totals",
    }
    assert all(source.strip() for source in rules.sources.values())


def test_rules_file_values_are_used(tmp_path: Path) -> None:
    path = tmp_path / "disclosure.toml"
    path.write_text(GOOD_RULES, encoding="utf-8")
    rules = load_rules(path)
    assert (rules.threshold, rules.rounding_base, rules.suppressed_label) == (5, 10, "*")
    assert rules.sources["margins"] == "test: margins"
    assert [protect_count(n, rules) for n in (0, 4, 5, 14, 15)] == ["*", "*", 10, 10, 20]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD_RULES.replace(', source = "test: base"', ""), "rounding_base must be"),
        (
            GOOD_RULES + 'threshhold = { value = 3, source = "typo" }\n',
            "threshhold is not a known rule",
        ),
        (
            GOOD_RULES.replace(
                'margins = { source = "test: margins" }', 'margins = { value = 1, source = "m" }'
            ),
            "margins is fixed",
        ),
        (
            GOOD_RULES.replace("value = 5,", "value = -1,"),
            "threshold must be a whole number of at least 1, not -1",
        ),
        (
            GOOD_RULES.replace('percentages = { source = "test: percentages" }\n', ""),
            "is missing percentages",
        ),
        ("[other]\n", "has no \\[disclosure\\] section"),
        ("[disclosure\n", "is not valid TOML"),
    ],
)
def test_bad_rules_file_says_what_to_fix(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "disclosure.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DisclosureError, match=message):
        load_rules(path)


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(DisclosureError, match="is missing; restore it"):
        load_rules(tmp_path / "nope.toml")


def test_rules_text_states_each_rule_with_its_source() -> None:
    rules = load_rules()
    text = rules_text(rules)
    assert text[0].startswith('Counts of 1 to 9 are not shown; they appear as "<10".')
    assert "rounded to the nearest 5" in text[1] and "12 is shown as 10 and 13 as 15" in text[1]
    assert text[2].startswith("A count of zero is shown as 0")
    assert any(
        line.startswith("Percentages are worked out from the rounded figures") for line in text
    )
    assert any("a total of 1 to 9 is still hidden" in line for line in text)
    for source in rules.sources.values():
        assert any(source in line for line in text)


# --- properties of random tables -----------------------------------------------------------

COUNT = st.one_of(st.integers(0, 3), st.integers(0, 12), st.integers(0, 200))


@st.composite
def count_tables(draw: st.DrawFn) -> pd.DataFrame:
    """Tables of 1x1 up to 8x12 with many small counts and zeros."""
    n, m = draw(st.integers(1, 8)), draw(st.integers(1, 12))
    values = draw(st.lists(COUNT, min_size=n * m, max_size=n * m))
    return pd.DataFrame(np.array(values, dtype=np.int64).reshape(n, m))


def full_raw(counts: pd.DataFrame) -> np.ndarray:
    """The raw counts with raw row, column and grand totals added."""
    raw = counts.to_numpy(dtype=np.int64)
    with_rows = np.column_stack([raw, raw.sum(axis=1)])
    return np.vstack([with_rows, with_rows.sum(axis=0)])


def table_lines(n_rows: int, n_cols: int) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Every row and column of a shown table with margins: (its cells, its total cell)."""
    rows = [([(i, j) for j in range(n_cols - 1)], (i, n_cols - 1)) for i in range(n_rows)]
    cols = [([(i, j) for i in range(n_rows - 1)], (n_rows - 1, j)) for j in range(n_cols)]
    return rows + cols


def solve_line(
    shown: np.ndarray, cells: list[tuple[int, int]], total: tuple[int, int]
) -> tuple[list[tuple[int, int]], int | None]:
    """Solve total = sum(cells) from shown figures: the unknowns, and what the hidden add to."""
    unknowns = [c for c in [*cells, total] if isinstance(shown[c], str)]
    if isinstance(shown[total], str):
        return unknowns, None
    return unknowns, shown[total] - sum(shown[c] for c in cells if not isinstance(shown[c], str))


def determined_cells(
    n_rows: int, n_cols: int, hidden: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Hidden cells that all row and column equations together fix exactly (linear algebra)."""
    index = {cell: k for k, cell in enumerate(hidden)}
    equations = []
    for cells, total in table_lines(n_rows, n_cols):
        row = np.zeros(len(hidden))
        for cell in cells:
            if cell in index:
                row[index[cell]] += 1
        if total in index:
            row[index[total]] -= 1
        equations.append(row)
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a) if hidden else 0
    return [
        cell for cell, k in index.items() if np.linalg.matrix_rank(np.delete(a, k, axis=1)) < rank
    ]


def expected_figure(n: int) -> int | str:
    """The figure the default rules show for a raw count, worked out independently."""
    if n == 0:
        return 0
    if n < 10:
        return S
    return max(10, int(math.floor(n / 5 + 0.5)) * 5)


@PROPERTY
@given(count_tables())
def test_random_tables_are_safe(counts: pd.DataFrame) -> None:
    result = protect_table(counts, RULES)
    raw = full_raw(counts)
    shown = result.shown.to_numpy()
    hidden = result.suppressed.to_numpy()
    n_rows, n_cols = shown.shape
    assert shown.shape == (counts.shape[0] + 1, counts.shape[1] + 1)

    for cell, value in np.ndenumerate(shown):
        if isinstance(value, str):
            assert hidden[cell] and value == (S if result.primary.to_numpy()[cell] else C)
            assert np.isnan(result.numeric.to_numpy()[cell])
        else:
            assert type(value) is int and not hidden[cell]
            assert not 1 <= value <= 9 and value % 5 == 0
            # every shown figure, margins included, is the rounded raw count
            assert value == expected_figure(int(raw[cell])) == result.numeric.to_numpy()[cell]

    # primary suppression is exactly the counts of 1 to 9, margins included
    assert (result.primary.to_numpy() == ((raw >= 1) & (raw <= 9))).all()
    assert (hidden >= result.primary.to_numpy()).all()
    # the whole-programme total is hidden only when it is itself 1 to 9
    assert isinstance(shown[-1, -1], str) == (1 <= raw[-1, -1] <= 9)

    for cells, total in table_lines(n_rows, n_cols):
        members = [*cells, total]
        n_hidden = sum(hidden[c] for c in members)
        assert n_hidden != 1, f"line {members} has a single hidden figure"
        unknowns, residual = solve_line(shown, cells, total)
        for cell in members:
            if hidden[cell]:
                # one unknown would be solved exactly; two or more leave each one open
                assert cell in unknowns and len(unknowns) >= 2
        if residual is not None:
            # each shown figure is within 2 of its raw count, and hidden counts are >= 0
            assert residual >= -2 * (len(cells) + 1)
            if not unknowns:
                assert abs(residual) <= 2 * (len(cells) + 1)

    hidden_cells = [(int(i), int(j)) for i, j in zip(*np.nonzero(hidden), strict=True)]
    assert determined_cells(n_rows, n_cols, hidden_cells) == []

    without = protect_table(counts, RULES, margins=False)
    assert (without.suppressed.to_numpy() == hidden[:-1, :-1]).all()


@PROPERTY
@given(st.lists(COUNT, min_size=1, max_size=15))
def test_random_series_are_safe(values: list[int]) -> None:
    counts = pd.Series(values, index=[f"c{i}" for i in range(len(values))], name="n")
    result = protect_series(counts, RULES)
    shown = result.shown["n"].tolist()
    raw = [*values, sum(values)]
    assert [v if not isinstance(v, str) else None for v in shown] == [
        expected_figure(n) if not result.suppressed["n"].iloc[k] else None
        for k, n in enumerate(raw)
    ]
    n_hidden = sum(isinstance(v, str) for v in shown)
    assert n_hidden != 1
    assert isinstance(shown[-1], str) == (1 <= raw[-1] <= 9)
    for v in shown:
        assert isinstance(v, str) or (not 1 <= v <= 9 and v % 5 == 0)


@PROPERTY
@given(count_tables())
def test_protection_is_deterministic(counts: pd.DataFrame) -> None:
    first, second = protect_table(counts, RULES), protect_table(counts, RULES)
    assert isinstance(first, ProtectedTable)
    assert first.shown.equals(second.shown) and first.notes == second.notes


def test_seeded_tables_leave_no_hidden_count_determined() -> None:
    # About 1 table in 60 needs the linked-cells check; random search rarely finds one, so
    # a fixed-seed sweep of 400 tables makes sure some are covered on every run.
    rng = np.random.default_rng(20251103)
    for _ in range(400):
        n, m = rng.integers(2, 7, size=2)
        counts = pd.DataFrame(rng.integers(0, 31, size=(n, m)))
        hidden = protect_table(counts, RULES).suppressed.to_numpy()
        cells = [(int(i), int(j)) for i, j in zip(*np.nonzero(hidden), strict=True)]
        assert determined_cells(n + 1, m + 1, cells) == [], counts.to_numpy().tolist()
