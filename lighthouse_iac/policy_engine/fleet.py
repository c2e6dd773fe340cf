"""What the fleet rules share: naming the other places of a clash, and when two scopes overlap.

A subscription belongs to one tenant and a delegation to one stack; object IDs are per tenant. The fleet
rules compare what each stack declares (`Member`, built from a stack by `policy_engine.members`) and report
on each stack's own line, naming the other file and line. The policy pack sees one stack's configuration
and nothing of the others, so it cannot run them; `validate` and `report` do, over every stack.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Place, Scope

# How many other places a message names before it says "and N more".
_NAMED = 3


def others(places: Sequence[tuple[str, Place]]) -> str:
    """`file:line (stack x), ...` for the first few of (stack, place), and how many more."""
    named = [f"{place} (stack {stack})" for stack, place in places[:_NAMED]]
    more = len(places) - len(named)
    return ", ".join(named) + (f" and {more} more" if more else "")


def overlaps(a: Scope, b: Scope) -> bool:
    """Whether two scopes share a subscription and a resource group (a whole subscription holds all)."""
    return a.subscription == b.subscription and (a.group is None or b.group is None or a.group == b.group)
