"""Every eligible authorization requires multi-factor authentication to activate."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import eligible_grants
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import describe, is_unknown


def _mfa(resource: Resource, context: Context) -> Iterator[Finding]:
    for grant in eligible_grants(resource, context):
        policy_value = grant.entry.get("justInTimeAccessPolicy")
        provider = grant.policy.get("multiFactorAuthProvider")
        if is_unknown(policy_value) or is_unknown(provider):
            continue
        if provider != "Azure":
            where = (*grant.loc, "justInTimeAccessPolicy", "multiFactorAuthProvider")
            found = "absent (the API's default is None)" if provider is None else describe(provider)
            yield Finding(
                where,
                f"multi-factor authentication is {found}; eligible access must require MFA on "
                "activation (multiFactorAuthProvider: Azure, requireMfa: true)",
            )


RULE = Rule(
    name="lighthouse-eligible-mfa",
    description="Every eligible authorization requires multi-factor authentication to activate.",
    severity="high",
    level="mandatory",
    remediation="Set `requireMfa: true` (multiFactorAuthProvider `Azure`) on the eligible authorization.",
    facts=("ELIG", "SPEC"),
    applies_to=(DEFINITION,),
    check=_mfa,
    reads=("properties",),
)
