"""A Lighthouse resource the template deploys, a template's resources by index or symbolic name, and
where a value inside a resource was written (its source map)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import ConfigError
from ..source_map import Source
from .expressions import find_key
from .parameters import ParameterSource
from .shape import DEFINITION_TYPE
from .source import JsonDocument, Loc

_PARAMETER = re.compile(r"^\[parameters\('([^']+)'\)\]$", re.IGNORECASE)
_VARIABLE = re.compile(r"^\[variables\('([^']+)'\)\]$", re.IGNORECASE)


@dataclass(frozen=True)
class ArmResource:
    """One registration definition or assignment the template deploys, where it was declared."""

    type: str
    name: str
    scope: str
    properties: dict[str, Any]
    plan: dict[str, Any] | None
    loc: Loc
    sources: TemplateSources = field(compare=False, repr=False)
    """Where each key of `inputs()` was written, from the evaluator (expander.py)."""
    api_version: str = ""

    @property
    def subscription_id(self) -> str:
        return self.scope.split("/")[2]

    @property
    def resource_group(self) -> str | None:
        parts = self.scope.split("/")
        return parts[4] if len(parts) > 4 else None

    @property
    def resource_id(self) -> str:
        return f"{self.scope}/providers/{self.type}/{self.name}"

    @property
    def kind(self) -> Literal["definition", "assignment"]:
        """What the rules call it; the expander gives every resource one of the two canonical types."""
        return "definition" if self.type == DEFINITION_TYPE else "assignment"

    def inputs(self) -> dict[str, Any]:
        """The same inputs the Pulumi program registers for this resource (see plan.py)."""
        if self.type == DEFINITION_TYPE:
            inputs: dict[str, Any] = {
                "scope": self.scope,
                "registrationDefinitionId": self.name,
                "properties": self.properties,
            }
            if self.plan is not None:
                inputs["plan"] = self.plan
            return inputs
        return {"scope": self.scope, "registrationAssignmentId": self.name, "properties": self.properties}


def fail(doc: JsonDocument, loc: Sequence[str | int], message: str) -> ConfigError:
    return ConfigError([doc.problem(loc, message)])


def resource_items(resources: Any) -> list[tuple[str | int, Any]]:
    """A template's resources by index, or by symbolic name (languageVersion 2.0)."""
    if isinstance(resources, dict):
        return list(resources.items())
    return list(enumerate(resources or []))


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


def _has(node: Any, key: str | int) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)


def _variables_scope(data: Any, at: Loc) -> Loc:
    """The template whose variables an expression of the resource at `at` reads: the innermost nested
    template evaluated in its own (inner) scope, else the outermost."""
    scope: Loc = ()
    for i in range(len(at) - 1):
        if at[i : i + 2] == ("properties", "template"):
            options = _at(data, at[:i]).get("properties", {}).get("expressionEvaluationOptions", {})
            if str(options.get("scope", "")).lower() == "inner":
                scope = at[: i + 2]
    return scope


def locate(
    template: JsonDocument, sources: Mapping[str, ParameterSource], at: Loc, loc: Sequence[str | int]
) -> tuple[str, int | None, Loc, Loc]:
    """Where the value at `loc` inside the resource at `at` was written: file, line, key path, and the
    rest of `loc` inside an expression's value when the value came from one other than parameters('x')."""
    node: Any = _at(template.data, at)
    path = at
    rest = list(loc)
    while True:
        match = _PARAMETER.match(node) if isinstance(node, str) else None
        key = find_key(sources, match.group(1)) if match else None
        source = sources[key] if key is not None else None
        if source is not None:
            inner: Loc = (*source.loc, *rest)
            return source.file, source.doc.line_of(inner) if source.doc is not None else None, inner, ()
        variable = _VARIABLE.match(node) if isinstance(node, str) else None
        if variable is not None:  # a value written in a variable: point at the variable
            scope = _variables_scope(template.data, at)
            declared = _at(template.data, scope).get("variables", {})
            name = find_key(declared, variable.group(1)) if isinstance(declared, dict) else None
            if name is not None:
                node, path = declared[name], (*scope, "variables", name)
                continue
        if not rest or not _has(node, rest[0]):
            break
        node = node[rest[0]]
        path = (*path, rest.pop(0))
    return template.file, template.line_of(path), path, tuple(rest)


@dataclass(frozen=True, eq=False)
class TemplateSources:
    """The source map of a resource a template deploys: for a key of its inputs, the template's key path
    and line that set it, or the parameters file's for a value passed as `[parameters('x')]`."""

    template: JsonDocument
    parameters: Mapping[str, ParameterSource]
    at: Loc
    """Where the resource is declared in the template."""

    def source(self, loc: Loc, *, value: bool = False) -> Source:
        """`value` changes nothing: a template writes an ID where it names it."""
        path: Loc = self.at
        if loc and loc[0] in ("registrationDefinitionId", "registrationAssignmentId"):
            path = (*self.at, "name")
        elif loc and loc[0] != "scope":
            file, line, path, _ = locate(self.template, self.parameters, self.at, loc)
            return Source(path, file, line)
        return Source(path, self.template.file, self.template.line_of(path))
