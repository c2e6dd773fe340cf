"""An offer grants a principal a role, permanent or eligible, once."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import format_path
from ..policy_engine.grants import principal_label, repeats, role_label
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule


def _duplicates(resource: Resource, context: Context) -> Iterator[Finding]:
    for first, repeat, principal_id, role_id in repeats(resource, context):
        access = "eligible" if first.eligible else "permanent"
        yield Finding(
            repeat.loc,
            f"grants {principal_label(context, principal_id)} {role_label(context, role_id)}, "
            f"{access}, as {format_path(first.loc)} does already; remove one of the two",
            related=first.loc,
        )


RULE = Rule(
    name="lighthouse-duplicate-authorization",
    description="An offer grants a principal a role, permanent or eligible, once.",
    severity="low",
    level="advisory",
    remediation="Remove the repeated authorization; keep the one whose settings you mean.",
    facts=("SPEC", "MKT"),
    applies_to=(DEFINITION,),
    check=_duplicates,
    reads=("properties",),
)
