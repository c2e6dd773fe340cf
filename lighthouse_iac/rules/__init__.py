"""The Lighthouse policy rules, written once for the CLI (`validate`, `plan`), the CrossGuard pack and ARM.

Rules evaluate ARM-shaped resources (the inputs of `lighthouse_iac.plan`, the properties the Pulumi engine
passes a policy pack, or resources parsed from ARM templates) together with a `Context` (directory of the
managing tenant, customer tenant, onboarding identity, role catalogue, settings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..policy_engine.context import context_from_config, short_keys
from ..policy_engine.engine import evaluate as _evaluate
from ..policy_engine.engine import run_rule
from ..policy_engine.model import (
    Context,
    DirectoryPrincipal,
    Level,
    OnboardingIdentity,
    Resource,
    Rule,
    Verdict,
)
from ..policy_engine.settings import RuleSettings, parse_settings
from ..policy_engine.shape import UNKNOWN
from . import csp, eligible, fleet, identifiers, inputs, offer, principals, roles, scopes, tenancy

if TYPE_CHECKING:
    from ..config import StackConfig
    from ..plan import CustomerPlan

# Every rule, listed here and nowhere else; the pack, the docs and the reports follow this order.
RULES: tuple[Rule, ...] = (
    roles.NO_OWNER,
    roles.SUPPORTED_ROLE,
    roles.USER_ACCESS_ADMINISTRATOR,
    principals.KNOWN_PRINCIPAL,
    principals.GROUP_PRINCIPALS,
    eligible.ELIGIBLE_MFA,
    eligible.ELIGIBLE_ACTIVATION,
    eligible.ELIGIBLE_APPROVERS,
    eligible.ELIGIBLE_NO_SERVICE_PRINCIPALS,
    eligible.ELIGIBLE_CONSISTENT_POLICY,
    tenancy.MANAGING_TENANT,
    scopes.DEFINITION_SCOPE,
    scopes.ASSIGNMENT_SCOPE,
    scopes.UNIQUE_ASSIGNMENT,
    fleet.SCOPE_IN_ONE_STACK,
    fleet.UNIQUE_IDS_ACROSS_STACKS,
    fleet.ONE_STACK_PER_TENANT,
    fleet.ONBOARDING_PER_TENANT,
    fleet.OFFBOARD_FIRST,
    tenancy.ONBOARDING_NOT_GUEST,
    tenancy.ONBOARDING_CAN_ASSIGN_ROLES,
    offer.AUTHORIZATION_REQUIRED,
    offer.MARKETPLACE_PLAN,
    csp.CSP_PRIVATE_PLAN,
    identifiers.GUID_FORMAT,
    inputs.POLICY_INPUTS,
    offer.REGISTRATION_DELETE_ROLE,
    eligible.ELIGIBLE_NEEDS_READER,
    offer.AUTHORIZATION_LIMIT,
    offer.DUPLICATE_AUTHORIZATION,
    roles.PREFER_ELIGIBLE,
    principals.DISPLAY_NAME,
    csp.CSP_AOBO_ACCESS,
    csp.CSP_PLAN_DELEGATED,
)

BY_NAME = MappingProxyType({rule.name: rule for rule in RULES})


def evaluate(resources: Iterable[Resource], context: Context, rules: Iterable[Rule] = RULES) -> list[Verdict]:
    """Verdicts on ARM-shaped resources; each `loc` is a key path inside its resource (or a stack key)."""
    return _evaluate(resources, context, rules)


def check_stack(
    stack: StackConfig,
    settings: RuleSettings | None = None,
    plan: CustomerPlan | None = None,
    plan_subscriptions: Iterable[str] | None = None,
) -> list[Verdict]:
    """Verdicts on a customer stack, located on the keys of its stack and project files.

    `plan` is the stack's plan when the caller has built it already (the report does);
    `plan_subscriptions` the Azure plan's subscriptions from a snapshot of the last deployment.
    """
    # Imported here: the stack side needs pydantic and the plan, which the policy pack must not load.
    from ..policy_engine.stack import check_stack as check  # noqa: PLC0415

    return check(stack, settings, RULES, plan, plan_subscriptions)


def check_fleet(
    stacks: Iterable[StackConfig],
    settings: RuleSettings | None = None,
    plans: Mapping[str, CustomerPlan] | None = None,
) -> dict[str, list[Verdict]]:
    """Verdicts of the rules across stacks (`fleet`), by stack name, located in each stack's file."""
    from ..policy_engine.members import check_fleet as check  # noqa: PLC0415

    return check(stacks, settings, plans)


__all__ = [
    "BY_NAME",
    "RULES",
    "UNKNOWN",
    "Context",
    "DirectoryPrincipal",
    "Level",
    "OnboardingIdentity",
    "Resource",
    "Rule",
    "RuleSettings",
    "Verdict",
    "check_fleet",
    "check_stack",
    "context_from_config",
    "evaluate",
    "parse_settings",
    "run_rule",
    "short_keys",
]
