"""The SQL of the audit reads values exactly as the runtime does, and the printed SQL
(``asnrules compile --target sql``) gives the same answer as the reference audit
(:func:`asnrules.semantics.audit_rows`) on every engine that can be started here:

- the placeholders of :mod:`asnrules.sql_dialects` (name keys, blanks, the day of a text) equal
  :mod:`asnrules.runtime` on awkward text (Hypothesis), on DuckDB and on PostgreSQL;
- the three printed statements (violations, rejected rows with their reasons, the accounting) on the
  awkward-spelling case (tests/cases/audit/awkward: no-break spaces, time parts, ``cuti``, ``pusat``,
  ``dki_jakarta``, mixed case, codes ``31`` and ``ID-JK``, blanks around values, an unknown value of
  each column) and the golden case, on DuckDB and on PostgreSQL (a throwaway cluster started from the
  Debian binaries when they are installed; skipped otherwise). Spark: tests/test_spark.py. Trino
  cannot be installed from the package registries: its output is checked for the functions it uses;
- the optional columns (``agency``, ``level``) may be absent for the printed SQL as for the audit.
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import io
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st

import asnrules
from asnrules import runtime
from asnrules.compile_sql import (
    DIALECTS,
    REASON_ORDER,
    REASONS,
    SUMMARY_ITEMS,
    compile_sql,
    compile_sql_statements,
    relational,
    sql_literal,
)
from asnrules.ruleset import RuleSet
from asnrules.semantics import audit_rows
from asnrules.sql_dialects import duckdb_macros, translate
from asnrules.sql_values import day_pattern
from conftest import CASES

AWKWARD = CASES / "audit" / "awkward"
GOLDEN = CASES / "audit" / "golden"
COLUMNS = ("employee", "unit", "date", "region", "category", "mode", "agency", "level")

# ---- the reference answer and the answer of the printed SQL -------------------------------------------

Answer = tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]], dict[str, int]]


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def case(name: str) -> tuple[RuleSet, list[dict[str, str]]]:
    root = CASES / "audit" / name
    return asnrules.load(root / "rules"), read_rows(root / "attendance.csv")


def violation_key(unit: object, day: object, v: dict[str, Any]) -> tuple[Any, ...]:
    return (
        str(unit),
        str(day),
        v["circular"],
        v["rule"],
        v["group"],
        v["mode"],
        v["comparison"],
        Decimal(str(v["bound"])),
        str(v["share"]),
        int(v["n"]),
        int(v["k"]),
    )


def row_key(row: dict[str, Any], columns: Sequence[str] = COLUMNS) -> tuple[str, ...]:
    """A row's values as text, NULL and the empty text alike (engines read an empty CSV field as either)."""
    return tuple("" if row.get(c) is None else str(row[c]) for c in columns)


def reference(rs: RuleSet, rows: list[dict[str, str]], columns: Sequence[str] = COLUMNS) -> Answer:
    """The answer of :func:`asnrules.semantics.audit_rows`: violations, rejected rows with their reason
    and the accounting, in the shapes :func:`printed_answer` gives."""
    given = [{c: r[c] for c in columns} for r in rows]
    a = audit_rows(rs.model, given)
    violations = Counter(
        violation_key(unit, day, {**v._asdict(), "bound": v.bound, "share": v.share}) for unit, day, v in a.violations
    )
    rejects = Counter((*row_key(given[i], columns), reason) for i, reason in a.rejects.items())
    accounting = a.accounting()
    assert list(accounting) == list(SUMMARY_ITEMS)
    return violations, rejects, accounting


def printed_answer(results: Sequence[list[dict[str, Any]]], columns: Sequence[str] = COLUMNS) -> Answer:
    """The answer of the three printed statements, from their rows (dicts by column name)."""
    violations, rejected, summary = results
    accounting = {str(r["item"]): int(r["n"]) for r in summary}
    assert list(accounting) == list(SUMMARY_ITEMS)
    assert accounting["rows read"] == accounting["rows audited"] + accounting["rows rejected"]
    assert accounting["rows rejected"] == sum(accounting[r] for r in REASONS.values())
    assert accounting["rows rejected"] == len(rejected)
    return (
        Counter(violation_key(r["unit"], r["date"], r) for r in violations),
        Counter((*row_key(r, columns), r["reason"]) for r in rejected),
        accounting,
    )


def run_on_duckdb(statements: Sequence[str], rows: list[dict[str, str]], columns: Sequence[str]) -> Answer:
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE attendance ({', '.join(f'{c} VARCHAR' for c in columns)})")
        con.executemany(
            f"INSERT INTO attendance VALUES ({', '.join('?' for _ in columns)})",
            [[r[c] for c in columns] for r in rows],
        )
        results = []
        for sql in statements:
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            results.append([dict(zip(names, row, strict=True)) for row in cur.fetchall()])
    finally:
        con.close()
    return printed_answer(results, columns)


# ---- the rules of meaning in SQL equal the runtime's ----------------------------------------------------

#: Characters where engines and Python disagree unless told exactly what to do.
AWKWARD_CHARS = (
    runtime.BLANKS
    + runtime.SEPARATORS
    + "aZzA09"
    + "\u2003\u2000\u200a\u200b\u205f\x1c\x1f\u0130\u0131\u00df\u01c5\u00c4\u00e9\u212a\uff21"
    + "'\\%.\U0001f600"
)
texts = st.text(alphabet=AWKWARD_CHARS, max_size=10)


def key_queries(dialect: str, table: str = "t") -> str:
    return translate(
        f"SELECT i, ASN_NAME_KEY(x) AS k, ASN_BLANK_COLLAPSE(x) AS c, ASN_IS_BLANK(x) AS b FROM {table} ORDER BY i",
        dialect,
    )


def day_query(dialect: str, table: str = "t") -> str:
    """The asn_day map of the printed SQL over the texts of ``table``."""
    from asnrules.compile_sql import Columns
    from asnrules.sql_values import sql_value_maps

    rel = relational(asnrules.loads('circular "X"\nnationwide: admin WFH <= 50%\n').model)
    maps = [m for m in sql_value_maps(rel, Columns(date="x"), source=table) if m.startswith("asn_day")]
    return translate("WITH " + ",\n".join(maps) + "\nSELECT raw, day, hint FROM asn_day", dialect)


def expected_day(text: str) -> dt.date | None:
    day = runtime.read_date(text)
    return None if isinstance(day, runtime.Reason) else day


@st.composite
def day_texts(draw: st.DrawFn) -> str:
    """Texts near a date: digits of any length, separators, time parts (midnight or not) and blanks."""
    blank = st.text(alphabet=runtime.BLANKS + "\u2003", max_size=2)
    year = draw(st.sampled_from(["2023", "2024", "1900", "2000", "0000", "0001", "9999", "202", "20234"]))
    month = draw(st.sampled_from(["01", "02", "04", "09", "11", "12", "00", "13", "1", "007"]))
    day = draw(st.sampled_from(["01", "28", "29", "30", "31", "00", "32", "9"]))
    time = draw(
        st.sampled_from(["", "T00:00", " 00:00:00", "T00:00:00.0", "T00:00:00.000000000", "T00:00:00.0000000000"])
        | st.sampled_from(["T00:01", "T00:00:01", "t00:00", "T00:00Z", "T00:00:00.", "  00:00", "T24:00", "T00"])
    )
    sep = draw(st.sampled_from(["-", "-", "-", "/", "\u2011"]))
    return draw(blank) + f"{year}{sep}{month}-{day}{time}" + draw(blank)


def test_the_reasons_are_the_runtime_s_in_the_order_the_sql_tries_them() -> None:
    assert REASONS is runtime.REJECTS
    # a row's own reasons first (bad hours, 11, among them), then those of its company
    assert REASON_ORDER == (*runtime.ROW_REASONS, *(n for n in runtime.REJECTS if n not in runtime.ROW_REASONS))
    assert sorted(REASON_ORDER) == sorted(runtime.REJECTS)
    rs = asnrules.load(GOLDEN / "rules")
    sql = compile_sql(rs.model)
    for reason in REASONS.values():  # each reason's words come from the table, once per statement
        assert sql.count(sql_literal(reason)) >= 1


def test_the_sql_day_pattern_is_the_runtime_s() -> None:
    assert re.compile(day_pattern()).pattern.replace("[.]", "\\.") == runtime._DAY.pattern
    assert "\\" not in day_pattern()


@settings(max_examples=150, deadline=None)
@given(st.lists(texts, min_size=1, max_size=30))
def test_names_and_blanks_in_duckdb_sql_are_the_runtime_s(values: list[str]) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, x VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    got = con.execute(key_queries("duckdb")).fetchall()
    for macro in duckdb_macros():  # and the macros the audit engine defines
        con.execute(macro)
    macros = con.execute(
        "SELECT i, asn_name_key(x), asn_blank_collapse(x), asn_is_blank(x) FROM t ORDER BY i"
    ).fetchall()
    want = [(i, runtime.name_key(x), runtime.blank_collapse(x), runtime.is_blank(x)) for i, x in enumerate(values)]
    assert got == want
    assert macros == want


@settings(max_examples=100, deadline=None)
@given(st.lists(day_texts() | texts, min_size=1, max_size=30))
def test_text_dates_in_duckdb_sql_are_read_as_the_runtime_reads_them(values: list[str]) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[v] for v in values])
    got = {raw: (day, hint) for raw, day, hint in con.execute(day_query("duckdb")).fetchall()}
    assert {v: got.get(v, (None, None)) for v in values} == {v: (expected_day(v), runtime.day_hint(v)) for v in values}


# ---- the printed SQL on DuckDB ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["awkward", "golden"])
def test_printed_sql_on_duckdb_gives_the_reference_answer(name: str) -> None:
    rs, rows = case(name)
    want = reference(rs, rows)
    got = run_on_duckdb(compile_sql_statements(rs.model, "duckdb"), rows, COLUMNS)
    assert got == want
    if name == "awkward":  # the case exercises every reason and some violations
        # every reason but bad hours (no hours column here: tests/test_windows_audit.py has them)
        assert all(want[2][reason] for reason in REASONS.values() if reason != runtime.BAD_HOURS) and want[0]


@pytest.mark.parametrize("absent", [("agency",), ("level",), ("agency", "level")])
def test_printed_sql_without_the_optional_columns(absent: tuple[str, ...]) -> None:
    rs, rows = case("awkward")
    columns = [c for c in COLUMNS if c not in absent]
    header = [c.upper() if c == "unit" else c for c in columns]  # matched case-insensitively
    got = run_on_duckdb(compile_sql_statements(rs.model, "duckdb", columns=header), rows, columns)
    assert got == reference(rs, rows, columns)


def test_printed_sql_with_a_typed_date_column() -> None:
    rs, rows = case("awkward")
    con = duckdb.connect()
    con.execute(f"CREATE TABLE raw ({', '.join(f'{c} VARCHAR' for c in COLUMNS)})")
    con.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [[r[c] for c in COLUMNS] for r in rows])
    for date_type, cast in (("date", "TRY_CAST(date AS DATE)"), ("timestamp", "TRY_CAST(date AS TIMESTAMP)")):
        con.execute(f"CREATE OR REPLACE TABLE attendance AS SELECT * REPLACE ({cast} AS date) FROM raw")
        summary = dict(con.execute(compile_sql_statements(rs.model, "duckdb", date_type=date_type)[2]).fetchall())
        nulls = (con.execute("SELECT COUNT(*) FROM attendance WHERE date IS NULL").fetchone() or (0,))[0]
        assert summary["rows read"] == summary["rows audited"] + summary["rows rejected"] == len(rows)
        assert summary["bad date"] >= nulls
    con.execute(
        "CREATE OR REPLACE TABLE attendance AS SELECT * REPLACE (TIMESTAMP '2023-08-30 09:00' AS date) FROM raw"
    )
    summary = dict(con.execute(compile_sql_statements(rs.model, "duckdb", date_type="timestamp")[2]).fetchall())
    assert summary["rows audited"] == 0  # a time of day other than midnight is a bad date (§13)


def test_a_missing_required_column_is_an_error() -> None:
    rs, _ = case("golden")
    with pytest.raises(asnrules.InputError) as info:
        compile_sql(rs.model, columns=["employee", "unit", "date"])
    assert info.value.code == "E322" and "region, category, mode" in info.value.message


# ---- every dialect: plain ASCII text, functions the engine has -------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
def test_printed_sql_is_plain_text_in_every_dialect(dialect: str) -> None:
    sql = compile_sql(asnrules.load(AWKWARD / "rules").model, dialect)
    assert all(" " <= ch <= "~" or ch == "\n" for ch in sql)  # no blank or letter an editor could change
    assert sql.count(";\n\n") == 2 and sql.endswith(";\n")  # three statements
    for name in ("ASN_", "TRY_CAST", "LOWER(", "REGEXP_MATCHES", "\\s"):
        assert name not in sql.replace("asn_", "")


#: The functions the Trino output may call (all in Trino's documentation: string, regexp, array,
#: lambda, conditional, aggregate and window functions).
TRINO_FUNCTIONS = {
    "CAST", "CHR", "COALESCE", "CONCAT", "COUNT", "DAY_OF_WEEK", "DENSE_RANK", "IF", "MAX", "MIN", "NULLIF",
    "REDUCE", "REGEXP_LIKE", "REGEXP_REPLACE", "ROW", "SEQUENCE", "SUBSTR", "SUM", "TRANSLATE", "TRIM",
}  # fmt: skip


@pytest.mark.parametrize("rules", ["awkward", "working days"])
def test_trino_output_uses_functions_trino_has(rules: str) -> None:
    rs = asnrules.load(AWKWARD / "rules") if rules == "awkward" else asnrules.loads(WORKDAY_RULES)
    sql = compile_sql(rs.model, "trino")
    assert ("DAY_OF_WEEK(" in sql) == (rules == "working days")
    body = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    for statement in body.split(";\n\n"):
        tree = sqlglot.parse_one(statement, read="trino")
        for call in tree.find_all(sqlglot.exp.RegexpReplace):  # Trino's takes 2 or 3 arguments, no flags
            assert {k for k, v in call.args.items() if v is not None} <= {"this", "expression", "replacement"}
        text = re.sub(r"'(?:[^']|'')*'", "''", statement)  # literals out
        text = re.sub(r"\bAS\s+\w+\(", "AS (", text)  # a table alias with its columns is no call
        names = {m.upper() for m in re.findall(r"\b([A-Za-z_]+)\(", text)}
        assert names <= TRINO_FUNCTIONS, names - TRINO_FUNCTIONS


# ---- PostgreSQL: a throwaway cluster from the Debian binaries --------------------------------------------


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def postgres() -> Iterator[Callable[[str], list[dict[str, str]]]]:
    """``run(sql)``: the rows of one statement on a fresh PostgreSQL server (UTF-8, a date style that
    is not ISO); skipped when the binaries are missing (``apt-get install postgresql``)."""
    initdb, pg_ctl, psql = _pg_bin("initdb"), _pg_bin("pg_ctl"), _pg_bin("psql")
    if not (initdb and pg_ctl and psql):
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        if shutil.which("runuser") is None or subprocess.run(["id", "postgres"], capture_output=True).returncode:
            pytest.skip("running PostgreSQL as root needs the postgres user and runuser")
        as_user = ["runuser", "-u", "postgres", "--"]
    root = Path(tempfile.mkdtemp(prefix="asnrules-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if as_user:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    try:
        subprocess.run(
            [*as_user, initdb, "-D", str(data), "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust", "-U", "postgres"],
            check=True,
            capture_output=True,
        )
        options = f"-c listen_addresses='' -k {sockets} -p {port} -c fsync=off"
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"],
            check=True,
            capture_output=True,
            timeout=60,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"cannot start PostgreSQL here: {e}")

    def run(sql: str) -> list[dict[str, str]]:
        env = {**os.environ, "PGOPTIONS": "-c DateStyle=SQL,DMY -c client_encoding=UTF8"}
        connect = ["-h", str(sockets), "-p", str(port), "-U", "postgres", "-d", "postgres"]
        proc = subprocess.run(  # bytes: text mode would turn a \r inside a value into \n
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--csv", *connect],
            input=sql.encode("utf-8"),
            capture_output=True,
            env=env,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
        out = proc.stdout.decode("utf-8")
        return list(csv.DictReader(io.StringIO(out, newline=""))) if out.strip() else []

    try:
        yield run
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def _pg_table(name: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Statements that make the table ``name`` (columns of text, or ``i`` a whole number) with ``rows``."""
    values = ", ".join("(" + ", ".join(sql_literal(v) for v in row) + ")" for row in rows)
    typed = ", ".join(f"{c} {'INTEGER' if c == 'i' else 'TEXT'}" for c in columns)
    return f"DROP TABLE IF EXISTS {name}; CREATE TABLE {name} ({typed});\n" + (
        f"INSERT INTO {name} VALUES {values};\n" if rows else ""
    )


def some_day_texts(n: int, seed: int) -> list[str]:
    """``n`` texts near a date, drawn like :func:`day_texts` (outside a Hypothesis test)."""
    import random

    rnd = random.Random(seed)
    pieces = [
        ["", " ", "\t", "\u00a0", "\u2003"],
        ["2023", "2024", "1900", "2000", "0000", "0001", "9999", "202", "20234"],
        ["-", "-", "/", "\u2011"],
        ["01", "02", "04", "09", "11", "12", "00", "13", "1", "007"],
        ["-"],
        ["01", "28", "29", "30", "31", "00", "32", "9"],
        ["", "T00:00", " 00:00:00", "T00:00:00.0", "T00:00:00.000000000", "T00:00:00.0000000000", "T00:01", "T00"],
        ["", " ", "\u3000", "\u2003"],
    ]
    return ["".join(rnd.choice(p) for p in pieces) for _ in range(n)]


def test_names_blanks_and_dates_in_postgres_sql_are_the_runtime_s(
    postgres: Callable[[str], list[dict[str, str]]],
) -> None:
    import random

    rnd = random.Random(8)
    values = ["".join(rnd.choice(AWKWARD_CHARS) for _ in range(rnd.randint(0, 8))) for _ in range(400)]
    got = postgres(_pg_table("t", ["i", "x"], list(enumerate(values))) + key_queries("postgres") + ";")
    assert [(r["k"], r["c"], r["b"]) for r in got] == [
        (runtime.name_key(x), runtime.blank_collapse(x), "t" if runtime.is_blank(x) else "f") for x in values
    ]
    dates = [*some_day_texts(300, 8), "2023-08-30", "2024-02-29", "2023-02-29", " 2023-08-30T00:00 "]
    read = {
        r["raw"]: (r["day"] or None, r["hint"] or None)
        for r in postgres(_pg_table("t", ["x"], [(d,) for d in dates]) + day_query("postgres") + ";")
    }

    def shown(e: dt.date | None) -> str | None:  # psql prints a date in the session's style (here SQL, DMY)
        return None if e is None else f"{e.day:02d}/{e.month:02d}/{e.year:04d}"

    assert {d: read.get(d, (None, None)) for d in dates} == {
        d: (shown(expected_day(d)), shown(runtime.day_hint(d))) for d in dates
    }


@pytest.mark.parametrize("name", ["awkward", "golden"])
def test_printed_sql_on_postgres_gives_the_reference_answer(
    postgres: Callable[[str], list[dict[str, str]]], name: str
) -> None:
    rs, rows = case(name)
    load = _pg_table("attendance", COLUMNS, [[r[c] for c in COLUMNS] for r in rows])
    violations, rejects, summary = compile_sql_statements(rs.model, "postgres")
    results = [postgres(load + s + ";") for s in (violations, rejects, summary)]
    for r in results[0]:  # psql writes dates in the session's date style (DMY here)
        r["date"] = dt.datetime.strptime(r["date"], "%d/%m/%Y").date().isoformat()
    assert printed_answer(results) == reference(rs, rows)


# ---- the applicability table is the plan's -----------------------------------------------------------------


@pytest.mark.parametrize("rules", [AWKWARD / "rules", GOLDEN / "rules", CASES.parent.parent / "rules", None])
def test_the_applicability_table_is_what_the_semantics_says(rules: Path | None) -> None:
    """Every day around the rules' dates, every province, every (level, agency) context a rule names:
    the constraints of ``asn_applicable`` are those of :func:`asnrules.semantics.applicable`, a row
    for working days (``days`` 1) only on a working day of its province and one for non-working days
    (2) only on the others. ``None``: :data:`WORKDAY_RULES`, on every day of :data:`WORKDAY_DAYS` too."""
    from asnrules.applicability import applicability, contexts_of
    from asnrules.prelude import provinces
    from asnrules.semantics import applicable

    model = (asnrules.load(rules) if rules is not None else workday_rules()).model
    rel = relational(model)
    edges = {d for r in model.rules for p in r.periods for d in (p.start, p.end) if d is not None}
    edges |= {d for run in applicability(model) for d in (run.first, run.last) if d is not None}
    days = sorted({d + dt.timedelta(days=k) for d in edges for k in (-1, 0, 1)}) or [dt.date(2023, 8, 30)]
    if rules is None:
        days = sorted({*days, *WORKDAY_DAYS})
    for day in days:
        for p in provinces():
            kind = 1 if model.workdays.is_working_day(day, p.code) else 2
            for level, agency in contexts_of(model):
                want = {c.id for c in applicable(model, day, p.code, level, agency)}
                got = {
                    cid
                    for first, last, code, lv, ag, cid, on in rel.applicable
                    if first <= day <= last
                    and code == p.code
                    and lv == (level or "")
                    and ag == (agency or "")
                    and on in (0, kind)
                }
                assert got == want, (day, p.code, level, agency)


# ---- working days (LANGUAGE.md §9): the calendar in SQL, and the audit on every day of a few months -------

#: Working-day rules of every kind: a window counted from Idul Fitri 2024 (16-17 April: its block is 6-15
#: April), a dated stretch and an unbounded one, a provincial holiday (Monday 20 May in Bali), a Saturday
#: made a working day (20 April), and an override of one rule by a rule that is not a working-day rule.
WORKDAY_RULES = """circular "SE 1/2024"
rule wfh on the first 2 working days after "Idul Fitri" 2024: admin WFH <= 50%
rule wfo on working days from 2024-04-01 until 2024-05-31: frontline WFO = 100%
rule all on working days: all WFA <= 10%
holiday 2024-05-20 "Libur daerah" in Bali
working day 2024-04-20 "Sabtu masuk"
circular "SE Bali"
  overrides rule wfh of "SE 1/2024"
rule bali on 2024-04-16, 2024-04-17 in Bali: admin WFH <= 70%
"""
#: Every day from Monday 25 March to Sunday 9 June 2024: weekends, the Idul Fitri block, the cuti bersama
#: (8, 9, 12, 15 April; 10 May), the Saturday made a working day and the Balinese holiday.
WORKDAY_DAYS = [dt.date(2024, 3, 25) + dt.timedelta(days=i) for i in range(77)]
WORKDAY_REGIONS = {"51": ["Bali", "ID-BA"], "31": ["DKI", "31"], "11": ["Aceh"]}
WORKING_DAY_RULES = ("wfh", "wfo", "all")


def workday_rules() -> RuleSet:
    rs = asnrules.loads(WORKDAY_RULES)
    assert [r.working_days for r in rs.model.rules] == [True, True, True, False]
    return rs


def workday_rows(seed: int | None = None, days: Sequence[dt.date] = WORKDAY_DAYS) -> list[dict[str, str]]:
    """Attendance on every day of ``days`` for a unit in each of Bali, DKI and Aceh. ``seed`` ``None``: on
    each day each unit breaks every rule (admin 4 of 6 WFH: above 50%, within 70%; frontline 1 of 2
    WFO; 1 of 9 WFA: above 10%), so that exactly where a rule applies it is broken; else random modes
    and a few bad rows (another region, an unknown mode, a duplicate)."""
    import random

    rnd = random.Random(seed)
    rows: list[dict[str, str]] = []
    for code, spellings in WORKDAY_REGIONS.items():
        for day in days:
            staff = [("admin", m) for m in ["WFH"] * 4 + ["WFO"] * 2] + [("frontline", "WFO"), ("frontline", "WFA")]
            staff.append(("health", "WFO"))
            if seed is not None:
                staff = [(c, rnd.choice(["WFO", "WFO", "WFH", "WFA", "LEAVE", "cuti"])) for c, _ in staff]
                staff = staff[: rnd.randint(1, len(staff))]
            for e, (category, mode) in enumerate(staff):
                row = {
                    "employee": f"e{code}-{e}",
                    "unit": f"U{code}",
                    "date": day.isoformat(),
                    "region": rnd.choice(spellings),
                    "category": category,
                    "mode": mode,
                    "agency": "",
                    "level": "",
                }
                flaw = rnd.random() if seed is not None else 1.0
                if flaw < 0.01:
                    row["region"] = "Jabar"  # the unit-day disagrees on its province
                elif flaw < 0.02:
                    row["mode"] = "REMOTE"
                elif flaw < 0.03:
                    rows.append(dict(row))  # a duplicate record
                rows.append(row)
    return rows


def calendar_query(rel: Any, dialect: str, table: str = "t") -> str:
    """How the audit's SQL sees the days of ``table(day, province)``: ``(day, province, days)``, ``days``
    1 for a working day in the province, 2 for a non-working day (``asn_day_kind`` of the audit)."""
    from asnrules.compile_sql import applicable_table, calendar_table, day_applicable, values_table

    sql = (
        f"WITH {applicable_table(rel, values_table)},\n{calendar_table(rel, values_table)},\n"
        f"asn_situation AS (SELECT day, province FROM {table}),\n{day_applicable(rel)}\n"
        "SELECT day, province, days FROM asn_day_kind ORDER BY day, province"
    )
    return translate(sql, dialect)


def calendar_days() -> list[tuple[dt.date, int]]:
    """Every day of 2023 and 2024 and a week outside the calendar's years, in five provinces."""
    days = [dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(731)]
    days += [dt.date(2101, 1, 1) + dt.timedelta(days=i) for i in range(7)]
    return [(d, p) for d in days for p in (11, 31, 32, 51, 94)]


def expected_calendar(rs: RuleSet, days: Sequence[tuple[dt.date, int]]) -> list[tuple[dt.date, int, int]]:
    return [(d, p, 1 if rs.model.workdays.is_working_day(d, str(p)) else 2) for d, p in days]


def test_the_working_days_in_sql_are_the_calendar_s() -> None:
    """Every day of two years (and a week the calendar has no holidays for) in five provinces: the SQL
    of the audit (the calendar table and the weekday) decides as
    :meth:`asnrules.workdays.Calendar.is_working_day`, on DuckDB through the dialect layer and with the
    engine's macros."""
    rs = workday_rules()
    rel = relational(rs.model)
    assert rel.calendar is not None and rel.calendar_years == (1946, 2100)  # "all": every working day
    days = calendar_days()
    want = expected_calendar(rs, days)
    assert {k for _, _, k in want} == {1, 2}
    con = duckdb.connect()
    con.execute("CREATE TABLE t (day DATE, province INTEGER)")
    con.executemany("INSERT INTO t VALUES (?, ?)", days)
    assert con.execute(calendar_query(rel, "duckdb")).fetchall() == want
    for macro in duckdb_macros():
        con.execute(macro)
    untranslated = calendar_query(rel, "duckdb").replace("ISODOW(", "asn_iso_weekday(")
    assert con.execute(untranslated).fetchall() == want


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_weekday_is_the_iso_weekday_in_every_dialect(dialect: str) -> None:
    """``ASN_ISO_WEEKDAY`` is ``date.isoweekday`` (DuckDB and Spark number weekdays differently)."""
    sql = translate("SELECT ASN_ISO_WEEKDAY(DATE '2024-04-21') AS w", dialect)
    spelled = {"duckdb": "ISODOW(", "spark": "WEEKDAY(", "postgres": "ISODOW FROM", "trino": "DAY_OF_WEEK("}
    assert spelled[dialect] in sql
    if dialect == "duckdb":
        con = duckdb.connect()
        week = [dt.date(2024, 4, 15) + dt.timedelta(days=i) for i in range(7)]
        got = [con.execute(translate(f"SELECT ASN_ISO_WEEKDAY({sql_literal(d)})", dialect)).fetchone() for d in week]
        assert got == [(d.isoweekday(),) for d in week]


def test_a_rule_set_without_working_days_has_no_calendar() -> None:
    rs, _ = case("golden")
    rel = relational(rs.model)
    assert rel.calendar is None and {days for *_, days in rel.applicable} == {0}
    sql = compile_sql(rs.model)
    assert "asn_calendar" not in sql and "days" not in sql.split("asn_applicable", 2)[1].split(")", 1)[0]
    assert "Working days" not in sql


def test_the_printed_sql_comments_the_calendar() -> None:
    sql = compile_sql(workday_rules().model)
    assert "asn_calendar (" in sql.split("WITH", 1)[0]  # the header says what it is
    assert "/* asn_calendar: the days of 1946-2100 the weekday does not decide; province 0: the whole" in sql
    assert "/* asn_applicable.days: 0 every day, 1 the working days of the province, 2 its other days" in sql
    assert "DATE '2024-04-20', 0, 1" in sql.replace("CAST('2024-04-20' AS DATE)", "DATE '2024-04-20'")


def workday_answer(rows: list[dict[str, str]]) -> Answer:
    rs = workday_rules()
    want = reference(rs, rows)
    assert run_on_duckdb(compile_sql_statements(rs.model, "duckdb"), rows, COLUMNS) == want
    return want


def test_printed_sql_judges_working_days_as_the_interpreter() -> None:
    """Every day of eleven weeks, each unit-day breaking every rule: a rule is broken exactly where it
    applies. The printed SQL equals the reference on every unit-day; and what the reference says is
    what the rules mean (no working-day rule on a Sunday, in the Idul Fitri block or on a holiday of
    Bali in Bali; the Saturday made a working day is one; SE Bali overrides wfh in Bali only)."""
    rows = workday_rows()
    want = workday_answer(rows)
    flagged: dict[tuple[str, str], set[str]] = {}
    for unit, day, *_ in want[0]:
        flagged.setdefault((unit, day), set())
    for key in want[0]:
        flagged[(key[0], key[1])].add(key[3])
    calendar = workday_rules().model.workdays
    for code in WORKDAY_REGIONS:
        for day in WORKDAY_DAYS:
            rules = flagged.get((f"U{code}", day.isoformat()), set())
            working = calendar.is_working_day(day, code)
            if day.isoweekday() == 7 or dt.date(2024, 4, 6) <= day <= dt.date(2024, 4, 15):
                assert not working and not rules, (code, day)  # "flagged in an audit for a Sunday"
            expected = {"all"} if working else set()
            if working and day <= dt.date(2024, 5, 31) and day >= dt.date(2024, 4, 1):
                expected.add("wfo")
            if day in (dt.date(2024, 4, 16), dt.date(2024, 4, 17)) and code != "51":
                expected.add("wfh")
            assert rules == expected, (code, day)
    assert flagged[("U51", "2024-04-20")] == {"all", "wfo"}  # Saturday, a working day
    assert ("U51", "2024-05-20") not in flagged and flagged[("U31", "2024-05-20")] == {"all", "wfo"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_printed_sql_judges_random_days_as_the_interpreter(seed: int) -> None:
    rows = workday_rows(seed)
    want = workday_answer(rows)
    assert want[0] and want[1]  # some violations, some rejected rows


@pytest.mark.parametrize("name", ["workdays", "workdays-random"])
def test_printed_sql_on_postgres_judges_working_days_as_the_interpreter(
    postgres: Callable[[str], list[dict[str, str]]], name: str
) -> None:
    rs = workday_rules()
    rows = workday_rows(None if name == "workdays" else 5)
    load = _pg_table("attendance", COLUMNS, [[r[c] for c in COLUMNS] for r in rows])
    violations, rejects, summary = compile_sql_statements(rs.model, "postgres")
    results = [postgres(load + s + ";") for s in (violations, rejects, summary)]
    for r in results[0]:
        r["date"] = dt.datetime.strptime(r["date"], "%d/%m/%Y").date().isoformat()
    assert printed_answer(results) == reference(rs, rows)


def test_the_working_days_in_postgres_sql_are_the_calendar_s(
    postgres: Callable[[str], list[dict[str, str]]],
) -> None:
    rs = workday_rules()
    rel = relational(rs.model)
    days = calendar_days()[::3]
    load = _pg_table("t0", ["day", "province"], [(d.isoformat(), str(p)) for d, p in days])
    load += (
        "DROP TABLE IF EXISTS t; "
        "CREATE TABLE t AS SELECT CAST(day AS DATE) AS day, CAST(province AS INTEGER) AS province FROM t0;\n"
    )
    got = [
        (dt.datetime.strptime(r["day"], "%d/%m/%Y").date(), int(r["province"]), int(r["days"]))
        for r in postgres(load + calendar_query(rel, "postgres") + ";")
    ]
    assert got == expected_calendar(rs, days)


def test_working_days_outside_the_calendar_s_years_are_weekdays() -> None:
    """A working-day rule of 1900 (before the calendar's first year): an empty calendar table, and the
    weekday alone decides, as the calendar does."""
    rs = asnrules.loads(
        'circular "Lama"\nrule lama on working days between 1900-01-01 and 1900-01-31: admin WFH <= 50%\n'
    )
    rel = relational(rs.model)
    assert rel.calendar == () and {days for *_, days in rel.applicable} == {1}
    days = [dt.date(1900, 1, 1) + dt.timedelta(days=i) for i in range(14)]
    rows = workday_rows(None, days)
    want = reference(rs, rows)
    assert run_on_duckdb(compile_sql_statements(rs.model, "duckdb"), rows, COLUMNS) == want
    assert {day for _, day, *_ in want[0]} == {d.isoformat() for d in days if d.isoweekday() < 6}
