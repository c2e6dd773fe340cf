"""What a built-in role effectively allows: its Actions minus its NotActions, with Azure's wildcards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..roles import Role

ROLE_ASSIGNMENTS_WRITE = "Microsoft.Authorization/roleAssignments/write"
READ_EVERYTHING = "*/read"

# Lighthouse refuses roles whose Actions allow writing or deleting these (TUR): the whole of
# `Microsoft.Authorization/*`, `*/write` and `*/delete` are covered by matching each concrete operation.
RESTRICTED_OPERATIONS = tuple(
    f"Microsoft.Authorization/{kind}/{verb}"
    for kind in ("roleAssignments", "roleDefinitions", "classicAdministrators", "locks", "denyAssignments")
    for verb in ("write", "delete")
)


@cache
def _pattern(action: str) -> re.Pattern[str]:
    # In Azure RBAC `*` matches any run of characters, slashes included; matching is case-insensitive.
    return re.compile("^" + ".*".join(re.escape(p) for p in action.split("*")) + "\\Z", re.IGNORECASE)


def _matches(pattern: str, operation: str) -> bool:
    return _pattern(pattern).match(operation) is not None


def matching(patterns: tuple[str, ...], operation: str) -> tuple[str, ...]:
    """The patterns (Actions or NotActions, wildcards allowed) that match `operation`."""
    return tuple(p for p in patterns if _matches(p, operation))


def allows(role: Role, operation: str) -> bool:
    """Whether the role's control-plane permissions allow `operation`."""
    return any(_matches(a, operation) for a in role.actions) and not any(
        _matches(n, operation) for n in role.not_actions
    )


@dataclass(frozen=True)
class _Summary:
    role: Role
    restricted: tuple[str, ...]
    reads_everything: bool


_summaries: dict[int, _Summary] = {}


def _summary(role: Role) -> _Summary:
    # Remembered per role object (roles are immutable): every grant of every resource asks again.
    known = _summaries.get(id(role))
    if known is None or known.role is not role:
        restricted = tuple(op for op in RESTRICTED_OPERATIONS if allows(role, op))
        known = _Summary(role, restricted, allows(role, READ_EVERYTHING))
        _summaries[id(role)] = known
    return known


def restricted_actions(role: Role) -> tuple[str, ...]:
    """The restricted Microsoft.Authorization operations the role allows (TUR)."""
    return _summary(role).restricted


def includes_reader(role: Role) -> bool:
    """Whether the role reads everything, as Reader (`*/read`) does: `*` or `*/read` among its Actions."""
    return _summary(role).reads_everything
