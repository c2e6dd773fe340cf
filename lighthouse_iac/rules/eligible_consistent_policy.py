"""Eligible authorizations of the same role share the same just-in-time policy."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import DEFAULT_ACTIVATION, Grant, eligible_grants, role_label
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import is_unknown


def _policy_key(grant: Grant) -> tuple[object, object, tuple[str, ...]]:
    policy = grant.policy
    approvers = tuple(sorted(found or "?" for found in grant.approver_ids))
    return (
        policy.get("multiFactorAuthProvider", "None"),
        policy.get("maximumActivationDuration", DEFAULT_ACTIVATION),
        approvers,
    )


def _consistent(resource: Resource, context: Context) -> Iterator[Finding]:
    first: dict[str, Grant] = {}
    for grant in eligible_grants(resource, context):
        role_id = grant.role_id
        if role_id is None or is_unknown(grant.entry.get("justInTimeAccessPolicy")):
            continue
        earlier = first.setdefault(role_id, grant)
        if earlier is not grant and _policy_key(earlier) != _policy_key(grant):
            index = earlier.loc[-1]
            yield Finding(
                (*grant.loc, "justInTimeAccessPolicy"),
                f"{role_label(context, role_id)} is also eligible at eligibleAuthorizations[{index}] with "
                "other MFA, activation or approver settings; eligible authorizations of one role must "
                "share one policy",
            )


RULE = Rule(
    name="lighthouse-eligible-consistent-policy",
    description="Eligible authorizations of the same role share the same just-in-time policy.",
    severity="medium",
    level="mandatory",
    remediation="Give every eligible authorization of the role the same requireMfa, maximumActivation and "
    "approvers.",
    facts=("ELIG",),
    applies_to=(DEFINITION,),
    check=_consistent,
    reads=("properties",),
)
