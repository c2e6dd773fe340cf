"""Where registrations are made: the subscription of a scope, and the subscriptions a stack delegates."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import ids
from .model import DEFINITION, Resource
from .shape import is_unknown, text

SUBSCRIPTION = re.compile(rf"^/subscriptions/({ids.GUID_PATTERN})/?\Z", re.IGNORECASE)
RESOURCE_GROUP = re.compile(
    rf"^/subscriptions/({ids.GUID_PATTERN})/resourceGroups/({ids.RESOURCE_GROUP_PATTERN})/?\Z", re.IGNORECASE
)
# Any subscription segment, GUID or not: the CSP rules compare what is written (the scope rules judge it).
_ANY_SUBSCRIPTION = re.compile(r"^/subscriptions/([^/]+)/?\Z", re.IGNORECASE)


def scope_subscription(scope: str) -> str | None:
    """The subscription GUID of a subscription or resource-group scope, lowercase; None for anything else."""
    match = SUBSCRIPTION.match(scope) or RESOURCE_GROUP.match(scope)
    return match.group(1).lower() if match else None


def subscription_of(resource: Resource) -> str | None:
    """The subscription a definition is created in, lowercase; None when its scope is not one."""
    scope = resource.inputs.get("scope")
    match = _ANY_SUBSCRIPTION.match(text(scope) or "") if not is_unknown(scope) else None
    return match.group(1).lower() if match else None


def delegated(resources: Iterable[Resource]) -> list[str]:
    """The subscriptions the definitions are created in, each once, in order."""
    seen: dict[str, None] = {}
    for resource in resources:
        sub = subscription_of(resource) if resource.kind == DEFINITION else None
        if sub is not None:
            seen.setdefault(sub, None)
    return list(seen)
