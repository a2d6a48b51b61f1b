"""Attendance records as LANGUAGE.md §13 says (issue 9): leave words and Indonesian or mapped column
names, the same in the reference audit and the DuckDB audit (the conformance corpus, case
``leave-words``, asks every backend about the leave words)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import asnrules
from asnrules import runtime
from asnrules.audit import AuditReport, run_audit
from asnrules.compile_sql import attendance_columns
from asnrules.errors import InputError
from asnrules.semantics import audit_rows
from conftest import CASES

CASE = CASES / "conformance" / "awkward"
INDONESIAN = {
    "employee": "NIP",
    "unit": "unit_kerja",
    "date": "Tanggal",
    "region": "provinsi",
    "category": "kategori",
    "mode": "mode",
    "level": "tingkat",
    "agency": "instansi",
}


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def renamed(rows: list[dict[str, str]], names: dict[str, str]) -> list[dict[str, str]]:
    return [{names.get(k, k): v for k, v in r.items()} for r in rows]


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def answer(report: AuditReport) -> tuple[object, ...]:
    assert report.rows_read == report.rows_audited + report.rows_rejected
    keys = sorted((str(v["unit"]), str(v["date"]), str(v["rule"])) for v in report.violations or [])
    return report.rows_read, report.rows_rejected, keys


def test_sakit_and_izin_are_leave() -> None:
    for word in ("SAKIT", "sakit", " Izin ", "IZIN", "cuti"):
        assert runtime.read_mode(word) == "LEAVE"
    assert isinstance(runtime.read_mode("izin sakit"), runtime.Reason)


def test_indonesian_column_names_are_read_by_the_runtime_table() -> None:
    for indonesian, english in runtime.COLUMN_SPELLINGS.items():
        assert runtime.column_of(indonesian.upper()) == english
    cols = attendance_columns(list(INDONESIAN.values()))
    assert (cols.employee, cols.unit, cols.date, cols.agency) == ('"NIP"', '"unit_kerja"', '"Tanggal"', '"instansi"')


def test_indonesian_headers_audit_as_the_english_ones(tmp_path: Path) -> None:
    rules = asnrules.load(CASE / "rules.asnr")
    rows = rows_of(CASE / "rows.csv")
    indo = renamed(rows, INDONESIAN)
    assert audit_rows(rules.model, indo) == audit_rows(rules.model, rows)
    english = run_audit(rules, str(CASE / "rows.csv"))
    found = run_audit(rules, str(write(tmp_path / "indo.csv", indo)))
    assert answer(found) == answer(english)
    assert found.violation_count == english.violation_count > 0


def test_a_column_mapping_names_any_column(tmp_path: Path) -> None:
    rules = asnrules.load(CASE / "rules.asnr")
    rows = rows_of(CASE / "rows.csv")
    odd = renamed(rows, {"employee": "id_pegawai", "unit": "satker"})
    mapping = {"id_pegawai": "employee", "SATKER": "unit_kerja"}
    assert audit_rows(rules.model, odd, mapping) == audit_rows(rules.model, rows)
    found = run_audit(rules, str(write(tmp_path / "odd.csv", odd)), columns=mapping)
    assert answer(found) == answer(run_audit(rules, str(CASE / "rows.csv")))
    with pytest.raises(InputError) as e:
        run_audit(rules, str(tmp_path / "odd.csv"))
    assert e.value.code == "E322"


def test_a_bad_mapping_and_two_columns_for_one_are_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a column") as e:
        attendance_columns(["employee", "unit"], columns={"employee": "salary"})
    assert e.value.code == "E322"
    with pytest.raises(InputError, match="two columns for employee") as e:
        attendance_columns(["employee", "nip", "unit", "date", "region", "category", "mode"])
    assert e.value.code == "E322"


def test_audit_is_public_and_takes_paths_lists_relations_and_arrow_tables(tmp_path: Path) -> None:
    import duckdb

    rules = asnrules.load(CASE / "rules.asnr")
    want = answer(run_audit(rules, str(CASE / "rows.csv")))
    assert answer(asnrules.audit(CASE / "rules.asnr", CASE / "rows.csv")) == want
    rows = rows_of(CASE / "rows.csv")
    half = len(rows) // 2
    a, b = write(tmp_path / "a.csv", rows[:half]), write(tmp_path / "b.csv", rows[half:])
    assert answer(asnrules.audit(rules, [a, str(b)])) == want
    con = duckdb.connect()
    rel = con.sql(f"SELECT * FROM read_csv('{CASE / 'rows.csv'}', all_varchar = TRUE)")
    assert answer(asnrules.audit(rules, rel)) == want
    assert answer(asnrules.audit(rules, rel.arrow())) == want
    with pytest.raises(InputError) as e:
        asnrules.audit(rules, 42)
    assert e.value.code == "E320"
    assert asnrules.audit.__doc__ and "pyarrow" in asnrules.audit.__doc__
