"""Property tests: Microsoft's samples with one node mangled go through `import`'s and `validate`'s code
paths and either succeed or raise ConfigError (validate: report it), nothing else."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lighthouse_iac.arm.importer import Customer, check, directory_yaml, import_deployment, stack_yaml
from lighthouse_iac.arm.source import JsonDocument, parse_json
from lighthouse_iac.arm.template import evaluate_template
from lighthouse_iac.arm.validation import check_documents
from lighthouse_iac.catalogues import load_catalogue
from lighthouse_iac.errors import ConfigError
from lighthouse_iac.rules import RuleSettings

from ..engine import FIXTURE
from .cases import POLICY_SAMPLES, SAMPLES, SUBSCRIPTION, sample_paths

CATALOGUE = load_catalogue()
# Values a template or parameters file might hold by mistake, ARM-flavoured ones included.
ARM_TEXT = st.sampled_from(
    [
        "",
        "[",
        "[]",
        "[[escaped]",
        "[parameters('authorizations')]",
        "[parameters('nope')]",
        "[variables('nope')]",
        "[concat(parameters('mspOfferName'), 1)]",
        "[json('[1, {}]')]",
        "[createArray(1, 'a')]",
        "[createObject('principalId', 5)]",
        "[int('1e400')]",
        "[int(json('1e400'))]",
        "[copyIndex()]",
        "[guid()]",
        "[uniqueString('x')]",
        "<insert managing tenant id>",
        "00000000-0000-0000-0000-000000000000",
        "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "Microsoft.ManagedServices/registrationDefinitions",
        "Microsoft.ManagedServices/registrationAssignments",
        "Microsoft.Resources/deployments",
        "Microsoft.Authorization/policyDefinitions",
        "deployIfNotExists",
        "inner",
        "string",
        "array",
    ]
)
JUNK: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | ARM_TEXT,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6) | ARM_TEXT, inner, max_size=3)
    ),
    max_leaves=6,
)
PAIRS = sorted({**SAMPLES, **POLICY_SAMPLES})


def _load(name: str) -> tuple[Any, Any]:
    template, parameters = sample_paths(name)
    return (
        json.loads(template.read_text("utf-8-sig")),
        json.loads(parameters.read_text("utf-8-sig")) if parameters else None,
    )


ORIGINALS = {name: _load(name) for name in PAIRS}


def _mangle(draw: st.DrawFn, document: Any) -> Any:
    """One node somewhere inside `document` replaced by junk, deleted, or put in the wrong container."""
    root = [document]
    node: Any = root
    key: Any = 0
    while True:
        child = node[key]
        keys: list[Any] = []
        if isinstance(child, dict):
            keys = list(child)
        elif isinstance(child, list):
            keys = list(range(len(child)))
        if not keys or not draw(st.integers(0, 4)):  # stop here, more often near the top than at random
            break
        node, key = child, draw(st.sampled_from(keys))
    action = draw(st.sampled_from(["junk", "delete", "container", "stray", "text"]))
    target = node[key]
    if action == "delete" and isinstance(node, dict):
        del node[key]
    elif action == "container" and isinstance(target, dict):
        node[key] = list(target.values())
    elif action == "container" and isinstance(target, list):
        node[key] = {str(i): v for i, v in enumerate(target)}
    elif action == "container":
        node[key] = draw(st.sampled_from([[target], {"value": target}]))
    elif action == "stray" and isinstance(target, dict):
        target[draw(st.text(max_size=8) | ARM_TEXT)] = draw(JUNK)
    elif action == "text":
        node[key] = draw(ARM_TEXT)
    else:
        node[key] = draw(JUNK)
    return root[0]


@st.composite
def mangled_pair(draw: st.DrawFn) -> tuple[str, str | None]:
    """A sample template and its parameters file as text, one of the two with one node mangled."""
    template, parameters = json.loads(json.dumps(ORIGINALS[draw(st.sampled_from(PAIRS))]))
    if parameters is None or draw(st.booleans()):
        template = _mangle(draw, template)
    else:
        parameters = _mangle(draw, parameters)
    return json.dumps(template, indent=2), None if parameters is None else json.dumps(parameters, indent=2)


def _documents(texts: tuple[str, str | None]) -> tuple[JsonDocument, JsonDocument | None]:
    template, parameters = texts
    return parse_json(template, "t.json"), None if parameters is None else parse_json(parameters, "p.json")


def _import(template: JsonDocument, parameters: JsonDocument | None) -> None:
    """What `lighthouse-iac import` does, up to the text it prints or writes (cli/import_.py)."""
    deployment = evaluate_template(template, parameters, [], SUBSCRIPTION)
    result = import_deployment(deployment, Customer("generated"), CATALOGUE, None)
    check(result, None, FIXTURE, "Managing tenant", CATALOGUE)
    stack_yaml(result, ["t.json", "p.json"])
    directory_yaml(result, "Managing tenant")


def _located(error: ConfigError) -> bool:
    return all(p.message and (p.file or p.path) for p in error.problems)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_pair())
def test_import_takes_a_mangled_sample_or_says_why(texts: tuple[str, str | None]) -> None:
    try:
        _import(*_documents(texts))
    except ConfigError as error:
        assert _located(error)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_pair())
def test_validate_checks_a_mangled_sample_or_reports_why(texts: tuple[str, str | None]) -> None:
    try:
        documents = [d for d in _documents(texts) if d is not None]
    except ConfigError as error:  # not JSON any more (a huge number, ...): validate reports it so
        assert _located(error)
        return
    # A parameters file mangled out of recognition is taken for a second template: one report each.
    reports = check_documents(documents, FIXTURE, RuleSettings())
    assert 1 <= len(reports) <= len(documents)
    for report in reports:
        assert all(p.message and (p.file or p.path) for p in report.problems)
