"""A Marketplace plan names its plan, publisher, product and version."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import describe, is_unknown, text

PLAN_FIELDS = ("name", "publisher", "product", "version")


def _plan(resource: Resource, context: Context) -> Iterator[Finding]:
    plan = resource.inputs.get("plan")
    if plan is None or is_unknown(plan):
        return
    if not isinstance(plan, Mapping):
        yield Finding(("plan",), f"plan is {describe(plan)}; expected name, publisher, product and version")
        return
    for key in PLAN_FIELDS:
        value = plan.get(key)
        if is_unknown(value) or (text(value) or "").strip():
            continue
        yield Finding(
            ("plan", key),
            f"plan.{key} is {describe(value) if value is not None else 'missing'}; a Marketplace plan needs "
            "all four of name, publisher, product and version",
        )


RULE = Rule(
    name="lighthouse-marketplace-plan",
    description="A Marketplace plan names its plan, publisher, product and version.",
    severity="medium",
    level="mandatory",
    remediation="Copy the four values from the plan's technical configuration in Partner Center.",
    facts=("SPEC", "MKT"),
    applies_to=(DEFINITION,),
    check=_plan,
    reads=("plan",),
)
