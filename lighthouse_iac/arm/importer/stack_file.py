"""Writing the import: the stack file, the directory block for `Pulumi.yaml`, both loaded as `plan` would."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from ... import config as config_module
from ... import ids
from ...config import Entry, StackConfig
from ...escape import terminal
from ...models import ManagingTenant
from ...roles import RoleCatalogue
from .result import ImportResult

_STAND_IN = "ffffffff-ffff-4fff-bfff-ffffffffffff"


def check(
    result: ImportResult,
    existing: ManagingTenant | None,
    project_dir: Path,
    name: str,
    catalogue: RoleCatalogue,
) -> StackConfig:
    """Load the imported stack exactly as `plan` and the program would, with the merged directory."""
    principals = {
        k: v.model_dump(by_alias=True) for k, v in (existing.principals if existing else {}).items()
    }
    principals.update(result.principals())
    tenant = {
        "tenantId": result.tenant_id,
        "name": existing.name if existing else name,
        "principals": principals,
    }
    # The stack is not written yet (a dry run never writes it): problems name it as imported.
    stack_file = f"stacks/Pulumi.{result.stack}.yaml (as imported)"
    entries: Mapping[str, Entry] = {
        "managingTenant": Entry(tenant, f"{config_module.PROJECT_FILE} (as imported)"),
        # Two all-zero placeholders would read as "a tenant delegating to itself"; check the rest.
        "customer": Entry(
            {**result.customer, "tenantId": _STAND_IN}
            if result.customer["tenantId"] == ids.NIL_GUID == result.tenant_id
            else result.customer,
            stack_file,
        ),
        "onboarding": Entry(result.onboarding, stack_file),
        "offers": Entry(result.offers, stack_file),
    }
    return config_module.build(result.stack, entries, project_dir, catalogue=catalogue)


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


def stack_yaml(result: ImportResult, sources: Sequence[str]) -> str:
    """The text of `stacks/Pulumi.<stack>.yaml`, with what to check written on top."""
    lines = [
        f"{result.customer['name']}: imported by `lighthouse-iac import` from {' and '.join(sources)}.",
        "adopt pins the GUIDs the template deployed: this stack updates those delegations in place.",
    ]
    if result.placeholders:
        lines.append("Placeholders to replace before deploying:")
        lines += [f"  {p.render()}" for p in result.placeholders]
    # The comments quote the template: a line break in a value must not end the comment (and add a key).
    comments = "".join(f"# {terminal(line)}\n" for line in lines)
    return comments + _dump({"config": result.stack_values()})


def directory_yaml(result: ImportResult, tenant_name: str) -> str:
    """The managing tenant block for `Pulumi.yaml` (config:), or only the principals it lacks."""
    if result.directory_exists:
        return _dump(result.principals()) if result.new_principals else ""
    block = {
        "managingTenant": {
            "value": {"tenantId": result.tenant_id, "name": tenant_name, "principals": result.principals()}
        }
    }
    return _dump(block)
