"""Rule settings: enforcement levels and tunables, in the shape of a Pulumi policy pack config file.

One file serves both `pulumi preview --policy-pack-config FILE` and `lighthouse-iac validate --config FILE`:
keys are rule names (or `all`), values a level (`mandatory`, `advisory`, `disabled`) or a mapping with
`enforcementLevel` and the rule's tunables.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from .. import durations, ids
from .shape import describe

if TYPE_CHECKING:
    from .model import Level, Loc, Rule

Setting = Literal["mandatory", "advisory", "disabled"]
LEVELS: Mapping[str, Setting] = {
    "mandatory": "mandatory",
    "advisory": "advisory",
    "disabled": "disabled",
    # The SDK reports remediation policies that still fail as mandatory; our rules do not remediate.
    "remediate": "mandatory",
}


@dataclass(frozen=True)
class RuleSettings:
    """Levels and tunables; the defaults are the facts doc's limits and the project's policy."""

    levels: Mapping[str, Setting] = field(default_factory=dict)
    """Per rule name, overriding the rule's default level."""
    all_level: Setting | None = None
    """`all` in the config file: the level of every rule without its own."""
    allowed_managing_tenants: tuple[str, ...] = ()
    """Tenants a definition may name in `managedByTenantId`; empty means the configured managing tenant."""
    allow_service_principals: bool = False
    maximum_activation: str = "PT8H"
    maximum_authorizations: int = 20
    privileged_roles: tuple[str, ...] = ("Contributor",)

    def level(self, rule: Rule) -> Setting:
        if rule.locked:  # whatever a (pull request's) configuration says: docs/security.md
            return "mandatory"
        return self.levels.get(rule.name) or self.all_level or rule.level

    def effective(self, rule: Rule) -> Level | None:
        """The level a verdict of `rule` carries, or None when the rule is disabled."""
        setting = self.level(rule)
        return None if setting == "disabled" else setting


Problem = tuple["Loc", str]


# JSON schema patterns of the settings, which the Pulumi CLI checks (Go's regexp: unanchored, `$` is the end
# of the text) before it starts the pack; the checks below accept exactly what they accept.
TENANT_ID_PATTERN = f"^{ids.GUID_PATTERN}$"
# PT30M..PT8H (ELIG) as PT<h>H, PT<h>H<m>M (m < 60) or PT<m>M, without leading zeros: a range that a
# regular expression can state, so that the CLI refuses "PT10H" before the run.
ACTIVATION_PATTERN = "^PT(?:[1-7]H(?:[1-5]?[0-9]M)?|8H(?:0M)?|(?:[3-9][0-9]|[1-3][0-9]{2}|4[0-7][0-9]|480)M)$"
_ACTIVATION = re.compile(ACTIVATION_PATTERN.removesuffix("$") + r"\Z")


def _guid_list(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list):
        return None, f"expected a list of tenant GUIDs, found {describe(value)}"
    wrong = [v for v in value if not ids.is_guid(v)]
    if wrong:
        return None, f"expected a list of tenant GUIDs; {describe(wrong[0])} is not a GUID"
    return tuple(v.lower() for v in value), None


def _flag(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, bool):
        return None, f"expected true or false, found {describe(value)}"
    return value, None


def _activation(value: Any) -> tuple[Any, str | None]:
    minutes = durations.parse_minutes(value) if isinstance(value, str) else None
    low, high = durations.MIN_ACTIVATION_MINUTES, durations.MAX_ACTIVATION_MINUTES
    if minutes is None or not low <= minutes <= high or not _ACTIVATION.match(value):
        return None, (
            "expected an ISO 8601 duration within PT30M..PT8H (ELIG), written PT<h>H, PT<h>H<m>M or "
            f"PT<m>M, found {describe(value)}"
        )
    return value, None


def _count(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return None, f"expected a whole number of at least 1, found {describe(value)}"
    return value, None


def _names(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        return None, f"expected a list of role names or GUIDs, found {describe(value)}"
    return tuple(value), None


# Each tunable's settings field and how its value is checked; the tunable itself is declared by its rule.
FIELDS: Mapping[str, tuple[str, Callable[[Any], tuple[Any, str | None]]]] = {
    "allowedTenantIds": ("allowed_managing_tenants", _guid_list),
    "allowServicePrincipals": ("allow_service_principals", _flag),
    "maximumActivation": ("maximum_activation", _activation),
    "maximumAuthorizations": ("maximum_authorizations", _count),
    "privilegedRoles": ("privileged_roles", _names),
}


def _close(key: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _level(value: Any) -> tuple[Setting | None, str | None]:
    if isinstance(value, str) and value in LEVELS:
        return LEVELS[value], None
    return None, f"{describe(value)} is not a level; allowed: mandatory, advisory, disabled"


def parse_settings(data: Any, rules: Iterable[Rule]) -> tuple[RuleSettings, list[Problem]]:
    """Settings from a policy pack config document, and every problem in it (bad values are ignored)."""
    by_name = {r.name: r for r in rules}
    settings = RuleSettings()
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        return settings, [((), f"expected a mapping of rule names to settings, found {describe(data)}")]
    levels: dict[str, Setting] = {}
    values: dict[str, Any] = {}
    for name, entry in data.items():
        key = str(name)
        if key == "all":
            level, error = _level(entry)
            if error:
                problems.append(((key,), error))
            settings = replace(settings, all_level=level)
            continue
        rule = by_name.get(key)
        if rule is None:
            problems.append(((key,), f"unknown rule '{key}'{_close(key, by_name)}; see docs/policy-pack.md"))
            continue
        if not isinstance(entry, Mapping):
            level, error = _level(entry)
            if error:
                problems.append(((key,), error))
            elif level:
                problems.extend(_set_level(rule, (key,), level, levels))
            continue
        for option, value in entry.items():
            problems.extend(_option(rule, str(option), value, levels, values))
    return replace(settings, levels=levels, **values), problems


def _set_level(rule: Rule, loc: Loc, level: Setting, levels: dict[str, Setting]) -> Iterator[Problem]:
    if rule.locked and level != "mandatory":
        yield (
            loc,
            (
                f"{rule.name} is always mandatory and cannot be {level}: it is one of the rules the "
                "delegations "
                "rest on (docs/security.md); remove this setting"
            ),
        )
        return
    levels[rule.name] = level


def changes(settings: RuleSettings, rules: Iterable[Rule]) -> list[str]:
    """What `settings` changes from the defaults, one line per rule, for the log of a run."""
    default = RuleSettings()
    rules = list(rules)
    lines = []
    if settings.all_level is not None:
        kept = [r.name for r in rules if r.locked and settings.all_level != "mandatory"]
        lines.append(
            f"all: {settings.all_level}"
            + (f", except the rules that are always mandatory ({', '.join(kept)})" if kept else "")
        )
    for rule in rules:
        parts = []
        level = settings.level(rule)
        if level != rule.level:
            parts.append(f"{level} (by default {rule.level})")
        for tunable in rule.tunables:
            target = FIELDS[tunable.key][0]
            value, usual = getattr(settings, target), getattr(default, target)
            if value != usual:
                parts.append(f"{tunable.key} {_show(value)} (by default {_show(usual)})")
        if parts:
            lines.append(f"{rule.name}: {'; '.join(parts)}")
    return lines


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _option(
    rule: Rule, option: str, value: Any, levels: dict[str, Setting], values: dict[str, Any]
) -> Iterator[Problem]:
    loc: Loc = (rule.name, option)
    if option == "enforcementLevel":
        level, error = _level(value)
        if error:
            yield loc, error
        elif level:
            yield from _set_level(rule, loc, level, levels)
        return
    keys = [t.key for t in rule.tunables]
    if option not in keys:
        allowed = ", ".join(["enforcementLevel", *keys])
        yield loc, f"unknown setting '{option}'{_close(option, keys)}; allowed: {allowed}"
        return
    target, coerce = FIELDS[option]
    coerced, error = coerce(value)
    if error:
        yield loc, error
    else:
        values[target] = coerced
