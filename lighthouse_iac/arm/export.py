"""ARM templates for customers who deploy the delegation themselves, derived from the plan.

One subscription-level deployment template and one parameters file per subscription, creating the same
definitions and assignments, with the same GUIDs, as the Pulumi program; resource groups through nested
deployments as Microsoft's samples do (SAMPLES). Output bytes are deterministic: sorted keys, two-space
indentation, a trailing newline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import ids
from ..escape import markdown, shell
from ..plan import AssignmentResource, CustomerPlan, DefinitionResource, OfferPlan
from .access_words import offer_sentences
from .source import JsonDocument
from .template import ASSIGNMENT_TYPE, DEFINITION_TYPE, DEPLOYMENT_TYPE

API_VERSION = "2022-10-01"  # the newest Microsoft.ManagedServices API (SPEC)
DEPLOYMENTS_API_VERSION = "2022-09-01"
TEMPLATE_SCHEMA = (
    "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
)
PARAMETERS_SCHEMA = (
    "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#"
)
NESTED_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
CONTENT_VERSION = "1.0.0.0"
GENERATOR = "lighthouse-iac"
DEFAULT_LOCATION = "westeurope"


@dataclass(frozen=True)
class SubscriptionTemplate:
    """The template and parameters that onboard one subscription."""

    subscription_id: str
    offers: tuple[OfferPlan, ...]
    template: dict[str, Any]
    parameters: dict[str, Any]

    @property
    def template_file(self) -> str:
        return f"{self.subscription_id}.template.json"

    @property
    def parameters_file(self) -> str:
        return f"{self.subscription_id}.parameters.json"


def render(document: Mapping[str, Any]) -> bytes:
    """Stable bytes for a JSON document: the same plan always gives the same files."""
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def parameter_prefix(offer_key: str) -> str:
    """`managed-operations` -> `managedOperations`: ARM parameter names are identifiers."""
    head, *rest = offer_key.split("-")
    prefix = head + "".join(part[:1].upper() + part[1:] for part in rest)
    return prefix if re.match(r"^[A-Za-z]", prefix) else f"offer{prefix}"


def _definition_id_expression(definition: DefinitionResource) -> str:
    return f"[subscriptionResourceId('{DEFINITION_TYPE}', '{definition.definition_id}')]"


def _assignment(assignment: AssignmentResource) -> dict[str, Any]:
    # The literal definition ID is exactly what the Pulumi program registers (assignment inputs, plan.py).
    return {
        "type": ASSIGNMENT_TYPE,
        "apiVersion": API_VERSION,
        "name": assignment.assignment_id,
        "properties": {"registrationDefinitionId": assignment.definition.resource_id},
    }


def _offer_resources(
    definition: DefinitionResource, assignments: list[AssignmentResource], p: str
) -> list[Any]:
    properties: dict[str, Any] = {
        "registrationDefinitionName": f"[parameters('{p}OfferName')]",
        "description": f"[parameters('{p}Description')]",
        "managedByTenantId": "[parameters('managedByTenantId')]",
        "authorizations": f"[parameters('{p}Authorizations')]",
    }
    if "eligibleAuthorizations" in definition.properties:
        properties["eligibleAuthorizations"] = f"[parameters('{p}EligibleAuthorizations')]"
    resource: dict[str, Any] = {
        "type": DEFINITION_TYPE,
        "apiVersion": API_VERSION,
        "name": definition.definition_id,
        "properties": properties,
    }
    if definition.plan is not None:
        resource["plan"] = f"[parameters('{p}Plan')]"
    resources: list[Any] = [resource]
    depends = [_definition_id_expression(definition)]
    for assignment in assignments:
        if assignment.resource_group is None:
            resources.append({**_assignment(assignment), "dependsOn": depends})
            continue
        # An assignment at a resource group is deployed by a nested deployment into that group (SAMPLES).
        resources.append(
            {
                "type": DEPLOYMENT_TYPE,
                "apiVersion": DEPLOYMENTS_API_VERSION,
                "name": f"lighthouse-{assignment.assignment_id}",
                "resourceGroup": assignment.resource_group,
                "dependsOn": depends,
                "properties": {
                    "mode": "Incremental",
                    "expressionEvaluationOptions": {"scope": "inner"},
                    "template": {
                        "$schema": NESTED_SCHEMA,
                        "contentVersion": CONTENT_VERSION,
                        "resources": [_assignment(assignment)],
                    },
                },
            }
        )
    return resources


def _offer_parameters(definition: DefinitionResource, p: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Declarations and values of one offer's parameters: what the customer reviews before deploying."""
    props = definition.properties
    values: dict[str, Any] = {
        f"{p}OfferName": props["registrationDefinitionName"],
        f"{p}Description": props["description"],
        f"{p}Authorizations": props["authorizations"],
    }
    types = {f"{p}OfferName": "string", f"{p}Description": "string", f"{p}Authorizations": "array"}
    if "eligibleAuthorizations" in props:
        values[f"{p}EligibleAuthorizations"] = props["eligibleAuthorizations"]
        types[f"{p}EligibleAuthorizations"] = "array"
    if definition.plan is not None:
        values[f"{p}Plan"] = definition.plan
        types[f"{p}Plan"] = "object"
    declarations = {name: {"type": kind} for name, kind in types.items()}
    return declarations, values


def subscription_templates(plan: CustomerPlan) -> list[SubscriptionTemplate]:
    """One template per subscription the plan touches, in the order the stack lists them."""
    order: dict[str, list[OfferPlan]] = {}
    for offer in plan.offers:
        for definition in offer.definitions:
            order.setdefault(definition.subscription_id, []).append(offer)
    tenant = plan.config.managing_tenant.tenant_id
    result = []
    for subscription, offers in order.items():
        declarations: dict[str, Any] = {"managedByTenantId": {"type": "string"}}
        values: dict[str, Any] = {"managedByTenantId": tenant}
        resources: list[Any] = []
        keys: dict[str, str] = {}
        for offer in offers:
            definition = next(d for d in offer.definitions if d.subscription_id == subscription)
            assignments = [a for a in offer.assignments if a.definition is definition]
            p = parameter_prefix(offer.offer.key)
            offer_declarations, offer_values = _offer_parameters(definition, p)
            declarations.update(offer_declarations)
            values.update(offer_values)
            resources += _offer_resources(definition, assignments, p)
            keys[definition.definition_id] = offer.offer.key
        template = {
            "$schema": TEMPLATE_SCHEMA,
            "contentVersion": CONTENT_VERSION,
            "metadata": {
                "generator": GENERATOR,
                "customer": plan.stack,
                "subscriptionId": subscription,
                "offerKeys": keys,
            },
            "parameters": declarations,
            "resources": resources,
        }
        parameters = {
            "$schema": PARAMETERS_SCHEMA,
            "contentVersion": CONTENT_VERSION,
            "parameters": {name: {"value": value} for name, value in values.items()},
        }
        result.append(SubscriptionTemplate(subscription, tuple(offers), template, parameters))
    return result


def deploy_command(template: SubscriptionTemplate, stack: str, location: str) -> str:
    # Every value is quoted for the shell, though each is checked already: the customer pastes this line.
    words = [
        *("az", "deployment", "sub", "create"),
        *("--subscription", template.subscription_id, "--location", location),
        *("--name", f"lighthouse-{stack}", "--template-file", template.template_file),
        *("--parameters", template.parameters_file),
    ]
    return " ".join(map(shell, words))


def _scopes_text(offer: OfferPlan, subscription: str) -> str:
    groups = [a.resource_group for a in offer.assignments if a.definition.subscription_id == subscription]
    named = [g for g in groups if g]
    return "resource groups " + ", ".join(map(markdown, named)) if named else "the whole subscription"


def instructions(plan: CustomerPlan, templates: list[SubscriptionTemplate], location: str) -> str:
    """README.md for the customer: what each file delegates and the command that deploys it."""
    config = plan.config
    tenant = config.managing_tenant
    lines = [
        f"# Azure Lighthouse onboarding: {markdown(config.customer.name)}",
        "",
        f"These files delegate access to {markdown(tenant.name)} (managing tenant {tenant.tenant_id})"
        " through",
        f"Azure Lighthouse. They were generated by `lighthouse-iac export {plan.stack} --format arm`.",
        "Regenerate them rather than editing them, so that they keep the GUIDs of the delegations deployed.",
        "",
        "Deploy each subscription's pair as a member (not guest) account of your tenant that holds Owner, or",
        "another role with `Microsoft.Authorization/roleAssignments/write`, on that subscription. The first",
        "deployment registers the `Microsoft.ManagedServices` resource provider; register it first on",
        "further subscriptions, as below. The portal can take up to 15 minutes to show the delegation.",
    ]
    for template in templates:
        subscription = template.subscription_id
        lines += ["", f"## Subscription {subscription}", ""]
        lines += [f"Files: `{template.template_file}` and `{template.parameters_file}`.", ""]
        for offer in template.offers:
            offboarding = " (being offboarded by the provider)" if offer.offboard else ""
            lines.append(f"- {markdown(offer.offer.name)}{offboarding}: {_scopes_text(offer, subscription)}")
            lines += [f"  - {text}" for text in offer_sentences(offer, config.managing_tenant.principals)]
        lines += [
            "",
            "```sh",
            "az provider register --namespace Microsoft.ManagedServices --subscription "
            + shell(subscription),
            deploy_command(template, plan.stack, location),
            "```",
        ]
    return "\n".join(lines) + "\n"


def export_files(plan: CustomerPlan, location: str = DEFAULT_LOCATION) -> dict[str, bytes]:
    """Every file of a customer's ARM export, by file name."""
    templates = subscription_templates(plan)
    files: dict[str, bytes] = {}
    for template in templates:
        files[template.template_file] = render(template.template)
        files[template.parameters_file] = render(template.parameters)
    files["README.md"] = instructions(plan, templates, location).encode("utf-8")
    return files


def exported_subscription(template: JsonDocument) -> str | None:
    """The subscription an export was written for (`metadata.subscriptionId`); None for other templates."""
    metadata = template.data.get("metadata") if isinstance(template.data, dict) else None
    named = metadata.get("subscriptionId") if isinstance(metadata, dict) else None
    return named.lower() if isinstance(named, str) and ids.is_guid(named) else None
