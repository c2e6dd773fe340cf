"""A template's parameter values: from the parameters file, `--parameter NAME=VALUE`, or the template's
defaults, each with where it was written, and checked against the declared type and allowed values."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError, Problem
from .expressions import is_expression
from .source import JsonDocument, Loc

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "securestring": (str,),
    "int": (int,),
    "bool": (bool,),
    "array": (list,),
    "object": (dict,),
    "secureobject": (dict,),
}


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
        for name, entry in parameters.data["parameters"].items():
            loc: Loc = ("parameters", name)
            if name not in declared:
                close = difflib.get_close_matches(name, list(declared), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
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
        kind = str(declared.get(name, {}).get("type", "string")).lower()
        name, value = _parse_override(text, kind)
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
        if name not in values:
            if "defaultValue" in spec:
                values[name] = spec["defaultValue"]
                sources[name] = ParameterSource(template.file, template, (*loc, "defaultValue"))
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


def check_parameter_types(
    template: JsonDocument, values: Mapping[str, Any], sources: Mapping[str, ParameterSource]
) -> None:
    problems: list[Problem] = []
    for name, spec in template.data.get("parameters", {}).items():
        value = values[name]
        if is_expression(value):  # an expression default, evaluated later
            continue
        kind = spec["type"].lower()
        source = sources[name]
        expected = _TYPES[kind]
        ok = isinstance(value, expected) and not (kind == "int" and isinstance(value, bool))
        allowed = spec.get("allowedValues")
        message = None
        if not ok:
            message = f"parameter '{name}' is declared {spec['type']}, found {json.dumps(value)[:60]}"
        elif allowed is not None and value not in allowed:
            message = (
                f"{json.dumps(value)} is not allowed; allowed: {', '.join(json.dumps(a) for a in allowed)}"
            )
        if message:
            if source.doc is not None:
                problems.append(source.doc.problem(source.loc, message))
            else:
                problems.append(Problem(source.file, None, "", message))
    if problems:
        raise ConfigError(problems)
