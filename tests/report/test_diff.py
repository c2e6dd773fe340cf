"""Access gained, lost and changed between two revisions of the fleet, read from git without touching it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lighthouse_iac.catalogues import load_catalogue
from lighthouse_iac.errors import ConfigError
from lighthouse_iac.fleet import load_fleet
from lighthouse_iac.report.access import Access
from lighthouse_iac.report.diff import AccessDiff, compare
from lighthouse_iac.report.markdown import render_diff
from lighthouse_iac.report.revision import RevisionError, project_at, relabel
from lighthouse_iac.report.summary import build_report

from .scratch import commit, edit, fleet_repo, git

CONTOSO_SUB = "ee1f64a5-8b7a-43b6-8508-70424b3b0a61"
SECURITY_ID = "ffc88ac5-03c7-4dce-a6b5-9ea8ddc04d0e"
READER_ID = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
MANAGING_TENANT = "d980ba46-0ced-44e9-ba1f-fe956db47fe4"
CONTOSO_TENANT = "04ed3da6-576c-42d4-a174-871685bd0d9f"


def change_the_fleet(repo: Path) -> None:
    """One of each: access gained, access lost, a changed policy, a customer added and one removed."""
    stacks = repo / "stacks"
    edit(
        stacks / "Pulumi.contoso.yaml",
        "        - principal: msp-readers\n          role: Reader\n",
        "        - principal: msp-readers\n          role: Reader\n"
        "        - principal: msp-security\n          role: Reader\n",
    )
    edit(stacks / "Pulumi.contoso.yaml", "          approvers: [msp-approvers]\n", "")
    edit(stacks / "Pulumi.tailspin.yaml", "[rg-web-prod, rg-data-prod]", "[rg-web-prod]")
    fourth = (stacks / "Pulumi.wingtip.yaml").read_text().replace("Wingtip Toys", "Fourth Coffee")
    fourth = fourth.replace("05ed8275-b1ff-41e3-84b2-017dbc393a69", "5a1c0c43-5b8e-4b42-9d3c-7b9d1a0b6c11")
    (stacks / "Pulumi.fourthcoffee.yaml").write_text(fourth)
    (stacks / "Pulumi.wingtip.yaml").unlink()


def _rows(folder: Path) -> tuple[Access, ...]:
    return build_report(load_fleet(folder).require_valid()).access


def test_the_diff_lists_exactly_the_access_gained_lost_and_changed(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path)
    with project_at(repo, "HEAD") as folder:
        assert folder is not None
        base = _rows(folder)
    change_the_fleet(repo)
    head = _rows(repo)

    diff = compare(
        base, head, "HEAD", ["contoso", "tailspin", "wingtip"], ["contoso", "fourthcoffee", "tailspin"]
    )

    gained = {r.key for r in diff.gained}
    new_reader = (
        "contoso",
        MANAGING_TENANT,
        CONTOSO_TENANT,
        "managed-operations",
        f"/subscriptions/{CONTOSO_SUB}",
        SECURITY_ID,
        READER_ID,
        False,
    )
    assert gained == {new_reader} | {r.key for r in head if r.stack == "fourthcoffee"}
    lost = {r.key for r in diff.lost}
    assert lost == {r.key for r in base if r.stack == "wingtip"} | {
        r.key for r in base if r.stack == "tailspin" and r.resource_group == "rg-data-prod"
    }
    assert len([r for r in diff.lost if r.resource_group == "rg-data-prod"]) == 5
    [changed] = diff.changed
    assert (changed.after.stack, changed.after.principal, changed.after.role) == (
        "contoso",
        "msp-oncall",
        "Contributor",
    )
    assert changed.describe() == "approvers msp-approvers -> (none)"
    assert (diff.added_stacks, diff.removed_stacks) == (("fourthcoffee",), ("wingtip",))


def test_no_change_is_an_empty_diff(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path)
    with project_at(repo, "HEAD") as folder:
        assert folder is not None
        base = _rows(folder)
    diff = compare(base, _rows(repo), "HEAD", ["a"], ["a"])
    assert not diff
    assert (diff.gained, diff.lost, diff.changed) == ((), (), ())


def test_reading_a_revision_leaves_the_work_tree_alone(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path)
    change_the_fleet(repo)
    (repo / "stacks" / "Pulumi.contoso.yaml").touch()
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    status = git(repo, "status", "--porcelain")
    with project_at(repo, "HEAD") as folder:
        assert folder is not None
        assert (folder / "stacks" / "Pulumi.wingtip.yaml").is_file()  # deleted in the work tree only
        assert not (folder / "stacks" / "Pulumi.fourthcoffee.yaml").exists()
        kept = folder
    assert not kept.exists()  # the temporary copy is gone
    assert git(repo, "status", "--porcelain") == status
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts} == before


def test_a_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path)
    nested = tmp_path / "mono"
    (nested / "infra").mkdir(parents=True)
    shutil.copytree(repo, nested / "infra" / "lighthouse", ignore=shutil.ignore_patterns(".git"))
    git(nested, "init", "-q", "-b", "main")
    commit(nested, "nested")
    with project_at(nested / "infra" / "lighthouse", "HEAD") as folder:
        assert folder is not None
        assert sorted(p.name for p in (folder / "stacks").iterdir()) == [
            "Pulumi.contoso.yaml",
            "Pulumi.tailspin.yaml",
            "Pulumi.wingtip.yaml",
        ]


def test_a_revision_without_the_project_has_no_access(tmp_path: Path) -> None:
    repo = tmp_path / "empty"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("before the fleet\n")
    first = commit(repo, "first")
    shutil.copytree(fleet_repo(tmp_path), repo, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".git"))
    with project_at(repo, first) as folder:
        assert folder is None


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ("no-such-branch", "unknown revision 'no-such-branch'"),
        ("HEAD~5", "unknown revision 'HEAD~5'"),
    ],
    ids=["unknown-branch", "beyond-history"],
)
def test_a_bad_revision_is_a_clear_error(tmp_path: Path, revision: str, message: str) -> None:
    repo = fleet_repo(tmp_path)
    with pytest.raises(RevisionError, match=message), project_at(repo, revision):
        pass


def test_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(RevisionError, match="not in a git repository"), project_at(tmp_path, "HEAD"):
        pass


def test_problems_at_a_revision_name_the_revision_not_the_temporary_folder(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path)
    edit(repo / "stacks" / "Pulumi.wingtip.yaml", "role: Reader", "role: Raeder")
    commit(repo, "a typo")
    with project_at(repo, "HEAD") as folder:
        assert folder is not None
        with pytest.raises(ConfigError) as caught:
            load_fleet(folder).require_valid()
        error = relabel(caught.value, folder, "HEAD")
    [problem] = error.problems
    assert problem.file == "HEAD:stacks/Pulumi.wingtip.yaml"
    assert str(error).startswith("HEAD:stacks/Pulumi.wingtip.yaml:")
    assert "unknown role 'Raeder'" in str(error)


# --- every change of access shows (docs/security.md, the trust model) ---------------------------------

ONCALL = (
    "        msp-oncall:\n          objectId: be3365fc-5bbf-446c-83c3-884461783b3a\n          kind: group\n"
)


def _diff_against_head(repo: Path) -> AccessDiff:
    with project_at(repo, "HEAD") as folder:
        assert folder is not None
        base = _rows(folder)
    head = _rows(repo)
    stacks = sorted({r.stack for r in head} | {r.stack for r in base})
    return compare(base, head, "HEAD", stacks, stacks)


def test_a_new_managing_tenant_loses_and_gains_every_row(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path)
    with project_at(repo, "HEAD") as folder:
        assert folder is not None
        base = _rows(folder)
    edit(
        repo / "Pulumi.yaml", f"tenantId: {MANAGING_TENANT}", "tenantId: 0b6c8a3e-1f2d-4e5a-9b7c-6d5e4f3a2b1c"
    )
    diff = _diff_against_head(repo)
    assert len(diff.lost) == len(diff.gained) == len(base)
    assert f"**Tenant changed**: contoso: managing tenant was {MANAGING_TENANT}, now " in render_diff(diff)
    assert diff.notes[0] == (
        f"contoso: managing tenant was {MANAGING_TENANT}, now 0b6c8a3e-1f2d-4e5a-9b7c-6d5e4f3a2b1c; every "
        "delegation of this customer is lost and gained"
    )


def test_a_new_customer_tenant_loses_and_gains_the_customer(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path)
    edit(repo / "stacks" / "Pulumi.contoso.yaml", CONTOSO_TENANT, "5a1c0c43-5b8e-4b42-9d3c-7b9d1a0b6c11")
    diff = _diff_against_head(repo)
    assert {r.stack for r in diff.lost} == {r.stack for r in diff.gained} == {"contoso"}
    assert diff.notes == (
        f"contoso: customer tenant was {CONTOSO_TENANT}, now 5a1c0c43-5b8e-4b42-9d3c-7b9d1a0b6c11; every "
        "delegation of this customer is lost and gained",
    )


def test_a_principal_with_another_object_id_is_lost_and_gained(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path)
    new_id = "3f2b8c1e-5d4a-4e6b-9c7d-8e9f0a1b2c3d"
    edit(repo / "Pulumi.yaml", "objectId: be3365fc-5bbf-446c-83c3-884461783b3a", f"objectId: {new_id}")
    diff = _diff_against_head(repo)
    assert diff.gained and {(r.principal, r.principal_id) for r in diff.gained} == {("msp-oncall", new_id)}
    assert {r.principal for r in diff.lost} == {"msp-oncall"}
    assert len(diff.lost) == len(diff.gained)


def test_a_principal_of_another_kind_is_a_change(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path)
    edit(repo / "Pulumi.yaml", ONCALL, ONCALL.replace("kind: group", "kind: user"))
    diff = _diff_against_head(repo)
    assert (diff.gained, diff.lost) == ((), ())
    assert diff.changed and {(c.after.principal, c.describe()) for c in diff.changed} == {
        ("msp-oncall", "principal kind group -> user")
    }


def test_a_role_catalogue_change_is_a_change(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path)
    reader = load_catalogue().by_id(READER_ID)
    assert reader is not None
    (repo / "catalogues").mkdir()
    (repo / "catalogues" / "newer.json").write_text(
        json.dumps([{"id": READER_ID, "name": "Reader", "actions": [*reader.actions, "Microsoft.Support/*"]}])
    )
    edit(
        repo / "Pulumi.yaml", "config:\n", "config:\n  roleCatalogues:\n    value: [catalogues/newer.json]\n"
    )
    diff = _diff_against_head(repo)
    assert (diff.gained, diff.lost) == ((), ())
    assert diff.changed and {(c.after.role, c.describe()) for c in diff.changed} == {
        ("Reader", "role redefined by the role catalogue: Actions +Microsoft.Support/*")
    }


def test_an_offer_unprotected_for_offboarding_is_a_change(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path)
    edit(
        repo / "stacks" / "Pulumi.contoso.yaml",
        "    - key: managed-operations\n",
        "    - key: managed-operations\n      offboard: true\n",
    )
    diff = _diff_against_head(repo)
    assert diff.changed and {c.describe() for c in diff.changed} == {"now unprotected for offboarding"}
    assert {c.after.stack for c in diff.changed} == {"contoso"}
