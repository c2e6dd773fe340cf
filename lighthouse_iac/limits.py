"""Every bound on input size and work, in one place: bad input gets a clear error within seconds, never
a hang or an out-of-memory. docs/security.md ("Limits") lists them with their reasons.

Where Azure has a limit, the bound is Azure's, so that nothing Azure would accept is refused here; the
others are far above any real configuration and far below what would exhaust a CI runner.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# --- files ----------------------------------------------------------------------------------------

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Any file read: stack files, Pulumi.yaml, role catalogues, policy settings, templates and parameter
files. ARM refuses a template or parameter file over 4 MB (ARM template best practices, "Template limits":
learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits); a stack file
is a few kilobytes."""

MAX_YAML_NODES = 250_000
"""Nodes of a YAML document counted after alias expansion (`*name` counts its whole anchored subtree
again): a "billion laughs" file of a few lines expands to billions and is refused with its line."""

MAX_YAML_INT_CHARS = 1_000
"""Characters of one YAML integer. Python refuses to read a decimal integer of more than 4,300 digits
(ValueError, a traceback), and an ARM integer is 64-bit (19 digits): far above any real value, and a
hexadecimal or sexagesimal one this long still prints in fewer digits than Python's limit."""

# --- configuration --------------------------------------------------------------------------------

MAX_OFFERS = 800
"""Offers per customer stack. Each offer is a registration definition in every subscription it reaches,
and one subscription's deployment holds at most 800 resources (ARM "Template limits")."""

MAX_SCOPES = 800
"""Scopes per offer (subscriptions plus resource groups): each is a registration assignment, and one
subscription's deployment holds at most 800 resources (ARM "Template limits")."""

MAX_AUTHORIZATIONS = 1_000
"""Permanent and eligible authorizations per offer, each list. Azure documents no cap for template
onboarding (Partner Center takes 20, a rule checks that); a registration definition is one ARM resource,
at most 1 MB (ARM "Template limits"), which this many authorizations stay well under."""

# --- ARM template evaluation ----------------------------------------------------------------------

MAX_COPY_COUNT = 800
"""Iterations of one copy loop: "The count can't exceed 800" (ARM, Resource iteration, Copy limits:
learn.microsoft.com/azure/azure-resource-manager/templates/copy-resources)."""

MAX_EXPANDED_RESOURCES = 800 * 4
"""Lighthouse resources one template expands to, nested deployments and copy loops included: 800 per
deployment (ARM "Template limits"), with room for a few nested deployments."""

MAX_EXPRESSION_LENGTH = 24_576
"""Characters in one template expression (ARM "Template limits")."""

MAX_EXPRESSION_DEPTH = 64
"""Function calls and indexes nested in one expression: far more than a template writes, far less than
would exhaust the evaluator's recursion."""

MAX_VALUE_LENGTH = 1_000_000
"""Characters of a string, items of an array or members of an object that an expression, a variable or a
copy loop builds (`concat`, `replace`, `format`, `union`, ...), counted as written out (an array held twice
counts twice): doubling a string twenty times, or nesting an array in itself, would otherwise take memory
without bound. A value this large exceeds the 4 MB template limit anyway."""


class InputTooLarge(OSError):
    """A file over MAX_FILE_BYTES, or not a regular file (a FIFO or a device would never end)."""


class SymbolicLink(OSError):
    """An input file, or a folder between the project and it, that is a symbolic link.

    Git checks a link out as a link, so a pull request can add one pointing anywhere on the machine that
    runs CI (`/etc/passwd`, a secret mounted for another job); read through, its text would reach error
    messages and reports. Input files must be regular files inside the project."""


_NOT_FOLLOWED = (
    "not followed (input files must be regular files: a link could point at any file on this machine)"
)


def read_limited(path: Path, within: Path | None = None) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES, read without reading more than that.

    The file itself must not be a symbolic link; nor may any folder between `within` (the project
    folder, when the file is one the project names) and the file."""
    if within is not None:
        linked_folders(path, within)
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    # O_NOFOLLOW: a link is refused by the kernel as it opens, with no window between a check and the open.
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if os.path.islink(path):
            raise SymbolicLink(f"a symbolic link, {_NOT_FOLLOWED}") from exc
        raise
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise InputTooLarge("not a regular file")
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputTooLarge(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the limit for any input file")
    return data


def linked_folders(path: Path, within: Path) -> None:
    """Raise SymbolicLink if a folder from `within` down to `path` is a link (`within` itself may be:
    where the project lives is the pipeline's choice, not the pull request's)."""
    # The parts as written, `..` included: `link/../x` goes through `link`, whatever normpath says.
    top, parts = Path(within).parts, Path(path).parts
    if parts[: len(top)] != top:
        return  # not below the project folder: a path the user gave, not one a pull request placed
    folder = Path(within)
    for part in parts[len(top) : -1]:
        folder = folder / part
        if os.path.islink(folder):
            name = os.path.relpath(folder, within)
            raise SymbolicLink(f"the folder {name} is a symbolic link, {_NOT_FOLLOWED}")


def count_problems(offers: object) -> list[tuple[tuple[str | int, ...], str]]:
    """Key paths and messages for a stack's `offers` value declaring more than Azure takes; checked on
    the raw value, before any validation walks it."""
    if not isinstance(offers, list):
        return []
    if len(offers) > MAX_OFFERS:
        return [(("offers",), f"{len(offers)} offers; a stack holds at most {MAX_OFFERS:,}")]
    found: list[tuple[tuple[str | int, ...], str]] = []
    for o, offer in enumerate(offers):
        if not isinstance(offer, dict):
            continue
        for key in ("authorizations", "eligibleAuthorizations"):
            items = offer.get(key)
            if isinstance(items, list) and len(items) > MAX_AUTHORIZATIONS:
                found.append(
                    (("offers", o, key), f"{len(items)} {key}; an offer holds at most {MAX_AUTHORIZATIONS:,}")
                )
        scopes = offer.get("scopes")
        if isinstance(scopes, list):
            count = sum(
                len(s["resourceGroups"])
                if isinstance(s, dict) and isinstance(s.get("resourceGroups"), list)
                else 1
                for s in scopes
            )
            if count > MAX_SCOPES:
                found.append(
                    (
                        ("offers", o, "scopes"),
                        f"{count} scopes (subscriptions and resource groups); an offer is assigned at most "
                        f"{MAX_SCOPES} scopes, the resources of one ARM deployment",
                    )
                )
    return found
