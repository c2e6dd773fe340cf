"""One request's resources as the pack's rules read them: converted once, shared by every policy.

Public SDK API only (the unknown-value sentinels, `UnknownValueError`, the deserializer's special
signature, the argument classes); the private servicer that builds these once per request and asks the
pack's resource policies for their `Violations` is `server.py`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from google.protobuf.json_format import MessageToDict  # type: ignore[import-untyped]
from pulumi_policy import (
    ReportViolation,
    ResourceValidationArgs,
    Secret,
    StackValidationArgs,
    proxy,
)
from pulumi_policy.deserialize import SPECIAL_SIG_KEY, deserialize_properties
from pulumi_policy.proxy import UnknownValueError

from lighthouse_iac.rules import UNKNOWN

_UNKNOWNS = frozenset(
    (
        proxy.UNKNOWN_BOOLEAN_VALUE,
        proxy.UNKNOWN_NUMBER_VALUE,
        proxy.UNKNOWN_STRING_VALUE,
        proxy.UNKNOWN_ARRAY_VALUE,
        proxy.UNKNOWN_ASSET_VALUE,
        proxy.UNKNOWN_ARCHIVE_VALUE,
        proxy.UNKNOWN_OBJECT_VALUE,
    )
)
T = TypeVar("T")


def plain(value: Any) -> Any:
    """Properties as plain dicts and lists, with values unknown at preview as `UNKNOWN`.

    Takes what the SDK deserialized (exact types first: this runs over every value of every request) or
    its unknown-checking proxies, read through their public Mapping and Sequence interface: a value
    unknown at preview raises `UnknownValueError` there, and reads as `UNKNOWN`.
    """
    kind = type(value)
    if kind is dict:
        return {str(k): plain(v) for k, v in value.items()}
    if kind is list:
        return [plain(v) for v in value]
    if kind is str:
        return UNKNOWN if value in _UNKNOWNS else value
    if kind is Secret:
        return plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): _item(value, k) for k in value}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_item(value, i) for i in range(len(value))]
    return value


def from_wire(struct: Any) -> dict[str, Any]:
    """A request's properties (a protobuf `Struct`) as `plain` values, read in one pass: what
    `plain(deserialize_properties(MessageToDict(struct)))` gives, the SDK's three passes, for a third of
    the time. The top level is plain keys, as the SDK reads it: a signature counts only in a nested map."""
    return {key: _from_value(value) for key, value in struct.fields.items()}


def _from_struct(struct: Any) -> Any:
    # A nested map with the SDK's special signature (asset, archive, secret, or one it refuses) goes
    # through the SDK's own passes, wrapped so that it is read as a nested value.
    fields = struct.fields
    if SPECIAL_SIG_KEY in fields:
        return plain(deserialize_properties({"v": MessageToDict(struct)})["v"])
    return {key: _from_value(value) for key, value in fields.items()}


def _from_value(value: Any) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        text = value.string_value
        return UNKNOWN if text in _UNKNOWNS else text
    if kind == "struct_value":
        return _from_struct(value.struct_value)
    if kind == "list_value":
        return [_from_value(v) for v in value.list_value.values]
    if kind == "number_value":
        number = value.number_value
        if math.isinf(number) or math.isnan(number):
            MessageToDict(value)  # refused as the SDK refuses it (a ValueError: the engine's run fails)
        return number
    if kind == "bool_value":
        return value.bool_value
    return None  # null_value, or not set (MessageToDict reads both as null)


def _item(container: Any, key: Any) -> Any:
    try:
        return plain(container[key])
    except UnknownValueError:
        return UNKNOWN


class Sent:
    """One resource as the engine sent it, its properties converted once for every policy of a request
    (`props`: `plain` values).

    What a policy makes of it (`derived`, a function of the resource alone) is kept for the other policies
    of the same request, so that no policy's answer depends on another having run: each asks for what it
    needs, and the first to ask computes it. A request's policies run one after the other, and the next
    request gets new `Sent` objects. The values are shared: policies read them and never change them.
    """

    def __init__(self, type_: str, name: str, urn: str, props: Any) -> None:
        self.type = type_
        self.name = name
        self.urn = urn
        self.props = props
        self._derived: dict[Callable[[Sent], Any], Any] = {}

    @classmethod
    def of(cls, type_: str, name: str, urn: str, props: Mapping[str, Any]) -> Sent:
        """From properties as the SDK hands them to a policy (deserialized, or behind its proxies)."""
        return cls(type_, name, urn, plain(props))

    def derived(self, read: Callable[[Sent], T]) -> T:
        if read not in self._derived:
            self._derived[read] = read(self)
        return self._derived[read]  # type: ignore[no-any-return]


class SentResourceArgs(ResourceValidationArgs):
    """The SDK's arguments of a resource policy, with the request's one conversion (`sent`)."""

    sent: Sent


class SentStackArgs(StackValidationArgs):
    """The SDK's arguments of a stack policy, with each resource's one conversion (`sent`, in order)."""

    sent: list[Sent]


def sent_of(args: ResourceValidationArgs) -> Sent:
    """From the pack's servicer: converted once per request. From the SDK's own (tests): converted here."""
    if isinstance(args, SentResourceArgs):
        return args.sent
    return Sent.of(args.resource_type, args.name, args.urn, args.props)


Violation = tuple[str, str | None]
"""What `report_violation` is called with: the message, and the URN when not the resource's own."""

Violations = Callable[[Sent, Mapping[str, Any]], list[Violation]]
"""A resource policy's answer as a function of the request's one conversion and the policy's settings."""


def validation(violations: Violations) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    """The policy's `validate`, which the SDK's own servicer (tests) calls: it reports the same
    violations that the pack's servicer asks for directly (`server.py`)."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        for message, urn in violations(sent_of(args), args.get_config()):
            report_violation(message, urn)

    return validate
