"""Templates written for these tests, each exercising constructs providers' real templates use (loops,
lazy defaults, deployment functions, placeholders, Bicep output), and what ARM would deploy from them."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
RG_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
DEFINITIONS = "Microsoft.ManagedServices/registrationDefinitions"
ASSIGNMENTS = "Microsoft.ManagedServices/registrationAssignments"
DEPLOYMENTS = "Microsoft.Resources/deployments"
DEFINITION_ID = f"resourceId('{DEFINITIONS}', variables('definitionName'))"

SUBSCRIPTION = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
CUSTOMER_TENANT = "6c1d2e3f-4a5b-4c7d-8e9f-0a1b2c3d4e5f"
ONBOARDING = "2b4d6f80-1a3c-4e5f-8a9b-0c1d2e3f4a5b"
MSP_TENANT = "b7e0c1d2-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
OPERATORS = "1a2b3c4d-5e6f-4a0b-9c1d-2e3f4a5b6c7d"
ONCALL = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
OFFBOARDERS = "4c3b2a19-0f8e-4d7c-9b6a-5f4e3d2c1b0a"
APPROVERS = "7d6c5b4a-3928-4176-9544-3d2c1b0a9f8e"

# Built-in role IDs (lighthouse_iac/data, from Microsoft's built-in roles list).
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
DELETE_ROLE = "91c1777a-f3dc-4fae-b103-61d183457e46"

# ARM's guid(): UUIDv5 of the '-'-joined arguments in this namespace (facts doc, "ARM template functions
# (verified)"); computed here independently of lighthouse_iac to state what ARM would name resources.
_ARM_NAMESPACE = uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830")


def arm_guid(*parts: str) -> str:
    return str(uuid.uuid5(_ARM_NAMESPACE, "-".join(parts)))


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def parameters_file(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {name: {"value": value} for name, value in values.items()},
    }


def grant(principal: str, name: str, role: str) -> dict[str, str]:
    return {"principalId": principal, "principalIdDisplayName": name, "roleDefinitionId": role}


def definition_id(name: str) -> str:
    return f"/subscriptions/{SUBSCRIPTION}/providers/{DEFINITIONS}/{name}"


# --- variable and property copy loops, names in any case --------------------------------------------

LOOPS: dict[str, Any] = {
    "$schema": SCHEMA,
    "contentVersion": "1.0.0.0",
    "parameters": {
        "offerName": {"type": "string"},
        "managingTenant": {"type": "string"},
        "operators": {"type": "array", "metadata": {"description": "[{id, name}] of groups"}},
        "readerRole": {"type": "string", "defaultValue": READER},
    },
    "variables": {
        "definitionName": "[guid(PARAMETERS('OfferName'))]",
        "copy": [
            {
                "name": "operatorGrants",
                "count": "[length(parameters('Operators'))]",
                "input": {
                    "principalId": "[parameters('operators')[copyIndex('operatorGrants')].id]",
                    "principalIdDisplayName": "[parameters('operators')[copyIndex('OperatorGrants')].name]",
                    "roleDefinitionId": "[parameters('ReaderRole')]",
                },
            }
        ],
        "offboarding": [grant(OFFBOARDERS, "Offboarding", DELETE_ROLE)],
    },
    "resources": [
        {
            "type": DEFINITIONS,
            "apiVersion": "2022-10-01",
            "name": "[variables('DefinitionName')]",
            "properties": {
                "registrationDefinitionName": "[parameters('offerName')]",
                "description": "Operations for every listed group",
                "managedByTenantId": "[parameters('managingTenant')]",
                "authorizations": "[concat(variables('operatorGrants'), variables('OFFBOARDING'))]",
                "copy": [
                    {
                        "name": "eligibleAuthorizations",
                        "count": "[length(parameters('operators'))]",
                        "input": {
                            "principalId": (
                                "[parameters('operators')[copyIndex('eligibleAuthorizations')].id]"
                            ),
                            "principalIdDisplayName": (
                                "[parameters('operators')[copyIndex('eligibleAuthorizations')].name]"
                            ),
                            "roleDefinitionId": CONTRIBUTOR,
                            "justInTimeAccessPolicy": {
                                "multiFactorAuthProvider": "Azure",
                                "maximumActivationDuration": "PT4H",
                            },
                        },
                    }
                ],
            },
        },
        {
            "type": ASSIGNMENTS,
            "apiVersion": "2022-10-01",
            "name": "[guid(variables('definitionName'), subscription().subscriptionId)]",
            "dependsOn": [f"[{DEFINITION_ID}]"],
            "properties": {"registrationDefinitionId": f"[{DEFINITION_ID}]"},
        },
    ],
}
LOOPS_PARAMETERS = parameters_file(
    {
        "OFFERNAME": "Tailwind Operations",  # names differ in case from the declarations, as ARM allows
        "managingtenant": MSP_TENANT,
        "Operators": [{"id": OPERATORS, "name": "Operators"}, {"id": ONCALL, "name": "On-call"}],
    }
)


def loops_deployed() -> list[tuple[str, str, str, dict[str, Any]]]:
    """What ARM deploys from LOOPS with LOOPS_PARAMETERS: (type, scope, name, properties)."""
    name = arm_guid("Tailwind Operations")
    jit = {"multiFactorAuthProvider": "Azure", "maximumActivationDuration": "PT4H"}
    definition = {
        "registrationDefinitionName": "Tailwind Operations",
        "description": "Operations for every listed group",
        "managedByTenantId": MSP_TENANT,
        "authorizations": [
            grant(OPERATORS, "Operators", READER),
            grant(ONCALL, "On-call", READER),
            grant(OFFBOARDERS, "Offboarding", DELETE_ROLE),
        ],
        "eligibleAuthorizations": [
            {**grant(OPERATORS, "Operators", CONTRIBUTOR), "justInTimeAccessPolicy": jit},
            {**grant(ONCALL, "On-call", CONTRIBUTOR), "justInTimeAccessPolicy": jit},
        ],
    }
    scope = f"/subscriptions/{SUBSCRIPTION}"
    return [
        (DEFINITIONS, scope, name, definition),
        (ASSIGNMENTS, scope, arm_guid(name, SUBSCRIPTION), {"registrationDefinitionId": definition_id(name)}),
    ]


# --- defaults read only when used, unused conditions, deployment functions -------------------------

TELEMETRY = {
    # As Azure Verified Modules write it: a telemetry deployment only when enabled, placed by the
    # deployment's own location, which nobody knows offline.
    "condition": "[parameters('enableTelemetry')]",
    "type": DEPLOYMENTS,
    "apiVersion": "2022-09-01",
    "name": "[parameters('telemetryName')]",
    "location": "[parameters('location')]",
    "properties": {
        "mode": "Incremental",
        "template": {"$schema": RG_SCHEMA, "contentVersion": "1.0.0.0", "resources": []},
    },
}

LAZY: dict[str, Any] = {
    "$schema": SCHEMA,
    "contentVersion": "1.0.0.0",
    "parameters": {
        "offerName": {"type": "string", "defaultValue": "Tailwind Security"},
        "mspTenant": {"type": "string"},
        "location": {"type": "string", "defaultValue": "[deployment().location]"},
        "enableTelemetry": {"type": "bool", "defaultValue": False},
        "telemetryName": {
            "type": "string",
            "defaultValue": "[format('pid-{0}', uniqueString(deployment().name))]",
        },
        "useApproverModule": {"type": "bool", "defaultValue": False},
        "oncall": {"type": "string", "defaultValue": ONCALL},
        "description": {
            "type": "string",
            "defaultValue": "[concat('Security for ', parameters('offerName'))]",
        },
    },
    "resources": [
        TELEMETRY,
        {
            # A retired definition kept in the template, switched off: never evaluated.
            "condition": False,
            "type": DEFINITIONS,
            "apiVersion": "2022-10-01",
            "name": "[uniqueString(deployment().name)]",
            "properties": {"managedByTenantId": "[reference('legacy').outputs.tenant.value]"},
        },
        {
            "type": DEFINITIONS,
            "apiVersion": "2022-10-01",
            "name": "[guid(parameters('offerName'), subscription().tenantId)]",
            "properties": {
                "registrationDefinitionName": "[parameters('offerName')]",
                "description": "[parameters('description')]",
                "managedByTenantId": "[parameters('mspTenant')]",
                "authorizations": [
                    grant(OPERATORS, "Operators", READER),
                    grant(OFFBOARDERS, "Offboarding", DELETE_ROLE),
                ],
                "eligibleAuthorizations": [
                    {
                        "principalId": "[parameters('oncall')]",
                        "principalIdDisplayName": "On-call",
                        "roleDefinitionId": CONTRIBUTOR,
                        "justInTimeAccessPolicy": (
                            "[if(parameters('useApproverModule'), "
                            "reference('approvers').outputs.policy.value, "
                            "createObject('multiFactorAuthProvider', 'Azure', 'maximumActivationDuration', "
                            "'PT1H', 'managedByTenantApprovers', createArray(createObject('principalId', "
                            f"'{APPROVERS}', 'principalIdDisplayName', 'Approvers'))))]"
                        ),
                    }
                ],
            },
        },
        {
            "type": ASSIGNMENTS,
            "apiVersion": "2022-10-01",
            "name": "[guid(tenant().tenantId, subscription().id, parameters('offerName'))]",
            "properties": {
                "registrationDefinitionId": (
                    "[subscriptionResourceId('Microsoft.ManagedServices/registrationDefinitions', "
                    "guid(parameters('offerName'), subscription().tenantId))]"
                )
            },
        },
    ],
}
LAZY_PARAMETERS = parameters_file({"mspTenant": MSP_TENANT})


def lazy_deployed() -> list[tuple[str, str, str, dict[str, Any]]]:
    """What ARM deploys from LAZY into SUBSCRIPTION of CUSTOMER_TENANT: no telemetry, no retired offer."""
    name = arm_guid("Tailwind Security", CUSTOMER_TENANT)
    scope = f"/subscriptions/{SUBSCRIPTION}"
    definition = {
        "registrationDefinitionName": "Tailwind Security",
        "description": "Security for Tailwind Security",
        "managedByTenantId": MSP_TENANT,
        "authorizations": [
            grant(OPERATORS, "Operators", READER),
            grant(OFFBOARDERS, "Offboarding", DELETE_ROLE),
        ],
        "eligibleAuthorizations": [
            {
                **grant(ONCALL, "On-call", CONTRIBUTOR),
                "justInTimeAccessPolicy": {
                    "multiFactorAuthProvider": "Azure",
                    "maximumActivationDuration": "PT1H",
                    "managedByTenantApprovers": [
                        {"principalId": APPROVERS, "principalIdDisplayName": "Approvers"}
                    ],
                },
            }
        ],
    }
    assignment = arm_guid(CUSTOMER_TENANT, scope, "Tailwind Security")
    return [
        (DEFINITIONS, scope, name, definition),
        (ASSIGNMENTS, scope, assignment, {"registrationDefinitionId": definition_id(name)}),
    ]


# --- placeholders in every GUID position -------------------------------------------------------------

MSP_DEFAULT = "<to be filled out by MSP> Specify the tenant id of the Managed Service Provider"

OLDER_GENERATION: dict[str, Any] = {
    # The shape of Microsoft's older samples: defaults that tell the provider what to fill in.
    "$schema": SCHEMA,
    "contentVersion": "1.0.0.0",
    "parameters": {
        "mspOfferName": {"type": "string", "defaultValue": "Tailwind Legacy"},
        "managedByTenantId": {"type": "string", "defaultValue": MSP_DEFAULT},
        "authorizations": {
            "type": "array",
            "defaultValue": [
                grant("<to be filled out by MSP> object ID of the operators group", "Operators", READER),
                grant(OFFBOARDERS, "Offboarding", DELETE_ROLE),
            ],
        },
    },
    "variables": {
        "oncall": "<Replace with the on-call group's object ID>",
        "approver": "00000000-0000-0000-0000-000000000000",
        "definitionName": "[guid(parameters('mspOfferName'))]",
    },
    "resources": [
        {
            "type": DEFINITIONS,
            "apiVersion": "2022-10-01",
            "name": "[variables('definitionName')]",
            "properties": {
                "registrationDefinitionName": "[parameters('mspOfferName')]",
                "description": "Legacy operations",
                "managedByTenantId": "[parameters('managedByTenantId')]",
                "authorizations": "[parameters('authorizations')]",
                "eligibleAuthorizations": [
                    {
                        "principalId": "[variables('oncall')]",
                        "principalIdDisplayName": "On-call",
                        "roleDefinitionId": CONTRIBUTOR,
                        "justInTimeAccessPolicy": {
                            "multiFactorAuthProvider": "Azure",
                            "maximumActivationDuration": "PT2H",
                            "managedByTenantApprovers": [
                                {
                                    "principalId": "[variables('approver')]",
                                    "principalIdDisplayName": "Approvers",
                                }
                            ],
                        },
                    },
                    {
                        "principalId": "<insert principal id>",
                        "principalIdDisplayName": "Auditors",
                        "roleDefinitionId": READER,
                    },
                ],
            },
        },
        {
            "type": ASSIGNMENTS,
            "apiVersion": "2022-10-01",
            "name": "[variables('definitionName')]",
            "properties": {"registrationDefinitionId": f"[{DEFINITION_ID}]"},
        },
    ],
}
