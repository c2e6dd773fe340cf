"""Every report says when and from what it was made, lists the stacks it leaves out first, and keeps to
--max-length; a stack that does not load does not hide the others."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from lighthouse_iac.cli import main
from lighthouse_iac.escape import markdown

from ..projects import BASELINE, STACK_FILE, make_project
from .scratch import commit, git

EPOCH = "1764444000"  # 2025-11-29T19:20:00Z
MADE = "Made 2025-11-29T19:20:00Z from commit "
SECOND = "stacks/Pulumi.second.yaml"
# A second customer that does not load: a principal the directory does not have.
BROKEN = BASELINE.replace(
    "principal: msp-readers\n          role: Reader", "principal: payroll-team\n          role: Reader"
)


def _repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    root = make_project(tmp_path)
    (root / SECOND).write_text(
        BROKEN.replace("8ad2ca68-ccfd-43e6-8ff9-3428cca138a5", "5b0c9e0a-3c5c-4bd6-9d3a-4f6d7e2a9b11")
    )
    git(root, "init", "-q", "-b", "main")
    return root, commit(root, "two customers")


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _problem_line(root: Path) -> str:
    line = next(i for i, t in enumerate((root / SECOND).read_text().splitlines(), 1) if "payroll-team" in t)
    return f"{SECOND}:{line}: offers[0].authorizations[0].principal: unknown principal 'payroll-team'"


def test_markdown_lists_the_broken_stack_first_and_reports_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, sha = _repo(tmp_path, monkeypatch)
    code, out, err = _report(capsys)
    assert code == 2
    lines = out.splitlines()
    assert lines[4].startswith(f"{MADE}{sha[:12]}, with the shipped Azure built-in roles (")
    assert lines[6] == "## Not in this report: 1 invalid stack"
    problem = next(i for i, t in enumerate(lines) if "payroll-team" in t)
    assert lines[problem].startswith(f"| `second` | {markdown(_problem_line(root))}")
    assert problem < lines.index("## Customers")
    assert "| Northwind Traders | `northwind` |" in out  # the valid stack is still reported
    assert err.splitlines()[0] == "1 stack not in this report (invalid): second"
    assert err.splitlines()[1].startswith(f"second: {_problem_line(root)}")


def test_a_broken_stacks_problem_is_text_in_markdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The problem quotes the file: a role name can hold a cell break, HTML, a link, a mention, a heading.
    root, _ = _repo(tmp_path, monkeypatch)
    hostile = "Rea|der <img src=x> [x](https://e.example) @org/team\\n# Owned"
    (root / SECOND).write_text(
        BASELINE.replace(
            "8ad2ca68-ccfd-43e6-8ff9-3428cca138a5", "5b0c9e0a-3c5c-4bd6-9d3a-4f6d7e2a9b11"
        ).replace("role: Reader", f'role: "{hostile}"', 1)
    )
    code, out, _ = _report(capsys)
    assert code == 2
    row = next(line for line in out.splitlines() if "Rea" in line)
    assert row.startswith("| `second` | ") and row.endswith(" |")
    cells = re.split(r"(?<!\\)\|", row)
    assert len(cells) == 4, row  # '', stack, problem, '': the name's '|' does not open a cell
    for raw in (r"(?<!\\)<img", r"(?<!\\)\]\(", r"@org"):
        assert re.search(raw, cells[2]) is None, raw  # no tag, no link, no mention left unescaped
    assert "\\<img src=x\\>" in cells[2] and "@&#8203;org/team" in cells[2]


def test_json_csv_and_html_list_it_at_the_top(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, sha = _repo(tmp_path, monkeypatch)
    code, out, _ = _report(capsys, "--format", "json")
    data = json.loads(out)
    assert code == 2
    assert list(data)[:5] == ["made", "commit", "uncommittedChanges", "catalogue", "invalidStacks"]
    assert (data["made"], data["commit"], data["uncommittedChanges"]) == ("2025-11-29T19:20:00Z", sha, False)
    assert [s["stack"] for s in data["invalidStacks"]] == ["second"]
    assert data["invalidStacks"][0]["problems"][0]["file"] == SECOND
    assert {c["stack"] for c in data["customers"]} == {"northwind"}

    code, out, _ = _report(capsys, "--format", "csv")
    comments = [line for line in out.splitlines() if line.startswith("#")]
    assert code == 2
    assert out.startswith("# " + MADE + sha[:12])
    assert comments[1:] == [
        "# 1 stack not in this report (invalid): second",
        f"# second: {_problem_line(root)}; principals in managingTenant.principals: msp-approvers, "
        "msp-offboarding, msp-oncall, msp-operators, msp-platform, msp-readers, msp-security",
    ]
    rows = list(csv.DictReader(io.StringIO("".join(out.splitlines(keepends=True)[len(comments) :]))))
    assert rows and {r["stack"] for r in rows} == {"northwind"}

    code, out, _ = _report(capsys, "--format", "html")
    assert code == 2
    header = out[: out.index("<main>")]
    assert f"{MADE}{sha[:12]}" in header
    assert "Not in this report: 1 invalid stack" in header
    assert "unknown principal &#x27;payroll-team&#x27;" in header


def test_uncommitted_changes_are_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, sha = _repo(tmp_path, monkeypatch)
    (root / SECOND).unlink()
    code, out, _ = _report(capsys)
    assert code == 0
    assert out.splitlines()[4].startswith(f"{MADE}{sha[:12]} with uncommitted changes, with the shipped ")


def test_outside_git_no_commit_is_claimed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # no repository above tmp either
    make_project(tmp_path)
    code, out, _ = _report(capsys, "--format", "json")
    assert code == 0
    assert json.loads(out)["commit"] is None
    _, out, _ = _report(capsys)
    assert "Made 2025-11-29T19:20:00Z from a folder that is not a git checkout, with " in out


def test_the_project_catalogues_are_named_with_their_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = _repo(tmp_path, monkeypatch)
    (root / SECOND).unlink()
    (root / "roles.json").write_text('{"roles": []}\n')
    project = root / "Pulumi.yaml"
    project.write_text(project.read_text() + "  roleCatalogues: [roles.json]\n")
    code, out, _ = _report(capsys, "--format", "json")
    assert code == 0
    # sha256 of '{"roles": []}\n'
    assert json.loads(out)["catalogue"].endswith(
        " and the project's roleCatalogues: roles.json (sha256 17c1a6fc18ec)"
    )


def test_the_markdown_access_tables_show_privilege(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    _, out, _ = _report(capsys)
    assert "| Principal | Role | Privilege | Access | Conditions | Offer | Scope | State |" in out
    assert "| msp-readers | Reader | read-only | permanent |" in out
    assert "| msp-readers | Contributor | can change resources | eligible |" in out
    assert "| Managed Services Registration assignment Delete Role | removes the delegation |" in out


def _many_groups(count: int) -> str:
    groups = ", ".join(f"rg-app-{i:03}" for i in range(count))
    return BASELINE.replace("resourceGroups: [rg-app, rg-data]", f"resourceGroups: [{groups}]")


@pytest.mark.parametrize("limit", [1000, 1500, 4000, 9000])
def test_max_length_is_a_bound_on_the_whole_comment(
    limit: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = _repo(tmp_path, monkeypatch)
    (root / STACK_FILE).write_text(_many_groups(80))
    code, out, _ = _report(capsys, "--diff", "main", "--max-length", str(limit))
    assert code == 2  # the broken second stack
    assert len(out) <= limit
    last = out.splitlines()[-1]
    assert re.fullmatch(
        rf"\.\.\. and \d+ more rows, cut to stay under {limit} characters: run the same command without "
        r"--max-length for the full report\.",
        last,
    )
    assert "artifact" not in out  # a local run has none
    kept = [line for line in out.splitlines() if line.startswith("| ")]
    assert not kept or not kept[-1].startswith("| Customer |")  # no table heading left without rows


def test_in_a_workflow_the_rest_is_in_its_artifacts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = _repo(tmp_path, monkeypatch)
    (root / STACK_FILE).write_text(_many_groups(80))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = _report(capsys, "--diff", "main", "--max-length", "3000")
    assert out.splitlines()[-1].endswith(": the full report is in this run's artifacts.")


def test_a_diff_without_cuts_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = _repo(tmp_path, monkeypatch)
    (root / STACK_FILE).write_text(_many_groups(3))
    code, out, _ = _report(capsys, "--diff", "main", "--max-length", "60000")
    assert code == 2
    assert "more rows" not in out
    # 3 resource groups gained, 2 lost, with 3 grants each
    assert out.count("| Northwind Traders (`northwind`) |") == (3 + 2) * 3


def test_a_stack_broken_now_has_not_lost_its_access(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = _repo(tmp_path, monkeypatch)
    (root / SECOND).write_text(
        BASELINE.replace("8ad2ca68-ccfd-43e6-8ff9-3428cca138a5", "5b0c9e0a-3c5c-4bd6-9d3a-4f6d7e2a9b11")
    )
    commit(root, "second valid")
    (root / STACK_FILE).write_text(BROKEN)
    code, out, _ = _report(capsys, "--diff", "main", "--format", "json")
    data = json.loads(out)
    assert code == 2
    assert [s["stack"] for s in data["invalidStacks"]] == ["northwind"]
    assert (data["lost"], data["removedStacks"]) == ([], [])


def test_a_max_length_too_small_for_the_heading_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path, monkeypatch)
    code, _, err = _report(capsys, "--diff", "main", "--max-length", "200")
    assert code == 2
    assert err == "lighthouse-iac: --max-length 200 leaves no room for the heading; at least 1000\n"
