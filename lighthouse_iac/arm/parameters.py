"""A template's parameter values: from the parameters file, `--parameter NAME=VALUE`, or the template's
defaults, each with where it was written, and checked against the declared type and allowed values."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ..errors import ConfigError, Problem
from ..suggest import did_you_mean
from .expressions import find_key, is_expression
from .source import JsonDocument, Loc

_TYPES: Mapping[str, tuple[type, ...]] = MappingProxyType(
    {
        "string": (str,),
        "securestring": (str,),
        "int": (int,),
        "bool": (bool,),
        "array": (list,),
        "object": (dict,),
        "secureobject": (dict,),
    }
)


@dataclass(frozen=True)
class ParameterSource:
    """Where a parameter's value came from, for messages and the placeholder scan."""

    file: str
    doc: JsonDocument | None
    loc: Loc


def _parse_override(text: str, declared: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise ConfigError([Problem("--parameter", None, "", f"'{text}' is not NAME=VALUE")])
    if declared in ("string", "securestring"):
        return name, raw
    try:
        return name, json.loads(raw)
    except ValueError:
        raise ConfigError(
            [
                Problem(
                    "--parameter",
                    None,
                    name,
                    f"'{raw}' is not JSON, which a parameter of type {declared} needs",
                )
            ]
        ) from None


def resolve_parameters(
    template: JsonDocument, parameters: JsonDocument | None, overrides: Sequence[str] | None
) -> tuple[dict[str, Any], dict[str, ParameterSource]]:
    declared: dict[str, Any] = template.data.get("parameters", {})
    values: dict[str, Any] = {}
    sources: dict[str, ParameterSource] = {}
    problems: list[Problem] = []
    if parameters is not None:
        for written, entry in parameters.data["parameters"].items():
            loc: Loc = ("parameters", written)
            name = find_key(declared, written) or written  # ARM compares names case-insensitively
            if name not in declared:
                hint = did_you_mean(name, declared)
                problems.append(
                    parameters.problem(
                        loc,
                        f"the template declares no parameter '{name}'{hint}; "
                        f"its parameters: {', '.join(declared) or 'none'}",
                    )
                )
            elif "value" in entry:
                values[name] = entry["value"]
                sources[name] = ParameterSource(parameters.file, parameters, (*loc, "value"))
            elif "reference" in entry:
                problems.append(
                    parameters.problem(
                        (*loc, "reference"),
                        "a Key Vault reference cannot be read offline; "
                        f"give the value with --parameter {name}=VALUE",
                    )
                )
            else:
                problems.append(
                    parameters.problem(loc, 'expected {"value": ...}, found an object without "value"')
                )
    for text in overrides or ():
        name = text.partition("=")[0]
        name = find_key(declared, name) or name
        kind = declared_type(template.data, declared.get(name, {"type": "string"})) or "object"
        value = _parse_override(text, kind)[1]
        if name not in declared:
            problems.append(
                Problem(
                    "--parameter",
                    None,
                    name,
                    f"the template declares no such parameter; its parameters: "
                    f"{', '.join(declared) or 'none'}",
                )
            )
            continue
        values[name] = value
        sources[name] = ParameterSource(f"--parameter {name}", None, ())
    for name, spec in declared.items():
        loc = ("parameters", name)
        if declared_type(template.data, spec) is None:
            problems.append(
                template.problem(
                    (*loc, "$ref"),
                    f"the type {spec.get('$ref')!r} is not among the template's definitions; a Bicep "
                    "user-defined type compiles to one (#/definitions/<name>)",
                )
            )
        if name not in values:
            if "defaultValue" in spec:
                values[name] = spec["defaultValue"]
                sources[name] = ParameterSource(template.file, template, (*loc, "defaultValue"))
            elif spec.get("nullable") is True:  # Bicep's `type?`: null when not given
                values[name] = None
                sources[name] = ParameterSource(template.file, template, loc)
            else:
                where = f" in {parameters.file}" if parameters is not None else " (no parameters file given)"
                problems.append(
                    template.problem(
                        loc,
                        f"parameter '{name}' has no value{where} and no defaultValue; "
                        "give it in the parameters file"
                        + (f" or with --parameter {name}=VALUE" if overrides is not None else ""),
                    )
                )
    if problems:
        raise ConfigError(problems)
    return values, sources


def declared_type(template: Mapping[str, Any], spec: Mapping[str, Any]) -> str | None:
    """A parameter's type, lowercase, following Bicep's `$ref` into the template's `definitions`; None
    where a `$ref` leads nowhere."""
    definitions = template.get("definitions")
    for _ in range(16):  # a chain of references this long is a loop
        if "type" in spec:
            return str(spec["type"]).lower()
        ref = spec.get("$ref")
        name = ref.removeprefix("#/definitions/") if isinstance(ref, str) else None
        target = definitions.get(name) if isinstance(definitions, dict) and name else None
        if not isinstance(target, dict):
            return None
        spec = target
    return None


def type_problem(name: str, spec: Mapping[str, Any], kind: str | None, value: Any) -> str | None:
    """Why `value` does not fit the declaration `spec` (of type `kind`) of parameter `name`, or None."""
    if value is None and spec.get("nullable") is True:
        return None
    expected = _TYPES.get(kind or "")
    if expected is None:
        return None
    ok = isinstance(value, expected) and not (kind == "int" and isinstance(value, bool))
    allowed = spec.get("allowedValues")
    if not ok:
        return f"parameter '{name}' is declared {kind}, found {json.dumps(value)[:60]}"
    if allowed is not None and value not in allowed:
        return f"{json.dumps(value)} is not allowed; allowed: {', '.join(json.dumps(a) for a in allowed)}"
    return None


def check_parameter_types(
    template: JsonDocument, values: Mapping[str, Any], sources: Mapping[str, ParameterSource]
) -> None:
    problems: list[Problem] = []
    for name, spec in template.data.get("parameters", {}).items():
        value = values[name]
        if is_expression(value):  # an expression default, checked once it is evaluated (if it is)
            continue
        source = sources[name]
        message = type_problem(name, spec, declared_type(template.data, spec), value)
        if message:
            if source.doc is not None:
                problems.append(source.doc.problem(source.loc, message))
            else:
                problems.append(Problem(source.file, None, "", message))
    if problems:
        raise ConfigError(problems)
