"""The ARM template expression language, the subset onboarding templates use, evaluated offline.

A string value `"[...]"` is an expression; `"[[...]"` is the literal text `[...]`. Supported: literals,
function calls, `.property` and `[index]` access, and the functions in `FUNCTIONS`. Functions whose
result only Azure knows (`reference`, `uniqueString`, `deployment`, ...) are refused with a clear message.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..limits import MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, MAX_VALUE_LENGTH
from .context import (
    ARM_GUID_NAMESPACE,
    Context,
    ExpressionError,
    Lambda,
    Unknown,
    arm_guid,
    find_key,
    lookup,
)
from .context import text as as_text
from .functions import AZURE_ONLY, CONTEXT, FUNCTIONS, PLAIN

__all__ = [
    "ARM_GUID_NAMESPACE",
    "FUNCTIONS",
    "Context",
    "ExpressionError",
    "Unknown",
    "arm_guid",
    "find_key",
    "is_expression",
]  # where other modules import them


def is_expression(value: object) -> bool:
    return (
        isinstance(value, str)
        and value.startswith("[")
        and value.endswith("]")
        and not value.startswith("[[")
    )


# --- parsing ------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?=\s*\())"
    r"|(?P<ident>[A-Za-z_$][A-Za-z0-9_$]*)|(?P<punct>[(),.\[\]]))"
)


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Member:
    target: Node
    name: str


@dataclass(frozen=True)
class Index:
    target: Node
    index: Node


Node = Call | Literal | Member | Index


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            if not text[pos:].strip():
                break
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise ExpressionError(f"cannot read the expression at '{text[pos : pos + 20]}'")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            found = f"'{token[1]}'" if token else "the end"
            raise ExpressionError(f"expected '{value or 'a value'}' but found {found} in [{self.text}]")
        self.pos += 1
        return token

    def _namespaced(self) -> bool:
        ahead = self.tokens[self.pos : self.pos + 2]
        return len(ahead) == 2 and ahead[0] == ("punct", ".") and ahead[1][0] == "name"

    def parse(self) -> Node:
        node = self.expression()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected '{self.peek()[1]}' in [{self.text}]")  # type: ignore[index]
        return node

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_EXPRESSION_DEPTH:
            raise ExpressionError(
                f"calls and indexes nest more than {MAX_EXPRESSION_DEPTH} deep in [{self.text[:80]}...]"
            )
        node = self._expression()
        self.depth -= 1
        return node

    def _expression(self) -> Node:
        kind, value = self.take()
        node: Node
        if kind == "string":
            node = Literal(value[1:-1].replace("''", "'"))
        elif kind == "number":
            node = Literal(float(value) if "." in value else int(value))
        elif kind == "name" or (kind == "ident" and self._namespaced()):
            if kind == "ident":  # `namespace.function(...)`: a user-defined function
                self.take(".")
                value = f"{value}.{self.take()[1]}"
            self.take("(")
            args: list[Node] = []
            if self.peek() != ("punct", ")"):
                args.append(self.expression())
                while self.peek() == ("punct", ","):
                    self.take(",")
                    args.append(self.expression())
            self.take(")")
            node = Call(value, tuple(args))
        else:
            raise ExpressionError(f"unexpected '{value}' in [{self.text}]")
        while self.peek() in (("punct", "."), ("punct", "[")):
            if self.take()[1] == ".":
                node = Member(node, self.take()[1])
            else:
                node = Index(node, self.expression())
                self.take("]")
        return node


def parse(expression: str) -> Node:
    """Parse the text between the brackets of an expression string."""
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            f"the expression has {len(expression):,} characters; "
            f"Azure allows at most {MAX_EXPRESSION_LENGTH:,}"
        )
    return _Parser(expression).parse()


# --- evaluation ---------------------------------------------------------------------------------


def weight(value: Any) -> int:
    """Characters and items of `value` written out, every member counted where it appears.

    A value may hold the same array many times (`createArray(x, x)` nested, a copy loop over a variable),
    so its written size can be exponential in the work that built it; the count is memoised by container
    to stay linear in the distinct containers, and iterative so that nesting cannot exhaust the stack.
    """
    weights: dict[int, int] = {}
    pending: list[tuple[Any, bool]] = [(value, False)]
    while pending:
        item, children_done = pending.pop()
        if not isinstance(item, list | dict) or id(item) in weights:
            continue
        members = list(item.values()) if isinstance(item, dict) else item
        if not children_done:
            pending.append((item, True))
            pending.extend((m, False) for m in members if isinstance(m, list | dict))
            continue
        keys = sum(len(k) if isinstance(k, str) else 1 for k in item) if isinstance(item, dict) else 0
        weights[id(item)] = len(members) + keys + sum(_leaf(m, weights) for m in members)
    return _leaf(value, weights)


def _leaf(value: Any, weights: dict[int, int]) -> int:
    if isinstance(value, list | dict):
        return weights[id(value)]
    # A number counts its digits; true, false, null and values not known yet count as one.
    return len(value) if isinstance(value, str) else len(str(value)) if isinstance(value, int | float) else 1


def _size(value: Any) -> int:
    return weight(value)


def _growth(name: str, args: Sequence[Any]) -> int:
    """An upper bound of the size of what the functions that grow values would build, before building it."""
    if name in ("concat", "union", "createarray", "createobject", "array", "string", "json"):
        return sum(_size(a) for a in args)
    if name == "replace" and len(args) == 3 and all(isinstance(a, str) for a in args):
        text, old, new = args
        return len(text) + (text.count(old) if old else len(text) + 1) * len(new)
    if name == "format" and args and isinstance(args[0], str):
        return len(args[0]) + args[0].count("{") * max((_size(a) for a in args[1:]), default=0)
    return 0


def _bounded(call: Call, value: Any) -> Any:
    """A function's result, refused when it has grown past MAX_VALUE_LENGTH (doubling in a loop would)."""
    if isinstance(value, str | list | dict) and len(value) > MAX_VALUE_LENGTH:
        raise ExpressionError(
            f"{call.name}() builds a value of {len(value):,} characters or items; at most "
            f"{MAX_VALUE_LENGTH:,} are evaluated"
        )
    return value


def _lambda(ctx: Context, call: Call) -> Lambda:
    *names, body = call.args
    if not body or not all(isinstance(n, Literal) and isinstance(n.value, str) for n in names):
        raise ExpressionError("lambda() takes the names of its arguments, then its body")
    written = tuple(str(n.value) for n in names if isinstance(n, Literal))

    def apply(values: dict[str, Any]) -> Any:
        return evaluate_node(body, replace(ctx, lambda_variables={**ctx.lambda_variables, **values}))

    return Lambda(written, apply)


def _call(ctx: Context, call: Call) -> Any:
    name = call.name.lower()
    if name == "if":  # lazy: the branch not taken may not be evaluable
        if len(call.args) != 3:
            raise ExpressionError("if() takes a condition and two values")
        return evaluate_node(call.args[1] if evaluate_node(call.args[0], ctx) else call.args[2], ctx)
    if name == "lambda":  # its body is evaluated when a function applies it
        return _lambda(ctx, call)
    if name == "lambdavariables":
        names = [evaluate_node(a, ctx) for a in call.args]
        found = (
            find_key(ctx.lambda_variables, names[0])
            if len(names) == 1 and isinstance(names[0], str)
            else None
        )
        if found is None:
            raise ExpressionError(
                f"lambdaVariables({', '.join(map(repr, names))}) is used outside its lambda()"
            )
        return ctx.lambda_variables[found]
    args = [evaluate_node(a, ctx) for a in call.args]
    if _growth(name, args) > MAX_VALUE_LENGTH:
        raise ExpressionError(
            f"{call.name}() would build a value of more than {MAX_VALUE_LENGTH:,} characters or items; "
            "that many are not evaluated"
        )
    try:
        if name in CONTEXT:
            return _bounded(call, CONTEXT[name](ctx, *args))
        if name in PLAIN:
            return _bounded(call, PLAIN[name](*args))
    except ExpressionError:
        raise
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, OverflowError) as exc:
        raise ExpressionError(f"{call.name}() cannot take these arguments: {exc}") from None
    if "." in name:
        raise ExpressionError(
            f"{call.name}() is a user-defined function (the template's 'functions', such as Bicep's "
            "`func`), which lighthouse-iac does not evaluate; write its result into the template instead"
        )
    if name.startswith(AZURE_ONLY):
        raise ExpressionError(
            f"{call.name}() has a value only Azure knows at deployment; it cannot be evaluated offline"
        )
    raise ExpressionError(f"function '{call.name}' is not supported; supported: {', '.join(FUNCTIONS)}, if")


def _known(value: Any) -> Any:
    """`value`, unless it is or holds a value nobody told us (whole `subscription()` objects hold some)."""
    waiting = deque([value])  # in written order: the first unknown member is the one named
    while waiting:
        item = waiting.popleft()
        if isinstance(item, Unknown):
            raise ExpressionError(item.message)
        if isinstance(item, dict):
            waiting.extend(item.values())
        elif isinstance(item, list):
            waiting.extend(item)
    return value


def evaluate_node(node: Node, ctx: Context) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Call):
        return _call(ctx, node)
    if isinstance(node, Member):
        target = evaluate_node(node.target, ctx)
        if not isinstance(target, dict):
            raise ExpressionError(f"'.{node.name}' needs an object, found {as_text(target)!r}")
        return lookup(target, node.name, "property")
    target = evaluate_node(node.target, ctx)
    index = evaluate_node(node.index, ctx)
    if isinstance(target, list) and isinstance(index, int):
        if not 0 <= index < len(target):
            raise ExpressionError(f"index {index} is outside the array of {len(target)} items")
        return _known(target[index])
    if isinstance(target, dict) and isinstance(index, str):
        return lookup(target, index, "property")
    raise ExpressionError(f"cannot index {as_text(target)!r} with {as_text(index)!r}")


def evaluate_string(value: str, ctx: Context) -> Any:
    """A template string: an expression's value, or the literal text (with `[[` unescaped)."""
    if is_expression(value):
        result = evaluate_node(parse(value[1:-1]), ctx)
        # Only these functions make Unknowns, and values read from variables were checked when evaluated.
        lowered = value.lower()
        unknowable = ("subscription(", "tenant(", "resourcegroup(")
        return _known(result) if any(f in lowered for f in unknowable) else result
    if value.startswith("[["):
        return value[1:]
    return value


def evaluate_value(value: Any, ctx: Context) -> Any:
    """Evaluate every expression inside a JSON value; object members that become null are dropped."""
    if isinstance(value, str):
        return evaluate_string(value, ctx)
    if isinstance(value, list):
        return [evaluate_value(v, ctx) for v in value]
    if isinstance(value, dict):
        result = {k: evaluate_value(v, ctx) for k, v in value.items()}
        return {k: v for k, v in result.items() if v is not None}
    return value
