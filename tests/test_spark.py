"""The audit on Apache Spark (pyspark, local session) gives the same violations, counts and rejects as
on DuckDB. Skipped when pyspark or Java is missing; one SparkSession for the module, small data."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import asnrules
from asnrules.audit import AuditReport, run_audit
from asnrules.datagen import generate
from conftest import CASES, RULES

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - CI has Java
    pytest.skip("Spark needs Java", allow_module_level=True)

GOLDEN = CASES / "audit" / "golden"
AWKWARD = CASES / "audit" / "awkward"


def summary(report: AuditReport) -> dict[str, Any]:
    assert report.rows_read == report.rows_audited + report.rows_rejected
    out = report.to_json()
    for key in ("engine", "seconds", "out", "rejects"):
        out.pop(key)
    return out


def rows_of(path: Path, drop: str = "") -> list[tuple[str, ...]]:
    with path.open(newline="", encoding="utf-8") as f:
        return sorted(tuple(v for k, v in r.items() if k != drop) for r in csv.DictReader(f))


def test_spark_agrees_with_duckdb_on_the_golden_case(spark: Any, tmp_path: Path) -> None:
    rs = asnrules.load(GOLDEN / "rules")
    data = str(GOLDEN / "attendance.csv")
    reports = {}
    for engine in ("duckdb", "spark"):
        out, rejects = tmp_path / f"{engine}-v.csv", tmp_path / f"{engine}-r.csv"
        reports[engine] = run_audit(rs, data, out=out, rejects=rejects, engine=engine)
    assert summary(reports["spark"]) == summary(reports["duckdb"])
    assert (tmp_path / "spark-v.csv").read_text(encoding="utf-8") == (GOLDEN / "expected_violations.csv").read_text(
        encoding="utf-8"
    )
    assert rows_of(tmp_path / "spark-r.csv") == rows_of(tmp_path / "duckdb-r.csv")


def test_spark_agrees_with_duckdb_on_a_generated_sample(spark: Any, tmp_path: Path) -> None:
    data = tmp_path / "sample.parquet"
    generate(data, 8_000, seed=11, bad_rows=True)
    rs = asnrules.load(RULES)
    duck = run_audit(rs, str(data), out=tmp_path / "d.parquet", engine="duckdb")
    spk = run_audit(rs, str(data), out=tmp_path / "s.parquet", engine="spark")
    assert summary(spk) == summary(duck)
    assert duck.violation_count > 0 and duck.rows_rejected > 0
    import duckdb

    con = duckdb.connect()
    diff = con.execute(
        f"SELECT COUNT(*) FROM (SELECT * FROM read_parquet('{tmp_path / 'd.parquet'}') "
        f"EXCEPT ALL SELECT * FROM read_parquet('{tmp_path / 's.parquet'}'))"
    ).fetchone()
    assert diff == (0,)
    collected = run_audit(rs, str(data), engine="spark")
    assert collected.violations is not None and len(collected.violations) == duck.violation_count


def test_printed_spark_sql_and_the_spark_audit_give_the_reference_answer(spark: Any, tmp_path: Path) -> None:
    """The awkward-spelling case (tests/cases/audit/awkward) on Spark: the three printed statements
    (``compile --target sql --dialect spark``) run as they are, the audit, and the rules of meaning
    in Spark SQL on awkward text; each equals the reference (asnrules.semantics.audit_rows, runtime)."""
    from pyspark.sql.types import StringType, StructField, StructType

    from asnrules import runtime
    from asnrules.compile_sql import compile_sql_statements
    from test_sql import (
        AWKWARD_CHARS,
        COLUMNS,
        case,
        key_queries,
        printed_answer,
        reference,
        row_key,
        violation_key,
    )

    rs, rows = case("awkward")
    want = reference(rs, rows)
    schema = StructType([StructField(c, StringType()) for c in COLUMNS])
    spark.createDataFrame([tuple(r[c] for c in COLUMNS) for r in rows], schema).createOrReplaceTempView("attendance")
    results = [[r.asDict() for r in spark.sql(s).collect()] for s in compile_sql_statements(rs.model, "spark")]
    assert printed_answer(results) == want

    report = run_audit(rs, str(AWKWARD / "attendance.csv"), rejects=tmp_path / "r.csv", engine="spark")
    assert report.violations is not None
    assert Counter(violation_key(v["unit"], v["date"], v) for v in report.violations) == want[0]
    assert report.rejected_by_reason == {k: want[2][k] for k in report.rejected_by_reason}
    with (tmp_path / "r.csv").open(newline="", encoding="utf-8") as f:
        written = Counter((*row_key(r), r["reason"]) for r in csv.DictReader(f))
    assert written == want[1]
    assert (report.rows_read, report.rows_audited, report.unit_days) == (
        want[2]["rows read"],
        want[2]["rows audited"],
        want[2]["unit-days audited"],
    )

    # typed days, as Parquet gives them: a wall-clock timestamp at midnight is its day, another time or an
    # instant (a timestamp with a zone) a bad date, on Spark as on DuckDB
    import duckdb

    reader = f"read_csv('{AWKWARD / 'attendance.csv'}', all_varchar = TRUE)"
    for typed in ("TIMESTAMP", "TIMESTAMPTZ"):
        path = tmp_path / f"{typed}.parquet"
        duckdb.connect().execute(
            f"COPY (SELECT * REPLACE (CASE WHEN employee = 'x08' THEN TIMESTAMP '2023-08-30 09:00' "
            f"ELSE TRY_CAST(TRIM(date) AS TIMESTAMP) END::{typed} AS date) FROM {reader}) TO '{path}' (FORMAT PARQUET)"
        )
        on_duckdb, on_spark = (run_audit(rs, str(path), engine=e) for e in ("duckdb", "spark"))
        assert summary(on_spark) == summary(on_duckdb)
        assert (on_duckdb.rows_audited > 0) == (typed == "TIMESTAMP")

    import random

    rnd = random.Random(4)
    values = ["".join(rnd.choice(AWKWARD_CHARS) for _ in range(rnd.randint(0, 8))) for _ in range(300)]
    spark.createDataFrame(list(enumerate(values)), "i INT, x STRING").createOrReplaceTempView("t")
    got = [(r["k"], r["c"], r["b"]) for r in spark.sql(key_queries("spark")).collect()]
    assert got == [(runtime.name_key(x), runtime.blank_collapse(x), runtime.is_blank(x)) for x in values]


def test_spark_judges_working_days_as_the_interpreter(spark: Any, tmp_path: Path) -> None:
    """Working-day rules (tests/test_sql.py WORKDAY_RULES): the calendar in Spark SQL (its weekdays
    counted from Sunday, ours from Monday) is the calendar's on every day of two years; on the days
    around the end of the Idul Fitri block (a weekend in it, 16-17 April, the Saturday made a working
    day, a Sunday) and around the holiday of Bali (20 May 2024), the printed Spark SQL and the Spark
    audit give the reference's answer (:func:`asnrules.semantics.audit_rows`); no working-day rule
    flags a Sunday. (Few days: Spark plans the calendar's 155 years once per query, slowly.)"""
    import datetime as dt

    from pyspark.sql.types import StringType, StructField, StructType

    from asnrules.compile_sql import compile_sql_statements, relational
    from test_sql import (
        COLUMNS,
        WORKING_DAY_RULES,
        calendar_days,
        calendar_query,
        expected_calendar,
        printed_answer,
        reference,
        violation_key,
        workday_rows,
        workday_rules,
    )

    rs = workday_rules()
    days = calendar_days()
    spark.createDataFrame(days, "day DATE, province INT").createOrReplaceTempView("t")
    query = calendar_query(relational(rs.model), "spark")
    got = [(r["day"], r["province"], r["days"]) for r in spark.sql(query).collect()]
    assert got == expected_calendar(rs, days)

    few = [dt.date(2024, 4, 13) + dt.timedelta(days=i) for i in range(9)]
    few += [dt.date(2024, 5, 18) + dt.timedelta(days=i) for i in range(4)]
    rows = workday_rows(6, few)
    want = reference(rs, rows)
    schema = StructType([StructField(c, StringType()) for c in COLUMNS])
    spark.createDataFrame([tuple(r[c] for c in COLUMNS) for r in rows], schema).createOrReplaceTempView("attendance")
    results = [[r.asDict() for r in spark.sql(s).collect()] for s in compile_sql_statements(rs.model, "spark")]
    assert printed_answer(results) == want

    rows = workday_rows(None, few)
    want = reference(rs, rows)
    data = tmp_path / "a.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, COLUMNS)
        w.writeheader()
        w.writerows(rows)
    report = run_audit(rs, str(data), engine="spark")
    assert report.violations is not None
    assert Counter(violation_key(v["unit"], v["date"], v) for v in report.violations) == want[0]
    assert (report.rows_read, report.rows_audited, report.unit_days) == (
        want[2]["rows read"],
        want[2]["rows audited"],
        want[2]["unit-days audited"],
    )
    flagged = [dt.date.fromisoformat(str(v["date"])) for v in report.violations if v["rule"] in WORKING_DAY_RULES]
    assert flagged and all(d.isoweekday() != 7 for d in flagged)
    assert dt.date(2024, 4, 20) in flagged
