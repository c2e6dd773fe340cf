"""The command line's targets (issue 17): validate and report against the YAML parse, report's peak memory on
a large fleet, and how long `--help` and `plan` take as fresh processes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import fleet
from .measure import Sample, run_command

# (command, customers, at most this many times the bare YAML parse of the same files)
RATIO_TARGETS = (("validate", 1000, 2.5), ("validate", 100, 3.0), ("report", 1000, 3.5))
MEMORY_COMMAND = ["-m", "lighthouse_iac", "report", "--format", "json"]
MEMORY_MB = 600.0  # report's peak at the memory fleet's size (10,000 customers by default)
STARTUP_SECONDS = 0.25
STARTUP_FLEET = 100  # customers in the project `plan` runs in: it reads the project and one stack

YAML_FLOOR = (
    "import pathlib, yaml\n"
    "for p in [pathlib.Path('Pulumi.yaml'), *sorted(pathlib.Path('stacks').glob('Pulumi.*.yaml'))]:\n"
    "    yaml.load(p.read_text(), Loader=yaml.CSafeLoader)\n"
)


@dataclass
class Startup:
    """Best wall time of each command as a fresh process, and of an interpreter that does nothing."""

    floor: Sample
    commands: dict[str, Sample] = field(default_factory=dict)


@dataclass
class Memory:
    customers: int
    floor: Sample
    report: Sample


def startup_commands(customer: str) -> dict[str, list[str]]:
    return {
        "lighthouse-iac --help": ["-m", "lighthouse_iac", "--help"],
        "lighthouse-iac plan <customer>": ["-m", "lighthouse_iac", "plan", customer],
    }


def bench_startup(workdir: Path, rounds: int) -> Startup:
    """`--help` and `plan` interleaved with `python -c pass`, round after round; best of each.

    Run as themselves, not under bench.peak, so that nothing is imported before them.
    """
    dest = workdir / "startup"
    files = fleet.write_fleet(dest, STARTUP_FLEET)
    customer = files[0].name[len("Pulumi.") : -len(".yaml")]
    commands = {"python -c pass": ["-c", "pass"], **startup_commands(customer)}
    best: dict[str, Sample] = {}
    for _ in range(rounds):
        for name, argv in commands.items():
            sample = run_command(argv, dest, 1, peak=False)
            if sample.returncode != 0:
                raise SystemExit(f"{name} exited {sample.returncode}")
            if name not in best or sample.seconds < best[name].seconds:
                best[name] = sample
    return Startup(best.pop("python -c pass"), best)


def bench_memory(workdir: Path, customers: int, rounds: int) -> Memory:
    """Peak memory (and wall time) of `report --format json` on a large fleet, with the parse beside it."""
    dest = workdir / f"memory-{customers}"
    fleet.write_fleet(dest, customers)
    floor = report = None
    for _ in range(rounds):
        a = run_command(["-c", YAML_FLOOR], dest, 1)
        b = run_command(MEMORY_COMMAND, dest, 1)
        if b.returncode != 0:
            raise SystemExit(f"report on {customers} customers exited {b.returncode}")
        floor = a if floor is None or a.seconds < floor.seconds else floor
        report = b if report is None or b.seconds < report.seconds else report
    assert floor is not None and report is not None
    return Memory(customers, floor, report)


def checks(
    ratios: Mapping[tuple[str, int], float], memory: Memory | None, startup: Startup | None
) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each CLI target the run measured; `ratios` by (command, customers)."""
    out: list[tuple[str, str, bool]] = []
    for command, customers, bound in RATIO_TARGETS:
        if (command, customers) in ratios:
            ratio = ratios[command, customers]
            name = "report --format json" if command == "report" else command
            out.append(
                (
                    f"{name} on {customers} customers at most {bound}x the YAML parse",
                    f"{ratio:.2f}x",
                    ratio <= bound,
                )
            )
    if memory is not None:
        mb = memory.report.peak_mb
        out.append(
            (
                f"report --format json on {memory.customers} customers: peak memory under {MEMORY_MB:.0f} MB",
                f"{mb:.0f} MB",
                mb < MEMORY_MB,
            )
        )
    if startup is not None:
        for name, sample in startup.commands.items():
            out.append(
                (
                    f"`{name}` under {STARTUP_SECONDS} s",
                    f"{sample.seconds:.3f} s",
                    sample.seconds < STARTUP_SECONDS,
                )
            )
    return out


def render(memory: Memory | None, startup: Startup | None) -> list[str]:
    """The sections on report's memory and on start-up (Markdown lines)."""
    lines: list[str] = []
    if memory is not None:
        m = memory
        lines += [
            "",
            f"## Report on {m.customers} customers",
            "",
            "`report --format json` on a synthetic fleet as above, its peak memory the process's own",
            "high-water mark (VmHWM) as it exits; beside it the bare parse of the same files.",
            "",
            "| command | wall (s) | CPU (s) | peak MB |",
            "| --- | ---: | ---: | ---: |",
            f"| YAML parse (floor) | {m.floor.seconds:.2f} | {m.floor.cpu_seconds:.2f} | "
            f"{m.floor.peak_mb:.0f} |",
            f"| report --format json | {m.report.seconds:.2f} | {m.report.cpu_seconds:.2f} | "
            f"{m.report.peak_mb:.0f} |",
        ]
    if startup is not None:
        lines += [
            "",
            "## Start-up",
            "",
            "Each command as a fresh process (`python -m lighthouse_iac ...`, nothing imported before it),",
            f"in a project of {STARTUP_FLEET} synthetic customers; best of interleaved rounds with an",
            "interpreter that does nothing (`python -c pass`: the part no command can save).",
            "",
            "| command | wall (s) | CPU (s) |",
            "| --- | ---: | ---: |",
            f"| python -c pass | {startup.floor.seconds:.3f} | {startup.floor.cpu_seconds:.3f} |",
        ]
        lines += [
            f"| {name} | {s.seconds:.3f} | {s.cpu_seconds:.3f} |" for name, s in startup.commands.items()
        ]
    return lines
