"""The ARM template expression language, the subset onboarding templates use, evaluated offline.

A string value `"[...]"` is an expression; `"[[...]"` is the literal text `[...]`. Supported: literals,
function calls, `.property` and `[index]` access, and the functions in `FUNCTIONS`. Functions whose
result only Azure knows (`reference`, `uniqueString`, `deployment`, ...) are refused with a clear message.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..limits import MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, MAX_VALUE_LENGTH

# ARM's guid(): a name-based UUIDv5 (SHA-1) in this namespace over the arguments joined by '-'; checked
# against values Microsoft's engine produced (facts doc, "ARM template functions (verified)").
ARM_GUID_NAMESPACE = uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830")


class ExpressionError(Exception):
    """An expression that cannot be parsed or evaluated offline; the message says why."""


@dataclass(frozen=True)
class Unknown:
    """A value of a deployment function lighthouse-iac was not told; reading it is an error that says which
    flag supplies it. Other members of the same object stay readable."""

    message: str


def arm_guid(*parts: str) -> str:
    return str(uuid.uuid5(ARM_GUID_NAMESPACE, "-".join(parts)))


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


@dataclass
class Context:
    """What an expression can see: parameters, variables, where the deployment runs, copy loops."""

    parameters: Mapping[str, Any]
    variable: Callable[[str], Any]
    subscription_id: str
    resource_group: str | None = None
    copy_index: dict[str, int] = field(default_factory=dict)
    current_loop: str | None = None
    tenant_id: str | None = None
    """The customer's tenant (subscription().tenantId, tenant().tenantId), when the user gave it."""
    tenant_flag: str = "--customer-tenant"
    """The option that gives the customer's tenant, named when a template reads it unknown."""


def find_key(mapping: Mapping[str, Any], key: str) -> str | None:
    """The key of `mapping` that names `key`: ARM compares names case-insensitively."""
    if key in mapping:
        return key
    return next((name for name in mapping if name.lower() == key.lower()), None)


def _lookup(mapping: Mapping[str, Any], key: str, what: str) -> Any:
    found = find_key(mapping, key)  # keys only: a mapping of lazily evaluated values stays lazy
    if found is None:
        known = ", ".join(sorted(mapping)) or "none"
        raise ExpressionError(f"no {what} '{key}'; known: {known}")
    value = mapping[found]
    if isinstance(value, Unknown):
        raise ExpressionError(value.message)
    return value


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


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def _resource_path(resource_type: str, names: Sequence[Any]) -> str:
    namespace, _, types = resource_type.strip("/").partition("/")
    segments = [t for t in types.split("/") if t]
    if len(segments) != len(names):
        raise ExpressionError(
            f"resource type '{resource_type}' needs {len(segments)} name(s), {len(names)} given"
        )
    path = "/".join(f"{t}/{_text(n)}" for t, n in zip(segments, names, strict=True))
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
        subscription, group = _text(prefix[0]), _text(prefix[1])
    elif len(prefix) == 1:
        group = _text(prefix[0])
    elif len(prefix) > 2:
        raise ExpressionError(
            "resourceId takes at most a subscription ID and a resource group before the type"
        )
    base = f"/subscriptions/{subscription}" + (f"/resourceGroups/{group}" if group else "")
    return base + _resource_path(resource_type, names)


def _subscription_resource_id(ctx: Context, *args: Any) -> str:
    at = _type_position(args)
    subscription = _text(args[0]) if at == 1 else ctx.subscription_id
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
        return _text(args[index])

    return re.sub(r"\{\{|\}\}|\{(\d+)(?:[,:][^}]*)?\}", replace, fmt)


def _concat(*args: Any) -> Any:
    if args and all(isinstance(a, list) for a in args):
        return [item for a in args for item in a]
    return "".join(_text(a) for a in args)


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
        return _text(item).lower() in container.lower()
    if isinstance(container, dict):
        return any(k.lower() == _text(item).lower() for k in container)
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


_Plain = Callable[..., Any]

_PLAIN: dict[str, _Plain] = {
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
    "string": _text,
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

_CONTEXT: dict[str, Callable[..., Any]] = {
    "parameters": lambda ctx, name: _lookup(ctx.parameters, name, "parameter"),
    "variables": lambda ctx, name: ctx.variable(name),
    "resourceid": _resource_id,
    "subscriptionresourceid": _subscription_resource_id,
    "copyindex": _copy_index,
    "subscription": _subscription,
    "resourcegroup": _resource_group,
    "tenant": _tenant_object,
}

_AZURE_ONLY = (
    "reference",
    "list",
    "uniquestring",
    "deployment",
    "environment",
    "utcnow",
    "newguid",
)

FUNCTIONS = tuple(sorted({*_PLAIN, *_CONTEXT}))


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | dict) else len(_text(value))


def _growth(name: str, args: Sequence[Any]) -> int:
    """An upper bound of the size of what the functions that grow values would build, before building it."""
    if name in ("concat", "union", "createarray", "createobject"):
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


def _call(ctx: Context, call: Call) -> Any:
    name = call.name.lower()
    if name == "if":  # lazy: the branch not taken may not be evaluable
        if len(call.args) != 3:
            raise ExpressionError("if() takes a condition and two values")
        return evaluate_node(call.args[1] if evaluate_node(call.args[0], ctx) else call.args[2], ctx)
    args = [evaluate_node(a, ctx) for a in call.args]
    if _growth(name, args) > MAX_VALUE_LENGTH:
        raise ExpressionError(
            f"{call.name}() would build a value of more than {MAX_VALUE_LENGTH:,} characters or items; "
            "that many are not evaluated"
        )
    try:
        if name in _CONTEXT:
            return _bounded(call, _CONTEXT[name](ctx, *args))
        if name in _PLAIN:
            return _bounded(call, _PLAIN[name](*args))
    except ExpressionError:
        raise
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, OverflowError) as exc:
        raise ExpressionError(f"{call.name}() cannot take these arguments: {exc}") from None
    if "." in name:
        raise ExpressionError(
            f"{call.name}() is a user-defined function (the template's 'functions', such as Bicep's "
            "`func`), which lighthouse-iac does not evaluate; write its result into the template instead"
        )
    if name.startswith(_AZURE_ONLY):
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
            raise ExpressionError(f"'.{node.name}' needs an object, found {_text(target)!r}")
        return _lookup(target, node.name, "property")
    target = evaluate_node(node.target, ctx)
    index = evaluate_node(node.index, ctx)
    if isinstance(target, list) and isinstance(index, int):
        if not 0 <= index < len(target):
            raise ExpressionError(f"index {index} is outside the array of {len(target)} items")
        return _known(target[index])
    if isinstance(target, dict) and isinstance(index, str):
        return _lookup(target, index, "property")
    raise ExpressionError(f"cannot index {_text(target)!r} with {_text(index)!r}")


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
