"""Bounds: bad input gets a clear error within seconds, never a hang or an out-of-memory (issue 9).

A test here that fails on a build without the limits does so by running out of its subprocess timeout.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lighthouse_iac import limits
from lighthouse_iac.cli import main

from .arm.cases import SUBSCRIPTION, sample_paths
from .projects import BASELINE, STACK, STACK_FILE, make_project

# Ten times ten, seven levels deep: 10 million items from a few hundred bytes.
BOMB = "".join(f"    - &l{n} [{', '.join([f'*l{n - 1}'] * 10 if n else ['x'] * 10)}]\n" for n in range(7))


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process: a hang or an out-of-memory there fails the test instead of the run."""
    return subprocess.run(
        [sys.executable, "-m", "lighthouse_iac", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_yaml_aliases_expanding_past_the_limit_are_refused_with_the_line(tmp_path: Path) -> None:
    text = BASELINE.replace(
        "          approvers: [msp-approvers]\n",
        "          approvers:\n" + BOMB.replace("    -", "            -"),
    )
    project = make_project(tmp_path, text)
    done = _cli("-C", str(project), "validate")
    assert done.returncode == 2, done.stderr
    line = 20 + 6  # `approvers:` is on line 20; &l5, a million items, is the first list over the limit
    assert f"Pulumi.{STACK}.yaml:{line}: YAML aliases here expand to more than 250,000 nodes" in done.stdout


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    text = BASELINE.replace("resourceGroups: [rg-app, rg-data]", "resourceGroups: &groups [rg-app, rg-data]")
    text += "    - key: more\n      name: More\n      description: More\n"
    text += "      authorizations: [{principal: msp-readers, role: Reader}]\n"
    text += "      scopes: [{subscription: cd517f52-d3a6-4df4-b0f7-c5afce02d973, resourceGroups: *groups}]\n"
    project = make_project(tmp_path, text)
    assert main(["-C", str(project), "validate"]) == 0


@pytest.mark.parametrize("which", ["stack", "project", "settings"])
def test_files_over_the_size_limit_are_refused(
    which: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    padding = "#" + "x" * 1023 + "\n"
    big = padding * (limits.MAX_FILE_BYTES // 1024 + 1)
    args = ["-C", str(project), "validate"]
    if which == "stack":
        (project / STACK_FILE).write_text(big + BASELINE)
    elif which == "project":
        (project / "Pulumi.yaml").write_text(big + (project / "Pulumi.yaml").read_text())
    else:
        (project / "policy-config.json").write_text(big + "{}")
        args += ["--config", str(project / "policy-config.json")]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert "larger than 4 MB, the limit for any input file" in captured.out + captured.err


def test_a_template_over_the_size_limit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template, _ = sample_paths("subscription")
    data = json.loads(template.read_text())
    data["metadata"] = {"padding": "x" * limits.MAX_FILE_BYTES}
    (tmp_path / "big.json").write_text(json.dumps(data))
    assert (
        main(["import", str(tmp_path / "big.json"), "--customer", "x", "--subscription", SUBSCRIPTION]) == 2
    )
    assert "big.json: cannot read file: larger than 4 MB" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_not_waited_on(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    os.mkfifo(tmp_path / "settings.json")
    done = _cli("-C", str(project), "validate", "--config", str(tmp_path / "settings.json"), timeout=60)
    assert done.returncode == 2
    assert "settings.json: cannot read file: not a regular file" in done.stderr + done.stdout


def _offer(scopes: int, authorizations: int) -> str:
    auths = ", ".join(["{principal: msp-readers, role: Reader}"] * authorizations)
    groups = ", ".join(f"rg-{i}" for i in range(scopes))
    return (
        f"    - key: big\n      name: Big\n      description: Big\n      authorizations: [{auths}]\n"
        "      scopes: [{subscription: 9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f,"
        f" resourceGroups: [{groups}]}}]\n"
    )


@pytest.mark.parametrize(
    ("offers", "scopes", "authorizations", "expected"),
    [
        (801, 1, 1, "offers: 801 offers; a stack holds at most 800"),
        (
            1,
            801,
            1,
            "offers[0].scopes: 801 scopes (subscriptions and resource groups); an offer is assigned at "
            "most 800",
        ),
        (1, 1, 1001, "offers[0].authorizations: 1001 authorizations; an offer holds at most 1,000"),
    ],
)
def test_more_offers_scopes_or_authorizations_than_azure_takes_are_refused_early(
    offers: int,
    scopes: int,
    authorizations: int,
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    head, _, _ = BASELINE.partition("    - key: managed-operations")
    text = head + "".join(
        _offer(scopes, authorizations).replace("key: big", f"key: big-{n}") for n in range(offers)
    )
    project = make_project(tmp_path, text)
    assert main(["-C", str(project), "validate"]) == 2
    out = capsys.readouterr().out
    assert f"Pulumi.{STACK}.yaml:" in out and expected in out, out


# --- ARM evaluation ---------------------------------------------------------------------------


def _template(tmp_path: Path, change: Any) -> list[str]:
    template, parameters = sample_paths("subscription")
    assert parameters is not None
    data = json.loads(template.read_text())
    change(data)
    (tmp_path / "t.json").write_text(json.dumps(data))
    return [
        "import",
        str(tmp_path / "t.json"),
        str(parameters),
        "--customer",
        "x",
        "--subscription",
        SUBSCRIPTION,
    ]


def _copy(count: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        data["resources"][1]["copy"] = {"name": "many", "count": count}

    return change


def test_a_copy_count_over_azures_limit_is_a_config_error(tmp_path: Path) -> None:
    done = _cli(*_template(tmp_path, _copy(10**9)), timeout=60)
    assert done.returncode == 2
    assert "copy.count: a copy count of 1000000000; Azure allows at most 800" in done.stderr


def test_copy_loops_in_nested_deployments_cannot_multiply_without_bound(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        inner = copy.deepcopy(data["resources"][1])
        inner["copy"] = {"name": "inner", "count": 800}
        data["resources"].append(
            {
                "type": "Microsoft.Resources/deployments",
                "apiVersion": "2022-09-01",
                "name": "[concat('nested', copyIndex())]",
                "resourceGroup": "rg",
                "copy": {"name": "outer", "count": 800},
                "properties": {
                    "mode": "Incremental",
                    "template": {
                        "$schema": data["$schema"],
                        "contentVersion": "1.0.0.0",
                        "resources": [inner],
                    },
                },
            }
        )

    done = _cli(*_template(tmp_path, change), timeout=120)
    assert done.returncode == 2
    assert "expands to more than 3,200 resources" in done.stderr


def test_a_string_doubled_by_variables_is_a_config_error(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["variables"]["v0"] = "[parameters('mspOfferName')]"
        for n in range(1, 60):
            data["variables"][f"v{n}"] = f"[concat(variables('v{n - 1}'), variables('v{n - 1}'))]"
        data["resources"][0]["properties"]["description"] = "[variables('v59')]"

    done = _cli(*_template(tmp_path, change), timeout=60)
    assert done.returncode == 2
    assert "concat() would build a value of more than 1,000,000 characters or items" in done.stderr


def test_an_array_nested_in_itself_by_variables_is_a_config_error(tmp_path: Path) -> None:
    # Every createArray() builds two items, but each holds the one before: written out, v59 is 2**59 strings.
    def change(data: dict[str, Any]) -> None:
        data["variables"]["v0"] = "[parameters('mspOfferName')]"
        for n in range(1, 60):
            data["variables"][f"v{n}"] = f"[createArray(variables('v{n - 1}'), variables('v{n - 1}'))]"
        data["resources"][0]["properties"]["description"] = "[string(variables('v59'))]"

    done = _cli(*_template(tmp_path, change), timeout=60)
    assert done.returncode == 2, done.stderr
    assert "createArray() would build a value of more than 1,000,000 characters or items" in done.stderr


def test_a_value_repeated_by_literal_arrays_or_copy_loops_is_a_config_error(tmp_path: Path) -> None:
    # No function grows anything here: literal arrays and a copy loop repeat the variable before them.
    def change(data: dict[str, Any]) -> None:
        data["variables"]["v0"] = "[parameters('mspOfferName')]"
        for n in range(1, 60):
            data["variables"][f"v{n}"] = [f"[variables('v{n - 1}')]", f"[variables('v{n - 1}')]"]
        data["variables"]["copy"] = [{"name": "many", "count": 800, "input": "[variables('v59')]"}]
        data["resources"][0]["properties"]["description"] = "[string(variables('many'))]"

    done = _cli(*_template(tmp_path, change), timeout=60)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "characters or items written out; at most 1,000,000 are evaluated" in done.stderr


def test_an_expression_nested_too_deeply_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(data: dict[str, Any]) -> None:
        data["resources"][0]["properties"]["description"] = "[" + "concat(" * 100 + "'x'" + ")" * 100 + "]"

    assert main(_template(tmp_path, change)) == 2
    assert "calls and indexes nest more than 64 deep" in capsys.readouterr().err


def test_an_expression_longer_than_azure_takes_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(data: dict[str, Any]) -> None:
        data["resources"][0]["properties"]["description"] = "[concat('" + "x" * 30_000 + "')]"

    assert main(_template(tmp_path, change)) == 2
    assert "the expression has 30,010 characters; Azure allows at most 24,576" in capsys.readouterr().err
