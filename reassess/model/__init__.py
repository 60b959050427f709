"""The one planning model: when the work will finish, with how many officers, at what cost.

Pure (numpy, pandas and the standard library only; no database, no Streamlit). Frozen
dataclasses in and out; seeded randomness on common random numbers.

- ``inputs``: ``PlanInput`` and its parts (history, officers, planned changes, settings).
- ``levers``: ``Levers``, what a scenario changes (none: the headline forecast).
- ``plan``: ``run_plan(inp, levers) -> Plan``: dates, chances, fan, staffing, cost, capacity.
- ``finder``: the officers finder (extra officers against the P85 date).
- ``movement``: why the P85 date moved since a compare snapshot (scope, pace, staffing).
- ``backtest``: the forecast's track record against when the work actually finished.
- ``pace``, ``effort``, ``staffing``, ``trials``, ``build``, ``checks``: the parts ``run_plan`` is
  made of (pace and its learning curve, work content, staffing paths, the trials, input checks).

See docs/forecasting.md for the method and its backtest.
"""
