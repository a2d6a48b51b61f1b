"""The employee-window audit (issue 12, item 5; LANGUAGE.md §12, §13): hours and overtime in the data
(``bad hours`` on every backend), and the reference audit of windows (:func:`asnrules.employee.audit_windows`),
which judges each (employee, unit, province, category, level, agency) group with ``check_employee``.

Golden case: ``tests/cases/audit/windows/`` (rules, ``attendance.csv`` with hours, the expected
employee-window violations and summary; ``ASNRULES_UPDATE_GOLDEN=1`` rewrites them, to be reviewed).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import asnrules
from asnrules import runtime
from asnrules.audit import run_audit
from asnrules.compile_sql import (
    EVERY_DAY,
    NON_WORKING_DAYS,
    WORKING_DAYS,
    build_windows,
    compile_sql_statements,
    employee_tables,
    printed_columns,
    relational,
    translate,
)
from asnrules.employee import WINDOW_COLUMNS, audit_windows, check_employee
from asnrules.errors import RulesError
from asnrules.semantics import applicable_rules, audit_rows, named_as_section_7, read_row
from asnrules.sql_values import sql_value_maps
from conftest import CASES, portable

audit_module = importlib.import_module("asnrules.audit")
GOLDEN = CASES / "audit" / "windows"
UPDATE = os.environ.get("ASNRULES_UPDATE_GOLDEN") == "1"
D = dt.date


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def golden(path: Path, text: str) -> str:
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
    return path.read_text(encoding="utf-8")


# ---- the golden audit ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def case() -> tuple[asnrules.RuleSet, list[dict[str, str]]]:
    return asnrules.load(GOLDEN / "rules.asnr"), read_csv(GOLDEN / "attendance.csv")


def windows_csv(rows: Sequence[Mapping[str, str]]) -> str:
    import io

    out = io.StringIO()
    w = csv.DictWriter(out, list(WINDOW_COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def test_the_golden_windows(case: tuple[asnrules.RuleSet, list[dict[str, str]]]) -> None:
    rules, rows = case
    found = audit_windows(rules.model, rows)
    text = windows_csv(portable(found.rows()))
    assert text == golden(GOLDEN / "expected_windows.csv", text)
    summary = {
        "accounting": found.answer.accounting(),
        "employee-window violations by rule": {f"{c} {r}": n for (c, r), n in found.by_rule().items()},
        "employee-windows judged": len(found.windows),
    }
    dumped = json.dumps(summary, indent=1, ensure_ascii=False) + "\n"
    assert dumped == golden(GOLDEN / "expected_summary.json", dumped)
    acc = found.answer.accounting()
    assert acc["rows read"] == acc["rows audited"] + acc["rows rejected"]
    assert acc["bad hours"] == 1


def test_the_year_end_week_is_iso_2025_w01_and_not_whole(case: tuple[asnrules.RuleSet, list[dict[str, str]]]) -> None:
    """2024-12-30 is in the ISO week 2025-W01 (Monday 2024-12-30 to Sunday 2025-01-05); a rule that
    starts on Wednesday 2025-01-01 does not hold that week whole: its lower bound is not checked, its
    upper bound is (on the days in scope only)."""
    rules, rows = case
    assert runtime.window_of(D(2024, 12, 30).toordinal(), "week") == (
        D(2024, 12, 30).toordinal(),
        D(2025, 1, 5).toordinal(),
    )
    found = {(e, w.constraint.rule, w.first): w for e, _, w in audit_windows(rules.model, rows).windows}
    hadir = found[("A1", "hadir", D(2024, 12, 30))]
    assert (hadir.whole, hadir.verdict, hadir.last) == (False, "compliant", D(2025, 1, 5))
    lembur = found[("A1", "lembur", D(2024, 12, 30))]
    assert (lembur.whole, lembur.amount, lembur.verdict) == (False, 12, "compliant")  # 2024-12-30/31 not in scope
    assert found[("A1", "hadir", D(2025, 1, 6))].verdict == "violation"  # the next week is whole


def test_an_employee_who_moves_units_is_judged_per_unit(case: tuple[asnrules.RuleSet, list[dict[str, str]]]) -> None:
    rules, rows = case
    parts = {(u, w.constraint.rule): w for e, u, w in audit_windows(rules.model, rows).windows if e == "C2"}
    assert parts[("U3", "fwa")].amount == 2 and parts[("U4", "fwa")].amount == 1
    assert parts[("U3", "kantor")].bound == 2  # only two days recorded in U3: the reachable bound


# ---- bad hours on every backend ---------------------------------------------------------------------

HOURS_RULES = """
circular "Uji Jam 1/2023"
  issued 2023-08-01 by "Tim asnrules"
rule admin-wfh between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%
"""
HOUR_VALUES = ["8", "7,5", " 7.25 ", "", "24", "0", "25", "7.12345", "delapan", "-1", "1e1", "8,,5", "08", "24.0001"]


def hours_rows() -> list[dict[str, str]]:
    rows = []
    for i, h in enumerate(HOUR_VALUES):
        for j, o in enumerate(("", "1,5", "x")):
            rows.append(
                {
                    "employee": f"E{i}-{j}",
                    "unit": f"U{i % 3}",
                    "date": "2023-08-30",
                    "region": "DKI Jakarta",
                    "category": "admin",
                    "mode": "WFH" if (i + j) % 2 else "WFO",
                    "hours": h,
                    "overtime": o,
                }
            )
    return rows


def write_csv(path: Path, rows: Sequence[Mapping[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def audit_answer(rules: asnrules.RuleSet, data: Path, tmp: Path, **options: Any) -> tuple[dict[str, int], set[str]]:
    rejects = tmp / "rejects.csv"
    report = run_audit(rules, str(data), out=tmp / "out.csv", rejects=rejects, **options)
    assert report.rows_read == report.rows_audited + report.rows_rejected
    refused = {f"{r['employee']}|{r['reason']}" for r in read_csv(rejects)} if rejects.exists() else set()
    return dict(report.rejected_by_reason), refused


def reference_answer(rules: asnrules.RuleSet, rows: Sequence[Mapping[str, str]]) -> tuple[dict[str, int], set[str]]:
    ref = audit_rows(rules.model, rows)
    acc = ref.accounting()
    by_reason = {r: acc[r] for r in runtime.REJECTS.values()}
    return by_reason, {f"{rows[i]['employee']}|{reason}" for i, reason in ref.rejects.items()}


@pytest.mark.parametrize("names", ["english", "indonesian", "mapped"])
def test_bad_hours_are_rejected_by_the_duckdb_audit_as_by_the_reference(tmp_path: Path, names: str) -> None:
    rules = asnrules.loads(HOURS_RULES, name="hours.asnr")
    rows = hours_rows()
    want = reference_answer(rules, rows)
    assert want[0]["bad hours"] > 0
    spelled = {"english": {}, "indonesian": {"hours": "jam", "overtime": "lembur"}, "mapped": {"hours": "h_kerja"}}
    rename = spelled[names]
    data = write_csv(tmp_path / "a.csv", [{rename.get(k, k): v for k, v in r.items()} for r in rows])
    columns = {"h_kerja": "hours"} if names == "mapped" else None
    assert audit_answer(rules, data, tmp_path, columns=columns) == want


def test_bad_hours_without_the_inline_lookups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The value maps computed in SQL (too many distinct values to write into the query)."""
    rules = asnrules.loads(HOURS_RULES, name="hours.asnr")
    rows = hours_rows()
    monkeypatch.setattr(audit_module, "INLINE_LIMIT", 0)
    assert audit_answer(rules, write_csv(tmp_path / "a.csv", rows), tmp_path) == reference_answer(rules, rows)


def test_numeric_hours_in_parquet_are_read_as_the_runtime_reads_them(tmp_path: Path) -> None:
    rules = asnrules.loads(HOURS_RULES, name="hours.asnr")
    values = [8.0, 7.5, 7.25, None, 24.0, 0.0, 25.0, 7.12345, -1.0, 1e-5, 23.9999]
    rows = [
        {
            "employee": f"E{i}",
            "unit": "U1",
            "date": D(2023, 8, 30),
            "region": "DKI Jakarta",
            "category": "admin",
            "mode": "WFO",
            "hours": v,
        }
        for i, v in enumerate(values)
    ]
    path = tmp_path / "a.parquet"
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE t (employee VARCHAR, unit VARCHAR, date DATE, region VARCHAR, category VARCHAR, "
            "mode VARCHAR, hours DOUBLE)"
        )
        con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", [list(r.values()) for r in rows])
        con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    finally:
        con.close()
    ref = reference_answer(rules, rows)  # type: ignore[arg-type]
    assert ref[0]["bad hours"] == 4
    assert audit_answer(rules, path, tmp_path) == ref


def test_the_printed_sql_rejects_bad_hours_when_it_reads_them() -> None:
    rules = asnrules.loads(HOURS_RULES, name="hours.asnr")
    rows = hours_rows()
    names = tuple(rows[0])
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE attendance ({', '.join(f'{k} VARCHAR' for k in names)})")
        con.executemany(
            f"INSERT INTO attendance VALUES ({', '.join('?' for _ in names)})",
            [[None if r[k] == "" else r[k] for k in names] for r in rows],
        )
        _, rejects, accounting = compile_sql_statements(rules.model, "duckdb", columns=names)
        refused = {f"{e}|{reason}" for *_, reason in con.execute(rejects).fetchall() for e in [_[0]]}
        items = dict(con.execute(accounting).fetchall())
    finally:
        con.close()
    want = reference_answer(rules, rows)
    assert refused == want[1]
    assert {r: items[r] for r in runtime.REJECTS.values()} == want[0]
    # without hours columns the printed SQL is what it was: no asn_hours
    assert all("asn_hours" not in s for s in compile_sql_statements(rules.model, "duckdb"))


# ---- the reference audit of windows is check_employee per group (Hypothesis) ------------------------

MEASURES = [
    ("WFO", "days"),
    ("WFH", "days"),
    ("WFA", "days"),
    ("LEAVE", "days"),
    ("works", "hours"),
    ("overtime", "hours"),
]
COMPARISONS = ["at most", "at least", "exactly", "<", ">"]
WINDOWS = ["day", "week", "month", "year"]


@st.composite
def employee_rule_sets(draw: st.DrawFn) -> str:
    lines = ['circular "Uji Acak 1/2025"', '  issued 2024-12-01 by "Tim asnrules"']
    for i in range(draw(st.integers(1, 4))):
        measure, unit = draw(st.sampled_from(MEASURES))
        cmp = draw(st.sampled_from(COMPARISONS))
        amount = draw(
            st.sampled_from(["0", "1", "2", "3", "7,5", "14", "37.5"] if unit == "hours" else ["0", "1", "2", "3", "5"])
        )
        window = draw(st.sampled_from(WINDOWS))
        start = D(2024, 12, 23) + dt.timedelta(days=draw(st.integers(0, 20)))
        when = f"from {start.isoformat()}"
        if draw(st.booleans()):
            when = (
                f"between {start.isoformat()} and {(start + dt.timedelta(days=draw(st.integers(0, 30)))).isoformat()}"
            )
        working = " on working days" if draw(st.booleans()) else ""
        where = draw(st.sampled_from(["", " in DKI", " in Jawa Barat"]))
        group = draw(st.sampled_from(["", " in admin", " in frontline"]))
        lines.append(
            f"rule r{i}{working} {when}{where}: each employee{group} {measure} {cmp} {amount} {unit} per {window}"
        )
    if draw(st.booleans()):
        # a narrower override on working days (or not) switches r0 off on some days of its scope only: the
        # scope is then some days of a rule (its non-working days), and windows whole or not by the calendar
        start = D(2024, 12, 23) + dt.timedelta(days=draw(st.integers(0, 30)))
        last = start + dt.timedelta(days=draw(st.integers(0, 20)))
        working = draw(st.sampled_from([" on working days", " on working days", ""]))
        where = draw(st.sampled_from(["", " in DKI"]))
        lines += [
            'circular "Uji Acak 2/2025"',
            '  issued 2024-12-02 by "Tim asnrules"',
            '  overrides rule r0 of "Uji Acak 1/2025"',
            f"rule o{working} between {start.isoformat()} and {last.isoformat()}{where}: "
            + draw(st.sampled_from(["admin WFH <= 50%", "each employee WFO >= 1 days per week"])),
        ]
    return "\n".join(lines) + "\n"


@st.composite
def attendance(draw: st.DrawFn) -> list[dict[str, str]]:
    rows = []
    for _ in range(draw(st.integers(0, 40))):
        day = D(2024, 12, 23) + dt.timedelta(days=draw(st.integers(0, 45)))
        rows.append(
            {
                "employee": draw(st.sampled_from(["A", "B", "C"])),
                "unit": draw(st.sampled_from(["U1", "U1", "U2"])),
                "date": day.isoformat(),
                "region": draw(st.sampled_from(["DKI Jakarta", "DKI Jakarta", "Jawa Barat"])),
                "category": draw(st.sampled_from(["admin", "admin", "frontline"])),
                "mode": draw(st.sampled_from(["WFO", "WFH", "WFA", "CUTI", "wfo"])),
                "hours": draw(st.sampled_from(["", "8", "7,5", "0", "9.25", "30"])),
                "overtime": draw(st.sampled_from(["", "", "1", "2,5"])),
            }
        )
    return rows


@settings(max_examples=40, deadline=None)
@given(employee_rule_sets(), attendance())
def test_audit_windows_is_check_employee_per_group(text: str, rows: list[dict[str, str]]) -> None:
    try:
        rules = asnrules.loads(text, name="random.asnr")
    except RulesError:  # a conflict the checker finds (E141...): not a rule set to audit
        assume(False)
        return
    found = audit_windows(rules.model, rows)
    ref = audit_rows(rules.model, rows)
    assert found.answer.rejects == ref.rejects
    groups: dict[tuple[object, ...], list[tuple[object, ...]]] = {}
    for i, raw in enumerate(rows):
        if i in ref.rejects:
            continue
        r = read_row(rules.model, named_as_section_7(raw))
        assert not isinstance(r, runtime.Reason)
        groups.setdefault((r.employee, r.unit, r.province, r.category, r.level, r.agency_name), []).append(
            (raw["date"], raw["mode"], raw["hours"], raw["overtime"])
        )
    want: Counter[tuple[object, ...]] = Counter()
    for (e, u, p, c, lv, ag), records in groups.items():
        for w in check_employee(rules.model, records, p, c, lv, ag).windows:
            want[(e, u, w.constraint.id, w.first, w.verdict, w.amount, w.bound)] += 1
    got = Counter((e, u, w.constraint.id, w.first, w.verdict, w.amount, w.bound) for e, u, w in found.windows)
    assert got == want


@settings(max_examples=40, deadline=None)
@given(employee_rule_sets(), attendance())
def test_the_scope_and_window_tables_are_check_employee_s(text: str, rows: list[dict[str, str]]) -> None:
    """The tables the SQL of the window audit joins (:func:`asnrules.compile_sql.employee_tables`):
    a row's day is in a constraint's scope exactly when check_employee's scope holds it, and a judged
    window lies in one span of the scope exactly when check_employee finds it whole."""
    try:
        rules = asnrules.loads(text, name="random.asnr")
    except RulesError:
        assume(False)
        return
    model = rules.model
    tables = employee_tables(model, (2024, 2025))
    names = sorted({a for r in model.rules for a in r.audience.agencies})
    members = set(tables.members)
    calendar = model.workdays
    for raw in rows:
        r = read_row(model, named_as_section_7(raw))
        if isinstance(r, runtime.Reason):
            continue
        level = {None: 0, "central": 1, "regional": 2}[r.level]
        agency = names.index(r.agency) + 1 if r.agency in names else 0
        ctx = (int(r.province), level, agency)
        want = {
            e.id
            for rule in applicable_rules(model, r.day, r.province, r.level, r.agency)
            for e in rule.employee
            if e.binds(r.category, model.under)
        }
        kind = WORKING_DAYS if calendar.is_working_day(r.day, r.province) else NON_WORKING_DAYS
        got = {
            eid
            for eid, p, lv, ag, first, last, days in tables.scope
            if (p, lv, ag) == ctx
            and first <= r.day <= last
            and days in (EVERY_DAY, kind)
            and (eid, r.category) in members
        }
        assert got == want, (raw, text)
        result = check_employee(model, [(r.day, r.mode)], r.province, r.category, r.level, r.agency_name)
        for w in result.windows:
            holding = [
                (a, b)
                for e, p, lv, ag, a, b in tables.spans
                if (e, p, lv, ag) == (w.constraint.id, *ctx) and a <= w.first and w.last <= b
            ]
            assert len(holding) == int(w.whole), (w, holding, text)


def windows_on_duckdb(
    rules: asnrules.RuleSet, rows: Sequence[Mapping[str, str]], years: tuple[int, int]
) -> list[dict[str, str]]:
    """The employee-window statement (the value maps computed in SQL, as the printed query does) run
    by DuckDB on a table of text."""
    names = list(rows[0]) if rows else ["employee", "unit", "date", "region", "category", "mode", "hours", "overtime"]
    cols = printed_columns(names)
    sql = build_windows(
        rules.model, employee_tables(rules.model, years), cols, sql_value_maps(relational(rules.model), cols)
    )
    assert sql is not None
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE attendance ({', '.join(f'{k} VARCHAR' for k in names)})")
        if rows:
            con.executemany(
                f"INSERT INTO attendance VALUES ({', '.join('?' for _ in names)})",
                [[None if r[k] == "" else r[k] for k in names] for r in rows],
            )
        cur = con.execute(translate(sql, "duckdb"))
        out = [d[0] for d in cur.description]
        return [{k: str(v) for k, v in zip(out, r, strict=True)} for r in cur.fetchall()]
    finally:
        con.close()


def test_the_window_sql_on_duckdb_gives_the_golden_windows(case: tuple[asnrules.RuleSet, list[dict[str, str]]]) -> None:
    rules, rows = case
    assert windows_on_duckdb(rules, rows, (2024, 2025)) == audit_windows(rules.model, rows).rows()


@settings(max_examples=15, deadline=None)
@given(employee_rule_sets(), attendance())
def test_the_window_sql_on_duckdb_is_the_reference(text: str, rows: list[dict[str, str]]) -> None:
    try:
        rules = asnrules.loads(text, name="random.asnr")
    except RulesError:
        assume(False)
        return
    want = audit_windows(rules.model, rows).rows()
    assert windows_on_duckdb(rules, rows, (2024, 2025)) == want
    if not rows:
        return
    # and through the audit itself (the DuckDB engine: the values looked up in the pass, the tables cut
    # to the data's years, the duplicates it found), from a CSV file of text
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        data = write_csv(Path(tmp) / "a.csv", rows)
        report = run_audit(rules, str(data), windows=Path(tmp) / "w.csv")
        assert read_csv(Path(tmp) / "w.csv") == want
        assert report.window_violations == len(want)


# ---- the window audit of `asnrules audit` (run_audit(windows=), --windows) --------------------------


def _windows_of(path: Path) -> list[dict[str, str]]:
    return read_csv(path)


@pytest.mark.parametrize("inline", [True, False], ids=["inline-lookups", "sql-value-maps"])
def test_the_duckdb_audit_writes_the_reference_windows(
    case: tuple[asnrules.RuleSet, list[dict[str, str]]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inline: bool
) -> None:
    """``run_audit(windows=FILE)`` writes exactly the reference's violating employee-windows, in its
    order, and counts them by rule; the unit-day accounting is unchanged by asking for them."""
    rules, rows = case
    if not inline:
        monkeypatch.setattr(audit_module, "INLINE_LIMIT", 0)
    want = audit_windows(rules.model, rows)
    report = run_audit(rules, str(GOLDEN / "attendance.csv"), windows=tmp_path / "w.csv")
    assert _windows_of(tmp_path / "w.csv") == want.rows()
    assert report.window_violations == len(want.rows()) > 0
    by_rule = {(c, r): n for c, rs in report.window_violations_by_rule.items() for r, n in rs.items()}
    assert by_rule == dict(want.by_rule())
    assert report.to_json()["window_violations"] == len(want.rows())
    plain = run_audit(rules, str(GOLDEN / "attendance.csv"), windows=False)
    assert plain.window_violations is None and plain.rows_rejected == report.rows_rejected
    assert "employee-window violations" in report.summary_text("en")
    assert "pelanggaran per pegawai per periode" in report.summary_text("id")


def test_the_window_audit_of_parquet_with_typed_columns(
    case: tuple[asnrules.RuleSet, list[dict[str, str]]], tmp_path: Path
) -> None:
    """Typed days and numeric hours (Parquet, as exported from an attendance system) give the same windows."""
    rules, rows = case
    path = tmp_path / "a.parquet"
    src = GOLDEN / "attendance.csv"
    duckdb.connect().execute(
        f"COPY (SELECT * REPLACE (TRY_CAST(date AS DATE) AS date) FROM read_csv('{src}', all_varchar = TRUE)) "
        f"TO '{path}' (FORMAT PARQUET)"
    )
    report = run_audit(rules, str(path), windows=tmp_path / "w.parquet")
    got = duckdb.connect().execute(f"SELECT * FROM read_parquet('{tmp_path / 'w.parquet'}')").fetchall()
    assert report.window_violations == len(got)
    # the typed days change which rows are bad dates (none here): the windows are the reference's
    want = [tuple(r.values()) for r in audit_windows(rules.model, rows).rows()]
    assert [tuple(str(v) for v in r) for r in got] == want


def test_windows_output_must_not_be_another_output(case: tuple[asnrules.RuleSet, list[Any]], tmp_path: Path) -> None:
    rules, _ = case
    with pytest.raises(asnrules.InputError) as e:
        run_audit(rules, str(GOLDEN / "attendance.csv"), out=tmp_path / "x.csv", windows=tmp_path / "x.csv")
    assert e.value.code == "E327"
    with pytest.raises(asnrules.InputError) as e:
        run_audit(rules, str(GOLDEN / "attendance.csv"), windows=GOLDEN / "attendance.csv")
    assert e.value.code == "E327"


def test_the_cli_writes_windows(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from asnrules.cli import cli

    out = tmp_path / "w.csv"
    args = ["audit", str(GOLDEN / "rules.asnr"), str(GOLDEN / "attendance.csv"), "--windows", str(out), "--lang", "en"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "employee-window violations written to" in result.output
    assert len(read_csv(out)) > 0
    strict = CliRunner().invoke(cli, ["audit", str(GOLDEN / "rules.asnr"), str(GOLDEN / "attendance.csv"), "--strict"])
    assert strict.exit_code == 1  # no unit-day violation here, but employee-window ones


def test_the_spark_audit_writes_the_reference_windows(
    case: tuple[asnrules.RuleSet, list[dict[str, str]]], spark: Any, tmp_path: Path
) -> None:
    rules, rows = case
    report = run_audit(rules, str(GOLDEN / "attendance.csv"), engine="spark", windows=tmp_path / "w.csv")
    assert _windows_of(tmp_path / "w.csv") == audit_windows(rules.model, rows).rows()
    assert report.window_violations == len(audit_windows(rules.model, rows).rows())


def test_the_printed_sql_has_the_window_statement(case: tuple[asnrules.RuleSet, list[dict[str, str]]]) -> None:
    """``compile --target sql`` prints four statements for a rule set with employee rules; the fourth,
    run as printed on a table of text, gives the reference's employee-window violations."""
    from asnrules.compile_sql import compile_sql

    rules, rows = case
    names = list(rows[0])
    printed = compile_sql(rules.model, "duckdb", columns=names)
    assert printed.startswith("-- asnrules audit (duckdb): four statements")
    statements = [s for s in printed.split(";\n\n") if s.strip()]
    assert len(statements) == 4
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE attendance ({', '.join(f'{k} VARCHAR' for k in names)})")
        con.executemany(
            f"INSERT INTO attendance VALUES ({', '.join('?' for _ in names)})",
            [[None if r[k] == "" else r[k] for k in names] for r in rows],
        )
        cur = con.execute(statements[3].rstrip().rstrip(";"))
        out = [d[0] for d in cur.description]
        got = [{k: str(v) for k, v in zip(out, r, strict=True)} for r in cur.fetchall()]
    finally:
        con.close()
    assert got == audit_windows(rules.model, rows).rows()
    plain = asnrules.loads("between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%\n", name="p.asnr")
    assert compile_sql(plain.model, "duckdb").startswith("-- asnrules audit (duckdb): three statements")


def test_hours_and_overtime_named_in_indonesian(
    case: tuple[asnrules.RuleSet, list[dict[str, str]]], tmp_path: Path
) -> None:
    """``jam`` and ``lembur`` (and ``nip``, ``tanggal``...) are the hours and overtime columns: the same windows."""
    rules, rows = case
    names = {"employee": "nip", "date": "tanggal", "hours": "jam", "overtime": "lembur", "unit": "unit_kerja"}
    data = write_csv(tmp_path / "a.csv", [{names.get(k, k): v for k, v in r.items()} for r in rows])
    run_audit(rules, str(data), windows=tmp_path / "w.csv")
    assert read_csv(tmp_path / "w.csv") == audit_windows(rules.model, rows).rows()
