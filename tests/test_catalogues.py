"""Reading role catalogue files: an entry of the wrong shape is refused, naming the file and the entry."""

from __future__ import annotations

from typing import Any

import pytest

from lighthouse_iac import catalogues
from lighthouse_iac.catalogues import CatalogueError

GUID = "11111111-2222-3333-4444-555555555555"


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"id": 5, "name": "x"}, "'id' must be a non-empty string"),
        ({"id": None, "name": None}, "'id' must be a non-empty string"),
        ({"id": GUID, "name": ["x"]}, "'name' must be a non-empty string"),
        ({"id": GUID, "name": "x", "actions": "abc"}, "'actions' must be a list of strings"),
        ({"id": GUID, "name": "x", "notActions": [1]}, "'notActions' must be a list of strings"),
        ({"id": "reader", "name": "x"}, "the role ID 'reader' is not a GUID"),
        ({"roleName": "x", "name": GUID, "permissions": "all"}, "'permissions' must be a list of objects"),
        ({"roleName": "x", "name": GUID, "permissions": [{"dataActions": {"a": 1}}]}, "'dataActions' must"),
        ("Reader", "each role must be an object"),
    ],
)
def test_an_entry_of_the_wrong_shape_is_refused(entry: Any, reason: str) -> None:
    # str() and tuple() over whatever was written would have made a role of "['x']" with Actions a, b, c.
    with pytest.raises(CatalogueError) as raised:
        catalogues.parse_roles({"roles": [{"id": GUID, "name": "fine"}, entry]}, "x.json")
    assert str(raised.value).startswith(f"x.json: role 1: {reason}")


def test_both_export_shapes_read_as_the_same_role() -> None:
    ours = {"id": GUID.upper(), "name": "Ops", "actions": ["a/read"], "notActions": ["a/delete"]}
    az = {
        "roleName": "Ops",
        "name": GUID,
        "permissions": [{"actions": ["a/read"], "notActions": ["a/delete"]}],
    }
    assert catalogues.parse_roles([ours], "o.json") == catalogues.parse_roles([az], "a.json")


@pytest.mark.parametrize(
    ("entry", "outside"),
    [
        ("roles.json", False),
        ("catalogues/newer.json", False),
        ("catalogues/../roles.json", False),  # lexically still inside
        ("/etc/passwd", True),
        ("../secrets/roles.json", True),
        ("..", True),
        ("catalogues/../../roles.json", True),
    ],
)
def test_a_catalogue_is_listed_inside_the_project(entry: str, outside: bool) -> None:
    reason = catalogues.outside_project(entry)
    assert (reason is not None) is outside
    if reason:
        assert reason.startswith(f"{entry}: a role catalogue is listed by its path inside the project")
