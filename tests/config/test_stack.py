"""Bad input: each case changes one thing in a compliant baseline and asserts the exact one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest

from lighthouse_iac.cli import main
from lighthouse_iac.config import load_stack

from ..projects import BASELINE, STACK, STACK_FILE, make_project

SECOND_OFFER = """\
    - key: managed-operations
      name: Second offer
      description: Second offer
      authorizations:
        - principal: msp-readers
          role: Reader
      scopes:
        - subscription: 9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f
"""

F = STACK_FILE
CASES: dict[str, tuple[str, str, str]] = {
    "yaml-syntax-error": (
        "    name: Northwind Traders\n",
        "    name: [Northwind Traders\n",
        f"{F}:4: YAML syntax error: did not find expected ',' or ']'",
    ),
    "duplicate-yaml-key": (
        "    name: Northwind Traders\n",
        "    name: Northwind Traders\n    name: Northwind\n",
        f"{F}:4: config['lighthouse-iac:customer'].name: duplicate key 'name' (first at line 3); "
        "YAML keeps only one",
    ),
    "unknown-key": (
        "          maximumActivation: PT2H\n",
        "          maximumActivaton: PT2H\n",
        f"{F}:19: offers[0].eligibleAuthorizations[0].maximumActivaton: unknown key 'maximumActivaton' "
        "(did you mean 'maximumActivation'?); allowed keys: principal, role, maximumActivation, requireMfa, "
        "approvers",
    ),
    "unknown-namespace-key": (
        "  lighthouse-iac:offers:\n",
        "  lighthouse-iac:ofers:\n",
        f"{F}:7: lighthouse-iac:ofers: unknown key 'lighthouse-iac:ofers' (did you mean "
        "'lighthouse-iac:offers'?); allowed keys: lighthouse-iac:managingTenant, lighthouse-iac:customer, "
        "lighthouse-iac:onboarding, lighthouse-iac:csp, lighthouse-iac:offers, lighthouse-iac:roleCatalogues",
    ),
    "missing-key": (
        "    name: Northwind Traders\n",
        "",
        f"{F}:2: customer.name: missing required key 'name'",
    ),
    "wrong-type-list": (
        "          approvers: [msp-approvers]\n",
        "          approvers: msp-approvers\n",
        f"{F}:20: offers[0].eligibleAuthorizations[0].approvers: expected a list, found 'msp-approvers'",
    ),
    "wrong-type-bool": (
        "          approvers: [msp-approvers]\n",
        "          approvers: [msp-approvers]\n          requireMfa: maybe\n",
        f"{F}:21: offers[0].eligibleAuthorizations[0].requireMfa: expected true or false, found 'maybe'",
    ),
    "wrong-type-number-for-string": (
        "    name: Northwind Traders\n",
        "    name: 42\n",
        f"{F}:3: customer.name: expected a string, found the number 42",
    ),
    "value-not-allowed": (
        "    objectId: 76f7b000-9bd5-41e3-aa58-563670d45b51\n",
        "    objectId: 76f7b000-9bd5-41e3-aa58-563670d45b51\n    userType: guest\n",
        f"{F}:7: onboarding.userType: 'guest' is not allowed; allowed: 'Member' or 'Guest'",
    ),
    "malformed-guid": (
        "        - subscription: 9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f\n",
        "        - subscription: 9dd01112-b6af-4f0b-a950\n",
        f"{F}:22: offers[0].scopes[0].subscription: '9dd01112-b6af-4f0b-a950' is not a GUID; "
        "expected 8-4-4-4-12 hexadecimal digits",
    ),
    "guid-with-a-trailing-newline": (
        "        - subscription: 9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f\n",
        '        - subscription: "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f\\n"\n',
        f"{F}:22: offers[0].scopes[0].subscription: '9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f\\n' is not a GUID; "
        "expected 8-4-4-4-12 hexadecimal digits",
    ),
    "activation-with-a-trailing-newline": (
        "PT2H",
        '"PT2H\\n"',
        f"{F}:19: offers[0].eligibleAuthorizations[0].maximumActivation: 'PT2H\\n' is not an ISO 8601 "
        "duration such as PT30M, PT1H30M or PT8H",
    ),
    "blank-name": (
        "    name: Northwind Traders\n",
        '    name: "   "\n',
        f"{F}:3: customer.name: must not be blank",
    ),
    "resource-group-with-a-newline": (
        "[rg-app, rg-data]",
        '[rg-app, "rg-data\\n"]',
        f"{F}:24: offers[0].scopes[1].resourceGroups[1].name: 'rg-data\\n' is not allowed; expected a "
        "resource group name: letters, digits, '-', '_', '.', '(' and ')', at most 90 characters",
    ),
    "malformed-offer-key": (
        "    - key: managed-operations\n",
        "    - key: Managed Operations\n",
        f"{F}:8: offers[0].key: 'Managed Operations' is not allowed; expected lowercase letters, digits "
        "and hyphens, starting with a letter or digit, at most 63 characters",
    ),
    "unknown-role": (
        "          role: Contributor\n",
        "          role: Contributer\n",
        f"{F}:18: offers[0].eligibleAuthorizations[0].role: unknown role 'Contributer' (did you mean "
        "'Contributor'?); expected a built-in role name or GUID from the role catalogue",
    ),
    "unknown-principal": (
        "        - principal: msp-offboarding\n",
        "        - principal: msp-offboardng\n",
        f"{F}:14: offers[0].authorizations[1].principal: unknown principal 'msp-offboardng' (did you mean "
        "'msp-offboarding'?); principals in managingTenant.principals: msp-approvers, msp-offboarding, "
        "msp-oncall, msp-operators, msp-platform, msp-readers, msp-security",
    ),
    "unknown-approver": (
        "          approvers: [msp-approvers]\n",
        "          approvers: [msp-approver-group]\n",
        f"{F}:20: offers[0].eligibleAuthorizations[0].approvers[0]: unknown principal 'msp-approver-group' "
        "(did you mean 'msp-approvers'?); principals in managingTenant.principals: msp-approvers, "
        "msp-offboarding, msp-oncall, msp-operators, msp-platform, msp-readers, msp-security",
    ),
    "duplicate-offer-key": (
        BASELINE,
        BASELINE + SECOND_OFFER,
        f"{F}:25: offers[1].key: duplicate offer key 'managed-operations' (also offers[0]); "
        "keys must be unique",
    ),
    "same-resource-group-twice": (
        "          resourceGroups: [rg-app, rg-data]\n",
        "          resourceGroups: [rg-app, rg-data, RG-App]\n",
        f"{F}:24: offers[0].scopes[1].resourceGroups[2]: resource group 'RG-App' is already listed at "
        "resourceGroups[0]; the same scope twice in one offer is refused by Azure "
        "(names are case-insensitive)",
    ),
    "same-subscription-twice": (
        "        - subscription: cd517f52-d3a6-4df4-b0f7-c5afce02d973\n",
        "        - subscription: 9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f\n",
        f"{F}:23: offers[0].scopes[1].subscription: subscription 9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f is "
        "already listed at scopes[0]; the same scope twice in one offer is refused by Azure, list its "
        "resource groups in one entry",
    ),
    "empty-authorizations": (
        "      authorizations:\n        - principal: msp-readers\n          role: Reader\n"
        "        - principal: msp-offboarding\n"
        "          role: Managed Services Registration assignment Delete Role\n",
        "      authorizations: []\n",
        f"{F}:11: offers[0].authorizations: must not be empty",
    ),
    "empty-resource-groups": (
        "          resourceGroups: [rg-app, rg-data]\n",
        "          resourceGroups: []\n",
        f"{F}:24: offers[0].scopes[1].resourceGroups: must not be empty",
    ),
    "activation-too-long": (
        "PT2H",
        "PT9H",
        f"{F}:19: offers[0].eligibleAuthorizations[0].maximumActivation: 'PT9H' is outside PT30M..PT8H, "
        "the activation range Azure allows",
    ),
    "activation-too-short": (
        "PT2H",
        "PT15M",
        f"{F}:19: offers[0].eligibleAuthorizations[0].maximumActivation: 'PT15M' is outside PT30M..PT8H, "
        "the activation range Azure allows",
    ),
    "activation-not-a-duration": (
        "PT2H",
        "2 hours",
        f"{F}:19: offers[0].eligibleAuthorizations[0].maximumActivation: '2 hours' is not an ISO 8601 "
        "duration such as PT30M, PT1H30M or PT8H",
    ),
    "managing-tenant-is-customer-tenant": (
        "    tenantId: 8ad2ca68-ccfd-43e6-8ff9-3428cca138a5\n",
        "    tenantId: d980ba46-0ced-44e9-ba1f-fe956db47fe4\n",
        f"{F}:4: customer.tenantId: the customer's tenant d980ba46-0ced-44e9-ba1f-fe956db47fe4 is the "
        "managing tenant; a tenant cannot delegate to itself",
    ),
    "adopt-unknown-scope": (
        "      scopes:\n",
        "      adopt:\n        assignmentIds:\n"
        "          /subscriptions/9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f/resourceGroups/rg-x: "
        "0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4\n      scopes:\n",
        f"{F}:23: offers[0].adopt.assignmentIds['/subscriptions/9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f/"
        "resourceGroups/rg-x']: '/subscriptions/9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f/resourceGroups/rg-x' is "
        "not a scope of this offer; expected one of: /subscriptions/9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f, "
        "/subscriptions/cd517f52-d3a6-4df4-b0f7-c5afce02d973/resourcegroups/rg-app, "
        "/subscriptions/cd517f52-d3a6-4df4-b0f7-c5afce02d973/resourcegroups/rg-data",
    ),
}


@pytest.mark.parametrize(("old", "new", "expected"), CASES.values(), ids=CASES.keys())
def test_bad_input_is_one_clear_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    expected: str,
) -> None:
    assert old in BASELINE
    make_project(tmp_path, BASELINE.replace(old, new, 1))
    monkeypatch.chdir(tmp_path)

    assert main(["plan", STACK]) == 2

    out, err = capsys.readouterr()
    assert err == expected + "\n"
    assert out == ""


def test_baseline_is_valid(tmp_path: Path) -> None:
    stack = load_stack(make_project(tmp_path), STACK)
    assert [o.key for o in stack.config.offers] == ["managed-operations"]


def test_every_problem_is_reported_not_only_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = BASELINE.replace("role: Reader", "role: Reeder").replace(
        "principal: msp-offboarding", "principal: x"
    )
    make_project(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    assert main(["plan", STACK]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "offers[0].authorizations[0].role",
        "offers[0].authorizations[1].principal",
    ]


def test_yaml_merge_keys_may_be_overridden(tmp_path: Path) -> None:
    text = BASELINE.replace(
        "      authorizations:\n        - principal: msp-readers\n          role: Reader\n",
        "      authorizations:\n        - &reader {principal: msp-readers, role: Reader}\n"
        "        - {<<: *reader, role: Monitoring Reader}\n",
    )
    stack = load_stack(make_project(tmp_path, text), STACK)
    assert [(a.principal, a.role) for a in stack.config.offers[0].authorizations][:2] == [
        ("msp-readers", "Reader"),
        ("msp-readers", "Monitoring Reader"),
    ]
