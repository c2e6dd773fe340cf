"""`lighthouse-iac import`: a template becomes a stack file, never overwriting what the user wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from lighthouse_iac.cli import main
from lighthouse_iac.config import load_stack

from ..arm.cases import SUBSCRIPTION, sample_paths
from ..engine import FIXTURE

CUSTOMER_TENANT = "05ed8275-b1ff-41e3-84b2-017dbc393a69"
ONBOARDING = "7f5b5d4a-dcb6-460c-a65e-836f7cfb230e"


def _fresh_project(tmp_path: Path) -> Path:
    """A new project: Pulumi.yaml without a managing tenant yet, as `pulumi new` leaves it."""
    (tmp_path / "Pulumi.yaml").write_text(
        "name: lighthouse-iac\nruntime: python\nstackConfigDir: stacks\nconfig:\n  # keep this comment\n"
        "  lighthouse-iac:roleCatalogues:\n    value: []\n"
    )
    return tmp_path


def _args(name: str, *extra: str) -> list[str]:
    template, parameters = sample_paths(name)
    return ["import", str(template), *([str(parameters)] if parameters else []), *extra]


def test_dry_run_prints_the_stack_and_lists_placeholders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _fresh_project(tmp_path)
    code = main(["-C", str(project), *_args("rg", "--customer", "relecloud", "--subscription", SUBSCRIPTION)])
    assert code == 1  # imported, but placeholders remain
    captured = capsys.readouterr()
    out = captured.out
    assert out.startswith("# stacks/Pulumi.relecloud.yaml\n")
    stack_text, directory_text = out.split("\n# Pulumi.yaml: the managing tenant to add (--write adds it)\n")
    stack = yaml.safe_load(stack_text)["config"]
    assert stack["lighthouse-iac:offers"][0]["scopes"] == [
        {"subscription": SUBSCRIPTION, "resourceGroups": ["test"]}
    ]
    assert yaml.safe_load(directory_text)["config"]["managingTenant"]["value"]["principals"] == {
        "pim-group": {
            "objectId": "00000000-0000-0000-0000-000000000000",
            "kind": "group",
            "displayName": "PIM_Group",
        }
    }
    placeholders = [line for line in captured.err.splitlines() if line.startswith("placeholder: ")]
    assert [p.split(": ")[2] for p in placeholders] == [
        "parameters.managedByTenantId.value",
        "parameters.authorizations.value[0].principalId",
        "parameters.authorizations.value[1].principalId",
        "parameters.authorizations.value[2].principalId",
        "customer.tenantId",
        "onboarding.objectId",
    ]
    assert not (project / "stacks").exists()
    assert "Traceback" not in captured.err


def test_write_creates_the_stack_and_the_directory_then_plan_and_export_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _fresh_project(tmp_path)
    details = ["--customer-tenant", CUSTOMER_TENANT, "--onboarding", ONBOARDING, "--customer-name", "Wingtip"]
    args = _args("marketplace", "--customer", "wingtip", "--subscription", SUBSCRIPTION, *details, "--write")
    assert main(["-C", str(project), *args, "--managing-tenant-name", "Fabrikam"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Wrote " + str(project / "stacks" / "Pulumi.wingtip.yaml"),
        "Added managingTenant with 3 principals to Pulumi.yaml",
    ]
    pulumi_yaml = (project / "Pulumi.yaml").read_text()
    assert "  # keep this comment\n  lighthouse-iac:roleCatalogues:\n    value: []\n" in pulumi_yaml
    stack = load_stack(project, "wingtip")
    assert stack.config.managing_tenant.name == "Fabrikam"
    assert stack.config.offers[0].adopt is not None
    assert main(["-C", str(project), "plan", "wingtip"]) == 0
    assert main(["-C", str(project), "export", "wingtip"]) == 0
    # Importing the export gives back the same offers (keys included, from the template's metadata).
    template = project / "exports" / "wingtip" / f"{SUBSCRIPTION}.template.json"
    parameters = project / "exports" / "wingtip" / f"{SUBSCRIPTION}.parameters.json"
    capsys.readouterr()
    again = [
        "import",
        str(template),
        str(parameters),
        "--customer",
        "wingtip",
        *details,
    ]  # the export names it
    assert main(["-C", str(project), *again]) == 0
    reimported = yaml.safe_load(capsys.readouterr().out)["config"]["lighthouse-iac:offers"]
    original = yaml.safe_load((project / "stacks" / "Pulumi.wingtip.yaml").read_text())["config"]
    assert reimported == original["lighthouse-iac:offers"]


def test_an_existing_stack_file_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _fresh_project(tmp_path)
    (project / "stacks").mkdir()
    (project / "stacks" / "Pulumi.wingtip.yaml").write_text("config: {}\n")
    args = _args("marketplace", "--customer", "wingtip", "--subscription", SUBSCRIPTION, "--write")
    assert main(["-C", str(project), *args]) == 2
    assert capsys.readouterr().err == (
        f"lighthouse-iac: {project / 'stacks' / 'Pulumi.wingtip.yaml'} exists and is not overwritten; "
        "--merge adds the template's subscription to it\n"
    )
    assert (project / "stacks" / "Pulumi.wingtip.yaml").read_text() == "config: {}\n"
    assert "managingTenant" not in (project / "Pulumi.yaml").read_text()


def test_an_existing_directory_gets_the_entries_to_add_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURE / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    before = (tmp_path / "Pulumi.yaml").read_text()
    args = _args("azmigrate", "--customer", "migrate", "--subscription", SUBSCRIPTION, "--write")
    assert (
        main(["-C", str(tmp_path), *args, "-p", "managedByTenantId=d980ba46-0ced-44e9-ba1f-fe956db47fe4"])
        == 1
    )
    out = capsys.readouterr().out
    assert (tmp_path / "Pulumi.yaml").read_text() == before
    printed = out.split("Add these principals under managingTenant.value.principals in Pulumi.yaml:\n")[1]
    assert sorted(yaml.safe_load(printed)) == ["msp-contributor-access-migration", "pim-group"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("policy-management-group", "resources[0].properties.policyRule.then.effect: this template onboards"),
        ("policy-audit", "resources: this template delegates nothing"),
    ],
)
def test_templates_it_cannot_take_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, expected: str
) -> None:
    project = _fresh_project(tmp_path)
    assert main(["-C", str(project), *_args(name, "--customer", "x", "--subscription", SUBSCRIPTION)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_bad_input_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _fresh_project(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text('{"resources": [}')
    assert (
        main(["-C", str(project), "import", str(broken), "--customer", "x", "--subscription", SUBSCRIPTION])
        == 2
    )
    assert capsys.readouterr().err == f"{broken}:1: not valid JSON: Expecting value\n"
    assert main(["-C", str(project), *_args("rg", "--customer", "x", "--subscription", "not-a-guid")]) == 2
    assert "argument --subscription: 'not-a-guid' is not a GUID" in capsys.readouterr().err
    assert main(["-C", str(project), *_args("rg", "--customer", "x")]) == 2
    assert capsys.readouterr().err == (
        "lighthouse-iac: --subscription is required: a template does not say which subscription it was "
        "deployed to\n"
    )
    assert (
        main(
            [
                "-C",
                str(project),
                *_args("rg", "--customer", "x", "--subscription", SUBSCRIPTION, "-p", "nope=1"),
            ]
        )
        == 2
    )
    assert capsys.readouterr().err == (
        "--parameter: nope: the template declares no such parameter; its parameters: mspOfferName, "
        "mspOfferDescription, managedByTenantId, authorizations, rgName\n"
    )


def test_a_pulumi_yaml_it_cannot_edit_safely_leaves_everything_unwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: lighthouse-iac\nstackConfigDir: stacks\nconfig: {}\n")
    args = _args("marketplace", "--customer", "wingtip", "--subscription", SUBSCRIPTION, "--write")
    assert main(["-C", str(tmp_path), *args]) == 2
    assert capsys.readouterr().err.endswith(
        "Pulumi.yaml: 'config:' is not a block mapping; add managingTenant by hand\n"
    )
    assert not (tmp_path / "stacks").exists()
    assert (
        tmp_path / "Pulumi.yaml"
    ).read_text() == "name: lighthouse-iac\nstackConfigDir: stacks\nconfig: {}\n"


@pytest.mark.parametrize("customer", ["../../in/evil", "a/b", "..", "a..b", "-x", "a b", ""])
def test_the_customer_must_be_a_stack_name_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], customer: str
) -> None:
    (tmp_path / "project").mkdir()
    project = _fresh_project(tmp_path / "project")
    before = (project / "Pulumi.yaml").read_text()
    args = _args("marketplace", f"--customer={customer}", "--subscription", SUBSCRIPTION, "--write")
    assert main(["-C", str(project), *args]) == 2
    assert capsys.readouterr().err == (
        f"'{customer}' is not a valid customer stack name; use letters, digits, '-', '_' and '.', starting "
        "with a letter or digit (the name of stacks/Pulumi.<customer>.yaml)\n"
    )
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["Pulumi.yaml", "project"]
    assert (project / "Pulumi.yaml").read_text() == before


def test_a_stack_folder_it_cannot_create_leaves_pulumi_yaml_unwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _fresh_project(tmp_path)
    before = (project / "Pulumi.yaml").read_text()
    (project / "stacks").write_text("a file where the stacks folder goes\n")
    args = _args("marketplace", "--customer", "wingtip", "--subscription", SUBSCRIPTION, "--write")
    assert main(["-C", str(project), *args]) == 2
    assert capsys.readouterr().err == (
        f"lighthouse-iac: {project / 'stacks'} is a file; stack files go in a folder of that name\n"
    )
    assert (project / "Pulumi.yaml").read_text() == before


def test_a_display_name_in_the_template_cannot_drive_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The notes quote each new directory entry's display name, which the template's author wrote.
    template, parameters = sample_paths("subscription")
    assert parameters is not None
    hostile = parameters.read_text().replace('"PIM_Group"', '"PIM\\u001b]0;pwned\\u0007\\u001b[2J"', 1)
    assert hostile != parameters.read_text()
    (tmp_path / "p.json").write_text(hostile)
    project = str(_fresh_project(tmp_path))
    arguments = ["--customer", "relecloud", "--subscription", SUBSCRIPTION]
    code = main(["-C", project, "import", str(template), str(tmp_path / "p.json"), *arguments])
    assert code == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "'PIM\\x1b]0;pwned\\x07\\x1b[2J'" in err


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        ("[roles.json]", "{root}/roles.json: cannot read role catalogue: "),
        ("roles.json", "expected a list of role catalogue files"),
    ],
    ids=["unreadable", "not-a-list"],
)
def test_the_projects_role_catalogues_are_read_as_plan_reads_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], listed: str, expected: str
) -> None:
    # The one catalogue loader: the error names Pulumi.yaml's line and the file, and nothing is imported
    # against the shipped roles alone (a list that is not one used to be ignored).
    project = _fresh_project(tmp_path)
    (project / "roles.json").write_text("{not json")
    pulumi_yaml = project / "Pulumi.yaml"
    pulumi_yaml.write_text(pulumi_yaml.read_text().replace("value: []", f"value: {listed}"))
    code = main(["-C", str(project), *_args("rg", "--customer", "relecloud", "--subscription", SUBSCRIPTION)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{pulumi_yaml}:7: roleCatalogues: {expected.format(root=project)}")
    assert not (project / "stacks").exists()
