"""The managing tenant the template delegates to, checked against the project's."""

from __future__ import annotations

from ... import ids
from ...models import ManagingTenant
from ..source import Loc
from ..template import ArmResource, Deployment, is_placeholder
from .findings import Found, placeholder_at, problem_at


def managing_tenant(
    deployment: Deployment,
    pairs: list[tuple[ArmResource, list[ArmResource]]],
    existing: ManagingTenant | None,
    found: Found,
    notes: list[str],
) -> str:
    problems = found.problems
    for definition, _ in pairs:
        value = definition.properties.get("managedByTenantId")
        if isinstance(value, str) and is_placeholder(value):
            at: Loc = ("properties", "managedByTenantId")
            found.tenant_placeholders.append(placeholder_at(deployment, definition, at, value))
        elif not (isinstance(value, str) and ids.is_guid(value)):
            what = "is missing" if value is None else f"{value!r} is not a GUID"
            problems.append(
                problem_at(
                    deployment,
                    definition,
                    ("properties", "managedByTenantId"),
                    f"managedByTenantId {what}; expected the managing tenant's ID",
                )
            )
    tenants = {
        ids.NIL_GUID if is_placeholder(tenant) else tenant
        for tenant in (str(d.properties.get("managedByTenantId", "")) for d, _ in pairs)
    }
    if len(tenants) > 1:
        problems.append(
            deployment.template.problem(
                ("resources",),
                f"the definitions name several managing tenants ({', '.join(sorted(tenants))}); "
                "one project manages for one tenant",
            )
        )
    tenant = next(iter(tenants), "")
    real = ids.is_guid(tenant) and tenant.lower() != ids.NIL_GUID
    if existing is not None:
        if real and tenant.lower() != existing.tenant_id:
            problems.append(
                deployment.template.problem(
                    ("resources",),
                    f"the template delegates to managing tenant {tenant}, but this project's managingTenant "
                    f"(Pulumi.yaml) is {existing.tenant_id}; one project manages for one tenant, and a new "
                    "managing tenant needs a new offer (UPD)",
                )
            )
        if not real:
            notes.append(
                "managedByTenantId is a placeholder; the project's managing tenant "
                f"{existing.tenant_id} is used"
            )
        return existing.tenant_id
    return tenant.lower() if real else ids.NIL_GUID
