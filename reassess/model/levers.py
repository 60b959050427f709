"""A scenario: the baseline input plus the levers it changes.

``Levers()`` changes nothing, so ``run_plan(inp, Levers())`` is the headline forecast, by
construction: the same trials, the same seed, the same draws. Every lever acts on the same
random draws (common random numbers), so two scenarios differ only by what their levers change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

CURRENT_PLAN = "Current plan"


@dataclass(frozen=True)
class Levers:
    """What a planner changes; None (or 0 extra officers) means "as in the baseline".

    ``extra_officers`` full-time officers join from ``extra_from`` (default: the Monday after the
    as-of date), ramp up over the ramp-up weeks, are abstracted like the rest of the team and
    are held at strength (a leaver among them is replaced). ``productivity`` replaces the
    measured cases per available FTE-week (its drift and weekly variation are kept, scaled);
    ``abstraction_rate`` replaces the measured (or configured) abstraction; ``attrition_per_year``
    the configured attrition; ``target`` the target date (it moves only P(by target)).
    """

    name: str = CURRENT_PLAN
    extra_officers: float = 0
    extra_from: date | None = None
    productivity: float | None = None
    abstraction_rate: float | None = None
    attrition_per_year: float | None = None
    target: date | None = None

    @property
    def is_baseline(self) -> bool:
        """True when no lever changes anything (the name does not count)."""
        return (
            self.extra_officers == 0
            and self.productivity is None
            and self.abstraction_rate is None
            and self.attrition_per_year is None
            and self.target is None
        )

    def problems(self) -> list[str]:
        """What makes no sense in these levers, in words (empty when they are fine)."""
        return self.checked()[1]

    def checked(self) -> tuple[Levers, list[str]]:
        """These levers with each nonsensical one set back to "as in the baseline", and why."""
        out: list[str] = []
        fixed: dict[str, Any] = {}
        if self.extra_officers < 0:
            out.append(f"extra officers must be 0 or more, got {self.extra_officers:g}")
            fixed["extra_officers"] = 0
        if self.productivity is not None and self.productivity < 0:
            out.append(f"productivity must be 0 or more, got {self.productivity:g}")
            fixed["productivity"] = None
        for name in ("abstraction_rate", "attrition_per_year"):
            value = getattr(self, name)
            if value is not None and not 0 <= value < 1:
                out.append(f"{name.replace('_', ' ')} must be from 0 to below 1, got {value:g}")
                fixed[name] = None
        return (replace(self, **fixed) if fixed else self), out
