"""Evaluating Microsoft's samples: what each would deploy, which values are placeholders, what is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lighthouse_iac.arm.source import read_json
from lighthouse_iac.arm.template import evaluate_template
from lighthouse_iac.errors import ConfigError

from .cases import POLICY_SAMPLES, SAMPLES, SUBSCRIPTION, evaluate_sample, sample_paths

RELECLOUD = "a284898a-fc04-581d-aca0-047861d06160"  # guid('Relecloud Managed Services')
TEST_RG = {
    "test": "d6a5baf1-8b9b-542a-8525-2982f1f98a0c",
    "test2": "fb562ae6-c089-5a96-af37-d11087a88cc0",
    "test3": "0e6c486e-93e2-5c9e-acc3-9b4c6b5021d9",
}  # guid(rgName), Microsoft's multi-RG names


def _sub(name: str) -> list[tuple[str, str, str]]:
    return [("definition", "", name), ("assignment", "", name)]


def _rg(name: str, group: str = "test") -> list[tuple[str, str, str]]:
    return [("definition", "", name), ("assignment", f"/resourceGroups/{group}", name)]


_MULTI = [("definition", "", g) for g in TEST_RG.values()] + [
    ("assignment", f"/resourceGroups/{rg}", g) for rg, g in TEST_RG.items()
]

EXPECTED_RESOURCES: dict[str, list[tuple[str, str, str]]] = {
    "subscription": _sub(RELECLOUD),
    "rg": _rg(RELECLOUD),
    "multi-rg": _MULTI,
    "eligible-subscription": _sub(RELECLOUD),
    "eligible-subscription-approvers": _sub(RELECLOUD),
    "eligible-rg": _rg(RELECLOUD),
    "eligible-rg-approvers": _rg("1227004f-37a7-5b31-a659-bcebb5fa4ed0"),  # guid('Test85fe0dcd-...')
    "eligible-multi-rg": _MULTI,
    "eligible-multi-rg-approvers": _MULTI,
    "marketplace": _sub("33a4ceb3-e216-5044-b469-b8789eacf1aa"),
    "azmigrate": _sub("546eebf5-cf6d-5aef-8802-51cbc981e95e"),
    "azmigrate-defaults": _sub("546eebf5-cf6d-5aef-8802-51cbc981e95e"),
}

_AUTH = "parameters.authorizations.value"
_ELIG = "parameters.eligibleAuthorizations.value[0]"
_TENANT = "parameters.managedByTenantId.value"
_APPROVER = f"{_ELIG}.justInTimeAccessPolicy.managedByTenantApprovers[0].principalId"

EXPECTED_PLACEHOLDERS: dict[str, list[tuple[int, str]]] = {
    "subscription": [
        (12, _TENANT),
        (17, f"{_AUTH}[0].principalId"),
        (22, f"{_AUTH}[1].principalId"),
        (28, f"{_AUTH}[2].principalId"),
    ],
    "rg": [
        (15, _TENANT),
        (20, f"{_AUTH}[0].principalId"),
        (25, f"{_AUTH}[1].principalId"),
        (30, f"{_AUTH}[2].principalId"),
    ],
    "multi-rg": [
        (12, _TENANT),
        (18, f"{_AUTH}[0].principalId"),
        (23, f"{_AUTH}[1].principalId"),
        (28, f"{_AUTH}[2].principalId"),
    ],
    "eligible-subscription": [
        (12, _TENANT),
        (17, f"{_AUTH}[0].principalId"),
        (22, f"{_AUTH}[1].principalId"),
        (36, f"{_ELIG}.principalId"),
    ],
    "eligible-subscription-approvers": [
        (17, f"{_AUTH}[0].principalId"),
        (22, f"{_AUTH}[1].principalId"),
        (37, _APPROVER),
        (42, f"{_ELIG}.principalId"),
    ],
    "eligible-rg": [
        (20, f"{_AUTH}[0].principalId"),
        (25, f"{_AUTH}[1].principalId"),
        (38, f"{_ELIG}.principalId"),
    ],
    "eligible-rg-approvers": [
        (20, f"{_AUTH}[0].principalId"),
        (25, f"{_AUTH}[1].principalId"),
        (30, f"{_AUTH}[2].principalId"),
        (48, _APPROVER),
        (53, f"{_ELIG}.principalId"),
    ],
    "eligible-multi-rg": [
        (12, _TENANT),
        (17, f"{_AUTH}[0].principalId"),
        (22, f"{_AUTH}[1].principalId"),
        (35, f"{_ELIG}.principalId"),
    ],
    "eligible-multi-rg-approvers": [
        (17, f"{_AUTH}[0].principalId"),
        (22, f"{_AUTH}[1].principalId"),
        (27, f"{_AUTH}[2].principalId"),
        (45, _APPROVER),
        (50, f"{_ELIG}.principalId"),
    ],
    "marketplace": [],
    "azmigrate": [
        (17, f"{_AUTH}[0].principalId"),
        (22, f"{_AUTH}[1].principalId"),
        (33, f"{_AUTH}[3].principalId"),
    ],
    "azmigrate-defaults": [
        (34, "parameters.authorizations.defaultValue[0].principalId"),
        (39, "parameters.authorizations.defaultValue[1].principalId"),
    ],
}


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_deploys_what_it_says(name: str) -> None:
    deployment = evaluate_sample(name)
    base = f"/subscriptions/{SUBSCRIPTION}"
    found = [
        ("definition" if r.type.endswith("Definitions") else "assignment", r.scope.removeprefix(base), r.name)
        for r in deployment.resources
    ]
    assert found == EXPECTED_RESOURCES[name]
    assert all(r.scope.startswith(base) for r in deployment.resources)
    for assignment in deployment.assignments():
        definition = f"{base}/providers/Microsoft.ManagedServices/registrationDefinitions/{assignment.name}"
        assert assignment.properties == {"registrationDefinitionId": definition}


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_reports_its_placeholders(name: str) -> None:
    deployment = evaluate_sample(name)
    template, parameters = sample_paths(name)
    file = (parameters or template).name
    assert [(str(p.file).rsplit("/", 1)[-1], p.line, p.path) for p in deployment.placeholders] == [
        (file, line, path) for line, path in EXPECTED_PLACEHOLDERS[name]
    ]


def test_placeholder_messages_say_what_to_put_there() -> None:
    messages = [p.message for p in evaluate_sample("eligible-subscription-approvers").placeholders]
    assert messages[0] == (
        "the all-zero GUID is a placeholder for a principal's object ID ('PIM_Group'): replace it with the "
        "object ID of that group or service principal in the managing tenant"
    )
    assert "('PIM-Approvers')" in messages[2]
    tenant = evaluate_sample("subscription").placeholders[0]
    assert tenant.message == "'<insert managing tenant id>' is a placeholder: replace it with the real value"


def test_the_marketplace_plan_follows_the_marketplace_offer_parameter() -> None:
    assert evaluate_sample("marketplace").definitions()[0].plan is None  # marketplaceOffer: "No"
    deployment = evaluate_sample("marketplace", ("marketplaceOffer=Yes",))
    assert deployment.definitions()[0].plan == {
        "name": "assessment",
        "product": "fabrikam-assessment",
        "publisher": "marketplace-test",
        "version": "2.0.0",
    }


def test_overrides_replace_parameter_values() -> None:
    tenant = "d6ad82f3-42af-4a15-ac1e-49e6c08f624e"
    deployment = evaluate_sample("subscription", (f"managedByTenantId={tenant}",))
    assert deployment.definitions()[0].properties["managedByTenantId"] == tenant
    assert not any(p.path == _TENANT for p in deployment.placeholders)


MG_MESSAGE = (
    "this template onboards subscriptions through a deployIfNotExists Azure Policy at management-group "
    "scope, "
    "which delegates each subscription when the policy remediates it; lighthouse-iac cannot import it "
    "because "
    "it delegates explicit subscriptions. Alternative: list the management group's subscriptions under an "
    "offer's scopes in the customer's stack; to take over the delegations the policy already made, pin "
    "adopt.definitionId and each of adopt.assignmentIds to guid('Relecloud Managed Services') = "
    f"{RELECLOUD} (the policy's template names both so)"
)


@pytest.mark.parametrize(
    ("name", "line", "path", "message"),
    [
        ("policy-management-group", 84, "resources[0].properties.policyRule.then.effect", MG_MESSAGE),
        (
            "policy-multiple-management-groups",
            84,
            "resources[0].properties.policyRule.then.effect",
            MG_MESSAGE,
        ),
        (
            "policy-audit",
            9,
            "resources",
            "this template delegates nothing (no registrationDefinitions or registrationAssignments; it "
            "deploys "
            "Microsoft.Authorization/policyAssignments, Microsoft.Authorization/policyDefinitions); Azure "
            "Policy definitions that audit or restrict "
            "delegations are the customer's own governance, and lighthouse-iac validate checks the same "
            "rules "
            "on your stacks before they deploy",
        ),
        ("policy-audit-root", 9, "resources", None),
        ("policy-allow-tenants", 17, "resources", None),
    ],
    ids=list(POLICY_SAMPLES),
)
def test_policy_templates_are_refused_with_the_alternative(
    name: str, line: int, path: str, message: str | None
) -> None:
    with pytest.raises(ConfigError) as caught:
        evaluate_sample(name)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (line, path)
    if message is None:
        assert problem.message.startswith("this template delegates nothing (no registrationDefinitions")
    else:
        assert problem.message == message


def _template(tmp_path: Path, template: dict[str, Any], parameters: dict[str, Any] | None = None) -> Any:
    t = tmp_path / "t.json"
    t.write_text(json.dumps(template, indent=2))
    p = None
    if parameters is not None:
        p = tmp_path / "p.json"
        p.write_text(json.dumps({"parameters": parameters}, indent=2))
    return read_json(t), read_json(p) if p else None


_BASE: dict[str, Any] = {
    "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
    "parameters": {"offer": {"type": "string"}, "count": {"type": "int", "defaultValue": 1}},
    "resources": [
        {
            "type": "Microsoft.ManagedServices/registrationDefinitions",
            "name": "[guid(parameters('offer'))]",
            "properties": {"registrationDefinitionName": "[parameters('offer')]"},
        }
    ],
}


@pytest.mark.parametrize(
    ("change", "parameters", "expected"),
    [
        (
            {},
            {"ofer": {"value": "x"}},
            [
                "p.json:3: parameters.ofer: the template declares no parameter 'ofer' (did you mean "
                "'offer'?); "
                "its parameters: offer, count",
                "t.json:4: parameters.offer: parameter 'offer' has no value in p.json and no defaultValue; "
                "give it "
                "in the parameters file or with --parameter offer=VALUE",
            ],
        ),
        (
            {},
            {"offer": {"value": "x"}, "count": {"value": "2"}},
            ["p.json:7: parameters.count.value: parameter 'count' is declared int, found \"2\""],
        ),
        (
            {"resources": [{**_BASE["resources"][0], "name": "[uniqueString('x')]"}]},
            {"offer": {"value": "x"}},
            [
                "t.json:15: resources[0].name: [uniqueString('x')]: uniqueString() has a value only Azure "
                "knows at "
                "deployment; it cannot be evaluated offline"
            ],
        ),
        (
            {
                "resources": [
                    {
                        "type": "Microsoft.Resources/deployments",
                        "name": "n",
                        "resourceGroup": "rg",
                        "properties": {"templateLink": {"uri": "https://example.invalid/t.json"}},
                    }
                ]
            },
            {"offer": {"value": "x"}},
            [
                "t.json:18: resources[0].properties.templateLink: linked templates cannot be read offline; "
                "inline the "
                "template ('template') instead"
            ],
        ),
        (
            {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"},
            {"offer": {"value": "x"}},
            [
                "t.json:2: ['$schema']: "
                "'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#' "
                "is not a subscription-level template; onboarding templates are deployed with `az "
                "deployment sub "
                "create` and declare subscriptionDeploymentTemplate.json (ARCH: definitions only at "
                "subscription "
                "scope)"
            ],
        ),
    ],
    ids=[
        "unknown-and-missing-parameter",
        "wrong-type",
        "azure-only-function",
        "linked-template",
        "rg-template",
    ],
)
def test_bad_templates_get_file_line_and_key_path(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: dict[str, Any],
    parameters: dict[str, Any],
    expected: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    template, params = _template(tmp_path, {**_BASE, **change}, parameters)
    with pytest.raises(ConfigError) as caught:
        evaluate_template(template, params, (), SUBSCRIPTION)
    assert str(caught.value).splitlines() == expected


def test_invalid_json_says_where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.json").write_text('{\n  "a": 1,\n  "b": \n}\n')
    with pytest.raises(ConfigError) as caught:
        read_json(tmp_path / "t.json")
    assert str(caught.value) == "t.json:4: not valid JSON: Expecting value"
