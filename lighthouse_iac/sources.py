"""YAML files read with their line numbers, so that every error can say where it is."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import yaml

from .errors import ConfigError, LinkedFile, Problem, format_path
from .limits import MAX_YAML_INT_CHARS, MAX_YAML_NODES, SymbolicLink, linked_folders, read_limited

_Base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
# Scalars built by PyYAML's own constructor functions (plain ones: no generator, no recursion).
_PLAIN_SCALARS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float"))
_FAST_DEPTH = 64
"""Nesting the direct builder takes; deeper documents (no real configuration) go through PyYAML's own
constructor, whose recursion limit decides as it always did."""


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working directory where it lies below it."""
    # String operations only: resolving symlinks cost a syscall per path component, per stack of a fleet.
    text = os.fspath(path)
    if not os.path.isabs(text) and ".." not in text.split(os.sep):
        # Below the working directory: what relpath(abspath()) gives, without its two getcwd() per path.
        relative = os.path.normpath(text)
    else:
        relative = os.path.relpath(os.path.abspath(text))
    return os.path.abspath(text) if relative.startswith("..") else relative


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file, and its text: the node tree, for the line of a key path, is composed again
    only when a line is asked for (a fleet's trees would take more memory than everything else)."""

    file: str
    data: Any
    text: str = field(repr=False)

    @cached_property
    def root(self) -> yaml.Node | None:
        """The node tree as the parse left it (merge keys flattened into their mappings)."""
        loader = _Loader(self.text)
        try:
            root: yaml.Node | None = loader.get_single_node()
            # Only merge keys (`<<`, or a `!!merge` tag) change the tree when it is constructed.
            if root is not None and ("<<" in self.text or "merge" in self.text):
                loader.construct_document(root)
            return root
        finally:
            loader.dispose()

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


class _DuplicateKey(Exception):
    def __init__(self, node: yaml.Node, name: str, first: yaml.Node) -> None:
        self.node, self.name, self.first = node, name, first


class _BadScalar(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        self.node, self.message = node, message


class _Loader(_Base):  # type: ignore[misc]
    """The C parser with a constructor that refuses duplicate keys, which PyYAML silently overwrites."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # Only the keys written in this mapping count: merge keys (`<<: *base`) may be overridden, and the
        # base constructor flattens merged keys into node.value in place.
        written = [
            k.value if isinstance(k, yaml.ScalarNode) else id(k)  # complex keys: the constructor refuses them
            for k, _ in node.value
            if k.tag != "tag:yaml.org,2002:merge"
        ]
        if len(set(written)) != len(written):  # only then look for the culprit: this is the hot path
            seen: dict[Any, yaml.Node] = {}
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value in seen:
                    raise _DuplicateKey(key, str(key.value), seen[key.value])
                seen[key.value] = key
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        return mapping

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        # Python's int() raises ValueError past 4,300 digits, and on `!!int forty`: untrusted input must
        # get a located error, not a traceback.
        size = len(node.value)
        if size > MAX_YAML_INT_CHARS:
            message = f"an integer of {size:,} characters; at most {MAX_YAML_INT_CHARS:,} are allowed"
            raise _BadScalar(node, message)
        try:
            value: int = super().construct_yaml_int(node)
        except ValueError:
            raise _BadScalar(node, "not an integer; write digits, or quote the value for a string") from None
        return value

    # Read-only: a class attribute is shared by every loader.
    yaml_constructors: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {**_Base.yaml_constructors, _INT: construct_yaml_int}
    )


class _Slow(Exception):
    """The document needs PyYAML's own constructor (see _build)."""


def _build(node: yaml.Node, loader: _Loader, depth: int) -> Any:
    """The data of a plain document, straight from its nodes: what the constructor would build, without its
    per-node machinery. Aliases, merge keys, other tags, duplicate keys and deep nesting raise _Slow, and
    the constructor then builds the whole document (and gives its errors) exactly as before."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag in _PLAIN_SCALARS:
            return loader.yaml_constructors[tag](loader, node)
        raise _Slow
    if depth > _FAST_DEPTH:
        raise _Slow
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_build(item, loader, depth + 1) for item in node.value]
    if kind is yaml.MappingNode and node.tag == _MAP:
        written = []
        for key, _ in node.value:
            if type(key) is not yaml.ScalarNode or key.tag == _MERGE:
                raise _Slow
            written.append(key.value)
        if len(set(written)) != len(written):
            raise _Slow  # the constructor names the first duplicate, in its own order
        return {_build(k, loader, depth + 1): _build(v, loader, depth + 1) for k, v in node.value}
    raise _Slow


def parse_yaml(text: str, file: str) -> YamlDocument:
    """Parse one YAML document; syntax errors and duplicate keys raise ConfigError."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is not None and "*" in text:  # no alias without its indicator: the common case is free
            _check_expansion(root, file)
            data = loader.construct_document(root)
        elif root is not None:
            try:
                data = _build(root, loader, 0)
            except _Slow:
                data = loader.construct_document(root)
        else:
            data = None
    except _DuplicateKey as dup:
        line, first = dup.node.start_mark.line + 1, dup.first.start_mark.line + 1
        path = format_path(_path_to(root, dup.node))
        raise ConfigError(
            [
                Problem(
                    file,
                    line,
                    path,
                    f"duplicate key '{dup.name}' (first at line {first}); YAML keeps only one",
                )
            ]
        ) from None
    except _BadScalar as bad:
        line, path = bad.node.start_mark.line + 1, format_path(_path_to(root, bad.node))
        raise ConfigError([Problem(file, line, path, bad.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "invalid YAML"
        raise ConfigError([Problem(file, line, "", f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([Problem(file, None, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise ConfigError([Problem(file, None, "", "YAML nests too deeply to read")]) from None
    finally:
        loader.dispose()
    return YamlDocument(file, data, text)


def _expanded_sizes(root: yaml.Node) -> dict[int, int]:
    """Nodes under each node once aliases are expanded, by node id; shared nodes are counted once each
    time they are used, without expanding anything (iterative: nesting depth costs no recursion)."""
    sizes: dict[int, int] = {}
    # Nodes whose children are being counted: met again below themselves, they contain themselves
    # (`x: &a [*a]`), and would expand forever.
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 0) for c in children)
            open_nodes.discard(id(node))
            continue
        if id(node) in open_nodes:
            raise _Cycle(node)
        open_nodes.add(id(node))
        stack.append((node, True))
        stack += [(c, False) for c in children if id(c) not in sizes]
    return sizes


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


class _Cycle(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _check_expansion(root: yaml.Node, file: str) -> None:
    """Refuse a document whose aliases expand past MAX_YAML_NODES, or into themselves, where it happens."""
    try:
        sizes = _expanded_sizes(root)
    except _Cycle as cycle:
        line = cycle.node.start_mark.line + 1
        message = "a YAML alias here refers to the value that contains it, which never ends; write it out"
        raise ConfigError([Problem(file, line, "", message)]) from None
    if sizes[id(root)] <= MAX_YAML_NODES:
        return
    node = root
    while True:  # down to the smallest node still over the limit: where the expansion is written
        bigger = next((c for c in _children(node) if sizes[id(c)] > MAX_YAML_NODES), None)
        if bigger is None:
            break
        node = bigger
    raise ConfigError(
        [
            Problem(
                file,
                node.start_mark.line + 1,
                "",
                f"YAML aliases here expand to more than {MAX_YAML_NODES:,} nodes; write the values out "
                "instead of repeating anchors",
            )
        ]
    )


def _path_to(node: yaml.Node | None, target: yaml.Node) -> tuple[str | int, ...]:
    """The key path from `node` down to the key or value node `target` (only for error messages)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key is target or value is target:
                return (str(key.value),)
            found = _path_to(value, target)
            if found:
                return (str(key.value), *found)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            if item is target:
                return (i,)
            found = _path_to(item, target)
            if found:
                return (i, *found)
    return ()


def read_yaml(path: Path, within: Path | None = None) -> YamlDocument:
    """The file at `path`; `within`: the project folder, when the project names the file."""
    if within is not None:
        refuse_linked_folders(path, within)
    file = display_path(path)
    try:
        text = read_limited(path).decode("utf-8")
    except SymbolicLink as exc:
        raise LinkedFile([Problem(file, None, "", f"cannot read file: {exc}")]) from None
    except FileNotFoundError:
        raise ConfigError([Problem(file, None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(file, None, "", f"cannot read file: {exc}")]) from None
    return parse_yaml(text, file)


def refuse_linked_folders(path: Path, within: Path) -> None:
    """A LinkedFile error if a folder between the project folder `within` and `path` is a link."""
    try:
        linked_folders(path, within)
    except SymbolicLink as exc:
        raise LinkedFile([Problem(display_path(path), None, "", f"cannot read file: {exc}")]) from None
