"""Wall time and peak memory of commands and of code run in this process."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float
    returncode: int = 0
    cpu_seconds: float = 0.0
    """User and system CPU time of the child: less disturbed than wall time by others on the machine."""


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(argv: Sequence[str], cwd: Path, repeat: int = 3, *, peak: bool = True) -> Sample:
    """Best-of-`repeat` wall time of a child Python process, and its peak resident memory.

    `argv` is what follows `python`: `-m MODULE ARGS...` or `-c CODE`. The child runs under bench.peak,
    which records its own high-water mark (see there why not wait4's ru_maxrss); with `peak=False` it
    runs as itself (start-up times: nothing else imported first), and its peak is not known (0).
    """
    best: Sample | None = None
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "peak"
        for _ in range(repeat):
            wrapper = ["-m", "bench.peak", str(out)] if peak else []
            cpu = _cpu_of_children()
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, *wrapper, *argv],
                cwd=cwd,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            elapsed = time.perf_counter() - start
            peak_mb = int(out.read_text()) / 1024 if peak else 0.0
            sample = Sample(elapsed, peak_mb, done.returncode, _cpu_of_children() - cpu)
            if best is None or sample.seconds < best.seconds:
                best = sample
    assert best is not None
    return best


def time_call(func: Callable[[], object], repeat: int) -> float:
    """Median seconds of one call of `func` over `repeat` calls (after one warm-up call)."""
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
