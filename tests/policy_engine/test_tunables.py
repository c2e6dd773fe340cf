"""A rule's tunable, declared once: the schemas, the docs' table and the example config come from it."""

from __future__ import annotations

import json
from pathlib import Path

from lighthouse_iac.policy_engine import settings_docs
from lighthouse_iac.policy_engine.tunables import main
from lighthouse_iac.rules import RULES

from ..engine import ROOT

REGENERATE = "python -m lighthouse_iac.policy_engine.tunables --write"


def test_the_committed_settings_table_is_generated_from_the_declarations() -> None:
    page = (ROOT / settings_docs.DOC).read_text(encoding="utf-8")
    assert page == settings_docs.with_table(page, RULES), f"{settings_docs.DOC} is stale: run {REGENERATE}"
    for rule in RULES:
        for tunable in rule.tunables:
            assert f"| [{rule.name}](rules/{rule.name}.md) | `{tunable.key}` |" in page


def test_the_committed_example_config_is_generated_from_the_declarations() -> None:
    text = (ROOT / settings_docs.EXAMPLE).read_text(encoding="utf-8")
    assert text == settings_docs.example(RULES), f"{settings_docs.EXAMPLE} is stale: run {REGENERATE}"
    document = json.loads(text)
    for rule in RULES:
        for tunable in rule.tunables:
            assert document[rule.name][tunable.key] == tunable.json_default()


def test_the_check_fails_on_a_stale_copy_and_write_repairs_it(tmp_path: Path) -> None:
    root = tmp_path
    for name in (settings_docs.DOC, settings_docs.EXAMPLE):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--root", str(root)]) == 0
    (root / settings_docs.EXAMPLE).write_text("{}\n", encoding="utf-8")
    assert main(["--root", str(root)]) == 1
    assert main(["--root", str(root), "--write"]) == 0
    assert (root / settings_docs.EXAMPLE).read_text(encoding="utf-8") == settings_docs.example(RULES)


def test_each_schema_states_the_declared_default_and_description() -> None:
    keys = [t.key for r in RULES for t in r.tunables]
    assert len(keys) == len(set(keys)), "a tunable's key names one setting of one rule"
    for rule in RULES:
        for tunable in rule.tunables:
            schema = tunable.schema()
            assert schema["description"] == tunable.description
            assert schema["type"] == tunable.value_schema["type"]
            if tunable.default_text is None:
                assert schema["default"] == tunable.json_default()
            else:
                assert "default" not in schema
