"""Property tests: no rule raises, whatever it is given (absent keys, wrong types, unknown values)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_policy.proxy import unknown_checking_proxy

from lighthouse_iac.rules import (
    RULES,
    Resource,
    RuleSettings,
    context_from_config,
    evaluate,
    parse_settings,
)

from ..policies.analyzer import load_adapter
from .baseline import CATALOGUE, Baseline
from .strategies import JUNK, mangled, wire

crossguard = load_adapter()

TIGHT = RuleSettings(
    values={
        "maximumActivation": "PT1H",
        "maximumAuthorizations": 1,
        "allowedTenantIds": ("2f4a9838-26b7-47ee-be60-ccc1fdec5953",),
        "privilegedRoles": ("Reader", "not-a-role"),
    }
)


@settings(max_examples=300, deadline=None)
@given(mangled(), st.sampled_from([RuleSettings(), TIGHT]))
def test_no_rule_raises_on_mangled_baselines(baseline: Baseline, rule_settings: RuleSettings) -> None:
    baseline.settings = rule_settings
    for verdict in evaluate(baseline.resources(), baseline.context()):
        assert verdict.message and verdict.rule in {r.name for r in RULES}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["definition", "assignment"]), JUNK, JUNK)
def test_no_rule_raises_on_arbitrary_inputs_and_config(kind: Any, inputs: Any, config: Any) -> None:
    resource = Resource(kind, "r", inputs if isinstance(inputs, dict) else {"properties": inputs})
    context = context_from_config(
        config if isinstance(config, dict) else {"managingTenant": config}, CATALOGUE
    )
    evaluate([resource, resource], context)


@settings(max_examples=200, deadline=None)
@given(JUNK)
def test_settings_never_raise(data: Any) -> None:
    parse_settings(data, RULES)
    parse_settings(
        {"lighthouse-eligible-activation": data, "lighthouse-managing-tenant": {"allowedTenantIds": data}},
        RULES,
    )


@settings(max_examples=200, deadline=None)
@given(mangled())
def test_the_pack_reads_what_the_rules_read(baseline: Baseline) -> None:
    # The SDK hands validators proxies that raise on unknown values; the adapter must see through them.
    for resource in baseline.resources():
        inputs = resource.inputs if isinstance(resource.inputs, dict) else {"properties": resource.inputs}
        proxied = unknown_checking_proxy(copy.deepcopy(wire(inputs)))
        assert crossguard.plain(proxied) == inputs
