"""Every Azure subscription of a CSP customer's Azure plan is delegated by an offer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..policy_engine.model import Context, Finding, Resource, Rule
from ..policy_engine.subscriptions import delegated


def _undelegated(resources: Iterable[Resource], context: Context) -> Iterator[Finding]:
    csp = context.csp
    if csp is None or csp.plan_subscriptions is None:
        return
    missing = sorted(csp.plan_subscriptions - set(delegated(resources)))
    if missing:
        yield Finding(
            ("csp", "azurePlan"),
            f"the customer's Azure plan has subscription(s) that no offer delegates: {', '.join(missing)} "
            "(as the last deployment's snapshot lists them); the MSP manages them through AOBO alone",
        )


RULE = Rule(
    name="lighthouse-csp-plan-delegated",
    description="Every Azure subscription of a CSP customer's Azure plan is delegated by an offer.",
    severity="low",
    level="advisory",
    remediation=(
        "Add the subscription to an offer's scopes (or list it deliberately elsewhere), then run "
        "`pulumi up`; refresh the snapshot with `pulumi stack output --json` after each deployment."
    ),
    facts=("CSPDOC", "seeds"),
    check_stack=_undelegated,
)
