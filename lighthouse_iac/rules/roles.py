"""Rules on the roles a definition grants: never Owner, only roles Lighthouse accepts, UAA only as allowed."""

from __future__ import annotations

from collections.abc import Iterator

from .. import roles
from ..policy_engine.grants import Grant, grants, role_label
from ..policy_engine.model import DEFINITION, Context, Finding, Loc, Resource, Rule, Tunable
from ..policy_engine.shape import is_unknown, length

_SPECIAL = (roles.OWNER, roles.USER_ACCESS_ADMINISTRATOR)


def _role_refs(grant: Grant) -> Iterator[tuple[Loc, str | None]]:
    """The grant's role, then each delegated role, with their key paths."""
    yield (*grant.loc, "roleDefinitionId"), grant.role_id
    yield from grant.delegated()


def _no_owner(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in grants(resource):
        for loc, role_id in _role_refs(grant):
            if role_id == roles.OWNER:
                what = "delegates" if "delegatedRoleDefinitionIds" in loc else "grants"
                yield Finding(
                    loc,
                    f"{what} Owner ({roles.OWNER}), which Azure Lighthouse never accepts "
                    "('restricted for registration'); grant Contributor or a narrower built-in role",
                )


NO_OWNER = Rule(
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


def _supported(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in grants(resource):
        for loc, role_id in _role_refs(grant):
            if role_id is None or role_id in _SPECIAL:
                continue  # not a GUID (lighthouse-guid-format), or Owner/UAA (their own rules)
            role, summary = context.catalogue.by_id(role_id), context.catalogue.summary(role_id)
            if role is None or summary is None:
                yield Finding(
                    loc,
                    f"role {role_id} is not a built-in role of the role catalogue; Lighthouse accepts only "
                    "built-in roles (no custom or classic roles). If Microsoft added it recently, add a "
                    "newer export to roleCatalogues",
                )
            elif role.data_actions:
                yield Finding(
                    loc,
                    f"{role_label(context, role_id)} has DataActions ({role.data_actions[0]}"
                    f"{', ...' if len(role.data_actions) > 1 else ''}), and Lighthouse refuses roles with "
                    "DataActions; choose a built-in role without them",
                )
            elif restricted := summary.restricted:
                yield Finding(
                    loc,
                    f"{role_label(context, role_id)} allows {', '.join(restricted)}, which Lighthouse "
                    "refuses; choose a built-in role without write or delete on Microsoft.Authorization",
                )


SUPPORTED_ROLE = Rule(
    name="lighthouse-supported-role",
    description=(
        "Every role granted or delegated is a built-in role that Lighthouse accepts: known to the role "
        "catalogue, without DataActions and without restricted Microsoft.Authorization actions."
    ),
    severity="high",
    level="mandatory",
    remediation=(
        "Pick another built-in role: `az role definition list --name <role>` shows its permissions. "
        "Roles change when Microsoft adds DataActions; refresh the catalogue with a new export "
        "(roleCatalogues in Pulumi.yaml)."
    ),
    facts=("TUR", "SAMPLES"),
    applies_to=(DEFINITION,),
    check=_supported,
    reads=("properties",),
    locked=True,
)


def _uaa(resource: Resource, context: Context) -> Iterator[Finding]:
    uaa = roles.USER_ACCESS_ADMINISTRATOR
    for grant in grants(resource):
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


USER_ACCESS_ADMINISTRATOR = Rule(
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


def _privileged_ids(context: Context) -> set[str]:
    found = {context.catalogue.resolve(ref) for ref in context.settings.privileged_roles}
    return {r.id for r in found if r is not None} | {
        ref.lower() for ref in context.settings.privileged_roles if context.catalogue.resolve(ref) is None
    }


def _prefer_eligible(resource: Resource, context: Context) -> Iterator[Finding]:
    privileged: set[str] | None = None  # resolved only when a definition has permanent grants
    for grant in grants(resource):
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


PREFER_ELIGIBLE = Rule(
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
    tunables=(
        Tunable(
            "privilegedRoles",
            {"type": "array", "items": {"type": "string", "minLength": 1}, "default": ["Contributor"]},
            "Role names or GUIDs treated as privileged, besides any role whose Actions include `*`.",
        ),
    ),
)
