"""Hypothesis strategies for the rules: junk values, and the compliant baseline with parts mangled."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from lighthouse_iac import roles
from lighthouse_iac.rules import UNKNOWN

from .baseline import Baseline

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


def wire(value: Any) -> Any:
    """Values as the engine sends them: unknown ones as the sentinel string."""
    if value is UNKNOWN:
        return UNKNOWN_STRING_VALUE
    if isinstance(value, dict):
        return {k: wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [wire(v) for v in value]
    return value
