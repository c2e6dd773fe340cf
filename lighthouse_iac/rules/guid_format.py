"""Every ID (tenant, principal, role, definition, assignment) is a GUID, not a placeholder."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import ids
from ..policy_engine.grants import grants, properties, role_guid
from ..policy_engine.model import ASSIGNMENT, DEFINITION, Context, Finding, Loc, Resource, Rule
from ..policy_engine.shape import describe, is_unknown


def _problem(value: object, required: bool, role: bool = False) -> str | None:
    """What is wrong with an ID value, or None when it is a GUID, unknown, or absent but optional."""
    if ids.is_guid(value):  # nearly every value: one match, and only the all-zero one is wrong
        return "is the all-zero placeholder GUID; put the real ID here" if value == ids.NIL_GUID else None
    if is_unknown(value) or (value is None and not required):
        return None
    if value is None:
        return "is missing; expected a GUID"
    if role and role_guid(value):
        return f"is a resource ID; Lighthouse expects the bare role GUID {role_guid(value)}"
    if ids.is_placeholder(value):
        return f"{describe(value)} is a placeholder; put the real ID here"
    return f"{describe(value)} is not a GUID; expected 8-4-4-4-12 hexadecimal digits"


def _guids(resource: Resource, context: Context) -> Iterator[Finding]:
    checks: list[tuple[Loc, object, bool, bool]] = []
    inputs = resource.inputs
    if resource.kind == DEFINITION:
        props = properties(resource)
        checks.append((("registrationDefinitionId",), inputs.get("registrationDefinitionId"), False, False))
        if not is_unknown(inputs.get("properties")):
            checks.append((("properties", "managedByTenantId"), props.get("managedByTenantId"), False, False))
        for grant in grants(resource, context):
            # An ID the grant read as a GUID (a bare one, for a role) has nothing wrong: not checked again.
            if grant.principal_id is None:
                checks.append(((*grant.loc, "principalId"), grant.entry.get("principalId"), True, False))
            role: Any = grant.entry.get("roleDefinitionId")
            if grant.role_id is None or "/" in role:
                checks.append(((*grant.loc, "roleDefinitionId"), role, True, True))
            delegated = grant.entry.get("delegatedRoleDefinitionIds")
            if isinstance(delegated, list):
                for j, value in enumerate(delegated):
                    checks.append(((*grant.loc, "delegatedRoleDefinitionIds", j), value, True, True))
            for loc, approver, found in grant.approver_refs():
                if found is None:
                    checks.append(((*loc, "principalId"), approver.get("principalId"), True, False))
    elif resource.kind == ASSIGNMENT:
        checks.append((("registrationAssignmentId",), inputs.get("registrationAssignmentId"), False, False))
    for loc, value, required, role in checks:
        problem = _problem(value, required, role)
        if problem:
            name = ".".join(str(p) for p in loc if isinstance(p, str))
            yield Finding(loc, f"{name.rsplit('.', 1)[-1]} {problem}")


RULE = Rule(
    name="lighthouse-guid-format",
    description="Every ID (tenant, principal, role, definition, assignment) is a GUID, not a placeholder.",
    severity="high",
    level="mandatory",
    remediation="Replace the value with the GUID it stands for (`az ad group show`, `az role definition "
    "list`); role IDs are bare GUIDs, not resource IDs.",
    facts=("SPEC", "SAMPLES"),
    applies_to=(DEFINITION, ASSIGNMENT),
    check=_guids,
    reads=("registrationDefinitionId", "registrationAssignmentId", "properties"),
    about_values=True,
)
