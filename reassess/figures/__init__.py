"""Figures read from a snapshot: the readers that turn query results into the domain's inputs.

May import ``reassess.snapshot.runner``, ``reassess.config`` and ``reassess.snapshot.listing``; no Streamlit.
- ``plan``: the planning model's input (``plan_input``) and the burn-up as recorded.
"""
