"""Writing outputs safely, for every command that writes files (compile, render, audit, datagen).

The folder is made when it is missing; the file is written under a temporary name beside it and
renamed into place, so that nobody ever reads half a file. A place that cannot be written is an
:class:`~asnrules.InputError` with code E325, in one line.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError

__all__ = ["atomic", "writable", "write_text"]


def writable(path: Path, what: str) -> Path:
    """``path``, once its folder exists (made if missing); raises E325 when it cannot be written.
    ``what`` names the output in the message ("the violations")."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"cannot write {what} to {path}: {_why(e, path)}", code="E325") from None
    if path.is_dir():
        raise InputError(f"cannot write {what} to {path}: it is a folder; give a file name", code="E325")
    return path


@contextlib.contextmanager
def atomic(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` (the folder must exist: :func:`writable`), renamed onto
    ``path`` when the block succeeds and removed in any case.

    An existing output is rewritten without harm: a symlink keeps pointing at its target (the target
    is rewritten), a file with hard links is written in place (its inode stays), the file mode is
    kept, and anything that is not a regular file (a device such as ``/dev/null``, a FIFO) is written
    directly, never replaced by a rename."""
    target = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = os.stat(target)
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        yield target
        return
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise InputError(f"cannot write to {path}: {_why(e, path)}", code="E325") from None
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()  # the writer (DuckDB, Spark, ...) creates it
        yield tmp
        if st is not None and st.st_nlink > 1:
            shutil.copyfile(tmp, target)  # in place: every hard link sees the new content
        else:
            if st is not None:
                os.chmod(tmp, stat.S_IMODE(st.st_mode))
            os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_text(path: Path, text: str, what: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` safely: :func:`writable`, then :func:`atomic`."""
    try:
        with atomic(writable(path, what)) as tmp:
            tmp.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot write {what} to {path}: {_why(e, path)}", code="E325") from None


def _why(e: OSError, path: Path) -> str:
    if isinstance(e, (FileExistsError, NotADirectoryError)):
        # a file stands where a folder of the path should be: name it
        for up in path.parents:
            if up.exists() and not up.is_dir():
                return f"{up} is a file, not a folder"
    return e.strerror or str(e)
