"""Where a verdict is. Every resource the rules read comes with its source map: a planned resource with the
configuration keys it came from (lighthouse_iac.plan), a template's with the template's key paths and
lines (lighthouse_iac.arm). One path turns verdicts on them into located, deduplicated, sorted verdicts,
for stacks and templates alike.

The pack sees the engine's resources, not the plan: it builds the plan from the same configuration and
takes the source map of the planned resource with the same registration ID at the same scope (IDs are
deterministic: lighthouse_iac.ids).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..errors import format_path
from ..source_map import Source, SourceMap
from .engine import evaluate
from .model import ASSIGNMENT, DEFINITION, Context, Kind, Loc, Resource, Rule, Verdict
from .shape import text

if TYPE_CHECKING:
    from ..plan import CustomerPlan
    from ..roles import RoleCatalogue


@dataclass(frozen=True)
class Located:
    """A resource for the rules, the name its verdicts give, and where each of its keys was written."""

    kind: Kind
    name: str
    inputs: Mapping[str, Any]
    sources: SourceMap


def located_verdicts(
    resources: Sequence[Located],
    context: Context,
    rules: Iterable[Rule],
    elsewhere: Callable[[Loc], Source],
    *,
    name_related: bool = True,
    once_per_line: bool = False,
) -> list[Verdict]:
    """The rules' verdicts on `resources`, each on the key, file and line that set the value, said once per
    place and sorted by file, line and rule.

    `elsewhere` locates a verdict on no resource (a key of the stack). With `name_related`, the other
    place a verdict names (the first of two duplicates) is named the same way, with its line; a template
    keeps it as the key inside the resource. A place is a key, or a line with `once_per_line`: one offer's
    definition repeats per subscription, Microsoft's multi-RG templates one definition per group.
    """
    # A definition and the assignment of its whole subscription share a name (types differ), so the
    # resources are evaluated under their position and get their names back afterwards.
    evaluated = [Resource(r.kind, str(i), r.inputs) for i, r in enumerate(resources)]
    rules = tuple(rules)
    about_values = {r.name for r in rules if r.about_values}
    located: dict[tuple[object, ...], Verdict] = {}
    for verdict in evaluate(evaluated, context, rules):
        position = verdict.resource
        found = resources[int(position)] if position is not None and position.isdigit() else None
        message, related = verdict.message, verdict.related
        if found is None:
            where = elsewhere(verdict.loc)
        else:
            where = found.sources.source(verdict.loc, value=verdict.rule in about_values)
            if name_related and related:
                other = found.sources.source(related)
                named = f"{format_path(other.key)} ({other.file}:{other.line})"
                message, related = message.replace(format_path(related), named), other.key
        place = (where.file, where.line) if once_per_line else (where.key,)
        seen = (verdict.rule, verdict.level, message, *place)
        if seen not in located:
            located[seen] = replace(
                verdict,
                message=message,
                resource=found.name if found else None,
                loc=where.key,
                file=where.file,
                line=where.line,
                related=related,
            )
    return sorted(located.values(), key=lambda v: (v.file or "", v.line or 0, v.rule))


_ID = MappingProxyType({DEFINITION: "registrationDefinitionId", ASSIGNMENT: "registrationAssignmentId"})


def _identity(kind: Kind, inputs: Any) -> tuple[str, str, str] | None:
    """A registration's kind, scope and ID (lowercase): what no two resources of one deployment share."""
    if not isinstance(inputs, Mapping):
        return None
    scope, registration = text(inputs.get("scope")), text(inputs.get(_ID[kind]))
    if scope is None or registration is None:
        return None
    return kind, scope.lower(), registration.lower()


class PlanSources:
    """The source maps of a plan's resources, found for the engine's by registration ID and scope."""

    def __init__(self, plan: CustomerPlan | None) -> None:
        self._by_id: dict[tuple[str, str, str], SourceMap] = {}
        for planned in plan.resources() if plan is not None else ():
            found = _identity(planned.kind, planned.inputs())
            if found is not None:
                self._by_id.setdefault(found, planned.sources)

    def sources(self, resource: Resource) -> SourceMap | None:
        """The source map of the planned resource that `resource` is; None for one the plan does not make."""
        found = _identity(resource.kind, resource.inputs)
        return self._by_id.get(found) if found is not None else None


def engine_plan(values: Mapping[str, Any], catalogue: RoleCatalogue, stack: str) -> CustomerPlan | None:
    """The plan of a stack's configuration as the engine gives it (no file: keys have no lines); None when
    the configuration is not valid, which `lighthouse-policy-inputs` reports."""
    # Imported here: validating needs pydantic, which the pack loads only once a verdict needs locating.
    from ..config import Entry, build  # noqa: PLC0415
    from ..errors import ConfigError  # noqa: PLC0415
    from ..plan import build_plan  # noqa: PLC0415

    entries = {key: Entry(value, None) for key, value in values.items()}
    try:
        return build_plan(build(stack, entries, Path.cwd(), catalogue=catalogue))
    except ConfigError:
        return None
