"""Messages for configuration mistakes that used to point at the wrong file, repeat, or say too little."""

from __future__ import annotations

from pathlib import Path

import pytest

from lighthouse_iac.cli import main

from ..projects import BASELINE, STACK_FILE, make_project

ZERO = "00000000-0000-0000-0000-000000000000"
READERS_ID = "4e7f79e9-a1ed-4b80-b106-32a7434ec1a4"  # msp-readers in the repository's Pulumi.yaml


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages name files as the user typed them: relative to here


def _validate(root: Path, capsys: pytest.CaptureFixture[str], *paths: str) -> tuple[int, list[str]]:
    code = main(["-C", str(root), "validate", *paths])
    return code, capsys.readouterr().out.splitlines()


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def _second_stack(root: Path) -> None:
    (root / "stacks" / "Pulumi.second.yaml").write_text(
        BASELINE.replace("8ad2ca68-ccfd-43e6-8ff9-3428cca138a5", "5b0c9e0a-3c5c-4bd6-9d3a-4f6d7e2a9b11")
        .replace("9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f", "0e3b8c55-6a50-4a8e-9d5c-0b3a7f1e2d44")
        .replace("cd517f52-d3a6-4df4-b0f7-c5afce02d973", "f2a4d6c8-1b3d-4e5f-8a7b-9c0d1e2f3a4b")
        # its own onboarding identity too: object IDs are per tenant (lighthouse-onboarding-per-tenant)
        .replace("76f7b000-9bd5-41e3-aa58-563670d45b51", "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f")
    )


def test_a_misspelt_namespace_suggests_the_key_it_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(tmp_path, BASELINE.replace("lighthouse-iac:offers:", "lighthose-iac:offers:"))
    code, out = _validate(tmp_path, capsys)
    line = _line(tmp_path / STACK_FILE, "lighthose-iac:offers")
    assert (code, out[0]) == (
        2,
        f"{STACK_FILE}:{line}: lighthose-iac:offers: unknown namespace 'lighthose-iac' (did you mean "
        "'lighthouse-iac:offers'?); lighthouse-iac reads the keys of 'lighthouse-iac:' and leaves other "
        "namespaces to their providers",
    )


def test_a_providers_namespace_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path, BASELINE + "  azure-native:location: westeurope\n")
    assert _validate(tmp_path, capsys)[0] == 0


def test_a_service_principal_has_no_user_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stack = BASELINE.replace(
        "    objectId: 76f7b000-9bd5-41e3-aa58-563670d45b51\n",
        "    objectId: 76f7b000-9bd5-41e3-aa58-563670d45b51\n"
        "    kind: servicePrincipal\n"
        "    userType: Guest\n",
    )
    make_project(tmp_path, stack)
    code, out = _validate(tmp_path, capsys)
    line = _line(tmp_path / STACK_FILE, "userType")
    assert (code, out[0]) == (
        2,
        f"{STACK_FILE}:{line}: onboarding.userType: userType is a user's (Member or Guest); a "
        "servicePrincipal has none: remove userType, or set kind: user if this identity is a user",
    )


def test_a_user_keeps_its_user_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stack = BASELINE.replace(
        "    objectId: 76f7b000-9bd5-41e3-aa58-563670d45b51\n",
        "    objectId: 76f7b000-9bd5-41e3-aa58-563670d45b51\n    kind: servicePrincipal\n",
    )
    make_project(tmp_path, stack)
    assert _validate(tmp_path, capsys)[0] == 0


def test_an_error_in_the_project_file_is_said_once_for_all_stacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(tmp_path)
    _second_stack(tmp_path)
    project = tmp_path / "Pulumi.yaml"
    project.write_text(
        project.read_text().replace("displayName: Fabrikam Lighthouse Readers", "displayName: ''")
    )
    code, out = _validate(tmp_path, capsys)
    line = _line(project, "displayName: ''")
    assert code == 2
    assert out == [
        f"Pulumi.yaml:{line}: managingTenant.principals.msp-readers.displayName: must not be empty",
        "0 stacks checked, 0 mandatory violations, 0 advisories, 2 invalid",
    ]


def test_a_placeholder_principal_is_reported_where_its_id_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(tmp_path)
    _second_stack(tmp_path)
    project = tmp_path / "Pulumi.yaml"
    project.write_text(project.read_text().replace(READERS_ID, ZERO))
    code, out = _validate(tmp_path, capsys)
    line = _line(project, ZERO)
    assert code == 1
    # Once, in Pulumi.yaml: not on each grant of msp-readers in each of the two stack files.
    assert out == [
        f"Pulumi.yaml:{line}: mandatory: managingTenant.principals.msp-readers.objectId: principalId is the "
        "all-zero placeholder GUID; put the real ID here [lighthouse-guid-format]",
        "2 stacks checked, 1 mandatory violation, 0 advisories",
    ]
