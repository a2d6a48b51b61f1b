"""The calendar of working days (LANGUAGE.md §9; issue 11, items 1 and 6): ``asnrules.workdays``.

- the six worked dates of §9, exactly;
- ``asnrules calendar 2025``'s facts (28 March cuti bersama for Nyepi, 31 March Idul Fitri) through
  :func:`calendar_text`, :func:`calendar_json` and :meth:`Calendar.non_working_days`;
- a golden calendar 2022–2027 (``tests/cases/calendar/indonesia-2022-2027.json``: every non-working day
  that is not a weekend, with its kind and names), so that a silent change of the ``holidays`` package
  is caught (``ASNRULES_UPDATE_GOLDEN=1`` rewrites it);
- names: official and common, Indonesian and English, case and blanks ignored; suggestions;
- declarations: ``holiday`` (national, provincial), ``working day``, and how they meet;
- estimated years; errors as InputError with catalogue messages in both languages;
- Hypothesis: "first N after" / "last N before" give N adjacent working days next to the block, skipping
  none; a block is maximal and wholly non-working; a declared working day inside a block splits it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asnrules import workdays
from asnrules.errors import InputError
from asnrules.workdays import (
    CALENDAR_VERSION,
    Calendar,
    Holiday,
    HolidayDeclaration,
    WorkingDayDeclaration,
    calendar_json,
    calendar_text,
    national_holidays,
)

GOLDEN = Path(__file__).resolve().parent / "cases" / "calendar" / "indonesia-2022-2027.json"
GOLDEN_YEARS = range(2022, 2028)
UPDATE = os.environ.get("ASNRULES_UPDATE_GOLDEN") == "1"

D = dt.date
ONE = dt.timedelta(days=1)
CAL = Calendar()


def days(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    out = []
    while start <= end:
        out.append(start)
        start += ONE
    return tuple(out)


# ---- LANGUAGE.md §9: the six worked dates ---------------------------------------------------------


@pytest.mark.parametrize(
    ("how", "name", "year", "n", "expected"),
    [
        ("first", "Idul Fitri", 2024, 2, days(D(2024, 4, 16), D(2024, 4, 17))),
        ("first", "Idul Fitri", 2022, 5, days(D(2022, 5, 9), D(2022, 5, 13))),
        ("first", "Idul Fitri", 2025, 1, (D(2025, 4, 8),)),
        ("last", "Nyepi", 2025, 4, days(D(2025, 3, 24), D(2025, 3, 27))),
        ("last", "Nyepi", 2026, 2, days(D(2026, 3, 16), D(2026, 3, 17))),
        ("first", "Idul Fitri", 2026, 3, days(D(2026, 3, 25), D(2026, 3, 27))),
    ],
)
def test_the_worked_dates_of_language_9(how: str, name: str, year: int, n: int, expected: tuple[dt.date, ...]) -> None:
    got = CAL.first_after(name, year, n) if how == "first" else CAL.last_before(name, year, n)
    assert got == expected


def test_the_blocks_of_instruments_md() -> None:
    assert CAL.block(D(2024, 4, 10)) == (D(2024, 4, 6), D(2024, 4, 15))
    assert CAL.block(D(2022, 5, 2)) == (D(2022, 4, 29), D(2022, 5, 8))
    assert CAL.block(D(2025, 3, 29)) == (D(2025, 3, 28), D(2025, 4, 7))
    assert CAL.block(D(2025, 3, 31)) == (D(2025, 3, 28), D(2025, 4, 7))
    assert CAL.block(D(2026, 3, 19)) == (D(2026, 3, 18), D(2026, 3, 24))
    assert CAL.holiday_block("Lebaran", 2026) == (D(2026, 3, 18), D(2026, 3, 24))
    # SE 1/2024: 15 April is cuti bersama, 18 April is the third working day after
    assert not CAL.is_working_day(D(2024, 4, 15), "51")
    assert CAL.first_after("Idul Fitri", 2024, 3)[-1] == D(2024, 4, 18)


def test_one_names_for_the_worked_dates() -> None:
    for name in ("Idul Fitri", "Hari Raya Idul Fitri", "Lebaran", "Eid al-Fitr", "IDUL  fitri", "idul_fitri"):
        assert CAL.first_after(name, 2024, 2) == days(D(2024, 4, 16), D(2024, 4, 17))
    for name in ("Nyepi", "Hari Suci Nyepi", "Day of Silence", "hari suci nyepi"):
        assert CAL.last_before(name, 2025, 4) == days(D(2025, 3, 24), D(2025, 3, 27))


# ---- `asnrules calendar 2025` -----------------------------------------------------------------------


def test_calendar_2025_lists_nyepi_cuti_bersama_and_idul_fitri() -> None:
    listed = {h.day: h for h in CAL.non_working_days(2025)}
    nyepi_cb = listed[D(2025, 3, 28)]
    assert (nyepi_cb.kind, nyepi_cb.name_id, nyepi_cb.name_en) == (
        "cuti bersama",
        "Cuti Bersama Hari Suci Nyepi",
        "Day of Silence Joint Holiday",
    )
    fitri = listed[D(2025, 3, 31)]
    assert (fitri.kind, fitri.name_id, fitri.name_en, fitri.estimated) == (
        "public",
        "Hari Raya Idul Fitri",
        "Eid al-Fitr",
        False,
    )
    for lang, kind_cb, kind_public in (
        ("id", "cuti bersama", "libur nasional"),
        ("en", "cuti bersama", "public holiday"),
    ):
        text = calendar_text(2025, lang=lang)
        lines = {line[:10]: line for line in text.splitlines()[1:]}
        assert kind_cb in lines["2025-03-28"] and "Cuti Bersama Hari Suci Nyepi" in lines["2025-03-28"]
        assert "Day of Silence Joint Holiday" in lines["2025-03-28"]
        assert kind_public in lines["2025-03-31"] and "Hari Raya Idul Fitri" in lines["2025-03-31"]
        assert "Eid al-Fitr" in lines["2025-03-31"]
        assert CALENDAR_VERSION in text.splitlines()[0]
        assert "2025-03-29" in lines, "a holiday on a Saturday is listed"
        assert "2025-03-30" not in lines, "a plain Sunday is not"
    assert "Jumat" in calendar_text(2025).splitlines()[5] and "Friday" in calendar_text(2025, lang="en").splitlines()[5]


def test_calendar_json() -> None:
    data = calendar_json(2025)
    assert data["year"] == 2025 and data["province"] is None and data["calendar_version"] == CALENDAR_VERSION
    by_date = {d["date"]: d for d in data["days"]}
    assert by_date["2025-03-28"] == {
        "date": "2025-03-28",
        "weekday": 5,
        "kind": "cuti bersama",
        "name_id": "Cuti Bersama Hari Suci Nyepi",
        "name_en": "Day of Silence Joint Holiday",
        "estimated": False,
        "provinces": None,
    }
    assert by_date["2025-03-31"]["name_id"] == "Hari Raya Idul Fitri"
    json.dumps(data)
    bali = calendar_json(2025, "Bali")
    assert bali["province"] == {"code": "51", "name": "Bali"}
    assert bali["days"] == data["days"]


def test_the_version_is_the_packages() -> None:
    from importlib.metadata import version

    assert CALENDAR_VERSION == f"holidays {version('holidays')}"


# ---- the golden calendar 2022–2027 ------------------------------------------------------------------


def _plain(year: int) -> list[dict[str, Any]]:
    return [
        {
            "date": h.day.isoformat(),
            "kind": h.kind,
            "name_id": h.name_id,
            "name_en": h.name_en,
            "estimated": h.estimated,
        }
        for h in CAL.non_working_days(year)
    ]


def _golden_text(doc: dict[str, Any]) -> str:
    """The golden file: one line for each day, so that a change of the package is a readable diff."""
    lines = ["{"]
    lines.append(f'  "about": {json.dumps(doc["about"], ensure_ascii=False)},')
    lines.append(f'  "calendar_version": {json.dumps(doc["calendar_version"])},')
    lines.append('  "years": {')
    years = list(doc["years"].items())
    for i, (year, found) in enumerate(years):
        lines.append(f'    "{year}": [')
        lines.extend(
            "      " + json.dumps(d, ensure_ascii=False) + ("," if j < len(found) - 1 else "")
            for j, d in enumerate(found)
        )
        lines.append("    ]" + ("," if i < len(years) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def test_the_golden_calendar() -> None:
    found = {str(y): _plain(y) for y in GOLDEN_YEARS}
    if UPDATE:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            "about": "Every non-working day that is not a Saturday or Sunday, 2022-2027, national (asnrules.workdays, "
            "holidays package, Indonesia, categories public and government). Rewritten by ASNRULES_UPDATE_GOLDEN=1.",
            "calendar_version": CALENDAR_VERSION,
            "years": found,
        }
        GOLDEN.write_text(_golden_text(doc), encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for year in GOLDEN_YEARS:
        assert found[str(year)] == golden["years"][str(year)], (
            f"the calendar of {year} changed (now {CALENDAR_VERSION}, golden {golden['calendar_version']}): "
            "review the change, then ASNRULES_UPDATE_GOLDEN=1"
        )


def test_the_golden_calendar_holds_the_instruments_facts() -> None:
    """INSTRUMENTS.md's calendar facts, read from the golden file (so the file itself is checked)."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))["years"]

    def of(year: int, kind: str, name_id: str) -> list[str]:
        return [d["date"] for d in golden[str(year)] if d["kind"] == kind and d["name_id"] == name_id]

    fitri, cb_fitri = "Hari Raya Idul Fitri", "Cuti Bersama Hari Raya Idul Fitri"
    assert of(2022, "public", fitri) == ["2022-05-02"]
    assert of(2022, "cuti bersama", cb_fitri) == ["2022-04-29", "2022-05-04", "2022-05-05", "2022-05-06"]
    assert of(2024, "public", fitri) == ["2024-04-10"]
    assert of(2024, "cuti bersama", cb_fitri) == ["2024-04-08", "2024-04-09", "2024-04-12", "2024-04-15"]
    assert of(2025, "public", "Hari Suci Nyepi") == ["2025-03-29"]
    assert of(2025, "cuti bersama", "Cuti Bersama Hari Suci Nyepi") == ["2025-03-28"]
    assert of(2025, "cuti bersama", cb_fitri) == ["2025-04-02", "2025-04-03", "2025-04-04", "2025-04-07"]
    assert of(2026, "public", "Hari Suci Nyepi") == ["2026-03-19"]
    assert of(2026, "cuti bersama", "Cuti Bersama Hari Suci Nyepi") == ["2026-03-18"]
    assert of(2026, "public", fitri) == ["2026-03-21"]
    assert of(2026, "cuti bersama", cb_fitri) == ["2026-03-20", "2026-03-23", "2026-03-24"]
    assert {d["estimated"] for y in range(2022, 2027) for d in golden[str(y)]} == {False}


# ---- names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "year", "day"),
    [
        ("Idul Fitri", 2025, D(2025, 3, 31)),
        ("Hari Raya Idul Fitri", 2025, D(2025, 3, 31)),
        ("Lebaran", 2025, D(2025, 3, 31)),
        ("Eid al-Fitr", 2025, D(2025, 3, 31)),
        ("eid al fitr", 2025, D(2025, 3, 31)),
        ("Nyepi", 2025, D(2025, 3, 29)),
        ("Hari Suci Nyepi", 2025, D(2025, 3, 29)),
        ("Natal", 2025, D(2025, 12, 25)),
        ("Christmas", 2025, D(2025, 12, 25)),
        ("Christmas Day", 2025, D(2025, 12, 25)),
        ("Waisak", 2025, D(2025, 5, 12)),
        ("Vesak", 2025, D(2025, 5, 12)),
        ("Idul Adha", 2025, D(2025, 6, 6)),
        ("Eid al-Adha", 2025, D(2025, 6, 6)),
        ("Isra Miraj", 2025, D(2025, 1, 27)),
        ("Isra' and Mi'raj", 2025, D(2025, 1, 27)),
        ("Imlek", 2025, D(2025, 1, 29)),
        ("Paskah", 2025, D(2025, 4, 20)),
        ("Jumat Agung", 2025, D(2025, 4, 18)),
        ("Kenaikan Isa Almasih", 2025, D(2025, 5, 29)),
        ("Tahun Baru Islam", 2025, D(2025, 6, 27)),
        ("1 Muharam", 2025, D(2025, 6, 27)),
        ("Maulid Nabi", 2025, D(2025, 9, 5)),
        ("Hari Kemerdekaan", 2025, D(2025, 8, 17)),
        ("Hari Lahir Pancasila", 2025, D(2025, 6, 1)),
        ("Hari Buruh", 2025, D(2025, 5, 1)),
        ("Cuti Bersama Idul Fitri", 2025, D(2025, 4, 2)),
        ("cuti bersama lebaran", 2025, D(2025, 4, 2)),
        ("Eid al-Fitr Joint Holiday", 2025, D(2025, 4, 2)),
        ("Cuti Bersama Nyepi", 2025, D(2025, 3, 28)),
        ("Hari Pemilihan Umum", 2024, D(2024, 2, 14)),
        ("Pilkada", 2024, D(2024, 11, 27)),
        ("Isra Mikraj", 2027, D(2027, 1, 5)),
    ],
)
def test_find_by_official_and_common_names(name: str, year: int, day: dt.date) -> None:
    found = CAL.find(name, year)
    assert found is not None and found.day == day, (name, found)


def test_find_the_first_day_and_nothing() -> None:
    assert CAL.find("Hari kedua dari Hari Raya Idul Fitri", 2025) == Holiday(
        D(2025, 4, 1), "Hari kedua dari Hari Raya Idul Fitri", "Eid al-Fitr Second Day", "public"
    )
    assert CAL.find("Idul Fitry", 2025) is None
    assert CAL.find("Hari Pemilihan Umum", 2025) is None
    assert CAL.find("   ", 2025) is None


def test_unknown_names_are_errors_with_suggestions() -> None:
    assert "Idul Fitri" in CAL.suggest("Idul Fitr")
    assert "Nyepi" in CAL.suggest("Nyepii")
    assert CAL.suggest("zzzzzzzz") == []
    with pytest.raises(InputError) as caught:
        CAL.first_after("Idul Fitr", 2025)
    assert caught.value.text("en").startswith(
        "no holiday of the calendar is named 'Idul Fitr'; did you mean 'Idul Fitri'"
    )
    assert caught.value.text("id").startswith("tidak ada hari libur bernama 'Idul Fitr' dalam kalender; apakah")
    with pytest.raises(InputError) as caught:
        CAL.last_before("zzzzzzzz", 2025)
    assert caught.value.text("en") == "no holiday of the calendar is named 'zzzzzzzz'"
    with pytest.raises(InputError) as caught:
        CAL.holiday("Pemilu", 2025)
    assert caught.value.text("en") == "'Pemilu' is not a holiday of 2025 in the calendar"
    assert caught.value.text("id") == "'Pemilu' tidak termasuk hari libur tahun 2025 dalam kalender"


# ---- estimated years --------------------------------------------------------------------------------


def test_estimated_dates_are_marked_and_the_suffix_stripped() -> None:
    fitri = CAL.find("Idul Fitri", 2027)
    assert fitri == Holiday(D(2027, 3, 10), "Hari Raya Idul Fitri", "Eid al-Fitr", "public", estimated=True)
    assert fitri.label("id") == "Hari Raya Idul Fitri (perkiraan)"
    assert fitri.label("en") == "Eid al-Fitr (estimated)"
    assert not CAL.find("Nyepi", 2027).estimated  # type: ignore[union-attr]
    assert not CAL.find("Idul Fitri", 2026).estimated  # type: ignore[union-attr]
    for year in range(2022, 2030):
        for h in national_holidays(year):
            assert "perkiraan" not in h.name_id and "estimated" not in h.name_en
    assert "Hari Raya Idul Fitri | Eid al-Fitr (perkiraan)" in calendar_text(2027)
    assert "Hari Raya Idul Fitri | Eid al-Fitr (estimated)" in calendar_text(2027, lang="en")
    # Nyepi 2027's block holds the estimated Idul Fitri: a window after it depends on an estimate
    start, end = CAL.holiday_block("Nyepi", 2027)
    assert (start, end) == (D(2027, 3, 6), D(2027, 3, 15))
    assert [h.name_id for h in CAL.estimates(start, end)] == [
        "Hari Raya Idul Fitri",
        "Hari kedua dari Hari Raya Idul Fitri",
    ]
    assert CAL.estimates(D(2025, 1, 1), D(2025, 12, 31)) == []
    # beyond the published decrees the Chinese and Buddhist dates are estimated too, and no cuti bersama
    y2028 = national_holidays(2028)
    assert any(h.estimated and h.name_id == "Tahun Baru Imlek" for h in y2028)
    assert not any(h.kind == "cuti bersama" for h in y2028)
    assert not workdays.cuti_bersama_published(2028)
    assert all(workdays.cuti_bersama_published(y) for y in GOLDEN_YEARS)


# ---- declarations -----------------------------------------------------------------------------------


def test_a_provincial_holiday() -> None:
    cal = Calendar([HolidayDeclaration(D(2025, 5, 20), "Hari Jadi", frozenset({"Bali"}))])
    assert cal.declared_holidays[0].provinces == frozenset({"51"})
    day = D(2025, 5, 20)
    assert not cal.is_working_day(day, "51")
    assert not cal.is_working_day(day, "Bali")
    assert cal.is_working_day(day, "31")
    assert cal.is_working_day(day, None)
    assert [h.day for h in cal.non_working_days(2025, "51") if h.kind == "declared"] == [day]
    assert [h for h in cal.non_working_days(2025) if h.kind == "declared"] == []
    assert [h for h in cal.non_working_days(2025, "31") if h.kind == "declared"] == []
    found = cal.find("hari jadi", 2025)
    assert found is not None and found.provinces == frozenset({"51"}) and found.kind == "declared"
    # a provincial holiday makes no national block: the count runs on from its own day
    assert cal.holiday_block("Hari Jadi", 2025) == (day, day)
    assert cal.first_after("Hari Jadi", 2025, 2) == (D(2025, 5, 21), D(2025, 5, 22))
    assert "Hari Jadi (hanya di Bali)" in calendar_text(2025, "Bali", calendar=cal)
    assert "Hari Jadi" not in calendar_text(2025, calendar=cal)
    with pytest.raises(InputError):
        cal.block(day)


def test_a_provincial_holiday_inside_a_window_does_not_shift_it() -> None:
    """The count runs on national working days: a Bali holiday on 16 April 2024 leaves the window."""
    cal = Calendar([(D(2024, 4, 16), "Libur Bali", ["51"])])
    assert cal.first_after("Idul Fitri", 2024, 2) == (D(2024, 4, 16), D(2024, 4, 17))
    assert not cal.is_working_day(D(2024, 4, 16), "51")


def test_a_national_declared_holiday_lengthens_the_block() -> None:
    cal = Calendar([(D(2024, 4, 16), "Cuti bersama baru")])
    assert cal.block(D(2024, 4, 10)) == (D(2024, 4, 6), D(2024, 4, 16))
    assert cal.first_after("Idul Fitri", 2024, 2) == (D(2024, 4, 17), D(2024, 4, 18))
    assert not cal.is_working_day(D(2024, 4, 16), "31")
    listed = [h for h in cal.non_working_days(2024) if h.kind == "declared"]
    assert listed == [Holiday(D(2024, 4, 16), "Cuti bersama baru", "Cuti bersama baru", "declared")]


def test_a_cancelled_cuti_bersama() -> None:
    cal = Calendar(working_days=[WorkingDayDeclaration(D(2024, 4, 15), "Cuti bersama dibatalkan")])
    assert cal.is_working_day(D(2024, 4, 15), "51")
    assert cal.block(D(2024, 4, 10)) == (D(2024, 4, 6), D(2024, 4, 14))
    assert cal.first_after("Idul Fitri", 2024, 2) == (D(2024, 4, 15), D(2024, 4, 16))
    assert D(2024, 4, 15) not in {h.day for h in cal.non_working_days(2024)}
    assert cal.warnings() == ()


def test_a_working_day_beats_the_weekend_but_not_a_provincial_holiday() -> None:
    sat = D(2025, 3, 1)
    cal = Calendar([(sat, "Libur Aceh", ["11"])], [(sat, "Hari kerja pengganti")])
    assert cal.is_working_day(sat, None) and cal.is_working_day(sat, "31")
    assert not cal.is_working_day(sat, "11")
    assert sat not in {h.day for h in cal.non_working_days(2025, weekends=True) if h.kind == "weekend"}


def test_declarations_that_change_nothing_are_warned_about() -> None:
    cal = Calendar([(D(2025, 3, 31), "Lebaran")], [(D(2025, 3, 26), "kerja")])
    warned = {type(d).__name__: m for d, m in cal.warnings()}
    assert warned["WorkingDayDeclaration"].text("en") == "2025-03-26 ('kerja') is already a working day in the calendar"
    assert warned["HolidayDeclaration"].text("en").startswith("2025-03-31 ('Lebaran') is already a non-working day")
    assert "Hari Raya Idul Fitri" in warned["HolidayDeclaration"].text("id")


def test_bad_declarations_are_input_errors() -> None:
    with pytest.raises(InputError) as caught:
        Calendar([(D(2025, 5, 20), "x")], [(D(2025, 5, 20), "y")])
    assert caught.value.text("en") == "2025-05-20 is declared both a national holiday ('x') and a working day ('y')"
    with pytest.raises(InputError) as caught:
        Calendar([(D(2025, 5, 20), "x", ["Baly"])])
    assert caught.value.text("en").startswith("unknown province 'Baly'; did you mean 'Bali'")
    assert caught.value.text("id").startswith("provinsi 'Baly' tidak dikenal; apakah yang dimaksud 'Bali'")
    with pytest.raises(InputError):
        Calendar([(D(2025, 5, 20), "x", [])])
    with pytest.raises(InputError):
        Calendar([(D(2025, 5, 20), "  ")])
    with pytest.raises(InputError):
        Calendar(working_days=[(dt.datetime(2025, 5, 20), "x")])
    with pytest.raises(InputError):
        Calendar(working_days=[(D(1900, 5, 20), "x")])


def test_bad_arguments_are_input_errors() -> None:
    with pytest.raises(InputError) as caught:
        CAL.is_working_day(dt.datetime(2025, 1, 2, 0, 0))
    assert caught.value.text("en") == "a day of the calendar must be a datetime.date, not datetime"
    with pytest.raises(InputError):
        CAL.is_working_day(D(2025, 1, 2), "Atlantis")
    with pytest.raises(InputError) as caught:
        CAL.non_working_days(2200)
    assert caught.value.text("en") == "the calendar covers the years 1946 to 2100, not 2200"
    with pytest.raises(InputError) as caught:
        CAL.find("Natal", "2025")  # type: ignore[arg-type]
    assert caught.value.text("en") == "a year of the calendar must be a whole number, not str"
    with pytest.raises(InputError) as caught:
        CAL.first_after("Natal", 2025, 0)
    assert caught.value.text("id") == "jumlah hari kerja harus bilangan bulat mulai dari 1, bukan 0"
    with pytest.raises(InputError) as caught:
        CAL.block(D(2025, 4, 8))
    assert caught.value.text("en") == "2025-04-08 is a working day: it is in no run of non-working days"


def test_weekends_and_days() -> None:
    got = CAL.non_working_days(2025, weekends=True)
    sundays = [h for h in got if h.kind == "weekend" and h.day.isoweekday() == 7]
    assert len(sundays) == 52 and sundays[0] == Holiday(D(2025, 1, 5), "Minggu", "Sunday", "weekend")
    assert got == sorted(got, key=lambda h: h.day)
    working = list(CAL.working_days_between(D(2025, 3, 24), D(2025, 4, 9), "51"))
    assert working == [*days(D(2025, 3, 24), D(2025, 3, 27)), D(2025, 4, 8), D(2025, 4, 9)]
    assert Calendar() == CAL and hash(Calendar()) == hash(CAL)


# ---- Hypothesis properties ------------------------------------------------------------------------

YEARS = st.integers(min_value=2022, max_value=2027)


def _brute_working(cal: Calendar, day: dt.date) -> bool:
    """A working day nationally, from the listing (not from :meth:`Calendar.is_working_day`)."""
    off = {h.day for h in cal.non_working_days(day.year, weekends=True)}
    return day not in off


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    """A calendar with a few random national declarations (holidays, working days) in 2022–2027."""
    day = st.dates(min_value=D(2022, 1, 1), max_value=D(2027, 12, 31))
    hol = draw(st.lists(day, max_size=4))
    work = draw(st.lists(day.filter(lambda d: d not in hol), max_size=4))
    provincial = draw(st.lists(day, max_size=2))
    return Calendar(
        [(d, f"libur {i}") for i, d in enumerate(hol)] + [(d, "libur daerah", ["51"]) for d in provincial],
        [(d, f"kerja {i}") for i, d in enumerate(work)],
    )


@st.composite
def holiday_names(draw: st.DrawFn, cal: Calendar) -> tuple[str, int]:
    year = draw(YEARS)
    named = [h for h in cal.non_working_days(year) if h.kind != "declared"]
    h = draw(st.sampled_from(named))
    return draw(st.sampled_from([h.name_id, h.name_en])), year


@given(st.data(), st.integers(min_value=1, max_value=12))
def test_first_after_gives_n_adjacent_working_days(data: st.DataObject, n: int) -> None:
    cal = data.draw(calendars())
    name, year = data.draw(holiday_names(cal))
    h = cal.holiday(name, year)
    got = cal.first_after(name, year, n)
    assert len(got) == n and list(got) == sorted(got)
    assert all(_brute_working(cal, d) for d in got)
    start, end = cal.holiday_block(name, year)
    assert start <= h.day <= end
    assert got[0] == end + ONE, "the first working day after the block is the day after it"
    between = [d for d in days(got[0], got[-1]) if _brute_working(cal, d)]
    assert between == list(got), "no working day is skipped"


@given(st.data(), st.integers(min_value=1, max_value=12))
def test_last_before_gives_n_adjacent_working_days(data: st.DataObject, n: int) -> None:
    cal = data.draw(calendars())
    name, year = data.draw(holiday_names(cal))
    got = cal.last_before(name, year, n)
    assert len(got) == n and list(got) == sorted(got)
    assert all(_brute_working(cal, d) for d in got)
    start, _ = cal.holiday_block(name, year)
    assert got[-1] == start - ONE, "the last working day before the block is the day before it"
    between = [d for d in days(got[0], got[-1]) if _brute_working(cal, d)]
    assert between == list(got), "no working day is skipped"


@given(st.data())
def test_a_block_is_maximal_and_non_working(data: st.DataObject) -> None:
    cal = data.draw(calendars())
    year = data.draw(YEARS)
    off = sorted({h.day for h in cal.non_working_days(year, weekends=True)})
    day = data.draw(st.sampled_from(off))
    start, end = cal.block(day)
    assert start <= day <= end
    assert all(not cal.is_working_day(d) for d in days(start, end))
    assert all(not _brute_working(cal, d) for d in days(start, end))
    assert _brute_working(cal, start - ONE) and _brute_working(cal, end + ONE)
    assert cal.is_working_day(start - ONE) and cal.is_working_day(end + ONE)


@given(st.data())
def test_a_working_day_inside_a_block_splits_it(data: st.DataObject) -> None:
    year = data.draw(YEARS)
    long = sorted(
        {CAL.block(h.day) for h in CAL.non_working_days(year) if CAL.block(h.day)[1] - CAL.block(h.day)[0] >= 2 * ONE}
    )
    start, end = data.draw(st.sampled_from(long))
    inside = data.draw(st.sampled_from(days(start + ONE, end - ONE)))
    cal = Calendar(working_days=[(inside, "kerja")])
    assert cal.is_working_day(inside) and cal.is_working_day(inside, "51")
    assert cal.block(start) == (start, inside - ONE)
    assert cal.block(end) == (inside + ONE, end)


def test_the_module_is_the_only_one_importing_holidays() -> None:
    src = Path(workdays.__file__).parent
    importing = sorted(
        p.name
        for p in src.rglob("*.py")
        if any(
            line.strip().startswith(("import holidays", "from holidays")) for line in p.read_text("utf-8").splitlines()
        )
    )
    assert importing == ["workdays.py"]


# ---- the frozen calendar of the backends ----------------------------------------------------------


def test_the_frozen_calendar_decides_every_day_as_the_calendar_does() -> None:
    """runtime.is_working_day on Calendar.frozen equals Calendar.is_working_day, day by day, with
    declarations of every kind (a provincial holiday on a cancelled day included)."""
    import datetime as dt

    from asnrules.runtime import is_working_day
    from asnrules.workdays import Calendar

    cal = Calendar(
        [
            (dt.date(2024, 5, 20), "Libur daerah", ["Bali"]),
            (dt.date(2025, 12, 26), "Libur daerah", ["Aceh"]),
            (dt.date(2025, 1, 2), "Cuti tambahan"),
        ],
        [(dt.date(2025, 12, 26), "Cuti dibatalkan"), (dt.date(2024, 4, 20), "Sabtu masuk")],
    )
    frozen = cal.frozen(2023, 2026)
    day = dt.date(2023, 1, 1)
    checked = 0
    while day.year <= 2026:
        for province in (None, "51", "11", "31"):
            assert is_working_day(day.toordinal(), province, frozen) == cal.is_working_day(day, province), (
                day,
                province,
            )
            checked += 1
        day += dt.timedelta(days=1)
    assert checked == 4 * 1461
    assert not is_working_day(dt.date(2025, 12, 26).toordinal(), "11", frozen)  # the province's holiday wins
    assert is_working_day(dt.date(2025, 12, 26).toordinal(), "31", frozen)
    assert is_working_day(dt.date(2024, 4, 20).toordinal(), None, frozen)  # a Saturday made a working day


def test_outside_the_years_it_covers_the_calendar_knows_only_weekends() -> None:
    import datetime as dt

    from asnrules.workdays import LAST_YEAR, Calendar

    cal = Calendar()
    monday = dt.date(LAST_YEAR + 1, 1, 1)
    while monday.isoweekday() != 1:
        monday += dt.timedelta(days=1)
    assert cal.is_working_day(monday)
    assert not cal.is_working_day(monday + dt.timedelta(days=5))
