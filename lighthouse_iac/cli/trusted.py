"""`--trusted-base REV`: the policy settings and role catalogues of a git revision, not the work tree's.

A pull request's checkout is untrusted input: it must not relax the settings it is judged by, nor bring
the role catalogue that describes its roles. The pipeline passes the pull request's base branch, and the
stacks of the work tree are judged with what that branch decides (docs/security.md).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import PROJECT_FILE, load_project, project_catalogue
from ..errors import ConfigError, Problem
from ..report.revision import RevisionError, project_at, relabel
from ..roles import RoleCatalogue
from ..rules import RuleSettings
from .context import UsageError


@dataclass(frozen=True)
class Trusted:
    """What the base revision decides: the settings (and their problems) and the role catalogue."""

    settings: RuleSettings
    problems: list[Problem]
    catalogue: RoleCatalogue
    settings_file: str
    """Where the settings came from, as `REV:path`, or a note that the revision has none."""


def _relative(root: Path, config: Path, revision: str) -> str:
    try:
        return (Path.cwd() / config).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(
            f"{config}: with --trusted-base, --config names a file of the project, read from {revision}"
        ) from None


def _catalogue(base: Path, revision: str) -> RoleCatalogue:
    try:
        return project_catalogue(load_project(base))
    except ConfigError as exc:  # the files it names are in the revision's copy, not the work tree
        problems = [replace(p, message=p.message.replace(f"{base}/", f"{revision}:")) for p in exc.problems]
        raise ConfigError(problems) from None


def trusted_inputs(root: Path, revision: str, config: Path | None) -> Trusted:
    """The settings file `config` and the role catalogues as they are at `revision`."""
    # Imported here: validate imports this module, and its settings loader is what reads the file.
    from .validate import load_settings  # noqa: PLC0415

    relative = _relative(root, config, revision) if config is not None else None
    try:
        with project_at(root, revision) as base:
            if base is None:
                raise UsageError(f"{revision} has no {PROJECT_FILE} in this project's folder")
            try:
                catalogue = _catalogue(base, revision)
                settings, problems = RuleSettings(), list[Problem]()
                where = f"{revision} has no {relative}: the defaults" if relative else "the defaults"
                if relative is not None and (base / relative).is_file():
                    settings, problems = load_settings(base / relative)
                    where = f"{revision}:{relative}"
            except ConfigError as exc:
                raise relabel(exc, base, revision) from None
            if problems:
                problems = list(relabel(ConfigError(problems), base, revision).problems)
    except RevisionError as exc:
        raise UsageError(str(exc)) from None
    return Trusted(settings, problems, catalogue, where)


def announce(args: argparse.Namespace, trusted: Trusted) -> None:
    """Say on stderr that the judgement comes from the base revision, not from the work tree."""
    print(
        f"lighthouse-iac: policy settings from {trusted.settings_file}, role catalogues from "
        f"{args.trusted_base}:{PROJECT_FILE}; the work tree's are not used (--trusted-base)",
        file=sys.stderr,
    )
