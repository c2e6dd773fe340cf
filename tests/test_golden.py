"""Golden outputs: `plan`, `validate` (every format), `report` (every format) and `export` on a fixed project.

They guard refactoring: behaviour must not change byte for byte. When a change of output is intended,
regenerate with `LIGHTHOUSE_GOLDEN_UPDATE=1 python -m pytest tests/test_golden.py` and review the diff.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from lighthouse_iac.cli import main

from .engine import FIXTURE, ROOT
from .projects import BASELINE

GOLDEN = Path(__file__).parent / "golden"
SAMPLES = ROOT / "tests" / "arm" / "samples"

DELETE_ROLE = "Managed Services Registration assignment Delete Role"
# A customer with something for every output to say: mandatory and advisory findings, eligible grants.
FLAWED = (
    BASELINE.replace("    name: Northwind Traders", "    name: Flawed <b>Traders</b> | =1+1")
    .replace("          role: Reader\n", "          role: Owner\n", 1)
    .replace("        - principal: msp-offboarding\n          role: " + DELETE_ROLE + "\n", "")
)
# And one that is not valid input at all.
BROKEN = BASELINE.replace("          maximumActivation: PT2H\n", "          maximumActivation: PT9H\n")
TEMPLATES = (
    ("delegated-resource-management/subscription", "subscription.json", "subscription.parameters.json"),
    ("delegated-resource-management-eligible-authorizations/rg", "rg.json", "rg.parameters.json"),
    (
        "marketplace-delegated-resource-management",
        "marketplaceDelegatedResourceManagement.json",
        "marketplaceDelegatedResourceManagement.parameters.json",
    ),
    ("delegated-resource-management-azmigrate", "delegatedResourceManagementAzMigrate.json", None),
)
STACKS = ("contoso", "tailspin", "wingtip", "flawed")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(FIXTURE / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    shutil.copytree(FIXTURE / "stacks", tmp_path / "stacks")
    (tmp_path / "stacks" / "Pulumi.flawed.yaml").write_text(FLAWED)
    (tmp_path / "stacks" / "Pulumi.broken.yaml").write_text(BROKEN)
    templates = tmp_path / "templates"
    for folder, template, parameters in TEMPLATES:
        for name in (template, parameters):
            if name:
                target = templates / folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(SAMPLES / folder / name, target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # the report's "Made" time
    for name in (
        "GITHUB_ACTIONS",
        "GITHUB_SERVER_URL",
        "GITHUB_REPOSITORY",
        "GITHUB_SHA",
        "GITHUB_WORKSPACE",
    ):
        monkeypatch.delenv(name, raising=False)  # SARIF links and the report's footer read them
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], project: Path, argv: list[str]) -> str:
    code = main(argv)
    out, err = capsys.readouterr()
    text = f"$ lighthouse-iac {' '.join(argv)}\nexit {code}\n--- stdout\n{out}--- stderr\n{err}"
    return text.replace(str(project), "<project>")


def _tree(root: Path) -> str:
    parts = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        parts.append(f"=== {path.relative_to(root).as_posix()}\n{path.read_text(encoding='utf-8')}")
    return "\n".join(parts)


def _template_args() -> list[list[str]]:
    runs = []
    for folder, template, parameters in TEMPLATES:
        args = [f"templates/{folder}/{template}"]
        if parameters:
            args.append(f"templates/{folder}/{parameters}")
        runs.append(args)
    return runs


CASES: dict[str, list[list[str]]] = {
    "plan": [["plan", s] for s in (*STACKS, "broken")] + [["plan", "--format", "json", s] for s in STACKS],
    "validate": [
        ["validate", "--format", fmt, *paths]
        for fmt in ("text", "json", "sarif", "junit")
        for paths in ([], *_template_args())
    ],
    "report": [["report", "--format", fmt] for fmt in ("md", "csv", "html", "json")],
    "validate-one": [["validate", "--format", fmt, "flawed"] for fmt in ("text", "json", "sarif", "junit")],
}


def _check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("LIGHTHOUSE_GOLDEN_UPDATE"):
        path.write_text(actual, encoding="utf-8", newline="")
    with path.open(encoding="utf-8", newline="") as golden:
        expected = golden.read()
    assert actual == expected, f"{name} differs from its golden copy; see this test's docstring"


@pytest.mark.parametrize("command", sorted(CASES))
def test_command_outputs_are_unchanged(
    command: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(f"{command}.txt", "\n".join(_run(capsys, project, argv) for argv in CASES[command]))


@pytest.mark.parametrize("fmt", ["arm", "marketplace"])
def test_export_is_unchanged(fmt: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "out").mkdir()
    logs = []
    for stack in STACKS:
        logs.append(_run(capsys, project, ["export", "--format", fmt, "-o", f"out/{stack}", stack]))
    _check(f"export-{fmt}.txt", "\n".join(logs) + "\n" + _tree(project / "out"))


def test_access_diff_is_unchanged(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fixed = {"GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
    who = ["-c", "user.name=golden", "-c", "user.email=golden@example.com", "-c", "commit.gpgsign=false"]
    env = {**os.environ, **fixed}
    for argv in (["init", "-q", "-b", "main"], ["add", "-A"], [*who, "commit", "-q", "-m", "base"]):
        subprocess.run(["git", *argv], cwd=project, check=True, env=env)
    flawed = project / "stacks" / "Pulumi.flawed.yaml"
    flawed.write_text(
        FLAWED.replace("role: Owner", "role: Contributor").replace("msp-approvers", "msp-readers")
    )
    (project / "stacks" / "Pulumi.wingtip.yaml").unlink()
    runs = [["report", "--diff", "main", "--format", fmt] for fmt in ("md", "csv", "html", "json")]
    _check("report-diff.txt", "\n".join(_run(capsys, project, argv) for argv in runs))
