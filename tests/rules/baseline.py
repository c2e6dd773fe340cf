"""One compliant set of ARM-shaped resources and context; each rule test changes one thing in a copy."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from lighthouse_iac import ids, roles
from lighthouse_iac.catalogues import load_catalogue
from lighthouse_iac.rules import Context, Resource, RuleSettings, context_from_config

MANAGING = "2f4a9838-26b7-47ee-be60-ccc1fdec5953"
CUSTOMER = "8ad2ca68-ccfd-43e6-8ff9-3428cca138a5"
OTHER_TENANT = "c4a1e3f5-0d9b-4a7e-8f21-5b6c7d8e9f01"
SUBSCRIPTION = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
OTHER_SUBSCRIPTION = "cd517f52-d3a6-4df4-b0f7-c5afce02d973"
DEFINITION_ID = "5cfe71ea-9ad0-5f75-863c-abe747ea3dcb"
ASSIGNMENT_ID = "0456dcf7-4081-5a37-9e0e-3ff6b0d6f1c3"
ONBOARDING = "76f7b000-9bd5-41e3-aa58-563670d45b51"

READERS = "4e7f79e9-a1ed-4b80-b106-32a7434ec1a4"
OPERATORS = "e6d7938c-729a-417b-a0df-3f97d363a646"
PLATFORM = "9b0346bd-f472-43c0-8524-d08716d588ee"
APPROVERS = "6bedf8b2-79f0-41d6-a421-525fc9efdcfe"
OFFBOARDING = "15e4985b-8bf2-4b7c-bc38-10630df71724"
ALICE = "3f2b8c1e-5d4a-4e6b-9c7d-8e9f0a1b2c3d"
AUTOMATION = "a7c3e9f1-2b4d-4e6f-8a0c-1d3e5f7a9b2c"

MONITORING_CONTRIBUTOR = "749f88d5-cbae-40b8-bcfc-e573ddc772fa"
LOG_ANALYTICS_CONTRIBUTOR = "92aaf0da-9dab-42b6-94a3-d43ce8d16293"
STORAGE_ACCOUNT_BACKUP_CONTRIBUTOR = "e5e2a7ff-d759-4cd2-bb51-3152d37e2eb1"

DIRECTORY = {
    "msp-readers": (READERS, "group", "Fabrikam Lighthouse Readers"),
    "msp-operators": (OPERATORS, "group", "Fabrikam Operations Engineers"),
    "msp-platform": (PLATFORM, "group", "Fabrikam Platform Engineers"),
    "msp-approvers": (APPROVERS, "group", "Fabrikam Access Approvers"),
    "msp-offboarding": (OFFBOARDING, "group", "Fabrikam Delegation Administrators"),
    "alice": (ALICE, "user", "Alice Martin"),
    "automation": (AUTOMATION, "servicePrincipal", "Fabrikam Automation"),
}
NAMES = {object_id: display for object_id, _, display in DIRECTORY.values()}
CATALOGUE = load_catalogue()


def grant(principal: str, role: str, **extra: Any) -> dict[str, Any]:
    return {
        "principalId": principal,
        "principalIdDisplayName": NAMES[principal],
        "roleDefinitionId": role,
        **extra,
    }


def definition_resource_id(subscription: str = SUBSCRIPTION, definition: str = DEFINITION_ID) -> str:
    return ids.definition_resource_id(subscription, definition)


@dataclass
class Baseline:
    """The compliant inputs; tests change them in place, then `evaluate` them."""

    definition: dict[str, Any] = field(
        default_factory=lambda: {
            "scope": f"/subscriptions/{SUBSCRIPTION}",
            "registrationDefinitionId": DEFINITION_ID,
            "properties": {
                "registrationDefinitionName": "Fabrikam Managed Operations",
                "description": "Operations by Fabrikam",
                "managedByTenantId": MANAGING,
                "authorizations": [
                    grant(READERS, roles.READER),
                    grant(OPERATORS, roles.READER),
                    grant(
                        PLATFORM,
                        roles.USER_ACCESS_ADMINISTRATOR,
                        delegatedRoleDefinitionIds=[MONITORING_CONTRIBUTOR],
                    ),
                    grant(OFFBOARDING, roles.REGISTRATION_DELETE_ROLE),
                ],
                "eligibleAuthorizations": [
                    grant(
                        OPERATORS,
                        roles.CONTRIBUTOR,
                        justInTimeAccessPolicy={
                            "multiFactorAuthProvider": "Azure",
                            "maximumActivationDuration": "PT4H",
                            "managedByTenantApprovers": [
                                {"principalId": APPROVERS, "principalIdDisplayName": NAMES[APPROVERS]}
                            ],
                        },
                    )
                ],
            },
        }
    )
    assignments: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {
                "scope": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-app",
                "registrationAssignmentId": ASSIGNMENT_ID,
                "properties": {"registrationDefinitionId": definition_resource_id()},
            }
        ]
    )
    config: dict[str, Any] = field(
        default_factory=lambda: {
            "managingTenant": {
                "tenantId": MANAGING,
                "name": "Fabrikam Managed Cloud",
                "principals": {
                    name: {"objectId": oid, "kind": kind, "displayName": display}
                    for name, (oid, kind, display) in DIRECTORY.items()
                },
            },
            "customer": {"name": "Northwind Traders", "tenantId": CUSTOMER},
            "onboarding": {"objectId": ONBOARDING, "userType": "Member", "roles": ["Owner"]},
        }
    )
    settings: RuleSettings = field(default_factory=RuleSettings)

    @property
    def properties(self) -> dict[str, Any]:
        result: dict[str, Any] = self.definition["properties"]
        return result

    @property
    def authorizations(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.properties["authorizations"]
        return result

    @property
    def eligible(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.properties["eligibleAuthorizations"]
        return result

    @property
    def policy(self) -> dict[str, Any]:
        result: dict[str, Any] = self.eligible[0]["justInTimeAccessPolicy"]
        return result

    def resources(self) -> list[Resource]:
        return [
            Resource("definition", "definition", copy.deepcopy(self.definition)),
            *(
                Resource("assignment", f"assignment-{i}", copy.deepcopy(a))
                for i, a in enumerate(self.assignments)
            ),
        ]

    def context(self) -> Context:
        return context_from_config(self.config, CATALOGUE, self.settings)
