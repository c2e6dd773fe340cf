"""One customer: every offer it delegates to the managing tenant.

No `from __future__ import annotations` here: Pulumi's component analyzer reads these annotations as types
to build the package schema that other languages' SDKs are generated from.
"""

from typing import Any

import pulumi

from lighthouse_iac.plan import CustomerPlan, Grant, OfferPlan, build_plan

from .inputs import CustomerDelegationArgs
from .offer import OfferDelegation, OfferDelegationArgs
from .validation import validated


class CustomerDelegation(pulumi.ComponentResource):
    """All Azure Lighthouse delegations of one customer tenant: per offer, a registration definition per
    subscription and a registration assignment per delegated scope, protected unless offboarded."""

    summary: pulumi.Output[dict[str, Any]]
    """Per offer key: its name, definition and assignment resource IDs, and who gets which role."""

    def __init__(
        self, name: str, args: CustomerDelegationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # Validated before anything is registered, the component itself included: bad input registers nothing.
        plan = build_plan(validated(name, args))
        super().__init__("lighthouse:index:CustomerDelegation", name, None, opts)
        offers = {
            offer.offer.key: OfferDelegation(
                offer.name, OfferDelegationArgs(offer), pulumi.ResourceOptions(parent=self)
            )
            for offer in plan.offers
        }
        self.summary = _summary(plan, offers)
        self.register_outputs({"summary": self.summary})


def _summary(plan: CustomerPlan, offers: dict[str, OfferDelegation]) -> pulumi.Output[dict[str, Any]]:
    return pulumi.Output.all(**{o.offer.key: _offer_summary(o, offers[o.offer.key]) for o in plan.offers})


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
