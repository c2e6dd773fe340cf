"""`lighthouse-iac whoami`: the program's identity checks outside Pulumi, against the local fake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lighthouse_iac.cli import main
from lighthouse_iac.live import gate
from lighthouse_iac.live.credential import SignIn
from lighthouse_iac.live.settings import ARM_ENDPOINT_VARIABLE

from ..projects import BASELINE, STACK, make_project
from .fake_azure import CONTRIBUTOR, OWNER, FakeAzure, FakeCredential, me, permissions
from .scenario import GUEST_UPN, MEMBER_UPN, OBJECT, SUB1, SUB2, TENANT

MANAGING = "d980ba46-0ced-44e9-ba1f-fe956db47fe4"  # Pulumi.yaml's managing tenant


def _whoami(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    credential: FakeCredential,
    *args: str,
) -> int:
    project = make_project(tmp_path)
    # The one stand-in: Entra ID's token endpoint. Everything after the token is the real code and clients.
    monkeypatch.setattr(
        gate, "provider_sign_in", lambda environ, settings: SignIn(credential, "a test sign-in")
    )
    return main(["-C", str(project), "whoami", STACK, *args])


def test_an_identity_that_may_onboard(
    fake: FakeAzure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.on_permissions(SUB1, permissions(OWNER))
    fake.on_permissions(SUB2, permissions(OWNER))
    fake.on_me(me(OBJECT, "Member", MEMBER_UPN))
    assert _whoami(tmp_path, monkeypatch, FakeCredential(OBJECT, TENANT)) == 0
    assert capsys.readouterr().out == (
        f"Customer Northwind Traders (stack {STACK}), tenant {TENANT}\n"
        "  sign-in: a test sign-in\n"
        f"  signed in as user {OBJECT} in tenant {TENANT}\n"
        f"  Microsoft Graph /me: userType Member, userPrincipalName {MEMBER_UPN}\n"
        f"  subscription {SUB1}: may assign roles (actions *; notActions none)\n"
        f"  subscription {SUB2}: may assign roles (actions *; notActions none)\n"
        "\n"
        "OK: this identity may onboard Northwind Traders (2 subscriptions checked)\n"
    )


def test_a_guest_without_owner_is_not_ready(
    fake: FakeAzure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.on_permissions(SUB1, permissions(CONTRIBUTOR))
    fake.on_permissions(SUB2, permissions(OWNER))
    fake.on_me(me(OBJECT, "Guest", GUEST_UPN))
    assert _whoami(tmp_path, monkeypatch, FakeCredential(OBJECT, TENANT)) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[4].startswith(f"  subscription {SUB1}: may NOT assign roles (actions *; notActions ")
    assert out[7] == "NOT READY: 2 findings; `pulumi up` would refuse to deploy"
    assert out[8].startswith(
        f"  - subscription {SUB1}: Microsoft.Authorization/roleAssignments/write is granted"
    )
    assert out[9].startswith(f"  - user {OBJECT}: Microsoft Graph reports userType Guest ({GUEST_UPN})")
    assert len(out) == 10


def test_the_deployer_check_runs_on_the_tokens_identity(
    fake: FakeAzure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.on_permissions(SUB1, permissions(OWNER))
    fake.on_permissions(SUB2, permissions(OWNER))
    fake.on_me(me(OBJECT, "Member", MEMBER_UPN))
    assert _whoami(tmp_path, monkeypatch, FakeCredential(OBJECT, MANAGING), "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["identity"]["tenantId"] == MANAGING
    assert [s["mayAssignRoles"] for s in report["subscriptions"]] == [True, True]
    assert report["findings"] == [
        {
            "subject": "sign-in",
            "found": (
                f"signed in to the managing tenant {MANAGING} (Fabrikam Managed Cloud); "
                "onboarding 'Northwind "
                f"Traders' must be deployed from the customer's tenant {TENANT} by its onboarding identity "
                f"{OBJECT} (az login --tenant {TENANT})"
            ),
            "fix": "",
        }
    ]


def test_settings_that_cannot_start_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ARM_ENDPOINT_VARIABLE, "https://arm.example?x=1")
    assert main(["-C", str(make_project(tmp_path)), "whoami", STACK]) == 2
    assert capsys.readouterr().err == (
        f"lighthouse-iac: {ARM_ENDPOINT_VARIABLE}='https://arm.example?x=1' is not an https URL such as "
        "https://management.azure.com (scheme, host and optional port and path; no query, fragment or user)\n"
    )


@pytest.mark.parametrize(("tenant", "code"), [(TENANT, 0), (MANAGING, 1)])
def test_a_customer_name_cannot_drive_the_terminal(
    tenant: str,
    code: int,
    fake: FakeAzure,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake.on_permissions(SUB1, permissions(OWNER))
    fake.on_permissions(SUB2, permissions(OWNER))
    fake.on_me(me(OBJECT, "Member", MEMBER_UPN))
    stack = BASELINE.replace("name: Northwind Traders", r'name: "North\e[2Jwind\u202e"')
    assert r"\e[2J" in stack
    project = make_project(tmp_path, stack)
    monkeypatch.setattr(
        gate, "provider_sign_in", lambda environ, settings: SignIn(FakeCredential(OBJECT, tenant), "a test")
    )
    assert main(["-C", str(project), "whoami", STACK]) == code
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert out.startswith(r"Customer North\x1b[2Jwind\u202e (stack")
    # the closing verdict (OK) or the finding (signed in to the wrong tenant) names the customer escaped
    assert r"North\x1b[2Jwind\u202e" in out.splitlines()[-1]


@pytest.mark.parametrize("setting", ["oidcRequestUrl", "oidcRequestToken"])
def test_a_stack_file_cannot_say_where_the_jobs_oidc_request_token_goes(
    setting: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GitHub's request token mints the job's OIDC tokens for any audience: sent to a URL a pull request
    # wrote, it would sign in to Azure as the pipeline's identity.
    # (Both URLs are closed local ports: a regression fails, it reaches nothing.)
    monkeypatch.setenv("ARM_USE_OIDC", "true")
    monkeypatch.setenv("ARM_CLIENT_ID", OBJECT)
    monkeypatch.setenv("ARM_TENANT_ID", TENANT)
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "the-jobs-request-token")
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_URL", "https://127.0.0.1:9/request?x=1")
    stack = BASELINE + f"  azure-native:{setting}: https://127.0.0.1:9/collect\n"
    assert main(["-C", str(make_project(tmp_path, stack)), "whoami", STACK]) == 2
    assert capsys.readouterr().err == (
        f"lighthouse-iac: azure-native:{setting} is set in the stack file; the OIDC request URL and token "
        "come from the environment only (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, "
        "or ARM_OIDC_REQUEST_URL and ARM_OIDC_REQUEST_TOKEN): the request token mints the job's OIDC tokens, "
        "and a stack file is changed by pull requests; remove it\n"
    )
