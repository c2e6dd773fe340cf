"""The plan: offboarding takes two explicit steps (step 1 unprotects everything step 2 removes); its
resources carry their kind and where each of their ARM keys was written in the configuration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lighthouse_iac.config import load_stack
from lighthouse_iac.plan import AssignmentResource, DefinitionResource, Resource, build_plan

from .engine import FIXTURE
from .projects import BASELINE, STACK, STACK_FILE, make_project

GROUPS = "resourceGroups: [rg-app, rg-data]"


def _protection(tmp: Path, groups: str) -> dict[str, bool]:
    project = make_project(tmp, BASELINE.replace(GROUPS, groups))
    plan = build_plan(load_stack(project, STACK))
    return {r.name.removeprefix(f"{STACK}-managed-operations-"): r.protect for r in plan.resources()}


def test_offboarding_the_last_resource_group_unprotects_the_definition(tmp_path: Path) -> None:
    protection = _protection(tmp_path, "resourceGroups: [{name: rg-app, offboard: true}]")
    sub = "cd517f52-d3a6-4df4-b0f7-c5afce02d973"
    # Step 2 removes the scope entry, and with it the definition: it must not stay protected.
    assert [p for name, p in protection.items() if name.startswith(sub)] == [False, False]
    assert protection["9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"] is True  # the other subscription stays


def test_offboarding_one_of_two_resource_groups_keeps_the_definition(tmp_path: Path) -> None:
    protection = _protection(tmp_path, "resourceGroups: [rg-app, {name: rg-data, offboard: true}]")
    sub = "cd517f52-d3a6-4df4-b0f7-c5afce02d973"
    assert [p for name, p in protection.items() if name.startswith(sub)] == [True, True, False]


# --- where each key came from ----------------------------------------------------------------------

EXAMPLES = ["contoso", "tailspin", "wingtip"]
ADOPTED_DEFINITION = "6f1c2a9e-3b7d-4e5f-8a9b-0c1d2e3f4a5b"
ADOPTED_ASSIGNMENT = "7a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d"
ADOPTED_SCOPE = "/subscriptions/cd517f52-d3a6-4df4-b0f7-c5afce02d973/resourceGroups/rg-app"
ADOPTED = BASELINE.replace(
    "      scopes:\n",
    f"      adopt:\n        definitionId: {ADOPTED_DEFINITION}\n"
    f"        assignmentIds:\n          {ADOPTED_SCOPE}: {ADOPTED_ASSIGNMENT}\n      scopes:\n",
)
MARKETPLACE = BASELINE.replace(
    "      scopes:\n",
    "      plan:\n        name: managed-ops\n        publisher: fabrikam\n        product: fabrikam-ops\n"
    "        version: 1.0.0\n      scopes:\n",
)


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


def _planned(project: Path, stack: str = STACK) -> list[Resource]:
    return list(build_plan(load_stack(project, stack)).resources())


def _line(text: str, written: str, after: str = "") -> int:
    """The 1-based line of the first `written` line at or after the line holding `after`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i in range(start, len(lines)) if lines[i].strip() == written) + 1


def test_resources_carry_their_kind(tmp_path: Path) -> None:
    planned = _planned(make_project(tmp_path))
    assert {(type(r), r.kind) for r in planned} == {
        (DefinitionResource, "definition"),
        (AssignmentResource, "assignment"),
    }


@pytest.mark.parametrize("stack", EXAMPLES)
def test_every_key_of_every_resource_comes_from_a_written_key(stack: str) -> None:
    config = load_stack(FIXTURE, stack)
    for resource in build_plan(config).resources():
        for loc in _paths(resource.inputs()):
            source = resource.sources.source(loc)
            assert source.key[0] in config.entries, (resource.name, loc, source)
            assert (source.file, source.line) == config.locate(source.key), (resource.name, loc)
            assert source.line is not None, (resource.name, loc, source)


def test_grants_are_located_on_their_keys_and_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    definition = next(r for r in _planned(make_project(tmp_path)) if r.kind == "definition")
    role = definition.sources.source(("properties", "authorizations", 1, "roleDefinitionId"))
    assert (role.key, role.file, role.line) == (
        ("offers", 0, "authorizations", 1, "role"),
        STACK_FILE,
        _line(BASELINE, "role: Managed Services Registration assignment Delete Role"),
    )
    eligible = ("properties", "eligibleAuthorizations", 0, "justInTimeAccessPolicy")
    activation = definition.sources.source((*eligible, "maximumActivationDuration"))
    assert (activation.key, activation.line) == (
        ("offers", 0, "eligibleAuthorizations", 0, "maximumActivation"),
        _line(BASELINE, "maximumActivation: PT2H"),
    )
    # requireMfa is not written: its default comes from the grant, whose line is given
    mfa = definition.sources.source((*eligible, "multiFactorAuthProvider"))
    assert (mfa.key, mfa.line) == (
        ("offers", 0, "eligibleAuthorizations", 0, "requireMfa"),
        _line(BASELINE, "- principal: msp-readers", "eligibleAuthorizations"),
    )
    approver = (*eligible, "managedByTenantApprovers", 0, "principalId")
    assert definition.sources.key(approver) == ("offers", 0, "eligibleAuthorizations", 0, "approvers", 0)
    # an ID the verdict is about is located where the ID itself is written: the directory
    located = definition.sources.source(approver, value=True)
    assert located.key == ("managingTenant", "principals", "msp-approvers", "objectId")
    assert located.file == "Pulumi.yaml" and located.line is not None


def test_each_definition_is_located_on_its_own_subscription(tmp_path: Path) -> None:
    definitions = [r for r in _planned(make_project(tmp_path)) if r.kind == "definition"]
    assert [d.sources.key(("scope",)) for d in definitions] == [
        ("offers", 0, "scopes", 0, "subscription"),
        ("offers", 0, "scopes", 1, "subscription"),
    ]
    # what they share, they share: the same properties come from the same keys
    assert {d.sources.key(("properties", "description")) for d in definitions} == {
        ("offers", 0, "description")
    }
    assert {d.sources.key(("registrationDefinitionId",)) for d in definitions} == {("offers", 0, "key")}


def test_assignments_are_located_on_their_scope(tmp_path: Path) -> None:
    assignments = [r for r in _planned(make_project(tmp_path)) if r.kind == "assignment"]
    assert [a.sources.source(("properties", "registrationDefinitionId")).key for a in assignments] == [
        ("offers", 0, "scopes", 0),
        ("offers", 0, "scopes", 1, "resourceGroups", 0),
        ("offers", 0, "scopes", 1, "resourceGroups", 1),
    ]
    assert assignments[2].sources.source(()).line == _line(BASELINE, "resourceGroups: [rg-app, rg-data]")


def test_adopted_ids_are_located_where_they_are_pinned(tmp_path: Path) -> None:
    planned = _planned(make_project(tmp_path, ADOPTED))
    definition = next(r for r in planned if isinstance(r, DefinitionResource))
    assert definition.definition_id == ADOPTED_DEFINITION
    assert definition.sources.key(("registrationDefinitionId",)) == ("offers", 0, "adopt", "definitionId")
    pinned = next(r for r in planned if isinstance(r, AssignmentResource) and r.scope == ADOPTED_SCOPE)
    assert pinned.assignment_id == ADOPTED_ASSIGNMENT
    source = pinned.sources.source(("registrationAssignmentId",))
    assert source.key == ("offers", 0, "adopt", "assignmentIds", ADOPTED_SCOPE)
    assert source.line == _line(ADOPTED, f"{ADOPTED_SCOPE}: {ADOPTED_ASSIGNMENT}")
    # an assignment whose ID is derived comes from its scope, ID included
    derived = next(r for r in planned if isinstance(r, AssignmentResource) and r.scope != ADOPTED_SCOPE)
    assert derived.sources.key(("registrationAssignmentId",)) == derived.sources.key(("scope",))


def test_a_marketplace_plan_is_located_key_for_key(tmp_path: Path) -> None:
    definition = next(r for r in _planned(make_project(tmp_path, MARKETPLACE)) if r.kind == "definition")
    version = definition.sources.source(("plan", "version"))
    assert (version.key, version.line) == (
        ("offers", 0, "plan", "version"),
        _line(MARKETPLACE, "version: 1.0.0"),
    )


def test_keys_the_plan_does_not_hold_take_their_nearest_written_key(tmp_path: Path) -> None:
    definition = next(r for r in _planned(make_project(tmp_path)) if r.kind == "definition")
    assert definition.sources.key(("properties", "authorizations", 9, "roleDefinitionId")) == (
        "offers",
        0,
        "authorizations",
    )
    assert definition.sources.key(("properties", "unknown")) == ("offers", 0)
    assert definition.sources.key(()) == ("offers", 0)
