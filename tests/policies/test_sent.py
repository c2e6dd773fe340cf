"""A request's properties as the rules read them: plain values, unknowns marked, from either SDK form
or straight from the wire."""

from __future__ import annotations

import importlib
import math
from typing import Any

import pytest
from google.protobuf import struct_pb2  # type: ignore[import-untyped]
from google.protobuf.json_format import MessageToDict  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, deserialize_properties
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE, UNKNOWN_STRING_VALUE, unknown_checking_proxy

from lighthouse_iac.rules import UNKNOWN

from .analyzer import load_adapter

load_adapter()  # puts the pack's folder on the path
sent = importlib.import_module("sent")


def test_plain_reads_the_sdks_proxies_as_what_they_wrap() -> None:
    deserialized = deserialize_properties(
        {"a": [1, {"b": UNKNOWN_STRING_VALUE, "c": ["x", UNKNOWN_STRING_VALUE]}], "d": UNKNOWN_STRING_VALUE}
    )
    expected = {"a": [1, {"b": UNKNOWN, "c": ["x", UNKNOWN]}], "d": UNKNOWN}
    assert sent.plain(deserialized) == expected
    assert sent.plain(unknown_checking_proxy(deserialized)) == expected


_SCALARS = (
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(-(2**53), 2**53)
    | st.text(max_size=8)
    | st.sampled_from([UNKNOWN_STRING_VALUE, UNKNOWN_NUMBER_VALUE, "04da6b54"])
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
        # A secret as the engine marshals it: the SDK's special signature, then its value.
        | inner.map(lambda v: {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": v})
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=6), _VALUES, max_size=5))
def test_the_one_pass_conversion_reads_the_wire_as_the_sdks_three(properties: dict[str, Any]) -> None:
    wire = struct_pb2.Struct()
    wire.update(properties)
    assert sent.from_wire(wire) == sent.plain(deserialize_properties(MessageToDict(wire)))


@pytest.mark.parametrize(
    "properties",
    [
        # The SDK reads a resource's top-level properties as plain keys, signature or not: a secret's
        # shape there is two properties, not a secret to unwrap (judging `value` would judge other data).
        {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": {"properties": {"authorizations": []}}},
        {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": UNKNOWN_STRING_VALUE, "x": 1.0},
        # ... and an unknown signature there is a plain string, not a refusal (a failed gRPC call).
        {SPECIAL_SIG_KEY: "zzz", "properties": {"description": "d"}},
        {SPECIAL_SIG_KEY: UNKNOWN_STRING_VALUE},
    ],
)
def test_the_one_pass_conversion_reads_top_level_signatures_as_the_sdk(properties: dict[str, Any]) -> None:
    wire = struct_pb2.Struct()
    wire.update(properties)
    expected = sent.plain(deserialize_properties(MessageToDict(wire)))
    assert SPECIAL_SIG_KEY in expected
    assert sent.from_wire(wire) == expected


def test_the_one_pass_conversion_refuses_what_the_sdk_refuses() -> None:
    for number in (math.inf, -math.inf, math.nan):
        wire = struct_pb2.Struct()
        wire.update({"properties": {"n": [number]}})
        with pytest.raises(ValueError, match="Fail to serialize"):
            MessageToDict(wire)
        with pytest.raises(ValueError, match="Fail to serialize"):
            sent.from_wire(wire)
    unknown_signature = struct_pb2.Struct()
    unknown_signature.update({"x": {SPECIAL_SIG_KEY: "not a signature"}})
    with pytest.raises(AssertionError, match="Unrecognized signature"):
        sent.from_wire(unknown_signature)
