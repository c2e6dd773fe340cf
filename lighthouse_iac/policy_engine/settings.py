"""Rule settings: enforcement levels and the values of the rules' tunables, as a config file sets them.

One file serves both `pulumi preview --policy-pack-config FILE` and `lighthouse-iac validate --config FILE`
(`settings_file.py` reads it): keys are rule names (or `all`), values a level (`mandatory`, `advisory`,
`disabled`) or a mapping with `enforcementLevel` and the rule's tunables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, Protocol, TypeVar, cast

from .tunables import Tunable

Level = Literal["mandatory", "advisory"]
Setting = Literal["mandatory", "advisory", "disabled"]
LEVELS: Mapping[str, Setting] = MappingProxyType(
    {
        "mandatory": "mandatory",
        "advisory": "advisory",
        "disabled": "disabled",
        # The SDK reports remediation policies that still fail as mandatory; our rules do not remediate.
        "remediate": "mandatory",
    }
)
T = TypeVar("T")


class Leveled(Protocol):
    """What settings need of a rule to give its level (`model.Rule`)."""

    @property
    def name(self) -> str: ...
    @property
    def level(self) -> Level: ...
    @property
    def locked(self) -> bool: ...


@dataclass(frozen=True)
class RuleSettings:
    """Levels and tunables' values; a tunable not set here has its declared default."""

    levels: Mapping[str, Setting] = field(default_factory=dict)
    """Per rule name, overriding the rule's default level."""
    all_level: Setting | None = None
    """`all` in the config file: the level of every rule without its own."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Tunable values that differ from their defaults, by tunable key (`maximumActivation`)."""

    def value(self, tunable: Tunable[T]) -> T:
        return cast("T", self.values.get(tunable.key, tunable.default))

    def level(self, rule: Leveled) -> Setting:
        if rule.locked:  # whatever a (pull request's) configuration says: docs/security.md
            return "mandatory"
        return self.levels.get(rule.name) or self.all_level or rule.level

    def effective(self, rule: Leveled) -> Level | None:
        """The level a verdict of `rule` carries, or None when the rule is disabled."""
        setting = self.level(rule)
        return None if setting == "disabled" else setting
