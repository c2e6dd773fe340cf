"""Who may deploy a customer's onboarding: the declared identity, signed in to the customer's tenant."""

from __future__ import annotations

from .models import LighthouseConfig


def deployer_problem(config: LighthouseConfig, tenant_id: str, object_id: str) -> str | None:
    """Why the signed-in identity must not deploy this stack, or None when it may (ONB; seeds)."""
    customer, onboarding = config.customer, config.onboarding
    managing = config.managing_tenant
    tenant, who = (tenant_id or "").lower(), (object_id or "").lower()
    if tenant == managing.tenant_id:
        return (
            f"signed in to the managing tenant {managing.tenant_id} ({managing.name}); onboarding "
            f"'{customer.name}' must be deployed from the customer's tenant {customer.tenant_id} "
            f"by its onboarding identity {onboarding.object_id} (az login --tenant {customer.tenant_id})"
        )
    if tenant != customer.tenant_id:
        return (
            f"signed in to tenant {tenant_id or '(none)'}, but customer '{customer.name}' is tenant "
            f"{customer.tenant_id}; sign in to the customer's tenant (az login --tenant {customer.tenant_id})"
        )
    if who != onboarding.object_id:
        return (
            f"signed in as object {object_id or '(none)'}, but the stack declares onboarding identity "
            f"{onboarding.object_id} for '{customer.name}'; sign in as that identity or update "
            "lighthouse-iac:onboarding.objectId"
        )
    return None
