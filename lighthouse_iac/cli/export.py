"""`lighthouse-iac export CUSTOMER --format arm|marketplace`: what a customer or Partner Center needs."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from .. import config
from ..arm import marketplace
from ..arm.export import DEFAULT_LOCATION, export_files
from ..escape import terminal
from ..plan import build_plan
from ..sources import display_path
from . import options
from .commands import help_of
from .context import UsageError, project_dir
from .files import replace_files

# Azure's region names (`az account list-locations --query [].name`): lowercase letters and digits. The
# value lands in the shell command of the README the customer runs, so nothing else is accepted.
_REGION = re.compile(r"^[a-z][a-z0-9]{1,39}\Z")


def region(value: str) -> str:
    if _REGION.match(value):
        return value
    folded = re.sub(r"[^a-z0-9]", "", value.lower())
    hint = f" (did you mean '{folded}'?)" if _REGION.match(folded) else ""
    raise argparse.ArgumentTypeError(
        f"{terminal(repr(value))} is not an Azure region name{hint}; use a name that "
        "`az account list-locations --query [].name` lists, such as westeurope"
    )


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help=help_of("export"),
    )
    parser.add_argument("customer", help="stack name (stacks/Pulumi.<customer>.yaml)")
    options.add_format(parser, ("arm", "marketplace"), "arm")
    options.add_output(parser, metavar="DIR", help="output folder; default: exports/<customer>")
    parser.add_argument(
        "--location",
        default=DEFAULT_LOCATION,
        type=region,
        help=f"region of the deployment record in the az command (any region; default {DEFAULT_LOCATION})",
    )
    parser.set_defaults(run=run)


def _folder(args: argparse.Namespace, root: Path) -> Path:
    """The folder to write: `-o` in a folder that exists, or `exports/<customer>` of the project."""
    if args.output is not None:
        folder: Path = args.output
        if folder.exists() and not folder.is_dir():
            raise UsageError(
                f"-o {display_path(folder)}: a file is there; -o names a folder to write the export to"
            )
        if not folder.parent.exists():
            raise UsageError(
                f"-o {display_path(folder)}: the folder {display_path(folder.parent)} does not exist; "
                "create it first"
            )
        return folder
    # Inside the project, a symlink planted by a pull request would send the export elsewhere.
    default = root / "exports" / str(args.customer)
    for part in (default.parent, default):
        if part.is_symlink():
            raise UsageError(f"{display_path(part)} is a symlink; the export is not written through it")
    return default


def _write(folder: Path, files: dict[str, bytes]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file on the way (NotADirectoryError), no permission, ...
        raise UsageError(f"-o {display_path(folder)}: cannot create the folder: {exc.strerror}") from None
    try:
        replace_files(folder, files)  # all or nothing, and a symlink there is replaced, not followed
    except OSError as exc:
        raise UsageError(
            f"cannot write the export to {display_path(folder)}: {exc.strerror or exc}"
        ) from None
    stale = sorted(
        p.name
        for p in folder.iterdir()
        if p.name.endswith((".template.json", ".parameters.json", ".partner-center.json"))
        and p.name not in files
    )
    for name in stale:
        print(
            f"lighthouse-iac: {display_path(folder / name)} is not part of this export "
            "(a subscription or offer no longer in the stack?); remove it so nobody deploys it",
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    config.check_stack_name(args.customer)  # it names the default output folder
    root = project_dir(args)
    stack = config.load_stack(root, args.customer)
    plan = build_plan(stack)
    folder = _folder(args, root)
    if args.format == "marketplace":
        offers = marketplace.partner_center(plan, stack)
        files = {f"{o['offerKey']}.partner-center.json": marketplace.render(o) for o in offers}
        _write(folder, files)
        print(marketplace.text(offers))
    else:
        files = export_files(plan, args.location)
        _write(folder, files)
        print(f"Wrote {len(files)} files to {display_path(folder)}:")
        for name in files:
            print(f"  {name}")
        readme = display_path(folder / "README.md")
        print(terminal(f"Give the folder to {stack.config.customer.name}; {readme} says how to deploy it."))
    return 0
