"""`lighthouse-iac validate`: the rules on stack files, in four formats, with exit codes 0/1/2."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lighthouse_iac.cli import main
from lighthouse_iac.rules import RULES

from ..engine import FIXTURE
from ..projects import BASELINE, STACK, STACK_FILE, make_project

OWNER = BASELINE.replace(
    "        - principal: msp-readers\n          role: Reader\n",
    "        - principal: msp-readers\n          role: Owner\n",
)
DELETE_ROLE = "Managed Services Registration assignment Delete Role"
NO_DELETE_ROLE = BASELINE.replace(
    f"        - principal: msp-offboarding\n          role: {DELETE_ROLE}\n", ""
)
OWNER_LINE = (
    f"{STACK_FILE}:13: mandatory: offers[0].authorizations[0].role: grants Owner "
    "(8e3af657-a8ff-443c-a75c-2fe8c4bcb635), which Azure Lighthouse never accepts ('restricted for "
    "registration'); grant Contributor or a narrower built-in role [lighthouse-no-owner-role]"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_examples_are_clean(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE)
    assert run(capsys, "validate") == (0, "3 stacks checked, 0 mandatory violations, 0 advisories\n", "")


def test_a_mandatory_violation_exits_1_on_its_line(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(scratch, OWNER)
    code, out, err = run(capsys, "validate", STACK_FILE)
    assert (code, err) == (1, "")
    assert out.splitlines() == [OWNER_LINE, "1 stack checked, 1 mandatory violation, 0 advisories"]


def test_advisories_alone_exit_0(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(scratch, NO_DELETE_ROLE)
    code, out, _ = run(capsys, "validate", STACK)
    assert code == 0
    assert out.splitlines() == [
        f"{STACK_FILE}:11: advisory: offers[0].authorizations: no authorization grants the Managed Services "
        "Registration assignment Delete Role (91c1777a-f3dc-4fae-b103-61d183457e46); without it only the "
        "customer can remove the delegation [lighthouse-registration-delete-role]",
        "1 stack checked, 0 mandatory violations, 1 advisory",
    ]


def test_invalid_input_exits_2_and_the_other_stacks_are_still_checked(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(scratch, OWNER)
    (scratch / "stacks" / "Pulumi.broken.yaml").write_text(
        BASELINE.replace("role: Reader", "role: Reeder", 1)
    )
    code, out, _ = run(capsys, "validate")
    assert code == 2
    assert out.splitlines() == [
        "stacks/Pulumi.broken.yaml:13: offers[0].authorizations[0].role: unknown role 'Reeder' (did you mean "
        "'Reader'?); expected a built-in role name or GUID from the role catalogue",
        OWNER_LINE,
        "1 stack checked, 1 mandatory violation, 0 advisories, 1 invalid",
    ]


def test_the_settings_file_of_the_pack_applies(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(scratch, NO_DELETE_ROLE)
    (scratch / "policy-config.json").write_text(
        json.dumps(
            {
                "lighthouse-registration-delete-role": "mandatory",
                "lighthouse-eligible-activation": {"maximumActivation": "PT1H"},
            }
        )
    )
    code, out, err = run(capsys, "validate", "--config", "policy-config.json")
    assert code == 1
    assert [line.split(": ")[1] for line in out.splitlines()[:-1]] == ["mandatory", "mandatory"]
    assert "offers[0].eligibleAuthorizations[0].maximumActivation" in out
    assert err.splitlines() == [
        "lighthouse-iac: policy-config.json changes these rules from their defaults:",
        "  lighthouse-eligible-activation: maximumActivation PT1H (by default PT8H)",
        "  lighthouse-registration-delete-role: mandatory (by default advisory)",
    ]


def test_a_settings_file_cannot_switch_the_guard_off(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(scratch, OWNER)
    (scratch / "policy-config.json").write_text('{"all": "disabled"}')
    code, out, err = run(capsys, "validate", "--config", "policy-config.json", "--format", "json")
    assert code == 1
    assert [v["rule"] for v in json.loads(out)["stacks"][0]["verdicts"]] == ["lighthouse-no-owner-role"]
    assert err.splitlines()[1].startswith(
        "  all: disabled, except the rules that are always mandatory (lighthouse-no-owner-role, "
    )


def test_a_settings_file_cannot_make_owner_advisory(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(scratch, OWNER)
    (scratch / "policy-config.json").write_text('{\n  "lighthouse-no-owner-role": "advisory"\n}\n')
    code, out, _ = run(capsys, "validate", "--config", "policy-config.json")
    assert code == 2
    assert out.splitlines()[0] == (
        "policy-config.json:2: lighthouse-no-owner-role: lighthouse-no-owner-role is always mandatory and "
        "cannot be advisory: it is one of the rules the delegations rest on (docs/security.md); remove this "
        "setting"
    )


def test_a_wrong_settings_file_exits_2_on_its_line(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(scratch)
    (scratch / "policy-config.json").write_text(
        '{\n  "all": "advisory",\n  "lighthouse-no-owner": "mandatory"\n}\n'
    )
    code, out, _ = run(capsys, "validate", "--config", "policy-config.json")
    assert code == 2
    assert out.splitlines()[0] == (
        "policy-config.json:3: lighthouse-no-owner: unknown rule 'lighthouse-no-owner' (did you mean "
        "'lighthouse-no-owner-role'?); see docs/policy-pack.md"
    )


def test_json_report(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(scratch, OWNER)
    code, out, _ = run(capsys, "validate", "--format", "json")
    data = json.loads(out)
    assert code == data["summary"]["exitCode"] == 1
    assert data["stacks"][0]["verdicts"] == [
        {
            "rule": "lighthouse-no-owner-role",
            "level": "mandatory",
            "message": OWNER_LINE.split("role: ", 1)[1].rsplit(" [", 1)[0],
            "path": "offers[0].authorizations[0].role",
            "resource": "northwind-managed-operations-9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f",
            "file": STACK_FILE,
            "line": 13,
        }
    ]


def test_sarif_puts_results_on_the_offending_line(
    scratch: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(scratch, OWNER)
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "fabrikam/delegations")
    monkeypatch.setenv("GITHUB_SHA", "0123abc")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(scratch))
    code, out, _ = run(capsys, "validate", "--format", "sarif")
    sarif = json.loads(out)
    assert (code, sarif["version"]) == (1, "2.1.0")
    driver = sarif["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == [r.name for r in RULES]
    assert driver["rules"][0]["helpUri"] == (
        "https://github.com/fabrikam/delegations/blob/0123abc/docs/rules/lighthouse-no-owner-role.md"
    )
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "lighthouse-no-owner-role"
    assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": STACK_FILE, "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 13},
    }
    assert result["message"]["text"].startswith("offers[0].authorizations[0].role: grants Owner")


def test_junit_fails_the_rule_that_is_broken(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(scratch, OWNER)
    code, out, _ = run(capsys, "validate", "--format", "junit")
    suites = ET.fromstring(out.split("\n", 1)[1])
    assert code == 1
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == (str(len(RULES)), "1", "0")
    (failure,) = suites.iter("failure")
    (case,) = [c for c in suites.iter("testcase") if c.find("failure") is not None]
    assert case.get("name") == "lighthouse-no-owner-role"
    assert failure.text == OWNER_LINE


def test_output_file_and_summary_on_stderr(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(scratch, OWNER)
    code, out, err = run(capsys, "validate", "--format", "sarif", "--output", "results.sarif")
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == "1 stack checked, 1 mandatory violation, 0 advisories"
    assert json.loads((scratch / "results.sarif").read_text())["runs"][0]["results"][0]["ruleId"] == (
        "lighthouse-no-owner-role"
    )


@pytest.mark.parametrize("target", [".", "stacks", "Pulumi.yaml", STACK, STACK_FILE])
def test_paths_name_stacks_or_the_project(
    target: str, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(scratch, OWNER)
    code, out, _ = run(capsys, "validate", target)
    assert (code, out.splitlines()[0]) == (1, OWNER_LINE)


def test_an_unknown_path_is_a_usage_error(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(scratch)
    assert run(capsys, "validate", "contoso") == (
        2,
        "",
        f"lighthouse-iac: contoso: no such file, and no customer stack of that name (stacks: {STACK})\n",
    )


def test_plan_shows_the_same_verdicts(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(scratch, OWNER)
    code, out, _ = run(capsys, "plan", STACK)
    assert code == 0  # plan shows; validate decides
    lines = out.splitlines()
    start = lines.index("Policies: 1 mandatory violation(s), 0 advisory")
    assert lines[start + 1] == f"  {OWNER_LINE}"
    code, out, _ = run(capsys, "plan", STACK, "--format", "json")
    assert [v["rule"] for v in json.loads(out)["verdicts"]] == ["lighthouse-no-owner-role"]


def test_a_repeated_authorization_names_both_lines(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repeated = BASELINE.replace(
        "      eligibleAuthorizations:\n",
        "        - principal: msp-readers\n          role: Reader\n      eligibleAuthorizations:\n",
    )
    make_project(scratch, repeated)
    code, out, _ = run(capsys, "validate", STACK)
    assert code == 0
    assert out.splitlines() == [
        f"{STACK_FILE}:16: advisory: offers[0].authorizations[2]: grants msp-readers (Fabrikam Lighthouse "
        "Readers) Reader (acdd72a7-3385-48ef-bd42-f606fba81ae7), permanent, as offers[0].authorizations[0] "
        f"({STACK_FILE}:12) does already; remove one of the two [lighthouse-duplicate-authorization]",
        "1 stack checked, 0 mandatory violations, 1 advisory",
    ]


@pytest.mark.parametrize("trusted", [False, True])
def test_a_settings_file_that_relaxes_a_locked_rule_is_refused_alone(
    trusted: bool, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(scratch)
    (scratch / "policy-config.json").write_text('{"lighthouse-no-owner-role": "advisory"}')
    args = ["validate", "--config", "policy-config.json"]
    if trusted:
        for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
            subprocess.run(
                ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *command],
                cwd=scratch,
                check=True,
            )
        args += ["--trusted-base", "main"]
    code, out, err = run(capsys, *args)
    assert code == 2
    first = out.splitlines()[0]
    assert first.startswith("main:" if trusted else "policy-config.json")
    assert (
        "policy-config.json:1: lighthouse-no-owner-role: lighthouse-no-owner-role is always mandatory"
        in first
    )
    assert "changes no rule" not in err and "changes these rules" not in err
