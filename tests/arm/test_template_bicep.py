"""A template compiled from Bicep (symbolic names, `existing`, a module per resource group with inner
expression scope): imported as ARM would deploy it, round-tripped with the same GUIDs, and each construct
lighthouse-iac does not evaluate refused where it is written, by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lighthouse_iac.arm.export import export_files, subscription_templates
from lighthouse_iac.arm.importer import Customer, check, import_deployment
from lighthouse_iac.arm.source import parse_json, read_json
from lighthouse_iac.arm.template import ArmResource, evaluate_template
from lighthouse_iac.catalogues import load_catalogue
from lighthouse_iac.errors import ConfigError
from lighthouse_iac.plan import build_plan

from . import bicep as b
from . import constructs as c
from .test_template_constructs import import_and_plan, planned

CATALOGUE = load_catalogue()


def test_a_template_compiled_from_bicep_imports_as_arm_would_deploy_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = import_and_plan(tmp_path, capsys, b.BICEP, b.BICEP_PARAMETERS)
    assert planned(plan) == sorted(b.bicep_deployed(), key=lambda r: (r[0], r[1], r[2]))
    [offer] = plan["offers"]
    assert {r["inputs"]["scope"] for r in offer["resources"]} == {
        f"/subscriptions/{c.SUBSCRIPTION}",
        *(f"/subscriptions/{c.SUBSCRIPTION}/resourceGroups/{g}" for g in b.GROUPS),
    }


@pytest.mark.parametrize(
    ("template", "parameters"),
    [(b.BICEP, b.BICEP_PARAMETERS), (c.LOOPS, c.LOOPS_PARAMETERS), (c.LAZY, c.LAZY_PARAMETERS)],
    ids=["bicep", "loops", "lazy"],
)
def test_import_then_export_keeps_the_guids(tmp_path: Path, template: Any, parameters: Any) -> None:
    t = read_json(c.write(tmp_path / "t.json", template))
    p = read_json(c.write(tmp_path / "p.json", parameters))
    original = evaluate_template(t, p, (), c.SUBSCRIPTION, tenant_id=c.CUSTOMER_TENANT)
    customer = Customer("acme", tenant_id=c.CUSTOMER_TENANT, onboarding_object_id=c.ONBOARDING)
    result = import_deployment(original, customer, CATALOGUE)
    plan = build_plan(check(result, None, tmp_path, "Tailwind", CATALOGUE))
    files = export_files(plan)
    exported: list[ArmResource] = []
    for target in subscription_templates(plan):
        again = parse_json(files[target.template_file].decode(), target.template_file)
        values = parse_json(files[target.parameters_file].decode(), target.parameters_file)
        exported += evaluate_template(again, values, (), target.subscription_id).resources
    summary = sorted((r.type, r.scope, r.name, json.dumps(r.properties, sort_keys=True)) for r in exported)
    assert summary == sorted(
        (r.type, r.scope, r.name, json.dumps(r.properties, sort_keys=True)) for r in original.resources
    )


def _bicep_with(change: str) -> dict[str, Any]:
    """BICEP with one construct lighthouse-iac does not evaluate put where a value is read."""
    template: dict[str, Any] = json.loads(json.dumps(b.BICEP))
    definition = template["resources"]["definition"]
    module = template["resources"]["assignments"]
    if change == "user-function":
        template["functions"] = [
            {"namespace": "__bicep", "members": {"label": {"output": {"type": "string", "value": "x"}}}}
        ]
        definition["properties"]["description"] = "[__bicep.label(parameters('offerName'))]"
    elif change == "reference":
        definition["properties"]["description"] = "[reference('telemetry').outputs.text.value]"
    elif change == "template-link":
        del module["properties"]["template"]
        module["properties"]["templateLink"] = {
            "id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.Resources/templateSpecs/z"
        }
    elif change == "unknown-type":
        template["parameters"]["authorizations"] = {"$ref": "#/definitions/missing"}
    elif change == "resource-scope":
        definition["scope"] = "[format('Microsoft.Resources/resourceGroups/{0}', 'rg-app')]"
    elif change == "resource-group-at-subscription":
        definition["properties"]["description"] = "[resourceGroup().name]"
    elif change == "other-subscription":
        module["subscriptionId"] = "0b6c6a1e-0000-4000-8000-000000000001"
    return template


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            "user-function",
            "resources.definition.properties.description",
            "__bicep.label() is a user-defined function",
        ),
        (
            "reference",
            "resources.definition.properties.description",
            "reference() has a value only Azure knows",
        ),
        (
            "template-link",
            "resources.assignments.properties.templateLink",
            "linked templates cannot be read offline",
        ),
        (
            "unknown-type",
            "parameters.authorizations['$ref']",
            "'#/definitions/missing' is not among the template's definitions",
        ),
        ("resource-scope", "resources.definition.scope", "the 'scope' property is not supported"),
        (
            "resource-group-at-subscription",
            "resources.definition.properties.description",
            "resourceGroup() has no value in a subscription-level deployment",
        ),
        (
            "other-subscription",
            "resources.assignments.subscriptionId",
            "a nested deployment to another subscription",
        ),
    ],
)
def test_what_is_not_evaluated_is_refused_where_it_is_with_its_name(
    tmp_path: Path, change: str, path: str, message: str
) -> None:
    file = c.write(tmp_path / "t.json", _bicep_with(change))
    parameters = read_json(c.write(tmp_path / "p.json", b.BICEP_PARAMETERS))
    with pytest.raises(ConfigError) as caught:
        evaluate_template(read_json(file), parameters, (), c.SUBSCRIPTION, tenant_id=c.CUSTOMER_TENANT)
    [problem] = caught.value.problems
    assert (problem.file, problem.path) == (str(file), path)
    assert problem.line is not None and message in problem.message
