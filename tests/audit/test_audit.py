"""The audit, offline (`az` output) and live (the Azure SDK against a local fake ARM): the same findings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lighthouse_iac.audit.compare import AuditResult

from . import mutations as m
from .azure_state import AzureState
from .scenario import Scenario, arm_data, scenario


@pytest.fixture
def world(tmp_path: Path) -> Scenario:
    return scenario(tmp_path)


def _kinds(result: AuditResult) -> list[tuple[str, str]]:
    return [(f.kind, f.scope.lower()) for f in result.findings]


def _both(world: Scenario, state: AzureState, tmp: Path) -> AuditResult:
    """Offline and live on the same data; asserts they agree and returns one."""
    offline = world.offline(state, tmp / "az")
    live = world.live(arm_data(state), tmp)
    assert offline.findings == live.findings
    assert not offline.observed.errors and not live.observed.errors
    return live


def test_a_fleet_deployed_as_declared_is_in_sync(world: Scenario, tmp_path: Path) -> None:
    result = _both(world, world.state, tmp_path)
    assert result.findings == ()
    assert result.exit_code == 0
    assert len(result.observed.read) == 4  # the customers' subscriptions, not the MSP's own
    assert result.declared == len(world.declared) == 5


def _first_rg(state: AzureState) -> tuple[str, int]:
    return next((s, i) for s, i in m.ours(state) if "/resourcegroups/" in m.scope_of(state, s, i).lower())


Mutation = Callable[[AzureState], tuple[str, str]]


def _removed(state: AzureState) -> tuple[str, str]:
    sub, i = _first_rg(state)
    scope = m.scope_of(state, sub, i)
    m.remove(state, sub, i)
    return "missing", scope


def _extra_authorization(state: AzureState) -> tuple[str, str]:
    sub, i = m.ours(state)[0]
    m.add_authorization(state, sub, i)
    return "changed", m.scope_of(state, sub, i)


def _eligible_policy(state: AzureState) -> tuple[str, str]:
    sub, i = next((s, i) for s, i in m.ours(state) if m.change_eligible(state, s, i))
    return "changed", m.scope_of(state, sub, i)


def _unmanaged(state: AzureState) -> tuple[str, str]:
    sub = m.ours(state)[-1][0]
    return "unmanaged", m.add_unmanaged(state, sub)


def _guid_mismatch(state: AzureState) -> tuple[str, str]:
    sub, i = m.ours(state)[0]
    m.regenerate_guids(state, sub, i)
    return "guid-mismatch", m.scope_of(state, sub, i)


@pytest.mark.parametrize(
    "mutate",
    [_removed, _extra_authorization, _eligible_policy, _unmanaged, _guid_mismatch],
    ids=["removed-assignment", "extra-authorization", "eligible-policy", "unmanaged", "guid-mismatch"],
)
def test_each_mutation_gives_exactly_its_finding(world: Scenario, tmp_path: Path, mutate: Mutation) -> None:
    state = world.state.copy()
    kind, scope = mutate(state)
    result = _both(world, state, tmp_path)
    assert _kinds(result) == [(kind, scope.lower())]
    assert result.exit_code == 1


def test_a_changed_finding_says_what_changed(world: Scenario, tmp_path: Path) -> None:
    state = world.state.copy()
    _extra_authorization(state)
    _eligible_policy(state)
    result = world.offline(state, tmp_path / "az")
    details = [d for f in result.findings for d in f.details]
    assert any(
        d.startswith(f"authorization only in Azure: {m.STRANGER} (Someone) as Reader") for d in details
    )
    assert any("activation PT2H -> PT1H" in d for d in details), details


def test_a_guid_mismatch_prints_the_adopt_block(world: Scenario, tmp_path: Path) -> None:
    state = world.state.copy()
    sub, i = m.ours(state)[0]
    new = m.regenerate_guids(state, sub, i)
    (finding,) = world.offline(state, tmp_path / "az").findings
    scope = m.scope_of(state, sub, i)
    definition = state.assignments[sub][i]["properties"]["registrationDefinition"]["name"]
    assert finding.adopt == f"adopt:\n  definitionId: {definition}\n  assignmentIds:\n    {scope}: {new}"
    assert finding.stack and finding.file and finding.file.endswith(f"Pulumi.{finding.stack}.yaml")


def test_removing_an_offboarded_scope_is_not_drift(world: Scenario, tmp_path: Path) -> None:
    state = world.state.copy()
    sub = "7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f"  # `offboard: true` in the second stack
    state.assignments[sub].clear()
    assert world.offline(state, tmp_path / "az").findings == ()


def test_a_subscription_no_longer_delegated_is_missing_with_why(world: Scenario, tmp_path: Path) -> None:
    state = world.state.copy()
    sub = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
    del state.assignments[sub]
    state.subscriptions = [s for s in state.subscriptions if s["subscriptionId"] != sub]
    result = _both(world, state, tmp_path)
    (finding,) = result.findings
    assert finding.kind == "missing" and finding.protected
    assert f"subscription {sub} is not delegated to the managing tenant" in finding.message
