"""`import --merge`: another subscription's template of an offer the stack already has adds that subscription
to the offer's scopes and its assignment GUIDs to `adopt.assignmentIds`, editing the stack file in place.

The file is edited with ruamel.yaml's round-trip mode, so comments, key order, quoting and flow lists stay
as the user wrote them; an edit that would reformat anything else is refused rather than written. An offer
the stack does not have is appended. What cannot be one offer (other authorizations, another definition
GUID, a subscription already delegated) is a conflict, named with the stack file's line.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..config import StackConfig
from ..errors import ConfigError, Problem
from ..keys import short_key
from ..plan import CustomerPlan, Grant, OfferPlan, build_plan

# (mapping, sequence, offset) indentations tried in turn: the one that reproduces the file unchanged is used.
_STYLES = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (2, 4, 0), (4, 4, 0), (2, 3, 1))


@dataclass
class Merge:
    """What merging adds to the stack file, and the new text."""

    text: str
    added: list[str] = field(default_factory=list)


def _signature(grant: Grant, directory: Mapping[str, Any]) -> tuple[object, ...]:
    approvers = tuple(sorted(directory[a].object_id for a in grant.approvers if a in directory))
    eligible = (grant.maximum_activation, grant.require_mfa, approvers) if grant.eligible else ()
    role = grant.role_id.lower()
    return (
        grant.principal.object_id,
        role,
        grant.eligible,
        tuple(sorted(grant.delegated_role_ids)),
        eligible,
    )


def _grants(offer: OfferPlan, plan: CustomerPlan) -> dict[tuple[object, ...], Grant]:
    directory = plan.config.managing_tenant.principals
    return {_signature(g, directory): g for g in offer.grants}


def _said(grant: Grant) -> str:
    kind = "eligible" if grant.eligible else "permanent"
    return f"{grant.principal_name} {grant.role_name} ({kind})"


class _Conflict(Exception):
    pass


def _compare(current: OfferPlan, now: CustomerPlan, imported: OfferPlan, then: CustomerPlan) -> None:
    """Refuse what would make one offer two: other authorizations, another definition GUID."""
    mine, theirs = _grants(current, now), _grants(imported, then)
    if mine.keys() != theirs.keys():
        only_template = ", ".join(_said(theirs[k]) for k in theirs if k not in mine) or "none"
        only_stack = ", ".join(_said(mine[k]) for k in mine if k not in theirs) or "none"
        raise _Conflict(
            "the template's authorizations differ from this offer's (only in the template: "
            f"{only_template}; only in the stack: {only_stack}); an offer grants the same access in every "
            "subscription: make them the same first, or import the template without --merge and add its "
            "offer as a separate one"
        )
    for what in ("name", "description"):
        if getattr(current.offer, what) != getattr(imported.offer, what):
            raise _Conflict(
                f"the template's {what} {getattr(imported.offer, what)!r} is not this offer's "
                f"{getattr(current.offer, what)!r}; they are one definition's properties"
            )
    mine_id, theirs_id = current.definitions[0].definition_id, imported.definitions[0].definition_id
    if mine_id.lower() != theirs_id.lower():
        raise _Conflict(
            f"the template deployed definition {theirs_id}, this offer's definition is {mine_id}; an offer "
            "keeps one definition GUID in every subscription: import the template without --merge and add "
            "its offer as a separate one"
        )


def _match(plan: CustomerPlan, imported: OfferPlan) -> OfferPlan | None:
    """The stack's offer of the same key, else the one with the same definition GUID."""
    for offer in plan.offers:
        if offer.offer.key == imported.offer.key:
            return offer
    wanted = imported.definitions[0].definition_id.lower()
    return next((o for o in plan.offers if o.definitions[0].definition_id.lower() == wanted), None)


def _yaml(style: tuple[int, int, int]) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the user wrote on one line
    yaml.indent(mapping=style[0], sequence=style[1], offset=style[2])
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _load(text: str, file: str) -> tuple[YAML, Any]:
    """The document and the emitter settings that write it back byte for byte."""
    for style in _STYLES:
        yaml = _yaml(style)
        try:
            data = yaml.load(text)
        except YAMLError as exc:
            raise ConfigError([Problem(file, None, "", f"cannot edit this file: {exc}")]) from None
        if _dump(yaml, data) == text:
            return yaml, data
    raise ConfigError(
        [
            Problem(
                file,
                None,
                "",
                "cannot edit this file without reformatting it (its indentation or style is not one "
                "ruamel.yaml writes back unchanged); add the scopes and adopt.assignmentIds printed by "
                "`lighthouse-iac import` without --merge by hand",
            )
        ]
    )


def _commented(value: Any) -> Any:
    if isinstance(value, Mapping):
        mapped = CommentedMap()
        for key, item in value.items():
            mapped[key] = _commented(item)
        return mapped
    if isinstance(value, list):
        items = CommentedSeq(_commented(v) for v in value)
        if all(isinstance(v, str) for v in value):
            items.fa.set_flow_style()  # [rg-a, rg-b], as the examples write lists of names
        return items
    return value


def _kept(original: str, merged: str) -> bool:
    """Every line of the original is still there, in order: the edit only added lines."""
    rest = iter(merged.splitlines())
    return all(any(line == candidate for candidate in rest) for line in original.splitlines())


def merge_stack(
    stack: StackConfig, text: str, file: str, imported_stack: StackConfig, imported: list[dict[str, Any]]
) -> Merge:
    """The stack file's text with the imported offers merged in; ConfigError on a conflict."""
    now, then = build_plan(stack), build_plan(imported_stack)
    yaml, data = _load(text, file)
    config = data.get("config") if isinstance(data, Mapping) else None
    key = next((k for k in (config or {}) if short_key(str(k), None) == "offers"), None)
    offers = config[key] if config is not None and key is not None else None
    if not isinstance(offers, CommentedSeq):
        raise ConfigError([Problem(file, None, "offers", "no offers list to merge into")])
    merge = Merge(text)
    problems: list[Problem] = []
    for written, planned in zip(imported, then.offers, strict=True):
        current = _match(now, planned)
        if current is None:
            offers.append(_commented(written))
            merge.added.append(f"offer {written['key']} (new)")
            continue
        base = ("offers", current.index)
        try:
            _compare(current, now, planned, then)
        except _Conflict as exc:
            problems.append(stack.problem(base, f"cannot merge the template into this offer: {exc}"))
            continue
        offer = offers[current.index]
        for scope in written["scopes"]:
            listed = {s.subscription for s in current.offer.scopes}
            if scope["subscription"] in listed:
                at = next(
                    i for i, s in enumerate(current.offer.scopes) if s.subscription == scope["subscription"]
                )
                problems.append(
                    stack.problem(
                        (*base, "scopes", at, "subscription"),
                        f"the template's subscription {scope['subscription']} is already a scope of this "
                        "offer; merge adds subscriptions the stack does not have yet",
                    )
                )
                continue
            offer["scopes"].append(_commented(scope))
            merge.added.append(f"offer {current.offer.key}: scope {scope['subscription']}")
        pins = written.get("adopt", {}).get("assignmentIds", {})
        adopt = offer.get("adopt")
        if adopt is None:
            adopt = offer["adopt"] = CommentedMap()
        if adopt.get("assignmentIds") is None:
            adopt["assignmentIds"] = CommentedMap()
        for scope_id, assignment in pins.items():
            adopt["assignmentIds"][scope_id] = assignment
            merge.added.append(f"offer {current.offer.key}: adopt.assignmentIds[{scope_id}] = {assignment}")
    if problems:
        raise ConfigError(problems)
    merged = _dump(yaml, data)
    if not _kept(text, merged):
        raise ConfigError([Problem(file, None, "", "merging would rewrite lines of this file; not written")])
    merge.text = merged
    return merge
