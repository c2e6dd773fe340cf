"""The policy verdicts the report shows: the rules package's, per customer stack."""

from __future__ import annotations

from collections.abc import Sequence

from ..config import StackConfig
from ..plan import CustomerPlan
from ..rules import Memo, RuleSettings, Verdict, check_fleet, check_stack
from .summary import Checker, Finding


def policy_checker(settings: RuleSettings | None = None, fleet: Sequence[StackConfig] = ()) -> Checker:
    """Run every rule on a stack (the same `check_stack` that `validate` runs) at these settings.

    With the `fleet`'s stacks, the rules across stacks too: compared once, on the first stack asked for.
    """
    across: list[dict[str, list[Verdict]]] = []
    memo = Memo()  # this report's run: what the stacks share is read once

    def check(stack: StackConfig, plan: CustomerPlan) -> list[Finding]:
        if fleet and not across:
            across.append(check_fleet(fleet, settings))
        verdicts = check_stack(stack, settings, plan, memo=memo) + (
            across[0].get(stack.stack, []) if across else []
        )
        return [Finding(stack.stack, v.rule, v.level, v.message, v.file, v.line) for v in verdicts]

    return check
