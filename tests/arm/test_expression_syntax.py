"""What an expression error repeats of the expression: all of a normal one, the start of a long one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lighthouse_iac.arm.context import ECHOED, echoed
from lighthouse_iac.arm.expressions import Context, ExpressionError, evaluate_string
from lighthouse_iac.arm.source import parse_json
from lighthouse_iac.arm.template import evaluate_template
from lighthouse_iac.errors import ConfigError

from .cases import SUBSCRIPTION

LONG = "concat(" + ", ".join(f"'part{i}'" for i in range(200)) + ","  # ends before its value: a syntax error


def _error(expression: str) -> str:
    with pytest.raises(ExpressionError) as caught:
        evaluate_string(f"[{expression}]", Context({}, lambda name: None, SUBSCRIPTION))
    return str(caught.value)


def test_a_normal_expression_is_repeated_whole() -> None:
    assert _error("concat('a',") == "expected 'a value' but found the end in [concat('a',]"
    assert _error("concat('a' 'b')") == "expected ')' but found ''b'' in [concat('a' 'b')]"


def test_a_long_expression_is_repeated_up_to_the_cap() -> None:
    message = _error(LONG)
    assert message == f"expected 'a value' but found the end in [{LONG[:ECHOED]}\u2026]"
    long_token = "'" + "x" * 5000 + "'"
    message = _error(f"concat('a' {long_token})")
    assert len(message) < 3 * ECHOED
    assert f"found '{long_token[:ECHOED]}\u2026' in [concat('a' " in message


def _evaluate(tmp_path: Path, name: str) -> str:
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        "resources": [{"type": "Microsoft.ManagedServices/registrationDefinitions", "name": name}],
    }
    text = json.dumps(template, indent=2)
    with pytest.raises(ConfigError) as caught:
        evaluate_template(parse_json(text, str(tmp_path / "t.json")), None, (), SUBSCRIPTION)
    return str(caught.value)


def test_the_template_s_message_repeats_a_long_expression_up_to_the_cap(tmp_path: Path) -> None:
    short = _evaluate(tmp_path, "[madeUp(1)]")
    assert "resources[0].name: [madeUp(1)]: function 'madeUp' is not supported" in short
    value = "[madeUp(" + "'x', " * 4000 + "1)]"
    long = _evaluate(tmp_path, value)
    assert f"resources[0].name: {value[:ECHOED]}\u2026: function 'madeUp' is not supported" in long
    assert len(long) < len(short) + 2 * ECHOED


HUGE = "9" * 5000


@pytest.mark.parametrize(
    ("expression", "start"),
    [
        (f"json('{HUGE}')", f"json(): not valid JSON: '{HUGE[:ECHOED]}\u2026'"),
        (f"createObject('a', 1)['{'x' * 5000}']", f"no property '{'x' * ECHOED}\u2026'; known: a"),
        (f"parameters('{'p' * 5000}')", f"no parameter '{'p' * ECHOED}\u2026'; known: none"),
        (f"{'f' * 5000}()", f"function '{'f' * ECHOED}\u2026' is not supported; supported: "),
        (f"createObject('{'k' * 5000}', 1).missing", f"no property 'missing'; known: {'k' * ECHOED}\u2026"),
        (f"createObject('a', 1)[{HUGE}]", "the integer 9999"),
        (f"substring('abc', {HUGE})", "the integer 9999"),
    ],
)
def test_long_input_in_an_evaluation_error_is_repeated_up_to_the_cap(expression: str, start: str) -> None:
    message = _error(expression)
    assert message.startswith(start)
    assert len(message) < 4 * ECHOED + 1000  # the list of supported functions, once


def test_a_long_list_of_known_names_is_cut() -> None:
    keys = ", ".join(f"'k{i}', {i}" for i in range(500))
    message = _error(f"createObject({keys}).missing")
    assert message.startswith("no property 'missing'; known: k0, k1, k10, k100, ")
    assert message.endswith(", and 450 more")


@pytest.mark.parametrize("literal", ["9223372036854775808", "-9223372036854775809", HUGE, "-" + HUGE])
def test_an_integer_literal_beyond_64_bits_is_refused_when_parsed(literal: str) -> None:
    message = _error(f"substring('abc', {literal})")
    assert message.startswith(
        f"the integer {echoed(literal)} is outside ARM's 64-bit integers "
        "(-9223372036854775808 to 9223372036854775807) in [substring('abc', "
    )
    assert len(message) < 4 * ECHOED


@pytest.mark.parametrize(
    ("literal", "value"),
    [("9223372036854775807", 2**63 - 1), ("-9223372036854775808", -(2**63)), ("0" * 40 + "7", 7)],
)
def test_an_integer_literal_within_64_bits_is_read(literal: str, value: int) -> None:
    ctx = Context({}, lambda name: None, SUBSCRIPTION)
    assert evaluate_string(f"[add({literal}, 0)]", ctx) == value


def test_normal_evaluation_errors_are_unchanged() -> None:
    assert _error("json('{')") == "json(): not valid JSON: '{'"
    assert _error("createObject('a', 1).b") == "no property 'b'; known: a"
    assert _error("parameters('p')") == "no parameter 'p'; known: none"
    assert _error("madeUp()").startswith("function 'madeUp' is not supported; supported: ")


def test_a_huge_integer_in_a_variable_is_named_as_such(tmp_path: Path) -> None:
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        "variables": {"v": f"[substring('abc', {HUGE})]"},
        "resources": [
            {"type": "Microsoft.ManagedServices/registrationDefinitions", "name": "[variables('v')]"}
        ],
    }
    with pytest.raises(ConfigError) as caught:
        evaluate_template(
            parse_json(json.dumps(template, indent=2), str(tmp_path / "t.json")), None, (), SUBSCRIPTION
        )
    message = str(caught.value)
    assert "is outside ARM's 64-bit integers" in message
    assert "cannot take these arguments" not in message
    assert len(message) < 6 * ECHOED
