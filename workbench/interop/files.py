"""Writing export files: the one writer every export uses.

``check_target`` refuses what must never be overwritten (a project's database, its WAL and SHM
files, its ``project.yaml``, through any symlink or relative path), a directory, an empty name and
a place that cannot be written, each with a message. ``replacing`` then writes:

- a regular file (new or existing) atomically: a temporary file beside it, renamed over it only
  once complete, so a reader never sees half a file and a failed export leaves the old one whole;
- through a symlink to the file it points at (the link stays a link);
- to ``-`` (standard output) and to special files (``/dev/stdout``, a pipe) as a stream.

The permission rule is the one ``open()`` follows: a new file gets ``0o666`` less the user's umask
(the temporary file is created with that mode, so the kernel applies the umask and any default ACL
of the directory; the process's umask is never changed), and a replaced file keeps its mode.
"""
from __future__ import annotations

import io
import os
import secrets
import stat
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from ..core.errors import WorkbenchError

STDOUT = "-"
# A project directory is one holding project.yaml; these files in it are the project itself.
PROJECT_FILES = ("project.yaml", "project.db", "project.db-wal", "project.db-shm", "project.db-journal")


class TargetError(WorkbenchError):
    """An export target that must not or cannot be written."""


def check_target(path: Path | str) -> Path | str:
    """The target to write for ``path``: ``STDOUT``, or the path with symlinks resolved. Refuses
    (TargetError) an empty name, a directory, a missing or unwritable directory, and any file of
    a project (its database, WAL/SHM/journal or ``project.yaml``)."""
    if str(path) == STDOUT:
        return STDOUT
    if not str(path).strip():
        raise TargetError("give a file name to write to (or - for standard output)")
    given = Path(path)
    target = given.resolve()
    if target.name in PROJECT_FILES and (target.parent / "project.yaml").is_file():
        raise TargetError(f"{given}: is {'the settings' if target.name == 'project.yaml' else 'the database'} "
                          f"of the project in {target.parent}; an export never replaces it: give another file "
                          "name")
    try:
        found = given.stat()  # through symlinks
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise TargetError(f"{given}: cannot be written ({exc.strerror or exc})") from None
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise TargetError(f"{given}: is a directory; give a file name")
    if found is not None and (not stat.S_ISREG(found.st_mode) or given.is_absolute() and given.parts[1] == "dev"):
        return given  # a device or a pipe, or /dev/stdout redirected to a file: written as a stream
    if not target.parent.is_dir():
        raise TargetError(f"{given.parent}: no such directory")
    if not os.access(target.parent, os.W_OK | os.X_OK) or (found is not None and not os.access(target, os.W_OK)):
        raise TargetError(f"{given}: cannot write there (permission denied)")
    return target


def _kept_mode(path: Path) -> int | None:
    """The permission bits of the file ``path`` replaces, or None for a new file."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return None


def _temporary(target: Path) -> tuple[int, str]:
    """A new, empty, hidden file beside ``target``, opened for writing: ``(fd, path)``. Created with
    mode 0o666 as ``open()`` creates one (tempfile.mkstemp would make it 0o600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        name = str(target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue  # a name another export is using; draw again


@contextmanager
def replacing(path: Path | str, encoding: str | None = "utf-8") -> Iterator[IO]:
    """A file to write that replaces ``path`` when the block completes without error: text with
    ``encoding`` (newlines written as given), or bytes when ``encoding`` is None. The target is
    checked first (``check_target``); see the module's docstring for streams and symlinks."""
    target = check_target(path)
    if target == STDOUT:
        sys.stdout.flush()
        yield from _stream(sys.stdout.buffer, encoding, close=False)
        return
    assert isinstance(target, Path)
    if target.exists() and (not stat.S_ISREG(target.stat().st_mode) or target.parts[1:2] == ("dev",)):
        with open(target, "ab") as raw:  # append: a stream has nothing to truncate
            yield from _stream(raw, encoding, close=True)
        return
    mode = _kept_mode(target)
    fd, tmp = _temporary(target)
    try:
        with (os.fdopen(fd, "wb") if encoding is None else
              os.fdopen(fd, "w", encoding=encoding, newline="")) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _stream(raw: IO[bytes], encoding: str | None, close: bool) -> Iterator[IO]:
    if encoding is None:
        yield raw
        raw.flush()
        return
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    try:
        yield text
        text.flush()
    finally:
        if not close:
            text.detach()  # leave standard output open


def write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` (see ``replacing``)."""
    with replacing(path, encoding=None) as out:
        out.write(data)


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` (see ``replacing``)."""
    with replacing(path, encoding) as out:
        out.write(text)
