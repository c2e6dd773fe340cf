"""The fleet report: the access rows, per-customer and per-principal summaries, and the policy verdicts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..config import StackConfig
from ..fleet import Fleet
from ..plan import CustomerPlan, build_plan
from .access import Access, stack_access
from .provenance import BrokenStack, Provenance


@dataclass(frozen=True)
class Finding:
    """A policy verdict on one customer stack, where it points in the stack or project file."""

    stack: str
    rule: str
    level: str
    message: str
    file: str | None
    line: int | None


# The rules package's `check_stack`, reduced to what the report shows.
Checker = Callable[[StackConfig, CustomerPlan], Sequence[Finding]]


@dataclass(frozen=True)
class CustomerSummary:
    stack: str
    customer: str
    tenant_id: str
    offers: int
    subscriptions: int
    scopes: int
    principals: int
    permanent: int
    eligible: int
    offboarding: bool
    mandatory: int = 0
    advisory: int = 0


@dataclass(frozen=True)
class PrincipalSummary:
    principal: str
    display_name: str
    kind: str
    object_id: str
    customers: int
    scopes: int
    permanent: int
    eligible: int
    permanent_roles: tuple[str, ...]
    eligible_roles: tuple[str, ...]
    approves: int = 0
    """Customers where this principal approves others' just-in-time activations."""


@dataclass(frozen=True)
class Report:
    project: str
    managing_tenant: str
    managing_tenant_id: str
    access: tuple[Access, ...]
    customers: tuple[CustomerSummary, ...]
    principals: tuple[PrincipalSummary, ...]
    findings: tuple[Finding, ...] = field(default=())
    broken: tuple[BrokenStack, ...] = field(default=())
    """Stacks left out because they do not load; every format lists them first."""
    provenance: Provenance | None = None

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)


def _customer(stack: StackConfig, rows: Sequence[Access], findings: Sequence[Finding]) -> CustomerSummary:
    cfg = stack.config
    return CustomerSummary(
        stack=stack.stack,
        customer=cfg.customer.name,
        tenant_id=cfg.customer.tenant_id,
        offers=len(cfg.offers),
        subscriptions=len({s.subscription for o in cfg.offers for s in o.scopes}),
        scopes=len({r.scope.lower() for r in rows}),
        principals=len({r.principal_id for r in rows}),
        permanent=sum(1 for r in rows if not r.eligible),
        eligible=sum(1 for r in rows if r.eligible),
        offboarding=cfg.customer.offboard,
        mandatory=sum(1 for f in findings if f.level == "mandatory"),
        advisory=sum(1 for f in findings if f.level == "advisory"),
    )


def _principal(rows: Sequence[Access], approves: int) -> PrincipalSummary:
    first = rows[0]
    return PrincipalSummary(
        principal=first.principal,
        display_name=first.principal_display_name,
        kind=first.principal_kind,
        object_id=first.principal_id,
        customers=len({r.stack for r in rows}),
        scopes=len({(r.stack, r.scope.lower()) for r in rows}),
        permanent=sum(1 for r in rows if not r.eligible),
        eligible=sum(1 for r in rows if r.eligible),
        permanent_roles=tuple(sorted({r.role for r in rows if not r.eligible})),
        eligible_roles=tuple(sorted({r.role for r in rows if r.eligible})),
        approves=approves,
    )


def _approver(stacks: Sequence[StackConfig], name: str, approves: int) -> PrincipalSummary:
    """A principal that holds no access but approves activations (found in the directory of a stack)."""
    entry = next(
        s.config.managing_tenant.principals[name]
        for s in stacks
        if name in s.config.managing_tenant.principals
    )
    return PrincipalSummary(
        name, entry.display_name, entry.kind, entry.object_id, 0, 0, 0, 0, (), (), approves
    )


def build_report(fleet: Fleet, checker: Checker | None = None) -> Report:
    """The report over every stack of the fleet that loads (the others listed as broken); `checker` adds
    policy verdicts per stack."""
    access: list[Access] = []
    customers: list[CustomerSummary] = []
    findings: list[Finding] = []
    for stack in sorted(fleet.stacks, key=lambda s: s.stack):
        plan = build_plan(stack)  # once for both the rows and the rules
        rows = list(stack_access(stack, plan))
        found = list(checker(stack, plan)) if checker else []
        access += rows
        findings += found
        customers.append(_customer(stack, rows, found))
    by_principal: dict[tuple[str, str], list[Access]] = defaultdict(list)
    approvals: dict[str, set[str]] = defaultdict(set)
    for row in access:
        by_principal[row.principal, row.principal_id].append(row)
        for approver in row.approvers:
            approvals[approver].add(row.stack)
    principals = [_principal(by_principal[key], len(approvals[key[0]])) for key in by_principal]
    holders = {name for name, _ in by_principal}
    principals += [_approver(fleet.stacks, n, len(s)) for n, s in approvals.items() if n not in holders]
    tenant = fleet.stacks[0].config.managing_tenant if fleet.stacks else None
    return Report(
        project=fleet.project.name,
        managing_tenant=tenant.name if tenant else "",
        managing_tenant_id=tenant.tenant_id if tenant else "",
        access=tuple(access),
        customers=tuple(customers),
        principals=tuple(sorted(principals, key=lambda p: (p.principal, p.object_id))),
        findings=tuple(findings),
        broken=tuple(BrokenStack(name, fleet.errors[name].problems) for name in sorted(fleet.errors)),
    )
