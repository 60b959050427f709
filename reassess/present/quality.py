"""The data quality page's tables: completeness, recorded ethnicity, history, changes (no Streamlit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from reassess.present.breakdowns import in_display_order
from reassess.present.formats import timestamp
from reassess.present.vocabulary import (
    CHANGE_LABELS,
    ETHNICITY_LABELS,
    column_label,
    dimension_label,
    value_label,
)
from reassess.snapshot.listing import SnapshotInfo


def completeness_table(completeness: pd.DataFrame) -> pd.DataFrame:
    """Each contract column: where it is expected, how many cases, how many have it, the share."""
    c = completeness.sort_values("position")
    return pd.DataFrame(
        {
            "Field": [column_label(c) for c in c["column_name"]],
            "Expected for": c["expected_when"].to_numpy(),
            "Cases expected": c["expected"].astype(int).to_numpy(),
            "Recorded": c["present"].astype(int).to_numpy(),
            "% recorded": c["pct_present"].astype(float).to_numpy(),
        }
    )


def ethnicity_shares(ethnicity: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Suspect ethnicity recorded per value, in display order, with an 'All cases' row at the end."""
    e = in_display_order(ethnicity, dimension)
    counts = [
        "cases",
        "with_suspects",
        "all_recorded",
        "some_recorded",
        "none_recorded",
        "not_applicable",
    ]
    labels = [value_label(dimension, v) for v in e["dim_value"]]
    frame = e[counts].astype(int).assign(label=labels)
    total = frame[counts].sum().to_frame().T.assign(label="All cases")
    frame = pd.concat([frame, total], ignore_index=True)
    with_suspects = frame["with_suspects"].where(frame["with_suspects"] > 0)
    frame["pct_none"] = (100.0 * frame["none_recorded"] / with_suspects).round(1)
    frame["pct_not_all"] = (
        100.0 * (frame["none_recorded"] + frame["some_recorded"]) / with_suspects
    ).round(1)
    return frame[["label", *counts, "pct_none", "pct_not_all"]]


def ethnicity_table(shares: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """The ethnicity shares with words for headings."""
    return shares.rename(
        columns={
            "label": dimension_label(dimension),
            "cases": "Cases",
            "with_suspects": "Cases with suspects",
            "all_recorded": ETHNICITY_LABELS["all_recorded"],
            "some_recorded": ETHNICITY_LABELS["some_recorded"],
            "none_recorded": ETHNICITY_LABELS["none_recorded"],
            "not_applicable": ETHNICITY_LABELS["not_applicable"],
            "pct_none": "% none recorded",
            "pct_not_all": "% not all recorded",
        }
    )


def history_table(snapshots: Sequence[SnapshotInfo]) -> pd.DataFrame:
    """One row per snapshot, newest first: rows, warnings, ingest time and each source's SHA-256.

    Read from the snapshot listing, which reads each file's manifest once per file version,
    so the history costs nothing per page run however many snapshots there are.
    """
    rows = []
    for snap in reversed(snapshots):
        row: dict[str, Any] = {
            "As of": snap.as_of,
            "Cases": snap.case_rows or snap.in_scope,
            "Officers": snap.officer_rows,
            "Warnings": snap.warnings,
            "Ingested (UTC)": timestamp(snap.ingested_at),
            "Contract": snap.contract_version,
            "Synthetic": "yes" if snap.synthetic else "no",
        }
        for file, sha256, _ in snap.sources:
            row[f"{file} SHA-256"] = sha256
        rows.append(row)
    return pd.DataFrame(rows)


def broken_table(broken: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Snapshot files that could not be read: name and reason."""
    return pd.DataFrame(list(broken), columns=["File", "Why it could not be read"])


QUALITY_CHANGES = ("added", "left_scope", "status_backwards", "reassigned")
"""The changes since the previous snapshot the data quality page counts, in its order."""


def warning_counts(summary: pd.DataFrame) -> dict[str, int]:
    """Warnings per code (from queries/pages/quality_warning_summary.sql)."""
    return {str(r.code): int(r.warnings) for r in summary.itertuples(index=False)}


def previous_as_of(changes: Mapping[str, Any]) -> date | None:
    """The previous snapshot's as-of date from quality_change_counts, or None for the first."""
    value = changes.get("previous_as_of")
    if value is None or pd.isna(value):
        return None
    return value if isinstance(value, date) else pd.Timestamp(value).date()


def change_counts_table(changes: Mapping[str, Any]) -> pd.DataFrame:
    """The changes since the previous snapshot as a two-column table, in a fixed order."""
    return pd.DataFrame(
        {
            "Change": [CHANGE_LABELS[k] for k in QUALITY_CHANGES],
            "Cases": [int(changes[k]) for k in QUALITY_CHANGES],
        }
    )
