"""Writing outputs safely, for every command that writes files (compile, render, audit, datagen).

The folder is made when it is missing; the file is written under a temporary name beside it and
renamed into place, so that nobody ever reads half a file. A place that cannot be written is an
:class:`~asnrules.InputError` with code E325, in one line.
"""

from __future__ import annotations

import contextlib
import os
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
    ``path`` when the block succeeds and removed in any case."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise InputError(f"cannot write to {path}: {_why(e, path)}", code="E325") from None
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()  # the writer (DuckDB, Spark, ...) creates it
        yield tmp
        os.replace(tmp, path)
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
