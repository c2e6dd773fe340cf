"""Random changes to a deployed fleet: the audit finds each of them, and nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from . import mutations as m
from .scenario import Scenario, scenario

OPERATIONS = ("keep", "remove", "authorization", "eligible", "guids")
OFFBOARDED = "7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f"  # `offboard: true` in tests/audit/scenario.py


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return scenario(tmp_path_factory.mktemp("fleet"))


@settings(max_examples=40, deadline=None)
@given(operations=st.lists(st.sampled_from(OPERATIONS), min_size=5, max_size=5), unmanaged=st.booleans())
def test_random_changes_give_exactly_their_findings(
    world: Scenario, operations: list[str], unmanaged: bool
) -> None:
    state = world.state.copy()
    expected: set[tuple[str, str]] = set()
    targets = m.ours(state)
    assert len(targets) == len(operations)
    # Highest index first, so that a removal does not shift the assignments still to change.
    for (sub, index), op in sorted(zip(targets, operations, strict=True), key=lambda t: -t[0][1]):
        scope = m.scope_of(state, sub, index).lower()
        if op == "remove":
            m.remove(state, sub, index)
            if sub != OFFBOARDED:
                expected.add(("missing", scope))
        elif op == "authorization":
            m.add_authorization(state, sub, index)
            expected.add(("changed", scope))
        elif op == "eligible" and m.change_eligible(state, sub, index):
            expected.add(("changed", scope))
        elif op == "guids":
            m.regenerate_guids(state, sub, index)
            expected.add(("guid-mismatch", scope))
    if unmanaged:
        expected.add(("unmanaged", m.add_unmanaged(state, targets[0][0]).lower()))
    with tempfile.TemporaryDirectory() as folder:
        result = world.offline(state, Path(folder))
    found = [(f.kind, f.scope.lower()) for f in result.findings]
    assert sorted(found) == sorted(expected)
    assert result.exit_code == (1 if expected else 0)
