"""Every resource that can carry a Lighthouse delegation, read as the ARM-shaped resources the rules check.

A delegation reaches Azure through more than azure-native's two registration resources: the classic
provider's `azure:lighthouse/definition:Definition` and `Assignment` (Terraform's azurerm
`lighthouse_definition`/`lighthouse_assignment`: registry.terraform.io/providers/hashicorp/azurerm/latest/
docs/resources/lighthouse_definition), azure-native's generic `resources:Resource` of a
`Microsoft.ManagedServices` type, and ARM templates deployed inline by `resources:Deployment*`. The pack
checks them all; what it cannot read is a problem (`lighthouse-policy-inputs`), never a quiet pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..errors import Unlocated
from .model import ASSIGNMENT, DEFINITION, Resource
from .shape import UNKNOWN, is_unknown

CLASSIC_DEFINITION = "azure:lighthouse/definition:Definition"
CLASSIC_ASSIGNMENT = "azure:lighthouse/assignment:Assignment"
GENERIC = "azure-native:resources:Resource"
DEPLOYMENTS = frozenset(
    f"azure-native:resources:{name}"
    for name in (
        "Deployment",
        "DeploymentAtScope",
        "DeploymentAtSubscriptionScope",
        "DeploymentAtManagementGroupScope",
        "DeploymentAtTenantScope",
    )
)
NAMESPACE = "microsoft.managedservices"


@dataclass
class Carried:
    """The delegations one resource carries, and what about it the pack could not read."""

    resources: list[Resource] = field(default_factory=list)
    problems: list[Unlocated] = field(default_factory=list)


def may_carry(type_: str) -> bool:
    """Whether a resource of this type (not a native registration) can carry a delegation."""
    if type_ in (CLASSIC_DEFINITION, CLASSIC_ASSIGNMENT, GENERIC) or type_ in DEPLOYMENTS:
        return True
    return _azure_lighthouse(type_)


def _azure_lighthouse(type_: str) -> bool:
    """An Azure provider's type token that names Lighthouse (not a component, such as this project's own
    `lighthouse:index:CustomerDelegation`, which creates nothing in Azure itself)."""
    package, _, rest = type_.lower().partition(":")
    return package.startswith("azure") and ("lighthouse" in rest or "managedservices" in rest)


def carried(type_: str, name: str, props: Mapping[str, Any]) -> Carried:
    """The registration definitions and assignments that `type_` with `props` would create."""
    kind = Resource.kind_of(type_)
    if kind is not None:
        return Carried([Resource(kind, name, props)])
    if type_ == CLASSIC_DEFINITION:
        return Carried([Resource(DEFINITION, name, _classic_definition(props))])
    if type_ == CLASSIC_ASSIGNMENT:
        return Carried([Resource(ASSIGNMENT, name, _classic_assignment(props))])
    if type_ == GENERIC:
        return _generic(name, props)
    if type_ in DEPLOYMENTS:
        # Imported here: the ARM engine is needed only for a stack that deploys templates.
        from .deployments import deployed  # noqa: PLC0415

        return deployed(name, props)
    if _azure_lighthouse(type_):
        return Carried(problems=[((), f"{type_} is a Lighthouse resource type the pack does not know")])
    return Carried()


def _renamed(value: Any, names: Mapping[str, str]) -> Any:
    """A mapping with its keys renamed (others kept, so that odd shapes still reach the shape check)."""
    if not isinstance(value, Mapping):
        return value
    return {names.get(str(k), str(k)): v for k, v in value.items()}


def _items(value: Any, rename: Any) -> Any:
    if isinstance(value, list):
        return [rename(item) for item in value]
    return value


_GRANT = MappingProxyType({"principalDisplayName": "principalIdDisplayName"})


def _eligible(entry: Any) -> Any:
    grant = _renamed(entry, _GRANT)
    if isinstance(grant, dict) and isinstance(grant.get("justInTimeAccessPolicy"), Mapping):
        policy = _renamed(grant["justInTimeAccessPolicy"], {"approvers": "managedByTenantApprovers"})
        policy["managedByTenantApprovers"] = _items(
            policy.get("managedByTenantApprovers"), lambda a: _renamed(a, _GRANT)
        )
        if policy["managedByTenantApprovers"] is None:
            del policy["managedByTenantApprovers"]
        grant["justInTimeAccessPolicy"] = policy
    return grant


def _classic_definition(props: Mapping[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "registrationDefinitionName": props.get("name"),
        "description": props.get("description"),
        "managedByTenantId": props.get("managingTenantId"),
        "authorizations": _items(props.get("authorizations"), lambda a: _renamed(a, _GRANT)),
    }
    if "eligibleAuthorizations" in props:
        properties["eligibleAuthorizations"] = _items(props["eligibleAuthorizations"], _eligible)
    inputs: dict[str, Any] = {
        "scope": props.get("scope", UNKNOWN),
        "registrationDefinitionId": props.get("lighthouseDefinitionId", UNKNOWN),
        "properties": properties,
    }
    if "plan" in props:
        inputs["plan"] = props["plan"]
    return inputs


def _classic_assignment(props: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "scope": props.get("scope", UNKNOWN),
        "registrationAssignmentId": props.get("name", UNKNOWN),
        "properties": {"registrationDefinitionId": props.get("lighthouseDefinitionId", UNKNOWN)},
    }


def _generic(name: str, props: Mapping[str, Any]) -> Carried:
    namespace = props.get("resourceProviderNamespace")
    if is_unknown(namespace) or is_unknown(props.get("resourceType")):
        return Carried(
            problems=[
                (
                    ("resourceProviderNamespace",),
                    "a generic resource whose type is unknown until deployment may carry a Lighthouse "
                    "delegation the pack cannot check; give its provider namespace and type as literals",
                )
            ]
        )
    if not isinstance(namespace, str) or namespace.lower() != NAMESPACE:
        return Carried()
    type_ = str(props.get("resourceType"))
    kind = Resource.kind_of(f"{NAMESPACE}/{type_}")
    if kind is None:
        return Carried(
            problems=[
                (
                    ("resourceType",),
                    f"Microsoft.ManagedServices/{type_} is a Lighthouse resource type the pack does not know",
                )
            ]
        )
    key = "registrationDefinitionId" if kind == DEFINITION else "registrationAssignmentId"
    inputs = {
        "scope": UNKNOWN,
        key: props.get("resourceName", UNKNOWN),
        "properties": props.get("properties"),
    }
    if "plan" in props:
        inputs["plan"] = props["plan"]
    return Carried([Resource(kind, name, inputs)])
