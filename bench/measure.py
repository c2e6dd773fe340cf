"""Wall time and peak memory of commands and of code run in this process."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float
    returncode: int = 0


def run_command(argv: Sequence[str], cwd: Path, repeat: int = 3) -> Sample:
    """Best-of-`repeat` wall time of a child process, and its peak resident memory (from wait4)."""
    best: Sample | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        if child.stderr is not None:
            child.stderr.close()
        child.returncode = os.waitstatus_to_exitcode(status)
        sample = Sample(elapsed, usage.ru_maxrss / 1024, child.returncode)  # ru_maxrss is in KiB on Linux
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
