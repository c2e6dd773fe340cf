"""Reading ARM-shaped values leniently: rules see absent keys, wrong types and unknown values, never raise.

Resources reach the rules from three places (the plan, the policy engine, parsed ARM templates), and the
policy engine passes whatever a program registered, including values unknown until deployment. These
accessors turn anything into the one shape a rule expects, or into None, so that a rule never raises.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final


class Unknown:
    """A value not known yet: computed at deployment (Pulumi preview) or an unresolved ARM expression."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown()


def is_unknown(value: object) -> bool:
    return value is UNKNOWN


# `type(x) is dict` first: the plain values of the plan and the pack are by far the common case, and an
# ABC check costs more than the rest of a rule.


def mapping(value: object) -> Mapping[str, Any]:
    """The value as a mapping; anything else (absent, wrong type, unknown) as an empty one."""
    if type(value) is dict or isinstance(value, Mapping):
        return value
    return {}


def _items(value: object) -> Sequence[Any] | None:
    if type(value) is list:
        return value
    if value is None:  # an absent key: no ABC check for it
        return None
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return value
    return None


def text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def entries(value: object) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """`(index, item)` for each mapping in a list; other items are skipped (another rule reports shapes)."""
    for i, item in enumerate(_items(value) or ()):
        if type(item) is dict or isinstance(item, Mapping):
            yield i, item


def strings(value: object) -> Iterator[tuple[int, str]]:
    """`(index, text)` for each string in a list."""
    for i, item in enumerate(_items(value) or ()):
        if isinstance(item, str):
            yield i, item


def length(value: object) -> int | None:
    """The number of items of a list, or None when it is not a (known) list."""
    items = _items(value)
    return None if items is None else len(items)


def describe(value: object) -> str:
    """A value as a message shows it."""
    if value is None:
        return "nothing"
    if is_unknown(value):
        return "a value unknown until deployment"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__
