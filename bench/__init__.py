"""Benchmark harness: `python -m bench` (see docs/benchmarks.md and docs/scaling.md).

Measures ingest, every page under Streamlit's AppTest (cold and warm), the query layer alone,
the forecast and scenario models, the app server's peak memory under a real browser, and a
national roll-up over per-force snapshots, at 1x, 10x and 100x the synthetic demo.
"""
