"""The ARM template functions lighthouse-iac evaluates offline, by lowercase name: PLAIN ones take only
their arguments, CONTEXT ones also what the expression sees (parameters, variables, the deployment's
subscription, resource group and customer tenant). AZURE_ONLY names those whose value only Azure knows."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from .context import Context, ExpressionError, Unknown, arm_guid, find_key, lookup
from .context import text as as_text


def _tenant(ctx: Context, function: str) -> Any:
    if ctx.tenant_id is not None:
        return ctx.tenant_id
    return Unknown(
        f"{function}().tenantId is the customer's tenant, which was not given: pass {ctx.tenant_flag}"
    )


def _subscription(ctx: Context) -> dict[str, Any]:
    return {
        "id": f"/subscriptions/{ctx.subscription_id}",
        "subscriptionId": ctx.subscription_id,
        "tenantId": _tenant(ctx, "subscription"),
        "displayName": Unknown("subscription().displayName is only known to Azure at deployment"),
    }


def _resource_group(ctx: Context) -> dict[str, Any]:
    if ctx.resource_group is None:
        raise ExpressionError(
            "resourceGroup() has no value in a subscription-level deployment; it is available inside a "
            "nested deployment to a resource group (a Bicep module scoped to one)"
        )
    return {
        "id": f"/subscriptions/{ctx.subscription_id}/resourceGroups/{ctx.resource_group}",
        "name": ctx.resource_group,
        "type": "Microsoft.Resources/resourceGroups",
        "location": Unknown("resourceGroup().location is only known to Azure at deployment"),
    }


def _tenant_object(ctx: Context) -> dict[str, Any]:
    return {
        "tenantId": _tenant(ctx, "tenant"),
        "countryCode": Unknown("tenant().countryCode is only known to Azure at deployment"),
        "displayName": Unknown("tenant().displayName is only known to Azure at deployment"),
    }


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


def _resource_path(resource_type: str, names: Sequence[Any]) -> str:
    namespace, _, types = resource_type.strip("/").partition("/")
    segments = [t for t in types.split("/") if t]
    if len(segments) != len(names):
        raise ExpressionError(
            f"resource type '{resource_type}' needs {len(segments)} name(s), {len(names)} given"
        )
    path = "/".join(f"{t}/{as_text(n)}" for t, n in zip(segments, names, strict=True))
    return f"/providers/{namespace}/{path}"


def _type_position(args: Sequence[Any]) -> int:
    for i, arg in enumerate(args):
        if isinstance(arg, str) and "/" in arg and "." in arg.split("/", 1)[0]:
            return i
    raise ExpressionError("resourceId needs a resource type such as 'Microsoft.ManagedServices/...'")


def _resource_id(ctx: Context, *args: Any) -> str:
    at = _type_position(args)
    prefix, resource_type, names = args[:at], args[at], args[at + 1 :]
    subscription, group = ctx.subscription_id, ctx.resource_group
    if len(prefix) == 2:
        subscription, group = as_text(prefix[0]), as_text(prefix[1])
    elif len(prefix) == 1:
        group = as_text(prefix[0])
    elif len(prefix) > 2:
        raise ExpressionError(
            "resourceId takes at most a subscription ID and a resource group before the type"
        )
    base = f"/subscriptions/{subscription}" + (f"/resourceGroups/{group}" if group else "")
    return base + _resource_path(resource_type, names)


def _subscription_resource_id(ctx: Context, *args: Any) -> str:
    at = _type_position(args)
    subscription = as_text(args[0]) if at == 1 else ctx.subscription_id
    return f"/subscriptions/{subscription}" + _resource_path(args[at], args[at + 1 :])


def _copy_index(ctx: Context, *args: Any) -> int:
    loop = ctx.current_loop
    offset = 0
    for arg in args:
        if isinstance(arg, str):
            loop = arg
        else:
            offset = int(arg)
    found = find_key(ctx.copy_index, loop) if loop is not None else None
    if found is None:
        where = f"a copy loop named '{loop}'" if loop is not None else "a copy loop"
        raise ExpressionError(f"copyIndex() is used outside {where}")
    return ctx.copy_index[found] + offset


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
        return json.loads(text, parse_constant=_refuse_constant)
    except ValueError as exc:
        raise ExpressionError(f"json(): not valid JSON: {text!r}") from exc


def _equals(a: Any, b: Any) -> bool:
    return bool(a == b)


_INT64 = 2**63


def _int(value: Any) -> int:
    """ARM's integers are 64-bit: a result outside is an error, not a number Azure would not compute."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExpressionError(f"expected an integer, found {as_text(value)!r}")
    if not -_INT64 <= value < _INT64:
        raise ExpressionError(f"{value} is outside ARM's 64-bit integers")
    return value


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
        raise ExpressionError(f"cannot compare {as_text(a)!r} with {as_text(b)!r}")
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

PLAIN: dict[str, Plain] = {
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
    "int": int,
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

CONTEXT: dict[str, Callable[..., Any]] = {
    "parameters": lambda ctx, name: lookup(ctx.parameters, name, "parameter"),
    "variables": lambda ctx, name: ctx.variable(name),
    "resourceid": _resource_id,
    "subscriptionresourceid": _subscription_resource_id,
    "copyindex": _copy_index,
    "subscription": _subscription,
    "resourcegroup": _resource_group,
    "tenant": _tenant_object,
}

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
