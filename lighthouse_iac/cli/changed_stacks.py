"""`lighthouse-iac changed-stacks --base REF`: the customer stacks a change touches, as a JSON matrix.

Prints one line of JSON for a CI matrix: `{"stack": [...], "removed": [...], "shared": true|false}`.
`stack` lists the stacks to preview or deploy: those whose stack file changed, or every stack when a shared
part changed (the project file, the program, components, the core package, the policy pack, dependencies,
role catalogues). `removed` lists stack files that were deleted: that is an offboarding question for a
person, never a stack to `pulumi up`. The change is the work tree (and untracked files) against the merge
base of REF and HEAD, as a pull request sees it. With `--shards N` (or `--max-shard-size M`) it also
prints `shards`, the stacks as a matrix of at most N jobs, `[{"name": "1 of N", "stacks": [...]}, ...]`,
for fleets past GitHub's 256-job matrix limit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .. import config, shards
from ..shards import MAX_JOBS
from .commands import help_of
from .context import UsageError, project_dir

# Paths, relative to the project folder, that every customer stack is built from.
SHARED_FILES = frozenset(
    {"Pulumi.yaml", "__main__.py", "pyproject.toml", "requirements.txt", "policy-config.json"}
)
SHARED_FOLDERS = ("components/", "lighthouse_iac/", "policies/")
# Paths no stack reads. Everything else outside the stack files counts as shared: a file this list does
# not know (a new module, a lock file, a catalogue however its path is spelt) touches every stack, so a
# change cannot reach a customer without its preview (fail closed).
NOT_READ_FOLDERS = ("docs/", "tests/", "bench/", "exports/", ".github/")
NOT_READ_SUFFIXES = (".md",)
NOT_READ_FILES = frozenset({"LICENSE", ".gitignore", ".gitattributes", ".editorconfig"})
STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>[^/]+)\.yaml\Z")
# What Pulumi accepts as a stack name. Names reach CI job names and shells: refuse anything else.
STACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\Z")


@dataclass(frozen=True)
class Changes:
    stacks: tuple[str, ...]
    removed: tuple[str, ...]
    shared: bool

    def matrix(self) -> dict[str, Any]:
        return {"stack": list(self.stacks), "removed": list(self.removed), "shared": self.shared}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "changed-stacks",
        help=help_of("changed-stacks"),
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--base", metavar="REF", help="compare with this git revision (e.g. origin/main)")
    which.add_argument("--all", action="store_true", help="every stack (for scheduled jobs)")
    parser.add_argument(
        "--shards",
        type=_count(MAX_JOBS),
        metavar="N",
        help=f"also emit `shards`: the stacks in N jobs' worth (at most {MAX_JOBS}, GitHub's matrix limit)",
    )
    parser.add_argument(
        "--max-shard-size",
        type=_count(10_000),
        metavar="M",
        help="also emit `shards`, at most M stacks each (more shards if --shards N is not enough)",
    )
    parser.set_defaults(run=run)


def _count(limit: int) -> Any:
    def parse(text: str) -> int:
        if not text.isdigit() or not 1 <= int(text) <= limit:
            raise argparse.ArgumentTypeError(f"expected a whole number from 1 to {limit}, not '{text}'")
        return int(text)

    return parse


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed; changed-stacks needs it") from None
    if done.returncode != 0:
        raise UsageError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def _merge_base(root: Path, base: str) -> str:
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    except UsageError:
        raise UsageError(
            f"unknown revision '{base}' (a branch, tag or commit; in CI, fetch it first, e.g. with "
            "actions/checkout fetch-depth: 0)"
        ) from None
    try:
        return _git(root, "merge-base", base, "HEAD").strip()
    except UsageError:
        raise UsageError(
            f"'{base}' and HEAD have no common ancestor here (a shallow clone? fetch the full history)"
        ) from None


def changed_paths(root: Path, base: str) -> tuple[set[str], set[str]]:
    """Paths (relative to the project folder) changed since the merge base, and those deleted."""
    _git(root, "rev-parse", "--show-toplevel")  # a clear error outside a repository
    since = _merge_base(root, base)
    changed: set[str] = set()
    deleted: set[str] = set()
    # -z: paths as they are, NUL-separated; without it git quotes a non-ASCII path ("r\303\250gles").
    fields = _git(root, "diff", "--name-status", "--no-renames", "--relative", "-z", since).split("\0")
    for status, path in zip(fields[0::2], fields[1::2], strict=False):
        if path:
            (deleted if status.startswith("D") else changed).add(path)
    changed.update(p for p in _git(root, "ls-files", "--others", "--exclude-standard", "-z").split("\0") if p)
    return changed, deleted


def _is_shared(path: str, catalogues: Iterable[str]) -> bool:
    if path in SHARED_FILES or path.startswith(SHARED_FOLDERS) or path in set(catalogues):
        return True
    name = PurePosixPath(path).name
    return not (
        path.startswith(NOT_READ_FOLDERS) or name.endswith(NOT_READ_SUFFIXES) or name in NOT_READ_FILES
    )


def _relative(project: config.Project, path: Path) -> PurePosixPath:
    """`path` relative to the project folder, normalised; a UsageError when it lies outside."""
    absolute = Path(os.path.normpath(project.dir / path))
    try:
        return PurePosixPath(absolute.relative_to(os.path.normpath(project.dir)).as_posix())
    except ValueError:
        raise UsageError(
            f"stackConfigDir {path} lies outside the project folder {project.dir}; changed-stacks "
            "compares the files of the project, so the stack files must be inside it"
        ) from None


def classify(project: config.Project, changed: set[str], deleted: set[str]) -> Changes:
    """Which stacks `changed` and `deleted` (paths relative to the project folder) touch."""
    stacks_dir = _relative(project, project.stack_config_dir)
    entry = project.entries.get("roleCatalogues")
    catalogues = [
        os.path.normpath(str(p)) for p in (entry.value if entry and isinstance(entry.value, list) else [])
    ]

    def stack_of(path: str) -> str | None:
        pure = PurePosixPath(path)
        match = STACK_FILE.match(pure.name)
        return (
            match["stack"] if match and PurePosixPath(os.path.normpath(pure.parent)) == stacks_dir else None
        )

    current = config.list_stacks(project)
    shared = any(stack_of(p) is None and _is_shared(p, catalogues) for p in changed | deleted)
    touched = {s for s in map(stack_of, changed) if s is not None}
    removed = {s for s in map(stack_of, deleted) if s is not None and s not in current}
    stacks = set(current) if shared else touched & set(current)
    _check_names(project, stacks | removed)
    return Changes(tuple(sorted(stacks)), tuple(sorted(removed)), shared)


def _check_names(project: config.Project, names: Iterable[str]) -> None:
    bad = sorted(n for n in names if not STACK_NAME.match(n))
    if bad:
        files = ", ".join(str(config.stack_file(project, n).relative_to(project.dir)) for n in bad)
        raise UsageError(
            f"{files}: not a valid stack name; use letters, digits, '-', '_' and '.', starting with a "
            "letter or digit"
        )


def run(args: argparse.Namespace) -> int:
    root = project_dir(args)
    project = config.load_project(root)
    if args.all:
        stacks = config.list_stacks(project)
        _check_names(project, stacks)
        changes = Changes(tuple(stacks), (), False)
    else:
        changed, deleted = changed_paths(root, args.base)
        changes = classify(project, changed, deleted)
    output = changes.matrix()
    if args.shards or args.max_shard_size:
        output["shards"] = shards.matrix(changes.stacks, args.shards, args.max_shard_size)
        if len(output["shards"]) > MAX_JOBS:
            raise UsageError(
                f"{len(output['shards'])} shards of at most {args.max_shard_size} stacks: more than GitHub's "
                f"{MAX_JOBS} jobs; raise --max-shard-size"
            )
    print(json.dumps(output, separators=(",", ":")))
    return 0
