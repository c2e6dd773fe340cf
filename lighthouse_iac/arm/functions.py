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
