"""Options several commands share, declared once so that each reads, and means, the same everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPORT_FILE = "write the report here"


def add_format(parser: Any, choices: Sequence[str], default: str, help: str | None = None) -> None:
    """`--format`: the output format, one of `choices`."""
    parser.add_argument("--format", choices=choices, default=default, help=help)


def add_output(
    parser: Any, *, metavar: str = "FILE", help: str = REPORT_FILE, required: bool = False
) -> None:
    """`--output`/`-o`: where the output goes instead of standard output (written atomically)."""
    parser.add_argument("--output", "-o", type=Path, metavar=metavar, required=required, help=help)


def add_settings(parser: Any, help: str) -> None:
    """`--config FILE`: the policy settings, the file given to `pulumi preview --policy-pack-config`."""
    parser.add_argument("--config", type=Path, metavar="FILE", help=help)


def add_azure_plans(parser: Any) -> None:
    """`--azure-plans DIR`: the snapshots of CSP customers' Azure plans."""
    parser.add_argument(
        "--azure-plans",
        type=Path,
        metavar="DIR",
        help="snapshots of CSP customers' Azure plans: DIR/<customer>.json from `pulumi stack output --json`",
    )


def add_trusted_base(parser: Any) -> None:
    """`--trusted-base REV`: judge with the settings and role catalogues of a base revision."""
    parser.add_argument(
        "--trusted-base",
        metavar="REV",
        help=(
            "read the policy settings (--config, as a path in the project) and the role catalogues from "
            "this git revision, such as a pull request's base branch, not from the work tree"
        ),
    )
