"""The check's switches: the loud skip (previews only), a CSP Admin Agent, and settings that cannot start."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pulumi
import pytest

from lighthouse_iac.config import load_stack
from lighthouse_iac.live.gate import (
    onboarded_subscriptions,
    program_check,
    refusal_text,
)
from lighthouse_iac.live.settings import ARM_ENDPOINT_VARIABLE, SKIP_VARIABLE
from lighthouse_iac.models import LighthouseConfig
from lighthouse_iac.onboarding_identity import findings, summary
from lighthouse_iac.plan import CustomerPlan, build_plan

from ..engine import Registered, named
from ..projects import STACK, make_project
from .fake_azure import CONTRIBUTOR, OWNER, FakeAzure, FakeCredential, me, permissions
from .scenario import GUEST_UPN, OBJECT, SUB1, SUB2, TENANT, live, run_live


def test_skipping_in_a_preview_registers_everything_and_says_so_loudly(
    fake: FakeAzure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(SKIP_VARIABLE, "air-gapped preview, ticket OPS-42")
    with caplog.at_level(logging.WARNING):
        run = run_live(tmp_path, FakeCredential(OBJECT, TENANT), preview=True)
    assert len([r for r in run.resources if r.custom]) == 5, named(run.resources)
    assert fake.seen == []  # nothing was asked of Azure
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        f"THE ONBOARDING IDENTITY WAS NOT VERIFIED: {SKIP_VARIABLE} is set (air-gapped preview, ticket "
        "OPS-42). This preview does not show that the signed-in identity may assign roles on the "
        "subscriptions or is not a guest; `pulumi up` refuses to run with this variable set."
    ]


def test_skipping_is_refused_for_an_update(
    fake: FakeAzure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SKIP_VARIABLE, "1")
    registered: list[Registered] = []
    with pytest.raises(pulumi.RunError) as raised:
        run_live(tmp_path, FakeCredential(OBJECT, TENANT), into=registered)
    assert str(raised.value) == (
        f"refusing to deploy stack 'northwind': {SKIP_VARIABLE} is set (1), but the live check of the "
        "onboarding identity may be skipped in a preview only; unset it to deploy"
    )
    assert registered == [], named(registered)
    assert fake.seen == []


def _plan(tmp_path: Path) -> tuple[LighthouseConfig, CustomerPlan]:
    stack = load_stack(make_project(tmp_path), STACK)
    return stack.config, build_plan(stack)


def test_every_onboarded_subscription_is_checked_once(tmp_path: Path) -> None:
    _, plan = _plan(tmp_path)
    assert onboarded_subscriptions(plan) == [SUB1, SUB2]


@pytest.mark.parametrize(
    ("role", "refused"), [(OWNER, False), (CONTRIBUTOR, True)], ids=["owner", "contributor"]
)
def test_a_csp_admin_agent_is_checked_for_the_permission_only(
    fake: FakeAzure, tmp_path: Path, role: dict[str, list[str]], refused: bool
) -> None:
    agent = "3f2a9c7e-5b1d-4e8a-9c6f-2d7b8e1a4c50"  # a user of the partner's tenant, signed in under AOBO
    fake.on_permissions(SUB1, permissions(role))
    fake.on_permissions(SUB2, permissions(OWNER))
    fake.on_me(me(agent, "Guest", GUEST_UPN))  # would fail a customer's user; never asked for an agent
    config, _ = _plan(tmp_path)
    observed = live(FakeCredential(agent, TENANT)).observe([SUB1, SUB2], directory=False)
    assert "/v1.0/me" not in fake.seen
    assert summary(observed, admin_agent=True)[:2] == [
        f"signed in as user {agent} in tenant {TENANT}",
        "CSP Admin Agent under AOBO: checked for Microsoft.Authorization/roleAssignments/write only; guest "
        "status does not apply to a principal of the partner's tenant",
    ]
    found = findings(config, observed, admin_agent=True, engine_identity=(TENANT, agent))
    assert [f.subject for f in found] == ([f"subscription {SUB1}"] if refused else [])
    if refused:
        assert refusal_text(found, admin_agent=True).startswith(
            "the signed-in CSP Admin Agent (under AOBO: checked for Microsoft.Authorization/roleAssignments/"
            "write only) does not pass the live check against Azure and Entra ID:\n  - subscription "
        )
        # The declared onboarding identity's roles are not the agent's: AOBO is what should give it Owner.
        assert found[0].found.endswith(
            "; an Admin Agent holds Owner through AOBO on subscriptions created through CSP)"
        )


def test_the_check_runs_the_deployer_check_itself(fake: FakeAzure, tmp_path: Path) -> None:
    config, plan = _plan(tmp_path)
    outcome = program_check(
        config,
        plan,
        preview=True,
        environ=os.environ,
        settings={},
        engine_identity=(TENANT, "3f2a9c7e-5b1d-4e8a-9c6f-2d7b8e1a4c50"),
        verifier=live(FakeCredential(OBJECT, TENANT)),
    )
    assert outcome.refusal is not None
    assert outcome.refusal.startswith(
        "signed in as object 3f2a9c7e-5b1d-4e8a-9c6f-2d7b8e1a4c50, but the stack"
    )
    assert fake.seen == []


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {ARM_ENDPOINT_VARIABLE: "http://127.0.0.1:1"},
            f"the live check of the onboarding identity cannot start: {ARM_ENDPOINT_VARIABLE}="
            "'http://127.0.0.1:1' is not an https URL such as https://management.azure.com (scheme, host and "
            "optional port and path; no query, fragment or user)",
        ),
        (
            {"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"},
            "the live check of the onboarding identity cannot start: ARM_USE_OIDC is set; it needs "
            "ARM_CLIENT_ID and ARM_TENANT_ID in the environment (the deploy job sets them: the client ID "
            "from AZURE_CLIENT_IDS, the tenant from the stack's customer; a stack file cannot, "
            "docs/security.md)",
        ),
    ],
    ids=["plain-http-endpoint", "oidc-without-tenant"],
)
def test_settings_that_cannot_start_the_check_refuse(
    tmp_path: Path, environ: dict[str, str], message: str
) -> None:
    config, plan = _plan(tmp_path)
    outcome = program_check(
        config,
        plan,
        preview=True,
        environ=environ,
        settings={},
        engine_identity=(TENANT, OBJECT),
    )
    assert outcome.refusal == message


@pytest.mark.skipif(shutil.which("az") is not None, reason="the Azure CLI is installed: it might reach Azure")
def test_no_sign_in_at_all_refuses_with_the_fix(tmp_path: Path) -> None:
    config, plan = _plan(tmp_path)
    outcome = program_check(
        config,
        plan,
        preview=True,
        environ={},
        settings={},
        engine_identity=(TENANT, OBJECT),
    )
    assert outcome.refusal is not None
    assert outcome.refusal.startswith(
        "the live check of the onboarding identity could not sign in: could not get a token for Azure "
        "Resource Manager: Azure CLI not found on path"
    )
    assert outcome.refusal.endswith(
        "; fix: sign in as the onboarding identity the way Pulumi does (the ARM_* variables, or `az login "
        f"--tenant <customer tenant>`), or, for a preview without network access only, set {SKIP_VARIABLE}"
    )
