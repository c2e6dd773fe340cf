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
            text = text.replace('"$SHARDS"', "8")  # a number where the CLI parses one
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
    assert {args[0] for _, args in calls} == {
        "changed-stacks",
        "validate",
        "report",
        "plan",
        "whoami",
        "audit",
    }
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
    inputs = set(flow["on"]["workflow_call"]["inputs"])
    assert inputs == {"stacks", "shard", "operation", "environment", "trusted-ref"}
    assert flow["permissions"]["id-token"] == "write"  # GitHub's OIDC token for the customer's tenant
    assert job["env"]["ARM_USE_OIDC"] == "true"
    assert job["env"]["AZURE_CLIENT_IDS"] == "${{ vars.AZURE_CLIENT_IDS }}"
    steps = _stack_steps()
    assert "pulumi preview --policy-pack policies" in steps
    assert "pulumi up --yes --policy-pack policies" in steps
    assert "pulumi refresh --preview-only --expect-no-changes" in steps
    assert "(--policy-pack-config policy-config.json)" in steps
    assert 'pulumi stack select --create "${PULUMI_ORG:+$PULUMI_ORG/}$1"' in steps
    assert 'pulumi login "$PULUMI_BACKEND_URL"' in steps


def test_the_identity_is_checked_live_before_each_preview_and_update() -> None:
    script = _step("stack.yml", "pulumi", "Each stack of the shard in turn, with its own credential")
    lines = [line.strip() for line in script.splitlines()]
    whoami = lines.index('.venv/bin/lighthouse-iac whoami "$stack" || refused=1')
    assert lines[whoami - 1] == 'if [ "$OPERATION" != drift ]; then'  # preview and up
    # The same tenant, subscription and client as the Pulumi commands, so the same sign-in.
    exported = lines.index('export ARM_CLIENT_ID="$client" ARM_TENANT_ID ARM_SUBSCRIPTION_ID')
    assert exported < whoami < lines.index('run_stack "$stack" || result=failed')
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
    assert preview["with"]["stacks"] == "${{ toJSON(matrix.shard.stacks) }}"
    assert preview["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.changes.outputs.shards) }}"
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
        "stacks": "${{ toJSON(matrix.shard.stacks) }}",
        "shard": "${{ matrix.shard.name }}",
        "operation": "up",
        "environment": "lighthouse-deploy",
    }
    assert deploy["strategy"]["max-parallel"] == 4
    assert deploy["strategy"]["fail-fast"] is False
    assert flow["concurrency"] == {"group": "deploy", "cancel-in-progress": False}
    assert "removed" in flow["jobs"]


def test_drift_is_audited_nightly_as_one_identity_and_refreshed_on_request() -> None:
    flow = _load("drift.yml")
    assert flow["on"]["schedule"][0]["cron"]
    audit = flow["jobs"]["audit"]
    assert audit["permissions"] == {"contents": "read", "id-token": "write", "issues": "write"}
    assert "uses" not in audit  # no per-customer workflow: one job, one identity
    login = next(s for s in audit["steps"] if s.get("uses", "").startswith("azure/login@"))
    assert login["with"]["allow-no-subscriptions"] is True
    script = next(s for s in audit["steps"] if "github-script" in s.get("uses", ""))["with"]["script"]
    assert "<!-- lighthouse-iac audit -->" in script and "lighthouse-audit" in script
    assert "changed-stacks --all --shards" in flow["jobs"]["stacks"]["steps"][-1]["run"]
    assert flow["jobs"]["stacks"]["if"] == "inputs.refresh || vars.LIGHTHOUSE_NIGHTLY_REFRESH == 'true'"
    assert flow["jobs"]["refresh"]["with"]["operation"] == "drift"


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
    code, outputs, log = _run_step(checkout, script, BASE_REF="main", SHARDS="8")
    assert code == 0, log
    assert outputs == {
        "stacks": '["contoso"]',
        "shards": '[{"name":"1 of 1","stacks":["contoso"]}]',
        "removed": '["wingtip"]',
    }


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
    code, outputs, log = _run_step(checkout, script, BEFORE=before, REQUESTED=requested, SHARDS="2")
    assert code == 0, log
    assert outputs["stacks"] == expected and outputs["removed"] == "[]"
    shards = json.loads(outputs["shards"])
    assert [s for shard in shards for s in shard["stacks"]] == json.loads(expected)
    assert len(shards) == min(2, len(json.loads(expected)))


def test_the_deploy_step_refuses_an_unknown_stack(checkout: Path) -> None:
    script = _step("deploy.yml", "changes", "lighthouse-iac changed-stacks")
    code, outputs, log = _run_step(checkout, script, BEFORE="", REQUESTED="northwind", SHARDS="8")
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


def test_the_shard_lists_the_catalogues_of_its_stacks(checkout: Path) -> None:
    script = _step("stack.yml", "pulumi", "The role catalogues the shard's stacks name")
    code, _, log = _run_step(checkout, script, STACKS='["contoso", "wingtip"]')
    assert code == 0, log
    assert set(json.loads((checkout / "plan.json").read_text())) == {"roleCatalogues"}


# --- shards: each stack of a shard in turn, with its own credential -------------------------------------

FAKE_PULUMI = """#!/bin/bash
# Records each call with the credential it would use; `preview` fails for the stack named in FAIL_STACK.
echo "$* client=$ARM_CLIENT_ID tenant=$ARM_TENANT_ID subscription=$ARM_SUBSCRIPTION_ID" >> "$PULUMI_LOG"
if [ "$1" = stack ]; then echo "${@: -1}" > "$PULUMI_LOG.selected"; fi
if [ "$1" = preview ] && [ "$(cat "$PULUMI_LOG.selected")" = "$FAIL_STACK" ]; then exit 255; fi
exit 0
"""


def _fake_whoami(checkout: Path) -> None:
    """whoami asks Azure: here it records its call and refuses the stack named in REFUSE; the rest is real."""
    (checkout / ".venv" / "bin" / "lighthouse-iac").write_text(
        '#!/bin/sh\nif [ "$1" = whoami ]; then\n'
        '  echo "whoami $2 client=$ARM_CLIENT_ID" >> "$PULUMI_LOG"; [ "$2" != "$REFUSE" ]; exit $?\nfi\n'
        f'exec "{sys.executable}" -m lighthouse_iac "$@"\n'
    )


def _fake_pulumi(checkout: Path) -> Path:
    bin_dir = checkout.parent / "bin"
    bin_dir.mkdir()
    (bin_dir / "pulumi").write_text(FAKE_PULUMI)
    (bin_dir / "pulumi").chmod(0o755)
    return bin_dir


def test_a_refused_identity_skips_pulumi_for_its_stack(checkout: Path) -> None:
    _fake_whoami(checkout)
    log, summary = checkout.parent / "pulumi.log", checkout.parent / "summary.md"
    script = _step("stack.yml", "pulumi", "Each stack of the shard in turn, with its own credential")
    code, _, output = _run_step(
        checkout,
        script,
        PATH=f"{_fake_pulumi(checkout)}:{os.environ['PATH']}",
        STACKS='["contoso", "wingtip"]',
        SHARD="1 of 1",
        OPERATION="up",
        AZURE_CLIENT_IDS='{"contoso": "app-contoso", "wingtip": "app-wingtip"}',
        REFUSE="contoso",
        PULUMI_LOG=str(log),
        GITHUB_STEP_SUMMARY=str(summary),
    )
    assert code == 1, output
    assert [c.split(" client=")[0] for c in log.read_text().splitlines()] == [
        "whoami contoso",
        "whoami wingtip",
        "stack select --create wingtip",
        "up --yes --policy-pack policies --diff --non-interactive",
    ]
    assert "| `contoso` | identity refused (whoami) |" in summary.read_text()


def test_the_shard_step_runs_each_stack_with_its_own_credential(checkout: Path) -> None:
    bin_dir = _fake_pulumi(checkout)
    log, summary = checkout.parent / "pulumi.log", checkout.parent / "summary.md"
    _fake_whoami(checkout)
    script = _step("stack.yml", "pulumi", "Each stack of the shard in turn, with its own credential")
    code, _, output = _run_step(
        checkout,
        script,
        PATH=f"{bin_dir}:{os.environ['PATH']}",
        STACKS='[\n  "contoso",\n  "tailspin",\n  "wingtip"\n]',  # as toJSON() writes it
        SHARD="1 of 1",
        OPERATION="preview",
        AZURE_CLIENT_IDS='{"contoso": "app-contoso", "tailspin": "app-tailspin"}',
        FAIL_STACK="tailspin",
        PULUMI_LOG=str(log),
        GITHUB_STEP_SUMMARY=str(summary),
    )
    assert code == 1, output  # tailspin failed and wingtip had no credential; both after contoso ran
    calls = log.read_text().splitlines()
    assert [c.split(" client=")[0] for c in calls] == [
        "whoami contoso",
        "stack select --create contoso",
        "preview --policy-pack policies --diff --non-interactive",
        "whoami tailspin",
        "stack select --create tailspin",
        "preview --policy-pack policies --diff --non-interactive",
    ]
    assert all("client=app-contoso" in c for c in calls[:3])
    assert all("client=app-tailspin" in c for c in calls[3:])
    assert calls[1].split("tenant=")[1].split()[0] != calls[4].split("tenant=")[1].split()[0]
    table = summary.read_text()
    assert "| `contoso` | ok |" in table
    assert "| `tailspin` | failed |" in table
    assert "| `wingtip` | no credential |" in table
    assert "::error::wingtip: AZURE_CLIENT_IDS of this environment has no client ID for it" in output


def test_the_audit_step_publishes_the_report_whatever_the_exit_code(checkout: Path) -> None:
    stub = checkout / ".venv" / "bin" / "lighthouse-iac"
    stub.write_text('#!/bin/sh\necho "<!-- lighthouse-iac audit -->" > audit.md\nexit 1\n')
    summary = checkout.parent / "summary.md"
    script = _step("drift.yml", "audit", "lighthouse-iac audit")
    code, outputs, log = _run_step(checkout, script, GITHUB_STEP_SUMMARY=str(summary))
    assert code == 0, log
    assert outputs == {"code": "1"}
    assert summary.read_text().startswith("<!-- lighthouse-iac audit -->")


def test_the_refresh_matrix_step_emits_shards(checkout: Path) -> None:
    script = _step("drift.yml", "stacks", "lighthouse-iac changed-stacks --all")
    code, outputs, log = _run_step(checkout, script, SHARDS="2")
    assert code == 0, log
    assert json.loads(outputs["shards"]) == [
        {"name": "1 of 2", "stacks": ["contoso", "tailspin"]},
        {"name": "2 of 2", "stacks": ["wingtip"]},
    ]


def test_the_events_step_adds_its_report_to_the_issue(checkout: Path) -> None:
    (checkout / "audit.md").write_text("<!-- lighthouse-iac audit -->\n")
    stub = checkout / ".venv" / "bin" / "lighthouse-iac"
    stub.write_text('#!/bin/sh\necho "- **alert** removed" > events.md\nexit 1\n')
    summary = checkout.parent / "summary.md"
    script = _step(
        "drift.yml",
        "audit",
        "lighthouse-iac audit --events (delegations registered and removed since the last run)",
    )
    code, outputs, log = _run_step(checkout, script, GITHUB_STEP_SUMMARY=str(summary))
    assert code == 0, log
    assert outputs == {"code": "1"}
    assert (checkout / "audit.md").read_text() == "<!-- lighthouse-iac audit -->\n- **alert** removed\n"
