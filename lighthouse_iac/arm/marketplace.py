"""A plan's offers as Partner Center asks for them when publishing a Managed Service plan (MKT).

Per plan: the managing tenant, the plan's identifiers and manifest version, and each authorization
(principal ID and display name, role, access type, and for User Access Administrator the roles it may
assign). Partner Center takes up to 20 authorizations per plan (MKT); more is refused here, before a
publisher finds out in the portal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ..config import StackConfig
from ..errors import ConfigError, Problem
from ..escape import terminal
from ..plan import CustomerPlan, Grant, OfferPlan

MAX_AUTHORIZATIONS = 20  # per plan, permanent and eligible together (MKT)
_PLAN_ID = re.compile(r"^[a-z0-9_-]{1,50}$")  # MKT: up to 50 lowercase alphanumerics, dashes, underscores
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")  # MKT: manifest version n.n.n


def _authorization(grant: Grant) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "principalId": grant.principal.object_id,
        "principalIdDisplayName": grant.principal.display_name,
        "role": grant.role_name,
        "roleDefinitionId": grant.role_id,
        "accessType": "Eligible" if grant.eligible else "Permanent",
    }
    if grant.delegated_role_ids:
        entry["assignableRoles"] = [
            {"role": name, "roleDefinitionId": role_id}
            for role_id, name in zip(grant.delegated_role_ids, grant.delegated_role_names, strict=True)
        ]
    if grant.eligible:
        entry["maximumActivationDuration"] = grant.maximum_activation
        entry["multiFactorAuthProvider"] = "Azure" if grant.require_mfa else "None"
        entry["approvers"] = list(grant.approvers)
    return entry


def _problems(stack: StackConfig, offer: OfferPlan) -> list[Problem]:
    base = ("offers", offer.index)
    problems = []
    count = len(offer.grants)
    if count > MAX_AUTHORIZATIONS:
        problems.append(
            stack.problem(
                (*base, "authorizations"),
                f"{count} authorizations ({len(offer.offer.authorizations)} permanent, "
                f"{len(offer.offer.eligible_authorizations)} eligible); a Marketplace plan takes at most "
                f"{MAX_AUTHORIZATIONS} (MKT): group principals, or onboard this customer with the ARM export",
            )
        )
    plan = offer.offer.plan
    if plan is not None and not _PLAN_ID.match(plan.name):
        problems.append(
            stack.problem(
                (*base, "plan", "name"),
                f"'{plan.name}' is not a Partner Center plan ID: up to 50 lowercase letters, digits, "
                "dashes or underscores (MKT)",
            )
        )
    if plan is not None and not _VERSION.match(plan.version):
        problems.append(
            stack.problem(
                (*base, "plan", "version"), f"'{plan.version}' is not a manifest version n.n.n (MKT)"
            )
        )
    return problems


def partner_center(plan: CustomerPlan, stack: StackConfig) -> list[dict[str, Any]]:
    """One entry per offer with a Marketplace plan; ConfigError for what Partner Center would refuse."""
    offers = [o for o in plan.offers if o.offer.plan is not None]
    if not offers:
        raise ConfigError(
            [
                stack.problem(
                    ("offers",),
                    f"no offer of stack '{plan.stack}' has a Marketplace plan; add plan {{name, publisher, "
                    "product, version} to the offer you publish, or use --format arm",
                )
            ]
        )
    problems = [p for o in offers for p in _problems(stack, o)]
    if problems:
        raise ConfigError(problems)
    tenant = plan.config.managing_tenant
    result = []
    for offer in offers:
        assert offer.offer.plan is not None
        p = offer.offer.plan
        result.append(
            {
                "offerKey": offer.offer.key,
                "offerName": offer.offer.name,
                "description": offer.offer.description,
                "plan": {
                    "planId": p.name,
                    "publisherId": p.publisher,
                    "offerId": p.product,
                    "version": p.version,
                },
                "tenantId": tenant.tenant_id,
                "tenantName": tenant.name,
                "authorizations": [_authorization(g) for g in offer.grants],
            }
        )
    return result


def render(document: Mapping[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def text(offers: list[dict[str, Any]]) -> str:
    """The same, in the order of Partner Center's plan form (technical configuration)."""
    lines: list[str] = []
    for offer in offers:
        p = offer["plan"]
        if lines:
            lines.append("")
        lines += [
            f"Plan {p['planId']} of offer {p['offerId']} by {p['publisherId']}: {offer['offerName']}",
            f"  Manifest version  {p['version']}",
            f"  Tenant ID         {offer['tenantId']} ({offer['tenantName']})",
            f"  Authorizations    {len(offer['authorizations'])} of at most {MAX_AUTHORIZATIONS}",
        ]
        for a in offer["authorizations"]:
            extra = ""
            if "assignableRoles" in a:
                extra = "; assignable roles: " + ", ".join(r["role"] for r in a["assignableRoles"])
            if a["accessType"] == "Eligible":
                extra = f"; up to {a['maximumActivationDuration']}, MFA {a['multiFactorAuthProvider']}"
            who = f"{a['principalId']}  {a['principalIdDisplayName']}"
            lines.append(f"    {who}  {a['role']} ({a['accessType']}){extra}")
    return "\n".join(map(terminal, lines))  # names are the input's: control characters shown escaped
