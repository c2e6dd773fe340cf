"""A CSP Admin Agent under AOBO, through the real program and the live verifier against the local fake."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest

from ..engine import Client, Registered, named, run_program
from ..projects import STACK
from ..test_csp import AGENT, ALL_CSP, project
from .fake_azure import CONTRIBUTOR, OWNER, FakeAzure, FakeCredential, me, permissions
from .scenario import GUEST_UPN, SUB1, SUB2, TENANT, live


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, into: list[Registered]) -> None:
    folder = project(tmp_path, ALL_CSP)
    monkeypatch.chdir(folder)
    run_program(
        STACK,
        client=Client(TENANT, AGENT),
        project_dir=folder,
        into=into,
        verifier=live(FakeCredential(AGENT, TENANT)),
    )


def test_an_admin_agent_with_owner_through_aobo_registers_everything(
    fake: FakeAzure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.on_permissions(SUB1, permissions(OWNER))
    fake.on_permissions(SUB2, permissions(OWNER))
    fake.on_me(me(AGENT, "Guest", GUEST_UPN))  # would refuse a customer's user; an agent is not asked
    registered: list[Registered] = []
    _run(tmp_path, monkeypatch, registered)
    assert len([r for r in registered if r.custom]) == 5, named(registered)
    assert "/v1.0/me" not in fake.seen


def test_an_admin_agent_without_the_permission_is_refused_and_told_why(
    fake: FakeAzure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.on_permissions(SUB1, permissions(OWNER))
    fake.on_permissions(SUB2, permissions(CONTRIBUTOR))
    registered: list[Registered] = []
    with pytest.raises(pulumi.RunError) as raised:
        _run(tmp_path, monkeypatch, registered)
    assert registered == [], named(registered)
    assert str(raised.value) == (
        f"refusing to deploy stack '{STACK}': the signed-in CSP Admin Agent (under AOBO: checked for "
        "Microsoft.Authorization/roleAssignments/write only) does not pass the live check against Azure and "
        f"Entra ID:\n  - subscription {SUB2}: Microsoft.Authorization/roleAssignments/write is granted by * "
        "but removed by notActions Microsoft.Authorization/*/Write (it holds actions *; notActions "
        "Microsoft.Authorization/*/Delete, Microsoft.Authorization/*/Write, "
        "Microsoft.Authorization/elevateAccess/Action, Microsoft.Blueprint/blueprintAssignments/write, "
        "Microsoft.Blueprint/blueprintAssignments/delete, Microsoft.Compute/galleries/share/action and 5 "
        "more; an Admin Agent holds Owner through AOBO on subscriptions created through CSP); fix: have the "
        f"customer assign it Owner (or User Access Administrator) on /subscriptions/{SUB2}: az role "
        f"assignment create --assignee-object-id {AGENT} --role Owner --scope /subscriptions/{SUB2}; or, "
        "under AOBO, check that the partner's Admin Agents still hold Owner there (a customer can remove "
        "that assignment, the 'Foreign principal' in the subscription's access control)"
    )
    assert "/v1.0/me" not in fake.seen
