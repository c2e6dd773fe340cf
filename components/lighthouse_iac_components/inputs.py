"""The component's inputs, as a user of any Pulumi language writes them.

Pulumi's component analyzer builds the package schema from these annotations, so this module must not use
`from __future__ import annotations` (the analyzer reads real types, not strings). The shapes mirror the
stack file (docs/configuration.md); the core validates them as it validates a stack file.
"""

from typing import NotRequired, TypedDict


class PrincipalArgs(TypedDict):
    """A user, group or service principal of the managing tenant."""

    object_id: str
    """Its object ID in the managing tenant."""
    kind: str
    """group, servicePrincipal or user (policy refuses user: grant groups)."""
    display_name: str
    """The name Azure shows to the customer."""


class ManagingTenantArgs(TypedDict):
    """The MSP's tenant and its directory of principals."""

    tenant_id: str
    """The managing tenant's ID."""
    name: str
    """The managing tenant's name."""
    principals: dict[str, PrincipalArgs]
    """The directory: offers name these principals by key, never by raw GUID."""


class CustomerArgs(TypedDict):
    """The customer tenant that delegates."""

    name: str
    """The customer's name."""
    tenant_id: str
    """The customer's tenant ID."""
    offboard: NotRequired[bool]
    """Offboarding step 1 for the whole customer: unprotect every delegation."""
    shared_tenant_reason: NotRequired[str]
    """Why this tenant has more than one stack (the fleet rules otherwise object)."""


class OnboardingArgs(TypedDict):
    """The customer-tenant identity that deploys the delegation."""

    object_id: str
    """Its object ID in the customer's tenant."""
    kind: NotRequired[str]
    """user (default) or servicePrincipal."""
    user_type: NotRequired[str]
    """Member (default) or Guest, for a user (policy refuses Guest)."""
    roles: NotRequired[list[str]]
    """Its roles on the onboarded subscriptions (default Owner)."""
    shared_identity_reason: NotRequired[str]
    """Why this object ID onboards several tenants (the fleet rules otherwise object)."""


class AuthorizationArgs(TypedDict):
    """A permanent grant: a principal of the directory with a role."""

    principal: str
    """A key of managingTenant.principals."""
    role: str
    """A built-in role name or GUID."""
    delegated_roles: NotRequired[list[str]]
    """Roles the principal may assign to managed identities (User Access Administrator only)."""


class EligibleAuthorizationArgs(TypedDict):
    """A just-in-time grant, activated through Privileged Identity Management."""

    principal: str
    """A key of managingTenant.principals."""
    role: str
    """A built-in role name or GUID."""
    maximum_activation: NotRequired[str]
    """ISO 8601 duration, PT30M to PT8H (default PT8H)."""
    require_mfa: NotRequired[bool]
    """Whether activation requires multifactor authentication (default true)."""
    approvers: NotRequired[list[str]]
    """Keys of managingTenant.principals who approve activations."""


class PlanArgs(TypedDict):
    """The Marketplace plan of a published managed service offer."""

    name: str
    """The plan's name."""
    publisher: str
    """The publisher ID."""
    product: str
    """The offer (product) ID."""
    version: str
    """The plan's version."""


class ResourceGroupArgs(TypedDict):
    """One delegated resource group of a subscription."""

    name: str
    """The resource group's name."""
    offboard: NotRequired[bool]
    """Offboarding step 1 for this resource group."""


class ScopeArgs(TypedDict):
    """A subscription, delegated whole or as a list of its resource groups."""

    subscription: str
    """The subscription ID."""
    resource_groups: NotRequired[list[ResourceGroupArgs]]
    """Delegate only these resource groups instead of the whole subscription."""
    offboard: NotRequired[bool]
    """Offboarding step 1 for this subscription."""


class AdoptArgs(TypedDict):
    """GUIDs of delegations deployed earlier (from ARM templates), pinned so they update in place."""

    definition_id: NotRequired[str]
    """The registration definition's GUID."""
    assignment_ids: NotRequired[dict[str, str]]
    """Registration assignment GUIDs by scope (a subscription ID or subscription/resourceGroup)."""


class OfferArgs(TypedDict):
    """One offer: who gets which role on which scopes."""

    key: str
    """A stable key (lowercase letters, digits, '-'); the definition's GUID derives from it."""
    name: str
    """The offer's name, as the customer sees it."""
    description: str
    """The offer's description."""
    authorizations: list[AuthorizationArgs]
    """Permanent grants (at most 20 with the eligible ones)."""
    eligible_authorizations: NotRequired[list[EligibleAuthorizationArgs]]
    """Just-in-time grants."""
    plan: NotRequired[PlanArgs]
    """The Marketplace plan, for a published offer."""
    scopes: list[ScopeArgs]
    """The delegated subscriptions and resource groups."""
    adopt: NotRequired[AdoptArgs]
    """GUIDs deployed earlier, to update in place."""
    offboard: NotRequired[bool]
    """Offboarding step 1 for the whole offer."""


class CustomerDelegationArgs(TypedDict):
    """Everything one customer delegates to the managing tenant."""

    managing_tenant: ManagingTenantArgs
    """The managing tenant and its directory of principals."""
    customer: CustomerArgs
    """The customer tenant."""
    onboarding: OnboardingArgs
    """The customer identity that deploys (checked by the Python program and by `lighthouse-iac whoami`)."""
    offers: list[OfferArgs]
    """The offers the customer delegates."""
    role_catalogues: NotRequired[list[str]]
    """Extra role catalogues (az role definition list exports), relative to the working directory."""
