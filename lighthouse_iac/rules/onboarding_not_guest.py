"""The identity that onboards the customer is not a guest in the customer's tenant."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..policy_engine.model import Context, Finding, Resource, Rule


def _not_guest(resources: Iterable[Resource], context: Context) -> Iterator[Finding]:
    onboarding = context.onboarding
    if onboarding is not None and onboarding.user_type.casefold() == "guest":
        yield Finding(
            ("onboarding", "userType"),
            f"the onboarding identity {onboarding.object_id} is a guest of the customer's tenant; the "
            "delegation must be deployed by a member (non-guest) account of that tenant",
        )


RULE = Rule(
    name="lighthouse-onboarding-not-guest",
    description="The identity that onboards the customer is not a guest in the customer's tenant.",
    severity="high",
    level="mandatory",
    remediation=(
        "Have a member account of the customer's tenant (or a service principal of it) deploy the "
        "delegation and declare it under lighthouse-iac:onboarding."
    ),
    facts=("seeds", "ONB"),
    check_stack=_not_guest,
    locked=True,
)
