"""Where each key of a resource the rules read was written: a key path in the stack's configuration or in a
template, with its file and line.

The plan fills one in for every resource it builds (plan_sources.py), the ARM evaluator for every resource
a template deploys (arm/resources.py); the rules' verdicts are located through it, by `validate`, the policy
pack and ARM validation alike.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

Loc = tuple[str | int, ...]
Position = Callable[[Loc], tuple[str | None, int | None]]
"""The file and line of a key path (a stack's `locate`); (None, None) where no file is known."""


@dataclass(frozen=True)
class Source:
    """Where a value was written: its key path, and the file and line when known."""

    key: Loc
    file: str | None = None
    line: int | None = None


class SourceMap(Protocol):
    def source(self, loc: Loc, *, value: bool = False) -> Source:
        """Where the value at `loc`, a key path inside the resource's inputs, was written.

        With `value`, an ID is located where the ID itself is written (a principal's object ID in the
        directory) rather than at the key that names it (Rule.about_values)."""
        ...


def nowhere(loc: Loc) -> tuple[str | None, int | None]:
    """The position of a key when the configuration came from no file (the policy pack's engine config)."""
    return None, None


@dataclass(frozen=True)
class KeyTable:
    """ARM key paths and the configuration keys they came from.

    A path not in the table takes the key of its deepest prefix that is; under an `open` path the rest of
    the path is the same in both (a Marketplace plan is written as ARM takes it)."""

    keys: Mapping[Loc, Loc]
    values: Mapping[Loc, Loc] = field(default_factory=dict)
    """Where the ID at a path is written, when not at its key (see SourceMap.source)."""
    open: frozenset[Loc] = frozenset()

    def key(self, loc: Loc, *, value: bool = False) -> Loc:
        for length in range(len(loc), -1, -1):
            prefix = loc[:length]
            found = self.keys.get(prefix)
            if found is None:
                continue
            if value and prefix in self.values:
                return self.values[prefix]
            return (*found, *loc[length:]) if prefix in self.open else found
        return ()


class KeySources(ABC):
    """A source map that finds the configuration key first, then its position.

    Only the keys are the plan's own work: the line of every key of every customer would cost more than
    the rules themselves on a large fleet, so `position` finds it for the keys a verdict asks for."""

    position: Position

    @abstractmethod
    def key(self, loc: Loc, *, value: bool = False) -> Loc:
        """The configuration key path the value at `loc` came from."""

    def source(self, loc: Loc, *, value: bool = False) -> Source:
        key = self.key(loc, value=value)
        file, line = self.position(key)
        return Source(key, file, line)
