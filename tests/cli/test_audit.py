"""`lighthouse-iac audit --from DIR`: formats, exit codes, and what bad input says."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lighthouse_iac.audit.render import MARKER
from lighthouse_iac.cli import main

from ..audit import mutations as m
from ..audit.azure_state import write_cli_folder
from ..audit.scenario import Scenario, scenario

NW = "/subscriptions/9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
MS = "Microsoft.ManagedServices"
GUID = "1e2d3c4b-5a69-4877-8695-a4b3c2d1e0f9"


@pytest.fixture
def world(tmp_path: Path) -> Scenario:
    return scenario(tmp_path)


def _audit(world: Scenario, folder: Path, *extra: str) -> int:
    return main(["-C", str(world.root), "audit", "--from", str(folder), *extra])


def test_in_sync_exits_0(world: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_cli_folder(world.state, tmp_path / "az")
    assert _audit(world, folder) == 0
    out = capsys.readouterr().out
    assert out.strip() == (
        "audit: 4 of 4 delegated subscriptions read, 5 declared assignments; 0 missing, 0 unmanaged, "
        "0 changed, 0 mismatched guids"
    )


def test_without_accounts_the_files_are_the_subscriptions(world: Scenario, tmp_path: Path) -> None:
    assert _audit(world, write_cli_folder(world.state, tmp_path / "az", accounts=False)) == 0


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif"])
def test_every_format_reports_the_drift(
    world: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    state = world.state.copy()
    scope = m.add_unmanaged(state, m.ours(state)[0][0])
    assert _audit(world, write_cli_folder(state, tmp_path / "az"), "--format", fmt) == 1
    out = capsys.readouterr().out
    if fmt == "json":
        (finding,) = json.loads(out)["findings"]
        assert (finding["kind"], finding["scope"]) == ("unmanaged", scope)
    elif fmt == "sarif":
        (result,) = json.loads(out)["runs"][0]["results"]
        assert result["ruleId"] == "audit-unmanaged"
    elif fmt == "markdown":
        assert out.startswith(MARKER)
        assert "### Unmanaged (1)" in out
        assert "Old onboarding" in out
    else:
        assert f"unmanaged: customer tenant {state.managing_tenant}" not in out
        assert f"unmanaged: northwind: {scope}" in out or "unmanaged: " in out


def test_output_file_and_summary_on_stderr(
    world: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "audit.md"
    assert (
        _audit(
            world, write_cli_folder(world.state, tmp_path / "az"), "--format", "markdown", "-o", str(target)
        )
        == 0
    )
    assert target.read_text().startswith(MARKER)
    assert "Azure holds exactly what the stacks declare." in target.read_text()
    assert capsys.readouterr().err.startswith("audit: 4 of 4")


def test_output_through_a_symlink_is_refused(
    world: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep")
    (tmp_path / "link.md").symlink_to(elsewhere)
    code = _audit(world, write_cli_folder(world.state, tmp_path / "az"), "-o", str(tmp_path / "link.md"))
    assert code == 2
    assert elsewhere.read_text() == "keep"
    assert "is a symbolic link" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f.json", "[{", "not JSON"),
        ("notes.json", "[]", "expected <subscription-id>.json or accounts.json, not notes.json"),
        (
            "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f.json",
            json.dumps(
                [
                    {
                        "id": f"{NW}/providers/{MS}/registrationAssignments/{GUID}",
                        "properties": {
                            "registrationDefinitionId": f"{NW}/providers/{MS}/registrationDefinitions/{GUID}"
                        },
                    }
                ]
            ),
            "[0].properties.registrationDefinition: the definition is not expanded",
        ),
        ("9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f.json", '{"value": 3}', "expected a JSON list"),
        (
            "accounts.json",
            '[{"id": "x"}]',
            "accounts.json: [0].subscriptionId: expected the subscription's GUID",
        ),
    ],
    ids=["not-json", "stray-file", "not-expanded", "not-a-list", "bad-account"],
)
def test_bad_input_names_the_file_and_key(
    world: Scenario,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str,
    expected: str,
) -> None:
    folder = write_cli_folder(world.state, tmp_path / "az")
    (folder / name).write_text(content)
    assert _audit(world, folder) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def test_a_listed_subscription_without_its_file_is_an_error(
    world: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_cli_folder(world.state, tmp_path / "az")
    (folder / "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f.json").unlink()
    assert _audit(world, folder) == 2
    assert "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f.json is missing" in capsys.readouterr().out


def test_names_from_azure_cannot_inject_markdown(
    world: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = world.state.copy()
    sub = m.ours(state)[0][0]
    m.add_unmanaged(state, sub)
    definition = state.assignments[sub][-1]["properties"]["registrationDefinition"]["properties"]
    definition["registrationDefinitionName"] = "x](https://evil.example) <img src=x>\n### Fake heading"
    assert _audit(world, write_cli_folder(state, tmp_path / "az"), "--format", "markdown") == 1
    out = capsys.readouterr().out
    assert not re.search(r"(?<!\\)<img", out) and not re.search(r"(?<!\\)\]\(https", out)
    assert "\\<img src=x\\>" in out
    assert "\n### Fake heading" not in out


def test_help_and_offline_mode_do_not_import_the_azure_sdk(world: Scenario, tmp_path: Path) -> None:
    folder = write_cli_folder(world.state, tmp_path / "az")
    code = (
        "import sys\n"
        "from lighthouse_iac.cli import main\n"
        f"main(['-C', {str(world.root)!r}, 'audit', '--from', {str(folder)!r}])\n"
        "main(['audit', '--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('azure.mgmt', 'azure.identity'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
