"""What one benchmark run measured, and the machine it ran on."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

from bench.domain import DomainTiming
from bench.measure import Stats
from bench.pages import PageTiming
from bench.queries import QueryTiming
from bench.rollup import RollupTiming
from bench.scale import ScaleBuild
from bench.server import MemoryRun


@dataclass
class ScaleResult:
    """Everything measured at one scale."""

    build: ScaleBuild
    listing: Stats | None = None  # list_snapshots with the manifest cache cleared (a restart)
    pages: list[PageTiming] = field(default_factory=list)
    queries: list[QueryTiming] = field(default_factory=list)
    domain: DomainTiming | None = None
    memory: MemoryRun | None = None
    memory_error: str | None = None
    load: tuple[float, float] | None = None  # 1-minute load average before and after

    @property
    def factor(self) -> int:
        return self.build.factor


@dataclass
class BenchResults:
    """One run of `python -m bench`."""

    machine: dict[str, str]
    started: datetime
    quick: bool
    runs: int
    big_runs: int
    scales: list[ScaleResult] = field(default_factory=list)
    demo: Stats | None = None  # the whole 1x demo build (34 weeks), seconds
    domain_worst: DomainTiming | None = None  # the forecast far from done (1x, early snapshot)
    rollup: RollupTiming | None = None
    elapsed_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def scale(self, factor: int) -> ScaleResult | None:
        return next((s for s in self.scales if s.factor == factor), None)


def load_average() -> float:
    """The 1-minute load average (runnable processes), 0.0 where /proc/loadavg is missing."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def machine_info() -> dict[str, str]:
    """nproc, memory, CPU model, OS and the versions that matter to the figures."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    try:
        nproc = str(len(os.sched_getaffinity(0)))
    except AttributeError:
        nproc = str(os.cpu_count())
    info = {
        "CPU": cpu,
        "nproc": nproc,
        "Memory": mem,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
    }
    for package in ("streamlit", "duckdb", "pandas", "numpy", "plotly", "playwright"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = "not installed"
    return info
