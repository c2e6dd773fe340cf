"""Loading a customer stack's configuration: the project file, the stack file, and all their checks.

Configuration lives where Pulumi keeps it: the managing tenant in the project file (`Pulumi.yaml`,
project-level `config:`, inherited by every stack) and each customer in `stacks/Pulumi.<stack>.yaml`.
The CLI reads those files; the Pulumi program receives the same values from the engine. Both go through
`build`, so a stack is valid for one exactly when it is valid for the other.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from pydantic_core import ErrorDetails

from . import csp, ids, limits
from .errors import ConfigError, Problem, format_path
from .keys import NAMESPACE, engine_value, short_key
from .models import LighthouseConfig, ManagingTenant, Model, Offer
from .roles import CatalogueError, RoleCatalogue, load_catalogue
from .sources import YamlDocument, display_path, read_yaml

PROJECT_FILE = "Pulumi.yaml"
PROJECT_KEYS = ("managingTenant", "roleCatalogues")

Loc = tuple[str | int, ...]


class ProjectKeyError(ConfigError):
    """A stack file that sets a project-level key."""


@dataclass(frozen=True)
class Entry:
    """One top-level config value and where it was written (for line numbers)."""

    value: Any
    file: str | None
    doc: YamlDocument | None = None
    prefix: Loc = ()

    def line_of(self, rest: Sequence[str | int]) -> int | None:
        return self.doc.line_of((*self.prefix, *rest)) if self.doc else None


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
        if not path.is_file():
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


@dataclass(frozen=True)
class StackConfig:
    """A validated customer stack: its configuration, the role catalogue, and where each key was written."""

    stack: str
    project_dir: Path
    config: LighthouseConfig
    catalogue: RoleCatalogue
    entries: Mapping[str, Entry] = field(repr=False)

    def locate(self, loc: Sequence[str | int]) -> tuple[str | None, int | None]:
        """File and line of a key path such as `('offers', 1, 'authorizations', 0, 'role')`."""
        if not loc or not isinstance(loc[0], str) or loc[0] not in self.entries:
            return None, None
        entry = self.entries[loc[0]]
        return entry.file, entry.line_of(loc[1:])

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        file, line = self.locate(loc)
        return Problem(file, line, format_path(loc), message)


def catalogue_of(project_dir: Path, listed: Sequence[str]) -> RoleCatalogue:
    """The built-in roles plus the listed exports, each role's source named as `roleCatalogues` lists it."""
    named = {project_dir / p: p for p in listed}
    return load_catalogue(list(named), lambda path: named.get(path, str(path)))


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
    return Project(project_dir, name, project_dir / str(config_dir), entries)


def _misspelt_namespaces(doc: YamlDocument, keys: Sequence[str], project: str) -> None:
    """Refuse `lighthose-iac:offers`: a key of a namespace this close to ours is a typo, not a provider's
    key, and skipping it would only report its correctly spelt twin as missing."""
    ours = list(dict.fromkeys((NAMESPACE, project)))
    problems = []
    for key in keys:
        namespace, sep, rest = key.partition(":")
        if not sep or namespace in ours:
            continue
        close = difflib.get_close_matches(namespace, ours, n=1, cutoff=0.8)
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
    if problems:
        raise ProjectKeyError(problems)


def list_stacks(project: Project) -> list[str]:
    return sorted(
        p.name[len("Pulumi.") : -len(".yaml")]
        for p in project.stack_config_dir.glob("Pulumi.*.yaml")
        if p.is_file()
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
        if path.is_file():
            doc = read_yaml(path)
            located = stack_entries(project, doc)
    except ConfigError as exc:
        # The engine's values are the truth and files only help to point at lines; but the engine merges
        # a stack's own managingTenant over the project's, which only the stack file shows.
        if isinstance(exc, ProjectKeyError):
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


def build(
    stack: str,
    entries: Mapping[str, Entry],
    project_dir: Path,
    *,
    catalogue: RoleCatalogue | None = None,
    stack_doc: YamlDocument | None = None,
    project: Project | None = None,
) -> StackConfig:
    """Validate shapes, then references; raise ConfigError listing every problem found.

    `stack_doc` is where a missing top-level key is reported: the stack file, when there is one.
    """
    values = {k: project.value(k, e) if project else e.value for k, e in entries.items()}
    too_many = limits.count_problems(values.get("offers"))
    if too_many:  # before validation walks a million scopes
        offers = entries["offers"]
        raise ConfigError(
            [Problem(offers.file, offers.line_of(loc[1:]), format_path(loc), m) for loc, m in too_many]
        )
    try:
        config = LighthouseConfig.model_validate(values)
    except pydantic.ValidationError as exc:
        raise ConfigError(_shape_problems(exc.errors(), entries, stack_doc)) from None
    if catalogue is None:
        try:
            catalogue = (
                project.catalogue(config.role_catalogues)
                if project
                else catalogue_of(project_dir, config.role_catalogues)
            )
        except CatalogueError as exc:
            entry = entries["roleCatalogues"]
            raise ConfigError([Problem(entry.file, entry.line_of(()), "roleCatalogues", str(exc))]) from None
    result = StackConfig(stack, project_dir, config, catalogue, entries)
    problems = list(_reference_problems(result))
    if problems:
        raise ConfigError(problems)
    return result


# --- messages for shape errors ------------------------------------------------------------------


def _shape_problems(
    errors: list[ErrorDetails], entries: Mapping[str, Entry], stack_doc: YamlDocument | None
) -> list[Problem]:
    # A misspelt key also shows up as its correct twin missing; report the misspelling alone.
    unknown = {(tuple(e["loc"][:-1]), str(e["loc"][-1])) for e in errors if e["type"] == "extra_forbidden"}
    problems = []
    for error in errors:
        loc = tuple(p for p in error["loc"] if p != "[key]")  # a mapping's key: point at the key itself
        if error["type"] == "missing" and any(
            parent == loc[:-1] and difflib.get_close_matches(str(loc[-1]), [key], cutoff=0.6)
            for parent, key in unknown
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
        close = difflib.get_close_matches(f"{NAMESPACE}:{key}", allowed, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown key '{NAMESPACE}:{key}'{hint}; allowed keys: {', '.join(allowed)}"
    if error["type"] == "missing":
        where = f" (declared once for all customers in {PROJECT_FILE})" if key in PROJECT_KEYS else ""
        return f"missing required key '{NAMESPACE}:{key}'{where}"
    return _message(error)


_PATTERNS = {
    "key": "lowercase letters, digits and hyphens, starting with a letter or digit, at most 63 characters",
    "name": "a resource group name: letters, digits, '-', '_', '.', '(' and ')', at most 90 characters",
}


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
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
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


# --- reference checks: names that must resolve ---------------------------------------------------


def _suggest(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _reference_problems(stack: StackConfig) -> Iterator[Problem]:
    config, catalogue = stack.config, stack.catalogue
    principals = config.managing_tenant.principals
    names = sorted(principals)

    def principal(loc: Loc, name: str) -> Iterator[Problem]:
        if name not in principals:
            listed = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
            yield stack.problem(
                loc,
                f"unknown principal '{name}'{_suggest(name, names)}; "
                f"principals in managingTenant.principals: {listed}",
            )

    def role(loc: Loc, ref: str) -> Iterator[Problem]:
        if catalogue.resolve(ref) is None and not ids.is_guid(ref):
            suggestions = catalogue.suggest(ref)
            hint = f" (did you mean '{suggestions[0]}'?)" if suggestions else ""
            yield stack.problem(
                loc,
                f"unknown role '{ref}'{hint}; expected a built-in role name or GUID from the role catalogue",
            )

    if config.customer.tenant_id == config.managing_tenant.tenant_id:
        yield stack.problem(
            ("customer", "tenantId"),
            f"the customer's tenant {config.customer.tenant_id} is the managing tenant; "
            "a tenant cannot delegate to itself",
        )
    if config.onboarding is not None:
        for i, ref in enumerate(config.onboarding.roles):
            yield from role(("onboarding", "roles", i), ref)
    yield from csp.config_problems(stack)

    first_key: dict[str, int] = {}
    for o, offer in enumerate(config.offers):
        base: Loc = ("offers", o)
        if offer.key in first_key:
            yield stack.problem(
                (*base, "key"),
                f"duplicate offer key '{offer.key}' "
                f"(also offers[{first_key[offer.key]}]); keys must be unique",
            )
        else:
            first_key[offer.key] = o
        for a, auth in enumerate(offer.authorizations):
            loc: Loc = (*base, "authorizations", a)
            yield from principal((*loc, "principal"), auth.principal)
            yield from role((*loc, "role"), auth.role)
            for d, ref in enumerate(auth.delegated_roles or ()):
                yield from role((*loc, "delegatedRoles", d), ref)
        for e, elig in enumerate(offer.eligible_authorizations):
            loc = (*base, "eligibleAuthorizations", e)
            yield from principal((*loc, "principal"), elig.principal)
            yield from role((*loc, "role"), elig.role)
            for p, approver in enumerate(elig.approvers):
                yield from principal((*loc, "approvers", p), approver)
        yield from _scope_problems(stack, base, offer)


def _scope_problems(stack: StackConfig, base: Loc, offer: Offer) -> Iterator[Problem]:
    seen_subs: dict[str, int] = {}
    scopes: set[str] = set()
    for s, entry in enumerate(offer.scopes):
        loc: Loc = (*base, "scopes", s)
        if entry.subscription in seen_subs:
            yield stack.problem(
                (*loc, "subscription"),
                f"subscription {entry.subscription} is already listed at "
                f"scopes[{seen_subs[entry.subscription]}]; the same scope twice in one offer "
                "is refused by Azure, list its resource groups in one entry",
            )
            continue
        seen_subs[entry.subscription] = s
        if entry.resource_groups is None:
            scopes.add(ids.subscription_scope(entry.subscription).lower())
            continue
        seen_rgs: dict[str, int] = {}
        for r, group in enumerate(entry.resource_groups):
            folded = group.name.lower()
            if folded in seen_rgs:
                yield stack.problem(
                    (*loc, "resourceGroups", r),
                    f"resource group '{group.name}' is already listed at "
                    f"resourceGroups[{seen_rgs[folded]}]; the same scope twice in one offer "
                    "is refused by Azure (names are case-insensitive)",
                )
            else:
                seen_rgs[folded] = r
                scopes.add(ids.resource_group_scope(entry.subscription, group.name).lower())
    if offer.adopt is not None:
        for scope in offer.adopt.assignment_ids:
            if scope.lower() not in scopes:
                yield stack.problem(
                    (*base, "adopt", "assignmentIds", scope),
                    f"'{scope}' is not a scope of this offer; expected one of: {', '.join(sorted(scopes))}",
                )
