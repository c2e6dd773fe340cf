"""Expands a template's resources: conditions, copy loops and nested deployments, into the Lighthouse
resources it deploys. Resources of other types, `existing` references and resources whose condition is
false are left out without evaluating anything of theirs, as ARM deploys none of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from .. import ids
from ..limits import MAX_EXPANDED_RESOURCES
from . import shape
from .expressions import Context, find_key
from .parameters import ParameterSource
from .resources import ArmResource, TemplateSources, fail, resource_items
from .scope import LazyParameters, Scope
from .shape import ASSIGNMENT_TYPE, DEFINITION_TYPE, DEPLOYMENT_TYPE, describe
from .source import JsonDocument, Loc

_EXPANDED = (DEFINITION_TYPE.lower(), ASSIGNMENT_TYPE.lower(), DEPLOYMENT_TYPE.lower())


class Expander:
    def __init__(
        self, subscription_id: str, template: JsonDocument, sources: Mapping[str, ParameterSource]
    ) -> None:
        self.subscription_id = subscription_id
        self.template = template
        self.sources = sources
        """Where the deployment's parameters were written: the resources' source maps point there."""
        self.resources: list[ArmResource] = []
        self.skipped: list[tuple[str, Loc]] = []
        self.visited = 0  # resources expanded so far, of any type: copy loops in nested loops multiply

    def expand(
        self, scope: Scope, ctx: Context, target_group: str | None, template: Mapping[str, Any], prefix: Loc
    ) -> None:
        """The resources of `template` (written at `prefix`), their expressions evaluated in `scope`."""
        for i, resource in resource_items(template.get("resources")):
            loc: Loc = (*prefix, "resources", i)
            kind = str(resource["type"])  # written out (shape.RESOURCE)
            if resource.get("existing") is True:
                continue  # a reference to a resource deployed elsewhere (Bicep `existing`): not deployed
            if kind.lower() not in _EXPANDED:
                self.skipped.append((kind, loc))
                continue
            copy = resource.get("copy")
            if copy is None:
                self.resource(scope, ctx, resource, loc, target_group)
                continue
            count = scope.count(copy["count"], ctx, (*loc, "copy", "count"))
            loop = str(copy.get("name", f"copy{i}"))
            for index in range(count):
                looped = replace(ctx, copy_index={**ctx.copy_index, loop: index}, current_loop=loop)
                self.resource(scope, looped, resource, loc, target_group)

    def resource(
        self, scope: Scope, ctx: Context, resource: Mapping[str, Any], loc: Loc, target_group: str | None
    ) -> None:
        self.visited += 1
        if self.visited > MAX_EXPANDED_RESOURCES:
            raise fail(
                scope.doc,
                loc,
                f"the template expands to more than {MAX_EXPANDED_RESOURCES:,} resources (copy loops and "
                "nested deployments); Azure deploys at most 800 per deployment",
            )
        if "condition" in resource:
            condition = scope.evaluate(resource["condition"], ctx, (*loc, "condition"))
            if not isinstance(condition, bool):
                raise fail(
                    scope.doc, (*loc, "condition"), f"expected true or false, found {describe(condition)}"
                )
            if not condition:
                return
        kind = str(resource["type"])
        if kind.lower() == DEPLOYMENT_TYPE.lower():
            self.nested(scope, ctx, resource, loc, target_group)
            return
        canonical = DEFINITION_TYPE if kind.lower() == DEFINITION_TYPE.lower() else ASSIGNMENT_TYPE
        if "scope" in resource:
            raise fail(
                scope.doc,
                (*loc, "scope"),
                "the 'scope' property is not supported; deploy to a resource group through a nested "
                "deployment with 'resourceGroup' (a Bicep module scoped to the group), as Microsoft's "
                "samples do",
            )
        name = scope.evaluate(resource["name"], ctx, (*loc, "name"))
        if not isinstance(name, str):
            raise fail(scope.doc, (*loc, "name"), f"expected a string, found {describe(name)}")
        properties = scope.evaluate(resource.get("properties", {}), ctx, (*loc, "properties"))
        expected = (
            shape.DEFINITION_PROPERTIES if canonical == DEFINITION_TYPE else shape.ASSIGNMENT_PROPERTIES
        )
        scope.check(loc, "properties", expected, properties)
        plan = scope.evaluate(resource["plan"], ctx, (*loc, "plan")) if "plan" in resource else None
        if plan is not None:
            scope.check(loc, "plan", shape.PLAN, plan)
        subscription = ids.subscription_scope(self.subscription_id)
        where = ids.resource_group_scope(self.subscription_id, target_group) if target_group else subscription
        version = str(resource.get("apiVersion", ""))
        located = TemplateSources(self.template, self.sources, loc)
        self.resources.append(ArmResource(canonical, name, where, properties, plan, loc, located, version))

    def nested(
        self, scope: Scope, ctx: Context, resource: Mapping[str, Any], loc: Loc, target_group: str | None
    ) -> None:
        subscription = resource.get("subscriptionId")
        if subscription is not None:
            value = scope.evaluate(subscription, ctx, (*loc, "subscriptionId"))
            if str(value).lower() != self.subscription_id.lower():
                raise fail(
                    scope.doc,
                    (*loc, "subscriptionId"),
                    f"a nested deployment to another subscription ({value}) is not supported: one "
                    "deployment per subscription (ONB)",
                )
        group = target_group
        if "resourceGroup" in resource:
            group = scope.evaluate(resource["resourceGroup"], ctx, (*loc, "resourceGroup"))
            if not isinstance(group, str):
                raise fail(scope.doc, (*loc, "resourceGroup"), f"expected a string, found {describe(group)}")
        properties = resource.get("properties", {})  # an object (shape.RESOURCE)
        if "templateLink" in properties:
            raise fail(
                scope.doc,
                (*loc, "properties", "templateLink"),
                "linked templates cannot be read offline; inline the template ('template') instead",
            )
        inner = properties.get("template")
        if not isinstance(inner, dict):
            raise fail(scope.doc, (*loc, "properties"), "expected an inline 'template'")
        prefix: Loc = (*loc, "properties", "template")
        mode = str(properties.get("expressionEvaluationOptions", {}).get("scope", "outer")).lower()
        if mode == "inner":
            child = self._inner_scope(scope, ctx, properties, prefix, loc)
            child.resource_group = group
            self.expand(child, child.context(), group, inner, prefix)
        else:
            # Outer scope: the inner template's expressions are the parent's (parameters, variables, copy
            # loops, resourceId at subscription level); only where its resources land changes.
            self.expand(scope, ctx, group, inner, prefix)

    def _inner_scope(
        self, scope: Scope, ctx: Context, properties: Mapping[str, Any], prefix: Loc, loc: Loc
    ) -> Scope:
        """An inner-scope template's own scope: the parameters passed to it, each evaluated in the parent's
        scope (with its copy loop) when the inner template reads it, else the inner default."""
        inner: Mapping[str, Any] = properties["template"]
        given: Mapping[str, Any] = properties.get("parameters", {})
        values: dict[str, Any] = {}
        pending: dict[str, Callable[[], Any]] = {}
        child = scope.child(inner, prefix, {})
        for name, spec in inner.get("parameters", {}).items():
            written = find_key(given, name)
            entry = given.get(written, {}) if written is not None else {}
            at: Loc = (*loc, "properties", "parameters", written or name)
            if isinstance(entry, dict) and "reference" in entry:
                raise fail(scope.doc, (*at, "reference"), "a Key Vault reference cannot be read offline")
            if isinstance(entry, dict) and "value" in entry:
                values[name] = entry["value"]
                pending[name] = _later(scope, ctx, entry["value"], (*at, "value"))
            elif "defaultValue" in spec:
                values[name] = spec["defaultValue"]
                pending[name] = _later(child, None, spec["defaultValue"], (*prefix, "parameters", name))
            else:
                raise fail(scope.doc, (*prefix, "parameters", name), f"parameter '{name}' has no value")
        child.parameters = LazyParameters(values, pending)
        return child


def _later(scope: Scope, ctx: Context | None, value: Any, loc: Loc) -> Callable[[], Any]:
    """`value` evaluated in `scope` when first read (in `ctx`, or the scope's own context)."""
    return lambda: scope.evaluate(value, ctx or scope.context(), loc)
