"""Whether the permissions ARM lists allow an operation, and the permissions as a person reads them."""

from __future__ import annotations

from collections.abc import Sequence

from ..roles import ROLE_ASSIGNMENTS_WRITE, matching
from .observed import SHOWN_ACTIONS, Assessment, Permission, shown


def assess(permissions: Sequence[Permission], operation: str = ROLE_ASSIGNMENTS_WRITE) -> Assessment:
    """Each entry's Actions minus its own NotActions (a role's NotActions never cancel another role's)."""
    granted: list[str] = []
    removed: list[str] = []
    allowed = False
    for entry in permissions:
        grants = matching(entry.actions, operation)
        if not grants:
            continue
        removals = matching(entry.not_actions, operation)
        allowed = allowed or not removals
        granted += [g for g in grants if g not in granted]
        removed += [r for r in removals if r not in removed]
    return Assessment(allowed, tuple(granted), tuple(removed))


def listed(patterns: Sequence[str]) -> str:
    if not patterns:
        return "none"
    names = [shown(p, 120) for p in dict.fromkeys(patterns)]
    more = len(names) - SHOWN_ACTIONS
    return ", ".join(names[:SHOWN_ACTIONS]) + (f" and {more} more" if more > 0 else "")


def describe_permissions(permissions: Sequence[Permission]) -> str:
    """The permissions as a person reads them: every Actions, then every NotActions."""
    if not permissions:
        return "no role at all"
    actions = [a for p in permissions for a in p.actions]
    not_actions = [n for p in permissions for n in p.not_actions]
    return f"actions {listed(actions)}; notActions {listed(not_actions)}"
