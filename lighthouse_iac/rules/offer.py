"""Rules on an offer as a whole: its authorizations list and its Marketplace plan."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .. import roles
from ..errors import format_path
from ..policy_engine.grants import Grant, grants, principal_label, properties, role_label
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule, Tunable
from ..policy_engine.shape import describe, is_unknown, length, text

PLAN_FIELDS = ("name", "publisher", "product", "version")


def _authorization_required(resource: Resource, context: Context) -> Iterator[Finding]:
    props = resource.inputs.get("properties")
    value = properties(resource).get("authorizations")
    if is_unknown(props) or is_unknown(value):
        return
    if not length(value):
        yield Finding(
            ("properties", "authorizations"),
            f"authorizations is {describe(value) if value is not None else 'missing'}; a definition needs "
            "at least one permanent authorization",
        )


AUTHORIZATION_REQUIRED = Rule(
    name="lighthouse-authorization-required",
    description="A definition has at least one permanent authorization.",
    severity="high",
    level="mandatory",
    remediation="Add a permanent authorization, at least Reader for the team that serves the customer.",
    facts=("SPEC", "MKT"),
    applies_to=(DEFINITION,),
    check=_authorization_required,
    reads=("properties",),
)


def _limit(resource: Resource, context: Context) -> Iterator[Finding]:
    props = properties(resource)
    counts = [length(props.get(k)) for k in ("authorizations", "eligibleAuthorizations")]
    # A repeated grant is one authorization (lighthouse-duplicate-authorization reports the repeat).
    total = sum(c or 0 for c in counts) - sum(1 for _ in _repeats(resource))
    maximum = context.settings.maximum_authorizations
    if total > maximum:
        yield Finding(
            ("properties", "authorizations"),
            f"{total} distinct authorizations (permanent and eligible); a Marketplace plan allows at most "
            f"{maximum}: group principals, or split the offer",
        )


def _repeats(resource: Resource) -> Iterator[tuple[Grant, Grant, str, str]]:
    """(first, repeat, principal ID, role ID): grants of the same principal, role and access type."""
    first: dict[tuple[str, str, bool], Grant] = {}
    for grant in grants(resource):
        if grant.principal_id is None or grant.role_id is None:
            continue  # unreadable IDs: lighthouse-guid-format reports them
        key = (grant.principal_id, grant.role_id, grant.eligible)
        if key in first:
            yield first[key], grant, grant.principal_id, grant.role_id
        else:
            first[key] = grant


def _duplicates(resource: Resource, context: Context) -> Iterator[Finding]:
    for first, repeat, principal_id, role_id in _repeats(resource):
        access = "eligible" if first.eligible else "permanent"
        yield Finding(
            repeat.loc,
            f"grants {principal_label(context, principal_id)} {role_label(context, role_id)}, "
            f"{access}, as {format_path(first.loc)} does already; remove one of the two",
            related=first.loc,
        )


DUPLICATE_AUTHORIZATION = Rule(
    name="lighthouse-duplicate-authorization",
    description="An offer grants a principal a role, permanent or eligible, once.",
    severity="low",
    level="advisory",
    remediation="Remove the repeated authorization; keep the one whose settings you mean.",
    facts=("SPEC", "MKT"),
    applies_to=(DEFINITION,),
    check=_duplicates,
    reads=("properties",),
)


AUTHORIZATION_LIMIT = Rule(
    name="lighthouse-authorization-limit",
    description="An offer has at most 20 authorizations, the Marketplace plan limit.",
    severity="low",
    level="advisory",
    remediation="Grant roles to fewer, larger groups, or split the offer in two.",
    facts=("MKT",),
    applies_to=(DEFINITION,),
    check=_limit,
    reads=("properties",),
    tunables=(
        Tunable(
            "maximumAuthorizations",
            {"type": "integer", "minimum": 1, "default": 20},
            "The most authorizations (permanent and eligible) an offer may have.",
        ),
    ),
)


def _delete_role(resource: Resource, context: Context) -> Iterator[Finding]:
    if is_unknown(properties(resource).get("authorizations")):
        return
    if not any(g.role_id == roles.REGISTRATION_DELETE_ROLE for g in grants(resource)):
        yield Finding(
            ("properties", "authorizations"),
            "no authorization grants the Managed Services Registration assignment Delete Role "
            f"({roles.REGISTRATION_DELETE_ROLE}); without it only the customer can remove the delegation",
        )


REGISTRATION_DELETE_ROLE = Rule(
    name="lighthouse-registration-delete-role",
    description="An offer lets the managing tenant remove its own delegation (the Registration Delete Role).",
    severity="low",
    level="advisory",
    remediation="Grant `Managed Services Registration assignment Delete Role` to an administrators group.",
    facts=("TUR", "REM", "MKT"),
    applies_to=(DEFINITION,),
    check=_delete_role,
    reads=("properties",),
)


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


MARKETPLACE_PLAN = Rule(
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
