"""The outcome of checking stacks against the rules, and its text and JSON renderings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import Problem, format_path
from .escape import terminal
from .rules import Verdict


@dataclass(frozen=True)
class StackReport:
    """One customer stack: its verdicts, or the problems that kept it from being checked."""

    stack: str
    file: str | None
    verdicts: tuple[Verdict, ...] = ()
    problems: tuple[Problem, ...] = ()
    kind: str = "stack"
    """What was checked: a customer "stack", or an ARM "template" (with its parameters file)."""


@dataclass(frozen=True)
class Report:
    stacks: tuple[StackReport, ...]
    settings_problems: tuple[Problem, ...] = field(default=())

    @property
    def verdicts(self) -> list[Verdict]:
        """Every verdict once: one on Pulumi.yaml (a directory entry) is not repeated for each stack."""
        seen: dict[tuple[object, ...], Verdict] = {}
        for v in (v for s in self.stacks for v in s.verdicts):
            seen.setdefault((v.rule, v.level, v.file, v.line, v.loc, v.message), v)
        return list(seen.values())

    @property
    def problems(self) -> list[Problem]:
        """Every problem once: one in Pulumi.yaml, which every stack shares, is not repeated per stack."""
        found = [*self.settings_problems, *(p for s in self.stacks for p in s.problems)]
        return list(dict.fromkeys(found))

    def count(self, level: str) -> int:
        return sum(1 for v in self.verdicts if v.level == level)

    @property
    def exit_code(self) -> int:
        """2 invalid input, else 1 a mandatory violation, else 0 (advisories allowed)."""
        if self.problems:
            return 2
        return 1 if self.count("mandatory") else 0


def where(verdict: Verdict) -> str:
    place = verdict.file or "<config>"
    return f"{place}:{verdict.line}" if verdict.line is not None else place


def verdict_line(verdict: Verdict) -> str:
    """`file:line: mandatory: key.path: message [rule]`, like a compiler's diagnostics."""
    path = format_path(verdict.loc)
    body = f"{path}: {verdict.message}" if path else verdict.message
    return terminal(f"{where(verdict)}: {verdict.level}: {body} [{verdict.rule}]")


def _counted(report: Report) -> str:
    """`3 stacks`, `1 template`, or `2 stacks and 1 template`: what was checked, in its own words."""
    kinds = {s.kind for s in report.stacks} or {"stack"}
    parts = []
    for kind in ("stack", "template"):
        if kind in kinds:
            n = sum(1 for s in report.stacks if s.kind == kind and not s.problems)
            parts.append(f"{n} {kind}{'s' if n != 1 else ''}")
    return " and ".join(parts)


def summary(report: Report) -> str:
    mandatory, advisory = report.count("mandatory"), report.count("advisory")
    checked = sum(1 for s in report.stacks if not s.problems)
    invalid = len(report.stacks) - checked
    parts = [
        f"{_counted(report)} checked",
        f"{mandatory} mandatory violation{'s' if mandatory != 1 else ''}",
        f"{advisory} advisor{'ies' if advisory != 1 else 'y'}",
    ]
    if invalid:
        parts.append(f"{invalid} invalid")
    return ", ".join(parts)


def render_text(report: Report) -> str:
    lines = [p.render() for p in report.problems]
    lines += [verdict_line(v) for v in report.verdicts]
    lines.append(summary(report))
    return "\n".join(lines)


def verdicts_text(verdicts: Sequence[Verdict]) -> str:
    """The verdicts block that `plan` prints under the resources."""
    if not verdicts:
        return "Policies: every rule passes"
    mandatory = sum(1 for v in verdicts if v.level == "mandatory")
    head = f"Policies: {mandatory} mandatory violation(s), {len(verdicts) - mandatory} advisory"
    return "\n".join([head, *(f"  {verdict_line(v)}" for v in verdicts)])


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "rule": verdict.rule,
        "level": verdict.level,
        "message": verdict.message,
        "path": format_path(verdict.loc),
        "resource": verdict.resource,
        "file": verdict.file,
        "line": verdict.line,
    }


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "path": problem.path, "message": problem.message}


def render_json(report: Report) -> dict[str, Any]:
    return {
        "stacks": [
            {
                "stack": s.stack,
                "file": s.file,
                "kind": s.kind,
                "valid": not s.problems,
                "verdicts": [verdict_json(v) for v in s.verdicts],
                "problems": [problem_json(p) for p in s.problems],
            }
            for s in report.stacks
        ],
        "problems": [problem_json(p) for p in report.settings_problems],
        "summary": {
            "mandatory": report.count("mandatory"),
            "advisory": report.count("advisory"),
            "invalid": sum(1 for s in report.stacks if s.problems) + (1 if report.settings_problems else 0),
            "exitCode": report.exit_code,
        },
    }
