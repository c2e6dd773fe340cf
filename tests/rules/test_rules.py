"""Every rule, from one compliant baseline, one change per case: the exact rule, place and message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from lighthouse_iac import roles
from lighthouse_iac.policy_engine.settings import Setting
from lighthouse_iac.rules import UNKNOWN, Verdict, evaluate

from .baseline import (
    ALICE,
    APPROVERS,
    ASSIGNMENT_ID,
    AUTOMATION,
    CATALOGUE,
    CUSTOMER,
    LOG_ANALYTICS_CONTRIBUTOR,
    MANAGING,
    MONITORING_CONTRIBUTOR,
    NAMES,
    OPERATORS,
    OTHER_SUBSCRIPTION,
    OTHER_TENANT,
    READERS,
    STORAGE_ACCOUNT_BACKUP_CONTRIBUTOR,
    SUBSCRIPTION,
    Baseline,
    definition_resource_id,
    grant,
)

AUTH = ("properties", "authorizations")
# Sixteen distinct roles that no rule objects to, for the authorization limit.
READER_ROLES = [
    CATALOGUE.by_name(name).id  # type: ignore[union-attr]
    for name in (
        "API Management Workspace Reader",
        "Advisor Reviews Reader",
        "App Compliance Automation Reader",
        "App Configuration Reader",
        "Associated Billing Accounts Reader",
        "Attestation Reader",
        "Azure API Center Service Reader",
        "Azure Business Continuity DUPI Reader",
        "Azure Business Continuity UPI Reader",
        "Azure File Sync Reader",
        "Azure Front Door Domain Reader",
        "Azure Front Door Profile Reader",
        "Azure Front Door Secret Reader",
        "Azure Local Infrastructure Reader",
        "Azure Managed Redis Reader",
        "Azure Migrate Service Reader",
    )
]
ELIG = ("properties", "eligibleAuthorizations")
POLICY = (*ELIG, 0, "justInTimeAccessPolicy")
OWNER_MESSAGE = (
    f"grants Owner ({roles.OWNER}), which Azure Lighthouse never accepts ('restricted for registration'); "
    "grant Contributor or a narrower built-in role"
)


@dataclass(frozen=True)
class Case:
    id: str
    change: Callable[[Baseline], object]
    expected: list[tuple[str, str, str | None, tuple[str | int, ...], str]]
    """(rule, level, resource, loc, message) of every verdict, in registry order."""


def mandatory(
    rule: str, loc: tuple[str | int, ...], message: str, resource: str | None = "definition"
) -> tuple[str, str, str | None, tuple[str | int, ...], str]:
    return (f"lighthouse-{rule}", "mandatory", resource, loc, message)


def advisory(
    rule: str, loc: tuple[str | int, ...], message: str, resource: str | None = "definition"
) -> tuple[str, str, str | None, tuple[str | int, ...], str]:
    return (f"lighthouse-{rule}", "advisory", resource, loc, message)


def set_in(target: dict[str, object], key: str, value: object) -> None:
    target[key] = value


def tune(baseline: Baseline, **values: Any) -> None:
    """Set tunables by their keys in the config file (`maximumActivation`)."""
    baseline.settings = replace(baseline.settings, values={**baseline.settings.values, **values})


def allowed_service_principal(baseline: Baseline) -> None:
    tune(baseline, allowServicePrincipals=True)
    baseline.authorizations.append(grant(AUTOMATION, roles.READER))


def eligible_service_principal(baseline: Baseline) -> None:
    baseline.eligible[0].update(principalId=AUTOMATION, principalIdDisplayName=NAMES[AUTOMATION])


def managed_by_an_allowed_tenant(baseline: Baseline) -> None:
    tune(baseline, allowedTenantIds=(MANAGING, OTHER_TENANT))
    baseline.properties["managedByTenantId"] = OTHER_TENANT


def no_authorizations(baseline: Baseline) -> None:
    baseline.authorizations.clear()
    baseline.eligible.clear()


def unknown_everywhere(baseline: Baseline) -> None:
    """What a preview of a new stack sends: IDs of resources not created yet are unknown."""
    set_in(baseline.assignments[0]["properties"], "registrationDefinitionId", UNKNOWN)
    set_in(baseline.authorizations[0], "principalId", UNKNOWN)
    set_in(baseline.policy, "multiFactorAuthProvider", UNKNOWN)
    set_in(baseline.properties, "managedByTenantId", UNKNOWN)
    set_in(baseline.definition, "scope", UNKNOWN)


CASES = [
    Case("baseline", lambda b: None, []),
    # Owner
    Case(
        "owner-permanent",
        lambda b: set_in(b.authorizations[0], "roleDefinitionId", roles.OWNER),
        [mandatory("no-owner-role", (*AUTH, 0, "roleDefinitionId"), OWNER_MESSAGE)],
    ),
    Case(
        "owner-eligible",
        lambda b: set_in(b.eligible[0], "roleDefinitionId", roles.OWNER),
        [mandatory("no-owner-role", (*ELIG, 0, "roleDefinitionId"), OWNER_MESSAGE)],
    ),
    Case(
        "owner-delegated",
        lambda b: set_in(b.authorizations[2], "delegatedRoleDefinitionIds", [roles.OWNER]),
        [
            mandatory(
                "no-owner-role",
                (*AUTH, 2, "delegatedRoleDefinitionIds", 0),
                OWNER_MESSAGE.replace("grants Owner", "delegates Owner"),
            )
        ],
    ),
    # Roles Lighthouse accepts
    Case(
        "custom-role",
        lambda b: set_in(b.authorizations[0], "roleDefinitionId", "0d6a5c73-7a43-4a4d-9f0b-2e1c4b8f6a55"),
        [
            mandatory(
                "supported-role",
                (*AUTH, 0, "roleDefinitionId"),
                "role 0d6a5c73-7a43-4a4d-9f0b-2e1c4b8f6a55 is not a built-in role of the role catalogue; "
                "Lighthouse accepts only built-in roles (no custom or classic roles). If Microsoft added it "
                "recently, add a newer export to roleCatalogues",
            )
        ],
    ),
    Case(
        "role-with-data-actions",
        lambda b: set_in(b.authorizations[0], "roleDefinitionId", LOG_ANALYTICS_CONTRIBUTOR),
        [
            mandatory(
                "supported-role",
                (*AUTH, 0, "roleDefinitionId"),
                f"Log Analytics Contributor ({LOG_ANALYTICS_CONTRIBUTOR}) has DataActions "
                "(Microsoft.OperationalInsights/workspaces/jobs/export/action), and Lighthouse refuses "
                "roles with DataActions; choose a built-in role without them",
            )
        ],
    ),
    Case(
        "role-with-restricted-actions",
        lambda b: set_in(b.authorizations[0], "roleDefinitionId", STORAGE_ACCOUNT_BACKUP_CONTRIBUTOR),
        [
            mandatory(
                "supported-role",
                (*AUTH, 0, "roleDefinitionId"),
                f"Storage Account Backup Contributor ({STORAGE_ACCOUNT_BACKUP_CONTRIBUTOR}) allows "
                "Microsoft.Authorization/locks/write, Microsoft.Authorization/locks/delete, which Lighthouse "
                "refuses; choose a built-in role without write or delete on Microsoft.Authorization",
            )
        ],
    ),
    Case(
        "delegated-role-with-data-actions",
        lambda b: set_in(b.authorizations[2], "delegatedRoleDefinitionIds", [LOG_ANALYTICS_CONTRIBUTOR]),
        [
            mandatory(
                "supported-role",
                (*AUTH, 2, "delegatedRoleDefinitionIds", 0),
                f"Log Analytics Contributor ({LOG_ANALYTICS_CONTRIBUTOR}) has DataActions "
                "(Microsoft.OperationalInsights/workspaces/jobs/export/action), and Lighthouse refuses "
                "roles with DataActions; choose a built-in role without them",
            )
        ],
    ),
    # User Access Administrator
    Case(
        "uaa-eligible",
        lambda b: set_in(b.eligible[0], "roleDefinitionId", roles.USER_ACCESS_ADMINISTRATOR),
        [
            mandatory(
                "user-access-administrator",
                (*ELIG, 0, "roleDefinitionId"),
                "User Access Administrator cannot be an eligible authorization; grant it permanently, with "
                "delegatedRoles naming the roles it may assign to managed identities",
            )
        ],
    ),
    Case(
        "uaa-without-delegated-roles",
        lambda b: b.authorizations[2].pop("delegatedRoleDefinitionIds"),
        [
            mandatory(
                "user-access-administrator",
                (*AUTH, 2),
                "User Access Administrator needs delegatedRoleDefinitionIds: the built-in roles it may "
                "assign to managed identities (for example for policy remediation)",
            )
        ],
    ),
    Case(
        "uaa-with-empty-delegated-roles",
        lambda b: set_in(b.authorizations[2], "delegatedRoleDefinitionIds", []),
        [
            mandatory(
                "user-access-administrator",
                (*AUTH, 2),
                "User Access Administrator needs delegatedRoleDefinitionIds: the built-in roles it may "
                "assign to managed identities (for example for policy remediation)",
            )
        ],
    ),
    Case(
        "uaa-delegates-uaa",
        lambda b: set_in(
            b.authorizations[2], "delegatedRoleDefinitionIds", [roles.USER_ACCESS_ADMINISTRATOR]
        ),
        [
            mandatory(
                "user-access-administrator",
                (*AUTH, 2, "delegatedRoleDefinitionIds", 0),
                "User Access Administrator cannot be a delegated role; delegate only the roles the managed "
                "identities need",
            )
        ],
    ),
    Case(
        "delegated-roles-on-another-role",
        lambda b: set_in(b.authorizations[1], "delegatedRoleDefinitionIds", [MONITORING_CONTRIBUTOR]),
        [
            mandatory(
                "user-access-administrator",
                (*AUTH, 1, "delegatedRoleDefinitionIds"),
                f"Reader ({roles.READER}) cannot carry delegatedRoleDefinitionIds: only a permanent User "
                "Access Administrator may delegate roles, and Azure refuses them anywhere else; remove "
                "delegatedRoles",
            )
        ],
    ),
    Case(
        "delegated-roles-on-an-eligible-role",
        lambda b: set_in(b.eligible[0], "delegatedRoleDefinitionIds", [MONITORING_CONTRIBUTOR]),
        [
            mandatory(
                "user-access-administrator",
                (*ELIG, 0, "delegatedRoleDefinitionIds"),
                f"Contributor ({roles.CONTRIBUTOR}) cannot carry delegatedRoleDefinitionIds: only a "
                "permanent User Access Administrator may delegate roles, and Azure refuses them anywhere "
                "else; remove delegatedRoles",
            )
        ],
    ),
    # Principals
    Case(
        "unknown-principal",
        lambda b: set_in(b.authorizations[0], "principalId", "51c9c0aa-0a43-4c1b-9d7e-3a1f2b4c5d6e"),
        [
            mandatory(
                "known-principal",
                (*AUTH, 0, "principalId"),
                "principal 51c9c0aa-0a43-4c1b-9d7e-3a1f2b4c5d6e is not in the managing tenant's directory; "
                "declare it under managingTenant.principals with its kind and display name",
            )
        ],
    ),
    Case(
        "directory-unknown",
        lambda b: b.config.pop("managingTenant"),
        [
            mandatory(
                "known-principal",
                ("properties",),
                "the managing tenant's directory is not in this stack's configuration "
                "(lighthouse-iac:managingTenant with its principals), so no principal can be checked; "
                "declare it in Pulumi.yaml or the stack file",
            )
        ],
    ),
    Case(
        "user-principal",
        lambda b: b.authorizations.append(grant(ALICE, roles.READER)),
        [
            mandatory(
                "group-principals",
                (*AUTH, 4, "principalId"),
                "alice (Alice Martin) is a user; grant access to a security group instead, so that staff "
                "changes need no redeployment",
            )
        ],
    ),
    Case(
        "user-approver",
        lambda b: set_in(b.policy, "managedByTenantApprovers", [{"principalId": ALICE}]),
        [
            mandatory(
                "group-principals",
                (*POLICY, "managedByTenantApprovers", 0, "principalId"),
                "alice (Alice Martin) is a user; grant access to a security group instead, so that staff "
                "changes need no redeployment",
            )
        ],
    ),
    Case(
        "service-principal-permanent",
        lambda b: b.authorizations.append(grant(AUTOMATION, roles.READER)),
        [
            mandatory(
                "group-principals",
                (*AUTH, 4, "principalId"),
                "automation (Fabrikam Automation) is a service principal; grant access to a security group, "
                "or allow service principals (allowServicePrincipals: true)",
            )
        ],
    ),
    Case(
        "service-principal-permanent-allowed",
        allowed_service_principal,
        [],
    ),
    Case(
        "display-name-differs",
        lambda b: set_in(b.authorizations[0], "principalIdDisplayName", "Readers (old)"),
        [
            advisory(
                "display-name",
                (*AUTH, 0, "principalIdDisplayName"),
                "display name 'Readers (old)' differs from the directory's 'Fabrikam Lighthouse Readers' "
                "for msp-readers; the customer sees this name in the portal",
            )
        ],
    ),
    # Eligible authorizations
    Case(
        "eligible-mfa-none",
        lambda b: set_in(b.policy, "multiFactorAuthProvider", "None"),
        [
            mandatory(
                "eligible-mfa",
                (*POLICY, "multiFactorAuthProvider"),
                "multi-factor authentication is 'None'; eligible access must require MFA on activation "
                "(multiFactorAuthProvider: Azure, requireMfa: true)",
            )
        ],
    ),
    Case(
        "eligible-without-policy",
        lambda b: b.eligible[0].pop("justInTimeAccessPolicy"),
        [
            mandatory(
                "eligible-mfa",
                (*POLICY, "multiFactorAuthProvider"),
                "multi-factor authentication is absent (the API's default is None); eligible access must "
                "require MFA on activation (multiFactorAuthProvider: Azure, requireMfa: true)",
            )
        ],
    ),
    Case(
        "activation-too-long",
        lambda b: set_in(b.policy, "maximumActivationDuration", "PT9H"),
        [
            mandatory(
                "eligible-activation",
                (*POLICY, "maximumActivationDuration"),
                "activation of up to PT9H is outside PT30M..PT8H; choose a duration within it",
            )
        ],
    ),
    Case(
        "activation-too-short",
        lambda b: set_in(b.policy, "maximumActivationDuration", "PT15M"),
        [
            mandatory(
                "eligible-activation",
                (*POLICY, "maximumActivationDuration"),
                "activation of up to PT15M is outside PT30M..PT8H; choose a duration within it",
            )
        ],
    ),
    Case(
        "activation-not-a-duration",
        lambda b: set_in(b.policy, "maximumActivationDuration", "8 hours"),
        [
            mandatory(
                "eligible-activation",
                (*POLICY, "maximumActivationDuration"),
                "'8 hours' is not an ISO 8601 duration such as PT30M or PT4H",
            )
        ],
    ),
    Case(
        "activation-over-configured-maximum",
        lambda b: tune(b, maximumActivation="PT2H"),
        [
            mandatory(
                "eligible-activation",
                (*POLICY, "maximumActivationDuration"),
                "activation of up to PT4H is outside PT30M..PT2H; choose a duration within it",
            )
        ],
    ),
    Case(
        "eleven-approvers",
        lambda b: set_in(b.policy, "managedByTenantApprovers", [{"principalId": APPROVERS}] * 11),
        [
            mandatory(
                "eligible-approvers",
                (*POLICY, "managedByTenantApprovers"),
                "11 approvers; Azure allows at most 10 per eligible authorization, use a group of approvers "
                "instead",
            )
        ],
    ),
    Case(
        "service-principal-eligible",
        eligible_service_principal,
        [
            mandatory(
                "eligible-no-service-principals",
                (*ELIG, 0, "principalId"),
                "automation (Fabrikam Automation) is a service principal; an eligible principal must be a "
                "user or group (a service principal cannot activate or approve)",
            ),
            advisory(
                "eligible-needs-reader",
                (*ELIG, 0, "principalId"),
                "automation (Fabrikam Automation) is eligible but has no permanent Reader (or a role "
                "including it); add one so that they can find the customer and elevate in the portal",
            ),
        ],
    ),
    Case(
        "service-principal-approver",
        lambda b: set_in(b.policy, "managedByTenantApprovers", [{"principalId": AUTOMATION}]),
        [
            mandatory(
                "eligible-no-service-principals",
                (*POLICY, "managedByTenantApprovers", 0, "principalId"),
                "automation (Fabrikam Automation) is a service principal; an approver must be a user or "
                "group (a service principal cannot activate or approve)",
            )
        ],
    ),
    Case(
        "same-role-other-policy",
        lambda b: b.eligible.append(
            grant(
                READERS,
                roles.CONTRIBUTOR,
                justInTimeAccessPolicy={
                    "multiFactorAuthProvider": "Azure",
                    "maximumActivationDuration": "PT1H",
                },
            )
        ),
        [
            mandatory(
                "eligible-consistent-policy",
                (*ELIG, 1, "justInTimeAccessPolicy"),
                f"Contributor ({roles.CONTRIBUTOR}) is also eligible at eligibleAuthorizations[0] with other "
                "MFA, activation or approver settings; eligible authorizations of one role must share one "
                "policy",
            )
        ],
    ),
    Case(
        "eligible-without-reader",
        lambda b: b.authorizations.pop(1),
        [
            advisory(
                "eligible-needs-reader",
                (*ELIG, 0, "principalId"),
                "msp-operators (Fabrikam Operations Engineers) is eligible but has no permanent Reader (or a "
                "role including it); add one so that they can find the customer and elevate in the portal",
            )
        ],
    ),
    # Tenants and onboarding
    Case(
        "managed-by-customer",
        lambda b: set_in(b.properties, "managedByTenantId", CUSTOMER),
        [
            mandatory(
                "managing-tenant",
                ("properties", "managedByTenantId"),
                f"managedByTenantId {CUSTOMER} is the customer's own tenant; a tenant cannot delegate to "
                "itself",
            )
        ],
    ),
    Case(
        "managed-by-another-tenant",
        lambda b: set_in(b.properties, "managedByTenantId", OTHER_TENANT),
        [
            mandatory(
                "managing-tenant",
                ("properties", "managedByTenantId"),
                f"managedByTenantId {OTHER_TENANT} is not an allowed managing tenant ({MANAGING}); correct "
                "it, or add it to allowedTenantIds",
            )
        ],
    ),
    Case(
        "managed-by-an-allowed-tenant",
        managed_by_an_allowed_tenant,
        [],
    ),
    Case(
        "managing-tenant-missing",
        lambda b: b.properties.pop("managedByTenantId"),
        [
            mandatory(
                "managing-tenant",
                ("properties", "managedByTenantId"),
                "managedByTenantId is missing; a definition must name the managing tenant",
            )
        ],
    ),
    Case(
        "onboarding-guest",
        lambda b: set_in(b.config["onboarding"], "userType", "Guest"),
        [
            mandatory(
                "onboarding-not-guest",
                ("onboarding", "userType"),
                "the onboarding identity 76f7b000-9bd5-41e3-aa58-563670d45b51 is a guest of the customer's "
                "tenant; the delegation must be deployed by a member (non-guest) account of that tenant",
                resource=None,
            )
        ],
    ),
    Case(
        "onboarding-contributor-only",
        lambda b: set_in(b.config["onboarding"], "roles", ["Contributor"]),
        [
            mandatory(
                "onboarding-can-assign-roles",
                ("onboarding", "roles"),
                "the onboarding identity holds Contributor, none of which allows "
                "Microsoft.Authorization/roleAssignments/write; it needs Owner (or another role with that "
                "permission) on the onboarded subscriptions",
                resource=None,
            )
        ],
    ),
    Case(
        "onboarding-user-access-administrator",
        lambda b: set_in(b.config["onboarding"], "roles", ["Contributor", "User Access Administrator"]),
        [],
    ),
    Case("onboarding-default-roles", lambda b: b.config["onboarding"].pop("roles"), []),
    # Scopes
    Case(
        "definition-at-resource-group",
        lambda b: set_in(b.definition, "scope", f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-app"),
        [
            mandatory(
                "definition-scope",
                ("scope",),
                f"scope '/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-app' is not a subscription "
                "(/subscriptions/<GUID>); a definition at resource-group scope fails with "
                "InvalidRegistrationDefinitionUri, put it at the subscription and assign it to the resource "
                "group",
            )
        ],
    ),
    Case(
        "assignment-at-management-group",
        lambda b: set_in(b.assignments[0], "scope", "/providers/Microsoft.Management/managementGroups/mg"),
        [
            mandatory(
                "assignment-scope",
                ("scope",),
                "scope '/providers/Microsoft.Management/managementGroups/mg' is neither a subscription "
                "(/subscriptions/<GUID>) nor one of its resource groups "
                "(/subscriptions/<GUID>/resourceGroups/<name>)",
                resource="assignment-0",
            )
        ],
    ),
    Case(
        "assignment-of-another-subscription",
        lambda b: set_in(
            b.assignments[0]["properties"],
            "registrationDefinitionId",
            definition_resource_id(OTHER_SUBSCRIPTION),
        ),
        [
            mandatory(
                "assignment-scope",
                ("properties", "registrationDefinitionId"),
                f"the definition is in subscription {OTHER_SUBSCRIPTION}, but the assignment is in "
                f"{SUBSCRIPTION}; an assignment names a definition of its own subscription",
                resource="assignment-0",
            )
        ],
    ),
    Case(
        "assignment-of-a-bare-guid",
        lambda b: set_in(
            b.assignments[0]["properties"], "registrationDefinitionId", "5cfe71ea-9ad0-5f75-863c-abe747ea3dcb"
        ),
        [
            mandatory(
                "assignment-scope",
                ("properties", "registrationDefinitionId"),
                "registrationDefinitionId '5cfe71ea-9ad0-5f75-863c-abe747ea3dcb' is not the full resource ID "
                "of a definition (/subscriptions/<GUID>/providers/Microsoft.ManagedServices/"
                "registrationDefinitions/<GUID>)",
                resource="assignment-0",
            )
        ],
    ),
    Case(
        "assignment-twice-at-one-scope",
        lambda b: b.assignments.append(
            {**b.assignments[0], "registrationAssignmentId": "ffb1f6a7-4e2b-4d8c-9a3e-6f5b7c9d1e2f"}
        ),
        [
            mandatory(
                "unique-assignment",
                ("scope",),
                f"scope /subscriptions/{SUBSCRIPTION}/resourceGroups/rg-app already has an assignment of the "
                "same definition (assignment-0); Azure refuses a second one ('Multiple registration "
                "assignments are not allowed'; each offer on a scope needs its own name)",
                resource="assignment-1",
            )
        ],
    ),
    # The offer as a whole
    Case(
        "no-authorizations",
        no_authorizations,
        [
            mandatory(
                "authorization-required",
                AUTH,
                "authorizations is a list; a definition needs at least one permanent authorization",
            ),
            advisory(
                "registration-delete-role",
                AUTH,
                "no authorization grants the Managed Services Registration assignment Delete Role "
                f"({roles.REGISTRATION_DELETE_ROLE}); without it only the customer can remove the delegation",
            ),
        ],
    ),
    Case(
        "plan-without-version",
        lambda b: set_in(
            b.definition, "plan", {"name": "standard", "publisher": "fabrikam", "product": "ops"}
        ),
        [
            mandatory(
                "marketplace-plan",
                ("plan", "version"),
                "plan.version is missing; a Marketplace plan needs all four of name, publisher, product and "
                "version",
            )
        ],
    ),
    Case(
        "plan-complete",
        lambda b: set_in(
            b.definition,
            "plan",
            {"name": "standard", "publisher": "fabrikam", "product": "ops", "version": "1.0.0"},
        ),
        [],
    ),
    Case(
        "delete-role-missing",
        lambda b: b.authorizations.pop(3),
        [
            advisory(
                "registration-delete-role",
                AUTH,
                "no authorization grants the Managed Services Registration assignment Delete Role "
                f"({roles.REGISTRATION_DELETE_ROLE}); without it only the customer can remove the delegation",
            )
        ],
    ),
    Case(
        "twenty-one-authorizations",
        lambda b: b.authorizations.extend(grant(READERS, role) for role in READER_ROLES),
        [
            advisory(
                "authorization-limit",
                AUTH,
                "21 distinct authorizations (permanent and eligible); a Marketplace plan allows at most 20: "
                "group principals, or split the offer",
            )
        ],
    ),
    Case(
        # The limit counts distinct authorizations: sixteen repeats are five, and each repeat is reported.
        "a-repeated-authorization",
        lambda b: b.authorizations.extend(grant(READERS, roles.READER) for _ in range(16)),
        [
            advisory(
                "duplicate-authorization",
                (*AUTH, 4 + i),
                f"grants msp-readers (Fabrikam Lighthouse Readers) Reader ({roles.READER}), permanent, as "
                "properties.authorizations[0] does already; remove one of the two",
            )
            for i in range(16)
        ],
    ),
    Case(
        "contributor-permanent",
        lambda b: set_in(b.authorizations[0], "roleDefinitionId", roles.CONTRIBUTOR),
        [
            advisory(
                "prefer-eligible",
                (*AUTH, 0, "roleDefinitionId"),
                f"Contributor ({roles.CONTRIBUTOR}) is granted permanently; privileged roles are safer as "
                "eligible (just-in-time) authorizations with MFA and approvers, next to a permanent Reader",
            )
        ],
    ),
    # GUIDs
    Case(
        "principal-placeholder",
        lambda b: set_in(b.authorizations[0], "principalId", "00000000-0000-0000-0000-000000000000"),
        [
            mandatory(
                "guid-format",
                (*AUTH, 0, "principalId"),
                "principalId is the all-zero placeholder GUID; put the real ID here",
            )
        ],
    ),
    Case(
        "tenant-placeholder",
        lambda b: set_in(b.properties, "managedByTenantId", "<insert managing tenant id>"),
        [
            mandatory(
                "guid-format",
                ("properties", "managedByTenantId"),
                "managedByTenantId '<insert managing tenant id>' is a placeholder; put the real ID here",
            )
        ],
    ),
    Case(
        "role-as-resource-id",
        lambda b: set_in(
            b.authorizations[0],
            "roleDefinitionId",
            f"/providers/Microsoft.Authorization/roleDefinitions/{roles.READER}",
        ),
        [
            mandatory(
                "guid-format",
                (*AUTH, 0, "roleDefinitionId"),
                f"roleDefinitionId is a resource ID; Lighthouse expects the bare role GUID {roles.READER}",
            )
        ],
    ),
    Case(
        "approver-placeholder",
        lambda b: set_in(b.policy, "managedByTenantApprovers", [{"principalId": "<approvers group>"}]),
        [
            mandatory(
                "guid-format",
                (*POLICY, "managedByTenantApprovers", 0, "principalId"),
                "principalId '<approvers group>' is a placeholder; put the real ID here",
            )
        ],
    ),
    Case(
        "role-placeholder-guid",
        lambda b: set_in(b.authorizations[0], "roleDefinitionId", "00000000-0000-0000-0000-000000000000"),
        [
            mandatory(
                "guid-format",
                (*AUTH, 0, "roleDefinitionId"),
                "roleDefinitionId is the all-zero placeholder GUID; put the real ID here",
            )
        ],
    ),
    Case(
        "delegated-role-as-resource-id",
        lambda b: set_in(
            b.authorizations[2],
            "delegatedRoleDefinitionIds",
            [f"/providers/Microsoft.Authorization/roleDefinitions/{MONITORING_CONTRIBUTOR}"],
        ),
        [
            mandatory(
                "guid-format",
                (*AUTH, 2, "delegatedRoleDefinitionIds", 0),
                "delegatedRoleDefinitionIds is a resource ID; Lighthouse expects the bare role GUID "
                f"{MONITORING_CONTRIBUTOR}",
            )
        ],
    ),
    Case(
        "principal-missing",
        lambda b: b.authorizations[0].pop("principalId"),
        [mandatory("guid-format", (*AUTH, 0, "principalId"), "principalId is missing; expected a GUID")],
    ),
    Case(
        "assignment-id-not-a-guid",
        lambda b: set_in(b.assignments[0], "registrationAssignmentId", "ops-rg-app"),
        [
            mandatory(
                "guid-format",
                ("registrationAssignmentId",),
                "registrationAssignmentId 'ops-rg-app' is not a GUID; expected 8-4-4-4-12 hexadecimal digits",
                resource="assignment-0",
            )
        ],
    ),
    # Values unknown at preview are never judged
    Case(
        "unknown-values",
        unknown_everywhere,
        [],
    ),
]


def verdicts(baseline: Baseline) -> list[Verdict]:
    return evaluate(baseline.resources(), baseline.context())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule(case: Case) -> None:
    baseline = Baseline()
    case.change(baseline)
    found = [(v.rule, v.level, v.resource, v.loc, v.message) for v in verdicts(baseline)]
    assert found == case.expected


def test_levels_follow_the_settings() -> None:
    baseline = Baseline()
    baseline.authorizations.pop(3)  # registration-delete-role, advisory by default
    rule = "lighthouse-registration-delete-role"
    assert [(v.rule, v.level) for v in verdicts(baseline)] == [(rule, "advisory")]
    baseline.settings = replace(baseline.settings, levels={rule: "mandatory"})
    assert [(v.rule, v.level) for v in verdicts(baseline)] == [(rule, "mandatory")]
    baseline.settings = replace(baseline.settings, levels={rule: "disabled"})
    assert verdicts(baseline) == []


def test_all_level_applies_where_no_rule_has_its_own() -> None:
    baseline = Baseline()
    baseline.authorizations.pop(3)  # registration-delete-role, advisory by default
    baseline.authorizations[0]["roleDefinitionId"] = roles.OWNER
    baseline.settings = replace(
        baseline.settings, all_level="mandatory", levels={"lighthouse-registration-delete-role": "advisory"}
    )
    assert sorted((v.rule, v.level) for v in verdicts(baseline)) == [
        ("lighthouse-no-owner-role", "mandatory"),
        ("lighthouse-registration-delete-role", "advisory"),
    ]


@pytest.mark.parametrize("level", ["advisory", "disabled"])
def test_the_rules_the_delegations_rest_on_stay_mandatory(level: Setting) -> None:
    # Settings are a file a pull request can change: Owner must fail whatever it says (docs/security.md).
    baseline = Baseline()
    baseline.authorizations[0]["roleDefinitionId"] = roles.OWNER
    baseline.settings = replace(
        baseline.settings, all_level=level, levels={"lighthouse-no-owner-role": level}
    )
    assert [(v.rule, v.level) for v in verdicts(baseline)] == [("lighthouse-no-owner-role", "mandatory")]


def test_assignment_ids_unused_by_cases_are_guids() -> None:
    # The baseline's own IDs must pass the GUID rule, or every case above would carry its verdict.
    assert ASSIGNMENT_ID.count("-") == 4 and OPERATORS.count("-") == 4
