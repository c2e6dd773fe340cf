"""The pack's validators, called as the SDK calls them, never raise: odd properties, odd pack config."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_policy import (
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
)
from pulumi_policy.policy import PolicyCustomTimeouts
from pulumi_policy.proxy import unknown_checking_proxy

from lighthouse_iac.policy_engine.shape import describe
from lighthouse_iac.rules.eligible_activation import MAXIMUM_ACTIVATION

from ..engine import FIXTURE, engine_config
from ..rules.strategies import JUNK, mangled, wire
from .analyzer import load_adapter

crossguard = load_adapter()
OPTIONS = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])
TYPES = [
    "azure-native:managedservices:RegistrationDefinition",
    "azure-native:managedservices:RegistrationAssignment",
    "lighthouse:index:OfferDelegation",
]


@pytest.fixture(autouse=True, scope="module")
def contoso_environment() -> Iterator[None]:
    """The engine's environment for contoso, as the pack sees it when started for that stack."""
    saved = {k: os.environ.get(k) for k in ("PULUMI_CONFIG", "PULUMI_PROJECT")}
    os.environ["PULUMI_CONFIG"] = json.dumps(engine_config(FIXTURE, "contoso"))
    os.environ["PULUMI_PROJECT"] = "lighthouse-iac"
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def proxied(inputs: Any) -> Any:
    return unknown_checking_proxy(copy.deepcopy(wire(inputs if isinstance(inputs, dict) else {"x": inputs})))


@settings(max_examples=150, deadline=None)
@given(mangled(), st.sampled_from(TYPES), JUNK)
def test_validators_never_raise(baseline: Any, type_: str, config: Any) -> None:
    reported: list[tuple[str, str | None]] = []

    def report(message: str, urn: str | None = None) -> None:
        reported.append((message, urn))

    policy_config = config if isinstance(config, dict) else {}
    resources = [r.inputs for r in baseline.resources()]
    for policy in crossguard.policies():
        if isinstance(policy, ResourceValidationPolicy):
            for inputs in resources:
                args = ResourceValidationArgs(
                    type_, proxied(inputs), "urn:x", "x", OPTIONS, None, policy_config
                )
                policy.validate(args, report)
        else:
            stack = [
                PolicyResource(type_, proxied(inputs), f"urn:{i}", f"r{i}", OPTIONS, None, None, [], {})
                for i, inputs in enumerate(resources)
            ]
            policy.validate(StackValidationArgs(stack, policy_config), report)
    assert all(isinstance(message, str) and message for message, _ in reported)


def test_role_catalogues_are_read_relative_to_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The engine starts the pack in its own folder, which sits in the project (policies/).
    (tmp_path / "policies").mkdir()
    (tmp_path / "roles.json").write_text(
        json.dumps([{"id": "0b6d3c2e-1f4a-4c5b-9d8e-7f6a5b4c3d2e", "name": "Fabrikam Custom Reader"}])
    )
    monkeypatch.chdir(tmp_path / "policies")
    catalogue, problems = crossguard.project_catalogue({"roleCatalogues": ["roles.json"]})
    assert problems == ()
    assert catalogue.by_name("Fabrikam Custom Reader") is not None
    assert catalogue.by_name("Reader") is not None
    # A copy shipped in the pack folder serves a published pack, which runs far from the project.
    (tmp_path / "roles.json").rename(tmp_path / "policies" / "roles.json")
    catalogue, problems = crossguard.project_catalogue({"roleCatalogues": ["roles.json"]})
    assert (catalogue.by_name("Fabrikam Custom Reader") is not None, problems) == (True, ())
    # A file found nowhere leaves the shipped catalogue, and says so (lighthouse-policy-inputs).
    catalogue, problems = crossguard.project_catalogue({"roleCatalogues": ["missing.json", 5]})
    assert catalogue.by_name("Fabrikam Custom Reader") is None
    assert [loc for loc, _ in problems] == [("roleCatalogues", 0), ("roleCatalogues", 1)]
    assert problems[1][1] == f"expected the path of a role catalogue file, found {describe(5)}"


def test_a_rule_context_follows_its_config_by_value() -> None:
    contexts = crossguard.RuleContexts()
    rule = next(r for r in crossguard.RULES if r.name == "lighthouse-eligible-activation")
    config = {"maximumActivation": "PT2H"}
    assert contexts.context(rule, config).settings.value(MAXIMUM_ACTIVATION) == "PT2H"
    assert contexts.context(rule, dict(config)) is contexts.context(rule, config)  # equal: parsed once
    config["maximumActivation"] = "PT3H"  # changed in place: the same object, a new value
    assert contexts.context(rule, config).settings.value(MAXIMUM_ACTIVATION) == "PT3H"
    assert contexts.context(rule, {}).settings.value(MAXIMUM_ACTIVATION) == "PT8H"
