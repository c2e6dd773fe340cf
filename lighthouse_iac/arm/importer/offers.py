"""Offers from the template: each registration definition with the assignments that name it, and its key."""

from __future__ import annotations

import re
from typing import Any

from ...errors import Problem
from ...roles import RoleCatalogue
from ..source import Loc
from ..template import ArmResource, Deployment
from .directory import Directory, slug
from .findings import Found, check_guid, problem_at
from .result import Customer

_DEFINITION_ID = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/providers/Microsoft\.ManagedServices/registrationDefinitions/(?P<name>[^/]+)$",
    re.IGNORECASE,
)


def role_name(catalogue: RoleCatalogue, role_id: Any) -> str:
    found = catalogue.by_id(str(role_id))
    return found.name if found else str(role_id)


def read_offer(  # noqa: PLR0917
    deployment: Deployment,
    definition: ArmResource,
    assignments: list[ArmResource],
    key: str,
    directory: Directory,
    catalogue: RoleCatalogue,
    found: Found,
) -> dict[str, Any]:
    props = definition.properties
    problems = found.problems
    name = props.get("registrationDefinitionName") or key
    offer: dict[str, Any] = {
        "key": key,
        "name": name,
        "description": props.get("description") or name,
        "authorizations": [],
    }

    def guid(at: Loc, value: Any) -> str:
        return check_guid(deployment, definition, ("properties", *at), value, found)

    for i, auth in enumerate(props.get("authorizations", [])):
        at: Loc = ("authorizations", i)
        principal = guid((*at, "principalId"), auth.get("principalId"))
        entry: dict[str, Any] = {
            "principal": directory.name(principal, auth.get("principalIdDisplayName")),
            "role": role_name(catalogue, guid((*at, "roleDefinitionId"), auth.get("roleDefinitionId"))),
        }
        delegated = auth.get("delegatedRoleDefinitionIds")
        if delegated:
            entry["delegatedRoles"] = [role_name(catalogue, r) for r in delegated]
        offer["authorizations"].append(entry)
    eligible = []
    for i, auth in enumerate(props.get("eligibleAuthorizations", [])):
        at = ("eligibleAuthorizations", i)
        policy = auth.get("justInTimeAccessPolicy", {})
        principal = guid((*at, "principalId"), auth.get("principalId"))
        approvers = (*at, "justInTimeAccessPolicy", "managedByTenantApprovers")
        eligible.append(
            {
                "principal": directory.name(principal, auth.get("principalIdDisplayName")),
                "role": role_name(catalogue, guid((*at, "roleDefinitionId"), auth.get("roleDefinitionId"))),
                # ARM's defaults when the policy leaves them out (SPEC): PT8H, no MFA provider.
                "maximumActivation": policy.get("maximumActivationDuration") or "PT8H",
                "requireMfa": str(policy.get("multiFactorAuthProvider") or "None") == "Azure",
                "approvers": [
                    directory.name(
                        guid((*approvers, j, "principalId"), a.get("principalId")),
                        a.get("principalIdDisplayName"),
                    )
                    for j, a in enumerate(policy.get("managedByTenantApprovers", []))
                ],
            }
        )
    if eligible:
        offer["eligibleAuthorizations"] = eligible
    if definition.plan:
        offer["plan"] = {k: definition.plan.get(k) for k in ("name", "publisher", "product", "version")}
    groups = [a.resource_group for a in assignments if a.resource_group]
    whole = [a for a in assignments if a.resource_group is None]
    if whole and groups:
        problems.append(
            problem_at(
                deployment,
                whole[0],
                (),
                "the same definition is assigned to the subscription and to some of its resource groups; "
                "delegate either the whole subscription or a list of its resource groups",
            )
        )
    scope: dict[str, Any] = {"subscription": deployment.subscription_id}
    if groups and not whole:
        scope["resourceGroups"] = groups
    offer["scopes"] = [scope]
    offer["adopt"] = {
        "definitionId": definition.name.lower(),
        "assignmentIds": {a.scope: a.name.lower() for a in assignments},
    }
    return offer


def pair_definitions(
    deployment: Deployment, problems: list[Problem]
) -> list[tuple[ArmResource, list[ArmResource]]]:
    """Each definition with the assignments that name it."""
    definitions = deployment.definitions()
    by_name = {d.name.lower(): d for d in definitions}
    pairs: dict[str, list[ArmResource]] = {d.name.lower(): [] for d in definitions}
    for definition in definitions:
        if definition.resource_group is not None:
            problems.append(
                problem_at(
                    deployment,
                    definition,
                    (),
                    "a registration definition at resource-group scope fails with "
                    "InvalidRegistrationDefinitionUri; definitions live at subscription scope (ARCH)",
                )
            )
    for assignment in deployment.assignments():
        target = str(assignment.properties.get("registrationDefinitionId", ""))
        match = _DEFINITION_ID.match(target)
        if match is None or match["sub"].lower() != deployment.subscription_id.lower():
            problems.append(
                problem_at(
                    deployment,
                    assignment,
                    ("properties", "registrationDefinitionId"),
                    f"'{target}' is not the ID of a definition in subscription {deployment.subscription_id}; "
                    "an assignment names a definition of its own subscription (ARCH)",
                )
            )
        elif match["name"].lower() not in by_name:
            problems.append(
                problem_at(
                    deployment,
                    assignment,
                    ("properties", "registrationDefinitionId"),
                    f"names definition {match['name']}, which this template does not create; "
                    f"its definitions: {', '.join(sorted(by_name)) or 'none'}",
                )
            )
        else:
            pairs[match["name"].lower()].append(assignment)
    for definition in definitions:
        if not pairs[definition.name.lower()]:
            problems.append(
                problem_at(
                    deployment,
                    definition,
                    (),
                    "this definition is never assigned, so it delegates nothing; "
                    "add a registrationAssignment",
                )
            )
    if not definitions:
        problems.append(
            deployment.template.problem(("resources",), "this template creates no registration definition")
        )
    return [(by_name[name], assignments) for name, assignments in pairs.items()]


def offer_keys(
    deployment: Deployment, pairs: list[tuple[ArmResource, list[ArmResource]]], customer: Customer
) -> list[str]:
    """Offer keys: the export's own keys if the template came from lighthouse-iac, else from the names."""
    # An object of strings when present (shape.TEMPLATE).
    known: dict[str, str] = deployment.template.data.get("metadata", {}).get("offerKeys", {})
    keys: list[str] = []
    for definition, assignments in pairs:
        if definition.name in known:
            key = known[definition.name]
        elif customer.offer_key and len(pairs) == 1:
            key = customer.offer_key
        else:
            base = customer.offer_key or slug(
                str(definition.properties.get("registrationDefinitionName") or "")
            )
            base = base or f"offer-{definition.name[:8]}"
            groups = [a.resource_group for a in assignments if a.resource_group]
            if (
                sum(
                    1
                    for d, _ in pairs
                    if d.properties.get("registrationDefinitionName")
                    == definition.properties.get("registrationDefinitionName")
                )
                > 1
            ):
                base = f"{base[:40]}-{slug(groups[0]) if len(groups) == 1 else definition.name[:8]}"
            key = base
        n = 2
        unique = key
        while unique in keys:
            unique, n = f"{key}-{n}", n + 1
        keys.append(unique[:63])
    return keys
