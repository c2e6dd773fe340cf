"""What the last deployment knew of a customer's Azure plan, from a local snapshot of its stack outputs.

`pulumi stack output --stack <customer> --json > <dir>/<customer>.json` writes the outputs of the last
`pulumi up`; the `azurePlan` output (components/azure_plan.py) holds the plan's Partner Center
subscription ID and the Azure subscription IDs of its entitlements. `plan` and `validate` read them with
`--azure-plans DIR`, offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import ids
from ..errors import ConfigError, Problem
from ..sources import display_path

MAX_BYTES = 1 << 20
"""A snapshot is a few hundred bytes; a larger file is not one (and is not read into memory)."""


@dataclass(frozen=True)
class PlanSnapshot:
    """The Azure plan as the last deployment saw it."""

    file: str
    subscription_id: str
    azure_subscription_ids: tuple[str, ...]


def read_snapshot(folder: Path, stack: str) -> PlanSnapshot | None:
    """`folder/<stack>.json`, or None when there is no such file; ConfigError when it is not a snapshot."""
    path = folder / f"{stack}.json"
    if not path.is_file():
        return None
    shown = display_path(path)

    def bad(message: str) -> ConfigError:
        return ConfigError([Problem(shown, None, "azurePlan", message)])

    if path.stat().st_size > MAX_BYTES:
        raise bad(f"larger than {MAX_BYTES} bytes; expected `pulumi stack output --json` of one stack")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise bad(f"not JSON ({exc}); expected `pulumi stack output --json` of one stack") from None
    plan = data.get("azurePlan", data) if isinstance(data, dict) else None
    if not isinstance(plan, dict):
        raise bad("expected a JSON object with the stack output 'azurePlan'")
    subscription, azure = plan.get("subscriptionId"), plan.get("azureSubscriptionIds")
    if not ids.is_guid(subscription):
        raise bad("subscriptionId: expected the plan's Partner Center subscription ID (a GUID)")
    if not isinstance(azure, list) or not all(ids.is_guid(a) for a in azure) or len(azure) > 10_000:
        raise bad("azureSubscriptionIds: expected a list of Azure subscription IDs (GUIDs)")
    return PlanSnapshot(shown, str(subscription).lower(), tuple(str(a).lower() for a in azure))
