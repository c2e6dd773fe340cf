"""Pulumi components: thin adapters that turn a customer's plan into azure-native resources."""

from .customer import CustomerDelegation, CustomerDelegationArgs
from .offer import OfferDelegation, OfferDelegationArgs

__all__ = ["CustomerDelegation", "CustomerDelegationArgs", "OfferDelegation", "OfferDelegationArgs"]
