"""Live mode: the Azure SDK's paging, throttling and permission errors against the local fake ARM."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import ClientAuthenticationError

from lighthouse_iac.audit import live
from lighthouse_iac.cli import main

from .fake_arm import ASSIGNMENTS, fake_arm
from .scenario import Scenario, StaticToken, arm_data, scenario

NORTHWIND_RG = "cd517f52-d3a6-4df4-b0f7-c5afce02d973"  # two resource groups of tests/projects.py BASELINE


@pytest.fixture
def world(tmp_path: Path) -> Scenario:
    return scenario(tmp_path)


def test_pages_are_followed_through_next_link(world: Scenario, tmp_path: Path) -> None:
    data = arm_data(world.state, page_size=1)
    result = world.live(data, tmp_path)
    assert result.findings == ()
    assert len(result.observed.assignments) == 6  # five of ours and another provider's
    listing = f"/subscriptions/{NORTHWIND_RG}{ASSIGNMENTS}".lower()
    assert data.requests[listing] == 2  # two assignments, one per page
    assert any("$skiptoken=1" in seen and NORTHWIND_RG in seen for seen in data.seen)
    assert all("$expandRegistrationDefinition=true" in s for s in data.seen if ASSIGNMENTS in s)
    assert all("api-version=2022-10-01" in s for s in data.seen if ASSIGNMENTS in s)


def test_requests_are_one_per_subscription_and_page(world: Scenario, tmp_path: Path) -> None:
    data = arm_data(world.state, page_size=100)
    result = world.live(data, tmp_path)
    assert result.observed.requests == 1 + len(result.observed.subscriptions) == sum(data.requests.values())


def test_throttled_requests_are_retried_after_the_wait(world: Scenario, tmp_path: Path) -> None:
    listing = f"/subscriptions/{NORTHWIND_RG}{ASSIGNMENTS}".lower()
    data = arm_data(world.state, throttle={listing: 2, "/subscriptions": 1})
    result = world.live(data, tmp_path)
    assert result.findings == () and not result.observed.errors
    assert data.requests[listing] == 3
    assert result.observed.requests == sum(data.requests.values())


def test_a_forbidden_subscription_is_an_error_naming_the_role(world: Scenario, tmp_path: Path) -> None:
    data = arm_data(world.state, forbidden={NORTHWIND_RG})
    result = world.live(data, tmp_path)
    (error,) = result.observed.errors
    assert error.where == NORTHWIND_RG
    assert error.message.startswith("HTTP 403 AuthorizationFailed: the audit identity may not read")
    assert "Reader (or any role with Microsoft.ManagedServices/registrationAssignments/read)" in error.message
    assert result.findings == ()  # its declared assignments are not reported missing
    assert result.exit_code == 2


def test_a_forbidden_subscription_list_is_an_error(world: Scenario, tmp_path: Path) -> None:
    result = world.live(arm_data(world.state, forbidden={"subscriptions"}), tmp_path)
    assert [e.where for e in result.observed.errors] == ["subscriptions"]
    assert result.exit_code == 2


class _NoSignIn:
    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        raise ClientAuthenticationError("DefaultAzureCredential failed to retrieve a token")


def test_a_failed_sign_in_says_how_to_sign_in(world: Scenario, tmp_path: Path) -> None:
    with (
        fake_arm(arm_data(world.state), tmp_path) as (base, ca),
        pytest.raises(live.AuditAuthError) as caught,
    ):
        live.collect(_NoSignIn(), world.tenants, live.endpoint(override=base), ca_bundle=str(ca))
    assert "could not sign in to the managing tenant" in str(caught.value)
    assert "az login --tenant" in str(caught.value)


def test_the_command_reads_the_endpoint_and_exits_1_on_drift(
    world: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = world.state.copy()
    del state.assignments[NORTHWIND_RG][0]
    monkeypatch.setattr(live, "default_credential", StaticToken)
    with fake_arm(arm_data(state), tmp_path) as (base, ca):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
        code = main(["-C", str(world.root), "audit", "--arm-endpoint", base, "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out["summary"] == {"missing": 1, "unmanaged": 0, "changed": 0, "guid-mismatch": 0}
    assert out["findings"][0]["stack"] == "northwind"


def test_the_command_exits_2_when_it_cannot_sign_in(
    world: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(live, "default_credential", _NoSignIn)
    with fake_arm(arm_data(world.state), tmp_path) as (base, ca):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
        code = main(["-C", str(world.root), "audit", "--arm-endpoint", base])
    assert code == 2
    assert "lighthouse-iac: could not sign in to the managing tenant" in capsys.readouterr().err
