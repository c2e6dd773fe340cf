"""`lighthouse-iac import --merge`: the template's subscription added to the customer's existing stack file
(lighthouse_iac.arm.merge), printed, or written in place with --write."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from .. import config
from ..arm.importer import ImportResult
from ..arm.merge import merge_stack
from ..config import Entry, StackConfig
from ..escape import terminal
from ..sources import display_path, parse_yaml, read_yaml
from .context import UsageError


def existing_stack(project: config.Project, args: argparse.Namespace) -> StackConfig:
    """The stack to merge into: it exists, loads, and agrees with the customer the arguments name."""
    path = config.stack_file(project, args.customer)
    if not path.is_file() or path.is_symlink():
        raise UsageError(
            f"{display_path(path)}: no stack file to merge into; import without --merge creates it"
        )
    stack = project.stack(args.customer)  # a broken stack file is reported as it is, before any edit
    customer = stack.config.customer
    for given, written, what in (
        (args.customer_tenant, customer.tenant_id, "--customer-tenant"),
        (
            args.onboarding,
            stack.config.onboarding.object_id if stack.config.onboarding else None,
            "--onboarding",
        ),
    ):
        if given is not None and written is not None and given.lower() != written.lower():
            raise UsageError(f"{what} {given} is not {written}, which {display_path(path)} declares")
    return stack


def _validated(current: StackConfig, text: str, imported: StackConfig) -> None:
    """The merged file loads as `plan` would load it, with the directory the import adds."""
    path = config.stack_file(config.load_project(current.project_dir), current.stack)
    doc = parse_yaml(text, display_path(path) + " (as merged)")
    project = config.load_project(current.project_dir)
    entries = config.stack_entries(project, doc)
    entries["managingTenant"] = Entry(
        imported.entries["managingTenant"].value, imported.entries["managingTenant"].file
    )
    config.build(current.stack, entries, current.project_dir, catalogue=current.catalogue, stack_doc=doc)


def _write(path: Path, text: str) -> None:
    """In place, atomically: a temporary file next to it, renamed over it; never through a symlink."""
    if path.is_symlink():
        raise UsageError(f"{display_path(path)} is a symbolic link; not written")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"cannot write {display_path(path)}: {exc.strerror}") from None


def merged(
    args: argparse.Namespace,
    current: StackConfig,
    result: ImportResult,
    imported: StackConfig,
    directory_text: str,
) -> int:
    path = config.stack_file(config.load_project(current.project_dir), current.stack)
    file = display_path(path)
    text = read_yaml(path, within=current.project_dir).text  # bounded, and never through a link
    merge = merge_stack(current, text, file, imported, result.offers)
    _validated(current, merge.text, imported)
    # The stack already names its customer and onboarding identity: only the template's gaps remain.
    gaps = [p for p in result.placeholders if p.path not in ("customer.tenantId", "onboarding.objectId")]
    for note in result.notes:
        print(f"note: {terminal(note)}", file=sys.stderr)
    for problem in gaps:
        print(f"placeholder: {terminal(problem.render())}", file=sys.stderr)
    if not merge.added:
        print(f"{file} already holds everything this template delegates; nothing to merge")
        return 0
    if args.write:
        _write(path, merge.text)
        print(f"Merged into {file}:")
    else:
        print(f"# {file}, merged (--write writes it):")
        print(merge.text, end="")
        print("# added:")
    for line in merge.added:
        print(f"#   {terminal(line)}" if not args.write else f"  {terminal(line)}")
    if directory_text:
        print(f"Add these principals under managingTenant.value.principals in {config.PROJECT_FILE}:")
        print(directory_text, end="")
    return 1 if gaps else 0
