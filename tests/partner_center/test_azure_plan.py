"""The AzurePlan dynamic provider against a local fake of Partner Center on 127.0.0.1.

The provider's create, read, diff, update and delete are called as the Pulumi engine calls them; HTTP is
the real `requests` client to the fake in `fake.py`. Waiting is measured on a fake clock that sleeping
advances, so nothing waits for real and the bounds are asserted exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pulumi.dynamic import CreateResult, ReadResult

from lighthouse_iac.partner_center.azure_plan import AzurePlanError, AzurePlans
from lighthouse_iac.partner_center.credentials import static_token
from lighthouse_iac.partner_center.http import PartnerCenterError, PartnerCenterHttp
from lighthouse_iac_components import azure_plan
from lighthouse_iac_components.azure_plan import AzurePlanProvider

from .fake import CATALOG_ITEM, TOKEN, FakePartnerCenter, serve

CUSTOMER = "8ad2ca68-ccfd-43e6-8ff9-3428cca138a5"
AZURE_SUB = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
PROPS = {
    "customerTenantId": CUSTOMER,
    "country": "US",
    "orderTimeoutMinutes": 20,
    "suspendOnDelete": False,
    "subscriptionId": None,
    "status": None,
    "azureSubscriptionIds": None,
    "entitlements": None,
}


def outs(result: CreateResult | ReadResult) -> dict[str, Any]:
    assert result.outs is not None
    return result.outs


@dataclass
class Clock:
    """Monotonic time that only sleeping moves."""

    now: float = 0.0
    slept: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@dataclass
class Setup:
    fake: FakePartnerCenter
    clock: Clock
    endpoint: str


@pytest.fixture
def pc(monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    fake, clock = FakePartnerCenter(), Clock()
    with serve(fake) as endpoint:

        def plans() -> AzurePlans:
            http = PartnerCenterHttp(endpoint, static_token(TOKEN), sleep=clock.sleep)
            return AzurePlans(http, clock=lambda: clock.now)

        monkeypatch.setattr(azure_plan, "_plans", plans)
        yield Setup(fake, clock, endpoint)


def test_a_customer_with_a_plan_gets_it_and_no_order(pc: Setup) -> None:
    sub = pc.fake.with_plan(CUSTOMER, {AZURE_SUB.upper(): "active"})
    created = AzurePlanProvider().create(dict(PROPS))
    assert created.id == sub
    assert outs(created)["azureSubscriptionIds"] == [AZURE_SUB]
    assert outs(created)["status"] == "active"
    assert pc.fake.orders_placed() == 0
    assert not any("/carts" in r.path or "/products" in r.path for r in pc.fake.requests)


def test_a_customer_without_a_plan_gets_one_order_polled_until_listed(pc: Setup) -> None:
    pc.fake.order_listed_after = 3  # the order is missing from the first three listings
    created = AzurePlanProvider().create(dict(PROPS))
    assert pc.fake.orders_placed() == 1
    customer = pc.fake.customers[CUSTOMER]
    assert created.id == customer.orders[0]["lineItems"][0]["subscriptionId"]
    assert outs(created)["orderId"] == customer.orders[0]["id"]
    assert outs(created)["azureSubscriptionIds"] == [customer.entitlements[created.id][0]["id"]]
    assert pc.clock.slept == [30.0, 30.0, 30.0]
    # The documented steps, in order: products of target view MicrosoftAzure, SKUs, availabilities, cart.
    (cart_id,) = customer.carts
    paths = [(r.method, r.path) for r in pc.fake.requests]
    assert paths[:6] == [
        ("GET", f"/v1/customers/{CUSTOMER}/subscriptions"),
        ("GET", "/v1/products?country=US&targetView=MicrosoftAzure"),
        ("GET", "/v1/products/DZH318Z0BPS6/skus?country=US"),
        ("GET", "/v1/products/DZH318Z0BPS6/skus/0001/availabilities?country=US"),
        ("POST", f"/v1/customers/{CUSTOMER}/carts"),
        ("POST", f"/v1/customers/{CUSTOMER}/carts/{cart_id}/checkout"),
    ]
    cart = next(r for r in pc.fake.requests if r.path.endswith("/carts"))
    assert cart.body == {
        "lineItems": [{"id": 0, "catalogItemId": CATALOG_ITEM, "quantity": 1, "billingCycle": "one_time"}]
    }
    # Created again (a retried `pulumi up`): the plan is found, nothing is ordered twice.
    again = AzurePlanProvider().create(dict(PROPS))
    assert (again.id, pc.fake.orders_placed()) == (created.id, 1)


def test_a_legacy_offer_customer_is_refused_with_the_transition_path(pc: Setup) -> None:
    legacy = pc.fake.with_legacy_offer(CUSTOMER)
    with pytest.raises(AzurePlanError) as raised:
        AzurePlanProvider().create(dict(PROPS))
    assert str(raised.value) == (
        f"customer {CUSTOMER} has the legacy Azure offer ({legacy}); transition the customer from Microsoft "
        "Azure (MS-AZR-0145P) to an Azure plan with Partner Center's upgrade APIs first "
        "(learn.microsoft.com/partner-center/developer/transition-azure-subscription), then run again: an "
        "Azure plan cannot be created beside the legacy offer"
    )
    assert pc.fake.orders_placed() == 0


def test_throttling_is_retried_after_the_time_partner_center_asks(pc: Setup) -> None:
    pc.fake.with_plan(CUSTOMER, {AZURE_SUB: "active"})
    pc.fake.throttle, pc.fake.retry_after = 3, "7"
    created = AzurePlanProvider().create(dict(PROPS))
    assert outs(created)["azureSubscriptionIds"] == [AZURE_SUB]
    assert pc.clock.slept == [7.0, 7.0, 7.0]
    # Every try of one request carries the same MS-RequestId.
    first = [r.headers["ms-requestid"] for r in pc.fake.requests[:4]]
    assert len(set(first)) == 1


def test_throttling_that_does_not_end_fails_with_partner_centers_words(pc: Setup) -> None:
    pc.fake.throttle, pc.fake.retry_after = 100, "3600"
    with pytest.raises(PartnerCenterError) as raised:
        AzurePlanProvider().create(dict(PROPS))
    assert str(raised.value) == (
        f"Partner Center GET /v1/customers/{CUSTOMER}/subscriptions answered HTTP 429: error 429: "
        "Rate limit is exceeded"
    )
    assert pc.clock.slept == [60.0, 60.0, 60.0, 60.0]  # Retry-After honoured up to a minute, five tries


def test_an_order_that_never_appears_is_waited_for_a_bounded_time(pc: Setup) -> None:
    pc.fake.order_listed_after = -1
    props = {**PROPS, "orderTimeoutMinutes": 2}
    with pytest.raises(AzurePlanError) as raised:
        AzurePlanProvider().create(props)
    order = pc.fake.customers[CUSTOMER].orders[0]["id"]
    assert str(raised.value) == (
        f"order {order} for customer {CUSTOMER}'s Azure plan was placed, but Partner Center did not list it "
        "with its subscription within 120 seconds (Microsoft documents up to 15 minutes); it was not ordered "
        "again: run again later, and the plan will be found"
    )
    assert sum(pc.clock.slept) == 120.0
    assert pc.fake.orders_placed() == 1


def test_read_refreshes_the_entitlements_and_notices_a_plan_gone(pc: Setup) -> None:
    sub = pc.fake.with_plan(CUSTOMER, {AZURE_SUB: "active"})
    created = AzurePlanProvider().create(dict(PROPS))
    pc.fake.customers[CUSTOMER].entitlements[sub].append(
        {**pc.fake.customers[CUSTOMER].entitlements[sub][0], "id": "cd517f52-d3a6-4df4-b0f7-c5afce02d973"}
    )
    read = AzurePlanProvider().read(sub, outs(created))
    assert (read.id, outs(read)["azureSubscriptionIds"]) == (
        sub,
        [AZURE_SUB, "cd517f52-d3a6-4df4-b0f7-c5afce02d973"],
    )
    assert AzurePlanProvider().read("00000000-0000-0000-0000-000000000001", outs(created)).id is None


def test_diff_replaces_only_for_another_customer(pc: Setup) -> None:
    provider = AzurePlanProvider()
    same = provider.diff("x", PROPS, dict(PROPS))
    assert (same.changes, same.replaces) == (False, [])
    suspend = provider.diff("x", PROPS, {**PROPS, "suspendOnDelete": True})
    assert (suspend.changes, suspend.replaces) == (True, [])
    other = provider.diff("x", PROPS, {**PROPS, "customerTenantId": "0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4"})
    assert (other.changes, other.replaces) == (True, ["customerTenantId"])
    assert pc.fake.requests == []  # diff asks Partner Center nothing


def test_delete_is_refused_unless_suspending_was_declared(pc: Setup) -> None:
    sub = pc.fake.with_plan(CUSTOMER, {AZURE_SUB: "disabled"})
    with pytest.raises(AzurePlanError) as raised:
        AzurePlanProvider().delete(sub, dict(PROPS))
    assert str(raised.value).startswith(
        f"refusing to delete the Azure plan {sub} of customer {CUSTOMER}: deleting this resource never "
        "cancels or suspends a plan silently."
    )
    assert [r.method for r in pc.fake.requests] == []
    assert pc.fake.customers[CUSTOMER].subscriptions[0]["status"] == "active"


def test_explicit_suspend_is_refused_while_the_plan_has_active_usage(pc: Setup) -> None:
    sub = pc.fake.with_plan(CUSTOMER, {AZURE_SUB: "active"})
    with pytest.raises(AzurePlanError) as raised:
        AzurePlanProvider().delete(sub, {**PROPS, "suspendOnDelete": True})
    assert str(raised.value) == (
        f"the Azure plan {sub} of customer {CUSTOMER} has active usage: Azure subscriptions {AZURE_SUB}; "
        "Partner Center suspends a plan only without active usage: cancel or move them first, or keep the "
        "plan"
    )
    assert not any(r.method == "PATCH" for r in pc.fake.requests)


def test_explicit_suspend_suspends_a_plan_without_usage(pc: Setup) -> None:
    sub = pc.fake.with_plan(CUSTOMER, {AZURE_SUB: "disabled"})
    AzurePlanProvider().delete(sub, {**PROPS, "suspendOnDelete": True})
    patch = next(r for r in pc.fake.requests if r.method == "PATCH")
    assert (patch.path, patch.body["status"]) == (
        f"/v1/customers/{CUSTOMER}/subscriptions/{sub}",
        "suspended",
    )
    assert pc.fake.customers[CUSTOMER].subscriptions[0]["status"] == "suspended"


def test_the_subscription_list_is_read_across_pages(pc: Setup) -> None:
    pc.fake.page_size = 2
    for _ in range(3):
        pc.fake.with_legacy_offer("c4a1e3f5-0d9b-4a7e-8f21-5b6c7d8e9f01")  # another customer's noise
    customer = pc.fake.customer(CUSTOMER)
    for _ in range(4):
        customer.subscriptions.append(
            {
                **pc.fake.customer("c4a1e3f5-0d9b-4a7e-8f21-5b6c7d8e9f01").subscriptions[0],
                "offerId": "CFQ7TTC0LH18:0001",
                "status": "active",
            }
        )
    sub = pc.fake.with_plan(CUSTOMER, {AZURE_SUB: "active"})  # fifth: on the third page
    assert AzurePlanProvider().create(dict(PROPS)).id == sub
    pages = [r for r in pc.fake.requests if "/subscriptions" in r.path and "azureEntitlements" not in r.path]
    assert [r.headers.get("ms-continuationtoken") for r in pages[:3]] == [None, "token-2", "token-4"]
    assert pc.fake.orders_placed() == 0


def test_the_endpoint_and_sign_in_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(azure_plan, "token_source", static_token)
    monkeypatch.setenv("PARTNER_CENTER_ENDPOINT", "https://partner.example.test/")
    monkeypatch.setenv("PARTNER_CENTER_AUTH", "app+user")
    plans = azure_plan._plans()
    assert (plans.http.endpoint, plans.http.token()) == ("https://partner.example.test", "app+user")
    monkeypatch.setenv("PARTNER_CENTER_ENDPOINT", "http://partner.example.test")
    with pytest.raises(ValueError, match="must be https"):
        azure_plan._plans()
    monkeypatch.setenv("PARTNER_CENTER_ENDPOINT", "https://partner.example.test")
    monkeypatch.setenv("PARTNER_CENTER_AUTH", "user")
    with pytest.raises(AzurePlanError, match="expected app or app\\+user"):
        azure_plan._plans()
