"""`lighthouse-iac report`: who of the managing tenant can do what at which customer, and what changes.

Without --diff: every authorization of every customer stack, one row per principal, role and scope, with
per-customer and per-principal summaries and the policy verdicts. With --diff BASE: the access gained, lost
and changed between the stacks at git revision BASE and the working tree (BASE is read with `git archive`
into a temporary folder; the work tree is not touched).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..escape import terminal
from ..fleet import Fleet, bulk, load_fleet
from ..report.access import Access, stack_access
from ..report.diff import AccessDiff, compare
from ..report.document import diff_csv, diff_json, json_chunks, report_csv, report_fields
from ..report.markdown import LOCAL_FULL_REPORT, WORKFLOW_FULL_REPORT, render_diff, render_report
from ..report.page import render_page
from ..report.provenance import BrokenStack, broken_lines, provenance
from ..report.revision import RevisionError, project_at, relabel
from ..report.summary import Report, build_report
from ..report.verdicts import policy_checker
from ..rules import RuleSettings
from . import options
from .commands import help_of
from .context import UsageError, project_dir
from .files import output_file, write_output

FORMATS = ("md", "csv", "html", "json")
MIN_LENGTH = 1000  # the heading, the counts and the closing note


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help=help_of("report"),
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    options.add_format(parser, FORMATS, "md", help="default: md")
    parser.add_argument(
        "--diff", metavar="BASE", help="compare with the stacks at this git revision (branch, tag, commit)"
    )
    options.add_settings(
        parser, "policy settings for the verdicts: the file given to `pulumi preview --policy-pack-config`"
    )
    options.add_output(parser)
    parser.add_argument(
        "--max-length",
        type=int,
        metavar="CHARS",
        help="md --diff only: cut the tables to stay under this many characters (a PR comment takes 65536)",
    )
    parser.set_defaults(run=run)


def _settings(path: Path | None) -> RuleSettings:
    if path is None:
        return RuleSettings()
    # Imported here: validate's module brings ARM templates, SARIF and JUnit, which a report never needs.
    from .validate import announce_settings, load_settings  # noqa: PLC0415

    settings, problems = load_settings(path)
    if problems:
        raise ConfigError(problems)
    announce_settings(path, settings)
    return settings


def _base_access(root: Path, revision: str) -> tuple[list[Access], list[str], list[BrokenStack]]:
    """The access the stacks grant at `revision`, their names (none where the project did not exist), and
    the stacks that did not load there."""
    try:
        with project_at(root, revision) as folder:
            if folder is None:
                return [], [], []
            try:
                fleet = load_fleet(folder)
            except ConfigError as exc:  # the project file itself: nothing to compare with
                raise relabel(exc, folder, revision) from None
            broken = [
                BrokenStack(f"{name} (at {revision})", relabel(fleet.errors[name], folder, revision).problems)
                for name in sorted(fleet.errors)
            ]
            return [row for stack in fleet for row in stack_access(stack)], fleet.names, broken
    except RevisionError as exc:
        raise UsageError(str(exc)) from None


def _render(args: argparse.Namespace, report: Report, diff: AccessDiff | None) -> str | Iterable[str]:
    """The report in its format: JSON in pieces (a large fleet's is hundreds of megabytes), others whole."""
    if args.format == "html":
        return render_page(report, diff)
    if diff is None:
        if args.format == "json":
            return json_chunks(report_fields(report))
        return report_csv(report) if args.format == "csv" else render_report(report)
    broken, made = report.broken, report.provenance
    if args.format == "json":
        return json_chunks(diff_json(diff, report.findings, broken=broken, provenance=made))
    if args.format == "csv":
        return diff_csv(diff, broken=broken, provenance=made)
    # Only a workflow run keeps the full report as an artifact (.github/workflows/pull-request.yml).
    rest = WORKFLOW_FULL_REPORT if os.environ.get("GITHUB_ACTIONS") == "true" else LOCAL_FULL_REPORT
    return render_diff(
        diff, args.max_length, report.findings, broken=broken, provenance=made, full_report=rest
    )


def _ending_in_newline(output: str | Iterable[str]) -> Iterator[str]:
    last = ""
    for piece in [output] if isinstance(output, str) else output:
        if piece:
            last = piece
            yield piece
    if not last.endswith("\n"):
        yield "\n"


@bulk()
def run(args: argparse.Namespace) -> int:
    if args.output is not None:
        output_file(args.output)  # before the work: a wrong -o is a usage error, exit 2
    if args.max_length is not None and (args.diff is None or args.format != "md"):
        raise UsageError("--max-length applies to --format md with --diff only")
    if args.max_length is not None and args.max_length < MIN_LENGTH:
        raise UsageError(
            f"--max-length {args.max_length} leaves no room for the heading; at least {MIN_LENGTH}"
        )
    root = project_dir(args)
    settings = _settings(args.config)
    fleet: Fleet = load_fleet(root)  # the stacks that load are reported, the others listed first
    report = build_report(fleet, policy_checker(settings, fleet.stacks))
    roles = fleet.project.entries.get("roleCatalogues")
    paths = [str(p) for p in roles.value] if roles is not None and isinstance(roles.value, list) else []
    report = replace(report, provenance=provenance(root, paths))
    diff = None
    if args.diff is not None:
        base_rows, base_names, base_broken = _base_access(root, args.diff)
        # A stack that does not load on either side has neither lost nor gained its access: it is left
        # out of both sides, and listed.
        left_out = set(fleet.errors) | {b.stack.split(" ", 1)[0] for b in base_broken}
        diff = compare(
            [r for r in base_rows if r.stack not in left_out],
            [r for r in report.access if r.stack not in left_out],
            args.diff,
            [n for n in base_names if n not in left_out],
            [s.stack for s in fleet if s.stack not in left_out],
        )
        report = replace(report, broken=(*report.broken, *base_broken))
    output = _ending_in_newline(_render(args, report, diff))
    if args.output:
        write_output(args.output, output)
    else:
        sys.stdout.writelines(output)
    for line in broken_lines(report.broken):
        print(terminal(line), file=sys.stderr)
    return 2 if report.broken else 0
