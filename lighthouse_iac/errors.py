"""The one error type for bad input, and where in which file it is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .escape import terminal

KeyPath = tuple[str | int, ...]

Unlocated = tuple[KeyPath, str]
"""A problem at a key path of a value read without its file (a settings object, the pack's configuration,
a resource's properties): the one form of a problem before it has a place; whoever knows the file makes it
a Problem (`Problem.at`)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and what is wrong."""

    file: str | None
    line: int | None
    path: str
    message: str

    @classmethod
    def at(cls, file: str | None, line: int | None, found: Unlocated) -> Problem:
        """`found`, placed in `file` at `line`."""
        loc, message = found
        return cls(file, line, format_path(loc), message)

    def render(self) -> str:
        """One line for a terminal: control characters from the input are shown escaped, never obeyed."""
        if self.file is None and not self.path:
            return terminal(self.message)  # about an argument, not a file
        where = self.file or "<config>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return terminal(text)


class ConfigError(Exception):
    """Invalid configuration; its text is one line per problem, ready to show a user."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("ConfigError needs at least one problem")
        # The same problem met through several stacks (one in Pulumi.yaml, which all share) is said once.
        self.problems = tuple(dict.fromkeys(problems))
        super().__init__("\n".join(p.render() for p in self.problems))


class LinkedFile(ConfigError):
    """An input file refused because it, or a folder on its way, is a symbolic link: refused even where
    the file would only have helped to point at lines (limits.SymbolicLink says why)."""


def format_path(parts: Sequence[str | int]) -> str:
    """`('offers', 1, 'role')` -> `offers[1].role`; keys that are not identifiers are quoted."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.replace("_", "a").replace("-", "a").isalnum():
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out
