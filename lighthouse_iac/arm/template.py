"""What an onboarding template would deploy: its parameters resolved, expressions evaluated, copy loops and
nested resource-group deployments expanded, as a list of Lighthouse resources in the plan's ARM shape.

Errors are ConfigErrors naming the template or parameters file and the key path. Management-group
DeployIfNotExists policies and templates without any delegation are refused with the alternative.
The work is split by concern: parameters.py (values and their sources), placeholders.py, refusals.py
(what is not taken), scope.py (evaluating in one template's scope) and expander.py (resources).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import ids
from ..errors import ConfigError, Problem
from . import shape
from .expander import Expander
from .parameters import ParameterSource, check_parameter_types, resolve_parameters
from .placeholders import is_placeholder, scan_placeholders
from .refusals import SUBSCRIPTION_SCHEMA, check_schema, refuse_policies
from .resources import ArmResource, locate, resource_items
from .scope import Scope, lazy_defaults
from .shape import ASSIGNMENT_TYPE, DEFINITION_TYPE, DEPLOYMENT_TYPE, POLICY_TYPES
from .source import JsonDocument, Loc

__all__ = [
    "ASSIGNMENT_TYPE",
    "DEFINITION_TYPE",
    "DEPLOYMENT_TYPE",
    "POLICY_TYPES",
    "SUBSCRIPTION_SCHEMA",
    "ArmResource",
    "Deployment",
    "ParameterSource",
    "evaluate_template",
    "is_placeholder",
    "locate",
    "resource_items",
    "scan_placeholders",
]  # where other modules import them


@dataclass(frozen=True)
class Deployment:
    """A template with its parameters, as it would deploy to one subscription."""

    template: JsonDocument
    parameters_file: JsonDocument | None
    subscription_id: str
    parameters: Mapping[str, Any]
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


def check_shape(doc: JsonDocument, expected: shape.Shape) -> None:
    """Every key lighthouse-iac reads has the type it needs, or one ConfigError names them all."""
    found = shape.mismatches(expected, doc.data)
    if found:
        raise ConfigError([doc.problem(loc, message) for loc, message in found])


def evaluate_template(
    template: JsonDocument,
    parameters: JsonDocument | None = None,
    overrides: Sequence[str] | None = (),
    subscription_id: str = ids.NIL_GUID,
    *,
    tenant_id: str | None = None,
    tenant_flag: str = "--customer-tenant",
) -> Deployment:
    """What `az deployment sub create` would deploy into `subscription_id` with these parameters.

    `overrides` are `--parameter NAME=VALUE` texts; None where the command offers no such option.
    `tenant_id` is the customer's tenant, where the user gave it with `tenant_flag`.
    """
    check_shape(template, shape.TEMPLATE)
    if parameters is not None:
        check_shape(parameters, shape.PARAMETERS_FILE)
    refuse_policies(template, parameters)
    check_schema(template)
    values, sources = resolve_parameters(template, parameters, overrides)
    check_parameter_types(template, values, sources)
    scope = Scope(template, template.data, (), {}, subscription_id, None, sources, tenant_id, tenant_flag)
    scope.parameters = lazy_defaults(scope, values, sources, template.data.get("parameters", {}))
    expander = Expander(subscription_id, template, sources)
    expander.expand(scope, scope.context(), None, template.data, ())
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
