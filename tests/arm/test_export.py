"""The ARM export: valid against Microsoft's schemas, exactly what the program registers, byte-stable."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft4Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from lighthouse_iac.arm.export import API_VERSION, export_files, parameter_prefix, subscription_templates
from lighthouse_iac.arm.source import parse_json
from lighthouse_iac.arm.template import DEFINITION_TYPE, DEPLOYMENT_TYPE, ArmResource, evaluate_template
from lighthouse_iac.config import load_stack
from lighthouse_iac.plan import ASSIGNMENT_TYPE as ASSIGNMENT_TOKEN
from lighthouse_iac.plan import DEFINITION_TYPE as DEFINITION_TOKEN
from lighthouse_iac.plan import build_plan

from ..engine import FIXTURE, deployer, named, run_program
from .cases import SCHEMAS_DIR

STACKS = ["contoso", "tailspin", "wingtip"]
SERVICES = "https://schema.management.azure.com/schemas/2022-10-01/Microsoft.ManagedServices.json"
COMMON = "https://schema.management.azure.com/schemas/common/definitions.json"


@cache
def _validator(group: str, kind: str) -> Draft4Validator:
    """The official schema of one resource kind at one deployment scope, every $ref resolved offline."""
    services = json.loads((SCHEMAS_DIR / "2022-10-01" / "Microsoft.ManagedServices.json").read_text())
    common = json.loads((SCHEMAS_DIR / "common" / "definitions.json").read_text())
    registry: Registry[Any] = Registry().with_resources(
        [
            (SERVICES, Resource.from_contents(services, default_specification=DRAFT4)),
            (COMMON, Resource.from_contents(common, default_specification=DRAFT4)),
        ]
    )
    schema = {
        "allOf": [
            {"$ref": f"{COMMON}#/definitions/ARMResourceBase"},
            {"$ref": f"{SERVICES}#/{group}/{kind}"},
        ]
    }
    return Draft4Validator(schema, registry=registry)


def _errors(resource: dict[str, Any], group: str) -> list[str]:
    kind = resource["type"].rsplit("/", 1)[-1]
    return [e.message for e in _validator(group, kind).iter_errors(resource)]


def _export(stack: str) -> dict[str, bytes]:
    return export_files(build_plan(load_stack(FIXTURE, stack)))


def _evaluated(stack: str) -> list[ArmResource]:
    files = _export(stack)
    resources: list[ArmResource] = []
    for t in subscription_templates(build_plan(load_stack(FIXTURE, stack))):
        template = parse_json(files[t.template_file].decode(), t.template_file)
        parameters = parse_json(files[t.parameters_file].decode(), t.parameters_file)
        deployment = evaluate_template(template, parameters, (), t.subscription_id)
        assert deployment.placeholders == () and deployment.skipped == ()
        resources += deployment.resources
    return resources


@pytest.mark.parametrize("stack", STACKS)
def test_every_exported_resource_validates_against_the_official_schema(stack: str) -> None:
    files = _export(stack)
    checked = 0
    for name, content in files.items():
        if not name.endswith(".template.json"):
            continue
        template = json.loads(content)
        for resource in template["resources"]:
            if resource["type"] == DEPLOYMENT_TYPE:
                for inner in resource["properties"]["template"]["resources"]:
                    assert _errors(inner, "resourceDefinitions") == [], inner  # resource-group scope
                    checked += 1
            else:
                assert _errors(resource, "subscription_resourceDefinitions") == [], resource
                checked += 1
    # Parameters substituted: the values the customer deploys, not just the expressions, fit the schema.
    for resource in _evaluated(stack):
        document: dict[str, Any] = {
            "type": resource.type,
            "apiVersion": resource.api_version,
            "name": resource.name,
            "properties": resource.properties,
        }
        if resource.plan is not None:
            document["plan"] = resource.plan
        group = "resourceDefinitions" if resource.resource_group else "subscription_resourceDefinitions"
        assert _errors(document, group) == [], document
        assert resource.api_version == API_VERSION
    assert checked == len(list(build_plan(load_stack(FIXTURE, stack)).resources()))


def test_the_schema_check_catches_a_broken_resource() -> None:
    broken = {
        "type": DEFINITION_TYPE,
        "apiVersion": "2019-06-01",
        "name": "x",
        "properties": {"authorizations": [{"principalId": "p"}], "managedByTenantId": "t"},
    }
    assert sorted(_errors(broken, "subscription_resourceDefinitions")) == sorted(
        [
            "'2019-06-01' is not one of ['2022-10-01']",
            "{'authorizations': [{'principalId': 'p'}], 'managedByTenantId': 't'} is "
            "not valid under any of the given schemas",
        ]
    )


def _key(type_: str, inputs: dict[str, Any]) -> tuple[str, str, str]:
    kind = "definition" if type_.lower().endswith(("definition", "definitions")) else "assignment"
    return kind, inputs["scope"], inputs.get("registrationDefinitionId") or inputs["registrationAssignmentId"]


@pytest.mark.parametrize("stack", STACKS)
def test_export_creates_exactly_what_the_program_registers(stack: str) -> None:
    config = load_stack(FIXTURE, stack).config
    run = run_program(stack, client=deployer(config))
    registered = {
        _key(r.type, r.inputs): r.inputs
        for r in run.resources
        if r.type.startswith("azure-native:managedservices:")
    }
    evaluated = _evaluated(stack)
    exported = {_key(r.type, r.inputs()): r.inputs() for r in evaluated}
    assert len(exported) == len(evaluated) and len(registered) == len(run.of_type(DEFINITION_TOKEN)) + len(
        run.of_type(ASSIGNMENT_TOKEN)
    )
    assert set(exported) == set(registered), f"{stack}: scopes differ; " + named(run.resources)
    for key, inputs in registered.items():
        assert exported[key] == inputs, f"{stack} {key}"


@pytest.mark.parametrize("stack", STACKS)
def test_export_bytes_are_deterministic(stack: str) -> None:
    first, second = _export(stack), _export(stack)
    assert first == second
    for name, content in first.items():
        assert content.endswith(b"\n") and not content.endswith(b"\n\n"), name
        if name.endswith(".json"):
            document = json.loads(content)
            assert (
                content
                == (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
            )


def test_one_file_pair_per_subscription_and_the_az_line_for_each() -> None:
    plan = build_plan(load_stack(FIXTURE, "tailspin"))
    files = export_files(plan, "northeurope")
    subscriptions = list(dict.fromkeys(d.subscription_id for o in plan.offers for d in o.definitions))
    assert sorted(files) == sorted(
        [
            "README.md",
            *(f"{s}.template.json" for s in subscriptions),
            *(f"{s}.parameters.json" for s in subscriptions),
        ]
    )
    readme = files["README.md"].decode()
    for s in subscriptions:
        assert (
            f"az deployment sub create --subscription {s} --location northeurope --name lighthouse-tailspin "
            f"--template-file {s}.template.json --parameters {s}.parameters.json"
        ) in readme.splitlines()


def test_parameter_names_are_identifiers() -> None:
    assert parameter_prefix("managed-operations") == "managedOperations"
    assert parameter_prefix("24x7-support") == "offer24x7Support"
