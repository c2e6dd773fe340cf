"""What lighthouse-policy-inputs finds unreadable in a registration: every odd shape, at its key path.

Plain registrations are recognised before they are walked (readable.py); these cases are each one step
away from plain, so that a shortcut that let one through would fail here.
"""

from __future__ import annotations

from typing import Any

import pytest

from lighthouse_iac.policy_engine.model import ASSIGNMENT, DEFINITION, Resource
from lighthouse_iac.policy_engine.readable import unreadable
from lighthouse_iac.policy_engine.shape import UNKNOWN

READERS = "6b8c7a52-7c0b-4f6f-9f5b-0c2a1f1f3e11"
APPROVERS = "0c7d2e4f-3a1b-4c5d-8e9f-1a2b3c4d5e6f"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"

GRANT: dict[str, Any] = {
    "principalId": READERS,
    "principalIdDisplayName": "Readers",
    "roleDefinitionId": READER,
}
POLICY: dict[str, Any] = {
    "multiFactorAuthProvider": "Azure",
    "maximumActivationDuration": "PT8H",
    "managedByTenantApprovers": [{"principalId": APPROVERS, "principalIdDisplayName": "Approvers"}],
}
ELIGIBLE: dict[str, Any] = {**GRANT, "roleDefinitionId": CONTRIBUTOR, "justInTimeAccessPolicy": POLICY}


def _definition(authorizations: Any = (GRANT,), eligible: Any = (ELIGIBLE,)) -> Resource:
    properties = {
        "registrationDefinitionName": "Offer",
        "description": "An offer",
        "managedByTenantId": READERS,
        "authorizations": list(authorizations) if isinstance(authorizations, tuple) else authorizations,
        "eligibleAuthorizations": list(eligible) if isinstance(eligible, tuple) else eligible,
    }
    return Resource(DEFINITION, "offer", {"properties": properties})


def _problems(resource: Resource) -> list[tuple[str, str]]:
    return [(".".join(str(p) for p in loc), message) for loc, message in unreadable(resource)]


def _policy(**changes: Any) -> dict[str, Any]:
    return {**ELIGIBLE, "justInTimeAccessPolicy": {**POLICY, **changes}}


def _approver(approver: Any) -> dict[str, Any]:
    return _policy(managedByTenantApprovers=[approver])


def test_a_plain_registration_has_nothing_unreadable() -> None:
    assignment = Resource(ASSIGNMENT, "a", {"properties": {"registrationDefinitionId": "/subscriptions/x"}})
    unknowns = _definition(
        [{**GRANT, "principalId": UNKNOWN, "delegatedRoleDefinitionIds": UNKNOWN}],
        [_approver(UNKNOWN), {**ELIGIBLE, "justInTimeAccessPolicy": UNKNOWN}],
    )
    permanent_policy = _definition([{**GRANT, "justInTimeAccessPolicy": 5}])  # only an eligible one's is read
    for resource in (_definition(), assignment, unknowns, permanent_policy):
        assert _problems(resource) == []


ODD = [
    ("grant-not-a-mapping", _definition(["x"]), "properties.authorizations.0", "found 'x'"),
    ("grant-number-id", _definition([{**GRANT, "principalId": 7}]), "principalId", "found 7"),
    ("grant-null-role", _definition([{**GRANT, "roleDefinitionId": None}]), "roleDefinitionId", "nothing"),
    ("grant-list-name", _definition([{**GRANT, "principalIdDisplayName": []}]), "DisplayName", "a list"),
    ("grant-unknown-key", _definition([{**GRANT, "roles": [READER]}]), "authorizations.0.roles", "(roles)"),
    (
        "delegated-not-a-list",
        _definition([{**GRANT, "delegatedRoleDefinitionIds": READER}]),
        "delegatedRoleDefinitionIds",
        "expected a list of role IDs",
    ),
    (
        "delegated-number",
        _definition([{**GRANT, "delegatedRoleDefinitionIds": [READER, 3]}]),
        "delegatedRoleDefinitionIds.1",
        "found 3",
    ),
    ("policy-not-a-mapping", _definition((), [{**ELIGIBLE, "justInTimeAccessPolicy": []}]), "Policy", "list"),
    ("policy-unknown-key", _definition((), [_policy(approvers=[])]), "Policy.approvers", "(approvers)"),
    ("policy-number-mfa", _definition((), [_policy(multiFactorAuthProvider=1)]), "AuthProvider", "found 1"),
    (
        "policy-null-duration",
        _definition((), [_policy(maximumActivationDuration=None)]),
        "Duration",
        "nothing",
    ),
    ("approvers-not-a-list", _definition((), [_policy(managedByTenantApprovers={})]), "Approvers", "mapping"),
    ("approver-not-a-mapping", _definition((), [_approver(APPROVERS)]), "Approvers.0", "an approver (a"),
    ("approver-number-id", _definition((), [_approver({"principalId": 9})]), "Approvers.0.principalId", "9"),
    ("approver-unknown-key", _definition((), [_approver({"principalId": APPROVERS, "x": 1})]), "0.x", "(x)"),
    ("list-is-a-mapping", _definition({}), "properties.authorizations", "found a mapping"),
    ("tenant-number", Resource(DEFINITION, "d", {"properties": {"managedByTenantId": 1}}), "TenantId", "1"),
    (
        "assignment-unknown-key",
        Resource(ASSIGNMENT, "a", {"properties": {"registrationDefinitionId": "x", "scope": "y"}}),
        "properties.scope",
        "(scope)",
    ),
    (
        "assignment-number-id",
        Resource(ASSIGNMENT, "a", {"properties": {"registrationDefinitionId": 4}}),
        "properties.registrationDefinitionId",
        "found 4",
    ),
]


@pytest.mark.parametrize(("resource", "where", "says"), [c[1:] for c in ODD], ids=[c[0] for c in ODD])
def test_an_odd_shape_is_unreadable_where_it_is(resource: Resource, where: str, says: str) -> None:
    problems = _problems(resource)
    assert len(problems) == 1, problems
    ((loc, message),) = problems
    assert loc.endswith(where) and says in message, problems
