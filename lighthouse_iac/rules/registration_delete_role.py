"""An offer lets the managing tenant remove its own delegation (the Registration Delete Role)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import roles
from ..policy_engine.grants import grants, properties
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import is_unknown


def _delete_role(resource: Resource, context: Context) -> Iterator[Finding]:
    if is_unknown(properties(resource).get("authorizations")):
        return
    if not any(g.role_id == roles.REGISTRATION_DELETE_ROLE for g in grants(resource, context)):
        yield Finding(
            ("properties", "authorizations"),
            "no authorization grants the Managed Services Registration assignment Delete Role "
            f"({roles.REGISTRATION_DELETE_ROLE}); without it only the customer can remove the delegation",
        )


RULE = Rule(
    name="lighthouse-registration-delete-role",
    description="An offer lets the managing tenant remove its own delegation (the Registration Delete Role).",
    severity="low",
    level="advisory",
    remediation="Grant `Managed Services Registration assignment Delete Role` to an administrators group.",
    facts=("TUR", "REM", "MKT"),
    applies_to=(DEFINITION,),
    check=_delete_role,
    reads=("properties",),
)
