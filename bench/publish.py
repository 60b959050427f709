"""Publishing for 20 readers: `python -m bench.publish --folder DIR [--readers 20] [--runs 5]`.

Each run is what the weekly job does: a fresh process (`python -m reassess publish`) on a data
folder over the given snapshots with no delivery record and no alert state, delivering to every
reader over SMTP to a real server on loopback (aiosmtpd, in this process). Then the same
command again, when nothing is owed. Readers are spread over the roles (Mayor's office,
commanders, planners, analysts); the packs are built once per role. Rewrites the section
between the `publish:begin` and `publish:end` markers of docs/benchmarks.md with --write.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bench.measure import Stats, summarise
from bench.results import load_average

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- publish:begin -->", "<!-- publish:end -->"
TARGET_SECONDS = 20.0
ROLES = ("mayors_office", "commander", "planner", "analyst", "commander")


def subscriptions(readers: int) -> str:
    """A subscriptions file with this many readers over the roles, and the shipped alert rules."""
    from reassess.publish.subscriptions import load_subscriptions

    shipped = load_subscriptions()
    out = [
        "[delivery]",
        f'sender = "{shipped.sender}"',
        f'dashboard_url = "{shipped.dashboard_url}"',
        "allowed_domains = [" + ", ".join(f'"{d}"' for d in shipped.allowed_domains) + "]",
        "",
    ]
    commanders = []
    for i in range(readers):
        role = ROLES[i % len(ROLES)]
        receives = "pack" if role == "mayors_office" else "both"
        email = f"reader{i + 1}@example.org"
        if role == "commander":
            commanders.append(email)
        out += [
            "[[readers]]",
            f'name = "Reader {i + 1}"',
            f'email = "{email}"',
            f'role = "{role}"',
            f'receives = "{receives}"',
            "",
        ]
    for rule in shipped.alerts:
        out += [
            "[[alerts]]",
            f"name = {json.dumps(rule.name)}",
            f'kind = "{rule.kind}"',
            f"threshold = {rule.threshold}",
            *([f"weeks = {rule.weeks}"] if rule.weeks is not None else []),
            f"source = {json.dumps(rule.source)}",
            "recipients = [" + ", ".join(f'"{a}"' for a in commanders) + "]",
            "",
        ]
    return "\n".join(out)


def one_run(snapshots: Path, readers: int, port: int, inbox: list[object]) -> tuple[float, float]:
    """Seconds for a first publish (everything owed) and for a second (nothing owed)."""
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        (data / "snapshots").symlink_to(snapshots.resolve(), target_is_directory=True)
        subs = Path(tmp) / "subscriptions.toml"
        subs.write_text(subscriptions(readers), encoding="utf-8")
        env = {
            **os.environ,
            "REASSESS_DATA_DIR": str(data),
            "REASSESS_SMTP_HOST": "127.0.0.1",
            "REASSESS_SMTP_PORT": str(port),
        }
        cmd = [sys.executable, "-m", "reassess", "publish", "--subscriptions", str(subs)]
        seconds = []
        for _ in range(2):
            before = len(inbox)
            start = time.perf_counter()
            done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
            seconds.append(time.perf_counter() - start)
            if done.returncode != 0:
                raise SystemExit(f"publish failed:\n{done.stdout}\n{done.stderr}")
            sent = len(inbox) - before
            if not seconds[1:] and sent != readers:
                raise SystemExit(f"expected {readers} messages, the server received {sent}")
        if len(inbox) - before != 0:
            raise SystemExit("the second run sent again")
        return seconds[0], seconds[1]


def fmt(s: Stats) -> str:
    return (
        f"{s.median:.1f} s (IQR {s.q1:.1f}-{s.q3:.1f}, min {s.min:.1f}, max {s.max:.1f}, n={s.n})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    from tests.publish_fixtures import smtp_server

    p = argparse.ArgumentParser(prog="python -m bench.publish", description=__doc__.splitlines()[0])
    p.add_argument("--folder", type=Path, required=True, help="a data folder or its snapshots/")
    p.add_argument("--readers", type=int, default=20)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--write", action="store_true", help="rewrite the section in docs/benchmarks.md")
    args = p.parse_args(argv)
    snapdir = args.folder / "snapshots" if (args.folder / "snapshots").is_dir() else args.folder
    first, again = [], []
    load_before = load_average()
    with smtp_server() as (inbox, port):
        for i in range(args.runs):
            a, b = one_run(snapdir, args.readers, port, inbox.messages)  # type: ignore[arg-type]
            first.append(a)
            again.append(b)
            print(f"run {i + 1}: first publish {a:.1f} s, second (nothing owed) {b:.1f} s")
    s1, s2 = summarise(first), summarise(again)
    verdict = "meets" if s1.max < TARGET_SECONDS else "misses"
    lines = [
        "## Publishing: 20 readers",
        "",
        f"Measured by `python -m bench.publish` on {datetime.now():%Y-%m-%d %H:%M} "
        f"(load average {load_before}); each run a fresh `python -m reassess publish` process "
        f"for {args.readers} readers over the roles on the demo's latest snapshot (34 snapshots), "
        "delivering over SMTP to a loopback server, with no delivery record or alert state.",
        "",
        "| run | median (IQR, min, max) |",
        "|---|---|",
        f"| first publish, {args.readers} messages | {fmt(s1)} |",
        f"| second publish, nothing owed | {fmt(s2)} |",
        "",
        f"The slowest first publish {verdict} the {TARGET_SECONDS:.0f} s target ({s1.max:.1f} s).",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{text}\n{END}"
        if BEGIN in doc:
            doc = doc[: doc.index(BEGIN)] + block + doc[doc.index(END) + len(END) :]
        else:
            at = doc.index("<!-- load:begin -->")
            doc = doc[:at] + block + "\n\n" + doc[at:]
        DOC.write_text(doc, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
