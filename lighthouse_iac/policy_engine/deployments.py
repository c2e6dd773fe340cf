"""Delegations inside an ARM deployment that a Pulumi program creates (`azure-native:resources:Deployment*`).

The inline template is evaluated with the project's ARM engine (`lighthouse_iac.arm`), as `validate` does
for template files, and what it would deploy is checked like any registration. A template the pack cannot
evaluate, or cannot see (a linked template, a value unknown until deployment), is a problem, never a pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import ids
from ..errors import ConfigError
from .carriers import Carried
from .model import Resource
from .shape import describe, is_unknown

_SCHEMA = "https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#"


def _contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(_contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_unknown(v) for v in value)
    return False


def deployed(name: str, props: Mapping[str, Any]) -> Carried:
    """The registrations the deployment's inline template would create."""
    # Imported here: the ARM engine is only needed for a stack that deploys templates.
    from ..arm.source import JsonDocument  # noqa: PLC0415
    from ..arm.template import evaluate_template  # noqa: PLC0415

    properties = props.get("properties")
    if not isinstance(properties, Mapping):
        return Carried(problems=[(("properties",), f"expected a mapping, found {describe(properties)}")])
    if "templateLink" in properties or "parametersLink" in properties:
        return Carried(
            problems=[
                (
                    ("properties", "templateLink" if "templateLink" in properties else "parametersLink"),
                    "a linked template or parameters file may carry Lighthouse delegations the pack cannot "
                    "read; deploy the template inline (properties.template) so that it is checked",
                )
            ]
        )
    template = properties.get("template")
    if template is None:
        return Carried()
    parameters = properties.get("parameters") or {}
    if _contains_unknown(template) or _contains_unknown(parameters):
        return Carried(
            problems=[
                (
                    ("properties", "template"),
                    "the inline template or its parameters hold values unknown until deployment; the pack "
                    "cannot tell what it would delegate",
                )
            ]
        )
    if not isinstance(template, Mapping) or not isinstance(parameters, Mapping):
        return Carried(
            problems=[(("properties", "template"), f"expected a mapping, found {describe(template)}")]
        )
    template_doc = JsonDocument(f"{name} (properties.template)", dict(template))
    parameters_doc = JsonDocument(
        f"{name} (properties.parameters)",
        {"$schema": _SCHEMA, "contentVersion": "1.0.0.0", "parameters": dict(parameters)},
    )
    try:
        deployment = evaluate_template(template_doc, parameters_doc, None, ids.NIL_GUID)
    except ConfigError as exc:
        first = exc.problems[0]
        where = f"{first.path}: " if first.path else ""
        return Carried(
            problems=[
                (
                    ("properties", "template"),
                    f"the pack cannot evaluate the inline template ({where}{first.message}), so it cannot "
                    "check the delegations it may carry",
                )
            ]
        )
    resources = [Resource(r.kind, f"{name}/{r.name}", r.inputs()) for r in deployment.resources]
    return Carried(resources)
