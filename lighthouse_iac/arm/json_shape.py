"""A small language of JSON shapes: what a value must be, and each place where it is not.

A shape yields mismatches (where, relative to the value checked, and a message that names what was found
and what is allowed); `arm/shape.py` writes the shapes of ARM templates and parameters files in it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .expressions import is_expression
from .source import Loc

Mismatch = tuple[Loc, str]
"""Where, relative to the value checked, and the message."""


def describe(value: Any) -> str:
    """A JSON value as a message names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {json.dumps(value)}"
    if isinstance(value, str):
        text = json.dumps(value if len(value) <= 60 else value[:57] + "...", ensure_ascii=False)
        return f"the string {text}"
    if isinstance(value, dict):
        return "an object"
    return "an array"


class Shape:
    """What a value must be; `what` is how a message names it."""

    what: str

    def mismatches(self, value: Any, loc: Loc) -> Iterator[Mismatch]:
        raise NotImplementedError

    def found(self, value: Any, loc: Loc) -> Mismatch:
        return loc, f"expected {self.what}, found {describe(value)}"


@dataclass(frozen=True)
class Anything(Shape):
    what: str = "any value"

    def mismatches(self, value: Any, loc: Loc) -> Iterator[Mismatch]:
        return iter(())


@dataclass(frozen=True)
class Scalar(Shape):
    """A string, number or boolean of the given Python types (`int` never takes a boolean)."""

    what: str
    types: tuple[type, ...]
    expression: bool = False
    """An expression string is allowed too (checked once evaluated, where it matters)."""

    def mismatches(self, value: Any, loc: Loc) -> Iterator[Mismatch]:
        ok = isinstance(value, self.types) and not (isinstance(value, bool) and bool not in self.types)
        if not ok and not (self.expression and is_expression(value)):
            yield self.found(value, loc)


@dataclass(frozen=True)
class WrittenOut(Shape):
    """A string as written: lighthouse-iac does not evaluate an expression here."""

    what: str

    def mismatches(self, value: Any, loc: Loc) -> Iterator[Mismatch]:
        if not isinstance(value, str):
            yield self.found(value, loc)
        elif is_expression(value):
            yield (
                loc,
                f"expected {self.what} written out, found the expression {value}; write the value itself",
            )


@dataclass(frozen=True)
class OneOf(Shape):
    """A string among `allowed`, compared without case as ARM does."""

    what: str
    allowed: tuple[str, ...]

    def mismatches(self, value: Any, loc: Loc) -> Iterator[Mismatch]:
        if not isinstance(value, str) or value.lower() not in {a.lower() for a in self.allowed}:
            yield loc, f"expected {self.what} ({', '.join(self.allowed)}), found {describe(value)}"


@dataclass(frozen=True)
class Array(Shape):
    what: str
    items: Shape = field(default_factory=Anything)
    expression: bool = False

    def mismatches(self, value: Any, loc: Loc) -> Iterator[Mismatch]:
        if self.expression and is_expression(value):
            return
        if not isinstance(value, list):
            yield self.found(value, loc)
            return
        for i, item in enumerate(value):
            yield from self.items.mismatches(item, (*loc, i))


@dataclass(frozen=True)
class Object(Shape):
    """An object whose listed keys have their shapes; `values` for every key when the keys are names."""

    what: str
    fields: Mapping[str, Shape] = field(default_factory=dict)
    values: Shape | None = None
    required: tuple[str, ...] = ()
    expression: bool = False

    def mismatches(self, value: Any, loc: Loc) -> Iterator[Mismatch]:
        if self.expression and is_expression(value):
            return
        if not isinstance(value, dict):
            yield self.found(value, loc)
            return
        for key in self.required:
            if key not in value:
                yield loc, f"'{key}' is missing from {self.what}; it must be {self.fields[key].what}"
        for key, item in value.items():
            shape = self.fields.get(key, self.values)
            if shape is not None:
                yield from shape.mismatches(item, (*loc, key))


@dataclass(frozen=True)
class Either(Shape):
    """One of several container shapes, chosen by the value's JSON type."""

    what: str
    options: Mapping[type, Shape]

    def mismatches(self, value: Any, loc: Loc) -> Iterator[Mismatch]:
        shape = self.options.get(type(value))
        if shape is None:
            yield self.found(value, loc)
        else:
            yield from shape.mismatches(value, loc)


@dataclass(frozen=True)
class Resource(Shape):
    """A template resource: the common keys, and the properties its (literal) type needs."""

    what: str
    common: Mapping[str, Shape]
    properties: Callable[[str], Shape]

    def mismatches(self, value: Any, loc: Loc) -> Iterator[Mismatch]:
        kind = value.get("type") if isinstance(value, dict) else None
        shape = Object(
            self.what,
            {**self.common, "properties": self.properties(kind if isinstance(kind, str) else "")},
            required=("type", "name"),
        )
        yield from shape.mismatches(value, loc)


def mismatches(shape: Shape, value: Any, loc: Loc = ()) -> list[Mismatch]:
    return list(shape.mismatches(value, loc))
