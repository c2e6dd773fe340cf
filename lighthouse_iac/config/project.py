"""The project file (`Pulumi.yaml`) and the customers' stack files it points at."""

from __future__ import annotations

import os.path
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic

from .. import provider_settings
from ..errors import ConfigError, LinkedFile, Problem
from ..keys import NAMESPACE, engine_value, short_key
from ..models import ManagingTenant
from ..roles import RoleCatalogue
from ..sources import YamlDocument, display_path, read_yaml, refuse_linked_folders
from ..suggest import close_names
from .catalogue import catalogue_of
from .located import PROJECT_FILE, PROJECT_KEYS, Entry, StackConfig
from .stack import build


class ProjectKeyError(ConfigError):
    """A stack file that sets a project-level key."""


@dataclass
class Project:
    """A parsed `Pulumi.yaml`. Load it once and ask it for each stack: a fleet shares its project-level
    configuration, validated once, and its role catalogue, read once."""

    dir: Path
    name: str
    stack_config_dir: Path
    entries: dict[str, Entry]
    _validated: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _catalogues: dict[tuple[str, ...], RoleCatalogue] = field(default_factory=dict, repr=False, compare=False)

    def stack(self, stack: str, catalogue: RoleCatalogue | None = None) -> StackConfig:
        """Read and validate `stacks/Pulumi.<stack>.yaml` with this project's configuration."""
        check_stack_name(stack)
        path = stack_file(self, stack)
        if not path.is_file() and not path.is_symlink():  # a link is named as one when it is read
            known = ", ".join(list_stacks(self)) or "none"
            raise ConfigError(
                [
                    Problem(
                        display_path(path),
                        None,
                        "",
                        f"no stack file for customer '{stack}'; stacks here: {known}",
                    )
                ]
            )
        refuse_linked_folders(path, self.dir)
        doc = read_yaml(path)
        return build(
            stack, stack_entries(self, doc), self.dir, catalogue=catalogue, stack_doc=doc, project=self
        )

    def value(self, key: str, entry: Entry) -> Any:
        """The entry's value, already validated when it is this project's own managing tenant."""
        if key != "managingTenant" or entry is not self.entries.get(key):
            return entry.value
        if key not in self._validated:
            try:
                self._validated[key] = ManagingTenant.model_validate(entry.value)
            except pydantic.ValidationError:
                self._validated[key] = entry.value  # the full validation reports it, with its path
        return self._validated[key]

    def catalogue(self, paths: Sequence[str]) -> RoleCatalogue:
        """The built-in roles plus these exports, read once per project."""
        key = tuple(paths)
        if key not in self._catalogues:
            self._catalogues[key] = catalogue_of(self.dir, key)
        return self._catalogues[key]


def find_project_dir(start: Path) -> Path | None:
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def load_project(project_dir: Path) -> Project:
    doc = read_yaml(project_dir / PROJECT_FILE)
    data = doc.data if isinstance(doc.data, dict) else {}
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError([Problem(doc.file, doc.line_of(("name",)), "name", "the project needs a name")])
    config_dir = data.get("stackConfigDir", ".")
    entries: dict[str, Entry] = {}
    config = data.get("config") or {}
    if not isinstance(config, dict):
        raise ConfigError([Problem(doc.file, doc.line_of(("config",)), "config", "expected a mapping")])
    _misspelt_namespaces(doc, [str(k) for k in config], name)
    for key, declared in config.items():
        short = short_key(str(key), name)
        if short is None:
            continue
        # Project-level values of objects must sit under `value:` (Pulumi's rule); plain scalars need not.
        if isinstance(declared, dict) and "value" in declared:
            entries[short] = Entry(declared["value"], doc.file, doc, ("config", key, "value"))
        elif isinstance(declared, dict) and "default" in declared:
            entries[short] = Entry(declared["default"], doc.file, doc, ("config", key, "default"))
        else:
            entries[short] = Entry(declared, doc.file, doc, ("config", key))
    return Project(project_dir, name, _stack_folder(doc, project_dir, str(config_dir)), entries)


def _stack_folder(doc: YamlDocument, project_dir: Path, written: str) -> Path:
    """`stackConfigDir` as a folder below the project's: Pulumi.yaml is a file a pull request can change,
    and it must not make the tools read stack files from anywhere on the machine."""
    base = os.path.normpath(os.path.abspath(project_dir))
    relative = os.path.relpath(os.path.normpath(os.path.join(base, written)), base)
    if relative == ".." or relative.startswith("../"):
        raise ConfigError(
            [
                Problem(
                    doc.file,
                    doc.line_of(("stackConfigDir",)),
                    "stackConfigDir",
                    f"{written} lies outside the project folder; the stack files must be inside it (a path "
                    "relative to Pulumi.yaml's folder)",
                )
            ]
        )
    # Written relative to the project folder, so that no folder between the two can be a link unchecked.
    return project_dir if relative == "." else project_dir / relative


def _misspelt_namespaces(doc: YamlDocument, keys: Sequence[str], project: str) -> None:
    """Refuse `lighthose-iac:offers`: a key of a namespace this close to ours is a typo, not a provider's
    key, and skipping it would only report its correctly spelt twin as missing."""
    ours = list(dict.fromkeys((NAMESPACE, project)))
    problems = []
    for key in keys:
        namespace, sep, rest = key.partition(":")
        if not sep or namespace in ours:
            continue
        close = close_names(namespace, ours, cutoff=0.8)
        if close:
            problems.append(
                Problem(
                    doc.file,
                    doc.line_of(("config", key)),
                    key,
                    f"unknown namespace '{namespace}' (did you mean '{close[0]}:{rest}'?); lighthouse-iac "
                    f"reads the keys of '{close[0]}:' and leaves other namespaces to their providers",
                )
            )
    if problems:
        raise ConfigError(problems)


def stack_file(project: Project, stack: str) -> Path:
    return project.stack_config_dir / f"Pulumi.{stack}.yaml"


def stack_entries(project: Project, doc: YamlDocument) -> dict[str, Entry]:
    data = doc.data if isinstance(doc.data, dict) else {}
    config = data.get("config")
    if not isinstance(config, dict):
        raise ConfigError(
            [
                Problem(
                    doc.file,
                    doc.line_of(("config",)),
                    "config",
                    "expected a 'config:' mapping with the customer's keys",
                )
            ]
        )
    _misspelt_namespaces(doc, [str(k) for k in config], project.name)
    _refuse_project_keys(project, doc, config)
    entries = dict(project.entries)
    for key, value in config.items():
        short = short_key(str(key), project.name)
        if short is not None:
            entries[short] = Entry(value, doc.file, doc, ("config", key))
    return entries


def _refuse_project_keys(project: Project, doc: YamlDocument, config: Mapping[Any, Any]) -> None:
    """A customer's stack file cannot redefine what every customer shares: a stack that named its own
    managing tenant or role catalogue would move that customer's access, or relax its rules, in a diff of
    one customer's file (docs/security.md)."""
    problems = [
        Problem(
            doc.file,
            doc.line_of(("config", key)),
            str(key),
            f"'{NAMESPACE}:{short}' is project-level configuration: it is set once for every customer in "
            f"{PROJECT_FILE} and a stack file cannot set or override it; remove it from this file",
        )
        for key in config
        if (short := short_key(str(key), project.name)) in PROJECT_KEYS
    ]
    problems += [
        Problem(doc.file, doc.line_of(("config", key)), str(key), provider_settings.refusal(str(key)))
        for key in config
        if provider_settings.sign_in_setting(str(key))
    ]
    if problems:
        raise ProjectKeyError(problems)


def list_stacks(project: Project) -> list[str]:
    return sorted(
        p.name[len("Pulumi.") : -len(".yaml")]
        for p in project.stack_config_dir.glob("Pulumi.*.yaml")
        if p.is_file() or p.is_symlink()  # listed, so that reading a link refuses it rather than skip it
    )


# Pulumi's stack names: letters, digits, '-', '_' and '.'. A customer name becomes a file name, a job name
# in the pipeline and a shell argument, so nothing else (no '/', no '..') gets through.
_STACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\Z")


def check_stack_name(name: str) -> None:
    """Raise ConfigError unless `name` is a valid Pulumi stack name."""
    if not _STACK_NAME.match(name) or ".." in name:
        raise ConfigError(
            [
                Problem(
                    None,
                    None,
                    "",
                    (
                        f"'{name}' is not a valid customer stack name; use letters, digits, '-', '_' and "
                        "'.', starting with a letter or digit (the name of stacks/Pulumi.<customer>.yaml)"
                    ),
                )
            ]
        )


def load_stack(project_dir: Path, stack: str, catalogue: RoleCatalogue | None = None) -> StackConfig:
    """Read and validate one customer stack; for many, use `load_project(...).stack(...)`."""
    return load_project(project_dir).stack(stack, catalogue)


def from_engine(project_dir: Path, stack: str, values: Mapping[str, str]) -> StackConfig:
    """Validate the configuration the Pulumi engine gives the program, locating keys in the files."""
    project: Project | None = None
    located: dict[str, Entry] = {}
    doc: YamlDocument | None = None
    try:
        project = load_project(project_dir)
        located = dict(project.entries)
        path = stack_file(project, stack)
        if path.is_file() or path.is_symlink():
            refuse_linked_folders(path, project_dir)
            doc = read_yaml(path)
            located = stack_entries(project, doc)
    except ConfigError as exc:
        # The engine's values are the truth and files only help to point at lines; but the engine merges
        # a stack's own managingTenant over the project's, which only the stack file shows. A link is
        # refused outright: the engine followed it, so its values may come from any file on the machine.
        if isinstance(exc, ProjectKeyError | LinkedFile):
            raise
    name = project.name if project else NAMESPACE
    entries: dict[str, Entry] = {}
    for key, raw in values.items():
        short = short_key(key, name)
        if short is None:
            continue
        value = engine_value(raw)
        where = located.get(short)
        entries[short] = Entry(value, where.file, where.doc, where.prefix) if where else Entry(value, None)
    return build(stack, entries, project_dir, stack_doc=doc)
