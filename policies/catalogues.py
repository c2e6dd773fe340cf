"""The project's role catalogues as the pack finds them: in the project, or shipped with a published pack."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lighthouse_iac.catalogues import CatalogueError, load_catalogue, outside_project
from lighthouse_iac.errors import Unlocated
from lighthouse_iac.policy_engine.shape import describe
from lighthouse_iac.roles import RoleCatalogue


def catalogue_path(entry: str) -> tuple[Path | None, list[Path]]:
    """Where a listed catalogue is, and where it was looked for: the project folder first (the engine
    starts the pack in its own folder, `policies/` of the checkout), then the pack's own folder (a
    published pack runs from the Pulumi home, far from any project: it reads the copy shipped with it)."""
    tried = [Path.cwd().parent / entry, Path.cwd() / entry]
    # A link is found, so that reading it refuses it by name rather than call the file missing.
    return next((p for p in tried if p.is_file() or p.is_symlink()), None), tried


def project_catalogue(values: Mapping[str, Any]) -> tuple[RoleCatalogue, tuple[Unlocated, ...]]:
    """The built-in roles plus the project's `roleCatalogues`, and every listed file that could not be
    read: the rules then run without it, so `lighthouse-policy-inputs` fails the run rather than let a
    custom role read as "not a built-in role" (validate refuses such a project with exit code 2)."""
    listed = values.get("roleCatalogues")
    if listed is None:
        return load_catalogue(), ()
    if not isinstance(listed, list):
        return load_catalogue(), (
            (("roleCatalogues",), f"expected a list of role catalogue files, found {describe(listed)}"),
        )
    paths: list[Path] = []
    problems: list[Unlocated] = []
    for index, entry in enumerate(listed):
        loc = ("roleCatalogues", index)
        if not isinstance(entry, str) or not entry:
            problems.append((loc, f"expected the path of a role catalogue file, found {describe(entry)}"))
            continue
        outside = outside_project(entry)
        if outside:
            problems.append((loc, outside))
            continue
        path, tried = catalogue_path(entry)
        if path is None:
            problems.append(
                (
                    loc,
                    f"role catalogue {entry} is neither at {tried[0]} (in the project, when the pack "
                    f"runs from its policies/ folder) nor at {tried[1]} (shipped in the pack folder); run "
                    f"the pack from the project's policies/ folder, or copy the file to {entry} inside "
                    "the pack folder before `pulumi policy publish` (docs/policy-pack.md)",
                )
            )
            continue
        try:
            # Within the folder it was found in: no folder between it and the file may be a link either.
            load_catalogue([path], within=Path.cwd().parent if path == tried[0] else Path.cwd())
        except CatalogueError as exc:
            problems.append((loc, f"{exc}; correct the file (an export of `az role definition list`)"))
            continue
        paths.append(path)
    return load_catalogue(paths), tuple(problems)
