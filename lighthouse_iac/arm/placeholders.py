"""Values a sample leaves for the user to fill in: `<...>` texts and all-zero GUIDs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .. import ids
from ..errors import Problem, format_path
from .source import JsonDocument, Loc


def _placeholder_message(key: str | int | None, value: str, parent: Mapping[str, Any]) -> str:
    display = parent.get("principalIdDisplayName")
    who = f" ('{display}')" if isinstance(display, str) and display else ""
    if value.lower() == ids.NIL_GUID:
        if key == "principalId":
            return (
                f"the all-zero GUID is a placeholder for a principal's object ID{who}: "
                "replace it with the object ID of that group or service principal in the managing tenant"
            )
        if key == "managedByTenantId":
            return "the all-zero GUID is a placeholder: replace it with the managing tenant's ID"
        return "the all-zero GUID is a placeholder: replace it with the real GUID"
    if key in ("principalId", "managedByTenantId", "tenantId"):
        return f"'{value.strip()}' is a placeholder{who}: replace it with the real GUID"
    return f"'{value.strip()}' is a placeholder: replace it with the real value"


def is_placeholder(value: str) -> bool:
    """Microsoft's samples leave `<insert ...>` texts and all-zero GUIDs for the user to fill in."""
    return ids.is_placeholder(value)


def scan_placeholders(
    value: Any,
    file: str,
    doc: JsonDocument | None,
    loc: Loc = (),
    *,
    key: str | int | None = None,
    parent: Mapping[str, Any] | None = None,
) -> Iterator[Problem]:
    """Every placeholder value inside `value`: `<...>` texts and all-zero GUIDs."""
    if isinstance(value, str):
        if is_placeholder(value):
            message = _placeholder_message(key, value, parent or {})
            line = doc.line_of(loc) if doc is not None else None
            yield Problem(file, line, format_path(loc), message)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from scan_placeholders(item, file, doc, (*loc, i), key=key, parent=parent)
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from scan_placeholders(item, file, doc, (*loc, k), key=k, parent=value)
