"""Running rules over ARM-shaped resources: the one evaluation the CLI, the pack and ARM validation share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from .model import Context, Finding, Resource, Rule, Verdict


def _readable(resources: Iterable[Resource]) -> list[Resource]:
    # Inputs that are not a mapping at all (a mangled ARM resource) read as empty, so rules never raise.
    return [r if isinstance(r.inputs, Mapping) else replace(r, inputs={}) for r in resources]


def _findings(rule: Rule, resource: Resource, context: Context, memo: dict[Any, Any]) -> list[Finding]:
    assert rule.check is not None
    if not rule.reads:
        return list(rule.check(resource, context))
    values = tuple(resource.inputs.get(key) for key in rule.reads)
    # Keyed by identity, and the values are kept: within one evaluation the resources hold them alive.
    key = (rule.name, *map(id, values))
    known = memo.get(key)
    if known is not None and all(a is b for a, b in zip(known[0], values, strict=True)):
        found: list[Finding] = known[1]
        return found
    found = list(rule.check(resource, context))
    memo[key] = (values, found)
    return found


def _run(rule: Rule, resources: Sequence[Resource], context: Context, memo: dict[Any, Any]) -> list[Verdict]:
    level = context.settings.effective(rule)
    if level is None:
        return []
    verdicts: list[Verdict] = []
    if rule.check is not None:
        for resource in resources:
            if resource.kind in rule.applies_to:
                verdicts += [
                    Verdict(rule.name, level, f.message, resource.name, f.loc)
                    for f in _findings(rule, resource, context, memo)
                ]
    if rule.check_stack is not None:
        verdicts += [
            Verdict(rule.name, level, f.message, f.resource.name if f.resource else None, f.loc)
            for f in rule.check_stack(resources, context)
        ]
    return verdicts


def run_rule(rule: Rule, resources: Iterable[Resource], context: Context) -> list[Verdict]:
    """Verdicts of one rule: per resource for resource rules, once over all for stack rules."""
    return _run(rule, _readable(resources), context, {})


def evaluate(resources: Iterable[Resource], context: Context, rules: Iterable[Rule]) -> list[Verdict]:
    """Every verdict of `rules` on `resources`; `loc` is the key path inside the resource (or stack key)."""
    readable = _readable(resources)
    memo: dict[Any, Any] = {}
    return [v for rule in rules for v in _run(rule, readable, context, memo)]
