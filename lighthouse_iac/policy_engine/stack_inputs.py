"""The stack configuration as the pack receives it (`PULUMI_CONFIG`), checked before the rules rely on it.

The rules' context is built leniently (`context.py`): a tenant ID with a space around it reads as no
tenant, a principal of a kind no rule knows reads as "not a user". In `validate` the configuration models
refuse such values first; the pack has no such gate (it must not load pydantic), so this module is that
gate: every value the context would drop or misread is a `lighthouse-policy-inputs` problem.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .. import ids
from ..errors import Unlocated
from .model import Loc
from .shape import describe

_KINDS = ("group", "servicePrincipal", "user")
_ONBOARDING_KINDS = ("user", "servicePrincipal")
_USER_TYPES = ("Member", "Guest")


def _spaced(loc: Loc, value: Any) -> Iterator[Unlocated]:
    if isinstance(value, str) and value != value.strip():
        yield loc, f"{describe(value)} has whitespace around it; the rules would not recognise it"


def _guid(loc: Loc, value: Any, what: str) -> Iterator[Unlocated]:
    if isinstance(value, str) and value != value.strip():
        yield from _spaced(loc, value)
    elif not isinstance(value, str) or not ids.is_guid(value):
        yield loc, f"expected {what} (a GUID), found {describe(value)}"


def _choice(loc: Loc, value: Any, allowed: tuple[str, ...]) -> Iterator[Unlocated]:
    if value not in allowed:
        yield loc, f"{describe(value)} is not one of {', '.join(allowed)}; the rules cannot judge it"


def _required(
    values: Mapping[str, Any], key: str, why: str
) -> tuple[Mapping[str, Any] | None, list[Unlocated]]:
    value = values.get(key)
    if value is None:
        return None, [((key,), f"no {key} in the stack configuration; {why}")]
    if not isinstance(value, Mapping):
        return None, [((key,), f"expected a mapping, found {describe(value)}; {why}")]
    return value, []


def _directory(tenant: Mapping[str, Any]) -> Iterator[Unlocated]:
    yield from _guid(("managingTenant", "tenantId"), tenant.get("tenantId"), "the managing tenant's ID")
    principals = tenant.get("principals")
    if not isinstance(principals, Mapping):
        yield (
            ("managingTenant", "principals"),
            f"expected the directory (a mapping), found {describe(principals)}",
        )
        return
    for name, principal in principals.items():
        loc: Loc = ("managingTenant", "principals", str(name))
        if not isinstance(principal, Mapping):
            yield loc, f"expected a principal (a mapping), found {describe(principal)}"
            continue
        yield from _guid((*loc, "objectId"), principal.get("objectId"), "the principal's object ID")
        kind = principal.get("kind")
        yield from _spaced((*loc, "kind"), kind)
        if not isinstance(kind, str) or kind.strip() not in _KINDS:
            yield from _choice((*loc, "kind"), kind, _KINDS)


def config_problems(values: Mapping[str, Any]) -> Iterator[Unlocated]:
    """Every configuration value the rules would drop or misread, with its stack key path."""
    tenant, problems = _required(values, "managingTenant", "no rule can tell who is delegated to")
    yield from problems
    if tenant is not None:
        yield from _directory(tenant)
    customer, problems = _required(values, "customer", "the rules cannot tell the customer's tenant")
    yield from problems
    if customer is not None:
        yield from _guid(("customer", "tenantId"), customer.get("tenantId"), "the customer's tenant ID")
    onboarding, problems = _required(values, "onboarding", "the onboarding rules cannot run")
    yield from problems
    if onboarding is None:
        return
    if "objectId" in onboarding:
        yield from _guid(
            ("onboarding", "objectId"), onboarding["objectId"], "the onboarding identity's object ID"
        )
    for key, allowed in (("kind", _ONBOARDING_KINDS), ("userType", _USER_TYPES)):
        if key in onboarding:
            yield from _spaced(("onboarding", key), onboarding[key])
            if not isinstance(onboarding[key], str) or onboarding[key].strip() not in allowed:
                yield from _choice(("onboarding", key), onboarding[key], allowed)
    roles = onboarding.get("roles")
    if roles is not None and (not isinstance(roles, list) or not all(isinstance(r, str) for r in roles)):
        yield ("onboarding", "roles"), f"expected a list of role names, found {describe(roles)}"
    elif roles is not None:
        for i, role in enumerate(roles):
            yield from _spaced(("onboarding", "roles", i), role)
