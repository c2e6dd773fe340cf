"""What the pack cannot read in a registration: a grant in a shape the rules would skip is a finding.

The rules read resources leniently (`shape.py`): a grant that is not a mapping, an ID that is a number, a
null where a list belongs are skipped, never judged, so that one odd value cannot crash a rule. That
leniency must not become a way around them: every such value is reported here, by
`lighthouse-policy-inputs`, which is mandatory and locked. Keys are those of the ARM API
(Microsoft.ManagedServices 2022-10-01, SPEC) plus what Azure returns read-only.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, cast

from ..errors import Unlocated
from .model import DEFINITION, Loc, Resource
from .shape import UNKNOWN, describe, is_unknown

_DEFINITION_KEYS = frozenset(
    {
        "registrationDefinitionName",
        "description",
        "managedByTenantId",
        "authorizations",
        "eligibleAuthorizations",
        # read-only, in what Azure (and the engine, after an update) returns
        "provisioningState",
        "managedByTenantName",
        "manageeTenantId",
        "manageeTenantName",
    }
)
_ASSIGNMENT_KEYS = frozenset({"registrationDefinitionId", "provisioningState", "registrationDefinition"})
# A missing ID is lighthouse-guid-format's to report; here, only what is there in the wrong shape.
_GRANT_KEYS = ("principalId", "roleDefinitionId", "principalIdDisplayName")
_POLICY_KEYS = frozenset({"multiFactorAuthProvider", "maximumActivationDuration", "managedByTenantApprovers"})
_APPROVER_KEYS = ("principalId", "principalIdDisplayName")
_APPROVER_KEY_SET = frozenset(_APPROVER_KEYS)
_ENTRY_KEYS = frozenset({*_GRANT_KEYS, "justInTimeAccessPolicy", "delegatedRoleDefinitionIds"})


# The checks below first ask whether a value is plainly readable (plain dicts, lists and strings, known
# keys only): almost every registration is, and the question costs a fraction of walking it for problems.
# Anything else takes the full walk, which alone decides what is reported.


def _plain(value: object) -> bool:
    return type(value) is str or value is UNKNOWN


def _plain_mapping(value: object, keys: AbstractSet[str], texts: tuple[str, ...]) -> bool:
    """A dict with only `keys`, whose `texts` keys hold strings (or unknown values) where present."""
    return type(value) is dict and value.keys() <= keys and all(_plain(value[k]) for k in texts if k in value)


def _plain_list(value: object) -> bool:
    return value is UNKNOWN or (type(value) is list and all(_plain(item) for item in value))


def _plain_policy(policy: object) -> bool:
    if policy is UNKNOWN:
        return True
    if not _plain_mapping(policy, _POLICY_KEYS, ("multiFactorAuthProvider", "maximumActivationDuration")):
        return False
    approvers = cast("dict[str, Any]", policy).get("managedByTenantApprovers", UNKNOWN)
    return approvers is UNKNOWN or (
        type(approvers) is list
        and all(a is UNKNOWN or _plain_mapping(a, _APPROVER_KEY_SET, _APPROVER_KEYS) for a in approvers)
    )


def _plain_grant(entry: object, eligible: bool) -> bool:
    if not _plain_mapping(entry, _ENTRY_KEYS, _GRANT_KEYS):
        return False
    grant = cast("dict[str, Any]", entry)
    if "delegatedRoleDefinitionIds" in grant and not _plain_list(grant["delegatedRoleDefinitionIds"]):
        return False
    return not eligible or _plain_policy(grant.get("justInTimeAccessPolicy", UNKNOWN))


def _text(loc: Loc, value: Any, what: str) -> Iterator[Unlocated]:
    if not isinstance(value, str) and not is_unknown(value):
        yield loc, f"expected {what} as a string, found {describe(value)}"


def _mapping(loc: Loc, value: Any, keys: tuple[str, ...], what: str) -> Iterator[Unlocated]:
    """A mapping whose `keys` are strings where present; no other key."""
    if is_unknown(value):
        return
    if not isinstance(value, Mapping):
        yield loc, f"expected {what} (a mapping), found {describe(value)}"
        return
    for key in keys:
        if key in value:
            yield from _text((*loc, key), value[key], key)
    yield from _unknown_keys(loc, value, keys, what)


def _unknown_keys(
    loc: Loc, value: Mapping[str, Any], known: Collection[str], what: str
) -> Iterator[Unlocated]:
    for key in value:
        if key not in known:
            yield (
                (*loc, str(key)),
                f"{what} has a key the pack does not know ({key}); it cannot tell what it grants",
            )


def _list(loc: Loc, value: Any, what: str) -> tuple[list[Any], list[Unlocated]]:
    if is_unknown(value):
        return [], []
    if not isinstance(value, list):
        return [], [(loc, f"expected a list of {what}, found {describe(value)}")]
    return value, []


def _grant(loc: Loc, entry: Any, eligible: bool) -> Iterator[Unlocated]:
    if _plain_grant(entry, eligible):
        return
    if not isinstance(entry, Mapping) or is_unknown(entry):
        yield from _mapping(loc, entry, _GRANT_KEYS, "an authorization")
        return
    # delegatedRoleDefinitionIds on an eligible grant is lighthouse-user-access-administrator's to report
    extra = {"justInTimeAccessPolicy", "delegatedRoleDefinitionIds"}
    yield from _mapping(
        loc, {k: v for k, v in entry.items() if k not in extra}, _GRANT_KEYS, "an authorization"
    )
    if "delegatedRoleDefinitionIds" in entry:
        items, problems = _list(
            (*loc, "delegatedRoleDefinitionIds"), entry["delegatedRoleDefinitionIds"], "role IDs"
        )
        yield from problems
        for i, item in enumerate(items):
            yield from _text((*loc, "delegatedRoleDefinitionIds", i), item, "a role ID")
    if "justInTimeAccessPolicy" in entry and eligible:
        yield from _policy((*loc, "justInTimeAccessPolicy"), entry["justInTimeAccessPolicy"])


def _policy(loc: Loc, policy: Any) -> Iterator[Unlocated]:
    if is_unknown(policy):
        return
    if not isinstance(policy, Mapping):
        yield loc, f"expected a just-in-time access policy (a mapping), found {describe(policy)}"
        return
    yield from _unknown_keys(loc, policy, _POLICY_KEYS, "the just-in-time access policy")
    for key in ("multiFactorAuthProvider", "maximumActivationDuration"):
        if key in policy:
            yield from _text((*loc, key), policy[key], key)
    if "managedByTenantApprovers" in policy:
        where = (*loc, "managedByTenantApprovers")
        items, problems = _list(where, policy["managedByTenantApprovers"], "approvers")
        yield from problems
        for i, approver in enumerate(items):
            yield from _mapping((*where, i), approver, _APPROVER_KEYS, "an approver")


def unreadable(resource: Resource) -> Iterator[Unlocated]:
    """Every value of a registration that the rules could not read, with its key path."""
    properties = resource.inputs.get("properties")
    if is_unknown(properties):
        return
    if not isinstance(properties, Mapping):
        yield (
            ("properties",),
            f"expected the registration's properties (a mapping), found {describe(properties)}",
        )
        return
    if resource.kind != DEFINITION:
        if _plain_mapping(properties, _ASSIGNMENT_KEYS, ("registrationDefinitionId",)):
            return
        yield from _unknown_keys(("properties",), properties, _ASSIGNMENT_KEYS, "the assignment")
        if "registrationDefinitionId" in properties:
            yield from _text(
                ("properties", "registrationDefinitionId"),
                properties["registrationDefinitionId"],
                "a definition ID",
            )
        return
    yield from _unknown_keys(("properties",), properties, _DEFINITION_KEYS, "the definition")
    if "managedByTenantId" in properties:
        yield from _text(("properties", "managedByTenantId"), properties["managedByTenantId"], "a tenant ID")
    for key, eligible in (("authorizations", False), ("eligibleAuthorizations", True)):
        if key not in properties:
            continue
        items, problems = _list(("properties", key), properties[key], "authorizations")
        yield from problems
        for i, entry in enumerate(items):
            yield from _grant(("properties", key, i), entry, eligible)
