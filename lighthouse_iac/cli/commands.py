"""Every subcommand, listed here and nowhere else: its name, its module, and its line in `--help`.

Nothing here imports a command: `lighthouse-iac --help` lists them all from this table, and only the
command that runs imports its module (each has `register(subparsers)` and `run(args)`), so that `--help`
and `plan` do not pay for what `audit` or `import` need.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

# name -> (module under lighthouse_iac.cli, the one-line help)
COMMANDS: Final = MappingProxyType(
    {
        "plan": ("plan", "show the resources and access a customer stack declares"),
        "validate": ("validate", "check stack files against the policy rules (no Pulumi or Azure needed)"),
        "export": (
            "export",
            "write the ARM templates a customer deploys, or the plan's authorizations for Partner Center",
        ),
        "import": ("import_", "turn an ARM onboarding template and its parameters into a customer stack"),
        "report": ("report", "who can reach which customer, with which role; --diff: access gained and lost"),
        "changed-stacks": ("changed_stacks", "the customer stacks a change touches, as a JSON matrix for CI"),
        "audit": ("audit", "compare what Azure holds for the managing tenant with the stacks (read-only)"),
        "whoami": (
            "whoami",
            "check the signed-in identity against Azure and Entra ID, as the program does before deploying",
        ),
        "schema": (
            "schema",
            "write JSON Schemas of stack files and Pulumi.yaml, for editors (docs/configuration.md)",
        ),
    }
)


def help_of(name: str) -> str:
    return COMMANDS[name][1]
