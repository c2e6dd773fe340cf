"""One type for a problem with the input: `errors.Problem`, and `errors.Unlocated` before it has a place."""

from __future__ import annotations

import ast
from pathlib import Path

from lighthouse_iac.errors import Problem
from lighthouse_iac.policy_engine.settings_file import parse_settings
from lighthouse_iac.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
TREES = ("lighthouse_iac", "policies", "components")


def _defines(tree: ast.Module, name: str) -> bool:
    """Whether a module binds `name` at its top level, as a class or an alias."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return True
        targets = node.targets if isinstance(node, ast.Assign) else []
        targets += [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False


def test_no_module_but_errors_defines_a_problem_type() -> None:
    defining = sorted(
        path.relative_to(ROOT).as_posix()
        for tree in TREES
        for path in (ROOT / tree).rglob("*.py")
        if _defines(ast.parse(path.read_text(encoding="utf-8")), "Problem")
    )
    assert defining == ["lighthouse_iac/errors.py"]


def test_a_problem_found_at_a_key_path_is_placed_in_its_file() -> None:
    _, problems = parse_settings({"lighthouse-no-owner-role": "advisory", "nope": 1}, RULES)
    placed = [Problem.at("policy-config.json", 3, found) for found in problems]
    assert [p.render() for p in placed] == [
        "policy-config.json:3: lighthouse-no-owner-role: lighthouse-no-owner-role is always mandatory and "
        "cannot be advisory: it is one of the rules the delegations rest on (docs/security.md); remove "
        "this setting",
        "policy-config.json:3: nope: unknown rule 'nope'; see docs/policy-pack.md",
    ]
