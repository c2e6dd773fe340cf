"""One "did you mean" for every message that suggests a name."""

from __future__ import annotations

from pathlib import Path

from lighthouse_iac.suggest import close_names, did_you_mean

ROOT = Path(__file__).resolve().parent.parent


def test_the_closest_name_or_nothing() -> None:
    known = ["maximumActivation", "requireMfa", "approvers"]
    assert did_you_mean("maximumActivaton", known) == " (did you mean 'maximumActivation'?)"
    assert did_you_mean("principal", known) == ""
    namespace = did_you_mean("lighthose-iac", ["lighthouse-iac"], cutoff=0.8)
    assert namespace == " (did you mean 'lighthouse-iac'?)"
    assert did_you_mean("azure", ["lighthouse-iac"], cutoff=0.8) == ""


def test_several_names_best_first() -> None:
    assert close_names("reeder", ["reader", "readers", "owner"], n=2) == ["reader", "readers"]
    assert close_names("reeder", iter(["reader"])) == ["reader"]  # any iterable of names


def test_nothing_else_computes_suggestions() -> None:
    trees = [ROOT / "lighthouse_iac", ROOT / "policies", ROOT / "components"]
    sources = [path for tree in trees for path in tree.rglob("*.py")]
    users = sorted(
        path.relative_to(ROOT).as_posix() for path in sources if "difflib" in path.read_text(encoding="utf-8")
    )
    assert users == ["lighthouse_iac/suggest.py"]
