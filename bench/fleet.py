"""Synthetic fleets of customers, written in the real stack-file format.

Deterministic for a given seed, so that runs on the same machine compare like with like. Every customer is
compliant with the policy rules (groups only, no Owner, Delete Role included, eligible principals also hold
Reader), so that `validate` walks the whole of every stack rather than stopping early.
"""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path
from typing import Any

import yaml

NAMESPACE = uuid.UUID("5b0d2d53-2a0b-4c35-8f1c-7c3f0e3a9a11")
MANAGING_TENANT = "3f9d3c84-6f53-4f0e-9b8a-2a7d5c1e0b55"

PERMANENT_ROLES = [
    "Reader",
    "Monitoring Reader",
    "Security Reader",
    "Cost Management Reader",
    "Support Request Contributor",
    "Backup Reader",
]
ELIGIBLE_ROLES = ["Contributor", "Virtual Machine Contributor", "Monitoring Contributor"]
OFFERS = [
    "managed-operations",
    "security-monitoring",
    "cost-insights",
    "backup-operations",
    "network-operations",
]
DELETE_ROLE = "Managed Services Registration assignment Delete Role"


def _guid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(map(str, parts))))


def directory(size: int) -> dict[str, Any]:
    """The managing tenant's principals: `size` security groups, plus the offboarding group."""
    principals = {
        f"team-{i:03d}": {"objectId": _guid("group", i), "kind": "group", "displayName": f"MSP Team {i:03d}"}
        for i in range(size)
    }
    principals["msp-offboarding"] = {
        "objectId": _guid("group", "offboarding"),
        "kind": "group",
        "displayName": "MSP Delegation Administrators",
    }
    return {"tenantId": MANAGING_TENANT, "name": "Synthetic MSP", "principals": principals}


def customer(
    index: int,
    rng: random.Random,
    principals: list[str],
    subscriptions: int | None = None,
    offers_count: int | None = None,
) -> dict[str, Any]:
    """One customer's `config:` mapping: 1-3 offers over 1-4 subscriptions, some as resource groups."""
    offers = []
    subs = subscriptions or rng.randint(1, 4)
    for key in rng.sample(OFFERS, offers_count or rng.randint(1, 3)):
        readers = rng.sample(principals, rng.randint(2, 5))
        eligible = rng.sample(readers, rng.randint(1, 2))
        approvers = rng.sample([p for p in principals if p not in eligible], 2)
        scopes: list[dict[str, Any]] = []
        for s in range(subs):
            scope: dict[str, Any] = {"subscription": _guid("subscription", index, s)}
            if rng.random() < 0.3:
                scope["resourceGroups"] = [f"rg-{key}-{g}" for g in range(rng.randint(1, 3))]
            scopes.append(scope)
        offers.append(
            {
                "key": key,
                "name": f"Synthetic {key.replace('-', ' ')}",
                "description": f"Synthetic offer {key} for customer {index}",
                "authorizations": [{"principal": p, "role": "Reader"} for p in readers]
                + [{"principal": rng.choice(readers), "role": rng.choice(PERMANENT_ROLES[1:])}]
                + [{"principal": "msp-offboarding", "role": DELETE_ROLE}],
                "eligibleAuthorizations": [
                    {
                        "principal": p,
                        "role": rng.choice(ELIGIBLE_ROLES),
                        "maximumActivation": "PT4H",
                        "approvers": list(approvers),
                    }
                    for p in eligible
                ],
                "scopes": scopes,
            }
        )
    return {
        "lighthouse-iac:customer": {"name": f"Customer {index:04d}", "tenantId": _guid("tenant", index)},
        "lighthouse-iac:onboarding": {"objectId": _guid("onboarding", index), "userType": "Member"},
        "lighthouse-iac:offers": offers,
    }


def engine_config(config: dict[str, Any], tenant: dict[str, Any]) -> dict[str, str]:
    """A customer's configuration as the engine hands it to the program and the pack (JSON per key)."""
    values = {k: json.dumps(v) for k, v in config.items()}
    values["lighthouse-iac:managingTenant"] = json.dumps(tenant)
    return values


def write_fleet(dest: Path, customers: int, *, principals: int = 300, seed: int = 1) -> list[Path]:
    """A project folder with `Pulumi.yaml` and `customers` stack files; returns the stack files."""
    rng = random.Random(seed)
    tenant = directory(principals)
    project = {
        "name": "lighthouse-iac",
        "runtime": "python",
        "stackConfigDir": "stacks",
        "config": {"managingTenant": {"value": tenant}},
    }
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False))
    (dest / "stacks").mkdir(exist_ok=True)
    names = sorted(p for p in tenant["principals"] if p != "msp-offboarding")
    files = []
    for i in range(customers):
        path = dest / "stacks" / f"Pulumi.customer-{i:04d}.yaml"
        path.write_text(yaml.safe_dump({"config": customer(i, rng, names)}, sort_keys=False))
        files.append(path)
    return files
