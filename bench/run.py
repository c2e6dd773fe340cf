"""The measurements of BENCHMARKS.md: fleet commands, the program under the mock engine, the policy pack."""

from __future__ import annotations

import compileall
import random
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from lighthouse_iac.cli.commands import COMMANDS
from tests.engine import run_program

from . import fleet
from .cli import YAML_FLOOR, Memory, Startup, bench_memory, bench_startup
from .measure import Sample, run_command, time_call
from .pack import PackRun, bench_packs, signed_in

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class FleetRow:
    customers: int
    floor: Sample
    commands: dict[str, Sample] = field(default_factory=dict)


@dataclass
class Results:
    fleet: list[FleetRow] = field(default_factory=list)
    program: list[tuple[int, int, float]] = field(default_factory=list)
    """(subscriptions, resources registered, seconds per stack run)."""
    pack: PackRun | None = None
    memory: Memory | None = None
    startup: Startup | None = None
    seconds: float = 0.0
    """How long the whole run took (wall clock): BENCHMARKS.md says it instead of guessing."""


FLEET_COMMANDS = {
    "validate": ["validate", "--format", "json"],
    "report": ["report", "--format", "json"],
}


def _available_commands() -> dict[str, list[str]]:
    return {k: v for k, v in FLEET_COMMANDS.items() if k in COMMANDS}


def bench_fleet(sizes: list[int], workdir: Path, repeat: int) -> list[FleetRow]:
    """Floor and commands interleaved, round after round, so that they see the same machine; best of each.

    Small fleets get more rounds: their time is mostly start-up, and the marginal cost per customer
    between sizes is a difference of two times, which noise in either distorts.
    """
    rows = []
    commands = {"floor": ["-c", YAML_FLOOR]} | {
        name: ["-m", "lighthouse_iac", *argv] for name, argv in _available_commands().items()
    }
    for size in sizes:
        dest = workdir / f"fleet-{size}"
        fleet.write_fleet(dest, size)
        best: dict[str, Sample] = {}
        for _ in range(repeat if size >= 1000 else max(repeat, 10)):
            for name, argv in commands.items():
                sample = run_command(argv, dest, 1)
                if sample.returncode != 0:
                    raise SystemExit(f"{name} on {size} customers exited {sample.returncode}")
                if name not in best or sample.seconds < best[name].seconds:
                    best[name] = sample
        floor = best.pop("floor")
        rows.append(FleetRow(size, floor, best))
    return rows


def bench_program(subscriptions: list[int], repeat: int) -> list[tuple[int, int, float]]:
    """One offer over `subscriptions` subscriptions (some as resource groups), run as `pulumi up` would."""
    tenant = fleet.directory(300)
    names = sorted(p for p in tenant["principals"] if p != "msp-offboarding")
    out = []
    for subs in subscriptions:
        config = fleet.customer(subs, random.Random(subs), names, subscriptions=subs, offers_count=1)
        values = fleet.engine_config(config, tenant)
        program = partial(run_program, f"bench-{subs}", client=signed_in(config), config=values)
        registered = sum(1 for r in program().resources if r.custom)
        out.append((subs, registered, time_call(program, repeat)))
    return out


def run(
    sizes: list[int],
    subscriptions: list[int],
    repeat: int,
    analyze_calls: int,
    *,
    memory_size: int = 0,
    startup_rounds: int = 0,
) -> Results:
    """Every benchmark; `memory_size` 0 skips report's peak on a large fleet, `startup_rounds` 0 start-up."""
    results = Results()
    start = time.perf_counter()
    # As installed: an environment with PYTHONDONTWRITEBYTECODE would have each command compile the
    # package from source every time, and measure the compiler rather than the command.
    compileall.compile_dir(ROOT / "lighthouse_iac", quiet=1)
    with tempfile.TemporaryDirectory(prefix="lighthouse-bench-") as tmp:
        if startup_rounds:
            results.startup = bench_startup(Path(tmp), startup_rounds)
        results.fleet = bench_fleet(sizes, Path(tmp), repeat)
        if memory_size:
            results.memory = bench_memory(Path(tmp), memory_size, 1)
    results.program = bench_program(subscriptions, max(repeat, 5))
    results.pack = bench_packs(analyze_calls)
    results.seconds = time.perf_counter() - start
    return results
