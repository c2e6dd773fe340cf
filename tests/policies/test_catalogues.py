"""The pack's role catalogues: a file reached through a symbolic link is refused, by name, not read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .analyzer import load_adapter

project_catalogue = load_adapter().project_catalogue  # as the pack imports it, from its own folder

ROLE = {"id": "0b6d3c2e-1f4a-4c5b-9d8e-7f6a5b4c3d2e", "name": "Fabrikam Custom Reader"}


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_catalogue_reached_through_a_link_is_a_problem_not_a_role_source(
    linked: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    (project / "policies").mkdir(parents=True)
    outside.mkdir()
    (outside / "roles.json").write_text(json.dumps([ROLE]))
    if linked == "file":
        (project / "roles.json").symlink_to(outside / "roles.json")
        listed = "roles.json"
    else:
        (project / "roles").symlink_to(outside)
        listed = "roles/roles.json"
    monkeypatch.chdir(project / "policies")
    catalogue, problems = project_catalogue({"roleCatalogues": [listed]})
    assert catalogue.by_name("Fabrikam Custom Reader") is None
    assert [loc for loc, _ in problems] == [("roleCatalogues", 0)]
    assert "symbolic link, not followed" in problems[0][1]
    assert ("the folder roles is a symbolic link" in problems[0][1]) is (linked == "folder")


def test_a_catalogue_linked_to_a_device_is_named_as_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "roles.json").symlink_to("/dev/zero")
    monkeypatch.chdir(tmp_path / "policies")
    _, problems = project_catalogue({"roleCatalogues": ["roles.json"]})
    assert "a symbolic link, not followed" in problems[0][1]


@pytest.mark.parametrize("entry", ["/etc/passwd", "../roles.json"])
def test_a_catalogue_outside_the_project_is_a_problem_not_read(
    entry: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "project" / "policies").mkdir(parents=True)
    (tmp_path / "roles.json").write_text(json.dumps([ROLE]))
    monkeypatch.chdir(tmp_path / "project" / "policies")
    catalogue, problems = project_catalogue({"roleCatalogues": [entry]})
    assert catalogue.by_name("Fabrikam Custom Reader") is None
    assert [loc for loc, _ in problems] == [("roleCatalogues", 0)]
    assert "a role catalogue is listed by its path inside the project folder" in problems[0][1]
