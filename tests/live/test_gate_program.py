"""The real program under the mock engine, with the live verifier reading the local fake of ARM and Graph.

Each case registers everything or nothing, and a refusal says exactly what was found and the fix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pulumi
import pytest

from ..engine import Registered, named
from ..projects import BASELINE
from .fake_azure import (
    AUTHORIZATION_BUT_ASSIGNMENTS,
    AUTHORIZATION_WRITER,
    CONTRIBUTOR,
    OWNER,
    READER,
    USER_ACCESS_ADMINISTRATOR,
    FakeAzure,
    FakeCredential,
    Reply,
    arm_forbidden,
    arm_throttled,
    graph_error,
    me,
    permissions,
)
from .scenario import GUEST_UPN, MEMBER_UPN, OBJECT, SUB1, SUB2, TENANT, run_live

RESOURCES = 5  # northwind: two definitions, and assignments to one subscription and two resource groups
HEAD = (
    "refusing to deploy stack 'northwind': the signed-in identity does not pass the live check against "
    "Azure and Entra ID:\n  - "
)
DECLARED = "the stack file declares roles Owner"
MEMBER_FIX = (
    f"fix: deploy as a member account of tenant {TENANT} (or a service principal of it) and declare that "
    "identity under lighthouse-iac:onboarding"
)
SP_STACK = BASELINE.replace(
    f"    objectId: {OBJECT}\n", f"    objectId: {OBJECT}\n    kind: servicePrincipal\n"
)
GUEST_STACK = BASELINE.replace(f"    objectId: {OBJECT}\n", f"    objectId: {OBJECT}\n    userType: Guest\n")


def _grant_fix(subscription: str) -> str:
    return (
        "fix: have the customer assign it Owner (or User Access Administrator) on "
        f"/subscriptions/{subscription}: az role assignment create --assignee-object-id {OBJECT} "
        "--role Owner "
        f"--scope /subscriptions/{subscription}"
    )


def _serve(sub1: Reply, sub2: Reply | None = None, who: Reply | None = None) -> Callable[[FakeAzure], None]:
    def setup(fake: FakeAzure) -> None:
        fake.on_permissions(SUB1, sub1)
        fake.on_permissions(SUB2, sub2 or permissions(OWNER))
        fake.on_me(who or me(OBJECT, "Member", MEMBER_UPN))

    return setup


def _refused(
    tmp_path: Path, credential: FakeCredential, stack_text: str = BASELINE, preview: bool = False
) -> str:
    registered: list[Registered] = []
    with pytest.raises(pulumi.RunError) as raised:
        run_live(tmp_path, credential, stack_text=stack_text, into=registered, preview=preview)
    assert registered == [], named(registered)
    return str(raised.value)


def _paged(fake: FakeAzure) -> None:
    _serve(permissions(OWNER))(fake)
    link = f"{fake.base_url}{fake.permissions_path(SUB1)}?api-version=2022-04-01&$skiptoken=2"
    fake.on_permissions(SUB1, permissions(READER, next_link=link), permissions(OWNER))


def _throttled_once(fake: FakeAzure) -> None:
    _serve(permissions(OWNER))(fake)
    fake.on_permissions(SUB2, arm_throttled(SUB2, OBJECT), permissions(OWNER))


GRANTED = {
    "owner": _serve(permissions(OWNER)),
    "reader-then-owner-on-the-next-page": _paged,
    "contributor-and-user-access-administrator": _serve(permissions(CONTRIBUTOR, USER_ACCESS_ADMINISTRATOR)),
    "custom-authorization-write": _serve(permissions(AUTHORIZATION_WRITER)),
    "throttled-once": _throttled_once,
}


@pytest.mark.parametrize("case", GRANTED)
@pytest.mark.parametrize("preview", [False, True], ids=["up", "preview"])
def test_a_member_who_may_assign_roles_registers_everything(
    fake: FakeAzure, tmp_path: Path, case: str, preview: bool
) -> None:
    GRANTED[case](fake)
    run = run_live(tmp_path, FakeCredential(OBJECT, TENANT), preview=preview)
    assert len([r for r in run.resources if r.custom]) == RESOURCES, named(run.resources)
    expected = [fake.permissions_path(SUB1), fake.permissions_path(SUB2), "/v1.0/me"]
    assert sorted(set(fake.seen)) == sorted(expected)
    pages = {"reader-then-owner-on-the-next-page": (2, 1), "throttled-once": (1, 2)}.get(case, (1, 1))
    assert (fake.seen.count(expected[0]), fake.seen.count(expected[1])) == pages


def test_a_service_principal_is_not_asked_about_guests(fake: FakeAzure, tmp_path: Path) -> None:
    _serve(permissions(OWNER))(fake)
    run = run_live(tmp_path, FakeCredential(OBJECT, TENANT, user=False), stack_text=SP_STACK)
    assert len([r for r in run.resources if r.custom]) == RESOURCES, named(run.resources)
    assert "/v1.0/me" not in fake.seen


REFUSED: dict[str, tuple[Callable[[FakeAzure], None], FakeCredential, str, list[str]]] = {
    "contributor": (
        _serve(permissions(CONTRIBUTOR)),
        FakeCredential(OBJECT, TENANT),
        BASELINE,
        [
            f"subscription {SUB1}: Microsoft.Authorization/roleAssignments/write is granted by * but removed "
            "by notActions Microsoft.Authorization/*/Write (it holds actions *; notActions "
            "Microsoft.Authorization/*/Delete, Microsoft.Authorization/*/Write, "
            "Microsoft.Authorization/elevateAccess/Action, Microsoft.Blueprint/blueprintAssignments/write, "
            "Microsoft.Blueprint/blueprintAssignments/delete, Microsoft.Compute/galleries/share/action and 5 "
            f"more; {DECLARED}); {_grant_fix(SUB1)}"
        ],
    ),
    "notactions-remove-it": (
        _serve(permissions(AUTHORIZATION_BUT_ASSIGNMENTS)),
        FakeCredential(OBJECT, TENANT),
        BASELINE,
        [
            f"subscription {SUB1}: Microsoft.Authorization/roleAssignments/write is granted by "
            "Microsoft.Authorization/* but removed by notActions "
            "Microsoft.Authorization/roleAssignments/write "
            "(it holds actions */read, Microsoft.Authorization/*; notActions "
            f"Microsoft.Authorization/roleAssignments/write; {DECLARED}); {_grant_fix(SUB1)}"
        ],
    ),
    "reader-and-no-role": (
        _serve(permissions(READER), permissions()),
        FakeCredential(OBJECT, TENANT),
        BASELINE,
        [
            f"subscription {SUB1}: Microsoft.Authorization/roleAssignments/write is not among "
            "its permissions "
            f"(it holds actions */read; notActions none; {DECLARED}); {_grant_fix(SUB1)}",
            f"subscription {SUB2}: Microsoft.Authorization/roleAssignments/write is not among "
            "its permissions "
            f"(it holds no role at all; {DECLARED}); {_grant_fix(SUB2)}",
        ],
    ),
    "forbidden": (
        _serve(permissions(OWNER), arm_forbidden(SUB2, OBJECT)),
        FakeCredential(OBJECT, TENANT),
        BASELINE,
        [
            f"subscription {SUB2}: Azure refused to list its permissions there (HTTP 403 "
            "AuthorizationFailed: "
            f"The client '{OBJECT}' with object id '{OBJECT}' does not have authorization to perform action "
            f"'Microsoft.Authorization/permissions/read' over scope '/subscriptions/{SUB2}' or the scope is "
            "invalid. If access was recently granted, please refresh your credentials.): it holds no role "
            f"there that may read them, so none that may assign roles; {_grant_fix(SUB2)}; if the "
            "subscription is not the customer's, correct the stack file"
        ],
    ),
    "throttled": (
        _serve(permissions(OWNER), arm_throttled(SUB2, OBJECT)),
        FakeCredential(OBJECT, TENANT),
        BASELINE,
        [
            f"subscription {SUB2}: Azure kept throttling the permissions request (HTTP 429 "
            f"SubscriptionRequestsThrottled: Number of 'read' requests for subscription '{SUB2}' actor "
            f"'{OBJECT}' exceeded. Please try again after '1' seconds after additional tokens are available. "
            "Refer to https://aka.ms/arm-throttling), so its right to assign roles is unproven; "
            "fix: run again "
            "in a few minutes (ARM's limits: learn.microsoft.com/azure/azure-resource-manager/management/"
            "request-limits-and-throttling)"
        ],
    ),
    "guest": (
        _serve(permissions(OWNER), None, me(OBJECT, "Guest", GUEST_UPN)),
        FakeCredential(OBJECT, TENANT),
        BASELINE,
        [
            f"user {OBJECT}: Microsoft Graph reports userType Guest ({GUEST_UPN}): not a member of the "
            "customer's tenant, and a guest must not onboard it (the stack file declares Member); "
            f"{MEMBER_FIX}"
        ],
    ),
    "member-with-an-external-upn": (
        _serve(permissions(OWNER), None, me(OBJECT, "Member", GUEST_UPN)),
        FakeCredential(OBJECT, TENANT),
        BASELINE,
        [
            f"user {OBJECT}: its userPrincipalName {GUEST_UPN} carries #EXT#, the mark of an "
            "identity invited "
            f"from another tenant, although Microsoft Graph reports userType Member; {MEMBER_FIX}"
        ],
    ),
    "graph-forbidden": (
        _serve(
            permissions(OWNER),
            None,
            graph_error(
                403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
            ),
        ),
        FakeCredential(OBJECT, TENANT),
        BASELINE,
        [
            f"user {OBJECT}: Microsoft Graph did not answer /me (HTTP 403 Authorization_RequestDenied: "
            "Insufficient privileges to complete the operation.), so whether it is a guest of the customer's "
            "tenant is unknown; fix: sign in with a client that may read the signed-in user (Graph's "
            "User.Read, which the Azure CLI holds), or run again if Graph was throttling"
        ],
    ),
    "service-principal-declared-as-user": (
        _serve(permissions(OWNER)),
        FakeCredential(OBJECT, TENANT, user=False),
        BASELINE,
        [
            f"servicePrincipal {OBJECT}: the signed-in identity is a servicePrincipal, but the stack file "
            "declares onboarding.kind user; fix: set lighthouse-iac:onboarding.kind to servicePrincipal (the "
            "stack file should say the truth)"
        ],
    ),
    "user-declared-as-service-principal": (
        _serve(permissions(OWNER)),
        FakeCredential(OBJECT, TENANT),
        SP_STACK,
        [
            f"user {OBJECT}: the signed-in identity is a user, but the stack file declares onboarding.kind "
            "servicePrincipal; fix: set lighthouse-iac:onboarding.kind to user (the stack file "
            "should say the "
            "truth)"
        ],
    ),
    "member-declared-as-guest": (
        _serve(permissions(OWNER)),
        FakeCredential(OBJECT, TENANT),
        GUEST_STACK,
        [
            f"user {OBJECT}: Microsoft Graph reports userType Member, but the stack file "
            "declares Guest; fix: "
            "set lighthouse-iac:onboarding.userType to Member (the stack file should say the truth)"
        ],
    ),
    "another-sign-in-than-pulumi": (
        _serve(permissions(OWNER)),
        FakeCredential("0ecf0fd8-752b-4aa3-bcb9-7dc20789f2c1", TENANT),
        BASELINE,
        [
            "sign-in: the live check signed in as object 0ecf0fd8-752b-4aa3-bcb9-7dc20789f2c1 in tenant "
            f"{TENANT}, but Pulumi as object {OBJECT} in tenant {TENANT}; fix: give both the same sign-in "
            "(the ARM_* variables or azure-native:* settings, else `az login`); docs/operations.md"
        ],
    ),
}


@pytest.mark.parametrize("case", REFUSED)
@pytest.mark.parametrize("preview", [False, True], ids=["up", "preview"])
def test_an_identity_that_falls_short_registers_nothing(
    fake: FakeAzure, tmp_path: Path, case: str, preview: bool
) -> None:
    setup, credential, stack_text, found = REFUSED[case]
    if case == "throttled" and preview:
        pytest.skip("the same request as in `up`; one run of three retries is enough")
    setup(fake)
    assert _refused(tmp_path, credential, stack_text, preview) == HEAD + "\n  - ".join(found)
