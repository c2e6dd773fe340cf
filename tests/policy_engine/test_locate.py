"""Locating a key inside a resource in the stack's configuration, as `validate` and the pack both do: the
pack through the plan of the engine's configuration, whose resource with the same IDs is the engine's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lighthouse_iac import roles
from lighthouse_iac.catalogues import load_catalogue
from lighthouse_iac.config import StackConfig, load_stack
from lighthouse_iac.errors import format_path
from lighthouse_iac.plan import build_plan
from lighthouse_iac.policy_engine.locate import Located, PlanSources, engine_plan, located_verdicts
from lighthouse_iac.rules import BY_NAME, Resource, context_from_config, short_keys
from lighthouse_iac.source_map import Source, SourceMap

from ..engine import FIXTURE, engine_config
from ..projects import BASELINE, STACK, make_project

EXAMPLES = ["contoso", "tailspin", "wingtip"]
ADOPTED_DEFINITION = "6f1c2a9e-3b7d-4e5f-8a9b-0c1d2e3f4a5b"
ADOPTED_ASSIGNMENT = "7a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d"
ADOPTED_SCOPE = "/subscriptions/cd517f52-d3a6-4df4-b0f7-c5afce02d973/resourceGroups/rg-app"
READERS = "4e7f79e9-a1ed-4b80-b106-32a7434ec1a4"


def resources(project: Path, stack: str) -> list[tuple[int, Resource]]:
    plan = build_plan(load_stack(project, stack))
    return [
        (offer.index, Resource(kind, r.name, r.inputs()))
        for offer in plan.offers
        for r in offer.resources()
        if (kind := Resource.kind_of(r.type)) is not None
    ]


def engine_sources(values: dict[str, Any], stack: StackConfig) -> PlanSources:
    """What the pack has: the plan of the configuration as the engine gives it (no files)."""
    return PlanSources(engine_plan(values, stack.catalogue, stack.stack))


def found(sources: PlanSources, resource: Resource) -> SourceMap:
    located = sources.sources(resource)
    assert located is not None, resource
    return located


def offer_of(sources: PlanSources, resource: Resource) -> int | None:
    """The index in `offers` of the offer the resource is located in."""
    located = sources.sources(resource)
    key = located.source(()).key if located is not None else ()
    return key[1] if key[:1] == ("offers",) and isinstance(key[1], int) else None


@pytest.mark.parametrize("stack", EXAMPLES)
def test_every_resource_is_found_in_the_engine_config(stack: str) -> None:
    # The pack sees the engine's config, not the plan: IDs lead it to the offer that made each resource.
    values = short_keys(engine_config(FIXTURE, stack), "lighthouse-iac")
    sources = engine_sources(values, load_stack(FIXTURE, stack))
    planned = resources(FIXTURE, stack)
    assert len(planned) >= 2
    assert [offer_of(sources, r) for _, r in planned] == [index for index, _ in planned]


def test_adopted_ids_are_found_and_located(tmp_path: Path) -> None:
    text = BASELINE.replace(
        "      scopes:\n",
        f"      adopt:\n        definitionId: {ADOPTED_DEFINITION}\n"
        f"        assignmentIds:\n          {ADOPTED_SCOPE}: {ADOPTED_ASSIGNMENT}\n      scopes:\n",
    )
    project = make_project(tmp_path, text)
    stack = load_stack(project, STACK)
    sources = engine_sources({k: e.value for k, e in stack.entries.items()}, stack)
    planned = resources(project, STACK)
    assert [offer_of(sources, r) for _, r in planned] == [0] * len(planned)
    definition = next(r for _, r in planned if r.kind == "definition")
    assignment = next(r for _, r in planned if r.inputs.get("registrationAssignmentId") == ADOPTED_ASSIGNMENT)
    assert found(sources, definition).source(("registrationDefinitionId",)).key == (
        "offers",
        0,
        "adopt",
        "definitionId",
    )
    assert found(sources, assignment).source(("registrationAssignmentId",)).key == (
        "offers",
        0,
        "adopt",
        "assignmentIds",
        ADOPTED_SCOPE,
    )
    assert found(sources, assignment).source(("scope",)).key == (
        "offers",
        0,
        "scopes",
        1,
        "resourceGroups",
        0,
    )


LOCS = [
    (("properties", "authorizations", 0, "roleDefinitionId"), ("offers", 0, "authorizations", 0, "role")),
    (("properties", "authorizations", 1, "principalId"), ("offers", 0, "authorizations", 1, "principal")),
    (
        ("properties", "authorizations", 0, "principalIdDisplayName"),
        ("managingTenant", "principals", "msp-readers", "displayName"),
    ),
    (
        (
            "properties",
            "eligibleAuthorizations",
            0,
            "justInTimeAccessPolicy",
            "managedByTenantApprovers",
            0,
            "principalId",
        ),
        ("offers", 0, "eligibleAuthorizations", 0, "approvers", 0),
    ),
    (
        (
            "properties",
            "eligibleAuthorizations",
            0,
            "justInTimeAccessPolicy",
            "managedByTenantApprovers",
            0,
            "principalIdDisplayName",
        ),
        ("managingTenant", "principals", "msp-approvers", "displayName"),
    ),
    (
        ("properties", "eligibleAuthorizations", 0, "justInTimeAccessPolicy", "maximumActivationDuration"),
        ("offers", 0, "eligibleAuthorizations", 0, "maximumActivation"),
    ),
    (("properties", "managedByTenantId"), ("managingTenant", "tenantId")),
    (("properties", "registrationDefinitionName"), ("offers", 0, "name")),
    (("properties", "authorizations", 9, "roleDefinitionId"), ("offers", 0, "authorizations")),
    (("plan", "version"), ("offers", 0, "plan", "version")),
    (("registrationDefinitionId",), ("offers", 0, "key")),
    (("scope",), ("offers", 0, "scopes", 0, "subscription")),
]


@pytest.mark.parametrize(("inside", "key"), LOCS, ids=[".".join(map(str, i)) for i, _ in LOCS])
def test_keys_inside_a_definition(
    inside: tuple[str | int, ...], key: tuple[str | int, ...], tmp_path: Path
) -> None:
    project = make_project(tmp_path)
    stack = load_stack(project, STACK)
    sources = engine_sources({k: e.value for k, e in stack.entries.items()}, stack)
    definition = next(r for _, r in resources(project, STACK) if r.kind == "definition")
    assert found(sources, definition).source(inside).key == key


def test_a_resource_of_no_configured_offer_is_not_found() -> None:
    values = short_keys(engine_config(FIXTURE, "contoso"), "lighthouse-iac")
    stack = load_stack(FIXTURE, "contoso")
    stray = Resource("definition", "x", {"registrationDefinitionId": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"})
    assert engine_sources(values, stack).sources(stray) is None
    assert engine_sources({}, stack).sources(stray) is None


# --- one path from located resources to verdicts ---------------------------------------------------------


class _OneLine:
    """A source map that puts every key of a resource on one line of one file, as a minified template."""

    def __init__(self, prefix: tuple[str | int, ...]) -> None:
        self.prefix = prefix

    def source(self, loc: tuple[str | int, ...], *, value: bool = False) -> Source:
        return Source((*self.prefix, *loc), "t.json", 1)


def _owner_twice() -> list[Located]:
    grant = {"principalId": READERS, "principalIdDisplayName": "Readers", "roleDefinitionId": roles.OWNER}
    inputs = {
        "scope": "/subscriptions/9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f",
        "registrationDefinitionId": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "properties": {"authorizations": [grant, dict(grant)]},
    }
    return [Located("definition", "offer", inputs, _OneLine(("resources", 0)))]


def test_verdicts_are_said_once_per_key_or_once_per_line() -> None:
    context = context_from_config({}, load_catalogue())
    rules = [BY_NAME["lighthouse-no-owner-role"]]

    def nowhere(loc: tuple[str | int, ...]) -> Source:
        return Source(loc)

    per_key = located_verdicts(_owner_twice(), context, rules, nowhere)
    assert [(v.loc, v.file, v.line, v.resource) for v in per_key] == [
        (("resources", 0, "properties", "authorizations", i, "roleDefinitionId"), "t.json", 1, "offer")
        for i in (0, 1)
    ]
    per_line = located_verdicts(_owner_twice(), context, rules, nowhere, once_per_line=True)
    assert [v.loc for v in per_line] == [per_key[0].loc]


def test_the_place_a_verdict_relates_to_is_named_with_its_line_or_kept() -> None:
    context = context_from_config({}, load_catalogue())
    rules = [BY_NAME["lighthouse-duplicate-authorization"]]
    (named,) = located_verdicts(_owner_twice(), context, rules, Source)
    first = ("resources", 0, "properties", "authorizations", 0)
    assert named.related == first
    assert f"as {format_path(first)} (t.json:1) does already" in named.message
    (kept,) = located_verdicts(_owner_twice(), context, rules, Source, name_related=False)
    assert kept.related == ("properties", "authorizations", 0)
    assert "as properties.authorizations[0] does already" in kept.message
