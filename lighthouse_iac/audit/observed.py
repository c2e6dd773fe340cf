"""Delegations as Azure returns them, parsed from REST JSON or `az ... -o json` into comparable values.

Shapes: `RegistrationAssignment` with `$expandRegistrationDefinition=true`, API 2022-10-01 (SPEC:
Azure/azure-rest-api-specs, specification/managedservices/resource-manager/Microsoft.ManagedServices/
stable/2022-10-01/managedservices.json and examples/GetRegistrationAssignment.json), and `Subscription` of
the subscriptions API 2022-12-01 (specification/resources/resource-manager/Microsoft.Resources/
subscriptions/stable/2022-12-01/subscriptions.json). The Azure CLI prints the same keys, except that it
renders a duration as Python prints a timedelta (`8:00:00`) where REST has ISO 8601 (`PT8H`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import durations, ids

PROVIDER = "/providers/Microsoft.ManagedServices/registrationAssignments/"
_SCOPE = re.compile(
    rf"^/subscriptions/{ids.GUID_PATTERN}(?:/resourceGroups/{ids.RESOURCE_GROUP_PATTERN})?\Z", re.IGNORECASE
)
_TIMEDELTA = re.compile(r"^(?:(?P<days>\d+) days?, )?(?P<h>\d+):(?P<m>\d{2}):(?P<s>\d{2})\Z")

Loc = tuple[str | int, ...]


class ShapeError(Exception):
    """A response or file not shaped as the API documents it; `loc` is the key path inside it."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


@dataclass(frozen=True)
class Authorization:
    principal_id: str
    role_id: str
    delegated_role_ids: tuple[str, ...] = ()
    display_name: str = field(default="", compare=False)


@dataclass(frozen=True)
class EligibleAuthorization:
    principal_id: str
    role_id: str
    mfa: str
    maximum_minutes: int | None
    approver_ids: tuple[str, ...] = ()
    display_name: str = field(default="", compare=False)


@dataclass(frozen=True)
class Definition:
    """What a reviewer approved: names, tenant, grants and plan; display names are not compared."""

    definition_id: str
    name: str
    description: str
    managed_by_tenant_id: str
    authorizations: frozenset[Authorization]
    eligible: frozenset[EligibleAuthorization]
    plan: tuple[tuple[str, str], ...] | None
    customer_tenant_id: str = field(default="", compare=False)
    customer_tenant_name: str = field(default="", compare=False)


@dataclass(frozen=True)
class Assignment:
    scope: str
    assignment_id: str
    definition_id: str
    definition: Definition
    state: str = ""

    @property
    def subscription_id(self) -> str:
        return self.scope.split("/")[2].lower()

    @property
    def key(self) -> tuple[str, str]:
        return self.scope.lower(), self.assignment_id


@dataclass(frozen=True)
class Subscription:
    subscription_id: str
    tenant_id: str
    display_name: str = ""
    managed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccessError:
    """A subscription (or the whole listing) that could not be read, and what would fix it."""

    where: str
    message: str


@dataclass
class Observed:
    """Everything read: visible subscriptions, the assignments of those read, and what could not be read."""

    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    assignments: list[Assignment] = field(default_factory=list)
    read: set[str] = field(default_factory=set)
    errors: list[AccessError] = field(default_factory=list)
    requests: int = 0


def _get(raw: Mapping[str, Any], key: str, loc: Loc, kind: type, required: bool = True) -> Any:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, kind):
        what = {str: "a string", list: "a list", dict: "an object", bool: "true or false"}[kind]
        raise ShapeError((*loc, key), f"expected {what}, found {type(value).__name__}")
    return value


def _guid(raw: Mapping[str, Any], key: str, loc: Loc) -> str:
    value = _get(raw, key, loc, str)
    if not ids.is_guid(value):
        raise ShapeError((*loc, key), f"expected a GUID, found {value[:80]!r}")
    return str(value).lower()


def _mapping(value: Any, loc: Loc) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError(loc, f"expected an object, found {type(value).__name__}")
    return value


def _last_guid(resource_id: str, loc: Loc) -> str:
    tail = resource_id.rstrip("/").rsplit("/", 1)[-1]
    if not ids.is_guid(tail):
        raise ShapeError(loc, f"expected a resource ID ending in a GUID, found {resource_id[:120]!r}")
    return tail.lower()


def activation_minutes(value: Any, loc: Loc) -> int | None:
    """Minutes of `PT8H` (REST) or `8:00:00` (the Azure CLI's rendering of the same timedelta)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ShapeError(loc, f"expected a duration, found {type(value).__name__}")
    minutes = durations.parse_minutes(value)
    if minutes is not None:
        return minutes
    match = _TIMEDELTA.match(value)
    if match is None:
        raise ShapeError(loc, f"expected an ISO 8601 duration such as PT8H, found {value[:40]!r}")
    return int(match["days"] or 0) * 1440 + int(match["h"]) * 60 + int(match["m"])


def _authorization(raw: Any, loc: Loc) -> Authorization:
    entry = _mapping(raw, loc)
    delegated = _get(entry, "delegatedRoleDefinitionIds", loc, list, required=False) or []
    roles = []
    for i, role in enumerate(delegated):
        if not ids.is_guid(role):
            raise ShapeError((*loc, "delegatedRoleDefinitionIds", i), "expected a role definition GUID")
        roles.append(role.lower())
    return Authorization(
        _guid(entry, "principalId", loc),
        _guid(entry, "roleDefinitionId", loc),
        tuple(sorted(roles)),
        str(entry.get("principalIdDisplayName") or ""),
    )


def _eligible(raw: Any, loc: Loc) -> EligibleAuthorization:
    entry = _mapping(raw, loc)
    policy = _get(entry, "justInTimeAccessPolicy", loc, dict, required=False) or {}
    ploc = (*loc, "justInTimeAccessPolicy")
    approvers = _get(policy, "managedByTenantApprovers", ploc, list, required=False) or []
    approver_ids = [
        _guid(
            _mapping(a, (*ploc, "managedByTenantApprovers", i)),
            "principalId",
            (*ploc, "managedByTenantApprovers", i),
        )
        for i, a in enumerate(approvers)
    ]
    return EligibleAuthorization(
        _guid(entry, "principalId", loc),
        _guid(entry, "roleDefinitionId", loc),
        str(policy.get("multiFactorAuthProvider") or "None"),
        activation_minutes(policy.get("maximumActivationDuration"), (*ploc, "maximumActivationDuration")),
        tuple(sorted(approver_ids)),
        str(entry.get("principalIdDisplayName") or ""),
    )


def parse_definition(
    definition_id: str, properties: Mapping[str, Any], plan: Any, loc: Loc = ()
) -> Definition:
    """A definition from its ARM `properties` (and top-level `plan`), as Azure or the plan writes them."""
    auths = _get(properties, "authorizations", loc, list)
    eligible = _get(properties, "eligibleAuthorizations", loc, list, required=False) or []
    plan_items: tuple[tuple[str, str], ...] | None = None
    if plan is not None:
        plan_map = _mapping(plan, (*loc[:-1], "plan"))
        plan_items = tuple(sorted((str(k), str(v)) for k, v in plan_map.items()))
    return Definition(
        definition_id=definition_id,
        name=str(properties.get("registrationDefinitionName") or ""),
        description=str(properties.get("description") or ""),
        managed_by_tenant_id=_guid(properties, "managedByTenantId", loc),
        authorizations=frozenset(_authorization(a, (*loc, "authorizations", i)) for i, a in enumerate(auths)),
        eligible=frozenset(_eligible(e, (*loc, "eligibleAuthorizations", i)) for i, e in enumerate(eligible)),
        plan=plan_items,
        customer_tenant_id=str(properties.get("manageeTenantId") or "").lower(),
        customer_tenant_name=str(properties.get("manageeTenantName") or ""),
    )


def parse_assignment(raw: Any, loc: Loc = ()) -> Assignment:
    """One element of a registration assignment list with the definition expanded."""
    entry = _mapping(raw, loc)
    resource_id = _get(entry, "id", loc, str)
    scope, sep, tail = resource_id.partition(PROVIDER)
    if not sep or not _SCOPE.match(scope) or not ids.is_guid(tail):
        raise ShapeError((*loc, "id"), f"not a registration assignment ID: {resource_id[:160]!r}")
    props = _mapping(entry.get("properties"), (*loc, "properties"))
    ploc = (*loc, "properties")
    definition_id = _last_guid(_get(props, "registrationDefinitionId", ploc, str), ploc)
    expanded = props.get("registrationDefinition")
    if expanded is None:
        raise ShapeError(
            (*ploc, "registrationDefinition"),
            "the definition is not expanded: list with $expandRegistrationDefinition=true "
            "(az managedservices assignment list --include-definition true)",
        )
    dloc = (*ploc, "registrationDefinition")
    expanded = _mapping(expanded, dloc)
    definition = parse_definition(
        definition_id,
        _mapping(expanded.get("properties"), (*dloc, "properties")),
        expanded.get("plan"),
        (*dloc, "properties"),
    )
    return Assignment(
        scope, tail.lower(), definition_id, definition, str(props.get("provisioningState") or "")
    )


def parse_subscription(raw: Any, loc: Loc = ()) -> Subscription:
    """One subscription of `GET /subscriptions` (REST) or of `az account list --all -o json`."""
    entry = _mapping(raw, loc)
    sub_id = entry.get("subscriptionId") or entry.get("id")
    if isinstance(sub_id, str) and sub_id.lower().startswith("/subscriptions/"):
        sub_id = sub_id.split("/")[2]
    if not ids.is_guid(sub_id):
        raise ShapeError((*loc, "subscriptionId"), "expected the subscription's GUID")
    # REST's tenantId is the subscription's own tenant; the CLI names that homeTenantId.
    tenant = entry.get("homeTenantId") or entry.get("tenantId")
    if not ids.is_guid(tenant):
        raise ShapeError((*loc, "tenantId"), "expected the subscription's tenant GUID")
    managers = entry.get("managedByTenants") or []
    if not isinstance(managers, list):
        raise ShapeError((*loc, "managedByTenants"), "expected a list")
    managed_by = tuple(
        str(m.get("tenantId")).lower()
        for m in managers
        if isinstance(m, dict) and ids.is_guid(m.get("tenantId"))
    )
    name = entry.get("displayName") or entry.get("name") or ""
    return Subscription(str(sub_id).lower(), str(tenant).lower(), str(name), managed_by)


def parse_list(raw: Any, what: str) -> Sequence[Any]:
    """The elements of a JSON list (as the CLI prints) or of a REST page (`{"value": [...]}`)."""
    if isinstance(raw, dict) and isinstance(raw.get("value"), list):
        return list(raw["value"])
    if isinstance(raw, list):
        return raw
    raise ShapeError((), f"expected a JSON list of {what} (or an object with a 'value' list)")
