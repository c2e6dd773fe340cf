"""The fleet rules on loaded stacks: each stack as a `fleet.Member`, verdicts located in its own file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from ..config import StackConfig
from ..plan import CustomerPlan, build_plan
from .model import Loc, Member, Place, Rule, Scope, Verdict
from .settings import RuleSettings


def _place(stack: StackConfig, loc: Loc) -> Place:
    return Place(loc, partial(stack.locate, loc))  # located only if a finding names it


def member(stack: StackConfig, plan: CustomerPlan) -> Member:
    """What the fleet rules compare of `stack`, each value with the line it is written on."""
    config = stack.config
    scopes: list[Scope] = []
    for i, offer in enumerate(config.offers):
        for j, entry in enumerate(offer.scopes):
            at: Loc = ("offers", i, "scopes", j)
            subscription = entry.subscription.lower()
            if entry.resource_groups is None:
                scopes.append(Scope(subscription, None, _place(stack, (*at, "subscription"))))
                continue
            for k, group in enumerate(entry.resource_groups):
                place = _place(stack, (*at, "resourceGroups", k))
                scopes.append(Scope(subscription, group.name.lower(), place))
    resources: list[tuple[str, str, Place]] = []
    for offer_plan in plan.offers:
        i = offer_plan.index
        adopt = offer_plan.offer.adopt
        pinned = {k.lower(): k for k in adopt.assignment_ids} if adopt else {}
        definition_at: Loc = (
            ("offers", i, "adopt", "definitionId") if adopt and adopt.definition_id else ("offers", i, "key")
        )
        for definition in offer_plan.definitions:
            resources.append(("definition", definition.resource_id, _place(stack, definition_at)))
        for assignment in offer_plan.assignments:
            written = pinned.get(assignment.scope.lower())
            at = ("offers", i, "adopt", "assignmentIds", written) if written else ("offers", i, "key")
            resources.append(("assignment", assignment.resource_id, _place(stack, at)))
    return Member(
        stack=stack.stack,
        tenant=config.customer.tenant_id.lower(),
        tenant_place=_place(stack, ("customer", "tenantId")),
        shared_tenant_reason=config.customer.shared_tenant_reason,
        onboarding=config.onboarding.object_id.lower() if config.onboarding else None,
        onboarding_place=_place(stack, ("onboarding", "objectId")),
        shared_identity_reason=config.onboarding.shared_identity_reason if config.onboarding else None,
        scopes=tuple(scopes),
        resources=tuple(resources),
    )


def check_fleet(
    stacks: Iterable[StackConfig],
    rules: Iterable[Rule],
    settings: RuleSettings | None = None,
    plans: Mapping[str, CustomerPlan] | None = None,
) -> dict[str, list[Verdict]]:
    """Verdicts of the fleet `rules`, by stack name, sorted by line; stacks without any are left out."""
    settings = settings or RuleSettings()
    members = [member(s, (plans or {}).get(s.stack) or build_plan(s)) for s in stacks]
    found: dict[str, list[Verdict]] = {}
    for rule in rules:
        level = settings.effective(rule)
        if level is None or rule.check_fleet is None:
            continue
        for f in rule.check_fleet(members):
            verdict = Verdict(rule.name, level, f.message, None, f.place.loc, f.place.file, f.place.line)
            found.setdefault(f.stack, []).append(verdict)
    return {
        name: sorted(verdicts, key=lambda v: (v.file or "", v.line or 0, v.rule))
        for name, verdicts in found.items()
    }
