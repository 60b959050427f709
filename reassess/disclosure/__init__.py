"""Disclosure control: protected tables, figures consistent across releases, and the release ledger."""
