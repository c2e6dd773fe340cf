"""Pulumi components for Azure Lighthouse: one `CustomerDelegation` per customer.

Installed as `lighthouse_iac_components` (a name no other project installs) from the `components/` folder,
which is also the source-based Pulumi plugin package `lighthouse` (PulumiPlugin.yaml, __main__.py).
"""

from .azure_plan import AzurePlan, AzurePlanArgs, azure_plan_of
from .customer import CustomerDelegation
from .inputs import CustomerDelegationArgs
from .offer import OfferDelegation, OfferDelegationArgs
from .validation import args_of

__all__ = [
    "AzurePlan",
    "AzurePlanArgs",
    "CustomerDelegation",
    "CustomerDelegationArgs",
    "OfferDelegation",
    "OfferDelegationArgs",
    "args_of",
    "azure_plan_of",
]
