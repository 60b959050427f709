"""Command line: python -m reassess {ingest, demo, snapshots, status, scenario, briefing, publish, audit}.

One module per command, each with a `register(sub)` that adds its parser; `main` runs one.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from reassess.config import ConfigError

COMMANDS = (
    "ingest",
    "demo",
    "snapshots",
    "status",
    "scenario",
    "briefing",
    "publish",
    "audit",
)
"""The command modules under reassess/cli/, in the order `--help` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    from importlib import import_module

    parser = argparse.ArgumentParser(
        prog="python -m reassess",
        description="reassess: progress dashboard for the review (data folder: $REASSESS_DATA_DIR, default ./data)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        import_module(f"reassess.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; user errors are printed without a traceback."""
    args = build_parser().parse_args(argv)
    try:
        code = int(args.handler(args))
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, RuntimeError) as exc:
        if os.environ.get("REASSESS_DEBUG"):
            raise
        print(
            f"error: {type(exc).__name__}: {exc}\n(set REASSESS_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing partial was kept", file=sys.stderr)
        return 130
