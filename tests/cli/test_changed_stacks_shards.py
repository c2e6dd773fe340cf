"""`changed-stacks --shards N`: a fleet past GitHub's matrix limit in a bounded number of jobs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.fleet import write_fleet
from lighthouse_iac import shards
from lighthouse_iac.cli import main


def _run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["-C", str(root), "changed-stacks", "--all", *args]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    data: dict[str, object] = json.loads(out)
    return data


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fleet")
    write_fleet(root, 1000, principals=20)
    return root


def test_a_thousand_stacks_in_eight_shards(thousand: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(thousand, capsys, "--shards", "8")
    matrix = out["shards"]
    assert isinstance(matrix, list) and len(matrix) == 8
    assert [s["name"] for s in matrix] == [f"{i} of 8" for i in range(1, 9)]
    assert [len(s["stacks"]) for s in matrix] == [125] * 8
    assert [name for s in matrix for name in s["stacks"]] == out["stack"]
    assert matrix[0]["stacks"][0] == "customer-0000" and matrix[7]["stacks"][-1] == "customer-0999"


def test_a_maximum_shard_size_adds_shards(thousand: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(thousand, capsys, "--shards", "2", "--max-shard-size", "300")
    sizes = [len(s["stacks"]) for s in out["shards"]]  # type: ignore[attr-defined]
    assert sizes == [250, 250, 250, 250]


def test_without_the_option_the_matrix_is_unchanged(
    thousand: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert set(_run(thousand, capsys)) == {"stack", "removed", "shared"}


@pytest.mark.parametrize("value", ["0", "257", "x", "-1"])
def test_a_shard_count_outside_1_to_256_is_refused(
    thousand: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    assert main(["-C", str(thousand), "changed-stacks", "--all", "--shards", value]) == 2
    assert "expected a whole number from 1 to 256" in capsys.readouterr().err


def test_too_many_shards_for_github_is_refused(thousand: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(thousand), "changed-stacks", "--all", "--max-shard-size", "3"]) == 2
    assert "more than GitHub's 256 jobs" in capsys.readouterr().err


@given(
    names=st.lists(st.text("abc", min_size=1, max_size=3), max_size=60, unique=True).map(sorted),
    count=st.integers(1, 20),
    size=st.none() | st.integers(1, 30),
)
def test_shards_cover_every_stack_once_and_are_balanced(
    names: list[str], count: int, size: int | None
) -> None:
    parts = shards.split(names, count, size)
    assert [n for p in parts for n in p] == names
    assert all(parts) and len(parts) <= max(count, len(names) // (size or len(names) or 1) + 1)
    if parts:
        assert max(map(len, parts)) - min(map(len, parts)) <= 1
        assert size is None or max(map(len, parts)) <= size or len(parts) == len(names)
