"""Locked rules stay mandatory in the pack, whatever level its configuration asks for (docs/security.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pulumi_policy import EnforcementLevel, Policy
from pulumi_policy import policy as _sdk

from lighthouse_iac.rules import RULES

if TYPE_CHECKING:
    from crossguard import RuleContexts

_LOCKED = frozenset(rule.name for rule in RULES if rule.locked)
_KEPT = (EnforcementLevel.MANDATORY, EnforcementLevel.REMEDIATE)


def lock_levels(contexts: RuleContexts) -> None:
    """Keep the locked rules mandatory in this pack process, whatever level the engine configures; their
    violations then say what the configuration asked for.

    The SDK applies the levels of `--policy-pack-config` itself: it skips a disabled policy and reports
    an advisory one as advisory, and the engine takes the level a violation carries. A configuration is a
    file a pull request can change, so the pack asks the SDK's one place that decides a level
    (`_get_enforcement_level`, private: the pin `pulumi-policy<2` and tests/policies keep it honest), and
    the pack refuses to start when that place is gone rather than run with relaxable rules.
    """
    servicer = _sdk._PolicyAnalyzerServicer
    decide = getattr(servicer, "_get_enforcement_level", None)
    if decide is None:
        raise RuntimeError("pulumi-policy changed: the pack cannot keep its locked rules mandatory")

    def locked_level(self: Any, rule: Policy) -> EnforcementLevel:
        level: EnforcementLevel = decide(self, rule)
        if rule.name not in _LOCKED:
            return level
        contexts.relaxed(rule.name, None if level in _KEPT else level.value)
        return EnforcementLevel.MANDATORY if level not in _KEPT else level

    setattr(servicer, "_get_enforcement_level", locked_level)  # noqa: B010 (mypy: a method)
