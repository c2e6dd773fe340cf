"""A local fake of the Partner Center REST endpoints an Azure plan needs, on 127.0.0.1, for tests.

Requests and responses follow Microsoft's published REST reference (base URL
https://api.partnercenter.microsoft.com, paths under /v1, JSON bodies with camelCase names, collections as
`{"totalCount", "items", "links", "attributes": {"objectType": "Collection"}}`):
- products: learn.microsoft.com/partner-center/developer/get-a-list-of-products
  (`GET /v1/products?country={country}&targetView=MicrosoftAzure`)
- SKUs: learn.microsoft.com/partner-center/developer/get-a-list-of-skus-for-a-product
  (`GET /v1/products/{product-id}/skus?country={country}`)
- availabilities: learn.microsoft.com/partner-center/developer/get-a-list-of-availabilities-for-a-sku
  (`GET /v1/products/{product-id}/skus/{sku-id}/availabilities?country={country}`, `catalogItemId`)
- carts: learn.microsoft.com/partner-center/developer/create-a-cart (`POST /v1/customers/{id}/carts`, 201)
- checkout: learn.microsoft.com/partner-center/developer/checkout-a-cart
  (`POST /v1/customers/{id}/carts/{cart-id}/checkout`, 201, `{"orders": [...], "orderErrors": [...]}`)
- orders: learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-orders
  (`GET /v1/customers/{id}/orders`; an order is listed up to 15 minutes after checkout:
  learn.microsoft.com/partner-center/developer/create-azure-plan)
- subscriptions: learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-subscriptions and
  get-a-subscription-by-id (`GET /v1/customers/{id}/subscriptions[/{subscription-id}]`); suspending:
  learn.microsoft.com/partner-center/developer/suspend-a-subscription (`PATCH` with `"status": "suspended"`)
- Azure entitlements: learn.microsoft.com/partner-center/developer/
  get-a-list-of-azure-entitlements-for-subscription
  (`GET /v1/customers/{id}/subscriptions/{subscription-id}/azureEntitlements`)
- throttling: learn.microsoft.com/partner-center/developer/api-throttling-guidance (429, `Retry-After`)
- errors: learn.microsoft.com/partner-center/developer/error-codes (`{"code", "description", ...}`)
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PRODUCT = "DZH318Z0BPS6"
SKU = "0001"
CATALOG_ITEM = f"{PRODUCT}:{SKU}:{PRODUCT}_{SKU}_7FDC8F1A9B3C"
TOKEN = "fake-partner-center-token"


def collection(items: list[dict[str, Any]], next_link: dict[str, Any] | None = None) -> dict[str, Any]:
    links: dict[str, Any] = {"self": {"uri": "", "method": "GET", "headers": []}}
    if next_link:
        links["next"] = next_link
    return {
        "totalCount": len(items),
        "items": items,
        "links": links,
        "attributes": {"objectType": "Collection"},
    }


@dataclass
class Customer:
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    entitlements: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    orders: list[dict[str, Any]] = field(default_factory=list)
    carts: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakePartnerCenter:
    """State and behaviour of the fake; tests change them before and between calls."""

    customers: dict[str, Customer] = field(default_factory=dict)
    throttle: int = 0
    """Answer this many next requests with 429 and Retry-After."""
    retry_after: str = "2"
    order_listed_after: int = 1
    """How many reads of a customer's orders miss a new order before it is listed (-1: never)."""
    page_size: int = 100
    requests: list[Recorded] = field(default_factory=list)
    _checkouts: dict[str, dict[str, Any]] = field(default_factory=dict)
    _order_reads: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def customer(self, tenant: str) -> Customer:
        return self.customers.setdefault(tenant, Customer())

    def with_plan(self, tenant: str, azure_subscriptions: dict[str, str]) -> str:
        """Give `tenant` an Azure plan with these Azure subscriptions (ID: status); returns the plan's ID."""
        customer = self.customer(tenant)
        sub_id = str(uuid.uuid4())
        customer.subscriptions.append(_subscription(sub_id, f"{PRODUCT}:{SKU}", "Azure plan", "active"))
        customer.entitlements[sub_id] = [
            _entitlement(azure_id, sub_id, status) for azure_id, status in azure_subscriptions.items()
        ]
        return sub_id

    def with_legacy_offer(self, tenant: str) -> str:
        sub_id = str(uuid.uuid4())
        self.customer(tenant).subscriptions.append(
            _subscription(sub_id, "MS-AZR-0145P", "Microsoft Azure", "active")
        )
        return sub_id

    def orders_placed(self) -> int:
        return sum(1 for r in self.requests if r.method == "POST" and r.path.endswith("/checkout"))

    # --- request handling ------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: Any
    ) -> tuple[int, dict[str, str], Any]:
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        with self.lock:
            self.requests.append(Recorded(method, target, headers, body))
            if headers.get("authorization") != f"Bearer {TOKEN}":
                return 401, {}, {"code": 900402, "description": "The request is not authorized"}
            if self.throttle > 0:
                self.throttle -= 1
                return (
                    429,
                    {"Retry-After": self.retry_after},
                    {"code": 429, "description": "Rate limit is exceeded"},
                )
            return self._route(method, path, query, headers, body)

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: Any
    ) -> tuple[int, dict[str, str], Any]:
        country = (query.get("country") or [""])[0]
        if method == "GET" and path == "/v1/products":
            if (query.get("targetView") or [""])[0] != "MicrosoftAzure":
                return 400, {}, {"code": 400025, "description": "targetView is required"}
            return (
                200,
                {},
                collection(
                    [
                        _product("MS-AZR-0145P", "Microsoft Azure", country),
                        _product(PRODUCT, "Azure plan", country),
                    ]
                ),
            )
        if method == "GET" and path == f"/v1/products/{PRODUCT}/skus":
            return 200, {}, collection([_sku(country)])
        if method == "GET" and path == f"/v1/products/{PRODUCT}/skus/{SKU}/availabilities":
            return 200, {}, collection([_availability(country)])
        match = re.fullmatch(r"/v1/customers/([^/]+)/(.+)", path)
        if not match:
            return 404, {}, {"code": 404, "description": f"no route {path}"}
        customer = self.customer(match.group(1))
        rest = match.group(2)
        if method == "POST" and rest == "carts":
            return self._cart(customer, body)
        checkout = re.fullmatch(r"carts/([^/]+)/checkout", rest)
        if method == "POST" and checkout:
            return self._checkout(match.group(1), customer, checkout.group(1), headers)
        if method == "GET" and rest == "orders":
            return 200, {}, collection(self._listed_orders(match.group(1), customer))
        if rest == "subscriptions" and method == "GET":
            return self._page(customer.subscriptions, query, path)
        sub = re.fullmatch(r"subscriptions/([^/]+)(/azureEntitlements)?", rest)
        if sub:
            found = next((s for s in customer.subscriptions if s["id"] == sub.group(1)), None)
            if found is None:
                return 404, {}, {"code": 800008, "description": "Subscription not found"}
            if sub.group(2) and method == "GET":
                return 200, {}, collection(customer.entitlements.get(found["id"], []))
            if method == "GET":
                return 200, {}, found
            if method == "PATCH":
                return self._patch(customer, found, body)
        return 405, {}, {"code": 405, "description": f"{method} {path} is not supported by the fake"}

    def _page(
        self, items: list[dict[str, Any]], query: dict[str, list[str]], path: str
    ) -> tuple[int, dict[str, str], Any]:
        start = int((query.get("offset") or ["0"])[0])
        page = items[start : start + self.page_size]
        following = None
        if start + self.page_size < len(items):
            following = {
                "uri": f"{path.removeprefix('/v1')}?size={self.page_size}&offset={start + self.page_size}",
                "method": "GET",
                "headers": [{"key": "MS-ContinuationToken", "value": f"token-{start + self.page_size}"}],
            }
        return 200, {}, collection(page, following)

    def _cart(self, customer: Customer, body: Any) -> tuple[int, dict[str, str], Any]:
        items = body.get("lineItems") if isinstance(body, dict) else None
        if not items or items[0].get("catalogItemId") != CATALOG_ITEM:
            return 400, {}, {"code": 800001, "description": "invalid catalog item"}
        cart_id = str(uuid.uuid4())
        cart = {
            "id": cart_id,
            "creationTimestamp": "2026-11-29T20:00:00Z",
            "lastModifiedTimestamp": "2026-11-29T20:00:00Z",
            "expirationTimestamp": "2026-12-06T20:00:00Z",
            "lastModifiedUser": "fake",
            "lineItems": [{**items[0], "orderGroup": "0"}],
            "status": "Active",
            "attributes": {"objectType": "Cart"},
        }
        customer.carts[cart_id] = cart
        return 201, {}, cart

    def _checkout(
        self, tenant: str, customer: Customer, cart_id: str, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        request_id = headers.get("ms-requestid", "")
        if request_id and request_id in self._checkouts:  # the same request again: the same answer
            return 201, {}, self._checkouts[request_id]
        if cart_id not in customer.carts:
            return 404, {}, {"code": 800040, "description": "cart not found"}
        order_id = str(uuid.uuid4())
        sub_id = str(uuid.uuid4())
        order = {
            "id": order_id,
            "referenceCustomerId": tenant,
            "billingCycle": "one_time",
            "currencyCode": "USD",
            "lineItems": [
                {"lineItemNumber": 0, "offerId": CATALOG_ITEM, "subscriptionId": sub_id, "quantity": 1}
            ],
            "creationDate": "2026-11-29T20:00:01Z",
            "status": "completed",
            "attributes": {"objectType": "Order"},
        }
        customer.orders.append(order)
        customer.subscriptions.append(
            _subscription(sub_id, f"{PRODUCT}:{SKU}", "Azure plan", "active", order_id)
        )
        customer.entitlements[sub_id] = [_entitlement(str(uuid.uuid4()), sub_id, "active")]
        answer = {
            "orders": [{**order, "status": "pending"}],
            "orderErrors": [],
            "attributes": {"objectType": "CartCheckoutResult"},
        }
        self._checkouts[request_id] = answer
        return 201, {}, answer

    def _listed_orders(self, tenant: str, customer: Customer) -> list[dict[str, Any]]:
        reads = self._order_reads[tenant] = self._order_reads.get(tenant, 0) + 1
        if self.order_listed_after < 0 or reads <= self.order_listed_after:
            return customer.orders[:-1]
        return customer.orders

    def _patch(self, customer: Customer, found: dict[str, Any], body: Any) -> tuple[int, dict[str, str], Any]:
        if not isinstance(body, dict) or body.get("status") != "suspended":
            return 400, {}, {"code": 800001, "description": "only suspending is supported by the fake"}
        active = [e for e in customer.entitlements.get(found["id"], []) if e["status"] == "active"]
        if active:
            return (
                400,
                {},
                {
                    "code": 800059,
                    "description": "The Azure plan cannot be suspended while it has active subscriptions",
                },
            )
        found["status"] = "suspended"
        return 200, {}, found


def _product(product_id: str, title: str, country: str) -> dict[str, Any]:
    return {
        "id": product_id,
        "title": title,
        "description": title,
        "productType": {"id": "Azure", "displayName": "Azure"},
        "isMicrosoftProduct": True,
        "publisherName": "Microsoft Corporation",
        "links": {
            "skus": {"uri": f"/products/{product_id}/skus?country={country}", "method": "GET", "headers": []}
        },
        "attributes": {"objectType": "Product"},
    }


def _sku(country: str) -> dict[str, Any]:
    return {
        "id": SKU,
        "productId": PRODUCT,
        "title": "Azure plan",
        "description": "Azure plan",
        "minimumQuantity": 1,
        "maximumQuantity": 1,
        "isTrial": False,
        "supportedBillingCycles": ["one_time"],
        "purchasePrerequisites": [],
        "dynamicAttributes": {},
        "links": {
            "availabilities": {
                "uri": f"/products/{PRODUCT}/skus/{SKU}/availabilities?country={country}",
                "method": "GET",
                "headers": [],
            }
        },
        "attributes": {"objectType": "Sku"},
    }


def _availability(country: str) -> dict[str, Any]:
    return {
        "id": CATALOG_ITEM.rsplit(":", 1)[1],
        "productId": PRODUCT,
        "skuId": SKU,
        "catalogItemId": CATALOG_ITEM,
        "defaultCurrency": {"code": "USD", "symbol": "$"},
        "segment": "commercial",
        "country": country,
        "isPurchasable": True,
        "isRenewable": False,
        "terms": [],
        "attributes": {"objectType": "Availability"},
    }


def _subscription(
    sub_id: str, offer: str, name: str, status: str, order_id: str | None = None
) -> dict[str, Any]:
    return {
        "id": sub_id,
        "offerId": offer,
        "offerName": name,
        "friendlyName": name,
        "quantity": 1,
        "unitType": "Usage-based",
        "creationDate": "2026-11-29T20:00:01Z",
        "status": status,
        "autoRenewEnabled": False,
        "isTrial": False,
        "billingType": "usage",
        "contractType": "subscription",
        "orderId": order_id or str(uuid.uuid4()),
        "attributes": {"objectType": "Subscription"},
    }


def _entitlement(azure_id: str, sub_id: str, status: str) -> dict[str, Any]:
    return {
        "id": azure_id,
        "friendlyName": "Azure subscription 1",
        "status": status,
        "subscriptionId": sub_id,
        "partnerId": "4f1ce2e6-6f5e-4b4a-9c0a-7d1b2c3d4e5f",
        "attributes": {"objectType": "AzureEntitlement"},
    }


class _Handler(BaseHTTPRequestHandler):
    fake: FakePartnerCenter

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, extra, answer = self.fake.handle(method, self.path, headers, body)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(fake: FakePartnerCenter) -> Iterator[str]:
    """Serve `fake` on 127.0.0.1 (a free port) until the block ends; yields its endpoint URL."""
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
