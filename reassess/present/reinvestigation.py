"""The reinvestigation page's words and tables: sentences and headings from the figures (no Streamlit)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from reassess.figures.reinvestigation import CONTACT_WEEKS, Funnel, VictimSupport
from reassess.present.formats import long_date, money
from reassess.present.vocabulary import STAGE_LABELS


def recorded_sentence(first: date | None, as_of: date) -> str:
    """Where the reinvestigation history begins, or that none is recorded yet."""
    if first is None or first > as_of:
        return (
            f"No reinvestigations are recorded yet: the snapshot of {long_date(as_of)} follows "
            "the first version of the extract, which has no reinvestigations table."
        )
    return (
        f"Reinvestigations recorded from {long_date(first)}; the history on this page begins there."
    )


def ageing_table(ageing: pd.DataFrame) -> pd.DataFrame:
    """Open reinvestigations by stage, in words."""
    return pd.DataFrame(
        {
            "Stage": [STAGE_LABELS.get(str(s), str(s)) for s in ageing["stage"]],
            "Open reinvestigations": [int(v) for v in ageing["reinvestigations"]],
            "Median days since referral": [int(round(float(v))) for v in ageing["median_days"]],
            "Longest days since referral": [int(v) for v in ageing["longest_days"]],
            f"Referred over {CONTACT_WEEKS} weeks ago": [int(v) for v in ageing["over_weeks"]],
        }
    )


def isva_sentence(v: VictimSupport) -> str:
    """The ISVA caseload against the ISVAs in post, in words."""
    low, high = v.capacity
    need_low, need_high = v.isvas_needed
    if v.isvas_in_post == 0:
        position = "No ISVAs are recorded in post (config isvas_in_post)."
    elif v.accepted_open > high:
        position = (
            f"That is more than the {v.isvas_in_post:,} ISVAs in post can carry "
            f"({low:,} to {high:,} cases at {v.cases_min} to {v.cases_max} each)."
        )
    elif v.accepted_open > low:
        position = (
            f"That is within reach of the {v.isvas_in_post:,} ISVAs in post only at the upper "
            f"caseload ({low:,} to {high:,} cases at {v.cases_min} to {v.cases_max} each)."
        )
    else:
        position = (
            f"The {v.isvas_in_post:,} ISVAs in post can carry {low:,} to {high:,} cases "
            f"({v.cases_min} to {v.cases_max} each)."
        )
    return (
        f"Today {v.accepted_open:,} victims in open reinvestigations have an ISVA, a caseload "
        f"for {need_low:,} to {need_high:,} ISVAs. {position}"
    )


def phase_headline(complete_on: date, f: Funnel, unmet: str | None) -> str:
    """The overview's lead once the assessments are complete: the reinvestigation phase."""
    if not f.recorded:
        phase = "No reinvestigations are recorded yet."
    else:
        phase = (
            f"The review is in its reinvestigation phase: {f['open']:,} reinvestigations are "
            f"open (referred, not yet closed) and {f['charged']:,} with a suspect charged "
            f"({f['referred']:,} referred, {f['closed']:,} closed)."
        )
    return " ".join(
        part
        for part in (f"Initial assessments complete on {long_date(complete_on)}.", phase, unmet)
        if part
    )


def months_table(months: pd.DataFrame) -> pd.DataFrame:
    """The coupled forecast's 12 months in words (months_frame in, text out)."""
    return pd.DataFrame(
        {
            "Month": [f"{pd.Timestamp(m):%B %Y}" for m in months["month"]],
            "Investigations open (median)": [f"{v:,.0f}" for v in months["open_p50"]],
            "Likely range (10% to 90%)": [
                f"{lo:,.0f} to {hi:,.0f}"
                for lo, hi in zip(months["open_p10"], months["open_p90"], strict=True)
            ],
            "Investigator FTE needed": [f"{v:,.1f}" for v in months["fte_needed"]],
            "FTE in post": [f"{v:,.1f}" for v in months["fte_in_post"]],
            "Unmet FTE": [f"{v:,.1f}" for v in months["unmet_fte"]],
            "ISVAs needed": [
                f"{lo:,.0f} to {hi:,.0f}"
                for lo, hi in zip(
                    months["isvas_needed_low"], months["isvas_needed_high"], strict=True
                )
            ],
            "ISVAs in post": [f"{v:,.0f}" for v in months["isvas_in_post"]],
            "Cost of the unmet demand": [money(v) for v in months["unmet_cost_gbp"]],
        }
    )


__all__ = ["months_table", "phase_headline", "ageing_table", "isva_sentence", "recorded_sentence"]
