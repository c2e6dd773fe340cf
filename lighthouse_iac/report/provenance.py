"""What every report says about itself: when it was made, from which commit, with which role catalogue,
and which stacks it leaves out because they do not load.

A report is kept (an artifact, a file in a review) and read later by someone who was not there: without
these lines nobody can tell which state of the repository and of Microsoft's roles it describes, or that
a broken stack is missing from it.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..limits import read_limited


@dataclass(frozen=True)
class BrokenStack:
    """A stack the report leaves out, and why."""

    stack: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Provenance:
    made: str
    """UTC, ISO 8601 to the second (SOURCE_DATE_EPOCH when set, for reproducible output)."""
    commit: str | None
    """The full commit of the project's checkout; None outside git."""
    modified: bool
    """Uncommitted changes under the project folder: the report is of the work tree, not of the commit."""
    catalogue: str

    def text(self) -> str:
        if self.commit is None:
            source = "a folder that is not a git checkout"
        else:
            source = f"commit {self.commit[:12]}" + (" with uncommitted changes" if self.modified else "")
        return f"Made {self.made} from {source}, with {self.catalogue}."

    def json(self) -> dict[str, Any]:
        return {
            "made": self.made,
            "commit": self.commit,
            "uncommittedChanges": self.modified,
            "catalogue": self.catalogue,
        }


def _now(environ: Mapping[str, str]) -> str:
    epoch = environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except OSError:
        return None  # no git: the report says it cannot name a commit
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None


def _builtin_catalogue() -> str:
    text = resources.files("lighthouse_iac").joinpath("data/azure-builtin-roles.json").read_text("utf-8")
    document = json.loads(text)
    source = document.get("source", {}) if isinstance(document, dict) else {}
    count = len(document.get("roles", [])) if isinstance(document, dict) else 0
    origin = f"{source.get('repo', 'unknown source')}@{str(source.get('commit', ''))[:12]}"
    retrieved = source.get("retrieved", "?")
    return f"the shipped Azure built-in roles ({count} roles, retrieved {retrieved} from {origin})"


def _extra_catalogue(project_dir: Path, path: str) -> str:
    try:
        digest = hashlib.sha256(read_limited(project_dir / path, within=project_dir)).hexdigest()[:12]
    except OSError:
        return path
    return f"{path} (sha256 {digest})"


def provenance(
    project_dir: Path, role_catalogues: Sequence[str], environ: Mapping[str, str] = os.environ
) -> Provenance:
    """The provenance of a report on the project at `project_dir` made now."""
    commit = _git(project_dir, "rev-parse", "--verify", "--quiet", "HEAD")
    modified = bool(commit and _git(project_dir, "status", "--porcelain", "--", "."))
    catalogue = _builtin_catalogue()
    if role_catalogues:
        extra = ", ".join(_extra_catalogue(project_dir, p) for p in role_catalogues)
        catalogue += f" and the project's roleCatalogues: {extra}"
    return Provenance(_now(environ), commit, modified, catalogue)


def problem_text(problem: Problem) -> str:
    """One problem on one line, whatever its message holds."""
    return " ".join(problem.render().split())


def broken_lines(broken: Sequence[BrokenStack]) -> list[str]:
    """Plain text: which stacks are left out, and each of their problems."""
    if not broken:
        return []
    names = ", ".join(b.stack for b in broken)
    lines = [f"{len(broken)} stack{'s' if len(broken) != 1 else ''} not in this report (invalid): {names}"]
    lines += [f"{b.stack}: {problem_text(p)}" for b in broken for p in b.problems]
    return lines
