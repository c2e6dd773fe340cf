"""The project file and the stack files it points at: which stacks exist, their names, project-level keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from lighthouse_iac import config
from lighthouse_iac.cli import main
from lighthouse_iac.errors import ConfigError

from ..projects import BASELINE, STACK, STACK_FILE, make_project

F = STACK_FILE


def test_unknown_stack_lists_the_stacks_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["plan", "fabrikam"]) == 2
    assert capsys.readouterr().err == (
        "stacks/Pulumi.fabrikam.yaml: no stack file for customer 'fabrikam'; stacks here: northwind\n"
    )


def test_no_project_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["plan", STACK]) == 2
    assert capsys.readouterr().err == (
        "lighthouse-iac: no Pulumi.yaml in this folder or its parents; run inside the project or pass "
        "--project-dir\n"
    )


def test_missing_managing_tenant_points_to_the_project_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(tmp_path)
    (tmp_path / "Pulumi.yaml").write_text("name: lighthouse-iac\nruntime: python\nstackConfigDir: stacks\n")
    monkeypatch.chdir(tmp_path)
    assert main(["plan", STACK]) == 2
    assert capsys.readouterr().err == (
        f"{F}:1: lighthouse-iac:managingTenant: missing required key 'lighthouse-iac:managingTenant' "
        "(declared once for all customers in Pulumi.yaml)\n"
    )


def test_error_in_project_file_names_the_project_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(tmp_path)
    project = tmp_path / "Pulumi.yaml"
    project.write_text(project.read_text().replace("kind: group", "kind: team", 1))
    monkeypatch.chdir(tmp_path)
    assert main(["plan", STACK]) == 2
    line = next(i for i, t in enumerate(project.read_text().splitlines(), 1) if "kind: team" in t)
    assert capsys.readouterr().err == (
        f"Pulumi.yaml:{line}: managingTenant.principals.msp-readers.kind: 'team' is not allowed; "
        "allowed: 'group', 'servicePrincipal' or 'user'\n"
    )


def test_a_folder_named_like_a_stack_file_is_not_a_stack(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "stacks" / "Pulumi.folder.yaml").mkdir()
    assert config.list_stacks(config.load_project(project)) == [STACK]


@pytest.mark.parametrize("name", ["../northwind", "a/b", "..", ".hidden", "", "x" * 101, "na me"])
def test_customer_names_must_be_stack_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["plan", name]) == 2
    assert capsys.readouterr().err == (
        f"'{name}' is not a valid customer stack name; use letters, digits, '-', '_' and '.', starting with "
        "a letter or digit (the name of stacks/Pulumi.<customer>.yaml)\n"
    )


OWN_TENANT = """\
  lighthouse-iac:managingTenant:
    tenantId: 0b6c8a3e-1f2d-4e5a-9b7c-6d5e4f3a2b1c
    name: Someone Else
    principals:
      msp-readers: {objectId: 4e7f79e9-a1ed-4b80-b106-32a7434ec1a4, kind: group, displayName: Readers}
  roleCatalogues: [roles.json]
"""


@pytest.mark.parametrize("command", ["plan", "validate"])
def test_a_stack_file_cannot_set_project_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # Both keys are the same for every customer; a stack of its own would move access in a one-file diff.
    make_project(tmp_path, BASELINE.replace("config:\n", "config:\n" + OWN_TENANT, 1))
    monkeypatch.chdir(tmp_path)
    assert main([command, STACK]) == 2
    err = capsys.readouterr()
    assert (err.err + err.out).splitlines()[:2] == [
        f"{F}:2: lighthouse-iac:managingTenant: 'lighthouse-iac:managingTenant' is project-level "
        "configuration: it is set once for every customer in Pulumi.yaml and a stack file cannot set or "
        "override it; remove it from this file",
        f"{F}:7: roleCatalogues: 'lighthouse-iac:roleCatalogues' is project-level configuration: it is set "
        "once for every customer in Pulumi.yaml and a stack file cannot set or override it; remove it from "
        "this file",
    ]


def test_the_program_refuses_a_stack_that_sets_project_keys(tmp_path: Path) -> None:
    # The engine merges a stack's managingTenant over the project's; only the stack file shows it.
    make_project(tmp_path, BASELINE.replace("config:\n", "config:\n" + OWN_TENANT, 1))
    values = {"lighthouse-iac:managingTenant": '{"tenantId": "0b6c8a3e-1f2d-4e5a-9b7c-6d5e4f3a2b1c"}'}
    with pytest.raises(ConfigError) as raised:
        config.from_engine(tmp_path, STACK, values)
    assert [p.path for p in raised.value.problems] == ["lighthouse-iac:managingTenant", "roleCatalogues"]


@pytest.mark.parametrize(
    "key", ["azure-native:clientId", "azure-native:metadataHost", "Azure-Native:TenantId"]
)
@pytest.mark.parametrize("command", ["plan", "validate"])
def test_a_stack_file_cannot_choose_who_deploys(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    key: str,
) -> None:
    # The provider reads a stack's settings before the environment: this would beat AZURE_CLIENT_IDS.
    setting = f"  {key}: 0b6c8a3e-1f2d-4e5a-9b7c-6d5e4f3a2b1c\n"
    make_project(tmp_path, BASELINE.replace("config:\n", "config:\n" + setting, 1))
    monkeypatch.chdir(tmp_path)
    assert main([command, STACK]) == 2
    err = capsys.readouterr()
    assert (err.err + err.out).splitlines()[0] == (
        f"{F}:2: {key}: '{key}' chooses who deploys this customer, or where the job's token goes; a stack "
        "file cannot set it, since a pull request could then deploy this customer as another customer's "
        "identity. The deploy job sets it from the environment (ARM_CLIENT_ID from AZURE_CLIENT_IDS, "
        "ARM_TENANT_ID from the stack's customer; docs/security.md); remove it from this file"
    )


def test_the_program_refuses_a_stack_that_chooses_who_deploys(tmp_path: Path) -> None:
    make_project(tmp_path, BASELINE.replace("config:\n", "config:\n  azure-native:clientId: app\n", 1))
    with pytest.raises(ConfigError) as raised:
        config.from_engine(tmp_path, STACK, {})
    assert [p.path for p in raised.value.problems] == ["azure-native:clientId"]


def test_provider_settings_that_change_no_identity_stay_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = (
        "  azure-native:location: westeurope\n"
        "  azure-native:subscriptionId: 9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f\n"
    )
    make_project(tmp_path, BASELINE.replace("config:\n", "config:\n" + extra, 1))
    monkeypatch.chdir(tmp_path)
    assert main(["validate", STACK]) == 0, capsys.readouterr()


@pytest.mark.parametrize("written", ["../elsewhere", "stacks/../../elsewhere", "absolute"])
def test_a_stack_folder_outside_the_project_is_refused_on_its_line(
    written: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Pulumi.yaml is a file a pull request can change: it must not point the tools at stack files
    # elsewhere on the machine (which would be judged, and quoted in messages, as the project's own).
    (tmp_path / "p").mkdir()
    project = make_project(tmp_path / "p")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "Pulumi.outside.yaml").write_text("config: {}\n")
    entry = str(tmp_path / "elsewhere") if written == "absolute" else written
    text = (project / "Pulumi.yaml").read_text()
    (project / "Pulumi.yaml").write_text(
        text.replace("stackConfigDir: stacks\n", f"stackConfigDir: {entry}\n")
    )
    line = text.splitlines().index("stackConfigDir: stacks") + 1
    monkeypatch.chdir(project)
    for command in (["validate"], ["plan", "outside"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith(
            f"Pulumi.yaml:{line}: stackConfigDir: {entry} lies outside the project folder;"
        ), err


def test_a_stack_folder_written_absolute_inside_the_project_is_the_same_folder(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    text = (project / "Pulumi.yaml").read_text()
    (project / "Pulumi.yaml").write_text(
        text.replace("stackConfigDir: stacks\n", f"stackConfigDir: {project}/stacks/.\n")
    )
    loaded = config.load_project(project)
    assert loaded.stack_config_dir == project / "stacks"
    assert config.list_stacks(loaded) == [STACK]
