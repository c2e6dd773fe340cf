"""A template shaped as Bicep compiles one (languageVersion 2.0, symbolic names, a module per resource
group), written for these tests, and what ARM would deploy from it."""

from __future__ import annotations

from typing import Any

from .constructs import (
    ASSIGNMENTS,
    DEFINITIONS,
    DELETE_ROLE,
    DEPLOYMENTS,
    MSP_TENANT,
    OFFBOARDERS,
    OPERATORS,
    READER,
    RG_SCHEMA,
    SCHEMA,
    SUBSCRIPTION,
    TELEMETRY,
    arm_guid,
    definition_id,
    grant,
    parameters_file,
)

GENERATOR = {
    "_generator": {"name": "bicep", "version": "0.30.23.60470", "templateHash": "1234567890123456789"}
}
GROUPS = ["rg-app", "rg-data"]

BICEP: dict[str, Any] = {
    "$schema": SCHEMA,
    "languageVersion": "2.0",
    "contentVersion": "1.0.0.0",
    "metadata": GENERATOR,
    "definitions": {
        "grant": {
            "type": "object",
            "properties": {
                "principalId": {"type": "string"},
                "principalIdDisplayName": {"type": "string"},
                "roleDefinitionId": {"type": "string"},
            },
        },
        "grants": {"type": "array", "items": {"$ref": "#/definitions/grant"}},
    },
    "parameters": {
        "offerName": {"type": "string"},
        "managingTenantId": {"type": "string"},
        "authorizations": {"$ref": "#/definitions/grants"},
        "resourceGroups": {"type": "array"},
        "enableTelemetry": {"type": "bool", "defaultValue": False},
        "location": {"type": "string", "defaultValue": "[deployment().location]"},
        "description": {"type": "string", "nullable": True},
    },
    "variables": {"definitionName": "[guid(parameters('offerName'), parameters('managingTenantId'))]"},
    "resources": {
        "telemetry": {**TELEMETRY, "name": "pid-00000000-0000-0000-0000-000000000000"},
        "groups": {
            "copy": {"name": "groups", "count": "[length(parameters('resourceGroups'))]"},
            "existing": True,
            "type": "Microsoft.Resources/resourceGroups",
            "apiVersion": "2024-03-01",
            "name": "[parameters('resourceGroups')[copyIndex()]]",
        },
        "definition": {
            "type": DEFINITIONS,
            "apiVersion": "2022-10-01",
            "name": "[variables('definitionName')]",
            "properties": {
                "registrationDefinitionName": "[parameters('offerName')]",
                "description": "[coalesce(parameters('description'), parameters('offerName'))]",
                "managedByTenantId": "[parameters('managingTenantId')]",
                "authorizations": "[parameters('authorizations')]",
            },
        },
        "assignments": {
            "copy": {"name": "assignments", "count": "[length(parameters('resourceGroups'))]"},
            "type": DEPLOYMENTS,
            "apiVersion": "2022-09-01",
            "name": "[format('assign-{0}', parameters('resourceGroups')[copyIndex()])]",
            "subscriptionId": "[subscription().subscriptionId]",
            "resourceGroup": "[parameters('resourceGroups')[copyIndex()]]",
            "properties": {
                "expressionEvaluationOptions": {"scope": "inner"},
                "mode": "Incremental",
                "parameters": {
                    "definitionId": {
                        "value": f"[subscriptionResourceId('{DEFINITIONS}', variables('definitionName'))]"
                    },
                    "offerName": {"value": "[parameters('offerName')]"},
                },
                "template": {
                    "$schema": RG_SCHEMA,
                    "languageVersion": "2.0",
                    "contentVersion": "1.0.0.0",
                    "metadata": GENERATOR,
                    "parameters": {
                        "definitionId": {"type": "string"},
                        "offerName": {"type": "string"},
                        "definitionName": {
                            "type": "string",
                            "defaultValue": "[last(split(parameters('definitionId'), '/'))]",
                        },
                    },
                    "variables": {"assignmentName": "[guid(parameters('offerName'), resourceGroup().id)]"},
                    "resources": {
                        "assignment": {
                            "type": ASSIGNMENTS,
                            "apiVersion": "2022-10-01",
                            "name": "[variables('assignmentName')]",
                            "properties": {"registrationDefinitionId": "[parameters('definitionId')]"},
                        }
                    },
                    "outputs": {"assignmentId": {"type": "string", "value": "[variables('assignmentName')]"}},
                },
            },
            "dependsOn": ["definition", "groups"],
        },
    },
    "outputs": {
        "definitionName": {"type": "string", "value": "[reference('definition').registrationDefinitionName]"}
    },
}
BICEP_PARAMETERS = parameters_file(
    {
        "offerName": "Tailwind Platform",
        "managingTenantId": MSP_TENANT,
        "authorizations": [
            grant(OPERATORS, "Operators", READER),
            grant(OFFBOARDERS, "Offboarding", DELETE_ROLE),
        ],
        "resourceGroups": GROUPS,
    }
)


def bicep_deployed() -> list[tuple[str, str, str, dict[str, Any]]]:
    """What ARM deploys from BICEP: the definition, and one assignment in each resource group."""
    name = arm_guid("Tailwind Platform", MSP_TENANT)
    definition = {
        "registrationDefinitionName": "Tailwind Platform",
        "description": "Tailwind Platform",
        "managedByTenantId": MSP_TENANT,
        "authorizations": [
            grant(OPERATORS, "Operators", READER),
            grant(OFFBOARDERS, "Offboarding", DELETE_ROLE),
        ],
    }
    deployed = [(DEFINITIONS, f"/subscriptions/{SUBSCRIPTION}", name, definition)]
    for group in GROUPS:
        scope = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{group}"
        assignment = arm_guid("Tailwind Platform", scope)
        deployed.append((ASSIGNMENTS, scope, assignment, {"registrationDefinitionId": definition_id(name)}))
    return deployed
