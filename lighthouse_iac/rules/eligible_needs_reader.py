"""Every eligible principal also has a permanent Reader, or a role that includes it."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import Grant, grants, principal_label
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import is_unknown


def _needs_reader(resource: Resource, context: Context) -> Iterator[Finding]:
    readers: set[str] = set()
    eligible: list[Grant] = []
    for grant in grants(resource, context):
        if grant.eligible:
            eligible.append(grant)
            continue
        summary = context.catalogue.summary(grant.role_id) if grant.role_id else None
        if grant.principal_id and summary is not None and summary.reads_everything:
            readers.add(grant.principal_id)
        elif is_unknown(grant.entry.get("principalId")) or is_unknown(grant.entry.get("roleDefinitionId")):
            return  # cannot tell at preview who reads
    for grant in eligible:
        principal = grant.principal_id
        if principal and principal not in readers:
            yield Finding(
                (*grant.loc, "principalId"),
                f"{principal_label(context, principal)} is eligible but has no permanent Reader (or a role "
                "including it); add one so that they can find the customer and elevate in the portal",
            )


RULE = Rule(
    name="lighthouse-eligible-needs-reader",
    description="Every eligible principal also has a permanent Reader, or a role that includes it.",
    severity="low",
    level="advisory",
    remediation="Add a permanent authorization with Reader for the same principal.",
    facts=("ELIG", "TUR"),
    applies_to=(DEFINITION,),
    check=_needs_reader,
    reads=("properties",),
)
