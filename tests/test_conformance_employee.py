"""One conformance corpus for employee rules (LANGUAGE.md §12), every backend: the employee-windows of
``tests/cases/conformance-employee/<case>/`` (``rules.asnr``, ``rows.csv`` with hours and overtime,
``expected.json``: the reference's answer, reviewed; ``ASNRULES_UPDATE_GOLDEN=1`` rewrites it) asked of

- the reference (:func:`asnrules.employee.audit_windows`: every judged window of every employee group);
- the interpreter and the compiled engine in process (``RuleSet.check_employee`` with either engine) and
  the standalone module (its ``check_employee``), one call per employee group;
- the employee-window SQL run by DuckDB on a table of text (the value maps computed in SQL, as the
  printed query does).

Each answer must equal the reference: every window with its amount, bound, comparison, verdict and
whole flag (the evaluators), the violating windows (the SQL)."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest

import asnrules
from asnrules.compile_py import compile_module
from asnrules.compile_sql import build_windows, employee_tables, printed_columns, relational, translate
from asnrules.employee import audit_windows, window_row
from asnrules.semantics import named_as_section_7, read_row
from asnrules.sql_values import sql_value_maps
from conftest import CASES, portable

CORPUS = CASES / "conformance-employee"
CASE_NAMES = sorted(p.name for p in CORPUS.iterdir() if (p / "rules.asnr").exists())
UPDATE = os.environ.get("ASNRULES_UPDATE_GOLDEN") == "1"


def load(name: str) -> tuple[asnrules.RuleSet, list[dict[str, str]]]:
    folder = CORPUS / name
    with (folder / "rows.csv").open(newline="", encoding="utf-8") as f:
        rows = [{k: v for k, v in r.items() if k != "row"} for r in csv.DictReader(f)]
    return asnrules.load(folder / "rules.asnr"), rows


def window_key(employee: str, unit: str, w: Any) -> list[str]:
    c = w.constraint
    return [
        employee,
        unit,
        c.circular,
        c.rule,
        c.window,
        w.first.isoformat(),
        w.last.isoformat(),
        str(w.amount),
        str(w.bound),
        w.comparison,
        w.verdict,
        str(bool(w.whole)),
    ]


def reference(rules: asnrules.RuleSet, rows: list[dict[str, str]]) -> dict[str, Any]:
    found = audit_windows(rules.model, rows)
    return {
        "windows": [window_key(e, u, w) for e, u, w in found.windows],
        "violations": portable(found.rows()),
        "rejected": sorted(found.answer.rejects.values()),
    }


def groups(rules: asnrules.RuleSet, rows: list[dict[str, str]]) -> dict[tuple[Any, ...], list[tuple[Any, ...]]]:
    """The usable rows by (employee, unit, raw province, category, level, agency name), as the
    reference groups them (the rows the reference rejects left out)."""
    answer = audit_windows(rules.model, rows).answer
    out: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for i, raw in enumerate(rows):
        if i in answer.rejects:
            continue
        r = read_row(rules.model, named_as_section_7(raw))
        assert not isinstance(r, type(None)) and hasattr(r, "day")
        key = (r.employee, r.unit, r.province, r.category, r.level, r.agency_name)  # type: ignore[union-attr]
        out.setdefault(key, []).append((r.day, r.mode, r.hours, r.overtime))  # type: ignore[union-attr]
    return out


def by_evaluator(rules: asnrules.RuleSet, rows: list[dict[str, str]], check: Any) -> list[list[str]]:
    found = []
    for (employee, unit, province, category, level, agency), records in groups(rules, rows).items():
        found.extend(
            (w.first, w.constraint.id, window_key(employee, unit, w))
            for w in check(records, province, category, level, agency).windows
        )
    found.sort(key=lambda x: (x[2][0], x[2][1], x[0], x[1]))
    return [k for _, _, k in found]


@pytest.fixture(scope="module", params=CASE_NAMES)
def corpus(request: pytest.FixtureRequest) -> tuple[str, asnrules.RuleSet, list[dict[str, str]], dict[str, Any]]:
    name = request.param
    rules, rows = load(name)
    path = CORPUS / name / "expected.json"
    got = reference(rules, rows)
    if UPDATE or not path.exists():
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    want = json.loads(path.read_text(encoding="utf-8"))
    return name, rules, rows, want


def test_the_reference_is_the_reviewed_answer(corpus: tuple[str, asnrules.RuleSet, list[Any], dict[str, Any]]) -> None:
    _, rules, rows, want = corpus
    assert json.loads(json.dumps(reference(rules, rows))) == want
    assert want["violations"], "the corpus has violations to find"
    assert any(w[-1] == "False" for w in want["windows"]), "and windows cut short"


@pytest.mark.parametrize("engine", ["interpreter", "compiled"])
def test_the_evaluators_in_process(
    corpus: tuple[str, asnrules.RuleSet, list[Any], dict[str, Any]], engine: str
) -> None:
    _, rules, rows, want = corpus

    def check(*args: Any) -> Any:
        return rules.check_employee(*args, engine=engine)

    assert by_evaluator(rules, rows, check) == want["windows"]


def test_the_standalone_module(corpus: tuple[str, asnrules.RuleSet, list[Any], dict[str, Any]], tmp_path: Path) -> None:
    name, rules, rows, want = corpus
    path = tmp_path / f"emp_{name.replace('-', '_')}.py"
    path.write_text(compile_module(rules.model), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    try:
        spec.loader.exec_module(module)
        assert by_evaluator(rules, rows, module.check_employee) == want["windows"]
    finally:
        sys.modules.pop(path.stem, None)


def windows_on_duckdb(rules: asnrules.RuleSet, rows: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    names = list(rows[0])
    cols = printed_columns(names)
    sql = build_windows(
        rules.model, employee_tables(rules.model, (2024, 2025)), cols, sql_value_maps(relational(rules.model), cols)
    )
    assert sql is not None
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE attendance ({', '.join(f'{k} VARCHAR' for k in names)})")
        con.executemany(
            f"INSERT INTO attendance VALUES ({', '.join('?' for _ in names)})",
            [[None if r[k] == "" else r[k] for k in names] for r in rows],
        )
        cur = con.execute(translate(sql, "duckdb"))
        out = [d[0] for d in cur.description]
        return [{k: str(v) for k, v in zip(out, r, strict=True)} for r in cur.fetchall()]
    finally:
        con.close()


def test_the_window_sql_on_duckdb(corpus: tuple[str, asnrules.RuleSet, list[Any], dict[str, Any]]) -> None:
    _, rules, rows, want = corpus
    assert portable(windows_on_duckdb(rules, rows)) == want["violations"]


def test_window_rows_are_what_the_reference_writes() -> None:
    rules, rows = load(CASE_NAMES[0])
    found = audit_windows(rules.model, rows)
    assert found.rows() == [window_row(e, u, w) for e, u, w in found.violations]


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_the_audit_engines(
    corpus: tuple[str, asnrules.RuleSet, list[Any], dict[str, Any]], engine: str, tmp_path: Path, request: Any
) -> None:
    """``asnrules audit --windows`` on each engine (the rows as a CSV file of text, as an agency
    exports them) writes the reviewed violations."""
    from asnrules.audit import run_audit

    if engine == "spark":
        request.getfixturevalue("spark")
    _, rules, rows, want = corpus
    data = tmp_path / "rows.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    report = run_audit(rules, str(data), engine=engine, windows=tmp_path / "w.csv")
    with (tmp_path / "w.csv").open(newline="", encoding="utf-8") as f:
        got = list(csv.DictReader(f))
    assert portable(got) == want["violations"]
    assert report.window_violations == len(want["violations"])
