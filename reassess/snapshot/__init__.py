"""Snapshots: a validated extract written as one immutable DuckDB file, and reading them back.

``ingest`` writes a snapshot atomically; ``listing`` names and lists them (and the broken ones);
``sql`` is the one loader of queries/; ``runner`` runs a named query with checked parameters
at the caller's access level (read-only, cached). No Streamlit.
"""
