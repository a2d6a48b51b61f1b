"""Each employee over windows (LANGUAGE.md §12) in the compiled evaluator: the in-process engine
(``compile_py.evaluator_for(model).check_employee``) and the standalone module (``check_employee``)
decide exactly as the reference evaluator (:func:`asnrules.employee.check_employee`): the same
windows, amounts, bounds, verdicts, whole flags, rejected duplicates and citations.

- worked verdicts on the BKN-style rules of §12: an ordinary week, the holiday week of 28 April 2025
  (1 May: 4 days in scope, 5 possible), the ISO week 2025-W01 (from 2024-12-30) cut by the rules'
  first day (not whole: its lower bound is not asked, its upper bound is);
- a day's scope is one look-up, once per day and call (a year window is at most 366 of them);
- a Hypothesis differential on random employee rule sets (working days, agencies, categories, an
  overriding circular) and random records of one employee over three to six weeks;
- the standalone module with employee rules passes ``mypy --strict`` and ``ruff check``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import asnrules
from asnrules import employee, runtime
from asnrules.compile_py import FORMAT, CompiledEvaluator, compile_module, evaluator_for
from asnrules.errors import InputError, RulesError
from test_compile_py import check_generated

D = dt.date

#: The rules of LANGUAGE.md §12, in one circular.
BKN = """\
circular "Skema BKN"
rule fwa on working days from 2025-04-21 for "BKN": each employee WFA at most 2 days per week
rule kantor on working days from 2025-04-21 for "BKN": each employee in admin WFO at least 3 days per week
rule jam on working days from 2025-04-21: each employee works at least 37.5 hours per week
rule lembur from 2025-01-01: each employee overtime at most 14 hours per week
rule cuti from 2025-01-01: each employee LEAVE at least 6 days per year
"""

#: The year's end: rules from 2025-01-01, a Wednesday and a holiday, so ISO week 2025-W01 (Monday
#: 2024-12-30 to Sunday 2025-01-05) is cut by their first day.
YEAR_END = """\
circular "Akhir tahun"
rule jam on working days from 2025-01-01: each employee works at least 37.5 hours per week
rule kantor from 2025-01-01: each employee WFO at least 3 days per week
rule lembur from 2025-01-01: each employee overtime at most 14 hours per week
"""


class Engines:
    """One rule set in every form: the model, the in-process compiled engine, the standalone module."""

    def __init__(self, text: str, folder: Path) -> None:
        self.rs = asnrules.loads(text, name="employee.asnr")
        self.model = self.rs.model
        self.compiled: CompiledEvaluator = evaluator_for(self.model)
        self.module = standalone(compile_module(self.model), folder)

    def check(self, records: list[Any], region: Any, category: Any, level: Any = None, agency: Any = None) -> Any:
        """The decision of the standalone module, asserted equal to the in-process engine's and to the
        reference evaluator's."""
        ref = employee.check_employee(self.model, records, region, category, level, agency)
        assert self.compiled.employee_result(records, region, category, level, agency) == ref
        inproc = self.compiled.check_employee(records, region, category, level, agency)
        got = self.module.check_employee(records, region, category, level, agency)
        assert got.to_json() == inproc.to_json() == ref.to_json()
        assert plain(got) == plain(inproc) == plain(ref)
        return got


def plain(result: Any) -> tuple[Any, ...]:
    """A decision of any engine as plain values (the runtime's records and the reference's results
    share their field names)."""
    return (
        result.outcome,
        tuple(
            (
                w.constraint.id,
                w.constraint.circular,
                w.constraint.rule,
                w.constraint.group,
                w.constraint.measure,
                w.constraint.comparison,
                w.constraint.amount,
                w.constraint.window,
                str(w.constraint.source),
                w.first,
                w.last,
                w.amount,
                w.bound,
                w.comparison,
                w.verdict,
                w.whole,
                w.days,
                w.counted,
            )
            for w in result.windows
        ),
        result.rejected,
        (result.province, result.category, result.level, result.agency, result.agency_name),
    )


def standalone(source: str, folder: Path) -> Any:
    """The compiled module written to ``folder`` and imported from there (a name per source)."""
    name = "employee_" + hashlib.sha256(source.encode()).hexdigest()[:16]
    if name in sys.modules:
        return sys.modules[name]
    (folder / f"{name}.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("employee_modules")
    yield path
    for name in [n for n in sys.modules if n.startswith("employee_")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def bkn(folder: Path) -> Engines:
    return Engines(BKN, folder)


@pytest.fixture(scope="module")
def year_end(folder: Path) -> Engines:
    return Engines(YEAR_END, folder)


def week(start: D, *days: Any) -> list[Any]:
    """Records from ``start``, one entry a day: a mode, a (mode, hours[, overtime]) or None."""
    out: list[Any] = []
    for i, d in enumerate(days):
        if d is not None:
            day = start + dt.timedelta(days=i)
            out.append((day, d) if isinstance(d, str) else (day, *d))
    return out


def verdicts(result: Any) -> dict[tuple[str, str], tuple[str, str, str, bool]]:
    """(rule, first day) → (verdict, amount, bound, whole) of each judged window."""
    return {
        (w.constraint.rule, w.first.isoformat()): (w.verdict, str(w.amount), str(w.bound), w.whole)
        for w in result.windows
    }


# ---- worked verdicts ---------------------------------------------------------------------------------


def test_an_ordinary_week_of_the_bkn_rules(bkn: Engines) -> None:
    """5–11 May 2025: three WFA days, two WFO, 8 hours and 3 hours' overtime a day."""
    records = week(D(2025, 5, 5), *[(m, 8, 3) for m in ("WFA", "WFA", "WFA", "WFO", "WFO")])
    got = bkn.check(records, "DKI", "admin", agency="BKN")
    assert got.outcome == "violation"
    v = verdicts(got)
    assert v[("fwa", "2025-05-05")] == ("violation", "3", "2", True)
    assert v[("kantor", "2025-05-05")] == ("violation", "2", "3", True)
    assert v[("jam", "2025-05-05")] == ("compliant", "40", "75/2", True)
    assert v[("lembur", "2025-05-05")] == ("violation", "15", "14", True)
    # the year 2025 lies wholly in `cuti`'s scope: 5 days recorded of its possible days, so the 6 days
    # of leave are asked pro rata in whole days: none
    assert v[("cuti", "2025-01-01")] == ("compliant", "0", "0", True)
    (cuti,) = [w for w in got.windows if w.constraint.rule == "cuti"]
    assert (cuti.first, cuti.last, cuti.comparison, cuti.counted) == (D(2025, 1, 1), D(2025, 12, 31), ">=", 5)
    # an employee of another category is not bound by `kantor`; of another agency, by neither BKN rule
    assert ("kantor", "2025-05-05") not in verdicts(bkn.check(records, "DKI", "frontline", agency="BKN"))
    other = verdicts(bkn.check(records, "DKI", "admin", agency="LAN"))
    assert {rule for rule, _ in other} == {"jam", "lembur", "cuti"}
    # citations: circular, rule and source as the model has them
    fwa = next(w for w in got.windows if w.constraint.rule == "fwa")
    assert (fwa.constraint.circular, str(fwa.constraint.source)) == ("Skema BKN", "employee.asnr:2:53")
    assert fwa.constraint.amount == Decimal("2") and fwa.constraint.working_days
    assert fwa.to_json()["value"] == "3" and fwa.to_json()["bound_comparison"] == "<="


def test_the_holiday_week(bkn: Engines) -> None:
    """28 April – 4 May 2025, 1 May a holiday: a rule on working days has 4 days in scope and 5
    possible; 7.5 hours on each of the 4 is held to 37.5·4/5 = 30 hours; the WFA of 1 May is out of
    the scope of `fwa`; two days of leave lower what can be asked."""
    monday = D(2025, 4, 28)
    engine = bkn.compiled.engine
    jam = next(e.id for e in bkn.model.employee_constraints if e.rule == "jam")
    in_scope = [
        monday + dt.timedelta(i)
        for i in range(7)
        if jam in engine.employee_scope((monday + dt.timedelta(i)).toordinal(), "31", None, "bkn")
    ]
    assert in_scope == [D(2025, 4, 28), D(2025, 4, 29), D(2025, 4, 30), D(2025, 5, 2)]
    full = week(monday, ("WFO", 7.5), ("WFO", 7.5), ("WFA", 7.5), ("WFA", 7.5), ("WFO", 7.5))
    got = bkn.check(full, "DKI", "admin", agency="BKN")
    v = verdicts(got)
    assert v[("jam", "2025-04-28")] == ("compliant", "30", "30", True)
    assert v[("fwa", "2025-04-28")] == ("compliant", "1", "2", True)
    assert v[("kantor", "2025-04-28")] == ("compliant", "3", "3", True)
    (w,) = [w for w in got.windows if w.constraint.rule == "jam"]
    assert (w.days, w.counted) == (5, 4)
    short = week(monday, ("WFO", 7.5), ("WFO", 7), ("WFA", 7.5), None, ("WFO", 7.5))
    assert verdicts(bkn.check(short, "DKI", "admin", agency="BKN"))[("jam", "2025-04-28")] == (
        "violation",
        "59/2",
        "30",
        True,
    )
    leave = week(monday, "LEAVE", "CUTI", ("WFO", 7.5), ("WFO", 7.5), ("WFO", 7.5))
    v = verdicts(bkn.check(leave, "DKI", "admin", agency="BKN"))
    assert v[("jam", "2025-04-28")] == ("compliant", "15", "15", True)
    assert v[("kantor", "2025-04-28")] == ("compliant", "2", "2", True)


def test_iso_week_2025_w01_cut_by_the_rules_first_day(year_end: Engines) -> None:
    """2024-12-30 is the Monday of ISO week 2025-W01. The rules start on 1 January 2025 (a holiday),
    so 30 and 31 December are out of scope: the week is not whole, the lower bounds (hours, WFO) are
    not asked, the upper bound (overtime) is, on the days in scope only. The next week is whole."""
    records = week(D(2024, 12, 30), *[("WFA", 4, 5)] * 5)
    got = year_end.check(records, "DKI", "admin")
    v = verdicts(got)
    assert v[("jam", "2024-12-30")] == ("compliant", "8", "75/2", False)  # 2 and 3 January
    assert v[("kantor", "2024-12-30")] == ("compliant", "0", "3", False)
    assert v[("lembur", "2024-12-30")] == ("violation", "15", "14", False)  # 1–3 January only
    assert all(w.last == D(2025, 1, 5) for w in got.windows)
    nxt = week(D(2025, 1, 6), *[("WFA", 4, 2)] * 5)
    v = verdicts(year_end.check(nxt, "DKI", "admin"))
    assert v[("jam", "2025-01-06")] == ("violation", "20", "75/2", True)
    assert v[("kantor", "2025-01-06")] == ("violation", "0", "3", True)
    assert v[("lembur", "2025-01-06")] == ("compliant", "10", "14", True)
    # records only before the rules begin: nothing is judged
    assert year_end.check(week(D(2024, 12, 23), "WFO", "WFO"), "DKI", "admin").outcome == "uncovered"


def test_records_duplicates_and_errors(bkn: Engines) -> None:
    """Two records of one day are both set aside, never counted; records are read as the reference
    reads them; what cannot be read is refused with the same code by every engine."""
    records = [
        ("2025-05-05", "WFO", "8", "1,5"),
        {"date": "2025-05-06", "mode": "wfh", "hours": Decimal("7.25"), "overtime": None},
        ("2025-05-07", "WFA", 8, 3),
        (D(2025, 5, 7), "WFO", 8, 3),
        ["2025-05-08", "izin"],
    ]
    got = bkn.check(records, "Jakarta", "administration", "pusat", "bkn")
    assert got.rejected == ((D(2025, 5, 7), "duplicate record"),)
    assert got.to_json()["rejected"] == [{"date": "2025-05-07", "reason": "duplicate record"}]
    assert (got.province, got.category, got.level, got.agency, got.agency_name) == (
        "31",
        "administration",
        "central",
        "bkn",
        "bkn",
    )
    v = verdicts(got)
    assert v[("lembur", "2025-05-05")] == ("compliant", "3/2", "14", True)
    assert v[("fwa", "2025-05-05")] == ("compliant", "0", "2", True)
    bad_cases: list[tuple[Any, Any, Any, str]] = [
        ([("2025-02-30", "WFO")], "DKI", "admin", "E310"),
        ([("2025-05-05", "WFX")], "DKI", "admin", "E313"),
        ([("2025-05-05", "WFO", 25)], "DKI", "admin", "E315"),
        ([("2025-05-05", "WFO", 8, "7.33333")], "DKI", "admin", "E315"),
        ([("2025-05-05",)], "DKI", "admin", "E313"),
        ("2025-05-05 WFO", "DKI", "admin", "E313"),
        ({"date": "2025-05-05"}, "DKI", "admin", "E313"),
        ([("2025-05-05", "WFO")], "Atlantis", "admin", "E311"),
        ([("2025-05-05", "WFO")], "DKI", "astronaut", "E313"),
    ]
    for records, region, category, code in bad_cases:
        with pytest.raises(InputError) as ref:
            employee.check_employee(bkn.model, records, region, category)
        with pytest.raises(InputError) as inproc:
            bkn.compiled.employee_result(records, region, category)
        with pytest.raises(ValueError) as module:
            bkn.module.check_employee(records, region, category)
        assert ref.value.code == inproc.value.code == module.value.code == code, records  # type: ignore[attr-defined]
        assert str(inproc.value) == str(ref.value)
    with pytest.raises(InputError) as e:
        employee.check_employee(bkn.model, [], "DKI", "admin", level="federal")
    with pytest.raises(ValueError) as m:
        bkn.module.check_employee([], "DKI", "admin", level="federal")
    assert e.value.code == m.value.code == "E312"  # type: ignore[attr-defined]


def test_a_year_window_is_one_look_up_a_day(bkn: Engines) -> None:
    """A year of daily records under week and year rules: each day's scope is looked up once in the
    call (the year window reuses what the weeks looked up), and the call is quick."""
    engine = bkn.compiled.engine
    first = D(2025, 1, 1)
    records = [
        (first + dt.timedelta(i), ("WFO", "WFA", "LEAVE", "WFH", "WFO", "WFO", "WFH")[i % 7], 8, 1) for i in range(365)
    ]
    looked: list[int] = []
    lookup = engine.employee_scope

    def counting(ordinal: int, *rest: Any) -> tuple[int, ...]:
        looked.append(ordinal)
        return lookup(ordinal, *rest)

    engine.employee_scope = counting  # type: ignore[method-assign,assignment]
    try:
        start = time.perf_counter()
        got = engine.check_employee(records, "DKI", "admin", None, "BKN")
        elapsed = time.perf_counter() - start
    finally:
        del engine.employee_scope
    assert len(looked) == len(set(looked)) <= 366 + 6  # the year, and the ISO weeks across its ends
    assert elapsed < 1.0
    assert sum(w.constraint.rule == "cuti" for w in got.windows) == 1
    assert sum(w.constraint.rule == "lembur" for w in got.windows) == 53  # 2024-12-30 .. 2025-12-28
    ref = employee.check_employee(bkn.model, records, "DKI", "admin", None, "BKN")
    assert got.to_json() == ref.to_json()


def test_module_tables_and_no_employee_rules(bkn: Engines, folder: Path) -> None:
    """The module lists its employee constraints; a rule set without employee rules has no employee
    tables and its check_employee judges nothing."""
    assert bkn.module.FORMAT == FORMAT == 4
    assert [c[1] for c in bkn.module.EMPLOYEE_CONSTRAINTS] == ["fwa", "kantor", "jam", "lembur", "cuti"]
    assert [c[7] for c in bkn.module.EMPLOYEE_CONSTRAINTS] == [True, True, True, False, False]
    plain_rules = 'circular "A"\nrule a between 2025-01-01 and 2025-12-31 in DKI: admin WFH <= 50%\n'
    source = compile_module(asnrules.loads(plain_rules, name="a.asnr").model)
    assert "_EMPLOYEE" not in source and "EMPLOYEE_CONSTRAINTS:" not in source
    assert "employee_" not in source.split("ENGINE = Engine(")[1]
    module = standalone(source, folder)
    got = module.check_employee([("2025-05-05", "WFO")], "DKI", "admin")
    assert (got.outcome, got.windows, got.rejected) == ("uncovered", (), ())
    assert module.evaluate("2025-05-05", "DKI", {"admin": {"WFH": 6, "WFO": 4}}).outcome == "violation"


def test_fraction_text_is_the_reference_one() -> None:
    values = [Fraction(0), Fraction(3), Fraction(75, 2), Fraction(225, 14), Fraction(1, 8), Fraction(-7, 40)]
    values += [Fraction(n, d) for n in range(0, 60, 7) for d in (1, 2, 3, 4, 5, 16, 25, 10000)]
    for v in values:
        assert runtime.fraction_text(v) == employee.fraction_text(v), v


# ---- the standalone module is checked code ----------------------------------------------------------

#: Employee rules of every measure and window, on working days, for an agency and a level, overridden
#: on some days by a second circular, beside a group rule.
MIXED = (
    BKN
    + """\
rule hari between 2025-05-01 and 2025-06-30 in DKI for central: each employee works at least 7,5 hours per day
rule bulan on working days from 2025-05-01: each employee in admin WFH at most 8 days per month
rule grup from 2025-05-01: admin WFH <= 50%
circular "Pengganti" overrides "Skema BKN"
rule ganti between 2025-05-12 and 2025-05-14 in DKI: each employee WFA exactly 2 days per week
"""
)


def test_the_module_with_employee_rules_passes_mypy_strict_and_ruff(tmp_path: Path) -> None:
    check_generated(tmp_path, compile_module(asnrules.loads(MIXED, name="mixed.asnr").model))


def test_mixed_rules_agree(folder: Path) -> None:
    engines = Engines(MIXED, folder)
    start = D(2025, 4, 21)
    modes = ("WFO", "WFA", "WFH", "WFA", "LEAVE", "WFO", "WFH", "WFO", "WFA")
    records = [(start + dt.timedelta(i), modes[i % 9], Decimal(6 + i % 3), i % 4) for i in range(70)]
    outcomes = set()
    for region in ("DKI", "Bali", None):
        for category in ("admin", "frontline", None):
            for level, agency in ((None, None), ("central", "BKN"), ("regional", "Badan Lain")):
                got = engines.check(records, region, category, level, agency)
                outcomes.add(got.outcome)
                assert got.windows or got.outcome == "uncovered"
    assert outcomes == {"violation"}
    # the overriding circular switches the BKN rules off in DKI on 12–14 May: that week is not whole
    got = engines.check(records, "DKI", "admin", None, "BKN")
    kantor = {w.first: w.whole for w in got.windows if w.constraint.rule == "kantor"}
    assert kantor[D(2025, 5, 12)] is False and kantor[D(2025, 5, 5)] is True


# ---- differential -------------------------------------------------------------------------------------

_BASES = (D(2025, 4, 21), D(2024, 12, 16))
_CMPS = ("at most", "at least", "exactly", "<", ">", "<=", ">=")


@st.composite
def employee_rule(draw: st.DrawFn, base: D, number: int, circular: int) -> str:
    """One rule with an employee constraint (sometimes also a group constraint's rule)."""

    def day() -> D:
        return base + dt.timedelta(days=draw(st.integers(-12, 40)))

    parts = [f"rule r{circular}x{number}"]
    if draw(st.integers(0, 2)) == 0:
        parts.append("on working days")
    when = draw(st.sampled_from(("", "from", "between", "between")))
    if when == "from":
        parts.append(f"from {day().isoformat()}")
    elif when == "between":
        a, b = sorted((day(), day()))
        parts.append(f"between {a.isoformat()} and {b.isoformat()}")
    parts.append(draw(st.sampled_from(("", "", "in DKI", "in Bali, DKI", "in Bali"))))
    parts.append(draw(st.sampled_from(("", "", "", 'for "BKN"', "for central", 'for regional, "BKN"'))))
    group = draw(st.sampled_from(("", "", "in admin", "in frontline", "in all")))
    kind = draw(st.sampled_from(("mode", "mode", "works", "overtime")))
    cmp = draw(st.sampled_from(_CMPS))
    window = draw(st.sampled_from(("day", "week", "week", "month", "year")))
    if kind == "mode":
        measure = draw(st.sampled_from(("WFO", "WFH", "WFA", "LEAVE", "CUTI")))
        amount = str(draw(st.integers(0, {"day": 1, "week": 5, "month": 12, "year": 20}[window])))
        unit = "days"
    else:
        measure = kind
        amount = draw(st.sampled_from(("0", "2", "7,5", "8", "14", "37.5", "40", "22.25", "150", "1.5")))
        unit = "hours"
    constraint = f"each employee {group} {measure} {cmp} {amount} {unit} per {window}"
    return " ".join(p for p in (*parts[:-1], parts[-1] + ":", constraint) if p)


@st.composite
def rule_texts(draw: st.DrawFn) -> tuple[str, D]:
    base = draw(st.sampled_from(_BASES))
    lines = ['circular "A"']
    lines += [draw(employee_rule(base, i, 0)) for i in range(draw(st.integers(1, 4)))]
    if draw(st.booleans()):
        lines.append(f"rule g between {base.isoformat()} and {(base + dt.timedelta(20)).isoformat()}: admin WFH <= 50%")
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(('circular "B" overrides "A"', 'circular "B"'))))
        lines += [draw(employee_rule(base, i, 1)) for i in range(draw(st.integers(1, 2)))]
        if draw(st.booleans()):
            a = base + dt.timedelta(days=draw(st.integers(0, 20)))
            lines.append(f"rule bm between {a.isoformat()} and {(a + dt.timedelta(3)).isoformat()} in DKI: all may WFA")
    return "\n".join(lines) + "\n", base


_HOURS = st.one_of(
    st.none(),
    st.decimals(0, 12, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(0, 12, places=2, allow_nan=False, allow_infinity=False).map(lambda d: str(d).replace(".", ",")),
    st.integers(0, 10),
    st.sampled_from((7.5, 8.25, 0.5)),
)


@st.composite
def employee_records(draw: st.DrawFn, base: D) -> list[Any]:
    start = base + dt.timedelta(days=draw(st.integers(-10, 10)))
    records: list[Any] = []
    for i in range(draw(st.integers(21, 42))):
        if draw(st.integers(0, 5)) == 0:
            continue
        day = start + dt.timedelta(days=i)
        mode = draw(st.sampled_from(("WFO", "WFO", "WFH", "WFA", "WFA", "LEAVE", "cuti", "sakit")))
        hours, overtime = draw(_HOURS), draw(_HOURS)
        shape = draw(st.integers(0, 3))
        if shape == 0:
            records.append((day, mode))
        elif shape == 1:
            records.append((day.isoformat(), mode, hours))
        elif shape == 2:
            records.append((day, mode, hours, overtime))
        else:
            records.append({"date": day, "mode": mode, "hours": hours, "overtime": overtime})
    for _ in range(draw(st.integers(0, 2))):  # duplicates: another record of a day recorded
        if records:
            again = draw(st.sampled_from(records))
            day = again["date"] if isinstance(again, dict) else again[0]
            records.append((day, draw(st.sampled_from(("WFO", "WFA")))))
    return records


@st.composite
def employee_cases(draw: st.DrawFn) -> tuple[str, list[Any], tuple[Any, ...]]:
    text, base = draw(rule_texts())
    records = draw(employee_records(base))
    who = (
        draw(st.sampled_from(("DKI", "Jakarta", "Bali", "Aceh", None))),
        draw(st.sampled_from(("admin", "frontline", "administration", None))),
        draw(st.sampled_from((None, "central", "daerah"))),
        draw(st.sampled_from((None, "BKN", " bkn ", "LAN"))),
    )
    return text, records, who


_ENGINES: dict[str, Engines | None] = {}


@pytest.fixture(scope="module")
def differential_folder(folder: Path) -> Path:
    return folder


@settings(
    max_examples=45,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(case=employee_cases())
def test_differential(differential_folder: Path, case: tuple[str, list[Any], tuple[Any, ...]]) -> None:
    """The standalone module and the in-process engine give the reference evaluator's windows, on
    random employee rule sets and random records of one employee."""
    text, records, who = case
    if text not in _ENGINES:
        try:
            _ENGINES[text] = Engines(text, differential_folder)
        except RulesError:
            _ENGINES[text] = None
    engines = _ENGINES[text]
    assume(engines is not None)
    assert engines is not None
    engines.check(records, *who)
