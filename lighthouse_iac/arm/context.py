"""What an ARM expression sees and the errors it raises: shared by the parser and evaluator
(expressions.py) and the functions (functions.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# ARM's guid(): a name-based UUIDv5 (SHA-1) in this namespace over the arguments joined by '-'; checked
# against values Microsoft's engine produced (facts doc, "ARM template functions (verified)").
ARM_GUID_NAMESPACE = uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830")


class ExpressionError(Exception):
    """An expression that cannot be parsed or evaluated offline; the message says why."""


ECHOED = 200
"""Characters of an expression (or of a token in it) an error message repeats: enough to find it in the
template, and no more: an expression may be 24,576 characters (ARM's limit), or a file's worth over it."""


def echoed(text: str) -> str:
    """`text` as an error message repeats it: whole when short, else its start and an ellipsis."""
    return text if len(text) <= ECHOED else text[:ECHOED] + "\u2026"


ECHOED_NAMES = 50
"""Names an error message lists (the known parameters, variables or properties); each is echoed()."""


def echoed_names(names: list[str]) -> str:
    """Names as an error message lists them: all of a normal list, the start of a long one."""
    shown = ", ".join(echoed(name) for name in names[:ECHOED_NAMES]) or "none"
    more = len(names) - ECHOED_NAMES
    return f"{shown}, and {more:,} more" if more > 0 else shown


INT64 = 2**63
INT64_RANGE = f"({-INT64} to {INT64 - 1})"
"""ARM's integers are 64-bit."""


@dataclass(frozen=True)
class Unknown:
    """A value of a deployment function lighthouse-iac was not told; reading it is an error that says which
    flag supplies it. Other members of the same object stay readable."""

    message: str


def arm_guid(*parts: str) -> str:
    return str(uuid.uuid5(ARM_GUID_NAMESPACE, "-".join(parts)))


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
    lambda_variables: dict[str, Any] = field(default_factory=dict)
    """The arguments of the lambda() being applied, read by lambdaVariables('name')."""


@dataclass(frozen=True)
class Lambda:
    """A `lambda('x', ..., body)` value: `apply` evaluates the body with the arguments by name."""

    names: tuple[str, ...]
    apply: Callable[[dict[str, Any]], Any]

    def __call__(self, *args: Any) -> Any:
        if len(args) < len(self.names):
            raise ExpressionError(f"this lambda takes {len(self.names)} argument(s), {len(args)} given")
        return self.apply(dict(zip(self.names, args, strict=False)))


def find_key(mapping: Mapping[str, Any], key: str) -> str | None:
    """The key of `mapping` that names `key`: ARM compares names case-insensitively."""
    if key in mapping:
        return key
    return next((name for name in mapping if name.lower() == key.lower()), None)


def lookup(mapping: Mapping[str, Any], key: str, what: str) -> Any:
    found = find_key(mapping, key)  # keys only: a mapping of lazily evaluated values stays lazy
    if found is None:
        raise ExpressionError(f"no {what} '{echoed(key)}'; known: {echoed_names(sorted(mapping))}")
    value = mapping[found]
    if isinstance(value, Unknown):
        raise ExpressionError(value.message)
    return value


def text(value: Any) -> str:
    """A value as ARM turns it into text (string(), concat(), format())."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"))
