"""The access model on the example fleet, checked against the stack files read independently."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml

from lighthouse_iac.catalogues import load_catalogue
from lighthouse_iac.fleet import load_fleet
from lighthouse_iac.report.access import Access, privilege
from lighthouse_iac.report.summary import build_report
from lighthouse_iac.roles import READER, Role

from ..engine import FIXTURE


def _expected() -> list[dict[str, Any]]:
    """Every authorization x scope, straight from the YAML (defaults as the facts doc gives them, SPEC)."""
    project = yaml.safe_load((FIXTURE / "Pulumi.yaml").read_text())
    principals = project["config"]["managingTenant"]["value"]["principals"]
    catalogue = load_catalogue()
    rows = []
    for path in sorted((FIXTURE / "stacks").glob("Pulumi.*.yaml")):
        stack = path.name.split(".")[1]
        cfg = yaml.safe_load(path.read_text())["config"]
        for offer in cfg["lighthouse-iac:offers"]:
            scopes = []
            for entry in offer["scopes"]:
                sub = entry["subscription"]
                groups = entry.get("resourceGroups")
                if groups is None:
                    scopes.append(f"/subscriptions/{sub}")
                else:
                    scopes += [f"/subscriptions/{sub}/resourceGroups/{g}" for g in groups]
            grants = [(a, False) for a in offer["authorizations"]]
            grants += [(e, True) for e in offer.get("eligibleAuthorizations", [])]
            for scope in scopes:
                for grant, eligible in grants:
                    role = catalogue.resolve(grant["role"])
                    assert role is not None, grant["role"]
                    rows.append(
                        {
                            "stack": stack,
                            "customer": cfg["lighthouse-iac:customer"]["name"],
                            "offer": offer["key"],
                            "scope": scope,
                            "principal": grant["principal"],
                            "principal_id": principals[grant["principal"]]["objectId"],
                            "role": role.name,
                            "role_id": role.id,
                            "eligible": eligible,
                            "require_mfa": grant.get("requireMfa", True) if eligible else None,
                            "maximum_activation": grant.get("maximumActivation", "PT8H")
                            if eligible
                            else None,
                            "approvers": tuple(grant.get("approvers", ())),
                            "delegated_roles": tuple(grant.get("delegatedRoles", ())),
                        }
                    )
    return rows


def _actual(row: Access) -> dict[str, Any]:
    return {
        "stack": row.stack,
        "customer": row.customer,
        "offer": row.offer,
        "scope": row.scope,
        "principal": row.principal,
        "principal_id": row.principal_id,
        "role": row.role,
        "role_id": row.role_id,
        "eligible": row.eligible,
        "require_mfa": row.require_mfa,
        "maximum_activation": row.maximum_activation,
        "approvers": row.approvers,
        "delegated_roles": row.delegated_roles,
    }


def _frozen(row: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(row.items()))


def test_every_authorization_appears_once_per_scope_with_its_attributes() -> None:
    report = build_report(load_fleet(FIXTURE).require_valid())
    actual = Counter(_frozen(_actual(r)) for r in report.access)
    expected = Counter(_frozen(r) for r in _expected())
    assert len(report.access) == len(_expected()) > 30
    assert actual == expected
    assert all(count == 1 for count in actual.values())
    assert len({r.key for r in report.access}) == len(report.access)  # the diff's keys are unique too


def test_rows_carry_the_customer_tenant_and_the_directory_entry() -> None:
    report = build_report(load_fleet(FIXTURE).require_valid())
    project = yaml.safe_load((FIXTURE / "Pulumi.yaml").read_text())
    principals = project["config"]["managingTenant"]["value"]["principals"]
    for row in report.access:
        cfg = yaml.safe_load((FIXTURE / "stacks" / f"Pulumi.{row.stack}.yaml").read_text())["config"]
        assert row.customer_tenant_id == cfg["lighthouse-iac:customer"]["tenantId"]
        entry = principals[row.principal]
        assert (row.principal_kind, row.principal_display_name) == (entry["kind"], entry["displayName"])


def test_contoso_eligible_contributor_in_words() -> None:
    report = build_report(load_fleet(FIXTURE).require_valid())
    [row] = [r for r in report.access if r.stack == "contoso" and r.eligible]
    assert (row.principal, row.role, row.kind) == ("msp-oncall", "Contributor", "eligible")
    assert row.describe() == "up to PT4H, MFA, approvers: msp-approvers"
    [uaa] = [r for r in report.access if r.stack == "contoso" and r.role == "User Access Administrator"]
    assert uaa.describe() == "may assign: Monitoring Contributor, Virtual Machine Contributor"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Reader", "read"),
        ("Contributor", "write"),
        ("Virtual Machine Contributor", "write"),
        ("User Access Administrator", "access"),
        ("Managed Services Registration assignment Delete Role", "removal"),
    ],
    ids=["reader", "contributor", "vm-contributor", "user-access-administrator", "delete-role"],
)
def test_privilege_of_a_role(role: str, expected: str) -> None:
    catalogue = load_catalogue()
    found = catalogue.by_name(role)
    assert found is not None
    assert privilege(catalogue, found.id) == expected


def test_privilege_of_a_role_missing_from_the_catalogue() -> None:
    assert privilege(load_catalogue(), "00000000-0000-0000-0000-000000000001") == "unknown"


def test_privilege_follows_a_catalogue_that_changed() -> None:
    # Nothing remembers the answer outside the catalogue: the same catalogue, changed, answers anew.
    catalogue = load_catalogue()
    reader = catalogue.by_id(READER)
    assert reader is not None
    assert privilege(catalogue, READER) == "read"
    catalogue.add(Role(reader.id, reader.name, ("*/read", "Microsoft.Authorization/*")))
    assert privilege(catalogue, READER) == "access"
    assert privilege(load_catalogue(), READER) == "read"
