"""The catalogue of Azure built-in roles, by name or GUID.

The shipped catalogue is an export of `az role definition list` (see data/azure-builtin-roles.json,
`source`). It ages as Microsoft adds roles and DataActions, so users can add or override roles with
their own exports (`roleCatalogues` in the project configuration).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

# Well-known built-in role GUIDs (TUR, ONB, REM in the facts doc).
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
REGISTRATION_DELETE_ROLE = "91c1777a-f3dc-4fae-b103-61d183457e46"


class CatalogueError(Exception):
    """A role catalogue file that cannot be read."""


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    data_actions: tuple[str, ...] = ()
    not_data_actions: tuple[str, ...] = ()


class RoleCatalogue:
    """Built-in roles looked up by GUID or by case-insensitive name."""

    def __init__(self, roles: Iterable[Role]) -> None:
        self._by_id: dict[str, Role] = {}
        self._by_name: dict[str, Role] = {}
        for role in roles:
            self.add(role)

    def add(self, role: Role) -> None:
        """Add or replace a role; a later export wins over the shipped one."""
        old = self._by_id.get(role.id)
        if old is not None:
            self._by_name.pop(old.name.casefold(), None)
        self._by_id[role.id] = role
        self._by_name[role.name.casefold()] = role

    def by_id(self, role_id: str) -> Role | None:
        return self._by_id.get(role_id.lower())

    def by_name(self, name: str) -> Role | None:
        return self._by_name.get(name.casefold())

    def resolve(self, ref: str) -> Role | None:
        """A role from its GUID or its name."""
        return self.by_id(ref) or self.by_name(ref)

    def name_of(self, role_id: str) -> str:
        role = self.by_id(role_id)
        return role.name if role else role_id

    def suggest(self, ref: str) -> list[str]:
        names = {r.name.casefold(): r.name for r in self._by_id.values()}
        close = difflib.get_close_matches(ref.casefold(), list(names), n=3, cutoff=0.75)
        return [names[c] for c in close]

    def __iter__(self) -> Iterator[Role]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)


def _role_from_entry(entry: Mapping[str, Any]) -> Role:
    """One role from either our shape or `az role definition list` output."""
    if "roleName" in entry:  # az CLI: name is the GUID, permissions is a list
        perms = entry.get("permissions") or [{}]
        role_id = str(entry.get("name") or str(entry.get("id", "")).rsplit("/", 1)[-1])

        def collect(key: str) -> tuple[str, ...]:
            return tuple(a for p in perms for a in p.get(key, []) or [])

        return Role(
            id=role_id.lower(),
            name=str(entry["roleName"]),
            actions=collect("actions"),
            not_actions=collect("notActions"),
            data_actions=collect("dataActions"),
            not_data_actions=collect("notDataActions"),
        )
    return Role(
        id=str(entry["id"]).lower(),
        name=str(entry["name"]),
        actions=tuple(entry.get("actions", ())),
        not_actions=tuple(entry.get("notActions", ())),
        data_actions=tuple(entry.get("dataActions", ())),
        not_data_actions=tuple(entry.get("notDataActions", ())),
    )


def parse_roles(document: Any, origin: str) -> list[Role]:
    entries = document.get("roles") if isinstance(document, Mapping) else document
    if not isinstance(entries, list):
        raise CatalogueError(f"{origin}: expected a list of roles or an object with 'roles'")
    try:
        return [_role_from_entry(e) for e in entries]
    except (KeyError, TypeError, AttributeError) as exc:
        raise CatalogueError(f"{origin}: not a role definition export ({exc!r} in an entry)") from exc


@cache
def _builtin_roles() -> tuple[Role, ...]:
    text = resources.files("lighthouse_iac").joinpath("data/azure-builtin-roles.json").read_text("utf-8")
    return tuple(parse_roles(json.loads(text), "azure-builtin-roles.json"))


def load_catalogue(extra: Sequence[Path] = ()) -> RoleCatalogue:
    """The shipped built-in roles, then each extra export in order (later entries win)."""
    catalogue = RoleCatalogue(_builtin_roles())
    for path in extra:
        try:
            document = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise CatalogueError(f"{path}: cannot read role catalogue: {exc}") from exc
        for role in parse_roles(document, str(path)):
            catalogue.add(role)
    return catalogue
