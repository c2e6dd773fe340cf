"""`python -m bench`: run the benchmarks and (with --write) regenerate BENCHMARKS.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .audit import keep_section
from .report import checks, render
from .run import run

COMMAND = "python -m bench --write BENCHMARKS.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="10,100,1000", help="fleet sizes (customers), comma-separated")
    parser.add_argument(
        "--subscriptions", default="1,5,10,20", help="subscriptions per stack for the program"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="interleaved rounds (ten for fleets under 1,000)"
    )
    parser.add_argument("--analyze-calls", type=int, default=3000)
    parser.add_argument(
        "--memory-size", type=int, default=10_000, help="customers for report's peak memory (0: skip)"
    )
    parser.add_argument(
        "--startup-rounds",
        type=int,
        default=10,
        help="rounds of --help and plan as fresh processes (0: skip)",
    )
    parser.add_argument("--write", type=Path, help="write the report here (BENCHMARKS.md)")
    args = parser.parse_args(argv)
    results = run(
        [int(s) for s in args.sizes.split(",")],
        [int(s) for s in args.subscriptions.split(",")],
        args.repeat,
        args.analyze_calls,
        memory_size=args.memory_size,
        startup_rounds=args.startup_rounds,
    )
    text = render(results, COMMAND)
    if args.write:
        # The audit's section is measured apart (python -m bench.audit); keep it.
        previous = args.write.read_text() if args.write.exists() else ""
        args.write.write_text(keep_section(previous, text))
    print(text)
    missed = [target for target, _, ok in checks(results) if not ok]
    if missed:
        print("missed: " + "; ".join(missed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
