"""`lighthouse-iac validate [PATH ...]`: the policy rules on stack files, offline, for pull requests.

PATH is a stack file (`stacks/Pulumi.<customer>.yaml`), a customer name, the project file or folder
(every stack), or an ARM template (`.json`, followed by its parameters file if it has one); none means
every stack of the project. Exit codes: 0 clean (advisories allowed),
1 a mandatory violation, 2 invalid input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import config, ids
from ..arm.source import read_json
from ..config import StackConfig
from ..errors import ConfigError, Problem
from ..fleet import bulk, fleet_of
from ..partner_center.snapshot import read_snapshot
from ..plan import build_plan
from ..policy_engine.settings_file import changes
from ..roles import RoleCatalogue
from ..rules import RULES, Memo, RuleSettings, check_fleet, check_stack, parse_settings
from ..sarif import render_sarif
from ..sources import display_path
from ..validation import Report, StackReport, render_json, render_text
from . import options
from .commands import help_of
from .context import UsageError, project_dir
from .files import output_file, write_output

if TYPE_CHECKING:
    from .trusted import Trusted

# ARM's evaluator (template paths), JUnit's XML, git (--base, --trusted-base) and the repository's web
# address (SARIF) are imported by the option that needs them: the start of every validate paid for all
# of them, about a third of its import time, and most runs need none.

FORMATS = ("text", "json", "sarif", "junit")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help=help_of("validate"),
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="stack files, customer names or the project")
    options.add_format(parser, FORMATS, "text")
    options.add_settings(
        parser, "policy settings: the same JSON file as `pulumi preview --policy-pack-config`"
    )
    options.add_output(parser)
    parser.add_argument(
        "--base",
        metavar="REF",
        help="also fail on delegations at this git revision that are gone now, not marked offboard: true",
    )
    parser.add_argument(
        "--customer-tenant",
        type=_guid,
        metavar="GUID",
        help="the customer's tenant, for templates that read subscription().tenantId or tenant().tenantId",
    )
    parser.add_argument(
        "--help-base-url",
        type=_base_url,
        metavar="URL",
        help="sarif: where the repository's files open in a browser, for the rules' help links "
        "(default: from GitHub Actions or the github.com origin remote)",
    )
    options.add_trusted_base(parser)
    options.add_azure_plans(parser)
    parser.set_defaults(run=run)


def _guid(value: str) -> str:
    if not ids.is_guid(value):
        raise argparse.ArgumentTypeError(f"'{value}' is not a GUID")
    return value.lower()


def _base_url(value: str) -> str:
    from ..repository import check_base_url  # noqa: PLC0415

    try:
        return check_base_url(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def load_settings(path: Path) -> tuple[RuleSettings, list[Problem]]:
    """Settings from a policy pack config file; its problems located on their lines."""
    doc = read_json(path)  # the pack reads it as JSON (Pulumi's --policy-pack-config), so validate does too
    settings, problems = parse_settings(doc.data, RULES)
    return settings, [Problem.at(doc.file, doc.line_of(found[0]), found) for found in problems]


def stacks_of(path: Path, args: argparse.Namespace) -> tuple[Path, list[str]]:
    """The project folder and the stacks that PATH names."""
    if path.is_dir():
        root = config.find_project_dir(path)
        if root is None:
            raise UsageError(f"{path}: no Pulumi.yaml in this folder or its parents")
        project = config.load_project(root)
        if path.resolve() in (root.resolve(), project.stack_config_dir.resolve()):
            return root, config.list_stacks(project)
        raise UsageError(f"{path}: not the project folder or its stacks folder ({project.stack_config_dir})")
    if path.is_file():
        root = config.find_project_dir(path.parent)
        if root is None:
            raise UsageError(f"{path}: no Pulumi.yaml next to it or in a parent folder")
        if path.name == config.PROJECT_FILE:
            return root, config.list_stacks(config.load_project(root))
        project = config.load_project(root)
        name = path.name
        if not (name.startswith("Pulumi.") and name.endswith(".yaml")):
            raise UsageError(f"{path}: not a stack file; expected stacks/Pulumi.<customer>.yaml")
        stack = name[len("Pulumi.") : -len(".yaml")]
        if config.stack_file(project, stack).resolve() != path.resolve():
            raise UsageError(f"{path}: not in the project's stack folder {project.stack_config_dir}")
        return root, [stack]
    root = project_dir(args)
    known = config.list_stacks(config.load_project(root))
    if str(path) in known:
        return root, [str(path)]
    raise UsageError(f"{path}: no such file, and no customer stack of that name (stacks: {', '.join(known)})")


def check(
    root: Path,
    stacks: list[str],
    settings: RuleSettings,
    catalogue: RoleCatalogue | None = None,
    azure_plans: Path | None = None,
) -> list[StackReport]:
    """Every stack's verdicts, or the problems that kept it from loading; `catalogue` replaces the
    project's own role catalogues (--trusted-base); `azure_plans` the folder of Azure plan snapshots.

    The rules across stacks compare each named stack with every stack of the project that loads, so
    validating one new customer still finds the subscription it shares with another.
    """
    reports = []
    project = config.load_project(root)  # once: a fleet shares its directory and role catalogue
    loaded: dict[str, StackConfig] = {}
    known: dict[str, tuple[str, ...]] = {}  # the Azure plan snapshots read, per stack
    named = fleet_of(project, stacks, catalogue)
    errors = dict(named.errors)
    for loaded_stack in named:
        try:
            snapshot = read_snapshot(azure_plans, loaded_stack.stack) if azure_plans else None
        except ConfigError as exc:
            errors[loaded_stack.stack] = exc
            continue
        loaded[loaded_stack.stack] = loaded_stack
        if snapshot is not None:
            known[loaded_stack.stack] = snapshot.azure_subscription_ids
    reports += [StackReport(s, _file(project, s), problems=e.problems) for s, e in errors.items()]
    # A broken stack among the others is reported when that stack is validated itself.
    others = fleet_of(project, [s for s in config.list_stacks(project) if s not in stacks], catalogue)
    # One plan per named stack, for the rules across stacks and its own rules alike.
    plans = {name: build_plan(stack) for name, stack in loaded.items()}
    across = check_fleet([*loaded.values(), *others], settings, plans)
    memo = Memo()  # this run over the stacks: what they share (the directory) is read once
    for stack, config_ in loaded.items():
        verdicts = sorted(
            check_stack(config_, settings, plans[stack], known.get(stack), memo) + across.get(stack, []),
            key=lambda v: (v.file or "", v.line or 0, v.rule),
        )
        reports.append(StackReport(stack, _file(project, stack), verdicts=tuple(verdicts)))
    order = {name: i for i, name in enumerate(stacks)}
    return sorted(reports, key=lambda r: order[r.stack])


def _file(project: config.Project, stack: str) -> str:
    return display_path(config.stack_file(project, stack))


def announce_settings(path: Path | str, settings: RuleSettings) -> None:
    """Say on stderr what the settings change from the defaults: a reviewer sees what was relaxed, and
    machine formats on stdout stay intact."""
    name = display_path(path) if isinstance(path, Path) else path
    changed = changes(settings, RULES)
    if not changed:
        print(f"lighthouse-iac: {name} changes no rule from its default", file=sys.stderr)
        return
    lines = "\n".join(f"  {line}" for line in changed)
    print(f"lighthouse-iac: {name} changes these rules from their defaults:\n{lines}", file=sys.stderr)


def _settings(args: argparse.Namespace) -> tuple[RuleSettings, list[Problem], Trusted | None]:
    """The settings of --config, from the work tree or, with --trusted-base, from that revision."""
    if args.trusted_base:
        from .trusted import announce, trusted_inputs  # noqa: PLC0415

        trusted = trusted_inputs(project_dir(args), args.trusted_base, args.config)
        announce(args, trusted)
        if args.config and not trusted.problems:
            announce_settings(trusted.settings_file, trusted.settings)
        return trusted.settings, trusted.problems, trusted
    if not args.config:
        return RuleSettings(), [], None
    settings, problems = load_settings(args.config)
    if not problems:  # a refused file is not announced: "changes no rule" would read as accepted
        announce_settings(args.config, settings)
    return settings, problems, None


@bulk()  # a fleet's long-lived objects would make every cyclic collection re-scan them
def run(args: argparse.Namespace) -> int:
    if args.output is not None:
        output_file(args.output)  # before the work: a wrong -o is a usage error, exit 2
    settings, settings_problems, trusted = _settings(args)
    targets: dict[Path, list[str]] = {}
    if args.paths:
        from ..arm.validation import is_template_path  # noqa: PLC0415

        for raw in [p for p in args.paths if not is_template_path(p)]:
            root, stacks = stacks_of(Path(raw), args)
            listed = targets.setdefault(root.resolve(), [])
            listed += [s for s in stacks if s not in listed]
    else:
        root = project_dir(args)
        targets[root.resolve()] = config.list_stacks(config.load_project(root))
    if trusted is not None and set(targets) - {project_dir(args).resolve()}:
        raise UsageError("--trusted-base judges the stacks of one project: name only stacks of this project")
    catalogue = trusted.catalogue if trusted else None
    reports = [
        r
        for folder, names in targets.items()
        for r in check(folder, names, settings, catalogue, args.azure_plans)
    ]
    here = args.project_dir or config.find_project_dir(Path.cwd())
    if args.paths:
        from ..arm.validation import check_template_paths  # noqa: PLC0415

        reports += check_template_paths(args.paths, here, settings, args.customer_tenant)
    if args.base is not None:
        from .removals import with_removals  # noqa: PLC0415

        reports = with_removals(reports, targets, args.base, settings)
    report = Report(tuple(reports), tuple(settings_problems))
    root = next(iter(targets), Path.cwd())
    if args.format == "text":
        output = render_text(report)
    elif args.format == "json":
        output = json.dumps(render_json(report), indent=2)
    elif args.format == "sarif":
        from ..repository import web_base  # noqa: PLC0415

        output = json.dumps(render_sarif(report, root, web_base(root, args.help_base_url)), indent=2)
    else:
        from ..junit import render_junit  # noqa: PLC0415

        output = render_junit(report, settings)
    if args.output:
        write_output(args.output, output if output.endswith("\n") else output + "\n")
        if args.format != "text":
            print(render_text(report), file=sys.stderr)
    else:
        print(output)
    return report.exit_code
