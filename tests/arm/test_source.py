"""JSON files as read: a number too large for a template is refused on its line, never read as infinity."""

from __future__ import annotations

import pytest

from lighthouse_iac.arm.source import parse_json
from lighthouse_iac.errors import ConfigError

TEMPLATE = '{\n  "parameters": {\n    "count": {"type": "int", "defaultValue": %s}\n  }\n}\n'


@pytest.mark.parametrize("literal", ["1e999", "-1E400", "1" + "0" * 400 + ".0"])
def test_a_number_beyond_a_double_is_refused_on_its_line(literal: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_json(TEMPLATE % literal, "t.json")
    shown = literal if len(literal) <= 40 else f"the number of {len(literal)} characters"
    assert str(caught.value) == f"t.json:3: {shown} is beyond the largest number a template can hold"


def test_large_finite_numbers_are_kept() -> None:
    assert parse_json(TEMPLATE % "1.5e308", "t.json").data["parameters"]["count"]["defaultValue"] == 1.5e308
