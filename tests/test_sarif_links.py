"""SARIF for code scanning: help links a browser on GitHub opens (never file://), and invalid input shown
as a result on its line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lighthouse_iac.cli import main
from lighthouse_iac.repository import github_repository
from lighthouse_iac.rules import RULES

from .projects import BASELINE, STACK_FILE, make_project
from .report.scratch import git

GITHUB_ENV = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_WORKSPACE")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in GITHUB_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path)


def _sarif(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["validate", "--format", "sarif", *args])
    return code, json.loads(capsys.readouterr().out)


def _links(sarif: dict[str, Any]) -> list[str]:
    driver = sarif["runs"][0]["tool"]["driver"]
    return [r["helpUri"] for r in driver["rules"] if "helpUri" in r] + (
        [driver["informationUri"]] if "informationUri" in driver else []
    )


@pytest.mark.parametrize(
    "remote",
    [
        "git@github.com:fabrikam/delegations.git",
        "https://github.com/fabrikam/delegations.git",
        "https://x-access-token:ghs_secret@github.com/fabrikam/delegations",
        "ssh://git@github.com/fabrikam/delegations.git",
    ],
)
def test_help_links_come_from_the_github_remote(
    remote: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(project, "init", "-q", "-b", "main")
    git(project, "remote", "add", "origin", remote)
    code, sarif = _sarif(capsys)
    assert code == 0
    links = _links(sarif)
    assert links[0] == f"https://github.com/fabrikam/delegations/blob/HEAD/{RULES[0].doc}"
    assert links[-1] == "https://github.com/fabrikam/delegations/blob/HEAD/docs/policy-pack.md"
    assert all(link.startswith("https://github.com/fabrikam/delegations/blob/HEAD/") for link in links)
    assert "secret" not in json.dumps(sarif)


def test_a_project_in_a_subfolder_links_below_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in GITHUB_ENV:
        monkeypatch.delenv(name, raising=False)
    inner = tmp_path / "lighthouse"
    inner.mkdir()
    make_project(inner)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "remote", "add", "origin", "git@github.com:fabrikam/platform.git")
    monkeypatch.chdir(inner)
    _, sarif = _sarif(capsys)
    assert _links(sarif)[0] == f"https://github.com/fabrikam/platform/blob/HEAD/lighthouse/{RULES[0].doc}"


def test_the_base_url_given_wins(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, sarif = _sarif(capsys, "--help-base-url", "https://git.example.com/msp/lighthouse/src/main")
    assert _links(sarif)[0] == f"https://git.example.com/msp/lighthouse/src/main/{RULES[0].doc}"


@pytest.mark.parametrize("url", ["file:///srv/repo/", "javascript:alert(1)", "https://user:pw@example.com/"])
def test_a_base_url_a_browser_cannot_open_safely_is_refused(
    url: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--format", "sarif", "--help-base-url", url]) == 2
    assert "is not an http(s) URL without credentials" in capsys.readouterr().err


def test_without_a_github_remote_there_is_no_link_rather_than_a_local_one(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, sarif = _sarif(capsys)
    assert code == 0
    assert _links(sarif) == []
    assert "file://" not in json.dumps(sarif["runs"][0]["tool"])


@pytest.mark.parametrize(
    ("remote", "page"),
    [
        ("git@github.com:o/r.git", "https://github.com/o/r"),
        ("https://github.com/o/r", "https://github.com/o/r"),
        ("https://gitlab.com/o/r.git", None),
        ("git@github.com.evil.example:o/r.git", None),
        ("/srv/git/r.git", None),
        ("https://github.com/o/r/extra", None),
    ],
)
def test_only_github_remotes_become_links(remote: str, page: str | None) -> None:
    assert github_repository(remote) == page


def test_invalid_input_is_a_result_on_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / STACK_FILE).write_text(BASELINE.replace("role: Reader", "role: Raeder"))
    code, sarif = _sarif(capsys, "--help-base-url", "https://github.com/o/r/blob/main/")
    run = sarif["runs"][0]
    assert code == 2
    (result,) = run["results"]
    rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert (result["ruleId"], rule["id"], result["level"]) == (
        "lighthouse-invalid-input",
        "lighthouse-invalid-input",
        "error",
    )
    assert rule["helpUri"] == "https://github.com/o/r/blob/main/docs/configuration.md"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": STACK_FILE, "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 13},
    }
    assert result["message"]["text"].startswith(
        "offers[0].authorizations[0].role: unknown role 'Raeder' (did you mean 'Reader'?)"
    )
    assert run["invocations"][0]["executionSuccessful"] is False
