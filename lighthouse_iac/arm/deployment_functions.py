"""The ARM functions whose value depends on where the deployment runs: subscription(), tenant(),
resourceGroup(), resourceId() and subscriptionResourceId(), and copyIndex(). What the user did not tell
lighthouse-iac is an Unknown that names the flag supplying it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .context import Context, ExpressionError, Unknown, find_key
from .context import text as as_text


def _tenant(ctx: Context, function: str) -> Any:
    if ctx.tenant_id is not None:
        return ctx.tenant_id
    return Unknown(
        f"{function}().tenantId is the customer's tenant, which was not given: pass {ctx.tenant_flag}"
    )


def subscription(ctx: Context) -> dict[str, Any]:
    return {
        "id": f"/subscriptions/{ctx.subscription_id}",
        "subscriptionId": ctx.subscription_id,
        "tenantId": _tenant(ctx, "subscription"),
        "displayName": Unknown("subscription().displayName is only known to Azure at deployment"),
    }


def resource_group(ctx: Context) -> dict[str, Any]:
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


def tenant_object(ctx: Context) -> dict[str, Any]:
    return {
        "tenantId": _tenant(ctx, "tenant"),
        "countryCode": Unknown("tenant().countryCode is only known to Azure at deployment"),
        "displayName": Unknown("tenant().displayName is only known to Azure at deployment"),
    }


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


def resource_id(ctx: Context, *args: Any) -> str:
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


def subscription_resource_id(ctx: Context, *args: Any) -> str:
    at = _type_position(args)
    subscription = as_text(args[0]) if at == 1 else ctx.subscription_id
    return f"/subscriptions/{subscription}" + _resource_path(args[at], args[at + 1 :])


def copy_index(ctx: Context, *args: Any) -> int:
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
