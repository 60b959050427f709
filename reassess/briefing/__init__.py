"""The Mayor's office briefing: built from a snapshot and its comparison, worded, and exported."""
