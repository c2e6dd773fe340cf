"""The project as it was at a git revision, read with `git archive` into a temporary folder.

The user's work tree, index and branches are never touched: `git archive` only reads objects.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import PROJECT_FILE
from ..errors import ConfigError, Problem


class RevisionError(Exception):
    """No git, no repository, or no such revision: the user must fix the command line."""


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed; comparing with a revision needs it") from None


def _out(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stdout.decode("utf-8", "replace").strip()


def _regular(member: tarfile.TarInfo, dest: str, revision: str) -> tarfile.TarInfo | None:
    """Files and folders only: a link in the revision would be followed when its stack files are read."""
    if member.issym() or member.islnk():
        if member.name.endswith((".yaml", ".yml", ".json")):
            raise RevisionError(
                f"{revision}:{member.name} is a symbolic link; the files a stack is read from must be "
                "regular files at that revision (a link could point anywhere)"
            )
        return None  # not read by a stack: left out
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError as exc:
        raise RevisionError(f"{revision}: {exc}") from None


@contextmanager
def project_at(project_dir: Path, revision: str) -> Iterator[Path | None]:
    """A temporary copy of the project folder at `revision`; None when the project did not exist there."""
    top = _git(project_dir, "rev-parse", "--show-prefix")
    if top.returncode != 0:
        raise RevisionError(f"{project_dir} is not in a git repository; a revision needs one")
    prefix = _out(top)
    if _git(project_dir, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode != 0:
        raise RevisionError(
            f"unknown revision '{revision}' (a branch, tag or commit; in a shallow CI clone, fetch it first)"
        )
    if _git(project_dir, "cat-file", "-e", f"{revision}:{prefix}{PROJECT_FILE}").returncode != 0:
        yield None
        return
    # From the top of the repository: in a subfolder, git archive would look for that subfolder again.
    top_dir = Path(_out(_git(project_dir, "rev-parse", "--show-toplevel")))
    archive = _git(top_dir, "archive", "--format=tar", f"{revision}:{prefix}")
    if archive.returncode != 0:
        reason = archive.stderr.decode("utf-8", "replace").strip()
        raise RevisionError(f"git archive {revision} failed: {reason}")
    with tempfile.TemporaryDirectory(prefix="lighthouse-iac-base-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter=lambda member, dest: _regular(member, dest, revision))
        yield Path(tmp)


def relabel(error: ConfigError, folder: Path, revision: str) -> ConfigError:
    """The same problems, their temporary file paths shown as `REVISION:path`."""
    root = str(folder.resolve())

    def name(file: str | None) -> str | None:
        if file is None:
            return None
        resolved = str(Path(file).resolve())
        if resolved.startswith(root):
            return f"{revision}:{Path(resolved).relative_to(root).as_posix()}"
        return file

    return ConfigError([Problem(name(p.file), p.line, p.path, p.message) for p in error.problems])
