"""Writing export files: the one atomic writer every export uses.

A file is written to a temporary file beside the target and renamed over it only once it is
complete, so a reader never sees half a file and a failed export leaves the old file whole. The
permission rule is the one ``open()`` follows: a new file gets ``0o666`` less the user's umask, a
replaced file keeps its mode.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask  # mkstemp makes 0600; a new file gets what open() would give


@contextmanager
def replacing(path: Path | str, encoding: str | None = "utf-8") -> Iterator[IO]:
    """A file to write that replaces ``path`` when the block completes without error: text with
    ``encoding`` (newlines written as given), or bytes when ``encoding`` is None."""
    path = Path(path)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with (os.fdopen(fd, "wb") if encoding is None else
              os.fdopen(fd, "w", encoding=encoding, newline="")) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see ``replacing``)."""
    with replacing(path, encoding=None) as out:
        out.write(data)


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (see ``replacing``)."""
    with replacing(path, encoding) as out:
        out.write(text)
