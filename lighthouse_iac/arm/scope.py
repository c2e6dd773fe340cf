"""One template's evaluation scope: its parameters and variables, each evaluated only when an expression
reads it (as ARM does: a default nobody reads may use what only Azure knows), with errors naming the key
path. Variable and property copy loops are expanded here."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import ConfigError, Problem, format_path
from ..limits import MAX_COPY_COUNT, MAX_VALUE_LENGTH
from . import shape
from .context import echoed, echoed_names
from .expressions import Context, ExpressionError, evaluate_string, find_key, is_expression, weight
from .parameters import ParameterSource, declared_type, type_problem
from .resources import fail, locate
from .shape import describe
from .source import JsonDocument, Loc


class LazyParameters(Mapping[str, Any]):
    """Parameter values by declared name; an expression default is evaluated when first read."""

    def __init__(self, values: Mapping[str, Any], pending: Mapping[str, Callable[[], Any]]) -> None:
        self._values = dict(values)
        self._pending = dict(pending)
        self._evaluating: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        if name in self._pending:
            if name in self._evaluating:
                raise ExpressionError(f"parameter '{name}' refers to itself")
            self._evaluating.add(name)
            try:
                self._values[name] = self._pending[name]()
            finally:
                self._evaluating.discard(name)
            del self._pending[name]
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


@dataclass
class Scope:
    """One template's evaluation scope: its document, parameters and lazily evaluated variables."""

    doc: JsonDocument
    template: Mapping[str, Any]
    prefix: Loc
    parameters: Mapping[str, Any]
    subscription_id: str
    resource_group: str | None = None
    sources: Mapping[str, ParameterSource] = field(default_factory=dict)
    """Where its parameters were written, to point at the line that set a value."""
    tenant_id: str | None = None
    tenant_flag: str = "--customer-tenant"
    variables: dict[str, Any] = field(default_factory=dict)
    evaluating: set[str] = field(default_factory=set)

    def context(self) -> Context:
        return Context(
            self.parameters,
            self.variable,
            self.subscription_id,
            self.resource_group,
            tenant_id=self.tenant_id,
            tenant_flag=self.tenant_flag,
        )

    def child(self, template: Mapping[str, Any], prefix: Loc, parameters: Mapping[str, Any]) -> Scope:
        """The scope of a nested template (expressions evaluated inside it)."""
        return Scope(
            self.doc, template, prefix, parameters, self.subscription_id, self.resource_group, {},
            self.tenant_id, self.tenant_flag,
        )  # fmt: skip

    def _declared(self) -> dict[str, tuple[Loc, Any]]:
        """Each variable's name: where it is declared and its value (a copy loop's entry for loops)."""
        variables: Mapping[str, Any] = self.template.get("variables", {})
        declared: dict[str, tuple[Loc, Any]] = {
            k: ((*self.prefix, "variables", k), v) for k, v in variables.items() if k.lower() != "copy"
        }
        loops = variables.get("copy", [])
        for i, loop in enumerate(loops if isinstance(loops, list) else []):
            if isinstance(loop, dict) and isinstance(loop.get("name"), str):
                declared[loop["name"]] = ((*self.prefix, "variables", "copy", i), loop)
        return declared

    def variable(self, name: str) -> Any:
        declared = self._declared()
        key = find_key(declared, name)  # ARM names are case-insensitive
        if key is None:
            raise ExpressionError(f"no variable '{echoed(name)}'; known: {echoed_names(sorted(declared))}")
        if key in self.variables:
            return self.variables[key]
        if key in self.evaluating:
            raise ExpressionError(f"variable '{key}' refers to itself")
        self.evaluating.add(key)
        loc, value = declared[key]
        try:
            if loc[-2] == "copy":
                result = self.loop(value, self.context(), loc)
            else:
                result = self.evaluate(value, self.context(), loc)
        finally:
            self.evaluating.discard(key)
        self.bounded(result, loc)
        self.variables[key] = result
        return result

    def count(self, value: Any, ctx: Context, loc: Loc) -> int:
        """A copy loop's count: a whole number from 0 (ARM's loops may be empty)."""
        count = self.evaluate(value, ctx, loc)
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise fail(self.doc, loc, f"expected a count (a whole number from 0), found {describe(count)}")
        if count > MAX_COPY_COUNT:
            raise fail(self.doc, loc, f"a copy count of {count}; Azure allows at most {MAX_COPY_COUNT}")
        return count

    def loop(self, loop: Any, ctx: Context, loc: Loc) -> list[Any]:
        """A variable or property copy loop `{"name", "count", "input"}`: the array of its inputs."""
        if not isinstance(loop, dict) or not isinstance(loop.get("name"), str):
            raise fail(self.doc, loc, 'expected a copy loop {"name": ..., "count": ..., "input": ...}')
        missing = [k for k in ("count", "input") if k not in loop]
        if missing:
            raise fail(self.doc, loc, f"this copy loop has no {' or '.join(missing)}")
        name = loop["name"]
        count = self.count(loop["count"], ctx, (*loc, "count"))
        inputs = []
        for index in range(count):
            looped = replace(ctx, copy_index={**ctx.copy_index, name: index})
            inputs.append(self.evaluate(loop["input"], looped, (*loc, "input")))
        self.bounded(inputs, loc)
        return inputs

    def bounded(self, value: Any, loc: Loc) -> None:
        """`value`, refused when written out it would pass MAX_VALUE_LENGTH: a variable or loop that repeats
        another variable's value doubles it without any function call growing past the limit."""
        size = weight(value)
        if size > MAX_VALUE_LENGTH:
            raise fail(
                self.doc,
                loc,
                f"this value has {size:,} characters or items written out; at most {MAX_VALUE_LENGTH:,} "
                "are evaluated",
            )

    def evaluate(self, value: Any, ctx: Context, loc: Loc) -> Any:
        """Evaluate every expression in `value`; an error names the exact key path."""
        if isinstance(value, str):
            try:
                return evaluate_string(value, ctx)
            except ExpressionError as exc:
                raise fail(self.doc, loc, f"{echoed(value)}: {exc}") from None
            except RecursionError:
                raise fail(self.doc, loc, f"{echoed(value)}: nested too deeply") from None
        if isinstance(value, list):
            return [self.evaluate(v, ctx, (*loc, i)) for i, v in enumerate(value)]
        if isinstance(value, dict):
            result = {k: self.evaluate(v, ctx, (*loc, k)) for k, v in value.items() if k != "copy"}
            loops = value.get("copy")
            if isinstance(loops, list):  # property copy loops: each makes the array its name says
                for i, loop in enumerate(loops):
                    result[str(loop.get("name")) if isinstance(loop, dict) else "copy"] = self.loop(
                        loop, ctx, (*loc, "copy", i)
                    )
            elif "copy" in value:
                result["copy"] = self.evaluate(loops, ctx, (*loc, "copy"))
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


def lazy_defaults(
    scope: Scope,
    values: Mapping[str, Any],
    sources: Mapping[str, ParameterSource],
    declared: Mapping[str, Any],
) -> LazyParameters:
    """The template's parameters, with its expression defaults evaluated (and type-checked) when read."""

    def default(name: str) -> Callable[[], Any]:
        def evaluate() -> Any:
            value = scope.evaluate(values[name], scope.context(), sources[name].loc)
            spec = declared.get(name, {})
            problem = type_problem(name, spec, declared_type(scope.template, spec), value)
            if problem:
                raise fail(scope.doc, sources[name].loc, problem)
            return value

        return evaluate

    pending = {
        name: default(name)
        for name, value in values.items()
        if sources[name].doc is scope.doc and is_expression(value)
    }
    return LazyParameters(values, pending)
