"""Names for the template's principals in the managing tenant's directory (`Pulumi.yaml`)."""

from __future__ import annotations

import re

from ... import ids
from ...models import ManagingTenant
from .result import ImportedPrincipal


def slug(text: str, limit: int = 63) -> str:
    """A config key from free text: lowercase letters, digits and hyphens."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value[:limit].rstrip("-")


class Directory:
    """Names for the template's principals: the project's own entries first, new entries otherwise."""

    def __init__(self, existing: ManagingTenant | None) -> None:
        self.existing = dict(existing.principals) if existing else {}
        self.new: dict[tuple[str, str], ImportedPrincipal] = {}
        self.notes: list[str] = []

    def taken(self) -> set[str]:
        return set(self.existing) | {p.name for p in self.new.values()}

    def name(self, object_id: str, display_name: str | None) -> str:
        object_id = object_id.lower()
        shown = display_name or ""
        same_id = {n: p for n, p in self.existing.items() if p.object_id == object_id}
        for name, principal in same_id.items():
            if principal.display_name == shown or not shown:
                return name
        if same_id and object_id != ids.NIL_GUID:
            name, principal = next(iter(same_id.items()))
            self.notes.append(
                f"principal {object_id} is '{shown}' in the template and '{principal.display_name}' "
                f"({name}) in the directory; the directory's name will be shown after the next deployment"
            )
            return name
        key = (object_id, shown)
        if key in self.new:
            return self.new[key].name
        base = slug(shown, 50) if shown else ""
        if not base or not re.match(r"^[a-z0-9]", base):
            base = f"principal-{object_id[:8]}"
        name, taken, n = base, self.taken(), 2
        if name in taken:
            name = f"{base}-{object_id[:8]}"
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        self.new[key] = ImportedPrincipal(name, object_id, shown or name)
        return name
