"""Options several commands share read, and mean, the same in each of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from lighthouse_iac.cli import _parser, main


def _described(command: str, option: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The option's entry in the command's --help."""
    assert main([command, "--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith(option))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("-")), len(lines))
    return " ".join(line.strip() for line in lines[start:end])


@pytest.mark.parametrize(
    ("option", "commands"),
    [
        ("--output", ("validate", "report", "audit")),
        ("--azure-plans", ("plan", "validate")),
        ("--format", ("plan", "whoami")),
    ],
)
def test_a_shared_option_is_the_same_in_every_command(
    option: str, commands: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    described = {_described(command, option, capsys) for command in commands}
    assert len(described) == 1, described


def test_shared_options_parse_as_paths() -> None:
    argv = [
        "validate",
        "-o",
        "out.txt",
        "--config",
        "c.json",
        "--azure-plans",
        "plans",
        "--trusted-base",
        "main",
    ]
    args = _parser(argv).parse_args(argv)
    assert (args.output, args.config, args.azure_plans, args.trusted_base) == (
        Path("out.txt"),
        Path("c.json"),
        Path("plans"),
        "main",
    )
