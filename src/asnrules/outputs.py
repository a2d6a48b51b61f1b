"""Writing outputs safely, for every command that writes files (compile, render, audit, datagen).

The folder is made when it is missing; the file is written under a temporary name beside it and
renamed into place, so that nobody ever reads half a file. A place that cannot be written is an
:class:`~asnrules.InputError` with code E325, in one line.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .messages import Msg, msg

__all__ = ["atomic", "is_one_of", "printable", "writable", "write_text"]

#: Characters that must never reach a terminal or a document raw: the C0 controls, DEL and the C1
#: controls (terminal escapes such as ESC), the invisible marks and overrides of text direction
#: (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), and the Unicode line and paragraph
#: separators. Shown as ``\xNN`` or ``\uNNNN`` (docs/diagnostics.md).
_CONTROLS = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"


@functools.cache
def _controls(keep: str) -> re.Pattern[str]:
    kept = "".join(re.escape(c) for c in keep)
    return re.compile(f"(?![{kept}])[{_CONTROLS}]" if kept else f"[{_CONTROLS}]")


def _shown(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with every control character (terminal escapes such as ESC, CR, the C1 controls,
    the overrides of text direction such as U+202E) shown as ``\\x1b`` or ``\\u202e``, so that text
    from a rule file can neither drive a terminal nor hide or reorder what a reader sees. The
    characters of ``keep`` (e.g. ``"\\n\\t"`` for output of several lines) are left as they are."""
    return _controls(keep).sub(_shown, text)


def is_one_of(output: Path, inputs: Iterable[Path]) -> Path | None:
    """The input that ``output`` would overwrite, if any: the same file (:func:`os.path.samefile`,
    so hard links and symlinks count) when ``output`` exists, else the same resolved path."""
    try:
        exists = os.path.exists(output)
    except (OSError, ValueError):
        return None
    for item in inputs:
        try:
            if exists:
                if os.path.exists(item) and os.path.samefile(output, item):
                    return item
            elif os.path.realpath(output) == os.path.realpath(item):
                return item
        except (OSError, ValueError):
            continue
    return None


def writable(path: Path, what: str | Msg) -> Path:
    """``path``, once its folder exists (made if missing); raises E325 when it cannot be written.
    ``what`` names the output in the message: a message of the catalogue (``audit.the-violations``),
    worded in the message's language, or plain text ("the violations")."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        folder = os.path.isdir(path)  # os.path: False for a name too long, where Path.is_dir() raises
    except OSError as e:
        raise InputError(msg("audit.cannot-write", what=what, path=str(path), why=_why(e, path)), code="E325") from None
    if len(os.fsencode(path.name)) > _name_max(path.parent):
        raise InputError(msg("audit.name-too-long", what=what, path=str(path)), code="E325")
    if folder:
        raise InputError(msg("audit.is-a-folder", what=what, path=str(path)), code="E325")
    return path


def _name_max(folder: Path) -> int:
    """The longest file name (in bytes) that ``folder`` takes (255 where the system cannot say)."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return 255


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
        raise InputError(msg("audit.cannot-write-to", path=str(path), why=_why(e, path)), code="E325") from None
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


def write_text(path: Path, text: str, what: str | Msg) -> None:
    """Write ``text`` (UTF-8) to ``path`` safely: :func:`writable`, then :func:`atomic`."""
    try:
        with atomic(writable(path, what)) as tmp:
            tmp.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError(msg("audit.cannot-write", what=what, path=str(path), why=_why(e, path)), code="E325") from None


def _why(e: OSError, path: Path) -> Msg | str:
    """Why ``path`` cannot be written: a file where a folder should be, else the system's words
    (English: the operating system's)."""
    if isinstance(e, (FileExistsError, NotADirectoryError)):
        # a file stands where a folder of the path should be: name it
        for up in path.parents:
            if up.exists() and not up.is_dir():
                return msg("audit.file-not-folder", path=str(up))
    return e.strerror or str(e)
