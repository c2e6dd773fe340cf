"""One customer: every offer it delegates to the managing tenant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from lighthouse_iac.plan import CustomerPlan, Grant, OfferPlan

from .offer import OfferDelegation, OfferDelegationArgs


@dataclass(frozen=True)
class CustomerDelegationArgs:
    plan: CustomerPlan
    """The customer's validated plan, from `lighthouse_iac.plan.build_plan`."""


class CustomerDelegation(pulumi.ComponentResource):
    """All Lighthouse delegations of one customer tenant."""

    offers: dict[str, OfferDelegation]
    summary: pulumi.Output[dict[str, Any]]
    """Per offer key: name, definition and assignment resource IDs, and who gets which role."""

    def __init__(
        self, name: str, args: CustomerDelegationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("lighthouse:index:CustomerDelegation", name, None, opts)
        self.offers = {
            offer.offer.key: OfferDelegation(
                offer.name, OfferDelegationArgs(offer), pulumi.ResourceOptions(parent=self)
            )
            for offer in args.plan.offers
        }
        self.summary = pulumi.Output.all(
            **{o.offer.key: _offer_summary(o, self.offers[o.offer.key]) for o in args.plan.offers}
        )
        self.register_outputs({"summary": self.summary})


def _offer_summary(offer: OfferPlan, component: OfferDelegation) -> pulumi.Output[dict[str, Any]]:
    def summarize(ids: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": offer.offer.name,
            "offboarding": offer.offboard,
            "access": [_access_line(g) for g in offer.grants],
            **ids,
        }

    return pulumi.Output.all(
        definitionIds=component.definition_ids, assignmentIds=component.assignment_ids
    ).apply(summarize)


def _access_line(grant: Grant) -> str:
    kind = f"eligible up to {grant.maximum_activation}" if grant.eligible else "permanent"
    return f"{grant.principal_name}: {grant.role_name} ({kind})"
