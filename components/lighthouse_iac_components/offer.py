"""One offer of one customer: its registration definitions and assignments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pulumi
from pulumi_azure_native import managedservices

from lighthouse_iac.plan import AssignmentResource, DefinitionResource, OfferPlan


@dataclass(frozen=True)
class OfferDelegationArgs:
    plan: OfferPlan
    """The offer's planned resources, from `lighthouse_iac.plan.build_plan`."""


class OfferDelegation(pulumi.ComponentResource):
    """A Lighthouse offer: one definition per subscription, one assignment per delegated scope."""

    definition_ids: pulumi.Output[dict[str, str]]
    """Definition resource IDs by subscription ID."""
    assignment_ids: pulumi.Output[dict[str, str]]
    """Assignment resource IDs by delegated scope."""

    def __init__(
        self, name: str, args: OfferDelegationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("lighthouse:index:OfferDelegation", name, None, opts)
        definitions = {d.subscription_id: _definition(d, self) for d in args.plan.definitions}
        assignments = {
            a.scope: _assignment(a, definitions[a.definition.subscription_id], self)
            for a in args.plan.assignments
        }
        self.definition_ids = pulumi.Output.all(**{k: v.id for k, v in definitions.items()})
        self.assignment_ids = pulumi.Output.all(**{k: v.id for k, v in assignments.items()})
        self.register_outputs({"definitionIds": self.definition_ids, "assignmentIds": self.assignment_ids})


def _options(parent: pulumi.Resource, protect: bool) -> pulumi.ResourceOptions:
    # Protected unless offboarding was declared: a deleted stack file or offer must not remove a
    # customer's delegation. Delete before replace, for replacements once unprotected (a new managing
    # tenant or pinned GUID): a definition reusing the old one's principals conflicts until it is gone (UPD).
    return pulumi.ResourceOptions(parent=parent, protect=protect, delete_before_replace=True)


def _definition(
    resource: DefinitionResource, parent: pulumi.Resource
) -> managedservices.RegistrationDefinition:
    return managedservices.RegistrationDefinition(
        resource.name,
        scope=resource.scope,
        registration_definition_id=resource.definition_id,
        # The plan's camelCase dicts reach the engine exactly as written (tests assert it), so the ARM
        # shape in lighthouse_iac.plan stays the one definition of these inputs.
        properties=cast(Any, resource.properties),
        plan=cast(Any, resource.plan),
        opts=_options(parent, resource.protect),
    )


def _assignment(
    resource: AssignmentResource,
    definition: managedservices.RegistrationDefinition,
    parent: pulumi.Resource,
) -> managedservices.RegistrationAssignment:
    return managedservices.RegistrationAssignment(
        resource.name,
        scope=resource.scope,
        registration_assignment_id=resource.assignment_id,
        properties=cast(Any, {"registrationDefinitionId": definition.id}),
        opts=_options(parent, resource.protect),
    )
