"""Loading every stack of a project: the project file and the role catalogue once, all problems at once."""

from __future__ import annotations

import gc
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from lighthouse_iac import catalogues, config, fleet, roles, sources
from lighthouse_iac.errors import ConfigError
from lighthouse_iac.fleet import load_fleet

from .engine import FIXTURE


def _copy(tmp: Path) -> Path:
    (tmp / "stacks").mkdir()
    shutil.copy(FIXTURE / "Pulumi.yaml", tmp / "Pulumi.yaml")
    for path in (FIXTURE / "stacks").glob("Pulumi.*.yaml"):
        shutil.copy(path, tmp / "stacks" / path.name)
    return tmp


def test_the_project_file_and_the_catalogue_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: Counter[str] = Counter()
    loads: list[Any] = []
    # The names the config package imported, patched where its modules look them up.
    read_yaml, load_catalogue = sources.read_yaml, catalogues.load_catalogue

    def counting_read(path: Path) -> Any:
        reads[path.name] += 1
        return read_yaml(path)

    def counting_catalogue(*args: Any) -> Any:
        loads.append(args)
        return load_catalogue(*args)

    monkeypatch.setattr(config.project, "read_yaml", counting_read)
    monkeypatch.setattr(config.catalogue, "load_catalogue", counting_catalogue)
    loaded = load_fleet(FIXTURE)
    assert [s.stack for s in loaded] == ["contoso", "tailspin", "wingtip"]
    assert reads == {
        "Pulumi.yaml": 1,
        "Pulumi.contoso.yaml": 1,
        "Pulumi.tailspin.yaml": 1,
        "Pulumi.wingtip.yaml": 1,
    }
    assert len(loads) == 1
    assert len({id(s.catalogue) for s in loaded}) == 1


def test_every_broken_stack_is_reported_and_the_others_still_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(tmp_path)
    monkeypatch.chdir(root)
    for stack, old, new in [
        ("wingtip", "role: Reader", "role: Raeder"),
        ("contoso", "userType: Member", "userType: Admin"),
    ]:
        path = root / "stacks" / f"Pulumi.{stack}.yaml"
        path.write_text(path.read_text().replace(old, new, 1))
    loaded = load_fleet(root)
    assert [s.stack for s in loaded] == ["tailspin"]
    assert sorted(loaded.errors) == ["contoso", "wingtip"]
    assert loaded.names == ["contoso", "tailspin", "wingtip"]
    with pytest.raises(ConfigError) as caught:
        loaded.require_valid()
    files = [p.file for p in caught.value.problems]
    assert files == ["stacks/Pulumi.contoso.yaml", "stacks/Pulumi.wingtip.yaml"]  # in stack order


def test_named_stacks_and_a_missing_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy(tmp_path)
    monkeypatch.chdir(root)
    loaded = load_fleet(root, ["wingtip", "northwind"])
    assert [s.stack for s in loaded] == ["wingtip"]
    assert str(loaded.errors["northwind"]) == (
        "stacks/Pulumi.northwind.yaml: no stack file for customer 'northwind'; "
        "stacks here: contoso, tailspin, wingtip"
    )


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_bulk_freezes_what_survives_a_collection_and_gives_it_back() -> None:
    assert gc.get_freeze_count() == 0
    with fleet.bulk():
        assert gc.isenabled()  # the collector runs: new cycles are still freed
        kept = [_Cycle() for _ in range(100)]
        gc.collect()
        assert gc.get_freeze_count() >= len(kept)  # survivors are not scanned again
        with fleet.bulk():  # a bulk step inside another changes nothing
            pass
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    del kept
    assert gc.collect() >= 100  # unfrozen: the cycles are the collector's again


def test_bulk_gives_the_collector_back_when_the_command_fails() -> None:
    @fleet.bulk()
    def command() -> None:
        gc.collect()
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        command()
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_a_fleet_judged_with_another_catalogue_uses_it_for_every_stack() -> None:
    # validate --trusted-base: the base revision's catalogue, not the work tree's, for every stack.
    trusted = catalogues.load_catalogue()
    trusted.add(roles.Role("0b6d3c2e-1f4a-4c5b-9d8e-7f6a5b4c3d2e", "Only In The Base Revision"))
    project = config.load_project(FIXTURE)
    named = fleet.fleet_of(project, ["wingtip", "nowhere"], trusted)
    assert [(s.stack, bool(s.catalogue.by_name("Only In The Base Revision"))) for s in named] == [
        ("wingtip", True)
    ]
    assert list(named.errors) == ["nowhere"]
    assert not any(s.catalogue.by_name("Only In The Base Revision") for s in fleet.fleet_of(project))
