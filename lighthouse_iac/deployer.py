"""Who may deploy a customer's onboarding: the declared identity, signed in to the customer's tenant, or for
subscriptions created through CSP, an Admin Agent of the managing tenant signed in to it under AOBO."""

from __future__ import annotations

from .csp import AdminAgent, admin_agents, csp_subscriptions, non_csp_subscriptions
from .models import LighthouseConfig


def deployer_problem(config: LighthouseConfig, tenant_id: str, object_id: str) -> str | None:
    """Why the signed-in identity must not deploy this stack, or None when it may (ONB; CSPDOC; seeds)."""
    customer, onboarding = config.customer, config.onboarding
    managing = config.managing_tenant
    tenant, who = (tenant_id or "").lower(), (object_id or "").lower()
    agent = admin_agents(managing).get(who)
    if tenant == managing.tenant_id:
        if agent is not None:
            return (
                f"signed in to the managing tenant {managing.tenant_id} ({managing.name}) as Admin Agent "
                f"'{agent.name}'; under AOBO an Admin Agent deploys from the customer's tenant "
                f"(az login --tenant {customer.tenant_id})"
            )
        return (
            f"signed in to the managing tenant {managing.tenant_id} ({managing.name}); onboarding "
            f"'{customer.name}' must be deployed from the customer's tenant {customer.tenant_id} "
            f"by {_accepted(config)} (az login --tenant {customer.tenant_id})"
        )
    if tenant != customer.tenant_id:
        return (
            f"signed in to tenant {tenant_id or '(none)'}, but customer '{customer.name}' is tenant "
            f"{customer.tenant_id}; sign in to the customer's tenant (az login --tenant {customer.tenant_id})"
        )
    if onboarding is not None and who == onboarding.object_id:
        return None
    if agent is not None:
        return _agent_problem(config, agent)
    if onboarding is None:
        return (
            f"signed in as object {object_id or '(none)'}, which is not a declared Admin Agent; "
            f"'{customer.name}' is onboarded by {_accepted(config)}"
        )
    also = " or an Admin Agent" if not non_csp_subscriptions(config) and admin_agents(managing) else ""
    return (
        f"signed in as object {object_id or '(none)'}, but the stack declares onboarding identity "
        f"{onboarding.object_id} for '{customer.name}'; sign in as that identity{also} or update "
        "lighthouse-iac:onboarding.objectId"
    )


def _agent_problem(config: LighthouseConfig, agent: AdminAgent) -> str | None:
    """An Admin Agent may deploy a stack whose delegated subscriptions were all created through CSP."""
    customer, onboarding = config.customer, config.onboarding
    as_agent = f"signed in as Admin Agent '{agent.name}' ({agent.object_id})"
    others = non_csp_subscriptions(config)
    if not others:
        return None
    identity = (
        f"the customer's onboarding identity {onboarding.object_id}"
        if onboarding is not None
        else "the customer's onboarding identity (declare it under lighthouse-iac:onboarding)"
    )
    if config.csp is None:
        return (
            f"{as_agent}, but customer '{customer.name}' has no subscriptions created through CSP "
            "(lighthouse-iac:csp is not set); an Admin Agent may onboard CSP subscriptions only, where "
            f"AOBO makes it Owner; sign in as {identity}"
        )
    csp = csp_subscriptions(config)
    return (
        f"{as_agent}; an Admin Agent may onboard subscriptions created through CSP only. "
        f"Not created through CSP, these need {identity}: {', '.join(others)}"
        + (f"; the Admin Agent may onboard: {', '.join(csp)}" if csp else "")
        + " (deploy the stack as the customer's identity, or list the subscriptions under "
        "lighthouse-iac:csp.subscriptions if they were created through CSP)"
    )


def _accepted(config: LighthouseConfig) -> str:
    """Who may deploy this stack, in words."""
    onboarding = config.onboarding
    whom = [f"its onboarding identity {onboarding.object_id}"] if onboarding is not None else []
    agents = admin_agents(config.managing_tenant)
    if agents and not non_csp_subscriptions(config):
        whom.append("an Admin Agent (" + ", ".join(sorted(a.name for a in agents.values())) + ")")
    return " or ".join(whom) or "nobody declared (add lighthouse-iac:onboarding)"


def accepted_as_admin_agent(config: LighthouseConfig, object_id: str) -> bool:
    """Whether an accepted deployer is there as a CSP Admin Agent (AOBO), not as the customer's identity:
    then only its right to assign roles is checked live, not its membership of the customer's tenant."""
    who = (object_id or "").lower()
    onboarding = config.onboarding
    return who in admin_agents(config.managing_tenant) and (onboarding is None or who != onboarding.object_id)
