"""The template functions' edges: ARM's integers are 64-bit, and no JSON number is infinite."""

from __future__ import annotations

from typing import Any

import pytest

from lighthouse_iac.arm.expressions import Context, ExpressionError, evaluate_string

SUB = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
INT64_RANGE = "(-9223372036854775808 to 9223372036854775807)"


def _context(**parameters: Any) -> Context:
    return Context(parameters, lambda name: None, SUB)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("[int('9223372036854775807')]", 2**63 - 1),
        ("[int('-9223372036854775808')]", -(2**63)),
        ("[int(parameters('n'))]", 12),
        ("[json('[1.5, -2e300]')]", [1.5, -2e300]),
    ],
)
def test_values_within_arm_s_range_are_kept(expression: str, expected: Any) -> None:
    assert evaluate_string(expression, _context(n="12")) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("[int('9223372036854775808')]", f"int(): the value is outside ARM's 64-bit integers {INT64_RANGE}"),
        ("[int('-9223372036854775809')]", f"int(): the value is outside ARM's 64-bit integers {INT64_RANGE}"),
        ("[int(json('1e300'))]", f"int(): the value is outside ARM's 64-bit integers {INT64_RANGE}"),
        ("[json('1e999')]", "json(): 1e999 is beyond the largest number a template can hold"),
        ("[json('[1, -1E999]')]", "json(): -1E999 is beyond the largest number a template can hold"),
    ],
)
def test_integers_beyond_64_bits_and_infinite_numbers_are_refused(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate_string(expression, _context())
    assert str(caught.value).startswith(message)


def test_an_overflowing_number_is_not_echoed_whole() -> None:
    digits = "1" + "0" * 400 + ".5"
    with pytest.raises(ExpressionError) as caught:
        evaluate_string(f"[json('{digits}')]", _context())
    assert str(caught.value) == (
        f"json(): the number of {len(digits)} characters is beyond the largest number a template can hold"
    )
