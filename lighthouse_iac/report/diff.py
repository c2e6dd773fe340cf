"""Access gained, lost and changed between two revisions of the fleet: what a pull request reviewer asks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .access import Access


@dataclass(frozen=True)
class Change:
    """The same principal, role and scope on both sides, under different conditions (MFA, approvers...)."""

    before: Access
    after: Access

    def describe(self) -> str:
        b, a = self.before, self.after
        parts = []
        if b.require_mfa != a.require_mfa:
            parts.append("MFA no longer required" if b.require_mfa else "MFA now required")
        if b.maximum_activation != a.maximum_activation:
            parts.append(f"activation {b.maximum_activation} -> {a.maximum_activation}")
        if b.approvers != a.approvers:
            parts.append(f"approvers {_names(b.approvers)} -> {_names(a.approvers)}")
        if b.delegated_roles != a.delegated_roles:
            parts.append(f"may assign {_names(b.delegated_roles)} -> {_names(a.delegated_roles)}")
        if b.principal_kind != a.principal_kind:
            parts.append(f"principal kind {b.principal_kind} -> {a.principal_kind}")
        if b.role_definition != a.role_definition:
            parts.append(
                f"role redefined by the role catalogue: {_redefined(b.role_definition, a.role_definition)}"
            )
        if b.offboarding != a.offboarding:
            parts.append("now unprotected for offboarding" if a.offboarding else "protected again")
        return "; ".join(parts)


_PERMISSIONS = ("Actions", "NotActions", "DataActions", "NotDataActions")


def _redefined(before: tuple[object, ...], after: tuple[object, ...]) -> str:
    """What a catalogue changed about a role: its name, and each permission added or removed."""
    if not before or not after:
        return "now unknown to the catalogue" if before else "now known to the catalogue"
    parts = [f"name {before[0]} -> {after[0]}"] if before[0] != after[0] else []
    for label, old, new in zip(_PERMISSIONS, before[1:], after[1:], strict=True):
        assert isinstance(old, tuple) and isinstance(new, tuple)
        added = [f"+{p}" for p in new if p not in old]
        removed = [f"-{p}" for p in old if p not in new]
        if added or removed:
            parts.append(f"{label} {' '.join(added + removed)}")
    return ", ".join(parts)


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(names) if names else "(none)"


# How the reports mark a lost row that was still protected at the base (README, "Offboarding").
WITHOUT_OFFBOARDING = "removed without offboarding"


@dataclass(frozen=True)
class AccessDiff:
    base: str
    gained: tuple[Access, ...]
    lost: tuple[Access, ...]
    changed: tuple[Change, ...]
    added_stacks: tuple[str, ...] = ()
    removed_stacks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """Changes a reviewer must read before the rows: a stack's managing or customer tenant changed."""

    def __bool__(self) -> bool:
        return bool(
            self.gained or self.lost or self.changed or self.added_stacks or self.removed_stacks or self.notes
        )

    @property
    def unannounced(self) -> tuple[Access, ...]:
        """Lost rows not offboarding at the base: removed without step 1 (lighthouse-offboard-first)."""
        return tuple(r for r in self.lost if not r.offboarding)

    @property
    def stacks(self) -> set[str]:
        """The customer stacks whose access this diff changes."""
        rows = [*self.gained, *self.lost, *(c.after for c in self.changed)]
        return {r.stack for r in rows} | set(self.added_stacks) | set(self.removed_stacks)


def _order(row: Access) -> tuple[str, str, str, bool, str]:
    return (row.stack, row.principal, row.role, row.eligible, row.scope.lower())


def compare(
    base: Iterable[Access],
    head: Iterable[Access],
    label: str,
    base_stacks: Iterable[str] = (),
    head_stacks: Iterable[str] = (),
) -> AccessDiff:
    """What `head` grants that `base` did not, the reverse, and what kept its key but changed conditions."""
    before = {row.key: row for row in base}
    after = {row.key: row for row in head}
    gained = [row for key, row in after.items() if key not in before]
    lost = [row for key, row in before.items() if key not in after]
    changed = [
        Change(before[key], row)
        for key, row in after.items()
        if key in before and before[key].conditions != row.conditions
    ]
    old, new = set(base_stacks), set(head_stacks)
    base_rows, head_rows = list(before.values()), list(after.values())
    return AccessDiff(
        base=label,
        gained=tuple(sorted(gained, key=_order)),
        lost=tuple(sorted(lost, key=_order)),
        changed=tuple(sorted(changed, key=lambda c: _order(c.after))),
        added_stacks=tuple(sorted(new - old)),
        removed_stacks=tuple(sorted(old - new)),
        notes=tuple(_tenant_notes(base_rows, head_rows)),
    )


def _tenants(rows: Iterable[Access], which: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row.stack, set()).add(getattr(row, which).lower())
    return found


def _tenant_notes(base: list[Access], head: list[Access]) -> Iterator[str]:
    for which, label in (
        ("managing_tenant_id", "managing tenant"),
        ("customer_tenant_id", "customer tenant"),
    ):
        before, after = _tenants(base, which), _tenants(head, which)
        for stack in sorted(before.keys() & after.keys()):
            if before[stack] != after[stack]:
                old, new = ", ".join(sorted(before[stack])), ", ".join(sorted(after[stack]))
                yield (
                    f"{stack}: {label} was {old}, now {new}; every delegation of this customer is lost and "
                    "gained"
                )
