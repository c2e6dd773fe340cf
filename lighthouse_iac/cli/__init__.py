"""The `lighthouse-iac` command line: offline tools over the stack files, no Pulumi CLI or Azure needed.

Only `audit` and `whoami` read Azure (read-only). Exit codes: 0 success, 1 a mandatory policy violation
(validate), drift (audit) or an identity that may not onboard (whoami), 2 invalid input or usage; 141 when
the reader of standard output went away (`... | head`), as for a process ended by SIGPIPE.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from ..errors import ConfigError
from . import audit, changed_stacks, export, import_, plan, report, schema, validate, whoami
from .context import UsageError

EXIT_OK = 0
EXIT_VIOLATION = 1
EXIT_INVALID = 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a process ended by SIGPIPE

# Every subcommand, listed here and nowhere else. Each module has `register(subparsers)` and `run(args)`.
COMMANDS: tuple[ModuleType, ...] = (
    plan,
    validate,
    export,
    import_,
    report,
    changed_stacks,
    audit,
    whoami,
    schema,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lighthouse-iac", description=__doc__.splitlines()[0])
    parser.add_argument(
        "-C",
        "--project-dir",
        type=Path,
        default=None,
        help="the project folder (with Pulumi.yaml); default: found from the working directory",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its usage message
        return EXIT_OK if exc.code == 0 else EXIT_INVALID
    try:
        result: int = args.run(args)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except UsageError as exc:
        print(f"lighthouse-iac: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # The reader closed the pipe: point stdout at /dev/null so the interpreter's final flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return result
