"""Eligible principals and approvers are never service principals."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import eligible_grants, principal_label
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule


def _no_service_principals(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in eligible_grants(resource, context):
        refs = [((*grant.loc, "principalId"), grant.principal_id, "eligible principal")]
        refs += [((*loc, "principalId"), found, "approver") for loc, _, found in grant.approver_refs()]
        for loc, principal, what in refs:
            found = context.principal(principal) if principal else None
            if found is not None and found.kind == "servicePrincipal" and principal:
                yield Finding(
                    loc,
                    f"{principal_label(context, principal)} is a service principal; an {what} must be "
                    "a user or group (a service principal cannot activate or approve)",
                )


RULE = Rule(
    name="lighthouse-eligible-no-service-principals",
    description="Eligible principals and approvers are never service principals.",
    severity="high",
    level="mandatory",
    remediation="Grant service principals permanent access instead, or name a security group.",
    facts=("ELIG",),
    applies_to=(DEFINITION,),
    check=_no_service_principals,
    reads=("properties",),
)
