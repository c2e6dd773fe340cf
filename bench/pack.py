"""The policy pack over the analyzer protocol, against what the SDK itself costs.

Three packs run side by side, each started as the engine starts one (`python -u -m pulumi.policy <addr> .`
in the pack's folder, the stack's config in the environment): ours; a pack of as many policies that do
nothing (what pulumi-policy spends per call for that many policies: the floor a pack of one policy per
rule can reach without changing the SDK); and a pack of one policy that does nothing (the SDK's ceiling).
The packs take turns, round after round, so that they see the same machine; each keeps its best round.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.engine import Client, Registered, run_program
from tests.policies.analyzer import Pack, started_pack

from . import fleet

OURS, NOOP, ONE = "lighthouse-iac", "no-op, as many policies", "no-op, one policy"
RESOURCE, STACK = 1, 2  # analyzer_pb2.PolicyType: POLICY_TYPE_RESOURCE, POLICY_TYPE_STACK
ROUNDS = 5

NOOP_PACK = """\
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy, StackValidationPolicy


def nothing(args, report_violation):
    pass


PolicyPack(
    name="noop",
    policies=[
        ResourceValidationPolicy(name=f"noop-resource-{{i}}", description="does nothing", validate=nothing)
        for i in range({resource})
    ]
    + [
        StackValidationPolicy(name=f"noop-stack-{{i}}", description="does nothing", validate=nothing)
        for i in range({stack})
    ],
    enforcement_level=EnforcementLevel.MANDATORY,
)
"""


@dataclass
class PackRun:
    startup: float = 0.0
    """Our pack: process start to the port line, best of three."""
    calls: int = 0
    """Analyze calls per pack, over all rounds."""
    resources: int = 0
    kinds: str = ""
    policies: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Each pack's (resource policies, stack policies)."""
    rates: dict[str, float] = field(default_factory=dict)
    """Each pack's Analyze calls per second, its best round."""


def signed_in(config: dict[str, Any]) -> Client:
    """The customer's onboarding identity, signed in to its tenant: the program's deployer check passes."""
    return Client(
        config["lighthouse-iac:customer"]["tenantId"], config["lighthouse-iac:onboarding"]["objectId"]
    )


def resources() -> tuple[dict[str, str], list[Registered]]:
    """A 10-subscription customer's engine config and its registered resources, as the program sends
    them: registration definitions (several authorizations, eligible ones with approvers), assignments."""
    tenant = fleet.directory(300)
    names = sorted(p for p in tenant["principals"] if p != "msp-offboarding")
    config = fleet.customer(1, random.Random(1), names, subscriptions=10)
    values = fleet.engine_config(config, tenant)
    registered = run_program("bench-pack", client=signed_in(config), config=values).resources
    return values, [r for r in registered if r.custom]


def _counts(pack: Pack) -> tuple[int, int]:
    types = [p.policy_type for p in pack.info().policies]
    return types.count(RESOURCE), types.count(STACK)


def _noop_pack(folder: Path, resource: int, stack: int) -> Path:
    folder.mkdir()
    (folder / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (folder / "__main__.py").write_text(NOOP_PACK.format(resource=resource, stack=stack))
    return folder


def _round(pack: Pack, registered: list[Registered], calls: int) -> float:
    start = time.perf_counter()
    for i in range(calls):
        pack.analyze(registered[i % len(registered)])
    return calls / (time.perf_counter() - start)


def bench_packs(calls: int) -> PackRun:
    """`calls` Analyze calls for each pack, in ROUNDS interleaved rounds."""
    values, registered = resources()
    result = PackRun(calls=calls, resources=len(registered))
    result.kinds = ", ".join(
        f"{sum(1 for r in registered if r.type == t)} {t.rsplit(':', 1)[-1]}"
        for t in sorted({r.type for r in registered})
    )
    startups = []
    for _ in range(3):
        with started_pack("bench-pack", values) as pack:
            startups.append(pack.startup_seconds)
    result.startup = min(startups)
    with tempfile.TemporaryDirectory(prefix="lighthouse-bench-pack-") as tmp, ExitStack() as stack:
        ours = stack.enter_context(started_pack("bench-pack", values))
        resource, stacked = _counts(ours)
        packs = {
            OURS: ours,
            NOOP: stack.enter_context(
                started_pack("bench-pack", values, _noop_pack(Path(tmp) / "noop", resource, stacked))
            ),
            ONE: stack.enter_context(started_pack("bench-pack", values, _noop_pack(Path(tmp) / "one", 1, 0))),
        }
        per_round = max(1, calls // ROUNDS)
        for name, pack in packs.items():
            result.policies[name] = _counts(pack)
            pack.configure()
            _round(pack, registered, len(registered))  # warm up
        for _ in range(ROUNDS):
            for name, pack in packs.items():
                rate = _round(pack, registered, per_round)
                result.rates[name] = max(rate, result.rates.get(name, 0.0))
    return result


def render(run: PackRun) -> list[str]:
    """The section of BENCHMARKS.md."""
    ours = run.rates[OURS]
    lines = [
        "",
        "## The policy pack over the analyzer protocol",
        "",
        "Started as the engine starts it (`python -u -m pulumi.policy <addr> .` in `policies/`), timed",
        "from process start to the port line (best of three). Then `Analyze` calls over gRPC, one at a",
        "time as the engine sends them, over a 10-subscription customer's resources (definitions of",
        "several authorizations, eligible ones among them, and their assignments), to three packs that",
        "take turns in the same run (`bench/pack.py`): ours; a pack of as many policies that do nothing",
        "(what pulumi-policy itself spends per call for that many policies); and a pack of one policy that",
        f"does nothing (the SDK's ceiling). {run.calls} calls per pack in {ROUNDS} rounds, each pack's best",
        f"round; the resources: {run.kinds}.",
        "",
        f"- start-up: {run.startup:.3f} s",
        f"- Analyze: {ours:.0f} calls per second",
        "",
        "| pack | resource policies | stack policies | Analyze calls per second | ours / this pack |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, rate in run.rates.items():
        resource, stack = run.policies[name]
        lines.append(f"| {name} | {resource} | {stack} | {rate:.0f} | {ours / rate:.2f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.pack`: this section alone, printed (the whole report: `python -m bench`)."""
    parser = argparse.ArgumentParser(prog="python -m bench.pack", description=main.__doc__)
    parser.add_argument("--calls", type=int, default=3000, help="Analyze calls per pack")
    print("\n".join(render(bench_packs(parser.parse_args(argv).calls))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
