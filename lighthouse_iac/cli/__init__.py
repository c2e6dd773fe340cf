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
from importlib import import_module
from pathlib import Path

from ..errors import ConfigError
from .commands import COMMANDS, help_of
from .context import UsageError

EXIT_OK = 0
EXIT_VIOLATION = 1
EXIT_INVALID = 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a process ended by SIGPIPE


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; given `argv`, only the commands named in it are imported and complete.

    The others are listed with their help line only, which is all `--help` shows of them. Any word of
    `argv` that is a command's name loads that command (`-C plan validate` loads both): never too few.
    """
    parser = argparse.ArgumentParser(prog="lighthouse-iac", description=__doc__.splitlines()[0])
    parser.add_argument(
        "-C",
        "--project-dir",
        type=Path,
        default=None,
        help="the project folder (with Pulumi.yaml); default: found from the working directory",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    named = set(COMMANDS) if argv is None else set(argv)
    for name, (module, _) in COMMANDS.items():
        if name in named:
            import_module(f"{__name__}.{module}").register(subparsers)
        else:
            subparsers.add_parser(name, help=help_of(name))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = _parser(argv)
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
