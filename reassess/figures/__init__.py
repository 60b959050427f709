"""Figures read from a snapshot: the readers that turn query results into the domain's inputs.

May import ``reassess.db``, ``reassess.config`` and ``reassess.snapshots``; no Streamlit.
- ``plan``: the planning model's input (``plan_input``) and the burn-up as recorded.
"""
