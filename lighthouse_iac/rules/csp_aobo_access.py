"""A CSP customer's reviewer sees that Admin Agents keep full AOBO access beside Lighthouse."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..policy_engine.model import Context, Finding, Resource, Rule
from ..policy_engine.subscriptions import delegated


def _aobo(resources: Iterable[Resource], context: Context) -> Iterator[Finding]:
    csp = context.csp
    if csp is None:
        return
    subs = [s for s in delegated(resources) if csp.covers(s)]
    if subs:
        agents = sorted(p.name for p in context.admin_agents())
        who = f" ({', '.join(agents)} declared)" if agents else ""
        yield Finding(
            ("csp",),
            f"{len(subs)} subscription(s) created through CSP ({', '.join(subs)}): every Admin Agent of the "
            f"managing tenant{who} keeps Owner on them through AOBO beside these Lighthouse grants; "
            "Lighthouse grants do not narrow it",
        )


RULE = Rule(
    name="lighthouse-csp-aobo-access",
    description="A CSP customer's reviewer sees that Admin Agents keep full AOBO access beside Lighthouse.",
    severity="medium",
    level="advisory",
    remediation=(
        "Keep the Admin Agent role to the few who need it, and once the Lighthouse grants serve the team, "
        "consider removing the partner's AOBO Owner assignment from the customer's subscriptions."
    ),
    facts=("CSPDOC", "seeds"),
    check_stack=_aobo,
)
