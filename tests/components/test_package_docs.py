"""The example programs in docs/components.md use only the names the committed schema has."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from ..engine import ROOT

DOC = (ROOT / "docs" / "components.md").read_text()
SCHEMA = json.loads((ROOT / "components" / "schema.json").read_text())
TOKEN = "lighthouse:index:CustomerDelegation"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.DOTALL)


def type_of(ref: str) -> dict[str, Any]:
    return dict(SCHEMA["types"][ref.removeprefix("#/types/")])


def check(value: Any, spec: dict[str, Any], path: str) -> list[str]:
    """Every key of `value` is a property of `spec` and every required one is there; nested types too."""
    if "$ref" in spec:
        spec = type_of(spec["$ref"])
    if spec.get("type") == "array":
        return [p for i, item in enumerate(value) for p in check(item, spec["items"], f"{path}[{i}]")]
    if "additionalProperties" in spec:
        return [
            p for k, item in value.items() for p in check(item, spec["additionalProperties"], f"{path}.{k}")
        ]
    if "properties" not in spec:
        return []
    properties = spec["properties"]
    problems = [f"{path}.{k}: not in the schema" for k in value if k not in properties]
    problems += [f"{path}.{k}: required" for k in spec.get("required", []) if k not in value]
    return problems + [
        p for k, item in value.items() if k in properties for p in check(item, properties[k], f"{path}.{k}")
    ]


def test_the_yaml_program_matches_the_schema() -> None:
    (program,) = [yaml.safe_load(b) for b in blocks("yaml") if "lighthouse:" in b]
    (resource,) = program["resources"].values()
    assert resource["type"] == TOKEN
    spec = SCHEMA["resources"][TOKEN]
    inputs = {"properties": spec["inputProperties"], "required": spec["requiredInputs"]}
    assert check(resource["properties"], inputs, "properties") == []
    outputs = re.findall(r"\$\{contoso\.(\w+)\}", json.dumps(program["outputs"]))
    assert outputs and set(outputs) <= set(spec["properties"])


def test_the_typescript_program_uses_schema_names() -> None:
    (program,) = blocks("typescript")
    assert "new lighthouse.CustomerDelegation(" in program
    names = {n for t in SCHEMA["types"].values() for n in t["properties"]}
    names |= set(SCHEMA["resources"][TOKEN]["inputProperties"])
    keys = set(re.findall(r"^\s*\{?\s*(\w+):", program, re.MULTILINE)) | set(
        re.findall(r"[{,]\s*(\w+):", program)
    )
    assert keys and keys <= names, keys - names
    assert set(re.findall(r"contoso\.(\w+)", program)) <= set(SCHEMA["resources"][TOKEN]["properties"])
