"""Building the rules' context from configuration values, leniently, as both the CLI and the pack see them.

`validate` passes the values of the stack files; the policy pack passes the engine's `PULUMI_CONFIG`
(project config from Pulumi.yaml merged with the stack's). Both go through `context_from_config`, so the
rules see the same directory, tenants and onboarding identity either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import ids
from ..keys import engine_value, short_key
from ..roles import RoleCatalogue
from .model import Context, Csp, DirectoryPrincipal, Memo, OnboardingIdentity
from .settings import RuleSettings
from .shape import mapping, text


def short_keys(values: Mapping[str, str], project: str | None) -> dict[str, Any]:
    """Engine config (`lighthouse-iac:offers` -> JSON text) as short keys and decoded values."""
    out: dict[str, Any] = {}
    for key, raw in values.items():
        short = short_key(str(key), project)
        if short is not None:
            out[short] = engine_value(raw)
    return out


def _directory(tenant: Mapping[str, Any], memo: Memo | None) -> dict[str, DirectoryPrincipal] | None:
    principals = tenant.get("principals")
    if not isinstance(principals, Mapping):
        return None
    # A fleet's stacks share one project-level directory object (configuration values are never changed
    # in place): with the command's memo, it is read once for them all, not once per stack.
    return (
        memo.get("directory", principals, lambda: _read_directory(principals))
        if memo
        else (_read_directory(principals))
    )


def _read_directory(principals: Mapping[str, Any]) -> dict[str, DirectoryPrincipal]:
    directory: dict[str, DirectoryPrincipal] = {}
    for name, value in principals.items():
        entry = mapping(value)
        object_id = text(entry.get("objectId"))
        if object_id and ids.is_guid(object_id):
            directory[object_id.lower()] = DirectoryPrincipal(
                str(name),
                object_id.lower(),
                text(entry.get("kind")) or "",
                text(entry.get("displayName")),
                entry.get("adminAgent") is True,
            )
    return directory


def _onboarding(value: Any) -> OnboardingIdentity | None:
    if not isinstance(value, Mapping):
        return None
    roles = value.get("roles", ["Owner"])  # the models' defaults (lighthouse_iac.models.Onboarding)
    object_id = text(value.get("objectId"))
    return OnboardingIdentity(
        object_id=object_id.lower() if object_id else None,
        kind=text(value.get("kind")) or "user",
        user_type=text(value.get("userType")) or "Member",
        roles=tuple(r for r in roles if isinstance(r, str)) if isinstance(roles, list) else (),
    )


def plan_key(plan: Mapping[str, Any]) -> tuple[str, str, str]:
    """A Marketplace plan's identity: publisher, product and plan name, lowercase."""

    def part(key: str) -> str:
        return (text(plan.get(key)) or "").strip().lower()

    return part("publisher"), part("product"), part("name")


def _csp(value: Any, offers: Any) -> Csp | None:
    if not isinstance(value, Mapping):
        return None
    subscriptions = value.get("subscriptions", "all")  # the models' default (lighthouse_iac.models.Csp)
    listed = (
        [s.lower() for s in subscriptions if isinstance(s, str)] if isinstance(subscriptions, list) else []
    )
    plans = [mapping(mapping(o).get("plan")) for o in offers] if isinstance(offers, list) else []
    private = frozenset(plan_key(p) for p in plans if p.get("private") is True)
    return Csp(subscriptions == "all", frozenset(listed), private)


def _tenant(value: Any) -> str | None:
    return value.lower() if ids.is_guid(value) and isinstance(value, str) else None


def context_from_config(
    values: Mapping[str, Any],
    catalogue: RoleCatalogue,
    settings: RuleSettings | None = None,
    memo: Memo | None = None,
) -> Context:
    """The context from short-keyed config values (`managingTenant`, `customer`, `onboarding`).

    `memo`: the one run of a command over many stacks (`validate`, `report`), which reads what they share
    once; it is dropped with the run."""
    tenant = mapping(values.get("managingTenant"))
    return Context(
        catalogue=catalogue,
        settings=settings or RuleSettings(),
        managing_tenant_id=_tenant(tenant.get("tenantId")),
        principals=_directory(tenant, memo),
        customer_tenant_id=_tenant(mapping(values.get("customer")).get("tenantId")),
        onboarding=_onboarding(values.get("onboarding")),
        csp=_csp(values.get("csp"), values.get("offers")),
    )
