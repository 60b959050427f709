"""The briefing's sentences, written from the shown (rounded) figures, neutral in tone (no Streamlit)."""

from __future__ import annotations

import math
from datetime import date

from reassess.briefing.contents import Shown
from reassess.config import Programme
from reassess.disclosure.tables import (
    DisclosureRules,
    default_rules,
    protect_count,
)
from reassess.figures.status import Status
from reassess.present.formats import chance, date_range, long_date, number_words, timestamp
from reassess.snapshot.listing import SnapshotInfo


def count_words(shown: Shown, rules: DisclosureRules | None = None, *, zero: str = "no") -> str:
    """A shown count in words: 'about 7,610', 'fewer than 10', or 'no' for zero."""
    rules = rules or default_rules()
    if isinstance(shown, str):
        if shown == rules.suppressed_label:
            return f"fewer than {rules.threshold:,}"
        return "a hidden number of"
    if shown == 0:
        return zero
    return f"about {shown:,}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def is_rounded(shown: Shown) -> bool:
    return isinstance(shown, int) and shown > 0


def progress_sentence(assessed: Shown, in_scope: Shown, pct: float | None) -> str:
    """'About 7,610 of 9,230 cases in scope have been assessed (82%).' from shown figures."""
    share = f" ({pct:.0f}%)" if pct is not None else ""
    if is_rounded(assessed) and is_rounded(in_scope):
        return f"About {assessed:,} of {in_scope:,} cases in scope have been assessed{share}."
    scope = count_words(in_scope, zero="0")
    return f"{capital(count_words(assessed, zero='none'))} of {scope} cases in scope have been assessed{share}."


def forecast_sentence(status: Status) -> str:
    """When assessment is likely to finish, and the target, in plain words (no counts)."""
    f = status.forecast
    target_passed = status.as_of > status.target
    if f.status == "done":
        return "Every case in scope has been assessed."
    if f.status != "ok" or f.p50 is None:
        missed = f" The {status.target:%B %Y} target was missed." if target_passed else ""
        return f"{f.message}{missed}"
    if f.p85 is not None and f.p85 != f.p50:
        when = f"is likely to finish between {date_range(f.p50, f.p85)}"
    else:
        when = f"is likely to finish by {long_date(f.p50)}"
    if target_passed:
        tail = f"; the {status.target:%B %Y} target was missed."
    elif f.prob_by_target is not None:
        tail = (
            f"; the chance of finishing by the target of {long_date(status.target)} is "
            f"{chance(f.prob_by_target)}."
        )
    else:
        tail = "."
    return f"On the forecast, assessment {when}{tail}"


def changes_sentence(compare_as_of: date, changes: dict[str, Shown]) -> str:
    """What changed since the comparison snapshot, from the derived (approximate) figures."""
    w = {k: count_words(v) for k, v in changes.items()}
    parts = [
        f"{w['completed']} assessments were completed",
        f"{w['newly_allocated']} cases were newly allocated to an officer",
    ]
    net = changes["net_scope"]
    if net == 0:
        parts.append("the number of cases in scope did not change")
    elif isinstance(net, str):
        parts.append(f"the number of cases in scope changed by {count_words(net)}")
    else:
        way = "rose" if net > 0 else "fell"
        parts.append(f"the number of cases in scope {way} by about {abs(net):,}")
    return f"Since {long_date(compare_as_of)}, " + "; ".join(parts) + "."


def write_narrative(
    status: Status, figures: dict[str, Shown], rules: DisclosureRules
) -> tuple[str, ...]:
    """Further sentences of the narrative: pace, what is left, and what waits for an officer."""
    k = status.kpis
    out = []
    pace = protect_count(int(round(float(k["throughput_4w"]))), rules)
    out.append(
        f"Over the last four weeks, {count_words(pace, rules)} assessments were completed a "
        "week on average."
    )
    if status.required_weekly is not None and figures["remaining"] != 0:
        needed = protect_count(int(math.ceil(status.required_weekly)), rules)
        out.append(
            f"To finish by the target of {long_date(status.target)}, "
            f"{count_words(needed, rules)} assessments a week would be needed."
        )
    out.append(
        f"{capital(count_words(figures['remaining'], rules, zero='no'))} cases are still to be "
        f"assessed, of which {count_words(figures['awaiting_allocation'], rules, zero='none')} "
        "are awaiting allocation to an officer."
    )
    return tuple(out)


def rag_reason_text(status: Status, remaining: Shown, rules: DisclosureRules) -> str:
    """The RAG reason in words, with the remaining cases rounded (never the raw count)."""
    rag, f = status.rag, status.forecast
    if remaining == 0 or rag.label == "Complete":
        return "Every case in scope has been assessed."
    if status.as_of > status.target:
        weeks = (status.as_of - status.target).days // 7
        return (
            f"The target passed {weeks} week{'s' if weeks != 1 else ''} ago with "
            f"{count_words(remaining, rules)} cases not yet assessed."
        )
    if f.status == "ok" and f.prob_by_target is not None:
        return f"The forecast gives a {chance(f.prob_by_target)} chance of finishing by the target."
    return f.message


def forecast_note(status: Status) -> str:
    f = status.forecast
    weeks = number_words(status.window_weeks)
    return (
        f"The forecast is the planning model of every page ({f.trials:,} trials): the team "
        "expected in post (starters, leavers and booked leave), their pace per available "
        f"officer measured over the last {weeks} week{'s' if status.window_weeks != 1 else ''} "
        "and allowed to drift, seasonal dips and the growth of scope. The first date is the "
        "median; by the second, 85% of trials have finished. It is a forecast, not a commitment; "
        "its track record is on the overview."
    )


def caveats(
    snapshot: SnapshotInfo,
    programme: Programme,
    ethnicity_caveat: str,
    in_scope: Shown,
    status: Status,
    rules: DisclosureRules,
) -> tuple[str, ...]:
    out = []
    if snapshot.synthetic:
        out.append(
            "SYNTHETIC DATA: these figures describe a demonstration programme generated by "
            "software. No real case, victim, suspect or officer is shown."
        )
    out.append(
        f"Counts are rounded to the nearest {rules.rounding_base} and small counts are not shown "
        "(see the disclosure rules), so figures may not add up to the totals shown."
    )
    scope = programme.baseline_scope
    out.append(
        f"Scope can change as records are searched. The Commissioner's letter gave about "
        f"{scope:,} investigations ({programme.setting('baseline_scope').source}); the tracker "
        f"now holds {count_words(in_scope, zero='0')} cases in scope."
    )
    flagging = programme.flagging_accuracy_share
    out.append(
        f"Historic records may be incomplete: an inspection found {flagging:.0%} of child "
        f"exploitation cases accurately flagged ({programme.setting('flagging_accuracy_share').source}), "
        "so more cases may come into scope."
    )
    out.append(ethnicity_caveat)
    out.append(forecast_note(status))
    return tuple(out)


def sources_list(
    snapshot: SnapshotInfo, compare: SnapshotInfo | None, programme: Programme
) -> tuple[str, ...]:
    out = [
        f"Snapshot {snapshot.label} (the case tracker as at {long_date(snapshot.as_of)}), "
        f"ingested {timestamp(snapshot.ingested_at)} UTC."
    ]
    if compare is not None:
        out.append(f"Compared with snapshot {compare.label}.")
    target = programme.setting("target_date")
    out.append(f"Target date {long_date(target.value)}: {target.source}.")
    return tuple(out)
