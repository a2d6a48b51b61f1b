"""Audit attendance records (LANGUAGE.md §7) against a rule set, on DuckDB or on Spark.

The rule set is compiled to tables (:mod:`asnrules.compile_sql`) and the audit is one set-based
query over the data: every row is classified (usable, or the reason it is not), rows are aggregated
per unit-day, joined with the applicable constraints and compared exactly. The data never passes
through Python: DuckDB (the default) streams it out of core under a memory limit; Spark runs the
same SQL, translated by sqlglot.

Steps of :func:`run_audit`:

1. find the data (a file, a directory or a glob; CSV or Parquet) and check its columns — a missing
   required column is an error before any work;
2. one pass over the distinct raw values of ``region``, ``category``, ``mode``, ``level``,
   ``agency`` and ``date``, each mapped with the exact Python name rules into small value tables
   (and the row count: from the Parquet metadata, else in the same pass);
3. one pass over the data (``asn_groups``, see :func:`~asnrules.compile_sql.build_audit`). On DuckDB
   the values are looked up inside the pass (ENUM casts, packed counts:
   :class:`~asnrules.compile_sql.Inline`) and the rows are grouped by unit, day and the reason the
   row itself gives (0: usable), with the least and greatest province, level and agency (ENUMs
   ordered by what they map to) and the counts of staff per slot: the unit-day table is a projection
   of the groups. On Spark (and in the printed SQL) the values are joined and the rows grouped by
   unit, raw date and row class, then per unit-day. The unit-day table (rows read, rows rejected per
   reason, province/level/agency, slot counts) is kept;
4. the violations (from the unit-day table), written to ``--out``; the rejected rows (a second pass,
   only when there are any and ``--rejects`` is given; each row classified with the same rules), with
   the reason, written to ``--rejects``.

Speed (issue: at most 1.3 times a hand-written DuckDB query for SE 17/2023 and SE 1/2024): grouping
first by every raw column and mapping afterwards is *slower* on realistic data (unit × date ×
category × mode gives about 14 groups per unit-day, 3.5 million groups for 10 million rows), so the
pass groups per unit-day and looks the values up on the fly, in ways DuckDB evaluates once per
distinct value of a dictionary-encoded column (``TRY_CAST`` to an ``ENUM``; a plain ``CAST`` or a
``COALESCE`` around it is ten times slower). Per-row work is what costs: an index into a constant
list costs in proportion to the list's length, so only the (category, mode) pair is looked up per
row (in a list of the valid pairs), and the consistency of a unit-day is decided by ``MIN``/``MAX``
over the ENUMs themselves, with no second aggregate. The distinct values cost one more pass (about a
fifth of the main one); DuckDB plans literal lists slowly, so the tables the SQL carries are written
as lists or split text (:func:`~asnrules.compile_sql.unnest_table`). See benchmarks/bench_audit.py.

Rows read = rows audited + rows rejected, always (checked here, and by the tests). A unit-day whose
usable rows disagree on province, level or agency (compared as Kemendagri codes and agency keys) is
rejected as a whole, with that reason: the audit cannot know which row is right.
"""

from __future__ import annotations

import datetime as dt
import glob as globlib
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compile_sql import (
    CONFLICT,
    CONSISTENT,
    LEVEL_CODES,
    MODE_CODES,
    REASONS,
    Columns,
    Inline,
    Relational,
    agency_ctx_code,
    build_audit,
    relational,
    sql_literal,
    translate,
    unnest_table,
    values_table,
)
from .errors import InputError
from .model import Model
from .outputs import atomic, writable
from .prelude import name_key, province_by_code, province_index
from .resolve import parse_date
from .ruleset import RuleSet

__all__ = ["REQUIRED", "AuditReport", "run_audit"]

REQUIRED = ("employee", "unit", "date", "region", "category", "mode")
OPTIONAL = ("agency", "level")
OUTPUT_FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".json": "json"}
COLLECT_LIMIT = 1_000_000
_MODES = {"WFO": "WFO", "WFH": "WFH", "WFA": "WFA", "LEAVE": "LEAVE", "CUTI": "LEAVE"}
_LEVELS = {"central": "central", "pusat": "central", "regional": "regional", "daerah": "regional"}
_AGENCY_TYPES = ("VARCHAR", "INTEGER", "INTEGER", "VARCHAR")
_TIME_PART = re.compile(r"^[ T]00:00(:00(\.0+)?)?(Z|[+-]00(:?00)?)?$")


@dataclass
class AuditReport:
    """What an audit found. ``rows_read == rows_audited + rows_rejected`` always holds."""

    engine: str
    data: str
    rows_read: int = 0
    rows_audited: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    unit_days: int = 0
    units: int = 0
    violation_count: int = 0
    violating_unit_days: int = 0
    by_circular: dict[str, int] = field(default_factory=dict)
    by_province: dict[str, int] = field(default_factory=dict)
    out: str | None = None
    rejects: str | None = None
    seconds: float = 0.0
    violations: list[dict[str, Any]] | None = None
    truncated: bool = False
    #: Seconds per step (DuckDB: setup, values, pass, violations, output, rejects); not in :meth:`to_json`.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected_by_reason.values())

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "engine": self.engine,
            "data": self.data,
            "rows_read": self.rows_read,
            "rows_audited": self.rows_audited,
            "rows_rejected": self.rows_rejected,
            "rejected_by_reason": dict(self.rejected_by_reason),
            "unit_days": self.unit_days,
            "units": self.units,
            "violations": self.violation_count,
            "violating_unit_days": self.violating_unit_days,
            "by_circular": dict(self.by_circular),
            "by_province": dict(self.by_province),
            "out": self.out,
            "rejects": self.rejects,
            "seconds": round(self.seconds, 3),
        }
        return out

    def summary_text(self) -> str:
        lines = [
            f"rows read      {self.rows_read:>12,}",
            f"rows audited   {self.rows_audited:>12,}",
            f"rows rejected  {self.rows_rejected:>12,}",
        ]
        for reason, n in sorted(self.rejected_by_reason.items(), key=lambda kv: -kv[1]):
            if n:
                lines.append(f"  {reason}: {n:,}")
        lines += [
            f"unit-days      {self.unit_days:>12,}",
            f"units          {self.units:>12,}",
            f"violations     {self.violation_count:>12,} (in {self.violating_unit_days:,} unit-days)",
        ]
        if self.by_circular:
            lines.append("by circular:")
            lines += [f"  {name}: {n:,}" for name, n in self.by_circular.items()]
        if self.by_province:
            lines.append("by province:")
            items = list(self.by_province.items())
            lines += [f"  {name}: {n:,}" for name, n in items[:10]]
            if len(items) > 10:
                lines.append(f"  ({len(items) - 10} more provinces: {sum(n for _, n in items[10:]):,})")
        if self.out:
            lines.append(f"violations written to {self.out}")
        if self.rejects and self.rows_rejected:
            lines.append(f"rejected rows written to {self.rejects}")
        elif self.rows_rejected and not self.rejects:
            lines.append("rejected rows not written (use --rejects FILE to see them)")
        lines.append(
            f"rows read = rows audited + rows rejected: {self.rows_read:,} = {self.rows_audited:,} + "
            f"{self.rows_rejected:,}"
        )
        return "\n".join(lines)


# ---- finding the data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
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


def find_source(data: str) -> Source:
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
    return Source(kind, tuple(found))


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


def check_columns(names: Sequence[str], types: Sequence[str], where: str) -> Columns:
    """Map the data's columns (case-insensitively) onto §7's; a missing required column is an error."""
    by_key = {n.strip().casefold(): (n, t) for n, t in zip(names, types, strict=True)}
    missing = [c for c in REQUIRED if c not in by_key]
    if missing:
        have = ", ".join(names) or "none"
        raise InputError(
            f"{where} lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(found: {have}); attendance data needs {', '.join(REQUIRED)} and optionally agency, "
            "level",
            code="E322",
        )

    def q(col: str) -> str:
        return '"' + by_key[col][0].replace('"', '""') + '"'

    date_type = by_key["date"][1].upper()
    kind = (
        "date"
        if date_type == "DATE" or date_type == "DATETYPE()"
        else ("timestamp" if date_type.startswith("TIMESTAMP") else "text")
    )
    return Columns(
        employee=q("employee"),
        unit=q("unit"),
        date=q("date"),
        region=q("region"),
        category=q("category"),
        mode=q("mode"),
        level=q("level") if "level" in by_key else None,
        agency=q("agency") if "agency" in by_key else None,
        date_kind=kind,
    )


# ---- value maps (exact Python name rules on the distinct raw values) ------------------------------


def map_date(raw: str) -> dt.date | None:
    text = raw.strip()
    if len(text) > 10 and _TIME_PART.match(text[10:]):
        text = text[:10]
    day, _ = parse_date(text)
    return day


def value_maps(
    model: Model,
    rel: Relational,
    distinct: Mapping[str, Sequence[str]],
    cols: Columns,
    rows: int = 0,
    table: Callable[[str, Sequence[str], Iterable[Sequence[object]], Sequence[str]], str] = values_table,
) -> tuple[list[str], Inline]:
    """The value maps of :func:`~asnrules.compile_sql.build_audit`, from the data's distinct raw values:
    as CTEs (written by ``table``) and as data (for the lookups written into the one pass; ``rows``: the
    number of rows read, which sets the width of the packed counts)."""
    index = province_index()
    regions = []
    for raw in distinct.get("region", ()):
        p = index.get(name_key(raw))
        if p is not None:
            regions.append((raw, int(p.code)))
    cats = []
    members: dict[str, tuple[int, ...]] = {}
    for raw in distinct.get("category", ()):
        c = model.category_of(raw)
        if c is not None:
            members[raw] = tuple(1 if c in under else 0 for under in rel.slots_n)
            cats.append((raw, c, *members[raw]))
    modes = [
        (raw, MODE_CODES[_MODES[raw.strip().upper()]])
        for raw in distinct.get("mode", ())
        if raw.strip().upper() in _MODES
    ]
    levels = []
    for raw in distinct.get("level", ()):
        text = raw.strip().casefold()
        if not text:
            levels.append((raw, 0))
        elif text in _LEVELS:
            levels.append((raw, LEVEL_CODES[_LEVELS[text]]))
    agencies = []
    numbers: dict[str, int] = {}
    for raw in sorted(distinct.get("agency", ())):
        text = raw.strip()
        key = name_key(text) if text else None
        number = numbers.setdefault(key, len(numbers) + 1) if key else 0
        agencies.append((raw, number, agency_ctx_code(rel, key), text or None))
    days = [(raw, d) for raw in distinct.get("date", ()) if (d := map_date(raw)) is not None]
    inline = Inline(
        region=dict(regions),
        category=members,
        mode=dict(modes),
        level=dict(levels),
        agency={raw: number for raw, number, _, _ in agencies},
        raw={k: sorted(vs) for k, vs in distinct.items()},
        bits=max(1, int(rows)).bit_length() + 1,
        day=dict(days),
        agency_ctx={number: ctx for _, number, ctx, _ in agencies if number},
    )
    v, i = "VARCHAR", "INTEGER"
    return [
        table("asn_region", ["raw", "code"], regions, [v, i]),
        table(
            "asn_category",
            ["raw", "category", *[f"m{j}" for j in range(len(rel.slots_n))]],
            cats,
            [v, v, *[i] * len(rel.slots_n)],
        ),
        table("asn_mode", ["raw", "mode"], modes, [v, i]),
        table("asn_level", ["raw", "level"], levels, [v, i]),
        table("asn_agency", ["raw", "agency_key", "agency_ctx", "agency_name"], agencies, _AGENCY_TYPES),
        table("asn_day", ["raw", "day"], days, [v, "DATE"]),
    ], inline


def distinct_sql(cols: Columns, source: str = "attendance", total: bool = True) -> str:
    """One pass over the data giving each mapped column's distinct values and the number of rows
    (GROUPING SETS; the grand total is the row whose grouping flags are all 1)."""
    wanted = _mapped_columns(cols)
    inner = ", ".join(f"CAST({c} AS VARCHAR) AS v_{k}" for k, c in wanted.items())
    sets = ", ".join([f"(v_{k})" for k in wanted] + (["()"] if total else []))
    grouping = ", ".join(f"GROUPING(v_{k}) AS g_{k}" for k in wanted)
    return (
        f"SELECT {', '.join(f'v_{k}' for k in wanted)}, {grouping}, {'COUNT(*)' if total else '0'} AS n "
        f"FROM (SELECT {inner} FROM {source}) AS t "
        f"GROUP BY GROUPING SETS ({sets})"
    )


def _mapped_columns(cols: Columns) -> dict[str, str]:
    wanted = {"region": cols.region, "category": cols.category, "mode": cols.mode}
    if cols.level:
        wanted["level"] = cols.level
    if cols.agency:
        wanted["agency"] = cols.agency
    if cols.date_kind == "text":
        wanted["date"] = cols.date
    return wanted


def read_distinct(rows: Sequence[Sequence[Any]], cols: Columns) -> tuple[dict[str, list[str]], int]:
    """The distinct values per column and the number of rows, from the rows of :func:`distinct_sql`."""
    keys = list(_mapped_columns(cols))
    out: dict[str, list[str]] = {k: [] for k in keys}
    n = len(keys)
    total = 0
    for row in rows:
        values, flags, count = row[:n], row[n : 2 * n], row[2 * n]
        if all(flags):
            total = int(count)
            continue
        for k, value, flag in zip(keys, values, flags, strict=True):
            if flag == 0 and value is not None:
                out[k].append(str(value))
    return out, total


# ---- the queries ---------------------------------------------------------------------------------


@dataclass
class Plan:
    model: Model
    rel: Relational
    cols: Columns
    maps: list[str]
    names: list[str]
    inline: Inline | None = None  # DuckDB: look the values up in the one pass (see compile_sql.Inline)

    def unitday_sql(self) -> str:
        a = build_audit(self.rel, self.cols, self.maps, inline=self.inline)
        if self.inline is not None:  # the one pass reads no value table
            return f"WITH {a.groups}\nSELECT * FROM asn_unitday"
        return a.with_(a.groups, a.unitday) + "SELECT * FROM asn_unitday"

    def violations_sql(self, unitday_table: str) -> str:
        if self.inline is None:
            a = build_audit(self.rel, self.cols, self.maps, unitday_table=unitday_table)
        else:  # DuckDB: only the agency names are read (one row per key), and lists plan faster than VALUES
            names: dict[int, str] = {}
            for raw, number in self.inline.agency.items():
                if number and raw.strip():
                    names[number] = max(names.get(number, ""), raw.strip())
            agencies = [(name, n, self.inline.agency_ctx.get(n, 0), name) for n, name in sorted(names.items())]
            maps = [
                unnest_table("asn_agency", ["raw", "agency_key", "agency_ctx", "agency_name"], agencies, _AGENCY_TYPES)
            ]
            a = build_audit(self.rel, self.cols, maps, unitday_table=unitday_table, table=unnest_table)
        return a.with_(a.checks) + a.violations

    def rejects_sql(self, unitday_table: str, filename: bool) -> str:
        extra = [f'CAST(a."{n}" AS VARCHAR) AS "raw_{i}"' for i, n in enumerate(_escape(self.names))]
        if filename:
            extra.append("CAST(a.filename AS VARCHAR) AS raw_file")
        a = build_audit(self.rel, self.cols, self.maps, extra=extra)
        bad = f"asn_bad AS (SELECT unit, day FROM {unitday_table} WHERE reason = 0 AND NOT ({CONSISTENT.format(s='')}))"
        reason = (
            "CASE r.reason "
            + " ".join(f"WHEN {code} THEN {sql_literal(text)}" for code, text in REASONS.items() if code != CONFLICT)
            + f" ELSE {sql_literal(REASONS[CONFLICT])} END"
        )
        outs = [f'r."raw_{i}" AS "{n}"' for i, n in enumerate(_escape(self.names))]
        if filename:
            outs.append("r.raw_file AS source_file")
        return (
            a.with_(a.rows, bad) + f"SELECT {', '.join(outs)}, {reason} AS reason FROM asn_rows AS r "
            "LEFT JOIN asn_bad AS b ON b.unit = r.unit AND b.day = r.day "
            "WHERE r.reason <> 0 OR b.unit IS NOT NULL"
        )  # b: only ever joined for usable rows


def _escape(names: Sequence[str]) -> list[str]:
    return [n.replace('"', '""') for n in names]


def stats_sql(table: str) -> str:
    ok = CONSISTENT.format(s="")
    reasons = ", ".join(
        f"COALESCE(SUM(CASE WHEN reason = {r} THEN rows_read ELSE 0 END), 0)" for r in REASONS if r != CONFLICT
    )
    return f"""
SELECT
  COALESCE(SUM(rows_read), 0),
  COALESCE(SUM(CASE WHEN reason = 0 AND {ok} THEN rows_read ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN reason = 0 AND NOT ({ok}) THEN rows_read ELSE 0 END), 0),
  {reasons},
  COALESCE(SUM(CASE WHEN reason = 0 AND {ok} THEN 1 ELSE 0 END), 0),
  COUNT(DISTINCT CASE WHEN reason = 0 AND {ok} THEN unit END)
FROM {table}
"""


def summary_sql(table: str) -> list[str]:
    return [
        f"SELECT COUNT(*), COUNT(DISTINCT CONCAT(unit, '|', CAST(date AS VARCHAR))) FROM {table}",
        f"SELECT circular, COUNT(*) AS n FROM {table} GROUP BY circular ORDER BY n DESC, circular",
        f"SELECT province, COUNT(*) AS n FROM {table} GROUP BY province ORDER BY n DESC, province",
    ]


OUTPUT_COLUMNS = (
    "unit",
    "date",
    "province",
    "province_name",
    "level",
    "agency",
    "circular",
    "rule",
    "group",
    "mode",
    "comparison",
    "bound",
    "share",
    "n",
    "k",
)


def _fill(report: AuditReport, stats: Sequence[Any]) -> None:
    read, audited, conflicting = int(stats[0]), int(stats[1]), int(stats[2])
    reasons = [int(x) for x in stats[3 : 3 + len(REASONS) - 1]]
    unit_days, units = int(stats[-2]), int(stats[-1])
    report.rows_read = read
    report.rows_audited = audited
    report.rejected_by_reason = {
        REASONS[r]: n for r, n in zip([r for r in REASONS if r != CONFLICT], reasons, strict=True)
    }
    report.rejected_by_reason[REASONS[CONFLICT]] = conflicting
    report.unit_days = unit_days
    report.units = units
    if report.rows_read != report.rows_audited + report.rows_rejected:  # pragma: no cover - a bug
        raise AssertionError(f"rows read {read} != audited {audited} + rejected {report.rows_rejected}")


def _summaries(report: AuditReport, results: Sequence[Sequence[Sequence[Any]]]) -> None:
    counts, circ, prov = results
    report.violation_count = int(counts[0][0])
    report.violating_unit_days = int(counts[0][1])
    report.by_circular = {str(name): int(n) for name, n in circ}
    names = province_by_code()
    report.by_province = {names[str(code)].name if str(code) in names else str(code): int(n) for code, n in prov}


# ---- output files --------------------------------------------------------------------------------


def output_format(path: Path, what: str) -> str:
    """The format of an output by its extension, once its folder exists (E325 otherwise)."""
    fmt = OUTPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot write {what} to {path}: use a .csv, .parquet or .json file name", code="E325")
    writable(path, what)
    return fmt


def _copy_options(fmt: str) -> str:
    return {"csv": "FORMAT CSV, HEADER TRUE", "parquet": "FORMAT PARQUET", "json": "FORMAT JSON, ARRAY TRUE"}[fmt]


# ---- progress --------------------------------------------------------------------------------------


class _Progress:
    """A one-line progress bar on standard error, fed by DuckDB's query progress."""

    def __init__(self, con: Any, label: str, enabled: bool) -> None:
        self.con, self.label, self.enabled = con, label, enabled
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.shown = False

    def __enter__(self) -> _Progress:
        if self.enabled:
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()
        return self

    def _run(self) -> None:
        start = time.monotonic()
        while not self.stop.wait(0.25):
            if time.monotonic() - start < 1.0:
                continue
            try:
                pct = float(self.con.query_progress())
            except Exception:  # pragma: no cover - the connection is busy or closed
                continue
            if pct < 0:
                continue
            width = 30
            done = int(width * min(pct, 100.0) / 100)
            sys.stderr.write(f"\r{self.label} [{'#' * done}{' ' * (width - done)}] {pct:5.1f}%")
            sys.stderr.flush()
            self.shown = True

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join()
        if self.shown:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


# ---- engines ---------------------------------------------------------------------------------------


def _duckdb_reader(source: Source, filename: bool = False) -> str:
    files = "[" + ", ".join(sql_literal(f) for f in source.files) + "]"
    fn = ", filename = TRUE" if filename else ""
    if source.kind == "parquet":
        return f"read_parquet({files}, union_by_name = TRUE{fn})"
    return f"read_csv({files}, header = TRUE, all_varchar = TRUE, union_by_name = TRUE{fn})"


def _duck_error(e: Exception, source: Source) -> InputError:
    first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    where = source.files[0] if len(source.files) == 1 else f"the {len(source.files)} files"
    return InputError(f"cannot read {where} as {source.kind.upper()}: {first}", code="E323")


def _run_duckdb(
    plan_for: Any,
    source: Source,
    report: AuditReport,
    out: Path | None,
    rejects: Path | None,
    progress: bool,
    memory_limit: str | None,
    threads: int | None,
) -> None:
    import duckdb

    clock = _Clock(report.timings)
    con = duckdb.connect(config={"preserve_insertion_order": False})
    tmpdir = tempfile.TemporaryDirectory(prefix="asnrules-audit-")
    try:
        limit = memory_limit or os.environ.get("ASNRULES_MEMORY_LIMIT", "512MB")
        con.execute(f"SET memory_limit = {sql_literal(limit)}")
        con.execute(f"SET temp_directory = {sql_literal(tmpdir.name)}")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        try:
            con.execute(f"CREATE TEMP VIEW attendance AS SELECT * FROM {_duckdb_reader(source)}")
            described = con.execute("DESCRIBE SELECT * FROM attendance").fetchall()
        except duckdb.Error as e:
            raise _duck_error(e, source) from None
        names = [str(r[0]) for r in described]
        types = [str(r[1]) for r in described]
        cols = check_columns(names, types, source.files[0] if len(source.files) == 1 else "the data")
        clock("setup")
        try:
            with _Progress(con, "reading values", progress):
                # Parquet knows its row count (the width of the packed counts) from its metadata.
                total = (
                    int((con.execute("SELECT COUNT(*) FROM attendance").fetchone() or (0,))[0])
                    if source.kind == "parquet"
                    else None
                )
                distinct_rows = con.execute(distinct_sql(cols, total=total is None)).fetchall()
        except duckdb.Error as e:
            raise _duck_error(e, source) from None
        distinct, counted = read_distinct(distinct_rows, cols)
        plan: Plan = plan_for(cols, distinct, counted if total is None else total, names, True)
        clock("values")
        try:
            with _Progress(con, "auditing", progress):
                con.execute(f"CREATE TEMP TABLE asn_unitday_t AS {plan.unitday_sql()}")
                stats = con.execute(stats_sql("asn_unitday_t")).fetchone() or ()
        except duckdb.Error as e:
            raise _duck_error(e, source) from None
        _fill(report, stats)
        clock("pass")
        con.execute(f"CREATE TEMP TABLE asn_violations AS {_duck(plan.violations_sql('asn_unitday_t'))}")
        _summaries(report, [con.execute(q).fetchall() for q in summary_sql("asn_violations")])
        clock("violations")
        select = f"SELECT {', '.join(_q(c) for c in OUTPUT_COLUMNS)} FROM asn_violations ORDER BY date, unit, cid"
        if out is not None:
            fmt = output_format(out, "the violations")
            with atomic(out) as tmp:
                con.execute(f"COPY ({select}) TO {sql_literal(str(tmp))} ({_copy_options(fmt)})")
            report.out = str(out)
        else:
            cur = con.execute(select + f" LIMIT {COLLECT_LIMIT}")
            names_out = [d[0] for d in cur.description]
            report.violations = [dict(zip(names_out, row, strict=True)) for row in cur.fetchall()]
            report.truncated = report.violation_count > COLLECT_LIMIT
        clock("output")
        if rejects is not None:
            fmt = output_format(rejects, "the rejected rows")
            with atomic(rejects) as tmp:
                if report.rows_rejected:
                    con.execute(
                        f"CREATE OR REPLACE TEMP VIEW attendance AS SELECT * FROM "
                        f"{_duckdb_reader(source, filename=True)}"
                    )
                    sql = plan.rejects_sql("asn_unitday_t", filename=True)
                else:
                    cols_list = ", ".join(f"CAST(NULL AS VARCHAR) AS {_q(n)}" for n in names)
                    sql = (
                        f"SELECT {cols_list}, CAST(NULL AS VARCHAR) AS source_file, "
                        "CAST(NULL AS VARCHAR) AS reason WHERE 1 = 0"
                    )
                with _Progress(con, "writing rejects", progress):
                    con.execute(f"COPY ({sql}) TO {sql_literal(str(tmp))} ({_copy_options(fmt)})")
            report.rejects = str(rejects)
            clock("rejects")
    finally:
        con.close()
        tmpdir.cleanup()
        clock("close")


class _Clock:
    """Records the seconds since the previous call under a step's name."""

    def __init__(self, into: dict[str, float]) -> None:
        self.into, self.last = into, time.perf_counter()

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.into[step] = self.into.get(step, 0.0) + now - self.last
        self.last = now


def _duck(sql: str) -> str:
    # The SQL is written in DuckDB's dialect; only the portable gcd placeholder needs replacing.
    return sql.replace("ASN_GCD(", "GCD(")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _spark_session(progress: bool) -> Any:
    """The active SparkSession, or a local one (``$ASNRULES_SPARK_MASTER``, default ``local[*]``)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    spark = (
        SparkSession.builder.appName("asnrules-audit")
        .master(os.environ.get("ASNRULES_SPARK_MASTER", "local[*]"))
        .config("spark.sql.shuffle.partitions", os.environ.get("ASNRULES_SPARK_PARTITIONS", "8"))
        .config("spark.ui.showConsoleProgress", "true" if progress else "false")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _run_spark(
    plan_for: Any, source: Source, report: AuditReport, out: Path | None, rejects: Path | None, progress: bool
) -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise InputError("the Spark engine needs pyspark: pip install 'asnrules[spark]'", code="E326") from None
    from pyspark.errors import PySparkException

    spark = _spark_session(progress)

    def sql(text: str) -> Any:
        return spark.sql(translate(text, "spark"))

    try:
        if source.kind == "parquet":
            df = spark.read.parquet(*source.files)
        else:
            df = (
                spark.read.option("header", True)
                .option("inferSchema", False)
                .option("encoding", "UTF-8")
                .csv(list(source.files))
            )
    except PySparkException as e:
        raise InputError(
            f"cannot read the data as {source.kind.upper()}: {str(e).splitlines()[0]}", code="E323"
        ) from None
    names = list(df.columns)
    types = [f.dataType.simpleString() for f in df.schema.fields]
    types = ["DATE" if t == "date" else "TIMESTAMP" if t.startswith("timestamp") else t for t in types]
    cols = check_columns(names, types, source.files[0] if len(source.files) == 1 else "the data")
    df.createOrReplaceTempView("attendance")
    plan: Plan = plan_for(
        cols, *read_distinct([tuple(r) for r in sql(distinct_sql(cols)).collect()], cols), names, False
    )
    unitday = sql(plan.unitday_sql()).cache()
    unitday.createOrReplaceTempView("asn_unitday_t")
    try:
        _fill(report, tuple(sql(stats_sql("asn_unitday_t")).collect()[0]))
        violations = sql(plan.violations_sql("asn_unitday_t")).cache()
        violations.createOrReplaceTempView("asn_violations")
        _summaries(report, [[tuple(r) for r in sql(q).collect()] for q in summary_sql("asn_violations")])
        select = sql(f"SELECT {', '.join(_q(c) for c in OUTPUT_COLUMNS)} FROM asn_violations ORDER BY date, unit, cid")
        if out is not None:
            _write_arrow(select.toArrow(), out, "the violations")
            report.out = str(out)
        else:
            rows = select.limit(COLLECT_LIMIT).collect()
            report.violations = [r.asDict() for r in rows]
            report.truncated = report.violation_count > COLLECT_LIMIT
        if rejects is not None:
            if report.rows_rejected:
                with_file = df.selectExpr("*", "regexp_replace(input_file_name(), '^file:(//)?', '') AS filename")
                with_file.createOrReplaceTempView("attendance")
                _write_arrow(
                    sql(plan.rejects_sql("asn_unitday_t", filename=True)).toArrow(), rejects, "the rejected rows"
                )
            else:
                _write_arrow(None, rejects, "the rejected rows", empty=[*names, "source_file", "reason"])
            report.rejects = str(rejects)
        violations.unpersist()
    finally:
        unitday.unpersist()


def _write_arrow(table: Any, path: Path, what: str, empty: Sequence[str] = ()) -> None:
    """Write an Arrow table (or no rows with the text columns ``empty``) with DuckDB's writers, so
    that both engines write the same files."""
    import duckdb

    fmt = output_format(path, what)
    con = duckdb.connect()
    try:
        if table is not None:
            con.register("asn_out", table)
            select = "SELECT * FROM asn_out"
        else:
            select = "SELECT " + ", ".join(f"CAST(NULL AS VARCHAR) AS {_q(n)}" for n in empty) + " WHERE 1 = 0"
        with atomic(path) as tmp:
            con.execute(f"COPY ({select}) TO {sql_literal(str(tmp))} ({_copy_options(fmt)})")
    finally:
        con.close()


# ---- the entry point -------------------------------------------------------------------------------


def run_audit(
    ruleset: RuleSet,
    data: str,
    out: Path | None = None,
    rejects: Path | None = None,
    engine: str = "duckdb",
    progress: bool = False,
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> AuditReport:
    """Audit the attendance records in ``data`` (CSV or Parquet: a file, a directory or a glob).

    Violations go to ``out`` (``.csv``, ``.parquet`` or ``.json``; written atomically) or, when
    ``out`` is ``None``, into ``report.violations`` (dicts with the columns of
    :data:`OUTPUT_COLUMNS`). Rejected rows, with the reason, go to ``rejects``. ``engine`` is
    ``duckdb`` or ``spark`` (the active SparkSession, or a local one). ``memory_limit`` caps DuckDB
    (default ``$ASNRULES_MEMORY_LIMIT`` or 512MB; it spills to a temporary directory beyond it).
    Raises :class:`~asnrules.InputError` (codes E320–E339) for unusable data.
    """
    started = time.perf_counter()
    if engine not in ("duckdb", "spark"):
        raise InputError(f"unknown audit engine {engine!r}: use duckdb or spark", code="E326")
    out = Path(out) if out is not None else None
    rejects = Path(rejects) if rejects is not None else None
    for path, what in ((out, "the violations"), (rejects, "the rejected rows")):
        if path is not None:
            output_format(path, what)
    source = find_source(data)
    model = ruleset.model
    rel = relational(model)

    def plan_for(
        cols: Columns, distinct: Mapping[str, Sequence[str]], rows: int, names: list[str], inline: bool
    ) -> Plan:
        maps, values = value_maps(model, rel, distinct, cols, rows, unnest_table if inline else values_table)
        return Plan(model, rel, cols, maps, names, values if inline else None)

    report = AuditReport(engine=engine, data=str(data))
    if engine == "duckdb":
        _run_duckdb(plan_for, source, report, out, rejects, progress, memory_limit, threads)
    else:
        _run_spark(plan_for, source, report, out, rejects, progress)
    report.seconds = time.perf_counter() - started
    return report
