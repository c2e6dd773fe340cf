"""Eligible access activates for PT30M at least and at most the configured maximum (PT8H)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import durations
from ..policy_engine.grants import DEFAULT_ACTIVATION, eligible_grants
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule, Tunable
from ..policy_engine.settings import ACTIVATION_PATTERN
from ..policy_engine.shape import describe, is_unknown


def _activation(resource: Resource, context: Context) -> Iterator[Finding]:
    limit = durations.parse_minutes(context.settings.maximum_activation) or durations.MAX_ACTIVATION_MINUTES
    limit = min(limit, durations.MAX_ACTIVATION_MINUTES)
    for grant in eligible_grants(resource):
        value: Any = grant.policy.get("maximumActivationDuration", DEFAULT_ACTIVATION)
        if is_unknown(value) or is_unknown(grant.entry.get("justInTimeAccessPolicy")):
            continue
        minutes = durations.parse_minutes(value) if isinstance(value, str) else None
        loc = (*grant.loc, "justInTimeAccessPolicy", "maximumActivationDuration")
        allowed = f"PT30M..{durations.format_minutes(limit)}"
        if minutes is None:
            yield Finding(loc, f"{describe(value)} is not an ISO 8601 duration such as PT30M or PT4H")
        elif not durations.MIN_ACTIVATION_MINUTES <= minutes <= limit:
            yield Finding(
                loc, f"activation of up to {value} is outside {allowed}; choose a duration within it"
            )


RULE = Rule(
    name="lighthouse-eligible-activation",
    description="Eligible access activates for PT30M at least and at most the configured maximum (PT8H).",
    severity="medium",
    level="mandatory",
    remediation="Set `maximumActivation` between PT30M and the maximum, in half-hour steps (ELIG).",
    facts=("ELIG",),
    applies_to=(DEFINITION,),
    check=_activation,
    reads=("properties",),
    tunables=(
        Tunable(
            "maximumActivation",
            {"type": "string", "pattern": ACTIVATION_PATTERN, "default": "PT8H"},
            (
                "The longest activation allowed, an ISO 8601 duration within PT30M..PT8H: PT<h>H, "
                "PT<h>H<m>M or PT<m>M."
            ),
        ),
    ),
)
