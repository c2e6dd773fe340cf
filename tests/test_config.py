"""Bad input: each case changes one thing in a compliant baseline and asserts the exact one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest

from lighthouse_iac import config
from lighthouse_iac.cli import main
from lighthouse_iac.config import load_stack
from lighthouse_iac.errors import ConfigError

from .projects import BASELINE, STACK, STACK_FILE, make_project

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


def test_unknown_stack_lists_the_stacks_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["plan", "fabrikam"]) == 2
    assert capsys.readouterr().err == (
        "stacks/Pulumi.fabrikam.yaml: no stack file for customer 'fabrikam'; stacks here: northwind\n"
    )


def test_no_project_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["plan", STACK]) == 2
    assert capsys.readouterr().err == (
        "lighthouse-iac: no Pulumi.yaml in this folder or its parents; run inside the project or pass "
        "--project-dir\n"
    )


def test_missing_managing_tenant_points_to_the_project_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(tmp_path)
    (tmp_path / "Pulumi.yaml").write_text("name: lighthouse-iac\nruntime: python\nstackConfigDir: stacks\n")
    monkeypatch.chdir(tmp_path)
    assert main(["plan", STACK]) == 2
    assert capsys.readouterr().err == (
        f"{F}:1: lighthouse-iac:managingTenant: missing required key 'lighthouse-iac:managingTenant' "
        "(declared once for all customers in Pulumi.yaml)\n"
    )


def test_error_in_project_file_names_the_project_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(tmp_path)
    project = tmp_path / "Pulumi.yaml"
    project.write_text(project.read_text().replace("kind: group", "kind: team", 1))
    monkeypatch.chdir(tmp_path)
    assert main(["plan", STACK]) == 2
    line = next(i for i, t in enumerate(project.read_text().splitlines(), 1) if "kind: team" in t)
    assert capsys.readouterr().err == (
        f"Pulumi.yaml:{line}: managingTenant.principals.msp-readers.kind: 'team' is not allowed; "
        "allowed: 'group', 'servicePrincipal' or 'user'\n"
    )


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


def test_a_folder_named_like_a_stack_file_is_not_a_stack(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "stacks" / "Pulumi.folder.yaml").mkdir()
    assert config.list_stacks(config.load_project(project)) == [STACK]


@pytest.mark.parametrize("name", ["../northwind", "a/b", "..", ".hidden", "", "x" * 101, "na me"])
def test_customer_names_must_be_stack_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["plan", name]) == 2
    assert capsys.readouterr().err == (
        f"'{name}' is not a valid customer stack name; use letters, digits, '-', '_' and '.', starting with "
        "a letter or digit (the name of stacks/Pulumi.<customer>.yaml)\n"
    )


OWN_TENANT = """\
  lighthouse-iac:managingTenant:
    tenantId: 0b6c8a3e-1f2d-4e5a-9b7c-6d5e4f3a2b1c
    name: Someone Else
    principals:
      msp-readers: {objectId: 4e7f79e9-a1ed-4b80-b106-32a7434ec1a4, kind: group, displayName: Readers}
  roleCatalogues: [roles.json]
"""


@pytest.mark.parametrize("command", ["plan", "validate"])
def test_a_stack_file_cannot_set_project_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # Both keys are the same for every customer; a stack of its own would move access in a one-file diff.
    make_project(tmp_path, BASELINE.replace("config:\n", "config:\n" + OWN_TENANT, 1))
    monkeypatch.chdir(tmp_path)
    assert main([command, STACK]) == 2
    err = capsys.readouterr()
    assert (err.err + err.out).splitlines()[:2] == [
        f"{F}:2: lighthouse-iac:managingTenant: 'lighthouse-iac:managingTenant' is project-level "
        "configuration: it is set once for every customer in Pulumi.yaml and a stack file cannot set or "
        "override it; remove it from this file",
        f"{F}:7: roleCatalogues: 'lighthouse-iac:roleCatalogues' is project-level configuration: it is set "
        "once for every customer in Pulumi.yaml and a stack file cannot set or override it; remove it from "
        "this file",
    ]


def test_the_program_refuses_a_stack_that_sets_project_keys(tmp_path: Path) -> None:
    # The engine merges a stack's managingTenant over the project's; only the stack file shows it.
    make_project(tmp_path, BASELINE.replace("config:\n", "config:\n" + OWN_TENANT, 1))
    values = {"lighthouse-iac:managingTenant": '{"tenantId": "0b6c8a3e-1f2d-4e5a-9b7c-6d5e4f3a2b1c"}'}
    with pytest.raises(ConfigError) as raised:
        config.from_engine(tmp_path, STACK, values)
    assert [p.path for p in raised.value.problems] == ["lighthouse-iac:managingTenant", "roleCatalogues"]
