"""`plan` and `validate --azure-plans DIR`: a CSP customer's Azure plan as the last deployment knew it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lighthouse_iac.cli import main

from ..projects import BASELINE, STACK, make_project

SUB_A = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
SUB_B = "cd517f52-d3a6-4df4-b0f7-c5afce02d973"
EXTRA = "0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4"
PLAN_SUB = "3f15978e-005c-b763-bb78-2a8fab289c58"
CSP = BASELINE.replace(
    "  lighthouse-iac:offers:", "  lighthouse-iac:csp:\n    subscriptions: all\n  lighthouse-iac:offers:"
)


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_project(tmp_path, CSP)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "azure-plans").mkdir()
    return tmp_path


def snapshot(folder: Path, azure: list[str], whole: bool = True) -> None:
    plan = {"subscriptionId": PLAN_SUB, "azureSubscriptionIds": azure}
    data = {"customer": "Northwind Traders", "azurePlan": plan} if whole else plan
    (folder / "azure-plans" / f"{STACK}.json").write_text(json.dumps(data))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


ADVISORY = (
    f"stacks/Pulumi.{STACK}.yaml:7: advisory: csp.azurePlan: the customer's Azure plan has subscription(s) "
    f"that no offer delegates: {EXTRA} (as the last deployment's snapshot lists them); the MSP manages them "
    "through AOBO alone [lighthouse-csp-plan-delegated]"
)


@pytest.mark.parametrize("whole", [True, False], ids=["stack-output", "azurePlan-output"])
def test_validate_lists_plan_subscriptions_no_offer_delegates(
    scratch: Path, capsys: pytest.CaptureFixture[str], whole: bool
) -> None:
    snapshot(scratch, [SUB_A.upper(), EXTRA], whole)
    code, out, _ = run(capsys, "validate", STACK, "--azure-plans", "azure-plans")
    assert code == 0
    assert [line for line in out.splitlines() if "lighthouse-csp-plan-delegated" in line] == [ADVISORY]


def test_without_a_snapshot_nothing_is_claimed(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", STACK, "--azure-plans", "azure-plans")
    assert code == 0
    assert "lighthouse-csp-plan-delegated" not in out


def test_plan_shows_the_known_entitlements_and_who_delegates_them(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot(scratch, [SUB_A, SUB_B, EXTRA])
    code, out, _ = run(capsys, "plan", STACK, "--azure-plans", "azure-plans")
    assert code == 0
    lines = out.splitlines()
    start = lines.index(f"  Azure plan {PLAN_SUB} (from azure-plans/{STACK}.json)")
    assert lines[start + 1 : start + 4] == [
        f"    {SUB_A}  delegated by managed-operations",
        f"    {SUB_B}  delegated by managed-operations",
        f"    {EXTRA}  delegated by no offer",
    ]
    code, out, _ = run(capsys, "plan", STACK, "--azure-plans", "azure-plans", "--format", "json")
    assert json.loads(out)["azurePlan"]["azureSubscriptions"][2] == {"id": EXTRA, "delegatedBy": []}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not JSON"),
        ('{"azurePlan": {"subscriptionId": "x", "azureSubscriptionIds": []}}', "subscriptionId: expected"),
        (
            json.dumps({"azurePlan": {"subscriptionId": PLAN_SUB, "azureSubscriptionIds": ["; rm -rf /"]}}),
            "azureSubscriptionIds: expected a list of Azure subscription IDs (GUIDs)",
        ),
        ("[]", "expected a JSON object with the stack output 'azurePlan'"),
    ],
    ids=["not-json", "bad-plan-id", "bad-subscription", "not-an-object"],
)
def test_a_broken_snapshot_is_a_clear_error_exit_2(
    scratch: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (scratch / "azure-plans" / f"{STACK}.json").write_text(text)
    code, out, err = run(capsys, "validate", STACK, "--azure-plans", "azure-plans")
    assert code == 2
    assert f"azure-plans/{STACK}.json: azurePlan: " in out + err
    assert message in out + err
    assert "Traceback" not in out + err


def test_the_access_report_shows_aobo_as_its_own_row(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", "--format", "csv")
    assert code == 0
    rows = [line for line in out.splitlines() if "Admin Agents (AOBO)" in line]
    assert len(rows) == 2  # one per subscription created through CSP
    assert all(",Owner," in row and ",aobo," in row for row in rows)
    assert any(SUB_A in row for row in rows) and any(SUB_B in row for row in rows)


def test_a_customer_without_csp_has_no_aobo_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(tmp_path, BASELINE)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "report", "--format", "csv")
    assert code == 0 and "AOBO" not in out
