"""Rules on a customer stack: its plan's resources evaluated, verdicts mapped back to the stack-file keys."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..config import StackConfig
from ..errors import format_path
from ..plan import CustomerPlan, build_plan
from .context import context_from_config
from .engine import evaluate
from .locate import config_loc
from .model import Loc, Resource, Rule, Verdict
from .settings import RuleSettings


def check_stack(
    stack: StackConfig,
    settings: RuleSettings | None,
    rules: Iterable[Rule],
    plan: CustomerPlan | None = None,
    plan_subscriptions: Iterable[str] | None = None,
) -> list[Verdict]:
    plan = plan or build_plan(stack)
    values = {key: entry.value for key, entry in stack.entries.items()}
    context = context_from_config(values, stack.catalogue, settings)
    if context.csp is not None and plan_subscriptions is not None:
        known = frozenset(s.lower() for s in plan_subscriptions)
        context = replace(context, csp=replace(context.csp, plan_subscriptions=known))
    # A definition and the assignment of its whole subscription share a name (types differ), so the
    # resources are evaluated under their position and get their names back afterwards.
    origin: dict[str, tuple[int, str, Resource]] = {}
    resources: list[Resource] = []
    for offer in plan.offers:
        for planned in offer.resources():
            kind = Resource.kind_of(planned.type)
            if kind is not None:
                resource = Resource(kind, str(len(resources)), planned.inputs())
                origin[resource.name] = (offer.index, planned.name, resource)
                resources.append(resource)
    located: dict[tuple[str, str, str, Loc], Verdict] = {}
    rules = tuple(rules)
    about_values = {r.name for r in rules if r.about_values}
    for verdict in evaluate(resources, context, rules):
        source = origin.get(verdict.resource or "")
        loc = (
            config_loc(values, source[0], source[2], verdict.loc, value=verdict.rule in about_values)
            if source
            else verdict.loc
        )
        message, related = verdict.message, verdict.related
        if source and related:  # the other place, in the stack's terms and with its line
            related = config_loc(values, source[0], source[2], verdict.related)
            rfile, rline = stack.locate(related)
            where = f"{format_path(related)} ({rfile}:{rline})"
            message = message.replace(format_path(verdict.related), where)
        seen = (verdict.rule, verdict.level, message, loc)
        if seen not in located:  # one offer's definition repeats per subscription: say it once
            file, line = stack.locate(loc)
            name = source[1] if source else None
            located[seen] = replace(
                verdict, message=message, resource=name, loc=loc, file=file, line=line, related=related
            )
    return sorted(located.values(), key=lambda v: (v.file or "", v.line or 0, v.rule))
