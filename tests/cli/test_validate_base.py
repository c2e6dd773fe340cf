"""`validate --base REF`: a delegation removed without first being marked `offboard: true` at REF fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lighthouse_iac.cli import main

from ..report.scratch import commit, edit, fleet_repo, git

TAILSPIN = "stacks/Pulumi.tailspin.yaml"
STEPS = (
    "put it back with `offboard: true` on it, merge and deploy that change (pulumi up unprotects it), then "
    "remove it in a second pull request"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = fleet_repo(tmp_path)
    monkeypatch.chdir(folder)
    return folder


def _base(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[tuple[str, str, str]]]:
    code = main(["validate", "--base", "main", "--format", "json", *args])
    data = json.loads(capsys.readouterr().out)
    found = [
        (f"{v['file']}:{v['line']}", v["path"], v["message"])
        for s in data["stacks"]
        for v in s["verdicts"]
        if v["rule"] == "lighthouse-offboard-first"
    ]
    return code, found


def test_nothing_removed_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _base(capsys) == (0, [])


def test_a_resource_group_removed_without_offboarding_fails(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / TAILSPIN, "[rg-web-prod, rg-data-prod]", "[rg-web-prod]")
    assert _base(capsys) == (
        1,
        [
            (
                f"{TAILSPIN}:None",
                "offers[0].scopes[2].resourceGroups[1]",
                "resource group rg-data-prod of subscription 98ec5cae-d2f1-4c93-ac33-6484aaabce3f in offer "
                f"'managed-operations' is delegated at main (main:{TAILSPIN}:30) and gone now, but was not "
                f"marked offboard: true there: {STEPS}",
            )
        ],
    )
    # The text output: on the stack file as it is now, with the line it was on at main.
    assert main(["validate", "--base", "main"]) == 1
    out = capsys.readouterr().out
    assert f"{TAILSPIN}: mandatory: offers[0].scopes[2].resourceGroups[1]: resource group rg-data-prod" in out


def test_removing_what_was_offboarded_at_the_base_passes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        repo / TAILSPIN, "[rg-web-prod, rg-data-prod]", "[rg-web-prod, {name: rg-data-prod, offboard: true}]"
    )
    edit(repo / TAILSPIN, "        - subscription: 0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4\n", "", count=2)
    edit(
        repo / TAILSPIN,
        "    - key: security-monitoring\n",
        "    - key: security-monitoring\n      offboard: true\n",
    )
    edit(
        repo / TAILSPIN,
        "        - subscription: c2d3aedb-3dd1-4d7c-8afb-96deb829f53e\n        - subscription: 98ec5cae",
        "        - subscription: c2d3aedb-3dd1-4d7c-8afb-96deb829f53e\n"
        "        - subscription: 0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4\n"
        "          offboard: true\n"
        "        - subscription: 98ec5cae",
    )
    commit(repo, "step 1: offboard a resource group, a subscription and an offer")
    text = (repo / TAILSPIN).read_text()
    second = text.index("    - key: security-monitoring")
    (repo / TAILSPIN).write_text(
        text[:second]
        .replace(", {name: rg-data-prod, offboard: true}]", "]")
        .replace(
            "        - subscription: 0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4\n          offboard: true\n", ""
        )
    )
    assert _base(capsys) == (0, [])


def test_a_subscription_and_an_offer_removed_fail_once_each(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (repo / TAILSPIN).read_text()
    text = text[: text.index("    - key: security-monitoring")]  # the second offer, whole
    (repo / TAILSPIN).write_text(
        text.replace("        - subscription: 0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4\n", "")
    )
    code, found = _base(capsys)
    assert code == 1
    assert [(path, m.split(") and gone")[0].split(" (")[-1]) for _, path, m in found] == [
        ("offers[0].scopes[1].subscription", f"main:{TAILSPIN}:28"),
        ("offers[1].key", f"main:{TAILSPIN}:31"),
    ]
    assert found[0][2].startswith(
        "subscription 0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4 of offer 'managed-operations' "
    )
    assert found[1][2].startswith("offer 'security-monitoring' is delegated at main (")


def test_a_new_offer_key_removes_the_old_definition(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / TAILSPIN, "key: security-monitoring", "key: security-operations")
    code, found = _base(capsys)
    assert code == 1
    assert [(where, path) for where, path, _ in found] == [(f"{TAILSPIN}:None", "offers[1].key")]
    assert f"is delegated at main (main:{TAILSPIN}:31) and gone now" in found[0][2]


def test_a_deleted_stack_file_fails_unless_the_customer_was_offboarded(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "stacks" / "Pulumi.wingtip.yaml").unlink()
    code, found = _base(capsys)
    assert code == 1
    assert [(where, path, m.split(" and gone")[0]) for where, path, m in found] == [
        (
            "stacks/Pulumi.wingtip.yaml:None",
            "customer.tenantId",
            "stack 'wingtip' is delegated at main (main:stacks/Pulumi.wingtip.yaml:5)",
        )
    ]
    git(repo, "checkout", "-q", "-b", "remove-wingtip")
    commit(repo, "wingtip gone")
    assert _base(capsys) == (1, found)  # committed on a branch: main still delegates it
    assert main(["validate", "--base", "HEAD"]) == 0  # compared with itself: nothing removed
    capsys.readouterr()


def test_an_unknown_revision_is_invalid_input(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--base", "no-such-branch"]) == 2
    assert "unknown revision 'no-such-branch'" in capsys.readouterr().err
