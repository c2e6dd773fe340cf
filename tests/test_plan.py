"""Offboarding is explicit and takes two steps; step 1 must unprotect everything step 2 removes."""

from __future__ import annotations

from pathlib import Path

from lighthouse_iac.config import load_stack
from lighthouse_iac.plan import build_plan

from .projects import BASELINE, STACK, make_project

GROUPS = "resourceGroups: [rg-app, rg-data]"


def _protection(tmp: Path, groups: str) -> dict[str, bool]:
    project = make_project(tmp, BASELINE.replace(GROUPS, groups))
    plan = build_plan(load_stack(project, STACK))
    return {r.name.removeprefix(f"{STACK}-managed-operations-"): r.protect for r in plan.resources()}


def test_offboarding_the_last_resource_group_unprotects_the_definition(tmp_path: Path) -> None:
    protection = _protection(tmp_path, "resourceGroups: [{name: rg-app, offboard: true}]")
    sub = "cd517f52-d3a6-4df4-b0f7-c5afce02d973"
    # Step 2 removes the scope entry, and with it the definition: it must not stay protected.
    assert [p for name, p in protection.items() if name.startswith(sub)] == [False, False]
    assert protection["9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"] is True  # the other subscription stays


def test_offboarding_one_of_two_resource_groups_keeps_the_definition(tmp_path: Path) -> None:
    protection = _protection(tmp_path, "resourceGroups: [rg-app, {name: rg-data, offboard: true}]")
    sub = "cd517f52-d3a6-4df4-b0f7-c5afce02d973"
    assert [p for name, p in protection.items() if name.startswith(sub)] == [True, True, False]
