"""The source map the ARM evaluator gives each resource a template deploys: the key path and line that set
each value, in the template or in its parameters file."""

from __future__ import annotations

import json

from lighthouse_iac.arm.source import parse_json
from lighthouse_iac.arm.template import evaluate_template
from lighthouse_iac.source_map import Source

READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
MANAGING = "d980ba46-0ced-44e9-ba1f-fe956db47fe4"
GROUP = "4e7f79e9-a1ed-4b80-b106-32a7434ec1a4"
DEFINITION = "Microsoft.ManagedServices/registrationDefinitions"

TEMPLATE = {
    "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {"authorizations": {"type": "array"}},
    "variables": {"tenant": MANAGING, "definitionId": "[guid('offer')]"},
    "resources": [
        {
            "type": DEFINITION,
            "apiVersion": "2022-10-01",
            "name": "[variables('definitionId')]",
            "properties": {
                "registrationDefinitionName": "Offer",
                "description": "An offer",
                "managedByTenantId": "[variables('tenant')]",
                "authorizations": "[parameters('authorizations')]",
            },
        },
        {
            "type": "Microsoft.ManagedServices/registrationAssignments",
            "apiVersion": "2022-10-01",
            "name": "[guid('assignment')]",
            "properties": {
                "registrationDefinitionId": f"[resourceId('{DEFINITION}', variables('definitionId'))]"
            },
        },
    ],
}
PARAMETERS = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {
        "authorizations": {
            "value": [{"principalId": GROUP, "principalIdDisplayName": "Readers", "roleDefinitionId": READER}]
        }
    },
}


def _line(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_each_key_is_located_where_the_template_or_its_parameters_set_it() -> None:
    template_text = json.dumps(TEMPLATE, indent=2)
    parameters_text = json.dumps(PARAMETERS, indent=2)
    deployment = evaluate_template(
        parse_json(template_text, "t.json"), parse_json(parameters_text, "t.parameters.json")
    )
    definition, assignment = deployment.resources
    assert (definition.kind, assignment.kind) == ("definition", "assignment")
    role = ("properties", "authorizations", 0, "roleDefinitionId")
    assert definition.sources.source(role) == Source(
        ("parameters", "authorizations", "value", 0, "roleDefinitionId"),
        "t.parameters.json",
        _line(parameters_text, '"roleDefinitionId"'),
    )
    # a value written in a variable is located on the variable
    assert definition.sources.source(("properties", "managedByTenantId")) == Source(
        ("variables", "tenant"), "t.json", _line(template_text, '"tenant"')
    )
    assert definition.sources.source(("properties", "description")) == Source(
        ("resources", 0, "properties", "description"), "t.json", _line(template_text, '"description"')
    )
    # the scope is the resource's (the deployment's), its ID the resource's name
    assert definition.sources.source(("scope",)) == Source(
        ("resources", 0), "t.json", _line(template_text, '"resources"') + 1
    )
    assert assignment.sources.source(("registrationAssignmentId",)) == Source(
        ("resources", 1, "name"), "t.json", _line(template_text, "guid('assignment')")
    )
