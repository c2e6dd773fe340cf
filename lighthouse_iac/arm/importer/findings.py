"""Problems and placeholders found while reading the template, each on the line that set it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ... import ids
from ...errors import Problem, format_path
from ..source import Loc
from ..template import ArmResource, Deployment, is_placeholder, locate


def problem_at(
    deployment: Deployment, resource: ArmResource, rest: Sequence[str | int], message: str
) -> Problem:
    """A problem on the line that set the value: the parameters file for `[parameters('x')]`."""
    file, line, path, inside = locate(deployment.template, deployment.sources, resource.loc, rest)
    prefix = f"{format_path(inside)} in the value of this expression: " if inside else ""
    return Problem(file, line, format_path(path), prefix + message)


def placeholder_at(deployment: Deployment, resource: ArmResource, loc: Loc, value: str) -> Problem:
    what = "the all-zero GUID" if value.lower() == ids.NIL_GUID else f"'{value.strip()}'"
    return problem_at(deployment, resource, loc, f"{what} is a placeholder: replace it with the real GUID")


@dataclass
class Found:
    """What reading the definitions found: problems (exit 2) and placeholders (listed, exit 1)."""

    problems: list[Problem] = field(default_factory=list)
    placeholders: list[Problem] = field(default_factory=list)
    tenant_placeholders: list[Problem] = field(default_factory=list)


def check_guid(deployment: Deployment, resource: ArmResource, loc: Loc, value: Any, found: Found) -> str:
    if isinstance(value, str) and is_placeholder(value):
        # Listed wherever it came from (a variable, a default); the stack gets the all-zero GUID to replace.
        found.placeholders.append(placeholder_at(deployment, resource, loc, value))
        return ids.NIL_GUID
    if not ids.is_guid(value):
        what = "is missing" if value is None else f"{value!r} is not a GUID"
        found.problems.append(problem_at(deployment, resource, loc, f"{loc[-1]} {what}; expected a GUID"))
        return ids.NIL_GUID
    return str(value).lower()
