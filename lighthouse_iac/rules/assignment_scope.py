"""Registration assignments are made at a subscription or one of its resource groups, and name a definition
of that same subscription."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import ids
from ..policy_engine.grants import properties
from ..policy_engine.model import ASSIGNMENT, Context, Finding, Resource, Rule
from ..policy_engine.shape import describe, is_unknown
from ..policy_engine.subscriptions import scope_subscription

_GUID = ids.GUID_PATTERN


_DEFINITION_ID = re.compile(
    rf"^/subscriptions/({_GUID})/providers/Microsoft\.ManagedServices/registrationDefinitions/({_GUID})\Z",
    re.IGNORECASE,
)


def _assignment_scope(resource: Resource, context: Context) -> Iterator[Finding]:
    scope = resource.inputs.get("scope")
    subscription = scope_subscription(scope) if isinstance(scope, str) else None
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


RULE = Rule(
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
