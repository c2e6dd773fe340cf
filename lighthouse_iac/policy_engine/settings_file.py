"""Reading a policy pack config file into `RuleSettings`, naming every mistake in it; and what it changes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from ..errors import Unlocated
from ..suggest import did_you_mean
from .model import Loc, Rule
from .settings import LEVELS, RuleSettings, Setting
from .shape import describe


def _close(key: str, known: Iterable[str]) -> str:
    return did_you_mean(key, known)


def _level(value: Any) -> tuple[Setting | None, str | None]:
    if isinstance(value, str) and value in LEVELS:
        return LEVELS[value], None
    return None, f"{describe(value)} is not a level; allowed: mandatory, advisory, disabled"


def parse_settings(data: Any, rules: Iterable[Rule]) -> tuple[RuleSettings, list[Unlocated]]:
    """Settings from a policy pack config document, and every problem in it (bad values are ignored)."""
    by_name = {r.name: r for r in rules}
    settings = RuleSettings()
    problems: list[Unlocated] = []
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
    return replace(settings, levels=levels, values=values), problems


def _set_level(rule: Rule, loc: Loc, level: Setting, levels: dict[str, Setting]) -> Iterator[Unlocated]:
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
            value = settings.value(tunable)
            if value != tunable.default:
                parts.append(f"{tunable.key} {_show(value)} (by default {_show(tunable.default)})")
        if parts:
            lines.append(f"{rule.name}: {'; '.join(parts)}")
    return lines


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _option(
    rule: Rule, option: str, value: Any, levels: dict[str, Setting], values: dict[str, Any]
) -> Iterator[Unlocated]:
    loc: Loc = (rule.name, option)
    if option == "enforcementLevel":
        level, error = _level(value)
        if error:
            yield loc, error
        elif level:
            yield from _set_level(rule, loc, level, levels)
        return
    tunable = next((t for t in rule.tunables if t.key == option), None)
    if tunable is None:
        keys = [t.key for t in rule.tunables]
        allowed = ", ".join(["enforcementLevel", *keys])
        yield loc, f"unknown setting '{option}'{_close(option, keys)}; allowed: {allowed}"
        return
    parsed, error = tunable.parse(value)
    if error:
        yield loc, error
    elif parsed == tunable.default:  # kept out, so that settings equal to the defaults compare equal
        values.pop(option, None)
    else:
        values[option] = parsed
