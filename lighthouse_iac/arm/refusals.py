"""Templates lighthouse-iac does not take, refused before evaluation with the alternative: management-group
deployIfNotExists onboarding policies, templates that delegate nothing, and templates not deployed to a
subscription."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .expressions import arm_guid, find_key
from .resources import fail, resource_items
from .shape import ASSIGNMENT_TYPE, DEFINITION_TYPE, DEPLOYMENT_TYPE, POLICY_TYPES
from .source import JsonDocument

SUBSCRIPTION_SCHEMA = "subscriptionDeploymentTemplate.json"


def _policy_effect(resource: Mapping[str, Any]) -> tuple[str, str]:
    # The shapes were checked (shape.POLICY_PROPERTIES): each level is an object when present.
    then = resource.get("properties", {}).get("policyRule", {}).get("then", {})
    return str(then.get("effect", "")).lower(), str(then.get("details", {}).get("type", ""))


def refuse_policies(template: JsonDocument, parameters: JsonDocument | None) -> None:
    resources = [r for _, r in resource_items(template.data.get("resources"))]
    for i, resource in resource_items(template.data.get("resources")):
        if resource.get("type") not in POLICY_TYPES:
            continue
        effect, target = _policy_effect(resource)
        if effect == "deployifnotexists" and target.lower() == DEFINITION_TYPE.lower():
            name = None
            if parameters is not None:
                given = parameters.data["parameters"]
                key = find_key(given, "managedByName")
                value = given[key].get("value") if key is not None else None
                name = value if isinstance(value, str) else None
            guid = f"guid('{name}') = {arm_guid(name)}" if name else "guid(managedByName)"
            raise fail(
                template,
                ("resources", i, "properties", "policyRule", "then", "effect"),
                "this template onboards subscriptions through a deployIfNotExists Azure Policy at "
                "management-group scope, which delegates each subscription when the policy remediates it; "
                "lighthouse-iac cannot import it because it delegates explicit subscriptions. Alternative: "
                "list the management group's subscriptions under an offer's scopes in the customer's stack; "
                "to take over the delegations the policy already made, pin adopt.definitionId and each of "
                f"adopt.assignmentIds to {guid} (the policy's template names both so)",
            )
    kinds = sorted({str(r["type"]) for r in resources})
    lighthouse = {DEFINITION_TYPE.lower(), ASSIGNMENT_TYPE.lower(), DEPLOYMENT_TYPE.lower()}
    if not any(k.lower() in lighthouse for k in kinds):
        raise fail(
            template,
            ("resources",),
            "this template delegates nothing (no registrationDefinitions or registrationAssignments; it "
            f"deploys {', '.join(kinds) or 'no resources'}); Azure Policy definitions that audit or restrict "
            "delegations are the customer's own governance, and lighthouse-iac validate checks the same "
            "rules on your stacks before they deploy",
        )


def check_schema(template: JsonDocument) -> None:
    schema = str(template.data.get("$schema", ""))
    if "managementGroupDeploymentTemplate" in schema or "tenantDeploymentTemplate" in schema:
        raise fail(
            template,
            ("$schema",),
            f"a {schema.rsplit('/', 1)[-1].split('.', maxsplit=1)[0]} deploys above subscriptions; "
            "Lighthouse definitions live in subscriptions (ARCH): use a subscription-level template "
            f"({SUBSCRIPTION_SCHEMA})",
        )
    if SUBSCRIPTION_SCHEMA not in schema:
        raise fail(
            template,
            ("$schema",),
            f"'{schema}' is not a subscription-level template; onboarding templates are deployed with "
            f"`az deployment sub create` and declare {SUBSCRIPTION_SCHEMA} (ARCH: definitions only at "
            "subscription scope)",
        )
