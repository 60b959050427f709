"""The reinvestigation page warm at 1x: `python -m bench.reinvestigation_page --folder DATA`.

Copies the data folder (so its audit trail and release ledger are untouched), opens the page
once under AppTest for each role given, then reruns the same AppTest: every query is answered
from the result cache, so what is timed is the page script, the figures, the charts and
AppTest's own overhead. The target is 100 ms (issue #16).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.measure import time_runs
from bench.one_model import fmt

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.reinvestigation_page", description=__doc__.splitlines()[0]
    )
    p.add_argument("--folder", type=Path, required=True, help="a data folder (with snapshots/)")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--roles", nargs="+", default=["commander", "mayors_office"])
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="reassess-bench-"))
    shutil.copytree(args.folder / "snapshots", work / "snapshots")
    os.environ["REASSESS_DATA_DIR"] = str(work)
    from streamlit.testing.v1 import AppTest

    for role in args.roles:
        at = AppTest.from_file(str(ROOT / "pages" / "reinvestigation.py"), default_timeout=600)
        at.session_state["demo_role"] = role
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        warm = time_runs(at.run, args.runs, warmup=2)
        met = "met" if warm.median * 1000 < TARGET_MS else "NOT met"
        print(f"reinvestigation warm at 1x as {role}: {fmt(warm)}; target {TARGET_MS:.0f} ms {met}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
