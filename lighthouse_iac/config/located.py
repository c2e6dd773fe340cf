"""Configuration values and where they were written: the project file or a customer's stack file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, format_path
from ..models import LighthouseConfig
from ..roles import RoleCatalogue
from ..sources import YamlDocument

PROJECT_FILE = "Pulumi.yaml"
PROJECT_KEYS = ("managingTenant", "roleCatalogues")

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Entry:
    """One top-level config value and where it was written (for line numbers)."""

    value: Any
    file: str | None
    doc: YamlDocument | None = None
    prefix: Loc = ()

    def line_of(self, rest: Sequence[str | int]) -> int | None:
        return self.doc.line_of((*self.prefix, *rest)) if self.doc else None


@dataclass(frozen=True)
class StackConfig:
    """A validated customer stack: its configuration, the role catalogue, and where each key was written."""

    stack: str
    project_dir: Path
    config: LighthouseConfig
    catalogue: RoleCatalogue
    entries: Mapping[str, Entry] = field(repr=False)

    def locate(self, loc: Sequence[str | int]) -> tuple[str | None, int | None]:
        """File and line of a key path such as `('offers', 1, 'authorizations', 0, 'role')`."""
        if not loc or not isinstance(loc[0], str) or loc[0] not in self.entries:
            return None, None
        entry = self.entries[loc[0]]
        return entry.file, entry.line_of(loc[1:])

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        file, line = self.locate(loc)
        return Problem(file, line, format_path(loc), message)
