"""Rules on a customer stack: its plan's resources evaluated, verdicts mapped back to the stack-file keys."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..config import StackConfig
from ..plan import AssignmentResource, DefinitionResource, OfferPlan, build_plan
from .context import context_from_config
from .engine import evaluate
from .model import Loc, Resource, Rule, Verdict
from .settings import RuleSettings

PlanResource = DefinitionResource | AssignmentResource

_GRANT_FIELDS: dict[str, str] = {
    "principalId": "principal",
    "roleDefinitionId": "role",
    "delegatedRoleDefinitionIds": "delegatedRoles",
}
_POLICY_FIELDS: dict[str, str] = {
    "multiFactorAuthProvider": "requireMfa",
    "maximumActivationDuration": "maximumActivation",
    "managedByTenantApprovers": "approvers",
}


def _scope_loc(offer: OfferPlan, resource: PlanResource) -> Loc:
    base: Loc = ("offers", offer.index)
    subscription = (
        resource.subscription_id
        if isinstance(resource, DefinitionResource)
        else resource.definition.subscription_id
    )
    for s, entry in enumerate(offer.offer.scopes):
        if entry.subscription != subscription:
            continue
        if isinstance(resource, AssignmentResource) and resource.resource_group and entry.resource_groups:
            for r, group in enumerate(entry.resource_groups):
                if group.name == resource.resource_group:
                    return (*base, "scopes", s, "resourceGroups", r)
        if isinstance(resource, DefinitionResource):
            return (*base, "scopes", s, "subscription")
        return (*base, "scopes", s)
    return (*base, "scopes")


def _grant_loc(offer: OfferPlan, key: str, index: int, rest: Loc) -> Loc:
    """A path inside `properties.<key>[index]` as the stack-file key it came from."""
    eligible = key == "eligibleAuthorizations"
    grant = next((g for g in offer.grants if g.eligible == eligible and g.loc[1] == index), None)
    if grant is None:
        return ("offers", offer.index, key)
    base: Loc = ("offers", offer.index, *grant.loc)
    if not rest:
        return base
    head = rest[0]
    if head == "principalIdDisplayName":
        return ("managingTenant", "principals", grant.principal_name, "displayName")
    if head in _GRANT_FIELDS:
        return (*base, _GRANT_FIELDS[head], *rest[1:2])
    if head != "justInTimeAccessPolicy" or len(rest) < 2:
        return base
    field = rest[1]
    if field == "managedByTenantApprovers" and len(rest) >= 3 and isinstance(rest[2], int):
        k = rest[2]
        if rest[3:4] == ("principalIdDisplayName",) and k < len(grant.approvers):
            return ("managingTenant", "principals", grant.approvers[k], "displayName")
        return (*base, "approvers", k)
    return (*base, _POLICY_FIELDS[field]) if isinstance(field, str) and field in _POLICY_FIELDS else base


def stack_loc(offer: OfferPlan, resource: PlanResource, loc: Loc) -> Loc:
    """The stack-file key path of a path inside one of the offer's resources."""
    base: Loc = ("offers", offer.index)
    adopt = offer.offer.adopt
    head = loc[0] if loc else None
    if isinstance(resource, AssignmentResource):
        if head == "registrationAssignmentId" and adopt is not None:
            for scope in adopt.assignment_ids:
                if scope.lower() == resource.scope.lower():
                    return (*base, "adopt", "assignmentIds", scope)
        return _scope_loc(offer, resource)
    if head == "scope":
        return _scope_loc(offer, resource)
    if head == "registrationDefinitionId":
        return (*base, "adopt", "definitionId") if adopt and adopt.definition_id else (*base, "key")
    if head == "plan":
        return (*base, *loc)
    if head != "properties" or len(loc) < 2:
        return base
    key = loc[1]
    if key == "managedByTenantId":
        return ("managingTenant", "tenantId")
    if key == "registrationDefinitionName":
        return (*base, "name")
    if key == "description":
        return (*base, "description")
    if key in ("authorizations", "eligibleAuthorizations"):
        if len(loc) >= 3 and isinstance(loc[2], int):
            return _grant_loc(offer, str(key), loc[2], loc[3:])
        return (*base, key)
    return base


def check_stack(stack: StackConfig, settings: RuleSettings | None, rules: Iterable[Rule]) -> list[Verdict]:
    plan = build_plan(stack)
    values = {key: entry.value for key, entry in stack.entries.items()}
    context = context_from_config(values, stack.catalogue, settings)
    # A definition and the assignment of its whole subscription share a name (types differ), so the
    # resources are evaluated under their position and get their names back afterwards.
    origin: dict[str, tuple[OfferPlan, PlanResource]] = {}
    resources: list[Resource] = []
    for offer in plan.offers:
        for planned in offer.resources():
            kind = Resource.kind_of(planned.type)
            if kind is not None:
                key = str(len(resources))
                origin[key] = (offer, planned)
                resources.append(Resource(kind, key, planned.inputs()))
    located: dict[tuple[str, str, str, Loc], Verdict] = {}
    for verdict in evaluate(resources, context, rules):
        source = origin.get(verdict.resource or "")
        loc = stack_loc(*source, verdict.loc) if source else verdict.loc
        seen = (verdict.rule, verdict.level, verdict.message, loc)
        if seen not in located:  # one offer's definition repeats per subscription: say it once
            file, line = stack.locate(loc)
            name = source[1].name if source else None
            located[seen] = replace(verdict, resource=name, loc=loc, file=file, line=line)
    return sorted(located.values(), key=lambda v: (v.file or "", v.line or 0, v.rule))
