"""The role catalogue: the shipped export, lookups, suggestions and user extensions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lighthouse_iac import catalogues, roles
from lighthouse_iac.catalogues import CatalogueError, load_catalogue
from lighthouse_iac.cli import main
from lighthouse_iac.config import load_stack
from lighthouse_iac.errors import ConfigError

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
        catalogues.parse_roles({"value": 1}, "x.json")
    with pytest.raises(CatalogueError, match="not a role definition export"):
        catalogues.parse_roles([{"nothing": 1}], "x.json")


LOG_ANALYTICS_CONTRIBUTOR = "92aaf0da-9dab-42b6-94a3-d43ce8d16293"
NEW_ID = "11111111-2222-3333-4444-555555555555"


def _shipped(role_id: str, **change: Any) -> dict[str, Any]:
    role = load_catalogue().by_id(role_id)
    assert role is not None
    entry = {
        "id": role.id,
        "name": role.name,
        "actions": list(role.actions),
        "notActions": list(role.not_actions),
        "dataActions": list(role.data_actions),
        "notDataActions": list(role.not_data_actions),
    }
    return {**entry, **change}


def _listed(actions: list[str]) -> str:
    return ", ".join(actions[:3]) + (", ..." if len(actions) > 3 else "")


SHADOWS = [
    (
        "new-id-named-reader",
        {"id": NEW_ID, "name": "reader", "actions": ["*"]},
        f"('reader', {NEW_ID}): the built-in role 'Reader' has the ID {roles.READER}; a catalogue may add "
        "roles, not give another ID a known role's name",
    ),
    (
        "reader-renamed",
        _shipped(roles.READER, name="Reader (all)"),
        f"('Reader (all)', {roles.READER}): {roles.READER} is the built-in role 'Reader'; a catalogue cannot "
        "rename it (use the name Azure gives it, or leave it out: the shipped catalogue has it)",
    ),
    (
        "reader-with-full-control",
        _shipped(roles.READER, actions=["*/read", "*"]),
        f"('Reader', {roles.READER}): it gives the built-in role the Actions '*' (full control), which the "
        "shipped role does not have",
    ),
    (
        "data-actions-dropped",
        _shipped(LOG_ANALYTICS_CONTRIBUTOR, dataActions=[]),
        f"('Log Analytics Contributor', {LOG_ANALYTICS_CONTRIBUTOR}): it lacks DataActions "
        f"{_listed(_shipped(LOG_ANALYTICS_CONTRIBUTOR)['dataActions'])} of the shipped built-in role; a "
        "catalogue may bring a role up to date, not take permissions away",
    ),
    (
        "contributor-narrowed",
        _shipped(roles.CONTRIBUTOR, notActions=["Microsoft.Compute/*"]),
        f"('Contributor', {roles.CONTRIBUTOR}): it adds NotActions Microsoft.Compute/* to the shipped "
        "built-in role; a catalogue cannot narrow what a built-in role allows",
    ),
]


@pytest.mark.parametrize(("entry", "message"), [c[1:] for c in SHADOWS], ids=[c[0] for c in SHADOWS])
def test_a_catalogue_cannot_rename_or_weaken_a_built_in_role(
    tmp_path: Path, entry: dict[str, Any], message: str
) -> None:
    export = tmp_path / "roles.json"
    brand_new = {
        "id": "22222222-2222-3333-4444-555555555555",
        "name": "Brand New Role",
        "actions": ["*/read"],
    }
    export.write_text(json.dumps({"roles": [brand_new, entry]}))
    with pytest.raises(CatalogueError) as raised:
        load_catalogue([export])
    assert str(raised.value) == f"{export}: role 1 {message}"


def test_a_catalogue_may_add_data_actions_to_a_built_in_role(tmp_path: Path) -> None:
    # Microsoft adds DataActions (Log Analytics Contributor, June 2025): a newer export must bring them in.
    export = tmp_path / "roles.json"
    export.write_text(json.dumps([_shipped(roles.CONTRIBUTOR, dataActions=["Microsoft.Storage/x/read"])]))
    contributor = load_catalogue([export]).by_id(roles.CONTRIBUTOR)
    assert contributor is not None and contributor.data_actions == ("Microsoft.Storage/x/read",)


def test_a_shadowing_catalogue_is_a_config_error_on_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path)
    (project / "roles.json").write_text(json.dumps([{"id": NEW_ID, "name": "Reader", "actions": ["*"]}]))
    (project / "Pulumi.yaml").write_text(
        (project / "Pulumi.yaml").read_text() + ("  roleCatalogues:\n    value: [roles.json]\n")
    )
    monkeypatch.chdir(project)
    with pytest.raises(ConfigError) as raised:
        load_stack(project, STACK)
    [problem] = raised.value.problems
    assert (problem.file, problem.path) == ("Pulumi.yaml", "roleCatalogues")
    assert problem.message.startswith(f"{project / 'roles.json'}: role 0 ('Reader', {NEW_ID}): the built-in")


def test_the_plan_names_the_catalogue_of_each_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path, BASELINE.replace("role: Reader", "role: Brand New Role"))
    (project / "catalogues").mkdir()
    (project / "catalogues" / "newer.json").write_text(
        json.dumps([{"id": NEW_ID, "name": "Brand New Role", "actions": ["*/read"]}])
    )
    (project / "Pulumi.yaml").write_text(
        (project / "Pulumi.yaml").read_text() + ("  roleCatalogues:\n    value: [catalogues/newer.json]\n")
    )
    assert main(["-C", str(project), "plan", STACK, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["roleCatalogues"] == ["catalogues/newer.json"]
    sources = {(a["role"], a.get("roleSource")) for a in data["offers"][0]["access"]}
    assert sources == {
        ("Brand New Role", "catalogues/newer.json"),
        ("Managed Services Registration assignment Delete Role", "built-in"),
        ("Contributor", "built-in"),
    }


@pytest.mark.parametrize(
    ("name", "restricted", "reads_everything", "privilege"),
    [
        ("Reader", (), True, "read"),
        ("Contributor", (), True, "write"),
        ("Owner", roles.RESTRICTED_OPERATIONS, True, "access"),
        ("User Access Administrator", roles.RESTRICTED_OPERATIONS, True, "access"),
        ("Virtual Machine Contributor", (), False, "write"),
    ],
    ids=["reader", "contributor", "owner", "user-access-administrator", "vm-contributor"],
)
def test_a_roles_summary_says_what_it_allows(
    name: str, restricted: tuple[str, ...], reads_everything: bool, privilege: str
) -> None:
    catalogue = load_catalogue()
    role = catalogue.by_name(name)
    assert role is not None
    summary = catalogue.summary(role.id.upper())  # GUIDs in any case, as everywhere in the catalogue
    assert summary is not None
    assert (summary.restricted, summary.reads_everything, summary.privilege) == (
        restricted,
        reads_everything,
        privilege,
    )
    assert summary.definition[:2] == (role.name, role.actions)


def test_a_summary_follows_the_role_when_an_export_replaces_it() -> None:
    # The summary belongs to the catalogue: a newer export of the role is summarised anew, and another
    # catalogue keeps its own answer.
    catalogue, other = load_catalogue(), load_catalogue()
    reader = catalogue.by_id(roles.READER)
    assert reader is not None
    assert catalogue.summary(roles.READER) == other.summary(roles.READER)
    catalogue.add(roles.Role(reader.id, reader.name, (*reader.actions, "Microsoft.Support/*")), "newer.json")
    after = catalogue.summary(roles.READER)
    assert after is not None and after.privilege == "write"
    assert after.definition[1] == ("*/read", "Microsoft.Support/*")
    before = other.summary(roles.READER)
    assert before is not None and before.privilege == "read"
    assert catalogue.summary("00000000-0000-0000-0000-000000000001") is None
