"""Microsoft's onboarding samples (tests/arm/samples) by name, and helpers to evaluate them."""

from __future__ import annotations

from pathlib import Path

from lighthouse_iac.arm.source import read_json
from lighthouse_iac.arm.template import Deployment, evaluate_template

SAMPLES_DIR = Path(__file__).parent / "samples"
SCHEMAS_DIR = Path(__file__).parent / "schemas"
SUBSCRIPTION = "9c1b2a3d-1111-4222-8333-444455556666"

_D = "delegated-resource-management"
_E = "delegated-resource-management-eligible-authorizations"

# name: (template, parameters file or None); every delegation template Microsoft publishes.
SAMPLES: dict[str, tuple[str, str | None]] = {
    "subscription": (
        f"{_D}/subscription/subscription.json",
        f"{_D}/subscription/subscription.parameters.json",
    ),
    "rg": (f"{_D}/rg/rg.json", f"{_D}/rg/rg.parameters.json"),
    "multi-rg": (f"{_D}/rg/multi-rg.json", f"{_D}/rg/multiple-rg.parameters.json"),
    "eligible-subscription": (
        f"{_E}/subscription/subscription.json",
        f"{_E}/subscription/subscription.parameters.json",
    ),
    "eligible-subscription-approvers": (
        f"{_E}/subscription/subscription-managing-tenant-approvers.json",
        f"{_E}/subscription/subscription-managing-tenant-approvers.parameters.json",
    ),
    "eligible-rg": (f"{_E}/rg/rg.json", f"{_E}/rg/rg.parameters.json"),
    "eligible-rg-approvers": (
        f"{_E}/rg/rg-managing-tenant-approvers.json",
        f"{_E}/rg/rg-managing-tenant-approvers.parameters.json",
    ),
    "eligible-multi-rg": (f"{_E}/rg/multiple-rg.json", f"{_E}/rg/multiple-rg.parameters.json"),
    "eligible-multi-rg-approvers": (
        f"{_E}/rg/multiple-rg-managing-tenant-approvers.json",
        f"{_E}/rg/multiple-rg-managing-tenant-approvers.parameters.json",
    ),
    "marketplace": (
        "marketplace-delegated-resource-management/marketplaceDelegatedResourceManagement.json",
        "marketplace-delegated-resource-management/marketplaceDelegatedResourceManagement.parameters.json",
    ),
    "azmigrate": (
        "delegated-resource-management-azmigrate/delegatedResourceManagementAzMigrate.json",
        "delegated-resource-management-azmigrate/delegatedResourceManagementAzMigrate.parameters.json",
    ),
    "azmigrate-defaults": (
        "delegated-resource-management-azmigrate/delegatedResourceManagementAzMigrate.json",
        None,
    ),
}

# Templates that delegate nothing themselves: management-group policies and governance policies.
POLICY_SAMPLES: dict[str, tuple[str, str | None]] = {
    "policy-management-group": (
        "policy-delegate-management-groups/deployLighthouseIfNotExistManagementGroup.json",
        "policy-delegate-management-groups/deployLighthouseIfNotExistsManagementGroup.parameters.json",
    ),
    "policy-multiple-management-groups": (
        "policy-delegate-multiple-management-groups/deployLighthouseIfNotExistManagementGroup.json",
        "policy-delegate-multiple-management-groups/deployLighthouseIfNotExistsManagementGroup.parameters.json",
    ),
    "policy-audit": ("policy-audit-delegation/policyAuditDelegation.json", None),
    "policy-audit-root": ("policy-audit-delegation.json", None),
    "policy-allow-tenants": (
        "policy-allow-certain-managing-tenants/policyAllowCertainTenantIds.json",
        "policy-allow-certain-managing-tenants/policyAllowCertainTenantIds.parameters.json",
    ),
}


def sample_paths(name: str) -> tuple[Path, Path | None]:
    template, parameters = {**SAMPLES, **POLICY_SAMPLES}[name]
    return SAMPLES_DIR / template, (SAMPLES_DIR / parameters if parameters else None)


def evaluate_sample(name: str, overrides: tuple[str, ...] = ()) -> Deployment:
    template, parameters = sample_paths(name)
    return evaluate_template(
        read_json(template), read_json(parameters) if parameters else None, overrides, SUBSCRIPTION
    )
