"""The editor schemas: generated from the models, committed and current, and agreeing with the loader."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from lighthouse_iac import config
from lighthouse_iac.cli import main
from lighthouse_iac.cli.schema import schemas
from lighthouse_iac.config import load_stack
from lighthouse_iac.errors import ConfigError, Problem
from lighthouse_iac.keys import NAMESPACE
from lighthouse_iac.schema import CROSS_REFERENCES, PROJECT_SCHEMA, STACK_SCHEMA

from .engine import FIXTURE, ROOT
from .projects import make_project
from .test_properties import stack_config

SCHEMAS = ROOT / "schemas"
MODELINES = (
    "# yaml-language-server: $schema=../schemas/stack.schema.json",
    "# $schema: ../schemas/stack.schema.json",
)


def _validator(name: str) -> jsonschema.Draft7Validator:
    document = json.loads((SCHEMAS / name).read_text())
    jsonschema.Draft7Validator.check_schema(document)
    return jsonschema.Draft7Validator(document)


def test_the_committed_schemas_are_current() -> None:
    expected = schemas(config.load_project(ROOT))
    for name, text in expected.items():
        assert (SCHEMAS / name).read_text() == text, (
            f"schemas/{name} is out of date (Pulumi.yaml's principals or the models changed): run "
            "`lighthouse-iac schema -o schemas` and commit the result"
        )


def test_the_command_writes_both_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(FIXTURE), "schema", "-o", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([PROJECT_SCHEMA, STACK_SCHEMA])
    stack = json.loads((tmp_path / STACK_SCHEMA).read_text())
    principals = stack["$defs"]["PrincipalName"]["anyOf"][0]["enum"]
    assert "msp-readers" in principals and "msp-offboarding" in principals
    assert "Reader" in stack["$defs"]["RoleName"]["anyOf"][0]["enum"]
    assert capsys.readouterr().out.splitlines() == [
        f"Wrote {tmp_path / n}" for n in (STACK_SCHEMA, PROJECT_SCHEMA)
    ]


def test_the_command_refuses_a_missing_folder_or_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(FIXTURE), "schema", "-o", str(tmp_path / "nowhere")]) == 2
    assert "not a folder" in capsys.readouterr().err
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert main(["-C", str(FIXTURE), "schema", "-o", str(tmp_path / "link")]) == 2
    assert list((tmp_path / "real").iterdir()) == []


@pytest.mark.parametrize(
    ("listed", "content"),
    [(["cat.json"], '{"roles": [{"id": 5, "name": ["x"]}]}'), (["cat.json"], "not json"), ("cat.json", "")],
)
def test_the_command_refuses_a_bad_catalogue_as_every_command_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], listed: Any, content: str
) -> None:
    # It read the catalogue its own way, and a bad one was a traceback (exit 1) instead of exit 2.
    project = make_project(tmp_path)
    with (project / "Pulumi.yaml").open("a") as file:
        file.write(f"  roleCatalogues: {json.dumps(listed)}\n")
    (project / "cat.json").write_text(content)
    (tmp_path / "out").mkdir()
    assert main(["-C", str(project), "schema", "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{project / 'Pulumi.yaml'}:") and ": roleCatalogues: " in err
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("path", sorted((ROOT / "stacks").glob("Pulumi.*.yaml")), ids=lambda p: p.name)
def test_each_stack_in_stacks_passes_the_schema_its_modeline_names(path: Path) -> None:
    # Whichever customers are there: a valid stack passes the committed schema. The examples end with the
    # modelines (at the end, so that no line number moves); a copied stack keeps them.
    text = path.read_text()
    for line in text.splitlines():
        if line.startswith(("# yaml-language-server: $schema=", "# $schema: ")):
            assert line in MODELINES
    assert list(_validator(STACK_SCHEMA).iter_errors(yaml.safe_load(text))) == []


def test_pulumi_yaml_passes_its_schema() -> None:
    assert (
        list(_validator(PROJECT_SCHEMA).iter_errors(yaml.safe_load((ROOT / "Pulumi.yaml").read_text()))) == []
    )


def test_a_mistake_is_found_by_the_schema() -> None:
    document = yaml.safe_load((FIXTURE / "stacks" / "Pulumi.contoso.yaml").read_text())
    document["config"]["lighthouse-iac:customer"]["tenantId"] = "not-a-guid"
    document["config"]["lighthouse-iac:offers"][0]["scopes"][0]["resourceGroups"] = ["rg/x"]
    errors = sorted(
        ".".join(map(str, e.absolute_path)) for e in _validator(STACK_SCHEMA).iter_errors(document)
    )
    assert errors == [
        "config.lighthouse-iac:customer.tenantId",
        "config.lighthouse-iac:offers.0.scopes.0.resourceGroups",
    ]


_CROSS = (
    "unknown principal",
    "unknown role",
    "duplicate offer key",
    "is already listed",
    "is not a scope of this offer",
    "outside PT30M..PT8H",
    "is the managing tenant",
    "userType is a user's",
    "unknown namespace",
    "only a customer whose subscriptions were created through CSP",
    f"missing required key '{NAMESPACE}:offers'",
    "only a new CSP customer whose Azure plan is ordered first",
    "is listed as created through CSP",  # a misspelt lighthouse-iac: (documented with the list)
)


def _cross_reference(problem: Problem) -> bool:
    """A problem the schema cannot see: it needs another part of the configuration (CROSS_REFERENCES)."""
    return any(marker in problem.message for marker in _CROSS)


_STACK = _validator(STACK_SCHEMA)


_PROJECT = make_project(Path(tempfile.mkdtemp(prefix="lighthouse-schema-")))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stack_config())
def test_the_schema_and_the_loader_agree(generated: dict[str, Any]) -> None:
    # The same text for both: what an editor checks is the file the loader reads.
    text = yaml.safe_dump({"config": generated})
    schema_errors = [e.message for e in _STACK.iter_errors(yaml.safe_load(text))]
    (_PROJECT / "stacks" / "Pulumi.generated.yaml").write_text(text)
    try:
        load_stack(_PROJECT, "generated")
    except ConfigError as exc:
        if not schema_errors:  # only what the schema cannot know may be refused by the loader alone
            assert all(_cross_reference(p) for p in exc.problems), [p.render() for p in exc.problems]
        return
    assert schema_errors == []


def test_the_listed_exceptions_are_documented() -> None:
    page = (ROOT / "docs" / "configuration.md").read_text()
    for item in CROSS_REFERENCES:
        assert item in page
