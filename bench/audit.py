"""`python -m bench.audit`: the live audit of a large fleet against the local fake ARM, with request counts.

A fleet of synthetic customers (bench/fleet.py), every delegation deployed as declared
(tests/audit/azure_state.py), served by tests/audit/fake_arm.py over TLS on 127.0.0.1; the real Azure SDK
clients read it at several concurrencies. `--write BENCHMARKS.md` replaces the audit section only.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lighthouse_iac.audit import live
from lighthouse_iac.audit.compare import compare
from lighthouse_iac.audit.declared import declared_fleet
from lighthouse_iac.fleet import load_fleet
from tests.audit.azure_state import deployed
from tests.audit.fake_arm import ArmData, fake_arm
from tests.audit.scenario import StaticToken

from . import fleet

BEGIN, END = "<!-- audit benchmark -->", "<!-- /audit benchmark -->"
TARGET_SECONDS = 60.0


@dataclass(frozen=True)
class AuditRow:
    concurrency: int
    seconds: float
    requests: int
    findings: int


def bench(customers: int, concurrencies: list[int], page_size: int) -> tuple[int, int, list[AuditRow]]:
    """(subscriptions, assignments, one row per concurrency) for a fleet of `customers`."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "fleet"
        fleet.write_fleet(root, customers, principals=60)
        loaded = load_fleet(root).require_valid()
        declared, names, tenants = declared_fleet(loaded)
        state = deployed(loaded)
        subscriptions = len(state.subscriptions)
        assignments = sum(len(v) for v in state.assignments.values())
        rows = []
        for concurrency in concurrencies:
            data = ArmData(
                subscriptions=state.subscriptions, assignments=state.assignments, page_size=page_size
            )
            with fake_arm(data, Path(folder)) as (base, ca):
                started = time.perf_counter()
                observed = live.collect(
                    StaticToken(), tenants, live.endpoint(override=base), concurrency, ca_bundle=str(ca)
                )
                result = compare(declared, observed, names, tenants)
                seconds = time.perf_counter() - started
            assert not observed.errors, observed.errors[:3]
            rows.append(AuditRow(concurrency, seconds, observed.requests, len(result.findings)))
    return subscriptions, assignments, rows


def render(customers: int, page_size: int, subscriptions: int, assignments: int, rows: list[AuditRow]) -> str:
    best = min(r.seconds for r in rows)
    lines = [
        BEGIN,
        "## Audit (live mode against the local fake ARM)",
        "",
        f"Regenerate with `python -m bench.audit --write BENCHMARKS.md`. {customers} synthetic customers, "
        f"{subscriptions - 1} customer subscriptions delegated to the managing tenant (and one of the MSP's "
        f"own, which the audit skips), {assignments} registration assignments, every one deployed as "
        "declared. `lighthouse_iac.audit.live` with the real SDK clients reads them from "
        f"`tests/audit/fake_arm.py` (TLS on 127.0.0.1, {page_size} items per page, the fake on the same "
        "two cores), then compares. Requests are counted by the client's transport.",
        "",
        f"Target: under {TARGET_SECONDS:.0f} s with bounded concurrency, requests linear in subscriptions: "
        f"**{'met' if best < TARGET_SECONDS else 'missed'}** ({best:.1f} s at best).",
        "",
        "| concurrency | wall (s) | HTTP requests | requests per subscription | findings |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r.concurrency} | {r.seconds:.1f} | {r.requests} | {r.requests / (subscriptions - 1):.3f} "
        f"| {r.findings} |"
        for r in rows
    ]
    lines += [
        "",
        "Requests: one page of `GET /subscriptions` per "
        f"{page_size} subscriptions, then one `GET .../registrationAssignments` per delegated customer "
        "subscription (each holds fewer assignments than a page): linear in subscriptions. Against Azure, "
        "wall time is bounded by ARM's latency and its read throttling (per identity and tenant); "
        "`--concurrency` bounds the requests in flight. Here more concurrency does not help: the fake "
        "and the client share two cores, so the run is CPU-bound (TLS, JSON, the SDK's models).",
        END,
    ]
    return "\n".join(lines) + "\n"


def replace_section(document: str, section: str) -> str:
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)
    if pattern.search(document):
        return pattern.sub(lambda _: section, document)
    return document.rstrip("\n") + "\n\n" + section


def keep_section(previous: str, regenerated: str) -> str:
    """`regenerated` (the other benchmarks) with the audit section of `previous`, if it had one."""
    found = re.search(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", previous, re.DOTALL)
    return replace_section(regenerated, found.group(0)) if found else regenerated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.audit", description=__doc__)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--concurrency", default="4,8,16", help="comma-separated")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--write", type=Path, help="replace the audit section of this file (BENCHMARKS.md)")
    args = parser.parse_args(argv)
    levels = [int(c) for c in args.concurrency.split(",")]
    subscriptions, assignments, rows = bench(args.customers, levels, args.page_size)
    section = render(args.customers, args.page_size, subscriptions, assignments, rows)
    if args.write:
        existing = args.write.read_text() if args.write.exists() else ""
        args.write.write_text(replace_section(existing, section))
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
