"""Rules on a customer stack: its plan's resources evaluated, each verdict on the key that set the value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..config import StackConfig
from ..plan import CustomerPlan, build_plan
from ..source_map import Source
from .context import context_from_config
from .locate import Located, located_verdicts
from .model import Loc, Memo, Rule, Verdict
from .settings import RuleSettings


def check_stack(
    stack: StackConfig,
    settings: RuleSettings | None,
    rules: Iterable[Rule],
    plan: CustomerPlan | None = None,
    plan_subscriptions: Iterable[str] | None = None,
    *,
    memo: Memo | None = None,
) -> list[Verdict]:
    plan = plan or build_plan(stack)
    values = {key: entry.value for key, entry in stack.entries.items()}
    context = context_from_config(values, stack.catalogue, settings, memo)
    if context.csp is not None and plan_subscriptions is not None:
        known = frozenset(s.lower() for s in plan_subscriptions)
        context = replace(context, csp=replace(context.csp, plan_subscriptions=known))
    resources = [Located(r.kind, r.name, r.inputs(), r.sources) for r in plan.resources()]

    def elsewhere(loc: Loc) -> Source:  # a verdict on the stack's configuration itself
        return Source(loc, *stack.locate(loc))

    return located_verdicts(resources, context, rules, elsewhere)
