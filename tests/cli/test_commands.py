"""The command table: every command listed once, and only the command that runs imported."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

from lighthouse_iac.cli import _parser, main
from lighthouse_iac.cli.commands import COMMANDS

from ..engine import FIXTURE


def _modules_after(argv: list[str]) -> set[str]:
    """The modules a fresh interpreter has imported once `lighthouse-iac ARGV` has run."""
    code = (
        "import contextlib, io, sys\n"
        "from lighthouse_iac.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    main({argv!r})\n"
        "print('\\n'.join(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=FIXTURE, capture_output=True, text=True, check=True
    )
    return set(done.stdout.split())


def test_help_lists_every_command_as_the_full_parser_does(capsys: pytest.CaptureFixture[str]) -> None:
    full = _parser().format_help()
    assert main(["--help"]) == 0
    shown = capsys.readouterr().out
    assert shown == full
    words = " ".join(shown.split())  # argparse wraps the lines to the terminal's width
    for name, (_, line) in COMMANDS.items():
        assert f" {name} {line}" in words, name


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_has_its_own_help_and_runs(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    module = import_module(f"lighthouse_iac.cli.{COMMANDS[name][0]}")
    assert callable(module.run)
    assert main([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: lighthouse-iac {name} ")
    assert "options:" in out  # its own arguments, not the one-line stub


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plna", "contoso"]) == 2
    assert "invalid choice: 'plna'" in capsys.readouterr().err


def test_help_imports_no_command_and_no_pydantic() -> None:
    loaded = _modules_after(["--help"])
    assert not {m for m in loaded if m.startswith("lighthouse_iac.cli.")} - {
        "lighthouse_iac.cli.commands",
        "lighthouse_iac.cli.context",
    }
    assert "pydantic" not in loaded
    assert "yaml" not in loaded


def test_plan_imports_neither_other_commands_nor_http_clients() -> None:
    loaded = _modules_after(["plan", "contoso"])
    assert "lighthouse_iac.cli.plan" in loaded
    assert "lighthouse_iac.rules" in loaded  # its verdicts
    for unwanted in ("lighthouse_iac.cli.validate", "lighthouse_iac.cli.audit", "requests", "azure"):
        assert unwanted not in loaded, unwanted


def test_a_command_name_given_as_an_option_value_does_not_hide_the_command() -> None:
    argv = ["-C", "plan", "validate", "--format", "json"]
    args = _parser(argv).parse_args(argv)
    assert (args.command, args.project_dir, args.format) == ("validate", Path("plan"), "json")
