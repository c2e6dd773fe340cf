"""Reference checks: the principals, roles, keys and scopes a stack names must resolve, once each."""

from __future__ import annotations

from collections.abc import Iterator

from .. import csp, ids, suggest
from ..errors import Problem
from ..models import Offer
from ..suggest import did_you_mean
from .located import Loc, StackConfig


def reference_problems(stack: StackConfig) -> Iterator[Problem]:
    config, catalogue = stack.config, stack.catalogue
    principals = config.managing_tenant.principals

    def principal(loc: Loc, name: str) -> Iterator[Problem]:
        if name not in principals:
            names = sorted(principals)  # only for the message: a directory of hundreds, per stack
            listed = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
            yield stack.problem(
                loc,
                f"unknown principal '{name}'{did_you_mean(name, names)}; "
                f"principals in managingTenant.principals: {listed}",
            )

    def role(loc: Loc, ref: str) -> Iterator[Problem]:
        if catalogue.resolve(ref) is None and not ids.is_guid(ref):
            suggestions = catalogue.suggest(ref)
            hint = suggest.hint(suggestions[0]) if suggestions else ""
            yield stack.problem(
                loc,
                f"unknown role '{ref}'{hint}; expected a built-in role name or GUID from the role catalogue",
            )

    if config.customer.tenant_id == config.managing_tenant.tenant_id:
        yield stack.problem(
            ("customer", "tenantId"),
            f"the customer's tenant {config.customer.tenant_id} is the managing tenant; "
            "a tenant cannot delegate to itself",
        )
    if config.onboarding is not None:
        for i, ref in enumerate(config.onboarding.roles):
            yield from role(("onboarding", "roles", i), ref)
    yield from csp.config_problems(stack)

    first_key: dict[str, int] = {}
    for o, offer in enumerate(config.offers):
        base: Loc = ("offers", o)
        if offer.key in first_key:
            yield stack.problem(
                (*base, "key"),
                f"duplicate offer key '{offer.key}' "
                f"(also offers[{first_key[offer.key]}]); keys must be unique",
            )
        else:
            first_key[offer.key] = o
        for a, auth in enumerate(offer.authorizations):
            loc: Loc = (*base, "authorizations", a)
            yield from principal((*loc, "principal"), auth.principal)
            yield from role((*loc, "role"), auth.role)
            for d, ref in enumerate(auth.delegated_roles or ()):
                yield from role((*loc, "delegatedRoles", d), ref)
        for e, elig in enumerate(offer.eligible_authorizations):
            loc = (*base, "eligibleAuthorizations", e)
            yield from principal((*loc, "principal"), elig.principal)
            yield from role((*loc, "role"), elig.role)
            for p, approver in enumerate(elig.approvers):
                yield from principal((*loc, "approvers", p), approver)
        yield from _scope_problems(stack, base, offer)


def _scope_problems(stack: StackConfig, base: Loc, offer: Offer) -> Iterator[Problem]:
    seen_subs: dict[str, int] = {}
    scopes: set[str] = set()
    for s, entry in enumerate(offer.scopes):
        loc: Loc = (*base, "scopes", s)
        if entry.subscription in seen_subs:
            yield stack.problem(
                (*loc, "subscription"),
                f"subscription {entry.subscription} is already listed at "
                f"scopes[{seen_subs[entry.subscription]}]; the same scope twice in one offer "
                "is refused by Azure, list its resource groups in one entry",
            )
            continue
        seen_subs[entry.subscription] = s
        if entry.resource_groups is None:
            scopes.add(ids.subscription_scope(entry.subscription).lower())
            continue
        seen_rgs: dict[str, int] = {}
        for r, group in enumerate(entry.resource_groups):
            folded = group.name.lower()
            if folded in seen_rgs:
                yield stack.problem(
                    (*loc, "resourceGroups", r),
                    f"resource group '{group.name}' is already listed at "
                    f"resourceGroups[{seen_rgs[folded]}]; the same scope twice in one offer "
                    "is refused by Azure (names are case-insensitive)",
                )
            else:
                seen_rgs[folded] = r
                scopes.add(ids.resource_group_scope(entry.subscription, group.name).lower())
    if offer.adopt is not None:
        for scope in offer.adopt.assignment_ids:
            if scope.lower() not in scopes:
                yield stack.problem(
                    (*base, "adopt", "assignmentIds", scope),
                    f"'{scope}' is not a scope of this offer; expected one of: {', '.join(sorted(scopes))}",
                )
