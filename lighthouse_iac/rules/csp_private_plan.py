"""No private Marketplace plan is used on a subscription created through CSP."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..policy_engine.context import plan_key
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import text
from ..policy_engine.subscriptions import subscription_of


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


RULE = Rule(
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
