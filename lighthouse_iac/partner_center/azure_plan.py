"""A customer's Azure plan through Partner Center: find it, order it once, read it, suspend it explicitly.

The steps are Microsoft's (learn.microsoft.com/partner-center/developer/create-azure-plan): the product
of target view MicrosoftAzure, its SKU, the SKU's availability for the customer's country (its
CatalogItemId), a cart, its checkout (an order), and the order listed up to 15 minutes later. The order
creates a Partner Center subscription for the plan, whose Azure entitlements are the Azure subscriptions
(learn.microsoft.com/partner-center/developer/get-a-list-of-azure-entitlements-for-subscription).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import ids
from .http import PartnerCenterError, PartnerCenterHttp

AZURE_PLAN_PRODUCT = "DZH318Z0BPS6"
"""The Azure plan's product ID: `targetView=MicrosoftAzure` lists it beside the legacy offer's."""
LEGACY_OFFER = "MS-AZR-0145P"
TARGET_VIEW = "MicrosoftAzure"
POLL_SECONDS = 30.0
TRANSITION = (
    "transition the customer from Microsoft Azure (MS-AZR-0145P) to an Azure plan with Partner Center's "
    "upgrade APIs first (learn.microsoft.com/partner-center/developer/transition-azure-subscription), "
    "then run again: an Azure plan cannot be created beside the legacy offer"
)


class AzurePlanError(Exception):
    """Why the Azure plan cannot be made sure of; the message says what to do."""


@dataclass(frozen=True)
class Entitlement:
    """An Azure subscription under the plan: its Azure subscription ID, name and status."""

    id: str
    friendly_name: str
    status: str


@dataclass(frozen=True)
class AzurePlan:
    """The plan's Partner Center subscription and its Azure subscriptions."""

    subscription_id: str
    status: str
    entitlements: tuple[Entitlement, ...]
    order_id: str | None = None
    """Set when this run ordered the plan."""

    def outputs(self) -> dict[str, Any]:
        return {
            "subscriptionId": self.subscription_id,
            "status": self.status,
            "azureSubscriptionIds": [e.id for e in self.entitlements],
            "entitlements": [
                {"id": e.id, "friendlyName": e.friendly_name, "status": e.status} for e in self.entitlements
            ],
            **({"orderId": self.order_id} if self.order_id else {}),
        }


@dataclass
class AzurePlans:
    """Partner Center's Azure plan operations for the customers of one partner."""

    http: PartnerCenterHttp
    clock: Callable[[], float] = time.monotonic
    poll_seconds: float = POLL_SECONDS

    def find(self, customer: str) -> AzurePlan | None:
        """The customer's Azure plan, or None; refuses a customer who still has the legacy offer."""
        subscriptions = list(self.http.items(f"/v1/customers/{customer}/subscriptions"))
        legacy = [s for s in subscriptions if _offer(s).startswith(LEGACY_OFFER) and _active(s)]
        plans = [s for s in subscriptions if _is_plan(s) and str(s.get("status", "")).lower() != "deleted"]
        if legacy and not plans:
            ids = ", ".join(str(s.get("id")) for s in legacy)
            raise AzurePlanError(f"customer {customer} has the legacy Azure offer ({ids}); {TRANSITION}")
        if not plans:
            return None
        if len(plans) > 1:  # one Azure plan per customer; never guess which one is meant
            ids = ", ".join(str(s.get("id")) for s in plans)
            raise AzurePlanError(f"customer {customer} has {len(plans)} Azure plan subscriptions ({ids})")
        return self.read(customer, str(plans[0]["id"]))

    def read(self, customer: str, subscription_id: str) -> AzurePlan | None:
        """The plan subscription and its entitlements; None when Partner Center no longer has it."""
        try:
            subscription = self.http.request(
                "GET", f"/v1/customers/{customer}/subscriptions/{subscription_id}"
            )
        except PartnerCenterError as exc:
            if exc.status == 404:
                return None
            raise
        entitlements = tuple(
            Entitlement(
                str(e.get("id", "")).lower(), str(e.get("friendlyName", "")), str(e.get("status", ""))
            )
            for e in self.http.items(
                f"/v1/customers/{customer}/subscriptions/{subscription_id}/azureEntitlements"
            )
        )
        return AzurePlan(subscription_id, str((subscription or {}).get("status", "")), entitlements)

    def ensure(self, customer: str, country: str, timeout_seconds: float) -> AzurePlan:
        """The customer's plan: the one it has, or one ordered now, waited for up to `timeout_seconds`."""
        if not ids.is_guid(customer) or not re.fullmatch(r"[A-Z]{2}", country):
            raise AzurePlanError(
                f"expected a customer tenant GUID and a country code, got {customer!r}, {country!r}"
            )
        existing = self.find(customer)
        if existing is not None:
            return existing
        catalog_item = self.catalog_item(country)
        cart = self.http.request(
            "POST",
            f"/v1/customers/{customer}/carts",
            {
                "lineItems": [
                    {"id": 0, "catalogItemId": catalog_item, "quantity": 1, "billingCycle": "one_time"}
                ]
            },
        )
        cart_id = str((cart or {}).get("id") or "")
        if not cart_id:
            raise AzurePlanError(f"Partner Center created no cart for customer {customer}")
        checkout = self.http.request("POST", f"/v1/customers/{customer}/carts/{cart_id}/checkout") or {}
        errors = checkout.get("orderErrors") or []
        orders = [o for o in checkout.get("orders") or [] if isinstance(o, dict)]
        if errors or not orders:
            detail = "; ".join(f"{e.get('errorCode')}: {e.get('errorDescription')}" for e in errors)
            raise AzurePlanError(
                f"checking out the Azure plan for customer {customer} placed no order: {detail or 'no order'}"
            )
        order_id = str(orders[0].get("id"))
        subscription_id = self.wait_for_order(customer, order_id, timeout_seconds)
        plan = self.read(customer, subscription_id)
        if plan is None:
            raise AzurePlanError(f"order {order_id} lists subscription {subscription_id}, which is not found")
        return AzurePlan(plan.subscription_id, plan.status, plan.entitlements, order_id)

    def catalog_item(self, country: str) -> str:
        """The CatalogItemId of the Azure plan's availability for `country`."""
        products = list(self.http.items(f"/v1/products?country={country}&targetView={TARGET_VIEW}"))
        product = next((p for p in products if p.get("id") == AZURE_PLAN_PRODUCT), None)
        if product is None:
            titles = ", ".join(f"{p.get('id')} ({p.get('title')})" for p in products) or "none"
            raise AzurePlanError(
                f"no Azure plan product ({AZURE_PLAN_PRODUCT}) in the {TARGET_VIEW} catalog for {country}; "
                f"listed: {titles}"
            )
        skus = list(self.http.items(f"/v1/products/{AZURE_PLAN_PRODUCT}/skus?country={country}"))
        if not skus:
            raise AzurePlanError(f"the Azure plan product has no SKU for {country}")
        sku = str(skus[0].get("id"))
        path = f"/v1/products/{AZURE_PLAN_PRODUCT}/skus/{sku}/availabilities?country={country}"
        for availability in self.http.items(path):
            if availability.get("catalogItemId"):
                return str(availability["catalogItemId"])
        raise AzurePlanError(f"the Azure plan SKU {sku} has no availability for {country}")

    def wait_for_order(self, customer: str, order_id: str, timeout_seconds: float) -> str:
        """The plan subscription of the order, once Partner Center lists the order (up to 15 minutes)."""
        deadline = self.clock() + timeout_seconds
        while True:
            subscription = self._order_subscription(customer, order_id)
            if subscription:
                return subscription
            if self.clock() >= deadline:
                raise AzurePlanError(
                    f"order {order_id} for customer {customer}'s Azure plan was placed, but Partner Center "
                    f"did not list it with its subscription within {timeout_seconds:g} seconds (Microsoft "
                    "documents up to 15 minutes); it was not ordered again: run again later, and the plan "
                    "will be found"
                )
            self.http.sleep(self.poll_seconds)

    def _order_subscription(self, customer: str, order_id: str) -> str | None:
        for order in self.http.items(f"/v1/customers/{customer}/orders"):
            if order.get("id") == order_id:
                for item in order.get("lineItems") or []:
                    if isinstance(item, dict) and item.get("subscriptionId"):
                        return str(item["subscriptionId"])
        return None

    def suspend(self, customer: str, subscription_id: str) -> AzurePlan:
        """Suspend the plan; refused while an Azure subscription under it is active (as Partner Center)."""
        plan = self.read(customer, subscription_id)
        if plan is None:
            raise AzurePlanError(f"customer {customer} has no Azure plan subscription {subscription_id}")
        active = [e.id for e in plan.entitlements if e.status.lower() == "active"]
        if active:
            raise AzurePlanError(
                f"the Azure plan {subscription_id} of customer {customer} has active usage: Azure "
                f"subscriptions {', '.join(active)}; Partner Center suspends a plan only without active "
                "usage: cancel or move them first, or keep the plan"
            )
        current = self.http.request("GET", f"/v1/customers/{customer}/subscriptions/{subscription_id}")
        body = {**(current or {}), "status": "suspended"}
        updated = self.http.request(
            "PATCH", f"/v1/customers/{customer}/subscriptions/{subscription_id}", body
        )
        return AzurePlan(subscription_id, str((updated or {}).get("status", "suspended")), plan.entitlements)


def _offer(subscription: dict[str, Any]) -> str:
    return str(subscription.get("offerId") or "").upper()


def _active(subscription: dict[str, Any]) -> bool:
    return str(subscription.get("status", "")).lower() in ("active", "suspended", "pending")


def _is_plan(subscription: dict[str, Any]) -> bool:
    return _offer(subscription).startswith(AZURE_PLAN_PRODUCT)
