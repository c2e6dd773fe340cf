"""The customer's Azure plan as a Pulumi resource: a dynamic provider over Partner Center's REST API.

Creating it finds the customer's Azure plan or orders one (never twice); reading it refreshes the plan's
Azure subscriptions; deleting it never cancels anything: it is refused unless `suspendOnDelete` was
declared, and then it suspends the plan, which Partner Center refuses while the plan has active usage.
The Partner Center logic is `lighthouse_iac.partner_center`; this module only adapts it to Pulumi.

Where Partner Center is and how to sign in come from the environment of `pulumi up`, never from a stack
file (a pull request must not send the partner's token elsewhere): PARTNER_CENTER_ENDPOINT (default
https://api.partnercenter.microsoft.com) and PARTNER_CENTER_AUTH (`app`, default, or `app+user`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult

from lighthouse_iac.models import LighthouseConfig
from lighthouse_iac.partner_center.azure_plan import AzurePlanError, AzurePlans
from lighthouse_iac.partner_center.credentials import token_source
from lighthouse_iac.partner_center.http import DEFAULT_ENDPOINT, PartnerCenterHttp

ENDPOINT_VARIABLE = "PARTNER_CENTER_ENDPOINT"
AUTH_VARIABLE = "PARTNER_CENTER_AUTH"
OUTPUTS = ("subscriptionId", "status", "azureSubscriptionIds", "entitlements")


def _plans() -> AzurePlans:
    endpoint = os.environ.get(ENDPOINT_VARIABLE) or DEFAULT_ENDPOINT
    mode = os.environ.get(AUTH_VARIABLE) or "app"
    if mode not in ("app", "app+user"):
        raise AzurePlanError(f"{AUTH_VARIABLE}={mode!r}: expected app or app+user")
    return AzurePlans(PartnerCenterHttp(endpoint, token_source("app+user" if mode == "app+user" else "app")))


def _timeout(props: dict[str, Any]) -> float:
    return float(props.get("orderTimeoutMinutes") or 20) * 60


class AzurePlanProvider(ResourceProvider):
    """create/read/diff/update/delete of one customer's Azure plan; the resource ID is the plan's Partner
    Center subscription ID."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        plan = _plans().ensure(str(props["customerTenantId"]), str(props["country"]), _timeout(props))
        return CreateResult(id_=plan.subscription_id, outs={**props, **plan.outputs()})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        plan = _plans().read(str(props["customerTenantId"]), id_)
        if plan is None:  # gone from Partner Center: the engine drops it from the state
            return ReadResult(None, {})
        return ReadResult(id_, {**props, **plan.outputs()})

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Another customer is another plan (a protected resource refuses the replacement). The country and
        # the order timeout only matter when ordering, which happened; suspendOnDelete is kept in state.
        replaces = (
            ["customerTenantId"] if olds.get("customerTenantId") != news.get("customerTenantId") else []
        )
        changed = replaces or [
            k for k in ("country", "orderTimeoutMinutes", "suspendOnDelete") if olds.get(k) != news.get(k)
        ]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(outs={**news, **{k: olds[k] for k in OUTPUTS if k in olds}})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        customer = str(props["customerTenantId"])
        if not props.get("suspendOnDelete"):
            raise AzurePlanError(
                f"refusing to delete the Azure plan {id_} of customer {customer}: deleting this resource "
                "never cancels or suspends a plan silently. To suspend it, set "
                "lighthouse-iac:csp.azurePlan.suspendOnDelete: true and run `pulumi up` first; to stop "
                "managing it here without touching Partner Center, `pulumi state delete` its URN"
            )
        _plans().suspend(customer, id_)


@dataclass(frozen=True)
class AzurePlanArgs:
    customer_tenant_id: str
    country: str
    order_timeout_minutes: int = 20
    suspend_on_delete: bool = False


class AzurePlan(pulumi.dynamic.Resource):
    """A customer's Azure plan in Partner Center; protected unless `suspend_on_delete`."""

    # Outputs, named as the provider returns them: subscriptionId (the plan's Partner Center subscription),
    # azureSubscriptionIds (its entitlements' Azure subscription IDs), entitlements, status.

    def __init__(self, name: str, args: AzurePlanArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        protect = pulumi.ResourceOptions(protect=not args.suspend_on_delete)
        super().__init__(
            AzurePlanProvider(),
            name,
            {
                "customerTenantId": args.customer_tenant_id,
                "country": args.country,
                "orderTimeoutMinutes": args.order_timeout_minutes,
                "suspendOnDelete": args.suspend_on_delete,
                **dict.fromkeys(OUTPUTS),
            },
            pulumi.ResourceOptions.merge(opts, protect),
        )

    @property
    def summary(self) -> pulumi.Output[dict[str, Any]]:
        """The stack output `azurePlan`, which `lighthouse-iac plan|validate --azure-plans` read back."""
        return pulumi.Output.all(**{k: getattr(self, k) for k in ("subscriptionId", "azureSubscriptionIds")})


def azure_plan_of(stack: str, config: LighthouseConfig) -> AzurePlan | None:
    """The customer's `AzurePlan` when its stack declares `lighthouse-iac:csp.azurePlan`."""
    declared = config.csp.azure_plan if config.csp is not None else None
    if declared is None:
        return None
    return AzurePlan(
        f"{stack}-azure-plan",
        AzurePlanArgs(
            config.customer.tenant_id,
            declared.country,
            declared.order_timeout_minutes,
            declared.suspend_on_delete,
        ),
    )
