"""Changes to what Azure holds, each the cause of exactly one kind of finding."""

from __future__ import annotations

import uuid
from typing import Any

from lighthouse_iac import ids

from .azure_state import MSP_OWN_SUBSCRIPTION, OTHER_MSP, AzureState, rest_assignment

READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"  # Reader (lighthouse_iac/data/azure-builtin-roles.json)
STRANGER = "5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c"


def ours(state: AzureState) -> list[tuple[str, int]]:
    """(subscription, index) of every assignment to the managing tenant, in a stable order."""
    return [
        (sub, i)
        for sub in sorted(state.assignments)
        for i, a in enumerate(state.assignments[sub])
        if _definition(a)["managedByTenantId"] != OTHER_MSP
    ]


def _definition(assignment: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = assignment["properties"]["registrationDefinition"]["properties"]
    return found


def scope_of(state: AzureState, sub: str, index: int) -> str:
    return str(state.assignments[sub][index]["id"]).split("/providers/")[0]


def remove(state: AzureState, sub: str, index: int) -> None:
    del state.assignments[sub][index]


def add_authorization(state: AzureState, sub: str, index: int) -> None:
    _definition(state.assignments[sub][index])["authorizations"].append(
        {"principalId": STRANGER, "principalIdDisplayName": "Someone", "roleDefinitionId": READER}
    )


def change_eligible(state: AzureState, sub: str, index: int) -> bool:
    """Shorten the first eligible authorization's activation; False when there is none."""
    eligible = _definition(state.assignments[sub][index]).get("eligibleAuthorizations") or []
    if not eligible:
        return False
    policy = eligible[0]["justInTimeAccessPolicy"]
    policy["maximumActivationDuration"] = "PT1H" if policy["maximumActivationDuration"] != "PT1H" else "PT30M"
    return True


def regenerate_guids(state: AzureState, sub: str, index: int) -> str:
    """Redeploy the same offer under new GUIDs (as an ARM template would); returns the new assignment GUID."""
    old = state.assignments[sub][index]
    scope = scope_of(state, sub, index)
    definition = str(uuid.uuid5(uuid.NAMESPACE_URL, f"definition|{old['id']}"))
    assignment = str(uuid.uuid5(uuid.NAMESPACE_URL, f"assignment|{old['id']}"))
    props = old["properties"]["registrationDefinition"]
    state.assignments[sub][index] = rest_assignment(
        scope,
        assignment,
        sub,
        definition,
        {k: v for k, v in props["properties"].items()},
        props.get("plan"),
        props["properties"]["manageeTenantId"],
        props["properties"]["manageeTenantName"],
    )
    return assignment


def add_unmanaged(state: AzureState, sub: str) -> str:
    """A delegation to the managing tenant that no stack declares; returns its scope."""
    scope = ids.resource_group_scope(sub, "rg-handmade")
    state.assignments[sub].append(
        rest_assignment(
            scope,
            "1e2d3c4b-5a69-4877-8695-a4b3c2d1e0f9",
            sub,
            "2f3e4d5c-6b7a-4988-97a6-b5c4d3e2f1a0",
            {
                "registrationDefinitionName": "Old onboarding",
                "description": "onboarded by hand in 2021",
                "managedByTenantId": state.managing_tenant,
                "authorizations": [{"principalId": STRANGER, "roleDefinitionId": READER}],
            },
            None,
            "",
            "",
        )
    )
    return scope


def is_subscription_of_msp(sub: str) -> bool:
    return sub == MSP_OWN_SUBSCRIPTION
