"""`lighthouse-iac schema -o DIR`: JSON Schemas of stack files and Pulumi.yaml, for editors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .. import config
from ..schema import PROJECT_SCHEMA, STACK_SCHEMA, project_schema, stack_schema
from . import options
from .audit import write_atomic
from .commands import help_of
from .context import UsageError, project_dir


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schema",
        help=help_of("schema"),
        description="Write stack.schema.json and project.schema.json into DIR, generated from the "
        "configuration models, with the project's principal names and the catalogue's role names as "
        "suggestions.",
    )
    options.add_output(parser, metavar="DIR", help="an existing folder", required=True)
    parser.set_defaults(run=run)


def principal_names(project: config.Project) -> list[str]:
    """The directory's names (managingTenant.principals), or none while Pulumi.yaml does not declare it."""
    entry = project.entries.get("managingTenant")
    value = entry.value if entry is not None else None
    principals = value.get("principals") if isinstance(value, dict) else None
    return sorted(str(k) for k in principals) if isinstance(principals, dict) else []


def role_names(project: config.Project) -> list[str]:
    # The one loader: a bad catalogue is the same located error (exit 2) as in every other command.
    return sorted({role.name for role in config.project_catalogue(project)})


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def schemas(project: config.Project) -> dict[str, str]:
    """Each schema file's name and text."""
    roles = role_names(project)
    return {
        STACK_SCHEMA: render(stack_schema(principal_names(project), roles)),
        PROJECT_SCHEMA: render(project_schema(roles)),
    }


def run(args: argparse.Namespace) -> int:
    folder: Path = args.output
    if folder.is_symlink() or not folder.is_dir():
        raise UsageError(f"{folder}: not a folder (create it first; a symbolic link is not followed)")
    project = config.load_project(project_dir(args))
    for name, text in schemas(project).items():
        write_atomic(folder / name, text)
        print(f"Wrote {folder / name}")
    return 0
