"""The onboarding identity judged against the stack file: each way it falls short, with the fix."""

from __future__ import annotations

from ..models import LighthouseConfig, Onboarding
from ..roles import ROLE_ASSIGNMENTS_WRITE
from .observed import EXTERNAL_MARK, Finding, Identity, Observation, SubscriptionAccess, shown
from .permissions import assess, describe_permissions, listed


def _grant_fix(identity: Identity, subscription_id: str) -> str:
    scope = f"/subscriptions/{subscription_id}"
    return (
        f"have the customer assign it Owner (or User Access Administrator) on {scope}: az role assignment "
        f"create --assignee-object-id {identity.object_id} --role Owner --scope {scope}"
    )


def _unread_finding(identity: Identity, access: SubscriptionAccess, subject: str) -> Finding:
    if access.status == 403:
        return Finding(
            subject,
            f"Azure refused to list its permissions there ({access.error}): it holds no role there that may "
            "read them, so none that may assign roles",
            _grant_fix(identity, access.subscription_id)
            + "; if the subscription is not the customer's, correct the stack file",
        )
    if access.status == 429:
        return Finding(
            subject,
            f"Azure kept throttling the permissions request ({access.error}), so its right to assign roles "
            "is unproven",
            "run again in a few minutes (ARM's limits: learn.microsoft.com/azure/azure-resource-manager/"
            "management/request-limits-and-throttling)",
        )
    return Finding(
        subject,
        f"its permissions there could not be read ({access.error}), so its right to assign roles is unproven",
        "check the subscription ID and the network path to Azure Resource Manager, then run again",
    )


def _permission_finding(
    onboarding: Onboarding | None, identity: Identity, access: SubscriptionAccess, *, admin_agent: bool
) -> Finding | None:
    subject = f"subscription {access.subscription_id}"
    if access.error is not None:
        return _unread_finding(identity, access, subject)
    verdict = assess(access.permissions)
    if verdict.allowed:
        return None
    if verdict.removed_by:
        found = (
            f"{ROLE_ASSIGNMENTS_WRITE} is granted by {listed(verdict.granted_by)} but removed by "
            f"notActions {listed(verdict.removed_by)}"
        )
    else:
        found = f"{ROLE_ASSIGNMENTS_WRITE} is not among its permissions"
    if onboarding is not None:
        declared = f"; the stack file declares roles {', '.join(shown(r, 80) for r in onboarding.roles)}"
    elif admin_agent:
        declared = "; an Admin Agent holds Owner through AOBO on subscriptions created through CSP"
    else:
        declared = ""
    return Finding(
        subject,
        f"{found} (it holds {describe_permissions(access.permissions)}{declared})",
        _grant_fix(identity, access.subscription_id)
        + (
            "; or, under AOBO, check that the partner's Admin Agents still hold Owner there (a customer can "
            "remove that assignment, the 'Foreign principal' in the subscription's access control)"
            if admin_agent
            else ""
        ),
    )


def _directory_findings(tenant: str, onboarding: Onboarding, identity: Identity) -> list[Finding]:
    subject = f"user {identity.object_id}"
    if identity.directory_error is not None:
        return [
            Finding(
                subject,
                f"Microsoft Graph did not answer /me ({identity.directory_error}), so whether it is a guest "
                "of the customer's tenant is unknown",
                "sign in with a client that may read the signed-in user (Graph's User.Read, which the Azure "
                "CLI holds), or run again if Graph was throttling",
            )
        ]
    found: list[Finding] = []
    member_fix = (
        f"deploy as a member account of tenant {tenant} (or a service principal of it) and declare that "
        "identity under lighthouse-iac:onboarding"
    )
    user_type = shown(identity.user_type or "(none)", 40)
    upn = shown(identity.user_principal_name or "", 200)
    if (identity.user_type or "").casefold() != "member":
        found.append(
            Finding(
                subject,
                f"Microsoft Graph reports userType {user_type} ({upn}): not a member of the customer's "
                f"tenant, and a guest must not onboard it (the stack file declares {onboarding.user_type})",
                member_fix,
            )
        )
    elif EXTERNAL_MARK.casefold() in upn.casefold():
        found.append(
            Finding(
                subject,
                f"its userPrincipalName {upn} carries {EXTERNAL_MARK}, the mark of an identity invited from "
                "another tenant, although Microsoft Graph reports userType Member",
                member_fix,
            )
        )
    elif onboarding.user_type != "Member":
        found.append(
            Finding(
                subject,
                "Microsoft Graph reports userType Member, but the stack file declares "
                f"{onboarding.user_type}",
                "set lighthouse-iac:onboarding.userType to Member (the stack file should say the truth)",
            )
        )
    return found


def findings(
    config: LighthouseConfig,
    observed: Observation,
    *,
    admin_agent: bool = False,
    engine_identity: tuple[str, str] | None = None,
) -> list[Finding]:
    """Everything that stops `observed.identity` from onboarding this customer; empty when nothing does.

    `engine_identity` is the (tenant, object) Pulumi signed in as: the check must have read the same one.
    `admin_agent`: the deployer check accepted a CSP Admin Agent under AOBO; only the permission applies.
    """
    identity = observed.identity
    found: list[Finding] = []
    if engine_identity is not None:
        tenant, who = (engine_identity[0] or "").lower(), (engine_identity[1] or "").lower()
        if (identity.tenant_id, identity.object_id) != (tenant, who):
            found.append(
                Finding(
                    "sign-in",
                    f"the live check signed in as object {identity.object_id} in tenant "
                    f"{identity.tenant_id}, but Pulumi as object {who or '(none)'} in tenant "
                    f"{tenant or '(none)'}",
                    "give both the same sign-in (the ARM_* variables or azure-native:* settings, else `az "
                    "login`); docs/operations.md",
                )
            )
            return found  # what was read is about another identity: nothing else in it applies
    # An Admin Agent is a principal of the partner's tenant, not the stack's declared identity.
    onboarding = None if admin_agent else config.onboarding
    if onboarding is not None and identity.kind != onboarding.kind:
        found.append(
            Finding(
                f"{identity.kind} {identity.object_id}",
                f"the signed-in identity is a {identity.kind}, but the stack file declares onboarding.kind "
                f"{onboarding.kind}",
                f"set lighthouse-iac:onboarding.kind to {identity.kind} (the stack file should say the "
                "truth)",
            )
        )
    for access in observed.subscriptions:
        finding = _permission_finding(onboarding, identity, access, admin_agent=admin_agent)
        if finding is not None:
            found.append(finding)
    if onboarding is not None and identity.kind == "user":
        found += _directory_findings(config.customer.tenant_id, onboarding, identity)
    return found


def summary(observed: Observation, *, admin_agent: bool = False) -> list[str]:
    """What was read, one line each, for `whoami` and the program's log."""
    identity = observed.identity
    lines = [f"signed in as {identity.kind} {identity.object_id} in tenant {identity.tenant_id}"]
    if admin_agent:
        lines.append(
            "CSP Admin Agent under AOBO: checked for Microsoft.Authorization/roleAssignments/write only; "
            "guest status does not apply to a principal of the partner's tenant"
        )
    elif identity.kind == "servicePrincipal":
        lines.append("a service principal or managed identity: not a guest by nature")
    elif identity.directory_error is None:
        lines.append(
            f"Microsoft Graph /me: userType {shown(identity.user_type or '(none)', 40)}, "
            f"userPrincipalName {shown(identity.user_principal_name or '(none)', 200)}"
        )
    for access in observed.subscriptions:
        if access.error is not None:
            state = f"unread ({access.error})"
        else:
            verdict = assess(access.permissions)
            state = ("may" if verdict.allowed else "may NOT") + " assign roles"
            state += f" ({describe_permissions(access.permissions)})"
        lines.append(f"subscription {access.subscription_id}: {state}")
    return lines
