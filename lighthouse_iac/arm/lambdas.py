"""ARM's functions that apply a `lambda()`: map, filter, reduce, sort and toObject (what Bicep's
`map()`, `filter()`, ... compile to), bounded in what their lambdas build."""

from __future__ import annotations

import functools
from typing import Any

from ..limits import MAX_VALUE_LENGTH
from .context import ExpressionError, Lambda
from .context import text as as_text


def _applied(function: Any) -> Lambda:
    if not isinstance(function, Lambda):
        raise ExpressionError(f"expected a lambda(), found {as_text(function)!r}")
    return function


class _Budget:
    """What lambdas build in one call of map(), reduce() or toObject(), nested values counted, so that a
    lambda inside a lambda cannot build more than MAX_VALUE_LENGTH items between them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.left = MAX_VALUE_LENGTH

    def spend(self, value: Any) -> Any:
        waiting = [value]
        while waiting:
            item = waiting.pop()
            self.left -= 1
            if self.left < 0:
                raise ExpressionError(
                    f"{self.name}() builds more than {MAX_VALUE_LENGTH:,} values; that many are not evaluated"
                )
            if isinstance(item, dict):
                waiting.extend(item.values())
            elif isinstance(item, list):
                waiting.extend(item)
        return value


def map_(items: list[Any], function: Any) -> list[Any]:
    budget = _Budget("map")
    return [budget.spend(_applied(function)(item, i)) for i, item in enumerate(items)]


def filter_(items: list[Any], function: Any) -> list[Any]:
    kept = []
    for i, item in enumerate(items):
        keep = _applied(function)(item, i)
        if not isinstance(keep, bool):
            raise ExpressionError(f"filter()'s lambda must give true or false, found {as_text(keep)!r}")
        if keep:
            kept.append(item)
    return kept


def reduce_(items: list[Any], initial: Any, function: Any) -> Any:
    budget = _Budget("reduce")
    value = initial
    for i, item in enumerate(items):
        value = budget.spend(_applied(function)(value, item, i))
    return value


def sort_(items: list[Any], before: Any) -> list[Any]:
    def order(a: Any, b: Any) -> int:
        return -1 if _applied(before)(a, b) is True else 1 if _applied(before)(b, a) is True else 0

    return sorted(items, key=functools.cmp_to_key(order))


def to_object(items: list[Any], key: Any, value: Any = None) -> dict[str, Any]:
    budget = _Budget("toObject")
    result: dict[str, Any] = {}
    for item in items:
        name = _applied(key)(item)
        if not isinstance(name, str):
            raise ExpressionError(f"toObject()'s key lambda must give a string, found {as_text(name)!r}")
        result[name] = budget.spend(_applied(value)(item)) if value is not None else item
    return result
