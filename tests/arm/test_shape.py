"""Malformed templates and parameters files: each wrong shape named with file, line, key path, what was
found and what is allowed; ConfigError (exit 2), never a traceback, never silently skipped."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from lighthouse_iac.arm.source import MAX_DEPTH, read_json
from lighthouse_iac.arm.template import evaluate_template
from lighthouse_iac.cli import main
from lighthouse_iac.errors import ConfigError

from ..engine import FIXTURE
from .cases import SUBSCRIPTION, sample_paths

SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
DEFINITION = "Microsoft.ManagedServices/registrationDefinitions"
AUTHORIZATION = 'an authorization object ({"principalId": ..., "roleDefinitionId": ...})'


def _sample(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    template, parameters = sample_paths(name)
    assert parameters is not None
    return (
        json.loads(template.read_text("utf-8-sig")),
        json.loads(parameters.read_text("utf-8-sig")),
    )


def _errors(tmp_path: Path, template: Any, parameters: Any | None = None) -> list[str]:
    """The lines of the ConfigError evaluating these documents gives (files t.json and p.json)."""
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2))
    params = None
    if parameters is not None:
        (tmp_path / "p.json").write_text(json.dumps(parameters, indent=2))
        params = read_json(Path("p.json"))
    with pytest.raises(ConfigError) as caught:
        evaluate_template(read_json(Path("t.json")), params, (), SUBSCRIPTION)
    return str(caught.value).splitlines()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _definition(**changes: Any) -> dict[str, Any]:
    resource = {"type": DEFINITION, "name": "[guid('x')]", "properties": {"registrationDefinitionName": "x"}}
    return {"$schema": SCHEMA, "resources": [{**resource, **changes}]}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            {"$schema": SCHEMA, "resources": 5},
            "t.json:3: resources: expected an array of resources (or, with languageVersion 2.0, an object "
            "of them by symbolic name), found the number 5",
        ),
        (
            {"resources": 5},
            "t.json:2: resources: expected an array of resources (or, with languageVersion 2.0, an object "
            "of them by symbolic name), found the number 5",
        ),
        (
            {
                "$schema": SCHEMA,
                "resources": [
                    {"type": "Microsoft.Authorization/policyDefinitions", "name": "p", "properties": [1]}
                ],
            },
            "t.json:7: resources[0].properties: expected the policy's properties object, found an array",
        ),
        (
            {"$schema": SCHEMA, "parameters": 5, "resources": []},
            "t.json:3: parameters: expected an object of parameter declarations, found the number 5",
        ),
        (
            {"$schema": SCHEMA, "parameters": {"a": {"type": "strin"}}, "resources": []},
            "t.json:5: parameters.a.type: expected a parameter type (string, securestring, int, bool, "
            'array, object, secureobject), found the string "strin"',
        ),
        (
            {"$schema": SCHEMA, "parameters": {"a": {"defaultValue": 1}}, "resources": []},
            "t.json:4: parameters.a: 'type' is missing from a parameter declaration ({\"type\": ...}); it "
            "must be a parameter type",
        ),
        (
            {"$schema": SCHEMA, "variables": [1], "resources": []},
            "t.json:3: variables: expected an object of variables, found an array",
        ),
        (
            {"$schema": SCHEMA, "resources": [5]},
            't.json:4: resources[0]: expected a resource object ({"type": ..., "name": ..., ...}), found '
            "the number 5",
        ),
        (
            {"$schema": SCHEMA, "resources": [{"name": "x"}]},
            't.json:4: resources[0]: \'type\' is missing from a resource object ({"type": ..., "name": ..., '
            '...}); it must be a resource type such as "Microsoft.ManagedServices/registrationDefinitions"',
        ),
        (
            _definition(type="[variables('t')]"),
            't.json:5: resources[0].type: expected a resource type such as "Microsoft.ManagedServices/'
            "registrationDefinitions\" written out, found the expression [variables('t')]; write the "
            "value itself",
        ),
        (
            _definition(copy=[1]),
            't.json:10: resources[0].copy: expected a copy loop ({"name": ..., "count": ...}), '
            "found an array",
        ),
        (
            _definition(condition="yes"),
            "t.json:10: resources[0].condition: expected true, false or an expression, "
            'found the string "yes"',
        ),
        (
            _definition(properties=[1]),
            "t.json:7: resources[0].properties: expected a properties object, found an array",
        ),
        (
            {
                "$schema": SCHEMA,
                "resources": [
                    {
                        "type": "Microsoft.Resources/deployments",
                        "name": "n",
                        "properties": {"template": {"resources": {"a": 1}}},
                    }
                ],
            },
            't.json:10: resources[0].properties.template.resources.a: expected a resource object ({"type": '
            '..., "name": ..., ...}), found the number 1',
        ),
        ([1], "t.json:1: expected a template object, found an array"),
    ],
    ids=[
        "resources-number",
        "resources-number-before-the-schema-check",
        "policy-properties-array",
        "parameters-number",
        "parameter-type-unknown",
        "parameter-type-missing",
        "variables-array",
        "resource-number",
        "resource-type-missing",
        "resource-type-expression",
        "copy-array",
        "condition-text",
        "properties-array",
        "nested-template-resource",
        "template-array",
    ],
)
def test_a_template_of_the_wrong_shape_is_named(tmp_path: Path, template: Any, expected: str) -> None:
    assert _errors(tmp_path, template) == [expected]


def test_evaluated_values_of_the_wrong_shape_are_named_where_they_were_written(tmp_path: Path) -> None:
    template = _definition(
        properties={"registrationDefinitionName": "[variables('names')]", "authorizations": [5]},
        plan="[parameters('plan')]",
        condition="[parameters('deploy')]",
    )
    template["parameters"] = {"plan": {"type": "string"}, "deploy": {"type": "bool", "defaultValue": True}}
    template["variables"] = {"names": ["a"]}
    assert _errors(tmp_path, template, {"parameters": {"plan": {"value": "basic"}}}) == [
        # [variables('names')]: where the variable was written
        "t.json:27: variables.names: expected a string, found an array",
        f"t.json:10: resources[0].properties.authorizations[0]: expected {AUTHORIZATION}, found the number 5",
    ]
    template["variables"] = {"names": "a"}
    template["resources"][0]["properties"]["authorizations"] = []
    assert _errors(tmp_path, template, {"parameters": {"plan": {"value": "basic"}}}) == [
        'p.json:4: parameters.plan.value: expected a plan object ({"name", "publisher", "product", '
        '"version"}), found the string "basic"'
    ]
    template["parameters"]["plan"]["type"] = "object"
    template["resources"][0]["plan"] = "[union(parameters('plan'), json('{}'))]"
    assert _errors(tmp_path, template, {"parameters": {"plan": {"value": {"name": 5}}}}) == [
        "t.json:11: resources[0].plan: name in the value of this expression: expected a string, found the "
        "number 5"
    ]
    template["resources"][0]["plan"] = "[parameters('plan')]"
    assert _errors(
        tmp_path, template, {"parameters": {"plan": {"value": {}}, "deploy": {"value": "no"}}}
    ) == ["p.json:7: parameters.deploy.value: parameter 'deploy' is declared bool, found \"no\""]
    template["parameters"]["deploy"]["type"] = "string"
    assert _errors(
        tmp_path, template, {"parameters": {"plan": {"value": {}}, "deploy": {"value": "no"}}}
    ) == ['t.json:12: resources[0].condition: expected true or false, found the string "no"']


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        (
            {"parameters": 5},
            't.json:2: parameters: expected an object of {"value": ...} by parameter name, '
            "found the number 5",
        ),
        (
            {"parameters": {"authorizations": 5}},
            't.json:3: parameters.authorizations: expected {"value": ...}, found the number 5',
        ),
        (
            {"parameters": {"authorizations": {"reference": "vault"}}},
            "t.json:4: parameters.authorizations.reference: expected a Key Vault reference object, found the "
            'string "vault"',
        ),
        ([], 't.json:1: expected a parameters file object ({"parameters": {...}}), found an array'),
        (
            {},
            "t.json:1: 'parameters' is missing from a parameters file object ({\"parameters\": {...}}); it "
            'must be an object of {"value": ...} by parameter name',
        ),
    ],
    ids=["parameters-number", "entry-number", "reference-text", "file-array", "parameters-missing"],
)
def test_a_parameters_file_of_the_wrong_shape_is_named(
    tmp_path: Path, parameters: Any, expected: str
) -> None:
    template, _ = _sample("subscription")
    (tmp_path / "t.json").write_text(json.dumps(parameters, indent=2))
    (tmp_path / "s.json").write_text(json.dumps(template))
    with pytest.raises(ConfigError) as caught:
        evaluate_template(read_json(Path("s.json")), read_json(Path("t.json")), (), SUBSCRIPTION)
    assert str(caught.value).splitlines() == [expected]


_AUTH_ERRORS = [
    f"p.json:16: parameters.authorizations.value[0]: expected {AUTHORIZATION}, found the number 5",
    f"p.json:17: parameters.authorizations.value[1]: expected {AUTHORIZATION}, found null",
    "p.json:19: parameters.authorizations.value[2].principalId: expected a string, found an object",
    "p.json:22: parameters.authorizations.value[2].roleDefinitionId: expected a string, found the number 7",
    "p.json:23: parameters.authorizations.value[2].delegatedRoleDefinitionIds: expected an array of role "
    'definition IDs, found the string "b24988ac-6180-42a0-ab88-20f7382dd24c"',
]


def _bad_authorizations(tmp_path: Path) -> list[str]:
    template, parameters = _sample("subscription")
    parameters["parameters"]["authorizations"]["value"] = [
        5,
        None,
        {
            "principalId": {"x": 1},
            "roleDefinitionId": 7,
            "delegatedRoleDefinitionIds": "b24988ac-6180-42a0-ab88-20f7382dd24c",
        },
    ]
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2))
    (tmp_path / "p.json").write_text(json.dumps(parameters, indent=2))
    return ["t.json", "p.json"]


def test_import_names_every_authorization_that_is_not_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _bad_authorizations(tmp_path)
    args = ["import", *files, "--customer", "x", "--subscription", SUBSCRIPTION]
    assert main(["-C", str(FIXTURE), *args]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == _AUTH_ERRORS
    assert captured.out == ""


def test_validate_names_them_too_instead_of_skipping_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _bad_authorizations(tmp_path)
    assert main(["-C", str(FIXTURE), "validate", *files]) == 2
    captured = capsys.readouterr()
    assert (captured.out + captured.err).splitlines() == [
        *_AUTH_ERRORS,
        "0 templates checked, 0 mandatory violations, 0 advisories, 1 invalid",
    ]


def test_eligible_authorizations_and_approvers_are_checked_too(tmp_path: Path) -> None:
    template, parameters = _sample("eligible-subscription-approvers")
    eligible = parameters["parameters"]["eligibleAuthorizations"]["value"]
    broken = copy.deepcopy(eligible)
    broken[0]["justInTimeAccessPolicy"]["managedByTenantApprovers"] = [[]]
    broken.append("x")
    parameters["parameters"]["eligibleAuthorizations"]["value"] = broken
    assert _errors(tmp_path, template, parameters)[-2:] == [
        "p.json:35: parameters.eligibleAuthorizations.value[0].justInTimeAccessPolicy."
        'managedByTenantApprovers[0]: expected an approver object ({"principalId": ...}), found an array',
        "p.json:42: parameters.eligibleAuthorizations.value[1]: expected an eligible authorization object "
        '({"principalId": ..., "roleDefinitionId": ...}), found the string "x"',
    ]


def test_symbolic_resources_are_read_by_name(tmp_path: Path) -> None:
    """languageVersion 2.0: resources by symbolic name, checked and located by that name."""
    template, parameters = _sample("subscription")
    template["languageVersion"] = "2.0"
    template["resources"] = {"definition": template["resources"][0], "assignment": template["resources"][1]}
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2))
    (tmp_path / "p.json").write_text(json.dumps(parameters, indent=2))
    deployment = evaluate_template(read_json(Path("t.json")), read_json(Path("p.json")), (), SUBSCRIPTION)
    assert [(r.type.rsplit("/", 1)[1], r.loc) for r in deployment.resources] == [
        ("registrationDefinitions", ("resources", "definition")),
        ("registrationAssignments", ("resources", "assignment")),
    ]
    template["resources"]["definition"]["properties"]["description"] = 5
    assert _errors(tmp_path, template, parameters) == [
        "t.json:41: resources.definition.properties.description: expected a string, found the number 5"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"resources": NaN}', "t.json: not valid JSON: NaN is not a JSON value"),
        (
            "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
            "t.json: objects and arrays nest more than 64 levels deep; not read",
        ),
        ("[" * 100_000 + "]" * 100_000, "t.json: objects and arrays nest more than 64 levels deep; not read"),
    ],
    ids=["nan", "deep", "deeper-than-the-parser"],
)
def test_json_beyond_what_is_read_is_refused(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "t.json").write_text(text)
    with pytest.raises(ConfigError) as caught:
        read_json(Path("t.json"))
    assert str(caught.value) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda p: p["authorizations"]["value"][0].pop("principalId"),
            "p.json:16: parameters.authorizations.value[0].principalId: principalId is missing; "
            "expected a GUID",
        ),
        (
            lambda p: p["authorizations"]["value"][1].update(roleDefinitionId="Reader"),
            "p.json:23: parameters.authorizations.value[1].roleDefinitionId: roleDefinitionId 'Reader' "
            "is not a GUID; expected a GUID",
        ),
        (
            lambda p: p["managedByTenantId"].update(value=""),
            "p.json:12: parameters.managedByTenantId.value: managedByTenantId '' is not a GUID; expected the "
            "managing tenant's ID",
        ),
        (
            lambda p: p["authorizations"].update(value=[]),
            "stacks/Pulumi.x.yaml (as imported): offers[0].authorizations: must not be empty",
        ),
    ],
    ids=["principal-missing", "role-by-name", "tenant-empty", "no-authorizations"],
)
def test_import_names_values_it_cannot_take_where_they_were_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, expected: str
) -> None:
    template, parameters = _sample("subscription")
    change(parameters["parameters"])
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2))
    (tmp_path / "p.json").write_text(json.dumps(parameters, indent=2))
    args = ["import", "t.json", "p.json", "--customer", "x", "--subscription", SUBSCRIPTION]
    assert main(["-C", str(FIXTURE), *args]) == 2
    assert capsys.readouterr().err.splitlines() == [expected]
