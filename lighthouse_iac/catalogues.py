"""Reading role catalogues: the shipped export of Azure's built-in roles, and the exports a project adds.

The shipped catalogue is an export of `az role definition list` (see data/azure-builtin-roles.json,
`source`). An export a project lists in `roleCatalogues` may add roles and bring a shipped one up to date,
never rename or weaken one.
"""

from __future__ import annotations

import json
import os.path
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from . import ids
from .limits import read_limited
from .roles import Role, RoleCatalogue


class CatalogueError(Exception):
    """A role catalogue file that cannot be read, or that would rename or weaken a built-in role."""


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    # isinstance(v, str) of each item, at C speed: the shipped catalogue has over 11,000 of them.
    if not isinstance(value, list) or not all(map(str.__instancecheck__, value)):
        raise _Shape(f"'{key}' must be a list of strings")
    return tuple(value)


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Shape(f"'{key}' must be a non-empty string")
    return value


class _Shape(Exception):
    """An entry of the wrong shape; parse_roles names the file and entry."""


def _role_from_entry(entry: Any) -> Role:
    """One role from either our shape or `az role definition list` output."""
    if not isinstance(entry, Mapping):
        raise _Shape("each role must be an object")
    if "roleName" in entry:  # az CLI: name is the GUID, permissions is a list
        perms = entry.get("permissions") or [{}]
        if not isinstance(perms, list) or not all(isinstance(p, Mapping) for p in perms):
            raise _Shape("'permissions' must be a list of objects")
        raw_id = entry.get("name") or _text(entry.get("id"), "id").rsplit("/", 1)[-1]
        role_id = _text(raw_id, "name")

        def collect(key: str) -> tuple[str, ...]:
            return tuple(a for p in perms for a in _strings(p.get(key), key))

        role = Role(
            id=role_id.lower(),
            name=_text(entry["roleName"], "roleName"),
            actions=collect("actions"),
            not_actions=collect("notActions"),
            data_actions=collect("dataActions"),
            not_data_actions=collect("notDataActions"),
        )
    else:
        role = Role(
            id=_text(entry.get("id"), "id").lower(),
            name=_text(entry.get("name"), "name"),
            actions=_strings(entry.get("actions"), "actions"),
            not_actions=_strings(entry.get("notActions"), "notActions"),
            data_actions=_strings(entry.get("dataActions"), "dataActions"),
            not_data_actions=_strings(entry.get("notDataActions"), "notDataActions"),
        )
    if not ids.is_guid(role.id):
        raise _Shape(f"the role ID {role.id!r} is not a GUID")
    return role


def parse_roles(document: Any, origin: str) -> list[Role]:
    entries = document.get("roles") if isinstance(document, Mapping) else document
    if not isinstance(entries, list):
        raise CatalogueError(f"{origin}: expected a list of roles or an object with 'roles'")
    roles = []
    for index, entry in enumerate(entries):
        try:
            roles.append(_role_from_entry(entry))
        except _Shape as exc:
            raise CatalogueError(f"{origin}: role {index}: {exc}; not a role definition export") from None
    return roles


@cache
def _builtin_roles() -> tuple[Role, ...]:
    text = resources.files("lighthouse_iac").joinpath("data/azure-builtin-roles.json").read_text("utf-8")
    return tuple(parse_roles(json.loads(text), "azure-builtin-roles.json"))


def outside_project(entry: str) -> str | None:
    """Why a `roleCatalogues` entry may not be read, if it names a file outside the project folder."""
    # Lexical, as the entry is joined to the project folder: an absolute path replaces the folder, and
    # `..` climbs out of it. A pull request may change Pulumi.yaml; it must not make the tools read (and
    # a report hash, an error quote) any file on the machine.
    normal = os.path.normpath(entry)
    if os.path.isabs(entry) or normal == ".." or normal.startswith("../"):
        return (
            f"{entry}: a role catalogue is listed by its path inside the project folder; an absolute path "
            "or one that leaves the folder through '..' is not read"
        )
    return None


def load_catalogue(
    extra: Sequence[Path] = (), source: Callable[[Path], str] = str, within: Path | None = None
) -> RoleCatalogue:
    """The shipped built-in roles, then each extra export in order (later entries win).

    An export may add roles and bring a shipped role up to date; it may not rename or weaken one
    (`shadowing`). `source` names each file as `plan --format json` shows it; `within`: the project
    folder, when the project lists the files (no folder between it and a file may be a link).
    """
    catalogue = RoleCatalogue(_builtin_roles())
    if not extra:
        return catalogue
    shipped = RoleCatalogue(_builtin_roles())
    for path in extra:
        try:
            document = json.loads(read_limited(path, within).decode("utf-8"))
        except (OSError, ValueError) as exc:
            raise CatalogueError(f"{path}: cannot read role catalogue: {exc}") from exc
        for index, role in enumerate(parse_roles(document, str(path))):
            problem = shadowing(role, shipped, catalogue)
            if problem:
                raise CatalogueError(f"{path}: role {index} ('{role.name}', {role.id}): {problem}")
            catalogue.add(role, source(path))
    return catalogue


def shadowing(role: Role, shipped: RoleCatalogue, known: RoleCatalogue) -> str | None:
    """Why `role` cannot join a catalogue: it renames a built-in role, takes the name of another role,
    or lists less than the shipped role allows. None when it is new or an update of a built-in role.

    A catalogue is a file a pull request can change; were a "Reader" with another ID, or a Log Analytics
    Contributor without its DataActions, accepted, the rules would pass what Azure refuses and the access
    report would misname what a principal can do (docs/security.md).
    """
    builtin = shipped.by_id(role.id)
    namesake = known.by_name(role.name)
    if builtin is None:
        if namesake is not None and namesake.id != role.id:
            kind = "built-in role" if shipped.by_id(namesake.id) else "role"
            return (
                f"the {kind} '{namesake.name}' has the ID {namesake.id}; a catalogue may add roles, "
                "not give another ID a known role's name"
            )
        return None
    if builtin.name.casefold() != role.name.casefold():
        return (
            f"{role.id} is the built-in role '{builtin.name}'; a catalogue cannot rename it (use the name "
            "Azure gives it, or leave it out: the shipped catalogue has it)"
        )
    for field_name, label in (("actions", "Actions"), ("data_actions", "DataActions")):
        missing = _missing(getattr(builtin, field_name), getattr(role, field_name))
        if missing:
            return (
                f"it lacks {label} {', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''} of the "
                "shipped built-in role; a catalogue may bring a role up to date, not take permissions away"
            )
    for field_name, label in (("not_actions", "NotActions"), ("not_data_actions", "NotDataActions")):
        added = _missing(getattr(role, field_name), getattr(builtin, field_name))
        if added:
            return (
                f"it adds {label} {', '.join(added[:3])} to the shipped built-in role; a catalogue cannot "
                "narrow what a built-in role allows"
            )
    if "*" in role.actions and "*" not in builtin.actions:
        return (
            "it gives the built-in role the Actions '*' (full control), which the shipped role does not have"
        )
    return None


def _missing(want: Sequence[str], have: Sequence[str]) -> list[str]:
    present = {a.lower() for a in have}
    return [a for a in want if a.lower() not in present]
