"""The configuration a user writes, as pydantic models: shapes and single-field checks only.

Cross-references (principal names, role names, duplicate scopes) are checked by `config.validate`, which
knows the directory and the role catalogue.

Every command that reads a stack builds these models first, so how they are written is chosen for how fast
pydantic builds them (each choice measured): annotations evaluated as the classes are made, not kept as
strings for pydantic to compile and evaluate (no `from __future__ import annotations` here); empty defaults
made by small functions, not by `list` or `dict`, whose signatures pydantic reads by tokenizing their text
signature (tokenize compiles its large regular expression for that); and the camelCase aliases made here,
without the four regular expressions of pydantic's `to_camel`.
"""

import re
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from . import durations, ids
from .lookalikes import lookalike_problem


def camel(name: str) -> str:
    """A field's key in the stack file: `object_id` is written `objectId` (what pydantic's to_camel gives)."""
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def _no_items() -> list[Any]:
    return []


def _no_entries() -> dict[str, Any]:
    return {}


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, alias_generator=camel, populate_by_name=True
    )


def _guid(value: str) -> str:
    if not ids.is_guid(value):
        raise ValueError(f"'{value}' is not a GUID; expected 8-4-4-4-12 hexadecimal digits")
    return value.lower()


def _activation(value: str) -> str:
    minutes = durations.parse_minutes(value)
    if minutes is None:
        raise ValueError(f"'{value}' is not an ISO 8601 duration such as PT30M, PT1H30M or PT8H")
    if not durations.MIN_ACTIVATION_MINUTES <= minutes <= durations.MAX_ACTIVATION_MINUTES:
        raise ValueError(f"'{value}' is outside PT30M..PT8H, the activation range Azure allows")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _name_to_mapping(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


def _pattern_mismatch(pattern: str) -> PydanticCustomError:
    # The error pydantic gives for Field(pattern=...), so that messages read the same either way.
    return PydanticCustomError(
        "string_pattern_mismatch", "String should match pattern '{pattern}'", {"pattern": pattern}
    )


# Field(pattern=...) compiles with Rust's regex crate, which expands a bounded repetition ({0,62}) into as
# many copies of its class: building the models took tens of milliseconds per such pattern, on every
# command's start. The same checks are written here as a cheap pattern and a length.
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")  # ASCII only: Python's re matches exactly what Rust's did
_KEY_PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$"
_RESOURCE_GROUP_PATTERN = rf"^{ids.RESOURCE_GROUP_PATTERN}$"


def _key(value: str) -> str:
    if _KEY.fullmatch(value) is None:
        raise _pattern_mismatch(_KEY_PATTERN)
    return value


def _resource_group_length(value: str) -> str:
    # The characters are checked by the Rust pattern without its bound (\w stays Unicode's as Rust reads it).
    if len(value) > ids.RESOURCE_GROUP_MAX_LENGTH:
        raise _pattern_mismatch(_RESOURCE_GROUP_PATTERN)
    return value


def _plain_key(value: str) -> str:
    problem = lookalike_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


# Each carries the JSON Schema of what its validator accepts, for `lighthouse-iac schema` (editors).
Guid = Annotated[
    str, AfterValidator(_guid), WithJsonSchema({"type": "string", "pattern": f"^{ids.GUID_PATTERN}$"})
]
PrincipalKey = Annotated[str, AfterValidator(_plain_key)]
Activation = Annotated[
    str,
    AfterValidator(_activation),
    WithJsonSchema({"type": "string", "pattern": r"^PT(?=\d)(\d+H)?(\d+M)?$"}),
]
Key = Annotated[str, AfterValidator(_key), WithJsonSchema({"type": "string", "pattern": _KEY_PATTERN})]
ResourceGroupName = Annotated[
    str,
    Field(pattern=rf"^{ids.RESOURCE_GROUP_CHARACTERS}+$"),
    AfterValidator(_resource_group_length),
    WithJsonSchema({"type": "string", "pattern": _RESOURCE_GROUP_PATTERN}),
]
Text = Annotated[
    str,
    Field(min_length=1),
    AfterValidator(_not_blank),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": r"\S"}),
]


class Principal(Model):
    """A user, group or service principal of the managing tenant."""

    object_id: Guid
    kind: Literal["group", "servicePrincipal", "user"]
    display_name: Text
    admin_agent: bool = False
    """Holds the Admin Agent role in Partner Center: Owner on the partner's CSP subscriptions (AOBO)."""


class ManagingTenant(Model):
    """The MSP's tenant and its directory of principals, declared once for every customer."""

    tenant_id: Guid
    name: Text
    principals: dict[PrincipalKey, Principal] = Field(min_length=1)

    @cached_property
    def admin_agent_groups(self) -> tuple[str, ...]:
        """Principals declared as Admin Agents that are groups (which csp.config_problems refuses).

        Worked out once: a fleet's stacks share the project's one validated directory of principals."""
        return tuple(n for n, p in self.principals.items() if p.admin_agent and p.kind == "group")


class Customer(Model):
    name: Text
    tenant_id: Guid
    offboard: bool = False
    shared_tenant_reason: Text | None = None
    """Why this tenant has more than one stack; without it, `lighthouse-one-stack-per-tenant` objects."""


class Onboarding(Model):
    """The customer-tenant identity that deploys the delegation."""

    object_id: Guid
    kind: Literal["user", "servicePrincipal"] = "user"
    user_type: Literal["Member", "Guest"] = "Member"
    roles: list[Text] = Field(default_factory=lambda: ["Owner"], min_length=1)
    shared_identity_reason: Text | None = None
    """Why this object ID onboards several tenants; without it, `lighthouse-onboarding-per-tenant` objects."""

    @field_validator("user_type")
    @classmethod
    def _user_type_of_a_user(cls, value: str, info: ValidationInfo) -> str:
        # Runs only when userType is written (defaults are not validated): a service principal has no
        # user type, and one written there means the author thought it was a user.
        if info.data.get("kind") == "servicePrincipal":
            raise ValueError(
                "userType is a user's (Member or Guest); a servicePrincipal has none: remove userType, "
                "or set kind: user if this identity is a user"
            )
        return value


class Authorization(Model):
    principal: Text
    role: Text
    delegated_roles: list[Text] | None = None


class EligibleAuthorization(Model):
    principal: Text
    role: Text
    maximum_activation: Activation = "PT8H"
    require_mfa: bool = True
    approvers: list[Text] = Field(default_factory=_no_items)


class MarketplacePlan(Model):
    name: Text
    publisher: Text
    product: Text
    version: Text
    private: bool = False
    """A private plan (offered to named customers only); not part of the ARM plan, read by the rules."""


class ResourceGroup(Model):
    name: ResourceGroupName
    offboard: bool = False


class SubscriptionScope(Model):
    """A subscription, delegated whole or as a list of its resource groups."""

    subscription: Guid
    resource_groups: list[Annotated[ResourceGroup, BeforeValidator(_name_to_mapping)]] | None = Field(
        default=None, min_length=1
    )
    offboard: bool = False


class Adopt(Model):
    """GUIDs of delegations deployed earlier (from ARM templates), pinned so they update in place."""

    definition_id: Guid | None = None
    assignment_ids: dict[str, Guid] = Field(default_factory=_no_entries)


class Offer(Model):
    key: Key
    name: Text
    description: Text
    authorizations: list[Authorization] = Field(min_length=1)
    eligible_authorizations: list[EligibleAuthorization] = Field(default_factory=_no_items)
    plan: MarketplacePlan | None = None
    scopes: list[SubscriptionScope] = Field(min_length=1)
    adopt: Adopt | None = None
    offboard: bool = False


class AzurePlan(Model):
    """The customer's Azure plan in Partner Center, made sure of by the `AzurePlan` resource."""

    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    """The customer's country (ISO 3166 alpha-2), which picks the plan's catalog availability."""
    order_timeout_minutes: Annotated[int, Field(ge=1, le=120)] = 20
    suspend_on_delete: bool = False
    """Unprotects the resource; deleting it then suspends the plan (refused while it has active usage).
    The Partner Center endpoint is not here: a stack file must not send credentials elsewhere."""


class Csp(Model):
    """Subscriptions created through the Cloud Solution Provider program, and the customer's Azure plan."""

    subscriptions: Literal["all"] | list[Guid] = "all"
    """`all`, or the delegated subscriptions that were created through CSP."""
    azure_plan: AzurePlan | None = None


class LighthouseConfig(Model):
    """Everything in the `lighthouse-iac` config namespace of one customer stack."""

    managing_tenant: ManagingTenant
    customer: Customer
    onboarding: Onboarding | None = None
    """Required unless every delegated subscription was created through CSP (Admin Agents onboard those)."""
    csp: Csp | None = None
    offers: list[Offer] = Field(default_factory=_no_items)
    """At least one, except for a new CSP customer whose Azure plan is ordered first (csp.azurePlan)."""
    role_catalogues: list[Text] = Field(default_factory=_no_items)
