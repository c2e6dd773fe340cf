"""Registration definitions are created only at subscription scope."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import describe, is_unknown
from ..policy_engine.subscriptions import RESOURCE_GROUP, SUBSCRIPTION


def _definition_scope(resource: Resource, context: Context) -> Iterator[Finding]:
    scope = resource.inputs.get("scope")
    if is_unknown(scope) or (isinstance(scope, str) and SUBSCRIPTION.match(scope)):
        return
    hint = (
        "; a definition at resource-group scope fails with InvalidRegistrationDefinitionUri, put it at "
        "the subscription and assign it to the resource group"
        if isinstance(scope, str) and RESOURCE_GROUP.match(scope)
        else ""
    )
    yield Finding(("scope",), f"scope {describe(scope)} is not a subscription (/subscriptions/<GUID>){hint}")


RULE = Rule(
    name="lighthouse-definition-scope",
    description="Registration definitions are created only at subscription scope.",
    severity="high",
    level="mandatory",
    remediation="Deploy the definition at `/subscriptions/<subscription GUID>`; delegate resource groups "
    "with assignments.",
    facts=("ARCH", "SAMPLES"),
    applies_to=(DEFINITION,),
    check=_definition_scope,
)
