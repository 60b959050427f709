"""What the dashboard writes outside a snapshot: the audit trail and saved scenarios.

``audit``: append-only, hash-chained and optionally signed JSON lines, who looked at what and
why (with ``audit_events``, ``audit_keys`` and ``audit_chain``); ``scenarios``: staffing scenarios saved in a small DuckDB file in the data folder. No
Streamlit.
"""
