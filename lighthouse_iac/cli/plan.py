"""`lighthouse-iac plan CUSTOMER`: what a customer stack declares, resource by resource."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import config, csp
from ..escape import terminal
from ..models import LighthouseConfig
from ..plan import CustomerPlan, Grant, OfferPlan, build_plan
from ..roles import RoleCatalogue
from ..rules import check_stack
from ..validation import verdict_json, verdicts_text
from . import options
from .commands import help_of
from .context import UsageError, project_dir

if TYPE_CHECKING:
    from ..partner_center.snapshot import PlanSnapshot


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("plan", help=help_of("plan"))
    parser.add_argument(
        "customer", help="stack name, or its stack file (stacks/Pulumi.<customer>.yaml) as validate takes it"
    )
    options.add_format(parser, ("text", "json"), "text")
    options.add_azure_plans(parser)
    parser.set_defaults(run=run)


def _stack(args: argparse.Namespace) -> config.StackConfig:
    """The stack a name or a stack file path names (a path ends in .yaml, as stack files do)."""
    named: str = args.customer
    if not named.endswith(".yaml"):
        return config.load_stack(project_dir(args), named)
    path = Path(named)
    if path.name == config.PROJECT_FILE:
        raise UsageError(f"{named}: plan shows one customer; name its stack file or stack")
    # Only for a path: validate's module imports much that plan does not need.
    from .validate import stacks_of  # noqa: PLC0415

    root, (stack,) = stacks_of(path, args)
    return config.load_stack(root, stack)


def run(args: argparse.Namespace) -> int:
    stack = _stack(args)
    plan = build_plan(stack)
    snapshot = None
    if args.azure_plans:  # imported only then: most plans have no Azure plan snapshot to read
        from ..partner_center.snapshot import read_snapshot  # noqa: PLC0415

        snapshot = read_snapshot(args.azure_plans, stack.stack)
    known = snapshot.azure_subscription_ids if snapshot else None
    verdicts = check_stack(stack, plan_subscriptions=known)
    if args.format == "json":
        extra = {"azurePlan": _snapshot_json(plan, snapshot)} if snapshot else {}
        document = {
            **plan_json(plan, stack.catalogue),
            **extra,
            "verdicts": [verdict_json(v) for v in verdicts],
        }
        print(json.dumps(document, indent=2))
    else:
        # The verdicts go above the closing resource count, which stays the last line.
        body, last = plan_text(plan).rsplit("\n", 1)
        if snapshot:
            body += "\n" + "\n".join(_snapshot_lines(plan, snapshot))
        print(f"{body}\n{verdicts_text(verdicts)}\n\n{last}")
    return 0


def _grant_row(grant: Grant) -> list[str]:
    return [
        "eligible" if grant.eligible else "permanent",
        f"{grant.principal_name} ({grant.principal.kind})",
        grant.role_name,
        grant.describe(),
    ]


def _table(rows: list[list[str]], indent: str = "    ") -> list[str]:
    rows = [[terminal(c) for c in r] for r in rows]  # escaped first, so that the columns line up
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _offer_text(offer: OfferPlan) -> list[str]:
    state = "  [offboarding: unprotected, remove it from the stack file to delete]" if offer.offboard else ""
    lines = [f"Offer {offer.offer.key}: {offer.offer.name}{state}", f"  {offer.offer.description}"]
    if offer.offer.plan is not None:
        p = offer.offer.plan
        lines.append(
            f"  Marketplace plan {p.name} by {p.publisher}, product {p.product}, version {p.version}"
        )
    lines.append("  Access")
    lines += _table([_grant_row(g) for g in offer.grants])
    lines.append("  Resources")
    rows = [
        [r.type.rsplit(":", 1)[-1], r.scope, r.definition_id, "" if r.protect else "offboarding"]
        for r in offer.definitions
    ]
    rows += [
        [r.type.rsplit(":", 1)[-1], r.scope, r.assignment_id, "" if r.protect else "offboarding"]
        for r in offer.assignments
    ]
    lines += _table(rows)
    return lines


def plan_text(plan: CustomerPlan) -> str:
    cfg = plan.config
    tenant = cfg.managing_tenant
    lines = [
        f"Customer {cfg.customer.name} (stack {plan.stack})"
        + ("  [offboarding]" if cfg.customer.offboard else ""),
        f"  customer tenant  {cfg.customer.tenant_id}",
        f"  managing tenant  {tenant.tenant_id} ({tenant.name})",
        *_onboarding_lines(cfg),
    ]
    for offer in plan.offers:
        lines.append("")
        lines += _offer_text(offer)
    resources = list(plan.resources())
    definitions = sum(1 for r in resources if r.type.endswith("Definition"))
    unprotected = sum(1 for r in resources if not r.protect)
    lines += [
        "",
        f"{_count(len(resources), 'resource')}: {_count(definitions, 'registration definition')}, "
        f"{_count(len(resources) - definitions, 'registration assignment')}"
        + (f"; {unprotected} unprotected for offboarding" if unprotected else ""),
    ]
    # Names are the input's: each line shows their control characters escaped (ESC, CR, newlines).
    return "\n".join(map(terminal, lines))


def _delegated_by(plan: CustomerPlan) -> dict[str, list[str]]:
    by: dict[str, list[str]] = {}
    for offer in plan.offers:
        for definition in offer.definitions:
            by.setdefault(definition.subscription_id.lower(), []).append(offer.offer.key)
    return by


def _snapshot_lines(plan: CustomerPlan, snapshot: PlanSnapshot) -> list[str]:
    """The Azure plan's subscriptions as the last deployment knew them, and which offers delegate them."""
    by = _delegated_by(plan)
    lines = ["", f"  Azure plan {snapshot.subscription_id} (from {snapshot.file})"]
    for sub in snapshot.azure_subscription_ids:
        offers = by.get(sub)
        lines.append(
            f"    {sub}  " + (f"delegated by {', '.join(offers)}" if offers else "delegated by no offer")
        )
    if not snapshot.azure_subscription_ids:
        lines.append("    no Azure subscription yet")
    return lines


def _snapshot_json(plan: CustomerPlan, snapshot: PlanSnapshot) -> dict[str, Any]:
    by = _delegated_by(plan)
    return {
        "subscriptionId": snapshot.subscription_id,
        "source": snapshot.file,
        "azureSubscriptions": [
            {"id": s, "delegatedBy": by.get(s, [])} for s in snapshot.azure_subscription_ids
        ],
    }


def _onboarding_lines(cfg: LighthouseConfig) -> list[str]:
    """Who onboards: the customer's identity, and for CSP subscriptions the Admin Agents (AOBO)."""
    onboarding, lines = cfg.onboarding, []
    if onboarding is not None:
        who = onboarding.kind if onboarding.kind != "user" else f"user, {onboarding.user_type}"
        lines.append(f"  onboarded by     {onboarding.object_id} ({who}; {', '.join(onboarding.roles)})")
    if cfg.csp is not None:
        subs = csp.csp_subscriptions(cfg)
        agents = ", ".join(sorted(a.name for a in csp.admin_agents(cfg.managing_tenant).values()))
        lines.append(f"  created by CSP   {', '.join(subs) or 'none of the delegated subscriptions'}")
        if subs:
            label = "or, for those" if onboarding is not None else "onboarded by"
            lines.append(f"  {label:<16} an Admin Agent under AOBO ({agents or 'none declared'})")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def plan_json(plan: CustomerPlan, catalogue: RoleCatalogue | None = None) -> dict[str, Any]:
    """The plan as JSON; with the stack's catalogue, where each role comes from (`roleSource`)."""
    cfg = plan.config

    def source(role_id: str) -> dict[str, Any]:
        found = catalogue.source_of(role_id) if catalogue is not None else None
        return {"roleSource": found} if found else {}

    return {
        "stack": plan.stack,
        "customer": {"name": cfg.customer.name, "tenantId": cfg.customer.tenant_id},
        "managingTenantId": cfg.managing_tenant.tenant_id,
        "roleCatalogues": list(cfg.role_catalogues),
        "offers": [
            {
                "key": o.offer.key,
                "name": o.offer.name,
                "offboarding": o.offboard,
                "access": [
                    {
                        "principal": g.principal_name,
                        "principalId": g.principal.object_id,
                        "kind": g.principal.kind,
                        "role": g.role_name,
                        "roleDefinitionId": g.role_id,
                        **source(g.role_id),
                        "eligible": g.eligible,
                        **(
                            {
                                "delegatedRoleDefinitionIds": list(g.delegated_role_ids),
                                "delegatedRoleSources": [
                                    catalogue.source_of(r) if catalogue is not None else None
                                    for r in g.delegated_role_ids
                                ],
                            }
                            if g.delegated_role_ids
                            else {}
                        ),
                        **(
                            {
                                "maximumActivation": g.maximum_activation,
                                "requireMfa": g.require_mfa,
                                "approvers": list(g.approvers),
                            }
                            if g.eligible
                            else {}
                        ),
                    }
                    for g in o.grants
                ],
                "resources": [
                    {"type": r.type, "name": r.name, "protect": r.protect, "inputs": r.inputs()}
                    for r in o.resources()
                ],
            }
            for o in plan.offers
        ],
    }
