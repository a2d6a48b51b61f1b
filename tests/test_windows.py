"""Windows counted from a holiday (LANGUAGE.md §9), through rule text: ``on the first N working days
after HOLIDAY YEAR`` / ``on the last N working days before HOLIDAY YEAR`` and their Indonesian forms
(``pada N hari kerja pertama setelah ...``, ``pada N hari kerja terakhir sebelum ...``).

- every worked date of §9, exactly, as ``rule.relative.dates`` (and its block), as the rule's periods,
  and as what the rule set decides on those days and the days around them;
- the English and the Indonesian form of each give the same model;
- ``first``/``last`` alone mean N = 1; official, common and English names of a holiday, quoted or not,
  name the same holiday; the windows of the real instruments (rules/) are the dates they state;
- errors and warnings: an unknown holiday (with suggestions), N = 0, a year the calendar only
  estimates.

The calendar's own methods (``Calendar.first_after``, ``last_before``, ``holiday_block``) are tested
in ``tests/test_workdays.py``; here everything goes through ``asnrules.loads``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import asnrules
from asnrules.model import Rule
from conftest import RULES

D = dt.date
ONE = dt.timedelta(days=1)

#: (English when, Indonesian when, the dates, the block of non-working days): LANGUAGE.md §9.
WORKED: list[tuple[str, str, tuple[dt.date, ...], tuple[dt.date, dt.date]]] = [
    (
        'on the first 2 working days after "Idul Fitri" 2024',
        'pada 2 hari kerja pertama setelah "Idul Fitri" 2024',
        (D(2024, 4, 16), D(2024, 4, 17)),
        (D(2024, 4, 6), D(2024, 4, 15)),
    ),
    (
        'on the first 5 working days after "Idul Fitri" 2022',
        'pada 5 hari kerja pertama setelah "Idul Fitri" 2022',
        (D(2022, 5, 9), D(2022, 5, 10), D(2022, 5, 11), D(2022, 5, 12), D(2022, 5, 13)),
        (D(2022, 4, 29), D(2022, 5, 8)),
    ),
    (
        'on the first working day after "Idul Fitri" 2025',
        'pada hari kerja pertama setelah "Idul Fitri" 2025',
        (D(2025, 4, 8),),
        (D(2025, 3, 28), D(2025, 4, 7)),
    ),
    (
        'on the last 4 working days before "Nyepi" 2025',
        'pada 4 hari kerja terakhir sebelum "Nyepi" 2025',
        (D(2025, 3, 24), D(2025, 3, 25), D(2025, 3, 26), D(2025, 3, 27)),
        (D(2025, 3, 28), D(2025, 4, 7)),
    ),
    (
        'on the last 2 working days before "Nyepi" 2026',
        'pada 2 hari kerja terakhir sebelum "Nyepi" 2026',
        (D(2026, 3, 16), D(2026, 3, 17)),
        (D(2026, 3, 18), D(2026, 3, 24)),
    ),
    (
        'on the first 3 working days after "Idul Fitri" 2026',
        'pada 3 hari kerja pertama setelah "Idul Fitri" 2026',
        (D(2026, 3, 25), D(2026, 3, 26), D(2026, 3, 27)),
        (D(2026, 3, 18), D(2026, 3, 24)),
    ),
]
IDS = [w[2][0].isoformat() for w in WORKED]


def one_rule(text: str) -> Rule:
    rs = asnrules.loads(text, name="w.asnr")
    (rule,) = rs.model.rules
    return rule


def english(when: str, body: str = "all may WFA") -> str:
    return f"rule w {when} nationwide: {body}"


def indonesian(when: str, body: str = "semua boleh WFA") -> str:
    return f"aturan w {when} nasional: {body}"


def meaning(rule: Rule) -> tuple[Any, ...]:
    """What a rule means, without where it is written."""
    return (
        rule.label,
        rule.periods,
        rule.working_days,
        rule.relative,
        rule.provinces,
        rule.audience,
        [(c.group, c.mode, c.comparison, c.bound, c.permission) for c in rule.constraints],
    )


def covered_days(rule: Rule, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days from ``start`` to ``end`` the rule's periods hold."""
    out, day = [], start
    while day <= end:
        if any(p.contains(day) for p in rule.periods):
            out.append(day)
        day += ONE
    return out


# ---- the six worked dates ------------------------------------------------------------------------


@pytest.mark.parametrize(("en", "id_", "dates", "block"), WORKED, ids=IDS)
def test_worked_dates_of_section_9(
    en: str, id_: str, dates: tuple[dt.date, ...], block: tuple[dt.date, dt.date]
) -> None:
    for text in (english(en), indonesian(id_)):
        rule = one_rule(text)
        assert rule.relative is not None, text
        assert rule.relative.dates == dates, text
        assert rule.relative.block == block, text
        assert rule.relative.count == len(dates)
        assert rule.relative.order == ("first" if "first" in en else "last")
        assert rule.relative.block[0] <= rule.relative.day <= rule.relative.block[1]
        assert not rule.relative.estimated
        assert rule.working_days
        # the periods hold exactly the dates, in a stretch of a month around them
        assert covered_days(rule, dates[0] - 15 * ONE, dates[-1] + 15 * ONE) == list(dates)


@pytest.mark.parametrize(("en", "id_", "dates", "block"), WORKED, ids=IDS)
def test_english_and_indonesian_give_the_same_model(
    en: str, id_: str, dates: tuple[dt.date, ...], block: tuple[dt.date, dt.date]
) -> None:
    body_en, body_id = "admin WFH at most 50%", "admin WFH paling banyak 50%"
    assert meaning(one_rule(english(en, body_en))) == meaning(one_rule(indonesian(id_, body_id)))
    assert meaning(one_rule(english(en))) == meaning(one_rule(indonesian(id_)))
    # a whole file, with a header, in each language
    file_en = f'circular "W 1/2026"\n  issued 2022-01-03 by "M"\n{english(en, body_en)}\n'
    file_id = f'surat edaran "W 1/2026"\n  ditetapkan 2022-01-03 oleh "M"\n{indonesian(id_, body_id)}\n'
    m_en, m_id = asnrules.loads(file_en).model, asnrules.loads(file_id).model
    assert [meaning(r) for r in m_en.rules] == [meaning(r) for r in m_id.rules]
    assert [(c.name, c.issued) for c in m_en.circulars] == [(c.name, c.issued) for c in m_id.circulars]


@pytest.mark.parametrize("engine", ["interpreter", "compiled"])
@pytest.mark.parametrize(("en", "id_", "dates", "block"), WORKED, ids=IDS)
def test_a_window_rule_applies_on_its_dates_only(
    en: str, id_: str, dates: tuple[dt.date, ...], block: tuple[dt.date, dt.date], engine: str
) -> None:
    """On each date of the window a quota binds; on the block's days, the day before the first date
    and the day after the last, nothing does."""
    rs = asnrules.loads(english(en, "admin WFH at most 50%"))
    over = {"admin": {"WFH": 6, "WFO": 4}}
    for day in dates:
        assert rs.evaluate(day, "DKI", over, engine=engine).outcome == "violation", day
        assert rs.evaluate(day, "Papua", {"admin": {"WFH": 5, "WFO": 5}}, engine=engine).outcome == "compliant"
    for day in (dates[0] - ONE, dates[-1] + ONE, block[0], block[1], block[0] - ONE, block[1] + ONE):
        if day not in dates:
            assert rs.evaluate(day, "DKI", over, engine=engine).outcome == "uncovered", day


# ---- spellings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when",
    [
        'on the first working day after "Idul Fitri" 2025',
        'on the first 1 working days after "Idul Fitri" 2025',
        'on the first 1 working day after "Idul Fitri" 2025',
        'on the first working day after "Lebaran" 2025',
        'on the first working day after "Hari Raya Idul Fitri" 2025',
        'on the first working day after "Eid al-Fitr" 2025',
        'on the first working day after "idul  FITRI" 2025',
        'pada hari kerja pertama setelah "Idul Fitri" 2025',
        'pada 1 hari kerja pertama setelah "Lebaran" 2025',
    ],
)
def test_names_and_n_equal_one_name_the_same_window(when: str) -> None:
    rule = one_rule(f"rule w {when}: all may WFA")
    assert rule.relative is not None
    assert rule.relative.dates == (D(2025, 4, 8),)
    assert rule.relative.day == D(2025, 3, 31)
    assert rule.relative.name_id == "Hari Raya Idul Fitri"


@pytest.mark.parametrize(
    "when",
    [
        'on the last working day before "Nyepi" 2025',
        "on the last working day before Nyepi 2025",
        'on the last working day before "Hari Suci Nyepi" 2025',
        'on the last working day before "Day of Silence" 2025',
        "pada hari kerja terakhir sebelum Nyepi 2025",
        'pada 1 hari kerja terakhir sebelum "Nyepi" 2025',
    ],
)
def test_last_before_in_every_spelling(when: str) -> None:
    rule = one_rule(f"rule w {when}: all may WFA")
    assert rule.relative is not None
    assert rule.relative.dates == (D(2025, 3, 27),)
    assert rule.relative.block == (D(2025, 3, 28), D(2025, 4, 7))


def test_a_window_across_a_weekend_holds_only_its_working_days() -> None:
    """Christmas 2024 (Wednesday, cuti bersama Thursday): the first two working days after are Friday
    27 and Monday 30 December, not the weekend between."""
    rule = one_rule('rule w on the first 2 working days after "Natal" 2024: all may WFA')
    assert rule.relative is not None
    assert rule.relative.dates == (D(2024, 12, 27), D(2024, 12, 30))
    assert covered_days(rule, D(2024, 12, 20), D(2025, 1, 5)) == [D(2024, 12, 27), D(2024, 12, 30)]
    rs = asnrules.loads('rule w on the first 2 working days after "Natal" 2024: admin WFH <= 50%')
    assert rs.evaluate("2024-12-28", "DKI", {"admin": {"WFH": 9, "WFO": 1}}).outcome == "uncovered"
    assert rs.evaluate("2024-12-30", "DKI", {"admin": {"WFH": 9, "WFO": 1}}).outcome == "violation"


def test_a_declared_national_holiday_moves_the_window() -> None:
    """A national ``holiday`` next to the block lengthens it; a ``working day`` inside it ends it."""
    longer = asnrules.loads(
        'holiday 2024-04-16 "Cuti bersama tambahan"\n'
        'rule w on the first 2 working days after "Idul Fitri" 2024: all may WFA'
    ).model.rules[0]
    assert longer.relative is not None
    assert longer.relative.block == (D(2024, 4, 6), D(2024, 4, 16))
    assert longer.relative.dates == (D(2024, 4, 17), D(2024, 4, 18))
    shorter = asnrules.loads(
        'libur 2024-04-18 "Libur daerah" di Aceh\n'
        'hari kerja 2024-04-15 "Cuti bersama dibatalkan"\n'
        'aturan w pada 2 hari kerja pertama setelah "Idul Fitri" 2024: semua boleh WFA'
    ).model.rules[0]
    assert shorter.relative is not None
    assert shorter.relative.block == (D(2024, 4, 6), D(2024, 4, 14))
    assert shorter.relative.dates == (D(2024, 4, 15), D(2024, 4, 16))


def test_a_provincial_holiday_does_not_move_the_window_but_closes_the_office_there() -> None:
    rs = asnrules.loads(
        'holiday 2024-04-17 "Libur daerah" in Aceh\n'
        'rule w on the first 2 working days after "Idul Fitri" 2024: admin WFH <= 50%'
    )
    rule = rs.model.rules[0]
    assert rule.relative is not None and rule.relative.dates == (D(2024, 4, 16), D(2024, 4, 17))
    over = {"admin": {"WFH": 6, "WFO": 4}}
    assert rs.evaluate("2024-04-17", "Aceh", over, engine="interpreter").outcome == "uncovered"
    assert rs.evaluate("2024-04-17", "DKI", over, engine="interpreter").outcome == "violation"
    assert rs.evaluate("2024-04-16", "Aceh", over, engine="interpreter").outcome == "violation"


# ---- the real instruments ---------------------------------------------------------------------------


def test_the_bundled_instruments_resolve_to_the_dates_they_state() -> None:
    """rules/: SE MenPANRB 1/2024 (16–17 April 2024), 2/2025 (24–27 March 2025), 3/2025 (8 April 2025)
    and 2/2026 (16–17 and 25–27 March 2026), as INSTRUMENTS.md states them."""
    model = asnrules.load(RULES).model
    windows: dict[str, set[tuple[dt.date, ...]]] = {}
    for r in model.rules:
        if r.relative is not None:
            windows.setdefault(r.circular, set()).add(r.relative.dates)
    assert windows["SE MenPANRB 1/2024"] == {(D(2024, 4, 16), D(2024, 4, 17))}
    assert windows["SE MenPANRB 2/2025"] == {(D(2025, 3, 24), D(2025, 3, 25), D(2025, 3, 26), D(2025, 3, 27))}
    assert windows["SE MenPANRB 3/2025"] == {(D(2025, 4, 8),)}
    assert windows["SE MenPANRB 2/2026"] == {
        (D(2026, 3, 16), D(2026, 3, 17)),
        (D(2026, 3, 25), D(2026, 3, 26), D(2026, 3, 27)),
    }
    for name in ("SE MenPANRB 2/2025", "SE MenPANRB 3/2025", "SE MenPANRB 2/2026"):
        rules = [r for r in model.rules if r.circular == name]
        assert rules and all(
            c.permission and c.group == "all" and c.mode == "WFA" for r in rules for c in r.constraints
        )


# ---- errors and warnings ------------------------------------------------------------------------------


def test_an_unknown_holiday_is_an_error_with_suggestions() -> None:
    with pytest.raises(asnrules.RulesError) as e:
        asnrules.loads('rule w on the first working day after "Idul Fitriii" 2025: all may WFA')
    (d,) = e.value.diagnostics
    assert d.code == "E115" and "Idul Fitri" in d.message and d.line == 1


def test_zero_working_days_is_an_error() -> None:
    with pytest.raises(asnrules.RulesError) as e:
        asnrules.loads('rule w on the first 0 working days after "Idul Fitri" 2025: all may WFA')
    assert [d.code for d in e.value.diagnostics] == ["E116"]


def test_an_estimated_holiday_gets_a_warning() -> None:
    rs = asnrules.loads('rule w on the first 2 working days after "Idul Fitri" 2035: all may WFA')
    rule = rs.model.rules[0]
    assert rule.relative is not None and rule.relative.estimated
    assert [d.code for d in rs.diagnostics if d.severity == "warning"] == ["W207"]
    confirmed = asnrules.loads('rule w on the first 2 working days after "Idul Fitri" 2024: all may WFA')
    assert not [d for d in confirmed.diagnostics if d.code == "W207"]
