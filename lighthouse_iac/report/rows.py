"""The access rows as JSON: as objects (`access_json`), and as text written straight from a row
(`access_text`), for the hundreds of thousands of rows of a large fleet's report."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Generic, TypeVar, overload

from .access import Access

T = TypeVar("T")


class Rows(Sequence[dict[str, Any]], Generic[T]):
    """A list of JSON objects made one at a time from `items` as they are read: a fleet's access rows,
    hundreds of thousands of them, are written out without all being held as dicts at once.

    `to_text`, when given, writes an item's JSON text straight away, exactly as `json.dumps(to_json(item),
    ensure_ascii=False)` would (`json_chunks` then makes no dicts at all)."""

    def __init__(
        self,
        items: Sequence[T],
        to_json: Callable[[T], dict[str, Any]],
        to_text: Callable[[T], str] | None = None,
    ) -> None:
        self._items, self._to_json, self.to_text = items, to_json, to_text

    def texts(self) -> Iterator[str]:
        """Each item's JSON text."""
        to_text = self.to_text or (lambda item: json.dumps(self._to_json(item), ensure_ascii=False))
        return map(to_text, self._items)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self._to_json(item) for item in self._items[index]]
        return self._to_json(self._items[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(self._to_json, self._items)


# Each JSON key of an access row with the Access field it shows, in the order written: where (the scope
# of a customer's offer), then who (the principal, its role and terms, and the scope's offboarding).
_WHERE = (
    ("stack", "stack"),
    ("customer", "customer"),
    ("customerTenantId", "customer_tenant_id"),
    ("managingTenantId", "managing_tenant_id"),
    ("offer", "offer"),
    ("offerName", "offer_name"),
    ("subscriptionId", "subscription_id"),
    ("resourceGroup", "resource_group"),
    ("scope", "scope"),
)
_WHO = (
    ("principal", "principal"),
    ("principalDisplayName", "principal_display_name"),
    ("principalKind", "principal_kind"),
    ("principalId", "principal_id"),
    ("role", "role"),
    ("roleDefinitionId", "role_id"),
    ("access", "kind"),
    ("requireMfa", "require_mfa"),
    ("maximumActivation", "maximum_activation"),
    ("approvers", "approvers"),
    ("delegatedRoles", "delegated_roles"),
    ("offboarding", "offboarding"),
    ("privilege", "privilege"),
)
ACCESS_KEYS = tuple(key for key, _ in _WHERE + _WHO)
# The values of each part, as a tuple: the key under which `AccessText` keeps the part's text.
_where_values = attrgetter(*(field for _, field in _WHERE))
_who_values = attrgetter(*(field for _, field in _WHO))
# Each part's keys, each followed by its value's JSON text (`%s`).
_WHERE_TEXT = "{" + ", ".join(f"{json.dumps(key)}: %s" for key, _ in _WHERE)
_WHO_TEXT = ", " + ", ".join(f"{json.dumps(key)}: %s" for key, _ in _WHO) + "}"
_LITERALS = MappingProxyType({True: "true", False: "false", None: "null"})


def access_json(row: Access) -> dict[str, Any]:
    values = _where_values(row) + _who_values(row)
    return {key: list(v) if isinstance(v, tuple) else v for key, v in zip(ACCESS_KEYS, values, strict=True)}


def _text(value: str | bool | tuple[str, ...] | None) -> str:
    # A row holds strings, booleans, None and tuples of strings; strings through `encode_basestring`,
    # the very function json's encoders call for every string when `ensure_ascii` is off.
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(map(encode_basestring, value)) + "]"
    return _LITERALS[value]


def _part(template: str, values: tuple[Any, ...]) -> str:
    return template % tuple(map(_text, values))


def access_text(row: Access) -> str:
    """`json.dumps(access_json(row), ensure_ascii=False)`, written straight from the row: a fleet's
    report writes hundreds of thousands of rows."""
    return _part(_WHERE_TEXT, _where_values(row)) + _part(_WHO_TEXT, _who_values(row))


class AccessText:
    """`access_text` for a run of rows, remembering the text of the scopes and grants they share.

    A fleet's rows repeat: each scope of an offer once per grant, each grant once per scope. Equal
    values make equal text, so each part is written once and looked up by its values after that; at
    most `limit` parts of each kind are kept, so a fleet of any size is written in bounded memory.
    """

    def __init__(self, limit: int = 4096) -> None:
        self._limit = limit
        self._parts: tuple[dict[tuple[Any, ...], str], dict[tuple[Any, ...], str]] = ({}, {})

    def _remembered(self, known: dict[tuple[Any, ...], str], template: str, values: tuple[Any, ...]) -> str:
        text = known.get(values)
        if text is None:
            if len(known) >= self._limit:
                known.clear()
            text = known[values] = _part(template, values)
        return text

    def __call__(self, row: Access) -> str:
        where, who = self._parts
        return self._remembered(where, _WHERE_TEXT, _where_values(row)) + self._remembered(
            who, _WHO_TEXT, _who_values(row)
        )
