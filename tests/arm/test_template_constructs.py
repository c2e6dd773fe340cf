"""Templates with the constructs providers' templates use: each imported, and the stack's
`plan --format json` equal, field by field, to what ARM would deploy from the template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lighthouse_iac.arm.source import read_json
from lighthouse_iac.arm.template import evaluate_template
from lighthouse_iac.cli import main
from lighthouse_iac.errors import ConfigError

from . import constructs as c

Deployed = list[tuple[str, str, str, dict[str, Any]]]


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        "name: lighthouse-iac\nruntime: python\nstackConfigDir: stacks\nconfig:\n"
        "  lighthouse-iac:roleCatalogues:\n    value: []\n"
    )
    return project


def import_args(tmp_path: Path, template: Any, parameters: Any | None, *extra: str) -> list[str]:
    files = [str(c.write(tmp_path / "template.json", template))]
    if parameters is not None:
        files.append(str(c.write(tmp_path / "template.parameters.json", parameters)))
    return ["import", *files, "--customer", "acme", "--subscription", c.SUBSCRIPTION, *extra]


def import_and_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], template: Any, parameters: Any | None, *extra: str
) -> dict[str, Any]:
    """Import with every customer detail given (so nothing is a placeholder), then the stack's plan."""
    project = _project(tmp_path)
    details = ["--customer-tenant", c.CUSTOMER_TENANT, "--onboarding", c.ONBOARDING, "--write"]
    code = main(["-C", str(project), *import_args(tmp_path, template, parameters, *details, *extra)])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["-C", str(project), "plan", "acme", "--format", "json"]) == 0
    plan: dict[str, Any] = json.loads(capsys.readouterr().out)
    return plan


def planned(plan: dict[str, Any]) -> Deployed:
    """The plan's Lighthouse resources as ARM would hold them: (type, scope, name, properties)."""
    found: Deployed = []
    for offer in plan["offers"]:
        for resource in offer["resources"]:
            inputs = resource["inputs"]
            if "registrationDefinitionId" in inputs:
                kind, name = c.DEFINITIONS, inputs["registrationDefinitionId"]
            else:
                kind, name = c.ASSIGNMENTS, inputs["registrationAssignmentId"]
            found.append((kind, inputs["scope"], name, inputs["properties"]))
    return sorted(found, key=lambda r: (r[0], r[1], r[2]))


def test_variable_and_property_copy_loops_with_names_in_any_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = import_and_plan(tmp_path, capsys, c.LOOPS, c.LOOPS_PARAMETERS)
    assert plan["managingTenantId"] == c.MSP_TENANT
    assert plan["customer"]["tenantId"] == c.CUSTOMER_TENANT
    assert planned(plan) == sorted(c.loops_deployed(), key=lambda r: (r[0], r[1], r[2]))


def test_unread_defaults_unused_conditions_and_untaken_branches_are_not_evaluated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = import_and_plan(tmp_path, capsys, c.LAZY, c.LAZY_PARAMETERS)
    assert planned(plan) == sorted(c.lazy_deployed(), key=lambda r: (r[0], r[1], r[2]))


def test_what_deploys_is_evaluated_and_refused_where_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    args = import_args(tmp_path, c.LAZY, c.LAZY_PARAMETERS, "--customer-tenant", c.CUSTOMER_TENANT)
    assert main(["-C", str(project), *args, "-p", "useApproverModule=true"]) == 2
    err = capsys.readouterr().err
    line = next(i for i, text in enumerate(json.dumps(c.LAZY, indent=2).splitlines(), 1) if "PT1H" in text)
    where = "resources[2].properties.eligibleAuthorizations[0].justInTimeAccessPolicy"
    assert f"template.json:{line}: {where}: " in err
    assert "reference() has a value only Azure knows at deployment" in err
    assert "Traceback" not in err


def test_a_default_is_evaluated_where_it_is_read_and_refused_where_written(tmp_path: Path) -> None:
    template = {
        **c.LAZY,
        "parameters": {
            **c.LAZY["parameters"],
            "description": {"type": "string", "defaultValue": "[parameters('location')]"},
        },
    }
    path = c.write(tmp_path / "t.json", template)
    with pytest.raises(ConfigError) as caught:
        evaluate_template(
            read_json(path), None, (f"mspTenant={c.MSP_TENANT}",), c.SUBSCRIPTION, tenant_id=c.CUSTOMER_TENANT
        )
    [problem] = caught.value.problems
    assert problem.path == "parameters.location.defaultValue"
    assert problem.line == next(
        i for i, text in enumerate(path.read_text().splitlines(), 1) if "deployment().location" in text
    )
    assert "deployment() has a value only Azure knows at deployment" in problem.message


@pytest.mark.parametrize("flag_given", [False, True])
def test_the_customer_tenant_comes_from_the_flag_and_its_absence_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag_given: bool
) -> None:
    project = _project(tmp_path)
    extra = ["--customer-tenant", c.CUSTOMER_TENANT] if flag_given else []
    code = main(["-C", str(project), *import_args(tmp_path, c.LAZY, c.LAZY_PARAMETERS, *extra)])
    err = capsys.readouterr().err
    if flag_given:
        assert code == 1  # imported; only the onboarding identity is left to give
        assert "subscription().tenantId" not in err
    else:
        assert code == 2
        assert (
            "subscription().tenantId is the customer's tenant, which was not given: pass --customer-tenant"
        ) in err
        assert "template.json:" in err and "resources[2].name" in err


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_every_placeholder_is_listed_where_it_was_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    details = ["--customer-tenant", c.CUSTOMER_TENANT, "--onboarding", c.ONBOARDING]
    code = main(["-C", str(project), *import_args(tmp_path, c.OLDER_GENERATION, None, *details)])
    err = capsys.readouterr().err
    assert code == 1  # imported, with placeholders to replace
    template = tmp_path / "template.json"
    listed = sorted(
        line.removeprefix("placeholder: ") for line in err.splitlines() if line.startswith("placeholder: ")
    )
    expected = [
        (_line(template, "<to be filled out by MSP> Specify"), "parameters.managedByTenantId.defaultValue"),
        (
            _line(template, "object ID of the operators"),
            "parameters.authorizations.defaultValue[0].principalId",
        ),
        (_line(template, "<Replace with"), "variables.oncall"),
        (_line(template, '"approver": "0000'), "variables.approver"),
        (
            _line(template, "<insert principal id>"),
            "resources[0].properties.eligibleAuthorizations[1].principalId",
        ),
    ]
    assert [p.split(": ")[0:2] for p in listed] == sorted(
        [f"{template}:{line}", path] for line, path in expected
    )
    assert "not a GUID" not in err and "Traceback" not in err


def test_validate_lists_the_same_placeholders_as_verdicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = c.write(tmp_path / "template.json", c.OLDER_GENERATION)
    assert main(["validate", str(template)]) == 1
    out = capsys.readouterr().out
    for text in (
        "<to be filled out by MSP> Specify",
        "<Replace with",
        '"approver": "0000',
        "<insert principal id>",
    ):
        assert f"{template}:{_line(template, text)}" in out, text
    assert "not a GUID" not in out


def test_validate_takes_the_customer_tenant_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = str(c.write(tmp_path / "template.json", c.LAZY))
    parameters = str(c.write(tmp_path / "template.parameters.json", c.LAZY_PARAMETERS))
    assert main(["validate", template, parameters]) == 2
    assert "which was not given: pass --customer-tenant" in capsys.readouterr().out
    code = main(["validate", template, parameters, "--customer-tenant", c.CUSTOMER_TENANT])
    out = capsys.readouterr().out
    assert code in (0, 1) and "--customer-tenant" not in out, out
