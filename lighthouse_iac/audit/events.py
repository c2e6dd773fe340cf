"""Delegation events from the managing tenant's tenant-level activity log, mapped to customer stacks.

Customers registering and removing delegations are logged in the managing tenant as
`Microsoft.Resources/tenants/register/action` and `.../unregister/action` (EndRequest events), whose
`description` is JSON naming `delegationResourceId`, `subscriptionTenantId` and `subscriptionId` (MON:
learn.microsoft.com/azure/lighthouse/how-to/monitor-delegation-changes, and its sample script in
Azure/Azure-Lighthouse-samples tools/monitor-delegation-changes). Reading the log needs Monitoring Reader
at root scope (`/`) (facts doc). Shape of an event: EventData, API 2015-04-01 (Azure/azure-rest-api-specs,
specification/monitor/.../stable/2015-04-01/tenantActivityLogs_API.json, examples/
GetTenantActivityLogsFiltered.json). An update of a delegation is logged as a registration (MON).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import ids
from .declared import Declared, Names
from .observed import ShapeError, parse_list
from .render import clean, md

REGISTER = "microsoft.resources/tenants/register/action"
UNREGISTER = "microsoft.resources/tenants/unregister/action"
_SINCE = re.compile(r"^(\d{1,3})([dhm])\Z")
MAX_DAYS = 90  # the activity log's retention
EVENTS_MARKER = "<!-- lighthouse-iac audit events -->"


@dataclass(frozen=True)
class DelegationEvent:
    time: str
    action: str  # "registered" or "removed"
    status: str
    scope: str
    subscription_id: str
    customer_tenant_id: str
    stacks: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    alert: bool = False
    caller: str = ""


def parse_since(text: str) -> datetime.timedelta:
    """`7d`, `24h` or `90m`: how far back to read, at most 90 days."""
    match = _SINCE.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not a duration such as 7d, 24h or 90m")
    amount, unit = int(match[1]), match[2]
    delta = {"d": datetime.timedelta(days=amount), "h": datetime.timedelta(hours=amount)}.get(
        unit, datetime.timedelta(minutes=amount)
    )
    if delta > datetime.timedelta(days=MAX_DAYS) or delta <= datetime.timedelta(0):
        raise ValueError(f"'{text}' is outside 1m..{MAX_DAYS}d, what the activity log keeps")
    return delta


def time_filter(since: datetime.timedelta, now: datetime.datetime) -> str:
    start = (now - since).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"eventTimestamp ge '{start}'"


def _value(entry: Mapping[str, Any], key: str) -> str:
    found = entry.get(key)
    if isinstance(found, dict):
        return str(found.get("value") or "")
    return str(found or "")


def parse_event(raw: Any, loc: tuple[str | int, ...]) -> DelegationEvent | None:
    """A delegation event, or None for any other event of the log."""
    if not isinstance(raw, dict):
        raise ShapeError(loc, "expected an object")
    operation = _value(raw, "operationName").lower()
    if operation not in (REGISTER, UNREGISTER) or _value(raw, "eventName") != "EndRequest":
        return None
    try:
        described = json.loads(raw.get("description") or "{}")
    except json.JSONDecodeError:
        raise ShapeError((*loc, "description"), "expected the delegation as JSON") from None
    if not isinstance(described, dict):
        raise ShapeError((*loc, "description"), "expected the delegation as a JSON object")
    scope = str(described.get("delegationResourceId") or "")
    subscription = str(described.get("subscriptionId") or "").lower()
    if not ids.is_guid(subscription):
        raise ShapeError((*loc, "description", "subscriptionId"), "expected the subscription's GUID")
    tenant = str(described.get("subscriptionTenantId") or "").lower()
    return DelegationEvent(
        time=str(raw.get("eventTimestamp") or ""),
        action="registered" if operation == REGISTER else "removed",
        status=_value(raw, "status"),
        scope=scope or f"/subscriptions/{subscription}",
        subscription_id=subscription,
        customer_tenant_id=tenant if ids.is_guid(tenant) else "",
        caller=str(raw.get("caller") or ""),
    )


def parse_events(raw: Any) -> list[DelegationEvent]:
    found = [parse_event(e, (i,)) for i, e in enumerate(parse_list(raw, "activity log events"))]
    return [e for e in found if e is not None]


def map_events(
    events: Sequence[DelegationEvent], declared: Sequence[Declared], names: Names
) -> list[DelegationEvent]:
    """Each event with the stacks and offers that declare its scope; a removal of a protected one alerts."""
    by_scope: dict[str, list[Declared]] = {}
    by_subscription: dict[str, list[Declared]] = {}
    for d in declared:
        by_scope.setdefault(d.scope.lower(), []).append(d)
        by_subscription.setdefault(d.subscription_id, []).append(d)
    out = []
    for event in events:
        exact = by_scope.get(event.scope.lower(), [])
        # A subscription-wide removal takes its resource groups' delegations with it.
        whole = event.scope.lower() == f"/subscriptions/{event.subscription_id}"
        related = exact or (by_subscription.get(event.subscription_id, []) if whole else [])
        stacks = sorted({d.stack for d in related}) or (
            [names.tenants[event.customer_tenant_id]] if event.customer_tenant_id in names.tenants else []
        )
        alert = (
            event.action == "removed"
            and event.status.lower() == "succeeded"
            and any(d.protected for d in related)
        )
        out.append(
            DelegationEvent(
                **{
                    **event.__dict__,
                    "stacks": tuple(stacks),
                    "offers": tuple(sorted({f"{d.stack}/{d.offer_key}" for d in related})),
                    "alert": alert,
                }
            )
        )
    return sorted(out, key=lambda e: (e.time, e.scope))


def _line(e: DelegationEvent) -> str:
    where = (
        ", ".join(e.stacks) if e.stacks else f"no stack (customer tenant {e.customer_tenant_id or 'unknown'})"
    )
    alert = "ALERT: a protected delegation was removed: " if e.alert else ""
    return f"{e.time} {alert}{e.action} ({e.status or 'unknown status'}): {e.scope}: {where}"


def render_events_text(events: Sequence[DelegationEvent], errors: Sequence[str]) -> str:
    lines = [clean(_line(e)) for e in events]
    lines += [clean(f"error: {m}") for m in errors]
    alerts = sum(e.alert for e in events)
    lines.append(
        f"events: {len(events)} delegation events, {alerts} alerts"
        + (f", {len(errors)} errors" if errors else "")
    )
    return "\n".join(lines)


def render_events_json(events: Sequence[DelegationEvent], errors: Sequence[str]) -> dict[str, Any]:
    return {
        "alerts": sum(e.alert for e in events),
        "events": [
            {
                "time": e.time,
                "action": e.action,
                "status": e.status,
                "scope": e.scope,
                "subscriptionId": e.subscription_id,
                "customerTenantId": e.customer_tenant_id or None,
                "stacks": list(e.stacks),
                "offers": list(e.offers),
                "alert": e.alert,
                "caller": e.caller or None,
            }
            for e in events
        ],
        "errors": list(errors),
    }


def render_events_markdown(events: Sequence[DelegationEvent], errors: Sequence[str]) -> str:
    out = [EVENTS_MARKER, "## Delegation events", ""]
    out += [f"- {'**alert** ' if e.alert else ''}{md(_line(e))}" for e in events] or ["No delegation events."]
    out += [f"- error: {md(m)}" for m in errors]
    return "\n".join(out) + "\n"
