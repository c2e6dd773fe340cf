"""The rules across customer stacks, in `validate` and `report`, on scratch projects of two stacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lighthouse_iac.cli import main

from ..projects import BASELINE, make_project

TENANT, ONBOARDING = "8ad2ca68-ccfd-43e6-8ff9-3428cca138a5", "76f7b000-9bd5-41e3-aa58-563670d45b51"
SUB1, SUB2 = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f", "cd517f52-d3a6-4df4-b0f7-c5afce02d973"
OWN = {  # what the README says to change when copying a customer: tenant, onboarding identity, subscriptions
    TENANT: "3f1c2a7e-9b4d-4e8a-a1c2-7d5e6f708192",
    ONBOARDING: "a2b3c4d5-e6f7-4890-8abc-def012345678",
    SUB1: "6c7d8e9f-0a1b-4c2d-8e3f-405162738495",
    SUB2: "0b1c2d3e-4f50-4617-8a9b-acbdcedf0011",
}
A, B = "stacks/Pulumi.northwind.yaml", "stacks/Pulumi.fourthcoffee.yaml"


@pytest.fixture(autouse=True)
def _in_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working folder


def copy(changes: dict[str, str]) -> str:
    text = BASELINE
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


def two_stacks(tmp: Path, second: str, first: str = BASELINE) -> Path:
    project = make_project(tmp, first)
    (project / B).write_text(second)
    return project


def verdicts(
    project: Path, capsys: pytest.CaptureFixture[str], *paths: str
) -> tuple[int, list[tuple[str, str, str, str, str]]]:
    code = main(["-C", str(project), "validate", *paths, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    found = [
        (v["rule"], v["level"], f"{v['file']}:{v['line']}", v["path"], v["message"])
        for s in data["stacks"]
        for v in s["verdicts"]
    ]
    return code, found


def test_a_copy_with_its_own_tenant_identity_and_subscriptions_is_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = two_stacks(tmp_path, copy(OWN))
    assert verdicts(project, capsys) == (0, [])


def test_a_copy_that_kept_the_subscriptions_fails_naming_both_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = two_stacks(tmp_path, copy({TENANT: OWN[TENANT], ONBOARDING: OWN[ONBOARDING]}))
    code, found = verdicts(project, capsys)
    assert code == 1
    scope = "lighthouse-scope-in-one-stack"
    assert [(rule, where, path) for rule, _, where, path, _ in found] == [
        (scope, f"{B}:22", "offers[0].scopes[0].subscription"),
        (scope, f"{B}:24", "offers[0].scopes[1].resourceGroups[0]"),
        (scope, f"{B}:24", "offers[0].scopes[1].resourceGroups[1]"),
        (scope, f"{A}:22", "offers[0].scopes[0].subscription"),
        (scope, f"{A}:24", "offers[0].scopes[1].resourceGroups[0]"),
        (scope, f"{A}:24", "offers[0].scopes[1].resourceGroups[1]"),
    ]
    assert {level for _, level, *_ in found} == {"mandatory"}
    assert found[0][4] == (
        f"subscription {SUB1} is also delegated by {A}:22 (stack northwind); a subscription belongs to one "
        f"tenant, and they name tenant {TENANT}, not {OWN[TENANT]}: keep it in the stack of the customer "
        "that owns it"
    )
    assert found[4][4].startswith(
        f"resource group rg-app of subscription {SUB2} is also delegated by {B}:24 "
    )


def test_the_text_output_names_both_files_and_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = two_stacks(tmp_path, copy({SUB2: OWN[SUB2]}))
    assert main(["-C", str(project), "validate"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        f"{A}:22: mandatory: offers[0].scopes[0].subscription: subscription {SUB1} is also delegated by "
        f"{B}:22 (stack fourthcoffee); two stacks would own (and either could delete) the same delegation: "
        "keep it in the stack of the customer that owns it [lighthouse-scope-in-one-stack]"
    ) in out
    assert (
        f"{A}:4: mandatory: customer.tenantId: customer tenant {TENANT} is also the tenant of {B}:4 (stack "
        "fourthcoffee); merge the stacks, correct the tenant ID of the copy, or say why this customer needs "
        "several stacks in customer.sharedTenantReason of each [lighthouse-one-stack-per-tenant]"
    ) in out
    assert out[-1] == "2 stacks checked, 4 mandatory violations, 0 advisories"


def test_validating_one_stack_compares_it_with_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = two_stacks(tmp_path, copy({TENANT: OWN[TENANT], ONBOARDING: OWN[ONBOARDING], SUB2: OWN[SUB2]}))
    code, found = verdicts(project, capsys, "fourthcoffee")
    assert code == 1
    assert [(rule, where) for rule, _, where, _, _ in found] == [("lighthouse-scope-in-one-stack", f"{B}:22")]


def test_one_tenant_in_two_stacks_needs_a_reason_in_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reason = f"    tenantId: {TENANT}\n    sharedTenantReason: development is approved separately\n"
    second = copy(
        {ONBOARDING: OWN[ONBOARDING], SUB1: OWN[SUB1], SUB2: OWN[SUB2], f"    tenantId: {TENANT}\n": reason}
    )
    project = two_stacks(tmp_path, second)
    code, found = verdicts(project, capsys)
    assert (code, [(rule, where) for rule, _, where, _, _ in found]) == (
        1,
        [("lighthouse-one-stack-per-tenant", f"{A}:4")],
    )
    (project / A).write_text(BASELINE.replace(f"    tenantId: {TENANT}\n", reason))
    assert verdicts(project, capsys) == (0, [])


def test_an_onboarding_identity_in_two_tenants_needs_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = two_stacks(tmp_path, copy({TENANT: OWN[TENANT], SUB1: OWN[SUB1], SUB2: OWN[SUB2]}))
    code, found = verdicts(project, capsys)
    assert code == 1
    assert [(rule, where, path) for rule, _, where, path, _ in found] == [
        ("lighthouse-onboarding-per-tenant", f"{B}:6", "onboarding.objectId"),
        ("lighthouse-onboarding-per-tenant", f"{A}:6", "onboarding.objectId"),
    ]
    assert found[0][4] == (
        f"onboarding object ID {ONBOARDING} is also the onboarding identity of {A}:6 (stack northwind), in "
        "another tenant; object IDs are per tenant, so one of them is a copy: set this customer's own "
        "identity, or say why in onboarding.sharedIdentityReason"
    )
    why = f"    objectId: {ONBOARDING}\n    sharedIdentityReason: the same app registration, by design\n"
    (project / A).write_text(BASELINE.replace(f"    objectId: {ONBOARDING}\n", why))
    assert [w for _, _, w, _, _ in verdicts(project, capsys)[1]] == [f"{B}:6"]


def test_one_definition_declared_by_two_stacks_of_a_tenant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Same tenant (documented), same subscription, different resource groups, same offer key: the scopes do
    # not overlap, but both stacks would own one registration definition.
    reason = f"    tenantId: {TENANT}\n    sharedTenantReason: one team per resource group\n"
    first = BASELINE.replace(f"    tenantId: {TENANT}\n", reason)
    second = first.replace(f"        - subscription: {SUB1}\n", "").replace("[rg-app, rg-data]", "[rg-web]")
    project = two_stacks(tmp_path, second, first)
    code, found = verdicts(project, capsys)
    assert code == 1
    definition = f"/subscriptions/{SUB2}/providers/Microsoft.ManagedServices/registrationDefinitions/"
    assert [(rule, where, path) for rule, _, where, path, _ in found] == [
        ("lighthouse-unique-ids-across-stacks", f"{B}:9", "offers[0].key"),
        ("lighthouse-unique-ids-across-stacks", f"{A}:9", "offers[0].key"),
    ]
    assert found[0][4].startswith(f"definition {definition}")
    assert found[0][4].endswith(
        f"is also declared by {A}:9 (stack northwind); two stacks would manage one Azure resource: change "
        "the offer key, or the adopted GUID, of one of them"
    )
    (project / B).write_text(second.replace("key: managed-operations", "key: web-operations"))
    assert verdicts(project, capsys) == (0, [])


def test_a_rule_across_stacks_follows_the_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = two_stacks(tmp_path, copy({TENANT: OWN[TENANT], SUB1: OWN[SUB1], SUB2: OWN[SUB2]}))
    settings = tmp_path / "policy-config.json"
    settings.write_text('{"lighthouse-onboarding-per-tenant": {"enforcementLevel": "advisory"}}')
    assert main(["-C", str(project), "validate", "--config", str(settings)]) == 0
    assert (
        capsys.readouterr().out.splitlines()[-1] == "2 stacks checked, 0 mandatory violations, 2 advisories"
    )


def test_the_report_shows_the_verdicts_across_stacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = two_stacks(tmp_path, copy({TENANT: OWN[TENANT], ONBOARDING: OWN[ONBOARDING], SUB2: OWN[SUB2]}))
    assert main(["-C", str(project), "report", "--format", "json"]) == 0
    found = [(v["stack"], v["rule"], v["level"]) for v in json.loads(capsys.readouterr().out)["verdicts"]]
    assert found == [
        ("fourthcoffee", "lighthouse-scope-in-one-stack", "mandatory"),
        ("northwind", "lighthouse-scope-in-one-stack", "mandatory"),
    ]
