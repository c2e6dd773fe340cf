"""The engine: per-resource checks reused across resources that share what a rule reads."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lighthouse_iac.catalogues import load_catalogue
from lighthouse_iac.policy_engine.engine import SharedEvaluation
from lighthouse_iac.policy_engine.model import DEFINITION, Finding
from lighthouse_iac.roles import OWNER
from lighthouse_iac.rules import RULES, Context, Resource, Rule, RuleSettings, evaluate, run_rule

from ..rules.baseline import Baseline
from ..rules.strategies import mangled


def _counting_rule(reads: tuple[str, ...]) -> tuple[Rule, list[str]]:
    calls: list[str] = []

    def check(resource: Resource, context: Context) -> Iterator[Finding]:
        calls.append(resource.name)
        yield Finding(("properties", "x"), f"x is {resource.inputs['properties']['x']}")

    rule = Rule(
        name="test-rule",
        description="d",
        severity="low",
        level="advisory",
        remediation="r",
        facts=(),
        applies_to=(DEFINITION,),
        check=check,
        reads=reads,
    )
    return rule, calls


def _definitions(shared: dict[str, Any], other: dict[str, Any]) -> list[Resource]:
    return [
        Resource(DEFINITION, "a", {"scope": "/subscriptions/1", "properties": shared}),
        Resource(DEFINITION, "b", {"scope": "/subscriptions/2", "properties": shared}),
        Resource(DEFINITION, "c", {"scope": "/subscriptions/3", "properties": other}),
    ]


def test_findings_are_reused_for_resources_sharing_what_the_rule_reads() -> None:
    rule, calls = _counting_rule(("properties",))
    context = Context(load_catalogue(), RuleSettings())
    shared, equal_but_distinct = {"x": 1}, {"x": 1}
    verdicts = evaluate(_definitions(shared, equal_but_distinct), context, [rule])
    assert calls == ["a", "c"]  # b shares a's properties object; c's equal copy is checked on its own
    assert [(v.resource, v.message) for v in verdicts] == [("a", "x is 1"), ("b", "x is 1"), ("c", "x is 1")]


def test_a_rule_that_declares_no_reads_sees_every_resource() -> None:
    rule, calls = _counting_rule(())
    evaluate(_definitions({"x": 1}, {"x": 2}), Context(load_catalogue(), RuleSettings()), [rule])
    assert calls == ["a", "b", "c"]


def test_reuse_does_not_outlive_one_evaluation() -> None:
    rule, calls = _counting_rule(("properties",))
    shared = {"x": 1}
    resources = _definitions(shared, shared)
    context = Context(load_catalogue(), RuleSettings())
    evaluate(resources, context, [rule])
    shared["x"] = 2  # a later evaluation (the next Analyze) sees the change
    verdicts = evaluate(resources, context, [rule])
    assert calls == ["a", "a"]
    assert {v.message for v in verdicts} == {"x is 2"}


@settings(max_examples=150, deadline=None)
@given(mangled(), st.sampled_from([None, 7, "junk", "/subscriptions/x", {"a": 1}]))
def test_a_rule_reads_only_what_it_declares(baseline: Baseline, junk: Any) -> None:
    """Changing every input a rule does not declare in `reads` never changes what it finds."""
    context = baseline.context()
    for resource in baseline.resources():
        if not isinstance(resource.inputs, Mapping):
            continue  # the engine reads such inputs as empty before any rule sees them
        others = {k: junk for k in resource.inputs} | {"scope": junk}
        for rule in RULES:
            if not rule.reads or rule.check is None or resource.kind not in rule.applies_to:
                continue
            changed = Resource(
                resource.kind,
                resource.name,
                others | {k: resource.inputs[k] for k in rule.reads if k in resource.inputs},
            )
            assert list(rule.check(changed, context)) == list(rule.check(resource, context)), rule.name


def test_a_rule_run_alone_says_what_it_says_among_all() -> None:
    # No rule relies on another having run first (the pack runs each policy on its own).
    baseline = Baseline()
    baseline.authorizations[0]["roleDefinitionId"] = OWNER
    baseline.authorizations.pop(3)
    resources, context = baseline.resources(), baseline.context()
    together = evaluate(resources, context)
    assert together, "the changes above break rules"
    alone = [v for rule in reversed(RULES) for v in run_rule(rule, resources, context)]
    assert sorted(alone, key=repr) == sorted(together, key=repr)


def test_rules_run_one_by_one_over_a_shared_evaluation_say_what_they_say_among_all() -> None:
    # The pack's policies of one request share an evaluation; each asks for its own rule, in any order.
    baseline = Baseline()
    baseline.authorizations[0]["roleDefinitionId"] = OWNER
    baseline.authorizations.pop(3)
    resources, context = baseline.resources(), baseline.context()
    together = evaluate(resources, context)
    assert together, "the changes above break rules"
    shared = SharedEvaluation(resources)
    alone = [v for rule in reversed(RULES) for v in shared.run(rule, replace(context))]
    assert sorted(alone, key=repr) == sorted(together, key=repr)


def test_an_evaluation_reads_the_resources_as_they_are_now() -> None:
    # What one evaluation read is not kept for the next, even for the very same objects.
    baseline = Baseline()
    resources, context = baseline.resources(), baseline.context()
    assert evaluate(resources, context) == []
    resources[0].inputs["properties"]["authorizations"][0]["roleDefinitionId"] = OWNER
    assert [v.rule for v in evaluate(resources, context)] == ["lighthouse-no-owner-role"]
