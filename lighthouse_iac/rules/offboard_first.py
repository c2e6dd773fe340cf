"""Delegations removed without the first step of offboarding: what `validate --base REF` reports.

Delegations are protected until a stack marks them `offboard: true` (README, "Offboarding"); a pull
request that deletes one that was still protected at REF would make `pulumi up` fail on the protected
resource, or, with the protection removed by hand, take a customer's access away unreviewed. Compared
resource by resource (stack and Azure resource ID), so a new offer key or managing tenant, which gives the
definition a new ID, counts as removing the old one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..policy_engine.model import Loc, Place, Rule, Verdict
from ..policy_engine.settings import RuleSettings

if TYPE_CHECKING:
    from ..config import StackConfig

RULE = Rule(
    name="lighthouse-offboard-first",
    description="A delegation is removed only after a merged change marked it offboard: true.",
    severity="high",
    level="mandatory",
    remediation="Restore it with offboard: true, merge and deploy that, then remove it in a second change.",
    facts=("REM", "UPD"),
    fleet=True,
)

_STEPS = (
    "put it back with `offboard: true` on it, merge and deploy that change (pulumi up unprotects it), "
    "then remove it in a second pull request"
)


def _place(stack: StackConfig, loc: Loc, revision: str) -> Place:
    """Where `loc` was at `revision`: `REVISION:stacks/Pulumi.x.yaml` and its line there."""
    file, line = stack.locate(loc)
    if file is None:
        return Place.at(loc, None, line)
    path = Path(file).resolve()
    root = stack.project_dir.resolve()
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else file
    return Place.at(loc, f"{revision}:{shown}", line)


def _gone(stack: StackConfig, head_ids: set[str], revision: str) -> Iterable[tuple[Place, str]]:
    """(where at REVISION, what) for each protected delegation of `stack` that `head_ids` no longer has."""
    # Imported here: the plan needs pydantic, which the policy pack (which loads every rule) must not load.
    from ..plan import AssignmentResource, DefinitionResource, build_plan  # noqa: PLC0415

    for offer in build_plan(stack).offers:
        i, key = offer.index, offer.offer.key
        protected = [r for r in offer.resources() if r.protect]
        missing = [r for r in protected if r.resource_id.lower() not in head_ids]
        if not missing:
            continue
        if len(missing) == len(offer.resources()):
            yield _place(stack, ("offers", i, "key"), revision), f"offer '{key}'"
            continue
        definitions = list(offer.definitions)
        gone_definitions = {id(r) for r in missing if isinstance(r, DefinitionResource)}
        at: Loc
        for j, definition in enumerate(definitions):
            if id(definition) in gone_definitions:
                at = ("offers", i, "scopes", j, "subscription")
                yield (
                    _place(stack, at, revision),
                    f"subscription {definition.subscription_id} of offer '{key}'",
                )
        for r in missing:
            if not isinstance(r, AssignmentResource) or id(r.definition) in gone_definitions:
                continue
            j = definitions.index(r.definition)
            entry = offer.offer.scopes[j]
            if r.resource_group is None or entry.resource_groups is None:
                at = ("offers", i, "scopes", j, "subscription")
                what = f"the whole-subscription delegation of {entry.subscription} in offer '{key}'"
            else:
                k = next(n for n, g in enumerate(entry.resource_groups) if g.name == r.resource_group)
                at = ("offers", i, "scopes", j, "resourceGroups", k)
                what = (
                    f"resource group {r.resource_group} of subscription {entry.subscription} in offer '{key}'"
                )
            yield _place(stack, at, revision), what


def check_removals(
    base: Sequence[StackConfig],
    head: Sequence[StackConfig],
    revision: str,
    settings: RuleSettings | None = None,
    unreadable: Iterable[str] = (),
) -> dict[str, list[Verdict]]:
    """Verdicts by stack name on what `base` (the project at `revision`) delegated and `head` drops; their
    `file` is left for the caller to set to the stack file as it is now.

    `unreadable`: stacks of head that exist but do not load (their problems are reported): not compared.
    """
    from ..plan import build_plan  # noqa: PLC0415

    level = (settings or RuleSettings()).effective(RULE)
    if level is None:
        return {}
    head_ids = {(s.stack, r.resource_id.lower()) for s in head for r in build_plan(s).resources()}
    head_names = {s.stack for s in head} | set(unreadable)
    found: dict[str, list[Verdict]] = {}
    for stack in base:
        if stack.stack in unreadable:
            continue
        ids = {rid for name, rid in head_ids if name == stack.stack}
        if stack.stack not in head_names and not any(r.protect for r in build_plan(stack).resources()):
            continue  # the whole customer was offboarded at REVISION: deleting its file is step 2
        gone = list(_gone(stack, ids, revision))
        if stack.stack not in head_names and gone:
            gone = [(_place(stack, ("customer", "tenantId"), revision), f"stack '{stack.stack}'")]
        for place, what in gone:
            message = (
                f"{what} is delegated at {revision} ({place}) and gone now, but was not marked "
                f"offboard: true there: {_STEPS}"
            )
            # Located on the stack file as it is now (what code scanning can show), the old line in words.
            verdict = Verdict(RULE.name, level, message, None, place.loc)
            found.setdefault(stack.stack, []).append(verdict)
    return found
