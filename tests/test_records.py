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


# ---- issue 9: records as LANGUAGE.md §13 says, and data that cannot hurt -----------------------------

RULE = "between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%\n"
HEADER = ["employee", "unit", "date", "region", "category", "mode"]


def rules() -> asnrules.RuleSet:
    return asnrules.loads(RULE, name="issue9.asnr")


def write_rows(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def unit(name: str, wfh: int, wfo: int, day: str = "2023-08-30", first: int = 0) -> list[list[str]]:
    modes = ["WFH"] * wfh + ["WFO"] * wfo
    return [[f"{name}-E{first + i}", name, day, "DKI Jakarta", "admin", m] for i, m in enumerate(modes)]


def test_rows_exported_three_times_are_rejected_not_counted_three_times(tmp_path: Path) -> None:
    """The issue's case: 6 WFH / 4 WFO whose WFO rows were exported three times reported no violation
    (6 of 18 at home). Now every copy is rejected as a duplicate, the unit-day is judged on the
    employees left, flagged with the 12 rows it lost, and no employee-day is counted twice."""
    rows = unit("U1", 6, 0)
    rows += unit("U1", 0, 4, first=6) * 3
    data = write_rows(tmp_path / "d.csv", rows)
    out = tmp_path / "v.csv"
    report = run_audit(rules(), str(data), out=out, rejects=tmp_path / "r.csv")
    assert report.rejected_by_reason["duplicate record"] == 12
    assert report.rows_audited == 6 and report.incomplete_unit_days == 1
    (violation,) = rows_of(out)
    assert (violation["n"], violation["k"], violation["rows_rejected"]) == ("6", "6", "12")
    reasons = {r["reason"] for r in rows_of(tmp_path / "r.csv")}
    assert reasons == {"duplicate record"}
    # and with --complete-only the flagged unit-day is not judged at all
    only = run_audit(rules(), str(data), complete_only=True)
    assert (only.unit_days, only.skipped_unit_days, only.violation_count) == (0, 1, 0)


def test_an_employee_in_two_units_on_one_day_is_rejected_in_both(tmp_path: Path) -> None:
    rows = unit("U1", 1, 1) + unit("U2", 1, 1) + [["U1-E0", "U2", "2023-08-30", "DKI Jakarta", "admin", "WFO"]]
    report = run_audit(rules(), str(write_rows(tmp_path / "d.csv", rows)), rejects=tmp_path / "r.csv")
    assert report.rejected_by_reason["employee in two units on one day"] == 2
    assert sorted(r["unit"] for r in rows_of(tmp_path / "r.csv")) == ["U1", "U2"]


def test_a_unit_day_that_lost_rows_to_bad_dates_is_flagged(tmp_path: Path) -> None:
    """3 of 4 rows have a time of day (bad dates): the unit-day is judged on the one left, and says so."""
    rows = unit("U4", 1, 0, day="2023-08-31") + unit("U4", 0, 3, day="2023-08-31 08:00", first=1)
    out = tmp_path / "v.csv"
    report = run_audit(rules(), str(write_rows(tmp_path / "d.csv", rows)), out=out)
    assert report.rejected_by_reason["bad date"] == 3 and report.incomplete_unit_days == 1
    assert [r["rows_rejected"] for r in rows_of(out)] == ["3"]
    assert "audited although some of their rows were rejected" in report.summary_text()


def test_a_mode_mapping_counts_official_travel(tmp_path: Path) -> None:
    rows = [*unit("U1", 1, 0), ["U1-E9", "U1", "2023-08-30", "DKI Jakarta", "admin", "DL"]]
    data = str(write_rows(tmp_path / "d.csv", rows))
    assert run_audit(rules(), data).rejected_by_reason["unknown mode"] == 1
    mapped = run_audit(rules(), data, modes={"DL": "WFO"})
    assert (mapped.rows_rejected, mapped.violation_count) == (0, 0)
    with pytest.raises(InputError) as e:
        run_audit(rules(), data, modes={"DL": "kantor"})
    assert e.value.code == "E329" and "not a work mode" in str(e.value)


def test_the_machine_time_zone_does_not_move_a_day(tmp_path: Path) -> None:
    """TIMESTAMPTZ dates became days in the machine's zone; now they are bad dates in every zone."""
    import subprocess
    import sys

    import duckdb

    path = tmp_path / "tz.parquet"
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "COPY (SELECT 'E' || i AS employee, 'U1' AS unit, TIMESTAMPTZ '2023-08-30 00:00:00+00' AS date, "
        "'31' AS region, 'admin' AS category, CASE WHEN i < 3 THEN 'WFH' ELSE 'WFO' END AS mode "
        f"FROM range(4) t(i)) TO '{path}' (FORMAT PARQUET)"
    )
    con.close()
    code = (
        "import asnrules, sys; from asnrules.audit import run_audit; "
        f"r = run_audit(asnrules.loads({RULE!r}), sys.argv[1]); "
        "print(r.rows_rejected, r.rejected_by_reason['bad date'], r.violation_count)"
    )
    answers = set()
    for zone in ("UTC", "Asia/Jakarta", "Asia/Jayapura", "America/Los_Angeles"):
        env = {**__import__("os").environ, "TZ": zone}
        done = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        answers.add(done.stdout.strip())
    assert answers == {"4 4 0"}


def test_a_quoted_field_late_in_a_file_is_read_like_an_early_one(tmp_path: Path) -> None:
    """DuckDB's sniffer looked at 20,480 rows: a quoted field at row 25,002 failed the audit."""
    rows = [[f"E{i}", "U1", "2023-08-30", "DKI Jakarta", "admin", "WFO"] for i in range(26_000)]
    rows[25_001][1] = 'Biro "Umum", Bagian 2'
    report = run_audit(rules(), str(write_rows(tmp_path / "late.csv", rows)))
    assert (report.rows_read, report.rows_rejected, report.unit_days) == (26_000, 0, 2)
    quoted = tmp_path / "all-quoted.csv"
    with quoted.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL)
        w.writerow(HEADER)
        w.writerows(rows[:50])
    every = run_audit(rules(), str(quoted))
    assert (every.rows_read, every.rows_rejected) == (50, 0)


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    lines = [";".join(HEADER)] + [";".join(r) for r in unit("U1", 1, 1)]
    path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    report = run_audit(rules(), str(path))
    assert (report.rows_read, report.rows_rejected) == (2, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "employee,unit,date,region,category,mode\nE1,U1,2023-08-30,DKI,admin,WFO\nE2,U1,2023-08-30,DKI,admin\n",
            "line 3 has 5 fields where the header has 6",
        ),
        (
            "employee,unit,date,region,category,mode\nE1,U1,2023-08-30,DKI,admin,WFO,more\n",
            "line 2 has 7 fields where the header has 6",
        ),
        ("employee,unit,date,unit,category,mode\nE1,U1,2023-08-30,DKI,admin,WFO\n", "two columns named 'unit'"),
    ],
)
def test_a_ragged_line_is_reported_as_a_ragged_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as e:
        run_audit(rules(), str(path))
    assert message in str(e.value) and "\n" not in str(e.value)


def test_gzip_is_read_as_csv_gz_and_told_when_named_csv(tmp_path: Path) -> None:
    import gzip

    text = "\n".join(",".join(r) for r in [HEADER, *unit("U1", 1, 1)]) + "\n"
    good = tmp_path / "d.csv.gz"
    good.write_bytes(gzip.compress(text.encode()))
    assert run_audit(rules(), str(good)).rows_read == 2
    bad = tmp_path / "d.csv"
    bad.write_bytes(gzip.compress(text.encode()))
    with pytest.raises(InputError) as e:
        run_audit(rules(), str(bad))
    assert "gzip-compressed" in str(e.value) and "d.csv.gz" in str(e.value)


def test_a_data_column_named_filename_travels_with_the_rejects(tmp_path: Path) -> None:
    rows = [[*r, "export-7.xlsx"] for r in unit("U1", 1, 1)] + [["E9", "", "2023-08-30", "DKI", "admin", "WFO", "x"]]
    data = write_rows(tmp_path / "d.csv", rows, [*HEADER, "filename"])
    report = run_audit(rules(), str(data), rejects=tmp_path / "r.csv")
    (rejected,) = rows_of(tmp_path / "r.csv")
    assert report.rows_rejected == 1
    assert (rejected["filename"], rejected["source_file"]) == ("x", str(data))


def test_an_output_that_is_the_data_is_refused_before_any_work(tmp_path: Path) -> None:
    data = write_rows(tmp_path / "d.csv", unit("U1", 3, 1))
    before = data.read_bytes()
    for options in ({"out": data}, {"rejects": data}, {"out": tmp_path / "s.csv", "rejects": tmp_path / "s.csv"}):
        with pytest.raises(InputError) as e:
            run_audit(rules(), str(data), **options)
        assert e.value.code == "E327"
        assert data.read_bytes() == before
        assert not (tmp_path / "s.csv").exists()
    link = tmp_path / "link.csv"
    link.symlink_to(data)
    with pytest.raises(InputError):
        run_audit(rules(), str(data), out=link)
    assert data.read_bytes() == before


def test_cells_a_spreadsheet_would_run_are_neutralised_in_csv_outputs(tmp_path: Path) -> None:
    rows = [[f"E{i}", '=HYPERLINK("http://x")', "2023-08-30", "DKI", "admin", "WFH"] for i in range(3)]
    rows.append(["@SUM(A1)", "-U2", "bad", "DKI", "admin", "WFH"])
    data = write_rows(tmp_path / "d.csv", rows)
    run_audit(rules(), str(data), out=tmp_path / "v.csv", rejects=tmp_path / "r.csv")
    (v,) = rows_of(tmp_path / "v.csv")
    assert v["unit"] == '\'=HYPERLINK("http://x")' and v["comparison"] == "<="
    (r,) = rows_of(tmp_path / "r.csv")
    assert (r["employee"], r["unit"]) == ("'@SUM(A1)", "'-U2")
    run_audit(rules(), str(data), out=tmp_path / "v.parquet")
    import duckdb

    assert duckdb.sql(f"SELECT unit FROM '{tmp_path / 'v.parquet'}'").fetchall() == [('=HYPERLINK("http://x")',)]


@pytest.mark.parametrize("limit", ["lots", "0MB", "1KB", "-5GB", "12 parsecs"])
def test_a_memory_limit_is_checked(tmp_path: Path, limit: str) -> None:
    data = write_rows(tmp_path / "d.csv", unit("U1", 1, 1))
    with pytest.raises(InputError) as e:
        run_audit(rules(), str(data), memory_limit=limit)
    assert e.value.code == "E326"


def test_a_pipe_or_a_dangling_link_as_data_is_an_error_not_a_hang(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as e:
        run_audit(rules(), str(fifo))
    assert "not a regular file" in str(e.value)
    dangling = tmp_path / "gone.csv"
    dangling.symlink_to(tmp_path / "nothing.csv")
    with pytest.raises(InputError) as e:
        run_audit(rules(), str(dangling))
    assert "link to nothing" in str(e.value)


def test_counts_beyond_the_limit_are_an_input_error() -> None:
    rs = rules()
    for big in (10**12, 10**4299, 10**5000):
        with pytest.raises(InputError) as e:
            rs.evaluate("2023-08-30", "DKI", {"admin": {"WFH": big}})
        assert e.value.code == "E313" and "at most" in str(e.value)


@pytest.mark.parametrize("date_type", ["DATE", "TIMESTAMP", "VARCHAR"])
def test_duplicates_are_found_whatever_the_type_of_the_date(tmp_path: Path, date_type: str) -> None:
    """The quick look for duplicates (one bit per day per employee) and the exact one agree on every
    date type; days far apart that share a bit are no duplicates."""
    import duckdb

    rows = unit("U1", 6, 0) + unit("U1", 0, 4, first=6) * 3
    rows += [["U1-E0", "U1", "2026-06-19", "DKI Jakarta", "admin", "WFH"]]  # 1024 days after: the same bit
    path = tmp_path / "d.parquet"
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE t (employee VARCHAR, unit VARCHAR, date {date_type}, region VARCHAR, "
        "category VARCHAR, mode VARCHAR)"
    )
    con.executemany("INSERT INTO t VALUES (?, ?, CAST(? AS DATE), ?, ?, ?)", rows)
    con.execute(f"COPY t TO '{path}' (FORMAT PARQUET)")
    con.close()
    report = run_audit(rules(), str(path))
    assert report.rejected_by_reason["duplicate record"] == 12
    assert report.rows_audited == 7


def test_the_command_line_takes_complete_only_and_mode(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from asnrules.cli import cli

    rule = tmp_path / "r.asnr"
    rule.write_text(RULE, encoding="utf-8")
    rows = [*unit("U1", 1, 1), ["U1-E9", "U1", "2023-08-30", "DKI Jakarta", "admin", "DL"]]
    rows += unit("U2", 2, 0) * 2  # every row twice: U2 loses them all
    data = write_rows(tmp_path / "d.csv", rows)
    run = CliRunner().invoke(cli, ["audit", str(rule), str(data), "--json", "--mode", "DL=WFO", "--complete-only"])
    assert run.exit_code == 0, run.output
    report = json.loads(run.output)
    assert report["rejected_by_reason"]["unknown mode"] == 0
    assert report["rejected_by_reason"]["duplicate record"] == 4
    assert (report["unit_days"], report["complete_only"]) == (1, True)
    from asnrules.cli import main

    with pytest.raises(SystemExit) as e:
        main(["audit", str(rule), str(data), "--mode", "DL"])
    assert e.value.code == 2
