"""JSON files (ARM templates and parameter files) read with the line of every key, for error messages."""

from __future__ import annotations

import json
import json.decoder
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Problem, format_path
from ..limits import read_limited
from ..sources import display_path

Loc = tuple[str | int, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# The string scanner of the json module (typeshed does not declare it).
_scanstring: Any = getattr(json.decoder, "scanstring")  # noqa: B009
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class JsonDocument:
    """A parsed JSON file and the 1-based line where each key path starts."""

    file: str
    data: Any
    lines: dict[Loc, int] = field(repr=False, default_factory=dict)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """Line of the deepest known prefix of `loc`."""
        path = tuple(loc)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:

        return Problem(self.file, self.line_of(loc), format_path(loc), message)


class _Lines:
    """Walks the JSON text once, recording the line where each value starts (json parses the data)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: dict[Loc, int] = {}

    def line(self, pos: int) -> int:
        return self.text.count("\n", 0, pos) + 1

    def skip(self, pos: int) -> int:
        match = _WHITESPACE.match(self.text, pos)
        return match.end() if match else pos

    def value(self, pos: int, loc: Loc) -> int:
        pos = self.skip(pos)
        self.lines.setdefault(loc, self.line(pos))
        char = self.text[pos]
        if char == "{":
            return self.container(pos, loc, "}", keyed=True)
        if char == "[":
            return self.container(pos, loc, "]", keyed=False)
        if char == '"':
            return int(_scanstring(self.text, pos + 1)[1])
        for literal in ("true", "false", "null"):
            if self.text.startswith(literal, pos):
                return pos + len(literal)
        match = _NUMBER.match(self.text, pos)
        return match.end() if match else pos + 1

    def container(self, pos: int, loc: Loc, close: str, *, keyed: bool) -> int:
        pos = self.skip(pos + 1)
        index = 0
        while self.text[pos] != close:
            if keyed:
                key, after = _scanstring(self.text, pos + 1)
                self.lines[(*loc, key)] = self.line(pos)
                pos = self.skip(after)
                pos = self.value(pos + 1, (*loc, key))  # past the colon
            else:
                pos = self.value(pos, (*loc, index))
                index += 1
            pos = self.skip(pos)
            if self.text[pos] == ",":
                pos = self.skip(pos + 1)
        return pos + 1


MAX_DEPTH = 64
"""Objects and arrays nest at most this deep: far more than any template needs, far less than would
exhaust Python's recursion on the way through evaluation and import."""


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which JSON (and ARM) do not have.
    raise ValueError(f"{name} is not a JSON value")


class NumberTooLarge(ValueError):
    """A JSON number beyond a double, which Python's json would read as infinity."""

    def __init__(self, literal: str) -> None:
        self.literal = literal
        shown = literal if len(literal) <= 40 else f"the number of {len(literal)} characters"
        super().__init__(f"{shown} is beyond the largest number a template can hold")


def finite_number(literal: str) -> float:
    """A JSON number with a fraction or exponent; NumberTooLarge where it would be infinite."""
    number = float(literal)
    if math.isinf(number):  # no template value is infinite; json would say 1e999 is
        raise NumberTooLarge(literal)
    return number


def _depth(value: Any) -> int:
    """How many objects and arrays nest in `value` (`[]` is 1, `[[]]` 2)."""
    depth, level = 0, [value]
    while any(isinstance(node, dict | list) for node in level):
        depth += 1
        level = [
            child
            for node in level
            if isinstance(node, dict | list)
            for child in (node.values() if isinstance(node, dict) else node)
        ]
    return depth


def parse_json(text: str, file: str) -> JsonDocument:
    too_deep = False
    data: Any = None
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=finite_number)
    except NumberTooLarge as exc:
        at = text.find(exc.literal)
        line = text.count("\n", 0, at) + 1 if at >= 0 else None
        raise ConfigError([Problem(file, line, "", str(exc))]) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        reason = getattr(exc, "msg", str(exc))
        raise ConfigError([Problem(file, line, "", f"not valid JSON: {reason}")]) from None
    except RecursionError:
        too_deep = True  # deeper than the parser goes
    if too_deep or _depth(data) > MAX_DEPTH:
        raise ConfigError(
            [Problem(file, None, "", f"objects and arrays nest more than {MAX_DEPTH} levels deep; not read")]
        )
    walker = _Lines(text)
    walker.value(0, ())
    return JsonDocument(file, data, walker.lines)


def read_json(path: Path) -> JsonDocument:
    file = display_path(path)
    try:
        # A path given on the command line, relative to the checkout: the pipeline chose the name, but a
        # pull request may have made a folder on the way a link; absolute paths are the caller's own.
        text = read_limited(path, None if path.is_absolute() else Path()).decode(
            "utf-8-sig"
        )  # Windows tools often start a template with a BOM
    except FileNotFoundError:
        raise ConfigError([Problem(file, None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(file, None, "", f"cannot read file: {exc}")]) from None
    return parse_json(text, file)
