"""The ARM template expression language, the subset onboarding templates use, evaluated offline.

A string value `"[...]"` is an expression; `"[[...]"` is the literal text `[...]`. Supported: literals,
function calls, `.property` and `[index]` access, and the functions in `FUNCTIONS`. Functions whose
result only Azure knows (`reference`, `uniqueString`, `deployment`, ...) are refused with a clear message.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import Any

from ..limits import MAX_VALUE_LENGTH
from .context import (
    ARM_GUID_NAMESPACE,
    Context,
    ExpressionError,
    Lambda,
    Unknown,
    arm_guid,
    echoed,
    find_key,
    lookup,
)
from .context import text as as_text
from .expression_syntax import Call, Literal, Member, Node, parse
from .functions import AZURE_ONLY, CONTEXT, FUNCTIONS, PLAIN
from .value_weight import bounded, growth, weight

__all__ = [
    "ARM_GUID_NAMESPACE",
    "FUNCTIONS",
    "Context",
    "ExpressionError",
    "Unknown",
    "arm_guid",
    "find_key",
    "is_expression",
    "weight",
]  # where other modules import them


def is_expression(value: object) -> bool:
    return (
        isinstance(value, str)
        and value.startswith("[")
        and value.endswith("]")
        and not value.startswith("[[")
    )


# --- evaluation ---------------------------------------------------------------------------------


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
                f"lambdaVariables({echoed(', '.join(map(repr, names)))}) is used outside its lambda()"
            )
        return ctx.lambda_variables[found]
    args = [evaluate_node(a, ctx) for a in call.args]
    if growth(name, args) > MAX_VALUE_LENGTH:
        raise ExpressionError(
            f"{call.name}() would build a value of more than {MAX_VALUE_LENGTH:,} characters or items; "
            "that many are not evaluated"
        )
    try:
        if name in CONTEXT:
            return bounded(call, CONTEXT[name](ctx, *args))
        if name in PLAIN:
            return bounded(call, PLAIN[name](*args))
    except ExpressionError:
        raise
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, OverflowError) as exc:
        raise ExpressionError(
            f"{echoed(call.name)}() cannot take these arguments: {echoed(str(exc))}"
        ) from None
    if "." in name:
        raise ExpressionError(
            f"{echoed(call.name)}() is a user-defined function (the template's 'functions', such as Bicep's "
            "`func`), which lighthouse-iac does not evaluate; write its result into the template instead"
        )
    if name.startswith(AZURE_ONLY):
        raise ExpressionError(
            f"{echoed(call.name)}() has a value only Azure knows at deployment; "
            "it cannot be evaluated offline"
        )
    raise ExpressionError(
        f"function '{echoed(call.name)}' is not supported; supported: {', '.join(FUNCTIONS)}, if"
    )


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
            raise ExpressionError(
                f"'.{echoed(node.name)}' needs an object, found {echoed(as_text(target))!r}"
            )
        return lookup(target, node.name, "property")
    target = evaluate_node(node.target, ctx)
    index = evaluate_node(node.index, ctx)
    if isinstance(target, list) and isinstance(index, int):
        if not 0 <= index < len(target):
            raise ExpressionError(f"index {index} is outside the array of {len(target)} items")
        return _known(target[index])
    if isinstance(target, dict) and isinstance(index, str):
        return lookup(target, index, "property")
    raise ExpressionError(f"cannot index {echoed(as_text(target))!r} with {echoed(as_text(index))!r}")


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
