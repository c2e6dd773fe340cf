"""Writing files safely: whole or not at all, never through a symlink, never over what must be kept.

A file is written to a temporary name in its own folder, flushed to disk, then renamed over the target: a
reader (or an interrupted run) sees the old file or the new one, never a mix or an empty file. A rename
replaces a symlink planted at the target instead of following it, so the write stays where it was asked.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..sources import display_path
from .context import UsageError


def output_file(path: Path) -> Path:
    """`-o FILE` of validate, report and audit: a file in a folder that exists (exit 2 otherwise)."""
    if path.is_dir():
        raise UsageError(f"-o {display_path(path)}: a folder is there; -o names the file to write")
    if not path.parent.exists():
        raise UsageError(
            f"-o {display_path(path)}: the folder {display_path(path.parent)} does not exist; create it first"
        )
    if not path.parent.is_dir():
        raise UsageError(f"-o {display_path(path)}: {display_path(path.parent)} is a file, not a folder")
    return path


def write_output(path: Path, text: str | Iterable[str]) -> None:
    """Write a report to `-o FILE`, atomically; given in pieces, it is written piece by piece."""
    output_file(path)
    data = text.encode("utf-8") if isinstance(text, str) else (piece.encode("utf-8") for piece in text)
    try:
        replace_files(path.parent, {path.name: data})
    except OSError as exc:
        raise UsageError(f"cannot write {display_path(path)}: {exc.strerror or exc}") from None


def _temporary(folder: Path, name: str, data: bytes | Iterable[bytes], mode: int | None) -> Path:
    """`data` in a new file next to `name`, on disk; O_EXCL and O_NOFOLLOW: it is new, and ours."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    path = folder / f".{name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(path, flags, 0o666 if mode is None else mode)
    try:
        with open(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(path, mode)  # the mode of the file it replaces, whatever the umask
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def replace_files(
    folder: Path, files: Mapping[str, bytes | Iterable[bytes]], modes: Mapping[str, int] | None = None
) -> None:
    """Write every file of `files` in `folder`: all written to temporary names first, then each renamed
    over its target, so that an interrupted run leaves the old files or the new ones and no partial file."""
    for name in files:
        target = folder / name
        if target.is_dir() and not target.is_symlink():  # a rename over it would fail halfway through
            raise IsADirectoryError(errno.EISDIR, "a folder is where a file goes", str(target))
    written: dict[str, Path] = {}
    try:
        for name, data in files.items():
            written[name] = _temporary(folder, name, data, (modes or {}).get(name))
        for name, temporary in written.items():
            os.replace(temporary, folder / name)
    finally:
        for temporary in written.values():
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()


def create_file(path: Path, data: bytes) -> None:
    """Write a new file at `path`, whole; refused if anything is there, a dangling symlink included."""
    if path.is_symlink() or path.exists():
        raise FileExistsError(f"{display_path(path)} exists")
    temporary = _temporary(path.parent, path.name, data, None)
    try:
        os.link(temporary, path, follow_symlinks=False)  # fails if anything appeared there meanwhile
    finally:
        temporary.unlink()
