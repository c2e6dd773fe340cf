"""BENCHMARKS.md from a run's results: the method, the machine, the table, and the targets."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from .run import Results

TARGETS = {
    "validate_ratio": 3.0,  # x the bare YAML parse, at 1,000 customers
    "validate_mb": 300.0,
    "linear": 1.5,  # marginal time per customer at 1,000 vs at 100
    "program_ms": 50.0,  # per customer stack of 10 subscriptions
    "pack_startup": 0.5,
    "analyze_per_second": 1000.0,
}


def _machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, {os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def checks(results: Results) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each target the run could measure."""
    out: list[tuple[str, str, bool]] = []
    by_size = {row.customers: row for row in results.fleet}
    largest = max(by_size) if by_size else 0
    if largest and "validate" in by_size[largest].commands:
        row = by_size[largest]
        ratio = row.commands["validate"].seconds / row.floor.seconds
        out.append(
            (
                f"validate on {largest} customers at most {TARGETS['validate_ratio']:.0f}x the YAML parse",
                f"{ratio:.2f}x",
                ratio <= TARGETS["validate_ratio"],
            )
        )
        mb = row.commands["validate"].peak_mb
        out.append(
            (
                f"validate on {largest} customers under {TARGETS['validate_mb']:.0f} MB",
                f"{mb:.0f} MB",
                mb < TARGETS["validate_mb"],
            )
        )
    if {10, 100, 1000} <= by_size.keys():
        for name in by_size[1000].commands:
            t10, t100, t1000 = (by_size[n].commands[name].seconds for n in (10, 100, 1000))
            at100, at1000 = (t100 - t10) / 90, (t1000 - t100) / 900
            growth = at1000 / at100
            out.append(
                (
                    f"{name}: marginal time per customer at 1,000 within {TARGETS['linear']}x of at 100",
                    f"{at1000 * 1000:.2f} ms vs {at100 * 1000:.2f} ms ({growth:.2f}x)",
                    growth <= TARGETS["linear"],
                )
            )
    for subs, seconds in results.program:
        if subs == 10:
            out.append(
                (
                    f"program under the mock engine under {TARGETS['program_ms']:.0f} ms per stack of 10 "
                    "subscriptions",
                    f"{seconds * 1000:.1f} ms",
                    seconds * 1000 < TARGETS["program_ms"],
                )
            )
    if results.analyze_calls:
        out.append(
            (
                f"policy pack start-up under {TARGETS['pack_startup']} s",
                f"{results.pack_startup:.3f} s",
                results.pack_startup < TARGETS["pack_startup"],
            )
        )
        out.append(
            (
                f"policy pack over {TARGETS['analyze_per_second']:.0f} Analyze calls per second",
                f"{results.analyze_per_second:.0f}/s",
                results.analyze_per_second > TARGETS["analyze_per_second"],
            )
        )
    return out


def render(results: Results, command: str) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Regenerate with `{command}` (about two minutes). Not a timed test: CI runs the smallest size only,",
        "to keep the benchmark working.",
        "",
        f"Machine: {_machine()}.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {target} | {measured} | {_verdict(ok)} |" for target, measured, ok in checks(results)]
    lines += [
        "",
        "## Fleet commands",
        "",
        "Synthetic fleets from `bench/fleet.py` (1-3 offers, 1-4 subscriptions, some as resource",
        "groups, permanent and eligible authorizations from a directory of 300 groups), written as real",
        "stack files. Each command runs as its own process (`python -m lighthouse_iac ...`), best of",
        "three; the floor is a process that only parses the same files with PyYAML's C loader. Peak",
        "memory is the process's maximum resident set (wait4).",
        "",
        "| customers | command | wall (s) | x YAML parse | ms per customer | peak MB |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in results.fleet:
        lines.append(
            f"| {row.customers} | YAML parse (floor) | {row.floor.seconds:.3f} | 1.00 | "
            f"{row.floor.seconds / row.customers * 1000:.2f} | {row.floor.peak_mb:.0f} |"
        )
        for name, sample in row.commands.items():
            lines.append(
                f"| {row.customers} | {name} | {sample.seconds:.3f} | "
                f"{sample.seconds / row.floor.seconds:.2f} | {sample.seconds / row.customers * 1000:.2f} | "
                f"{sample.peak_mb:.0f} |"
            )
    lines += [
        "",
        "## The Pulumi program under the mock engine",
        "",
        "The real `__main__.py` for one synthetic customer with the given number of subscriptions, run",
        "in-process under the SDK's mock engine (`tests/engine.py`); median of repeated runs after a",
        "warm-up run.",
        "",
        "| subscriptions | ms per stack |",
        "| ---: | ---: |",
    ]
    lines += [f"| {subs} | {seconds * 1000:.1f} |" for subs, seconds in results.program]
    if results.analyze_calls:
        lines += [
            "",
            "## The policy pack over the analyzer protocol",
            "",
            "Started as the engine starts it (`python -u -m pulumi.policy <addr> .` in `policies/`), timed",
            "from process start to the port line (best of three); then `Analyze` calls over gRPC, one at a",
            f"time as the engine sends them: {results.analyze_calls} calls over a 10-subscription customer's",
            "resources.",
            "",
            f"- start-up: {results.pack_startup:.3f} s",
            f"- Analyze: {results.analyze_per_second:.0f} calls per second",
        ]
    return "\n".join(lines) + "\n"
