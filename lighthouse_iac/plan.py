"""The plan: the exact ARM resources one customer stack needs, in the shape Azure and Pulumi take them.

Per offer and subscription one registration definition at `/subscriptions/{id}`; per delegated scope (the
subscription, or each listed resource group) one registration assignment naming that definition (ARCH).
The Pulumi components, the ARM export and the policy rules all read this one plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from . import ids
from .conditions import Conditions
from .config import StackConfig
from .models import LighthouseConfig, Offer, Principal
from .plan_sources import AssignmentSources, DefinitionSources, OfferKeys, scope_key
from .roles import RoleCatalogue
from .source_map import KeySources

DEFINITION_TYPE = "azure-native:managedservices:RegistrationDefinition"
ASSIGNMENT_TYPE = "azure-native:managedservices:RegistrationAssignment"


@dataclass(frozen=True)
class Grant(Conditions):
    """One authorization of an offer, resolved against the directory and the catalogue."""

    principal_name: str
    principal: Principal
    role_id: str
    role_name: str
    eligible: bool
    index: int
    delegated_role_ids: tuple[str, ...] = ()
    delegated_role_names: tuple[str, ...] = ()
    maximum_activation: str | None = None
    require_mfa: bool = False
    approvers: tuple[str, ...] = ()

    @property
    def loc(self) -> tuple[str | int, ...]:
        return ("eligibleAuthorizations" if self.eligible else "authorizations", self.index)


@dataclass(frozen=True, eq=False)
class DefinitionResource:
    name: str
    scope: str
    subscription_id: str
    definition_id: str
    properties: dict[str, Any]
    plan: dict[str, str] | None
    protect: bool
    sources: KeySources = field(repr=False)
    """Where each key of `inputs()` was written in the stack's configuration."""
    type: str = DEFINITION_TYPE
    kind: ClassVar[Literal["definition"]] = "definition"

    @property
    def resource_id(self) -> str:
        return ids.definition_resource_id(self.subscription_id, self.definition_id)

    def inputs(self) -> dict[str, Any]:
        """The resource's inputs exactly as the program registers them."""
        inputs: dict[str, Any] = {
            "scope": self.scope,
            "registrationDefinitionId": self.definition_id,
            "properties": self.properties,
        }
        if self.plan is not None:
            inputs["plan"] = self.plan
        return inputs


@dataclass(frozen=True, eq=False)
class AssignmentResource:
    name: str
    scope: str
    assignment_id: str
    definition: DefinitionResource
    protect: bool
    sources: KeySources = field(repr=False)
    """Where each key of `inputs()` was written in the stack's configuration."""
    resource_group: str | None = None
    type: str = ASSIGNMENT_TYPE
    kind: ClassVar[Literal["assignment"]] = "assignment"

    @property
    def resource_id(self) -> str:
        return ids.assignment_resource_id(self.scope, self.assignment_id)

    def inputs(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "registrationAssignmentId": self.assignment_id,
            "properties": {"registrationDefinitionId": self.definition.resource_id},
        }


Resource = DefinitionResource | AssignmentResource


@dataclass(frozen=True, eq=False)
class OfferPlan:
    offer: Offer
    index: int
    name: str
    grants: tuple[Grant, ...]
    definitions: tuple[DefinitionResource, ...]
    assignments: tuple[AssignmentResource, ...]
    offboard: bool

    def resources(self) -> tuple[Resource, ...]:
        return (*self.definitions, *self.assignments)


@dataclass(frozen=True, eq=False)
class CustomerPlan:
    stack: str
    config: LighthouseConfig
    offers: tuple[OfferPlan, ...]

    def resources(self) -> Iterator[Resource]:
        for offer in self.offers:
            yield from offer.resources()


def _grants(config: LighthouseConfig, catalogue: RoleCatalogue, offer: Offer) -> tuple[Grant, ...]:
    directory = config.managing_tenant.principals

    def role(ref: str) -> tuple[str, str]:
        found = catalogue.resolve(ref)
        return (found.id, found.name) if found else (ref.lower(), ref.lower())

    grants: list[Grant] = []
    for i, auth in enumerate(offer.authorizations):
        role_id, role_name = role(auth.role)
        delegated = [role(r) for r in auth.delegated_roles or ()]
        grants.append(
            Grant(
                auth.principal,
                directory[auth.principal],
                role_id,
                role_name,
                eligible=False,
                index=i,
                delegated_role_ids=tuple(d[0] for d in delegated),
                delegated_role_names=tuple(d[1] for d in delegated),
            )
        )
    for i, elig in enumerate(offer.eligible_authorizations):
        role_id, role_name = role(elig.role)
        grants.append(
            Grant(
                elig.principal,
                directory[elig.principal],
                role_id,
                role_name,
                eligible=True,
                index=i,
                maximum_activation=elig.maximum_activation,
                require_mfa=elig.require_mfa,
                approvers=tuple(elig.approvers),
            )
        )
    return tuple(grants)


def _definition_properties(
    config: LighthouseConfig, offer: Offer, grants: tuple[Grant, ...]
) -> dict[str, Any]:
    """`properties` of the definition in ARM's camelCase (SPEC 2022-10-01)."""
    directory = config.managing_tenant.principals
    authorizations: list[dict[str, Any]] = []
    eligible: list[dict[str, Any]] = []
    for grant in grants:
        entry: dict[str, Any] = {
            "principalId": grant.principal.object_id,
            "principalIdDisplayName": grant.principal.display_name,
            "roleDefinitionId": grant.role_id,
        }
        if not grant.eligible:
            if grant.delegated_role_ids:
                entry["delegatedRoleDefinitionIds"] = list(grant.delegated_role_ids)
            authorizations.append(entry)
            continue
        policy: dict[str, Any] = {
            "multiFactorAuthProvider": "Azure" if grant.require_mfa else "None",
            "maximumActivationDuration": grant.maximum_activation,
        }
        if grant.approvers:
            policy["managedByTenantApprovers"] = [
                {"principalId": directory[a].object_id, "principalIdDisplayName": directory[a].display_name}
                for a in grant.approvers
            ]
        entry["justInTimeAccessPolicy"] = policy
        eligible.append(entry)
    properties: dict[str, Any] = {
        "registrationDefinitionName": offer.name,
        "description": offer.description,
        "managedByTenantId": config.managing_tenant.tenant_id,
        "authorizations": authorizations,
    }
    if eligible:
        properties["eligibleAuthorizations"] = eligible
    return properties


def _offer_plan(stack: StackConfig, index: int, offer: Offer) -> OfferPlan:
    config = stack.config
    name = f"{stack.stack}-{offer.key}"
    grants = _grants(config, stack.catalogue, offer)
    properties = _definition_properties(config, offer, grants)
    plan = offer.plan.model_dump(by_alias=True, exclude={"private"}) if offer.plan else None
    adopt = offer.adopt
    pinned = {k.lower(): v for k, v in adopt.assignment_ids.items()} if adopt else {}
    definition_id = (adopt.definition_id if adopt else None) or ids.definition_guid(
        config.managing_tenant.tenant_id, offer.key
    )
    offboard = config.customer.offboard or offer.offboard
    shared = OfferKeys(offer, index)
    # The scopes of `adopt.assignmentIds` as written, for the key of a pinned assignment's ID.
    written = {k.lower(): k for k in reversed(list(adopt.assignment_ids))} if adopt else {}
    definitions: list[DefinitionResource] = []
    assignments: list[AssignmentResource] = []
    for s, entry in enumerate(offer.scopes):
        sub = entry.subscription
        # Offboarding the last delegated resource group of a subscription offboards its definition too:
        # step 2 removes the definition with the assignments, which a protected definition would block.
        groups_go = entry.resource_groups is not None and all(g.offboard for g in entry.resource_groups)
        definition = DefinitionResource(
            name=f"{name}-{sub}",
            scope=ids.subscription_scope(sub),
            subscription_id=sub,
            definition_id=definition_id,
            properties=properties,
            plan=plan,
            protect=not (offboard or entry.offboard or groups_go),
            sources=DefinitionSources(shared, s, stack.locate),
        )
        definitions.append(definition)
        targets: list[tuple[str, str | None, bool, int | None]] = (
            [(ids.subscription_scope(sub), None, False, None)]
            if entry.resource_groups is None
            else [
                (ids.resource_group_scope(sub, g.name), g.name, g.offboard, r)
                for r, g in enumerate(entry.resource_groups)
            ]
        )
        for scope, group, group_offboard, r in targets:
            assignments.append(
                AssignmentResource(
                    name=f"{name}-{sub}" + (f"-{group.lower()}" if group else ""),
                    scope=scope,
                    assignment_id=pinned.get(scope.lower()) or ids.assignment_guid(definition_id, scope),
                    definition=definition,
                    protect=not (offboard or entry.offboard or group_offboard),
                    resource_group=group,
                    sources=AssignmentSources(
                        shared, scope_key(index, s, r), written.get(scope.lower()), stack.locate
                    ),
                )
            )
    return OfferPlan(offer, index, name, grants, tuple(definitions), tuple(assignments), offboard)


def build_plan(stack: StackConfig) -> CustomerPlan:
    return CustomerPlan(
        stack.stack, stack.config, tuple(_offer_plan(stack, i, o) for i, o in enumerate(stack.config.offers))
    )
