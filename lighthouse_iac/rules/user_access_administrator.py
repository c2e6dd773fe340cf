"""User Access Administrator is only granted permanently, only with delegated roles, and is never itself
delegated; no other role carries delegated roles."""

from __future__ import annotations

from collections.abc import Iterator

from .. import roles
from ..policy_engine.grants import grants, role_label
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import is_unknown, length


def _uaa(resource: Resource, context: Context) -> Iterator[Finding]:
    uaa = roles.USER_ACCESS_ADMINISTRATOR
    for grant in grants(resource, context):
        if grant.role_id == uaa and grant.eligible:
            yield Finding(
                (*grant.loc, "roleDefinitionId"),
                "User Access Administrator cannot be an eligible authorization; grant it permanently, "
                "with delegatedRoles naming the roles it may assign to managed identities",
            )
        elif grant.role_id == uaa:
            delegated = grant.entry.get("delegatedRoleDefinitionIds")
            if not is_unknown(delegated) and not length(delegated):
                yield Finding(
                    grant.loc,
                    "User Access Administrator needs delegatedRoleDefinitionIds: the built-in roles it "
                    "may assign to managed identities (for example for policy remediation)",
                )
        delegated = grant.entry.get("delegatedRoleDefinitionIds")
        if (
            grant.role_id != uaa
            and delegated is not None
            and not is_unknown(grant.entry.get("roleDefinitionId"))
        ):
            what = role_label(context, grant.role_id) if grant.role_id else "this role"
            yield Finding(
                (*grant.loc, "delegatedRoleDefinitionIds"),
                f"{what} cannot carry delegatedRoleDefinitionIds: only a permanent User Access "
                "Administrator may delegate roles, and Azure refuses them anywhere else; "
                "remove delegatedRoles",
            )
        for loc, role_id in grant.delegated():
            if role_id == uaa:
                yield Finding(
                    loc,
                    "User Access Administrator cannot be a delegated role; delegate only the roles "
                    "the managed identities need",
                )


RULE = Rule(
    name="lighthouse-user-access-administrator",
    description=(
        "User Access Administrator is only granted permanently, only with delegated roles, "
        "and is never itself delegated; no other role carries delegated roles."
    ),
    severity="high",
    level="mandatory",
    remediation=(
        "Grant User Access Administrator in `authorizations` (not eligible) with `delegatedRoles` "
        "listing the built-in roles to assign to managed identities; never Owner or UAA among them."
    ),
    facts=("ONB", "POLREM", "SPEC"),
    applies_to=(DEFINITION,),
    check=_uaa,
    reads=("properties",),
    locked=True,
)
