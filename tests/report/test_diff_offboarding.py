"""`report --diff`: lost access that was not offboarding at the base is marked in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lighthouse_iac.cli import main

from .scratch import commit, edit, fleet_repo, git

TAILSPIN = "stacks/Pulumi.tailspin.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main offboards tailspin's rg-data-prod (step 1 merged); the branch removes it and deletes wingtip."""
    folder = fleet_repo(tmp_path)
    monkeypatch.chdir(folder)
    edit(
        folder / TAILSPIN,
        "[rg-web-prod, rg-data-prod]",
        "[rg-web-prod, {name: rg-data-prod, offboard: true}]",
    )
    commit(folder, "tailspin: offboard rg-data-prod")
    git(folder, "checkout", "-q", "-b", "change")
    edit(folder / TAILSPIN, "[rg-web-prod, {name: rg-data-prod, offboard: true}]", "[rg-web-prod]")
    (folder / "stacks" / "Pulumi.wingtip.yaml").unlink()
    return folder


def _report(capsys: pytest.CaptureFixture[str], fmt: str) -> str:
    assert main(["report", "--diff", "main", "--format", fmt]) == 0
    return capsys.readouterr().out


def test_json_says_which_lost_rows_were_not_offboarding(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lost = json.loads(_report(capsys, "json"))["lost"]
    marked = {(r["stack"], r["withoutOffboarding"]) for r in lost}
    assert marked == {("tailspin", False), ("wingtip", True)}


def test_markdown_marks_the_rows_and_says_what_to_do(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _report(capsys, "md")
    wingtip = [line for line in out.splitlines() if line.startswith("| Wingtip Toys (`wingtip`)")]
    tailspin = [line for line in out.splitlines() if line.startswith("| Tailspin Toys (`tailspin`)")]
    assert wingtip and all(line.endswith("| **removed without offboarding** |") for line in wingtip)
    assert tailspin and all(line.endswith("| offboarding |") for line in tailspin)
    assert (
        f"**{len(wingtip)} lost rows were not offboarding** at `main` (removed without offboarding): mark "
        "them `offboard: true` and deploy first, then remove them (lighthouse-offboard-first)."
    ) in out


def test_csv_says_it_in_the_detail_column(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "\n".join(line for line in _report(capsys, "csv").splitlines() if not line.startswith("#"))
    rows = list(csv.DictReader(io.StringIO(text)))
    lost = {(r["stack"], r["detail"]) for r in rows if r["change"] == "lost"}
    assert lost == {("tailspin", ""), ("wingtip", "removed without offboarding")}
