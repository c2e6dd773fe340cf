"""Wall time and peak memory of commands and of code run in this process."""

from __future__ import annotations

import os
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


def run_command(argv: Sequence[str], cwd: Path, repeat: int = 3) -> Sample:
    """Best-of-`repeat` wall time of a child Python process, and its peak resident memory.

    `argv` is what follows `python`: `-m MODULE ARGS...` or `-c CODE`. The child runs under bench.peak,
    which records its own high-water mark (see there why not wait4's ru_maxrss).
    """
    best: Sample | None = None
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "peak"
        for _ in range(repeat):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "bench.peak", str(out), *argv],
                cwd=cwd,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            elapsed = time.perf_counter() - start
            sample = Sample(elapsed, int(out.read_text()) / 1024, done.returncode)
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
