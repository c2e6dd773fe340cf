"""What an expression error repeats of the expression: all of a normal one, the start of a long one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lighthouse_iac.arm.context import ECHOED
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
