"""No definition or assignment is declared by two customer stacks (a fleet rule)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..policy_engine.fleet import others, overlaps
from ..policy_engine.model import FleetFinding, Member, Place, Rule


def _scopes_clash(a: Member, b: Member, subscription: str) -> bool:
    mine = [s for s in a.scopes if s.subscription == subscription]
    return any(overlaps(s, t) for s in mine for t in b.scopes)


def _findings(members: Sequence[Member]) -> Iterator[FleetFinding]:
    owners: dict[str, list[tuple[Member, str, str, Place]]] = {}
    for member in members:
        for kind, resource_id, place in member.resources:
            owners.setdefault(resource_id.lower(), []).append((member, kind, resource_id, place))
    for folded, entries in owners.items():
        subscription = folded.split("/")[2]
        for member, kind, resource_id, place in entries:
            # Where the scopes themselves overlap, lighthouse-scope-in-one-stack says so already.
            clashes = [
                (o.stack, p)
                for o, _, _, p in entries
                if o.stack != member.stack and not _scopes_clash(member, o, subscription)
            ]
            if clashes:
                yield FleetFinding(
                    member.stack,
                    place,
                    f"{kind} {resource_id} is also declared by {others(clashes)}; two stacks would "
                    "manage one Azure resource: change the offer key, or the adopted GUID, of one of them",
                )


RULE = Rule(
    name="lighthouse-unique-ids-across-stacks",
    description="No definition or assignment is declared by two customer stacks.",
    severity="high",
    level="mandatory",
    remediation="Change the offer key, or the adopted GUID, of one of the two stacks.",
    facts=("ARCH",),
    fleet=True,
    check_fleet=_findings,
)
