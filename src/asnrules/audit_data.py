"""Finding the attendance data: a file, a directory or a glob of CSV or Parquet files, checked
before any work (missing, empty, binary, compressed under the wrong name or not UTF-8: one-line
errors E320–E324).

A CSV file is read with options decided here, never by a sniffer looking at a sample: the header
(its first record, read by Python's ``csv`` module) gives the column names and the delimiter (the
one of ``,``, ``;``, tab and ``|`` that splits it into the most fields; tab for ``.tsv``); quotes are
``"`` doubled inside a field (RFC 4180). So a quoted field at row 25,002 is read like one at row 2,
and a ragged line is an error that names its line (see :mod:`asnrules.audit_engines`)."""

from __future__ import annotations

import csv
import glob as globlib
import gzip
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .messages import msg

__all__ = ["DataSource", "find_source"]


# ---- finding the data --------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSource:
    """The attendance data: its format and its files."""

    kind: str  # "csv" or "parquet"
    files: tuple[str, ...]
    #: CSV: each file's header (column names) and delimiter, in the order of ``files``.
    headers: tuple[tuple[str, ...], ...] = field(default=())
    delimiters: tuple[str, ...] = field(default=())


def _kind_of(path: str) -> str | None:
    low = path.lower()
    if low.endswith((".parquet", ".pq", ".parq")):
        return "parquet"
    if low.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".txt.gz")):
        return "csv"
    return None


def _sniff(path: str) -> str:
    with open(path, "rb") as f:
        head = f.read(4)
    return "parquet" if head == b"PAR1" else "csv"


def find_source(data: str) -> DataSource:
    """The data files named by ``data`` (a file, a directory or a glob) and their format."""
    if not isinstance(data, str | os.PathLike):
        raise InputError(msg("audit.data-not-a-path"), code="E320")
    data = os.fspath(data)
    if os.path.isdir(data):
        found = sorted(str(p) for p in Path(data).rglob("*") if p.is_file() and _kind_of(str(p)))
        if not found:
            raise InputError(msg("audit.empty-directory", path=data), code="E320")
    elif os.path.isfile(data):
        found = [data]
    elif os.path.exists(data):
        raise InputError(msg("audit.not-regular", path=data), code="E320")
    elif os.path.islink(data):
        raise InputError(msg("audit.broken-link", path=data), code="E320")
    elif any(ch in data for ch in "*?["):
        found = sorted(p for p in globlib.glob(data, recursive=True) if os.path.isfile(p))
        if not found:
            raise InputError(msg("audit.no-match", pattern=data), code="E320")
    else:
        raise InputError(msg("audit.no-such-path", path=data), code="E320")
    kinds = {_kind_of(p) or _sniff(p) for p in found}
    if len(kinds) > 1:
        raise InputError(msg("audit.mixed-kinds-in", path=data), code="E324")
    kind = kinds.pop()
    headers: list[tuple[str, ...]] = []
    delimiters: list[str] = []
    for p in found:
        if not os.path.isfile(p):
            raise InputError(msg("audit.not-a-data-file", path=p), code="E320")
        if os.path.getsize(p) == 0:
            raise InputError(msg("audit.empty-file", path=p), code="E321")
        if kind == "csv":
            _check_text(p)
            header, delimiter = read_header(p)
            headers.append(header)
            delimiters.append(delimiter)
    return DataSource(kind, tuple(found), tuple(headers), tuple(delimiters))


#: The delimiters a CSV header may use, in order of preference on a tie.
DELIMITERS = (",", ";", "\t", "|")


def read_header(path: str) -> tuple[tuple[str, ...], str]:
    """The column names and the delimiter of a CSV file, from its first record (see the module
    docstring). Blank names become ``column<N>`` (1-based); two columns of one name are E322."""
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as raw:
            head = raw.read(1 << 20)
    except (OSError, EOFError) as e:
        raise InputError(msg("audit.cannot-read", path=path, why=str(e)), code="E323") from None
    text = head.decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text.strip() else ""
    preferred = ["\t"] if path.lower().endswith((".tsv", ".tsv.gz")) else list(DELIMITERS)
    delimiter = max(preferred, key=lambda d: (len(next(csv.reader([first], delimiter=d), [])), -preferred.index(d)))
    try:
        names = next(csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', doublequote=True))
    except (csv.Error, StopIteration):
        raise InputError(msg("audit.no-header", path=path), code="E323") from None
    out: list[str] = []
    seen: dict[str, str] = {}
    for i, name in enumerate(names, 1):
        name = name.strip() or f"column{i}"
        folded = name.casefold()
        if folded in seen:
            earlier = list(seen).index(folded) + 1
            raise InputError(
                msg("audit.duplicate-column", path=path, name=repr(name), first=earlier, second=i), code="E322"
            )
        seen[folded] = name
        out.append(name)
    return tuple(out), delimiter


#: The first bytes of compressed files.
_GZIP, _ZSTD = b"\x1f\x8b", b"\x28\xb5\x2f\xfd"


def _check_text(path: str) -> None:
    with open(path, "rb") as f:
        head = f.read(65536)
    name = os.path.basename(path)
    if head.startswith(_ZSTD):
        raise InputError(msg("audit.zstd", path=path), code="E323")
    if path.lower().endswith(".gz"):
        if not head.startswith(_GZIP):
            raise InputError(msg("audit.not-gzip", path=path), code="E323")
        return
    if head.startswith(_GZIP):
        raise InputError(msg("audit.gzip-unnamed", path=path, name=os.path.splitext(name)[0]), code="E323")
    if b"\x00" in head:
        raise InputError(msg("audit.binary", path=path), code="E323")
    if not head.strip():
        raise InputError(msg("audit.empty-file", path=path), code="E321")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not merely a character cut at the end of the sample
            raise InputError(
                msg("audit.not-utf8", path=path, byte=f"{head[e.start]:02x}", offset=e.start), code="E323"
            ) from None
