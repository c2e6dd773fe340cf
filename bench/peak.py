"""`python -m bench.peak OUT -m MODULE ARGS...` or `... OUT -c CODE`: run, then write the peak memory to OUT.

A child's ru_maxrss from wait4 counts the pages it shared with its parent before exec, so a small
command started by a large benchmark process looks as large as the benchmark. VmHWM in /proc/self/status
is the high-water mark of this process's own address space.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def peak_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    out, mode, target, *rest = sys.argv[1:]
    code = 0
    try:
        if mode == "-m":
            sys.argv = [target, *rest]
            runpy.run_module(target, run_name="__main__", alter_sys=True)
        else:
            exec(compile(target, "<bench>", "exec"), {"__name__": "__main__"})
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        Path(out).write_text(str(peak_kib()))
    sys.exit(code)


if __name__ == "__main__":
    main()
