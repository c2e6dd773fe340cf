"""The policy pack can read what the rules depend on: the project's role catalogues, its own settings, the
stack's configuration, every registration and the definition of every assignment."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..policy_engine.model import ASSIGNMENT, DEFINITION, Context, Finding, Loc, Resource, Rule
from ..policy_engine.readable import unreadable
from ..policy_engine.shape import mapping


def _problems(resources: Iterable[Resource], context: Context) -> Iterator[Finding]:
    for loc, message in context.problems:
        yield Finding(loc, message)
    resources = list(resources)
    for resource in resources:
        for loc, message in _unreadable(resource, context):
            yield Finding(loc, f"{message}; the rules cannot check a registration they cannot read", resource)
    yield from _orphans(resources)


def _unreadable(resource: Resource, context: Context) -> Iterable[tuple[Loc, str]]:
    if resource.kind != DEFINITION:
        return unreadable(resource)
    # What is unreadable in a definition depends only on its `properties`, which an offer's definitions
    # share (they differ only in scope): read once per mapping in this evaluation.
    return context.memo.get(
        "unreadable", resource.inputs.get("properties"), lambda: list(unreadable(resource))
    )


def _orphans(resources: list[Resource]) -> Iterator[Finding]:
    """Assignments of a definition the stack does not hold: what they delegate is never checked."""
    defined = {
        str(r.inputs.get("registrationDefinitionId")).lower() for r in resources if r.kind == DEFINITION
    }
    for resource in resources:
        if resource.kind != ASSIGNMENT:
            continue
        value = mapping(resource.inputs.get("properties")).get("registrationDefinitionId")
        if not isinstance(value, str):
            continue  # unknown until deployment (checked once known), or reported as unreadable
        if value.rstrip("/").rsplit("/", 1)[-1].lower() not in defined:
            yield Finding(
                ("properties", "registrationDefinitionId"),
                f"the assignment delegates {value}, a registration definition that is not in this stack, "
                "so no rule has checked what it grants; define it in the same stack (or template)",
                resource,
            )


RULE = Rule(
    name="lighthouse-policy-inputs",
    description=(
        "The policy pack can read what the rules depend on: the project's role catalogues, its own "
        "settings, the stack's configuration, every registration and the definition of every assignment."
    ),
    severity="high",
    level="mandatory",
    remediation=(
        "Make every file listed in lighthouse-iac:roleCatalogues readable where the pack runs (ship a copy "
        "with a published pack) and correct the pack settings the message names."
    ),
    facts=("seeds",),
    check_stack=_problems,
    locked=True,
)
