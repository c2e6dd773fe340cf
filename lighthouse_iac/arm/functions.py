"""The ARM template functions lighthouse-iac evaluates offline, by lowercase name: PLAIN ones take only
their arguments, CONTEXT ones also what the expression sees (parameters, variables, the deployment's
subscription, resource group and customer tenant). AZURE_ONLY names those whose value only Azure knows."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from . import deployment_functions as where
from . import lambdas
from .context import INT64, INT64_RANGE, ExpressionError, arm_guid, echoed, find_key, lookup
from .context import text as as_text
from .source import NumberTooLarge, finite_number


def _type_name(value: Any) -> str:
    """A value's type as ARM's messages name it."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, dict):
        return "Object"
    return "Null"


def _guid(*parts: Any) -> str:
    # ARM: at least one argument, every one a string (facts doc); its messages, worded as ARM words them.
    if not parts:
        raise ExpressionError("The template language function 'guid' must have at least one parameter.")
    wrong = [p for p in parts if not isinstance(p, str)]
    if wrong:
        raise ExpressionError(
            "The template language function 'guid' expects its parameters to be of type 'String'. "
            f"The provided value is of type '{_type_name(wrong[0])}'."
        )
    return arm_guid(*parts)


def _format(fmt: str, *args: Any) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        index = int(match.group(1))
        if index >= len(args):
            raise ExpressionError(f"format: no argument {{{index}}}")
        return as_text(args[index])

    return re.sub(r"\{\{|\}\}|\{(\d+)(?:[,:][^}]*)?\}", replace, fmt)


def _concat(*args: Any) -> Any:
    if args and all(isinstance(a, list) for a in args):
        return [item for a in args for item in a]
    return "".join(as_text(a) for a in args)


def _union(*args: Any) -> Any:
    if all(isinstance(a, dict) for a in args):
        merged: dict[str, Any] = {}
        for a in args:
            merged.update(a)
        return merged
    result: list[Any] = []
    for a in args:
        result += [item for item in a if item not in result]
    return result


def _contains(container: Any, item: Any) -> bool:
    if isinstance(container, str):
        return as_text(item).lower() in container.lower()
    if isinstance(container, dict):
        return any(k.lower() == as_text(item).lower() for k in container)
    return item in container


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=finite_number)
    except NumberTooLarge as exc:
        raise ExpressionError(f"json(): {exc}") from None
    except ValueError as exc:
        raise ExpressionError(f"json(): not valid JSON: {echoed(text)!r}") from exc


def _equals(a: Any, b: Any) -> bool:
    return bool(a == b)


def _int(value: Any) -> int:
    """ARM's integers are 64-bit: a result outside is an error, not a number Azure would not compute."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExpressionError(f"expected an integer, found {echoed(as_text(value))!r}")
    if not -INT64 <= value < INT64:
        raise ExpressionError(f"{echoed(str(value))} is outside ARM's 64-bit integers")
    return value


def _to_int(value: Any) -> int:
    """ARM's int(): a string of digits or a number, to a 64-bit integer (beyond it, Azure refuses)."""
    number = int(value)
    if not -INT64 <= number < INT64:
        raise ExpressionError(f"int(): the value is outside ARM's 64-bit integers {INT64_RANGE}")
    return number


def _divide(a: Any, b: Any, *, remainder: bool = False) -> int:
    dividend, divisor = _int(a), _int(b)
    if divisor == 0:
        raise ExpressionError("division by zero")
    # ARM truncates toward zero; Python's // floors.
    quotient = abs(dividend) // abs(divisor) * (1 if (dividend < 0) == (divisor < 0) else -1)
    return dividend - quotient * divisor if remainder else quotient


def _compare(a: Any, b: Any) -> int:
    """-1, 0 or 1: two numbers, or two strings (ARM compares nothing else)."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
    if not numbers and not (isinstance(a, str) and isinstance(b, str)):
        raise ExpressionError(f"cannot compare {echoed(as_text(a))!r} with {echoed(as_text(b))!r}")
    return int(a > b) - int(a < b)


def _try_get(value: Any, *keys: Any) -> Any:
    """Bicep's `a.?b` and `a[?0]`: the member or item, or null when it is absent."""
    for key in keys:
        if isinstance(value, dict) and isinstance(key, str):
            found = find_key(value, key)
            value = value[found] if found is not None else None
        elif isinstance(value, list) and isinstance(key, int) and not isinstance(key, bool):
            value = value[key] if 0 <= key < len(value) else None
        else:
            return None
    return value


def _split(value: str, delimiters: Any) -> list[str]:
    separators = [delimiters] if isinstance(delimiters, str) else list(delimiters)
    if not all(isinstance(d, str) and d for d in separators):
        raise ExpressionError("split() takes a non-empty delimiter or an array of them")
    return re.split("|".join(re.escape(d) for d in separators), value)


def _index_of(text: str, part: str, *, last: bool = False) -> int:
    # ARM compares without case here, as it does in contains().
    return text.lower().rfind(part.lower()) if last else text.lower().find(part.lower())


def _substring(text: str, start: int, length: int | None = None) -> str:
    end = len(text) if length is None else start + _int(length)
    if not 0 <= _int(start) <= end <= len(text):
        raise ExpressionError(f"substring({start}, {length}) is outside the string of {len(text)} characters")
    return text[start:end]


def _range(start: int, count: int) -> list[int]:
    if not 0 <= _int(count) <= 10_000:  # ARM's limit on range() counts
        raise ExpressionError(f"range() takes a count from 0 to 10000, found {count}")
    return list(range(_int(start), start + count))


Plain = Callable[..., Any]

PLAIN: Mapping[str, Plain] = MappingProxyType(
    {
        "concat": _concat,
        "format": _format,
        "guid": _guid,
        "length": len,
        "empty": lambda v: v is None or len(v) == 0,
        "equals": _equals,
        "not": lambda v: not v,
        "and": lambda *v: all(v),
        "or": lambda *v: any(v),
        "bool": lambda v: v if isinstance(v, bool) else str(v).lower() == "true",
        "json": _json,
        "string": as_text,
        "int": _to_int,
        "tolower": lambda s: s.lower(),
        "toupper": lambda s: s.upper(),
        "trim": lambda s: s.strip(),
        "replace": lambda s, old, new: s.replace(old, new),
        "createarray": lambda *v: list(v),
        "array": lambda v: v if isinstance(v, list) else [v],
        "createobject": lambda *v: {v[i]: v[i + 1] for i in range(0, len(v), 2)},
        "coalesce": lambda *v: next((x for x in v if x is not None), None),
        "contains": _contains,
        "union": _union,
        "first": lambda v: v[0],
        "last": lambda v: v[-1],
        "true": lambda: True,
        "false": lambda: False,
        "null": lambda: None,
        "tryget": _try_get,
        "map": lambdas.map_,
        "filter": lambdas.filter_,
        "reduce": lambdas.reduce_,
        "sort": lambdas.sort_,
        "toobject": lambdas.to_object,
        "flatten": lambda v: [item for inner in v for item in inner],
        "objectkeys": lambda v: list(v.keys()),
        "split": _split,
        "startswith": lambda s, p: s.lower().startswith(p.lower()),
        "endswith": lambda s, p: s.lower().endswith(p.lower()),
        "indexof": _index_of,
        "lastindexof": lambda s, p: _index_of(s, p, last=True),
        "substring": _substring,
        "take": lambda v, n: v[: max(_int(n), 0)],
        "skip": lambda v, n: v[max(_int(n), 0) :],
        "range": _range,
        "add": lambda a, b: _int(_int(a) + _int(b)),
        "sub": lambda a, b: _int(_int(a) - _int(b)),
        "mul": lambda a, b: _int(_int(a) * _int(b)),
        "div": _divide,
        "mod": lambda a, b: _divide(a, b, remainder=True),
        "less": lambda a, b: _compare(a, b) < 0,
        "lessorequals": lambda a, b: _compare(a, b) <= 0,
        "greater": lambda a, b: _compare(a, b) > 0,
        "greaterorequals": lambda a, b: _compare(a, b) >= 0,
    }
)

CONTEXT: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {
        "parameters": lambda ctx, name: lookup(ctx.parameters, name, "parameter"),
        "variables": lambda ctx, name: ctx.variable(name),
        "resourceid": where.resource_id,
        "subscriptionresourceid": where.subscription_resource_id,
        "copyindex": where.copy_index,
        "subscription": where.subscription,
        "resourcegroup": where.resource_group,
        "tenant": where.tenant_object,
    }
)

AZURE_ONLY = (
    "reference",
    "list",
    "uniquestring",
    "deployment",
    "environment",
    "utcnow",
    "newguid",
)

FUNCTIONS = tuple(sorted({*PLAIN, *CONTEXT}))
