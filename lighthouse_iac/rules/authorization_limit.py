"""An offer has at most 20 authorizations, the Marketplace plan limit."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import properties, repeats
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import length
from ..policy_engine.tunables import Tunable, count

MAXIMUM_AUTHORIZATIONS = Tunable(
    "maximumAuthorizations",
    default=20,  # MKT
    value_schema={"type": "integer", "minimum": 1},
    description="The most authorizations (permanent and eligible) an offer may have.",
    parse=count,
)


def _limit(resource: Resource, context: Context) -> Iterator[Finding]:
    props = properties(resource)
    counts = [length(props.get(k)) for k in ("authorizations", "eligibleAuthorizations")]
    # A repeated grant is one authorization (lighthouse-duplicate-authorization reports the repeat).
    total = sum(c or 0 for c in counts) - sum(1 for _ in repeats(resource, context))
    maximum = context.settings.value(MAXIMUM_AUTHORIZATIONS)
    if total > maximum:
        yield Finding(
            ("properties", "authorizations"),
            f"{total} distinct authorizations (permanent and eligible); a Marketplace plan allows at most "
            f"{maximum}: group principals, or split the offer",
        )


RULE = Rule(
    name="lighthouse-authorization-limit",
    description="An offer has at most 20 authorizations, the Marketplace plan limit.",
    severity="low",
    level="advisory",
    remediation="Grant roles to fewer, larger groups, or split the offer in two.",
    facts=("MKT",),
    applies_to=(DEFINITION,),
    check=_limit,
    reads=("properties",),
    tunables=(MAXIMUM_AUTHORIZATIONS,),
)
