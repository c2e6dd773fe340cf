"""Eligible access activates for PT30M at least and at most the configured maximum (PT8H)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .. import durations
from ..policy_engine.grants import DEFAULT_ACTIVATION, eligible_grants
from ..policy_engine.model import DEFINITION, Context, Finding, Resource, Rule
from ..policy_engine.shape import describe, is_unknown
from ..policy_engine.tunables import Parsed, Tunable

# PT30M..PT8H (ELIG) as PT<h>H, PT<h>H<m>M (m < 60) or PT<m>M, without leading zeros: a range that a
# regular expression can state, so that the Pulumi CLI (Go's regexp: unanchored, `$` is the end of the
# text) refuses "PT10H" before the run; `_parse` accepts exactly what it accepts.
ACTIVATION_PATTERN = "^PT(?:[1-7]H(?:[1-5]?[0-9]M)?|8H(?:0M)?|(?:[3-9][0-9]|[1-3][0-9]{2}|4[0-7][0-9]|480)M)$"
_ACTIVATION = re.compile(ACTIVATION_PATTERN.removesuffix("$") + r"\Z")


def _parse(value: Any) -> Parsed:
    minutes = durations.parse_minutes(value) if isinstance(value, str) else None
    low, high = durations.MIN_ACTIVATION_MINUTES, durations.MAX_ACTIVATION_MINUTES
    if minutes is None or not low <= minutes <= high or not _ACTIVATION.match(value):
        return None, (
            "expected an ISO 8601 duration within PT30M..PT8H (ELIG), written PT<h>H, PT<h>H<m>M or "
            f"PT<m>M, found {describe(value)}"
        )
    return value, None


MAXIMUM_ACTIVATION = Tunable(
    "maximumActivation",
    default="PT8H",
    value_schema={"type": "string", "pattern": ACTIVATION_PATTERN},
    description=(
        "The longest activation allowed, an ISO 8601 duration within PT30M..PT8H: PT<h>H, "
        "PT<h>H<m>M or PT<m>M."
    ),
    parse=_parse,
)


def _activation(resource: Resource, context: Context) -> Iterator[Finding]:
    maximum = context.settings.value(MAXIMUM_ACTIVATION)
    limit = durations.parse_minutes(maximum) or durations.MAX_ACTIVATION_MINUTES
    limit = min(limit, durations.MAX_ACTIVATION_MINUTES)
    for grant in eligible_grants(resource, context):
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
    tunables=(MAXIMUM_ACTIVATION,),
)
