"""What Azure would hold for a fleet deployed exactly as declared, in REST and in Azure CLI shapes.

Elements are shaped as examples/GetRegistrationAssignment.json (API 2022-10-01) and the subscriptions API
2022-12-01 show them; `az` prints the same keys, with durations as Python prints a timedelta and
subscriptions as `az account list` does (`homeTenantId`, `name`). See tests/audit/fake_arm.py.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lighthouse_iac import ids
from lighthouse_iac.config import StackConfig
from lighthouse_iac.plan import build_plan

DEFINITIONS = "Microsoft.ManagedServices/registrationDefinitions"
ASSIGNMENTS = "Microsoft.ManagedServices/registrationAssignments"
MSP_OWN_SUBSCRIPTION = "5e0c6a8e-1b7d-4d38-9a51-0c1f8e2a7b64"
OTHER_MSP = "0b2e7c3d-9f14-4a6b-8c2d-1e5f3a7b9c0d"


@dataclass
class AzureState:
    managing_tenant: str
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    assignments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def copy(self) -> AzureState:
        return copy.deepcopy(self)


def rest_assignment(
    scope: str,
    assignment_id: str,
    subscription: str,
    definition_id: str,
    properties: dict[str, Any],
    plan: dict[str, str] | None,
    customer_tenant: str,
    customer_name: str,
) -> dict[str, Any]:
    definition_rid = ids.definition_resource_id(subscription, definition_id)
    definition: dict[str, Any] = {
        "properties": {
            **copy.deepcopy(properties),
            "provisioningState": "Succeeded",
            "manageeTenantId": customer_tenant,
            "manageeTenantName": customer_name,
            "managedByTenantName": "Fabrikam MSP",
        },
        "id": definition_rid,
        "type": DEFINITIONS,
        "name": definition_id,
    }
    if plan is not None:
        definition["plan"] = dict(plan)
    return {
        "properties": {
            "registrationDefinitionId": definition_rid,
            "provisioningState": "Succeeded",
            "registrationDefinition": definition,
        },
        "id": ids.assignment_resource_id(scope, assignment_id),
        "type": ASSIGNMENTS,
        "name": assignment_id,
    }


def rest_subscription(sub: str, tenant: str, name: str, managing: str) -> dict[str, Any]:
    return {
        "id": f"/subscriptions/{sub}",
        "authorizationSource": "RoleBased",
        "managedByTenants": [{"tenantId": managing}] if tenant != managing else [],
        "subscriptionId": sub,
        "tenantId": tenant,
        "displayName": name,
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off",
        },
    }


def deployed(stacks: Iterable[StackConfig]) -> AzureState:
    """Every assignment of every plan, as Azure lists them per subscription; plus noise the audit ignores."""
    state: AzureState | None = None
    for stack in stacks:
        plan = build_plan(stack)
        tenant = plan.config.managing_tenant.tenant_id
        state = state or AzureState(
            tenant, [rest_subscription(MSP_OWN_SUBSCRIPTION, tenant, "MSP own", tenant)]
        )
        customer = plan.config.customer
        for offer in plan.offers:
            for a in offer.assignments:
                sub = a.definition.subscription_id
                if sub not in state.assignments:
                    state.assignments[sub] = []
                    state.subscriptions.append(
                        rest_subscription(sub, customer.tenant_id, f"{customer.name} {sub[:8]}", tenant)
                    )
                d = a.definition
                state.assignments[sub].append(
                    rest_assignment(
                        a.scope,
                        a.assignment_id,
                        sub,
                        d.definition_id,
                        d.properties,
                        d.plan,
                        customer.tenant_id,
                        customer.name,
                    )
                )
    assert state is not None, "no stacks"
    state.assignments[MSP_OWN_SUBSCRIPTION] = []
    # Another provider's delegation on a customer's subscription: not ours, never a finding.
    first = sorted(k for k in state.assignments if k != MSP_OWN_SUBSCRIPTION)[0]
    other = rest_assignment(
        f"/subscriptions/{first}",
        "6a1f0e2d-3c4b-4a5d-8e6f-7a8b9c0d1e2f",
        first,
        "7b2a1f0e-4d3c-4b5a-9f6e-8d7c6b5a4f3e",
        {
            "registrationDefinitionName": "Other MSP",
            "description": "not ours",
            "managedByTenantId": OTHER_MSP,
            "authorizations": [
                {"principalId": OTHER_MSP, "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7"}
            ],
        },
        None,
        "",
        "",
    )
    state.assignments[first].append(other)
    return state


_ISO = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?\Z")


def _cli_duration(value: str) -> str:
    match = _ISO.match(value)
    assert match, value
    return f"{int(match[1] or 0)}:{int(match[2] or 0):02d}:00"


def _cli_assignment(raw: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(raw)
    props = out["properties"]["registrationDefinition"]["properties"]
    for entry in props.get("eligibleAuthorizations", []):
        policy = entry.get("justInTimeAccessPolicy") or {}
        if policy.get("maximumActivationDuration"):
            policy["maximumActivationDuration"] = _cli_duration(policy["maximumActivationDuration"])
    out["resourceGroup"] = None
    return out


def write_cli_folder(state: AzureState, folder: Path, accounts: bool = True) -> Path:
    """The folder the docs' loop produces: `<subscription>.json` each, and `accounts.json`."""
    folder.mkdir(parents=True, exist_ok=True)
    for sub, items in state.assignments.items():
        if sub == MSP_OWN_SUBSCRIPTION:
            continue
        (folder / f"{sub}.json").write_text(json.dumps([_cli_assignment(a) for a in items], indent=2))
    if accounts:
        listed = [
            {
                "cloudName": "AzureCloud",
                "homeTenantId": s["tenantId"],
                "id": s["subscriptionId"],
                "isDefault": False,
                "managedByTenants": s["managedByTenants"],
                "name": s["displayName"],
                "state": "Enabled",
                "tenantId": state.managing_tenant,
                "user": {"name": "audit@fabrikam.example", "type": "user"},
            }
            for s in state.subscriptions
        ]
        (folder / "accounts.json").write_text(json.dumps(listed, indent=2))
    return folder
