"""The customer's Azure plan as a Pulumi resource (AzurePlan), registered by the real program under the
mock engine for a CSP customer: protected unless suspending is declared, and ordered before any offer."""

from __future__ import annotations

from pathlib import Path

import pytest

from lighthouse_iac.config import load_stack
from lighthouse_iac.errors import ConfigError

from ..engine import Client, named, run_program
from ..projects import STACK
from ..test_csp import AGENT, ALL_CSP, CUSTOMER, project

AZURE_PLAN = "    azurePlan:\n      country: US\n"


@pytest.mark.parametrize("suspend", [False, True], ids=["protected", "suspend-on-delete"])
def test_the_azure_plan_is_registered_protected_unless_suspending_is_declared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suspend: bool
) -> None:
    plan = AZURE_PLAN + ("      suspendOnDelete: true\n" if suspend else "")
    stack = ALL_CSP.replace("    subscriptions: all\n", "    subscriptions: all\n" + plan)
    monkeypatch.chdir(project(tmp_path, stack))
    run = run_program(STACK, client=Client(CUSTOMER, AGENT), project_dir=tmp_path)
    plans = run.of_type("pulumi-python:dynamic:Resource")
    assert len(plans) == 1, named(run.resources)
    (resource,) = plans
    assert resource.name == f"{STACK}-azure-plan", resource.urn
    assert resource.protect is not suspend, resource.urn
    assert {k: resource.inputs[k] for k in ("customerTenantId", "country", "orderTimeoutMinutes")} == {
        "customerTenantId": CUSTOMER,
        "country": "US",
        "orderTimeoutMinutes": 20,
    }, resource.urn
    assert resource.inputs["suspendOnDelete"] is suspend, resource.urn
    assert set(run.outputs["azurePlan"]) == {"subscriptionId", "azureSubscriptionIds"}


def test_a_new_csp_customer_orders_its_plan_before_any_offer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = ALL_CSP.split("  lighthouse-iac:offers:")[0]
    monkeypatch.chdir(project(tmp_path, head + AZURE_PLAN))
    run = run_program(STACK, client=Client(CUSTOMER, AGENT), project_dir=tmp_path)
    assert [r.type for r in run.resources if r.custom] == ["pulumi-python:dynamic:Resource"], named(
        run.resources
    )
    # Without an Azure plan, a stack needs an offer.
    (tmp_path / "other").mkdir()
    monkeypatch.chdir(project(tmp_path / "other", head))
    with pytest.raises(ConfigError) as raised:
        load_stack(tmp_path / "other", STACK)
    assert str(raised.value) == (
        "stacks/Pulumi.northwind.yaml:1: lighthouse-iac:offers: missing required key 'lighthouse-iac:offers'"
    )
