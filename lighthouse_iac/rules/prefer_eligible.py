"""Privileged roles (Contributor and the like) are granted as eligible, not permanent, access."""

from __future__ import annotations

from collections.abc import Iterator

from .. import roles
from ..policy_engine.grants import grants, role_label
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.tunables import Tunable, names

_SPECIAL = (roles.OWNER, roles.USER_ACCESS_ADMINISTRATOR)


PRIVILEGED_ROLES: Tunable[tuple[str, ...]] = Tunable(
    "privilegedRoles",
    default=("Contributor",),
    value_schema={"type": "array", "items": {"type": "string", "minLength": 1}},
    description="Role names or GUIDs treated as privileged, besides any role whose Actions include `*`.",
    parse=names,
)


def _privileged_ids(context: Context) -> set[str]:
    refs = context.settings.value(PRIVILEGED_ROLES)
    found = {context.catalogue.resolve(ref) for ref in refs}
    return {r.id for r in found if r is not None} | {
        ref.lower() for ref in refs if context.catalogue.resolve(ref) is None
    }


def _prefer_eligible(resource: Resource, context: Context) -> Iterator[Finding]:
    privileged: set[str] | None = None  # resolved only when a definition has permanent grants
    for grant in grants(resource, context):
        role_id = grant.role_id
        if grant.eligible or role_id is None or role_id in _SPECIAL:
            continue
        role = context.catalogue.by_id(role_id)
        if privileged is None:
            privileged = _privileged_ids(context)
        if role_id in privileged or (role is not None and "*" in role.actions):
            yield Finding(
                (*grant.loc, "roleDefinitionId"),
                f"{role_label(context, role_id)} is granted permanently; privileged roles are safer as "
                "eligible (just-in-time) authorizations with MFA and approvers, next to a permanent Reader",
            )


RULE = Rule(
    name="lighthouse-prefer-eligible",
    description="Privileged roles (Contributor and the like) are granted as eligible, not permanent, access.",
    severity="medium",
    level="advisory",
    remediation=(
        "Move the authorization to `eligibleAuthorizations` (with requireMfa and approvers) and keep a "
        "permanent Reader for the same principal; or tune `privilegedRoles` if permanent access is intended."
    ),
    facts=("ELIG",),
    applies_to=(DEFINITION,),
    check=_prefer_eligible,
    reads=("properties",),
    tunables=(PRIVILEGED_ROLES,),
)
