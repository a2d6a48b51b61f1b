"""Each employee over windows (LANGUAGE.md §12): the reference evaluator (asnrules.employee) on the worked
examples of docs/language-notes.md, and the invariants of a window's verdict (asnrules.runtime)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asnrules
from asnrules import runtime
from asnrules.errors import InputError

D = dt.date

BKN = """
surat edaran "Skema BKN"
aturan fwa pada hari kerja mulai 2025-04-21 untuk "BKN": setiap pegawai WFA paling banyak 2 hari per minggu
aturan kantor pada hari kerja mulai 2025-04-21 untuk "BKN":
  setiap pegawai dalam admin WFO paling sedikit 3 hari per minggu
aturan jam pada hari kerja mulai 2025-04-21: setiap pegawai bekerja paling sedikit 37,5 jam per minggu
aturan lembur mulai 2025-01-01: setiap pegawai lembur paling banyak 14 jam per minggu
aturan cuti mulai 2025-01-01: setiap pegawai CUTI paling sedikit 6 hari per tahun
"""


@pytest.fixture(scope="module")
def bkn() -> asnrules.RuleSet:
    return asnrules.loads(BKN, name="bkn.asnr")


def week(start: D, *days: tuple[str, float] | str | None) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for i, d in enumerate(days):
        if d is None:
            continue
        day = start + dt.timedelta(days=i)
        out.append((day, d) if isinstance(d, str) else (day, d[0], d[1]))
    return out


def verdicts(result: object) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(rule, first day) → (verdict, amount, bound) of each judged window."""
    return {
        (w.constraint.rule, w.first.isoformat()): (w.verdict, str(w.amount), str(w.bound))
        for w in result.windows  # type: ignore[attr-defined]
    }


def test_the_holiday_week_of_the_notes(bkn: asnrules.RuleSet) -> None:
    """The week of 28 April 2025 (1 May a holiday): 4 days in scope, 5 possible; 7.5 hours on each of
    the 4 working days is held to 37.5·4/5 = 30 hours; two days of leave to 15."""
    monday = D(2025, 4, 28)
    full = week(monday, ("WFO", 7.5), ("WFO", 7.5), ("WFA", 7.5), ("WFA", 7.5), ("WFO", 7.5))
    got = verdicts(bkn.check_employee(full, "DKI", "admin", agency="BKN"))
    assert got[("jam", "2025-04-28")] == ("compliant", "30", "30")
    assert got[("fwa", "2025-04-28")] == ("compliant", "1", "2")  # the WFA of 1 May is out of scope
    assert got[("kantor", "2025-04-28")] == ("compliant", "3", "3")
    leave = week(monday, "LEAVE", "LEAVE", ("WFO", 7.5), ("WFO", 7.5), ("WFO", 7.5))
    got = verdicts(bkn.check_employee(leave, "DKI", "admin", agency="BKN"))
    assert got[("jam", "2025-04-28")] == ("compliant", "15", "15")
    assert got[("kantor", "2025-04-28")] == ("compliant", "2", "2")  # 2 days could count: 2 asked


def test_three_wfa_days_in_one_iso_week_in_both_languages() -> None:
    """The issue's acceptance: `each employee WFA at most 2 days per week` and its Indonesian form mean
    the same and catch an employee with 3 WFA days in one ISO week."""
    en = asnrules.loads("rule fwa from 2025-01-01: each employee WFA at most 2 days per week")
    id_ = asnrules.loads("aturan fwa mulai 2025-01-01: setiap pegawai WFA paling banyak 2 hari per minggu")
    records = week(D(2025, 5, 5), "WFA", "WFO", "WFA", "WFO", "WFA")
    for rs in (en, id_):
        result = rs.check_employee(records, "DKI", "admin")
        assert result.outcome == "violation"
        (w,) = result.violations
        assert (w.first, w.last, w.amount, w.bound) == (D(2025, 5, 5), D(2025, 5, 11), 3, 2)
    assert en.fingerprint == id_.fingerprint
    # two of them in one week and one in the next: two compliant weeks
    split = week(D(2025, 5, 8), "WFA", "WFA", None, None, "WFA")
    assert en.check_employee(split, "DKI", "admin").outcome == "compliant"


def test_iso_weeks_at_the_year_end() -> None:
    """2024-12-30 is in the ISO week 2025-W01 (Monday 2024-12-30 to Sunday 2025-01-05); a week cut by the
    rule's first day is not whole: its upper bound is checked, its lower bound is not."""
    assert runtime.window_of(D(2024, 12, 30).toordinal(), "week") == (
        D(2024, 12, 30).toordinal(),
        D(2025, 1, 5).toordinal(),
    )
    assert runtime.window_of(D(2025, 1, 5).toordinal(), "week")[0] == D(2024, 12, 30).toordinal()
    rs = asnrules.loads(
        "rule most from 2025-01-01: each employee WFA at most 1 day per week\n"
        "rule least from 2025-01-01: each employee WFO at least 3 days per week\n"
    )
    records = week(D(2024, 12, 30), "WFA", "WFA", "WFA", "WFA", "WFA")  # 30, 31 Dec out of the rules' scope
    got = verdicts(rs.check_employee(records, "DKI", "admin"))
    assert got[("most", "2024-12-30")] == ("violation", "3", "1")
    assert got[("least", "2024-12-30")][0] == "compliant"  # not whole: not asked
    (w,) = [x for x in rs.check_employee(records, "DKI", "admin").windows if x.constraint.rule == "least"]
    assert not w.whole
    # the next week is whole: WFO at least 3 is asked of the five days recorded
    nxt = week(D(2025, 1, 6), "WFA", "WFA", "WFA", "WFA", "WFA")
    assert verdicts(rs.check_employee(nxt, "DKI", "admin"))[("least", "2025-01-06")] == ("violation", "0", "3")


def test_scope_where_who_category_and_switched_off() -> None:
    rs = asnrules.loads(
        """
circular "A"
rule wfa in DKI for "BKN": each employee in admin WFA at most 1 day per week
circular "B" overrides "A"
rule b between 2025-05-07 and 2025-05-07 in DKI: all may WFA
"""
    )
    records = week(D(2025, 5, 5), "WFA", "WFA", "WFA")
    assert rs.check_employee(records, "DKI", "admin", agency="BKN").outcome == "violation"  # 2 WFA in scope
    (w,) = rs.check_employee(records, "DKI", "admin", agency="BKN").windows
    assert w.amount == 2 and not w.whole  # Wednesday is B's: A is switched off there
    assert rs.check_employee(records, "Bali", "admin", agency="BKN").outcome == "uncovered"
    assert rs.check_employee(records, "DKI", "admin", agency="LAN").outcome == "uncovered"
    assert rs.check_employee(records, "DKI", "health", agency="BKN").outcome == "uncovered"
    assert rs.check_employee(records, "DKI", None, agency="BKN").outcome == "uncovered"


def test_records_are_read_exactly_and_duplicates_set_aside() -> None:
    rs = asnrules.loads("rule h: each employee overtime at most 2 hours per week")
    got = rs.check_employee(
        [("2025-05-05", "WFO", "8", "1,5"), {"date": "2025-05-06", "mode": "wfh", "overtime": Decimal("0.5")}],
        "DKI",
        "admin",
    )
    assert got.outcome == "compliant" and got.windows[0].amount == 2
    twice = rs.check_employee(
        [("2025-05-05", "WFO", 8, 3), ("2025-05-05", "WFH", 8, 3), ("2025-05-06", "cuti")], "DKI", "admin"
    )
    assert twice.rejected == ((D(2025, 5, 5), "duplicate record"),)
    # the duplicates are not counted, and a day of leave has no overtime
    assert [(w.amount, w.counted, w.verdict) for w in twice.windows] == [(0, 0, "compliant")]
    for bad, code in (
        ([("2025-02-30", "WFO")], "E310"),
        ([("2025-05-05", "WFX")], "E313"),
        ([("2025-05-05", "WFO", 25)], "E315"),
        ([("2025-05-05", "WFO", "7.33333")], "E315"),
        ([("2025-05-05",)], "E313"),
        ("2025-05-05 WFO", "E313"),
    ):
        with pytest.raises(InputError) as e:
            rs.check_employee(bad, "DKI", "admin")  # type: ignore[arg-type]
        assert e.value.code == code, bad


def test_explanations_in_both_languages(bkn: asnrules.RuleSet) -> None:
    records = week(D(2025, 5, 5), ("WFA", 8), ("WFA", 8), ("WFA", 8), ("WFO", 8), ("WFO", 8))
    result = bkn.check_employee(records, "DKI", "admin", agency="BKN")
    text = result.explain("id")
    assert "minggu 5–11 Mei 2025" in text and "3 hari WFA" in text and "paling banyak 2 hari" in text
    assert "dilanggar" in text
    en = result.explain("en")
    assert "week 5–11 May 2025" in en and "3 days in WFA" in en and "at most 2 days" in en
    assert result.to_json()["outcome"] == "violation"


# ---- the invariants of one window's verdict -----------------------------------------------------------

records_of_days = st.lists(
    st.one_of(
        st.none(),
        st.tuples(
            st.integers(1, 4),
            st.one_of(st.none(), st.fractions(0, 12, max_denominator=4)),
            st.one_of(st.none(), st.fractions(0, 4, max_denominator=2)),
        ),
    ),
    min_size=1,
    max_size=7,
)


@settings(max_examples=200)
@given(
    scope=records_of_days,
    measure=st.integers(1, 6),
    comparison=st.sampled_from(["<=", ">=", "=", "<", ">"]),
    amount=st.fractions(0, 40, max_denominator=2),
    whole=st.booleans(),
)
def test_a_window_verdict_is_the_bounds_it_states(
    scope: list[runtime.DayRec | None], measure: int, comparison: str, amount: Fraction, whole: bool
) -> None:
    """The verdict holds exactly when the amount meets the bound it states; an upper bound is never
    lowered; a lower bound is never above the rule's and is checked only on a whole window."""
    possible = len(scope)
    v = runtime.judge_window(measure, comparison, amount.numerator, amount.denominator, scope, whole, possible)
    holds = {"<=": v.amount <= v.bound, "<": v.amount < v.bound, ">=": v.amount >= v.bound, ">": v.amount > v.bound}
    if v.comparison in ("<=", "<"):  # an upper bound, on every window, never lowered
        assert v.bound == amount and (v.verdict == 1) == holds[v.comparison]
        assert comparison in ("<=", "<", "=")
    elif whole:  # a lower bound on a whole window: at most the rule's, and decided
        assert v.bound <= amount and (v.verdict == 1) == holds[v.comparison]
    else:  # a lower bound on a window cut short: not asked
        assert v.verdict == 1 and v.bound == amount and comparison in (">=", ">")
    assert 0 <= v.counted <= len(scope)
