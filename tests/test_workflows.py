"""The GitHub Actions workflows: actionlint, the commands they run, and the shape of the pipeline."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from lighthouse_iac.cli import _parser

from .engine import ROOT
from .report.scratch import commit, edit, fleet_repo, git

WORKFLOWS = ROOT / ".github" / "workflows"

# Flags of the Pulumi CLI commands the pipeline runs (pulumi.com/docs/iac/cli/commands/pulumi_preview,
# pulumi_up, pulumi_refresh, pulumi_stack_select, pulumi_login); a typo here would only fail in CI.
PULUMI_FLAGS = {
    "login": set(),
    "stack select": {"--create"},
    "preview": {
        "--policy-pack",
        "--policy-pack-config",
        "--diff",
        "--non-interactive",
        "--expect-no-changes",
    },
    "up": {"--yes", "--policy-pack", "--policy-pack-config", "--diff", "--non-interactive"},
    "refresh": {"--preview-only", "--expect-no-changes", "--diff", "--non-interactive"},
}


def _load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    if True in data:  # YAML 1.1 reads a bare `on` as true
        data["on"] = data.pop(True)
    return data


def _scripts() -> list[tuple[str, str]]:
    found = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for job in _load(path.name)["jobs"].values():
            found += [(path.name, step["run"]) for step in job.get("steps", []) if "run" in step]
    return found


def _commands(program: str) -> list[tuple[str, list[str]]]:
    """Every invocation of `program` in a run script, as argument lists (shell variables as placeholders)."""
    calls = []
    for name, script in _scripts():
        for line in script.splitlines():
            match = re.search(rf"(?:^|[\s(/]){re.escape(program)}\s+(.*)", line)
            if not match or line.lstrip().startswith("#"):
                continue
            text = match.group(1).split(")")[0].split("|")[0].split(">")[0]
            text = text.replace('"${config[@]}"', "").replace("${PULUMI_ORG:+$PULUMI_ORG/}", "")
            calls.append((name, [re.sub(r"\$\{?\w+\}?", "VALUE", t) for t in shlex.split(text)]))
    return calls


def test_actionlint_passes() -> None:
    binary = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if binary is None:
        pytest.skip("needs actionlint (pip install -e '.[dev]' installs it)")
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 4
    done = subprocess.run([binary, "-no-color", *files], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_lighthouse_iac_command_in_the_workflows_exists() -> None:
    calls = _commands("lighthouse-iac")
    assert {args[0] for _, args in calls} == {"changed-stacks", "validate", "report", "plan", "whoami"}
    parser = _parser()
    for name, args in calls:
        try:
            parser.parse_args(args)
        except SystemExit:
            pytest.fail(f"{name}: lighthouse-iac {' '.join(args)} is not a valid command line")


def test_every_pulumi_command_uses_known_flags() -> None:
    calls = _commands("pulumi")
    seen = set()
    for name, args in calls:
        command = " ".join(args[:2]) if args[0] == "stack" else args[0]
        seen.add(command)
        assert command in PULUMI_FLAGS, f"{name}: pulumi {command}"
        flags = {a for a in args if a.startswith("-")}
        assert flags <= PULUMI_FLAGS[command], f"{name}: pulumi {' '.join(args)}"
    assert seen == set(PULUMI_FLAGS)


def _stack_steps() -> str:
    return "\n".join(step.get("run", "") for step in _load("stack.yml")["jobs"]["pulumi"]["steps"])


def test_the_stack_workflow_runs_each_operation_with_the_policy_pack() -> None:
    flow = _load("stack.yml")
    job = flow["jobs"]["pulumi"]
    assert job["environment"] == "${{ inputs.environment }}"
    assert job["concurrency"] == {"group": "pulumi-${{ inputs.stack }}", "cancel-in-progress": False}
    assert flow["permissions"]["id-token"] == "write"  # GitHub's OIDC token for the customer's tenant
    assert job["env"]["ARM_USE_OIDC"] == "true"
    by_operation = {step["if"]: step["run"] for step in job["steps"] if "if" in step}
    assert "pulumi preview --policy-pack policies" in by_operation["inputs.operation == 'preview'"]
    assert "pulumi up --yes --policy-pack policies" in by_operation["inputs.operation == 'up'"]
    assert "pulumi refresh --preview-only" in by_operation["inputs.operation == 'drift'"]
    assert "(--policy-pack-config policy-config.json)" in _stack_steps()
    assert 'pulumi stack select --create "${PULUMI_ORG:+$PULUMI_ORG/}$STACK"' in _stack_steps()
    assert 'pulumi login "$PULUMI_BACKEND_URL"' in _stack_steps()


def test_the_identity_is_checked_live_before_each_preview_and_update() -> None:
    steps = _load("stack.yml")["jobs"]["pulumi"]["steps"]
    names = [step.get("run", "") for step in steps]
    [whoami] = [i for i, run in enumerate(names) if "lighthouse-iac whoami" in run]
    assert steps[whoami]["run"] == '.venv/bin/lighthouse-iac whoami "$STACK"'
    assert steps[whoami]["if"] == "inputs.operation == 'preview' || inputs.operation == 'up'"
    # The same tenant and subscription as the Pulumi steps, so the same sign-in.
    assert steps[whoami]["env"] == {
        "ARM_TENANT_ID": "${{ steps.customer.outputs.tenant }}",
        "ARM_SUBSCRIPTION_ID": "${{ steps.customer.outputs.subscription }}",
    }
    pulumi = [i for i, run in enumerate(names) if re.search(r"^pulumi (preview|up) ", run, re.MULTILINE)]
    assert len(pulumi) == 2
    assert all(whoami < i for i in pulumi)
    # Never skipped by the pipeline: the skip is for air-gapped previews run by hand.
    texts = [
        (WORKFLOWS / name).read_text()
        for name in ("stack.yml", "pull-request.yml", "deploy.yml", "drift.yml")
    ]
    assert not any("LIGHTHOUSE_IAC_SKIP_IDENTITY_CHECK" in text for text in texts)


def test_pull_requests_preview_the_touched_stacks_and_upload_sarif() -> None:
    flow = _load("pull-request.yml")
    assert flow["on"] == {"pull_request": {"branches": ["main"]}}
    jobs = flow["jobs"]
    assert '--base "origin/$BASE_REF"' in jobs["changes"]["steps"][-1]["run"]
    upload = next(s for s in jobs["validate"]["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "lighthouse.sarif"
    assert jobs["validate"]["permissions"]["security-events"] == "write"
    preview = jobs["preview"]
    assert preview["uses"] == "./.github/workflows/stack.yml"
    assert preview["with"]["operation"] == "preview"
    assert preview["strategy"]["matrix"]["stack"] == "${{ fromJSON(needs.changes.outputs.stacks) }}"
    assert "validate" in preview["needs"]
    diff = "\n".join(s.get("run", "") for s in jobs["access-diff"]["steps"])
    assert 'report --diff "$BASE" --format md' in diff
    script = next(s for s in jobs["access-diff"]["steps"] if "github-script" in s.get("uses", ""))
    assert "<!-- lighthouse-iac access diff -->" in script["with"]["script"]


def test_merges_deploy_each_touched_stack_behind_its_environment() -> None:
    flow = _load("deploy.yml")
    assert flow["on"]["push"] == {"branches": ["main"]}
    deploy = flow["jobs"]["deploy"]
    assert deploy["with"] == {
        "stack": "${{ matrix.stack }}",
        "operation": "up",
        "environment": "${{ matrix.stack }}",
    }
    assert deploy["strategy"]["max-parallel"] == 4
    assert deploy["strategy"]["fail-fast"] is False
    assert flow["concurrency"] == {"group": "deploy", "cancel-in-progress": False}
    assert "removed" in flow["jobs"]


def test_drift_is_checked_on_a_schedule_for_every_stack() -> None:
    flow = _load("drift.yml")
    assert flow["on"]["schedule"][0]["cron"]
    assert "changed-stacks --all" in flow["jobs"]["stacks"]["steps"][-1]["run"]
    assert flow["jobs"]["drift"]["with"]["operation"] == "drift"


# --- the shell steps that build the matrix, run for real ----------------------------------------------


def _step(workflow: str, job: str, name: str) -> str:
    steps = _load(workflow)["jobs"][job]["steps"]
    script: str = next(s["run"] for s in steps if s.get("name") == name)
    return script


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A clone of a scratch fleet, as actions/checkout leaves it: `origin/main` and a `.venv` with the CLI."""
    if shutil.which("jq") is None or shutil.which("bash") is None:
        pytest.skip("needs bash and jq (both on GitHub's runners)")
    origin = fleet_repo(tmp_path)
    work = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    cli = work / ".venv" / "bin" / "lighthouse-iac"
    cli.parent.mkdir(parents=True)
    cli.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m lighthouse_iac "$@"\n')
    cli.chmod(0o755)
    (work / ".git" / "info" / "exclude").write_text(".venv/\n")
    return work


def _run_step(work: Path, script: str, **env: str) -> tuple[int, dict[str, str], str]:
    output = work.parent / "github-output"
    output.write_text("")
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ["PATH"], "GITHUB_OUTPUT": str(output), **env},
    )
    values = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return done.returncode, values, done.stdout + done.stderr


def test_the_pull_request_matrix_step(checkout: Path) -> None:
    edit(checkout / "stacks" / "Pulumi.contoso.yaml", "role: Monitoring Contributor", "role: Reader")
    (checkout / "stacks" / "Pulumi.wingtip.yaml").unlink()
    script = _step("pull-request.yml", "changes", "lighthouse-iac changed-stacks")
    code, outputs, log = _run_step(checkout, script, BASE_REF="main")
    assert code == 0, log
    assert outputs == {"stacks": '["contoso"]', "removed": '["wingtip"]'}


@pytest.mark.parametrize(
    ("requested", "expected"),
    [("contoso", '["contoso"]'), ("all", '["contoso","tailspin","wingtip"]'), ("", '["tailspin"]')],
    ids=["one-stack-by-hand", "all-by-hand", "after-a-push"],
)
def test_the_deploy_matrix_step(checkout: Path, requested: str, expected: str) -> None:
    before = git(checkout, "rev-parse", "HEAD").strip()
    edit(checkout / "stacks" / "Pulumi.tailspin.yaml", "maximumActivation: PT2H", "maximumActivation: PT1H")
    commit(checkout, "tailspin: shorter activation")
    script = _step("deploy.yml", "changes", "lighthouse-iac changed-stacks")
    code, outputs, log = _run_step(checkout, script, BEFORE=before, REQUESTED=requested)
    assert code == 0, log
    assert outputs == {"stacks": expected, "removed": "[]"}


def test_the_deploy_step_refuses_an_unknown_stack(checkout: Path) -> None:
    script = _step("deploy.yml", "changes", "lighthouse-iac changed-stacks")
    code, outputs, log = _run_step(checkout, script, BEFORE="", REQUESTED="northwind")
    assert code == 1
    assert "::error::no stack file stacks/Pulumi.northwind.yaml" in log
    assert outputs == {}


# --- the base branch decides the settings and role catalogues (docs/security.md) ------------------------


def _base_settings(checkout: Path, settings: dict[str, Any]) -> None:
    """The base branch (the clone's origin/main) gets these policy settings."""
    origin = checkout.parent / "fleet"
    (origin / "policy-config.json").write_text(json.dumps(settings))
    commit(origin, "policy settings")
    git(checkout, "fetch", "-q", "origin")


DELETE_ROLE = (
    "        - principal: msp-offboarding\n"
    "          role: Managed Services Registration assignment Delete Role\n"
)


def test_the_validate_step_judges_with_the_base_branch_settings(checkout: Path) -> None:
    _base_settings(checkout, {"lighthouse-registration-delete-role": "mandatory"})
    # The pull request drops the delete role and, in the same change, disables the rule that wants it.
    edit(checkout / "stacks" / "Pulumi.contoso.yaml", DELETE_ROLE, "")
    (checkout / "policy-config.json").write_text(
        json.dumps({"lighthouse-registration-delete-role": "disabled"})
    )
    script = _step("pull-request.yml", "validate", "lighthouse-iac validate")
    code, _, log = _run_step(checkout, script, BASE_REF="main")
    assert code == 1, log
    assert "Policy settings and role catalogues from origin/main, not from this pull request" in log
    assert "policy settings from origin/main:policy-config.json" in log
    sarif = json.loads((checkout / "lighthouse.sarif").read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"lighthouse-registration-delete-role"}


def test_the_access_diff_step_reads_the_base_branch_settings(checkout: Path) -> None:
    _base_settings(checkout, {"lighthouse-registration-delete-role": "mandatory"})
    edit(checkout / "stacks" / "Pulumi.contoso.yaml", DELETE_ROLE, "")
    (checkout / "policy-config.json").write_text(
        json.dumps({"lighthouse-registration-delete-role": "disabled"})
    )
    script = _step("pull-request.yml", "access-diff", "lighthouse-iac report --diff")
    summary = checkout.parent / "summary.md"
    code, _, log = _run_step(
        checkout,
        script,
        BASE="origin/main",
        RUNNER_TEMP=str(checkout.parent),
        GITHUB_STEP_SUMMARY=str(summary),
    )
    assert code == 0, log
    verdicts = json.loads((checkout / "access-diff.json").read_text())["verdicts"]
    assert [(v["rule"], v["level"]) for v in verdicts] == [
        ("lighthouse-registration-delete-role", "mandatory")
    ]


def test_the_preview_takes_settings_and_catalogues_from_the_base_branch(checkout: Path) -> None:
    origin = checkout.parent / "fleet"
    (origin / "catalogues").mkdir()
    (origin / "catalogues" / "newer.json").write_text(
        '[{"id": "0b6d3c2e-1f4a-4c5b-9d8e-7f6a5b4c3d2e", "name": "N"}]'
    )
    _base_settings(checkout, {"lighthouse-display-name": "disabled"})
    # The pull request changes the catalogue, the settings, and points roleCatalogues at it.
    (checkout / "catalogues").mkdir()
    (checkout / "catalogues" / "newer.json").write_text("[]")
    (checkout / "policy-config.json").write_text('{"all": "disabled"}')
    (checkout / "plan.json").write_text(json.dumps({"roleCatalogues": ["catalogues/newer.json"]}))
    script = _step("stack.yml", "pulumi", "Policy settings and role catalogues from the base branch")
    code, _, log = _run_step(checkout, script, TRUSTED_REF="main")
    assert code == 0, log
    assert json.loads((checkout / "policy-config.json").read_text()) == {
        "lighthouse-display-name": "disabled"
    }
    assert (checkout / "catalogues" / "newer.json").read_text() == (
        origin / "catalogues" / "newer.json"
    ).read_text()


@pytest.mark.parametrize(
    ("listed", "message"),
    [
        ("catalogues/only-here.json", "::error::role catalogue catalogues/only-here.json is not on main"),
        ("../outside.json", "::error::role catalogue ../outside.json is not on main"),
    ],
    ids=["not-on-the-base", "outside-the-checkout"],
)
def test_the_preview_refuses_a_catalogue_the_base_branch_lacks(
    checkout: Path, listed: str, message: str
) -> None:
    (checkout / "plan.json").write_text(json.dumps({"roleCatalogues": [listed]}))
    script = _step("stack.yml", "pulumi", "Policy settings and role catalogues from the base branch")
    code, _, log = _run_step(checkout, script, TRUSTED_REF="main")
    assert code == 1
    assert message in log
    assert not (checkout.parent / "outside.json").exists()


def test_the_validate_step_fails_a_removal_without_offboarding(checkout: Path) -> None:
    edit(checkout / "stacks" / "Pulumi.tailspin.yaml", "[rg-web-prod, rg-data-prod]", "[rg-web-prod]")
    script = _step("pull-request.yml", "validate", "lighthouse-iac validate")
    code, _, log = _run_step(checkout, script, BASE_REF="main")
    assert code == 1, log
    sarif = json.loads((checkout / "lighthouse.sarif").read_text())
    [result] = sarif["runs"][0]["results"]
    assert result["ruleId"] == "lighthouse-offboard-first"
    assert "resource group rg-data-prod" in result["message"]["text"]
