"""Access goes to security groups: individual users are refused, and service principals unless allowed by
configuration."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import principal_label, principal_refs
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.tunables import Tunable, flag

ALLOW_SERVICE_PRINCIPALS = Tunable(
    "allowServicePrincipals",
    default=False,
    value_schema={"type": "boolean"},
    description="Allow service principals in permanent authorizations (automation accounts).",
    parse=flag,
)


def _groups(resource: Resource, context: Context) -> Iterator[Finding]:
    allow_sp = context.settings.value(ALLOW_SERVICE_PRINCIPALS)
    for loc, principal, permanent in principal_refs(resource, context):
        found = context.principal(principal)
        if found is None:
            continue
        if found.kind == "user":
            yield Finding(
                loc,
                f"{principal_label(context, principal)} is a user; grant access to a security group "
                "instead, so that staff changes need no redeployment",
            )
        elif found.kind == "servicePrincipal" and permanent and not allow_sp:
            yield Finding(
                loc,
                f"{principal_label(context, principal)} is a service principal; grant access to a "
                "security group, or allow service principals (allowServicePrincipals: true)",
            )


RULE = Rule(
    name="lighthouse-group-principals",
    description=(
        "Access goes to security groups: individual users are refused, and service principals "
        "unless allowed by configuration."
    ),
    severity="high",
    level="mandatory",
    remediation=(
        "Create a security group in the managing tenant, add the user to it, declare the group in "
        "`managingTenant.principals` and grant the role to the group."
    ),
    facts=("TUR", "ONB"),
    applies_to=(DEFINITION,),
    check=_groups,
    reads=("properties",),
    tunables=(ALLOW_SERVICE_PRINCIPALS,),
    locked=True,
)
