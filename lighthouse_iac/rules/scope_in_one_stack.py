"""A subscription or resource group is delegated by one customer stack only (a fleet rule)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..policy_engine.fleet import others, overlaps
from ..policy_engine.model import FleetFinding, Member, Rule, Scope


def _findings(members: Sequence[Member]) -> Iterator[FleetFinding]:
    by_subscription: dict[str, list[tuple[Member, Scope]]] = {}
    for member in members:
        for scope in member.scopes:
            by_subscription.setdefault(scope.subscription, []).append((member, scope))
    for entries in by_subscription.values():
        for member, scope in entries:
            clashes = [
                (other, theirs)
                for other, theirs in entries
                if other.stack != member.stack and (overlaps(scope, theirs) or other.tenant != member.tenant)
            ]
            if not clashes:
                continue
            what = f"resource group {scope.group} of subscription" if scope.group else "subscription"
            tenants = sorted({other.tenant for other, _ in clashes} - {member.tenant})
            why = (
                f"; a subscription belongs to one tenant, and they name tenant {', '.join(tenants)}, "
                f"not {member.tenant}"
                if tenants
                else "; two stacks would own (and either could delete) the same delegation"
            )
            yield FleetFinding(
                member.stack,
                scope.place,
                f"{what} {scope.subscription} is also delegated by "
                f"{others([(o.stack, s.place) for o, s in clashes])}{why}: keep it in the stack of the "
                "customer that owns it",
            )


RULE = Rule(
    name="lighthouse-scope-in-one-stack",
    description="A subscription or resource group is delegated by one customer stack only.",
    severity="high",
    level="mandatory",
    remediation="Keep each subscription in the stack of the customer that owns it; correct the copy.",
    facts=("ARCH", "ONB"),
    fleet=True,
    check_fleet=_findings,
)
