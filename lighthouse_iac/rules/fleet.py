"""Rules across customer stacks: facts no single stack can break alone.

A subscription belongs to one tenant and a delegation to one stack; object IDs are per tenant. These
rules compare what each stack declares (`Member`, built from a stack by `policy_engine.members`) and report on
each stack's own line, naming the other file and line. The policy pack sees one stack's configuration and
nothing of the others, so it cannot run them; `validate` and `report` do, over every stack of the project.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..policy_engine.model import Loc, Rule

# How many other places a message names before it says "and N more".
_NAMED = 3


@dataclass(frozen=True)
class Place:
    """Where a stack declares something: its key path, and the file and line that path is on."""

    loc: Loc
    file: str | None
    line: int | None

    def __str__(self) -> str:
        place = self.file or "<config>"
        return f"{place}:{self.line}" if self.line is not None else place


@dataclass(frozen=True)
class Scope:
    """A delegated scope: a whole subscription (group None) or one of its resource groups, lower case."""

    subscription: str
    group: str | None
    place: Place


@dataclass(frozen=True)
class Member:
    """What the fleet rules compare of one customer stack."""

    stack: str
    tenant: str
    tenant_place: Place
    shared_tenant_reason: str | None
    onboarding: str | None
    """None for a CSP customer onboarded by Admin Agents alone (one partner identity serves them all)."""
    onboarding_place: Place
    shared_identity_reason: str | None
    scopes: tuple[Scope, ...]
    resources: tuple[tuple[str, str, Place], ...]
    """(kind, Azure resource ID, where its GUID comes from) of every definition and assignment."""


@dataclass(frozen=True)
class FleetFinding:
    """A fleet rule broken in one stack, at one of its places."""

    rule: str
    stack: str
    place: Place
    message: str


def _others(places: Sequence[tuple[str, Place]]) -> str:
    named = [f"{place} (stack {stack})" for stack, place in places[:_NAMED]]
    more = len(places) - len(named)
    return ", ".join(named) + (f" and {more} more" if more else "")


def _overlaps(a: Scope, b: Scope) -> bool:
    return a.subscription == b.subscription and (a.group is None or b.group is None or a.group == b.group)


def scope_findings(members: Sequence[Member]) -> Iterator[FleetFinding]:
    by_subscription: dict[str, list[tuple[Member, Scope]]] = {}
    for member in members:
        for scope in member.scopes:
            by_subscription.setdefault(scope.subscription, []).append((member, scope))
    for entries in by_subscription.values():
        for member, scope in entries:
            clashes = [
                (other, theirs)
                for other, theirs in entries
                if other.stack != member.stack and (_overlaps(scope, theirs) or other.tenant != member.tenant)
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
                SCOPE_IN_ONE_STACK.name,
                member.stack,
                scope.place,
                f"{what} {scope.subscription} is also delegated by "
                f"{_others([(o.stack, s.place) for o, s in clashes])}{why}: keep it in the stack of the "
                "customer that owns it",
            )


def tenant_findings(members: Sequence[Member]) -> Iterator[FleetFinding]:
    by_tenant: dict[str, list[Member]] = {}
    for member in members:
        by_tenant.setdefault(member.tenant, []).append(member)
    for group in by_tenant.values():
        for member in group:
            others = [(o.stack, o.tenant_place) for o in group if o.stack != member.stack]
            if others and member.shared_tenant_reason is None:
                yield FleetFinding(
                    ONE_STACK_PER_TENANT.name,
                    member.stack,
                    member.tenant_place,
                    f"customer tenant {member.tenant} is also the tenant of {_others(others)}; merge the "
                    "stacks, correct the tenant ID of the copy, or say why this customer needs several "
                    "stacks in customer.sharedTenantReason of each",
                )


def onboarding_findings(members: Sequence[Member]) -> Iterator[FleetFinding]:
    by_identity: dict[str, list[Member]] = {}
    for member in members:
        if member.onboarding is not None:
            by_identity.setdefault(member.onboarding, []).append(member)
    for group in by_identity.values():
        for member in group:
            others = [(o.stack, o.onboarding_place) for o in group if o.tenant != member.tenant]
            if others and member.shared_identity_reason is None:
                yield FleetFinding(
                    ONBOARDING_PER_TENANT.name,
                    member.stack,
                    member.onboarding_place,
                    f"onboarding object ID {member.onboarding} is also the onboarding identity of "
                    f"{_others(others)}, in another tenant; object IDs are per tenant, so one of them is "
                    "a copy: set this customer's own identity, or say why in onboarding.sharedIdentityReason",
                )


def _scopes_clash(a: Member, b: Member, subscription: str) -> bool:
    mine = [s for s in a.scopes if s.subscription == subscription]
    return any(_overlaps(s, t) for s in mine for t in b.scopes)


def guid_findings(members: Sequence[Member]) -> Iterator[FleetFinding]:
    owners: dict[str, list[tuple[Member, str, str, Place]]] = {}
    for member in members:
        for kind, resource_id, place in member.resources:
            owners.setdefault(resource_id.lower(), []).append((member, kind, resource_id, place))
    for folded, entries in owners.items():
        subscription = folded.split("/")[2]
        for member, kind, resource_id, place in entries:
            # Where the scopes themselves overlap, lighthouse-scope-in-one-stack says so already.
            others = [
                (o.stack, p)
                for o, _, _, p in entries
                if o.stack != member.stack and not _scopes_clash(member, o, subscription)
            ]
            if others:
                yield FleetFinding(
                    UNIQUE_IDS_ACROSS_STACKS.name,
                    member.stack,
                    place,
                    f"{kind} {resource_id} is also declared by {_others(others)}; two stacks would "
                    "manage one Azure resource: change the offer key, or the adopted GUID, of one of them",
                )


SCOPE_IN_ONE_STACK = Rule(
    name="lighthouse-scope-in-one-stack",
    description="A subscription or resource group is delegated by one customer stack only.",
    severity="high",
    level="mandatory",
    remediation="Keep each subscription in the stack of the customer that owns it; correct the copy.",
    facts=("ARCH", "ONB"),
    fleet=True,
)

ONE_STACK_PER_TENANT = Rule(
    name="lighthouse-one-stack-per-tenant",
    description="A customer tenant has one stack, unless its stacks say why in customer.sharedTenantReason.",
    severity="medium",
    level="mandatory",
    remediation="Merge the stacks, correct the copied tenant ID, or set customer.sharedTenantReason.",
    facts=("ONB",),
    fleet=True,
)

ONBOARDING_PER_TENANT = Rule(
    name="lighthouse-onboarding-per-tenant",
    description="An onboarding identity serves one customer tenant, unless the stack says why.",
    severity="medium",
    level="mandatory",
    remediation="Set each customer's own onboarding identity, or set onboarding.sharedIdentityReason.",
    facts=("ONB",),
    fleet=True,
)

UNIQUE_IDS_ACROSS_STACKS = Rule(
    name="lighthouse-unique-ids-across-stacks",
    description="No definition or assignment is declared by two customer stacks.",
    severity="high",
    level="mandatory",
    remediation="Change the offer key, or the adopted GUID, of one of the two stacks.",
    facts=("ARCH",),
    fleet=True,
)

OFFBOARD_FIRST = Rule(
    name="lighthouse-offboard-first",
    description="A delegation is removed only after a merged change marked it offboard: true.",
    severity="high",
    level="mandatory",
    remediation="Restore it with offboard: true, merge and deploy that, then remove it in a second change.",
    facts=("REM", "UPD"),
    fleet=True,
)

CHECKS = (
    (SCOPE_IN_ONE_STACK, scope_findings),
    (ONE_STACK_PER_TENANT, tenant_findings),
    (ONBOARDING_PER_TENANT, onboarding_findings),
    (UNIQUE_IDS_ACROSS_STACKS, guid_findings),
)
