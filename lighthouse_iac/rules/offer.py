"""Rules on an offer as a whole: its authorizations list and its Marketplace plan."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .. import roles
from .grants import grants, properties
from .model import DEFINITION, Context, Finding, Resource, Rule, Tunable
from .shape import describe, is_unknown, length, text

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
    total = sum(c or 0 for c in counts)
    maximum = context.settings.maximum_authorizations
    if total > maximum:
        yield Finding(
            ("properties", "authorizations"),
            f"{total} authorizations (permanent and eligible); a Marketplace plan allows at most "
            f"{maximum}: group principals, or split the offer",
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
