"""`--trusted-base REV`: a pull request is judged by the settings and role catalogues of its base branch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lighthouse_iac.cli import main

from ..projects import BASELINE, STACK_FILE, make_project
from ..report.scratch import commit, git

DELETE_ROLE = (
    "        - principal: msp-offboarding\n"
    "          role: Managed Services Registration assignment Delete Role\n"
)
NEW_ROLE = {
    "id": "0b6d3c2e-1f4a-4c5b-9d8e-7f6a5b4c3d2e",
    "name": "Fabrikam Newer Reader",
    "actions": ["*/read"],
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project on `main` whose settings make the delete role mandatory."""
    project = make_project(tmp_path)
    (project / "policy-config.json").write_text(
        json.dumps({"lighthouse-registration-delete-role": "mandatory"})
    )
    git(project, "init", "-q", "-b", "main")
    commit(project, "the base")
    monkeypatch.chdir(project)
    return project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_base_settings_judge_the_work_tree(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The pull request drops the delete role and, in the same change, disables the rule that wants it.
    (repo / STACK_FILE).write_text(BASELINE.replace(DELETE_ROLE, ""))
    (repo / "policy-config.json").write_text(json.dumps({"lighthouse-registration-delete-role": "disabled"}))
    assert run(capsys, "validate", "--config", "policy-config.json")[0] == 0
    code, out, err = run(capsys, "validate", "--trusted-base", "main", "--config", "policy-config.json")
    assert code == 1
    assert "[lighthouse-registration-delete-role]" in out
    assert err.splitlines() == [
        "lighthouse-iac: policy settings from main:policy-config.json, role catalogues from "
        "main:Pulumi.yaml; the work tree's are not used (--trusted-base)",
        "lighthouse-iac: main:policy-config.json changes these rules from their defaults:",
        "  lighthouse-registration-delete-role: mandatory (by default advisory)",
    ]


def test_settings_the_base_does_not_have_are_the_defaults(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "relaxed.json").write_text(json.dumps({"all": "disabled"}))
    (repo / STACK_FILE).write_text(
        BASELINE.replace("maximumActivation: PT2H", "maximumActivation: PT8H\n          requireMfa: false")
    )
    code, out, err = run(capsys, "validate", "--trusted-base", "main", "--config", "relaxed.json")
    assert code == 1
    assert "[lighthouse-eligible-mfa]" in out
    assert "policy settings from main has no relaxed.json: the defaults" in err


def test_a_catalogue_only_the_pull_request_has_is_not_used(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "catalogues").mkdir()
    (repo / "catalogues" / "newer.json").write_text(json.dumps([NEW_ROLE]))
    project = repo / "Pulumi.yaml"
    project.write_text(project.read_text() + "  roleCatalogues:\n    value: [catalogues/newer.json]\n")
    (repo / STACK_FILE).write_text(BASELINE.replace("role: Reader", "role: Fabrikam Newer Reader"))
    assert run(capsys, "validate")[0] == 0
    code, out, _ = run(capsys, "validate", "--trusted-base", "main")
    assert code == 2
    assert "unknown role 'Fabrikam Newer Reader'" in out
    # Once the catalogue alone has been merged, the same change passes.
    git(repo, "add", "catalogues", "Pulumi.yaml")
    git(repo, "commit", "-q", "--no-verify", "-m", "the catalogue")
    assert run(capsys, "validate", "--trusted-base", "main")[0] == 0


def test_an_unknown_revision_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "--trusted-base", "nope")
    assert code == 2
    assert err.startswith("lighthouse-iac: unknown revision 'nope'")


def test_a_config_outside_the_project_is_a_usage_error(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "validate", "--trusted-base", "main", "--config", str(tmp_path.parent / "x.json")
    )
    assert code == 2
    assert "with --trusted-base, --config names a file of the project, read from main" in err
