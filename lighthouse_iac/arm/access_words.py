"""Who gets which role, in words, for the customer's export README: the customer's administrator who deploys
the files reads what they grant without reading ARM JSON or knowing Lighthouse's vocabulary."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from .. import durations
from ..escape import markdown
from ..models import Principal
from ..plan import Grant, OfferPlan
from ..roles import REGISTRATION_DELETE_ROLE, USER_ACCESS_ADMINISTRATOR

_KINDS = MappingProxyType(
    {"group": "group", "user": "user", "servicePrincipal": "application (service principal)"}
)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _minutes(value: str | None) -> str:
    minutes = durations.parse_minutes(value or "") if value else None
    if minutes is None:
        return value or "8 hours"
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    parts += [f"{rest} minute{'s' if rest != 1 else ''}"] if rest else []
    return " ".join(parts)


def _who(principal: Principal) -> str:
    return f"{markdown(principal.display_name)} ({_KINDS.get(principal.kind, principal.kind)})"


def grant_sentence(grant: Grant, directory: Mapping[str, Principal]) -> str:
    """One authorization as a sentence: who, which role, permanently or on activation, and its limits."""
    who, role = _who(grant.principal), f"**{markdown(grant.role_name)}**"
    if not grant.eligible:
        sentence = f"{who} has {role} permanently"
        if grant.role_id == USER_ACCESS_ADMINISTRATOR and grant.delegated_role_names:
            roles = _and([markdown(r) for r in grant.delegated_role_names])
            sentence += f", and may assign only {roles}, and only to managed identities"
        elif grant.role_id == REGISTRATION_DELETE_ROLE:
            sentence += ", which lets it remove this delegation and nothing else"
        return sentence + "."
    conditions = [f"for up to {_minutes(grant.maximum_activation)} at a time"]
    if grant.require_mfa:
        conditions.append("after multi-factor authentication")
    if grant.approvers:
        approvers = [_who(directory[a]) if a in directory else markdown(a) for a in grant.approvers]
        conditions.append(f"once approved by {_and(approvers)}")
    return f"{who} is eligible for {role}: no access until it activates the role, {_and(conditions)}."


def offer_sentences(offer: OfferPlan, directory: Mapping[str, Principal]) -> Iterator[str]:
    """Permanent access first, then eligible: one sentence per authorization."""
    for grant in sorted(offer.grants, key=lambda g: g.eligible):
        yield grant_sentence(grant, directory)
