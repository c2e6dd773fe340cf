"""Where each ARM key of a planned resource came from in the stack's configuration (`offers[0].scopes[1]`).

plan.py calls these while it builds each offer's resources, knowing which authorization, scope entry and
resource group each value comes from; nothing is mapped back afterwards.
"""

from __future__ import annotations

from .models import Offer
from .source_map import KeySources, KeyTable, Loc, Position

_ELIGIBLE = "eligibleAuthorizations"


def _principal(principal: str, field: str) -> Loc:
    return ("managingTenant", "principals", principal, field)


def _grants(base: Loc, offer: Offer, keys: dict[Loc, Loc], values: dict[Loc, Loc]) -> None:
    """The keys of `properties.authorizations` and `properties.eligibleAuthorizations`."""
    keys[("properties", "authorizations")] = (*base, "authorizations")
    keys[("properties", _ELIGIBLE)] = (*base, _ELIGIBLE)
    written = [("authorizations", i, a.principal) for i, a in enumerate(offer.authorizations)]
    written += [(_ELIGIBLE, i, e.principal) for i, e in enumerate(offer.eligible_authorizations)]
    for list_key, index, principal in written:
        at: Loc = ("properties", list_key, index)
        here: Loc = (*base, list_key, index)
        keys[at] = here
        keys[(*at, "principalId")] = (*here, "principal")
        values[(*at, "principalId")] = _principal(principal, "objectId")
        keys[(*at, "principalIdDisplayName")] = _principal(principal, "displayName")
        keys[(*at, "roleDefinitionId")] = (*here, "role")
    for index, auth in enumerate(offer.authorizations):
        at = ("properties", "authorizations", index, "delegatedRoleDefinitionIds")
        here = (*base, "authorizations", index, "delegatedRoles")
        keys[at] = here
        for role in range(len(auth.delegated_roles or ())):
            keys[(*at, role)] = (*here, role)
    for index, elig in enumerate(offer.eligible_authorizations):
        policy: Loc = ("properties", _ELIGIBLE, index, "justInTimeAccessPolicy")
        here = (*base, _ELIGIBLE, index)
        keys[policy] = here
        keys[(*policy, "multiFactorAuthProvider")] = (*here, "requireMfa")
        keys[(*policy, "maximumActivationDuration")] = (*here, "maximumActivation")
        keys[(*policy, "managedByTenantApprovers")] = (*here, "approvers")
        for a, approver in enumerate(elig.approvers):
            at = (*policy, "managedByTenantApprovers", a)
            keys[at] = keys[(*at, "principalId")] = (*here, "approvers", a)
            values[(*at, "principalId")] = _principal(approver, "objectId")
            keys[(*at, "principalIdDisplayName")] = _principal(approver, "displayName")


def _offer_table(offer: Offer, index: int) -> KeyTable:
    base: Loc = ("offers", index)
    pinned = offer.adopt is not None and offer.adopt.definition_id
    keys: dict[Loc, Loc] = {
        (): base,
        ("registrationDefinitionId",): (*base, "adopt", "definitionId") if pinned else (*base, "key"),
        ("plan",): (*base, "plan"),
        ("properties",): base,
        ("properties", "managedByTenantId"): ("managingTenant", "tenantId"),
        ("properties", "registrationDefinitionName"): (*base, "name"),
        ("properties", "description"): (*base, "description"),
    }
    values: dict[Loc, Loc] = {}
    _grants(base, offer, keys, values)
    return KeyTable(keys, values, frozenset({("plan",)}))


class OfferKeys:
    """What an offer's definitions share: where their properties, plan and definition ID came from.

    The plan records the offer; its table is worked out when a verdict first asks (most offers have none)."""

    def __init__(self, offer: Offer, index: int) -> None:
        self.offer = offer
        self.index = index
        self._table: KeyTable | None = None

    @property
    def table(self) -> KeyTable:
        if self._table is None:
            self._table = _offer_table(self.offer, self.index)
        return self._table


def scope_key(index: int, scope: int, group: int | None = None) -> Loc:
    """The key of a delegated scope: its entry in `scopes`, or the resource group listed in it."""
    base: Loc = ("offers", index, "scopes", scope)
    return base if group is None else (*base, "resourceGroups", group)


class DefinitionSources(KeySources):
    """A definition comes from its offer, and its scope from the subscription's entry in `scopes`."""

    def __init__(self, shared: OfferKeys, scope: int, position: Position) -> None:
        self.shared = shared
        self.scope = scope
        self.position = position

    def key(self, loc: Loc, *, value: bool = False) -> Loc:
        if loc[:1] == ("scope",):
            return (*scope_key(self.shared.index, self.scope), "subscription")
        return self.shared.table.key(loc, value=value)


class AssignmentSources(KeySources):
    """An assignment comes from its scope's key, and its ID from `adopt.assignmentIds` when pinned there."""

    def __init__(self, shared: OfferKeys, scope: Loc, pinned: str | None, position: Position) -> None:
        self.shared = shared
        self.scope = scope
        self.pinned = pinned
        """The scope as written in `adopt.assignmentIds`, when the assignment's ID is pinned there."""
        self.position = position

    def key(self, loc: Loc, *, value: bool = False) -> Loc:
        if self.pinned is not None and loc[:1] == ("registrationAssignmentId",):
            return ("offers", self.shared.index, "adopt", "assignmentIds", self.pinned)
        return self.scope
