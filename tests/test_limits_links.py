"""Symbolic links among the files a pull request can change are refused, never read through.

Git checks a link out as a link: a pull request could point a stack file, a role catalogue or the folder
holding one at a secret file of the CI machine, or at /dev/zero, and have its text echoed in a message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lighthouse_iac import limits
from lighthouse_iac.cli import main

from .arm.cases import SUBSCRIPTION, sample_paths
from .projects import STACK, STACK_FILE, make_project

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")

# A file outside the project that a link points at; its text must never show.
SECRET = "config:\n  lighthouse-iac:customer: {name: s3cr3t-t0ken, tenantId: nope}\n"
REFUSED = "a symbolic link, not followed (input files must be regular files"


def _outside(tmp_path: Path, name: str = "secret.yaml", text: str = SECRET) -> Path:
    (tmp_path / "outside").mkdir(exist_ok=True)
    target = tmp_path / "outside" / name
    target.write_text(text)
    return target


def _project(tmp_path: Path) -> Path:
    (tmp_path / "p").mkdir()
    return make_project(tmp_path / "p")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("command", ["validate", "plan", "report"])
def test_a_stack_file_that_is_a_link_is_refused_naming_it(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    link = project / "stacks" / "Pulumi.linked.yaml"
    link.symlink_to(_outside(tmp_path))
    args = ["-C", str(project), command] + (["linked"] if command == "plan" else [])
    code, out = _run(capsys, *args)
    assert code == 2, out
    assert f"stacks/Pulumi.linked.yaml: cannot read file: {REFUSED}" in out
    assert "s3cr3t" not in out


def test_a_stack_file_linked_to_a_device_is_refused_not_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    (project / "stacks" / "Pulumi.zero.yaml").symlink_to("/dev/zero")
    code, out = _run(capsys, "-C", str(project), "validate")
    assert code == 2, out
    assert f"stacks/Pulumi.zero.yaml: cannot read file: {REFUSED}" in out


def test_a_project_file_that_is_a_link_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path)
    real = _outside(tmp_path, "Pulumi.yaml", (project / "Pulumi.yaml").read_text())
    (project / "Pulumi.yaml").unlink()
    (project / "Pulumi.yaml").symlink_to(real)
    code, out = _run(capsys, "-C", str(project), "plan", STACK)
    assert code == 2, out
    assert f"Pulumi.yaml: cannot read file: {REFUSED}" in out


@pytest.mark.parametrize("linked", ["file", "folder", "folder/.."])
def test_a_role_catalogue_reached_through_a_link_is_refused(
    linked: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    target = _outside(tmp_path, "roles.json", '{"roles": [{"roleName": "s3cr3t-t0ken"}]}')
    if linked == "file":
        (project / "roles.json").symlink_to(target)
        listed = "roles.json"
    else:
        (project / "roles").symlink_to(target.parent)
        listed = "roles/roles.json" if linked == "folder" else "roles/../outside/roles.json"
    text = (project / "Pulumi.yaml").read_text()
    (project / "Pulumi.yaml").write_text(
        text.replace("config:\n", f"config:\n  roleCatalogues: [{listed}]\n", 1)
    )
    code, out = _run(capsys, "-C", str(project), "plan", STACK)
    assert code == 2, out
    assert "symbolic link, not followed" in out
    assert ("the folder roles is a symbolic link" in out) is (linked != "file")
    assert "s3cr3t" not in out


def test_a_settings_file_that_is_a_link_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    (project / "policy-config.json").symlink_to(_outside(tmp_path, "settings.json", '{"s3cr3t": 1}'))
    code, out = _run(capsys, "-C", str(project), "validate", "--config", str(project / "policy-config.json"))
    assert code == 2, out
    assert f"policy-config.json: cannot read file: {REFUSED}" in out
    assert "s3cr3t" not in out


def test_a_template_that_is_a_link_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template, _ = sample_paths("subscription")
    (tmp_path / "t.json").symlink_to(template)
    code, out = _run(
        capsys, "import", str(tmp_path / "t.json"), "--customer", "x", "--subscription", SUBSCRIPTION
    )
    assert code == 2, out
    assert f"t.json: cannot read file: {REFUSED}" in out


def test_the_reader_refuses_links_but_reads_files(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"ok": True}))
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    assert json.loads(limits.read_limited(tmp_path / "a.json", within=tmp_path)) == {"ok": True}
    with pytest.raises(limits.SymbolicLink):
        limits.read_limited(tmp_path / "b.json")
    # The project folder itself may be reached through a link: where it lives is the pipeline's choice.
    (tmp_path / "here").symlink_to(tmp_path)
    assert limits.read_limited(tmp_path / "here" / "a.json", within=tmp_path / "here") == b'{"ok": true}'


def test_the_stack_file_name_in_a_message_is_the_link_not_its_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    (project / STACK_FILE).unlink()
    (project / STACK_FILE).symlink_to(_outside(tmp_path, "elsewhere.yaml"))
    code, out = _run(capsys, "-C", str(project), "validate")
    assert code == 2, out
    assert "elsewhere.yaml" not in out and "s3cr3t" not in out


@pytest.mark.parametrize("listed", ["absolute", "../outside/roles.json"])
def test_a_role_catalogue_outside_the_project_is_refused(
    listed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not a link, but the same reach: Pulumi.yaml, which a pull request may change, naming any file.
    project = _project(tmp_path)
    target = _outside(tmp_path, "roles.json", '{"roles": [{"roleName": "s3cr3t-t0ken"}]}')
    entry = str(target) if listed == "absolute" else "../outside/roles.json"
    text = (project / "Pulumi.yaml").read_text()
    (project / "Pulumi.yaml").write_text(
        text.replace("config:\n", f"config:\n  roleCatalogues: [{entry}]\n", 1)
    )
    for command in (["plan", STACK], ["validate"]):
        code, out = _run(capsys, "-C", str(project), *command)
        assert code == 2, out
        assert f"roleCatalogues: {entry}: a role catalogue is listed by its path inside the project" in out
        assert "s3cr3t" not in out


@pytest.mark.parametrize("kind", ["settings", "template"])
def test_a_file_named_on_the_command_line_through_a_linked_folder_is_refused(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pipeline names `pol/settings.json`; the pull request made `pol` a link to elsewhere.
    project = _project(tmp_path)
    _outside(tmp_path, "settings.json", '{"s3cr3t": 1}')
    (project / "pol").symlink_to(tmp_path / "outside")
    monkeypatch.chdir(project)
    args = (
        ["validate", "--config", "pol/settings.json"]
        if kind == "settings"
        else ["validate", "pol/settings.json"]
    )
    code, out = _run(capsys, *args)
    assert code == 2, out
    assert "the folder pol is a symbolic link, not followed" in out
    assert "s3cr3t" not in out
