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
from .roles import RoleCatalogue


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


def _freeze_survivors(phase: str, info: dict[str, int]) -> None:
    if phase == "stop":
        gc.freeze()


@contextmanager
def bulk() -> Iterator[None]:
    """Keep Python's cyclic garbage collector from re-scanning a whole fleet, over one bulk command.

    A fleet allocates hundreds of thousands of long-lived objects (models, plans, rows) and frees few
    cycles; each full collection re-scans all of them. Here every collection's survivors are frozen
    (`gc.freeze()`): later collections look only at what is new, and what is frozen is given back to the
    collector (`gc.unfreeze()`) when the command ends. Reference counting still frees everything that is
    not a cycle. Measured on 1,000 customers: report 6.0 s without this and 4.3 s with it, validate
    5.0 s and 4.0 s. Decorate the command's `run`, so that its fleet is freed before the collector
    has it back.
    """
    if _freeze_survivors in gc.callbacks:  # already inside one
        yield
        return
    gc.freeze()
    gc.callbacks.append(_freeze_survivors)
    try:
        yield
    finally:
        gc.callbacks.remove(_freeze_survivors)
        gc.unfreeze()


def load_fleet(project_dir: Path, names: Sequence[str] | None = None) -> Fleet:
    """Load the named stacks (default: every `Pulumi.<stack>.yaml`) of the project at `project_dir`.

    A missing or unreadable project file raises ConfigError; problems of single stacks are collected in
    `Fleet.errors` so that a caller can report them all at once.
    """
    return fleet_of(config.load_project(project_dir), names)


def fleet_of(
    project: Project, names: Sequence[str] | None = None, catalogue: RoleCatalogue | None = None
) -> Fleet:
    """The named stacks of a project already loaded; `catalogue` replaces the project's own role
    catalogues (validate --trusted-base)."""
    stacks: list[StackConfig] = []
    errors: dict[str, ConfigError] = {}
    for name in names if names is not None else config.list_stacks(project):
        try:
            # The project validates its own configuration and reads the role catalogue once for all.
            stacks.append(project.stack(name, catalogue))
        except ConfigError as exc:
            errors[name] = exc
    return Fleet(project, tuple(stacks), errors)
