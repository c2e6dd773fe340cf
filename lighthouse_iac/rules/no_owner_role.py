"""Owner is never granted, neither permanently, nor as eligible, nor as a delegated role."""

from __future__ import annotations

from collections.abc import Iterator

from .. import roles
from ..policy_engine.grants import grants, role_refs
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule


def _no_owner(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in grants(resource, context):
        for loc, role_id in role_refs(grant):
            if role_id == roles.OWNER:
                what = "delegates" if "delegatedRoleDefinitionIds" in loc else "grants"
                yield Finding(
                    loc,
                    f"{what} Owner ({roles.OWNER}), which Azure Lighthouse never accepts "
                    "('restricted for registration'); grant Contributor or a narrower built-in role",
                )


RULE = Rule(
    name="lighthouse-no-owner-role",
    description="Owner is never granted, neither permanently, nor as eligible, nor as a delegated role.",
    severity="critical",
    level="mandatory",
    remediation=(
        "Replace Owner with the narrowest built-in role that does the job (Contributor at most); "
        "to let staff assign roles to managed identities, use User Access Administrator with delegatedRoles."
    ),
    facts=("TUR",),
    applies_to=(DEFINITION,),
    check=_no_owner,
    reads=("properties",),
    locked=True,
)
