"""The benchmark at its smallest size, so that it keeps working (timings are reported, never asserted)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bench import audit as audit_bench
from bench import fleet
from bench.__main__ import main
from lighthouse_iac.config import load_project
from lighthouse_iac.plan import build_plan


def test_generated_fleet_is_valid_and_as_described(tmp_path: Path) -> None:
    files = fleet.write_fleet(tmp_path, 12)
    assert [f.name for f in files] == [f"Pulumi.customer-{i:04d}.yaml" for i in range(12)]
    project = load_project(tmp_path)
    plans = [build_plan(project.stack(f.name[len("Pulumi.") : -len(".yaml")])) for f in files]
    offers = [o for p in plans for o in p.offers]
    assert all(1 <= len(p.offers) <= 3 for p in plans)
    assert any(a.resource_group for o in offers for a in o.assignments)
    assert all(any(g.eligible for g in o.grants) for o in offers)
    assert len({p.config.customer.tenant_id for p in plans}) == 12


def test_fleet_generation_is_deterministic(tmp_path: Path) -> None:
    a = [f.read_text() for f in fleet.write_fleet(tmp_path / "a", 3, seed=7)]
    b = [f.read_text() for f in fleet.write_fleet(tmp_path / "b", 3, seed=7)]
    assert a == b
    names = ["team-000", "team-001", "team-002", "team-003", "team-004", "team-005"]
    assert fleet.customer(1, random.Random(1), names, subscriptions=10)["lighthouse-iac:offers"][0]["scopes"][
        9
    ]


@pytest.mark.slow
def test_benchmark_runs_at_the_smallest_size(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--sizes", "10", "--subscriptions", "1", "--repeat", "1", "--analyze-calls", "50"]
    assert main([*argv, "--memory-size", "10", "--startup-rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Benchmarks\n")
    rows = [line for line in out.splitlines() if line.startswith("| 10 |")]
    assert [r.split("|")[2].strip() for r in rows][:2] == ["YAML parse (floor)", "validate"]
    assert "| 1 |" in out  # the program row for one subscription
    assert "- Analyze: " in out
    # The command line's targets, each with a verdict: report's peak memory, and --help and plan.
    targets = [line for line in out.splitlines() if line.startswith("| report --format json on 10 customers")]
    assert targets and targets[0].endswith(("| met |", "| **missed** |"))
    assert "| `lighthouse-iac --help` under 0.25 s |" in out
    assert "| `lighthouse-iac plan <customer>` under 0.25 s |" in out
    assert "## Report on 10 customers" in out
    assert "| python -c pass |" in out


def test_the_audit_benchmark_runs_at_a_small_size(tmp_path: Path) -> None:
    target = tmp_path / "BENCHMARKS.md"
    target.write_text("# Benchmarks\n\nother sections stay\n")
    assert audit_bench.main(["--customers", "5", "--concurrency", "2", "--write", str(target)]) == 0
    text = target.read_text()
    assert text.startswith("# Benchmarks\n\nother sections stay\n")
    assert text.count(audit_bench.BEGIN) == 1
    row = next(line for line in text.splitlines() if line.startswith("| 2 |"))
    assert row.split("|")[5].strip() == "0"  # no findings: deployed as declared
    # Run again: the section is replaced, not appended.
    assert audit_bench.main(["--customers", "5", "--concurrency", "2", "--write", str(target)]) == 0
    assert target.read_text().count(audit_bench.BEGIN) == 1


ROOT = Path(__file__).resolve().parent.parent


def _test_commands(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if "-m pytest" in line and not line.startswith("#")]


def test_ci_runs_the_slow_tests_once_with_the_readme_command() -> None:
    """CI runs the README's test command, which deselects nothing: the slow tests run there, and once."""
    readme = _test_commands((ROOT / "README.md").read_text())
    ci = _test_commands((ROOT / ".ci" / "run").read_text())
    assert ci == readme[:1], "CI runs the README's test command, once"
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    for command in [ci[0].split("-m pytest", 1)[1], options["addopts"]]:
        assert not re.search(r"(^|\s)(-m|-k|--deselect|--ignore)\b", command), command
    assert any(m.startswith("slow:") for m in options["markers"])
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-m", "slow", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    slow = [line for line in listed if "::" in line]
    assert slow.count("tests/test_bench.py::test_benchmark_runs_at_the_smallest_size") == 1, listed
    assert len(slow) == len(set(slow)), "a slow test collected twice runs twice"
