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
    Memo,
    OnboardingIdentity,
    Resource,
    Rule,
    Verdict,
)
from ..policy_engine.settings import Level, RuleSettings
from ..policy_engine.settings_file import parse_settings
from ..policy_engine.shape import UNKNOWN
from . import (
    assignment_scope,
    authorization_limit,
    authorization_required,
    csp_aobo_access,
    csp_plan_delegated,
    csp_private_plan,
    definition_scope,
    display_name,
    duplicate_authorization,
    eligible_activation,
    eligible_approvers,
    eligible_consistent_policy,
    eligible_mfa,
    eligible_needs_reader,
    eligible_no_service_principals,
    group_principals,
    guid_format,
    known_principal,
    managing_tenant,
    marketplace_plan,
    no_owner_role,
    offboard_first,
    onboarding_can_assign_roles,
    onboarding_not_guest,
    onboarding_per_tenant,
    one_stack_per_tenant,
    policy_inputs,
    prefer_eligible,
    registration_delete_role,
    scope_in_one_stack,
    supported_role,
    unique_assignment,
    unique_ids_across_stacks,
    user_access_administrator,
)

if TYPE_CHECKING:
    from ..config import StackConfig
    from ..plan import CustomerPlan

# Every rule, listed here and nowhere else; the pack, the docs and the reports follow this order. Each rule
# lives in the module named after it, as `RULE`: lighthouse-no-owner-role in rules/no_owner_role.py.
RULES: tuple[Rule, ...] = (
    no_owner_role.RULE,
    supported_role.RULE,
    user_access_administrator.RULE,
    known_principal.RULE,
    group_principals.RULE,
    eligible_mfa.RULE,
    eligible_activation.RULE,
    eligible_approvers.RULE,
    eligible_no_service_principals.RULE,
    eligible_consistent_policy.RULE,
    managing_tenant.RULE,
    definition_scope.RULE,
    assignment_scope.RULE,
    unique_assignment.RULE,
    scope_in_one_stack.RULE,
    unique_ids_across_stacks.RULE,
    one_stack_per_tenant.RULE,
    onboarding_per_tenant.RULE,
    offboard_first.RULE,
    onboarding_not_guest.RULE,
    onboarding_can_assign_roles.RULE,
    authorization_required.RULE,
    marketplace_plan.RULE,
    csp_private_plan.RULE,
    guid_format.RULE,
    policy_inputs.RULE,
    registration_delete_role.RULE,
    eligible_needs_reader.RULE,
    authorization_limit.RULE,
    duplicate_authorization.RULE,
    prefer_eligible.RULE,
    display_name.RULE,
    csp_aobo_access.RULE,
    csp_plan_delegated.RULE,
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
    memo: Memo | None = None,
) -> list[Verdict]:
    """Verdicts on a customer stack, located on the keys of its stack and project files.

    `plan` is the stack's plan when the caller has built it already (the report does);
    `plan_subscriptions` the Azure plan's subscriptions from a snapshot of the last deployment;
    `memo` one command's run over many stacks, which reads what they share once.
    """
    # Imported here: the stack side needs pydantic and the plan, which the policy pack must not load.
    from ..policy_engine.stack import check_stack as check  # noqa: PLC0415

    return check(stack, settings, RULES, plan, plan_subscriptions, memo=memo)


def check_fleet(
    stacks: Iterable[StackConfig],
    settings: RuleSettings | None = None,
    plans: Mapping[str, CustomerPlan] | None = None,
) -> dict[str, list[Verdict]]:
    """Verdicts of the rules across stacks (`fleet`), by stack name, located in each stack's file."""
    from ..policy_engine.members import check_fleet as check  # noqa: PLC0415

    return check(stacks, RULES, settings, plans)


__all__ = [
    "BY_NAME",
    "RULES",
    "UNKNOWN",
    "Context",
    "DirectoryPrincipal",
    "Level",
    "Memo",
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
