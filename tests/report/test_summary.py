"""Per-customer and per-principal summaries, and the policy verdicts the report carries."""

from __future__ import annotations

from pathlib import Path

from lighthouse_iac.fleet import load_fleet
from lighthouse_iac.report.summary import build_report
from lighthouse_iac.report.verdicts import policy_checker
from lighthouse_iac.rules import RuleSettings

from ..engine import FIXTURE
from ..projects import BASELINE, make_project


def test_customer_summaries_count_the_rows_of_each_customer() -> None:
    report = build_report(load_fleet(FIXTURE).require_valid())
    assert [c.stack for c in report.customers] == ["contoso", "tailspin", "wingtip"]
    for c in report.customers:
        rows = [r for r in report.access if r.stack == c.stack]
        assert c.permanent == sum(not r.eligible for r in rows)
        assert c.eligible == sum(r.eligible for r in rows)
        assert c.principals == len({r.principal for r in rows})
        assert c.scopes == len({r.scope for r in rows})
    tailspin = next(c for c in report.customers if c.stack == "tailspin")
    # Two offers; three subscriptions, one of them delegated as two resource groups: four scopes.
    assert (tailspin.offers, tailspin.subscriptions, tailspin.scopes) == (2, 3, 4)


def test_principal_summaries_say_where_each_principal_reaches() -> None:
    report = build_report(load_fleet(FIXTURE).require_valid())
    by_name = {p.principal: p for p in report.principals}
    # msp-approvers holds no authorization but approves the eligible ones of two customers.
    approvers = by_name["msp-approvers"]
    assert (approvers.customers, approvers.permanent, approvers.eligible) == (0, 0, 0)
    assert approvers.approves == len({r.stack for r in report.access if "msp-approvers" in r.approvers}) == 2
    assert by_name["msp-oncall"].approves == 0
    oncall = by_name["msp-oncall"]
    assert oncall.eligible_roles == ("Contributor",)
    assert oncall.customers == len({r.stack for r in report.access if r.principal == "msp-oncall"})
    platform = by_name["msp-platform"]
    assert (platform.customers, platform.permanent_roles, platform.eligible) == (
        1,
        ("User Access Administrator",),
        0,
    )
    assert sum(p.permanent + p.eligible for p in report.principals) == len(report.access)


def test_verdicts_of_each_stack_are_in_the_report(tmp_path: Path) -> None:
    # Without the delete role only the customer can remove the delegation (TUR, REM): an advisory.
    stack = BASELINE.replace(
        "        - principal: msp-offboarding\n"
        "          role: Managed Services Registration assignment Delete Role\n",
        "",
    )
    assert stack != BASELINE
    root = make_project(tmp_path, stack)
    report = build_report(load_fleet(root).require_valid(), policy_checker(RuleSettings()))
    rules = {(f.stack, f.rule, f.level) for f in report.findings}
    assert ("northwind", "lighthouse-registration-delete-role", "advisory") in rules
    [customer] = report.customers
    assert customer.advisory == sum(f.level == "advisory" for f in report.findings) >= 1
    assert customer.mandatory == 0
    assert all(f.file and f.file.endswith("Pulumi.northwind.yaml") and f.line for f in report.findings)


def test_the_example_fleet_is_clean() -> None:
    report = build_report(load_fleet(FIXTURE).require_valid(), policy_checker())
    assert report.findings == ()
