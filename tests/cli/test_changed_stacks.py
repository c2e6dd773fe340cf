"""`lighthouse-iac changed-stacks` on a scratch git repository holding the example fleet."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from lighthouse_iac.cli import main

from ..projects import STACK, make_project
from ..report.scratch import commit, edit, fleet_repo, git

ALL = ["contoso", "tailspin", "wingtip"]


def _matrix(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["-C", str(repo), "changed-stacks", *args]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one line, ready for $GITHUB_OUTPUT
    data: dict[str, object] = json.loads(out)
    return data


def _touch_contoso(repo: Path) -> None:
    edit(repo / "stacks" / "Pulumi.contoso.yaml", "role: Monitoring Contributor", "role: Reader")


def _touch_project(repo: Path) -> None:
    edit(repo / "Pulumi.yaml", "Fabrikam On-call Engineers", "Fabrikam On-call")


def _add_component(repo: Path) -> None:
    (repo / "components").mkdir()
    (repo / "components" / "delegation.py").write_text("# changed\n")


def _touch_readme(repo: Path) -> None:
    (repo / "README.md").write_text("Reworded.\n")


def _delete_wingtip(repo: Path) -> None:
    (repo / "stacks" / "Pulumi.wingtip.yaml").unlink()


def _delete_wingtip_and_touch_project(repo: Path) -> None:
    _delete_wingtip(repo)
    _touch_project(repo)


def _add_untracked_stack(repo: Path) -> None:
    text = (repo / "stacks" / "Pulumi.wingtip.yaml").read_text().replace("Wingtip Toys", "Fourth Coffee")
    (repo / "stacks" / "Pulumi.fourthcoffee.yaml").write_text(text)


def _nothing(repo: Path) -> None:
    del repo


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_nothing, {"stack": [], "removed": [], "shared": False}),
        (_touch_contoso, {"stack": ["contoso"], "removed": [], "shared": False}),
        (_touch_project, {"stack": ALL, "removed": [], "shared": True}),
        (_add_component, {"stack": ALL, "removed": [], "shared": True}),
        (_touch_readme, {"stack": [], "removed": [], "shared": False}),
        (_delete_wingtip, {"stack": [], "removed": ["wingtip"], "shared": False}),
        (
            _delete_wingtip_and_touch_project,
            {"stack": ["contoso", "tailspin"], "removed": ["wingtip"], "shared": True},
        ),
        (_add_untracked_stack, {"stack": ["fourthcoffee"], "removed": [], "shared": False}),
    ],
    ids=[
        "nothing",
        "one-stack",
        "shared-project-file",
        "shared-component",
        "docs-only",
        "deleted-stack",
        "deleted-stack-and-shared",
        "new-untracked-stack",
    ],
)
def test_changes_in_the_work_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Callable[[Path], None], expected: object
) -> None:
    repo = fleet_repo(tmp_path)
    change(repo)
    assert _matrix(repo, capsys, "--base", "main") == expected


def test_a_branch_compared_with_main_as_a_pull_request_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = fleet_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "feature")
    _touch_contoso(repo)
    commit(repo, "contoso: Reader instead of Monitoring Contributor")
    # main moves on meanwhile: its own changes are not the pull request's.
    git(repo, "checkout", "-q", "main")
    _touch_project(repo)
    commit(repo, "rename a group on main")
    git(repo, "checkout", "-q", "feature")
    assert _matrix(repo, capsys, "--base", "main") == {"stack": ["contoso"], "removed": [], "shared": False}


def test_all_lists_every_stack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = fleet_repo(tmp_path)
    assert _matrix(repo, capsys, "--all") == {"stack": ALL, "removed": [], "shared": False}


def test_an_unknown_base_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = fleet_repo(tmp_path)
    assert main(["-C", str(repo), "changed-stacks", "--base", "origin/main"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "lighthouse-iac: unknown revision 'origin/main' (a branch, tag or commit; in CI, fetch it first, "
        "e.g. with actions/checkout fetch-depth: 0)\n"
    )


def test_base_or_all_is_required(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = fleet_repo(tmp_path)
    assert main(["-C", str(repo), "changed-stacks"]) == 2
    assert "one of the arguments --base --all is required" in capsys.readouterr().err


@pytest.mark.parametrize("flag", [["--base", "main"], ["--all"]], ids=["base", "all"])
def test_a_stack_name_that_is_not_a_pulumi_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: list[str]
) -> None:
    # Names end up in CI job names and shell steps: a file name must not smuggle a command in.
    repo = fleet_repo(tmp_path)
    text = (repo / "stacks" / "Pulumi.wingtip.yaml").read_text()
    (repo / "stacks" / "Pulumi.$(curl evil).yaml").write_text(text)
    assert main(["-C", str(repo), "changed-stacks", *flag]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "lighthouse-iac: stacks/Pulumi.$(curl evil).yaml: not a valid stack name; use letters, digits, '-', "
        "'_' and '.', starting with a letter or digit\n"
    )


# --- issue 9: every file a stack reads, non-ASCII paths, stackConfigDir spelt otherwise ---------------


def _one_stack_repo(tmp_path: Path, stack_dir: str = "stacks") -> Path:
    """A repository of one project with one customer, independent of the examples."""
    repo = make_project(tmp_path)
    text = (repo / "Pulumi.yaml").read_text()
    assert text.count("stackConfigDir: stacks\n") == 1
    (repo / "Pulumi.yaml").write_text(
        text.replace("stackConfigDir: stacks\n", f"stackConfigDir: {stack_dir}\n")
    )
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "one customer")
    return repo


@pytest.mark.parametrize(
    "path",
    [
        "policies/règles_supplémentaires.py",  # git quotes this path without -z
        "lighthouse_iac/données.json",
        "uv.lock",  # a file the lists do not know: every stack, not none
        "roles/custom.json",
    ],
)
def test_a_shared_change_touches_every_stack_whatever_its_path(
    path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _one_stack_repo(tmp_path)
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text("{}\n")
    assert _matrix(repo, capsys, "--base", "main") == {"stack": [STACK], "removed": [], "shared": True}
    commit(repo, "add it")
    git(repo, "branch", "-f", "base")
    (repo / path).write_text("{} \n")
    assert _matrix(repo, capsys, "--base", "base") == {"stack": [STACK], "removed": [], "shared": True}


def test_docs_and_tests_touch_no_stack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _one_stack_repo(tmp_path)
    (repo / "docs").mkdir()
    (repo / "docs" / "notes-é.md").write_text("Notes.\n")
    (repo / "CHANGES.md").write_text("Changes.\n")
    assert _matrix(repo, capsys, "--base", "main") == {"stack": [], "removed": [], "shared": False}


def test_a_stack_file_with_a_non_ascii_folder_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _one_stack_repo(tmp_path, "clientèle")
    (repo / "stacks").rename(repo / "clientèle")
    commit(repo, "moved")
    git(repo, "branch", "-f", "base")
    stack = repo / "clientèle" / f"Pulumi.{STACK}.yaml"
    stack.write_text(stack.read_text().replace("role: Reader", "role: Security Reader", 1))
    assert _matrix(repo, capsys, "--base", "base") == {"stack": [STACK], "removed": [], "shared": False}


def test_an_absolute_stack_config_dir_inside_the_project_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _one_stack_repo(tmp_path, str(tmp_path / "stacks"))
    git(repo, "branch", "-f", "base")
    stack = repo / "stacks" / f"Pulumi.{STACK}.yaml"
    stack.write_text(stack.read_text().replace("role: Reader", "role: Security Reader", 1))
    assert _matrix(repo, capsys, "--base", "base") == {"stack": [STACK], "removed": [], "shared": False}


def test_a_stack_config_dir_outside_the_project_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p").mkdir()
    repo = _one_stack_repo(tmp_path / "p", str(tmp_path / "elsewhere"))
    (tmp_path / "elsewhere").mkdir()
    (repo / "README.md").write_text("Reworded.\n")
    capsys.readouterr()
    assert main(["-C", str(repo), "changed-stacks", "--base", "main"]) == 2
    assert "lies outside the project folder" in capsys.readouterr().err
