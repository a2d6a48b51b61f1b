"""The audit (issue: audit attendance at national scale), on DuckDB.

- differential: random rule sets (supersedes, overrides, who parts) and random attendance tables
  (aliases, LEAVE, sub-categories, bad rows, unit-days that disagree): the audit's violations equal
  those of the reference interpreter applied to each unit-day, and the row accounting matches;
- golden: a hand-made CSV (tests/cases/audit/golden) with its expected violations, rejects and counts;
- acceptance: ``asnrules audit rules/ sample.parquet`` finds the same violating unit-days as a
  hand-written DuckDB query for SE 17/2023 and SE 1/2024;
- the printed SQL (``compile --target sql``) gives the same violations, rejected rows (with their
  reasons) and accounting; the DuckDB fast path (the lookups written into the one pass) gives the
  plain query's unit-day table on awkward data (tests/cases/audit/awkward); bad files give one-line
  errors; outputs are written atomically in every format; the generator is deterministic.

Every audit here checks rows read = rows audited + rows rejected.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import asnrules
from asnrules.audit import AuditReport, run_audit
from asnrules.audit_plan import Plan, distinct_sql, read_distinct, value_maps
from asnrules.compile_sql import (
    DIALECTS,
    attendance_columns,
    compile_sql_statements,
    relational,
    unnest_table,
    values_table,
)
from asnrules.datagen import generate
from asnrules.errors import InputError
from asnrules.parser import parse
from asnrules.prelude import name_key, province_index
from asnrules.resolve import parse_date, resolve
from asnrules.ruleset import RuleSet
from asnrules.sql_dialects import duckdb_macros
from conftest import CASES, RULES

GOLDEN = CASES / "audit" / "golden"
PYTHON = Path(sys.executable)


def checked(report: AuditReport) -> AuditReport:
    assert report.rows_read == report.rows_audited + report.rows_rejected, report.to_json()
    return report


def violation_keys(rows: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    return Counter(
        (
            str(r["unit"]),
            str(r["date"]),
            r["circular"],
            r["rule"],
            r["group"],
            r["mode"],
            r["comparison"],
            Decimal(str(r["bound"])),
            str(r["share"]),
            int(r["n"]),
            int(r["k"]),
        )
        for r in rows
    )


# ---- differential test against the reference interpreter --------------------------------------------

DAYS = [dt.date(2023, 1, 2) + dt.timedelta(days=i) for i in range(8)]
CATS = ["all", "admin", "administration", "leadership-support", "frontline", "health", "security"]
CAT_SPELLINGS = {
    "admin": ["admin", "ADMIN"],
    "administration": ["administration", "administrasi"],
    "leadership-support": ["leadership-support", "leadership_support", "dukungan pimpinan"],
    "frontline": ["frontline"],
    "health": ["health", "Kesehatan"],
    "security": ["security"],
}
REGIONS = {"31": ["DKI", "31", "ID-JK", "DKI Jakarta", " jakarta"], "32": ["Jabar", "32"], "51": ["Bali", "ID-BA"]}
# Spellings of one agency (or of none) and of one level within a unit; other spellings disagree.
AGENCY_SPELLINGS = {"": ["", "  "], "kemenkes": ["Kemenkes", " KEMENKES", "kemenkes"], "kemenkeu": ["Kemenkeu"]}
LEVEL_SPELLINGS = {"": ["", " "], "central": ["central", "Pusat"], "regional": ["regional", "daerah"]}
PERCENTS = ["0", "100", "50", "33.3", "33,3", "66.7", "25", "12.5", "40", "60"]
COMPARISONS = ["<=", ">=", "=", "<", ">", "at most", "at least"]


@st.composite
def scopes(draw: st.DrawFn) -> str:
    a, b = sorted([draw(st.sampled_from(DAYS)), draw(st.sampled_from(DAYS))])
    when = draw(st.sampled_from(["", f"between {a} and {b} ", f"on {a}, {b} ", f"from {a} ", f"until {b} "]))
    if draw(st.integers(0, 3)) == 0:  # working days (LANGUAGE.md §9): DAYS hold a weekend
        when = draw(
            st.sampled_from(
                [
                    "on working days ",
                    f"on working days between {a} and {b} ",
                    f"on working days from {a} ",
                    f"on working days until {b} ",
                    'on the first 2 working days after "Tahun Baru" 2023 ',  # 2-3 January
                ]
            )
        )
    where = draw(st.sampled_from(["", "in DKI ", "in Jabar, Bali ", "nationwide "]))
    who = draw(
        st.sampled_from(["", "", "for central ", "for regional ", 'for "Kemenkes" ', 'for central, "Kemenkes" '])
    )
    return when + where + who


@st.composite
def constraint_text(draw: st.DrawFn) -> str:
    return (
        f"{draw(st.sampled_from(CATS))} {draw(st.sampled_from(['WFO', 'WFH', 'WFA']))} "
        f"{draw(st.sampled_from(COMPARISONS))} {draw(st.sampled_from(PERCENTS))}%"
    )


@st.composite
def rule_sets(draw: st.DrawFn) -> list[str]:
    files = []
    n = draw(st.integers(1, 3))
    for i in range(n):
        head = [f'circular "C{i}"']
        if draw(st.booleans()):
            head.append(f"  issued {draw(st.sampled_from(DAYS))}")
        if i and draw(st.booleans()):
            how = draw(st.sampled_from(["supersedes", "overrides", "overrides"]))
            head.append(f'  {how} "C{draw(st.integers(0, i - 1))}"')
        body = []
        for _ in range(draw(st.integers(1, 3))):
            cs = "; ".join(draw(st.lists(constraint_text(), min_size=1, max_size=2)))
            body.append(f"{draw(scopes())}: {cs}")
        if i == 0:  # the set's own calendar: a holiday of some provinces, a national one, a Saturday worked
            body += draw(st.sampled_from([[], [], *DECLARATIONS]))
        files.append("\n".join(head + body) + "\n")
    return files


#: Declarations of the rule set's calendar (LANGUAGE.md §9) on the days of :data:`DAYS` (2-9 January 2023).
DECLARATIONS = [
    ['holiday 2023-01-04 "Libur daerah" in Bali, DKI'],
    ['holiday 2023-01-05 "Libur nasional"', 'working day 2023-01-07 "Sabtu masuk"'],
    ['working day 2023-01-08 "Minggu masuk"', 'holiday 2023-01-08 "Libur Bali" in Bali'],
]


@st.composite
def attendance(draw: st.DrawFn) -> list[list[str]]:
    rows = []
    for u in range(draw(st.integers(1, 4))):
        code = draw(st.sampled_from(sorted(REGIONS)))
        level = draw(st.sampled_from(sorted(LEVEL_SPELLINGS)))
        agency = draw(st.sampled_from(sorted(AGENCY_SPELLINGS)))
        for day in draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True)):
            for e in range(draw(st.integers(1, 9))):
                cat = draw(st.sampled_from(sorted(CAT_SPELLINGS)))
                row = [
                    f"u{u}e{e}",
                    f"U{u}",
                    day.isoformat(),
                    draw(st.sampled_from(REGIONS[code])),
                    draw(st.sampled_from(CAT_SPELLINGS[cat])),
                    draw(st.sampled_from(["WFO", "WFO", "WFH", "wfh", "WFA", "LEAVE", "cuti"])),
                    draw(st.sampled_from(AGENCY_SPELLINGS[agency])),
                    draw(st.sampled_from(LEVEL_SPELLINGS[level])),
                ]
                flaw = draw(
                    st.sampled_from(
                        ["none"] * 14
                        + ["unit", "employee", "date", "region", "category", "mode", "level", "disagree"]
                        + ["agency", "level-disagree"]
                    )
                )
                if flaw == "unit":
                    row[1] = " "
                elif flaw == "employee":
                    row[0] = ""
                elif flaw == "date":
                    row[2] = draw(st.sampled_from(["2023-02-30", "02/01/2023", "soon"]))
                elif flaw == "region":
                    row[3] = "Atlantis"
                elif flaw == "category":
                    row[4] = "chef"
                elif flaw == "mode":
                    row[5] = "REMOTE"
                elif flaw == "level":
                    row[7] = "provincial"
                elif flaw == "disagree":
                    row[3] = "Bali" if code != "51" else "DKI"
                elif flaw == "agency":  # another agency, or none
                    row[6] = draw(st.sampled_from([v for k, vs in AGENCY_SPELLINGS.items() if k != agency for v in vs]))
                elif flaw == "level-disagree":
                    row[7] = draw(st.sampled_from([v for k, vs in LEVEL_SPELLINGS.items() if k != level for v in vs]))
                rows.append(row)
    return rows


def oracle(rs: RuleSet, rows: list[list[str]]) -> tuple[Counter[tuple[Any, ...]], int, int]:
    """Violations by the reference interpreter per unit-day, rows audited and rows rejected."""
    model = rs.model
    good: dict[tuple[str, dt.date], list[tuple[str, str, str, str | None, str | None, str | None]]] = {}
    rejected = 0
    levels = {"central": "central", "pusat": "central", "regional": "regional", "daerah": "regional"}
    for employee, unit, date, region, category, mode, agency, level in rows:
        day, _ = parse_date(date.strip())
        province = province_index().get(name_key(region))
        cat = model.category_of(category)
        m = {"CUTI": "LEAVE"}.get(mode.strip().upper(), mode.strip().upper())
        lv = level.strip().casefold()
        if (
            not unit.strip()
            or not employee.strip()
            or day is None
            or province is None
            or cat is None
            or m not in ("WFO", "WFH", "WFA", "LEAVE")
            or (lv and lv not in levels)
        ):
            rejected += 1
            continue
        good.setdefault((unit, day), []).append(
            (
                province.code,
                cat,
                m,
                levels.get(lv),
                agency.strip() or None,
                name_key(agency) if agency.strip() else None,
            )
        )
    audited = 0
    out: Counter[tuple[Any, ...]] = Counter()
    for (unit, day), items in good.items():
        if len({(p, lv, key) for p, _, _, lv, _, key in items}) > 1:
            rejected += len(items)
            continue
        audited += len(items)
        counts: dict[str, dict[str, int]] = {}
        for _, cat, m, _, _, _ in items:
            counts.setdefault(cat, {})
            counts[cat][m] = counts[cat].get(m, 0) + 1
        province, _, _, lv, agency, _ = items[0]
        result = rs.evaluate(day, province, counts, level=lv, agency=agency, engine="interpreter")
        for v in result.violations:
            out[
                (
                    unit,
                    day.isoformat(),
                    v.circular,
                    v.rule,
                    v.group,
                    v.mode,
                    v.comparison,
                    v.bound,
                    str(v.share),
                    v.n,
                    v.k,
                )
            ] += 1
    return out, audited, rejected


def load_unchecked(texts: list[str]) -> RuleSet | None:
    """Parse and resolve without the conflict checker (random rule sets often conflict)."""
    files = [parse(t, f"c{i}.asnr") for i, t in enumerate(texts)]
    model, diags = resolve(files)
    if any(d.severity == "error" for d in diags):
        return None
    return RuleSet(model, files, diags)


def usable(texts: list[str]) -> asnrules.RuleSet:
    """The rule set of these texts; Hypothesis draws again when they do not parse or resolve."""
    try:
        rs = load_unchecked(texts)
    except asnrules.RulesError:
        rs = None
    assume(rs is not None)
    assert rs is not None
    return rs


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["employee", "unit", "date", "region", "category", "mode", "agency", "level"])
        w.writerows(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rule_sets(), attendance())
def test_audit_agrees_with_the_interpreter(texts: list[str], rows: list[list[str]]) -> None:
    rs = usable(texts)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "attendance.csv"
        write_csv(data, rows)
        report = checked(run_audit(rs, str(data)))
    expected, audited, rejected = oracle(rs, rows)
    assert report.violations is not None
    assert violation_keys(report.violations) == expected
    event(f"violations: {'some' if expected else 'none'}; rejects: {'some' if rejected else 'none'}")
    assert (report.rows_read, report.rows_audited, report.rows_rejected) == (len(rows), audited, rejected)
    assert report.violation_count == sum(expected.values())


def write_parquet(path: Path, rows: list[list[str]], date_type: str) -> None:
    """The rows as Parquet with a typed date column (NULL where the text is not a date) and empty
    texts as NULL."""
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE t (employee VARCHAR, unit VARCHAR, date "
            f"{date_type}, region VARCHAR, category VARCHAR, mode VARCHAR, agency VARCHAR, level VARCHAR)"
        )
        con.executemany(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [v or None for v in row[:2]] + [parse_date(row[2].strip())[0]] + [v or None for v in row[3:]]
                for row in rows
            ],
        )
        con.execute(f"COPY t TO '{path}' (FORMAT PARQUET)")
    finally:
        con.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rule_sets(), attendance(), st.sampled_from(["DATE", "TIMESTAMP"]))
def test_audit_of_parquet_with_a_typed_date_agrees_with_the_interpreter(
    texts: list[str], rows: list[list[str]], date_type: str
) -> None:
    """The one pass on typed dates (no date map) and NULLs in every column, as Parquet gives them."""
    rs = usable(texts)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "attendance.parquet"
        write_parquet(data, rows, date_type)
        report = checked(run_audit(rs, str(data)))
    expected, audited, rejected = oracle(rs, rows)
    assert report.violations is not None
    assert violation_keys(report.violations) == expected
    assert (report.rows_read, report.rows_audited, report.rows_rejected) == (len(rows), audited, rejected)


# ---- golden case -----------------------------------------------------------------------------------


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_golden_audit(tmp_path: Path) -> None:
    rs = asnrules.load(GOLDEN / "rules")
    out, rejects = tmp_path / "violations.csv", tmp_path / "rejects.csv"
    report = checked(run_audit(rs, str(GOLDEN / "attendance.csv"), out=out, rejects=rejects))
    assert out.read_text(encoding="utf-8") == (GOLDEN / "expected_violations.csv").read_text(encoding="utf-8")
    expected = json.loads((GOLDEN / "expected_report.json").read_text(encoding="utf-8"))
    actual = report.to_json()
    assert {k: actual[k] for k in expected} == expected
    got = sorted(
        [{k: v for k, v in r.items() if k != "source_file"} for r in read_csv_rows(rejects)],
        key=lambda r: list(r.values()),
    )
    assert got == read_csv_rows(GOLDEN / "expected_rejects.csv")
    assert len(got) == report.rows_rejected
    assert {r["source_file"] for r in read_csv_rows(rejects)} == {str(GOLDEN / "attendance.csv")}


def test_golden_audit_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "v.json"
    args = [str(PYTHON), "-m", "asnrules", "audit", str(GOLDEN / "rules"), str(GOLDEN / "attendance.csv")]
    proc = subprocess.run([*args, "--out", str(out), "--json", "--strict"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr  # --strict and violations
    summary = json.loads(proc.stdout)
    assert summary["rows_read"] == summary["rows_audited"] + summary["rows_rejected"] == 42
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["unit"], r["circular"], r["share"]) for r in records] == [
        ("A1", "SE Uji 1/2023", "60"),
        ("A1", "SE Uji 1/2023", "200/3"),
        ("K1", "SE Uji 2/2023", "75/2"),
    ]
    text = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert text.returncode == 0
    assert "rows read = rows audited + rows rejected: 42 = 32 + 10" in text.stdout
    assert "SE Uji 2/2023: 1" in text.stdout


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json"])
def test_outputs_in_every_format_are_atomic(tmp_path: Path, suffix: str) -> None:
    rs = asnrules.load(GOLDEN / "rules")
    out, rejects = tmp_path / f"v{suffix}", tmp_path / f"r{suffix}"
    out.write_text("old", encoding="utf-8")
    checked(run_audit(rs, str(GOLDEN / "attendance.csv"), out=out, rejects=rejects))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, rejects.name])  # no temporary left
    reader = {".csv": "read_csv", ".parquet": "read_parquet", ".json": "read_json"}[suffix]
    con = duckdb.connect()
    shares = con.execute(f"SELECT share FROM {reader}('{out}') ORDER BY unit, \"group\"").fetchall()
    assert [s for (s,) in shares] == ["60", "200/3", "75/2"]
    assert con.execute(f"SELECT COUNT(*) FROM {reader}('{rejects}')").fetchone() == (10,)


def test_a_failed_audit_leaves_the_old_output(tmp_path: Path) -> None:
    rs = asnrules.load(GOLDEN / "rules")
    out = tmp_path / "v.csv"
    out.write_text("old", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("employee,unit\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError):
        run_audit(rs, str(bad), out=out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# ---- reject accounting -----------------------------------------------------------------------------


def test_reject_accounting_on_a_directory_of_csv_files(tmp_path: Path) -> None:
    rows = [line.split(",") for line in (GOLDEN / "attendance.csv").read_text(encoding="utf-8").splitlines()[1:]]
    (tmp_path / "data").mkdir()
    write_csv(tmp_path / "data" / "part-1.csv", rows[:33])
    write_csv(tmp_path / "data" / "part-2.csv", rows[33:])  # D1 spans both files
    rs = asnrules.load(GOLDEN / "rules")
    rejects = tmp_path / "rejects.parquet"
    for data in (str(tmp_path / "data"), str(tmp_path / "data" / "part-*.csv")):
        report = checked(run_audit(rs, data, rejects=rejects))
        assert (report.rows_read, report.rows_audited, report.rows_rejected) == (42, 32, 10)
        assert report.violation_count == 3
        got = (
            duckdb.connect()
            .execute(f"SELECT reason, COUNT(*) FROM read_parquet('{rejects}') GROUP BY reason")
            .fetchall()
        )
        assert dict(got) == {k: v for k, v in report.rejected_by_reason.items() if v}
        files = duckdb.connect().execute(f"SELECT DISTINCT source_file FROM read_parquet('{rejects}')").fetchall()
        assert {Path(f).name for (f,) in files} == {"part-1.csv", "part-2.csv"}


def test_optional_columns_may_be_missing(tmp_path: Path) -> None:
    data = tmp_path / "a.csv"
    data.write_text(
        "Employee,UNIT,date,region,category,mode\n"
        "1,U,2023-08-30,DKI,admin,WFH\n2,U,2023-08-30,DKI,admin,WFH\n3,U,2023-08-30,DKI,admin,WFO\n",
        encoding="utf-8",
    )
    report = checked(run_audit(asnrules.load(GOLDEN / "rules"), str(data)))
    assert report.violations is not None
    assert [(v["unit"], v["share"], v["level"], v["agency"]) for v in report.violations] == [("U", "200/3", None, None)]


def test_no_rejects_still_writes_an_empty_rejects_file(tmp_path: Path) -> None:
    data = tmp_path / "a.csv"
    data.write_text("employee,unit,date,region,category,mode\n1,U,2023-08-30,DKI,admin,WFO\n", encoding="utf-8")
    rejects = tmp_path / "r.csv"
    report = checked(run_audit(asnrules.load(GOLDEN / "rules"), str(data), rejects=rejects))
    assert report.rows_rejected == 0
    assert rejects.read_text(encoding="utf-8").splitlines() == [
        "employee,unit,date,region,category,mode,source_file,reason"
    ]


# ---- bad files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        ("empty.csv", b"", "E321", "is empty"),
        ("blank.csv", b"\n\n  \n", "E321", "is empty"),
        (
            "columns.csv",
            b"who,where,when\n1,2,3\n",
            "E322",
            "lacks the columns employee, unit, date, region, category, mode",
        ),
        ("some.csv", b"employee,unit,date,region,category\n1,2,3,4,5\n", "E322", "lacks the column mode"),
        ("binary.csv", bytes(range(256)) * 8, "E323", "binary"),
        (
            "latin1.csv",
            "employee,unit,date,region,category,mode\n1,Ü,2023-08-30,DKI,admin,WFO\n".encode("latin-1"),
            "E323",
            "not UTF-8",
        ),
        ("broken.parquet", b"PAR1 this is not really parquet", "E323", "cannot read"),
        ("empty.parquet", b"", "E321", "is empty"),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path: Path, name: str, content: bytes, code: str, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        run_audit(asnrules.load(GOLDEN / "rules"), str(path))
    assert info.value.code == code
    assert words in info.value.message
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("data", "code"), [("missing.csv", "E320"), ("nothing-*.csv", "E320"), ("emptydir", "E320")])
def test_missing_data(tmp_path: Path, data: str, code: str) -> None:
    (tmp_path / "emptydir").mkdir()
    with pytest.raises(InputError) as info:
        run_audit(asnrules.load(GOLDEN / "rules"), str(tmp_path / data))
    assert info.value.code == code and "\n" not in str(info.value)


def test_bad_output_name_is_an_error_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        run_audit(asnrules.load(GOLDEN / "rules"), str(tmp_path / "missing.csv"), out=tmp_path / "v.xlsx")
    assert info.value.code == "E325"


@pytest.mark.parametrize("where", ["under-a-file/v.csv", "a-folder.csv"])
def test_unwritable_output_is_an_error_before_any_work(tmp_path: Path, where: str) -> None:
    (tmp_path / "under-a-file").write_text("")
    (tmp_path / "a-folder.csv").mkdir()
    with pytest.raises(InputError) as info:
        run_audit(asnrules.load(GOLDEN / "rules"), str(tmp_path / "missing.csv"), out=tmp_path / where)
    assert info.value.code == "E325" and "\n" not in str(info.value)


def test_outputs_go_into_new_folders(tmp_path: Path) -> None:
    out, rejects = tmp_path / "new" / "v.csv", tmp_path / "other" / "deeper" / "r.csv"
    checked(run_audit(asnrules.load(GOLDEN / "rules"), str(GOLDEN / "attendance.csv"), out=out, rejects=rejects))
    assert out.read_text(encoding="utf-8") == (GOLDEN / "expected_violations.csv").read_text(encoding="utf-8")
    assert rejects.exists()


def test_cli_bad_file_is_one_line_and_status_2(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02garbage")
    proc = subprocess.run(
        [str(PYTHON), "-m", "asnrules", "audit", str(GOLDEN / "rules"), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "binary" in proc.stderr and "Traceback" not in proc.stderr


# ---- acceptance: the bundled rules on a generated sample, against a hand-written query ---------------

HAND_WRITTEN = """
WITH prov(name) AS (VALUES ('dki'), ('31'), ('id-jk'), ('dki jakarta'), ('jakarta')),
cat(name, grp) AS (VALUES
  ('admin', 'admin'), ('administration', 'admin'), ('leadership-support', 'admin'), ('administrasi', 'admin'),
  ('dukungan-pimpinan', 'admin'), ('administrasi-dan-dukungan', 'admin'),
  ('frontline', 'front'), ('layanan-langsung', 'front'), ('health', 'front'), ('kesehatan', 'front'),
  ('security', 'front'), ('keamanan', 'front'), ('disaster', 'front'), ('bencana', 'front'), ('energy', 'front'),
  ('energi', 'front'), ('logistics', 'front'), ('logistik', 'front'), ('post', 'front'), ('pos', 'front'),
  ('transport', 'front'), ('transportasi', 'front'), ('vital-objects', 'front'), ('objek-vital', 'front'),
  ('strategic-projects', 'front'), ('proyek-strategis', 'front'), ('construction', 'front'),
  ('konstruksi', 'front'), ('utilities', 'front'), ('utilitas', 'front')),
r AS (
  SELECT unit, TRY_CAST(date AS DATE) AS day, lower(region) IN (SELECT name FROM prov) AS dki, cat.grp,
    upper(mode) AS mode
  FROM read_parquet('{data}') JOIN cat ON cat.name = lower(category)
  WHERE unit <> '' AND upper(mode) IN ('WFO', 'WFH', 'WFA') AND TRY_CAST(date AS DATE) IS NOT NULL
),
u AS (
  SELECT unit, day, bool_and(dki) AS dki,
    count(*) FILTER (WHERE grp = 'admin') AS na, count(*) FILTER (WHERE grp = 'admin' AND mode = 'WFH') AS wfh,
    count(*) FILTER (WHERE grp = 'admin' AND mode = 'WFO') AS wfo,
    count(*) FILTER (WHERE grp = 'front') AS nf, count(*) FILTER (WHERE grp = 'front' AND mode = 'WFO') AS fwfo
  FROM r GROUP BY unit, day
)
SELECT unit, day FROM u
WHERE (dki AND day BETWEEN DATE '2023-08-28' AND DATE '2023-09-07'
       AND ((na > 0 AND (2 * wfh > na OR 2 * wfo < na)) OR (nf > 0 AND fwfo < nf)))
   OR (day BETWEEN DATE '2024-04-16' AND DATE '2024-04-17'
       AND ((na > 0 AND 2 * wfh > na) OR (nf > 0 AND fwfo < nf)))
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "attendance.parquet"
    generate(path, 60_000, seed=7, bad_rows=False)
    return path


def test_bundled_rules_agree_with_a_hand_written_query(sample: Path, tmp_path: Path) -> None:
    # The hand-written query covers SE 17/2023 and SE 1/2024; other circulars in rules/ are compared out.
    two = ("SE MenPANRB 17/2023", "SE MenPANRB 1/2024")
    assert set(two) <= {c.name for c in asnrules.load(RULES).circulars}
    out = tmp_path / "violations.parquet"
    proc = subprocess.run(
        [str(PYTHON), "-m", "asnrules", "audit", str(RULES), str(sample), "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["rows_read"] == summary["rows_audited"] + summary["rows_rejected"] == 60_000
    assert summary["rows_rejected"] == 0
    con = duckdb.connect()
    ours = set(con.execute(f"SELECT DISTINCT unit, date FROM read_parquet('{out}') WHERE circular IN {two}").fetchall())
    theirs = set(con.execute(HAND_WRITTEN.format(data=sample)).fetchall())
    assert ours == theirs
    assert summary["violating_unit_days"] == len(ours)
    assert 0.01 < len(ours) / summary["unit_days"] < 0.3  # a realistic share of violating unit-days


def test_generated_sample_has_the_promised_shape(sample: Path, tmp_path: Path) -> None:
    con = duckdb.connect()
    n, units, dki_units, provinces_seen, levels = (
        con.execute(f"""
        SELECT COUNT(*), COUNT(DISTINCT unit), COUNT(DISTINCT unit) FILTER (WHERE region IN ('DKI', '31', 'ID-JK',
        'DKI Jakarta')), COUNT(DISTINCT region), COUNT(DISTINCT level)
        FROM read_parquet('{sample}')""").fetchone()
        or ()
    )
    assert n == 60_000
    assert 30 <= n / 25 / units <= 50  # about 40 staff per unit over 25 working days
    assert 0.15 < dki_units / units < 0.35
    assert provinces_seen > 38 and levels == 2
    again = tmp_path / "again.parquet"
    generate(again, 60_000, seed=7, bad_rows=False)
    assert con.execute(
        f"SELECT COUNT(*) FROM (SELECT * FROM read_parquet('{sample}') EXCEPT ALL "
        f"SELECT * FROM read_parquet('{again}'))"
    ).fetchone() == (0,)
    with_bad = tmp_path / "bad.csv"
    generate(with_bad, 20_000, seed=3, bad_rows=True)
    report = checked(run_audit(asnrules.load(GOLDEN / "rules"), str(with_bad)))
    assert report.rows_read == 20_000 and 0 < report.rows_rejected < 100


def test_datagen_command_line(tmp_path: Path) -> None:
    out = tmp_path / "s.parquet"
    proc = subprocess.run(
        [str(PYTHON), "-m", "asnrules.datagen", "--rows", "1000", "--out", str(out), "--seed", "2"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert duckdb.connect().execute(f"SELECT COUNT(*) FROM read_parquet('{out}')").fetchone() == (1000,)


def test_datagen_unwritable_output_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    proc = subprocess.run(
        [str(PYTHON), "-m", "asnrules.datagen", "--rows", "10", "--out", str(blocker / "s.parquet")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"asnrules.datagen: error: cannot write the sample to {blocker / 's.parquet'}: " + (
        f"{blocker} is a file, not a folder"
    )


# ---- the printed SQL --------------------------------------------------------------------------------


def fetch_dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


@pytest.mark.parametrize("which", ["sample", "golden", "awkward"])
def test_printed_duckdb_sql_gives_the_same_answer_as_the_audit(sample: Path, tmp_path: Path, which: str) -> None:
    """Violations, rejected rows with their reasons and the accounting of the three printed statements."""
    rs = asnrules.load(RULES if which == "sample" else CASES / "audit" / which / "rules")
    data = str(sample) if which == "sample" else str(CASES / "audit" / which / "attendance.csv")
    rejects = tmp_path / "rejects.csv"
    report = checked(run_audit(rs, data, rejects=rejects))
    con = duckdb.connect()
    reader = f"read_parquet('{data}')" if which == "sample" else f"read_csv('{data}', all_varchar = TRUE)"
    con.execute(f"CREATE VIEW attendance AS SELECT * FROM {reader}")
    violations, rejected, accounting = (fetch_dicts(con, s) for s in compile_sql_statements(rs.model, "duckdb"))
    assert report.violations is not None
    assert violation_keys(violations) == violation_keys(report.violations)
    summary = {r["item"]: r["n"] for r in accounting}
    assert summary["rows read"] == summary["rows audited"] + summary["rows rejected"] == report.rows_read
    assert (summary["rows audited"], summary["unit-days audited"]) == (report.rows_audited, report.unit_days)
    assert {k: summary[k] for k in report.rejected_by_reason} == report.rejected_by_reason
    columns = ["employee", "unit", "date", "region", "category", "mode", "agency", "level"]
    theirs = Counter(tuple(r[c] or "" for c in [*columns, "reason"]) for r in read_csv_rows(rejects))
    assert Counter(tuple(str(r[c] or "") for c in [*columns, "reason"]) for r in rejected) == theirs


def test_the_audit_report_carries_the_fingerprint_and_the_version() -> None:
    rs = asnrules.load(GOLDEN / "rules")
    report = run_audit(rs, str(GOLDEN / "attendance.csv")).to_json()
    assert report["asnrules_version"] == asnrules.__version__
    assert report["fingerprint"] == getattr(rs, "fingerprint", "")


# ---- the DuckDB fast path (Inline) gives the plain query's unit-day table -----------------------------


def both_unit_day_tables(rs: RuleSet, reader: str) -> tuple[list[tuple[Any, ...]], ...]:
    """The unit-day table and the violations of the one pass with the lookups written in (Inline) and of
    the plain query that joins the value maps, on the same data, per (unit, day, reason)."""
    model = rs.model
    rel = relational(model)
    con = duckdb.connect()
    for macro in duckdb_macros():
        con.execute(macro)
    con.execute(f"CREATE VIEW attendance AS SELECT * FROM {reader}")
    described = con.execute("DESCRIBE SELECT * FROM attendance").fetchall()
    names, types = [str(r[0]) for r in described], [str(r[1]) for r in described]
    cols = attendance_columns(names, types)
    distinct, total = read_distinct(con.execute(distinct_sql(cols)).fetchall(), cols)
    out = []
    for inline in (True, False):
        maps, values = value_maps(model, rel, distinct, cols, total, unnest_table if inline else values_table)
        plan = Plan(model, rel, cols, maps, names, values if inline else None)
        con.execute(f"CREATE OR REPLACE TABLE ud AS {plan.unitday_sql()}")
        slots = [f"n{i}" for i in range(len(rel.slots_n))] + [f"k{i}" for i in range(len(rel.slots_k))]
        slots = [f"COALESCE(SUM({x}), 0)" for x in slots]  # NULL in the one pass where nothing is counted
        who = "MIN(province), MAX(province_hi), MIN(level), MAX(level_hi), MIN(agency_key), MAX(agency_key_hi)"
        out.append(
            con.execute(
                f"SELECT unit, day, reason, SUM(rows_read), CASE WHEN reason = 0 THEN [{who}, MIN(agency_ctx)] END"
                f"{''.join(', ' + x for x in slots)} FROM ud GROUP BY unit, day, reason ORDER BY ALL"
            ).fetchall()
        )
        violations = plan.violations_sql("ud")
        out.append(con.execute(f"SELECT * EXCLUDE (province_name) FROM ({violations}) ORDER BY ALL").fetchall())
    return out[0], out[2], out[1], out[3]


AWKWARD = CASES / "audit" / "awkward"


@pytest.mark.parametrize("date_type", ["VARCHAR", "DATE", "TIMESTAMP"])
def test_the_fast_path_gives_the_plain_query_s_unit_day_table(tmp_path: Path, date_type: str) -> None:
    """On awkward data: no-break spaces, time parts, cuti, pusat, dki_jakarta, mixed case, codes 31 and
    ID-JK, blanks around values, an unknown value of each column (tests/cases/audit/awkward)."""
    rs = asnrules.load(AWKWARD / "rules")
    data = AWKWARD / "attendance.csv"
    reader = f"read_csv('{data}', all_varchar = TRUE)"
    if date_type != "VARCHAR":  # typed dates as Parquet gives them (a time of day too: a bad date)
        path = tmp_path / "a.parquet"
        duckdb.connect().execute(
            f"COPY (SELECT * REPLACE (CASE WHEN employee = 'x08' THEN TIMESTAMP '2023-08-30 09:00' "
            f"ELSE TRY_CAST(TRIM(date) AS TIMESTAMP) END::{date_type} AS date) FROM {reader}) "
            f"TO '{path}' (FORMAT PARQUET)"
        )
        reader = f"read_parquet('{path}')"
    inline, plain, inline_violations, plain_violations = both_unit_day_tables(rs, reader)
    assert inline == plain
    assert inline_violations == plain_violations
    assert {r[2] for r in inline} >= {0, 1, 2, 3, 4, 5, 6, 7}  # every reason a row can show itself
    assert len(inline_violations) == 3


@pytest.mark.parametrize("dialect", DIALECTS)
def test_compile_sql_in_every_dialect(dialect: str) -> None:
    proc = subprocess.run(
        [str(PYTHON), "-m", "asnrules", "compile", str(GOLDEN / "rules"), "--target", "sql", "--dialect", dialect],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "asn_applicable" in proc.stdout and "attendance" in proc.stdout


def test_relational_form_resolves_overrides_per_agency() -> None:
    rel = relational(asnrules.load(GOLDEN / "rules").model)
    by_ctx: dict[tuple[str, str, str], set[int]] = {}
    for _, _, p, lv, ag, cid, days in rel.applicable:
        assert days == 0  # every day: no working-day rule
        by_ctx.setdefault((p, lv, ag), set()).add(cid)
    kemenkes = name_key("Kementerian Kesehatan")
    for lv in ("", "central", "regional"):
        assert by_ctx[("31", lv, kemenkes)] == {2}  # SE Uji 2 overrides SE Uji 1 where it speaks
        assert by_ctx[("31", lv, "")] == {0, 1}
    assert all(p == "31" for p, _, _ in by_ctx)


# ---- working days (LANGUAGE.md §9): the audit judges each unit-day as the interpreter -----------------


def dict_rows_as_lists(rows: list[dict[str, str]]) -> list[list[str]]:
    columns = ["employee", "unit", "date", "region", "category", "mode", "agency", "level"]
    return [[r[c] for c in columns] for r in rows]


@pytest.mark.parametrize("data", ["csv", "parquet-date", "parquet-text", "sql-maps"])
@pytest.mark.parametrize("seed", [None, 7])
def test_the_audit_judges_working_days_as_the_interpreter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: str, seed: int | None
) -> None:
    """Every day of eleven weeks in Bali, DKI and Aceh (weekends, the Idul Fitri block of 6-15 April
    2024, cuti bersama, a Saturday made a working day, a holiday of Bali) under working-day rules of
    every kind (tests/test_sql.py :data:`WORKDAY_RULES`): the audit on DuckDB (the lookups in the
    one pass; or the value maps in SQL: ``sql-maps``) gives the reference's violations, rejected rows
    and accounting (:func:`asnrules.semantics.audit_rows`). No working-day rule flags a Sunday."""
    from test_sql import WORKING_DAY_RULES, reference, row_key, violation_key, workday_rows, workday_rules

    rs = workday_rules()
    rows = workday_rows(seed)
    want = reference(rs, rows)
    if data == "sql-maps":
        monkeypatch.setattr(sys.modules["asnrules.audit"], "INLINE_LIMIT", -1)
    if data.startswith("parquet"):
        path = tmp_path / "a.parquet"
        if data == "parquet-date":
            write_parquet(path, dict_rows_as_lists(rows), "DATE")
        else:
            write_parquet_text(path, dict_rows_as_lists(rows))
    else:
        path = tmp_path / "a.csv"
        write_csv(path, dict_rows_as_lists(rows))
    rejects = tmp_path / "rejects.csv"
    report = checked(run_audit(rs, str(path), rejects=rejects))
    assert report.violations is not None and not report.truncated
    got = Counter(violation_key(v["unit"], v["date"], v) for v in report.violations)
    assert got == want[0]
    days = [dt.date.fromisoformat(str(v["date"])) for v in report.violations if v["rule"] in WORKING_DAY_RULES]
    assert days and all(d.isoweekday() != 7 for d in days)  # "a unit was flagged in an audit for a Sunday"
    if seed is None:  # each unit-day breaks every rule that applies: some on a working Saturday, none on Sunday
        assert dt.date(2024, 4, 20) in days
    assert (report.rows_read, report.rows_audited, report.unit_days) == (
        want[2]["rows read"],
        want[2]["rows audited"],
        want[2]["unit-days audited"],
    )
    assert report.rejected_by_reason == {k: want[2][k] for k in report.rejected_by_reason}
    if data != "parquet-date":  # a typed date column holds no bad text to compare
        assert Counter((*row_key(r), r["reason"]) for r in read_csv_rows(rejects)) == want[1]


def write_parquet_text(path: Path, rows: list[list[str]]) -> None:
    con = duckdb.connect()
    try:
        columns = ["employee", "unit", "date", "region", "category", "mode", "agency", "level"]
        con.execute(f"CREATE TABLE t ({', '.join(f'{c} VARCHAR' for c in columns)})")
        con.executemany(f"INSERT INTO t VALUES ({', '.join('?' for _ in columns)})", rows)
        con.execute(f"COPY t TO '{path}' (FORMAT PARQUET)")
    finally:
        con.close()


def test_the_fast_path_gives_the_plain_query_s_answer_with_working_days(tmp_path: Path) -> None:
    """The DuckDB pass with the lookups written in (the rule tables as lists) and the plain query (as
    VALUES): the same unit-day table and violations under working-day rules."""
    from test_sql import workday_rows, workday_rules

    path = tmp_path / "a.csv"
    write_csv(path, dict_rows_as_lists(workday_rows(3)))
    inline, plain, inline_violations, plain_violations = both_unit_day_tables(
        workday_rules(), f"read_csv('{path}', all_varchar = TRUE)"
    )
    assert inline == plain
    assert inline_violations == plain_violations and inline_violations
