"""`lighthouse-iac import --merge`: a second subscription's template of an offer the stack has adds its scope
and pinned assignment IDs to the stack file, comments and order kept; conflicts are clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from lighthouse_iac.arm.export import export_files
from lighthouse_iac.cli import main
from lighthouse_iac.config import load_stack
from lighthouse_iac.plan import build_plan

from ..arm.cases import sample_paths
from ..projects import BASELINE, STACK, STACK_FILE, make_project

FIRST = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
SECOND = "cd517f52-d3a6-4df4-b0f7-c5afce02d973"
SECOND_SCOPE = f"        - subscription: {SECOND}\n          resourceGroups: [rg-app, rg-data]\n"
# What the user wrote, with comments the merge must keep.
WRITTEN = "# Northwind: delegated since 2024; ask Dana before changing\n" + BASELINE.replace(
    "      scopes:\n", "      # the production subscription first\n      scopes:\n"
).replace(SECOND_SCOPE, "")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The customer with both subscriptions exported, then the stack file holding only the first."""
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    exported = export_files(build_plan(load_stack(tmp_path, STACK)))
    (tmp_path / "out").mkdir()
    for name, content in exported.items():
        (tmp_path / "out" / name).write_bytes(content)
    (tmp_path / STACK_FILE).write_text(WRITTEN)
    return tmp_path


def _import(capsys: pytest.CaptureFixture[str], subscription: str, *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(
        [
            "import",
            f"out/{subscription}.template.json",
            f"out/{subscription}.parameters.json",
            "--customer",
            STACK,
            "--merge",
            *extra,
        ]
    )
    out, err = capsys.readouterr()
    return code, out, err


def _in_order(original: str, merged: str) -> bool:
    rest = iter(merged.splitlines())
    return all(any(line == candidate for candidate in rest) for line in original.splitlines())


def test_merge_adds_the_scope_and_assignment_ids_keeping_comments_and_order(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _import(capsys, SECOND, "--write")
    assert code == 0
    merged = (project / STACK_FILE).read_text()
    assert _in_order(WRITTEN, merged)  # nothing the user wrote is rewritten, moved or dropped
    assert merged.startswith("# Northwind: delegated since 2024; ask Dana before changing\n")
    assert "      # the production subscription first\n" in merged
    assert SECOND_SCOPE in merged
    offer = yaml.safe_load(merged)["config"]["lighthouse-iac:offers"][0]
    assert offer["scopes"] == [
        {"subscription": FIRST},
        {"subscription": SECOND, "resourceGroups": ["rg-app", "rg-data"]},
    ]
    plan = build_plan(load_stack(project, STACK))  # valid, and the same delegations as before the split
    pins = offer["adopt"]["assignmentIds"]
    assert set(pins) == {
        f"/subscriptions/{SECOND}/resourceGroups/rg-app",
        f"/subscriptions/{SECOND}/resourceGroups/rg-data",
    }
    assert {a.scope: a.assignment_id for a in plan.offers[0].assignments if a.scope in pins} == pins
    assert out.splitlines()[0] == f"Merged into {STACK_FILE}:"
    assert f"  offer managed-operations: scope {SECOND}" in out.splitlines()


def test_without_write_the_merged_file_is_printed_and_nothing_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _import(capsys, SECOND)
    assert code == 0
    assert out.splitlines()[0] == f"# {STACK_FILE}, merged (--write writes it):"
    assert SECOND_SCOPE in out
    assert (project / STACK_FILE).read_text() == WRITTEN


def test_a_subscription_already_delegated_is_a_conflict(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _import(capsys, FIRST, "--write")
    line = next(i for i, t in enumerate(WRITTEN.splitlines(), 1) if f"subscription: {FIRST}" in t)
    assert code == 2
    assert err == (
        f"{STACK_FILE}:{line}: offers[0].scopes[0].subscription: the template's subscription {FIRST} is "
        "already a scope of this offer; merge adds subscriptions the stack does not have yet\n"
    )
    assert (project / STACK_FILE).read_text() == WRITTEN


def test_other_authorizations_are_a_conflict(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changed = WRITTEN.replace("          role: Reader\n", "          role: Monitoring Reader\n", 1)
    (project / STACK_FILE).write_text(changed)
    code, _, err = _import(capsys, SECOND, "--write")
    line = next(i for i, t in enumerate(changed.splitlines(), 1) if "- key: managed-operations" in t)
    assert code == 2
    assert err == (
        f"{STACK_FILE}:{line}: offers[0]: cannot merge the template into this offer: the template's "
        "authorizations differ from this offer's (only in the template: msp-readers Reader (permanent); only "
        "in the stack: msp-readers Monitoring Reader (permanent)); an offer grants the same access in every "
        "subscription: make them the same first, or import the template without --merge and add its offer "
        "as a separate one\n"
    )
    assert (project / STACK_FILE).read_text() == changed


def test_another_customer_on_the_command_line_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _import(capsys, SECOND, "--customer-tenant", "5b0c9e0a-3c5c-4bd6-9d3a-4f6d7e2a9b11")
    assert code == 2
    assert err == (
        "lighthouse-iac: --customer-tenant 5b0c9e0a-3c5c-4bd6-9d3a-4f6d7e2a9b11 is not "
        f"8ad2ca68-ccfd-43e6-8ff9-3428cca138a5, which {STACK_FILE} declares\n"
    )


def test_merge_needs_a_stack_to_merge_into(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / STACK_FILE).unlink()
    code, _, err = _import(capsys, SECOND, "--write")
    assert code == 2
    assert err == (
        f"lighthouse-iac: {STACK_FILE}: no stack file to merge into; import without --merge creates it\n"
    )


def test_a_symlinked_stack_file_is_not_written_through(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = project / "elsewhere.yaml"
    outside.write_text(WRITTEN)
    (project / STACK_FILE).unlink()
    os.symlink(outside, project / STACK_FILE)
    code, _, _ = _import(capsys, SECOND, "--write")
    assert code == 2
    assert outside.read_text() == WRITTEN


def test_a_policy_template_is_refused_before_any_argument_is_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    template, parameters = sample_paths("policy-management-group")
    code = main(["import", str(template), *([str(parameters)] if parameters else [])])
    err = capsys.readouterr().err
    assert code == 2
    assert "deployIfNotExists Azure Policy at management-group scope" in err
    assert "--customer" not in err and "--subscription" not in err


def test_customer_is_asked_for_when_the_template_is_importable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    template, parameters = sample_paths("subscription")
    code = main(["import", str(template), *([str(parameters)] if parameters else [])])
    assert code == 2
    assert capsys.readouterr().err == (
        "lighthouse-iac: --customer is required: the stack to create (stacks/Pulumi.<customer>.yaml)\n"
    )


def test_an_offer_the_stack_does_not_have_is_appended(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = WRITTEN.replace("- key: managed-operations", "- key: operations")
    (project / STACK_FILE).write_text(renamed)
    code, out, _ = _import(capsys, SECOND, "--write")
    merged = (project / STACK_FILE).read_text()
    assert code == 0
    assert _in_order(renamed, merged)
    offers = yaml.safe_load(merged)["config"]["lighthouse-iac:offers"]
    assert [o["key"] for o in offers] == ["operations", "managed-operations"]
    assert offers[1]["scopes"] == [{"subscription": SECOND, "resourceGroups": ["rg-app", "rg-data"]}]
    assert "  offer managed-operations (new)" in out.splitlines()
    assert len(load_stack(project, STACK).config.offers) == 2
