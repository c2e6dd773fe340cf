"""A request's properties as the rules read them: plain values, unknowns marked, from either SDK form."""

from __future__ import annotations

import importlib

from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

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
