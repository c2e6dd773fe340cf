"""Rules on tenants: who manages (managedByTenantId) and who onboards (the customer's identity)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..policy_engine.grants import guid, properties
from ..policy_engine.model import DEFINITION, Context, Csp, Finding, Resource, Rule, Tunable
from ..policy_engine.settings import TENANT_ID_PATTERN
from ..policy_engine.shape import is_unknown
from ..roles import ROLE_ASSIGNMENTS_WRITE, allows
from .csp import delegated


def _managing_tenant(resource: Resource, context: Context) -> Iterator[Finding]:
    props = properties(resource)
    value = props.get("managedByTenantId")
    loc = ("properties", "managedByTenantId")
    if is_unknown(value) or is_unknown(resource.inputs.get("properties")):
        return
    if value is None:
        yield Finding(loc, "managedByTenantId is missing; a definition must name the managing tenant")
        return
    tenant = guid(value)
    if tenant is None:
        return  # lighthouse-guid-format reports it
    customer = context.customer_tenant_id
    if customer is not None and tenant == customer.lower():
        yield Finding(
            loc,
            f"managedByTenantId {tenant} is the customer's own tenant; a tenant cannot delegate to itself",
        )
        return
    allowed = context.settings.allowed_managing_tenants or (
        (context.managing_tenant_id.lower(),) if context.managing_tenant_id else ()
    )
    if allowed and tenant not in allowed:
        yield Finding(
            loc,
            f"managedByTenantId {tenant} is not an allowed managing tenant ({', '.join(allowed)}); "
            "correct it, or add it to allowedTenantIds",
        )


MANAGING_TENANT = Rule(
    name="lighthouse-managing-tenant",
    description=(
        "managedByTenantId names an allowed managing tenant (by default the configured one), "
        "never the customer's own tenant."
    ),
    severity="critical",
    level="mandatory",
    remediation=(
        "Set managingTenant.tenantId in Pulumi.yaml to the MSP's tenant, or list the tenants you "
        "accept in allowedTenantIds."
    ),
    facts=("ONB", "UPD"),
    applies_to=(DEFINITION,),
    check=_managing_tenant,
    reads=("properties",),
    tunables=(
        Tunable(
            "allowedTenantIds",
            {"type": "array", "items": {"type": "string", "pattern": TENANT_ID_PATTERN}},
            "Managing tenant IDs (GUIDs) a definition may name; default: managingTenant.tenantId.",
        ),
    ),
    locked=True,
)


def _not_guest(resources: Iterable[Resource], context: Context) -> Iterator[Finding]:
    onboarding = context.onboarding
    if onboarding is not None and onboarding.user_type.casefold() == "guest":
        yield Finding(
            ("onboarding", "userType"),
            f"the onboarding identity {onboarding.object_id} is a guest of the customer's tenant; the "
            "delegation must be deployed by a member (non-guest) account of that tenant",
        )


ONBOARDING_NOT_GUEST = Rule(
    name="lighthouse-onboarding-not-guest",
    description="The identity that onboards the customer is not a guest in the customer's tenant.",
    severity="high",
    level="mandatory",
    remediation=(
        "Have a member account of the customer's tenant (or a service principal of it) deploy the "
        "delegation and declare it under lighthouse-iac:onboarding."
    ),
    facts=("seeds", "ONB"),
    check_stack=_not_guest,
    locked=True,
)


def _can_assign(resources: Iterable[Resource], context: Context) -> Iterator[Finding]:
    onboarding, csp = context.onboarding, context.csp
    if csp is not None:  # a CSP customer: Admin Agents may onboard its CSP subscriptions, and only those
        yield from _csp_onboarding(resources, context, csp)
        return
    if onboarding is None:
        return
    if not _holds_assign(context):
        held = ", ".join(onboarding.roles) or "no roles"
        yield Finding(
            ("onboarding", "roles"),
            f"the onboarding identity holds {held}, none of which allows {ROLE_ASSIGNMENTS_WRITE}; "
            "it needs Owner (or another role with that permission) on the onboarded subscriptions",
        )


def _holds_assign(context: Context) -> bool:
    onboarding = context.onboarding
    found = [context.catalogue.resolve(ref) for ref in onboarding.roles] if onboarding else []
    return any(role is not None and allows(role, ROLE_ASSIGNMENTS_WRITE) for role in found)


def _csp_onboarding(resources: Iterable[Resource], context: Context, csp: Csp) -> Iterator[Finding]:
    subs = delegated(resources)
    agents = context.admin_agents()
    by_agent = [s for s in subs if csp.covers(s)] if agents else []
    rest = [s for s in subs if s not in by_agent]
    onboarding = context.onboarding
    if not rest or (onboarding is not None and _holds_assign(context)):
        return
    why = (
        "no Admin Agent is declared (adminAgent: true in managingTenant.principals)"
        if not agents and any(csp.covers(s) for s in subs)
        else "an Admin Agent may onboard only subscriptions created through CSP"
    )
    if onboarding is None:
        yield Finding(
            ("csp",),
            f"nobody declared can onboard {', '.join(rest)}: {why}, and no customer onboarding identity "
            "is declared (lighthouse-iac:onboarding)",
        )
        return
    held = ", ".join(onboarding.roles) or "no roles"
    yield Finding(
        ("onboarding", "roles"),
        f"the onboarding identity holds {held}, none of which allows {ROLE_ASSIGNMENTS_WRITE}, and "
        f"{why}; nobody declared can onboard {', '.join(rest)}",
    )


ONBOARDING_CAN_ASSIGN_ROLES = Rule(
    name="lighthouse-onboarding-can-assign-roles",
    description=(
        "The onboarding identity holds Owner, or another role allowing role assignments, on the onboarded "
        "scopes; for a CSP customer a declared Admin Agent onboards its CSP subscriptions."
    ),
    severity="high",
    level="mandatory",
    remediation=(
        "Have the customer grant the onboarding identity Owner (or User Access Administrator next to "
        "Contributor) on each onboarded subscription, and list it under onboarding.roles; for subscriptions "
        "created through CSP, declare an Admin Agent in Pulumi.yaml and list them under csp.subscriptions."
    ),
    facts=("seeds", "ONB", "CSPDOC"),
    check_stack=_can_assign,
    locked=True,
)
