"""The project's role catalogue: the shipped roles plus the exports `roleCatalogues` lists in Pulumi.yaml.

One loader for the program, the CLI and ARM validation, with one failure behaviour: a file that cannot be
read, or that would rename or weaken a built-in role, is a ConfigError on the `roleCatalogues` line naming
that file. Nothing falls back to the shipped catalogue: rules judged against fewer roles than the project
declares would call its roles unknown, or pass what its own export forbids.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalogues import CatalogueError, load_catalogue, outside_project
from ..errors import ConfigError, Problem
from ..roles import RoleCatalogue
from .located import Entry

if TYPE_CHECKING:
    from .project import Project

KEY = "roleCatalogues"


def catalogue_of(project_dir: Path, listed: Sequence[str]) -> RoleCatalogue:
    """The built-in roles plus the listed exports, each role's source named as `roleCatalogues` lists it.

    Raises CatalogueError; `project_catalogue` and `catalogue_error` say it as the user's input."""
    refused = [reason for reason in map(outside_project, listed) if reason]
    if refused:
        raise CatalogueError(refused[0])
    named = {project_dir / p: p for p in listed}
    return load_catalogue(list(named), lambda path: named.get(path, str(path)), project_dir)


def catalogue_error(entry: Entry | None, message: str) -> ConfigError:
    """A problem with the role catalogues, on the line of Pulumi.yaml that lists them."""
    return ConfigError(
        [Problem(entry.file if entry else None, entry.line_of(()) if entry else None, KEY, message)]
    )


def project_catalogue(project: Project) -> RoleCatalogue:
    """The catalogue of `project` as it lists it (read once per project), or a ConfigError naming the file."""
    entry = project.entries.get(KEY)
    listed = entry.value if entry is not None else []
    if not isinstance(listed, list) or not all(isinstance(p, str) and p for p in listed):
        raise catalogue_error(entry, "expected a list of role catalogue files")
    try:
        return project.catalogue(listed)
    except CatalogueError as exc:
        raise catalogue_error(entry, str(exc)) from None
