"""JSON Schemas of the configuration, generated from the models, for editors (`lighthouse-iac schema`).

An editor validates a stack file or `Pulumi.yaml` as it is typed and completes its keys; principal and
role names are offered from the project's directory and role catalogue. The schemas check shapes and
single values; what needs another part of the configuration stays with the loader (`CROSS_REFERENCES`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .keys import NAMESPACE
from .models import LighthouseConfig, Text

# Draft 7: the newest that both VS Code's YAML extension and JetBrains IDEs read completely.
DIALECT = "http://json-schema.org/draft-07/schema#"
STACK_SCHEMA = "stack.schema.json"
PROJECT_SCHEMA = "project.schema.json"
PROJECT_KEYS = ("managingTenant", "roleCatalogues")
# A stack's keys: the configuration model's, but those Pulumi.yaml holds for every customer.
STACK_KEYS = tuple(
    str(f.alias) for f in LighthouseConfig.model_fields.values() if f.alias and f.alias not in PROJECT_KEYS
)

# What the loader checks and a schema cannot, because each needs another part of the configuration.
CROSS_REFERENCES = (
    "principals and approvers name entries of managingTenant.principals (Pulumi.yaml)",
    "roles and delegated roles name built-in roles of the role catalogue",
    "offer keys are unique; a subscription, or a resource group, is listed once per offer",
    "the keys of adopt.assignmentIds are scopes of their offer",
    "the customer's tenant differs from the managing tenant",
    "a servicePrincipal onboarding identity has no userType",
    "onboarding, and at least one offer, are required unless csp says why; csp.subscriptions are delegated",
    "maximumActivation is within PT30M..PT8H (the schema checks its form)",
    "principal names are not confusable with one another (lookalike letters)",
)


def _plain(node: Any) -> Any:
    """The pydantic schema without its generated titles, which editors would show instead of the key."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items() if not (k == "title" and isinstance(v, str))}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _suggest(names: Sequence[str]) -> dict[str, Any]:
    """Any non-blank text, the `names` offered for completion (the loader checks the reference)."""
    text = dict(Text.__metadata__[-1].json_schema)  # type: ignore[attr-defined]
    return {"anyOf": [{"enum": sorted(names)}, text]} if names else text


def _defs(principals: Sequence[str], roles: Sequence[str]) -> dict[str, Any]:
    schema = _plain(LighthouseConfig.model_json_schema(by_alias=True))
    defs: dict[str, Any] = schema.pop("$defs")
    defs["LighthouseConfig"] = schema
    defs["PrincipalName"], defs["RoleName"] = _suggest(principals), _suggest(roles)
    principal, role = {"$ref": "#/$defs/PrincipalName"}, {"$ref": "#/$defs/RoleName"}
    for name in ("Authorization", "EligibleAuthorization"):
        defs[name]["properties"].update(principal=principal, role=role)
    defs["Authorization"]["properties"]["delegatedRoles"]["anyOf"][0]["items"] = role
    defs["EligibleAuthorization"]["properties"]["approvers"]["items"] = principal
    defs["Onboarding"]["properties"]["roles"]["items"] = role
    # A resource group is its name, or {name, offboard}: the model turns the first into the second.
    groups = defs["SubscriptionScope"]["properties"]["resourceGroups"]["anyOf"][0]
    name = defs["ResourceGroup"]["properties"]["name"]
    groups["items"] = {"anyOf": [name, {"$ref": "#/$defs/ResourceGroup"}]}
    return defs


def _config(keys: Sequence[str], values: dict[str, Any], required: Sequence[str]) -> dict[str, Any]:
    """The `config:` mapping: our keys (namespaced, or bare as Pulumi allows), no other key of our
    namespace (nor the other file's keys), and other namespaces (azure-native:...) left to their owners."""
    properties = {}
    for key, value in values.items():
        properties[key] = properties[f"{NAMESPACE}:{key}"] = value
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "patternProperties": {f"^({NAMESPACE}:)?(?!({'|'.join(keys)})$)[^:]*$": False},
    }
    if required:
        schema["allOf"] = [
            {"anyOf": [{"required": [f"{NAMESPACE}:{k}"]}, {"required": [k]}]} for k in required
        ]
    return schema


def stack_schema(principals: Sequence[str], roles: Sequence[str]) -> dict[str, Any]:
    """The schema of `stacks/Pulumi.<customer>.yaml`."""
    defs = _defs(principals, roles)
    model = defs.pop("LighthouseConfig")
    values = {key: model["properties"][key] for key in STACK_KEYS}
    required = [key for key in model.get("required", []) if key in STACK_KEYS]
    config = _config(STACK_KEYS, values, required)
    del defs["ManagingTenant"], defs["Principal"]
    return {
        "$schema": DIALECT,
        "title": "lighthouse-iac customer stack (stacks/Pulumi.<customer>.yaml)",
        "description": "Checked by the loader too: " + "; ".join(CROSS_REFERENCES) + ".",
        "type": "object",
        "required": ["config"],
        "properties": {"config": config},
        "$defs": defs,
    }


def project_schema(roles: Sequence[str]) -> dict[str, Any]:
    """The schema of `Pulumi.yaml`: Pulumi's project keys allowed, its `config:` checked."""
    defs = _defs((), roles)
    defs.pop("LighthouseConfig")
    tenant = {"$ref": "#/$defs/ManagingTenant"}
    catalogues = {"type": "array", "items": dict(Text.__metadata__[-1].json_schema)}  # type: ignore[attr-defined]
    keyed: dict[str, Any] = {}
    for key, value in (("managingTenant", tenant), ("roleCatalogues", catalogues)):
        # Pulumi's project config: an object value sits under `value:` (or `default:`); a list may too.
        wrapped = {
            "anyOf": [
                {"type": "object", "required": ["value"], "properties": {"value": value}},
                {"type": "object", "required": ["default"], "properties": {"default": value}},
                *([value] if key == "roleCatalogues" else []),
            ]
        }
        keyed[key] = wrapped
    # Pulumi.yaml may also give every stack a default of a stack key; the stack file's value wins.
    config = _config((*PROJECT_KEYS, *STACK_KEYS), keyed, required=())
    return {
        "$schema": DIALECT,
        "title": "lighthouse-iac project (Pulumi.yaml)",
        "type": "object",
        "required": ["name", "runtime"],
        "properties": {"name": {"type": "string", "minLength": 1}, "config": config},
        "$defs": {k: v for k, v in defs.items() if k in ("ManagingTenant", "Principal")},
    }
