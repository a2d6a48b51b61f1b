"""The audit on Apache Spark (pyspark, local session) gives the same violations, counts and rejects as
on DuckDB. Skipped when pyspark or Java is missing; one SparkSession for the module, small data."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("asnrules-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


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
    generate(data, 30_000, seed=11, bad_rows=True)
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
