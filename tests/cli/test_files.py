"""Writes never lose data: whole files, never through a symlink, -o checked, Pulumi.yaml kept as written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lighthouse_iac.cli import main

from ..arm.cases import SUBSCRIPTION, sample_paths
from ..projects import STACK, make_project


def _project(tmp_path: Path) -> Path:
    (tmp_path / "p").mkdir()
    return make_project(tmp_path / "p")


@pytest.mark.parametrize("command", [["validate"], ["report"], ["report", "--format", "csv"]])
def test_output_to_a_folder_or_into_a_missing_folder_is_a_usage_error(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    assert main(["-C", str(project), *command, "-o", str(tmp_path)]) == 2
    assert "a folder is there; -o names the file to write" in capsys.readouterr().err
    assert main(["-C", str(project), *command, "-o", str(tmp_path / "missing" / "out.txt")]) == 2
    assert "does not exist; create it first" in capsys.readouterr().err
    assert not (tmp_path / "missing").exists()


def test_report_output_replaces_a_planted_symlink_instead_of_writing_through_it(tmp_path: Path) -> None:
    project = _project(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (tmp_path / "report.md").symlink_to(victim)
    assert main(["-C", str(project), "report", "-o", str(tmp_path / "report.md")]) == 0
    assert victim.read_text() == "keep me\n"
    assert not (tmp_path / "report.md").is_symlink()
    assert (tmp_path / "report.md").read_text().startswith("# Access report")


def _export(project: Path, out: Path) -> int:
    return main(["-C", str(project), "export", STACK, "-o", str(out)])


def test_export_never_writes_through_a_symlink_in_its_folder(tmp_path: Path) -> None:
    project = _project(tmp_path)
    out = tmp_path / "out"
    assert _export(project, out) == 0
    names = sorted(p.name for p in out.iterdir())
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    for name in names:
        (out / name).unlink()
        (out / name).symlink_to(victim)
    (out / "README.md").unlink()
    (out / "README.md").symlink_to(tmp_path / "dangling")
    assert _export(project, out) == 0
    assert victim.read_text() == "keep me\n"
    assert not (tmp_path / "dangling").exists()
    assert all(not (out / n).is_symlink() and (out / n).stat().st_size > 0 for n in names)


def test_the_default_export_folder_is_not_written_through_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "exports").symlink_to(elsewhere)
    assert main(["-C", str(project), "export", STACK]) == 2
    assert "exports is a symlink; the export is not written through it" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_an_export_that_fails_leaves_the_previous_one_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    out = tmp_path / "out"
    assert _export(project, out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # The next export changes every file; its README cannot be written (a folder is in the way).
    stack = project / "stacks" / f"Pulumi.{STACK}.yaml"
    stack.write_text(stack.read_text().replace("Fabrikam Managed Operations", "Fabrikam Operations"))
    (out / "README.md").unlink()
    (out / "README.md").mkdir()
    del before["README.md"]
    assert _export(project, out) == 2
    assert "cannot write the export to" in capsys.readouterr().err
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before  # the old export, not a mix; and no temporary file left behind
    assert sorted(p.name for p in out.iterdir()) == sorted([*before, "README.md"])


# --- import --write ------------------------------------------------------------------------------

FRESH = (
    'name: lighthouse-iac\r\nruntime: python\r\nstackConfigDir: stacks\r\n"config":\r\n'
    "    # keep this comment\r\n    lighthouse-iac:roleCatalogues:\r\n        value: []\r\n"
)


def _import(project: Path) -> list[str]:
    template, parameters = sample_paths("subscription")
    return [
        "-C",
        str(project),
        "import",
        str(template),
        str(parameters),
        "--customer",
        "relecloud",
        "--subscription",
        SUBSCRIPTION,
        "--write",
    ]


def test_import_keeps_pulumi_yaml_byte_for_byte_with_its_line_endings_and_quoted_key(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_bytes(FRESH.encode())
    assert main(_import(tmp_path)) == 1  # written; placeholders remain
    written = (tmp_path / "Pulumi.yaml").read_bytes().decode()
    head = 'name: lighthouse-iac\r\nruntime: python\r\nstackConfigDir: stacks\r\n"config":\r\n'
    assert written.startswith(head + "    managingTenant:\r\n")
    assert written.endswith(
        "    # keep this comment\r\n    lighthouse-iac:roleCatalogues:\r\n        value: []\r\n"
    )
    assert "\n" not in written.replace("\r\n", "")
    assert (tmp_path / "stacks" / "Pulumi.relecloud.yaml").is_file()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"name": "lighthouse-iac", "stackConfigDir": "stacks", "config": {}}\n',
            "is written in JSON or flow style, which import does not edit",
        ),
        ("name: lighthouse-iac\nstackConfigDir: stacks\nconfig: null\n", "'config:' is set to null"),
    ],
)
def test_a_pulumi_yaml_import_cannot_edit_is_named_and_left_alone(
    text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Pulumi.yaml").write_text(text)
    assert main(_import(tmp_path)) == 2
    assert f"Pulumi.yaml: {message}; add managingTenant by hand" in capsys.readouterr().err
    assert (tmp_path / "Pulumi.yaml").read_text() == text
    assert not (tmp_path / "stacks" / "Pulumi.relecloud.yaml").exists()


def test_import_refuses_a_dangling_symlink_where_the_stack_file_goes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Pulumi.yaml").write_bytes(FRESH.encode())
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "Pulumi.relecloud.yaml").symlink_to(tmp_path / "planted.yaml")
    assert main(_import(tmp_path)) == 2
    assert "Pulumi.relecloud.yaml exists and is not overwritten" in capsys.readouterr().err
    assert not (tmp_path / "planted.yaml").exists()
    assert (tmp_path / "Pulumi.yaml").read_bytes() == FRESH.encode()


def test_import_does_not_write_through_a_symlinked_pulumi_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "Pulumi.yaml").write_bytes(FRESH.encode())
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").symlink_to(real / "Pulumi.yaml")
    assert main(_import(project)) == 2
    assert "Pulumi.yaml: is a symlink, which is not written through" in capsys.readouterr().err
    assert (real / "Pulumi.yaml").read_bytes() == FRESH.encode()
    assert not (project / "stacks").exists()
    assert os.path.islink(project / "Pulumi.yaml")
