"""Expands a template's resources: conditions, copy loops and nested deployments, into the Lighthouse
resources it deploys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .. import ids
from . import shape
from .expressions import Context, is_expression
from .resources import ArmResource, fail, resource_items
from .scope import Scope
from .shape import ASSIGNMENT_TYPE, DEFINITION_TYPE, DEPLOYMENT_TYPE, describe
from .source import Loc


class Expander:
    def __init__(self, subscription_id: str) -> None:
        self.subscription_id = subscription_id
        self.resources: list[ArmResource] = []
        self.skipped: list[tuple[str, Loc]] = []

    def expand(self, scope: Scope, ctx: Context, target_group: str | None) -> None:
        for i, resource in resource_items(scope.template.get("resources")):
            loc: Loc = (*scope.prefix, "resources", i)
            copy = resource.get("copy")
            if copy is None:
                self.resource(scope, ctx, resource, loc, target_group)
                continue
            count = scope.evaluate(copy["count"], ctx, (*loc, "copy", "count"))
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise fail(scope.doc, (*loc, "copy", "count"), f"expected a count, found {count!r}")
            loop = str(copy.get("name", f"copy{i}"))
            for index in range(count):
                looped = replace(ctx, copy_index={**ctx.copy_index, loop: index}, current_loop=loop)
                self.resource(scope, looped, resource, loc, target_group)

    def resource(
        self, scope: Scope, ctx: Context, resource: Mapping[str, Any], loc: Loc, target_group: str | None
    ) -> None:
        if "condition" in resource:
            condition = scope.evaluate(resource["condition"], ctx, (*loc, "condition"))
            if not isinstance(condition, bool):
                raise fail(
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
                raise fail(
                    scope.doc,
                    (*loc, "scope"),
                    "the 'scope' property is not supported; deploy to a resource group through a nested "
                    "deployment with 'resourceGroup', as Microsoft's samples do",
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
            where = (
                ids.resource_group_scope(self.subscription_id, target_group) if target_group else subscription
            )
            version = str(resource.get("apiVersion", ""))
            self.resources.append(ArmResource(canonical, name, where, properties, plan, loc, version))
        else:
            self.skipped.append((kind, loc))

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
            given = scope.evaluate(properties.get("parameters", {}), ctx, (*loc, "properties", "parameters"))
            values: dict[str, Any] = {}
            for name, spec in inner.get("parameters", {}).items():
                entry = given.get(name, {})  # objects: an evaluated object stays one
                if "value" in entry:
                    values[name] = entry["value"]
                elif "defaultValue" in spec:
                    values[name] = spec["defaultValue"]
                else:
                    raise fail(scope.doc, (*prefix, "parameters", name), f"parameter '{name}' has no value")
            child = Scope(scope.doc, inner, prefix, values, self.subscription_id, group)
            for name, value in list(values.items()):
                if is_expression(value):
                    child.parameters[name] = child.evaluate(
                        value, child.context(), (*prefix, "parameters", name)
                    )
            self.expand(child, child.context(), group)
        else:
            # Outer scope: the inner template's expressions are the parent's (parameters, variables, copy
            # loops, resourceId at subscription level); only where its resources land changes.
            outer = Scope(
                scope.doc,
                inner,
                prefix,
                scope.parameters,
                self.subscription_id,
                scope.resource_group,
                scope.sources,
            )
            self.expand(outer, ctx, group)
