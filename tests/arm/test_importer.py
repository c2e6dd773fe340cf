"""Importing each of Microsoft's samples: the exact stack, directory entries and notes it becomes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lighthouse_iac import ids
from lighthouse_iac.arm.importer import Customer, ImportResult, check, import_deployment
from lighthouse_iac.catalogues import load_catalogue
from lighthouse_iac.config import load_project
from lighthouse_iac.errors import ConfigError
from lighthouse_iac.models import ManagingTenant

from ..engine import FIXTURE
from .cases import SAMPLES, SUBSCRIPTION, evaluate_sample

CATALOGUE = load_catalogue()
SAMPLE_TENANT = "fbcdd0f3-dc82-4cee-bcde-7301d24e9bf6"  # the managing tenant in Microsoft's parameter files
RELECLOUD = "a284898a-fc04-581d-aca0-047861d06160"  # guid('Relecloud Managed Services')
SUB_SCOPE = f"/subscriptions/{SUBSCRIPTION}"

READER = {"principal": "pim-group", "role": "Reader"}
DELETE = {"principal": "pim-group", "role": "Managed Services Registration assignment Delete Role"}
UAA = {
    "principal": "pim-group",
    "role": "User Access Administrator",
    "delegatedRoles": ["Contributor", "Log Analytics Contributor"],
}
PIM_GROUP = {"objectId": ids.NIL_GUID, "kind": "group", "displayName": "PIM_Group"}
PIM_APPROVERS = {"objectId": ids.NIL_GUID, "kind": "group", "displayName": "PIM-Approvers"}


def _eligible(*approvers: str) -> list[dict[str, Any]]:
    # Microsoft's eligible samples: Resource Policy Contributor, PT8H, MFA through Azure.
    return [
        {
            "principal": "pim-group",
            "role": "Resource Policy Contributor",
            "maximumActivation": "PT8H",
            "requireMfa": True,
            "approvers": list(approvers),
        }
    ]


def _offer(
    key: str,
    name: str,
    guid: str,
    authorizations: list[dict[str, Any]],
    groups: list[str] | None = None,
    eligible: list[dict[str, Any]] | None = None,
    description: str = "Relecloud Managed Services",
) -> dict[str, Any]:
    offer: dict[str, Any] = {
        "key": key,
        "name": name,
        "description": description,
        "authorizations": authorizations,
    }
    if eligible:
        offer["eligibleAuthorizations"] = eligible
    scope: dict[str, Any] = {"subscription": SUBSCRIPTION}
    if groups:
        scope["resourceGroups"] = groups
    offer["scopes"] = [scope]
    targets = [f"{SUB_SCOPE}/resourceGroups/{g}" for g in groups] if groups else [SUB_SCOPE]
    offer["adopt"] = {"definitionId": guid, "assignmentIds": dict.fromkeys(targets, guid)}
    return offer


_RG_GUIDS = {
    "test": "d6a5baf1-8b9b-542a-8525-2982f1f98a0c",
    "test2": "fb562ae6-c089-5a96-af37-d11087a88cc0",
    "test3": "0e6c486e-93e2-5c9e-acc3-9b4c6b5021d9",
}


def _per_group(
    name: str, authorizations: list[dict[str, Any]], eligible: list[dict[str, Any]] | None = None
) -> list[Any]:
    key = name.lower().replace(" ", "-")
    return [_offer(f"{key}-{g}", name, guid, authorizations, [g], eligible) for g, guid in _RG_GUIDS.items()]


R = "Relecloud Managed Services"
TEST2 = "Test2f164ff8-043a-4680-a7fa-651761a8fda3"
MIGRATION = ("Relecloud Migration Services", "Discovery, Assessment and Migration using Azure Migrate")
MIGRATE_CONTRIBUTOR = {"principal": "msp-contributor-access-migration", "role": "Contributor"}
MIGRATE_PRINCIPAL = {
    "objectId": "052cfbee-f04e-4c5a-95f5-9fd6444f254b",
    "kind": "group",
    "displayName": "MSP_Contributor_Access_Migration",
}

# sample: (managing tenant, offers, new directory entries)
EXPECTED: dict[str, tuple[str, list[dict[str, Any]], dict[str, Any]]] = {
    "subscription": (
        ids.NIL_GUID,
        [_offer("relecloud-managed-services", R, RELECLOUD, [READER, DELETE, UAA])],
        {"pim-group": PIM_GROUP},
    ),
    "rg": (
        ids.NIL_GUID,
        [_offer("relecloud-managed-services", R, RELECLOUD, [READER, DELETE, UAA], ["test"])],
        {"pim-group": PIM_GROUP},
    ),
    "multi-rg": (ids.NIL_GUID, _per_group(R, [READER, DELETE, UAA]), {"pim-group": PIM_GROUP}),
    "eligible-subscription": (
        ids.NIL_GUID,
        [_offer("relecloud-managed-services", R, RELECLOUD, [READER, DELETE], eligible=_eligible())],
        {"pim-group": PIM_GROUP},
    ),
    "eligible-subscription-approvers": (
        SAMPLE_TENANT,
        [
            _offer(
                "relecloud-managed-services",
                R,
                RELECLOUD,
                [READER, DELETE],
                eligible=_eligible("pim-approvers"),
            )
        ],
        {"pim-group": PIM_GROUP, "pim-approvers": PIM_APPROVERS},
    ),
    "eligible-rg": (
        SAMPLE_TENANT,
        [_offer("relecloud-managed-services", R, RELECLOUD, [READER, DELETE], ["test"], _eligible())],
        {"pim-group": PIM_GROUP},
    ),
    "eligible-rg-approvers": (
        SAMPLE_TENANT,
        [
            _offer(
                "test85fe0dcd-2877-498e-8717-19dfa73567ad",
                "Test85fe0dcd-2877-498e-8717-19dfa73567ad",
                "1227004f-37a7-5b31-a659-bcebb5fa4ed0",
                [READER, DELETE, UAA],
                ["test"],
                _eligible("pim-approvers"),
            )
        ],
        {"pim-group": PIM_GROUP, "pim-approvers": PIM_APPROVERS},
    ),
    "eligible-multi-rg": (
        ids.NIL_GUID,
        _per_group(R, [READER, DELETE], _eligible()),
        {"pim-group": PIM_GROUP},
    ),
    "eligible-multi-rg-approvers": (
        SAMPLE_TENANT,
        _per_group(TEST2, [READER, DELETE, UAA], _eligible("pim-approvers")),
        {"pim-group": PIM_GROUP, "pim-approvers": PIM_APPROVERS},
    ),
    "marketplace": (
        "d6ad82f3-42af-4a15-ac1e-49e6c08f624e",
        [
            _offer(
                "fabrikam-managed-services-assessment",
                "Fabrikam Managed Services - Assessment",
                "33a4ceb3-e216-5044-b469-b8789eacf1aa",
                [
                    {"principal": "tier-1-support", "role": "Contributor"},
                    {"principal": "tier-2-support", "role": "Contributor"},
                    {"principal": "automation-service-principal", "role": "Resource Policy Contributor"},
                    {
                        "principal": "automation-service-principal",
                        "role": "User Access Administrator",
                        "delegatedRoles": ["Storage Account Contributor", "Virtual Machine Contributor"],
                    },
                ],
                description="Template for demonstration purposes. Edit to contain your values. If "
                "marketplaceOffer = Yes, then values for marketplace parameters must match the offer "
                "details in "
                "the Cloud Partner Portal.",
            )
        ],
        {
            "tier-1-support": {
                "objectId": "a762c9f6-88aa-4340-b775-44b8151afe00",
                "kind": "group",
                "displayName": "Tier 1 Support",
            },
            "tier-2-support": {
                "objectId": "81fc7fbc-0969-48fa-9427-e19b8b70a52e",
                "kind": "group",
                "displayName": "Tier 2 Support",
            },
            "automation-service-principal": {
                "objectId": "a762c9f6-88aa-4340-b775-44b8151afe00",
                "kind": "group",
                "displayName": "Automation Service Principal",
            },
        },
    ),
    "azmigrate": (
        SAMPLE_TENANT,
        [
            _offer(
                "relecloud-migration-services",
                MIGRATION[0],
                "546eebf5-cf6d-5aef-8802-51cbc981e95e",
                [READER, DELETE, MIGRATE_CONTRIBUTOR, UAA],
                description=MIGRATION[1],
            )
        ],
        {"pim-group": PIM_GROUP, "msp-contributor-access-migration": MIGRATE_PRINCIPAL},
    ),
    "azmigrate-defaults": (
        SAMPLE_TENANT,
        [
            _offer(
                "relecloud-migration-services",
                MIGRATION[0],
                "546eebf5-cf6d-5aef-8802-51cbc981e95e",
                [READER, DELETE, MIGRATE_CONTRIBUTOR],
                description=MIGRATION[1],
            )
        ],
        {"pim-group": PIM_GROUP, "msp-contributor-access-migration": MIGRATE_PRINCIPAL},
    ),
}


def _import(name: str, existing: ManagingTenant | None = None, **customer: Any) -> ImportResult:
    return import_deployment(evaluate_sample(name), Customer("relecloud", **customer), CATALOGUE, existing)


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_imports_to_the_expected_stack(name: str) -> None:
    result = _import(name)
    tenant, offers, principals = EXPECTED[name]
    assert result.tenant_id == tenant
    assert result.offers == offers
    assert result.principals() == principals
    assert result.customer == {"name": "relecloud", "tenantId": ids.NIL_GUID}
    assert result.onboarding == {"objectId": ids.NIL_GUID, "userType": "Member", "roles": ["Owner"]}
    # The result loads as a stack: the same checks as `plan` and the program.
    stack = check(result, None, FIXTURE, "Relecloud", CATALOGUE)
    assert [o.key for o in stack.config.offers] == [o["key"] for o in offers]


@pytest.mark.parametrize("name", SAMPLES)
def test_unknown_customer_details_are_placeholders_too(name: str) -> None:
    result = _import(name)
    assert [p.path for p in result.placeholders[-2:]] == ["customer.tenantId", "onboarding.objectId"]
    given = _import(
        name, tenant_id="05ed8275-b1ff-41e3-84b2-017dbc393a69", onboarding_object_id=ids.NIL_GUID[:-1] + "1"
    )
    assert given.placeholders == list(evaluate_sample(name).placeholders)


def test_notes_explain_pins_and_assumptions() -> None:
    notes = _import("multi-rg").notes
    assert notes[0].startswith("the template creates 3 definitions of the same offer, one per resource group")
    assert notes[1] == (
        "offer relecloud-managed-services-test: pinned definition d6a5baf1-8b9b-542a-8525-2982f1f98a0c and 1 "
        "assignment(s) as the template names them; before the first deployment, check they match what Azure "
        f'holds: az managedservices definition list --subscription {SUBSCRIPTION} --query "[].name"'
    )
    assert notes[-1].startswith(
        "new directory entry pim-group (00000000-0000-0000-0000-000000000000, 'PIM_Group')"
    )
    marketplace = _import("marketplace").notes
    assert (
        "principal a762c9f6-88aa-4340-b775-44b8151afe00 appears under 2 display names: tier-1-support "
        "('Tier 1 "
        "Support'), automation-service-principal ('Automation Service Principal'); imported as separate "
        "directory "
        "entries so customers keep seeing the same names; merge them if you prefer one"
    ) in marketplace


def _directory() -> ManagingTenant:
    entry = load_project(FIXTURE).entries["managingTenant"]
    return ManagingTenant.model_validate(entry.value)


def test_principals_already_in_the_directory_keep_their_names() -> None:
    directory = _directory()
    readers = directory.principals["msp-readers"]
    tenant = f"managedByTenantId={directory.tenant_id}"
    auths = json.dumps(
        [
            {
                "principalId": readers.object_id,
                "principalIdDisplayName": readers.display_name,
                "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            },
            {
                "principalId": "5f4b8c70-3e56-4a43-8f1c-6b1b6b9a1e11",
                "roleDefinitionId": "91c1777a-f3dc-4fae-b103-61d183457e46",
            },
        ]
    )
    deployment = evaluate_sample("subscription", (tenant, f"authorizations={auths}"))
    result = import_deployment(deployment, Customer("relecloud"), CATALOGUE, directory)
    assert result.offers[0]["authorizations"] == [
        {"principal": "msp-readers", "role": "Reader"},
        {"principal": "principal-5f4b8c70", "role": "Managed Services Registration assignment Delete Role"},
    ]
    assert result.principals() == {
        "principal-5f4b8c70": {
            "objectId": "5f4b8c70-3e56-4a43-8f1c-6b1b6b9a1e11",
            "kind": "group",
            "displayName": "principal-5f4b8c70",
        }
    }
    assert result.placeholders[:-2] == []
    check(result, directory, FIXTURE, directory.name, CATALOGUE)


def test_a_placeholder_tenant_takes_the_projects_managing_tenant() -> None:
    directory = _directory()
    result = _import("subscription", directory)
    assert result.tenant_id == directory.tenant_id
    assert (
        f"managedByTenantId is a placeholder; the project's managing tenant {directory.tenant_id} is used"
        in (result.notes)
    )
    assert not any("managedByTenantId" in p.path for p in result.placeholders)  # no gap left in the stack
    assert len(result.placeholders) == len(evaluate_sample("subscription").placeholders) - 1 + 2


def test_another_managing_tenant_is_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        _import("marketplace", _directory())
    (problem,) = caught.value.problems
    assert problem.path == "resources" and problem.message == (
        "the template delegates to managing tenant d6ad82f3-42af-4a15-ac1e-49e6c08f624e, but this project's "
        "managingTenant (Pulumi.yaml) is d980ba46-0ced-44e9-ba1f-fe956db47fe4; one project manages for one "
        "tenant, "
        "and a new managing tenant needs a new offer (UPD)"
    )


def test_an_offer_key_can_be_chosen() -> None:
    assert [o["key"] for o in _import("subscription", offer_key="relecloud").offers] == ["relecloud"]
    assert [o["key"] for o in _import("multi-rg", offer_key="relecloud").offers] == [
        "relecloud-test",
        "relecloud-test2",
        "relecloud-test3",
    ]
