"""The lighthouse-iac CrossGuard pack: `pulumi preview --policy-pack policies` runs this."""

from crossguard import PACK_NAME, policies
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(
    name=PACK_NAME,
    policies=policies(),
    enforcement_level=EnforcementLevel.MANDATORY,
    description="Azure Lighthouse delegations: what Azure refuses and what reviewers must not let through.",
    display_name="Azure Lighthouse (lighthouse-iac)",
    provider="azure",
    tags=["azure", "lighthouse"],
)
