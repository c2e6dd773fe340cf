"""The access model: one row per authorization per delegated scope, as a security reviewer reads it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..conditions import Conditions
from ..config import StackConfig
from ..csp import csp_subscriptions
from ..plan import CustomerPlan, Grant, build_plan
from ..roles import OWNER, REGISTRATION_DELETE_ROLE, RoleCatalogue

# The fields that identify one piece of access; everything else about a row is its conditions.
Key = tuple[str, str, str, str, str, str, str, bool]


# Not frozen: a frozen dataclass's __init__ costs four times as much, and a fleet of 1,000 customers makes
# tens of thousands of rows. Treat rows as values all the same (`dataclasses.replace` to change one).
@dataclass(slots=True)
class Access(Conditions):
    """One principal holding one role, permanently or eligibly, at one scope of one customer."""

    stack: str
    customer: str
    customer_tenant_id: str
    managing_tenant_id: str
    offer: str
    offer_name: str
    subscription_id: str
    resource_group: str | None
    scope: str
    principal: str
    principal_id: str
    principal_kind: str
    principal_display_name: str
    role: str
    role_id: str
    eligible: bool
    require_mfa: bool | None = None
    maximum_activation: str | None = None
    approvers: tuple[str, ...] = ()
    delegated_roles: tuple[str, ...] = ()
    offboarding: bool = False
    privilege: str = "unknown"
    role_definition: RoleDefinition = ()
    """What the role catalogue says the role allows: a catalogue change is a change of access."""

    @property
    def key(self) -> Key:
        """Who (which tenant, which object ID: a renamed principal keeps its access) holds which role where.

        Both tenants belong here: a new managing tenant, or another customer tenant, is other people
        reaching other subscriptions, whatever the names say."""
        return (
            self.stack,
            self.managing_tenant_id.lower(),
            self.customer_tenant_id.lower(),
            self.offer,
            self.scope.lower(),
            self.principal_id,
            self.role_id,
            self.eligible,
        )

    @property
    def conditions(self) -> tuple[object, ...]:
        return (
            self.require_mfa,
            self.maximum_activation,
            self.approvers,
            self.delegated_roles,
            self.principal_kind,
            self.role_definition,
            self.offboarding,
        )

    @property
    def kind(self) -> str:
        return "eligible" if self.eligible else "permanent"

    @property
    def scope_label(self) -> str:
        """`subscription <id>` or `<id>/<resource group>`: short, and unambiguous within a customer."""
        return (
            f"{self.subscription_id}/{self.resource_group}" if self.resource_group else self.subscription_id
        )

    @property
    def delegated_role_names(self) -> tuple[str, ...]:
        """The roles it may assign, by name, as `Conditions` (and the plan's Grant) call them."""
        return self.delegated_roles


# Access's fields from `principal` to `delegated_roles`.
Holder = tuple[str, str, str, str, str, str, bool, bool | None, str | None, tuple[str, ...], tuple[str, ...]]


# What a reviewer asks first of a role: can it read, change resources, or change who has access?
PRIVILEGES = ("access", "write", "read", "removal", "unknown")


# The role's name and Actions, NotActions, DataActions, NotDataActions, as the catalogue has them.
RoleDefinition = tuple[object, ...]


def role_definition(catalogue: RoleCatalogue, role_id: str) -> RoleDefinition:
    summary = catalogue.summary(role_id)
    return summary.definition if summary else ()


def privilege(catalogue: RoleCatalogue, role_id: str) -> str:
    """`access` (grants roles), `write`, `read` (every action a read), `removal` (of the delegation only)."""
    if role_id == REGISTRATION_DELETE_ROLE:
        return "removal"
    summary = catalogue.summary(role_id)
    return summary.privilege if summary else "unknown"


def stack_access(stack: StackConfig, plan: CustomerPlan | None = None) -> Iterator[Access]:
    """Every authorization of every offer of `stack`, once per scope the offer is assigned at."""
    plan = plan or build_plan(stack)
    config, catalogue = stack.config, stack.catalogue
    name, customer, tenant = stack.stack, config.customer.name, config.customer.tenant_id
    managing = config.managing_tenant.tenant_id
    for offer in plan.offers:
        # Positional, in Access's field order: a fleet makes hundreds of thousands of rows, and keywords
        # cost twice as much. What a grant contributes is gathered once per offer, not once per scope.
        grants = [(_holder(grant), _role(catalogue, grant.role_id)) for grant in offer.grants]
        key, title = offer.offer.key, offer.offer.name
        for assignment in offer.assignments:
            sub, group = assignment.definition.subscription_id, assignment.resource_group
            scope, offboarding = assignment.scope, not assignment.protect
            for who, (tier, defined) in grants:
                principal, object_id, kind, shown, role, role_id, eligible, mfa, hours, approvers, via = who
                yield Access(
                    name, customer, tenant, managing, key, title, sub, group, scope, principal, object_id,
                    kind, shown, role, role_id, eligible, mfa, hours, approvers, via, offboarding, tier,
                    defined,
                )  # fmt: skip
    yield from _aobo_rows(stack)


def _holder(grant: Grant) -> Holder:
    """Access's fields from `principal` to `delegated_roles`: who holds which role, on what terms."""
    eligible = grant.eligible
    return (
        grant.principal_name,
        grant.principal.object_id,
        grant.principal.kind,
        grant.principal.display_name,
        grant.role_name,
        grant.role_id,
        eligible,
        grant.require_mfa if eligible else None,
        grant.maximum_activation if eligible else None,
        grant.approvers,
        grant.delegated_role_names,
    )


def _role(catalogue: RoleCatalogue, role_id: str) -> tuple[str, RoleDefinition]:
    """Access's `privilege` and `role_definition`."""
    return privilege(catalogue, role_id), role_definition(catalogue, role_id)


AOBO_OFFER = "aobo"


def _aobo_rows(stack: StackConfig) -> Iterator[Access]:
    """For a CSP customer: the Admin Agents' Owner through AOBO on each CSP subscription, as its own row
    (facts doc, CSP: every Admin Agent has full access to subscriptions created through CSP; CSPDOC)."""
    config = stack.config
    managing = config.managing_tenant
    for sub in csp_subscriptions(config):
        yield Access(
            stack=stack.stack,
            customer=config.customer.name,
            customer_tenant_id=config.customer.tenant_id,
            managing_tenant_id=managing.tenant_id,
            offer=AOBO_OFFER,
            offer_name="AOBO: Admin Agents of the CSP partner (not a Lighthouse offer)",
            subscription_id=sub,
            resource_group=None,
            scope=f"/subscriptions/{sub}",
            principal="Admin Agents (AOBO)",
            principal_id=f"aobo:{managing.tenant_id}",
            principal_kind="group",
            principal_display_name=f"Admin Agents of {managing.name}",
            role="Owner",
            role_id=OWNER,
            eligible=False,
            privilege="access",
        )
