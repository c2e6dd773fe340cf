"""The onboarding identity holds Owner, or another role allowing role assignments, on the onboarded scopes;
for a CSP customer a declared Admin Agent onboards its CSP subscriptions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..policy_engine.model import Context, Csp, Finding, Resource, Rule
from ..policy_engine.subscriptions import delegated
from ..roles import ROLE_ASSIGNMENTS_WRITE, allows


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


RULE = Rule(
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
