"""One template's evaluation scope: its parameters and variables, evaluated where they are used, with
errors naming the key path."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError, Problem, format_path
from . import shape
from .expressions import Context, ExpressionError, evaluate_string, is_expression
from .parameters import ParameterSource
from .resources import fail, locate
from .source import JsonDocument, Loc


@dataclass
class Scope:
    """One template's evaluation scope: its document, parameters and lazily evaluated variables."""

    doc: JsonDocument
    template: Mapping[str, Any]
    prefix: Loc
    parameters: dict[str, Any]
    subscription_id: str
    resource_group: str | None = None
    sources: Mapping[str, ParameterSource] = field(default_factory=dict)
    """Where its parameters were written, to point at the line that set a value."""
    variables: dict[str, Any] = field(default_factory=dict)
    evaluating: set[str] = field(default_factory=set)

    def context(self) -> Context:
        return Context(self.parameters, self.variable, self.subscription_id, self.resource_group)

    def variable(self, name: str) -> Any:
        declared: Mapping[str, Any] = self.template.get("variables", {})
        key = next((k for k in declared if k.lower() == name.lower()), None)
        if key is None:
            raise ExpressionError(f"no variable '{name}'; known: {', '.join(sorted(declared)) or 'none'}")
        if key in self.variables:
            return self.variables[key]
        if key in self.evaluating:
            raise ExpressionError(f"variable '{key}' refers to itself")
        self.evaluating.add(key)
        value = self.evaluate(declared[key], self.context(), (*self.prefix, "variables", key))
        self.evaluating.discard(key)
        self.variables[key] = value
        return value

    def evaluate(self, value: Any, ctx: Context, loc: Loc) -> Any:
        """Evaluate every expression in `value`; an error names the exact key path."""
        if isinstance(value, str):
            try:
                return evaluate_string(value, ctx)
            except ExpressionError as exc:
                raise fail(self.doc, loc, f"{value}: {exc}") from None
            except RecursionError:
                raise fail(self.doc, loc, f"{value}: nested too deeply") from None
        if isinstance(value, list):
            return [self.evaluate(v, ctx, (*loc, i)) for i, v in enumerate(value)]
        if isinstance(value, dict):
            result = {k: self.evaluate(v, ctx, (*loc, k)) for k, v in value.items()}
            return {k: v for k, v in result.items() if v is not None}
        return value

    def check(self, at: Loc, key: str, expected: shape.Shape, value: Any) -> None:
        """An evaluated value of the resource at `at` has the shape lighthouse-iac reads (SPEC)."""
        found = shape.mismatches(expected, value, (key,))
        problems = []
        for loc, message in found:
            file, line, path, rest = locate(self.doc, self.sources, at, loc)
            inside = f"{format_path(rest)} in the value of this expression: " if rest else ""
            problems.append(Problem(file, line, format_path(path), inside + message))
        if problems:
            raise ConfigError(problems)


def evaluate_defaults(scope: Scope, sources: Mapping[str, ParameterSource]) -> None:
    for name, value in list(scope.parameters.items()):
        if sources[name].doc is scope.doc and is_expression(value):
            scope.parameters[name] = scope.evaluate(value, scope.context(), sources[name].loc)
