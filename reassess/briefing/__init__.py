"""The Mayor's office briefing: its tables, words, figures over time and exports (no Streamlit)."""
