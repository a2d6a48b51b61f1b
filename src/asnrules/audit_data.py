"""Finding the attendance data: a file, a directory or a glob of CSV or Parquet files, checked
before any work (missing, empty, binary or not UTF-8: one-line errors E320–E324)."""

from __future__ import annotations

import glob as globlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

__all__ = ["DataSource", "find_source"]


# ---- finding the data --------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSource:
    """The attendance data: its format and its files."""

    kind: str  # "csv" or "parquet"
    files: tuple[str, ...]


def _kind_of(path: str) -> str | None:
    low = path.lower()
    if low.endswith((".parquet", ".pq", ".parq")):
        return "parquet"
    if low.endswith((".csv", ".csv.gz", ".tsv", ".txt", ".csv.zst")):
        return "csv"
    return None


def _sniff(path: str) -> str:
    with open(path, "rb") as f:
        head = f.read(4)
    return "parquet" if head == b"PAR1" else "csv"


def find_source(data: str) -> DataSource:
    """The data files named by ``data`` (a file, a directory or a glob) and their format."""
    if not isinstance(data, str | os.PathLike):
        raise InputError("the attendance data must be a path to a file, a directory or a glob", code="E320")
    data = os.fspath(data)
    if os.path.isdir(data):
        found = sorted(str(p) for p in Path(data).rglob("*") if p.is_file() and _kind_of(str(p)))
        if not found:
            raise InputError(f"no CSV or Parquet files in the directory {data}", code="E320")
    elif os.path.isfile(data):
        found = [data]
    elif any(ch in data for ch in "*?["):
        found = sorted(p for p in globlib.glob(data, recursive=True) if os.path.isfile(p))
        if not found:
            raise InputError(f"no files match {data}", code="E320")
    else:
        raise InputError(f"no such file or directory: {data}", code="E320")
    kinds = {_kind_of(p) or _sniff(p) for p in found}
    if len(kinds) > 1:
        raise InputError(f"{data} mixes CSV and Parquet files; audit them separately", code="E324")
    kind = kinds.pop()
    for p in found:
        if os.path.getsize(p) == 0:
            raise InputError(f"{p} is empty: it has no header and no rows", code="E321")
        if kind == "csv":
            _check_text(p)
    return DataSource(kind, tuple(found))


def _check_text(path: str) -> None:
    with open(path, "rb") as f:
        head = f.read(65536)
    if path.lower().endswith((".gz", ".zst")):
        return
    if b"\x00" in head:
        raise InputError(f"{path} is not a CSV text file (it contains binary data)", code="E323")
    if not head.strip():
        raise InputError(f"{path} is empty: it has no header and no rows", code="E321")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not merely a character cut at the end of the sample
            raise InputError(
                f"{path} is not UTF-8 text (byte 0x{head[e.start]:02x} at offset {e.start})", code="E323"
            ) from None
