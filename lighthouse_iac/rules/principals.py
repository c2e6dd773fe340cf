"""Rules on who is granted access: principals the directory knows, groups rather than users."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import grants, guid, principal_label
from ..policy_engine.model import DEFINITION, Context, Finding, Loc, Resource, Rule, Tunable
from ..policy_engine.shape import text


def _principal_refs(resource: Resource) -> Iterator[tuple[Loc, str, bool]]:
    """`(loc of principalId, object ID, permanent)` for every principal and approver of a definition."""
    for grant in grants(resource):
        principal = grant.principal_id
        if principal is not None:
            yield (*grant.loc, "principalId"), principal, not grant.eligible
        for loc, approver in grant.approvers():
            found = guid(approver.get("principalId"))
            if found is not None:
                yield (*loc, "principalId"), found, False


def _known(resource: Resource, context: Context) -> Iterator[Finding]:
    if context.principals is None:
        # Fail closed: without the directory no principal can be judged (users, service principals).
        yield Finding(
            ("properties",),
            "the managing tenant's directory is not in this stack's configuration "
            "(lighthouse-iac:managingTenant with its principals), so no principal can be checked; "
            "declare it in Pulumi.yaml or the stack file",
        )
        return
    for loc, principal, _ in _principal_refs(resource):
        if context.principal(principal) is None:
            yield Finding(
                loc,
                f"principal {principal} is not in the managing tenant's directory; declare it under "
                "managingTenant.principals with its kind and display name",
            )


KNOWN_PRINCIPAL = Rule(
    name="lighthouse-known-principal",
    description="Every principal and approver is declared in the managing tenant's directory.",
    severity="high",
    level="mandatory",
    remediation=(
        "Add the principal to `managingTenant.principals` in Pulumi.yaml (objectId, kind, displayName), "
        "or correct the object ID."
    ),
    facts=("TUR",),
    applies_to=(DEFINITION,),
    check=_known,
    reads=("properties",),
    locked=True,
)


def _groups(resource: Resource, context: Context) -> Iterator[Finding]:
    allow_sp = context.settings.allow_service_principals
    for loc, principal, permanent in _principal_refs(resource):
        found = context.principal(principal)
        if found is None:
            continue
        if found.kind == "user":
            yield Finding(
                loc,
                f"{principal_label(context, principal)} is a user; grant access to a security group "
                "instead, so that staff changes need no redeployment",
            )
        elif found.kind == "servicePrincipal" and permanent and not allow_sp:
            yield Finding(
                loc,
                f"{principal_label(context, principal)} is a service principal; grant access to a "
                "security group, or allow service principals (allowServicePrincipals: true)",
            )


GROUP_PRINCIPALS = Rule(
    name="lighthouse-group-principals",
    description=(
        "Access goes to security groups: individual users are refused, and service principals "
        "unless allowed by configuration."
    ),
    severity="high",
    level="mandatory",
    remediation=(
        "Create a security group in the managing tenant, add the user to it, declare the group in "
        "`managingTenant.principals` and grant the role to the group."
    ),
    facts=("TUR", "ONB"),
    applies_to=(DEFINITION,),
    check=_groups,
    reads=("properties",),
    tunables=(
        Tunable(
            "allowServicePrincipals",
            {"type": "boolean", "default": False},
            "Allow service principals in permanent authorizations (automation accounts).",
        ),
    ),
    locked=True,
)


def _display_names(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in grants(resource):
        targets = [(grant.loc, grant.entry), *grant.approvers()]
        for loc, entry in targets:
            principal = guid(entry.get("principalId"))
            found = context.principal(principal) if principal else None
            shown = text(entry.get("principalIdDisplayName"))
            if found is None or shown is None or found.display_name is None:
                continue
            if shown != found.display_name:
                yield Finding(
                    (*loc, "principalIdDisplayName"),
                    f"display name '{shown}' differs from the directory's '{found.display_name}' "
                    f"for {found.name}; the customer sees this name in the portal",
                )


DISPLAY_NAME = Rule(
    name="lighthouse-display-name",
    description="Display names shown to the customer match the managing tenant's directory.",
    severity="low",
    level="advisory",
    remediation="Correct `displayName` in `managingTenant.principals`, or the name in the template.",
    facts=("SPEC",),
    applies_to=(DEFINITION,),
    check=_display_names,
    reads=("properties",),
)
