"""Rules on eligible (just-in-time) authorizations (ELIG)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import durations
from ..policy_engine.grants import Grant, grants, guid, principal_label, role_label
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule, Tunable
from ..policy_engine.settings import ACTIVATION_PATTERN
from ..policy_engine.shape import describe, is_unknown, length

MAX_APPROVERS = 10  # ELIG
DEFAULT_ACTIVATION = "PT8H"  # SPEC: the API's default when maximumActivationDuration is absent


def _eligible(resource: Resource) -> Iterator[Grant]:
    return (g for g in grants(resource) if g.eligible)


def _mfa(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in _eligible(resource):
        policy_value = grant.entry.get("justInTimeAccessPolicy")
        provider = grant.policy.get("multiFactorAuthProvider")
        if is_unknown(policy_value) or is_unknown(provider):
            continue
        if provider != "Azure":
            where = (*grant.loc, "justInTimeAccessPolicy", "multiFactorAuthProvider")
            found = "absent (the API's default is None)" if provider is None else describe(provider)
            yield Finding(
                where,
                f"multi-factor authentication is {found}; eligible access must require MFA on "
                "activation (multiFactorAuthProvider: Azure, requireMfa: true)",
            )


ELIGIBLE_MFA = Rule(
    name="lighthouse-eligible-mfa",
    description="Every eligible authorization requires multi-factor authentication to activate.",
    severity="high",
    level="mandatory",
    remediation="Set `requireMfa: true` (multiFactorAuthProvider `Azure`) on the eligible authorization.",
    facts=("ELIG", "SPEC"),
    applies_to=(DEFINITION,),
    check=_mfa,
    reads=("properties",),
)


def _activation(resource: Resource, context: Context) -> Iterator[Finding]:
    limit = durations.parse_minutes(context.settings.maximum_activation) or durations.MAX_ACTIVATION_MINUTES
    limit = min(limit, durations.MAX_ACTIVATION_MINUTES)
    for grant in _eligible(resource):
        value: Any = grant.policy.get("maximumActivationDuration", DEFAULT_ACTIVATION)
        if is_unknown(value) or is_unknown(grant.entry.get("justInTimeAccessPolicy")):
            continue
        minutes = durations.parse_minutes(value) if isinstance(value, str) else None
        loc = (*grant.loc, "justInTimeAccessPolicy", "maximumActivationDuration")
        allowed = f"PT30M..{durations.format_minutes(limit)}"
        if minutes is None:
            yield Finding(loc, f"{describe(value)} is not an ISO 8601 duration such as PT30M or PT4H")
        elif not durations.MIN_ACTIVATION_MINUTES <= minutes <= limit:
            yield Finding(
                loc, f"activation of up to {value} is outside {allowed}; choose a duration within it"
            )


ELIGIBLE_ACTIVATION = Rule(
    name="lighthouse-eligible-activation",
    description="Eligible access activates for PT30M at least and at most the configured maximum (PT8H).",
    severity="medium",
    level="mandatory",
    remediation="Set `maximumActivation` between PT30M and the maximum, in half-hour steps (ELIG).",
    facts=("ELIG",),
    applies_to=(DEFINITION,),
    check=_activation,
    reads=("properties",),
    tunables=(
        Tunable(
            "maximumActivation",
            {"type": "string", "pattern": ACTIVATION_PATTERN, "default": "PT8H"},
            (
                "The longest activation allowed, an ISO 8601 duration within PT30M..PT8H: PT<h>H, "
                "PT<h>H<m>M or PT<m>M."
            ),
        ),
    ),
)


def _approvers(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in _eligible(resource):
        count = length(grant.policy.get("managedByTenantApprovers"))
        if count is not None and count > MAX_APPROVERS:
            yield Finding(
                (*grant.loc, "justInTimeAccessPolicy", "managedByTenantApprovers"),
                f"{count} approvers; Azure allows at most {MAX_APPROVERS} per eligible authorization, "
                "use a group of approvers instead",
            )


ELIGIBLE_APPROVERS = Rule(
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


def _no_service_principals(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in _eligible(resource):
        refs = [((*grant.loc, "principalId"), grant.principal_id, "eligible principal")]
        refs += [
            ((*loc, "principalId"), guid(a.get("principalId")), "approver") for loc, a in grant.approvers()
        ]
        for loc, principal, what in refs:
            found = context.principal(principal) if principal else None
            if found is not None and found.kind == "servicePrincipal" and principal:
                yield Finding(
                    loc,
                    f"{principal_label(context, principal)} is a service principal; an {what} must be "
                    "a user or group (a service principal cannot activate or approve)",
                )


ELIGIBLE_NO_SERVICE_PRINCIPALS = Rule(
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


def _policy_key(grant: Grant) -> tuple[object, object, tuple[str, ...]]:
    policy = grant.policy
    approvers = tuple(sorted(guid(a.get("principalId")) or "?" for _, a in grant.approvers()))
    return (
        policy.get("multiFactorAuthProvider", "None"),
        policy.get("maximumActivationDuration", DEFAULT_ACTIVATION),
        approvers,
    )


def _consistent(resource: Resource, context: Context) -> Iterator[Finding]:
    first: dict[str, Grant] = {}
    for grant in _eligible(resource):
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


ELIGIBLE_CONSISTENT_POLICY = Rule(
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


def _needs_reader(resource: Resource, context: Context) -> Iterator[Finding]:
    readers: set[str] = set()
    eligible: list[Grant] = []
    for grant in grants(resource):
        if grant.eligible:
            eligible.append(grant)
            continue
        summary = context.catalogue.summary(grant.role_id) if grant.role_id else None
        if grant.principal_id and summary is not None and summary.reads_everything:
            readers.add(grant.principal_id)
        elif is_unknown(grant.entry.get("principalId")) or is_unknown(grant.entry.get("roleDefinitionId")):
            return  # cannot tell at preview who reads
    for grant in eligible:
        principal = grant.principal_id
        if principal and principal not in readers:
            yield Finding(
                (*grant.loc, "principalId"),
                f"{principal_label(context, principal)} is eligible but has no permanent Reader (or a role "
                "including it); add one so that they can find the customer and elevate in the portal",
            )


ELIGIBLE_NEEDS_READER = Rule(
    name="lighthouse-eligible-needs-reader",
    description="Every eligible principal also has a permanent Reader, or a role that includes it.",
    severity="low",
    level="advisory",
    remediation="Add a permanent authorization with Reader for the same principal.",
    facts=("ELIG", "TUR"),
    applies_to=(DEFINITION,),
    check=_needs_reader,
    reads=("properties",),
)
