"""Where a key inside a resource was written in the stack's configuration (`offers[0].authorizations[2]`).

It reads the configuration values as written (the stack files for `validate`, the engine's `PULUMI_CONFIG`
for the pack), so both locate a verdict the same way. The program names nothing by position: a resource
is matched to its offer by its deterministic ID (lighthouse_iac.ids), as the plan derives it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .. import ids
from .model import DEFINITION, Loc, Resource
from .shape import entries, mapping, strings, text

_GRANT_FIELDS = {
    "principalId": "principal",
    "roleDefinitionId": "role",
    "delegatedRoleDefinitionIds": "delegatedRoles",
}
_POLICY_FIELDS = {
    "multiFactorAuthProvider": "requireMfa",
    "maximumActivationDuration": "maximumActivation",
    "managedByTenantApprovers": "approvers",
}
_SCOPE = re.compile(r"^/subscriptions/([^/]+)(?:/resourceGroups/([^/]+))?/?\Z", re.IGNORECASE)


def _offers(values: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    offers = values.get("offers")
    return [mapping(o) for o in offers] if isinstance(offers, list) else []


def _definition_id(offer: Mapping[str, Any], tenant: str | None) -> str | None:
    pinned = text(mapping(offer.get("adopt")).get("definitionId"))
    if pinned:
        return pinned.lower()
    key = text(offer.get("key"))
    return ids.definition_guid(tenant, key) if key and tenant and ids.is_guid(tenant) else None


def find_offer(values: Mapping[str, Any], resource: Resource) -> int | None:
    """The index in `offers` of the offer a resource belongs to, from its registration IDs."""
    tenant = text(mapping(values.get("managingTenant")).get("tenantId"))
    inputs = resource.inputs
    wanted = text(
        inputs.get("registrationDefinitionId" if resource.kind == DEFINITION else "registrationAssignmentId")
    )
    scope = text(inputs.get("scope"))
    if wanted is None:
        return None
    for o, offer in enumerate(_offers(values)):
        definition = _definition_id(offer, tenant)
        if definition is None:
            continue
        if resource.kind == DEFINITION:
            if definition == wanted.lower():
                return o
            continue
        if scope is None:
            continue
        pinned = {
            k.lower(): text(v) for k, v in mapping(mapping(offer.get("adopt")).get("assignmentIds")).items()
        }
        expected = pinned.get(scope.lower()) or ids.assignment_guid(definition, scope)
        if expected.lower() == wanted.lower():
            return o
    return None


def _scope_loc(base: Loc, offer: Mapping[str, Any], resource: Resource) -> Loc:
    match = _SCOPE.match(text(resource.inputs.get("scope")) or "")
    if match is None:
        return (*base, "scopes")
    subscription, group = match.group(1).lower(), match.group(2)
    for s, entry in entries(offer.get("scopes")):
        if (text(entry.get("subscription")) or "").lower() != subscription:
            continue
        if resource.kind == DEFINITION:
            return (*base, "scopes", s, "subscription")
        for r, name in enumerate(entry.get("resourceGroups") or []):
            written = text(name) or text(mapping(name).get("name"))
            if group is not None and written is not None and written.lower() == group.lower():
                return (*base, "scopes", s, "resourceGroups", r)
        return (*base, "scopes", s)
    return (*base, "scopes")


def _directory_key(principal: str | None) -> Loc:
    return ("managingTenant", "principals", principal, "displayName") if principal else ("managingTenant",)


def _principal_loc(principal: str | None, fallback: Loc) -> Loc:
    """Where a principal's object ID is written: its directory entry (when the grant names one)."""
    return ("managingTenant", "principals", principal, "objectId") if principal else fallback


def _grant_loc(  # noqa: PLR0917
    base: Loc, offer: Mapping[str, Any], key: str, index: int, rest: Loc, value: bool = False
) -> Loc:
    """A path inside `properties.<key>[index]` as the key it came from (`value`: see config_loc)."""
    found = dict(entries(offer.get(key))).get(index)
    if found is None:
        return (*base, key)
    here: Loc = (*base, key, index)
    head = rest[0] if rest else None
    if head is None:
        return here
    if head == "principalIdDisplayName":
        return _directory_key(text(found.get("principal")))
    if head == "principalId" and value:
        return _principal_loc(text(found.get("principal")), (*here, "principal"))
    if head in _GRANT_FIELDS:
        return (*here, _GRANT_FIELDS[str(head)], *rest[1:2])
    if head != "justInTimeAccessPolicy" or len(rest) < 2 or rest[1] not in _POLICY_FIELDS:
        return here
    if rest[1] == "managedByTenantApprovers" and len(rest) >= 3 and isinstance(rest[2], int):
        if rest[3:4] == ("principalIdDisplayName",):
            return _directory_key(dict(strings(found.get("approvers"))).get(rest[2]))
        if rest[3:4] == ("principalId",) and value:
            approver = dict(strings(found.get("approvers"))).get(rest[2])
            return _principal_loc(approver, (*here, "approvers", rest[2]))
        return (*here, "approvers", rest[2])
    return (*here, _POLICY_FIELDS[str(rest[1])])


def config_loc(
    values: Mapping[str, Any], offer_index: int, resource: Resource, loc: Loc, *, value: bool = False
) -> Loc:
    """The configuration key path of `loc`, a key path inside a resource of `offers[offer_index]`.

    With `value`, a principal's ID is located where the ID is written (its directory entry) rather than
    at the grant that names the principal (Rule.about_values)."""
    offers = _offers(values)
    offer = offers[offer_index] if 0 <= offer_index < len(offers) else {}
    base: Loc = ("offers", offer_index)
    head = loc[0] if loc else None
    adopt = mapping(offer.get("adopt"))
    if resource.kind != DEFINITION:
        if head == "registrationAssignmentId":
            scope = (text(resource.inputs.get("scope")) or "").lower()
            for written in mapping(adopt.get("assignmentIds")):
                if str(written).lower() == scope:
                    return (*base, "adopt", "assignmentIds", str(written))
        return _scope_loc(base, offer, resource)
    if head == "scope":
        return _scope_loc(base, offer, resource)
    if head == "registrationDefinitionId":
        return (*base, "adopt", "definitionId") if text(adopt.get("definitionId")) else (*base, "key")
    if head == "plan":
        return (*base, *loc)
    if head != "properties" or len(loc) < 2:
        return base
    key = loc[1]
    if key == "managedByTenantId":
        return ("managingTenant", "tenantId")
    if key == "registrationDefinitionName":
        return (*base, "name")
    if key == "description":
        return (*base, "description")
    if key in ("authorizations", "eligibleAuthorizations"):
        if len(loc) >= 3 and isinstance(loc[2], int):
            return _grant_loc(base, offer, str(key), loc[2], loc[3:], value)
        return (*base, key)
    return base
