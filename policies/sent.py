"""One request's resources as the pack's rules read them: converted once, shared by every policy.

Public SDK API only (the unknown-value sentinels, `UnknownValueError`, the argument classes); the private
servicer that builds these once per request is `server.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from pulumi_policy import ResourceValidationArgs, Secret, StackValidationArgs, proxy
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


def _item(container: Any, key: Any) -> Any:
    try:
        return plain(container[key])
    except UnknownValueError:
        return UNKNOWN


class Sent:
    """One resource as the engine sent it, its properties converted once for every policy of a request.

    What a policy makes of it (`derived`, a function of the resource alone) is kept for the other policies
    of the same request, so that no policy's answer depends on another having run: each asks for what it
    needs, and the first to ask computes it. A request's policies run one after the other, and the next
    request gets new `Sent` objects. The values are shared: policies read them and never change them.
    """

    def __init__(self, type_: str, name: str, urn: str, props: Mapping[str, Any]) -> None:
        self.type = type_
        self.name = name
        self.urn = urn
        self.props: Any = plain(props)
        self._derived: dict[Callable[[Sent], Any], Any] = {}

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
