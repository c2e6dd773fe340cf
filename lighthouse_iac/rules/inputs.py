"""The rule on the pack's own inputs: what it could not read must fail the run, not fall back quietly."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .model import Context, Finding, Resource, Rule


def _problems(resources: Iterable[Resource], context: Context) -> Iterator[Finding]:
    for loc, message in context.problems:
        yield Finding(loc, message)


POLICY_INPUTS = Rule(
    name="lighthouse-policy-inputs",
    description=(
        "The policy pack can read what the rules depend on: the project's role catalogues and its own "
        "settings."
    ),
    severity="high",
    level="mandatory",
    remediation=(
        "Make every file listed in lighthouse-iac:roleCatalogues readable where the pack runs (ship a copy "
        "with a published pack) and correct the pack settings the message names."
    ),
    facts=("seeds",),
    check_stack=_problems,
    locked=True,
)
