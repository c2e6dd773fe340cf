"""The plan's authorizations as Partner Center asks for them, and what Partner Center would refuse (MKT)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lighthouse_iac.arm.marketplace import partner_center
from lighthouse_iac.config import load_stack
from lighthouse_iac.errors import ConfigError
from lighthouse_iac.plan import build_plan

from ..engine import FIXTURE
from ..projects import make_project


def test_wingtip_plan_as_partner_center_asks_for_it() -> None:
    stack = load_stack(FIXTURE, "wingtip")
    (offer,) = partner_center(build_plan(stack), stack)
    directory = stack.config.managing_tenant.principals
    assert offer["plan"] == {
        "planId": "cost-insights-standard",
        "publisherId": "fabrikam-managed-cloud",
        "offerId": "fabrikam-cost-insights",
        "version": "1.0.0",
    }
    assert offer["tenantId"] == stack.config.managing_tenant.tenant_id
    assert [(a["principalIdDisplayName"], a["role"], a["accessType"]) for a in offer["authorizations"]] == [
        (directory[a.principal].display_name, a.role, "Permanent")
        for a in stack.config.offers[0].authorizations
    ]
    assert all(
        a["principalId"] == directory[a2.principal].object_id
        for a, a2 in zip(offer["authorizations"], stack.config.offers[0].authorizations, strict=True)
    )


def test_user_access_administrator_lists_its_assignable_roles(tmp_path: Path) -> None:
    stack_text = (
        (FIXTURE / "stacks" / "Pulumi.wingtip.yaml")
        .read_text()
        .replace(
            "        - principal: msp-readers\n          role: Reader\n",
            "        - principal: msp-readers\n          role: Reader\n"
            "        - principal: msp-platform\n          role: User Access Administrator\n"
            "          delegatedRoles: [Virtual Machine Contributor]\n",
        )
    )
    project = make_project(tmp_path, stack_text, "wingtip")
    stack = load_stack(project, "wingtip")
    (offer,) = partner_center(build_plan(stack), stack)
    uaa = offer["authorizations"][1]
    assert uaa["role"] == "User Access Administrator"
    assert uaa["assignableRoles"] == [
        {"role": "Virtual Machine Contributor", "roleDefinitionId": "9980e02c-c2be-4d73-94e8-173b1dc7cf3c"}
    ]


def test_more_than_twenty_authorizations_are_refused(tmp_path: Path) -> None:
    extra = "".join("        - principal: msp-readers\n          role: Reader\n" for _ in range(17))
    stack_text = (
        (FIXTURE / "stacks" / "Pulumi.wingtip.yaml")
        .read_text()
        .replace("      authorizations:\n", "      authorizations:\n" + extra)
    )
    project = make_project(tmp_path, stack_text, "wingtip")
    stack = load_stack(project, "wingtip")
    with pytest.raises(ConfigError) as caught:
        partner_center(build_plan(stack), stack)
    (problem,) = caught.value.problems
    assert problem.render().endswith(
        "offers[0].authorizations: 21 authorizations (21 permanent, 0 eligible); a Marketplace plan takes at "
        "most 20 (MKT): group principals, or onboard this customer with the ARM export"
    )
    assert problem.file is not None and problem.file.endswith("Pulumi.wingtip.yaml")


def test_a_stack_without_a_plan_is_refused() -> None:
    stack = load_stack(FIXTURE, "contoso")
    with pytest.raises(ConfigError) as caught:
        partner_center(build_plan(stack), stack)
    assert caught.value.problems[0].message == (
        "no offer of stack 'contoso' has a Marketplace plan; add plan {name, publisher, product, version} "
        "to the "
        "offer you publish, or use --format arm"
    )


def test_plan_ids_and_versions_follow_partner_center(tmp_path: Path) -> None:
    stack_text = (FIXTURE / "stacks" / "Pulumi.wingtip.yaml").read_text()
    stack_text = stack_text.replace("name: cost-insights-standard", "name: Cost Insights Standard")
    stack_text = stack_text.replace("version: 1.0.0", "version: '1.0'")
    project = make_project(tmp_path, stack_text, "wingtip")
    stack = load_stack(project, "wingtip")
    with pytest.raises(ConfigError) as caught:
        partner_center(build_plan(stack), stack)
    assert [p.message for p in caught.value.problems] == [
        "'Cost Insights Standard' is not a Partner Center plan ID: up to 50 lowercase letters, digits, "
        "dashes or "
        "underscores (MKT)",
        "'1.0' is not a manifest version n.n.n (MKT)",
    ]
