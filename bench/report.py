"""BENCHMARKS.md from a run's results: the method, the machine, the table, and the targets."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from . import cli, pack
from .notes import NOTES
from .run import Results

TARGETS = {
    "validate_mb": 300.0,
    "linear": 1.5,  # marginal time per customer at 1,000 vs at 100
    "program_ms": 50.0,  # per customer stack of 10 subscriptions
    "pack_startup": 0.5,
    "analyze_per_second": 600.0,  # issue 17: one policy per rule, each with its own level and settings
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
    ratios = {
        (name, row.customers): sample.seconds / row.floor.seconds
        for row in results.fleet
        for name, sample in row.commands.items()
    }
    out += cli.checks(ratios, results.memory, results.startup)
    if largest and "validate" in by_size[largest].commands:
        row = by_size[largest]
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
    for subs, _, seconds in results.program:
        if subs == 10:
            out.append(
                (
                    f"program under the mock engine under {TARGETS['program_ms']:.0f} ms per stack of 10 "
                    "subscriptions",
                    f"{seconds * 1000:.1f} ms",
                    seconds * 1000 < TARGETS["program_ms"],
                )
            )
    if results.pack is not None:
        out.append(
            (
                f"policy pack start-up under {TARGETS['pack_startup']} s",
                f"{results.pack.startup:.3f} s",
                results.pack.startup < TARGETS["pack_startup"],
            )
        )
        rate = results.pack.rates[pack.OURS]
        out.append(
            (
                f"policy pack at least {TARGETS['analyze_per_second']:.0f} Analyze calls per second",
                f"{rate:.0f}/s",
                rate >= TARGETS["analyze_per_second"],
            )
        )
    return out


def duration(seconds: float) -> str:
    """`48 s`, `7 min 5 s`: how long a run took, as measured."""
    whole = round(seconds)
    return f"{whole} s" if whole < 60 else f"{whole // 60} min {whole % 60} s"


def render(results: Results, command: str) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Regenerate with `{command}`; the run that wrote this file took {duration(results.seconds)}. Not a",
        "timed test: CI runs the smallest size only, to keep the benchmark working.",
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
        "several rounds in which the floor and the commands take turns (ten rounds for the small fleets);",
        "the floor is a process that only parses the same files with PyYAML's C loader. Peak",
        "memory is the process's own high-water mark (VmHWM, read by `bench/peak.py` as it exits). The",
        "targets are judged on wall time; CPU time (user and system, of the fastest round) is less",
        "disturbed by whatever else runs on the machine, and its ratio is shown beside.",
        "",
        "| customers | command | wall (s) | x YAML parse | CPU (s) | CPU x parse | ms per customer "
        "| peak MB |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results.fleet:
        f = row.floor
        lines.append(
            f"| {row.customers} | YAML parse (floor) | {f.seconds:.3f} | 1.00 | {f.cpu_seconds:.3f} | 1.00 | "
            f"{f.seconds / row.customers * 1000:.2f} | {f.peak_mb:.0f} |"
        )
        for name, sample in row.commands.items():
            cpu_ratio = sample.cpu_seconds / f.cpu_seconds if f.cpu_seconds else 0.0
            lines.append(
                f"| {row.customers} | {name} | {sample.seconds:.3f} | {sample.seconds / f.seconds:.2f} | "
                f"{sample.cpu_seconds:.3f} | {cpu_ratio:.2f} | {sample.seconds / row.customers * 1000:.2f} | "
                f"{sample.peak_mb:.0f} |"
            )
    lines += cli.render(results.memory, results.startup)
    lines += [
        "",
        "## The Pulumi program under the mock engine",
        "",
        "The real `__main__.py` for one synthetic customer, one offer over the given number of",
        "subscriptions (some delegated as resource groups), run in-process under the SDK's mock engine",
        "(`tests/engine.py`); median of repeated runs after a warm-up run.",
        "",
        "| subscriptions | resources | ms per stack | ms per resource |",
        "| ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {subs} | {count} | {seconds * 1000:.1f} | {seconds * 1000 / count:.1f} |"
        for subs, count, seconds in results.program
    ]
    if results.pack is not None:
        lines += pack.render(results.pack)
    lines += NOTES
    return "\n".join(lines) + "\n"
