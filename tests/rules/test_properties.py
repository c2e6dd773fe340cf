"""Property tests: no rule raises, whatever it is given (absent keys, wrong types, unknown values)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from lighthouse_iac import roles
from lighthouse_iac.rules import (
    RULES,
    UNKNOWN,
    Resource,
    RuleSettings,
    context_from_config,
    evaluate,
    parse_settings,
)

from ..policies.analyzer import load_adapter
from .baseline import CATALOGUE, Baseline

crossguard = load_adapter()

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-3, 30)
    | st.floats(allow_nan=True)
    | st.text(max_size=6)
    | st.sampled_from(
        [
            UNKNOWN,
            "Azure",
            "None",
            "PT8H",
            "PT0M",
            "PT99999999999999999999H",
            roles.OWNER,
            roles.USER_ACCESS_ADMINISTRATOR,
            "00000000-0000-0000-0000-000000000000",
            "/subscriptions/9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f",
            "/providers/Microsoft.Authorization/roleDefinitions/x",
        ]
    )
)
JUNK: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths(item, (*prefix, i))
    return found


def mangle(value: Any, path: tuple[Any, ...], junk: Any, drop: bool) -> None:
    parent = value
    for part in path[:-1]:
        parent = parent[part]
    if drop and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = junk


@st.composite
def mangled(draw: st.DrawFn) -> Baseline:
    """The compliant baseline with a few of its values replaced by junk or removed."""
    baseline = Baseline()
    target = {
        "definition": baseline.definition,
        "assignments": baseline.assignments,
        "config": baseline.config,
    }
    for _ in range(draw(st.integers(1, 4))):
        candidates = [p for p in paths(target) if p != ("assignments",)]
        if not candidates:
            break
        path = draw(st.sampled_from(candidates))
        mangle(target, path, draw(JUNK), draw(st.booleans()))
    return baseline


TIGHT = RuleSettings(
    maximum_activation="PT1H",
    maximum_authorizations=1,
    allowed_managing_tenants=("2f4a9838-26b7-47ee-be60-ccc1fdec5953",),
    privileged_roles=("Reader", "not-a-role"),
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


def _wire(value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN_STRING_VALUE
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


@settings(max_examples=200, deadline=None)
@given(mangled())
def test_the_pack_reads_what_the_rules_read(baseline: Baseline) -> None:
    # The SDK hands validators proxies that raise on unknown values; the adapter must see through them.
    for resource in baseline.resources():
        inputs = resource.inputs if isinstance(resource.inputs, dict) else {"properties": resource.inputs}
        proxied = unknown_checking_proxy(copy.deepcopy(_wire(inputs)))
        assert crossguard.plain(proxied) == inputs
