"""The JSON shapes lighthouse-iac reads in ARM templates and parameters files, checked once, so that
evaluation and import can rely on them. A wrong shape gets the file, line and key path, what was found
and what is allowed; nothing is skipped.

Templates are checked as written, where a string may be an expression (`[...]`) wherever ARM evaluates
one; a Lighthouse resource's properties and plan again once evaluated, when parameters have filled them.
Only what lighthouse-iac reads is checked: other keys, and resources of other types, are left to ARM.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .json_shape import (
    Anything,
    Array,
    Either,
    Mismatch,
    Object,
    OneOf,
    Resource,
    Scalar,
    Shape,
    WrittenOut,
    describe,
    mismatches,
)
from .source import Loc

DEPLOYMENT_TYPE = "Microsoft.Resources/deployments"
DEFINITION_TYPE = "Microsoft.ManagedServices/registrationDefinitions"
ASSIGNMENT_TYPE = "Microsoft.ManagedServices/registrationAssignments"
POLICY_TYPES = (
    "Microsoft.Authorization/policyDefinitions",
    "Microsoft.Authorization/policySetDefinitions",
    "Microsoft.Authorization/policyAssignments",
)

# --- as written in a template or parameters file ------------------------------------------------

TEXT = Scalar("a string", (str,))
_OBJECT = Object("an object")
_PARAMETER_TYPES = ("string", "securestring", "int", "bool", "array", "object", "secureobject")

_DECLARATION_FIELDS: Mapping[str, Shape] = MappingProxyType(
    {
        "type": OneOf("a parameter type", _PARAMETER_TYPES),
        "allowedValues": Array("an array of the allowed values"),
        "metadata": _OBJECT,
        "nullable": Scalar("true or false", (bool,)),
    }
)


@dataclass(frozen=True)
class _Declaration(Shape):
    """A parameter declaration: a `type`, or (Bicep's user-defined types) a `$ref` into `definitions`."""

    what: str = 'a parameter declaration ({"type": ...})'

    def mismatches(self, value: Any, loc: Loc) -> Iterator[Mismatch]:
        typed = isinstance(value, dict) and "$ref" in value and "type" not in value
        fields = {**_DECLARATION_FIELDS, "$ref": TEXT} if typed else _DECLARATION_FIELDS
        yield from Object(self.what, fields, required=() if typed else ("type",)).mismatches(value, loc)


PARAMETER_DECLARATION: Shape = _Declaration()
_VALUE_ENTRY = Object('{"value": ...}', {"reference": Object("a Key Vault reference object")})
_PASSED = Object('an object of {"value": ...} by parameter name', values=_VALUE_ENTRY)
_METADATA = Object(
    "an object",
    {"offerKeys": Object("an object of offer keys by definition name", values=TEXT), "subscriptionId": TEXT},
)


def _template(what: str) -> Object:
    return Object(
        what,
        {
            "$schema": TEXT,
            "contentVersion": TEXT,
            "languageVersion": TEXT,
            "metadata": _METADATA,
            "parameters": Object("an object of parameter declarations", values=PARAMETER_DECLARATION),
            "variables": Object("an object of variables"),
            "resources": Either(
                "an array of resources (or, with languageVersion 2.0, an object of them by symbolic name)",
                {list: Array("an array of resources", RESOURCE), dict: Object("an object", values=RESOURCE)},
            ),
            "outputs": _OBJECT,
        },
    )


@dataclass(frozen=True)
class _Nested(Shape):
    """An inline template inside a deployment (defined once the resource shape exists)."""

    what: str = "an inline template object"

    def mismatches(self, value: Any, loc: Loc) -> Iterator[Mismatch]:
        return _template(self.what).mismatches(value, loc)


_DEPLOYMENT_PROPERTIES = Object(
    "the deployment's properties object",
    {
        "mode": TEXT,
        "template": _Nested(),
        "parameters": _PASSED,
        "expressionEvaluationOptions": Object("an object", {"scope": OneOf("a scope", ("inner", "outer"))}),
    },
)
# What the refusal of management-group policy templates reads (_refuse_policies).
_POLICY_PROPERTIES = Object(
    "the policy's properties object",
    {
        "policyRule": Object(
            "a policyRule object",
            {"then": Object("a then object", {"effect": TEXT, "details": Object("a details object")})},
        )
    },
)
_LIGHTHOUSE_PROPERTIES = Object("a properties object", expression=True)


def _properties(kind: str) -> Shape:
    lowered = kind.lower()
    if lowered == DEPLOYMENT_TYPE.lower():
        return _DEPLOYMENT_PROPERTIES
    if lowered in (t.lower() for t in POLICY_TYPES):
        return _POLICY_PROPERTIES
    if lowered in (DEFINITION_TYPE.lower(), ASSIGNMENT_TYPE.lower()):
        return _LIGHTHOUSE_PROPERTIES
    return Anything()  # a resource lighthouse-iac leaves out: ARM's business


RESOURCE: Shape = Resource(
    'a resource object ({"type": ..., "name": ..., ...})',
    {
        "type": WrittenOut('a resource type such as "Microsoft.ManagedServices/registrationDefinitions"'),
        "name": TEXT,
        "apiVersion": TEXT,
        "condition": Scalar("true, false or an expression", (bool,), expression=True),
        "copy": Object(
            'a copy loop ({"name": ..., "count": ...})',
            {"name": TEXT, "count": Scalar("a whole number or an expression", (int,), expression=True)},
            required=("count",),
        ),
        "plan": Object("a plan object", expression=True),
        "resourceGroup": TEXT,
        "subscriptionId": TEXT,
        "dependsOn": Array("an array of resource IDs", TEXT),
    },
    _properties,
)
TEMPLATE = _template("a template object")
PARAMETERS_FILE = Object(
    'a parameters file object ({"parameters": {...}})',
    {"$schema": TEXT, "contentVersion": TEXT, "parameters": _PASSED},
    required=("parameters",),
)


# --- a Lighthouse resource once evaluated (SPEC) ------------------------------------------------

_PRINCIPAL = MappingProxyType({"principalId": TEXT, "principalIdDisplayName": TEXT})
_AUTHORIZATION = Object(
    'an authorization object ({"principalId": ..., "roleDefinitionId": ...})',
    {
        **_PRINCIPAL,
        "roleDefinitionId": TEXT,
        "delegatedRoleDefinitionIds": Array("an array of role definition IDs", TEXT),
    },
)
_APPROVER = Object('an approver object ({"principalId": ...})', _PRINCIPAL)
_ELIGIBLE = Object(
    'an eligible authorization object ({"principalId": ..., "roleDefinitionId": ...})',
    {
        **_PRINCIPAL,
        "roleDefinitionId": TEXT,
        "justInTimeAccessPolicy": Object(
            "a justInTimeAccessPolicy object",
            {
                "multiFactorAuthProvider": TEXT,
                "maximumActivationDuration": TEXT,
                "managedByTenantApprovers": Array("an array of approvers", _APPROVER),
            },
        ),
    },
)
DEFINITION_PROPERTIES = Object(
    "a properties object",
    {
        "registrationDefinitionName": TEXT,
        "description": TEXT,
        "managedByTenantId": TEXT,
        "authorizations": Array("an array of authorizations", _AUTHORIZATION),
        "eligibleAuthorizations": Array("an array of eligible authorizations", _ELIGIBLE),
    },
)
ASSIGNMENT_PROPERTIES = Object("a properties object", {"registrationDefinitionId": TEXT})
PLAN = Object(
    'a plan object ({"name", "publisher", "product", "version"})',
    {key: TEXT for key in ("name", "publisher", "product", "version")},
)


# Re-exported: the evaluator (scope.py, expander.py) checks values against these shapes through this module.
__all__ = ["Shape", "describe", "mismatches"]
