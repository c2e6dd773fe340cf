"""The policy verdicts the report shows: the rules package's, per customer stack."""

from __future__ import annotations

from ..config import StackConfig
from ..plan import CustomerPlan
from ..rules import RuleSettings, check_stack
from .summary import Checker, Finding


def policy_checker(settings: RuleSettings | None = None) -> Checker:
    """Run every rule on a stack (the same `check_stack` that `validate` runs) at these settings."""

    def check(stack: StackConfig, plan: CustomerPlan) -> list[Finding]:
        return [
            Finding(stack.stack, v.rule, v.level, v.message, v.file, v.line)
            for v in check_stack(stack, settings, plan)
        ]

    return check
