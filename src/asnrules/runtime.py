"""The shared runtime: every rule of meaning that a decision needs, once, in the standard library only.

The reference interpreter (:mod:`asnrules.semantics`), the in-process compiled engine and the
standalone module written by ``asnrules compile --target python`` all run this code; the SQL of the
audit (:mod:`asnrules.compile_sql`) is generated from its tables and tested against it. Jobs:

- **spellings**: :func:`name_key` (how names are compared), :func:`blank_collapse` (how blanks are
  read), and the tables of modes and levels (:data:`MODE_SPELLINGS`, :data:`LEVEL_SPELLINGS`);
- **reading a value**: :func:`read_date` (one rule for a time part: LANGUAGE.md §13),
  :func:`read_province`, :func:`read_level`, :func:`read_mode`, :func:`read_agency`,
  :func:`read_category`, :func:`read_count`, :func:`is_blank`; each returns a value or a
  :class:`Reason`, never raises;
- **the comparison** ``100·k cmp p·n`` on integers (:func:`holds`) and the decision of a set of
  constraints (:func:`check`, :func:`outcome_of`);
- **the records** every backend returns: :class:`Source`, :class:`Violation`, :class:`Applied`,
  :class:`Decision` (one public shape each);
- **the engine** (:class:`Engine`): the decision of a situation from the compiled tables (one bisect
  into a province's timeline, then a decider), used in process and by the standalone module alike;
  and :meth:`Engine.check_employee`, one employee's records judged over windows (LANGUAGE.md §12:
  :func:`read_employee_records`, :func:`judge_window`; :class:`WindowCheck`, :class:`EmployeeDecision`).

Everything between the ``###{standalone`` and ``###}`` fences is copied verbatim into the standalone
module by :func:`asnrules.compile_py.compile_module` (as Lark's standalone generator copies its fenced
sections): it must import only the standard library and refer to nothing outside the fences.

The alphabet of names is narrowed so that SQL can decide it exactly as Python does: blanks are the
characters of :data:`BLANKS` (ASCII white space, the no-break spaces and the Unicode line and
paragraph separators), and only ASCII letters are folded to lower case.
"""

from __future__ import annotations

###{standalone
# ---- the shared runtime (copied from asnrules/runtime.py; the same for every rule set) -----------------
import bisect as _bisect_module
import calendar as _calendar
import datetime as _datetime
import difflib as _difflib
import functools as _functools
import re as _re
from collections.abc import Callable as _Callable
from collections.abc import Iterable as _Iterable
from collections.abc import Mapping as _Mapping
from collections.abc import Sequence as _Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any as _Any
from typing import NamedTuple

#: What counts as a blank in names, dates and data values (runs of them are read as one space).
BLANKS = " \t\n\r\f\v\u0085\u00a0\u1680\u2007\u2028\u2029\u202f\u3000"
#: What separates the words of a name besides blanks.
SEPARATORS = "_-\u2010\u2011"

_BLANK_RUN = _re.compile("[" + BLANKS + "]+")
_NAME_RUN = _re.compile("[" + BLANKS + SEPARATORS.replace("-", "") + "-]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_DAY = _re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]00:00(?::00(?:\.0{1,9})?)?)?")

MODES = ("WFO", "WFH", "WFA")
#: Mode index in a tally ``[counted, WFO, WFH, WFA, LEAVE]``.
MODE_INDEX = {"WFO": 1, "WFH": 2, "WFA": 3, "LEAVE": 4}
#: Every accepted spelling of a mode, by :func:`name_key`.
MODE_SPELLINGS = {
    "wfo": "WFO",
    "wfh": "WFH",
    "wfa": "WFA",
    "leave": "LEAVE",
    "cuti": "LEAVE",
    "sakit": "LEAVE",
    "izin": "LEAVE",
}
#: Every accepted spelling of an agency level, by :func:`name_key`.
LEVEL_SPELLINGS = {"central": "central", "pusat": "central", "regional": "regional", "daerah": "regional"}
#: The columns of attendance data in Indonesian (LANGUAGE.md §13), by their lower-case name: the name of
#: §7 each stands for. The English names stand for themselves.
COLUMN_SPELLINGS = {
    "nip": "employee",
    "unit_kerja": "unit",
    "tanggal": "date",
    "provinsi": "region",
    "kategori": "category",
    "mode": "mode",
    "instansi": "agency",
    "tingkat": "level",
    "jam": "hours",
    "lembur": "overtime",
}
COMPARISONS = ("<=", ">=", "=", "<", ">")
OUTCOMES = ("compliant", "violation", "uncovered")
VERDICTS = ("vacuous", "holds", "fails")


class Words(NamedTuple):
    """What a message says, in no language yet: its ``id`` in the catalogue of asnrules
    (``asnrules/data/messages/runtime.toml``) and its ``args`` as (name, value) pairs, each value plain
    text or a number, another :class:`Words`, or a tuple of names (said as ``'a' or 'b'``).
    :func:`asnrules.citing.reason_msg` words it in Indonesian or English; the standalone module keeps
    the English of :attr:`Reason.message`."""

    id: str
    args: tuple[tuple[str, object], ...] = ()


class Reason(NamedTuple):
    """Why a value cannot be used: ``code`` is the diagnostic code (E310 date, E311 region, E312 level
    or agency, E313 counts, category or mode), ``reject`` the audit's reject reason for a data row (a
    machine value, always English: the rejects' ``reason`` column), ``message`` the words for a person
    in English and ``words`` the same message by its id in the catalogue (:class:`Words`)."""

    code: str
    reject: str
    message: str
    words: Words | None = None


def _words(id: str, **args: object) -> Words:
    return Words("runtime." + id, tuple(args.items()))


#: The reject reason of a row whose hours or overtime (LANGUAGE.md §13) cannot be read.
BAD_HOURS_REASON = "bad hours"
#: Why a data row cannot be audited: number (as the SQL carries it) → reason. The first that applies
#: is reported, in this order.
REJECTS = {
    1: "empty unit",
    2: "empty employee",
    3: "bad date",
    4: "unknown region",
    5: "unknown category",
    6: "unknown mode",
    7: "unknown level",
    8: "duplicate record",
    9: "employee in two units on one day",
    10: "unit-day rows disagree on province, level or agency",
    11: BAD_HOURS_REASON,
}
#: The reasons a row has on its own (its values), as opposed to those of its company: a duplicate (8,
#: 9: the same employee on the same day among the rows with none of these) and a unit-day whose rows
#: disagree (10: among the rows left).
ROW_REASONS = (1, 2, 3, 4, 5, 6, 7, 11)


@_functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """How names are compared: runs of blanks, ``_`` and hyphens made one space, the ends trimmed,
    ASCII letters in lower case (``"DKI\\u00a0Jakarta"``, ``"dki_jakarta"`` and ``" DKI-Jakarta "`` are
    one name)."""
    return _NAME_RUN.sub(" ", text).strip(" ").translate(_ASCII_LOWER)


def blank_collapse(text: str) -> str:
    """``text`` with each run of blanks made one space and the ends trimmed."""
    return _BLANK_RUN.sub(" ", text).strip(" ")


def is_blank(value: object) -> bool:
    """Whether a data value is missing: ``None`` or only blanks."""
    return value is None or (isinstance(value, str) and not blank_collapse(value))


@_functools.lru_cache(maxsize=4096)
def _read_day_text(text: str) -> _datetime.date | Reason:
    plain = blank_collapse(text)
    m = _DAY.fullmatch(plain)
    if m is None:
        if _DAY.fullmatch(plain[:10]) and len(plain) > 10:
            why = f"'{text}' has a time of day other than midnight: give the day alone, YYYY-MM-DD"
            words = _words("date-time", text=text)
        else:
            why = f"'{text}' is not written as YYYY-MM-DD (for example 2023-08-28)"
            words = _words("date-format", text=text)
        return Reason("E310", REJECTS[3], why, words)
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= month <= 12:
        return Reason(
            "E310",
            REJECTS[3],
            f"'{text}' is not a date: there is no month {month}",
            _words("date-month", text=text, month=month),
        )
    if year < 1:
        return Reason("E310", REJECTS[3], f"'{text}' is not a date: there is no year 0", _words("date-year", text=text))
    last = _calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return Reason(
            "E310",
            REJECTS[3],
            f"'{text}' is not a date: {_calendar.month_name[month]} {year} has {last} days",
            _words("date-day", text=text, month=Words(f"runtime.month.{month}"), year=str(year), last=last),
        )
    return _datetime.date(year, month, day)


def read_date(value: object) -> _datetime.date | Reason:
    """A day: a ``datetime.date``, a ``datetime`` at midnight, or a text ``YYYY-MM-DD`` optionally
    followed by a time part at midnight (``T00:00``, `` 00:00:00``, ``T00:00:00.000``) and blanks."""
    if type(value) is _datetime.date:
        return value
    if isinstance(value, _datetime.datetime):
        if value.tzinfo is not None or value.time() != _datetime.time(0, 0):
            return Reason(
                "E310",
                REJECTS[3],
                f"{value.isoformat()} has a time of day other than midnight or a zone",
                _words("datetime-time", value=value.isoformat()),
            )
        return value.date()
    if isinstance(value, _datetime.date):
        return _datetime.date(value.year, value.month, value.day)
    if isinstance(value, str):
        return _read_day_text(value)
    return Reason(
        "E310",
        REJECTS[3],
        f"a date must be a datetime.date or a text YYYY-MM-DD, not {type(value).__name__}",
        _words("date-type", type=type(value).__name__),
    )


def day_hint(value: object) -> _datetime.date | None:
    """The day a date was meant for, even when it is a bad date (LANGUAGE.md §13: a rejected row is
    charged to its unit-day): the day of a good date; the leading ``YYYY-MM-DD`` of a text when it is a
    real day (``2023-08-30 10:00`` → 2023-08-30); the calendar day of a datetime without a zone.
    ``None`` when no day can be read (``30/08/2023``, a datetime with a zone, not a date at all)."""
    day = read_date(value)
    if not isinstance(day, Reason):
        return day
    if isinstance(value, _datetime.datetime):
        return value.date() if value.tzinfo is None else None
    if isinstance(value, str):
        head = _read_day_text(blank_collapse(value)[:10])
        return None if isinstance(head, Reason) else head
    return None


def read_mode_map(pairs: _Iterable[tuple[str, str]]) -> dict[str, str] | Reason:
    """The user's spellings of modes (``--mode DL=WFO``) as ``{name_key(spelling): mode}``; a
    :class:`Reason` (E329) when a spelling is blank or a mode is none of WFO, WFH, WFA, LEAVE."""
    out: dict[str, str] = {}
    for spelling, mode in pairs:
        key = name_key(spelling) if isinstance(spelling, str) else ""
        target = MODE_SPELLINGS.get(name_key(mode)) if isinstance(mode, str) else None
        if not key:
            return Reason(
                "E329",
                "",
                f"--mode {spelling}={mode}: the spelling in the data is empty",
                _words("mode-map-empty", spelling=spelling, mode=mode),
            )
        if target is None:
            return Reason(
                "E329",
                "",
                f"--mode {spelling}={mode}: '{mode}' is not a work mode; use WFO, WFH, WFA or LEAVE",
                _words("mode-map-not-a-mode", spelling=spelling, mode=mode),
            )
        if out.get(key, target) != target:
            return Reason(
                "E329",
                "",
                f"--mode {spelling}: given twice, as {out[key]} and as {target}",
                _words("mode-map-twice", spelling=spelling, first=out[key], second=target),
            )
        out[key] = target
    return out


def column_of(name: str) -> str:
    """The column of §7 that a data column named ``name`` stands for: its name trimmed and case-folded,
    Indonesian names (:data:`COLUMN_SPELLINGS`) translated."""
    key = name.strip().casefold()
    return COLUMN_SPELLINGS.get(key, key)


def suggest(word: str, candidates: _Sequence[str], limit: int = 3) -> list[str]:
    """The known names closest to ``word`` (compared by :func:`name_key`)."""
    by_key: dict[str, str] = {}
    for c in candidates:
        by_key.setdefault(name_key(c), c)
    return [by_key[k] for k in _difflib.get_close_matches(name_key(word), list(by_key), n=limit, cutoff=0.6)]


def _did_you_mean(word: str, candidates: _Sequence[str]) -> tuple[str, Words | str]:
    """``; did you mean 'A' or 'B'?`` (nothing when no known name is close), and its :class:`Words`."""
    close = tuple(repr(x) for x in suggest(word, candidates))
    if not close:
        return "", ""
    return f"; did you mean {' or '.join(close)}?", _words("did-you-mean", names=close)


def read_province(value: object, keys: _Mapping[str, str], names: _Sequence[str] = ()) -> str | Reason:
    """The Kemendagri code of a province from any accepted name, code or alias (``keys``: by
    :func:`name_key`); ``names`` are offered as suggestions."""
    if not isinstance(value, str):
        return Reason(
            "E311",
            REJECTS[4],
            f"a region must be a text, not {type(value).__name__}",
            _words("region-type", type=type(value).__name__),
        )
    code = keys.get(name_key(value))
    if code is None:
        hint, hint_words = _did_you_mean(value, names)
        return Reason(
            "E311",
            REJECTS[4],
            f"unknown province '{value}'{hint}",
            _words("unknown-province", value=value, hint=hint_words),
        )
    return code


def read_level(value: object) -> str | Reason | None:
    """``central`` or ``regional`` (also ``pusat``/``daerah``); ``None`` for a blank."""
    if value is None:
        return None
    key = name_key(value) if isinstance(value, str) else None
    if key == "":
        return None
    found = None if key is None else LEVEL_SPELLINGS.get(key)
    if found is None:
        return Reason(
            "E312",
            REJECTS[7],
            f"level must be 'central' or 'regional', not {value!r}",
            _words("level", value=repr(value)),
        )
    return found


def read_agency(value: object) -> tuple[str, str] | Reason | None:
    """``(key, name as written without surrounding blanks)`` of an agency; ``None`` for a blank."""
    if value is None:
        return None
    if not isinstance(value, str):
        return Reason("E312", REJECTS[7], "agency must be a text", _words("agency-type"))
    key = name_key(value)
    if not key:
        return None
    return key, blank_collapse(value)


def read_mode(value: object, extra: _Mapping[str, str] | None = None) -> str | Reason:
    """``WFO``, ``WFH``, ``WFA`` or ``LEAVE`` from any spelling in :data:`MODE_SPELLINGS`, or in
    ``extra`` (the user's, from :func:`read_mode_map`; they come first)."""
    key = name_key(value) if isinstance(value, str) else None
    found = None if key is None else (extra or {}).get(key) or MODE_SPELLINGS.get(key)
    if found is None:
        return Reason(
            "E313",
            REJECTS[6],
            f"unknown work mode {value!r}: use WFO, WFH, WFA or LEAVE",
            _words("unknown-mode", value=repr(value)),
        )
    return found


def read_category(value: object, keys: _Mapping[str, str], names: _Sequence[str] = ()) -> str | Reason:
    """The canonical name of a category (``keys``: accepted names by :func:`name_key`)."""
    found = keys.get(name_key(value)) if isinstance(value, str) else None
    if found is None:
        hint, hint_words = _did_you_mean(str(value), names)
        return Reason(
            "E313",
            REJECTS[5],
            f"unknown category '{value}'{hint}",
            _words("unknown-category", value=str(value), hint=hint_words),
        )
    return found


#: ``counts`` that is not a mapping of categories (E313).
COUNTS_NOT_A_MAPPING = Reason(
    "E313", REJECTS[5], "counts must map categories to {mode: number}", Words("runtime.counts-not-a-mapping")
)


def modes_not_a_mapping(category: object, reject: str = "") -> Reason:
    """The counts of one category that are not a mapping of modes to numbers (E313)."""
    return Reason(
        "E313",
        reject,
        f"the counts of '{category}' must map modes to numbers, e.g. {{'WFH': 6}}",
        _words("modes-not-a-mapping", category=str(category)),
    )


#: The largest number of staff a count may give (LANGUAGE.md §13; docs/limits.md): a thousand times
#: the civil service, and far below the digits Python refuses to print.
MAX_COUNT = 10**12 - 1


def read_count(value: object, what: str = "") -> int | Reason:
    """A number of staff: a whole number (not a bool) from 0 up to :data:`MAX_COUNT`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        shown = repr(value) if not isinstance(value, int) else "negative"
        return Reason(
            "E313",
            "",
            f"staff counts are whole numbers from 0 up; {what} is {shown[:40]}",
            _words("count-whole", what=what, shown=_words("negative") if shown == "negative" else shown[:40]),
        )
    if value > MAX_COUNT:
        digits = len(str(value)) if value.bit_length() < 14000 else "thousands of"
        return Reason(
            "E313",
            "",
            f"staff counts are at most {MAX_COUNT:,}; {what} has {digits} digits",
            _words(
                "count-too-large",
                what=what,
                most=_words("max-count"),
                digits=digits if isinstance(digits, int) else _words("thousands-of"),
            ),
        )
    return int(value)


def exact_bound(bound: str) -> tuple[int, int]:
    """A percentage written in plain digits (``"33.5"``) as ``(numerator, denominator)`` in lowest terms."""
    f = Fraction(bound)
    return f.numerator, f.denominator


def holds(k: int, n: int, comparison: str, num: int, den: int) -> bool:
    """Whether ``100·k cmp (num/den)·n``, on integers: ``100·k·den cmp num·n`` (LANGUAGE.md §5)."""
    left = 100 * k * den
    right = num * n
    if comparison == "<=":
        return left <= right
    if comparison == ">=":
        return left >= right
    if comparison == "=":
        return left == right
    if comparison == "<":
        return left < right
    if comparison == ">":
        return left > right
    raise ValueError(f"unknown comparison {comparison!r}")


def verdict(k: int, n: int, comparison: str, num: int, den: int) -> int:
    """0 vacuous (n = 0), 1 holds, 2 fails (the index in :data:`VERDICTS`)."""
    return 0 if n == 0 else 1 if holds(k, n, comparison, num, den) else 2


def tally(under: frozenset[str], mode: int, tallies: _Mapping[str, _Sequence[int]]) -> tuple[int, int]:
    """``(n, k)``: the counted staff of the categories in ``under``, and those of them in mode ``mode``
    (an index of :data:`MODE_INDEX`); ``tallies``: category → ``[counted, WFO, WFH, WFA, LEAVE]``."""
    n = k = 0
    for cat, t in tallies.items():
        if cat in under:
            n += t[0]
            k += t[mode]
    return n, k


#: One constraint as the runtime decides it: the categories under its group, its mode index, its
#: comparison and the exact bound ``num/den``.
Check = tuple[frozenset[str], int, str, int, int]


def check(checks: _Sequence[Check], tallies: _Mapping[str, _Sequence[int]]) -> list[tuple[int, int, int]]:
    """``(n, k, verdict)`` of each constraint, in order (the decision of a set of constraints)."""
    out = []
    for under, mode, comparison, num, den in checks:
        n, k = tally(under, mode, tallies)
        out.append((n, k, verdict(k, n, comparison, num, den)))
    return out


def outcome_of(verdicts: _Sequence[int]) -> str:
    """``violation`` if any fails, ``compliant`` if any holds, else ``uncovered``."""
    if 2 in verdicts:
        return "violation"
    return "compliant" if 1 in verdicts else "uncovered"


# ---- each employee over windows (LANGUAGE.md §12) ------------------------------------------------------
# The one definition of an employee rule's windows and of its verdict on one window: the interpreter
# (asnrules.semantics.check_employee), the compiled module (its check_employee) and the SQL audit
# (asnrules.compile_sql, tested against these) all decide with these functions or are tested equal.

#: What an employee rule measures, as the runtime numbers it: the days in a mode (1–4, as
#: :data:`MODE_INDEX`), the hours worked (5), the overtime hours (6).
MEASURE_INDEX = {"WFO": 1, "WFH": 2, "WFA": 3, "LEAVE": 4, "works": 5, "overtime": 6}
#: The windows of an employee rule.
WINDOW_KINDS = ("day", "week", "month", "year")
#: The reject reason of a data row whose hours or overtime cannot be read (:data:`REJECTS` 11).
BAD_HOURS = BAD_HOURS_REASON


def window_of(ordinal: int, kind: str) -> tuple[int, int]:
    """The first and last day (proleptic ordinals) of the window of ``kind`` that holds the day
    ``ordinal``: the day itself, its ISO week (Monday to Sunday: 2024-12-30 is in the week of
    2025-W01, which starts on that Monday), its calendar month or its calendar year."""
    if kind == "day":
        return ordinal, ordinal
    if kind == "week":
        first = ordinal - (ordinal - 1) % 7  # ordinal 1 (0001-01-01) is a Monday
        return first, min(first + 6, _datetime.date.max.toordinal())  # the last week of 9999 ends with it
    day = _datetime.date.fromordinal(ordinal)
    if kind == "month":
        last = _calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1).toordinal(), day.replace(day=last).toordinal()
    if kind == "year":
        return _datetime.date(day.year, 1, 1).toordinal(), _datetime.date(day.year, 12, 31).toordinal()
    raise ValueError(f"unknown window {kind!r}")


def read_hours(value: object, what: str = "hours") -> Fraction | Reason | None:
    """Hours of one day (worked or overtime) as an exact number: a whole or decimal number from 0 to 24
    with at most four decimals (``7.5``, ``"7,5"``, ``Decimal("7.25")``; a float as the digits it
    prints: ``7.5``), so that every backend can count them exactly in ten-thousandths of an hour;
    ``None`` when blank."""
    if value is None or (isinstance(value, str) and is_blank(value)):
        return None
    if isinstance(value, bool):
        found: Fraction | None = None
    elif isinstance(value, int | Fraction):
        found = Fraction(value)
    elif isinstance(value, Decimal):
        digits = format(value, "f") if value.is_finite() else ""  # as the SQL reads a DECIMAL: its text
        found = Fraction(value) if _re.fullmatch(r"[0-9]{1,2}(?:\.[0-9]{1,4})?", digits) else None
    elif isinstance(value, float):
        text = repr(value)
        found = Fraction(Decimal(text)) if _re.fullmatch(r"[0-9]{1,2}(?:\.[0-9]{1,4})?", text) else None
    elif isinstance(value, str):
        text = value.strip().replace(",", ".")
        found = Fraction(Decimal(text)) if _re.fullmatch(r"[0-9]{1,2}(?:\.[0-9]{1,4})?", text) else None
    else:
        found = None
    if found is None or not 0 <= found <= 24:
        shown = repr(value)[:40] if not isinstance(value, str) else value[:40]
        return Reason(
            "E315",
            BAD_HOURS,
            f"{what} of one day are a number from 0 to 24 with at most four decimals, not {shown}",
            _words("hours", what=what, shown=shown),
        )
    return found


#: One employee's day as the runtime judges it: its mode (an index of :data:`MODE_INDEX`), its hours
#: worked and its overtime hours (``None``: not given).
DayRec = tuple[int, "Fraction | None", "Fraction | None"]


class WindowVerdict(NamedTuple):
    """The verdict of one employee rule on one window of one employee: the ``amount`` measured,
    the ``bound`` it was held to (the rule's, or the reachable one for a lower bound: LANGUAGE.md §12),
    ``comparison`` that bound's comparison, ``verdict`` (1 holds, 2 fails: :data:`VERDICTS`),
    ``whole`` whether the window lies wholly in the rule's scope (only then is a lower bound checked),
    ``days`` the window's days in scope and ``counted`` those of them that could count (recorded,
    not on leave; for ``works``, with hours given)."""

    amount: Fraction
    bound: Fraction
    comparison: str
    verdict: int
    whole: bool
    days: int
    counted: int


def weekdays_between(first: int, last: int) -> int:
    """The Mondays to Fridays from day ``first`` to day ``last`` (ordinals, both included)."""

    def before(o: int) -> int:  # weekdays among the days 1..o (day 1, 0001-01-01, is a Monday)
        weeks, rest = divmod(o, 7)
        return 5 * weeks + min(rest, 5)

    return before(last) - before(first - 1)


def possible_days(first: int, last: int, working_days: bool) -> int:
    """The days of a window an employee could be held to work (LANGUAGE.md §12, the hours pro rata):
    its Mondays to Fridays for a rule ``on working days`` (a holiday is a day off, like leave), else
    all its days."""
    return weekdays_between(first, last) if working_days else last - first + 1


def judge_window(
    measure: int,
    comparison: str,
    num: int,
    den: int,
    scope: _Sequence[DayRec | None],
    whole: bool,
    possible: int,
) -> WindowVerdict:
    """One employee rule (``measure`` of :data:`MEASURE_INDEX`, ``comparison``, the amount
    ``num/den``) on one window of one employee: ``scope`` holds the window's days that are in the
    rule's scope (a record, or ``None`` for a day without one), ``whole`` whether every day of the
    window that could be in scope is (LANGUAGE.md §12).

    - The amount: the days in the mode; the hours worked on days not on leave (a day without hours
      counts for nothing); the overtime hours on days not on leave (none given: 0).
    - An upper bound (``<=``, ``<``, the upper half of ``=``) is checked on every window.
    - A lower bound (``>=``, ``>``, the lower half of ``=``) only when ``whole``, and only for what the
      employee could reach: ``counted`` is the days in scope recorded outside leave (for ``LEAVE``:
      the days recorded; for ``works``: those with hours given); with N days required and
      ``counted`` < N the bound is ``counted``; with H hours required and ``counted`` below the
      ``possible`` days of the window (:func:`possible_days`: 5 in a week on working days), it is
      H·counted/possible (pro rata: a week of 37.5 hours with a holiday and 4 days worked asks 30).
      A leave minimum of N days with ``counted`` below ``possible`` asks ⌊N·counted/possible⌋ days.
      A bound so lowered is ``>=``.

    ``days`` in the answer is ``possible``.
    """
    bound = Fraction(num, den)
    amount = Fraction(0)
    counted = 0
    for rec in scope:
        if rec is None:
            continue
        mode, hours, overtime = rec
        if measure <= 4:
            if mode == measure:
                amount += 1
            if measure == 4 or mode != 4:
                counted += 1
        elif mode != 4:
            if measure == 5:
                if hours is not None:
                    amount += hours
                    counted += 1
            else:
                if overtime is not None:
                    amount += overtime
                counted += 1
    days = possible
    upper = comparison in ("<=", "<", "=")
    lower = comparison in (">=", ">", "=")
    if upper and not (amount <= bound if comparison != "<" else amount < bound):
        return WindowVerdict(amount, bound, "<=" if comparison == "=" else comparison, 2, whole, days, counted)
    if lower and whole:
        need, cmp = bound, ">=" if comparison == "=" else comparison
        if measure == 4:
            # leave (LANGUAGE.md §12 speaks of days recorded outside leave, which a leave minimum has
            # no use for): asked pro rata to the days recorded among the window's possible days, in
            # whole days (6 days a year of which a quarter is recorded: 1; a week: 0)
            if counted < days:
                need, cmp = Fraction((bound.numerator * counted) // (bound.denominator * max(days, 1))), ">="
        elif measure < 4:
            if counted < bound or (cmp == ">" and counted <= bound):
                need, cmp = Fraction(counted), ">="
        elif counted < days:
            need, cmp = bound * counted / max(days, 1), ">="
        ok = amount >= need if cmp == ">=" else amount > need
        return WindowVerdict(amount, need, cmp, 1 if ok else 2, whole, days, counted)
    return WindowVerdict(amount, bound, "<=" if comparison == "=" else comparison, 1, whole, days, counted)


class Source(NamedTuple):
    """Where something was written: file, 1-based line and 1-based column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Situation(NamedTuple):
    """One work unit on one day, its arguments read: ``province`` a Kemendagri code, ``level``
    ``central``/``regional``, ``agency`` an agency key (:func:`name_key`) and ``agency_name`` as
    written; ``counts`` maps canonical categories to modes (``WFO``, ``WFH``, ``WFA``, ``LEAVE``) to staff."""

    date: _datetime.date
    province: str | None
    level: str | None
    agency: str | None
    counts: _Mapping[str, _Mapping[str, int]]
    agency_name: str | None = None


class Violation(NamedTuple):
    """A failed constraint: ``bound`` and ``share`` are percentages (exact); ``source`` where the
    constraint is written; ``n`` the staff counted, ``k`` those of them in the mode."""

    circular: str
    rule: str
    group: str
    mode: str
    comparison: str
    bound: Decimal
    source: Source
    n: int
    k: int

    @property
    def share(self) -> Fraction:
        """The share of the group's counted staff in the mode, in percent: 100·k/n."""
        return Fraction(100 * self.k, self.n)

    def to_json(self) -> dict[str, object]:
        return {
            "circular": self.circular,
            "rule": self.rule,
            "group": self.group,
            "mode": self.mode,
            "comparison": self.comparison,
            "bound": str(self.bound),
            "share": str(self.share),
            "source": str(self.source),
            "n": self.n,
            "k": self.k,
        }


class Applied(NamedTuple):
    """An applicable constraint and its verdict (``holds``, ``fails`` or ``vacuous``: no staff counted);
    ``cid`` is its position among the rule set's constraints (source order)."""

    circular: str
    rule: str
    group: str
    mode: str
    comparison: str
    bound: Decimal
    source: Source
    n: int
    k: int
    verdict: str
    cid: int

    @property
    def share(self) -> Fraction | None:
        return Fraction(100 * self.k, self.n) if self.n else None

    def to_json(self) -> dict[str, object]:
        return {
            "circular": self.circular,
            "rule": self.rule,
            "group": self.group,
            "mode": self.mode,
            "comparison": self.comparison,
            "bound": str(self.bound),
            "share": None if self.share is None else str(self.share),
            "n": self.n,
            "k": self.k,
            "verdict": self.verdict,
            "source": str(self.source),
        }


#: A constraint's citation as the records carry it: circular, rule, group, mode, comparison, bound, source.
Cited = tuple[str, str, str, str, str, Decimal, Source]
#: A decider: (tallies, parameters) → (violations, whether any constraint holds).
Decider = _Callable[[_Mapping[str, _Sequence[int]], _Sequence[_Any]], tuple[list[Violation], bool]]
_new = tuple.__new__


class Decision(NamedTuple):
    """outcome: "compliant", "violation" or "uncovered"; violations: the failed constraints in source
    order; constraints: the positions of every applicable constraint, in source order; tallies: the
    counts as understood, {canonical category: [counted, WFO, WFH, WFA, LEAVE]}; engine: what decided."""

    outcome: str
    violations: tuple[Violation, ...]
    constraints: tuple[int, ...]
    tallies: dict[str, list[int]]
    engine: Engine

    @property
    def applied(self) -> tuple[Applied, ...]:
        """Every applicable constraint with its verdict, in source order."""
        return self.engine.applied(self.constraints, self.tallies)

    def to_json(self) -> dict[str, object]:
        """As ``asnrules eval --json`` prints it: bound and share as exact decimal or fraction texts."""
        return {
            "outcome": self.outcome,
            "violations": [v.to_json() for v in self.violations],
            "applied": [a.to_json() for a in self.applied],
            "fingerprint": self.engine.fingerprint,
            "calendar": self.engine.calendar,
            "asnrules_version": self.engine.version,
        }


class WorkingDays(NamedTuple):
    """The calendar of working days as plain values, for backends that cannot ask
    :class:`asnrules.workdays.Calendar` (written by its :meth:`~asnrules.workdays.Calendar.frozen`
    for some years, and tested equal to it on every day of them): ``off``, the ordinals of days that
    are non-working nationally besides Saturdays and Sundays (public holidays, cuti bersama, national
    declarations); ``on``, the ordinals of days declared working days (``working day``: even a
    Saturday); ``local``, per province code, the ordinals of days declared non-working there only.
    Days outside those years are decided by the weekday alone."""

    off: frozenset[int]
    on: frozenset[int]
    local: _Mapping[str, frozenset[int]]


NO_HOLIDAYS = WorkingDays(frozenset(), frozenset(), {})


def is_working_day(ordinal: int, province: str | None, days: WorkingDays) -> bool:
    """Whether the day of ``ordinal`` (``date.toordinal()``) is a working day in ``province`` (a
    Kemendagri code, or ``None``: nationally), LANGUAGE.md §9: not a Saturday or Sunday, not a
    national non-working day (unless declared a working day), and not a holiday declared for the
    province (which wins over a ``working day``, being the more specific declaration)."""
    if ordinal not in days.on and ((ordinal - 1) % 7 >= 5 or ordinal in days.off):
        return False
    return province is None or ordinal not in days.local.get(province, ())


class EngineInputError(ValueError):
    """An argument of ``evaluate()`` that cannot be used (a bad date, an unknown province, ...);
    ``code`` is the diagnostic code (E310–E313)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.message)
        self.code = reason.code
        self.reason = reason


class _Unusual(Exception):
    """Counts that the quick path of evaluate() leaves to the careful one."""


def _by_who(entry: _Mapping[tuple[str | None, str | None], _Any], level: str | None, agency: str | None) -> _Any:
    """The value for this level and agency: the context as given, else without the part (level,
    agency or both) that no rule here names."""
    found = entry.get((level, agency))
    if found is None:
        found = entry.get((level, None))
        if found is None:
            found = entry.get((None, agency))
            if found is None:
                found = entry[(None, None)]
    return found


by_who = _by_who


class WorkingSplit(NamedTuple):
    """An entry of a timeline that differs on working and non-working days (a run that a rule ``on
    working days`` reaches): what applies on the province's working days (``working``) and on its
    other days (``other``), each a plan or a dict of them by (level, agency)."""

    working: _Any
    other: _Any


def _split_day(entry: WorkingSplit, ordinal: int, province: str | None, days: WorkingDays) -> _Any:
    """The side of ``entry`` for this day in this province (:func:`is_working_day`)."""
    return entry.working if is_working_day(ordinal, province, days) else entry.other


# ---- each employee, decided by the engine (LANGUAGE.md §12) -------------------------------------------

#: Records of one employee that are not a list of records (E313).
RECORDS_NOT_A_LIST = Reason(
    "E313",
    "",
    "an employee's records are a list of (date, mode[, hours[, overtime]])",
    Words("runtime.records-not-a-list"),
)


def record_shape(record: object) -> Reason:
    """A record of one employee that is neither a mapping nor a sequence of 2 to 4 values (E313)."""
    shown = repr(record)[:60]
    return Reason(
        "E313", "", f"a record is (date, mode[, hours[, overtime]]), not {shown}", _words("record-shape", shown=shown)
    )


#: What reading the records of one employee gives: day (ordinal) → :data:`DayRec`, and the days set
#: aside as duplicates with their reason (in order of day).
EmployeeDays = tuple[dict[int, DayRec], tuple[tuple[_datetime.date, str], ...]]


def read_employee_records(records: object) -> EmployeeDays | Reason:
    """The records of one employee (LANGUAGE.md §12, §13): ``(date, mode)``, ``(date, mode, hours)``
    or ``(date, mode, hours, overtime)``, or mappings with those keys; dates by :func:`read_date`,
    modes by :func:`read_mode`, hours and overtime by :func:`read_hours`. Two records of one day are
    both set aside (:data:`REJECTS` 8), never counted. The first value that cannot be read is the
    :class:`Reason` returned."""
    if isinstance(records, str | bytes | _Mapping) or not isinstance(records, _Iterable):
        return RECORDS_NOT_A_LIST
    seen: dict[int, DayRec] = {}
    twice: set[int] = set()
    for rec in records:
        if isinstance(rec, _Mapping):
            parts: _Sequence[object] = (rec.get("date"), rec.get("mode"), rec.get("hours"), rec.get("overtime"))
        elif isinstance(rec, _Sequence) and not isinstance(rec, str | bytes) and 2 <= len(rec) <= 4:
            parts = (*rec, None, None)[:4]
        else:
            return record_shape(rec)
        day = read_date(parts[0])
        if isinstance(day, Reason):
            return day
        mode = read_mode(parts[1])
        if isinstance(mode, Reason):
            return mode
        hours = read_hours(parts[2], "hours")
        if isinstance(hours, Reason):
            return hours
        overtime = read_hours(parts[3], "overtime")
        if isinstance(overtime, Reason):
            return overtime
        ordinal = day.toordinal()
        if ordinal in seen or ordinal in twice:
            seen.pop(ordinal, None)
            twice.add(ordinal)
            continue
        seen[ordinal] = (MODE_INDEX[mode], hours, overtime)
    return seen, tuple((_datetime.date.fromordinal(o), REJECTS[8]) for o in sorted(twice))


def fraction_text(value: Fraction) -> str:
    """An exact amount as text: a whole number, a finite decimal (``22.5``), else a fraction in lowest
    terms (37.5 hours pro rata for 3 of 7 days: ``225/14``)."""
    num, den = value.numerator, value.denominator
    if den == 1:
        return str(num)
    rest, twos, fives = den, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return f"{num}/{den}"
    places = max(twos, fives)
    whole, part = divmod(abs(num) * 10**places // den, 10**places)
    return f"{'-' if num < 0 else ''}{whole}.{part:0{places}d}".rstrip("0")


class EmployeeCited(NamedTuple):
    """An employee constraint as a window's verdict cites it (the fields of
    :class:`asnrules.model.EmployeeConstraint` that a module knows): ``id`` its position among the rule
    set's employee constraints (source order), ``amount`` the rule's exact amount (days or hours),
    ``working_days`` whether its rule applies on working days only."""

    id: int
    circular: str
    rule: str
    group: str
    measure: str
    comparison: str
    amount: Decimal
    window: str
    source: Source
    working_days: bool


class WindowCheck(NamedTuple):
    """One employee constraint on one window of one employee (the fields of
    :class:`asnrules.employee.WindowResult`): the window ``first``..``last``, the ``amount``
    measured, the ``bound`` held to with its ``comparison`` (the reachable bound for a lower bound),
    the ``verdict`` (``compliant`` or ``violation``), whether the window lies ``whole`` in the rule's
    scope, its possible ``days`` and the ``counted`` ones (:class:`WindowVerdict`)."""

    constraint: EmployeeCited
    first: _datetime.date
    last: _datetime.date
    amount: Fraction
    bound: Fraction
    comparison: str
    verdict: str
    whole: bool
    days: int
    counted: int

    @property
    def violated(self) -> bool:
        return self.verdict == "violation"

    def to_json(self) -> dict[str, object]:
        c = self.constraint
        return {
            "circular": c.circular,
            "rule": c.rule,
            "group": c.group,
            "measure": c.measure,
            "comparison": c.comparison,
            "amount": format(c.amount, "f"),
            "window": c.window,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "value": fraction_text(self.amount),
            "bound": fraction_text(self.bound),
            "bound_comparison": self.comparison,
            "verdict": self.verdict,
            "whole": self.whole,
            "days": self.days,
            "counted": self.counted,
            "source": str(c.source),
        }


class EmployeeDecision(NamedTuple):
    """What ``check_employee()`` returns: the ``outcome`` (``violation`` if any window is violated,
    ``compliant`` if any is judged, else ``uncovered``), every judged window in order (first day, then
    constraint), the records set aside (``rejected``: (date, reason)), the employee's province
    (Kemendagri code), category, level, agency key and agency name as read, and the engine."""

    outcome: str
    windows: tuple[WindowCheck, ...]
    rejected: tuple[tuple[_datetime.date, str], ...]
    province: str | None
    category: str | None
    level: str | None
    agency: str | None
    agency_name: str | None
    engine: Engine

    @property
    def violations(self) -> tuple[WindowCheck, ...]:
        return tuple(w for w in self.windows if w.verdict == "violation")

    def to_json(self) -> dict[str, object]:
        """As :meth:`asnrules.employee.EmployeeResult.to_json` writes it."""
        return {
            "outcome": self.outcome,
            "windows": [w.to_json() for w in self.windows],
            "violations": [w.to_json() for w in self.violations],
            "rejected": [{"date": d.isoformat(), "reason": r} for d, r in self.rejected],
            "employee": {
                "province": self.province,
                "category": self.category,
                "level": self.level,
                "agency": self.agency_name,
            },
            "fingerprint": self.engine.fingerprint,
            "calendar": self.engine.calendar,
            "asnrules_version": self.engine.version,
        }


class Engine:
    """Decides situations from the compiled tables of a rule set.

    ``constraints``: per constraint (circular, rule, group, mode, comparison, bound as plain digits,
    file, line, column), in source order; ``categories``: name → {"under": names, ...};
    ``category_keys``/``province_keys``: accepted spellings by :func:`name_key`; ``*_exact``: spellings
    as written, for the quick path; ``sets``: the distinct sets of constraint positions, ``set_shapes``
    the decider (by position in ``deciders``) of each; ``entries``: per index entry a set number, or a
    dict from (level, agency key) to one, or a pair (entry on working days, entry on the other days:
    both numbers of earlier entries that are not pairs); ``timelines``: province code (or None) →
    (sorted first days as ordinals, entry numbers); ``factories``: per shape a factory of the
    compiler's deciders, or ``None`` for nothing to decide, or ``"generic"`` for :meth:`generic`;
    ``working_days``: the frozen calendar (:class:`WorkingDays` as sorted ordinals: national days
    off, days declared working days, days off per province) that pairs are decided by (``None``:
    weekends only; a rule set without working-day rules has no pairs); ``calendar``: the version of
    the holidays calendar it was frozen from, ``fingerprint`` and ``version`` those of the rule set
    and of asnrules.

    Employee rules (LANGUAGE.md §12, :meth:`check_employee`): ``employee_constraints`` per employee
    constraint (circular, rule, group, measure, comparison, amount as plain digits, window, whether
    its rule applies on working days only, file, line, column), in source order; ``employee_sets``,
    ``employee_entries`` and ``employee_timelines`` index them as ``sets``, ``entries`` and
    ``timelines`` index the constraints of groups (the same working-day pairs, the same calendar).
    """

    def __init__(
        self,
        *,
        constraints: _Sequence[tuple[str, str, str, str, str, str, str, int, int]],
        categories: _Mapping[str, _Mapping[str, _Any]],
        category_keys: _Mapping[str, str],
        category_exact: _Mapping[str, str],
        province_keys: _Mapping[str, str],
        province_names: _Mapping[str, _Sequence[str]],
        province_exact: _Mapping[str, str],
        agency_exact: _Mapping[str, str],
        sets: _Sequence[tuple[int, ...]],
        set_shapes: _Sequence[int],
        entries: _Sequence[int | _Mapping[tuple[str | None, str | None], int] | tuple[int, int]],
        timelines: _Mapping[str | None, tuple[tuple[int, ...], tuple[int, ...]]],
        factories: _Sequence[_Callable[..., Decider] | str | None],
        working_days: tuple[_Sequence[int], _Sequence[int], _Mapping[str, _Sequence[int]]] | None = None,
        fingerprint: str = "",
        version: str = "",
        calendar: str = "",
        employee_constraints: _Sequence[tuple[str, str, str, str, str, str, str, bool, str, int, int]] = (),
        employee_sets: _Sequence[tuple[int, ...]] = ((),),
        employee_entries: _Sequence[int | _Mapping[tuple[str | None, str | None], int] | tuple[int, int]] = (0,),
        employee_timelines: _Mapping[str | None, tuple[tuple[int, ...], tuple[int, ...]]] | None = None,
    ) -> None:
        self.fingerprint = fingerprint
        self.version = version
        self.calendar = calendar
        self.working_days = (
            NO_HOLIDAYS
            if working_days is None
            else WorkingDays(
                frozenset(working_days[0]),
                frozenset(working_days[1]),
                {code: frozenset(days) for code, days in working_days[2].items()},
            )
        )
        self.category_keys = category_keys
        self.category_names = sorted(categories)
        self.province_keys = province_keys
        self.province_suggestions = [n for ns in province_names.values() for n in ns if not n.isdigit()]
        self.cited: tuple[Cited, ...] = tuple(
            (c[0], c[1], c[2], c[3], c[4], Decimal(c[5]), Source(c[6], c[7], c[8])) for c in constraints
        )
        under = {name: frozenset(c["under"]) for name, c in categories.items()}
        self.checks: tuple[Check, ...] = tuple(
            (under[c[2]], MODE_INDEX[c[3]], c[4], *exact_bound(c[5])) for c in constraints
        )
        deciders: list[Decider | None] = []
        for f in factories:
            if f is None:
                deciders.append(None)
            elif f == "generic":
                deciders.append(self.generic)
            else:
                assert callable(f)
                deciders.append(f(Violation, self.cited))
        plans = tuple(self._plan(ids, deciders[shape], under) for ids, shape in zip(sets, set_shapes, strict=True))
        nothing: tuple[tuple[int, ...], tuple[_Any, ...]] = ((1,), (plans[0],))
        ready: list[_Any] = []
        for e in entries:
            if isinstance(e, int):
                ready.append(plans[e])
            elif isinstance(e, tuple):
                ready.append(WorkingSplit(ready[e[0]], ready[e[1]]))
            else:
                ready.append({who: plans[i] for who, i in e.items()})
        resolved: dict[str | None, tuple[tuple[int, ...], tuple[_Any, ...]]] = {}
        for code, (starts, values) in timelines.items():
            resolved[code] = (tuple(starts), tuple(ready[v] for v in values))
        for code in (None, *province_names):
            resolved.setdefault(code, nothing)
        self.timelines = resolved
        self.evaluate = self._evaluator(category_exact, province_exact, agency_exact)
        self.employee = tuple(
            EmployeeCited(i, c[0], c[1], c[2], c[3], c[4], Decimal(c[5]), c[6], Source(c[8], c[9], c[10]), c[7])
            for i, c in enumerate(employee_constraints)
        )
        #: per employee constraint: (the categories it binds, None: every employee; measure index,
        #: comparison, amount as num/den)
        self.employee_checks: tuple[tuple[frozenset[str] | None, int, str, int, int], ...] = tuple(
            (None if c.group == "all" else under[c.group], MEASURE_INDEX[c.measure], c.comparison, *exact_bound(e[5]))
            for c, e in zip(self.employee, employee_constraints, strict=True)
        )
        ready_ids: list[_Any] = []
        for e in employee_entries:
            if isinstance(e, int):
                ready_ids.append(employee_sets[e])
            elif isinstance(e, tuple):
                ready_ids.append(WorkingSplit(ready_ids[e[0]], ready_ids[e[1]]))
            else:
                ready_ids.append({who: employee_sets[i] for who, i in e.items()})
        no_one: tuple[tuple[int, ...], tuple[_Any, ...]] = ((1,), ((),))
        employee_lines: dict[str | None, tuple[tuple[int, ...], tuple[_Any, ...]]] = {}
        for code, (starts, values) in (employee_timelines or {}).items():
            employee_lines[code] = (tuple(starts), tuple(ready_ids[v] for v in values))
        for code in (None, *province_names):
            employee_lines.setdefault(code, no_one)
        self.employee_timelines = employee_lines

    def _plan(
        self, constraints: tuple[int, ...], decide: Decider | None, under: _Mapping[str, frozenset[str]]
    ) -> tuple[tuple[int, ...], Decider | None, _Any]:
        """(constraints, the function deciding them, its parameters). For a shaped function: the
        categories under each group in order of first appearance, then per constraint its position c
        and whole numbers s, a, h such that it holds when k·s − a·n <= h (an equality: when k·s == a·n).
        With the bound p = num/den: s = 100·den and a = num for <=, <, = and both negated for >=, >;
        h = -1 if strict, else 0."""
        if decide is None or decide == self.generic:
            return constraints, decide, constraints
        groups: list[str] = []
        values: list[object] = []
        for cid in constraints:
            group, comparison = self.cited[cid][2], self.cited[cid][4]
            if group not in groups:
                groups.append(group)
            _under, _m, _cmp, num, den = self.checks[cid]
            sign = -1 if comparison in (">=", ">") else 1
            values += [cid, sign * 100 * den, sign * num, -1 if comparison in ("<", ">") else 0]
        return constraints, decide, (*(under[g] for g in groups), *values)

    def generic(
        self, tallies: _Mapping[str, _Sequence[int]], constraints: _Sequence[_Any]
    ) -> tuple[list[Violation], bool]:
        """Decides a set of any size with :func:`check`, one constraint after the other."""
        violations = []
        found = False
        results = check([self.checks[cid] for cid in constraints], tallies)
        for cid, (n, k, v) in zip(constraints, results, strict=True):
            if v == 1:
                found = True
            elif v == 2:
                violations.append(_new(Violation, (*self.cited[cid], n, k)))
        return violations, found

    def applied(self, constraints: _Sequence[int], tallies: _Mapping[str, _Sequence[int]]) -> tuple[Applied, ...]:
        """Every constraint of ``constraints`` with its verdict, by :func:`check`."""
        results = check([self.checks[cid] for cid in constraints], tallies)
        return tuple(
            _new(Applied, (*self.cited[cid], n, k, VERDICTS[v], cid))
            for cid, (n, k, v) in zip(constraints, results, strict=True)
        )

    def applicable(self, ordinal: int, province: str | None, level: str | None, agency: str | None) -> tuple[int, ...]:
        """Positions of the constraints that apply (province: a Kemendagri code or None; agency: a
        :func:`name_key`), in source order: one bisect into the province's timeline (and, in a run
        that working-day rules reach, whether the day is a working day there)."""
        starts, entries = self.timelines[province]
        entry = entries[_bisect_module.bisect_right(starts, ordinal) - 1]
        if type(entry) is WorkingSplit:
            entry = _split_day(entry, ordinal, province, self.working_days)
        plan = entry if type(entry) is tuple else _by_who(entry, level, agency)
        constraints: tuple[int, ...] = plan[0]
        return constraints

    def employee_scope(
        self, ordinal: int, province: str | None, level: str | None, agency: str | None
    ) -> tuple[int, ...]:
        """Positions of the employee constraints whose rules apply on the day of ``ordinal`` (as
        :meth:`applicable` finds the constraints of groups: one bisect, then the working day and
        who), in source order; whom each binds is for :meth:`check_employee` to say."""
        starts, entries = self.employee_timelines[province]
        entry = entries[_bisect_module.bisect_right(starts, ordinal) - 1]
        if type(entry) is WorkingSplit:
            entry = _split_day(entry, ordinal, province, self.working_days)
        if type(entry) is not tuple:
            entry = _by_who(entry, level, agency)
        found: tuple[int, ...] = entry
        return found

    def check_employee(
        self,
        records: object,
        region: object,
        category: object,
        level: object = None,
        agency: object = None,
    ) -> EmployeeDecision:
        """Judge one employee's records against the employee rules (LANGUAGE.md §12).

        records: [(date, mode[, hours[, overtime]]), ...] of one employee, or mappings with those
        keys (dates as datetime.date or YYYY-MM-DD; modes WFO, WFH, WFA, LEAVE, CUTI, SAKIT, IZIN;
        hours exact: 7.5, "7,5", Decimal); region: any name, code or alias of a province (or None);
        category: the employee's category (None: bound by rules for everyone only); level and agency
        as for evaluate(). Every employee constraint is judged on every window (day, ISO week,
        calendar month or year) holding a record on a day of its scope: the days its rule applies
        and binds the employee's category. Raises InputError (a ValueError) for an argument or a
        record that cannot be used; two records of one day are both set aside (``rejected``).
        """
        province = self.province(region)
        lv = self.level(level)
        ag = read_agency(agency)
        if isinstance(ag, Reason):
            raise EngineInputError(ag)
        cat: str | None = None
        if category is not None:
            found = read_category(category, self.category_keys, self.category_names)
            if isinstance(found, Reason):
                raise EngineInputError(found)
            cat = found
        agency_key, agency_name = (None, None) if ag is None else ag
        read = read_employee_records(records)
        if isinstance(read, Reason):
            raise EngineInputError(read)
        days, rejected = read
        checks = self.employee_checks
        binds = tuple(under is None or (cat is not None and cat in under) for under, *_ in checks)
        lookup = self.employee_scope
        working_days = self.working_days
        bound: dict[tuple[int, ...], frozenset[int]] = {}
        scopes: dict[int, frozenset[int]] = {}

        def scope(ordinal: int) -> frozenset[int]:
            """The employee constraints binding this employee on the day (once per day and call)."""
            found = scopes.get(ordinal)
            if found is None:
                ids = lookup(ordinal, province, lv, agency_key)
                found = bound.get(ids)
                if found is None:
                    found = bound[ids] = frozenset(cid for cid in ids if binds[cid])
                scopes[ordinal] = found
            return found

        wanted: set[tuple[int, int, int]] = set()
        for ordinal in days:
            for cid in scope(ordinal):
                first, last = window_of(ordinal, self.employee[cid].window)
                wanted.add((first, cid, last))
        windows: list[WindowCheck] = []
        for first, cid, last in sorted(wanted):
            cited = self.employee[cid]
            _under, measure, comparison, num, den = checks[cid]
            on_working_days = cited.working_days
            inside: list[DayRec | None] = []
            whole = True
            for ordinal in range(first, last + 1):
                if cid in scope(ordinal):
                    inside.append(days.get(ordinal))
                elif not (on_working_days and not is_working_day(ordinal, province, working_days)):
                    whole = False
            possible = possible_days(first, last, on_working_days)
            v = judge_window(measure, comparison, num, den, inside, whole, possible)
            windows.append(
                WindowCheck(
                    cited,
                    _datetime.date.fromordinal(first),
                    _datetime.date.fromordinal(last),
                    v.amount,
                    v.bound,
                    v.comparison,
                    "violation" if v.verdict == 2 else "compliant",
                    v.whole,
                    v.days,
                    v.counted,
                )
            )
        outcome = (
            "violation" if any(w.verdict == "violation" for w in windows) else "compliant" if windows else "uncovered"
        )
        return EmployeeDecision(outcome, tuple(windows), rejected, province, cat, lv, agency_key, agency_name, self)

    # -- arguments -------------------------------------------------------------------------------------

    def day(self, date: object) -> int:
        found = read_date(date)
        if isinstance(found, Reason):
            raise EngineInputError(found)
        return found.toordinal()

    def province(self, region: object) -> str | None:
        if region is None:
            return None
        found = read_province(region, self.province_keys, self.province_suggestions)
        if isinstance(found, Reason):
            raise EngineInputError(found)
        return found

    def level(self, level: object) -> str | None:
        found = read_level(level)
        if isinstance(found, Reason):
            raise EngineInputError(found)
        return found

    def agency(self, agency: object) -> str | None:
        found = read_agency(agency)
        if isinstance(found, Reason):
            raise EngineInputError(found)
        return None if found is None else found[0]

    def tallies(self, counts: object) -> dict[str, list[int]]:
        """The counts, checked, per canonical category: [staff counted, WFO, WFH, WFA, LEAVE]."""
        if not isinstance(counts, _Mapping):
            raise EngineInputError(COUNTS_NOT_A_MAPPING)
        tallies: dict[str, list[int]] = {}
        for cat, modes in counts.items():
            canonical = read_category(cat, self.category_keys, self.category_names)
            if isinstance(canonical, Reason):
                raise EngineInputError(canonical)
            if not isinstance(modes, _Mapping):
                raise EngineInputError(modes_not_a_mapping(cat, REJECTS[6]))
            t = tallies.get(canonical)
            if t is None:
                t = tallies[canonical] = [0, 0, 0, 0, 0]
            for mode, k in modes.items():
                m = read_mode(mode)
                if isinstance(m, Reason):
                    raise EngineInputError(m)
                count = read_count(k, f"{cat} {m}")
                if isinstance(count, Reason):
                    raise EngineInputError(count)
                t[MODE_INDEX[m]] += count
            t[0] = t[1] + t[2] + t[3]
        return tallies

    def _evaluator(
        self, category_exact: _Mapping[str, str], province_exact: _Mapping[str, str], agency_exact: _Mapping[str, str]
    ) -> _Callable[..., Decision]:
        """``evaluate(date, region, counts, level=None, agency=None)``: the quick path for arguments as
        the tables spell them, every other spelling through the readers above (same answers). An
        entry that is a plan (a tuple) is used at once; only the others (by who, or by working day)
        cost a look more."""
        timelines = self.timelines
        working_days = self.working_days
        split = WorkingSplit
        bisect = _bisect_module.bisect_right
        mode_exact = {"WFO": 1, "WFH": 2, "WFA": 3, "LEAVE": 4}
        date_type = _datetime.date
        new = _new
        engine = self

        def evaluate(
            date: object,
            region: object,
            counts: _Mapping[str, _Mapping[str, int]],
            level: object = None,
            agency: object = None,
        ) -> Decision:
            """Decide one work unit on one day.

            date: a datetime.date or a text YYYY-MM-DD; region: any name, code or alias of a province;
            counts: {category: {mode: staff}} with modes WFO, WFH, WFA and LEAVE (not counted);
            level: "central" or "regional" (or "pusat"/"daerah"); agency: the agency's name.
            Raises InputError (a ValueError) for an argument that cannot be used.
            """
            ordinal = date.toordinal() if type(date) is date_type else engine.day(date)
            try:
                province: str | None = province_exact[region]  # type: ignore[index]
            except (KeyError, TypeError):
                province = engine.province(region)
            lv = None if level is None else engine.level(level)
            ag: str | None = None
            if agency is not None:
                ag = agency_exact.get(agency) if type(agency) is str else None
                if ag is None:
                    ag = engine.agency(agency)
            try:  # the common case, quickly: plain dicts, names and modes as the tables write them
                if type(counts) is not dict:
                    raise _Unusual
                tallies: dict[str, list[int]] = {}
                for cat, modes in counts.items():
                    canonical = category_exact[cat]
                    if type(modes) is not dict or canonical in tallies:
                        raise _Unusual
                    t = tallies[canonical] = [0, 0, 0, 0, 0]
                    for mode, k in modes.items():
                        if type(k) is not int or k < 0 or k > MAX_COUNT:
                            raise _Unusual
                        t[mode_exact[mode]] += k
                    t[0] = t[1] + t[2] + t[3]
            except (_Unusual, KeyError):
                tallies = engine.tallies(counts)
            starts, entries = timelines[province]
            entry = entries[bisect(starts, ordinal) - 1]
            if type(entry) is not tuple:
                if type(entry) is split:
                    entry = _split_day(entry, ordinal, province, working_days)
                if type(entry) is not tuple:
                    entry = _by_who(entry, lv, ag)
            constraints, decide, parameters = entry
            if decide is None:
                return new(Decision, ("uncovered", (), constraints, tallies, engine))
            violations, found = decide(tallies, parameters)
            if violations:
                return new(Decision, ("violation", tuple(violations), constraints, tallies, engine))
            return new(Decision, ("compliant" if found else "uncovered", (), constraints, tallies, engine))

        return evaluate


###}
