"""managedByTenantId names an allowed managing tenant (by default the configured one), never the customer's
own tenant."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import guid, properties
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import is_unknown
from ..policy_engine.tunables import TENANT_ID_PATTERN, Tunable, tenant_ids

ALLOWED_TENANT_IDS: Tunable[tuple[str, ...]] = Tunable(
    "allowedTenantIds",
    default=(),
    value_schema={"type": "array", "items": {"type": "string", "pattern": TENANT_ID_PATTERN}},
    description="Managing tenant IDs (GUIDs) a definition may name; default: managingTenant.tenantId.",
    parse=tenant_ids,
    default_text="managingTenant.tenantId",
)


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
    allowed = context.settings.value(ALLOWED_TENANT_IDS) or (
        (context.managing_tenant_id.lower(),) if context.managing_tenant_id else ()
    )
    if allowed and tenant not in allowed:
        yield Finding(
            loc,
            f"managedByTenantId {tenant} is not an allowed managing tenant ({', '.join(allowed)}); "
            "correct it, or add it to allowedTenantIds",
        )


RULE = Rule(
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
    tunables=(ALLOWED_TENANT_IDS,),
    locked=True,
)
