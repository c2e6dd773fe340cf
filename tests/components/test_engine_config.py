"""The program reads the engine's configuration through one module, the only user of the SDK's private map."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pulumi
import pytest

from lighthouse_iac_components.engine_config import engine_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def _config() -> Iterator[None]:
    yield
    pulumi.runtime.set_all_config({})


@pytest.mark.usefixtures("_config")
def test_every_key_the_engine_set_of_every_namespace() -> None:
    values = {"lighthouse-iac:offers": "[]", "lighthose-iac:typo": "1", "azure-native:location": "x"}
    pulumi.runtime.set_all_config(values)
    found = engine_config()
    assert found == values
    found.clear()  # a copy: the caller cannot change what the SDK holds
    assert engine_config() == values


def test_no_other_module_reads_the_private_map() -> None:
    sources = [ROOT / "__main__.py", *(ROOT / "components").rglob("*.py"), *(ROOT / "policies").rglob("*.py")]
    sources += list((ROOT / "lighthouse_iac").rglob("*.py"))
    readers = sorted(
        p.relative_to(ROOT).as_posix()
        for p in sources
        if "pulumi.runtime.config" in p.read_text(encoding="utf-8")
    )
    assert readers == ["components/lighthouse_iac_components/engine_config.py"]
