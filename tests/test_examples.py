"""The customers in `stacks/`, whichever they are: an MSP replaces the examples with its own.

Tests that assert a known fleet use the fixture project (`tests/fixture`); these take what `stacks/` holds
and check only what must hold of any customer: it plans, validates clean, exports, and the program
registers exactly its plan when its own onboarding identity deploys it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest

from lighthouse_iac.arm.export import export_files
from lighthouse_iac.cli import main
from lighthouse_iac.config import load_stack
from lighthouse_iac.csp import admin_agents, non_csp_subscriptions
from lighthouse_iac.plan import build_plan

from .engine import ROOT, Client, Registered, deployer, run_program

STACKS = sorted(
    p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in (ROOT / "stacks").glob("Pulumi.*.yaml")
)


@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_plans(stack: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(ROOT), "plan", stack, "--format", "json"]) == 0
    planned = json.loads(capsys.readouterr().out)
    assert planned["stack"] == stack
    assert all(offer["resources"] for offer in planned["offers"]), (
        f"stack {stack}: an offer without resources"
    )


# The one advisory a customer cannot clear: a CSP customer's Admin Agents keep Owner through AOBO, and the
# reviewer is told so once per CSP customer (docs/rules/lighthouse-csp-aobo-access.md). Nothing else.
AOBO = "[lighthouse-csp-aobo-access]"
CSP_STACKS = [s for s in STACKS if load_stack(ROOT, s).config.csp is not None]


@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_validates_clean(stack: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["-C", str(ROOT), "validate", stack])
    out = capsys.readouterr().out
    if stack not in CSP_STACKS:
        assert (code, out.splitlines()[-1]) == (0, "1 stack checked, 0 mandatory violations, 0 advisories"), (
            out
        )
        return
    assert (code, out.splitlines()[-1]) == (0, "1 stack checked, 0 mandatory violations, 1 advisory"), out
    assert [line for line in out.splitlines()[:-1] if line.strip()] == [
        line for line in out.splitlines() if line.endswith(AOBO)
    ], out


def test_the_fleet_validates_clean(capsys: pytest.CaptureFixture[str]) -> None:
    # Whatever is in `stacks/`, together: the rules that span customers see all of them at once.
    code = main(["-C", str(ROOT), "validate"])
    out = capsys.readouterr().out
    assert code == 0, out
    advisories = len(CSP_STACKS)
    assert out.endswith(
        f" mandatory violations, {advisories} " + ("advisory" if advisories == 1 else "advisories") + "\n"
    ), out
    assert sum(1 for line in out.splitlines() if line.endswith(AOBO)) == advisories, out
    assert " 0 mandatory violations" in out, out


@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_exports(stack: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(ROOT), "export", stack, "-o", str(tmp_path)]) == 0
    capsys.readouterr()
    expected = export_files(build_plan(load_stack(ROOT, stack)))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(expected)
    for name, text in expected.items():
        assert (tmp_path / name).read_bytes() == text


@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_runs_as_its_onboarding_identity(stack: str) -> None:
    config = load_stack(ROOT, stack).config
    client = deployer(config)  # its onboarding identity, or for a CSP-only customer an Admin Agent
    run = run_program(stack, client=client, project_dir=ROOT)
    planned = {(r.type, r.name): r.inputs() for r in build_plan(load_stack(ROOT, stack)).resources()}
    registered = {(r.type, r.name): r.inputs for r in run.resources if r.custom}
    assert registered == planned
    assert all(r.protect for r in run.resources if r.custom)


def _agents() -> list[str]:
    return sorted(admin_agents(load_stack(ROOT, STACKS[0]).config.managing_tenant)) if STACKS else []


@pytest.mark.skipif(not _agents(), reason="the project declares no Admin Agent (not a CSP partner)")
@pytest.mark.parametrize("stack", STACKS)
def test_an_admin_agent_deploys_csp_customers_and_is_refused_elsewhere(stack: str) -> None:
    config = load_stack(ROOT, stack).config
    agent = Client(config.customer.tenant_id, _agents()[0])  # signed in to the customer's tenant (AOBO)
    if config.csp is not None and not non_csp_subscriptions(config):
        run = run_program(stack, client=agent, project_dir=ROOT)
        assert any(r.type == "azure-native:managedservices:RegistrationAssignment" for r in run.resources)
        return
    registered: list[Registered] = []
    with pytest.raises(pulumi.RunError) as raised:
        run_program(stack, client=agent, project_dir=ROOT, into=registered)
    assert [r for r in registered if r.custom] == []
    reason = "has no subscriptions created through CSP" if config.csp is None else "Not created through CSP"
    assert reason in str(raised.value)
