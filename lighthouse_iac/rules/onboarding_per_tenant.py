"""An onboarding identity serves one customer tenant, unless the stack says why (a fleet rule)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..policy_engine.fleet import others
from ..policy_engine.model import FleetFinding, Member, Rule


def _findings(members: Sequence[Member]) -> Iterator[FleetFinding]:
    by_identity: dict[str, list[Member]] = {}
    for member in members:
        if member.onboarding is not None:
            by_identity.setdefault(member.onboarding, []).append(member)
    for group in by_identity.values():
        for member in group:
            clashes = [(o.stack, o.onboarding_place) for o in group if o.tenant != member.tenant]
            if clashes and member.shared_identity_reason is None:
                yield FleetFinding(
                    member.stack,
                    member.onboarding_place,
                    f"onboarding object ID {member.onboarding} is also the onboarding identity of "
                    f"{others(clashes)}, in another tenant; object IDs are per tenant, so one of them is "
                    "a copy: set this customer's own identity, or say why in onboarding.sharedIdentityReason",
                )


RULE = Rule(
    name="lighthouse-onboarding-per-tenant",
    description="An onboarding identity serves one customer tenant, unless the stack says why.",
    severity="medium",
    level="mandatory",
    remediation="Set each customer's own onboarding identity, or set onboarding.sharedIdentityReason.",
    facts=("ONB",),
    fleet=True,
    check_fleet=_findings,
)
