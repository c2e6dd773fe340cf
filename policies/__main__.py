"""The lighthouse-iac CrossGuard pack: `pulumi preview --policy-pack policies` runs this."""

from crossguard import LOCKED, PACK_NAME, RuleContexts, policies
from pulumi_policy import EnforcementLevel
from server import Servicer, check_sdk, serve


def main() -> None:
    contexts = RuleContexts()  # the pack's state: read once, for the life of the process
    pack = policies(contexts)
    servicer = Servicer(
        PACK_NAME,
        pack,
        EnforcementLevel.MANDATORY,
        locked=LOCKED,
        state=contexts,
        description=(
            "Azure Lighthouse delegations: what Azure refuses and what reviewers must not let through."
        ),
        display_name="Azure Lighthouse (lighthouse-iac)",
        provider="azure",
        tags=["azure", "lighthouse"],
    )
    check_sdk(servicer, pack)  # before serving: no private SDK change may relax the locked rules
    serve(servicer)


main()
