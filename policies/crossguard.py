"""The CrossGuard adapter: every rule of `lighthouse_iac.rules` as a Pulumi policy, and nothing more.

Kept apart from `__main__.py`, whose `PolicyPack(...)` serves forever, so that tests can import the
policies. Imports stay few: the engine waits for the pack to start before every preview.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from catalogues import Problem, project_catalogue
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy import proxy as _proxy
from pulumi_policy.secret import Secret

from lighthouse_iac.errors import format_path
from lighthouse_iac.keys import NAMESPACE
from lighthouse_iac.policy_engine.carriers import Carried, carried, may_carry
from lighthouse_iac.policy_engine.locate import PlanSources, engine_plan
from lighthouse_iac.policy_engine.stack_inputs import config_problems
from lighthouse_iac.rules import (
    RULES,
    UNKNOWN,
    Context,
    Resource,
    Rule,
    RuleSettings,
    Verdict,
    context_from_config,
    parse_settings,
    run_rule,
    short_keys,
)

PACK_NAME = "lighthouse-iac"

_UNKNOWNS = frozenset(
    (
        _proxy.UNKNOWN_BOOLEAN_VALUE,
        _proxy.UNKNOWN_NUMBER_VALUE,
        _proxy.UNKNOWN_STRING_VALUE,
        _proxy.UNKNOWN_ARRAY_VALUE,
        _proxy.UNKNOWN_ASSET_VALUE,
        _proxy.UNKNOWN_ARCHIVE_VALUE,
        _proxy.UNKNOWN_OBJECT_VALUE,
    )
)


def plain(value: Any) -> Any:
    """Resource properties as plain dicts and lists, with values unknown at preview as `UNKNOWN`.

    The SDK wraps properties in read-only proxies that raise on unknown values; reading through
    `__target` (the proxies' own escape hatch) sees the sentinels instead, which rules skip. Exact type
    checks, not ABCs: this runs for every policy on every resource.
    """
    kind = type(value)
    if kind is _proxy._DictProxy or kind is _proxy._ListProxy:
        value = value["__target"]
        kind = type(value)
    if kind is dict:
        return {str(k): plain(v) for k, v in value.items()}
    if kind is list:
        return [plain(v) for v in value]
    if kind is str:
        return UNKNOWN if value in _UNKNOWNS else value
    if kind is Secret:
        return plain(value.value)
    return value


@cache
def stack_values() -> dict[str, Any]:
    """The stack's configuration from the engine's environment: `PULUMI_CONFIG` holds project and stack
    config, JSON-encoded per key. Unreadable, it is empty, and `config_problems` reports what is missing."""
    try:
        raw = json.loads(os.environ.get("PULUMI_CONFIG") or "{}")
    except ValueError:
        raw = {}
    return short_keys(raw if isinstance(raw, dict) else {}, os.environ.get("PULUMI_PROJECT"))


@cache
def stack_context() -> Context:
    values = stack_values()
    catalogue, problems = project_catalogue(values)
    odd = tuple(
        (loc, f"{text}; correct the stack configuration (Pulumi.yaml or the stack file)")
        for loc, text in config_problems(values)
    )
    return replace(context_from_config(values, catalogue), problems=problems + odd)


@cache
def stack_sources() -> PlanSources:
    """Where the planned resources' keys were written: the plan of the same configuration, built when a
    verdict first needs a key (most runs have none). No plan when the configuration is not valid."""
    plan = engine_plan(stack_values(), stack_context().catalogue, os.environ.get("PULUMI_STACK") or "")
    return PlanSources(plan)


class RuleContexts:
    """Each rule's context: the stack context with the settings of the config the engine sends it, and
    the problems of that config, which `lighthouse-policy-inputs` reports (a rule never quietly runs on
    defaults in place of a bad setting).

    The engine sends a policy the same config with every call, and parsing it costs ~14 us per policy per
    resource (~8% of an Analyze on a definition), so each rule keeps the last config it saw and its parse.
    Bounded (one entry per rule) and compared by value, never by `id()`: a config changed in place or a
    recycled object cannot return a stale context. The stack context is compared by identity; it lives as
    long as its `cache`, so a new one (tests clear it) is never mistaken for the old.
    """

    def __init__(self) -> None:
        self._last: dict[str, tuple[Context, dict[str, Any], Context, tuple[Problem, ...]]] = {}
        self._relaxed: dict[str, str] = {}
        self._carried: tuple[tuple[str, str], dict[str, Any], Carried] | None = None

    def relaxed(self, rule: str, level: str | None) -> None:
        """The level a configuration asked for a locked rule (None: mandatory); it runs mandatory."""
        if level is None:
            self._relaxed.pop(rule, None)
        else:
            self._relaxed[rule] = level

    def carried(self, type_: str, name: str, props: dict[str, Any]) -> Carried:
        """What a resource of another type carries; every policy asks in turn, so the last answer is kept
        (compared by value: an inline template is evaluated once per resource, not once per policy)."""
        last = self._carried
        if last is not None and last[0] == (type_, name) and last[1] == props:
            return last[2]
        found = carried(type_, name, props)
        self._carried = ((type_, name), copy.deepcopy(props), found)
        return found

    def note(self, rule: Rule) -> str:
        """What a violation of a locked rule adds when the configuration tried to relax it."""
        level = self._relaxed.get(rule.name)
        if level is None:
            return ""
        return (
            f" (the policy pack config makes {rule.name} {level}, but it is always mandatory: "
            "docs/security.md)"
        )

    def context(self, rule: Rule, config: Mapping[str, Any]) -> Context:
        base = stack_context()
        last = self._last.get(rule.name)
        if last is not None and last[0] is base and last[1] == config:
            return last[2]
        settings, problems = (
            parse_settings({rule.name: dict(config)}, [rule]) if config else (RuleSettings(), [])
        )
        # Levels are the engine's business: it sends them with Configure and applies them itself.
        context = replace(base, settings=replace(settings, levels={}, all_level=None))
        found = tuple(((), _setting_problem(loc, text)) for loc, text in problems)
        self._last[rule.name] = (base, copy.deepcopy(dict(config)), context, found)
        return context

    def problems(self) -> tuple[Problem, ...]:
        """The problems of every config seen so far, in the registry's order: Analyze (the resource
        rules, which have all the settings) comes before AnalyzeStack, and `lighthouse-policy-inputs`
        follows the other stack rules."""
        return tuple(p for rule in RULES if rule.name in self._last for p in self._last[rule.name][3])


def _setting_problem(loc: tuple[str | int, ...], text: str) -> str:
    return (
        f"policy pack config {format_path(loc)}: {text}; correct it in the file given to "
        "--policy-pack-config (or to `pulumi policy enable --config`): until then the rule runs with its "
        "default"
    )


def message(verdict: Verdict, resource: Resource | None) -> str:
    """The verdict and where to change it: the stack's config key, as `validate` names it, when the
    resource is one the stack's plan makes (same registration ID and scope); else the key inside it."""
    if not verdict.loc:
        return verdict.message
    sources = stack_sources().sources(resource) if resource is not None else None
    if resource is None:  # a stack verdict on the configuration itself (the onboarding identity)
        where = f"{NAMESPACE}:{format_path(verdict.loc)}"
    elif sources is not None:
        where = f"{NAMESPACE}:{format_path(sources.source(verdict.loc).key)}"
    else:
        where = format_path(verdict.loc)
    return f"{where}: {verdict.message}"


def _resource_validation(rule: Rule, contexts: RuleContexts) -> Any:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        # The settings first, on any resource: their problems must reach AnalyzeStack even when the
        # stack has nothing this rule checks.
        context = contexts.context(rule, args.get_config())
        kind = Resource.kind_of(args.resource_type)
        if kind is not None:
            if kind not in rule.applies_to:
                return
            resources = [Resource(kind, args.name, plain(args.props))]
        elif may_carry(args.resource_type):
            found = contexts.carried(args.resource_type, args.name, plain(args.props))
            resources = [r for r in found.resources if r.kind in rule.applies_to]
        else:
            return
        by_name = {r.name: r for r in resources}
        for verdict in run_rule(rule, resources, context):
            resource = by_name.get(verdict.resource or "")
            report_violation(message(verdict, resource) + contexts.note(rule), None)

    return validate


def _stack_validation(rule: Rule, contexts: RuleContexts) -> Any:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        by_name: dict[str, Resource] = {}
        owner: dict[str, str] = {}  # a resource's name -> the URN of the Pulumi resource that carries it
        unread: list[Problem] = []
        for item in args.resources:
            kind = Resource.kind_of(item.resource_type)
            if kind is not None:
                # Names repeat across types (a definition and its subscription's assignment): key by URN.
                found = Carried([Resource(kind, item.urn, plain(item.props))])
            elif may_carry(item.resource_type):
                found = contexts.carried(item.resource_type, item.urn, plain(item.props))
            else:
                continue
            for carried_resource in found.resources:
                by_name[carried_resource.name] = carried_resource
                owner[carried_resource.name] = item.urn
            unread += [
                ((), f"{item.name} ({item.resource_type}){' ' + format_path(loc) if loc else ''}: {text}")
                for loc, text in found.problems
            ]
        context = contexts.context(rule, args.get_config())
        context = replace(context, problems=(*context.problems, *contexts.problems(), *unread))
        for verdict in run_rule(rule, list(by_name.values()), context):
            resource = by_name.get(verdict.resource or "")
            report_violation(
                message(verdict, resource) + contexts.note(rule), owner[resource.name] if resource else None
            )

    return validate


def _schema(rule: Rule) -> PolicyConfigSchema | None:
    if not rule.tunables:
        return None
    return PolicyConfigSchema(
        properties={t.key: {**t.schema, "description": t.description} for t in rule.tunables}
    )


def policy(rule: Rule, contexts: RuleContexts) -> Policy:
    common: dict[str, Any] = {
        "name": rule.name,
        "description": rule.description,
        "enforcement_level": EnforcementLevel(rule.level),
        "config_schema": _schema(rule),
        "severity": Severity(rule.severity),
        "remediation_steps": rule.remediation,
        "tags": ["azure", "lighthouse", *rule.facts],
    }
    if rule.check_stack is not None:
        return StackValidationPolicy(validate=_stack_validation(rule, contexts), **common)
    return ResourceValidationPolicy(validate=_resource_validation(rule, contexts), **common)


def policies(contexts: RuleContexts | None = None) -> list[Policy]:
    """One policy per rule that one stack can break, in the registry's order."""
    contexts = contexts or RuleContexts()
    # The fleet rules compare stacks; the pack sees one stack's configuration, so `validate` runs them.
    return [policy(rule, contexts) for rule in RULES if not rule.fleet]
