"""Messages for configuration of the wrong shape: pydantic's errors, said for the stack file's reader."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pydantic_core import ErrorDetails

from ..errors import Problem, format_path
from ..keys import NAMESPACE
from ..models import LighthouseConfig, Model
from ..sources import YamlDocument
from ..suggest import close_names, did_you_mean
from .located import PROJECT_FILE, PROJECT_KEYS, Entry, Loc


def shape_problems(
    errors: list[ErrorDetails], entries: Mapping[str, Entry], stack_doc: YamlDocument | None
) -> list[Problem]:
    # A misspelt key also shows up as its correct twin missing; report the misspelling alone.
    unknown = {(tuple(e["loc"][:-1]), str(e["loc"][-1])) for e in errors if e["type"] == "extra_forbidden"}
    problems = []
    for error in errors:
        loc = tuple(p for p in error["loc"] if p != "[key]")  # a mapping's key: point at the key itself
        if error["type"] == "missing" and any(
            parent == loc[:-1] and close_names(str(loc[-1]), [key]) for parent, key in unknown
        ):
            continue
        entry = entries.get(str(loc[0])) if loc else None
        if len(loc) == 1:  # a top-level key of the namespace: name it as written in the file
            file = entry.file if entry else (stack_doc.file if stack_doc else None)
            line = entry.line_of(()) if entry else (stack_doc.line_of(("config",)) if stack_doc else None)
            problems.append(Problem(file, line, f"{NAMESPACE}:{loc[0]}", _top_level_message(error)))
            continue
        file = entry.file if entry else None
        line = entry.line_of(loc[1:]) if entry else None
        problems.append(Problem(file, line, format_path(loc), _message(error)))
    return problems


def _top_level_message(error: ErrorDetails) -> str:
    key = str(error["loc"][0])
    allowed = [f"{NAMESPACE}:{k}" for k in _allowed_keys(())]
    if error["type"] == "extra_forbidden":
        hint = did_you_mean(f"{NAMESPACE}:{key}", allowed)
        return f"unknown key '{NAMESPACE}:{key}'{hint}; allowed keys: {', '.join(allowed)}"
    if error["type"] == "missing":
        where = f" (declared once for all customers in {PROJECT_FILE})" if key in PROJECT_KEYS else ""
        return f"missing required key '{NAMESPACE}:{key}'{where}"
    return _message(error)


_PATTERNS = MappingProxyType(
    {
        "key": (
            "lowercase letters, digits and hyphens, starting with a letter or digit, at most 63 characters"
        ),
        "name": "a resource group name: letters, digits, '-', '_', '.', '(' and ')', at most 90 characters",
    }
)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _model_at(loc: Loc) -> type[Model] | None:
    """The model class whose fields live at `loc`, following aliases, lists and dicts."""
    current: Any = LighthouseConfig
    for part in loc:
        if isinstance(current, type) and issubclass(current, Model):
            if not isinstance(part, str):
                return None
            fields = {f.alias or n: f for n, f in current.model_fields.items()}
            if part not in fields:
                return None
            current = fields[part].annotation
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
        else:
            return None
        current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, Model) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation


def _allowed_keys(loc: Loc) -> list[str]:
    model = _model_at(loc)
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _message(error: ErrorDetails) -> str:
    kind, loc, value = error["type"], tuple(error["loc"]), error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(loc[:-1])
        hint = did_you_mean(key, allowed)
        return f"unknown key '{key}'{hint}; allowed keys: {', '.join(allowed)}"
    if kind == "missing":
        return f"missing required key '{loc[-1]}'"
    if kind == "string_type":
        return f"expected a string, found {_describe(value)}"
    if kind == "bool_type":
        return f"expected true or false, found {_describe(value)}"
    if kind == "list_type":
        return f"expected a list, found {_describe(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping, found {_describe(value)}"
    if kind == "literal_error":
        return f"{_describe(value)} is not allowed; allowed: {ctx.get('expected', '')}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return (
            f"{_describe(value)} is not allowed; expected {_PATTERNS.get(str(loc[-1]), ctx.get('pattern'))}"
        )
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']}, found {_describe(value)}"
