"""Cloud Solution Provider customers: which subscriptions were created through CSP, and who may onboard them.

Any user with the Admin Agent role in the partner's tenant can onboard a subscription created through CSP
(facts doc, CSP: ONB, CSPDOC); every other subscription needs the customer's own onboarding identity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import Problem
from .keys import NAMESPACE
from .models import LighthouseConfig, ManagingTenant

if TYPE_CHECKING:
    from .config import StackConfig


@dataclass(frozen=True)
class AdminAgent:
    """A directory entry of the managing tenant marked `adminAgent: true`."""

    name: str
    object_id: str
    kind: str


def admin_agents(tenant: ManagingTenant) -> dict[str, AdminAgent]:
    """The declared Admin Agents, by lowercase object ID."""
    return {
        p.object_id: AdminAgent(name, p.object_id, p.kind)
        for name, p in tenant.principals.items()
        if p.admin_agent
    }


def delegated_subscriptions(config: LighthouseConfig) -> list[str]:
    """Every subscription an offer of the stack delegates (or offboards), in the order first written."""
    seen: dict[str, None] = {}
    for offer in config.offers:
        for scope in offer.scopes:
            seen.setdefault(scope.subscription, None)
    return list(seen)


def is_csp_customer(config: LighthouseConfig) -> bool:
    return config.csp is not None


def csp_subscriptions(config: LighthouseConfig) -> list[str]:
    """The delegated subscriptions that were created through CSP (all of them with `subscriptions: all`)."""
    if config.csp is None:
        return []
    delegated = delegated_subscriptions(config)
    if config.csp.subscriptions == "all":
        return delegated
    listed = set(config.csp.subscriptions)
    return [s for s in delegated if s in listed]


def non_csp_subscriptions(config: LighthouseConfig) -> list[str]:
    csp = set(csp_subscriptions(config))
    return [s for s in delegated_subscriptions(config) if s not in csp]


def config_problems(stack: StackConfig) -> Iterator[Problem]:
    """CSP declarations that cannot be what the user meant: checked here, as the deployer relies on them."""
    config = stack.config
    for name in config.managing_tenant.admin_agent_groups:
        yield stack.problem(
            ("managingTenant", "principals", name, "adminAgent"),
            f"'{name}' is a group; declare each Admin Agent user or service principal that signs in "
            "(the object ID the deployer check compares is the signed-in identity's own)",
        )
    customer = stack.entries.get("customer")
    if config.onboarding is None and config.csp is None:
        yield Problem(
            customer.file if customer else None,
            customer.doc.line_of(("config",)) if customer and customer.doc else None,
            f"{NAMESPACE}:onboarding",
            f"missing required key '{NAMESPACE}:onboarding'; only a customer whose subscriptions were "
            f"created through CSP ({NAMESPACE}:csp) may leave it out, as Admin Agents onboard those",
        )
    if not config.offers and (config.csp is None or config.csp.azure_plan is None):
        entry = stack.entries.get("offers")
        if entry is None:
            yield Problem(
                customer.file if customer else None,
                customer.doc.line_of(("config",)) if customer and customer.doc else None,
                f"{NAMESPACE}:offers",
                f"missing required key '{NAMESPACE}:offers'",
            )
        else:
            yield stack.problem(
                ("offers",),
                "must not be empty (only a new CSP customer whose Azure plan is ordered first, "
                f"{NAMESPACE}:csp.azurePlan, may have no offer yet)",
            )
    if config.csp is None or config.csp.subscriptions == "all":
        return
    delegated = {s.subscription for offer in config.offers for s in offer.scopes}
    for i, sub in enumerate(config.csp.subscriptions):
        if sub not in delegated:
            yield stack.problem(
                ("csp", "subscriptions", i),
                f"subscription {sub} is listed as created through CSP, but no offer delegates it; "
                "list delegated subscriptions only (a typo here would ask for the wrong deployer)",
            )
