"""`lighthouse-iac plan`: the main offline job."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lighthouse_iac.cli import main
from lighthouse_iac.config import load_stack
from lighthouse_iac.plan import build_plan

from ..engine import FIXTURE

STACKS = ["contoso", "tailspin", "wingtip"]


@pytest.mark.parametrize("stack", STACKS)
def test_plan_lists_every_resource_and_authorization(
    stack: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(FIXTURE / "stacks")  # the project is found from a subfolder too
    assert main(["plan", stack]) == 0
    out = capsys.readouterr().out
    plan = build_plan(load_stack(FIXTURE, stack))
    resources = list(plan.resources())
    for r in resources:
        guid = r.inputs().get("registrationDefinitionId") or r.inputs()["registrationAssignmentId"]
        assert any(r.scope in line and guid in line for line in out.splitlines()), r.name
    for offer in plan.offers:
        for g in offer.grants:
            kind = "eligible" if g.eligible else "permanent"
            assert any(
                line.split()[:2] == [kind, g.principal_name] and g.role_name in line
                for line in out.splitlines()
            ), (g.principal_name, g.role_name)
    definitions = sum(1 for r in resources if r.type.endswith("Definition"))
    assignments = len(resources) - definitions
    assert out.rstrip().endswith(
        f"{len(resources)} resources: {definitions} registration definition{'s' * (definitions != 1)}, "
        f"{assignments} registration assignment{'s' * (assignments != 1)}"
    )


def test_plan_text_for_contoso(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(FIXTURE), "plan", "contoso"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [
        "Customer Contoso Ltd (stack contoso)",
        "  customer tenant  04ed3da6-576c-42d4-a174-871685bd0d9f",
        "  managing tenant  d980ba46-0ced-44e9-ba1f-fe956db47fe4 (Fabrikam Managed Cloud)",
        "  onboarded by     5dde286d-9c8b-4c91-90fd-4c74c67dd1d0 (user, Member; Owner)",
    ]
    uaa = next(line for line in lines if "User Access Administrator" in line).split()
    assert uaa[:2] == ["permanent", "msp-platform"]
    assert " ".join(uaa).endswith("may assign: Monitoring Contributor, Virtual Machine Contributor")
    eligible = next(line for line in lines if line.strip().startswith("eligible"))
    assert eligible.split()[:3] == ["eligible", "msp-oncall", "(group)"]
    assert " ".join(eligible.split()[3:]) == "Contributor up to PT4H, MFA, approvers: msp-approvers"


def test_plan_json_carries_the_exact_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(FIXTURE), "plan", "wingtip", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    plan = build_plan(load_stack(FIXTURE, "wingtip"))
    assert [r["inputs"] for o in data["offers"] for r in o["resources"]] == [
        r.inputs() for r in plan.resources()
    ]
    assert data["offers"][0]["access"][0] == {
        "principal": "msp-readers",
        "principalId": "4e7f79e9-a1ed-4b80-b106-32a7434ec1a4",
        "kind": "group",
        "role": "Reader",
        "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "roleSource": "built-in",
        "eligible": False,
    }


def test_console_script_runs_without_traceback() -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "lighthouse_iac", "plan", "nobody"],
        cwd=FIXTURE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert bad.stderr.startswith("stacks/Pulumi.nobody.yaml: no stack file for customer 'nobody'")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan"]) == 2
    assert "the following arguments are required: customer" in capsys.readouterr().err
    assert main(["--help"]) == 0


def test_a_closed_pipe_ends_quietly() -> None:
    """`lighthouse-iac plan tailspin | head -1`: no BrokenPipeError traceback, SIGPIPE's exit code."""
    reader = subprocess.Popen([sys.executable, "-c", "pass"], stdin=subprocess.PIPE)
    reader.wait()  # the read end is closed before the plan writes anything
    assert reader.stdin is not None
    writer = subprocess.run(
        [sys.executable, "-m", "lighthouse_iac", "plan", "tailspin"],
        cwd=FIXTURE,
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    reader.stdin.close()
    assert writer.stderr == ""
    assert writer.returncode == 141
