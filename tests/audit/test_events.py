"""`audit --events`: delegation events of the tenant activity log, mapped to stacks, live and offline."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from lighthouse_iac.audit import live
from lighthouse_iac.audit.events import map_events, parse_events, parse_since
from lighthouse_iac.cli import main

from .fake_arm import EVENTS, fake_arm
from .scenario import Scenario, StaticToken, arm_data, scenario

NORTHWIND_SUB = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
NORTHWIND_TENANT = "8ad2ca68-ccfd-43e6-8ff9-3428cca138a5"
OFFBOARDED = "7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f"
TAILWIND_TENANT = "2b6f1c0e-7d3a-4e59-8b14-9c0a5e6f7d21"


def event(
    operation: str, scope: str, sub: str, tenant: str, status: str = "Succeeded", name: str = "EndRequest"
) -> dict[str, Any]:
    """An EventData element (API 2015-04-01, examples/GetTenantActivityLogsFiltered.json) as MON's
    sample script reads it: the delegation in `description` as JSON."""
    return {
        "authorization": {"action": operation, "scope": "/"},
        "caller": "admin@customer.example",
        "correlationId": "1e121103-0ba6-4300-ac9d-952bb5d0c80f",
        "description": json.dumps(
            {"delegationResourceId": scope, "subscriptionTenantId": tenant, "subscriptionId": sub}
        ),
        "eventDataId": "44ade6b4-3813-45e6-ae27-7420a95fa2f8",
        "eventName": {"value": name, "localizedValue": name},
        "id": f"/providers/Microsoft.Resources/tenants/events/{sub}",
        "level": "Informational",
        "operationName": {"value": operation, "localizedValue": operation},
        "resourceProviderName": {"value": "Microsoft.Resources", "localizedValue": "Microsoft.Resources"},
        "resourceType": {
            "value": "Microsoft.Resources/tenants",
            "localizedValue": "Microsoft.Resources/tenants",
        },
        "status": {"value": status, "localizedValue": status},
        "eventTimestamp": "2026-11-28T22:14:26.9792776Z",
        "submissionTimestamp": "2026-11-28T22:14:39.9936304Z",
    }


REGISTER = "Microsoft.Resources/tenants/register/action"
UNREGISTER = "Microsoft.Resources/tenants/unregister/action"


def _log() -> list[dict[str, Any]]:
    return [
        event(UNREGISTER, f"/subscriptions/{NORTHWIND_SUB}", NORTHWIND_SUB, NORTHWIND_TENANT),
        event(UNREGISTER, f"/subscriptions/{OFFBOARDED}", OFFBOARDED, TAILWIND_TENANT),
        event(
            REGISTER, f"/subscriptions/{NORTHWIND_SUB}", NORTHWIND_SUB, NORTHWIND_TENANT, name="BeginRequest"
        ),
        event(
            REGISTER,
            "/subscriptions/0f0e0d0c-0b0a-4909-8807-060504030201",
            "0f0e0d0c-0b0a-4909-8807-060504030201",
            "11111111-2222-4333-8444-555555555555",
        ),
        {
            **event(UNREGISTER, "", NORTHWIND_SUB, NORTHWIND_TENANT),
            "operationName": {"value": "Microsoft.Support/supportTickets/write"},
        },
    ]


@pytest.fixture
def world(tmp_path: Path) -> Scenario:
    return scenario(tmp_path)


def test_a_removed_protected_delegation_is_an_alert(world: Scenario) -> None:
    found = map_events(parse_events(_log()), world.declared, world.names)
    # In time order, then by scope (these events share a time).
    assert [(e.action, e.subscription_id, e.stacks, e.alert) for e in found] == [
        ("registered", "0f0e0d0c-0b0a-4909-8807-060504030201", (), False),  # no stack: a new customer?
        ("removed", OFFBOARDED, ("tailwind",), False),  # offboarding: expected, not an alert
        ("removed", NORTHWIND_SUB, ("northwind",), True),
    ]


@pytest.mark.parametrize(("text", "days"), [("7d", 7.0), ("24h", 1.0), ("90m", 0.0625)])
def test_since(text: str, days: float) -> None:
    assert parse_since(text) == datetime.timedelta(days=days)


@pytest.mark.parametrize("text", ["7", "91d", "0d", "1w", "7d\n"])
def test_since_refuses(text: str) -> None:
    with pytest.raises(ValueError, match=r"7d, 24h or 90m|1m\.\.90d"):
        parse_since(text)


def test_events_live_and_offline_agree_and_exit_1_on_an_alert(
    world: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "az"
    folder.mkdir()
    (folder / "events.json").write_text(json.dumps({"value": _log()}))
    assert main(["-C", str(world.root), "audit", "--events", "--from", str(folder), "--format", "json"]) == 1
    offline = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(live, "default_credential", StaticToken)
    data = arm_data(world.state, events=_log(), page_size=2)
    with fake_arm(data, tmp_path) as (base, ca):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
        code = main(
            [
                "-C",
                str(world.root),
                "audit",
                "--events",
                "--since",
                "7d",
                "--arm-endpoint",
                base,
                "--format",
                "json",
            ]
        )
    assert code == 1
    assert json.loads(capsys.readouterr().out) == offline
    assert offline["alerts"] == 1
    assert data.requests[EVENTS] == 3  # five events, two per page
    filters = [parse_qs(urlsplit(s).query)["$filter"][0] for s in data.seen if "eventtypes" in s.lower()]
    assert len(filters) == 3 and all(re.fullmatch(r"eventTimestamp ge '[-0-9T:]+Z'", f) for f in filters)


def test_reading_the_log_without_monitoring_reader_says_so(
    world: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(live, "default_credential", StaticToken)
    with fake_arm(arm_data(world.state, forbidden={"events"}), tmp_path) as (base, ca):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
        code = main(["-C", str(world.root), "audit", "--events", "--arm-endpoint", base])
    assert code == 2
    out = capsys.readouterr()
    assert "Monitoring Reader at root scope (/)" in out.out + out.err
