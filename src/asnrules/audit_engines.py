"""The engines that run the audit: DuckDB (in process, out of core under a memory limit) and Spark
(the active or a local session), with the output files and the progress bar."""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .audit_data import DataSource
from .audit_plan import Plan, distinct_sql, read_distinct
from .audit_report import OUTPUT_COLUMNS, AuditReport, fill_report, stats_sql, summarize, summary_sql
from .compile_sql import (
    attendance_columns,
    sql_literal,
    translate,
)
from .errors import InputError
from .outputs import atomic, writable
from .sql_dialects import duckdb_macros

__all__ = ["output_format", "run_duckdb", "run_spark"]

OUTPUT_FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".json": "json"}
COLLECT_LIMIT = 1_000_000


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


def _duckdb_reader(source: DataSource, filename: bool = False) -> str:
    files = "[" + ", ".join(sql_literal(f) for f in source.files) + "]"
    fn = ", filename = TRUE" if filename else ""
    if source.kind == "parquet":
        return f"read_parquet({files}, union_by_name = TRUE{fn})"
    return f"read_csv({files}, header = TRUE, all_varchar = TRUE, union_by_name = TRUE{fn})"


def _duck_error(e: Exception, source: DataSource) -> InputError:
    first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    where = source.files[0] if len(source.files) == 1 else f"the {len(source.files)} files"
    return InputError(f"cannot read {where} as {source.kind.upper()}: {first}", code="E323")


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
) -> None:
    import duckdb

    clock = _Clock(report.timings)
    con = duckdb.connect(config={"preserve_insertion_order": False})
    tmpdir = tempfile.TemporaryDirectory(prefix="asnrules-audit-")
    try:
        limit = memory_limit or os.environ.get("ASNRULES_MEMORY_LIMIT", "512MB")
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
        cols = attendance_columns(names, types, source.files[0] if len(source.files) == 1 else "the data", columns)
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
        fill_report(report, stats)
        clock("pass")
        con.execute(f"CREATE TEMP TABLE asn_violations AS {plan.violations_sql('asn_unitday_t')}")
        summarize(report, [con.execute(q).fetchall() for q in summary_sql("asn_violations")])
        clock("violations")
        select = f"SELECT {', '.join(quoted(c) for c in OUTPUT_COLUMNS)} FROM asn_violations ORDER BY date, unit, cid"
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
                    cols_list = ", ".join(f"CAST(NULL AS VARCHAR) AS {quoted(n)}" for n in names)
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
    # Spark's "timestamp" is an instant (shown in the session's zone), "timestamp_ntz" a wall-clock time:
    # as DuckDB reads the same Parquet (TIMESTAMP WITH TIME ZONE, TIMESTAMP) and as runtime.read_date
    # reads a datetime with and without a zone.
    types = ["DATE" if t == "date" else "TIMESTAMP WITH TIME ZONE" if t == "timestamp" else t.upper() for t in types]
    cols = attendance_columns(names, types, source.files[0] if len(source.files) == 1 else "the data", columns)
    df.createOrReplaceTempView("attendance")
    plan: Plan = plan_for(
        cols, *read_distinct([tuple(r) for r in sql(distinct_sql(cols)).collect()], cols), names, False
    )
    unitday = sql(plan.unitday_sql()).cache()
    unitday.createOrReplaceTempView("asn_unitday_t")
    try:
        fill_report(report, tuple(sql(stats_sql("asn_unitday_t")).collect()[0]))
        violations = sql(plan.violations_sql("asn_unitday_t")).cache()
        violations.createOrReplaceTempView("asn_violations")
        summarize(report, [[tuple(r) for r in sql(q).collect()] for q in summary_sql("asn_violations")])
        select = sql(
            f"SELECT {', '.join(quoted(c) for c in OUTPUT_COLUMNS)} FROM asn_violations ORDER BY date, unit, cid"
        )
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
            select = "SELECT " + ", ".join(f"CAST(NULL AS VARCHAR) AS {quoted(n)}" for n in empty) + " WHERE 1 = 0"
        with atomic(path) as tmp:
            con.execute(f"COPY ({select}) TO {sql_literal(str(tmp))} ({_copy_options(fmt)})")
    finally:
        con.close()
