"""What the docs show matches what the tools do: example messages, example stacks, the benchmark's
duration. Docs about the example customers are checked against whichever examples `stacks/` holds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from bench.report import duration, render
from bench.run import Results
from lighthouse_iac.cli import main
from lighthouse_iac.config import load_project, load_stack
from lighthouse_iac.sources import parse_yaml

from .engine import ROOT


def _configuration_example() -> tuple[str, int, str, str]:
    """The error message docs/configuration.md shows: file, line, key path and the whole line."""
    text = (ROOT / "docs" / "configuration.md").read_text()
    shown = re.search(r"^(stacks/\S+\.yaml):(\d+): (\S+): unknown role 'Contributer'.*$", text, re.MULTILINE)
    assert shown is not None, "docs/configuration.md no longer shows the misspelt role example"
    return shown[1], int(shown[2]), shown[3], shown[0]


def test_the_configuration_example_message_is_what_validate_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file, line, _, message = _configuration_example()
    if not (ROOT / file).is_file():
        pytest.skip(f"{file} is not among this repository's stacks")
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    (tmp_path / "stacks").mkdir()
    lines = (ROOT / file).read_text().splitlines(keepends=True)
    assert lines[line - 1].rstrip().endswith("role: Contributor"), f"{file}:{line} is not a Contributor role"
    lines[line - 1] = lines[line - 1].replace("Contributor", "Contributer")
    (tmp_path / file).write_text("".join(lines))
    monkeypatch.chdir(tmp_path)
    assert main(["validate", file]) == 2
    assert message in capsys.readouterr().out.splitlines()


def _readme_stack() -> str:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    (stack,) = [b for b in blocks if "lighthouse-iac:customer:" in b]
    return str(stack)


def test_the_readme_stack_is_valid(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "Pulumi.readme.yaml").write_text(_readme_stack())
    assert load_stack(tmp_path, "readme").config.offers


def _subset(part: object, whole: object) -> bool:
    """`part` abridges `whole`: every key it has, with a value that abridges whole's; list items in order."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(k in whole and _subset(v, whole[k]) for k, v in part.items())
    if isinstance(part, list):
        if not isinstance(whole, list):
            return False
        rest = iter(whole)
        return all(any(_subset(item, candidate) for candidate in rest) for item in part)
    return part == whole


def test_the_readme_stack_abridges_the_example_it_names() -> None:
    readme = yaml.safe_load(_readme_stack())["config"]
    name = readme["lighthouse-iac:customer"]["name"]
    project = load_project(ROOT)
    named = [
        doc.data["config"]
        for doc in (
            parse_yaml(p.read_text(), p.name) for p in sorted(project.stack_config_dir.glob("*.yaml"))
        )
        if doc.data["config"].get("lighthouse-iac:customer", {}).get("name") == name
    ]
    if not named:
        pytest.skip(f"no stack in stacks/ is the README's customer {name}")
    # A customer copied as the README says keeps the name until edited: one of them must match.
    for key, value in readme.items():
        assert any(_subset(value, stack.get(key)) for stack in named), (
            f"README's {key} is not in that customer's stack file"
        )


@pytest.mark.parametrize(("seconds", "said"), [(48.2, "48 s"), (425.0, "7 min 5 s"), (60.4, "1 min 0 s")])
def test_the_benchmark_says_how_long_its_run_took(seconds: float, said: str) -> None:
    assert duration(seconds) == said
    text = render(Results(seconds=seconds), "python -m bench --write BENCHMARKS.md")
    assert f"the run that wrote this file took {said}." in " ".join(text.split())
    assert "about two minutes" not in text


def test_benchmarks_md_claims_no_duration_it_did_not_measure() -> None:
    head = " ".join((ROOT / "BENCHMARKS.md").read_text().split("## Targets")[0].split())
    measured = re.search(r"the run that wrote this file took (\d+ s|\d+ min \d+ s)\.", head)
    assert measured or "predates the record of its own duration" in head
    assert "about two minutes" not in head
