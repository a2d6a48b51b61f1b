"""The checker and working days (LANGUAGE.md §6, §9, §11): ``asnrules.check`` on rules ``on working
days``, on windows counted from a holiday and on narrower ``overrides``/``supersedes rule L of N``.

- conflicts (E140) only between constraints that apply together on some day, with that day as the
  witness: a working day of the run for what applies on working days, a non-working day for the rest
  (a rule for every working day does not clash with one for a weekend);
- rules that never apply (W200): a rule switched off by name on every day it names, a rule ``on
  working days`` whose days hold no working day; not a rule overridden on some of its days only;
- redundancy (W201): a constraint is redundant only when one other constraint implying it applies
  wherever it does (the stricter rule for every day makes the one for working days redundant, not
  the other way round), and the message cites that one;
- ``supersedes rule L of N`` without a date (W203);
- Hypothesis: on random small sets of working-day and every-day rules, every conflict is real on its
  witness day and every day on which the rules cannot hold has a conflict reported; every redundancy
  cites a constraint in force wherever the redundant one is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asnrules
from asnrules.check import Conflict, find_conflicts, interval, solve
from asnrules.errors import Diagnostic, RulesError
from asnrules.model import Model
from asnrules.semantics import applicable


def _diagnostics(text: str) -> list[Diagnostic]:
    try:
        return list(asnrules.loads(text, name="t.asnr").diagnostics)
    except RulesError as e:
        return list(e.diagnostics)


def _model(text: str) -> Model:
    try:
        return asnrules.loads(text, name="t.asnr").model
    except RulesError as e:  # conflicts are errors: the model is wanted all the same
        from asnrules.parser import parse
        from asnrules.resolve import resolve

        assert any(d.code == "E140" for d in e.diagnostics), e.diagnostics
        model, _ = resolve([parse(text, "t.asnr")])
        return model


def _codes(text: str) -> list[str]:
    return [d.code for d in _diagnostics(text)]


def _conflicts(text: str) -> list[Conflict]:
    return find_conflicts(_model(text))[0]


HEAD = 'circular "SE A"\n  issued 2024-01-01\n\n'

# ---- E140 ------------------------------------------------------------------------------------------


def test_a_rule_for_working_days_does_not_clash_with_one_for_a_weekend() -> None:
    text = HEAD + "on working days from 2024-01-01: admin WFH >= 60%\non 2024-01-06, 2024-01-07: admin WFO >= 50%\n"
    assert _codes(text) == []
    assert _conflicts(text) == []


def test_a_rule_for_working_days_clashes_with_one_for_a_monday_on_that_monday() -> None:
    text = HEAD + "on working days from 2024-01-01: admin WFH >= 60%\non 2024-01-08: admin WFO >= 50%\n"
    (cf,) = _conflicts(text)
    assert cf.day == dt.date(2024, 1, 8) and cf.working is True
    (d,) = _diagnostics(text)
    assert d.code == "E140" and "on 2024-01-08 in every province" in d.message
    assert "pada tanggal 2024-01-08 di seluruh provinsi" in d.localised("id").message


def test_the_witness_of_a_clash_on_working_days_is_a_working_day() -> None:
    # 1 January 2024 is New Year's Day, 6-7 January a weekend: the first working day is 2 January
    text = HEAD + "on working days from 2024-01-01: admin WFH >= 60%\nfrom 2024-01-01: admin WFO >= 50%\n"
    (cf,) = _conflicts(text)
    assert cf.day == dt.date(2024, 1, 2) and cf.working is True
    (d,) = _diagnostics(text)
    assert "on every working day from 2024-01-02 in every province" in d.message
    assert "pada setiap hari kerja mulai tanggal 2024-01-02" in d.localised("id").message


def test_a_clash_left_on_non_working_days_has_a_non_working_day_as_witness() -> None:
    text = (
        HEAD
        + "from 2024-02-01 in Bali: health WFH >= 60%; health WFO >= 50%\n\n"
        + 'circular "SE B"\n  issued 2024-01-01\n  overrides "SE A"\n\n'
        + "on working days from 2024-02-01 in Bali: health WFO >= 50%\n"
    )
    (cf,) = _conflicts(text)
    assert cf.working is False and cf.day == dt.date(2024, 2, 3) and cf.province == "51"
    model = _model(text)
    assert not model.workdays.is_working_day(cf.day, "51")
    (d,) = _diagnostics(text)
    assert "on every non-working day from 2024-02-03 in Bali" in d.message
    assert "pada setiap hari yang bukan hari kerja mulai tanggal 2024-02-03 di Provinsi Bali" in (
        d.localised("id").message
    )


def test_a_clash_on_the_working_days_of_a_run_names_the_run_of_working_days() -> None:
    text = (
        HEAD
        + "on working days between 2024-03-04 and 2024-03-15: admin WFH >= 60%\n"
        + "between 2024-03-04 and 2024-03-15: admin WFO >= 50%\n"
    )
    (d,) = _diagnostics(text)
    assert "on 2024-03-04 (and every working day until 2024-03-15)" in d.message
    assert "pada tanggal 2024-03-04 (dan setiap hari kerja sampai dengan tanggal 2024-03-15)" in (
        d.localised("id").message
    )


def test_a_run_with_one_working_day_names_that_day_only() -> None:
    # Friday 5 to Sunday 7 January 2024: Friday is its only working day
    text = HEAD + "between 2024-01-05 and 2024-01-07: admin WFH >= 60%\non working days: admin WFO >= 50%\n"
    (cf,) = _conflicts(text)
    assert cf.day == dt.date(2024, 1, 5) and not cf.more
    (d,) = _diagnostics(text)
    assert "on 2024-01-05 in every province" in d.message and "until" not in d.message


def test_a_run_unbounded_before_has_its_last_working_day_as_witness() -> None:
    # until Sunday 7 January 2024: the last working day up to it is Friday 5 January
    text = HEAD + "on working days until 2024-01-07: admin WFH >= 60%\nuntil 2024-01-07: admin WFO >= 50%\n"
    (cf,) = _conflicts(text)
    assert cf.day == dt.date(2024, 1, 5) and cf.working is True
    (d,) = _diagnostics(text)
    assert "on every working day until 2024-01-07" in d.message


def test_a_working_day_rule_whose_run_is_only_a_weekend_never_clashes() -> None:
    text = HEAD + "on working days between 2024-01-06 and 2024-01-07: admin WFH >= 60%\nnationwide: admin WFO >= 50%\n"
    assert _conflicts(text) == []
    assert _codes(text) == ["W200"]  # and the rule never applies


def test_a_regional_holiday_moves_the_witness_of_that_province() -> None:
    text = (
        'holiday 2024-01-08 "Hari Jadi" in Bali\n'
        + HEAD
        + "on working days between 2024-01-08 and 2024-01-09 in Bali: admin WFH >= 60%\n"
        + "between 2024-01-08 and 2024-01-09 in Bali: admin WFO >= 50%\n"
    )
    (cf,) = _conflicts(text)
    assert (cf.day, cf.province, cf.working) == (dt.date(2024, 1, 9), "51", True)


def test_a_conflict_on_a_holiday_window_is_on_its_days() -> None:
    text = (
        HEAD
        + 'on the first 2 working days after "Idul Fitri" 2024: admin WFH >= 60%\n'
        + "between 2024-04-01 and 2024-04-30: admin WFO >= 50%\n"
    )
    (cf,) = _conflicts(text)
    assert cf.day == dt.date(2024, 4, 16)


# ---- W200 ------------------------------------------------------------------------------------------


def test_a_rule_on_working_days_in_the_idul_fitri_block_never_applies() -> None:
    text = HEAD + "rule mudik on working days between 2024-04-06 and 2024-04-14: admin WFH >= 60%\n"
    (d,) = _diagnostics(text)
    assert (d.code, d.line) == ("W200", 4)
    assert "it applies only 'on working days'" in d.message and "none of the days it names" in d.message
    assert d.suggestion is not None and "asnrules calendar 2024" in d.suggestion
    local = d.localised("id")
    assert "hanya berlaku 'pada hari kerja'" in local.message and "hari kerja" in local.message
    # one working day more (16 April) and it applies
    assert _codes(HEAD + "on working days between 2024-04-06 and 2024-04-16: admin WFH >= 60%\n") == []


def test_a_rule_on_working_days_of_a_province_on_holiday_never_applies() -> None:
    text = (
        'holiday 2024-01-08 "Hari Jadi" in Bali\n'
        + HEAD
        + "on working days between 2024-01-06 and 2024-01-08 in Bali: admin WFH >= 60%\n"
    )
    (d,) = _diagnostics(text)
    assert d.code == "W200" and "none of the days it names is a working day" in d.message
    # in DKI the Monday is a working day
    assert _codes(text.replace("in Bali:", "in DKI:")) == []


NARROW = (
    HEAD
    + "rule wfh from 2024-02-01 in DKI: admin WFH <= 50%\n"
    + "rule wfo from 2024-02-01 in DKI: admin WFO >= 40%\n"
    + "rule tetap from 2024-02-01 in DKI: frontline WFO >= 90%\n\n"
)


def test_a_rule_superseded_by_name_from_before_it_starts_never_applies() -> None:
    text = (
        NARROW
        + 'circular "SE B"\n  issued 2024-01-15\n  supersedes rule wfh of "SE A"\n\nnationwide: admin WFH <= 40%\n'
    )
    (d,) = _diagnostics(text)
    assert (d.code, d.line) == ("W200", 4)
    assert d.message == (
        "this rule can never apply: on every day and in every place it names, it is superseded or overridden by 'SE B'"
    )
    assert d.localised("id").message == (
        "aturan ini tidak pernah berlaku: pada setiap hari dan di setiap tempat yang disebutkannya, "
        "aturan ini dicabut atau dikesampingkan oleh 'SE B'"
    )


def test_a_rule_superseded_by_name_after_it_starts_still_applies() -> None:
    text = (
        NARROW
        + 'circular "SE B"\n  issued 2024-03-01\n  supersedes rule wfh of "SE A"\n\nnationwide: admin WFH <= 40%\n'
    )
    assert _codes(text) == []


def test_a_rule_overridden_by_name_on_every_day_never_applies() -> None:
    text = (
        NARROW
        + 'circular "SE B"\n  issued 2024-01-15\n  overrides rule wfo of "SE A"\n\nnationwide: admin WFO >= 30%\n'
    )
    (d,) = _diagnostics(text)
    assert (d.code, d.line, d.msg and d.msg.id) == ("W200", 5, "check.never-applies-rule")


def test_a_rule_overridden_by_name_on_some_days_only_is_no_warning() -> None:
    text = (
        NARROW
        + 'circular "SE B"\n  issued 2024-01-15\n  overrides rule wfo of "SE A"\n\n'
        + "between 2024-03-01 and 2024-03-31 in DKI: admin WFO >= 30%\n"
    )
    assert _codes(text) == []


def test_a_rule_overridden_by_name_on_its_working_days_only_is_no_warning() -> None:
    text = (
        NARROW
        + 'circular "SE B"\n  issued 2024-01-15\n  overrides rule wfo of "SE A"\n\n'
        + "on working days from 2024-01-01 in DKI: admin WFO >= 30%\n"
    )
    assert _codes(text) == []


def test_the_other_rules_of_a_circular_superseded_by_name_are_untouched() -> None:
    text = (
        NARROW
        + 'circular "SE B"\n  issued 2024-01-15\n  supersedes rule wfh, wfo of "SE A"\n\nnationwide: admin WFH <= 40%\n'
    )
    assert [(d.code, d.line) for d in _diagnostics(text)] == [("W200", 4), ("W200", 5)]


def test_a_rule_off_by_name_and_with_its_circular_names_both_switchers() -> None:
    # SE B supersedes all of SE A from March; SE C overrides rule wfh by name in February
    text = (
        HEAD
        + "rule wfh between 2024-02-01 and 2024-03-31 in DKI: admin WFH <= 50%\n"
        + "rule lain between 2024-02-01 and 2024-02-29 in DKI: admin WFO >= 40%\n\n"
        + 'circular "SE B"\n  issued 2024-03-01\n  supersedes "SE A"\n\nnationwide: admin WFH <= 40%\n\n'
        + 'circular "SE C"\n  issued 2024-01-15\n  overrides rule wfh of "SE A"\n\n'
        + "between 2024-02-01 and 2024-02-29 in DKI: admin WFH <= 45%\n"
    )
    (d,) = _diagnostics(text)
    assert d.code == "W200" and d.line == 4
    assert d.message.endswith("it is superseded or overridden by 'SE B' and 'SE C'")
    assert d.localised("id").message.endswith("dicabut atau dikesampingkan oleh 'SE B' dan 'SE C'")


def test_a_rule_whose_circular_is_switched_off_keeps_the_circular_wording() -> None:
    text = NARROW + 'circular "SE B"\n  issued 2024-01-15\n  supersedes "SE A"\n'
    assert {d.msg.id for d in _diagnostics(text) if d.msg} == {"check.never-applies"}


# ---- W201 ------------------------------------------------------------------------------------------


def test_a_stricter_rule_for_every_day_makes_the_one_for_working_days_redundant() -> None:
    text = HEAD + "on working days from 2024-01-01: admin WFH <= 50%\nfrom 2024-01-01: admin WFH <= 40%\n"
    (d,) = _diagnostics(text)
    assert (d.code, d.line) == ("W201", 4)
    assert "'admin WFH <= 50%' is redundant: wherever it applies, 'admin WFH <= 40%'" in d.message


def test_a_stricter_rule_for_working_days_leaves_the_one_for_every_day_needed() -> None:
    text = HEAD + "on working days from 2024-01-01: admin WFH <= 40%\nfrom 2024-01-01: admin WFH <= 50%\n"
    assert _codes(text) == []
    text = HEAD + "from 2024-01-01: admin WFH <= 50%\non working days from 2024-01-01: admin WFH <= 40%\n"
    assert _codes(text) == []


def test_the_same_bound_on_working_days_repeats_the_one_for_every_day_whatever_the_order() -> None:
    for first, second, line in (
        ("on working days from 2024-01-01", "from 2024-01-01", 4),
        ("from 2024-01-01", "on working days from 2024-01-01", 5),
    ):
        text = HEAD + f"{first}: admin WFO >= 80%\n{second}: admin WFO >= 80%\n"
        (d,) = _diagnostics(text)
        assert (d.code, d.line, d.msg and d.msg.id) == ("W201", line, "check.repeats"), text


def test_two_same_rules_report_the_later_one() -> None:
    text = HEAD + "from 2024-01-01: admin WFO >= 80%\nfrom 2024-01-01: admin WFO >= 80%\n"
    (d,) = _diagnostics(text)
    assert (d.code, d.line) == ("W201", 5)


def test_redundancy_cites_a_constraint_in_force_wherever_the_redundant_one_is() -> None:
    # <= 40% in January only comes first, but only <= 45% (every day) is in force wherever <= 50% is
    text = (
        HEAD
        + "between 2024-01-01 and 2024-01-31: admin WFH <= 40%\n"
        + "from 2024-01-01: admin WFH <= 45%\n"
        + "on working days from 2024-01-01: admin WFH <= 50%\n"
    )
    (d,) = _diagnostics(text)  # <= 45% is needed after January, <= 40% is the strictest
    assert (d.code, d.line) == ("W201", 6)
    assert "wherever it applies, 'admin WFH <= 45%' (t.asnr:5:" in d.message


def test_implied_by_different_constraints_on_different_days_is_not_reported() -> None:
    # <= 50% every day is implied in January by one rule and in February by another: no single one
    text = (
        HEAD
        + "between 2024-01-01 and 2024-02-29: admin WFH <= 50%\n"
        + "between 2024-01-01 and 2024-01-31: admin WFH <= 40%\n"
        + "between 2024-02-01 and 2024-02-29: admin WFH <= 30%\n"
    )
    assert _codes(text) == []


def test_a_permission_on_working_days_is_never_redundant() -> None:
    text = HEAD + "on working days from 2024-01-01: all may WFA\nfrom 2024-01-01: all may WFA\n"
    assert _codes(text) == []


# ---- W203 ------------------------------------------------------------------------------------------


def test_supersedes_rule_without_a_date_is_w203() -> None:
    text = NARROW + 'circular "SE B"\n  supersedes rule wfh, wfo of "SE A"\n\nnationwide: admin WFH <= 40%\n'
    found = [d for d in _diagnostics(text) if d.code == "W203"]
    assert len(found) == 1
    (d,) = found
    assert d.message == (
        "'SE B' supersedes rule wfh, wfo of 'SE A' but has no 'issued' or 'effective' date, so it "
        "switches the rules it names off on every day"
    )
    assert d.localised("id").message == (
        "'SE B' mencabut aturan wfh, wfo dari 'SE A' tetapi tidak mempunyai tanggal 'ditetapkan' atau "
        "'berlaku', sehingga aturan tersebut tidak berlaku pada setiap hari"
    )
    assert d.suggestion == "add 'effective YYYY-MM-DD' or 'issued YYYY-MM-DD'"


def test_supersedes_rule_with_a_date_is_no_w203() -> None:
    for header in ("  issued 2024-03-01\n", "  effective 2024-03-01\n"):
        text = NARROW + f'circular "SE B"\n{header}  supersedes rule wfh of "SE A"\n\nnationwide: admin WFH <= 40%\n'
        assert "W203" not in _codes(text)


def test_overrides_rule_without_a_date_is_no_w203() -> None:
    text = (
        NARROW
        + 'circular "SE B"\n  overrides rule wfh of "SE A"\n\nbetween 2024-03-01 and 2024-03-31: admin WFH <= 40%\n'
    )
    assert _codes(text) == []


# ---- Hypothesis: conflicts and redundancy against the reference semantics ----------------------------

DAYS = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(21)]  # 1-21 January 2024
LOOK = [dt.date(2023, 12, 30) + dt.timedelta(days=i) for i in range(26)]  # and a few days around
PLACES = (None, "31", "51")  # no province, DKI Jakarta, Bali (a holiday of its own on 9 January)
COMPARISONS = ("<=", ">=", "<", ">", "=")


def _rules(draw: st.DrawFn, prefix: str, most: int) -> list[str]:
    lines = []
    for n in range(draw(st.integers(1, most))):
        a = draw(st.integers(0, len(DAYS) - 1))
        b = draw(st.integers(a, min(a + 8, len(DAYS) - 1)))
        when = f"between {DAYS[a]} and {DAYS[b]}" if a != b else f"on {DAYS[a]}"
        if draw(st.booleans()):
            when = f"on working days between {DAYS[a]} and {DAYS[b]}"
        where = draw(st.sampled_from(("", " in DKI", " in Bali", " in DKI, Bali")))
        mode = draw(st.sampled_from(("WFO", "WFH", "WFA")))
        cmp = draw(st.sampled_from(COMPARISONS))
        bound = draw(st.sampled_from((0, 20, 40, 50, 60, 100)))
        lines.append(f"rule {prefix}{n} {when}{where}: admin {mode} {cmp} {bound}%")
    return lines


@st.composite
def working_day_sets(draw: st.DrawFn) -> str:
    """One circular of rules on working days and on every day, and perhaps a second one that
    overrides or supersedes it, whole or one rule by name (LANGUAGE.md §9, §11)."""
    lines = ['holiday 2024-01-09 "Hari Jadi" in Bali', 'circular "SE A"', "  issued 2024-01-01", ""]
    lines += _rules(draw, "a", 5)
    relation = draw(
        st.sampled_from(
            (
                None,
                'overrides "SE A"',
                'overrides rule a0 of "SE A"',
                'supersedes rule a0 of "SE A"',
                'supersedes "SE A"',
            )
        )
    )
    if relation is not None:
        issued = draw(st.sampled_from(DAYS))
        lines += ["", 'circular "SE B"', f"  issued {issued}", f"  {relation}", ""]
        lines += _rules(draw, "b", 3)
    return "\n".join(lines) + "\n"


def _applying(model: Model, day: dt.date, province: str | None) -> set[int]:
    return {c.id for c in applicable(model, day, province, None, None)}


@given(working_day_sets())
@settings(max_examples=150, deadline=None)
def test_conflicts_are_real_on_their_witness_and_none_is_missed(text: str) -> None:
    model = _model(text)
    conflicts = find_conflicts(model)[0]
    for cf in conflicts:
        ids = {c.id for c in cf.constraints}
        assert ids <= _applying(model, cf.day, cf.province), (text, cf)
        assert solve(list(cf.constraints)) is None, cf
        if cf.working is not None:
            assert model.workdays.is_working_day(cf.day, cf.province) == cf.working, (text, cf)
    for day in DAYS:
        for province in PLACES:
            here = _applying(model, day, province)
            if here and solve([model.constraints[i] for i in here]) is None:
                assert any({c.id for c in cf.constraints} <= here for cf in conflicts), (text, day, province)


@given(working_day_sets())
@settings(max_examples=150, deadline=None)
def test_a_redundant_constraint_is_implied_wherever_it_applies_by_the_one_cited(text: str) -> None:
    model = _model(text)
    _, redundancy, used_rules = find_conflicts(model)
    where = {(day, p): _applying(model, day, p) for day in LOOK for p in PLACES}
    for cid, dom in redundancy.items():
        if dom is None or dom == -1:
            continue
        c, d = model.constraints[cid], model.constraints[dom]
        assert interval(d).within(interval(c)), (text, c, d)
        assert all(dom in ids for ids in where.values() if cid in ids), (text, c, d)
    # and a rule is used exactly when one of its constraints applies on some day, somewhere
    applying = {model.constraints[i].rule_id for ids in where.values() for i in ids}
    assert used_rules == applying, text


@pytest.mark.parametrize("bound", [Decimal(40), Decimal(50)])
def test_redundancy_verdicts_follow_the_stricter_bound(bound: Decimal) -> None:
    text = HEAD + f"on working days from 2024-01-01: admin WFH <= 45%\nfrom 2024-01-01: admin WFH <= {bound}%\n"
    _, redundancy, _ = find_conflicts(_model(text))
    assert redundancy == ({0: 1, 1: None} if bound == 40 else {0: None, 1: None})
