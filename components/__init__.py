"""Pulumi components: thin adapters that turn a customer's plan into azure-native resources."""

from .azure_plan import AzurePlan, AzurePlanArgs, azure_plan_of
from .customer import CustomerDelegation, CustomerDelegationArgs
from .offer import OfferDelegation, OfferDelegationArgs

__all__ = [
    "AzurePlan",
    "AzurePlanArgs",
    "CustomerDelegation",
    "CustomerDelegationArgs",
    "OfferDelegation",
    "OfferDelegationArgs",
    "azure_plan_of",
]
