"""The authorizations of a registration definition, read leniently, with their key paths."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .. import ids
from .model import DEFINITION, Context, Loc, Resource
from .shape import entries, mapping, strings

DEFAULT_ACTIVATION = "PT8H"  # SPEC: the API's default when maximumActivationDuration is absent

_ROLE_RESOURCE_ID = re.compile(r"/providers/Microsoft\.Authorization/roleDefinitions/([^/]+)$", re.IGNORECASE)


def role_guid(value: object) -> str | None:
    """The role GUID of a `roleDefinitionId`, also when written as a role resource ID (which SPEC refuses)."""
    if not isinstance(value, str):
        return None
    if "/" not in value:  # a bare GUID, as nearly always: no resource ID to search
        return guid(value)
    match = _ROLE_RESOURCE_ID.search(value)
    return guid(match.group(1) if match else value)


def guid(value: object) -> str | None:
    """A GUID, lowercase; None for anything else and for the all-zero placeholder (lighthouse-guid-format)."""
    if not isinstance(value, str) or not ids.is_guid(value) or value == ids.NIL_GUID:
        return None
    return value.lower()


@dataclass(frozen=True)
class Grant:
    """One entry of `authorizations` or `eligibleAuthorizations`, with its IDs read once."""

    loc: Loc
    entry: Mapping[str, Any]
    eligible: bool
    role_id: str | None
    principal_id: str | None
    policy: Mapping[str, Any]
    approver_entries: tuple[tuple[Loc, Mapping[str, Any]], ...]
    approver_ids: tuple[str | None, ...]
    """The object ID of each approver (None where not a GUID), in the order of `approver_entries`."""
    delegated_roles: tuple[tuple[Loc, str | None], ...]

    @staticmethod
    def read(loc: Loc, entry: Mapping[str, Any], eligible: bool) -> Grant:
        # Everything here is asked for by several rules: read once per grant (and so once per offer).
        policy = mapping(entry.get("justInTimeAccessPolicy"))
        listed, roles = policy.get("managedByTenantApprovers"), entry.get("delegatedRoleDefinitionIds")
        approvers = (  # most grants have neither approvers nor delegated roles: nothing to walk then
            tuple(
                ((*loc, "justInTimeAccessPolicy", "managedByTenantApprovers", k), approver)
                for k, approver in entries(listed)
            )
            if listed is not None
            else ()
        )
        delegated = (
            tuple(((*loc, "delegatedRoleDefinitionIds", j), role_guid(value)) for j, value in strings(roles))
            if roles is not None
            else ()
        )
        return Grant(
            loc,
            entry,
            eligible,
            role_guid(entry.get("roleDefinitionId")),
            guid(entry.get("principalId")),
            policy,
            approvers,
            tuple(guid(approver.get("principalId")) for _, approver in approvers) if approvers else (),
            delegated,
        )

    def delegated(self) -> Iterator[tuple[Loc, str | None]]:
        """`(loc, role GUID or None)` for each delegated role ID."""
        return iter(self.delegated_roles)

    def approvers(self) -> tuple[tuple[Loc, Mapping[str, Any]], ...]:
        return self.approver_entries

    def approver_refs(self) -> Iterator[tuple[Loc, Mapping[str, Any], str | None]]:
        """`(loc, approver, object ID or None)` for each approver."""
        pairs = zip(self.approver_entries, self.approver_ids, strict=True)
        return ((loc, approver, found) for (loc, approver), found in pairs)


def properties(resource: Resource) -> Mapping[str, Any]:
    return mapping(resource.inputs.get("properties"))


def _read(props: Mapping[str, Any]) -> tuple[Grant, ...]:
    return tuple(
        Grant.read(("properties", key, i), entry, eligible)
        for key, eligible in (("authorizations", False), ("eligibleAuthorizations", True))
        for i, entry in entries(props.get(key))
    )


def grants(resource: Resource, context: Context) -> tuple[Grant, ...]:
    """Every grant of a definition: permanent ones first, then eligible ones."""
    if resource.kind != DEFINITION:
        return ()
    # Most rules walk the grants of the same definitions in turn, and a plan's definitions of one offer
    # share one `properties` mapping (only their scope differs): each mapping is read once per evaluation.
    props = properties(resource)
    return context.memo.get("grants", props, lambda: _read(props))


def eligible_grants(resource: Resource, context: Context) -> Iterator[Grant]:
    return (g for g in grants(resource, context) if g.eligible)


def role_refs(grant: Grant) -> Iterator[tuple[Loc, str | None]]:
    """The grant's role, then each delegated role, with their key paths."""
    yield (*grant.loc, "roleDefinitionId"), grant.role_id
    yield from grant.delegated()


def principal_refs(resource: Resource, context: Context) -> Iterator[tuple[Loc, str, bool]]:
    """`(loc of principalId, object ID, permanent)` for every principal and approver of a definition."""
    for grant in grants(resource, context):
        principal = grant.principal_id
        if principal is not None:
            yield (*grant.loc, "principalId"), principal, not grant.eligible
        for loc, _, found in grant.approver_refs():
            if found is not None:
                yield (*loc, "principalId"), found, False


def repeats(resource: Resource, context: Context) -> Iterator[tuple[Grant, Grant, str, str]]:
    """(first, repeat, principal ID, role ID): grants of the same principal, role and access type."""
    first: dict[tuple[str, str, bool], Grant] = {}
    for grant in grants(resource, context):
        if grant.principal_id is None or grant.role_id is None:
            continue  # unreadable IDs: lighthouse-guid-format reports them
        key = (grant.principal_id, grant.role_id, grant.eligible)
        if key in first:
            yield first[key], grant, grant.principal_id, grant.role_id
        else:
            first[key] = grant


def role_label(context: Context, role_id: str) -> str:
    """`Contributor (b24988ac-...)`, or the bare GUID for a role the catalogue does not know."""
    role = context.catalogue.by_id(role_id)
    return f"{role.name} ({role_id})" if role else role_id


def principal_label(context: Context, principal_id: str) -> str:
    """`msp-oncall (Fabrikam On-call Engineers)` from the directory, or the bare object ID."""
    found = context.principal(principal_id)
    if found is None:
        return principal_id
    return f"{found.name} ({found.display_name})" if found.display_name else found.name
