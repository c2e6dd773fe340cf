"""What the commands accept and how they name it: templates called templates, JSON settings called JSON,
and `plan` taking a stack file path as `validate` does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lighthouse_iac.cli import main

from ..arm.cases import sample_paths
from ..projects import STACK, STACK_FILE, make_project


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_on_a_template_counts_templates(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template, parameters = sample_paths("subscription")
    assert parameters is not None
    code, out, _ = _run(capsys, "validate", str(template), str(parameters))
    assert code == 1  # Microsoft's sample grants a role with DataActions
    assert out.splitlines()[-1].startswith("1 template checked, ")


def test_validate_on_stacks_and_templates_counts_each(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template, parameters = sample_paths("subscription")
    assert parameters is not None
    _, out, _ = _run(capsys, "validate", STACK, str(template), str(parameters))
    assert out.splitlines()[-1].startswith("1 stack and 1 template checked, ")


def test_an_invalid_template_is_an_invalid_template(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template, _ = sample_paths("subscription")
    code, out, _ = _run(capsys, "validate", "--format", "json", str(template))
    assert code == 2
    (entry,) = json.loads(out)["stacks"]
    assert (entry["kind"], entry["valid"]) == ("template", False)
    _, text, _ = _run(capsys, "validate", str(template))
    assert text.splitlines()[-1] == "0 templates checked, 0 mandatory violations, 0 advisories, 1 invalid"


def test_settings_that_are_not_json_say_json(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # YAML would read this; the pack reads its settings as JSON, so validate must refuse it the same way.
    (scratch / "policy-config.json").write_text(
        '{\n  "lighthouse-prefer-eligible": {enforcementLevel: advisory}\n}\n'
    )
    code, _, err = _run(capsys, "validate", "--config", "policy-config.json")
    assert code == 2
    assert err.splitlines()[0] == (
        "policy-config.json:2: not valid JSON: Expecting property name enclosed in double quotes"
    )


def test_plan_takes_a_stack_file_path(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    by_name = _run(capsys, "plan", STACK)
    assert by_name[0] == 0
    assert _run(capsys, "plan", STACK_FILE) == by_name
    assert _run(capsys, "plan", f"./{STACK_FILE}") == by_name


def test_plan_on_a_file_outside_the_stacks_folder_says_so(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (scratch / f"Pulumi.{STACK}.yaml").write_text((scratch / STACK_FILE).read_text())
    code, _, err = _run(capsys, "plan", f"Pulumi.{STACK}.yaml")
    assert code == 2
    assert err == (
        f"lighthouse-iac: Pulumi.{STACK}.yaml: not in the project's stack folder {scratch / 'stacks'}\n"
    )


def test_plan_on_the_project_file_asks_for_one_customer(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "plan", "Pulumi.yaml")
    assert code == 2
    assert "Pulumi.yaml: plan shows one customer" in err
