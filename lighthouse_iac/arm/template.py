"""What an onboarding template would deploy: its parameters resolved, expressions evaluated, copy loops and
nested resource-group deployments expanded, as a list of Lighthouse resources in the plan's ARM shape.

Errors are ConfigErrors naming the template or parameters file and the key path. Management-group
DeployIfNotExists policies and templates without any delegation are refused with the alternative.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .. import ids
from ..errors import ConfigError, Problem, format_path
from . import shape
from .expressions import Context, ExpressionError, arm_guid, evaluate_string, is_expression
from .shape import ASSIGNMENT_TYPE, DEFINITION_TYPE, DEPLOYMENT_TYPE, POLICY_TYPES, describe
from .source import JsonDocument, Loc

__all__ = [
    "ASSIGNMENT_TYPE",
    "DEFINITION_TYPE",
    "DEPLOYMENT_TYPE",
    "POLICY_TYPES",
]  # where exports import them

SUBSCRIPTION_SCHEMA = "subscriptionDeploymentTemplate.json"

_PLACEHOLDER_TEXT = re.compile(r"^\s*<[^<>]*>\s*$")
_PARAMETER = re.compile(r"^\[parameters\('([^']+)'\)\]$", re.IGNORECASE)


@dataclass(frozen=True)
class ArmResource:
    """One registration definition or assignment the template deploys, where it was declared."""

    type: str
    name: str
    scope: str
    properties: dict[str, Any]
    plan: dict[str, Any] | None
    loc: Loc
    api_version: str = ""

    @property
    def subscription_id(self) -> str:
        return self.scope.split("/")[2]

    @property
    def resource_group(self) -> str | None:
        parts = self.scope.split("/")
        return parts[4] if len(parts) > 4 else None

    @property
    def resource_id(self) -> str:
        return f"{self.scope}/providers/{self.type}/{self.name}"

    def inputs(self) -> dict[str, Any]:
        """The same inputs the Pulumi program registers for this resource (see plan.py)."""
        if self.type == DEFINITION_TYPE:
            inputs: dict[str, Any] = {
                "scope": self.scope,
                "registrationDefinitionId": self.name,
                "properties": self.properties,
            }
            if self.plan is not None:
                inputs["plan"] = self.plan
            return inputs
        return {"scope": self.scope, "registrationAssignmentId": self.name, "properties": self.properties}


@dataclass(frozen=True)
class Deployment:
    """A template with its parameters, as it would deploy to one subscription."""

    template: JsonDocument
    parameters_file: JsonDocument | None
    subscription_id: str
    parameters: dict[str, Any]
    resources: tuple[ArmResource, ...]
    skipped: tuple[tuple[str, Loc], ...]
    """Resources that are not Lighthouse resources (type, where), left out."""
    placeholders: tuple[Problem, ...]
    sources: dict[str, ParameterSource] = field(default_factory=dict)
    """Where each parameter's value was written: the parameters file, the template, or --parameter."""

    def definitions(self) -> list[ArmResource]:
        return [r for r in self.resources if r.type == DEFINITION_TYPE]

    def assignments(self) -> list[ArmResource]:
        return [r for r in self.resources if r.type == ASSIGNMENT_TYPE]


def _fail(doc: JsonDocument, loc: Sequence[str | int], message: str) -> ConfigError:
    return ConfigError([doc.problem(loc, message)])


def _check_shape(doc: JsonDocument, expected: shape.Shape) -> None:
    """Every key lighthouse-iac reads has the type it needs, or one ConfigError names them all."""
    found = shape.mismatches(expected, doc.data)
    if found:
        raise ConfigError([doc.problem(loc, message) for loc, message in found])


def resource_items(resources: Any) -> list[tuple[str | int, Any]]:
    """A template's resources by index, or by symbolic name (languageVersion 2.0)."""
    if isinstance(resources, dict):
        return list(resources.items())
    return list(enumerate(resources or []))


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


def _has(node: Any, key: str | int) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)


def locate(
    template: JsonDocument, sources: Mapping[str, ParameterSource], at: Loc, loc: Sequence[str | int]
) -> tuple[str, int | None, Loc, Loc]:
    """Where the value at `loc` inside the resource at `at` was written: file, line, key path, and the
    rest of `loc` inside an expression's value when the value came from one other than parameters('x')."""
    node: Any = _at(template.data, at)
    path = at
    rest = list(loc)
    while True:
        match = _PARAMETER.match(node) if isinstance(node, str) else None
        source = sources.get(match.group(1)) if match else None
        if source is not None:
            inner: Loc = (*source.loc, *rest)
            return source.file, source.doc.line_of(inner) if source.doc is not None else None, inner, ()
        if not rest or not _has(node, rest[0]):
            break
        node = node[rest[0]]
        path = (*path, rest.pop(0))
    return template.file, template.line_of(path), path, tuple(rest)


# --- refusing what lighthouse-iac does not take --------------------------------------------------


def _policy_effect(resource: Mapping[str, Any]) -> tuple[str, str]:
    # The shapes were checked (shape.POLICY_PROPERTIES): each level is an object when present.
    then = resource.get("properties", {}).get("policyRule", {}).get("then", {})
    return str(then.get("effect", "")).lower(), str(then.get("details", {}).get("type", ""))


def _refuse_policies(template: JsonDocument, parameters: JsonDocument | None) -> None:
    resources = [r for _, r in resource_items(template.data.get("resources"))]
    for i, resource in resource_items(template.data.get("resources")):
        if resource.get("type") not in POLICY_TYPES:
            continue
        effect, target = _policy_effect(resource)
        if effect == "deployifnotexists" and target.lower() == DEFINITION_TYPE.lower():
            name = None
            if parameters is not None:
                value = parameters.data["parameters"].get("managedByName", {}).get("value")
                name = value if isinstance(value, str) else None
            guid = f"guid('{name}') = {arm_guid(name)}" if name else "guid(managedByName)"
            raise _fail(
                template,
                ("resources", i, "properties", "policyRule", "then", "effect"),
                "this template onboards subscriptions through a deployIfNotExists Azure Policy at "
                "management-group scope, which delegates each subscription when the policy remediates it; "
                "lighthouse-iac cannot import it because it delegates explicit subscriptions. Alternative: "
                "list the management group's subscriptions under an offer's scopes in the customer's stack; "
                "to take over the delegations the policy already made, pin adopt.definitionId and each of "
                f"adopt.assignmentIds to {guid} (the policy's template names both so)",
            )
    kinds = sorted({str(r["type"]) for r in resources})
    lighthouse = {DEFINITION_TYPE.lower(), ASSIGNMENT_TYPE.lower(), DEPLOYMENT_TYPE.lower()}
    if not any(k.lower() in lighthouse for k in kinds):
        raise _fail(
            template,
            ("resources",),
            "this template delegates nothing (no registrationDefinitions or registrationAssignments; it "
            f"deploys {', '.join(kinds) or 'no resources'}); Azure Policy definitions that audit or restrict "
            "delegations are the customer's own governance, and lighthouse-iac validate checks the same "
            "rules on your stacks before they deploy",
        )


def _check_schema(template: JsonDocument) -> None:
    schema = str(template.data.get("$schema", ""))
    if "managementGroupDeploymentTemplate" in schema or "tenantDeploymentTemplate" in schema:
        raise _fail(
            template,
            ("$schema",),
            f"a {schema.rsplit('/', 1)[-1].split('.', maxsplit=1)[0]} deploys above subscriptions; "
            "Lighthouse definitions live in subscriptions (ARCH): use a subscription-level template "
            f"({SUBSCRIPTION_SCHEMA})",
        )
    if SUBSCRIPTION_SCHEMA not in schema:
        raise _fail(
            template,
            ("$schema",),
            f"'{schema}' is not a subscription-level template; onboarding templates are deployed with "
            f"`az deployment sub create` and declare {SUBSCRIPTION_SCHEMA} (ARCH: definitions only at "
            "subscription scope)",
        )


# --- parameters ---------------------------------------------------------------------------------

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


def _resolve_parameters(
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


def _check_parameter_types(
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


# --- placeholders -------------------------------------------------------------------------------


def _placeholder_message(key: str | int | None, value: str, parent: Mapping[str, Any]) -> str:
    display = parent.get("principalIdDisplayName")
    who = f" ('{display}')" if isinstance(display, str) and display else ""
    if value.lower() == ids.NIL_GUID:
        if key == "principalId":
            return (
                f"the all-zero GUID is a placeholder for a principal's object ID{who}: "
                "replace it with the object ID of that group or service principal in the managing tenant"
            )
        if key == "managedByTenantId":
            return "the all-zero GUID is a placeholder: replace it with the managing tenant's ID"
        return "the all-zero GUID is a placeholder: replace it with the real GUID"
    return f"'{value.strip()}' is a placeholder: replace it with the real value"


def is_placeholder(value: str) -> bool:
    """Microsoft's samples leave `<insert ...>` texts and all-zero GUIDs for the user to fill in."""
    return value.lower() == ids.NIL_GUID or _PLACEHOLDER_TEXT.match(value) is not None


def scan_placeholders(
    value: Any,
    file: str,
    doc: JsonDocument | None,
    loc: Loc = (),
    *,
    key: str | int | None = None,
    parent: Mapping[str, Any] | None = None,
) -> Iterator[Problem]:
    """Every placeholder value inside `value`: `<...>` texts and all-zero GUIDs."""
    if isinstance(value, str):
        if is_placeholder(value):
            message = _placeholder_message(key, value, parent or {})
            line = doc.line_of(loc) if doc is not None else None
            yield Problem(file, line, format_path(loc), message)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from scan_placeholders(item, file, doc, (*loc, i), key=key, parent=parent)
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from scan_placeholders(item, file, doc, (*loc, k), key=k, parent=value)


# --- evaluation ---------------------------------------------------------------------------------


@dataclass
class _Scope:
    """One template's evaluation scope: its document, parameters and lazily evaluated variables."""

    doc: JsonDocument
    template: Mapping[str, Any]
    prefix: Loc
    parameters: dict[str, Any]
    subscription_id: str
    resource_group: str | None = None
    sources: Mapping[str, ParameterSource] = field(default_factory=dict)
    """Where its parameters were written, to point at the line that set a value."""
    variables: dict[str, Any] = field(default_factory=dict)
    evaluating: set[str] = field(default_factory=set)

    def context(self) -> Context:
        return Context(self.parameters, self.variable, self.subscription_id, self.resource_group)

    def variable(self, name: str) -> Any:
        declared: Mapping[str, Any] = self.template.get("variables", {})
        key = next((k for k in declared if k.lower() == name.lower()), None)
        if key is None:
            raise ExpressionError(f"no variable '{name}'; known: {', '.join(sorted(declared)) or 'none'}")
        if key in self.variables:
            return self.variables[key]
        if key in self.evaluating:
            raise ExpressionError(f"variable '{key}' refers to itself")
        self.evaluating.add(key)
        value = self.evaluate(declared[key], self.context(), (*self.prefix, "variables", key))
        self.evaluating.discard(key)
        self.variables[key] = value
        return value

    def evaluate(self, value: Any, ctx: Context, loc: Loc) -> Any:
        """Evaluate every expression in `value`; an error names the exact key path."""
        if isinstance(value, str):
            try:
                return evaluate_string(value, ctx)
            except ExpressionError as exc:
                raise _fail(self.doc, loc, f"{value}: {exc}") from None
            except RecursionError:
                raise _fail(self.doc, loc, f"{value}: nested too deeply") from None
        if isinstance(value, list):
            return [self.evaluate(v, ctx, (*loc, i)) for i, v in enumerate(value)]
        if isinstance(value, dict):
            result = {k: self.evaluate(v, ctx, (*loc, k)) for k, v in value.items()}
            return {k: v for k, v in result.items() if v is not None}
        return value

    def check(self, at: Loc, key: str, expected: shape.Shape, value: Any) -> None:
        """An evaluated value of the resource at `at` has the shape lighthouse-iac reads (SPEC)."""
        found = shape.mismatches(expected, value, (key,))
        problems = []
        for loc, message in found:
            file, line, path, rest = locate(self.doc, self.sources, at, loc)
            inside = f"{format_path(rest)} in the value of this expression: " if rest else ""
            problems.append(Problem(file, line, format_path(path), inside + message))
        if problems:
            raise ConfigError(problems)


def _evaluate_defaults(scope: _Scope, sources: Mapping[str, ParameterSource]) -> None:
    for name, value in list(scope.parameters.items()):
        if sources[name].doc is scope.doc and is_expression(value):
            scope.parameters[name] = scope.evaluate(value, scope.context(), sources[name].loc)


class _Expander:
    def __init__(self, subscription_id: str) -> None:
        self.subscription_id = subscription_id
        self.resources: list[ArmResource] = []
        self.skipped: list[tuple[str, Loc]] = []

    def expand(self, scope: _Scope, ctx: Context, target_group: str | None) -> None:
        for i, resource in resource_items(scope.template.get("resources")):
            loc: Loc = (*scope.prefix, "resources", i)
            copy = resource.get("copy")
            if copy is None:
                self.resource(scope, ctx, resource, loc, target_group)
                continue
            count = scope.evaluate(copy["count"], ctx, (*loc, "copy", "count"))
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise _fail(scope.doc, (*loc, "copy", "count"), f"expected a count, found {count!r}")
            loop = str(copy.get("name", f"copy{i}"))
            for index in range(count):
                looped = replace(ctx, copy_index={**ctx.copy_index, loop: index}, current_loop=loop)
                self.resource(scope, looped, resource, loc, target_group)

    def resource(
        self, scope: _Scope, ctx: Context, resource: Mapping[str, Any], loc: Loc, target_group: str | None
    ) -> None:
        if "condition" in resource:
            condition = scope.evaluate(resource["condition"], ctx, (*loc, "condition"))
            if not isinstance(condition, bool):
                raise _fail(
                    scope.doc, (*loc, "condition"), f"expected true or false, found {describe(condition)}"
                )
            if not condition:
                return
        kind = str(resource["type"])  # written out (shape.RESOURCE)
        if kind.lower() == DEPLOYMENT_TYPE.lower():
            self.nested(scope, ctx, resource, loc, target_group)
        elif kind.lower() in (DEFINITION_TYPE.lower(), ASSIGNMENT_TYPE.lower()):
            canonical = DEFINITION_TYPE if kind.lower() == DEFINITION_TYPE.lower() else ASSIGNMENT_TYPE
            if "scope" in resource:
                raise _fail(
                    scope.doc,
                    (*loc, "scope"),
                    "the 'scope' property is not supported; deploy to a resource group through a nested "
                    "deployment with 'resourceGroup', as Microsoft's samples do",
                )
            name = scope.evaluate(resource["name"], ctx, (*loc, "name"))
            if not isinstance(name, str):
                raise _fail(scope.doc, (*loc, "name"), f"expected a string, found {describe(name)}")
            properties = scope.evaluate(resource.get("properties", {}), ctx, (*loc, "properties"))
            expected = (
                shape.DEFINITION_PROPERTIES if canonical == DEFINITION_TYPE else shape.ASSIGNMENT_PROPERTIES
            )
            scope.check(loc, "properties", expected, properties)
            plan = scope.evaluate(resource["plan"], ctx, (*loc, "plan")) if "plan" in resource else None
            if plan is not None:
                scope.check(loc, "plan", shape.PLAN, plan)
            subscription = ids.subscription_scope(self.subscription_id)
            where = (
                ids.resource_group_scope(self.subscription_id, target_group) if target_group else subscription
            )
            version = str(resource.get("apiVersion", ""))
            self.resources.append(ArmResource(canonical, name, where, properties, plan, loc, version))
        else:
            self.skipped.append((kind, loc))

    def nested(
        self, scope: _Scope, ctx: Context, resource: Mapping[str, Any], loc: Loc, target_group: str | None
    ) -> None:
        subscription = resource.get("subscriptionId")
        if subscription is not None:
            value = scope.evaluate(subscription, ctx, (*loc, "subscriptionId"))
            if str(value).lower() != self.subscription_id.lower():
                raise _fail(
                    scope.doc,
                    (*loc, "subscriptionId"),
                    f"a nested deployment to another subscription ({value}) is not supported: one "
                    "deployment per subscription (ONB)",
                )
        group = target_group
        if "resourceGroup" in resource:
            group = scope.evaluate(resource["resourceGroup"], ctx, (*loc, "resourceGroup"))
            if not isinstance(group, str):
                raise _fail(scope.doc, (*loc, "resourceGroup"), f"expected a string, found {describe(group)}")
        properties = resource.get("properties", {})  # an object (shape.RESOURCE)
        if "templateLink" in properties:
            raise _fail(
                scope.doc,
                (*loc, "properties", "templateLink"),
                "linked templates cannot be read offline; inline the template ('template') instead",
            )
        inner = properties.get("template")
        if not isinstance(inner, dict):
            raise _fail(scope.doc, (*loc, "properties"), "expected an inline 'template'")
        prefix: Loc = (*loc, "properties", "template")
        mode = str(properties.get("expressionEvaluationOptions", {}).get("scope", "outer")).lower()
        if mode == "inner":
            given = scope.evaluate(properties.get("parameters", {}), ctx, (*loc, "properties", "parameters"))
            values: dict[str, Any] = {}
            for name, spec in inner.get("parameters", {}).items():
                entry = given.get(name, {})  # objects: an evaluated object stays one
                if "value" in entry:
                    values[name] = entry["value"]
                elif "defaultValue" in spec:
                    values[name] = spec["defaultValue"]
                else:
                    raise _fail(scope.doc, (*prefix, "parameters", name), f"parameter '{name}' has no value")
            child = _Scope(scope.doc, inner, prefix, values, self.subscription_id, group)
            for name, value in list(values.items()):
                if is_expression(value):
                    child.parameters[name] = child.evaluate(
                        value, child.context(), (*prefix, "parameters", name)
                    )
            self.expand(child, child.context(), group)
        else:
            # Outer scope: the inner template's expressions are the parent's (parameters, variables, copy
            # loops, resourceId at subscription level); only where its resources land changes.
            outer = _Scope(
                scope.doc,
                inner,
                prefix,
                scope.parameters,
                self.subscription_id,
                scope.resource_group,
                scope.sources,
            )
            self.expand(outer, ctx, group)


def evaluate_template(
    template: JsonDocument,
    parameters: JsonDocument | None = None,
    overrides: Sequence[str] | None = (),
    subscription_id: str = ids.NIL_GUID,
) -> Deployment:
    """What `az deployment sub create` would deploy into `subscription_id` with these parameters.

    `overrides` are `--parameter NAME=VALUE` texts; None where the command offers no such option.
    """
    _check_shape(template, shape.TEMPLATE)
    if parameters is not None:
        _check_shape(parameters, shape.PARAMETERS_FILE)
    _refuse_policies(template, parameters)
    _check_schema(template)
    values, sources = _resolve_parameters(template, parameters, overrides)
    _check_parameter_types(template, values, sources)
    scope = _Scope(template, template.data, (), values, subscription_id, sources=sources)
    _evaluate_defaults(scope, sources)
    expander = _Expander(subscription_id)
    expander.expand(scope, scope.context(), None)
    placeholders: list[Problem] = []
    for name, source in sources.items():
        placeholders += scan_placeholders(values[name], source.file, source.doc, source.loc)
    for index, resource in resource_items(template.data.get("resources")):
        literal = {k: v for k, v in resource.items() if k in ("properties", "plan", "name")}
        placeholders += scan_placeholders(literal, template.file, template, ("resources", index))
    return Deployment(
        template,
        parameters,
        subscription_id,
        scope.parameters,
        tuple(expander.resources),
        tuple(expander.skipped),
        tuple(dict.fromkeys(placeholders)),
        sources,
    )
