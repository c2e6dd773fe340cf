"""Adding the managing tenant to `Pulumi.yaml`, keeping every other byte the user wrote.

The new text is built from the YAML node positions of the file as read (so a quoted `"config"` key or
CRLF line endings are kept as they are), checked, and only then written, atomically.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pydantic
import yaml

from ..errors import ConfigError
from ..keys import short_key
from ..limits import read_limited
from ..models import ManagingTenant
from ..sources import display_path, parse_yaml
from .context import UsageError
from .files import replace_files

_NULLS = ("", "~", "null", "Null", "NULL")


def _by_hand(path: Path, why: str) -> UsageError:
    return UsageError(f"{display_path(path)}: {why}; add managingTenant by hand")


def _config_node(root: yaml.MappingNode) -> tuple[yaml.ScalarNode, yaml.Node] | None:
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "config":  # plain or quoted alike
            return key, value
    return None


def refuse_link(path: Path) -> None:
    """A UsageError if `Pulumi.yaml` is a link: it is neither read nor written through."""
    if path.is_symlink():
        raise _by_hand(path, "is a symlink, which is not written through")


def with_managing_tenant(path: Path, block: str) -> bytes:
    """The bytes of `path` with `block` (YAML of `managingTenant: ...`) added to its `config:`."""
    refuse_link(path)
    try:
        raw = read_limited(path)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{display_path(path)}: cannot read it: {exc}") from None
    newline = "\r\n" if "\r\n" in text else "\n"
    root = parse_yaml(text, display_path(path)).root
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise _by_hand(path, "is written in JSON or flow style, which import does not edit")
    lines = text.splitlines(keepends=True)
    found = _config_node(root)
    if found is None:
        end = "" if not text or text.endswith(("\n", "\r")) else newline
        new = text + end + "config:" + newline + _indented(block, 2, newline)
    else:
        key, value = found
        if (
            isinstance(value, yaml.ScalarNode)
            and value.value in _NULLS
            and value.start_mark.line == key.start_mark.line
        ):
            if value.value:  # `config: null`: the children cannot follow a value on the key's line
                raise _by_hand(path, f"'config:' is set to {value.value}")
            column = 2
        elif isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
            column = value.value[0][0].start_mark.column  # the indentation the file uses
        else:
            raise _by_hand(path, "'config:' is not a block mapping")
        at = key.start_mark.line + 1
        new = "".join(lines[:at]) + _indented(block, column, newline) + "".join(lines[at:])
    _check(path, new)
    return new.encode("utf-8")


def _indented(block: str, spaces: int, newline: str) -> str:
    return "".join(" " * spaces + line + newline for line in block.splitlines())


def _check(path: Path, text: str) -> None:
    """The edited file still parses, and declares exactly one valid managing tenant."""
    try:
        data = parse_yaml(text, display_path(path)).data
        config = data.get("config") if isinstance(data, dict) else None
        name = data.get("name") if isinstance(data, dict) else None
        name = name if isinstance(name, str) else None
        entries = [v for k, v in (config or {}).items() if short_key(str(k), name) == "managingTenant"]
        if len(entries) != 1 or not isinstance(entries[0], dict):
            raise _by_hand(path, "could not add managingTenant safely")
        ManagingTenant.model_validate(entries[0].get("value"))
    except (ConfigError, pydantic.ValidationError):
        raise _by_hand(path, "could not add managingTenant safely") from None


def write_project_file(path: Path, data: bytes) -> None:
    """Replace Pulumi.yaml whole, with its mode; never through a symlink."""
    mode = stat.S_IMODE(os.lstat(path).st_mode)
    replace_files(path.parent, {path.name: data}, modes={path.name: mode})
