"""Every principal and approver is declared in the managing tenant's directory."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import principal_refs
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule


def _known(resource: Resource, context: Context) -> Iterator[Finding]:
    if context.principals is None:
        # Fail closed: without the directory no principal can be judged (users, service principals).
        yield Finding(
            ("properties",),
            "the managing tenant's directory is not in this stack's configuration "
            "(lighthouse-iac:managingTenant with its principals), so no principal can be checked; "
            "declare it in Pulumi.yaml or the stack file",
        )
        return
    for loc, principal, _ in principal_refs(resource, context):
        if context.principal(principal) is None:
            yield Finding(
                loc,
                f"principal {principal} is not in the managing tenant's directory; declare it under "
                "managingTenant.principals with its kind and display name",
            )


RULE = Rule(
    name="lighthouse-known-principal",
    description="Every principal and approver is declared in the managing tenant's directory.",
    severity="high",
    level="mandatory",
    remediation=(
        "Add the principal to `managingTenant.principals` in Pulumi.yaml (objectId, kind, displayName), "
        "or correct the object ID."
    ),
    facts=("TUR",),
    applies_to=(DEFINITION,),
    check=_known,
    reads=("properties",),
    locked=True,
)
