"""The lighthouse-iac CrossGuard pack: `pulumi preview --policy-pack policies` runs this."""

from crossguard import PACK_NAME, RuleContexts, policies
from locking import lock_levels
from pulumi_policy import EnforcementLevel, PolicyPack

contexts = RuleContexts()
lock_levels(contexts)  # before the SDK serves: no configuration may relax the locked rules
PolicyPack(
    name=PACK_NAME,
    policies=policies(contexts),
    enforcement_level=EnforcementLevel.MANDATORY,
    description="Azure Lighthouse delegations: what Azure refuses and what reviewers must not let through.",
    display_name="Azure Lighthouse (lighthouse-iac)",
    provider="azure",
    tags=["azure", "lighthouse"],
)
