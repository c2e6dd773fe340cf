"""The pack's state, built once per process: the stack the engine describes, what Configure set, and each
rule's context. No module-level state: `__main__.py` builds one `RuleContexts` and hands it to the policies
and the server; tests build their own."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from catalogues import project_catalogue
from pulumi_policy import Policy
from sent import Violations

from lighthouse_iac.errors import Unlocated, format_path
from lighthouse_iac.policy_engine.locate import PlanSources, engine_plan
from lighthouse_iac.policy_engine.stack_inputs import config_problems
from lighthouse_iac.rules import (
    RULES,
    Context,
    Rule,
    RuleSettings,
    context_from_config,
    parse_settings,
    short_keys,
)


@dataclass(frozen=True)
class StackState:
    """The stack as the engine describes it to the pack's process: its configuration (short keys), its
    name, and the rules' context over it (role catalogue, directory, and what is wrong with them)."""

    values: dict[str, Any]
    context: Context
    stack: str = ""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> StackState:
        """`PULUMI_CONFIG` holds project and stack config, JSON-encoded per key. Unreadable, it is empty,
        and `config_problems` reports what is missing."""
        try:
            raw = json.loads(environ.get("PULUMI_CONFIG") or "{}")
        except ValueError:
            raw = {}
        values = short_keys(raw if isinstance(raw, dict) else {}, environ.get("PULUMI_PROJECT"))
        catalogue, problems = project_catalogue(values)
        odd = tuple(
            (loc, f"{text}; correct the stack configuration (Pulumi.yaml or the stack file)")
            for loc, text in config_problems(values)
        )
        context = replace(context_from_config(values, catalogue), problems=problems + odd)
        return cls(values, context, environ.get("PULUMI_STACK") or "")

    @cached_property
    def sources(self) -> PlanSources:
        """Where the planned resources' keys were written: the plan of the same configuration, built when a
        verdict first needs a key (most runs have none). No plan when the configuration is not valid."""
        return PlanSources(engine_plan(self.values, self.context.catalogue, self.stack))


class RuleContexts:
    """The pack's state: the stack (`StackState`), what Configure set, and each rule's context (the stack
    context with the settings of its config).

    `lighthouse-policy-inputs` reports the problems of every configured policy's settings (a rule never
    quietly runs on defaults in place of a bad setting), read from what Configure sent, never from what the
    other policies happened to see before it. Parsing a config costs ~14 us per policy per resource, so
    each rule keeps the last config it saw and its parse: one entry per rule, compared by value, never by
    `id()`, so that a config changed in place or a recycled object cannot return a stale context.
    """

    def __init__(self, stack: StackState | None = None) -> None:
        self.stack = stack if stack is not None else StackState.from_environment(os.environ)
        self._last: dict[str, tuple[dict[str, Any], Context, tuple[Unlocated, ...]]] = {}
        self._configs: dict[str, dict[str, Any]] = {}
        self._asked: dict[str, str] = {}
        self._answers: dict[Policy, Violations] = {}

    def configured(self, configs: Mapping[str, Mapping[str, Any]], asked: Mapping[str, str]) -> None:
        """What Configure set: the settings of each policy that runs (not disabled), and the level asked
        for each locked rule that the configuration tried to relax (it runs mandatory)."""
        self._configs = {name: dict(config) for name, config in configs.items()}
        self._asked = dict(asked)

    def answers(self, policy: Policy, violations: Violations) -> None:
        """Record that `violations` is what `policy`'s validate reports (crossguard.policy makes both)."""
        self._answers[policy] = violations

    def violations(self, policy: Policy) -> Violations | None:
        """What the pack's servicer asks instead of calling `policy`'s validate; None for another policy."""
        return self._answers.get(policy)

    def note(self, rule: Rule) -> str:
        """What a violation of a locked rule adds when the configuration tried to relax it."""
        level = self._asked.get(rule.name)
        if level is None:
            return ""
        return (
            f" (the policy pack config makes {rule.name} {level}, but it is always mandatory: "
            "docs/security.md)"
        )

    def _parsed(self, rule: Rule, config: Mapping[str, Any]) -> tuple[Context, tuple[Unlocated, ...]]:
        last = self._last.get(rule.name)
        if last is not None and last[0] == config:
            return last[1], last[2]
        settings, problems = (
            parse_settings({rule.name: dict(config)}, [rule]) if config else (RuleSettings(), [])
        )
        # Levels are the engine's business: it sends them with Configure and applies them itself.
        context = self._shared(replace(settings, levels={}, all_level=None))
        found = tuple(((), _setting_problem(loc, text)) for loc, text in problems)
        self._last[rule.name] = (copy.deepcopy(dict(config)), context, found)
        return context, found

    def _shared(self, settings: RuleSettings) -> Context:
        # Rules whose settings are equal (most: those left at their defaults) get the same context object,
        # which a request's evaluation then prepares once for all of them (engine.SharedEvaluation).
        for _, known, _ in self._last.values():
            if known.settings == settings:
                return known
        return replace(self.stack.context, settings=settings)

    def context(self, rule: Rule, config: Mapping[str, Any]) -> Context:
        """The rule's context under `config`, the settings the engine sends its policy."""
        return self._parsed(rule, config)[0]

    def problems(self) -> tuple[Unlocated, ...]:
        """The problems of every configured policy's settings, in the registry's order."""
        return tuple(
            problem
            for rule in RULES
            if rule.name in self._configs
            for problem in self._parsed(rule, self._configs[rule.name])[1]
        )


def _setting_problem(loc: tuple[str | int, ...], text: str) -> str:
    return (
        f"policy pack config {format_path(loc)}: {text}; correct it in the file given to "
        "--policy-pack-config (or to `pulumi policy enable --config`): until then the rule runs with its "
        "default"
    )
