"""The CrossGuard adapter: every rule of `lighthouse_iac.rules` as a Pulumi policy, and nothing more.

Kept apart from `__main__.py`, which serves forever, so that tests can import the policies. Imports stay
few: the engine waits for the pack to start before every preview. The pack's state lives in `state.py`;
the SDK's server, which converts each request once for every policy, in `server.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from catalogues import project_catalogue
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from sent import Sent, SentStackArgs, Violation, Violations, plain, validation
from state import RuleContexts, StackState

from lighthouse_iac.errors import Unlocated, format_path
from lighthouse_iac.keys import NAMESPACE
from lighthouse_iac.policy_engine.carriers import Carried, carried, may_carry
from lighthouse_iac.policy_engine.engine import SharedEvaluation
from lighthouse_iac.policy_engine.locate import PlanSources
from lighthouse_iac.rules import RULES, Resource, Rule, Verdict, run_rule

__all__ = [
    "LOCKED",
    "PACK_NAME",
    "RULES",
    "RuleContexts",
    "StackState",
    "plain",
    "policies",
    "project_catalogue",
]

PACK_NAME = "lighthouse-iac"

LOCKED = frozenset(rule.name for rule in RULES if rule.locked)
"""Rules that stay mandatory whatever level the pack's configuration asks for (docs/security.md)."""


def message(verdict: Verdict, resource: Resource | None, sources: PlanSources | None) -> str:
    """The verdict and where to change it: the stack's config key, as `validate` names it, when the
    resource is one the stack's plan makes (same registration ID and scope); else the key inside it.
    `sources` is None only for a verdict without a key path (none needed)."""
    if not verdict.loc or sources is None:
        return verdict.message
    found = sources.sources(resource) if resource is not None else None
    if resource is None:  # a stack verdict on the configuration itself (the onboarding identity)
        where = f"{NAMESPACE}:{format_path(verdict.loc)}"
    elif found is not None:
        where = f"{NAMESPACE}:{format_path(found.source(verdict.loc).key)}"
    else:
        where = format_path(verdict.loc)
    return f"{where}: {verdict.message}"


def _said(verdict: Verdict, resource: Resource | None, contexts: RuleContexts, rule: Rule) -> str:
    sources = contexts.stack.sources if verdict.loc else None  # the plan: built for the first key only
    return message(verdict, resource, sources) + contexts.note(rule)


def _read(sent: Sent, name: str) -> Carried | None:
    """What the rules see of one resource: itself when it is a delegation, what it carries when it may
    carry one (a template, a deployment), else nothing."""
    kind = Resource.kind_of(sent.type)
    if kind is not None:
        return Carried([Resource(kind, name, sent.props)])
    if may_carry(sent.type):
        return carried(sent.type, name, sent.props)
    return None


def by_name(sent: Sent) -> Carried | None:
    """One resource read for the resource policies: named as the engine names it."""
    return _read(sent, sent.name)


def by_urn(sent: Sent) -> Carried | None:
    """One resource read for the stack policies, by URN: names repeat across types (a definition and its
    subscription's assignment)."""
    return _read(sent, sent.urn)


def _sent_stack(args: StackValidationArgs) -> list[Sent]:
    if isinstance(args, SentStackArgs):
        return args.sent
    return [Sent.of(r.resource_type, r.name, r.urn, r.props) for r in args.resources]


def evaluation(sent: Sent) -> SharedEvaluation:
    """One evaluation for every policy of a request: the resource is grouped, and a definition's grants
    read, once, by whichever policy asks first; each policy still runs its own rule, in any order."""
    found = sent.derived(by_name)
    return SharedEvaluation(found.resources if found is not None else ())


def _violations(rule: Rule, contexts: RuleContexts) -> Violations:
    applies = frozenset(rule.applies_to)

    def violations(sent: Sent, config: Mapping[str, Any]) -> list[Violation]:
        shared = sent.derived(evaluation)
        if applies.isdisjoint(shared.kinds):
            return []
        verdicts = shared.run(rule, contexts.context(rule, config))
        if not verdicts:
            return []  # the common case: no verdict to locate or word
        found = sent.derived(by_name)
        named = {r.name: r for r in found.resources if r.kind in applies} if found is not None else {}
        return [(_said(v, named.get(v.resource or ""), contexts, rule), None) for v in verdicts]

    return violations


def _stack_validation(rule: Rule, contexts: RuleContexts) -> Any:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        named: dict[str, Resource] = {}
        owner: dict[str, str] = {}  # a resource's name -> the URN of the Pulumi resource that carries it
        unread: list[Unlocated] = []
        for item in _sent_stack(args):
            found = item.derived(by_urn)
            if found is None:
                continue
            for carried_resource in found.resources:
                named[carried_resource.name] = carried_resource
                owner[carried_resource.name] = item.urn
            unread += [
                ((), f"{item.name} ({item.type}){' ' + format_path(loc) if loc else ''}: {text}")
                for loc, text in found.problems
            ]
        context = contexts.context(rule, args.get_config())
        context = replace(context, problems=(*context.problems, *contexts.problems(), *unread))
        for verdict in run_rule(rule, list(named.values()), context):
            resource = named.get(verdict.resource or "")
            report_violation(
                _said(verdict, resource, contexts, rule), owner[resource.name] if resource else None
            )

    return validate


def _schema(rule: Rule) -> PolicyConfigSchema | None:
    if not rule.tunables:
        return None
    return PolicyConfigSchema(properties={t.key: t.schema() for t in rule.tunables})


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
    violations = _violations(rule, contexts)
    made = ResourceValidationPolicy(validate=validation(violations), **common)
    contexts.answers(made, violations)
    return made


def policies(contexts: RuleContexts | None = None) -> list[Policy]:
    """One policy per rule that one stack can break, in the registry's order."""
    contexts = contexts or RuleContexts()
    # The fleet rules compare stacks; the pack sees one stack's configuration, so `validate` runs them.
    return [policy(rule, contexts) for rule in RULES if not rule.fleet]
