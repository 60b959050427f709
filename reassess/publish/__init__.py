"""The weekly pack delivered to each reader as their own role, and the alerts (no Streamlit).

- subscriptions: config/subscriptions.toml, typed and checked before anything is built;
- packs: each role's pack (the briefing, the full pack, the resources and scenarios summary),
  built through the query runner as that role;
- alerts: the alert rules evaluated on a snapshot against its compare snapshot, with their state;
- mail: the messages, sent over SMTP or written to an outbox as .eml files;
- record: what was sent to whom for which snapshot (the data folder, written atomically);
- run: one publishing run, audited.
"""
