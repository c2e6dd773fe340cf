"""Scratch git repositories holding a copy of the example fleet, for --diff and changed-stacks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..engine import FIXTURE, ROOT

# Commits must not depend on the machine's git configuration (user, hooks, signing).
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    return done.stdout


def fleet_repo(tmp: Path) -> Path:
    """A git repository with the project file, program and the example stacks, committed on `main`."""
    repo = tmp / "fleet"
    (repo / "stacks").mkdir(parents=True)
    shutil.copy(FIXTURE / "Pulumi.yaml", repo / "Pulumi.yaml")
    shutil.copy(ROOT / "__main__.py", repo / "__main__.py")
    for stack in sorted((FIXTURE / "stacks").glob("Pulumi.*.yaml")):
        shutil.copy(stack, repo / "stacks" / stack.name)
    (repo / "README.md").write_text("A fleet.\n")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "the fleet")
    return repo


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` in a file, failing loudly when the example no longer contains it."""
    text = path.read_text()
    assert text.count(old) == count, f"{path.name}: expected {count} x {old!r}"
    path.write_text(text.replace(old, new))
