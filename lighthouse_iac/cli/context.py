"""What every subcommand needs: the project folder, and the usage error."""

from __future__ import annotations

import argparse
from pathlib import Path


class UsageError(Exception):
    """Wrong arguments or environment (no project found): exit 2 with the message."""


def project_dir(args: argparse.Namespace) -> Path:
    if args.project_dir is not None:
        if not (args.project_dir / "Pulumi.yaml").is_file():
            raise UsageError(
                f"{args.project_dir}: no Pulumi.yaml there; --project-dir names the project folder"
            )
        return Path(args.project_dir)
    # Here, not above: `--help` imports this module and must not load pydantic and the models.
    from ..config import find_project_dir  # noqa: PLC0415

    found = find_project_dir(Path.cwd())
    if found is None:
        raise UsageError(
            "no Pulumi.yaml in this folder or its parents; run inside the project or pass --project-dir"
        )
    return found
