"""Every customer stack of a project, loaded once: the project file and the role catalogue read a single time.

Commands over the whole fleet (report, validate) would otherwise re-read `Pulumi.yaml` and re-parse the
role catalogue for each of hundreds of customers; here both are shared, and a broken stack does not hide
the problems of the others.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import config
from .config import Project, StackConfig
from .errors import ConfigError


@dataclass(frozen=True)
class Fleet:
    """The stacks of one project that loaded, and the problems of those that did not."""

    project: Project
    stacks: tuple[StackConfig, ...]
    errors: dict[str, ConfigError] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return sorted([s.stack for s in self.stacks] + list(self.errors))

    def __iter__(self) -> Iterator[StackConfig]:
        return iter(self.stacks)

    def __len__(self) -> int:
        return len(self.stacks)

    def require_valid(self) -> Fleet:
        """The fleet itself, or one ConfigError listing the problems of every broken stack."""
        problems = [p for name in sorted(self.errors) for p in self.errors[name].problems]
        if problems:
            raise ConfigError(problems)
        return self


@contextmanager
def bulk() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a whole fleet is loaded and reported on.

    A fleet allocates hundreds of thousands of long-lived objects (YAML nodes, models, rows) and frees few
    cycles; each full collection re-scans all of them. Measured on 1,000 customers: the report took 6.3 s
    with the collector and 3.5 s without. Reference counting still frees everything that is not a cycle.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_fleet(project_dir: Path, names: Sequence[str] | None = None) -> Fleet:
    """Load the named stacks (default: every `Pulumi.<stack>.yaml`) of the project at `project_dir`.

    A missing or unreadable project file raises ConfigError; problems of single stacks are collected in
    `Fleet.errors` so that a caller can report them all at once.
    """
    project = config.load_project(project_dir)
    stacks: list[StackConfig] = []
    errors: dict[str, ConfigError] = {}
    with bulk():
        for name in names if names is not None else config.list_stacks(project):
            try:
                # The project validates its own configuration and reads the role catalogue once for all.
                stacks.append(project.stack(name))
            except ConfigError as exc:
                errors[name] = exc
    return Fleet(project, tuple(stacks), errors)
