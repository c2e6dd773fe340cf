"""The registry: names unique, metadata complete, every rule in the pack and documented, nothing extra."""

from __future__ import annotations

import importlib
import re

import pytest

from lighthouse_iac.rules import RULES, Rule

from ..engine import ROOT
from ..policies.analyzer import load_adapter

# The short names of the sources in ../shared/docs/lighthouse-rules.md, and the project's seed documents.
SOURCES = {"TUR", "ONB", "ELIG", "POLREM", "ARCH", "UPD", "REM", "MKT", "SPEC", "SAMPLES", "CSPDOC", "seeds"}
DOCS = ROOT / "docs" / "rules"


def test_names_are_unique_and_readable() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"lighthouse(-[a-z]+)+", name), name


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_metadata_is_complete(rule: Rule) -> None:
    assert rule.description.endswith(".") and rule.description.count(". ") == 0, "one sentence"
    assert rule.remediation.strip()
    assert rule.facts and set(rule.facts) <= SOURCES
    assert rule.severity in ("low", "medium", "high", "critical")
    assert rule.level in ("mandatory", "advisory")
    # A rule is checked per resource (with the kinds it applies to), once per stack, or across the stacks
    # of a project (by validate and report, which see them all): exactly one of the three.
    assert [rule.check is not None, rule.check_stack is not None, rule.fleet].count(True) == 1
    assert bool(rule.applies_to) == (rule.check is not None)
    for tunable in rule.tunables:
        assert tunable.description and tunable.value_schema.get("type")
        # The default is a value its own check accepts (or, when only words can say it, none is stated).
        if tunable.default_text is None:
            assert tunable.parse(tunable.json_default()) == (tunable.default, None)


def test_every_rule_is_a_policy_of_the_pack() -> None:
    crossguard = load_adapter()
    policies = crossguard.policies()
    # The pack sees one stack: the rules across stacks are validate's and report's (docs/policy-pack.md).
    in_pack = [r for r in RULES if not r.fleet]
    assert [p.name for p in policies] == [r.name for r in in_pack]
    assert {r.name for r in RULES if r.fleet} == {
        "lighthouse-scope-in-one-stack",
        "lighthouse-unique-ids-across-stacks",
        "lighthouse-one-stack-per-tenant",
        "lighthouse-onboarding-per-tenant",
        "lighthouse-offboard-first",
    }
    for policy, rule in zip(policies, in_pack, strict=True):
        kind = "StackValidationPolicy" if rule.check_stack else "ResourceValidationPolicy"
        assert type(policy).__name__ == kind
        assert policy.enforcement_level.value == rule.level
        assert policy.severity.value == rule.severity


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_rule_is_documented(rule: Rule) -> None:
    page = (ROOT / rule.doc).read_text()
    lines = page.splitlines()
    assert lines[0] == f"# {rule.name}"
    assert lines[2] == rule.description
    assert f"| {rule.level} | {rule.severity} |" in page
    for section in ("## Why", "## How to fix", "## Example", "## Settings"):
        assert section in page, section
    assert rule.remediation in page
    for tunable in rule.tunables:
        assert f"`{tunable.key}`" in page
    assert f"[{rule.name}](rules/{rule.name}.md)" in (ROOT / "docs" / "policy-pack.md").read_text()


def test_no_page_documents_a_rule_that_does_not_exist() -> None:
    assert sorted(p.stem for p in DOCS.glob("*.md")) == sorted(r.name for r in RULES)


def test_a_rules_name_tells_its_module() -> None:
    # lighthouse-no-owner-role lives in lighthouse_iac/rules/no_owner_role.py, as RULE; nothing else is there.
    folder = ROOT / "lighthouse_iac" / "rules"
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__"}
    expected = {r.name.removeprefix("lighthouse-").replace("-", "_"): r for r in RULES}
    assert modules == set(expected)
    for module, rule in expected.items():
        assert rule == importlib.import_module(f"lighthouse_iac.rules.{module}").RULE, module
