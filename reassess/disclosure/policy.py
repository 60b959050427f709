"""What the query runner does to a result before a role sees it, declared per role (no Streamlit).

Each role has one result policy (``access.ROLE_RESULTS``): results as recorded, or every declared
count column through disclosure control. The runner applies the policy; it knows no role by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from reassess.access import ROLE_RESULTS, check_role
from reassess.disclosure.frames import disclose_frame


@dataclass(frozen=True)
class ResultPolicy:
    """How a role's query results are shaped: as recorded, or through disclosure control."""

    name: str
    needs_counts: bool  # refuse a query that declares no count columns to protect
    shape: Callable[[pd.DataFrame, Sequence[str]], pd.DataFrame] | None = None

    def apply(self, frame: pd.DataFrame, counts: Sequence[str]) -> pd.DataFrame:
        """The result as this policy lets it be seen."""
        return frame if self.shape is None else self.shape(frame, counts)


POLICIES: dict[str, ResultPolicy] = {
    "as_recorded": ResultPolicy("as_recorded", needs_counts=False),
    "disclosed": ResultPolicy(
        "disclosed", needs_counts=True, shape=lambda frame, counts: disclose_frame(frame, counts)
    ),
}


def policy_for(role: str) -> ResultPolicy:
    """The result policy of a known role."""
    return POLICIES[ROLE_RESULTS[check_role(role)]]
