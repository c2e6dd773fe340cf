"""A definition has at least one permanent authorization."""

from __future__ import annotations

from collections.abc import Iterator

from ..policy_engine.grants import properties
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import describe, is_unknown, length


def _authorization_required(resource: Resource, context: Context) -> Iterator[Finding]:
    props = resource.inputs.get("properties")
    value = properties(resource).get("authorizations")
    if is_unknown(props) or is_unknown(value):
        return
    if not length(value):
        yield Finding(
            ("properties", "authorizations"),
            f"authorizations is {describe(value) if value is not None else 'missing'}; a definition needs "
            "at least one permanent authorization",
        )


RULE = Rule(
    name="lighthouse-authorization-required",
    description="A definition has at least one permanent authorization.",
    severity="high",
    level="mandatory",
    remediation="Add a permanent authorization, at least Reader for the team that serves the customer.",
    facts=("SPEC", "MKT"),
    applies_to=(DEFINITION,),
    check=_authorization_required,
    reads=("properties",),
)
