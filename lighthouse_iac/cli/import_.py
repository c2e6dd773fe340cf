"""`lighthouse-iac import TEMPLATE [PARAMETERS]`: an onboarding template becomes a customer stack.

Without `--write` it prints the stack file and the directory entries; with `--write` it creates
`stacks/Pulumi.<customer>.yaml`, and the managing tenant in `Pulumi.yaml` when the project has none. It
never overwrites a file: an existing stack or directory gets the entries to add printed instead.
Exit codes: 0 imported, 1 imported but placeholders remain to replace, 2 invalid input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pydantic

from .. import config, ids
from ..arm import shape
from ..arm.export import exported_subscription
from ..arm.importer import Customer, ImportResult, check, directory_yaml, import_deployment, stack_yaml
from ..arm.refusals import refuse_policies
from ..arm.source import JsonDocument, read_json
from ..arm.template import check_shape, evaluate_template
from ..catalogues import load_catalogue
from ..errors import ConfigError, Problem
from ..escape import terminal
from ..models import ManagingTenant
from ..roles import RoleCatalogue
from ..sources import display_path
from . import import_merge as merge
from .commands import help_of
from .context import UsageError, project_dir
from .files import create_file
from .project_file import refuse_link, with_managing_tenant, write_project_file


def _guid(value: str) -> str:
    if not ids.is_guid(value):
        raise argparse.ArgumentTypeError(f"'{value}' is not a GUID")
    return value.lower()


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help=help_of("import"),
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("template", type=Path, help="the onboarding template (JSON)")
    parser.add_argument("parameters", type=Path, nargs="?", help="its parameters file (JSON)")
    parser.add_argument(
        "--customer", help="stack name to create, or with --merge to add to (stacks/Pulumi.<customer>.yaml)"
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="add the template's subscription (scopes, adopt.assignmentIds) to the customer's existing "
        "stack file, keeping its comments and order; with --write, write it",
    )
    parser.add_argument(
        "--subscription",
        type=_guid,
        help="the subscription the template was deployed to (default: the one an export names)",
    )
    parser.add_argument("--customer-name", help="the customer's name (default: the stack name)")
    parser.add_argument("--customer-tenant", type=_guid, help="the customer's tenant ID")
    parser.add_argument("--onboarding", type=_guid, help="object ID of the customer's account that deploys")
    parser.add_argument("--offer-key", help="key of the imported offer (default: from the offer's name)")
    parser.add_argument(
        "--managing-tenant-name", help="name of the managing tenant, when Pulumi.yaml declares none yet"
    )
    parser.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set or override a template parameter, as az deployment --parameters does (JSON for arrays)",
    )
    parser.add_argument(
        "--write", action="store_true", help="write the stack file (and the directory if absent)"
    )
    parser.set_defaults(run=run)


def _existing_directory(root: Path | None) -> tuple[ManagingTenant | None, config.Project | None]:
    if root is None:
        return None, None
    project = config.load_project(root)
    entry = project.entries.get("managingTenant")
    if entry is None:
        return None, project
    try:
        return ManagingTenant.model_validate(entry.value), project
    except pydantic.ValidationError:
        raise ConfigError(
            [
                Problem(
                    entry.file,
                    entry.line_of(()),
                    "managingTenant",
                    "invalid; run `lighthouse-iac plan` on any stack to see why",
                )
            ]
        ) from None


def _subscription(args: argparse.Namespace, template: JsonDocument) -> str:
    """Templates do not say where they were deployed, except lighthouse-iac's exports (metadata)."""
    if args.subscription is not None:
        return str(args.subscription)
    named = exported_subscription(template)
    if named is not None:
        return named
    raise UsageError(
        "--subscription is required: a template does not say which subscription it was deployed to"
    )


def _catalogue(root: Path | None, project: config.Project | None) -> RoleCatalogue:
    """The project's role catalogue (shipped roles plus its roleCatalogues), as `plan` loads it."""
    return config.project_catalogue(project) if project is not None else load_catalogue()


def _indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line if line.strip() else line for line in text.splitlines(keepends=True))


def _report(result: ImportResult) -> None:
    for note in result.notes:  # notes quote the template's display names: escaped, as --merge does
        print(f"note: {terminal(note)}", file=sys.stderr)
    for problem in result.placeholders:
        print(f"placeholder: {problem.render()}", file=sys.stderr)
    print(
        f"next: replace any placeholders; `lighthouse-iac validate {result.stack}` checks the policy rules",
        file=sys.stderr,
    )


def _write(project_file: Path, directory: str | None, target: Path, stack: str) -> None:
    """The directory (when the project has none) and the stack file: both or neither, each written whole
    and never through a symlink."""
    # First what can refuse, before anything is written: Pulumi.yaml's new bytes.
    edited = with_managing_tenant(project_file, directory) if directory is not None else None
    if target.parent.is_symlink():
        raise UsageError(
            f"{display_path(target.parent)} is a symlink; stack files are not written through it"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        create_file(target, stack.encode("utf-8"))
    except FileExistsError:
        raise UsageError(
            f"{display_path(target)} exists (or is a symlink) and is not overwritten; "
            "run without --write to see the offers to add to it"
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot write {display_path(target)}: {exc.strerror or exc}") from None
    if edited is None:
        return
    try:
        write_project_file(project_file, edited)
    except OSError as exc:
        target.unlink()
        raise UsageError(f"cannot write {display_path(project_file)}: {exc.strerror or exc}") from None


def _print_dry(customer: str, stack_text: str, directory_text: str, has_directory: bool) -> None:
    print(f"# stacks/Pulumi.{customer}.yaml")
    print(stack_text, end="")
    if directory_text:
        if has_directory:
            print("\n# Pulumi.yaml: principals to add under config.managingTenant.value.principals")
            print(directory_text, end="")
        else:
            print("\n# Pulumi.yaml: the managing tenant to add (--write adds it)")
            print("config:\n" + _indent(directory_text, 2), end="")


def _read(args: argparse.Namespace) -> tuple[JsonDocument, JsonDocument | None]:
    """The template and parameters, a policy template refused before any argument is asked for."""
    template = read_json(args.template)
    parameters = read_json(args.parameters) if args.parameters else None
    check_shape(template, shape.TEMPLATE)
    if parameters is not None:
        check_shape(parameters, shape.PARAMETERS_FILE)
    refuse_policies(template, parameters)
    return template, parameters


def run(args: argparse.Namespace) -> int:
    if args.customer is not None:
        config.check_stack_name(
            args.customer
        )  # it names a file under stacks/: checked before anything is read
    template, parameters = _read(args)
    if args.customer is None:
        raise UsageError("--customer is required: the stack to create (stacks/Pulumi.<customer>.yaml)")
    try:
        root: Path | None = project_dir(args)
    except UsageError:
        if args.write:
            raise
        root = None  # a dry run needs no project
    if args.write and root is not None:
        refuse_link(root / config.PROJECT_FILE)  # said as what --write would not do, before reading it
    existing, project = _existing_directory(root)
    if args.merge and project is None:
        raise UsageError("--merge needs the project (Pulumi.yaml) whose stack file it adds to")
    current = merge.existing_stack(project, args) if args.merge and project is not None else None
    target = config.stack_file(project, args.customer) if args.write and project is not None else None
    if target is not None and (target.exists() or target.is_symlink()) and current is None:
        raise UsageError(
            f"{display_path(target)} exists and is not overwritten; "
            "--merge adds the template's subscription to it"
        )
    if target is not None and target.parent.exists() and not target.parent.is_dir():
        raise UsageError(f"{display_path(target.parent)} is a file; stack files go in a folder of that name")
    # Merging: the stack already says who the customer is and who onboards it.
    tenant_id = args.customer_tenant or (current.config.customer.tenant_id if current else None)
    declared = current.config.onboarding if current else None
    onboarding = args.onboarding or (declared.object_id if declared else None)
    deployment = evaluate_template(
        template, parameters, args.parameter, _subscription(args, template), tenant_id=tenant_id
    )
    customer = Customer(args.customer, args.customer_name, tenant_id, onboarding, args.offer_key)
    catalogue = _catalogue(root, project)
    result = import_deployment(deployment, customer, catalogue, existing)
    tenant_name = args.managing_tenant_name or f"Managing tenant {result.tenant_id[:8]}"
    imported = check(result, existing, root or Path.cwd(), tenant_name, catalogue)
    if current is not None:
        directory_text = directory_yaml(result, tenant_name)
        return merge.merged(args, current, result, imported, directory_text)
    sources = [display_path(args.template)] + ([display_path(args.parameters)] if args.parameters else [])
    stack_text = stack_yaml(result, sources)
    directory_text = directory_yaml(result, tenant_name)
    _report(result)
    if not args.write:
        _print_dry(args.customer, stack_text, directory_text, existing is not None)
        return 1 if result.placeholders else 0
    assert root is not None and project is not None and target is not None
    _write(root / config.PROJECT_FILE, directory_text if existing is None else None, target, stack_text)
    print(f"Wrote {display_path(target)}")
    if existing is None:
        print(f"Added managingTenant with {len(result.new_principals)} principals to {config.PROJECT_FILE}")
    elif directory_text:
        print(f"Add these principals under managingTenant.value.principals in {config.PROJECT_FILE}:")
        print(directory_text, end="")
    return 1 if result.placeholders else 0
