"""The pack fails closed: configuration cannot relax the locked rules, and what it cannot read fails the run.

Every case builds its own project (tests/projects.py), so nothing depends on the example customers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ..engine import Registered, engine_config
from ..projects import BASELINE, STACK, make_project
from .analyzer import Diagnostic, configure_from_file, started_pack
from .test_policies import program_run

OWNER = BASELINE.replace("          role: Reader\n", "          role: Owner\n", 1)


def pack_run(
    project: Path, resources: list[Registered], config_file: dict[str, Any] | None = None
) -> list[Diagnostic]:
    with started_pack(STACK, engine_config(project, STACK)) as pack:
        configure_from_file(pack, config_file or {})
        return pack.run(resources)


@pytest.mark.parametrize(
    "config_file",
    [{"all": "disabled"}, {"lighthouse-no-owner-role": "advisory"}, {"lighthouse-no-owner-role": "disabled"}],
    ids=["all-disabled", "owner-advisory", "owner-disabled"],
)
def test_a_pack_config_cannot_relax_a_locked_rule(tmp_path: Path, config_file: dict[str, Any]) -> None:
    project = make_project(tmp_path, OWNER)
    diagnostics = pack_run(project, program_run(project, STACK), config_file)
    level = config_file.get("lighthouse-no-owner-role", "disabled")
    note = (
        f" (the policy pack config makes lighthouse-no-owner-role {level}, but it is always mandatory: "
        "docs/security.md)"
    )
    assert {(d.policy, d.level) for d in diagnostics} == {("lighthouse-no-owner-role", "mandatory")}
    assert all(d.message.endswith(note) for d in diagnostics)


def test_an_unlocked_rule_may_still_be_disabled(tmp_path: Path) -> None:
    no_delete = BASELINE.replace(
        "        - principal: msp-offboarding\n"
        "          role: Managed Services Registration assignment Delete Role\n",
        "",
    )
    project = make_project(tmp_path, no_delete)
    resources = program_run(project, STACK)
    assert {d.policy for d in pack_run(project, resources)} == {"lighthouse-registration-delete-role"}
    assert pack_run(project, resources, {"lighthouse-registration-delete-role": "disabled"}) == []


# --- whatever resource carries a delegation, the pack checks it ----------------------------------------

MANAGING = "d980ba46-0ced-44e9-ba1f-fe956db47fe4"
READERS = "4e7f79e9-a1ed-4b80-b106-32a7434ec1a4"
OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER_ROLE = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
SUBSCRIPTION = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
DEFINITION_GUID = "3c1e0f6a-8b2d-4c7e-9a5f-1d2e3f4a5b6c"
OWNER_GRANT = {"principalId": READERS, "roleDefinitionId": OWNER_ROLE, "principalIdDisplayName": "Readers"}


def registered(type_: str, name: str, inputs: dict[str, Any]) -> Registered:
    urn = f"urn:pulumi:{STACK}::lighthouse-iac::{type_}::{name}"
    return Registered(type_, name, urn, "", inputs, False, False, True)


def _template(authorizations: Any) -> dict[str, Any]:
    """A subscription template with one definition and its assignment, as Microsoft's samples write it."""
    definition = (
        "[resourceId('Microsoft.ManagedServices/registrationDefinitions', variables('definitionId'))]"
    )
    return {
        "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"authorizations": {"type": "array"}},
        "variables": {"definitionId": "[guid('offer')]", "assignmentId": "[guid('assignment')]"},
        "resources": [
            {
                "type": "Microsoft.ManagedServices/registrationDefinitions",
                "apiVersion": "2022-10-01",
                "name": "[variables('definitionId')]",
                "properties": {
                    "registrationDefinitionName": "Offer",
                    "description": "An offer",
                    "managedByTenantId": MANAGING,
                    "authorizations": "[parameters('authorizations')]",
                },
            },
            {
                "type": "Microsoft.ManagedServices/registrationAssignments",
                "apiVersion": "2022-10-01",
                "name": "[variables('assignmentId')]",
                "dependsOn": [definition],
                "properties": {"registrationDefinitionId": definition},
            },
        ],
    }


CARRIERS = [
    (
        "classic-definition",
        registered(
            "azure:lighthouse/definition:Definition",
            "offer",
            {
                "name": "Offer",
                "description": "An offer",
                "managingTenantId": MANAGING,
                "scope": f"/subscriptions/{SUBSCRIPTION}",
                "lighthouseDefinitionId": DEFINITION_GUID,
                "authorizations": [
                    {
                        "principalId": READERS,
                        "roleDefinitionId": OWNER_ROLE,
                        "principalDisplayName": "Readers",
                    }
                ],
            },
        ),
    ),
    (
        "generic-resource",
        registered(
            "azure-native:resources:Resource",
            "offer",
            {
                "resourceProviderNamespace": "Microsoft.ManagedServices",
                "resourceType": "registrationDefinitions",
                "resourceName": DEFINITION_GUID,
                "resourceGroupName": "rg-app",
                "apiVersion": "2022-10-01",
                "properties": {
                    "registrationDefinitionName": "Offer",
                    "description": "An offer",
                    "managedByTenantId": MANAGING,
                    "authorizations": [OWNER_GRANT],
                },
            },
        ),
    ),
    (
        "inline-template",
        registered(
            "azure-native:resources:DeploymentAtSubscriptionScope",
            "offer",
            {
                "location": "westeurope",
                "properties": {
                    "mode": "Incremental",
                    "template": _template(None),
                    "parameters": {"authorizations": {"value": [OWNER_GRANT]}},
                },
            },
        ),
    ),
]


@pytest.mark.parametrize("resource", [c[1] for c in CARRIERS], ids=[c[0] for c in CARRIERS])
def test_owner_is_refused_whatever_resource_carries_it(tmp_path: Path, resource: Registered) -> None:
    project = make_project(tmp_path)
    with started_pack(STACK, engine_config(project, STACK)) as pack:
        pack.configure()
        diagnostics = pack.analyze(resource)
    owner = [d for d in diagnostics if d.policy == "lighthouse-no-owner-role"]
    assert owner and {(d.level, d.urn) for d in owner} == {("mandatory", resource.urn)}
    assert all(f"grants Owner ({OWNER_ROLE})" in d.message for d in owner)


def _stack_findings(
    project: Path, resources: list[Registered], config: dict[str, str] | None = None
) -> list[str]:
    with started_pack(STACK, config if config is not None else engine_config(project, STACK)) as pack:
        pack.configure()
        return [d.message for d in pack.analyze_stack(resources) if d.policy == "lighthouse-policy-inputs"]


def test_an_assignment_of_a_definition_not_in_the_stack_is_a_finding(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    elsewhere = (
        f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationDefinitions/"
        f"{DEFINITION_GUID}"
    )
    assignment = registered(
        "azure-native:managedservices:RegistrationAssignment",
        "assignment",
        {
            "scope": f"/subscriptions/{SUBSCRIPTION}",
            "registrationAssignmentId": "0456dcf7-4081-5a37-9e0e-3ff6b0d6f1c3",
            "properties": {"registrationDefinitionId": elsewhere},
        },
    )
    assert _stack_findings(project, [assignment]) == [
        f"properties.registrationDefinitionId: the assignment delegates {elsewhere}, a registration "
        "definition that is not in this stack, so no rule has checked what it grants; define it in the same "
        "stack (or template)"
    ]


def _definition(authorizations: Any) -> Registered:
    return registered(
        "azure-native:managedservices:RegistrationDefinition",
        "offer",
        {
            "scope": f"/subscriptions/{SUBSCRIPTION}",
            "registrationDefinitionId": DEFINITION_GUID,
            "properties": {
                "registrationDefinitionName": "Offer",
                "description": "An offer",
                "managedByTenantId": MANAGING,
                "authorizations": authorizations,
            },
        },
    )


READER_GRANT = {"principalId": READERS, "roleDefinitionId": READER_ROLE, "principalIdDisplayName": "Readers"}
ODD_GRANTS = [
    (
        "extra-list",
        [[READER_GRANT]],
        "properties.authorizations[0]",
        "expected an authorization (a mapping), found a list",
    ),
    (
        "number",
        [{**READER_GRANT, "principalId": 7}],
        "properties.authorizations[0].principalId",
        "expected principalId as a string, found 7.0",
    ),
    (
        "null-role",
        [{**READER_GRANT, "roleDefinitionId": None}],
        "properties.authorizations[0].roleDefinitionId",
        "expected roleDefinitionId as a string, found nothing",
    ),
    ("null-list", None, "properties.authorizations", "expected a list of authorizations, found nothing"),
    (
        "unknown-key",
        [{**READER_GRANT, "roles": [OWNER_ROLE]}],
        "properties.authorizations[0].roles",
        "an authorization has a key the pack does not know (roles); it cannot tell what it grants",
    ),
]


@pytest.mark.parametrize(
    ("grants", "where", "text"), [c[1:] for c in ODD_GRANTS], ids=[c[0] for c in ODD_GRANTS]
)
def test_a_grant_in_an_unexpected_shape_is_a_finding(
    tmp_path: Path, grants: Any, where: str, text: str
) -> None:
    project = make_project(tmp_path)
    findings = _stack_findings(project, [_definition(grants)])
    assert f"{where}: {text}; the rules cannot check a registration they cannot read" in findings


def _config(project: Path, **changes: Any) -> dict[str, str]:
    config = engine_config(project, STACK)
    for key, value in changes.items():
        full = f"lighthouse-iac:{key}"
        if value is None:
            config.pop(full)
        else:
            config[full] = json.dumps(value)
    return config


def test_odd_configuration_is_a_finding(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    tenant = json.loads(_config(project)["lighthouse-iac:managingTenant"])
    tenant["tenantId"] = f" {MANAGING}"
    first = next(iter(tenant["principals"]))
    tenant["principals"][first]["kind"] = "team"
    config = _config(project, managingTenant=tenant, onboarding=None)
    findings = _stack_findings(project, [_definition([READER_GRANT])], config)
    suffix = "; correct the stack configuration (Pulumi.yaml or the stack file)"
    assert (
        f"lighthouse-iac:managingTenant.tenantId: ' {MANAGING}' has whitespace around it; the rules would "
        f"not recognise it{suffix}" in findings
    )
    assert (
        f"lighthouse-iac:managingTenant.principals.{first}.kind: 'team' is not one of group, "
        f"servicePrincipal, user; the rules cannot judge it{suffix}" in findings
    )
    assert (
        "lighthouse-iac:onboarding: no onboarding in the stack configuration; the onboarding rules cannot "
        f"run{suffix}" in findings
    )


@pytest.mark.parametrize(
    ("resource", "text"),
    [
        (
            registered(
                "azure-native:resources:Resource",
                "odd",
                {
                    "resourceProviderNamespace": "Microsoft.ManagedServices",
                    "resourceType": "marketplaceRegistrationDefinitions",
                    "resourceGroupName": "rg",
                },
            ),
            "odd (azure-native:resources:Resource) resourceType: Microsoft.ManagedServices/"
            "marketplaceRegistrationDefinitions is a Lighthouse resource type the pack does not know",
        ),
        (
            registered(
                "azure-native:resources:Deployment",
                "linked",
                {
                    "resourceGroupName": "rg",
                    "properties": {
                        "mode": "Incremental",
                        "templateLink": {"uri": "https://example.com/t.json"},
                    },
                },
            ),
            "linked (azure-native:resources:Deployment) properties.templateLink: a linked template or "
            "parameters file may carry Lighthouse delegations the pack cannot read; deploy the template "
            "inline (properties.template) so that it is checked",
        ),
    ],
    ids=["unknown-managed-services-type", "linked-template"],
)
def test_what_the_pack_cannot_see_fails_the_run(tmp_path: Path, resource: Registered, text: str) -> None:
    project = make_project(tmp_path)
    assert text in _stack_findings(project, [resource])
