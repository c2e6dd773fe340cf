"""`audit --from DIR`: what the Azure CLI printed, one file per delegated subscription, read offline.

DIR holds `<subscription-id>.json`, the output of `az managedservices assignment list --include-definition
true --subscription <id> -o json`, and optionally `accounts.json`, the output of `az account list --all -o
json` (docs/operations.md gives the loop). Without `accounts.json` the subscriptions read are the files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import ids
from ..errors import ConfigError, Problem, format_path
from .observed import (
    AccessError,
    Observed,
    ShapeError,
    Subscription,
    parse_assignment,
    parse_list,
    parse_subscription,
)

ACCOUNTS = "accounts.json"
# A subscription's assignment list is a few kilobytes; this bound keeps a stray file from exhausting memory.
MAX_FILE_BYTES = 32 * 1024 * 1024


def _load(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ConfigError([Problem(str(path), None, "", f"larger than {MAX_FILE_BYTES // 2**20} MiB")])
        return json.loads(path.read_bytes())
    except OSError as exc:
        raise ConfigError([Problem(str(path), None, "", f"cannot read: {exc.strerror}")]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError([Problem(str(path), line, "", f"not JSON: {exc}")]) from None


def _problem(path: Path, exc: ShapeError) -> ConfigError:
    return ConfigError([Problem(str(path), None, format_path(exc.loc), exc.message)])


def read_folder(folder: Path, managing_tenants: set[str]) -> Observed:
    """Observed delegations from DIR; a file not shaped as the CLI prints it is a ConfigError."""
    if not folder.is_dir():
        raise ConfigError([Problem(str(folder), None, "", "not a folder (audit --from DIR)")])
    observed = Observed()
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if path.name in (ACCOUNTS, EVENTS) or path.suffix != ".json":
            continue
        if not ids.is_guid(path.stem):
            problems.append(
                Problem(
                    str(path), None, "", f"expected <subscription-id>.json or {ACCOUNTS}, not {path.name}"
                )
            )
            continue
        files[path.stem.lower()] = path
    if problems:
        raise ConfigError(problems)
    accounts = folder / ACCOUNTS
    if accounts.is_file():
        try:
            subs = [
                parse_subscription(s, (i,))
                for i, s in enumerate(parse_list(_load(accounts), "subscriptions"))
            ]
        except ShapeError as exc:
            raise _problem(accounts, exc) from None
        observed.subscriptions = {s.subscription_id: s for s in subs if s.tenant_id not in managing_tenants}
        for sub in sorted(set(observed.subscriptions) - set(files)):
            observed.errors.append(
                AccessError(
                    sub, f"{ACCOUNTS} lists this delegated subscription but {folder}/{sub}.json is missing"
                )
            )
    for sub, path in files.items():
        try:
            entries = parse_list(_load(path), "registration assignments")
            found = [parse_assignment(raw, (i,)) for i, raw in enumerate(entries)]
        except ShapeError as exc:
            raise _problem(path, exc) from None
        for i, assignment in enumerate(found):
            if assignment.subscription_id != sub:
                raise ConfigError(
                    [
                        Problem(
                            str(path),
                            None,
                            f"[{i}].id",
                            f"an assignment of another subscription ({assignment.scope})",
                        )
                    ]
                )
        observed.assignments += found
        observed.read.add(sub)
        if sub not in observed.subscriptions:
            tenant = next(
                (a.definition.customer_tenant_id for a in found if a.definition.customer_tenant_id), ""
            )
            observed.subscriptions[sub] = Subscription(sub, tenant)
    return observed


EVENTS = "events.json"


def read_events_file(folder: Path) -> Any:
    """`DIR/events.json`: the tenant activity log as `az rest` prints it (docs/operations.md)."""
    path = folder / EVENTS
    if not path.is_file():
        raise ConfigError(
            [Problem(str(path), None, "", "no such file; --events --from DIR reads DIR/events.json")]
        )
    return _load(path)
