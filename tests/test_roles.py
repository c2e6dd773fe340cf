"""The role catalogue: the shipped export, lookups, suggestions and user extensions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lighthouse_iac import roles
from lighthouse_iac.config import load_stack
from lighthouse_iac.errors import ConfigError
from lighthouse_iac.roles import CatalogueError, load_catalogue

from .projects import BASELINE, STACK, make_project

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "azure-builtin-roles.json"


def test_shipped_catalogue_is_the_upstream_export() -> None:
    catalogue = load_catalogue()
    assert len(catalogue) == 928
    if SHARED.is_file():  # the source this project ships a copy of
        upstream = json.loads(SHARED.read_text())["roles"]
        assert {r.id for r in catalogue} == {r["id"] for r in upstream}


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("Owner", roles.OWNER),
        ("owner", roles.OWNER),
        ("Reader", roles.READER),
        ("User Access Administrator", roles.USER_ACCESS_ADMINISTRATOR),
        ("Managed Services Registration assignment Delete Role", roles.REGISTRATION_DELETE_ROLE),
        ("B24988AC-6180-42A0-AB88-20F7382DD24C", roles.CONTRIBUTOR),
    ],
    ids=["name", "name-any-case", "reader", "uaa", "delete-role", "guid-upper-case"],
)
def test_resolve_by_name_or_guid(ref: str, expected: str) -> None:
    role = load_catalogue().resolve(ref)
    assert role is not None and role.id == expected


def test_log_analytics_contributor_has_data_actions_in_this_export() -> None:
    role = load_catalogue().by_id("92aaf0da-9dab-42b6-94a3-d43ce8d16293")
    assert role is not None and role.name == "Log Analytics Contributor"
    assert role.data_actions  # the reason Lighthouse now refuses it (TUR; SAMPLES issue 137)


def test_suggestions_for_a_misspelt_role() -> None:
    assert load_catalogue().suggest("Contributer")[0] == "Contributor"
    assert load_catalogue().suggest("qqqqqqqq") == []


def test_an_az_cli_export_adds_and_overrides_roles(tmp_path: Path) -> None:
    export = tmp_path / "roles.json"
    export.write_text(
        json.dumps(
            [
                {
                    "name": "11111111-2222-3333-4444-555555555555",
                    "roleName": "Brand New Role",
                    "roleType": "BuiltInRole",
                    "permissions": [
                        {
                            "actions": ["Microsoft.Compute/*/read"],
                            "notActions": [],
                            "dataActions": [],
                            "notDataActions": [],
                        }
                    ],
                },
                {
                    "name": roles.READER,
                    "roleName": "Reader",
                    "roleType": "BuiltInRole",
                    "permissions": [{"actions": ["*/read"], "dataActions": ["Microsoft.Storage/x/read"]}],
                },
            ]
        )
    )
    catalogue = load_catalogue([export])
    new = catalogue.resolve("brand new role")
    assert new is not None and new.id == "11111111-2222-3333-4444-555555555555"
    assert new.actions == ("Microsoft.Compute/*/read",)
    reader = catalogue.by_id(roles.READER)
    assert reader is not None and reader.data_actions == ("Microsoft.Storage/x/read",)
    assert len(catalogue) == 929


def test_a_stack_may_use_a_role_from_its_project_catalogue(tmp_path: Path) -> None:
    project = make_project(tmp_path, BASELINE.replace("role: Reader", "role: Brand New Role"))
    (project / "roles.json").write_text(
        json.dumps(
            {
                "roles": [
                    {
                        "id": "11111111-2222-3333-4444-555555555555",
                        "name": "Brand New Role",
                        "actions": ["*/read"],
                    }
                ]
            }
        )
    )
    (project / "Pulumi.yaml").write_text(
        (project / "Pulumi.yaml").read_text() + ("  roleCatalogues:\n    value: [roles.json]\n")
    )
    stack = load_stack(project, STACK)
    assert stack.catalogue.resolve("Brand New Role") is not None


def test_an_unreadable_catalogue_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    (project / "roles.json").write_text("{not json")
    (project / "Pulumi.yaml").write_text(
        (project / "Pulumi.yaml").read_text() + ("  roleCatalogues:\n    value: [roles.json]\n")
    )
    monkeypatch.chdir(project)
    with pytest.raises(ConfigError) as raised:
        load_stack(project, STACK)
    [problem] = raised.value.problems
    assert (problem.file, problem.path) == ("Pulumi.yaml", "roleCatalogues")
    assert problem.message.startswith(f"{project / 'roles.json'}: cannot read role catalogue: ")


def test_a_catalogue_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(CatalogueError, match="expected a list of roles"):
        roles.parse_roles({"value": 1}, "x.json")
    with pytest.raises(CatalogueError, match="not a role definition export"):
        roles.parse_roles([{"nothing": 1}], "x.json")
