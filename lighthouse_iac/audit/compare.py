"""Declared against observed: missing, unmanaged, changed and mismatched-GUID delegations, per customer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .. import durations
from .declared import Declared, Names
from .observed import Assignment, Definition, EligibleAuthorization, Observed

Kind = Literal["missing", "unmanaged", "changed", "guid-mismatch"]
KINDS: tuple[Kind, ...] = ("missing", "unmanaged", "changed", "guid-mismatch")


@dataclass(frozen=True)
class Finding:
    kind: Kind
    scope: str
    message: str
    stack: str | None = None
    customer: str = ""
    customer_tenant_id: str = ""
    offer: str = ""
    assignment_id: str = ""
    definition_id: str = ""
    protected: bool = False
    details: tuple[str, ...] = ()
    adopt: str = ""
    file: str | None = None
    line: int | None = None

    @property
    def subscription_id(self) -> str:
        return self.scope.split("/")[2].lower()


@dataclass(frozen=True)
class AuditResult:
    findings: tuple[Finding, ...]
    observed: Observed
    declared: int

    @property
    def exit_code(self) -> int:
        return 2 if self.observed.errors else (1 if self.findings else 0)


def _minutes(value: int | None) -> str:
    return durations.format_minutes(value) if value is not None else "unset"


def _grant(names: Names, principal: str, role: str, display: str = "") -> str:
    return f"{names.principal(principal, display)} as {names.role(role)}"


def _eligible_change(names: Names, want: EligibleAuthorization, have: EligibleAuthorization) -> str:
    parts = []
    if want.mfa != have.mfa:
        parts.append(f"MFA {want.mfa} -> {have.mfa}")
    if want.maximum_minutes != have.maximum_minutes:
        parts.append(f"activation {_minutes(want.maximum_minutes)} -> {_minutes(have.maximum_minutes)}")
    if want.approver_ids != have.approver_ids:
        parts.append(
            "approvers "
            + (", ".join(names.principal(a) for a in want.approver_ids) or "none")
            + " -> "
            + (", ".join(names.principal(a) for a in have.approver_ids) or "none")
        )
    return f"eligible {_grant(names, want.principal_id, want.role_id)}: " + "; ".join(parts)


def differences(names: Names, want: Definition, have: Definition) -> list[str]:
    """What Azure holds that the stack does not say, in words (stack value first, then Azure's)."""
    out = []
    if want.definition_id != have.definition_id:
        out.append(f"definition GUID {want.definition_id} -> {have.definition_id}")
    for label, a, b in (
        ("offer name", want.name, have.name),
        ("description", want.description, have.description),
    ):
        if a != b:
            out.append(f"{label} {a!r} -> {b!r}")
    if want.plan != have.plan:
        out.append(f"plan {dict(want.plan or ())} -> {dict(have.plan or ())}")
    for auth in sorted(have.authorizations - want.authorizations, key=repr):
        extra = (
            f" (may assign {', '.join(map(names.role, auth.delegated_role_ids))})"
            if auth.delegated_role_ids
            else ""
        )
        grant = _grant(names, auth.principal_id, auth.role_id, auth.display_name)
        out.append(f"authorization only in Azure: {grant}{extra}")
    for auth in sorted(want.authorizations - have.authorizations, key=repr):
        out.append(f"authorization missing in Azure: {_grant(names, auth.principal_id, auth.role_id)}")
    wanted = {(e.principal_id, e.role_id): e for e in want.eligible}
    held = {(e.principal_id, e.role_id): e for e in have.eligible}
    for key in sorted(held.keys() - wanted.keys()):
        e = held[key]
        grant = _grant(names, e.principal_id, e.role_id, e.display_name)
        out.append(f"eligible authorization only in Azure: {grant}")
    for key in sorted(wanted.keys() - held.keys()):
        out.append(f"eligible authorization missing in Azure: {_grant(names, *key)}")
    for key in sorted(wanted.keys() & held.keys()):
        if wanted[key] != held[key]:
            out.append(_eligible_change(names, wanted[key], held[key]))
    return out


def adopt_block(offer: Sequence[Declared], found: dict[str, Assignment]) -> str:
    """The `adopt:` mapping to paste under the offer so that its stack takes over what Azure holds."""
    definitions = sorted({a.definition_id for a in found.values()})
    pinned = dict(offer[0].adopted)
    pinned.update({d.scope: found[d.scope.lower()].assignment_id for d in offer if d.scope.lower() in found})
    lines = ["adopt:"]
    if len(definitions) == 1:
        lines.append(f"  definitionId: {definitions[0]}")
    else:
        lines.append(f"  # Azure holds this offer under {len(definitions)} definitions; adopt one at a time")
    lines.append("  assignmentIds:")
    lines += [f"    {scope}: {guid}" for scope, guid in sorted(pinned.items())]
    return "\n".join(lines)


def _missing(d: Declared, observed: Observed) -> Finding:
    if d.subscription_id in observed.subscriptions:
        why = "not in Azure: the customer removed it, or it was never deployed"
    else:
        why = (
            f"not in Azure: subscription {d.subscription_id} is not delegated to the managing tenant "
            "(never onboarded, or the customer removed every delegation)"
        )
    return Finding(
        "missing",
        d.scope,
        why + (" (a protected delegation)" if d.protected else ""),
        d.stack,
        d.customer,
        d.customer_tenant_id,
        d.offer_key,
        d.assignment_id,
        d.definition.definition_id,
        d.protected,
        file=d.file,
        line=d.line,
    )


def _unmanaged(a: Assignment, names: Names, observed: Observed) -> Finding:
    sub = observed.subscriptions.get(a.subscription_id)
    tenant = a.definition.customer_tenant_id or (sub.tenant_id if sub else "")
    stack = names.tenants.get(tenant)
    who = a.definition.customer_tenant_name or (sub.display_name if sub else "")
    details = [f"offer {a.definition.name!r}: {a.definition.description!r}"]
    details += [
        f"authorization: {_grant(names, x.principal_id, x.role_id, x.display_name)}"
        for x in sorted(a.definition.authorizations, key=repr)
    ]
    details += [
        f"eligible: {_grant(names, x.principal_id, x.role_id, x.display_name)}"
        for x in sorted(a.definition.eligible, key=repr)
    ]
    ask = f"stack {stack}" if stack else "no stack declares this customer"
    details.append(
        f"who to ask: customer tenant {tenant or 'unknown'}" + (f" ({who})" if who else "") + f"; {ask}"
    )
    return Finding(
        "unmanaged",
        a.scope,
        f"a delegation to the managing tenant that no stack declares: offer {a.definition.name!r}",
        stack,
        who,
        tenant,
        assignment_id=a.assignment_id,
        definition_id=a.definition_id,
        details=tuple(details),
    )


def compare(declared: Sequence[Declared], observed: Observed, names: Names, tenants: set[str]) -> AuditResult:
    """Every difference between the declared fleet and what was read, in a stable order."""
    ours = [a for a in observed.assignments if a.definition.managed_by_tenant_id in tenants]
    by_key = {a.key: a for a in ours}
    unmatched = dict(by_key)
    findings: list[Finding] = []
    pending: dict[tuple[str, str], list[Declared]] = defaultdict(list)
    for d in declared:
        if d.subscription_id not in observed.read and d.subscription_id in observed.subscriptions:
            continue  # that subscription could not be read: its error is reported instead
        held = by_key.get(d.key)
        if held is None:
            pending[(d.stack, d.offer_key)].append(d)
            continue
        unmatched.pop(d.key, None)
        diff = differences(names, d.definition, held.definition)
        if diff:
            findings.append(
                Finding(
                    "changed",
                    d.scope,
                    "Azure holds other terms than the stack declares",
                    d.stack,
                    d.customer,
                    d.customer_tenant_id,
                    d.offer_key,
                    d.assignment_id,
                    held.definition_id,
                    d.protected,
                    tuple(diff),
                    file=d.file,
                    line=d.line,
                )
            )
    by_scope: dict[str, list[Assignment]] = defaultdict(list)
    for a in sorted(unmatched.values(), key=lambda a: a.assignment_id):
        by_scope[a.key[0]].append(a)
    for offer in pending.values():
        found: dict[str, Assignment] = {}
        for d in offer:
            same = [a for a in by_scope.get(d.key[0], ()) if a.definition.name == d.definition.name]
            if same:
                found[d.key[0]] = same[0]
                by_scope[d.key[0]].remove(same[0])
                unmatched.pop(same[0].key)
        block = adopt_block(offer, found) if found else ""
        for d in offer:
            held = found.get(d.key[0])
            if held is None:
                if d.protected:  # an offboarded scope is expected to be gone
                    findings.append(_missing(d, observed))
                continue
            findings.append(
                Finding(
                    "guid-mismatch",
                    d.scope,
                    f"the same offer is delegated here under assignment {held.assignment_id}, not "
                    f"{d.assignment_id}: adopt it",
                    d.stack,
                    d.customer,
                    d.customer_tenant_id,
                    d.offer_key,
                    held.assignment_id,
                    held.definition_id,
                    d.protected,
                    tuple(differences(names, d.definition, held.definition)),
                    block,
                    d.file,
                    d.line,
                )
            )
    findings += [_unmanaged(a, names, observed) for a in unmatched.values()]
    order = {k: i for i, k in enumerate(KINDS)}
    findings.sort(key=lambda f: (f.stack or "~", order[f.kind], f.scope.lower(), f.assignment_id))
    return AuditResult(tuple(findings), observed, len(declared))
