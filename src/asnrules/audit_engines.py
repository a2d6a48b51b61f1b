"""The engines that run the audit: DuckDB (in process, out of core under a memory limit) and Spark
(the active or a local session), with the output files and the progress bar."""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .audit_data import DataSource
from .audit_plan import Plan, distinct_sql, read_distinct
from .audit_report import (
    OUTPUT_COLUMNS,
    WINDOW_SUMMARY,
    AuditReport,
    fill_report,
    summarize,
    summarize_windows,
    summary_sql,
    window_select,
)
from .compile_sql import (
    attendance_columns,
    sql_literal,
    translate,
)
from .errors import InputError
from .messages import Msg, msg
from .outputs import atomic, writable
from .sql_dialects import duckdb_macros

__all__ = ["checked_memory_limit", "interrupt_all", "output_format", "run_duckdb", "run_spark"]

#: DuckDB connections of running audits (touched on the main thread only: no lock, as the command
#: line's signal handlers call :func:`interrupt_all` on it).
_OPEN_CONNECTIONS: set[Any] = set()


def interrupt_all() -> None:
    """Ask every running DuckDB query of this process to stop (the command line's signal handlers);
    the engines' ``finally`` blocks then remove their temporary and spill files."""
    for con in list(_OPEN_CONNECTIONS):
        try:
            con.interrupt()
        except Exception:  # pragma: no cover - closed already
            pass


OUTPUT_FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".json": "json"}
COLLECT_LIMIT = 1_000_000


# ---- output files --------------------------------------------------------------------------------


def output_format(path: Path, what: str | Msg) -> str:
    """The format of an output by its extension, once its folder exists (E325 otherwise); ``what``
    names the output (``msg("audit.the-violations")``)."""
    fmt = OUTPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(msg("audit.output-format", what=what, path=str(path)), code="E325")
    writable(path, what)
    return fmt


def _copy_options(fmt: str) -> str:
    return {"csv": "FORMAT CSV, HEADER TRUE", "parquet": "FORMAT PARQUET", "json": "FORMAT JSON, ARRAY TRUE"}[fmt]


#: A memory limit DuckDB understands: a number and a unit (``512MB``, ``4 GiB``), or a percentage.
_MEMORY = re.compile(r"\s*([0-9]{1,9}(?:\.[0-9]{1,6})?)\s*(KB|MB|GB|TB|KIB|MIB|GIB|TIB|%)\s*", re.IGNORECASE)
_BYTES = {"KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
#: Below this DuckDB cannot even read a file.
MEMORY_FLOOR = 64 * 10**6


def checked_memory_limit(text: str, where: str = "--memory-limit") -> str:
    """``text`` as DuckDB's ``memory_limit`` (``512MB``, ``4GiB``, ``80%``), at least 64 MB; E326 otherwise."""
    m = _MEMORY.fullmatch(str(text))
    unit = m.group(2).upper() if m else ""
    if m is None or float(m.group(1)) <= 0 or (unit != "%" and float(m.group(1)) * _BYTES[unit] < MEMORY_FLOOR):
        raise InputError(
            msg("audit.memory-limit", where=where, text=repr(str(text)[:40])),
            code="E326",
        )
    return f"{m.group(1)}{unit}"


#: The first characters that make a spreadsheet run a cell as a formula (OWASP "CSV injection").
FORMULA_START = "=+-@\t\r"
_FORMULA = "^[=+@\\t\\r-]"


#: Output columns whose values come from a fixed set asnrules writes (``=`` is a comparison there).
NOT_USER_TEXT = frozenset({"comparison"})


def neutralised(con: Any, select: str) -> str:
    """``select`` with every text cell that a spreadsheet would run as a formula (it starts with one
    of :data:`FORMULA_START`) prefixed with an apostrophe, which spreadsheets show as text and do not
    display; for CSV outputs only (docs/language-notes.md). Other columns are left as they are."""
    described = con.execute(f"DESCRIBE ({select})").fetchall()
    items = []
    for name, typ, *_ in described:
        col = quoted(str(name))
        if str(typ).upper() == "VARCHAR" and str(name) not in NOT_USER_TEXT:
            items.append(
                f"CASE WHEN regexp_matches({col}, {sql_literal(_FORMULA)}) THEN CONCAT(chr(39), {col}) "
                f"ELSE {col} END AS {col}"
            )
        else:
            items.append(col)
    return f"SELECT {', '.join(items)} FROM ({select}) AS asn_out_rows"


def _copy(con: Any, select: str, path: Path, fmt: str) -> None:
    if fmt == "csv":
        select = neutralised(con, select)
    con.execute(f"COPY ({select}) TO {sql_literal(str(path))} ({_copy_options(fmt)})")


# ---- progress --------------------------------------------------------------------------------------


class _Progress:
    """A one-line progress bar on standard error, fed by DuckDB's query progress."""

    def __init__(self, con: Any, label: str | Msg, enabled: bool, lang: str = "en") -> None:
        label = label.text(lang) if isinstance(label, Msg) else label
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


#: The column that names each row's file in the rejects (a data column may be called ``filename``).
SOURCE_FILE = "asn_source_file"


def _duckdb_reader(source: DataSource, filename: bool = False) -> str:
    """The data as one relation: Parquet by name; CSV with the options :mod:`asnrules.audit_data`
    decided for each file (header, delimiter; ``"`` quotes, doubled inside a field), no sniffing, every
    column text; files of different headers united by name."""
    fn = f", filename = {sql_literal(SOURCE_FILE)}" if filename else ""
    if source.kind == "parquet":
        every = "[" + ", ".join(sql_literal(f) for f in source.files) + "]"
        return f"read_parquet({every}, union_by_name = TRUE{fn})"
    groups: dict[tuple[tuple[str, ...], str], list[str]] = {}
    for f, header, delimiter in zip(source.files, source.headers, source.delimiters, strict=True):
        groups.setdefault((header, delimiter), []).append(f)
    reads = []
    for (header, delimiter), files in groups.items():
        columns = "{" + ", ".join(f"{sql_literal(n)}: 'VARCHAR'" for n in header) + "}"
        listed = "[" + ", ".join(sql_literal(f) for f in files) + "]"
        reads.append(
            f"SELECT * FROM read_csv({listed}, header = TRUE, auto_detect = FALSE, columns = {columns}, "
            f"delim = {sql_literal(delimiter)}, quote = '\"', escape = '\"', strict_mode = TRUE{fn})"
        )
    return "(" + " UNION ALL BY NAME ".join(reads) + ")"


_RAGGED = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
_LINE = re.compile(r"CSV Error on Line: (\d+)")
_FILE = re.compile(r"^\s*file = (.*)$", re.MULTILINE)


def duck_reason(text: str) -> str:
    """The reason in a DuckDB error, in one line, in English (:func:`duck_reason_msg`)."""
    reason = duck_reason_msg(text)
    return reason.text("en") if isinstance(reason, Msg) else reason


def duck_reason_msg(text: str) -> Msg | str:
    """The reason in a DuckDB error, in one line: a ragged CSV line said as such (a message of the
    catalogue), else the first line that says something (DuckDB's own English words; its first line is
    often only "CSV Error on Line: N")."""
    lines = [x.strip() for x in text.strip().splitlines() if x.strip()]
    if not lines:
        return msg("audit.no-engine-reason")
    ragged, line = _RAGGED.search(text), _LINE.search(text)
    where = _FILE.search(text)
    at = f"{where.group(1).strip()}, " if where else ""
    if ragged and line:
        return msg("audit.ragged-line", at=at, line=line.group(1), found=ragged.group(2), expected=ragged.group(1))
    first = lines[0]
    for extra in lines[1:]:
        if len(first) > 60 or extra.startswith(("Possible fixes", "*", "LINE", "file =")):
            break
        first = f"{first} {extra}"
    if line and "Original Line" in text:
        head = f"{at}line {line.group(1)}: "
        return msg("audit.engine-line", at=at, line=line.group(1), reason=f"{head}{first}"[:300][len(head) :])
    return first[:300]


def _duck_error(e: Exception, source: DataSource) -> InputError:
    where: Msg | str = source.files[0] if len(source.files) == 1 else msg("audit.the-files", n=len(source.files))
    return InputError(
        msg("audit.cannot-read-as", where=where, kind=source.kind.upper(), reason=duck_reason_msg(str(e))), code="E323"
    )


def run_duckdb(
    plan_for: Any,
    source: DataSource,
    report: AuditReport,
    out: Path | None,
    rejects: Path | None,
    progress: bool,
    memory_limit: str | None,
    threads: int | None,
    columns: Mapping[str, str] | None = None,
    windows: Path | bool = True,
) -> None:
    import duckdb

    clock = _Clock(report.timings)
    con = duckdb.connect(config={"preserve_insertion_order": False})
    _OPEN_CONNECTIONS.add(con)
    tmpdir = tempfile.TemporaryDirectory(prefix="asnrules-audit-")
    try:
        limit = memory_limit or checked_memory_limit(
            os.environ.get("ASNRULES_MEMORY_LIMIT", "512MB"), "ASNRULES_MEMORY_LIMIT"
        )
        con.execute(f"SET memory_limit = {sql_literal(limit)}")
        con.execute(f"SET temp_directory = {sql_literal(tmpdir.name)}")
        for macro in duckdb_macros():  # the placeholders of the audit SQL (asnrules.sql_dialects)
            con.execute(macro)
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        try:
            con.execute(f"CREATE TEMP VIEW attendance AS SELECT * FROM {_duckdb_reader(source)}")
            described = con.execute("DESCRIBE SELECT * FROM attendance").fetchall()
        except duckdb.Error as e:
            raise _duck_error(e, source) from None
        names = [str(r[0]) for r in described]
        types = [str(r[1]) for r in described]
        cols = attendance_columns(
            names, types, source.files[0] if len(source.files) == 1 else msg("audit.the-data"), columns
        )
        clock("setup")
        try:
            with _Progress(con, msg("audit.progress-values"), progress, report.lang):
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
            with _Progress(con, msg("audit.progress-duplicates"), progress, report.lang):
                dups, candidates = 0, plan.candidates_sql()
                if candidates is not None:  # a quick look first: who may have two rows on one day
                    con.execute(f"CREATE TEMP TABLE asn_dup_candidate AS {candidates}")
                    some = con.execute("SELECT COUNT(*) FROM asn_dup_candidate").fetchone() or (0,)
                if candidates is None or int(some[0]):
                    exact = plan.dups_sql(None if candidates is None else "asn_dup_candidate")
                    con.execute(f"CREATE TEMP TABLE asn_dup_t AS {exact}")
                    dups = int((con.execute("SELECT COUNT(*) FROM asn_dup_t").fetchone() or (0,))[0])
            plan.dups = "asn_dup_t" if dups else None
            clock("duplicates")
            with _Progress(con, msg("audit.progress-auditing"), progress, report.lang):
                con.execute(f"CREATE TEMP TABLE asn_unitday_t AS {plan.unitday_sql()}")
                fill_report(report, con.execute(plan.accounting_sql("asn_unitday_t")).fetchall())
        except duckdb.Error as e:
            raise _duck_error(e, source) from None
        clock("pass")
        con.execute(f"CREATE TEMP TABLE asn_violations AS {plan.violations_sql('asn_unitday_t')}")
        summarize(report, [con.execute(q).fetchall() for q in summary_sql("asn_violations")])
        clock("violations")
        select = f"SELECT {', '.join(quoted(c) for c in OUTPUT_COLUMNS)} FROM asn_violations ORDER BY date, unit, cid"
        if out is not None:
            fmt = output_format(out, msg("audit.the-violations"))
            with atomic(out) as tmp:
                _copy(con, select, tmp, fmt)
            report.out = str(out)
        else:
            cur = con.execute(select + f" LIMIT {COLLECT_LIMIT}")
            names_out = [d[0] for d in cur.description]
            report.violations = [dict(zip(names_out, row, strict=True)) for row in cur.fetchall()]
            report.truncated = report.violation_count > COLLECT_LIMIT
        clock("output")
        window_sql = plan.windows_sql() if windows is not False else None
        if window_sql is not None:
            try:
                with _Progress(con, msg("audit.progress-windows"), progress, report.lang):
                    con.execute(f"CREATE TEMP TABLE asn_windows AS {window_sql}")
            except duckdb.Error as e:
                raise _duck_error(e, source) from None
            summarize_windows(report, con.execute(WINDOW_SUMMARY.format(table="asn_windows")).fetchall())
            if isinstance(windows, Path):
                with atomic(windows) as tmp:
                    _copy(con, window_select("asn_windows"), tmp, output_format(windows, msg("audit.the-windows")))
                report.windows = str(windows)
            clock("windows")
        if rejects is not None:
            fmt = output_format(rejects, msg("audit.the-rejected-rows"))
            with atomic(rejects) as tmp:
                if report.rows_rejected:
                    con.execute(
                        f"CREATE OR REPLACE TEMP VIEW attendance AS SELECT * FROM "
                        f"{_duckdb_reader(source, filename=True)}"
                    )
                    sql = plan.rejects_sql("asn_unitday_t", filename=SOURCE_FILE)
                else:
                    cols_list = ", ".join(f"CAST(NULL AS VARCHAR) AS {quoted(n)}" for n in names)
                    sql = (
                        f"SELECT {cols_list}, CAST(NULL AS VARCHAR) AS source_file, "
                        "CAST(NULL AS VARCHAR) AS reason WHERE 1 = 0"
                    )
                with _Progress(con, msg("audit.progress-rejects"), progress, report.lang):
                    _copy(con, sql, tmp, fmt)
            report.rejects = str(rejects)
            clock("rejects")
    finally:
        _OPEN_CONNECTIONS.discard(con)
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


def quoted(name: str) -> str:
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


def run_spark(
    plan_for: Any,
    source: DataSource,
    report: AuditReport,
    out: Path | None,
    rejects: Path | None,
    progress: bool,
    columns: Mapping[str, str] | None = None,
    windows: Path | bool = True,
) -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise InputError(msg("audit.needs-pyspark"), code="E326") from None
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
        reason = str(e).splitlines()[0]
        raise InputError(
            msg("audit.cannot-read-as", where=msg("audit.the-data"), kind=source.kind.upper(), reason=reason),
            code="E323",
        ) from None
    names = list(df.columns)
    types = [f.dataType.simpleString() for f in df.schema.fields]
    # Spark's "timestamp" is an instant (shown in the session's zone), "timestamp_ntz" a wall-clock time:
    # as DuckDB reads the same Parquet (TIMESTAMP WITH TIME ZONE, TIMESTAMP) and as runtime.read_date
    # reads a datetime with and without a zone.
    types = ["DATE" if t == "date" else "TIMESTAMP WITH TIME ZONE" if t == "timestamp" else t.upper() for t in types]
    cols = attendance_columns(
        names, types, source.files[0] if len(source.files) == 1 else msg("audit.the-data"), columns
    )
    df.createOrReplaceTempView("attendance")
    plan: Plan = plan_for(
        cols, *read_distinct([tuple(r) for r in sql(distinct_sql(cols)).collect()], cols), names, False
    )
    dups = sql(plan.dups_sql()).cache()
    dups.createOrReplaceTempView("asn_dup_t")
    plan.dups = "asn_dup_t" if dups.count() else None
    unitday = sql(plan.unitday_sql()).cache()
    unitday.createOrReplaceTempView("asn_unitday_t")
    try:
        fill_report(report, [tuple(r) for r in sql(plan.accounting_sql("asn_unitday_t")).collect()])
        violations = sql(plan.violations_sql("asn_unitday_t")).cache()
        violations.createOrReplaceTempView("asn_violations")
        summarize(report, [[tuple(r) for r in sql(q).collect()] for q in summary_sql("asn_violations")])
        select = sql(
            f"SELECT {', '.join(quoted(c) for c in OUTPUT_COLUMNS)} FROM asn_violations ORDER BY date, unit, cid"
        )
        if out is not None:
            _write_arrow(select.toArrow(), out, msg("audit.the-violations"))
            report.out = str(out)
        else:
            rows = select.limit(COLLECT_LIMIT).collect()
            report.violations = [r.asDict() for r in rows]
            report.truncated = report.violation_count > COLLECT_LIMIT
        if rejects is not None:
            if report.rows_rejected:
                with_file = df.selectExpr("*", f"regexp_replace(input_file_name(), '^file:(//)?', '') AS {SOURCE_FILE}")
                with_file.createOrReplaceTempView("attendance")
                _write_arrow(
                    sql(plan.rejects_sql("asn_unitday_t", filename=SOURCE_FILE)).toArrow(),
                    rejects,
                    msg("audit.the-rejected-rows"),
                )
            else:
                _write_arrow(None, rejects, msg("audit.the-rejected-rows"), empty=[*names, "source_file", "reason"])
            report.rejects = str(rejects)
        window_sql = plan.windows_sql() if windows is not False else None
        if window_sql is not None:
            found = sql(window_sql).cache()
            found.createOrReplaceTempView("asn_windows")
            summarize_windows(report, [tuple(r) for r in sql(WINDOW_SUMMARY.format(table="asn_windows")).collect()])
            if isinstance(windows, Path):
                _write_arrow(sql(window_select("asn_windows")).toArrow(), windows, msg("audit.the-windows"))
                report.windows = str(windows)
            found.unpersist()
        violations.unpersist()
    finally:
        unitday.unpersist()
        dups.unpersist()


def _write_arrow(table: Any, path: Path, what: str | Msg, empty: Sequence[str] = ()) -> None:
    """Write an Arrow table (or no rows with the text columns ``empty``) with DuckDB's writers, so
    that both engines write the same files."""
    import duckdb

    fmt = output_format(path, what)
    con = duckdb.connect()
    _OPEN_CONNECTIONS.add(con)
    try:
        if table is not None:
            con.register("asn_out", table)
            select = "SELECT * FROM asn_out"
        else:
            select = "SELECT " + ", ".join(f"CAST(NULL AS VARCHAR) AS {quoted(n)}" for n in empty) + " WHERE 1 = 0"
        with atomic(path) as tmp:
            _copy(con, select, tmp, fmt)
    finally:
        _OPEN_CONNECTIONS.discard(con)
        con.close()
