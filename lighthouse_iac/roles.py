"""The catalogue of Azure built-in roles, by name or GUID.

The shipped catalogue is an export of `az role definition list` (see data/azure-builtin-roles.json,
`source`). It ages as Microsoft adds roles and DataActions, so users can add or override roles with
their own exports (`roleCatalogues` in the project configuration).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Well-known built-in role GUIDs (TUR, ONB, REM in the facts doc).
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
REGISTRATION_DELETE_ROLE = "91c1777a-f3dc-4fae-b103-61d183457e46"


BUILTIN = "built-in"


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

    def __init__(self, roles: Iterable[Role], source: str = BUILTIN) -> None:
        self._by_id: dict[str, Role] = {}
        self._by_name: dict[str, Role] = {}
        self._sources: dict[str, str] = {}
        for role in roles:
            self.add(role, source)

    def add(self, role: Role, source: str = BUILTIN) -> None:
        """Add or replace a role; a later export wins over the shipped one."""
        old = self._by_id.get(role.id)
        if old is not None:
            self._by_name.pop(old.name.casefold(), None)
        self._by_id[role.id] = role
        self._by_name[role.name.casefold()] = role
        self._sources[role.id] = source

    def source_of(self, role_id: str) -> str | None:
        """Where a role comes from: `built-in` (the shipped export) or the catalogue file that added it."""
        return self._sources.get(role_id.lower())

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
