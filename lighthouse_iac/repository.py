"""Where the project's files can be read in a browser: the repository's pages on GitHub.

Code scanning shows a rule's `helpUri` as a link; a `file://` URL of the machine that ran `validate` opens
nothing for the reviewer. The base is, in order: the URL given with `--help-base-url`; the repository and
commit GitHub Actions names in its environment; the `origin` remote of the checkout (a github.com remote in
any of its forms, credentials dropped). Otherwise there is no link.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

# git@github.com:owner/repo.git, ssh://git@github.com/owner/repo, https://[user@]github.com/owner/repo.git
_SCP = re.compile(r"^[\w.-]+@(?P<host>[\w.-]+):(?P<path>[^\s]+)\Z")
_REPO_PATH = re.compile(r"^/?(?P<owner>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+?)(?:\.git)?/?\Z")


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None


def github_repository(remote: str) -> str | None:
    """`https://github.com/owner/repo` for a github.com remote URL, None for anything else."""
    scp = _SCP.match(remote)
    if scp:
        host, path = scp["host"], scp["path"]
    else:
        parts = urlsplit(remote)
        if parts.scheme not in ("https", "ssh", "git"):
            return None
        host, path = parts.hostname or "", parts.path  # hostname drops any user:token@
    match = _REPO_PATH.match(path)
    if host.lower() != "github.com" or match is None:
        return None
    return f"https://github.com/{match['owner']}/{match['repo']}"


def _prefix(project_dir: Path, top: Path) -> str:
    """The project folder inside the repository, as a URL path prefix ('' at the top)."""
    try:
        inner = project_dir.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return ""
    return "" if inner == "." else f"{inner}/"


def web_base(
    project_dir: Path, given: str | None = None, environ: Mapping[str, str] = os.environ
) -> str | None:
    """The URL under which the project's files (`docs/...`) open in a browser, ending in '/'; or None."""
    if given:
        return given if given.endswith("/") else given + "/"
    server, repo, sha = (environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if server and repo and sha:
        workspace = environ.get("GITHUB_WORKSPACE")
        prefix = _prefix(project_dir, Path(workspace)) if workspace else ""
        return f"{server}/{repo}/blob/{sha}/{prefix}"
    remote = _git(project_dir, "remote", "get-url", "origin")
    top = _git(project_dir, "rev-parse", "--show-toplevel")
    page = github_repository(remote) if remote else None
    if page is None or top is None:
        return None
    # HEAD: the default branch, which a reviewer can open whether or not this commit was pushed.
    return f"{page}/blob/HEAD/{_prefix(project_dir, Path(top))}"


def check_base_url(value: str) -> str:
    """`--help-base-url`: an http(s) URL, which a browser opens (never file://)."""
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.username or parts.password:
        raise ValueError(
            f"'{value}' is not an http(s) URL without credentials, such as "
            "https://github.com/OWNER/REPO/blob/main/"
        )
    return value
