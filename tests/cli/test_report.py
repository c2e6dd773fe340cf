"""`lighthouse-iac report`: formats, --diff against a git revision, and bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lighthouse_iac.cli import main
from lighthouse_iac.escape import markdown
from lighthouse_iac.fleet import load_fleet
from lighthouse_iac.report.summary import build_report

from ..engine import FIXTURE
from ..projects import BASELINE, make_project
from ..report.scratch import commit, edit, fleet_repo, git
from ..report.test_diff import change_the_fleet


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_markdown_by_default(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE / "stacks")  # the project is found from a subfolder
    code, out, err = _run(capsys, "report")
    assert (code, err) == (0, "")
    report = build_report(load_fleet(FIXTURE).require_valid())
    assert out.splitlines()[0] == "# Access report: lighthouse-iac"
    assert out.splitlines()[2].startswith(
        f"Managing tenant **Fabrikam Managed Cloud** (`d980ba46-0ced-44e9-ba1f-fe956db47fe4`): 3 customers, "
        f"{len(report.principals)} principals, {len(report.access)} authorizations"
    )


@pytest.mark.parametrize("fmt", ["json", "csv", "html"])
def test_each_format_holds_every_row(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "-C", str(FIXTURE), "report", "--format", fmt)
    assert code == 0
    rows = build_report(load_fleet(FIXTURE).require_valid()).access
    if fmt == "json":
        assert len(json.loads(out)["access"]) == len(rows)
    elif fmt == "csv":
        table = "".join(line for line in out.splitlines(keepends=True) if not line.startswith("#"))
        assert len(list(csv.DictReader(io.StringIO(table)))) == len(rows)
    else:
        assert out.startswith("<!DOCTYPE html>")
        assert out.rstrip().endswith("</html>")


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "access.html"
    code, out, _ = _run(capsys, "-C", str(FIXTURE), "report", "--format", "html", "-o", str(target))
    assert (code, out) == (0, "")
    assert '<table id="matrix"' in target.read_text()


def test_diff_between_two_revisions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = fleet_repo(tmp_path)
    base = build_report(load_fleet(repo).require_valid()).access
    change_the_fleet(repo)
    code, out, err = _run(capsys, "-C", str(repo), "report", "--diff", "main", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    head = build_report(load_fleet(repo).require_valid()).access
    assert {(g["stack"], g["principal"], g["role"], g["scope"]) for g in data["gained"]} == {
        ("contoso", "msp-security", "Reader", "/subscriptions/ee1f64a5-8b7a-43b6-8508-70424b3b0a61")
    } | {(r.stack, r.principal, r.role, r.scope) for r in head if r.stack == "fourthcoffee"}
    assert {(g["stack"], g["principal"], g["role"], g["scope"]) for g in data["lost"]} == {
        (r.stack, r.principal, r.role, r.scope)
        for r in base
        if r.stack == "wingtip" or r.resource_group == "rg-data-prod"
    }
    assert [c["change"] for c in data["changed"]] == ["approvers msp-approvers -> (none)"]
    assert (data["addedStacks"], data["removedStacks"]) == (["fourthcoffee"], ["wingtip"])

    code, out, _ = _run(capsys, "-C", str(repo), "report", "--diff", "main")
    assert code == 0
    assert out.splitlines()[1] == "## Access changes against `main`"
    assert (
        out.splitlines()[3] == f"**{len(data['gained'])} gained**, **{len(data['lost'])} lost**, 1 changed "
        "(one row per principal, role and scope)."
    )


def test_diff_against_a_revision_with_a_broken_stack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = fleet_repo(tmp_path)
    edit(repo / "stacks" / "Pulumi.wingtip.yaml", "role: Reader", "role: Raeder")
    commit(repo, "a typo")
    edit(repo / "stacks" / "Pulumi.wingtip.yaml", "role: Raeder", "role: Reader")
    code, out, err = _run(capsys, "-C", str(repo), "report", "--diff", "HEAD", "--format", "json")
    assert code == 2
    assert err.splitlines()[1].startswith("wingtip (at HEAD): HEAD:stacks/Pulumi.wingtip.yaml:")
    assert "Traceback" not in err
    data = json.loads(out)  # the other stacks are still compared; wingtip is listed, not "gained"
    assert [s["stack"] for s in data["invalidStacks"]] == ["wingtip (at HEAD)"]
    assert data["invalidStacks"][0]["problems"][0]["file"] == "HEAD:stacks/Pulumi.wingtip.yaml"
    assert (data["gained"], data["addedStacks"]) == ([], [])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--diff", "nope"], "lighthouse-iac: unknown revision 'nope'"),
        (["--max-length", "100"], "lighthouse-iac: --max-length applies to --format md with --diff only"),
        (["--format", "pdf"], "invalid choice: 'pdf'"),
    ],
    ids=["unknown-revision", "max-length-without-diff", "unknown-format"],
)
def test_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    repo = fleet_repo(tmp_path)
    code, out, err = _run(capsys, "-C", str(repo), "report", *args)
    assert (code, out) == (2, "")
    assert message in err


def test_a_broken_stack_is_reported_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path, BASELINE.replace("role: Reader", "role: Raeder"))
    monkeypatch.chdir(root)
    code, out, err = _run(capsys, "report")
    problem = (
        "stacks/Pulumi.northwind.yaml:13: offers[0].authorizations[0].role: unknown role 'Raeder' "
        "(did you mean 'Reader'?); expected a built-in role name or GUID from the role catalogue"
    )
    assert code == 2
    assert err == f"1 stack not in this report (invalid): northwind\nnorthwind: {problem}\n"
    assert f"| `northwind` | {markdown(problem)} |" in out  # the problem quotes the file: text in Markdown


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "html"])
def test_a_fleet_whose_every_stack_is_broken_is_still_reported(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pull request that breaks every stack leaves no access row: exit 2 and a whole document, no traceback.
    root = make_project(tmp_path, BASELINE.replace("role: Reader", "role: Raeder"))
    monkeypatch.chdir(root)
    code, out, err = _run(capsys, "report", "--format", fmt)
    assert code == 2
    assert err.startswith("1 stack not in this report (invalid): northwind\n")
    if fmt == "json":
        data = json.loads(out)
        assert data["access"] == [] and data["invalidStacks"][0]["stack"] == "northwind"


def test_policy_settings_change_the_verdicts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stack = BASELINE.replace(
        "        - principal: msp-offboarding\n"
        "          role: Managed Services Registration assignment Delete Role\n",
        "",
    )
    root = make_project(tmp_path, stack)
    settings = tmp_path / "policy-config.json"

    def verdicts() -> set[tuple[str, str]]:
        code, out, _ = _run(capsys, "-C", str(root), "report", "--format", "json", "--config", str(settings))
        assert code == 0
        return {(v["rule"], v["level"]) for v in json.loads(out)["verdicts"]}

    settings.write_text('{"lighthouse-registration-delete-role": "mandatory"}')
    assert ("lighthouse-registration-delete-role", "mandatory") in verdicts()
    settings.write_text('{"lighthouse-registration-delete-role": "disabled"}')
    assert "lighthouse-registration-delete-role" not in {rule for rule, _ in verdicts()}
    settings.write_text('{"lighthouse-registration-delete-rule": "disabled"}')
    code, out, err = _run(capsys, "-C", str(root), "report", "--config", str(settings))
    assert (code, out) == (2, "")
    assert "lighthouse-registration-delete-rule" in err


def test_the_diff_carries_the_verdicts_of_the_customers_it_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = fleet_repo(tmp_path)
    # Tailspin has an advisory before and after the change: not this pull request's business.
    edit(
        repo / "stacks" / "Pulumi.tailspin.yaml",
        "        - principal: msp-security\n          role: Reader\n",
        "",
    )
    commit(repo, "tailspin without Reader for the security team")
    edit(
        repo / "stacks" / "Pulumi.contoso.yaml",
        "        - principal: msp-readers\n          role: Reader\n",
        "        - principal: msp-readers\n          role: Reader\n"
        "        - principal: msp-operators\n          role: Owner\n",
    )
    code, out, _ = _run(capsys, "-C", str(repo), "report", "--diff", "main", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {(v["stack"], v["rule"], v["level"]) for v in data["verdicts"]} == {
        ("contoso", "lighthouse-no-owner-role", "mandatory")
    }
    code, out, _ = _run(capsys, "-C", str(repo), "report", "--format", "json")
    assert "tailspin" in {v["stack"] for v in json.loads(out)["verdicts"]}  # the full report has both

    code, out, _ = _run(capsys, "-C", str(repo), "report", "--diff", "main")
    lines = out.splitlines()
    at = lines.index("### Policy verdicts on these customers (1)")
    assert at < lines.index(next(line for line in lines if line.startswith("### Gained")))
    assert lines[at + 4].startswith("| `contoso` | **mandatory** | `lighthouse-no-owner-role` | ")


@pytest.mark.parametrize("target", ["/etc/passwd", "../elsewhere.yaml"])
def test_diff_against_a_revision_with_a_symlinked_stack_file_is_a_clear_error(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_project(tmp_path)
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "one customer")
    link = repo / "stacks" / "Pulumi.linked.yaml"
    link.symlink_to(target)
    commit(repo, "a linked stack file")
    git(repo, "branch", "-f", "base")
    link.unlink()
    capsys.readouterr()
    assert main(["-C", str(repo), "report", "--diff", "base"]) == 2
    err = capsys.readouterr().err
    assert "base:stacks/Pulumi.linked.yaml is a symbolic link" in err and "Traceback" not in err
