"""Rules for Cloud Solution Provider customers: private plans, Admin Agents' AOBO access, who onboards."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from ..policy_engine.context import plan_key
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import is_unknown, text

_SUBSCRIPTION = re.compile(r"^/subscriptions/([^/]+)/?\Z", re.IGNORECASE)


def subscription_of(resource: Resource) -> str | None:
    """The subscription a definition is created in, lowercase; None when its scope is not one."""
    scope = resource.inputs.get("scope")
    match = _SUBSCRIPTION.match(text(scope) or "") if not is_unknown(scope) else None
    return match.group(1).lower() if match else None


def delegated(resources: Iterable[Resource]) -> list[str]:
    """The subscriptions the definitions are created in, each once, in order."""
    seen: dict[str, None] = {}
    for resource in resources:
        sub = subscription_of(resource) if resource.kind == DEFINITION else None
        if sub is not None:
            seen.setdefault(sub, None)
    return list(seen)


def _private_plan(resource: Resource, context: Context) -> Iterator[Finding]:
    csp, plan = context.csp, resource.inputs.get("plan")
    if csp is None or not isinstance(plan, Mapping):
        return
    sub = subscription_of(resource)
    if sub is not None and csp.covers(sub) and plan_key(plan) in csp.private_plans:
        yield Finding(
            ("plan",),
            f"the private Marketplace plan '{text(plan.get('name'))}' cannot serve subscription {sub}, "
            "which was created through CSP: private plans cannot be used with subscriptions bought through "
            "a CSP reseller",
        )


CSP_PRIVATE_PLAN = Rule(
    name="lighthouse-csp-private-plan",
    description="No private Marketplace plan is used on a subscription created through CSP.",
    severity="high",
    level="mandatory",
    remediation=(
        "Onboard CSP subscriptions with a public plan or with template onboarding (no plan); keep the "
        "private plan for the customer's other subscriptions."
    ),
    facts=("seeds", "MKT"),
    applies_to=(DEFINITION,),
    check=_private_plan,
    reads=("plan", "scope"),
)


def _aobo(resources: Iterable[Resource], context: Context) -> Iterator[Finding]:
    csp = context.csp
    if csp is None:
        return
    subs = [s for s in delegated(resources) if csp.covers(s)]
    if subs:
        agents = sorted(p.name for p in context.admin_agents())
        who = f" ({', '.join(agents)} declared)" if agents else ""
        yield Finding(
            ("csp",),
            f"{len(subs)} subscription(s) created through CSP ({', '.join(subs)}): every Admin Agent of the "
            f"managing tenant{who} keeps Owner on them through AOBO beside these Lighthouse grants; "
            "Lighthouse grants do not narrow it",
        )


CSP_AOBO_ACCESS = Rule(
    name="lighthouse-csp-aobo-access",
    description="A CSP customer's reviewer sees that Admin Agents keep full AOBO access beside Lighthouse.",
    severity="medium",
    level="advisory",
    remediation=(
        "Keep the Admin Agent role to the few who need it, and once the Lighthouse grants serve the team, "
        "consider removing the partner's AOBO Owner assignment from the customer's subscriptions."
    ),
    facts=("CSPDOC", "seeds"),
    check_stack=_aobo,
)


def _undelegated(resources: Iterable[Resource], context: Context) -> Iterator[Finding]:
    csp = context.csp
    if csp is None or csp.plan_subscriptions is None:
        return
    missing = sorted(csp.plan_subscriptions - set(delegated(resources)))
    if missing:
        yield Finding(
            ("csp", "azurePlan"),
            f"the customer's Azure plan has subscription(s) that no offer delegates: {', '.join(missing)} "
            "(as the last deployment's snapshot lists them); the MSP manages them through AOBO alone",
        )


CSP_PLAN_DELEGATED = Rule(
    name="lighthouse-csp-plan-delegated",
    description="Every Azure subscription of a CSP customer's Azure plan is delegated by an offer.",
    severity="low",
    level="advisory",
    remediation=(
        "Add the subscription to an offer's scopes (or list it deliberately elsewhere), then run "
        "`pulumi up`; refresh the snapshot with `pulumi stack output --json` after each deployment."
    ),
    facts=("CSPDOC", "seeds"),
    check_stack=_undelegated,
)
