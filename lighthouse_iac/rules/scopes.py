"""Rules on where the resources go: definitions at subscriptions, assignments within their subscription."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .. import ids
from ..policy_engine.grants import properties
from ..policy_engine.model import ASSIGNMENT, DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import describe, is_unknown, text

_GUID = ids.GUID_PATTERN
_SUBSCRIPTION = re.compile(rf"^/subscriptions/({_GUID})/?\Z", re.IGNORECASE)
_RESOURCE_GROUP = re.compile(
    rf"^/subscriptions/({_GUID})/resourceGroups/({ids.RESOURCE_GROUP_PATTERN})/?\Z", re.IGNORECASE
)
_DEFINITION_ID = re.compile(
    rf"^/subscriptions/({_GUID})/providers/Microsoft\.ManagedServices/registrationDefinitions/({_GUID})\Z",
    re.IGNORECASE,
)


def _definition_scope(resource: Resource, context: Context) -> Iterator[Finding]:
    scope = resource.inputs.get("scope")
    if is_unknown(scope) or (isinstance(scope, str) and _SUBSCRIPTION.match(scope)):
        return
    hint = (
        "; a definition at resource-group scope fails with InvalidRegistrationDefinitionUri, put it at "
        "the subscription and assign it to the resource group"
        if isinstance(scope, str) and _RESOURCE_GROUP.match(scope)
        else ""
    )
    yield Finding(("scope",), f"scope {describe(scope)} is not a subscription (/subscriptions/<GUID>){hint}")


DEFINITION_SCOPE = Rule(
    name="lighthouse-definition-scope",
    description="Registration definitions are created only at subscription scope.",
    severity="high",
    level="mandatory",
    remediation="Deploy the definition at `/subscriptions/<subscription GUID>`; delegate resource groups "
    "with assignments.",
    facts=("ARCH", "SAMPLES"),
    applies_to=(DEFINITION,),
    check=_definition_scope,
)


def _subscription_of(scope: str) -> str | None:
    match = _SUBSCRIPTION.match(scope) or _RESOURCE_GROUP.match(scope)
    return match.group(1).lower() if match else None


def _assignment_scope(resource: Resource, context: Context) -> Iterator[Finding]:
    scope = resource.inputs.get("scope")
    subscription = _subscription_of(scope) if isinstance(scope, str) else None
    if not is_unknown(scope) and subscription is None:
        yield Finding(
            ("scope",),
            f"scope {describe(scope)} is neither a subscription (/subscriptions/<GUID>) nor one of its "
            "resource groups (/subscriptions/<GUID>/resourceGroups/<name>)",
        )
    props = resource.inputs.get("properties")
    reference = properties(resource).get("registrationDefinitionId")
    loc = ("properties", "registrationDefinitionId")
    if is_unknown(props) or is_unknown(reference):
        return  # known only once the definition exists (preview)
    match = _DEFINITION_ID.match(reference) if isinstance(reference, str) else None
    if match is None:
        yield Finding(
            loc,
            f"registrationDefinitionId {describe(reference)} is not the full resource ID of a definition "
            "(/subscriptions/<GUID>/providers/Microsoft.ManagedServices/registrationDefinitions/<GUID>)",
        )
    elif subscription is not None and match.group(1).lower() != subscription:
        yield Finding(
            loc,
            f"the definition is in subscription {match.group(1).lower()}, but the assignment is in "
            f"{subscription}; an assignment names a definition of its own subscription",
        )


ASSIGNMENT_SCOPE = Rule(
    name="lighthouse-assignment-scope",
    description=(
        "Registration assignments are made at a subscription or one of its resource groups, "
        "and name a definition of that same subscription."
    ),
    severity="high",
    level="mandatory",
    remediation="Deploy one definition per subscription and point each assignment at the definition of "
    "its own subscription.",
    facts=("ARCH",),
    applies_to=(ASSIGNMENT,),
    check=_assignment_scope,
)


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
        subscription = _subscription_of(scope) if scope else None
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


UNIQUE_ASSIGNMENT = Rule(
    name="lighthouse-unique-assignment",
    description="A scope holds at most one assignment of a definition, and of an offer name.",
    severity="medium",
    level="mandatory",
    remediation="List each scope once per offer, and give each offer its own name.",
    facts=("SAMPLES", "ONB"),
    check_stack=_unique,
)
