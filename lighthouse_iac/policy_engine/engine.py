"""Running rules over ARM-shaped resources: the one evaluation the CLI, the pack and ARM validation share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as _replace

from .model import Context, Memo, Resource, Rule, Verdict


def _readable(resources: Iterable[Resource]) -> list[Resource]:
    # Inputs that are not a mapping at all (a mangled ARM resource) read as empty, so rules never raise.
    return [r if isinstance(r.inputs, Mapping) else _replace(r, inputs={}) for r in resources]


@dataclass
class _Evaluation:
    """The resources of one evaluation, grouped for each set of inputs that rules declare they read."""

    resources: Sequence[Resource]
    _groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[list[Resource]]] = field(default_factory=dict)

    def groups(self, reads: tuple[str, ...], kinds: tuple[str, ...]) -> list[list[Resource]]:
        """Resources of `kinds` whose `reads` inputs are the same objects: a check sees one, speaks for all.

        A plan's definitions of one offer share their properties and differ only in scope. Identity keys
        are safe here: the resources keep every value alive for the whole evaluation. Known once per
        evaluation: most rules read the same inputs of the same kinds.
        """
        known = self._groups.get((reads, kinds))
        if known is None:
            if not reads:
                known = [[r] for r in self.resources if r.kind in kinds]
            else:
                by_key: dict[tuple[object, ...], list[Resource]] = {}
                for r in self.resources:
                    if r.kind in kinds:
                        by_key.setdefault((r.kind, *(id(r.inputs.get(k)) for k in reads)), []).append(r)
                known = list(by_key.values())
            self._groups[reads, kinds] = known
        return known


def _run(rule: Rule, evaluation: _Evaluation, context: Context) -> list[Verdict]:
    level = context.settings.effective(rule)
    if level is None:
        return []
    verdicts: list[Verdict] = []
    if rule.check is not None:
        for group in evaluation.groups(rule.reads, rule.applies_to):
            findings = list(rule.check(group[0], context))
            if findings:  # rare: a compliant fleet has none, and the verdicts are per resource of the group
                verdicts += [
                    Verdict(rule.name, level, f.message, r.name, f.loc, related=f.related)
                    for r in group
                    for f in findings
                ]
    if rule.check_stack is not None:
        verdicts += [
            Verdict(rule.name, level, f.message, f.resource.name if f.resource else None, f.loc)
            for f in rule.check_stack(evaluation.resources, context)
        ]
    return verdicts


def run_rule(
    rule: Rule, resources: Iterable[Resource], context: Context, memo: Memo | None = None
) -> list[Verdict]:
    """Verdicts of one rule: per resource for resource rules, once over all for stack rules.

    `memo`: shared by the rules run on the same resources (the pack's policies of one request), so that
    each reads a definition's grants once; each rule still asks for what it needs, in any order.
    """
    return _run(rule, _Evaluation(_readable(resources)), _replace(context, memo=memo or Memo()))


class SharedEvaluation:
    """Rules run one at a time, each when asked, over the same resources (the pack's policies of one
    request): the resources are read, grouped and their grants memoised once for all of them.

    Each rule still runs on its own, in any order, with its own context; contexts are held here (their
    identity is the key), and each gets this evaluation's memo once.
    """

    def __init__(self, resources: Iterable[Resource]) -> None:
        self._evaluation = _Evaluation(_readable(resources))
        self._memo = Memo()
        self._contexts: dict[int, tuple[Context, Context]] = {}
        self.kinds = frozenset(r.kind for r in self._evaluation.resources)
        """The kinds of the resources: a rule that applies to none of them has nothing to say."""

    def run(self, rule: Rule, context: Context) -> list[Verdict]:
        known = self._contexts.get(id(context))
        if known is None or known[0] is not context:
            known = self._contexts[id(context)] = (context, _replace(context, memo=self._memo))
        return _run(rule, self._evaluation, known[1])


def evaluate(resources: Iterable[Resource], context: Context, rules: Iterable[Rule]) -> list[Verdict]:
    """Every verdict of `rules` on `resources`; `loc` is the key path inside the resource (or stack key)."""
    evaluation, context = _Evaluation(_readable(resources)), _replace(context, memo=Memo())
    return [v for rule in rules for v in _run(rule, evaluation, context)]
