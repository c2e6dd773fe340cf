"""YAML files read with their line numbers, so that every error can say where it is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, Problem, format_path

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working directory where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file and its node tree, for finding the line of a key path."""

    file: str
    data: Any
    root: yaml.Node | None

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """1-based line of the deepest node along `path` (the key itself for mappings)."""
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in path:
            found: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == part:
                        line = key.start_mark.line + 1
                        found = value
                        break
            elif (
                isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value)
            ):
                found = node.value[part]
                line = found.start_mark.line + 1
            if found is None:
                return line
            node = found
        return line


def _duplicate_keys(node: yaml.Node, path: tuple[str | int, ...], file: str) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key)
            line = key.start_mark.line + 1
            if name in seen:
                problems.append(
                    Problem(
                        file,
                        line,
                        format_path((*path, name)),
                        f"duplicate key '{name}' (first at line {seen[name]}); YAML keeps only one",
                    )
                )
            else:
                seen[name] = line
            problems.extend(_duplicate_keys(value, (*path, name), file))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            problems.extend(_duplicate_keys(item, (*path, i), file))
    return problems


def parse_yaml(text: str, file: str) -> YamlDocument:
    """Parse one YAML document; syntax errors and duplicate keys raise ConfigError."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        problems = _duplicate_keys(root, (), file) if root is not None else []
        if problems:
            raise ConfigError(problems)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "invalid YAML"
        raise ConfigError([Problem(file, line, "", f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([Problem(file, None, "", f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    return YamlDocument(file, data, root)


def read_yaml(path: Path) -> YamlDocument:
    file = display_path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem(file, None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(file, None, "", f"cannot read file: {exc}")]) from None
    return parse_yaml(text, file)
