"""The access rows as JSON: as objects (`access_json`), and as text written straight from a row
(`access_text`), for the hundreds of thousands of rows of a large fleet's report."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring
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


def access_json(row: Access) -> dict[str, Any]:
    return {
        "stack": row.stack,
        "customer": row.customer,
        "customerTenantId": row.customer_tenant_id,
        "managingTenantId": row.managing_tenant_id,
        "offer": row.offer,
        "offerName": row.offer_name,
        "subscriptionId": row.subscription_id,
        "resourceGroup": row.resource_group,
        "scope": row.scope,
        "principal": row.principal,
        "principalDisplayName": row.principal_display_name,
        "principalKind": row.principal_kind,
        "principalId": row.principal_id,
        "role": row.role,
        "roleDefinitionId": row.role_id,
        "access": row.kind,
        "requireMfa": row.require_mfa,
        "maximumActivation": row.maximum_activation,
        "approvers": list(row.approvers),
        "delegatedRoles": list(row.delegated_roles),
        "offboarding": row.offboarding,
        "privilege": row.privilege,
    }


_ACCESS_KEYS = (
    "stack",
    "customer",
    "customerTenantId",
    "managingTenantId",
    "offer",
    "offerName",
    "subscriptionId",
    "resourceGroup",
    "scope",
    "principal",
    "principalDisplayName",
    "principalKind",
    "principalId",
    "role",
    "roleDefinitionId",
    "access",
    "requireMfa",
    "maximumActivation",
    "approvers",
    "delegatedRoles",
    "offboarding",
    "privilege",
)
# `access_json`'s keys, in its order, each followed by its value's JSON text (`%s`): where (the scope of a
# customer's offer), then who (the principal, its role and terms, and the scope's offboarding).
_WHERE = "{" + ", ".join(f"{json.dumps(key)}: %s" for key in _ACCESS_KEYS[:9])
_WHO = ", " + ", ".join(f"{json.dumps(key)}: %s" for key in _ACCESS_KEYS[9:]) + "}"
_LITERALS = MappingProxyType({True: "true", False: "false", None: "null"})

WhereKey = tuple[str, str, str, str, str, str, str, str | None, str]
WhoKey = tuple[
    str, str, str, str, str, str, bool, bool | None, str | None, tuple[str, ...], tuple[str, ...], bool, str
]


def _strings(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(map(encode_basestring, values)) + "]"


def _where(row: Access) -> str:
    enc = encode_basestring
    return _WHERE % (
        enc(row.stack),
        enc(row.customer),
        enc(row.customer_tenant_id),
        enc(row.managing_tenant_id),
        enc(row.offer),
        enc(row.offer_name),
        enc(row.subscription_id),
        "null" if row.resource_group is None else enc(row.resource_group),
        enc(row.scope),
    )


def _who(row: Access) -> str:
    enc = encode_basestring
    return _WHO % (
        enc(row.principal),
        enc(row.principal_display_name),
        enc(row.principal_kind),
        enc(row.principal_id),
        enc(row.role),
        enc(row.role_id),
        '"eligible"' if row.eligible else '"permanent"',
        _LITERALS[row.require_mfa],
        "null" if row.maximum_activation is None else enc(row.maximum_activation),
        _strings(row.approvers),
        _strings(row.delegated_roles),
        _LITERALS[row.offboarding],
        enc(row.privilege),
    )


def access_text(row: Access) -> str:
    """`json.dumps(access_json(row), ensure_ascii=False)`, three times as fast: a fleet's report writes
    hundreds of thousands of rows. Each string goes through `encode_basestring`, the very function that
    json's encoders call for every string when `ensure_ascii` is off."""
    return _where(row) + _who(row)


class AccessText:
    """`access_text` for a run of rows, remembering the text of the scopes and grants they share.

    A fleet's rows repeat: each scope of an offer once per grant, each grant once per scope. Equal
    values make equal text, so each part is written once and looked up by its values after that; at
    most `limit` parts of each kind are kept, so a fleet of any size is written in bounded memory.
    """

    def __init__(self, limit: int = 4096) -> None:
        self._limit = limit
        self._where: dict[WhereKey, str] = {}
        self._who: dict[WhoKey, str] = {}

    def __call__(self, row: Access) -> str:
        where_key = (
            row.stack,
            row.customer,
            row.customer_tenant_id,
            row.managing_tenant_id,
            row.offer,
            row.offer_name,
            row.subscription_id,
            row.resource_group,
            row.scope,
        )
        where = self._where.get(where_key)
        if where is None:
            if len(self._where) >= self._limit:
                self._where.clear()
            where = self._where[where_key] = _where(row)
        who_key = (
            row.principal,
            row.principal_display_name,
            row.principal_kind,
            row.principal_id,
            row.role,
            row.role_id,
            row.eligible,
            row.require_mfa,
            row.maximum_activation,
            row.approvers,
            row.delegated_roles,
            row.offboarding,
            row.privilege,
        )
        who = self._who.get(who_key)
        if who is None:
            if len(self._who) >= self._limit:
                self._who.clear()
            who = self._who[who_key] = _who(row)
        return where + who
