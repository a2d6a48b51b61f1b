"""The checker on employee rules (LANGUAGE.md §6, §12; docs/employee-checks.md).

- a rule with only employee constraints applies (no W200) when the employee plan says so;
- conflicts between employee rules of one window kind (E141): an employee who works every day in
  their scope of a whole window (on leave only as the leave rules require) cannot meet them all, as
  :func:`asnrules.runtime.judge_window` judges (reachable amounts included);
- redundant employee constraints and bounds every window meets (W201);
- a group quota of every day against employee rules binding all its staff (E142), for any head
  count;
- Hypothesis: on random small sets of weekly employee constraints over one week, the checker reports
  a conflict exactly when no week of records (every day in scope recorded, not on leave) is compliant
  by :func:`asnrules.employee.check_employee`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import asnrules
from asnrules.check import find_employee_conflicts
from asnrules.employee import check_employee
from asnrules.errors import Diagnostic, RulesError
from asnrules.model import Model
from asnrules.parser import parse
from asnrules.resolve import resolve

HEAD = 'circular "SE A"\n  issued 2025-04-01\n\n'
WEEK = dt.date(2025, 4, 21)  # a Monday; 21-27 April 2025 holds no holiday


def _diagnostics(text: str) -> list[Diagnostic]:
    try:
        return list(asnrules.loads(text, name="t.asnr").diagnostics)
    except RulesError as e:
        return list(e.diagnostics)


def _codes(text: str) -> list[str]:
    return [d.code for d in _diagnostics(text)]


def _model(text: str) -> Model:
    model, _ = resolve([parse(text, "t.asnr")])
    return model


def _rule(body: str, working: bool = True) -> str:
    return f"{'on working days ' if working else ''}from 2025-04-21: {body}\n"


# ---- W200 ------------------------------------------------------------------------------------------


def test_a_rule_with_only_employee_constraints_applies() -> None:
    text = HEAD + 'rule fwa on working days from 2025-04-21 for "BKN": each employee WFA at most 2 days per week\n'
    assert _codes(text) == []


def test_an_employee_rule_switched_off_everywhere_never_applies() -> None:
    text = (
        HEAD
        + "rule fwa from 2025-04-21 until 2025-04-30: each employee WFA at most 2 days per week\n"
        + 'circular "SE B"\n  issued 2025-04-01\n  supersedes "SE A"\n\n'
        + "rule x from 2025-05-01: admin WFO >= 50%\n"
    )
    assert "W200" in _codes(text)


# ---- E141 ------------------------------------------------------------------------------------------


def test_the_briefs_conflicts_are_errors() -> None:
    for body in (
        "each employee WFO at least 3 days per week; each employee WFA at least 3 days per week",
        "each employee WFA at least 3 days per week; each employee WFA at most 2 days per week",
        "each employee works at least 40 hours per week; each employee works at most 37.5 hours per week",
    ):
        assert _codes(HEAD + _rule(body)) == ["E141"], body


def test_the_briefs_non_conflicts_are_not() -> None:
    for body in (
        "each employee WFO at least 3 days per week; each employee WFA at most 2 days per week",
        "each employee LEAVE at least 6 days per year; each employee WFO at least 3 days per week",
        "each employee works at least 37.5 hours per week; each employee WFO at least 3 days per week",
    ):
        assert _codes(HEAD + _rule(body)) == [], body


def test_a_week_with_holidays_holds_fewer_days_in_scope() -> None:
    """3 + 2 days fill a week of five working days, not the week of Imlek 2025 (27-31 January: two
    working days): every employee is in violation there, whatever he does."""
    text = HEAD + (
        "on working days from 2025-01-06: each employee WFO at least 3 days per week; "
        "each employee WFA at least 2 days per week\n"
    )
    (d,) = _diagnostics(text)
    assert d.code == "E141"
    assert "in the week 27 January – 2 February 2025" in d.message and "(2 days in scope)" in d.message
    assert "pada minggu 27 Januari – 2 Februari 2025" in d.localised("id").message


def test_the_witness_names_the_category_agency_and_province() -> None:
    text = HEAD + (
        'on working days from 2025-04-21 in Bali for "BKN": each employee in admin WFO at least 3 days per week\n'
        "on working days from 2025-04-21: each employee WFA at least 3 days per week\n"
    )
    (cf,) = find_employee_conflicts(_model(text))[0]
    assert (cf.category, cf.province, cf.agency, cf.first) == ("admin", "51", "bkn", WEEK)
    (d,) = _diagnostics(text)
    assert "for an employee in admin" in d.message and "in Bali for the agency 'BKN'" in d.message
    assert "setiap pegawai dalam admin WFO paling sedikit 3 hari per minggu" in d.localised("id").message


def test_rules_of_different_days_in_scope_are_not_compared() -> None:
    """A rule on working days next to one for every day: weekend days count for the second only."""
    text = (
        HEAD
        + _rule("each employee WFO at least 3 days per week")
        + _rule("each employee WFA at least 3 days per week", working=False)
    )
    assert _codes(text) == []


def test_leave_the_rules_require_lowers_the_days_worked() -> None:
    text = HEAD + _rule(
        "each employee LEAVE at least 2 days per week; each employee WFO at least 3 days per week; "
        "each employee WFA at least 3 days per week",
        working=False,
    )
    (d,) = _diagnostics(text)
    assert d.code == "E141" and "2 of them the leave the rules require" in d.message


# ---- W201 ------------------------------------------------------------------------------------------


def test_redundant_and_always_holding_employee_constraints() -> None:
    text = HEAD + _rule(
        "each employee WFA at most 2 days per week; each employee WFA at most 3 days per week; "
        "each employee WFH at most 8 days per week; each employee works at most 168 hours per week"
    )
    ds = _diagnostics(text)
    assert [d.code for d in ds] == ["W201"] * 3
    assert "'each employee WFA at most 3 days per week' is redundant" in ds[0].message
    assert "always holds: a week holds at most 7 days" in ds[1].message


def test_a_rule_for_every_day_is_not_made_redundant_by_one_for_working_days() -> None:
    text = (
        HEAD
        + _rule("each employee WFA at most 2 days per week")
        + _rule("each employee WFA at most 3 days per week", working=False)
    )
    assert _codes(text) == []


# ---- E142 ------------------------------------------------------------------------------------------


def test_the_briefs_cross_kind_conflicts() -> None:
    for quota, body in (
        ("admin WFO >= 80%", "each employee in admin WFA at least 2 days per week"),
        ("all WFH >= 50%", "each employee WFO at least 4 days per week"),
    ):
        assert _codes(HEAD + _rule(quota) + _rule(body)) == ["E142"], (quota, body)


def test_cross_kind_non_conflicts() -> None:
    for quota, body in (
        ("admin WFO >= 50%", "each employee WFA at most 2 days per week"),
        ("frontline WFO >= 80%", "each employee in admin WFA at least 2 days per week"),  # other staff
    ):
        assert _codes(HEAD + _rule(quota) + _rule(body)) == [], (quota, body)


def test_a_quota_met_in_full_weeks_fails_in_a_week_with_a_holiday() -> None:
    """3 days of 5 at the office meet 'admin WFO >= 60%' on average, so one week of five working
    days is fine; the week of 28 April - 4 May 2025 holds 4 (1 May is a holiday), and 2 WFA days of
    4 leave only 50% at the office."""
    one_week = "on working days between 2025-04-21 and 2025-04-27: "
    text = HEAD + one_week + "admin WFO >= 60%\n" + one_week + "each employee in admin WFA at least 2 days per week\n"
    assert _codes(text) == []
    text = HEAD + _rule("admin WFO >= 60%") + _rule("each employee in admin WFA at least 2 days per week")
    (d,) = _diagnostics(text)
    assert d.code == "E142" and "(4 days in scope)" in d.message and "28 April – 4 May 2025" in d.message


# ---- Hypothesis: the checker against the reference evaluator ----------------------------------------

_MEASURES = ("WFO", "WFH", "WFA", "works", "overtime")
_HOURS = (Fraction(0), Fraction(15, 2), Fraction(20), Fraction(75, 2), Fraction(40), Fraction(60))


@st.composite
def _constraints(draw: st.DrawFn) -> list[tuple[str, str, Fraction]]:
    out = []
    for _ in range(draw(st.integers(1, 3))):
        measure = draw(st.sampled_from(_MEASURES))
        cmp = draw(st.sampled_from(("<=", "<", ">=", ">", "=")))
        amount = (
            draw(st.sampled_from(_HOURS)) if measure in ("works", "overtime") else Fraction(draw(st.integers(0, 5)))
        )
        if cmp in (">", ">=", "=") and amount > (5 if measure in _MEASURES[:3] else 120):
            amount = Fraction(0)
        out.append((measure, cmp, amount))
    return out


def _text(cs: list[tuple[str, str, Fraction]], working: bool) -> str:
    def amount(m: str, a: Fraction) -> str:
        shown = str(a.numerator) if a.denominator == 1 else str(float(a))
        return f"{shown} {'hours' if m in ('works', 'overtime') else 'days'}"

    body = "; ".join(f"each employee {m} {cmp} {amount(m, a)} per week" for m, cmp, a in cs)
    days = "on working days " if working else ""
    return HEAD + f"{days}between 2025-04-21 and 2025-04-27: {body}\n"


def _some_week_complies(model: Model, cs: list[tuple[str, str, Fraction]], working: bool) -> bool:
    days = [WEEK + dt.timedelta(days=i) for i in range(5 if working else 7)]
    n = len(days)
    totals = {Fraction(0), Fraction(24 * n)} | {a for m, _, a in cs if m in ("works", "overtime")}
    totals |= {a * Fraction(n, 5 if working else 7) for a in list(totals)}
    ordered = sorted(t for t in totals if 0 <= t <= 24 * n)
    candidates = [*ordered, *((a + b) / 2 for a, b in itertools.pairwise(ordered))]
    hours = candidates if any(m == "works" for m, _, _ in cs) else [Fraction(0)]
    overtime = candidates if any(m == "overtime" for m, _, _ in cs) else [Fraction(0)]
    for wfo in range(n + 1):
        for wfh in range(n + 1 - wfo):
            modes = ["WFO"] * wfo + ["WFH"] * wfh + ["WFA"] * (n - wfo - wfh)
            for h, o in itertools.product(hours, overtime):
                records = [(d, m, h / n, o / n) for d, m in zip(days, modes, strict=True)]
                if check_employee(model, records, "DKI", "admin").outcome == "compliant":
                    return True
    return False


@settings(max_examples=60, deadline=None)
@given(_constraints(), st.booleans())
def test_a_conflict_is_reported_exactly_when_no_week_complies(
    cs: list[tuple[str, str, Fraction]], working: bool
) -> None:
    model = _model(_text(cs, working))
    conflicts = find_employee_conflicts(model)[0]
    assert (not conflicts) == _some_week_complies(model, cs, working), (cs, working, conflicts)


def test_a_quota_on_everyone_is_not_against_a_rule_for_admin_only() -> None:
    """The unit's frontline staff may fill 'all WFH >= 50%'."""
    text = HEAD + _rule("all WFH >= 50%") + _rule("each employee in admin WFO at least 4 days per week")
    assert _codes(text) == []
