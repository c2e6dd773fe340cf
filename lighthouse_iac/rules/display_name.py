"""Display names shown to the customer match the managing tenant's directory."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import grants
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import text


def _display_names(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in grants(resource, context):
        for loc, entry, principal in ((grant.loc, grant.entry, grant.principal_id), *grant.approver_refs()):
            found = context.principal(principal) if principal else None
            shown = text(entry.get("principalIdDisplayName"))
            if found is None or shown is None or found.display_name is None:
                continue
            if shown != found.display_name:
                yield Finding(
                    (*loc, "principalIdDisplayName"),
                    f"display name '{shown}' differs from the directory's '{found.display_name}' "
                    f"for {found.name}; the customer sees this name in the portal",
                )


RULE = Rule(
    name="lighthouse-display-name",
    description="Display names shown to the customer match the managing tenant's directory.",
    severity="low",
    level="advisory",
    remediation="Correct `displayName` in `managingTenant.principals`, or the name in the template.",
    facts=("SPEC",),
    applies_to=(DEFINITION,),
    check=_display_names,
    reads=("properties",),
)
