"""One conformance corpus, every backend (issue 8): the same questions asked of the reference
interpreter, the in-process compiled engine, the standalone module (imported by a Python that cannot
import lark or asnrules), the printed SQL run on DuckDB, the audit on DuckDB (CSV and Parquet) and the
audit on Spark. (The printed SQL is also run on PostgreSQL and Spark in tests/test_sql.py and
tests/test_spark.py.)
The interpreter's answer (:func:`asnrules.semantics.audit_rows` for rows, :func:`evaluate` for
situations) is the truth; every other answer must equal it: outcomes, violations, rejects and reasons.

Each case under ``tests/cases/conformance/<case>/`` holds ``rules.asnr`` (with the drafter's examples:
the expected outcomes), ``rows.csv`` (attendance rows in awkward but plausible spellings; every value
a text, ``row`` numbers them) and ``expected.json`` (the interpreter's answer, reviewed:
``ASNRULES_UPDATE_GOLDEN=1`` rewrites it).

Two kinds of question:

- *rows*: the whole table audited — violations per unit-day, rejected rows with their reasons, rows
  read (audits and printed SQL);
- *situations*: each unit-day the reference judged, asked as one ``evaluate(...)`` call with the raw
  spellings of its rows (the backend's own readers must understand them), and each row the reference
  rejected for a bad value, asked alone (the backend must refuse it with the same error code); and the
  examples of the rule file (evaluators).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, assume, given, settings

import asnrules
import strategies
from asnrules import runtime
from asnrules.audit import run_audit
from asnrules.compile_py import compile_module
from asnrules.compile_sql import compile_sql_statements
from asnrules.semantics import AuditAnswer, Row, audit_rows, read_row
from conftest import CASES
from strategies import AttendanceCase, RuleSetCase, rule_sets_with_attendance

CORPUS = CASES / "conformance"
CASE_NAMES = sorted(p.name for p in CORPUS.iterdir() if (p / "rules.asnr").exists())
UPDATE = os.environ.get("ASNRULES_UPDATE_GOLDEN") == "1"
COLUMNS = ("row", "employee", "unit", "date", "region", "category", "mode", "level", "agency")
#: The optional columns a case's rows.csv may add (LANGUAGE.md §13: hours for §12).
HOURS = ("hours", "overtime")


def columns_of(rows: Sequence[Mapping[str, str]]) -> tuple[str, ...]:
    """The columns of a table of rows: :data:`COLUMNS`, and the columns of hours when the rows have them."""
    return COLUMNS + tuple(h for h in HOURS if rows and h in rows[0])


#: The error code an evaluator gives for a value the audit rejects with this reason.
CODE_OF_REASON = {
    runtime.REJECTS[3]: "E310",
    runtime.REJECTS[4]: "E311",
    runtime.REJECTS[5]: "E313",
    runtime.REJECTS[6]: "E313",
    runtime.REJECTS[7]: "E312",
}

Violation = tuple[str, str, str, str, str, str, str, str, str, int, int]


# ---- the corpus -----------------------------------------------------------------------------------


class Case:
    def __init__(self, name: str) -> None:
        self.name = name
        self.folder = CORPUS / name
        self.rules = asnrules.load(self.folder / "rules.asnr")
        with (self.folder / "rows.csv").open(newline="", encoding="utf-8") as f:
            self.rows: list[dict[str, str]] = list(csv.DictReader(f))
        self.reference: AuditAnswer = audit_rows(self.rules.model, self.rows)

    def raw(self, row: Mapping[str, str], column: str) -> str | None:
        value = row.get(column)
        return None if value == "" and column in ("level", "agency") else value


_CASES: dict[str, Case] = {}


def case(name: str) -> Case:
    if name not in _CASES:
        _CASES[name] = Case(name)
    return _CASES[name]


def violation_key(unit: str, day: str, v: Any) -> Violation:
    return (unit, day, v.circular, v.rule, v.group, v.mode, v.comparison, str(v.bound), str(v.share), v.n, v.k)


#: The variant of the rows question (LANGUAGE.md §13): only complete unit-days, and a mode mapped.
VARIANT: dict[str, Any] = {"complete_only": True, "modes": {"DL": "WFO"}}


def accounting_of(ref: AuditAnswer) -> dict[str, int]:
    """The reference's accounting (compile_sql.SUMMARY_ITEMS), as the audits and the printed SQL report it."""
    return ref.accounting()


def answer_of_reference(rows: Sequence[Mapping[str, str]], ref: AuditAnswer) -> dict[str, Any]:
    return {
        "violations": sorted(violation_key(u, d.isoformat(), v) for u, d, v in ref.violations),
        "flags": {f"{u}|{d.isoformat()}": ref.incomplete.get((u, d), 0) for u, d, _ in ref.violations},
        "rejects": {int(rows[i]["row"]): reason for i, reason in ref.rejects.items()},
        "rows_read": ref.rows_read,
        "accounting": accounting_of(ref),
    }


def rows_answer(c: Case) -> dict[str, Any]:
    """The reference answer to the rows question (and to its :data:`VARIANT`), as plain values."""
    answer = answer_of_reference(c.rows, c.reference)
    answer["variant"] = answer_of_reference(c.rows, audit_rows(c.rules.model, c.rows, **VARIANT))
    return answer


# ---- situations: what each evaluator is asked ------------------------------------------------------


def situation_questions(c: Case) -> list[dict[str, Any]]:
    """Each judged unit-day with the raw spellings of its rows; each row rejected for a value, alone;
    each example of the rule file."""
    usable: dict[tuple[str, dt.date], list[dict[str, str]]] = {}
    for i, row in enumerate(c.rows):
        if i in c.reference.rejects:
            continue
        r = read_row(c.rules.model, row)
        assert isinstance(r, Row)
        usable.setdefault((r.unit, r.day), []).append(row)
    questions: list[dict[str, Any]] = []
    for (unit, day), rows in sorted(usable.items(), key=lambda x: (x[0][1], x[0][0])):
        counts: dict[str, dict[str, int]] = {}
        for row in rows:
            modes = counts.setdefault(row["category"], {})
            modes[row["mode"]] = modes.get(row["mode"], 0) + 1
        first = rows[0]
        questions.append(
            {
                "id": f"{unit}|{day.isoformat()}",
                "args": [first["date"], first["region"], counts, c.raw(first, "level"), c.raw(first, "agency")],
            }
        )
    for i, reason in c.reference.rejects.items():
        if reason in CODE_OF_REASON:
            row = c.rows[i]
            args = [row["date"], row["region"], {row["category"]: {row["mode"]: 1}}, c.raw(row, "level"), None]
            questions.append({"id": f"row {row['row']}", "args": args})
    for n, ex in enumerate(e.example for e in c.rules.run_examples()):
        counts = {cat: dict(modes) for cat, modes in ex.count_map().items()}
        questions.append(
            {"id": f"example {n}", "args": [ex.date.isoformat(), ex.province, counts, ex.level, ex.agency_name]}
        )
    return questions


def situation_answers_of_reference(c: Case) -> dict[str, Any]:
    """What every evaluator must answer: per unit-day its outcome and violations; per rejected row the
    error code of its reason; per example its expected outcome (and violations by the interpreter)."""
    by_unitday: dict[str, list[Violation]] = {}
    for u, d, v in c.reference.violations:
        by_unitday.setdefault(f"{u}|{d.isoformat()}", []).append(violation_key(u, d.isoformat(), v))
    out: dict[str, Any] = {}
    for q in situation_questions(c):
        qid = q["id"]
        if qid.startswith("row "):
            i = next(j for j, r in enumerate(c.rows) if f"row {r['row']}" == qid)
            out[qid] = {"error": CODE_OF_REASON[c.reference.rejects[i]]}
        elif qid.startswith("example "):
            r = c.rules.evaluate(*q["args"], engine="interpreter")
            ex = c.rules.run_examples()[int(qid.split()[1])].example
            assert r.outcome == ex.outcome, f"{c.name}: {qid} is {r.outcome}, the file expects {ex.outcome}"
            out[qid] = {"outcome": r.outcome, "violations": [list(violation_key("", "", v)) for v in r.violations]}
        else:
            unit, day = qid.split("|")
            found = by_unitday.get(qid, [])
            r = c.rules.evaluate(*q["args"], engine="interpreter")
            out[qid] = {
                "outcome": r.outcome,
                "violations": [list(violation_key("", "", v)) for v in r.violations],
            }
            assert [violation_key(unit, day, v) for v in r.violations] == found
    return out


def answer_in_process(rules: asnrules.RuleSet, engine: str, questions: Sequence[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in questions:
        try:
            r = rules.evaluate(*q["args"], engine=engine)
        except asnrules.InputError as e:
            out[q["id"]] = {"error": e.code}
            continue
        out[q["id"]] = {"outcome": r.outcome, "violations": [list(violation_key("", "", v)) for v in r.violations]}
    return out


_DRIVER = textwrap.dedent("""\
    import json, sys
    sys.path.insert(0, sys.argv[1])
    for name in ("lark", "asnrules"):
        try:
            __import__(name)
        except ImportError:
            pass
        else:
            raise SystemExit(f"{name} must not be importable here")
    import policy
    out = {}
    for q in json.load(sys.stdin):
        try:
            d = policy.evaluate(*q["args"])
        except policy.InputError as e:
            out[q["id"]] = {"error": e.code}
            continue
        out[q["id"]] = {
            "outcome": d.outcome,
            "violations": [["", "", v.circular, v.rule, v.group, v.mode, v.comparison, str(v.bound),
                            str(v.share), v.n, v.k] for v in d.violations],
        }
    json.dump(out, sys.stdout)
    """)


def answer_standalone(rules: asnrules.RuleSet, questions: Sequence[dict[str, Any]], folder: Path) -> dict[str, Any]:
    """The standalone module, run by a Python without site-packages (no lark, no asnrules)."""
    (folder / "policy.py").write_text(compile_module(rules.model), encoding="utf-8")
    (folder / "driver.py").write_text(_DRIVER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-I", "-S", str(folder / "driver.py"), str(folder)],
        input=json.dumps(questions),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


# ---- rows: what each audit is asked -----------------------------------------------------------------


def write_parquet(c: Case, path: Path) -> None:
    """The rows as a Parquet file whose every column is text (as exported by most systems)."""
    write_text_parquet(c.rows, path)


def write_text_parquet(rows: Sequence[Mapping[str, str]], path: Path) -> None:
    con = duckdb.connect()
    try:
        names = columns_of(rows)
        cols = ", ".join(f'"{k}" VARCHAR' for k in names)
        con.execute(f"CREATE TABLE attendance ({cols})")
        con.executemany(
            f"INSERT INTO attendance VALUES ({', '.join('?' for _ in names)})",
            [[None if r[k] == "" else r[k] for k in names] for r in rows],
        )
        con.execute(f"COPY attendance TO '{path}' (FORMAT parquet)")
    finally:
        con.close()


def read_audit_outputs(out: Path, rejects: Path) -> tuple[list[Violation], dict[str, int], dict[int, str]]:
    with out.open(newline="", encoding="utf-8") as f:
        read = list(csv.DictReader(f))
    found = [
        (
            r["unit"],
            r["date"],
            r["circular"],
            r["rule"],
            r["group"],
            r["mode"],
            r["comparison"],
            r["bound"],
            r["share"],
            int(r["n"]),
            int(r["k"]),
        )
        for r in read
    ]
    flags = {f"{r['unit']}|{r['date']}": int(r["rows_rejected"]) for r in read}
    refused: dict[int, str] = {}
    if rejects.exists():
        with rejects.open(newline="", encoding="utf-8") as f:
            refused = {int(r["row"]): r["reason"] for r in csv.DictReader(f)}
    return sorted(found), flags, refused


def answer_audit(c: Case, engine: str, data: Path, folder: Path) -> dict[str, Any]:
    answer = answer_audit_of(c.rules, data, folder, engine)
    answer["variant"] = answer_audit_of(c.rules, data, folder, engine, **VARIANT)
    return answer


def report_accounting(report: Any) -> dict[str, int]:
    """The accounting of an audit's report, item by item (as :meth:`AuditAnswer.accounting`)."""
    return {
        "rows read": report.rows_read,
        "rows audited": report.rows_audited,
        "rows rejected": report.rows_rejected,
        **report.rejected_by_reason,
        "rejected rows with no unit-day": report.unplaced_rejects,
        "unit-days audited": report.unit_days,
        "unit-days compliant": report.compliant_unit_days,
        "unit-days with violations": report.violating_unit_days,
        "unit-days uncovered": report.uncovered_unit_days,
        "unit-days audited with rows rejected": report.incomplete_unit_days,
        "unit-days not audited (--complete-only)": report.skipped_unit_days,
        "units audited": report.units,
    }


def answer_audit_of(
    rules: asnrules.RuleSet, data: Path, folder: Path, engine: str = "duckdb", **options: Any
) -> dict[str, Any]:
    out, rejects = folder / f"{engine}-violations.csv", folder / f"{engine}-rejects.csv"
    report = run_audit(rules, str(data), out=out, rejects=rejects, engine=engine, **options)
    assert report.rows_read == report.rows_audited + report.rows_rejected
    found, flags, refused = read_audit_outputs(out, rejects)
    return {
        "violations": found,
        "flags": flags,
        "rejects": refused,
        "rows_read": report.rows_read,
        "accounting": report_accounting(report),
    }


def answer_printed_sql(rules: asnrules.RuleSet, rows: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """The query of ``asnrules compile --target sql --dialect duckdb`` (its three statements:
    violations, rejected rows with their reasons, accounting) run by DuckDB on a table of text."""
    con = duckdb.connect()
    names = columns_of(rows)
    try:
        con.execute(f"CREATE TABLE attendance ({', '.join(f'{k} VARCHAR' for k in names)})")
        con.executemany(
            f"INSERT INTO attendance VALUES ({', '.join('?' for _ in names)})",
            [[None if r[k] == "" else r[k] for k in names] for r in rows],
        )
        results = []
        for sql in compile_sql_statements(rules.model, "duckdb", columns=names):
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            results.append([dict(zip(names, row, strict=True)) for row in cur.fetchall()])
    finally:
        con.close()
    violations, rejected, summary = results
    accounting = {str(r["item"]): int(r["n"]) for r in summary}
    assert accounting["rows read"] == accounting["rows audited"] + accounting["rows rejected"]
    assert accounting["unit-days audited"] == sum(
        accounting[f"unit-days {x}"] for x in ("compliant", "with violations", "uncovered")
    )
    return {
        "flags": {f"{r['unit']}|{r['date']}": int(r["rows_rejected"]) for r in violations},
        "accounting": accounting,
        "violations": sorted(
            (
                r["unit"],
                str(r["date"]),
                r["circular"],
                r["rule"],
                r["group"],
                r["mode"],
                r["comparison"],
                str(r["bound"]),
                str(r["share"]),
                int(r["n"]),
                int(r["k"]),
            )
            for r in violations
        ),
        "rejects": {int(r["row"]): r["reason"] for r in rejected},
        "rows_read": accounting["rows read"],
    }


# ---- the test -------------------------------------------------------------------------------------


def expected(c: Case) -> dict[str, Any]:
    answer = {"rows": rows_answer(c), "situations": situation_answers_of_reference(c)}
    plain = json.loads(json.dumps(answer))
    path = c.folder / "expected.json"
    if UPDATE or not path.exists():
        path.write_text(json.dumps(plain, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert plain == golden, f"the interpreter's answer to {c.name} changed: review, then ASNRULES_UPDATE_GOLDEN=1"
    return plain


def normal(answer: Mapping[str, Any]) -> Any:
    return json.loads(json.dumps(answer, sort_keys=True))


SITUATION_BACKENDS: dict[str, Callable[[Case, Path], dict[str, Any]]] = {
    "interpreter": lambda c, _: answer_in_process(c.rules, "interpreter", situation_questions(c)),
    "compiled": lambda c, _: answer_in_process(c.rules, "compiled", situation_questions(c)),
    "standalone": lambda c, tmp: answer_standalone(c.rules, situation_questions(c), tmp),
}


@pytest.mark.parametrize("backend", sorted(SITUATION_BACKENDS))
@pytest.mark.parametrize("name", CASE_NAMES)
def test_evaluators_answer_like_the_interpreter(name: str, backend: str, tmp_path: Path) -> None:
    c = case(name)
    want = expected(c)["situations"]
    got = normal(SITUATION_BACKENDS[backend](c, tmp_path))
    assert got == want


@pytest.mark.parametrize("name", CASE_NAMES)
def test_printed_sql_answers_like_the_interpreter(name: str) -> None:
    """The printed SQL has no --complete-only or --mode: it answers the rows question itself."""
    c = case(name)
    want = dict(expected(c)["rows"])
    del want["variant"]
    assert normal(answer_printed_sql(c.rules, c.rows)) == want


@pytest.mark.parametrize("backend", ["audit-duckdb-csv", "audit-duckdb-parquet", "audit-duckdb-sql-maps"])
@pytest.mark.parametrize("name", CASE_NAMES)
def test_audits_answer_like_the_interpreter(
    name: str, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sql-maps``: the value maps computed in SQL, as for data with too many spellings to inline."""
    c = case(name)
    want = expected(c)["rows"]
    if backend.endswith("sql-maps"):
        monkeypatch.setattr(sys.modules["asnrules.audit"], "INLINE_LIMIT", -1)
    if backend.endswith("csv"):
        data = c.folder / "rows.csv"
    else:
        data = tmp_path / "rows.parquet"
        write_parquet(c, data)
    got = normal(answer_audit(c, "duckdb", data, tmp_path))
    assert got == want


#: The cases whose variant (``--complete-only``, ``--mode DL=WFO``) Spark runs too: the variant is the
#: same query with other value maps and one more filter (DuckDB runs it on every case); a Spark audit
#: of a small table costs some 10 s of planning and scheduling, and the suite has 10 minutes.
SPARK_VARIANT_CASES = ("records", "awkward")


@pytest.mark.parametrize("name", CASE_NAMES)
def test_audit_on_spark_answers_like_the_interpreter(name: str, spark: Any, tmp_path: Path) -> None:
    c = case(name)
    data = tmp_path / "rows.parquet"
    write_parquet(c, data)
    want = expected(c)["rows"]
    if name in SPARK_VARIANT_CASES:
        assert normal(answer_audit(c, "spark", data, tmp_path)) == want
    else:
        assert normal(answer_audit_of(c.rules, data, tmp_path, "spark")) == {
            k: v for k, v in want.items() if k != "variant"
        }


def test_the_corpus_has_every_awkward_spelling_the_issue_lists() -> None:
    """A corpus that lost its awkward rows could no longer catch a drift."""
    text = "\n".join((CORPUS / n / "rows.csv").read_text(encoding="utf-8") for n in CASE_NAMES)
    for spelling in ("\u00a0", "T00:00:00", "cuti", "pusat", "dki_jakarta", '"31"', "ID-JK", " Jakarta ", "WFX"):
        assert spelling in text, spelling
    reasons = {r for n in CASE_NAMES for r in case(n).reference.rejects.values()}
    assert reasons == set(runtime.REJECTS.values()), "every reject reason is exercised"


# ---- random tables (tests/strategies.py): the same accounting on every draw -----------------------


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(drawn=rule_sets_with_attendance(conflict_free=True, attendance_options={"exotic": True}))
def test_random_tables_are_audited_like_the_interpreter(
    drawn: tuple[RuleSetCase, AttendanceCase], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Random rule sets and random attendance with awkward spellings, flaws and disagreeing unit-days:
    the reference audit agrees with the rows' expected readings (drawn independently of the runtime),
    the DuckDB audit agrees with the reference, and the compiled engine with the interpreter on every
    unit-day."""
    case, table = drawn
    try:
        rules = asnrules.loads(case.text, name="random.asnr")
    except asnrules.RulesError:
        assume(False)
        return
    rows = [{"row": str(i), **dict(zip(strategies.COLUMNS, r.values, strict=True))} for i, r in enumerate(table.rows)]
    ref = audit_rows(rules.model, rows)
    unit_days, rejected = table.expected()
    assert sorted(ref.rejects.items()) == rejected
    assert ref.unit_days == len(unit_days)
    for (_unit, day), u in unit_days.items():
        args = (day, u.province, u.counts, u.level, u.agency_name)
        assert rules.evaluate(*args) == rules.evaluate(*args, engine="interpreter")
    folder = tmp_path_factory.mktemp("random")
    write_text_parquet(rows, folder / "rows.parquet")
    # No employee-day is counted twice: the staff counted are the distinct employee-days left.
    left = [table.rows[i].expected for i in range(len(rows)) if i not in ref.rejects]
    assert len({(e.employee, e.day) for e in left}) == len(left) == ref.rows_audited
    assert ref.unit_days == sum(ref.outcomes.values())
    c_answer = answer_of_reference(rows, ref)
    got = answer_audit_of(rules, folder / "rows.parquet", folder)
    assert normal(got) == normal(c_answer)
    assert normal(answer_printed_sql(rules, rows)) == normal(c_answer)
