"""How big a value is written out, and how big a function's result would be, so that evaluation stays
bounded: a template's values are refused past MAX_VALUE_LENGTH characters or items, before they are built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..limits import MAX_VALUE_LENGTH
from .context import ExpressionError
from .expression_syntax import Call


def weight(value: Any) -> int:
    """Characters and items of `value` written out, every member counted where it appears.

    A value may hold the same array many times (`createArray(x, x)` nested, a copy loop over a variable),
    so its written size can be exponential in the work that built it; the count is memoised by container
    to stay linear in the distinct containers, and iterative so that nesting cannot exhaust the stack.
    """
    weights: dict[int, int] = {}
    pending: list[tuple[Any, bool]] = [(value, False)]
    while pending:
        item, children_done = pending.pop()
        if not isinstance(item, list | dict) or id(item) in weights:
            continue
        members = list(item.values()) if isinstance(item, dict) else item
        if not children_done:
            pending.append((item, True))
            pending.extend((m, False) for m in members if isinstance(m, list | dict))
            continue
        keys = sum(len(k) if isinstance(k, str) else 1 for k in item) if isinstance(item, dict) else 0
        weights[id(item)] = len(members) + keys + sum(_leaf(m, weights) for m in members)
    return _leaf(value, weights)


def _leaf(value: Any, weights: dict[int, int]) -> int:
    if isinstance(value, list | dict):
        return weights[id(value)]
    # A number counts its digits; true, false, null and values not known yet count as one.
    return len(value) if isinstance(value, str) else len(str(value)) if isinstance(value, int | float) else 1


def _size(value: Any) -> int:
    return weight(value)


def growth(name: str, args: Sequence[Any]) -> int:
    """An upper bound of the size of what the functions that grow values would build, before building it."""
    if name in ("concat", "union", "createarray", "createobject", "array", "string", "json"):
        return sum(_size(a) for a in args)
    if name == "replace" and len(args) == 3 and all(isinstance(a, str) for a in args):
        text, old, new = args
        return len(text) + (text.count(old) if old else len(text) + 1) * len(new)
    if name == "format" and args and isinstance(args[0], str):
        return len(args[0]) + args[0].count("{") * max((_size(a) for a in args[1:]), default=0)
    return 0


def bounded(call: Call, value: Any) -> Any:
    """A function's result, refused when it has grown past MAX_VALUE_LENGTH (doubling in a loop would)."""
    if isinstance(value, str | list | dict) and len(value) > MAX_VALUE_LENGTH:
        raise ExpressionError(
            f"{call.name}() builds a value of {len(value):,} characters or items; at most "
            f"{MAX_VALUE_LENGTH:,} are evaluated"
        )
    return value
