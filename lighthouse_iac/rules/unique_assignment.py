"""A scope holds at most one assignment of a definition, and of an offer name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .. import ids
from ..policy_engine.grants import properties
from ..policy_engine.model import ASSIGNMENT, Context, Finding, Resource, Rule
from ..policy_engine.shape import text
from ..policy_engine.subscriptions import scope_subscription


def _unique(resources: Iterable[Resource], context: Context) -> Iterator[Finding]:
    names: dict[str, str] = {}  # definition resource ID -> offer name
    assignments: list[Resource] = []
    for resource in resources:
        if resource.kind == ASSIGNMENT:
            assignments.append(resource)
            continue
        scope, definition_id = (
            text(resource.inputs.get("scope")),
            text(resource.inputs.get("registrationDefinitionId")),
        )
        name = text(properties(resource).get("registrationDefinitionName"))
        subscription = scope_subscription(scope) if scope else None
        if subscription and definition_id and name:
            names[ids.definition_resource_id(subscription, definition_id).lower()] = name
    seen: dict[tuple[str, str], str] = {}
    for resource in assignments:
        scope = text(resource.inputs.get("scope"))
        reference = text(properties(resource).get("registrationDefinitionId"))
        if scope is None or reference is None:
            continue  # unknown at preview, or another rule reports it
        folded, ref = scope.rstrip("/").lower(), reference.lower()
        keys = [
            ((folded, ref), "the same definition"),
            ((folded, "name:" + names.get(ref, ref)), "an offer of the same name"),
        ]
        duplicate = next(((key, what) for key, what in keys if key in seen), None)
        if duplicate is None:
            seen.update((key, resource.name) for key, _ in keys)
            continue
        key, what = duplicate
        yield Finding(
            ("scope",),
            f"scope {scope} already has an assignment of {what} ({seen[key]}); Azure refuses a second "
            "one ('Multiple registration assignments are not allowed'; each offer on a scope needs its "
            "own name)",
            resource,
        )


RULE = Rule(
    name="lighthouse-unique-assignment",
    description="A scope holds at most one assignment of a definition, and of an offer name.",
    severity="medium",
    level="mandatory",
    remediation="List each scope once per offer, and give each offer its own name.",
    facts=("SAMPLES", "ONB"),
    check_stack=_unique,
)
