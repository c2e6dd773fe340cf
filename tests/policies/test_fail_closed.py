"""The pack fails closed: configuration cannot relax the locked rules, and what it cannot read fails the run.

Every case builds its own project (tests/projects.py), so nothing depends on the example customers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ..engine import Registered, engine_config
from ..projects import BASELINE, STACK, make_project
from .analyzer import Diagnostic, configure_from_file, started_pack
from .test_pack import program_run

OWNER = BASELINE.replace("          role: Reader\n", "          role: Owner\n", 1)


def pack_run(
    project: Path, resources: list[Registered], config_file: dict[str, Any] | None = None
) -> list[Diagnostic]:
    with started_pack(STACK, engine_config(project, STACK)) as pack:
        configure_from_file(pack, config_file or {})
        return pack.run(resources)


@pytest.mark.parametrize(
    "config_file",
    [{"all": "disabled"}, {"lighthouse-no-owner-role": "advisory"}, {"lighthouse-no-owner-role": "disabled"}],
    ids=["all-disabled", "owner-advisory", "owner-disabled"],
)
def test_a_pack_config_cannot_relax_a_locked_rule(tmp_path: Path, config_file: dict[str, Any]) -> None:
    project = make_project(tmp_path, OWNER)
    diagnostics = pack_run(project, program_run(project, STACK), config_file)
    level = config_file.get("lighthouse-no-owner-role", "disabled")
    note = (
        f" (the policy pack config makes lighthouse-no-owner-role {level}, but it is always mandatory: "
        "docs/security.md)"
    )
    assert {(d.policy, d.level) for d in diagnostics} == {("lighthouse-no-owner-role", "mandatory")}
    assert all(d.message.endswith(note) for d in diagnostics)


def test_an_unlocked_rule_may_still_be_disabled(tmp_path: Path) -> None:
    no_delete = BASELINE.replace(
        "        - principal: msp-offboarding\n"
        "          role: Managed Services Registration assignment Delete Role\n",
        "",
    )
    project = make_project(tmp_path, no_delete)
    resources = program_run(project, STACK)
    assert {d.policy for d in pack_run(project, resources)} == {"lighthouse-registration-delete-role"}
    assert pack_run(project, resources, {"lighthouse-registration-delete-role": "disabled"}) == []
