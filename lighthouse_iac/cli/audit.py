"""`lighthouse-iac audit`: what Azure holds for the managing tenant, against what the stacks declare.

Signed in to the managing tenant (azure-identity's default chain: az login, a managed identity, GitHub
OIDC), it lists every delegated subscription and its registration assignments, read-only, and reports
per customer what is missing, unmanaged, changed, or held under another GUID (with the `adopt:` block to
paste). `--from DIR` reads what the Azure CLI printed instead (docs/operations.md). `--events --since 7d`
lists delegations registered and removed from the tenant activity log instead, mapped to stacks. Exit
codes: 0 in sync, 1 drift (or the removal of a protected delegation), 2 an error (sign-in, something that
could not be read, invalid input).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..audit import events
from ..audit.compare import AuditResult, compare
from ..audit.declared import declared_fleet
from ..audit.observed import ShapeError
from ..audit.offline import read_events_file, read_folder
from ..audit.render import render_json, render_markdown, render_sarif, render_text
from ..errors import ConfigError, Problem, format_path
from ..fleet import load_fleet
from . import options
from .commands import help_of
from .context import UsageError, project_dir
from .files import output_file

FORMATS = ("text", "json", "markdown", "sarif")
CLOUDS = ("AZURE_PUBLIC_CLOUD", "AZURE_CHINA_CLOUD", "AZURE_US_GOVERNMENT")


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError("must be between 1 and 64 (ARM throttles beyond that)")
    return value


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit",
        help=help_of("audit"),
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("--from", dest="source", type=Path, metavar="DIR", help="read `az` output from DIR")
    options.add_format(parser, FORMATS, "text")
    options.add_output(parser)
    parser.add_argument(
        "--arm-endpoint",
        metavar="URL",
        default=os.environ.get("LIGHTHOUSE_IAC_ARM_ENDPOINT"),
        help="Azure Resource Manager endpoint (default: the cloud's; env LIGHTHOUSE_IAC_ARM_ENDPOINT)",
    )
    parser.add_argument(
        "--cloud",
        choices=CLOUDS,
        default=None,
        help="the Azure cloud (default: the SDK's setting, env AZURE_CLOUD, else the public cloud)",
    )
    parser.add_argument(
        "--concurrency",
        type=_concurrency,
        default=8,
        metavar="N",
        help="subscriptions read at a time (default 8)",
    )
    parser.add_argument(
        "--events",
        action="store_true",
        help="report delegations registered and removed (tenant activity log; needs Monitoring Reader at /)",
    )
    parser.add_argument(
        "--since", default="7d", metavar="AGE", help="with --events: how far back, e.g. 7d, 24h (default 7d)"
    )
    parser.set_defaults(run=run)


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` in one step; never through a symlink (it could point anywhere)."""
    output_file(path)  # a folder there, or no folder for it: a usage error
    if path.is_symlink():
        raise UsageError(f"{path}: is a symbolic link; write the report to a regular file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{path}: the folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _observe(args: argparse.Namespace, tenants: set[str]) -> Any:
    if args.source is not None:
        return read_folder(args.source, tenants)
    from ..audit import live  # noqa: PLC0415 (the Azure SDK is slow to import; only live mode needs it)

    try:
        return live.collect(
            live.default_credential(),
            tenants,
            live.endpoint(_cloud(args), args.arm_endpoint),
            args.concurrency,
        )
    except live.AuditAuthError as exc:
        raise UsageError(str(exc)) from None


def audit(args: argparse.Namespace) -> tuple[AuditResult, Path]:
    root = project_dir(args)
    fleet = load_fleet(root).require_valid()
    if not fleet.stacks:
        raise UsageError(f"{root}: no customer stacks to compare with")
    declared, names, tenants = declared_fleet(fleet)
    return compare(declared, _observe(args, tenants), names, tenants), root


def _cloud(args: argparse.Namespace) -> str:
    if args.cloud is not None:
        return str(args.cloud)
    from azure.core.settings import settings  # noqa: PLC0415

    return str(getattr(settings.azure_cloud(), "value", "AZURE_PUBLIC_CLOUD"))


def _events(args: argparse.Namespace) -> int:
    try:
        since = events.parse_since(args.since)
    except ValueError as exc:
        raise UsageError(f"--since: {exc}") from None
    if args.format == "sarif":
        raise UsageError("--events reports as text, json or markdown (events are not lines of a file)")
    fleet = load_fleet(project_dir(args)).require_valid()
    declared, names, _ = declared_fleet(fleet)
    errors: list[str] = []
    if args.source is not None:
        raw = read_events_file(args.source)
    else:
        from ..audit import live  # noqa: PLC0415

        now = datetime.datetime.now(datetime.UTC)
        try:
            raw, failed, _ = live.collect_events(
                live.default_credential(),
                live.endpoint(_cloud(args), args.arm_endpoint),
                events.time_filter(since, now),
            )
        except live.AuditAuthError as exc:
            raise UsageError(str(exc)) from None
        errors += [f"{e.where}: {e.message}" for e in failed]
    try:
        found = events.map_events(events.parse_events(raw), declared, names)
    except ShapeError as exc:
        raise ConfigError(
            [Problem(str(args.source or "activity log"), None, format_path(exc.loc), exc.message)]
        ) from None
    if args.format == "json":
        output = json.dumps(events.render_events_json(found, errors), indent=2)
    elif args.format == "markdown":
        output = events.render_events_markdown(found, errors)
    else:
        output = events.render_events_text(found, errors)
    _emit(args, output, events.render_events_text(found, errors))
    return 2 if errors else (1 if any(e.alert for e in found) else 0)


def _emit(args: argparse.Namespace, output: str, summary: str) -> None:
    if args.output:
        write_atomic(args.output, output if output.endswith("\n") else output + "\n")
        if args.format != "text":
            print(summary.splitlines()[-1], file=sys.stderr)
    else:
        print(output)


def run(args: argparse.Namespace) -> int:
    if args.events:
        return _events(args)
    result, root = audit(args)
    if args.format == "text":
        output = render_text(result)
    elif args.format == "json":
        output = json.dumps(render_json(result), indent=2)
    elif args.format == "markdown":
        output = render_markdown(result)
    else:
        output = json.dumps(render_sarif(result, root), indent=2)
    if args.output:
        write_atomic(args.output, output if output.endswith("\n") else output + "\n")
        if args.format != "text":
            print(render_text(result), file=sys.stderr)
    else:
        print(output)
    return result.exit_code
