"""An eligible authorization has at most 10 approvers."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import eligible_grants
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import length

MAX_APPROVERS = 10  # ELIG


def _approvers(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in eligible_grants(resource, context):
        count = length(grant.policy.get("managedByTenantApprovers"))
        if count is not None and count > MAX_APPROVERS:
            yield Finding(
                (*grant.loc, "justInTimeAccessPolicy", "managedByTenantApprovers"),
                f"{count} approvers; Azure allows at most {MAX_APPROVERS} per eligible authorization, "
                "use a group of approvers instead",
            )


RULE = Rule(
    name="lighthouse-eligible-approvers",
    description="An eligible authorization has at most 10 approvers.",
    severity="medium",
    level="mandatory",
    remediation="Put the approvers in a security group and name that group as the approver.",
    facts=("ELIG",),
    applies_to=(DEFINITION,),
    check=_approvers,
    reads=("properties",),
)
