"""Running rules over ARM-shaped resources: the one evaluation the CLI, the pack and ARM validation share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from .model import Context, Resource, Rule, Verdict


def _readable(resources: Iterable[Resource]) -> list[Resource]:
    # Inputs that are not a mapping at all (a mangled ARM resource) read as empty, so rules never raise.
    return [r if isinstance(r.inputs, Mapping) else replace(r, inputs={}) for r in resources]


def _run(rule: Rule, resources: Sequence[Resource], context: Context) -> list[Verdict]:
    level = context.settings.effective(rule)
    if level is None:
        return []
    verdicts: list[Verdict] = []
    if rule.check is not None:
        for resource in resources:
            if resource.kind in rule.applies_to:
                verdicts += [
                    Verdict(rule.name, level, f.message, resource.name, f.loc)
                    for f in rule.check(resource, context)
                ]
    if rule.check_stack is not None:
        verdicts += [
            Verdict(rule.name, level, f.message, f.resource.name if f.resource else None, f.loc)
            for f in rule.check_stack(resources, context)
        ]
    return verdicts


def run_rule(rule: Rule, resources: Iterable[Resource], context: Context) -> list[Verdict]:
    """Verdicts of one rule: per resource for resource rules, once over all for stack rules."""
    return _run(rule, _readable(resources), context)


def evaluate(resources: Iterable[Resource], context: Context, rules: Iterable[Rule]) -> list[Verdict]:
    """Every verdict of `rules` on `resources`; `loc` is the key path inside the resource (or stack key)."""
    readable = _readable(resources)
    return [v for rule in rules for v in _run(rule, readable, context)]
