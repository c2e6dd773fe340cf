"""The catalogue of Azure built-in roles, by name or GUID.

The shipped catalogue is an export of `az role definition list` (see data/azure-builtin-roles.json,
`source`). It ages as Microsoft adds roles and DataActions, so users can add or override roles with
their own exports (`roleCatalogues` in the project configuration).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .suggest import close_names

# Well-known built-in role GUIDs (TUR, ONB, REM in the facts doc).
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
REGISTRATION_DELETE_ROLE = "91c1777a-f3dc-4fae-b103-61d183457e46"


BUILTIN = "built-in"

ROLE_ASSIGNMENTS_WRITE = "Microsoft.Authorization/roleAssignments/write"
READ_EVERYTHING = "*/read"

# Lighthouse refuses roles whose Actions allow writing or deleting these (TUR): the whole of
# `Microsoft.Authorization/*`, `*/write` and `*/delete` are covered by matching each concrete operation.
RESTRICTED_OPERATIONS = tuple(
    f"Microsoft.Authorization/{kind}/{verb}"
    for kind in ("roleAssignments", "roleDefinitions", "classicAdministrators", "locks", "denyAssignments")
    for verb in ("write", "delete")
)

# Actions that let a role give access to others (lower case, as compared).
GRANTS_ACCESS = frozenset({"*", "microsoft.authorization/*", "microsoft.authorization/roleassignments/write"})


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    data_actions: tuple[str, ...] = ()
    not_data_actions: tuple[str, ...] = ()


def _covers(pattern: str, operation: str) -> bool:
    """Whether an Actions or NotActions entry covers `operation`, both already in lower case.

    Azure compares operations case-insensitively, and `*` stands for any run of characters, slashes
    included, as often as a string has one (`*/read`, `Microsoft.CostManagement/*/query/*`; "Actions" in
    https://learn.microsoft.com/azure/role-based-access-control/role-definitions). So the pieces between
    stars must appear in order: the first at the start, the last at the end, each other one after the
    piece before it (the leftmost place is always right). Compared as text: a regular expression compiled
    for each wildcard of the roles in use cost every command's start-up more than all it matched.
    """
    first, *rest = pattern.split("*")
    if not rest:
        return pattern == operation
    *middle, last = rest
    end = len(operation) - len(last)
    if end < len(first) or not operation.startswith(first) or not operation.endswith(last):
        return False
    at = len(first)
    for piece in middle:
        at = operation.find(piece, at, end)
        if at < 0:
            return False
        at += len(piece)
    return True


def _matches(pattern: str, operation: str) -> bool:
    if pattern.isascii() and operation.isascii() and "\n" not in operation:
        return _covers(pattern.lower(), operation.lower())
    # No operation Azure defines gets here. Beyond ASCII, case-insensitive is Unicode's simple case
    # folding as `re` applies it (str.lower() differs: 'İ' becomes two characters), and a star has
    # always stopped at a line break.
    regex = ".*".join(re.escape(p) for p in pattern.split("*"))
    return re.fullmatch(regex, operation, re.IGNORECASE) is not None


def matching(patterns: tuple[str, ...], operation: str) -> tuple[str, ...]:
    """The patterns (Actions or NotActions, wildcards allowed) that match `operation`."""
    return tuple(p for p in patterns if _matches(p, operation))


def allows(role: Role, operation: str) -> bool:
    """Whether the role's control-plane permissions allow `operation`."""
    return any(_matches(a, operation) for a in role.actions) and not any(
        _matches(n, operation) for n in role.not_actions
    )


@dataclass(frozen=True)
class RoleSummary:
    """What a role effectively allows, as the rules and the access report ask it of every grant."""

    restricted: tuple[str, ...]
    """The restricted Microsoft.Authorization operations the role allows (TUR)."""
    reads_everything: bool
    """Whether the role reads everything, as Reader (`*/read`) does: `*` or `*/read` among its Actions."""
    privilege: str
    """`access` (grants roles), `write`, or `read` (every action a read)."""
    definition: tuple[object, ...]
    """The role's name and Actions, NotActions, DataActions, NotDataActions, as the catalogue has them."""


def summarise(role: Role) -> RoleSummary:
    actions = {a.lower() for a in role.actions}
    excluded = {n.lower() for n in role.not_actions}
    if role.id == USER_ACCESS_ADMINISTRATOR or (
        actions & GRANTS_ACCESS and "microsoft.authorization/*/write" not in excluded
    ):
        privilege = "access"
    else:
        privilege = "read" if actions and all(a.endswith("/read") for a in actions) else "write"
    return RoleSummary(
        restricted=tuple(op for op in RESTRICTED_OPERATIONS if allows(role, op)),
        reads_everything=allows(role, READ_EVERYTHING),
        privilege=privilege,
        definition=(role.name, role.actions, role.not_actions, role.data_actions, role.not_data_actions),
    )


class RoleCatalogue:
    """Built-in roles looked up by GUID or by case-insensitive name, each with its summary.

    A summary is worked out once per role and catalogue (every grant of every customer asks again), and
    forgotten when an export replaces the role.
    """

    def __init__(self, roles: Iterable[Role], source: str = BUILTIN) -> None:
        self._by_id: dict[str, Role] = {}
        self._by_name: dict[str, Role] = {}
        self._sources: dict[str, str] = {}
        self._summaries: dict[str, RoleSummary] = {}
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
        self._summaries.pop(role.id, None)

    def summary(self, role_id: str) -> RoleSummary | None:
        """What the role with this GUID allows; None when the catalogue does not know it."""
        key = role_id.lower()
        known = self._summaries.get(key)
        if known is None:
            role = self._by_id.get(key)
            if role is None:
                return None
            known = self._summaries[key] = summarise(role)
        return known

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
        close = close_names(ref.casefold(), names, n=3, cutoff=0.75)
        return [names[c] for c in close]

    def __iter__(self) -> Iterator[Role]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)
