"""`validate --base REF`: delegations present at REF, gone now, never marked `offboard: true` there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from .. import config
from ..errors import ConfigError
from ..fleet import load_fleet
from ..report.revision import RevisionError, project_at
from ..rules import RuleSettings
from ..rules.offboard_first import check_removals
from ..sources import display_path
from ..validation import StackReport
from .context import UsageError


def with_removals(
    reports: Sequence[StackReport],
    targets: Mapping[Path, Sequence[str]],
    revision: str,
    settings: RuleSettings,
) -> list[StackReport]:
    """`reports` with the removals of each project folder added: to the stack's report, or (for a deleted
    stack file) to a report of its own, named after the file at REF."""
    out = list(reports)
    for folder in targets:
        head = load_fleet(folder)
        try:
            with project_at(folder, revision) as old:
                if old is None:
                    continue  # no project at REF: everything is new
                try:
                    base = load_fleet(old)
                except ConfigError as exc:
                    # Without REF's project file nothing there can be compared; say so rather than pass.
                    raise UsageError(f"--base {revision}: cannot read the project there: {exc}") from None
                found = check_removals(base.stacks, head.stacks, revision, settings, head.errors)
        except RevisionError as exc:
            raise UsageError(str(exc)) from None
        for stack, found_here in found.items():
            file = display_path(config.stack_file(head.project, stack))
            verdicts = [replace(v, file=file) for v in found_here]
            at = next((n for n, r in enumerate(out) if r.stack == stack and r.kind == "stack"), None)
            if at is not None:
                out[at] = StackReport(stack, out[at].file, (*out[at].verdicts, *verdicts), out[at].problems)
            else:  # a deleted stack file
                out.append(StackReport(stack, file, tuple(verdicts)))
    return out
