"""`validate` on ARM templates: the rules on what each sample would deploy, on the line that set the value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lighthouse_iac.arm.validation import check_templates
from lighthouse_iac.cli import main
from lighthouse_iac.errors import format_path
from lighthouse_iac.rules import RuleSettings

from ..engine import FIXTURE
from ..projects import make_project
from .cases import SAMPLES, sample_paths
from .test_template import EXPECTED_PLACEHOLDERS

_LAC = "delegatedRoleDefinitionIds[1]"  # Log Analytics Contributor, refused since it has DataActions (TUR)

# Besides the placeholders (lighthouse-guid-format): sample -> (rule, level, line, key path), in order.
EXPECTED_OTHERS: dict[str, list[tuple[str, str, int, str]]] = {
    "subscription": [
        ("lighthouse-supported-role", "mandatory", 33, f"parameters.authorizations.value[2].{_LAC}")
    ],
    "rg": [("lighthouse-supported-role", "mandatory", 35, f"parameters.authorizations.value[2].{_LAC}")],
    "multi-rg": [
        ("lighthouse-supported-role", "mandatory", 33, f"parameters.authorizations.value[2].{_LAC}")
    ],
    "eligible-subscription": [],
    "eligible-subscription-approvers": [],
    "eligible-rg": [],
    "eligible-rg-approvers": [
        ("lighthouse-supported-role", "mandatory", 35, f"parameters.authorizations.value[2].{_LAC}")
    ],
    "eligible-multi-rg": [],
    "eligible-multi-rg-approvers": [
        ("lighthouse-supported-role", "mandatory", 32, f"parameters.authorizations.value[2].{_LAC}")
    ],
    "marketplace": [
        ("lighthouse-registration-delete-role", "advisory", 15, "parameters.authorizations.value"),
        ("lighthouse-prefer-eligible", "advisory", 18, "parameters.authorizations.value[0].roleDefinitionId"),
        ("lighthouse-prefer-eligible", "advisory", 23, "parameters.authorizations.value[1].roleDefinitionId"),
    ],
    "azmigrate": [
        ("lighthouse-prefer-eligible", "advisory", 29, "parameters.authorizations.value[2].roleDefinitionId"),
        ("lighthouse-supported-role", "mandatory", 38, f"parameters.authorizations.value[3].{_LAC}"),
    ],
    "azmigrate-defaults": [
        (
            "lighthouse-prefer-eligible",
            "advisory",
            45,
            "parameters.authorizations.defaultValue[2].roleDefinitionId",
        )
    ],
}


def _paths(name: str) -> list[Path]:
    template, parameters = sample_paths(name)
    return [template, *([parameters] if parameters else [])]


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_gets_its_exact_verdicts(name: str) -> None:
    (report,) = check_templates(_paths(name), None, RuleSettings())
    assert report.problems == ()
    file = _paths(name)[-1].name  # every finding is on a value the parameters (or their defaults) set
    placeholders = [
        (v.line, format_path(v.loc)) for v in report.verdicts if v.rule == "lighthouse-guid-format"
    ]
    assert sorted(placeholders) == sorted(EXPECTED_PLACEHOLDERS[name])
    assert all(v.level == "mandatory" for v in report.verdicts if v.rule == "lighthouse-guid-format")
    others = [
        (v.rule, v.level, v.line, format_path(v.loc))
        for v in report.verdicts
        if v.rule != "lighthouse-guid-format"
    ]
    assert others == EXPECTED_OTHERS[name]
    assert {str(v.file).rsplit("/", 1)[-1] for v in report.verdicts} <= {file}


def test_log_analytics_contributor_is_refused_with_the_reason() -> None:
    (report,) = check_templates(_paths("subscription"), None, RuleSettings())
    refused = next(v for v in report.verdicts if v.rule == "lighthouse-supported-role")
    assert refused.message.startswith(
        "Log Analytics Contributor (92aaf0da-9dab-42b6-94a3-d43ce8d16293) has DataActions"
    )
    assert refused.resource == "registrationDefinitions/a284898a-fc04-581d-aca0-047861d06160"


def test_the_projects_managing_tenant_applies_to_templates() -> None:
    (report,) = check_templates(_paths("marketplace"), FIXTURE, RuleSettings())
    tenant = [v for v in report.verdicts if v.rule == "lighthouse-managing-tenant"]
    assert [(v.level, Path(str(v.file)).name, v.line) for v in tenant] == [
        ("mandatory", "marketplaceDelegatedResourceManagement.parameters.json", 12)
    ]


def test_validate_command_takes_templates_with_their_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    args = [str(p) for p in _paths("subscription")]
    assert main(["-C", str(FIXTURE), "validate", *args, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    (stack,) = data["stacks"]
    assert stack["stack"] == "subscription.json"
    assert sorted(v["rule"] for v in stack["verdicts"]) == ["lighthouse-guid-format"] * 4 + [
        "lighthouse-supported-role"
    ]
    assert data["summary"]["exitCode"] == 1


def test_validate_command_reports_templates_it_cannot_take(capsys: pytest.CaptureFixture[str]) -> None:
    args = [str(p) for p in _paths("policy-management-group")]
    assert main(["-C", str(FIXTURE), "validate", *args]) == 2
    err_or_out = capsys.readouterr()
    text = err_or_out.out + err_or_out.err
    assert "resources[0].properties.policyRule.then.effect: this template onboards subscriptions" in text
    assert "Traceback" not in text


def test_an_exported_template_gets_the_verdicts_of_its_stack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack_text = (
        (FIXTURE / "stacks" / "Pulumi.wingtip.yaml")
        .read_text()
        .replace(
            "          role: Cost Management Reader\n",
            "          role: Log Analytics Contributor\n        - principal: msp-operators\n          role: "
            "Contributor\n",
        )
    )
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project", stack_text, "wingtip")
    out = tmp_path / "export"
    assert main(["-C", str(project), "export", "wingtip", "-o", str(out)]) == 0
    template = next(out.glob("*.template.json"))
    parameters = next(out.glob("*.parameters.json"))
    capsys.readouterr()
    args = ["-C", str(project), "validate", str(template), str(parameters), "wingtip", "--format", "json"]
    assert main(args) == 1
    data = json.loads(capsys.readouterr().out)
    by_name = {
        s["stack"]: sorted((v["rule"], v["level"], v["message"]) for v in s["verdicts"])
        for s in data["stacks"]
    }
    assert [rule for rule, _, _ in by_name["wingtip"]] == [
        "lighthouse-prefer-eligible",
        "lighthouse-supported-role",
    ]
    assert by_name[template.name] == by_name["wingtip"]


def test_the_directory_applies_to_templates_of_the_projects_tenant(tmp_path: Path) -> None:
    assert main(["-C", str(FIXTURE), "export", "wingtip", "-o", str(tmp_path)]) == 0
    template = next(tmp_path.glob("*.template.json"))
    parameters = next(tmp_path.glob("*.parameters.json"))
    document = json.loads(parameters.read_text())
    document["parameters"]["costInsightsAuthorizations"]["value"][0]["principalId"] = (
        "3f1c2b7a-0000-4000-8000-000000000001"
    )
    parameters.write_text(json.dumps(document, indent=2))
    (report,) = check_templates([template, parameters], FIXTURE, RuleSettings())
    known = [v for v in report.verdicts if v.rule == "lighthouse-known-principal"]
    assert [(v.level, format_path(v.loc)) for v in known] == [
        ("mandatory", "parameters.costInsightsAuthorizations.value[0].principalId")
    ]
    (standalone,) = check_templates([template, parameters], None, RuleSettings())
    assert not [v for v in standalone.verdicts if v.rule == "lighthouse-known-principal"]


def test_a_template_without_its_parameters_is_invalid_input(capsys: pytest.CaptureFixture[str]) -> None:
    template, _ = sample_paths("rg")
    assert main(["-C", str(FIXTURE), "validate", str(template)]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(
        "rg.json:5: parameters.mspOfferName: parameter 'mspOfferName' has no value (no parameters file "
        "given) "
        "and no defaultValue; give it in the parameters file"
    )
    assert lines[-1] == "0 templates checked, 0 mandatory violations, 0 advisories, 1 invalid"


def test_a_broken_role_catalogue_is_an_error_not_the_shipped_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Templates are judged with the project's catalogue, as its stacks are; one that cannot be read says
    # so on the line that lists it, rather than judging with fewer roles than the project declares.
    project = make_project(tmp_path)
    (project / "roles.json").write_text("{not json")
    with (project / "Pulumi.yaml").open("a") as file:
        file.write("  roleCatalogues:\n    value: [roles.json]\n")
    line = len((project / "Pulumi.yaml").read_text().splitlines())  # its value: [roles.json]
    args = [str(p) for p in _paths("subscription")]
    assert main(["-C", str(project), "validate", *args]) == 2
    out = capsys.readouterr().out
    where = f"Pulumi.yaml:{line}: roleCatalogues: {project / 'roles.json'}"
    assert f"{where}: cannot read role catalogue: " in out
    assert out.splitlines()[-1] == "0 templates checked, 0 mandatory violations, 0 advisories, 1 invalid"
