"""Validating one customer stack: shapes first, then the names that must resolve."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pydantic

from .. import limits
from ..catalogues import CatalogueError
from ..errors import ConfigError, Problem, format_path
from ..models import LighthouseConfig
from ..roles import RoleCatalogue
from ..sources import YamlDocument
from .catalogue import catalogue_error, catalogue_of
from .located import Entry, StackConfig
from .messages import shape_problems
from .references import reference_problems

if TYPE_CHECKING:
    from .project import Project


def build(
    stack: str,
    entries: Mapping[str, Entry],
    project_dir: Path,
    *,
    catalogue: RoleCatalogue | None = None,
    stack_doc: YamlDocument | None = None,
    project: Project | None = None,
) -> StackConfig:
    """Validate shapes, then references; raise ConfigError listing every problem found.

    `stack_doc` is where a missing top-level key is reported: the stack file, when there is one.
    """
    values = {k: project.value(k, e) if project else e.value for k, e in entries.items()}
    too_many = limits.count_problems(values.get("offers"))
    if too_many:  # before validation walks a million scopes
        offers = entries["offers"]
        raise ConfigError(
            [Problem(offers.file, offers.line_of(loc[1:]), format_path(loc), m) for loc, m in too_many]
        )
    try:
        config = LighthouseConfig.model_validate(values)
    except pydantic.ValidationError as exc:
        raise ConfigError(shape_problems(exc.errors(), entries, stack_doc)) from None
    if catalogue is None:
        try:
            catalogue = (
                project.catalogue(config.role_catalogues)
                if project
                else catalogue_of(project_dir, config.role_catalogues)
            )
        except CatalogueError as exc:
            raise catalogue_error(entries.get("roleCatalogues"), str(exc)) from None
    result = StackConfig(stack, project_dir, config, catalogue, entries)
    problems = list(reference_problems(result))
    if problems:
        raise ConfigError(problems)
    return result
