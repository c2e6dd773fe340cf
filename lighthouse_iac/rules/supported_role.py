"""Every role granted or delegated is a built-in role that Lighthouse accepts: known to the role catalogue,
without DataActions and without restricted Microsoft.Authorization actions."""

from __future__ import annotations

from collections.abc import Iterator

from .. import roles
from ..policy_engine.grants import grants, role_label, role_refs
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule

_SPECIAL = (roles.OWNER, roles.USER_ACCESS_ADMINISTRATOR)


def _supported(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in grants(resource, context):
        for loc, role_id in role_refs(grant):
            if role_id is None or role_id in _SPECIAL:
                continue  # not a GUID (lighthouse-guid-format), or Owner/UAA (their own rules)
            role, summary = context.catalogue.by_id(role_id), context.catalogue.summary(role_id)
            if role is None or summary is None:
                yield Finding(
                    loc,
                    f"role {role_id} is not a built-in role of the role catalogue; Lighthouse accepts only "
                    "built-in roles (no custom or classic roles). If Microsoft added it recently, add a "
                    "newer export to roleCatalogues",
                )
            elif role.data_actions:
                yield Finding(
                    loc,
                    f"{role_label(context, role_id)} has DataActions ({role.data_actions[0]}"
                    f"{', ...' if len(role.data_actions) > 1 else ''}), and Lighthouse refuses roles with "
                    "DataActions; choose a built-in role without them",
                )
            elif restricted := summary.restricted:
                yield Finding(
                    loc,
                    f"{role_label(context, role_id)} allows {', '.join(restricted)}, which Lighthouse "
                    "refuses; choose a built-in role without write or delete on Microsoft.Authorization",
                )


RULE = Rule(
    name="lighthouse-supported-role",
    description=(
        "Every role granted or delegated is a built-in role that Lighthouse accepts: known to the role "
        "catalogue, without DataActions and without restricted Microsoft.Authorization actions."
    ),
    severity="high",
    level="mandatory",
    remediation=(
        "Pick another built-in role: `az role definition list --name <role>` shows its permissions. "
        "Roles change when Microsoft adds DataActions; refresh the catalogue with a new export "
        "(roleCatalogues in Pulumi.yaml)."
    ),
    facts=("TUR", "SAMPLES"),
    applies_to=(DEFINITION,),
    check=_supported,
    reads=("properties",),
    locked=True,
)
