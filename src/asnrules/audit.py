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
   ``agency`` and ``date``, each read by the runtime's readers (:mod:`asnrules.runtime`: what
   ``RuleSet.evaluate`` and the printed SQL accept) into small value tables (and the row count: from
   the Parquet metadata, else in the same pass);
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

The parts, one module each: finding the data (:mod:`asnrules.audit_data`), the value maps and the
queries of one audit (:mod:`asnrules.audit_plan`, over the relational form and the query pieces of
:mod:`asnrules.compile_sql`), the engines and output files (:mod:`asnrules.audit_engines`) and the
report (:mod:`asnrules.audit_report`); this module holds the entry point, :func:`run_audit`.

Rows read = rows audited + rows rejected, always (checked here, and by the tests). A unit-day whose
usable rows disagree on province, level or agency (compared as Kemendagri codes and agency keys) is
rejected as a whole, with that reason: the audit cannot know which row is right.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .audit_data import DataSource, find_source
from .audit_engines import checked_memory_limit, output_format, run_duckdb, run_spark
from .audit_plan import Plan, data_years, value_maps
from .audit_report import OUTPUT_COLUMNS, AuditReport
from .citing import reason_msg
from .compile_sql import (
    OPTIONAL,
    REQUIRED,
    Columns,
    for_years,
    relational,
    sql_literal,
    unnest_table,
    values_table,
)
from .errors import InputError
from .messages import msg
from .ruleset import RuleSet
from .runtime import Reason, read_mode_map
from .sql_values import sql_value_maps
from .version import __version__

__all__ = ["OPTIONAL", "OUTPUT_COLUMNS", "REQUIRED", "AuditReport", "DataSource", "audit", "run_audit"]


#: Above this many distinct values in one column the value maps are not written into the query but
#: computed in SQL (a query carrying 300,000 spellings costs gigabytes to plan).
INLINE_LIMIT = 20_000


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
    columns: Mapping[str, str] | None = None,
    modes: Mapping[str, str] | None = None,
    complete_only: bool = False,
    lang: str = "en",
    windows: str | Path | bool | None = None,
) -> AuditReport:
    """Audit the attendance records in ``data`` (CSV or Parquet: a file, a directory or a glob).

    Violations go to ``out`` (``.csv``, ``.parquet`` or ``.json``; written atomically) or, when
    ``out`` is ``None``, into ``report.violations`` (dicts with the columns of
    :data:`OUTPUT_COLUMNS`). Rejected rows, with the reason, go to ``rejects``. ``engine`` is
    ``duckdb`` or ``spark`` (the active SparkSession, or a local one). ``memory_limit`` caps DuckDB
    (default ``$ASNRULES_MEMORY_LIMIT`` or 512MB; it spills to a temporary directory beyond it).
    Columns may be named as LANGUAGE.md §7 names them or in Indonesian (§13: ``nip``, ``unit_kerja``,
    ``tanggal``, ...); ``columns`` maps any other data column name to the §7 name it stands for
    (``{"id_pegawai": "employee"}``; the CLI's ``--column id_pegawai=employee``). Modes also accept
    ``CUTI``, ``SAKIT`` and ``IZIN`` (leave: not counted), and the spellings of ``modes`` (data
    spelling → mode, ``{"DL": "WFO"}``; the CLI's ``--mode DL=WFO``).

    LANGUAGE.md §13: two rows of one employee on one day are both rejected (as duplicates, or as an
    employee in two units); a unit-day that lost rows is still audited but flagged (``rows_rejected``
    in the violations; :attr:`AuditReport.incomplete_unit_days`), and ``complete_only`` audits only the
    unit-days that lost none.

    LANGUAGE.md §12: when the rule set has employee rules, the employee-windows of the same rows are
    judged too (one set-based query per window kind) and counted by rule
    (:attr:`AuditReport.window_violations`, ``window_violations_by_rule``); ``windows`` (a path:
    ``.csv``, ``.parquet`` or ``.json``) also writes the violating employee-windows there, ``False``
    skips them.

    Nothing is written, and no data read, when an output is one of the data files or the other output.
    Raises :class:`~asnrules.InputError` (codes E320–E339) for unusable data: its message is one of the
    catalogue (``e.text("id")`` words it in Indonesian). ``lang`` (``en`` or ``id``) is the language of
    the progress bars and of :meth:`AuditReport.summary_text`.
    """
    started = time.perf_counter()
    if engine not in ("duckdb", "spark"):
        raise InputError(msg("audit.unknown-engine", engine=repr(engine)), code="E326")
    mode_map = read_mode_map((modes or {}).items())
    if isinstance(mode_map, Reason):
        raise InputError(reason_msg(mode_map), code=mode_map.code)
    if memory_limit is not None:
        memory_limit = checked_memory_limit(memory_limit)
    out = Path(out) if out is not None else None
    rejects = Path(rejects) if rejects is not None else None
    window_out = Path(windows) if isinstance(windows, (str, Path)) else None
    outputs = [p for p in (out, rejects, window_out) if p is not None]
    for i, a in enumerate(outputs):
        if any(_same_place(a, b) for b in outputs[i + 1 :]):
            raise InputError(msg("audit.same-outputs", path=str(a)), code="E327")
    for path, what in (
        (out, msg("audit.the-violations")),
        (rejects, msg("audit.the-rejected-rows")),
        (window_out, msg("audit.the-windows")),
    ):
        if path is not None:
            output_format(path, what)
    source = find_source(data)
    for path, option in ((out, "--out"), (rejects, "--rejects"), (window_out, "--windows")):
        for f in source.files:
            if path is not None and _same_place(path, Path(f)):
                raise InputError(msg("audit.output-is-input", option=option, path=str(path)), code="E327")
    model = ruleset.model
    whole = relational(model)
    want_windows: Path | bool = window_out if window_out is not None else windows is not False

    def plan_for(
        cols: Columns, distinct: Mapping[str, Sequence[str]], rows: int, names: list[str], inline: bool
    ) -> Plan:
        years = data_years(distinct)
        rel = for_years(whole, model, years)
        if max((len(v) for v in distinct.values()), default=0) > INLINE_LIMIT:
            # Too many spellings to write into the query (300,000 agencies): the value maps are computed
            # in SQL from the runtime's tables, as the printed query computes them (asnrules.sql_values).
            maps = sql_value_maps(rel, cols, spellings=mode_map)
            return Plan(model, rel, cols, maps, names, None, complete_only=complete_only, years=years)
        maps, values = value_maps(model, rel, distinct, cols, rows, unnest_table if inline else values_table, mode_map)
        return Plan(model, rel, cols, maps, names, values if inline else None, complete_only=complete_only, years=years)

    report = AuditReport(
        engine=engine,
        data=str(data),
        fingerprint=str(getattr(ruleset, "fingerprint", "")),
        asnrules_version=__version__,
        complete_only=complete_only,
        lang=lang,
    )
    if engine == "duckdb":
        run_duckdb(plan_for, source, report, out, rejects, progress, memory_limit, threads, columns, want_windows)
    else:
        run_spark(plan_for, source, report, out, rejects, progress, columns, want_windows)
    report.seconds = time.perf_counter() - started
    return report


def _same_place(a: Path, b: Path) -> bool:
    """Whether two paths name one file (the same inode when both exist; else the same resolved path)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def audit(rules: RuleSet | str | Path, data: object, **options: Any) -> AuditReport:
    """The audit of ``asnrules audit`` (LANGUAGE.md §7, §13), from Python.

    ``rules``: a :class:`~asnrules.RuleSet` or the path of a rule file or folder (read with
    :func:`asnrules.load`). ``data``: a path (a CSV or Parquet file, a directory or a glob), a list of
    such paths (all CSV or all Parquet), a DuckDB relation or a pyarrow table (an in-memory table is
    written to a temporary Parquet file, removed afterwards). ``options`` are those of
    :func:`run_audit`: ``out``, ``rejects``, ``engine`` (``duckdb`` or ``spark``), ``memory_limit``,
    ``threads``, ``columns`` (data column name → §7 name, e.g. ``{"id_pegawai": "employee"}``).
    Returns the :class:`AuditReport`; raises :class:`~asnrules.InputError` for unusable data.

    >>> report = audit("rules/", "attendance.parquet")  # doctest: +SKIP
    >>> report.rows_read == report.rows_audited + report.rows_rejected  # doctest: +SKIP
    True
    """
    if not isinstance(rules, RuleSet):
        from .ruleset import load

        rules = load(rules)
    if isinstance(data, str | os.PathLike):
        return run_audit(rules, os.fspath(data), **options)
    if isinstance(data, list | tuple):
        sources = [find_source(os.fspath(p)) for p in data]
        if not sources:
            raise InputError(msg("audit.no-data"), code="E320")
        with tempfile.TemporaryDirectory(prefix="asnrules-data-") as folder:
            kinds = {s.kind for s in sources}
            if len(kinds) > 1:
                raise InputError(msg("audit.mixed-kinds"), code="E324")
            for i, s in enumerate(sources):  # one folder of links: the data as one directory
                for j, f in enumerate(s.files):
                    os.symlink(os.path.abspath(f), os.path.join(folder, f"{i:06d}-{j:06d}-{os.path.basename(f)}"))
            report = run_audit(rules, folder, **options)
            report.data = ", ".join(os.fspath(p) for p in data)
            return report
    table = data.arrow() if hasattr(data, "arrow") and not hasattr(data, "schema") else data
    if hasattr(table, "read_all"):  # a RecordBatchReader (newer DuckDB's relation.arrow())
        table = table.read_all()
    if not hasattr(table, "schema") or not hasattr(table, "num_rows"):
        raise InputError(msg("audit.data-type"), code="E320")
    import duckdb

    with tempfile.TemporaryDirectory(prefix="asnrules-data-") as folder:
        path = os.path.join(folder, "attendance.parquet")
        con = duckdb.connect()
        try:
            con.register("asn_in", table)
            con.execute(f"COPY (SELECT * FROM asn_in) TO {sql_literal(path)} (FORMAT PARQUET)")
        finally:
            con.close()
        report = run_audit(rules, path, **options)
        report.data = f"<{type(data).__name__}>"
        return report
