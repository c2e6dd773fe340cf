"""A customer tenant has one stack, unless its stacks say why (a fleet rule)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..policy_engine.fleet import others
from ..policy_engine.model import FleetFinding, Member, Rule


def _findings(members: Sequence[Member]) -> Iterator[FleetFinding]:
    by_tenant: dict[str, list[Member]] = {}
    for member in members:
        by_tenant.setdefault(member.tenant, []).append(member)
    for group in by_tenant.values():
        for member in group:
            clashes = [(o.stack, o.tenant_place) for o in group if o.stack != member.stack]
            if clashes and member.shared_tenant_reason is None:
                yield FleetFinding(
                    member.stack,
                    member.tenant_place,
                    f"customer tenant {member.tenant} is also the tenant of {others(clashes)}; merge the "
                    "stacks, correct the tenant ID of the copy, or say why this customer needs several "
                    "stacks in customer.sharedTenantReason of each",
                )


RULE = Rule(
    name="lighthouse-one-stack-per-tenant",
    description="A customer tenant has one stack, unless its stacks say why in customer.sharedTenantReason.",
    severity="medium",
    level="mandatory",
    remediation="Merge the stacks, correct the copied tenant ID, or set customer.sharedTenantReason.",
    facts=("ONB",),
    fleet=True,
    check_fleet=_findings,
)
