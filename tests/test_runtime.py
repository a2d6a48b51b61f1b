"""Properties of the shared runtime's readers (``asnrules.runtime``), and of the awkward spellings
``tests/strategies.py`` draws for every backend.

- ``name_key`` is idempotent, insensitive to ASCII case and to the blanks and separators of
  ``BLANKS``/``SEPARATORS``: the key of any text is exactly its words (split at runs of those) in
  ASCII lower case, joined by one space; other letters keep their case (the narrowed alphabet);
- ``read_date`` accepts exactly a day ``YYYY-MM-DD`` with an optional time part at midnight and
  blanks around, and rejects every other time of day as a bad date; ``datetime`` values alike;
- every reader returns a value or a ``Reason``, never raises, on arbitrary input;
- the strategies' vocabulary is the runtime's and the prelude's, and the expected reading of each
  awkward row (drawn canonical first, then decorated) is what the runtime's readers make of it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import strategies as gen
from asnrules import prelude, runtime
from asnrules.citing import reason_msg
from asnrules.parser import parse
from asnrules.resolve import resolve
from asnrules.runtime import Reason

BLANKS_AND_SEPARATORS = runtime.BLANKS + runtime.SEPARATORS
blank_runs = st.text(alphabet=BLANKS_AND_SEPARATORS, min_size=1, max_size=4)
word_chars = st.characters(blacklist_characters=BLANKS_AND_SEPARATORS)
name_words = st.lists(st.text(word_chars, min_size=1, max_size=8), max_size=5)

# ---- the vocabulary of the strategies is the runtime's ---------------------------------------------


def test_the_strategies_spell_modes_levels_and_rejects_as_the_runtime_reads_them() -> None:
    assert {runtime.name_key(w): m for m, ws in gen.MODE_WORDS.items() for w in ws} == runtime.MODE_SPELLINGS
    assert {runtime.name_key(w): x for x, ws in gen.LEVEL_WORDS.items() for w in ws} == runtime.LEVEL_SPELLINGS
    assert gen.REJECT_REASONS == tuple(runtime.REJECTS[i] for i in range(1, 8))
    assert (gen.DUPLICATE, gen.TWO_UNITS, gen.DISAGREE) == (runtime.REJECTS[8], runtime.REJECTS[9], runtime.REJECTS[10])
    assert set("".join(gen.INNER + gen.OUTER + gen.EXOTIC_INNER + gen.EXOTIC_OUTER)) <= set(BLANKS_AND_SEPARATORS)
    assert {"\u00a0", " ", "\t", "_", "-"} <= set(BLANKS_AND_SEPARATORS)


def test_the_strategies_know_the_preludes_categories_and_provinces() -> None:
    assert {c.name: c.members for c in prelude.CATEGORIES} == gen.PRELUDE
    assert {c.name: c.aliases for c in prelude.CATEGORIES} == gen.PRELUDE_ALIASES
    assert [(p.code, p.iso, p.name, p.short, p.aliases) for p in prelude.provinces()] == [
        (p.code, p.iso, p.name, p.short, p.aliases) for p in gen.PROVINCES
    ]
    keys = prelude.province_keys()
    for code, spellings in gen.PROVINCE_SPELLINGS.items():
        assert spellings and all(keys[runtime.name_key(s)] == code for s in spellings), code
        assert all(gen.key(s) == runtime.name_key(s) for s in spellings)
    assert all(runtime.name_key(u) not in keys for u in gen.UNKNOWN_REGIONS)


# ---- name_key ------------------------------------------------------------------------------------------


@given(st.text())
def test_name_key_is_idempotent(text: str) -> None:
    k = runtime.name_key(text)
    assert runtime.name_key(k) == k


@given(st.text())
@example("DKI\u00a0Jakarta")
def test_name_key_ignores_ascii_case(text: str) -> None:
    swapped = "".join(ch.swapcase() if ch.isascii() else ch for ch in text)
    k = runtime.name_key(text)
    assert runtime.name_key(gen.ascii_upper(text)) == k == runtime.name_key(gen.ascii_lower(text))
    assert runtime.name_key(swapped) == k


@given(name_words, st.lists(blank_runs, min_size=6, max_size=6), st.booleans(), st.booleans())
@example(["DKI", "Jakarta"], ["\u00a0"] * 6, True, True)
@example(["leadership", "support"], ["_", "-", "\u2011", " ", " ", " "], False, True)
def test_name_key_is_the_words_in_ascii_lower_case(ws: list[str], runs: list[str], lead: bool, trail: bool) -> None:
    """Whatever runs of blanks and separators join the words and surround them, the key is the words
    in ASCII lower case joined by one space."""
    pieces = [runs[0]] if lead else []
    for i, w in enumerate(ws):
        pieces += [runs[i], w] if i else [w]
    pieces += [runs[5]] if trail else []
    assert runtime.name_key("".join(pieces)) == " ".join(gen.ascii_lower(w) for w in ws)


def test_name_key_folds_ascii_letters_only() -> None:
    assert runtime.name_key("KEMENTERIAN") == "kementerian"
    assert runtime.name_key("\u00c9DU") == "\u00c9du"  # É stays: SQL cannot fold it as Python does
    assert runtime.name_key("a\u2003b") == "a\u2003b"  # an em space is not one of the blanks


# ---- read_date ----------------------------------------------------------------------------------------

#: Every time part at midnight that a date may carry, once blanks are collapsed (LANGUAGE.md §13).
MIDNIGHT = {""} | {
    sep + t for sep in (" ", "T") for t in ("00:00", "00:00:00", *(f"00:00:00.{'0' * k}" for k in range(1, 10)))
}
_BLANK_RUN = re.compile("[" + re.escape(runtime.BLANKS) + "]+")


def _midnight_suffix(suffix: str) -> bool:
    """Whether ``YYYY-MM-DD`` + ``suffix`` names the day alone: the suffix, its runs of blanks made one
    space and trailing blanks dropped, is a time part at midnight or nothing."""
    return _BLANK_RUN.sub(" ", suffix).rstrip(" ") in MIDNIGHT


@given(gen.midnight_dates())
@example(("2023-08-30T00:00:00", dt.date(2023, 8, 30)))
@example(("2023-08-30 00:00", dt.date(2023, 8, 30)))
@example(("\u00a02023-08-30 00:00:00.000\u00a0", dt.date(2023, 8, 30)))
def test_read_date_accepts_each_day_with_a_time_part_at_midnight(drawn: tuple[str, dt.date]) -> None:
    text, day = drawn
    assert runtime.read_date(text) == day


@given(gen.other_times())
@example("2023-08-30T08:00")
@example("2023-08-30 00:00:01")
@example("2023-08-30T00:00:00.5")
@example("2023-08-30T00:00:00+07:00")
def test_read_date_rejects_any_other_time_of_day(text: str) -> None:
    found = runtime.read_date(text)
    assert isinstance(found, Reason) and found.code == "E310" and found.reject == "bad date", text


@given(
    st.dates(),
    st.text(alphabet=runtime.BLANKS, max_size=3),
    st.one_of(
        st.sampled_from(sorted(MIDNIGHT)),
        st.text(alphabet=" T0:.1Z+\u00a0", max_size=14),
        st.text(max_size=14),
    ),
)
@example(dt.date(2023, 8, 30), "", "T00:00:00.0000000000")  # ten zeros: not a spelling of midnight
@example(dt.date(2023, 8, 30), "", "\u00a0T00:00")
def test_read_date_accepts_exactly_the_midnight_spellings(day: dt.date, before: str, suffix: str) -> None:
    """A text made of a day and anything after it reads as that day exactly when what follows is a
    time part at midnight (or blanks); anything else is a bad date."""
    found = runtime.read_date(before + day.isoformat() + suffix)
    if _midnight_suffix(suffix):
        assert found == day
    else:
        assert isinstance(found, Reason) and found.reject == "bad date", (suffix, found)


@given(st.dates(), st.times(), st.booleans())
def test_read_date_of_date_and_datetime_values(day: dt.date, time: dt.time, zoned: bool) -> None:
    assert runtime.read_date(day) == day
    moment = dt.datetime.combine(day, time, tzinfo=dt.UTC if zoned else None)
    found = runtime.read_date(moment)
    if time == dt.time(0, 0) and not zoned:
        assert found == day and type(found) is dt.date
    else:
        assert isinstance(found, Reason) and found.reject == "bad date"


# ---- readers never raise --------------------------------------------------------------------------------

anything = st.one_of(
    st.text(),
    st.none(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.binary(max_size=8),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=3),
    st.text(alphabet=BLANKS_AND_SEPARATORS + "WFOHAcutipsa0123-:T ", max_size=12),
)
PROVINCE_KEYS = prelude.province_keys()
CATEGORY_KEYS = {runtime.name_key(n): c for c in gen.PRELUDE for n in gen.category_names(c)}


@given(anything)
@settings(max_examples=500)
def test_readers_return_a_value_or_a_reason_and_never_raise(value: object) -> None:
    day = runtime.read_date(value)
    assert isinstance(day, Reason) or type(day) is dt.date
    province = runtime.read_province(value, PROVINCE_KEYS, ["DKI Jakarta", "Bali"])
    assert isinstance(province, Reason) or province in gen.PROVINCE_BY_CODE
    level = runtime.read_level(value)
    assert level is None or isinstance(level, Reason) or level in ("central", "regional")
    agency = runtime.read_agency(value)
    assert agency is None or isinstance(agency, Reason) or (isinstance(agency, tuple) and agency[0])
    mode = runtime.read_mode(value)
    assert isinstance(mode, Reason) or mode in ("WFO", "WFH", "WFA", "LEAVE")
    category = runtime.read_category(value, CATEGORY_KEYS, sorted(gen.PRELUDE))
    assert isinstance(category, Reason) or category in gen.PRELUDE
    count = runtime.read_count(value, "x")
    assert isinstance(count, Reason) or (type(count) is int and count >= 0)
    assert isinstance(runtime.is_blank(value), bool)
    for found in (day, province, level, agency, mode, category, count):
        if isinstance(found, Reason):
            assert found.code in ("E310", "E311", "E312", "E313") and found.message
            # the same words in the catalogue, in English exactly, and in Indonesian
            words = reason_msg(found)
            assert not isinstance(words, str), found
            assert words.text("en") == found.message
            assert words.text("id")
    if isinstance(value, str):
        assert runtime.blank_collapse(value) == runtime.blank_collapse(runtime.blank_collapse(value))
        assert runtime.is_blank(value) == all(ch in runtime.BLANKS for ch in value)


# ---- awkward rows: the expected reading is the runtime's --------------------------------------------------


def runtime_reading(row: gen.Row, category_keys: dict[str, str]) -> gen.Reading:
    """What the runtime's readers make of a row: the first reason in runtime.REJECTS order, or the
    values."""
    day = runtime.read_date(row.date)
    province = runtime.read_province(row.region, PROVINCE_KEYS)
    category = runtime.read_category(row.category, category_keys)
    mode = runtime.read_mode(row.mode)
    level = runtime.read_level(row.level)
    agency = runtime.read_agency(row.agency)
    reasons = [
        runtime.REJECTS[1] if runtime.is_blank(row.unit) else None,
        runtime.REJECTS[2] if runtime.is_blank(row.employee) else None,
        *(f.reject if isinstance(f, Reason) else None for f in (day, province, category, mode, level)),
    ]
    assert not isinstance(agency, Reason)
    return gen.Reading(
        reject=next((r for r in reasons if r), None),
        unit=None if runtime.is_blank(row.unit) else row.unit,
        employee=None if runtime.is_blank(row.employee) else row.employee,
        day=None if isinstance(day, Reason) else day,
        province=None if isinstance(province, Reason) else province,
        category=None if isinstance(category, Reason) else category,
        mode=None if isinstance(mode, Reason) else mode,
        agency=None if agency is None else agency[0],
        agency_name=row.expected.agency_name,
        level=None if isinstance(level, Reason) else level,
    )


@given(gen.awkward_rows())
@settings(max_examples=500)
def test_each_awkward_row_reads_as_the_strategy_expects(row: gen.Row) -> None:
    assert runtime_reading(row, CATEGORY_KEYS) == row.expected, row


@given(gen.awkward_rows(exotic=True))
@settings(max_examples=200)
def test_each_exotic_row_reads_as_the_strategy_expects(row: gen.Row) -> None:
    """The same with every blank and separator of the runtime (narrow no-break space, ideographic
    space, tab, Unicode hyphens)."""
    assert runtime_reading(row, CATEGORY_KEYS) == row.expected, row


@given(gen.rule_sets_with_attendance(extras=False))
@settings(max_examples=60)
def test_attendance_for_a_rule_set_reads_as_expected(drawn: tuple[gen.RuleSetCase, gen.AttendanceCase]) -> None:
    """Rows in the categories a rule set declares (nested under the prelude's): read with the rule
    set's names, each row reads as expected, and each row is either judged in its unit-day or rejected."""
    case, table = drawn
    model, diags = resolve([parse(text, name) for name, text in case.files])
    assert not [d for d in diags if d.severity == "error"], diags
    keys = dict(model.category_names)
    for row in table.rows:
        assert runtime_reading(row, keys) == row.expected, row
    unit_days, rejected = table.expected()
    assert sum(u.rows for u in unit_days.values()) + len(rejected) == len(table.rows)


@pytest.mark.parametrize(
    ("column", "written", "expected"),
    [
        ("date", "2023-08-30T00:00:00", dt.date(2023, 8, 30)),
        ("date", "2023-08-30 00:00", dt.date(2023, 8, 30)),
        ("date", " 2023-08-30\u00a0", dt.date(2023, 8, 30)),
        ("date", "2023-08-30T08:00:00", "bad date"),
        ("region", "DKI\u00a0Jakarta", "31"),
        ("region", "dki_jakarta", "31"),
        ("region", "DKI-Jakarta", "31"),
        ("region", " 31 ", "31"),
        ("region", "ID-JK", "31"),
        ("region", "id_jk", "31"),
        ("region", "Atlantis", "unknown region"),
        ("mode", "cuti", "LEAVE"),
        ("mode", "CUTI", "LEAVE"),
        ("mode", " leave\u00a0", "LEAVE"),
        ("mode", "wfh", "WFH"),
        ("mode", "REMOTE", "unknown mode"),
        ("level", "pusat", "central"),
        ("level", "Daerah ", "regional"),
        ("level", "\u00a0", None),
        ("level", "provincial", "unknown level"),
        ("category", "Leadership\u00a0Support", "leadership-support"),
        ("category", "KESEHATAN", "health"),
        ("category", "chef", "unknown category"),
    ],
)
def test_the_spellings_of_the_issue_read_as_one_value(column: str, written: str, expected: object) -> None:
    """The awkward spellings issue 8 lists, each read by the runtime as the strategies expect."""
    readers: dict[str, Callable[[str], object]] = {
        "date": runtime.read_date,
        "region": lambda v: runtime.read_province(v, PROVINCE_KEYS),
        "mode": runtime.read_mode,
        "level": runtime.read_level,
        "category": lambda v: runtime.read_category(v, CATEGORY_KEYS),
    }
    found = readers[column](written)
    assert (found.reject if isinstance(found, Reason) else found) == expected
