"""Random rule sets, situations and attendance rows: the one generator of the tests and the benchmarks
(issue 8, item 4).

Every generator here is a plain function of a :class:`Chooser`, the few primitive choices it makes
(an integer, a fraction, a chance, a choice, a sample). Two choosers run them:

- :class:`RandomChooser` (a seeded ``random.Random``): the benchmarks, which must not need Hypothesis.
  Importing this module never imports Hypothesis;
- :class:`DrawChooser` (Hypothesis' ``draw``): the tests. :func:`strategy` turns any generator into a
  Hypothesis strategy, and the functions in the last section (:func:`rule_sets`, :func:`situations`,
  :func:`attendance`, :func:`awkward_rows`, ...) are those strategies, ready for ``@given``; Hypothesis
  is imported when one of them is called. Hypothesis shrinks every choice towards the first option,
  the smallest number and "no" (no flaw, no who part, no relation).

What is drawn:

- **rule sets** (:func:`random_rule_set` → :class:`RuleSetCase`): one to several circulars, in one
  file or one file each, with overlapping dates, region groups and nested categories (declared),
  ``supersedes``/``overrides``/``effective``, who parts for central, regional and named agencies, every
  comparison in every spelling (``<=``, ``≤``, ``at most``, ``paling-banyak``, ...), decimal bounds
  such as ``33.5`` and ``33,5``, keywords in English and Indonesian in any case, regions as codes
  (``31``), ISO codes (``ID-JK``), names, aliases, ``dki_jakarta``, ``DKI-Jakarta`` and quoted names
  with no-break spaces; optionally conflict-free by construction (every bound holds when everyone
  works at the office). Now and then (Part II, LANGUAGE.md §9 and §11) rules ``on working days``,
  windows counted from a holiday (``on the first 2 working days after "Lebaran" 2024``, ``pada hari
  kerja terakhir sebelum Nyepi 2025``: :data:`WINDOW_HOLIDAYS`), ``holiday`` / ``working day``
  declarations (national, for provinces and for a region group) and narrower relations
  (``overrides rule r0, "label 1" of C0``, ``mencabut aturan r1 dari C0``). Each case carries what it
  means (:class:`RuleMeaning`, :class:`CalendarMeaning`: working days and windows read from the
  ``holidays`` package directly, not through ``asnrules.workdays``) and, without
  ``supersedes``/``overrides``, the outcome of any situation by LANGUAGE.md §5 with Fractions
  (:meth:`RuleSetCase.expected_outcome`);
- **working days and windows alone** (:func:`random_working_days_case`, :func:`random_window_case`):
  a rule ``on working days between A and B`` beside the same rule without it, and a rule on a window
  counted from a holiday, each with random declarations near its days;
- **situations** (:func:`random_situation` → :class:`SituationCase`): the canonical situation first,
  then the arguments of ``evaluate()`` written awkwardly (a time part at midnight, province aliases
  with no-break spaces, ``Pusat``, ``cuti``, mixed case, ...);
- **attendance rows** (:func:`random_row`, :func:`random_attendance` → :class:`Row`,
  :class:`AttendanceCase`): the canonical reading of each row drawn first, then decorated (no-break
  spaces inside and around names, ``2023-08-30T00:00:00`` and ``2023-08-30 00:00``, ``cuti``/``CUTI``,
  ``pusat``/``daerah``, ``dki_jakarta``, ``DKI-Jakarta``, codes ``31`` and ``ID-JK``, mixed case,
  leading and trailing blanks), and flaws: an unknown value of each column (blank unit or employee, a
  bad date, a time of day other than midnight, an unknown region, category, mode or level) and
  unit-days whose rows disagree on province, level or agency. Each row carries its expected
  :class:`Reading` (value or reject reason), computed here without asking ``asnrules``: the tests
  check every backend against it;
- the conflict checker's sets (:func:`one_group_set`, :func:`tied_set`, :func:`scattered_set`), the
  benchmarks' realistic conflict-free circulars (:func:`synthetic`, formerly
  ``benchmarks/synth_rules.py``) and seeded situations (:func:`plain_situations`).

The accepted spellings follow ``src/asnrules/runtime.py`` (``name_key``, ``BLANKS``, ``read_date``,
``MODE_SPELLINGS``, ``LEVEL_SPELLINGS``) and ``src/asnrules/data/provinces.csv``, written out again here
(the tables below) so that the expected readings do not come from the code under test;
``tests/test_runtime.py`` checks that both say the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

T = TypeVar("T")

# ---- choosers ----------------------------------------------------------------------------------------


class Chooser(Protocol):
    """The primitive choices every generator here is made of."""

    def integer(self, low: int, high: int) -> int:
        """An integer from ``low`` to ``high``, both included."""
        ...

    def fraction(self) -> float:
        """A number in [0, 1)."""
        ...

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        ...

    def choice(self, options: Sequence[T]) -> T: ...

    def sample(self, options: Sequence[T], k: int) -> list[T]:
        """``k`` distinct elements of ``options``."""
        ...


class RandomChooser:
    """The choices of a ``random.Random`` (seeded: the same seed gives the same output)."""

    def __init__(self, rng: random.Random | int = 0) -> None:
        self.rng = rng if isinstance(rng, random.Random) else random.Random(rng)

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def fraction(self) -> float:
        return self.rng.random()

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def choice(self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def sample(self, options: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(list(options), k)


class DrawChooser:
    """The choices of a Hypothesis ``draw``; each shrinks towards the first option, the smallest
    number and False."""

    def __init__(self, draw: Callable[[SearchStrategy[Any]], Any]) -> None:
        from hypothesis import strategies as st

        self._draw = draw
        self._integers = st.integers

    def integer(self, low: int, high: int) -> int:
        return int(self._draw(self._integers(low, high)))

    def fraction(self) -> float:
        return self.integer(0, 9999) / 10000

    def chance(self, p: float) -> bool:
        if p <= 0 or p >= 1:
            return p >= 1
        return self.integer(0, 999) >= 1000 - round(p * 1000)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.integer(0, len(options) - 1)]

    def sample(self, options: Sequence[T], k: int) -> list[T]:
        pool = list(options)
        return [pool.pop(self.integer(0, len(pool) - 1)) for _ in range(k)]


def strategy(make: Callable[[Chooser], T]) -> SearchStrategy[T]:
    """The Hypothesis strategy that runs the plain generator ``make`` with Hypothesis' choices."""
    from hypothesis import strategies as st

    @st.composite
    def drawn(draw: st.DrawFn) -> T:
        return make(DrawChooser(draw))

    return drawn()


# ---- the vocabulary (LANGUAGE.md §4, runtime.py, provinces.csv), written out independently ----------

MODES = ("WFO", "WFH", "WFA")
#: The prelude's categories and their members (LANGUAGE.md §4), in the prelude's order.
FRONTLINE_MEMBERS = (
    "health",
    "security",
    "disaster",
    "energy",
    "logistics",
    "post",
    "transport",
    "vital-objects",
    "strategic-projects",
    "construction",
    "utilities",
)
PRELUDE: dict[str, tuple[str, ...]] = {
    "all": ("admin", "frontline"),
    "admin": ("administration", "leadership-support"),
    "administration": (),
    "leadership-support": (),
    "frontline": FRONTLINE_MEMBERS,
    **{member: () for member in FRONTLINE_MEMBERS},
}
#: Other names of the prelude's categories (each also accepted wherever the category is).
PRELUDE_ALIASES: dict[str, tuple[str, ...]] = {
    "all": ("semua",),
    "admin": ("administrasi-dan-dukungan",),
    "administration": ("administrasi",),
    "leadership-support": ("dukungan-pimpinan",),
    "frontline": ("layanan-langsung",),
    "health": ("kesehatan",),
    "security": ("keamanan",),
    "disaster": ("bencana",),
    "energy": ("energi",),
    "logistics": ("logistik",),
    "post": ("pos",),
    "transport": ("transportasi",),
    "vital-objects": ("objek-vital",),
    "strategic-projects": ("proyek-strategis",),
    "construction": ("konstruksi",),
    "utilities": ("utilitas",),
}
#: The categories and region group that :func:`random_rule_set` declares with ``declarations=True``
#: (``admin`` gains ``office``: nested categories).
DECLARED: dict[str, tuple[str, ...]] = {"office": ("desk", "field"), "desk": (), "field": (), "admin": ("office",)}
REGION_GROUPS: dict[str, frozenset[str]] = {"java": frozenset({"31", "32", "33"})}

#: Every spelling of a work mode in data (runtime.MODE_SPELLINGS, by name key) → the mode.
MODE_WORDS: dict[str, tuple[str, ...]] = {
    "WFO": ("WFO", "wfo", "Wfo"),
    "WFH": ("WFH", "wfh", "Wfh"),
    "WFA": ("WFA", "wfa", "WfA"),
    "LEAVE": ("LEAVE", "leave", "Leave", "cuti", "CUTI", "Cuti", "SAKIT", "sakit", "IZIN", "Izin"),
}
#: Every spelling of a level (runtime.LEVEL_SPELLINGS) → the level.
LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "central": ("central", "Central", "CENTRAL", "pusat", "Pusat", "PUSAT"),
    "regional": ("regional", "Regional", "REGIONAL", "daerah", "Daerah", "DAERAH"),
}
#: Every spelling of a comparison in rule files → the comparison.
COMPARISON_WORDS: dict[str, tuple[str, ...]] = {
    "<=": ("<=", "\u2264", "at most", "at-most", "AT MOST", "paling banyak", "paling-banyak", "Paling Banyak"),
    ">=": (">=", "\u2265", "at least", "at-least", "At Least", "paling sedikit", "paling-sedikit"),
    "=": ("=", "exactly", "EXACTLY", "tepat", "Tepat"),
    "<": ("<",),
    ">": (">",),
}
COMPARISONS = ("<=", ">=", "=", "<", ">")
#: Bounds as written in rule files: decimal points and decimal commas (LANGUAGE.md §2).
PERCENTS = ("50", "0", "100", "25", "33.5", "33,5", "33.3", "66.7", "12.5", "12,5", "40", "60", "75", "1", "10", "80")
#: Keywords of rule files: English first, then the Indonesian and other case spellings (LANGUAGE.md §8).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "circular": ("circular", "surat edaran", "Surat-Edaran", "CIRCULAR"),
    "title": ("title", "judul"),
    "issued": ("issued", "ditetapkan", "Issued"),
    "by": ("by", "oleh"),
    "effective": ("effective", "berlaku"),
    "basis": ("basis", "dasar"),
    "supersedes": ("supersedes", "mencabut", "Supersedes"),
    "overrides": ("overrides", "mengesampingkan", "OVERRIDES"),
    "rule": ("rule", "aturan", "Rule"),
    "between": ("between", "antara", "Between"),
    "and": ("and", "dan", "AND"),
    "on": ("on", "pada", "On"),
    "from": ("from", "mulai", "From"),
    "until": ("until", "sampai", "UNTIL"),
    "in": ("in", "di", "IN"),
    "nationwide": ("nationwide", "nasional", "Nationwide"),
    "for": ("for", "untuk", "For"),
    "central": ("central", "pusat", "Central", "PUSAT"),
    "regional": ("regional", "daerah", "Regional"),
    "all": ("all", "semua", "ALL"),
    "category": ("category", "kategori"),
    "region": ("region", "wilayah"),
    "note": ("note", "catatan"),
    "example": ("example", "contoh"),
    "compliant": ("compliant", "patuh"),
    # Part II (LANGUAGE.md §9, §11, §14)
    "holiday": ("holiday", "libur", "Libur", "HOLIDAY"),
    "working day": ("working day", "hari kerja", "working-day", "Hari Kerja"),
    "on working days": ("on working days", "pada hari kerja", "On Working Days", "pada hari-kerja"),
    "of": ("of", "dari", "OF"),
}
#: Every word the grammar reads as a keyword (a NAME must not be one of them).
KEYWORD_WORDS = frozenset(
    w.casefold()
    for w in (
        *(s for spellings in KEYWORDS.values() for s in spellings if " " not in s and "-" not in s),
        *("surat", "sumber", "source", "violation", "pelanggaran", "uncovered", "exactly", "tepat"),
        *("wfo", "wfh", "wfa", "leave", "cuti"),
    )
)
#: The data's reject reasons for one row, in the order the first that applies is reported
#: (runtime.REJECTS 1–7), and for the rows of a unit-day that disagree (runtime.REJECTS 8).
REJECT_REASONS = (
    "empty unit",
    "empty employee",
    "bad date",
    "unknown region",
    "unknown category",
    "unknown mode",
    "unknown level",
)
DUPLICATE = "duplicate record"
TWO_UNITS = "employee in two units on one day"
DISAGREE = "unit-day rows disagree on province, level or agency"
COLUMNS = ("employee", "unit", "date", "region", "category", "mode", "agency", "level")

#: Blanks in awkward but plausible data: between the words of a name, and around a value.
INNER = (" ", "\u00a0", "_", "-", "  ", " \u00a0", "_", "-")
OUTER = ("", "", " ", "  ", "\u00a0", " \u00a0", "\u00a0 ")
#: More of runtime.BLANKS and SEPARATORS (narrow no-break space, figure space, ideographic space, tab,
#: non-breaking and plain Unicode hyphens), drawn with ``exotic=True``.
EXOTIC_INNER = ("\u202f", "\u2007", "\u3000", "\t", "\u2011", "\u2010", "\u00a0\u00a0")
EXOTIC_OUTER = ("\t", "\u202f", "\u3000", "\u2007", " \t")
#: Time parts at midnight that a date in data may carry (LANGUAGE.md §13; :func:`other_time` draws
#: the others, each a bad date), and dates that are bad whatever follows.
MIDNIGHT_TIMES = ("T00:00:00", " 00:00", "T00:00", " 00:00:00", "T00:00:00.000", " 00:00:00.0", "T00:00:00.000000")
BAD_DATES = ("2023-02-30", "02/01/2023", "soon", "2023-8-1", "30-08-2023", "2023-13-01", "", "2023/08/30")
UNKNOWN_REGIONS = ("Atlantis", "Jawa", "97", "ID-XX", "Jakartaa", "Sumatera")
UNKNOWN_CATEGORIES = ("chef", "admn", "pilot", "kantor pusat")
UNKNOWN_MODES = ("REMOTE", "WFX", "w f h", "office", "WFO/WFH")
UNKNOWN_LEVELS = ("provincial", "province", "nasional", "pusat daerah")
BLANK_VALUES = ("", " ", "\u00a0", "  ")

_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_WORD_BREAK = re.compile("[ _\\-\u00a0]+")
_NAME = re.compile(r"[^\W\d_][\w-]*")


def ascii_upper(text: str) -> str:
    return text.translate(_ASCII_UPPER)


def ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def words(text: str) -> list[str]:
    """The words of a name as this module writes it (blanks, no-break spaces, ``_`` and ``-`` break)."""
    return [w for w in _WORD_BREAK.split(text) if w]


def key(text: str) -> str:
    """How a name written from this module's alphabet compares: its words, in ASCII lower case."""
    return " ".join(ascii_lower(w) for w in words(text))


def closure(members: Mapping[str, Sequence[str]]) -> dict[str, frozenset[str]]:
    """Each category → itself and every category under it."""

    def below(c: str, seen: frozenset[str]) -> frozenset[str]:
        out = {c}
        for m in members.get(c, ()):
            if m not in seen:
                out |= below(m, seen | {m})
        return frozenset(out)

    return {c: below(c, frozenset({c})) for c in members}


def categories(declarations: bool = False) -> dict[str, frozenset[str]]:
    """The prelude's categories (and with ``declarations`` those of :data:`DECLARED`), each with the
    categories under it."""
    members = {c: list(ms) for c, ms in PRELUDE.items()}
    if declarations:
        for c, ms in DECLARED.items():
            members.setdefault(c, [])
            members[c] += [m for m in ms if m not in members[c]]
    return closure(members)


def category_names(category: str) -> tuple[str, ...]:
    """The names by which ``category`` is known: its own and its prelude aliases."""
    return (category, *PRELUDE_ALIASES.get(category, ()))


@dataclass(frozen=True)
class Province:
    code: str
    iso: str
    name: str
    short: str
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted way of writing it (the BPS code is not one)."""
        return (self.code, self.iso, self.name, self.short, *self.aliases)


def _read_provinces() -> tuple[Province, ...]:
    path = Path(__file__).resolve().parents[1] / "src" / "asnrules" / "data" / "provinces.csv"
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:  # an installed asnrules without the source tree
        from importlib import resources

        text = resources.files("asnrules").joinpath("data/provinces.csv").read_text(encoding="utf-8")
    return tuple(
        Province(r["kemendagri"], r["iso"], r["name"], r["short"], tuple(a for a in r["aliases"].split(";") if a))
        for r in csv.DictReader(io.StringIO(text))
    )


PROVINCES = _read_provinces()
PROVINCE_BY_CODE = {p.code: p for p in PROVINCES}
_CODES_BY_KEY: dict[str, set[str]] = {}
for _p in PROVINCES:
    for _n in _p.names:
        _CODES_BY_KEY.setdefault(key(_n), set()).add(_p.code)
#: Per province code, the spellings that name it and no other province.
PROVINCE_SPELLINGS: dict[str, tuple[str, ...]] = {
    p.code: tuple(dict.fromkeys(n for n in p.names if _CODES_BY_KEY[key(n)] == {p.code})) for p in PROVINCES
}
assert all(key(u) not in _CODES_BY_KEY for u in UNKNOWN_REGIONS), "an 'unknown' region is known"

DAYS = tuple(dt.date(2023, 1, 2) + dt.timedelta(days=i) for i in range(10))
#: Provinces that rules name (by any spelling) and that situations and rows are drawn in: DKI Jakarta,
#: Jawa Barat, Jawa Tengah, Bali, Aceh, DI Yogyakarta, Papua Barat Daya.
RULE_PROVINCES = ("31", "32", "33", "51", "11")
SITUATION_PROVINCES = ("31", "32", "33", "51", "11", "34", "96")
#: Agencies named in who parts (canonical spellings), and others that data may give.
AGENCIES = ("BKN", "Kemenkes", "Kementerian Kesehatan", "Kementerian A", "Sekretariat Daerah \u2013 Biro Umum")
OTHER_AGENCIES = ("Kemenkeu", "Lain", "Kementerian B")
UNITS = ("U1", "Biro Umum", "Dinas\u00a0Kesehatan DKI", "unit-7", "Kantor Wilayah 3", "U6", "U7", "U8")

# ---- decorations --------------------------------------------------------------------------------------


def case_variant(c: Chooser, text: str) -> str:
    """``text`` as written, or in ASCII upper, lower or title case (other letters untouched)."""
    how = c.integer(0, 3)
    if how == 1:
        return ascii_upper(text)
    if how == 2:
        return ascii_lower(text)
    if how == 3:
        return "".join(
            ascii_upper(ch) if i == 0 or not text[i - 1].isalpha() else ascii_lower(ch) for i, ch in enumerate(text)
        )
    return text


def decorate(c: Chooser, canonical: str, *, outer: bool = True, exotic: bool = False) -> str:
    """``canonical`` (a name of this module's alphabet) written awkwardly but with the same
    :func:`key`: its words in another ASCII case, joined by blanks, no-break spaces, ``_`` or ``-``,
    with blanks around; ``exotic`` draws more of runtime.BLANKS and SEPARATORS."""
    parts = words(canonical)
    inner = INNER + EXOTIC_INNER if exotic else INNER
    text = case_variant(c, parts[0])
    for w in parts[1:]:
        text += c.choice(inner) + case_variant(c, w)
    if outer:
        around = OUTER + EXOTIC_OUTER if exotic else OUTER
        text = c.choice(around) + text + c.choice(around)
    return text


def date_text(c: Chooser, day: dt.date, *, awkward: bool = True, exotic: bool = False) -> str:
    """``day`` as text: ``YYYY-MM-DD``, awkwardly with a time part at midnight and blanks around."""
    text = day.isoformat()
    if awkward:
        if c.chance(0.5):
            text += c.choice(MIDNIGHT_TIMES)
        around = OUTER + EXOTIC_OUTER if exotic else OUTER
        text = c.choice(around) + text + c.choice(around)
    return text


def other_time(c: Chooser) -> str:
    """A time part that is not plain midnight: some hour, minute, second or fraction is not zero, or a
    zone is given."""
    h, m, s = c.integer(0, 23), c.integer(0, 59), c.integer(0, 59)
    frac = c.integer(0, 999)
    if (h, m, s, frac) == (0, 0, 0, 0):
        which = c.integer(0, 4)
        if which == 4:
            return c.choice(("T00:00:00Z", "T00:00:00+07:00", " 00:00 WIB"))
        h, m, s, frac = [(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 5)][which]
    sep = c.choice(("T", " "))
    if frac:
        return f"{sep}{h:02d}:{m:02d}:{s:02d}.{frac:03d}"
    if s:
        return f"{sep}{h:02d}:{m:02d}:{s:02d}"
    return c.choice((f"{sep}{h:02d}:{m:02d}", f"{sep}{h:02d}:{m:02d}:00"))


def province_spelling(c: Chooser, code: str, *, awkward: bool = True, exotic: bool = False) -> str:
    """A spelling of a province in data or in ``evaluate()``: any of its names, codes and aliases,
    decorated (``dki_jakarta``, ``DKI-Jakarta``, ``DKI\\u00a0Jakarta``, `` 31``, ``id-jk``)."""
    name = c.choice(PROVINCE_SPELLINGS[code])
    return decorate(c, name, exotic=exotic) if awkward else name


def category_spelling(c: Chooser, category: str, *, awkward: bool = True, exotic: bool = False) -> str:
    name = c.choice(category_names(category))
    return decorate(c, name, exotic=exotic) if awkward else name


def mode_spelling(c: Chooser, mode: str, *, awkward: bool = True, exotic: bool = False) -> str:
    word = c.choice(MODE_WORDS[mode]) if awkward else mode
    return decorate(c, word, exotic=exotic) if awkward else word


def level_spelling(c: Chooser, level: str | None, *, awkward: bool = True, exotic: bool = False) -> str:
    """A level as data writes it; ``None`` is a blank."""
    if level is None:
        return c.choice(BLANK_VALUES) if awkward else ""
    word = c.choice(LEVEL_WORDS[level]) if awkward else level
    return decorate(c, word, exotic=exotic) if awkward else word


# ---- the calendar (LANGUAGE.md §9), written out independently ------------------------------------------

_PACKAGE_DAYS: dict[int, dict[dt.date, tuple[str, ...]]] = {}
_ESTIMATED_ID = " (perkiraan)"


def package_holidays(year: int) -> dict[dt.date, tuple[str, ...]]:
    """The national non-working days of ``year`` other than weekends (the ``holidays`` package's
    Indonesia, categories public and government, read here directly rather than through
    ``asnrules.workdays``) → their Indonesian names, without the "(perkiraan)" of estimated dates."""
    found = _PACKAGE_DAYS.get(year)
    if found is None:
        import holidays

        cal = holidays.country_holidays("ID", years=year, categories=("public", "government"), language="id")
        found = {day: tuple(n.removesuffix(_ESTIMATED_ID) for n in cal.get_list(day)) for day in sorted(cal)}
        _PACKAGE_DAYS[year] = found
    return found


@dataclass(frozen=True)
class CalendarMeaning:
    """What a rule set's ``holiday`` and ``working day`` declarations mean (LANGUAGE.md §9), and the
    working days and windows that follow: ``holidays`` are (day, province codes or None for a national
    holiday), ``working`` the days declared working days. A ``working day`` makes a day a working day
    nationally; a holiday declared for a province still closes it there."""

    holidays: tuple[tuple[dt.date, frozenset[str] | None], ...] = ()
    working: frozenset[dt.date] = frozenset()

    def nationally_off(self, day: dt.date) -> bool:
        if day in self.working:
            return False
        if day.isoweekday() >= 6 or day in package_holidays(day.year):
            return True
        return any(d == day and p is None for d, p in self.holidays)

    def is_working(self, day: dt.date, province: str | None) -> bool:
        """Whether ``day`` is a working day in ``province`` (a code; None: nationally)."""
        if self.nationally_off(day):
            return False
        return not any(d == day and p is not None and province in p for d, p in self.holidays)

    def holiday_day(self, name_id: str, year: int) -> dt.date:
        """The first day of the holiday whose Indonesian name in the package is ``name_id``."""
        return min(d for d, names in package_holidays(year).items() if name_id in names)

    def block(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The run of consecutive national non-working days that holds ``day``."""
        start = end = day
        while self.nationally_off(start - ONE_DAY):
            start -= ONE_DAY
        while self.nationally_off(end + ONE_DAY):
            end += ONE_DAY
        return start, end

    def window(
        self, order: str, name_id: str, year: int, n: int
    ) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, ...]]:
        """(block, dates) of ``on the first/last n working days after/before`` the holiday."""
        start, end = self.block(self.holiday_day(name_id, year))
        step = ONE_DAY if order == "first" else -ONE_DAY
        day = end + ONE_DAY if order == "first" else start - ONE_DAY
        found: list[dt.date] = []
        while len(found) < n:
            if not self.nationally_off(day):
                found.append(day)
            day += step
        return (start, end), tuple(sorted(found))


ONE_DAY = dt.timedelta(days=1)
NO_DECLARATIONS = CalendarMeaning()

#: Holidays that windows are counted from (LANGUAGE.md §9): (the name a rule file gives, its
#: Indonesian name in the package, year).
WINDOW_HOLIDAYS: tuple[tuple[str, str, int], ...] = (
    *(("Idul Fitri", "Hari Raya Idul Fitri", y) for y in range(2022, 2027)),
    *(("Nyepi", "Hari Suci Nyepi", y) for y in range(2024, 2027)),
    ("Natal", "Hari Raya Natal", 2024),
)
#: How rule files may name them: official, common and English names, quoted or (one word) not.
HOLIDAY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Idul Fitri": ('"Idul Fitri"', '"Lebaran"', '"Hari Raya Idul Fitri"', '"Eid al-Fitr"', '"idul  FITRI"', "Lebaran"),
    "Nyepi": ('"Nyepi"', "Nyepi", '"Hari Suci Nyepi"', '"Day of Silence"'),
    "Natal": ('"Natal"', "Natal", '"Hari Raya Natal"', '"Christmas"'),
}
#: Days that generated declarations fall on. National holidays on working days (one on a day that
#: is already a holiday is a warning), some next to the blocks of :data:`WINDOW_HOLIDAYS`, one a
#: Saturday; working days on non-working days (one on a working day is a warning), none on the first
#: day of a holiday a window is counted from.
DECLARED_NATIONAL_HOLIDAYS = (
    dt.date(2023, 1, 3),
    dt.date(2023, 1, 9),
    dt.date(2023, 1, 7),
    dt.date(2024, 4, 16),
    dt.date(2025, 4, 8),
    dt.date(2025, 3, 27),
    dt.date(2026, 3, 17),
    dt.date(2026, 3, 25),
)
DECLARED_WORKING_DAYS = (
    dt.date(2023, 1, 7),
    dt.date(2023, 1, 8),
    dt.date(2024, 4, 15),
    dt.date(2025, 4, 7),
    dt.date(2025, 3, 28),
    dt.date(2026, 3, 18),
    dt.date(2026, 3, 24),
)


def holiday_declaration(
    c: Chooser,
    day: dt.date,
    name: str,
    provinces: Sequence[str] | None,
    groups: Mapping[str, frozenset[str]],
    awkward: bool = True,
) -> tuple[str, frozenset[str] | None]:
    """``holiday DATE "name" [in REGION...]`` (``provinces``: codes and region groups) and the codes."""
    text = f"{kw(c, 'holiday', awkward)} {day} {quoted(name)}"
    if provinces is None:
        return text, None
    refs: list[str] = []
    codes: set[str] = set()
    for place in provinces:
        if place in groups:
            refs.append(case_variant(c, place) if awkward else place)
            codes |= groups[place]
        else:
            refs.append(region_ref(c, place, awkward=awkward))
            codes.add(place)
    return f"{text} {kw(c, 'in', awkward)} {', '.join(refs)}", frozenset(codes)


def calendar_declarations(
    c: Chooser,
    days: Sequence[dt.date],
    provinces: Sequence[str],
    groups: Mapping[str, frozenset[str]],
    awkward: bool = True,
) -> tuple[list[str], CalendarMeaning]:
    """A few ``holiday`` (national, or for provinces and region groups) and ``working day``
    declarations (LANGUAGE.md §9) and what they mean: no declaration that is only a warning (a
    holiday on a holiday, a working day on a working day) and no national holiday and working day on
    one date (an error)."""
    lines: list[str] = []
    declared: list[tuple[dt.date, frozenset[str] | None]] = []
    national = c.sample(DECLARED_NATIONAL_HOLIDAYS, c.integer(0, 2))
    for k, day in enumerate(national):
        text, codes = holiday_declaration(c, day, f"Cuti bersama tambahan {k}", None, groups, awkward)
        lines.append(text)
        declared.append((day, codes))
    places = [*provinces, *groups]
    for k in range(c.integer(0, 2)):
        day = c.choice(days)
        where = c.sample(places, c.integer(1, min(2, len(places))))
        text, codes = holiday_declaration(c, day, f"Libur daerah {k}", where, groups, awkward)
        lines.append(text)
        declared.append((day, codes))
    free = [d for d in DECLARED_WORKING_DAYS if d not in national]
    working = c.sample(free, c.integer(0, min(2, len(free))))
    for k, day in enumerate(working):
        lines.append(f"{kw(c, 'working day', awkward)} {day} {quoted(f'Hari kerja pengganti {k}')}")
    return lines, CalendarMeaning(tuple(declared), frozenset(working))


def working_days_when(
    c: Chooser, days: Sequence[dt.date], awkward: bool = True
) -> tuple[str, tuple[tuple[dt.date | None, dt.date | None], ...]]:
    """``on working days`` alone or before a when of §3 (``between``, ``from``, ``from ... until``,
    ``until``), and its periods (the working-day filter is the rule's)."""
    kind = c.choice(("between", "alone", "from", "from-until", "until"))
    a, b = sorted([c.choice(days), c.choice(days)])
    on = kw(c, "on working days", awkward)
    if kind == "alone":
        return f"{on} ", ((None, None),)
    if kind == "between":
        return f"{on} {kw(c, 'between', awkward)} {a} {kw(c, 'and', awkward)} {b} ", ((a, b),)
    if kind == "from":
        return f"{on} {kw(c, 'from', awkward)} {a} ", ((a, None),)
    if kind == "from-until":
        return f"{on} {kw(c, 'from', awkward)} {a} {kw(c, 'until', awkward)} {b} ", ((a, b),)
    return f"{on} {kw(c, 'until', awkward)} {b} ", ((None, b),)


def relative_when(c: Chooser, holiday: str, year: int, order: str, n: int, awkward: bool = True) -> str:
    """``on the first/last N working days after/before HOLIDAY YEAR`` in English or Indonesian (N = 1
    may be left out), the holiday by any of its names."""
    name = c.choice(HOLIDAY_SPELLINGS[holiday]) if awkward else f'"{holiday}"'
    if awkward and c.chance(0.5):  # Indonesian order
        count = "" if n == 1 and c.chance(0.6) else f"{n} "
        which = "pertama" if order == "first" else "terakhir"
        where = c.choice(("setelah", "sesudah")) if order == "first" else "sebelum"
        words_ = f"{c.choice(('pada', 'Pada'))} {count}{c.choice(('hari kerja', 'hari-kerja'))} {which} {where}"
        return f"{words_} {name} {year} "
    which = "first" if order == "first" else "last"
    where = "after" if order == "first" else "before"
    if n == 1 and (not awkward or c.chance(0.6)):
        text = f"on the {which} working day {where}"
    else:
        text = f"on the {which} {n} working days {where}"
    return f"{case_variant(c, text) if awkward else text} {name} {year} "


# ---- rule sets -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    """What one constraint says: ``group mode comparison bound%``."""

    group: str
    mode: str
    comparison: str
    bound: Decimal

    def holds(self, k: int, n: int) -> bool:
        share, bound = Fraction(100 * k, n), Fraction(self.bound)
        return {
            "<=": share <= bound,
            ">=": share >= bound,
            "=": share == bound,
            "<": share < bound,
            ">": share > bound,
        }[self.comparison]


@dataclass(frozen=True)
class RuleMeaning:
    """What one rule says: its circular (index), periods (None: unbounded on that side), provinces
    (codes; None: everywhere), who part (levels, agency keys) and constraints; ``working_days``: only
    on the working days of the situation's province (LANGUAGE.md §9: ``on working days`` and windows
    counted from a holiday, whose periods are their dates); ``label`` as the rule set names it."""

    circular: int
    periods: tuple[tuple[dt.date | None, dt.date | None], ...]
    provinces: frozenset[str] | None
    levels: frozenset[str]
    agencies: frozenset[str]
    constraints: tuple[Bound, ...]
    working_days: bool = False
    label: str | None = None

    def applies(
        self, day: dt.date, province: str | None, level: str | None, agency: str | None, working: bool = True
    ) -> bool:
        """When, where and who match (LANGUAGE.md §5; agency: a key); ``working``: whether ``day`` is
        a working day in ``province``."""
        if not any((a is None or a <= day) and (b is None or day <= b) for a, b in self.periods):
            return False
        if self.working_days and not working:
            return False
        if self.provinces is not None and province not in self.provinces:
            return False
        return not (self.levels or self.agencies) or level in self.levels or agency in self.agencies


@dataclass(frozen=True)
class CircularMeaning:
    """A circular's name (None: no header, its file names it), dates and relations (indices); the
    narrower relations (LANGUAGE.md §11) as (index, labels)."""

    name: str | None
    issued: dt.date | None
    effective: dt.date | None
    supersedes: tuple[int, ...]
    overrides: tuple[int, ...]
    supersedes_rules: tuple[tuple[int, tuple[str, ...]], ...] = ()
    overrides_rules: tuple[tuple[int, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class RuleSetCase:
    """A random rule set: ``files`` (name, text) in order, and what they mean."""

    files: tuple[tuple[str, str], ...]
    circulars: tuple[CircularMeaning, ...]
    rules: tuple[RuleMeaning, ...]
    categories: Mapping[str, frozenset[str]]
    region_groups: Mapping[str, frozenset[str]]
    conflict_free: bool
    days: tuple[dt.date, ...]
    agencies: tuple[str, ...]
    #: the ``holiday`` / ``working day`` declarations (LANGUAGE.md §9)
    calendar: CalendarMeaning = NO_DECLARATIONS

    @property
    def text(self) -> str:
        """All files as one text (the same meaning: every file after the first starts a circular)."""
        return "\n".join(text for _, text in self.files)

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.files]

    @property
    def relations(self) -> bool:
        """Whether a circular supersedes or overrides another (or some of its rules)."""
        return any(c.supersedes or c.overrides or c.supersedes_rules or c.overrides_rules for c in self.circulars)

    def tally(self, group: str, mode: str, counts: Mapping[str, Mapping[str, int]]) -> tuple[int, int]:
        """(n, k): staff counted under ``group`` (LEAVE is not counted), and those of them in ``mode``."""
        under = self.categories[group]
        n = sum(k for cat, ms in counts.items() if cat in under for m, k in ms.items() if m != "LEAVE")
        k = sum(ms.get(mode, 0) for cat, ms in counts.items() if cat in under)
        return n, k

    def expected_outcome(
        self,
        day: dt.date,
        province: str | None,
        level: str | None,
        agency: str | None,
        counts: Mapping[str, Mapping[str, int]],
    ) -> str:
        """LANGUAGE.md §5 with Fractions, from what the generator wrote (canonical arguments: a province
        code, a level, an agency key, canonical categories and modes). Only without supersedes and
        overrides: every applicable constraint binds at once."""
        assert not self.relations, "the oracle knows no supersedes/overrides: use the interpreter"
        any_holds = False
        working = self.calendar.is_working(day, province)
        for rule in self.rules:
            if not rule.applies(day, province, level, agency, working):
                continue
            for b in rule.constraints:
                n, k = self.tally(b.group, b.mode, counts)
                if n == 0:
                    continue
                if not b.holds(k, n):
                    return "violation"
                any_holds = True
        return "compliant" if any_holds else "uncovered"


def kw(c: Chooser, word: str, awkward: bool = True) -> str:
    """A keyword, awkwardly in Indonesian or another case."""
    return c.choice(KEYWORDS[word]) if awkward else word


def _name_ok(text: str) -> bool:
    return bool(_NAME.fullmatch(text)) and text.casefold() not in KEYWORD_WORDS


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def region_ref(c: Chooser, code: str, *, awkward: bool = True) -> str:
    """A province as a rule file names it: a code (``31``), an ISO code (``ID-JK``), a name as one
    word (``Jabar``, ``dki_jakarta``, ``DKI-Jakarta``) or in quotes (``"DKI\\u00a0Jakarta"``)."""
    p = PROVINCE_BY_CODE[code]
    spelled = c.choice(PROVINCE_SPELLINGS[code]) if awkward else p.short
    if spelled.isdigit():
        return spelled
    if _name_ok(spelled) and (not awkward or c.chance(0.7)):
        return case_variant(c, spelled) if awkward else spelled
    parts = words(spelled)
    if awkward and c.chance(0.5):
        joined = c.choice(("_", "-")).join(case_variant(c, w) for w in parts)
        if _name_ok(joined):
            return joined
    if not awkward:
        return quoted(spelled)
    return quoted(c.choice((" ", " ", "\u00a0")).join(case_variant(c, w) for w in parts))


def when_part(
    c: Chooser, days: Sequence[dt.date], awkward: bool = True
) -> tuple[str, tuple[tuple[dt.date | None, dt.date | None], ...]]:
    """A when part (or none) and its periods."""
    kind = c.choice(("none", "between", "on", "from", "from-until", "until"))
    a, b = sorted([c.choice(days), c.choice(days)])
    if kind == "none":
        return "", ((None, None),)
    if kind == "between":
        return f"{kw(c, 'between', awkward)} {a} {kw(c, 'and', awkward)} {b} ", ((a, b),)
    if kind == "on":
        return f"{kw(c, 'on', awkward)} {a}, {b} ", ((a, a), (b, b))
    if kind == "from":
        return f"{kw(c, 'from', awkward)} {a} ", ((a, None),)
    if kind == "from-until":
        return f"{kw(c, 'from', awkward)} {a} {kw(c, 'until', awkward)} {b} ", ((a, b),)
    return f"{kw(c, 'until', awkward)} {b} ", ((None, b),)


def where_part(
    c: Chooser,
    provinces: Sequence[str],
    groups: Mapping[str, frozenset[str]],
    awkward: bool = True,
) -> tuple[str, frozenset[str] | None]:
    """A where part (none, nationwide, or one or two provinces and region groups) and its provinces."""
    kind = c.choice(("none", "nationwide", "in", "in"))
    if kind == "none":
        return "", None
    if kind == "nationwide":
        return f"{kw(c, 'nationwide', awkward)} ", None
    refs: list[str] = []
    codes: set[str] = set()
    places = [*provinces, *groups]
    for place in c.sample(places, c.integer(1, min(2, len(places)))):
        if place in groups:
            refs.append(case_variant(c, place) if awkward else place)
            codes |= groups[place]
        else:
            refs.append(region_ref(c, place, awkward=awkward))
            codes.add(place)
    return f"{kw(c, 'in', awkward)} {', '.join(refs)} ", frozenset(codes)


def who_part(c: Chooser, agencies: Sequence[str], awkward: bool = True) -> tuple[str, frozenset[str], frozenset[str]]:
    """A who part (often none): levels and agencies; returns the text, levels and agency keys."""
    kind = c.choice(("none", "none", "central", "regional", "agency", "central+agency", "regional+agency"))
    if kind == "none":
        return "", frozenset(), frozenset()
    levels = [x for x in ("central", "regional") if x in kind]
    names = [c.choice(agencies)] if "agency" in kind else []
    parts = [kw(c, x, awkward) for x in levels]
    parts += [quoted(decorate(c, a, outer=c.chance(0.2)) if awkward else a) for a in names]
    return f"{kw(c, 'for', awkward)} {', '.join(parts)} ", frozenset(levels), frozenset(key(a) for a in names)


def group_ref(c: Chooser, group: str, awkward: bool = True) -> str:
    """A category as a constraint names it: its name or an alias, in any case (``all``: the keyword)."""
    if group == "all":
        return kw(c, "all", awkward)
    if not awkward:
        return group
    name = c.choice([n for n in category_names(group) if _name_ok(n)])
    if "-" in name and c.chance(0.3):
        name = name.replace("-", "_")
    return case_variant(c, name)


def percent_text(c: Chooser, pct: str, awkward: bool = True) -> str:
    return pct + (c.choice(("%", "%", " %")) if awkward else "%")


def constraint(
    c: Chooser,
    groups: Sequence[str],
    *,
    conflict_free: bool = False,
    percents: Sequence[str] = PERCENTS,
    awkward: bool = True,
) -> tuple[str, Bound]:
    """One constraint and its meaning. ``conflict_free``: a bound that holds when everyone works at
    the office (an upper bound on WFH or WFA, a lower bound on WFO, ``WFO = 100%``)."""
    group = c.choice(groups)
    if c.choice((False,) * 7 + (True,)):  # a permission (LANGUAGE.md §10): the share >= 0%, never in conflict
        mode = c.choice(MODES)
        may = c.choice(("may", "boleh", "dapat", "MAY", "Boleh")) if awkward else "may"
        mode_text = c.choice((mode, mode.lower(), mode.title())) if awkward else mode
        return f"{group_ref(c, group, awkward)} {may} {mode_text}", Bound(group, mode, ">=", Decimal(0))
    if conflict_free:
        kind = c.choice(("upper", "upper", "lower", "lower", "exact"))
        if kind == "exact":
            mode, comparison, pct = c.choice((("WFO", "=", "100"), ("WFH", "=", "0"), ("WFA", "=", "0")))
        elif kind == "upper":
            mode = c.choice(("WFH", "WFA"))
            comparison = c.choice(("<=", "<=", "<"))
            pct = c.choice([p for p in percents if comparison == "<=" or p not in ("0",)])
        else:
            mode = "WFO"
            comparison = c.choice((">=", ">=", ">"))
            pct = c.choice([p for p in percents if comparison == ">=" or p not in ("100",)])
    else:
        mode = c.choice(MODES)
        comparison = c.choice(COMPARISONS)
        pct = c.choice(percents)
    spelled = c.choice(COMPARISON_WORDS[comparison]) if awkward else comparison
    mode_text = c.choice((mode, mode.lower(), mode.title())) if awkward else mode
    text = f"{group_ref(c, group, awkward)} {mode_text} {spelled} {percent_text(c, pct, awkward)}"
    return text, Bound(group, mode, comparison, Decimal(pct.replace(",", ".")))


def declarations_text(c: Chooser, awkward: bool = True) -> str:
    """The declarations of :data:`DECLARED` and :data:`REGION_GROUPS`."""
    cat, reg = kw(c, "category", awkward), kw(c, "region", awkward)
    members = ", ".join(region_ref(c, code, awkward=awkward) for code in ("31", "32", "33"))
    return f'{cat} office "Kantor" = desk, field\n{cat} admin = office\n{reg} java "Jawa" = {members}'


def random_rule_set(
    c: Chooser,
    *,
    circulars: tuple[int, int] = (1, 3),
    rules: tuple[int, int] = (1, 3),
    constraints: tuple[int, int] = (1, 3),
    relations: bool = True,
    conflict_free: bool = False,
    declarations: bool = True,
    extras: bool = True,
    awkward: bool = True,
    one_file: bool = False,
    days: Sequence[dt.date] = DAYS,
    provinces: Sequence[str] = RULE_PROVINCES,
    agencies: Sequence[str] = AGENCIES,
    percents: Sequence[str] = PERCENTS,
    part_two: bool = True,
) -> RuleSetCase:
    """A random rule set (see the module's docstring). ``circulars``, ``rules`` (per circular) and
    ``constraints`` (per rule) are ranges; ``relations``: ``supersedes``, ``overrides`` and
    ``effective`` may appear (with ``part_two`` also the narrower ``overrides rule L of N`` and
    ``supersedes rule L of N``, on labels of earlier circulars); ``declarations``: the categories of
    :data:`DECLARED` and the region group of :data:`REGION_GROUPS` are declared and used; ``extras``:
    comments, titles, notes, an example; ``awkward``: every spelling the language accepts (else the
    plainest); ``one_file``: all circulars in one file (else one file each); ``part_two``: now and then
    (LANGUAGE.md §9) ``holiday`` / ``working day`` declarations, rules ``on working days`` and windows
    counted from a holiday (:data:`WINDOW_HOLIDAYS`; their dates join the case's days)."""
    cats = categories(declarations)
    groups = sorted(cats)
    region_groups = dict(REGION_GROUPS) if declarations else {}
    n = c.integer(*circulars)
    headers = n > 1 or c.chance(0.6)
    names = [f"C{i}" if c.chance(0.5) else f"SE MenPANRB {i + 1}/2023" for i in range(n)]
    first = min(days)
    circular_meanings: list[CircularMeaning] = []
    rule_meanings: list[RuleMeaning] = []
    texts: list[str] = []
    superseded: set[tuple[int, int]] = set()
    calendar = NO_DECLARATIONS
    window_days: set[dt.date] = set()
    for i in range(n):
        lines: list[str] = []
        if i == 0 and declarations:
            lines.append(declarations_text(c, awkward))
        if i == 0 and part_two and c.chance(0.15):
            decls, calendar = calendar_declarations(c, days, provinces, region_groups, awkward)
            lines.extend(decls)
        if extras and c.chance(0.3):
            lines.append("# a comment")
        issued = effective = None
        sup: list[int] = []
        ovr: list[int] = []
        narrower: dict[str, list[tuple[int, tuple[str, ...]]]] = {"supersedes": [], "overrides": []}
        if headers:
            name = names[i]
            head = [f"{kw(c, 'circular', awkward)} {name if _name_ok(name) else quoted(name)}"]
            if extras and c.chance(0.3):
                head.append(f'  {kw(c, "title", awkward)} "T \\"quoted\\" {i}"')
            if c.chance(0.7):
                issued = c.choice((first - dt.timedelta(days=30), *days))
                by = f' {kw(c, "by", awkward)} "Menteri PANRB"' if c.chance(0.5) else ""
                head.append(f"  {kw(c, 'issued', awkward)} {issued}{by}")
            if relations and c.chance(0.3):
                effective = c.choice(days)
                head.append(f"  {kw(c, 'effective', awkward)} {effective}")
            if extras and c.chance(0.2):
                head.append(f'  {kw(c, "basis", awkward)} "PP 94/2021", "Perpres 21/2023"')
            others = [j for j in range(n) if j != i and (j, i) not in superseded]
            if relations and others and c.chance(0.25):
                sup.append(c.choice(others))
                superseded.add((i, sup[0]))
            if relations and i > 0 and c.chance(0.33):
                ovr.append(c.integer(0, i - 1))
            for verb, targets in (("supersedes", sup), ("overrides", ovr)):
                if targets:
                    target = names[targets[0]]
                    spelled = case_variant(c, target) if awkward else target
                    head.append(f"  {kw(c, verb, awkward)} {spelled if _name_ok(spelled) else quoted(spelled)}")
            if relations and part_two and i > 0 and c.chance(0.2):
                j = c.integer(0, i - 1)
                labelled = [m.label for m in rule_meanings if m.circular == j and m.label is not None]
                # each attribute at most once: not beside a whole supersedes/overrides; a narrower
                # supersedes only with a date to take effect from (else a warning)
                verbs = [v for v, whole in (("overrides", ovr), ("supersedes", sup)) if not whole]
                if issued is None and effective is None and "supersedes" in verbs:
                    verbs.remove("supersedes")
                if labelled and verbs and j not in sup and j not in ovr and (j, i) not in superseded:
                    picked = c.sample(labelled, c.integer(1, min(2, len(labelled))))
                    verb = c.choice(verbs)
                    narrower[verb].append((j, tuple(picked)))
                    target = names[j]
                    spelled = case_variant(c, target) if awkward else target
                    head.append(
                        f"  {kw(c, verb, awkward)} {kw(c, 'rule', awkward)} {', '.join(picked)} "
                        f"{kw(c, 'of', awkward)} {spelled if _name_ok(spelled) else quoted(spelled)}"
                    )
            lines.append("\n".join(head))
        circular_meanings.append(
            CircularMeaning(
                names[i] if headers else None,
                issued,
                effective,
                tuple(sup),
                tuple(ovr),
                tuple(narrower["supersedes"]),
                tuple(narrower["overrides"]),
            )
        )
        for r in range(c.integer(*rules)):
            working_days = False
            if part_two and c.chance(0.06):
                when, periods = working_days_when(c, days, awkward)
                working_days = True
            elif part_two and c.chance(0.05):
                # a window counted from a holiday; none that ends before its circular is issued (it
                # could never apply: a warning)
                order, count = c.choice(("first", "last")), c.integer(1, 4)
                options = [
                    (h, name_id, year)
                    for h, name_id, year in WINDOW_HOLIDAYS
                    if issued is None or calendar.window(order, name_id, year, count)[1][-1] >= issued
                ]
                holiday, name_id, year = c.choice(options)
                dates = calendar.window(order, name_id, year, count)[1]
                when = relative_when(c, holiday, year, order, count, awkward)
                periods = tuple((d, d) for d in dates)
                working_days = True
                window_days |= {*dates, dates[0] - ONE_DAY, dates[-1] + ONE_DAY}
            else:
                when, periods = when_part(c, days, awkward)
            where, places = where_part(c, provinces, region_groups, awkward)
            who, levels, agency_keys = who_part(c, agencies, awkward)
            cs = [
                constraint(c, groups, conflict_free=conflict_free, percents=percents, awkward=awkward)
                for _ in range(c.integer(*constraints))
            ]
            name = c.choice(("", f"r{r}", f'"label {r}"'))
            label = f"{kw(c, 'rule', awkward)} {name} " if name else ""
            sep = c.choice((" ", "\n  ")) if awkward else " "
            end = c.choice(("", ";", "  # trailing note")) if extras else ""
            lines.append(f"{label}{when}{where}{who}:{sep}" + f";{sep}".join(t for t, _ in cs) + end)
            rule_meanings.append(
                RuleMeaning(
                    i, periods, places, levels, agency_keys, tuple(b for _, b in cs), working_days, name or None
                )
            )
        if extras and c.chance(0.3):
            lines.append(f'{kw(c, "note", awkward)} "Obligation #1: keep \\\\ services open"')
        if extras and c.chance(0.3):
            lines.append(
                f'{kw(c, "example", awkward)} "ex" {kw(c, "on", awkward)} {c.choice(days)} '
                f"{kw(c, 'in', awkward)} DKI {kw(c, 'for', awkward)} {kw(c, 'central', awkward)}: "
                f"admin WFH 1, WFO 1, {c.choice(('LEAVE', 'cuti'))} 1; health WFO 2 -> {kw(c, 'compliant', awkward)}"
            )
        joiner = c.choice(("\n", "\n\n")) if awkward else "\n"
        texts.append(joiner.join(lines) + "\n")
    if one_file:
        files: tuple[tuple[str, str], ...] = (("rules.asnr", "\n".join(texts)),)
    else:
        files = tuple((f"c{i}.asnr", t) for i, t in enumerate(texts))
    return RuleSetCase(
        files,
        tuple(circular_meanings),
        tuple(rule_meanings),
        cats,
        region_groups,
        conflict_free,
        tuple(sorted({*days, *window_days})),
        tuple(agencies),
        calendar,
    )


# ---- situations ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SituationCase:
    """A situation: canonical (``day``, ``province`` code, ``level``, ``agency`` key, ``counts`` by
    canonical category and mode) and as written for ``evaluate()`` (``args``)."""

    day: dt.date
    province: str
    level: str | None
    agency: str | None
    counts: dict[str, dict[str, int]]
    date_arg: dt.date | str
    region_arg: str
    counts_arg: dict[str, dict[str, int]]
    level_arg: str | None
    agency_arg: str | None

    @property
    def args(self) -> tuple[dt.date | str, str, dict[str, dict[str, int]], str | None, str | None]:
        """``(date, region, counts, level, agency)`` for ``RuleSet.evaluate`` and the compiled module."""
        return self.date_arg, self.region_arg, self.counts_arg, self.level_arg, self.agency_arg


def random_situation(
    c: Chooser,
    case: RuleSetCase | None = None,
    *,
    awkward: bool = True,
    exotic: bool = False,
    provinces: Sequence[str] = SITUATION_PROVINCES,
    max_staff: int = 6,
) -> SituationCase:
    """A situation on or around the days of ``case``, in its categories, for its agencies or others;
    ``awkward``: its arguments written in any accepted spelling."""
    days = list(case.days if case else DAYS)
    days = [days[0] - dt.timedelta(days=1), *days, days[-1] + dt.timedelta(days=1)]
    agencies = case.agencies if case else AGENCIES
    cats = sorted(case.categories if case else categories())
    day = c.choice(days)
    province = c.choice(provinces)
    level = c.choice((None, "central", "regional"))
    agency_name = c.choice((None, *agencies, *OTHER_AGENCIES))
    rule = c.choice(case.rules) if case and case.rules and c.chance(0.7) else None
    if case and rule:  # where some rule applies, with staff under its groups
        a, b = c.choice(rule.periods)
        day = c.choice([d for d in days if (a is None or a <= d) and (b is None or d <= b)] or days)
        if rule.provinces:
            province = c.choice(sorted(rule.provinces))
        if rule.levels and c.chance(0.8):
            level = c.choice(sorted(rule.levels))
        if rule.agencies and c.chance(0.8):
            agency_name = c.choice([x for x in agencies if key(x) in rule.agencies])
        under = sorted({x for bound in rule.constraints for x in case.categories[bound.group]})
        cats = under if c.chance(0.8) else cats
    counts: dict[str, dict[str, int]] = {}
    for cat in c.sample(cats, 0 if c.chance(0.05) else c.integer(1, min(3, len(cats)))):
        modes = c.sample((*MODES, "LEAVE"), c.integer(1, 3))
        counts[cat] = {m: c.integer(0, max_staff) for m in modes}
    if case and rule and c.chance(0.4):  # staff on one of its bounds exactly, or one off it
        bound = c.choice(rule.constraints)
        share = Fraction(bound.bound) / 100
        t = c.integer(1, 2)
        n = share.denominator * t
        k = min(n, max(0, share.numerator * t + c.choice((0, 0, 1, -1))))
        others = [m for m in MODES if m != bound.mode]
        rest = c.integer(0, n - k)
        counts[c.choice(sorted(case.categories[bound.group]))] = {
            bound.mode: k,
            others[0]: rest,
            others[1]: n - k - rest,
        }
    written: dict[str, dict[str, int]] = {}
    for cat, modes_counts in counts.items():
        into = written.setdefault(category_spelling(c, cat, awkward=awkward, exotic=exotic), {})
        for m, k in modes_counts.items():
            split = c.integer(1, k - 1) if awkward and k > 1 and c.chance(0.15) else 0
            for part in (split, k - split) if split else (k,):  # one mode in two spellings: they add up
                spelled_mode = mode_spelling(c, m, awkward=awkward, exotic=exotic)
                into[spelled_mode] = into.get(spelled_mode, 0) + part
    date_arg: dt.date | str = day if not awkward or c.chance(0.3) else date_text(c, day, exotic=exotic)
    level_arg: str | None
    if not awkward:
        level_arg = level
    elif level is None:
        level_arg = c.choice((None, "", " ", "\u00a0"))
    else:
        level_arg = level_spelling(c, level, exotic=exotic)
    agency_arg: str | None
    if agency_name is None:
        agency_arg = c.choice((None, "", " ", "\u00a0")) if awkward else None
    else:
        agency_arg = decorate(c, agency_name, exotic=exotic) if awkward else agency_name
    return SituationCase(
        day,
        province,
        level,
        None if agency_name is None else key(agency_name),
        counts,
        date_arg,
        province_spelling(c, province, awkward=awkward, exotic=exotic),
        written,
        level_arg,
        agency_arg,
    )


def plain_situations(
    c: Chooser,
    n: int,
    *,
    windows: Sequence[tuple[dt.date, dt.date]],
    first_day: dt.date,
    regions: Sequence[str],
    categories: Sequence[str],
    years: int = 4,
) -> list[tuple[dt.date, str, dict[str, dict[str, int]]]]:
    """``n`` situations for the benchmarks (date, region, counts): 45% in the first window, 25% in the
    second, the rest anywhere in ``years`` years from ``first_day``; half in ``regions[0]``."""
    out: list[tuple[dt.date, str, dict[str, dict[str, int]]]] = []
    for _ in range(n):
        pick = c.fraction()
        if pick < 0.7:  # mostly while the circulars are in force, or a few days around
            first, last = windows[0] if pick < 0.45 else windows[1]
            day = first + dt.timedelta(days=c.integer(0, (last - first).days))
        else:
            day = first_day + dt.timedelta(days=c.integer(0, years * 365 - 1))
        region = regions[0] if c.fraction() < 0.5 else c.choice(regions)
        counts: dict[str, dict[str, int]] = {}
        for cat in c.sample(categories, c.choice([1, 1, 2, 2, 3])):
            modes = c.sample(["WFO", "WFH", "WFA", "LEAVE"], c.choice([1, 2, 2, 3]))
            counts[cat] = {m: c.integer(0, 11) for m in modes}
        out.append((day, region, counts))
    return out


# ---- attendance rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What a row means: ``reject`` the reason it cannot be used (the first of :data:`REJECT_REASONS`
    that applies), else None; the values read (``None`` where the column is blank or cannot be read):
    ``province`` a code, ``category`` canonical, ``mode`` WFO/WFH/WFA/LEAVE, ``agency`` a key (None:
    blank), ``level`` central/regional (None: blank)."""

    reject: str | None
    unit: str | None
    employee: str | None
    day: dt.date | None
    province: str | None
    category: str | None
    mode: str | None
    agency: str | None
    agency_name: str | None
    level: str | None


@dataclass(frozen=True)
class Row:
    """One attendance row as written (texts, in :data:`COLUMNS` order) and its expected reading."""

    employee: str
    unit: str
    date: str
    region: str
    category: str
    mode: str
    agency: str
    level: str
    expected: Reading
    flaws: tuple[str, ...] = ()

    @property
    def values(self) -> list[str]:
        return [self.employee, self.unit, self.date, self.region, self.category, self.mode, self.agency, self.level]


#: Row flaws (each makes the row a reject, with the reason given) and unit-day flaws (the row reads
#: well, but another value than its unit-day's: the unit-day's rows disagree).
ROW_FLAWS = {
    "unit": "empty unit",
    "employee": "empty employee",
    "date": "bad date",
    "time": "bad date",
    "region": "unknown region",
    "category": "unknown category",
    "mode": "unknown mode",
    "level": "unknown level",
}
UNIT_DAY_FLAWS = ("other-province", "other-level", "other-agency")


def _agency_key(name: str | None) -> str | None:
    return None if name is None else key(name)


def random_row(
    c: Chooser,
    *,
    unit: str = "U1",
    employee: str = "198001012009011001",
    day: dt.date | None = None,
    province: str | None = None,
    level: str | None = None,
    agency: str | None = None,
    cats: Sequence[str] | None = None,
    flaws: Sequence[str] = (),
    exotic: bool = False,
    provinces: Sequence[str] = SITUATION_PROVINCES,
) -> Row:
    """One row in awkward spellings, with ``flaws`` (keys of :data:`ROW_FLAWS` or
    :data:`UNIT_DAY_FLAWS`); unset values are drawn (``agency``: a canonical name)."""
    day = day or c.choice(DAYS)
    province = province or c.choice(provinces)
    category = c.choice(cats or sorted(PRELUDE))
    mode = c.choice(("WFO", "WFO", "WFH", "WFA", "LEAVE"))
    if "other-province" in flaws:
        province = c.choice([p for p in provinces if p != province])
    if "other-level" in flaws:
        level = c.choice([x for x in (None, "central", "regional") if x != level])
    if "other-agency" in flaws:
        agency = c.choice([a for a in (None, *AGENCIES, *OTHER_AGENCIES) if _agency_key(a) != _agency_key(agency)])
    values = {
        "employee": employee,
        "unit": unit,
        "date": date_text(c, day, exotic=exotic),
        "region": province_spelling(c, province, exotic=exotic),
        "category": category_spelling(c, category, exotic=exotic),
        "mode": mode_spelling(c, mode, exotic=exotic),
        "agency": c.choice(BLANK_VALUES) if agency is None else decorate(c, agency, exotic=exotic),
        "level": level_spelling(c, level, exotic=exotic),
    }
    read: dict[str, Any] = {
        "unit": unit,
        "employee": employee,
        "day": day,
        "province": province,
        "category": category,
        "mode": mode,
        "agency": None if agency is None else key(agency),
        "agency_name": agency,
        "level": level,
    }
    for flaw in flaws:
        if flaw == "unit":
            values["unit"], read["unit"] = c.choice(BLANK_VALUES), None
        elif flaw == "employee":
            values["employee"], read["employee"] = c.choice(BLANK_VALUES), None
        elif flaw == "date":
            values["date"], read["day"] = c.choice(BAD_DATES), None
        elif flaw == "time":
            values["date"], read["day"] = day.isoformat() + other_time(c), None
        elif flaw == "region":
            values["region"], read["province"] = decorate(c, c.choice(UNKNOWN_REGIONS)), None
        elif flaw == "category":
            values["category"], read["category"] = decorate(c, c.choice(UNKNOWN_CATEGORIES)), None
        elif flaw == "mode":
            values["mode"], read["mode"] = c.choice(UNKNOWN_MODES), None
        elif flaw == "level":
            values["level"], read["level"] = decorate(c, c.choice(UNKNOWN_LEVELS)), None
    reasons = {ROW_FLAWS[f] for f in flaws if f in ROW_FLAWS}
    reject = next((r for r in REJECT_REASONS if r in reasons), None)
    return Row(**values, expected=Reading(reject=reject, **read), flaws=tuple(flaws))


def random_flaws(c: Chooser, rate: float = 0.3, unit_day: bool = True) -> list[str]:
    """No flaw, or one (sometimes two) of :data:`ROW_FLAWS` and (with ``unit_day``) :data:`UNIT_DAY_FLAWS`."""
    if not c.chance(rate):
        return []
    kinds = [*ROW_FLAWS, *(UNIT_DAY_FLAWS if unit_day else ())]
    return c.sample(kinds, 2 if c.chance(0.15) else 1)


@dataclass(frozen=True)
class UnitDay:
    """A unit-day whose rows agree: its situation, canonical (``agency`` a key, ``agency_name`` the
    agency as first written in its rows), and the number of its rows."""

    province: str
    level: str | None
    agency: str | None
    agency_name: str | None
    counts: dict[str, dict[str, int]]
    rows: int


@dataclass(frozen=True)
class AttendanceCase:
    """Attendance rows for one rule set, and what an audit of them must find."""

    rows: tuple[Row, ...]

    @property
    def table(self) -> list[list[str]]:
        return [r.values for r in self.rows]

    def expected(self) -> tuple[dict[tuple[str, dt.date], UnitDay], list[tuple[int, str]]]:
        """The unit-days to judge ((unit, day) → :class:`UnitDay`) and the rejected rows (index, reason),
        from the rows' expected readings: rows rejected one by one; then, of the rows left, every row
        of an employee with two or more on one day (one unit: duplicates, else two units); then the
        rows left of each unit-day that disagree on province, level or agency, all of them."""
        rejected: list[tuple[int, str]] = []
        by_employee: dict[tuple[str, dt.date], list[tuple[int, Row]]] = {}
        for i, row in enumerate(self.rows):
            e = row.expected
            if e.reject is not None:
                rejected.append((i, e.reject))
            else:
                assert e.employee is not None and e.day is not None
                by_employee.setdefault((e.employee, e.day), []).append((i, row))
        good: dict[tuple[str, dt.date], list[tuple[int, Row]]] = {}
        for items in by_employee.values():
            if len(items) > 1:
                why = DUPLICATE if len({r.expected.unit for _, r in items}) == 1 else TWO_UNITS
                rejected += [(i, why) for i, _ in items]
                continue
            i, row = items[0]
            assert row.expected.unit is not None and row.expected.day is not None
            good.setdefault((row.expected.unit, row.expected.day), []).append((i, row))
        unit_days: dict[tuple[str, dt.date], UnitDay] = {}
        for where, items in good.items():
            if len({(r.expected.province, r.expected.level, r.expected.agency) for _, r in items}) > 1:
                rejected += [(i, DISAGREE) for i, _ in items]
                continue
            counts: dict[str, dict[str, int]] = {}
            for _, r in items:
                cat, mode = r.expected.category, r.expected.mode
                assert cat is not None and mode is not None
                counts.setdefault(cat, {})
                counts[cat][mode] = counts[cat].get(mode, 0) + 1
            e = items[0][1].expected
            assert e.province is not None
            unit_days[where] = UnitDay(e.province, e.level, e.agency, e.agency_name, counts, len(items))
        return unit_days, sorted(rejected)


def random_attendance(
    c: Chooser,
    case: RuleSetCase | None = None,
    *,
    units: tuple[int, int] = (1, 4),
    days_per_unit: tuple[int, int] = (1, 3),
    staff: tuple[int, int] = (1, 9),
    flaw_rate: float = 0.3,
    exotic: bool = False,
    provinces: Sequence[str] = SITUATION_PROVINCES,
    duplicate_rate: float = 0.1,
) -> AttendanceCase:
    """Rows of one to a few units (each in one province, with one level and agency, spelled many
    ways), on one to a few days, with flaws (:func:`random_flaws`); in ``duplicate_rate`` of them the
    employee is exported again on the same day (respelled, with its own flaws), in the same unit or,
    now and then, in another (LANGUAGE.md §13)."""
    days = list(case.days if case else DAYS)
    cats = sorted(case.categories if case else categories())
    agencies = case.agencies if case else AGENCIES
    rows: list[Row] = []
    chosen = c.sample(UNITS, c.integer(*units))
    where = {
        unit: (
            c.choice(provinces),
            c.choice((None, "central", "regional")),
            c.choice((None, *agencies, *OTHER_AGENCIES)),
        )
        for unit in chosen
    }
    for u, unit in enumerate(chosen):
        for day in c.sample(days, c.integer(*days_per_unit)):
            for e in range(c.integer(*staff)):
                copies = [unit]
                while duplicate_rate and c.chance(duplicate_rate) and len(copies) < 4:
                    copies.append(c.choice(chosen) if c.chance(0.3) else unit)
                for at in copies:
                    province, level, agency = where[at]
                    rows.append(
                        random_row(
                            c,
                            unit=at,
                            employee=f"19800101{u:02d}{e:08d}",
                            day=day,
                            province=province,
                            level=level,
                            agency=agency,
                            cats=cats,
                            flaws=random_flaws(c, flaw_rate),
                            exotic=exotic,
                            provinces=provinces,
                        )
                    )
    return AttendanceCase(tuple(rows))


# ---- working days and windows, alone (LANGUAGE.md §9) --------------------------------------------------

#: Stretches of days that working-day cases are drawn in: January 2023 (a weekend, no holiday), and
#: around Idul Fitri 2022 and 2024, Nyepi and Idul Fitri 2025 and 2026, Christmas 2024.
STRETCHES = (
    dt.date(2023, 1, 2),
    dt.date(2022, 4, 25),
    dt.date(2024, 4, 1),
    dt.date(2025, 3, 17),
    dt.date(2026, 3, 9),
    dt.date(2024, 12, 16),
)


def _span(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    return tuple(start + dt.timedelta(days=i) for i in range((end - start).days + 1))


def random_declarations_near(
    c: Chooser,
    around: Sequence[dt.date],
    *,
    avoid: Sequence[dt.date] = (),
    provinces: Sequence[str] = SITUATION_PROVINCES,
    awkward: bool = True,
    national: int = 1,
    provincial: int = 4,
    working: int = 1,
) -> tuple[list[str], CalendarMeaning]:
    """Up to ``national`` national holidays (on days the package has as working days: else a warning),
    ``provincial`` holidays for one or two provinces and ``working`` working days (on days the package
    has as non-working, never on a national holiday declared too, nor on the days of ``avoid``), all on
    days of ``around``."""
    lines: list[str] = []
    declared: list[tuple[dt.date, frozenset[str] | None]] = []
    free = [d for d in around if d not in package_holidays(d.year)]
    chosen = c.sample(free, c.integer(0, min(national, len(free))))
    for k, day in enumerate(chosen):
        text, codes = holiday_declaration(c, day, f"Cuti bersama tambahan {k}", None, {}, awkward)
        lines.append(text)
        declared.append((day, codes))
    for k in range(c.integer(0, provincial)):
        day = c.choice(around)
        where = c.sample(provinces, c.integer(1, 2))
        text, codes = holiday_declaration(c, day, f"Libur daerah {k}", where, {}, awkward)
        lines.append(text)
        declared.append((day, codes))
    off = [
        d
        for d in around
        if (d.isoweekday() >= 6 or d in package_holidays(d.year)) and d not in chosen and d not in avoid
    ]
    days_on = c.sample(off, c.integer(0, min(working, len(off))))
    for k, day in enumerate(days_on):
        lines.append(f"{kw(c, 'working day', awkward)} {day} {quoted(f'Hari kerja pengganti {k}')}")
    return lines, CalendarMeaning(tuple(declared), frozenset(days_on))


@dataclass(frozen=True)
class WorkingDaysCase:
    """Two rule sets with the same declarations: one rule ``on working days between start and end``
    (``working_text``) and the same rule ``between start and end`` (``plain_text``); ``days`` to probe
    (three days either side too) and what the declarations mean."""

    working_text: str
    plain_text: str
    start: dt.date
    end: dt.date
    days: tuple[dt.date, ...]
    calendar: CalendarMeaning


def random_working_days_case(c: Chooser, awkward: bool = True) -> WorkingDaysCase:
    base = c.choice(STRETCHES)
    start = base + dt.timedelta(days=c.integer(0, 10))
    end = start + dt.timedelta(days=c.integer(0, 14))
    days = _span(start - dt.timedelta(days=3), end + dt.timedelta(days=3))
    lines, calendar = random_declarations_near(c, days, awkward=awkward)
    between = f"{kw(c, 'between', awkward)} {start} {kw(c, 'and', awkward)} {end}"
    body = f"{kw(c, 'nationwide', awkward)}: admin WFH <= 50%"
    decls = "".join(f"{line}\n" for line in lines)
    return WorkingDaysCase(
        f"{decls}{kw(c, 'rule', awkward)} w {kw(c, 'on working days', awkward)} {between} {body}\n",
        f"{decls}{kw(c, 'rule', awkward)} w {between} {body}\n",
        start,
        end,
        days,
        calendar,
    )


@dataclass(frozen=True)
class WindowCase:
    """One rule on a window counted from a holiday (``text``, with declarations near its block), and
    what it means: the holiday (its Indonesian name in the package, year), ``order`` (first/last), ``n``."""

    text: str
    name_id: str
    year: int
    order: str
    n: int
    calendar: CalendarMeaning


def random_window_case(c: Chooser, awkward: bool = True) -> WindowCase:
    holiday, name_id, year = c.choice(WINDOW_HOLIDAYS)
    order, n = c.choice(("first", "last")), c.integer(1, 6)
    first_day = NO_DECLARATIONS.holiday_day(name_id, year)
    start, end = NO_DECLARATIONS.block(first_day)
    around = _span(start - dt.timedelta(days=9), end + dt.timedelta(days=9))
    lines, calendar = random_declarations_near(
        c, around, avoid=(first_day,), awkward=awkward, national=2, provincial=2, working=2
    )
    rule = f"{kw(c, 'rule', awkward)} w {relative_when(c, holiday, year, order, n, awkward)}: all may WFA"
    return WindowCase("".join(f"{line}\n" for line in lines) + rule + "\n", name_id, year, order, n, calendar)


# ---- sets for the conflict checker ---------------------------------------------------------------------

#: Bounds whose brute force stays small (denominators of p/100 divide 20).
SMALL_PERCENTS = ("0", "10", "20", "25", "40", "50", "60", "75", "80", "100")


def _bounds(c: Chooser, group: str, low: int, high: int, comparisons: Sequence[str], percents: Sequence[str]) -> str:
    return "; ".join(
        f"{group} {c.choice(MODES)} {c.choice(comparisons)} {c.choice(percents)}%" for _ in range(c.integer(low, high))
    )


def one_group_set(c: Chooser) -> str:
    """One to five bounds on ``admin``, nationwide: any comparison, small percentages."""
    return "nationwide: " + _bounds(c, "admin", 1, 5, COMPARISONS, SMALL_PERCENTS)


def tied_set(c: Chooser) -> str:
    """0% and 100% bounds on ``admin`` that bind ``administration`` under it, and bounds on it."""
    return (
        f"nationwide: {_bounds(c, 'admin', 1, 2, ('=', '<=', '>='), ('0', '100'))}\n"
        f"nationwide: {_bounds(c, 'administration', 1, 3, COMPARISONS, SMALL_PERCENTS)}"
    )


SCATTERED_DAYS = (dt.date(2023, 1, 2), dt.date(2023, 1, 3), dt.date(2023, 1, 4))


def scattered_set(c: Chooser) -> str:
    """Rules on one group, each on one of three days in DKI or Bali: several segments, some whose
    rules can hold next to some whose rules cannot."""
    return "\n".join(
        f"on {c.choice(SCATTERED_DAYS)} in {c.choice(('DKI', 'Bali'))}: "
        f"admin {c.choice(MODES)} {c.choice(COMPARISONS)} {c.choice(SMALL_PERCENTS)}%"
        for _ in range(c.integer(1, 7))
    )


# ---- the benchmarks' synthetic circulars -----------------------------------------------------------------

SYNTH_ISSUERS = (
    "Menteri PANRB",
    "Menteri Dalam Negeri",
    "Menteri Kesehatan",
    "Menteri Keuangan",
    "Menteri Agama",
    "Menteri Perhubungan",
    "Kepala BKN",
    "Gubernur",
)
SYNTH_SERIES = (
    "SE MenPANRB",
    "SE Kemendagri",
    "SE Kemenkes",
    "SE Kemenkeu",
    "SE Kemenag",
    "SE Kemenhub",
    "SE BKN",
    "SE Gubernur",
)
SYNTH_REGIONS = (
    *("DKI", "Jabar", "Jateng", "Jatim", "DIY", "Banten", "Bali", "NTB", "NTT", "Kaltim", "Sulsel", "Aceh"),
    *("Sumut", "Sumbar", "Riau", "Jambi", "Sumsel", "Bengkulu", "Lampung", "Babel", "Kepri", "Kalbar"),
    *("Kalteng", "Kalsel", "Kaltara", "Sulut", "Sulteng", "Sultra", "Gorontalo", "Sulbar", "Maluku", "Malut"),
    *("Papua", '"Papua Barat"', '"Papua Selatan"', '"Papua Tengah"', '"Papua Pegunungan"', "PBD", "31", "ID-JB"),
    *('"DKI Jakarta"', '"Jawa Timur"'),
)
SYNTH_AGENCIES = (
    '"Kementerian Dalam Negeri"',
    '"Kementerian Kesehatan"',
    '"Kementerian Agama"',
    '"Badan Kepegawaian Negara"',
    '"Pemerintah Provinsi"',
)
SYNTH_UPPER = ("25%", "30%", "40%", "50%", "60%", "75%", "33,5%", "12.5%")
SYNTH_LOWER = ("25%", "40%", "50%", "60%", "70%", "75%", "100%")
SYNTH_ADMIN = ("admin", "administration", "leadership-support", "all")
SYNTH_FRONTLINE = ("frontline", *FRONTLINE_MEMBERS)
SYNTH_FIRST_DAY = dt.date(2010, 1, 1)
SYNTH_SPAN_DAYS = 30 * 365


def _synthetic_constraint(c: Chooser, indonesian: bool) -> str:
    kind = c.fraction()
    if kind < 0.25:
        return f"{c.choice(SYNTH_FRONTLINE)} WFO = 100%"
    if kind < 0.45:
        word = "paling sedikit" if indonesian else c.choice([">=", "at least"])
        return f"{c.choice(SYNTH_ADMIN)} WFO {word} {c.choice(SYNTH_LOWER)}"
    word = "paling banyak" if indonesian else c.choice(["<=", "at most"])
    mode = "WFH" if kind < 0.85 else "WFA"
    return f"{c.choice(SYNTH_ADMIN + SYNTH_FRONTLINE[:3])} {mode} {word} {c.choice(SYNTH_UPPER)}"


def synthetic_circular(c: Chooser, number: int, rules_per_circular: int) -> tuple[str, str]:
    """One realistic, conflict-free circular: (file name, text).

    Issued by a ministry or a provincial government a few days before its rules start; its rules last
    from one day to a few weeks, somewhere between 2010 and 2039, in one to three provinces (written
    with the many spellings the language accepts) or, for about one circular in fifty, nationwide;
    about one in eight has a who part (central, regional or a named agency), some are written in
    Indonesian. Every constraint is an upper bound on WFH or WFA, a lower bound on WFO, or ``WFO =
    100%`` for a frontline category: all hold when everyone works from the office, so no set of them
    can contradict another (LANGUAGE.md §6); rules start after their circular is issued, so none is
    reported as never applying."""
    series = c.integer(0, len(SYNTH_SERIES) - 1)
    issued = SYNTH_FIRST_DAY + dt.timedelta(days=c.integer(0, SYNTH_SPAN_DAYS - 1))
    name = f"{SYNTH_SERIES[series]} {number}/{issued.year}"
    indonesian = c.chance(0.3)
    nationwide = c.chance(0.02)
    regions = c.sample(SYNTH_REGIONS, c.choice([1, 1, 1, 2, 3]))
    lines = [
        f"# Synthetic circular {number}",
        f'circular "{name}"',
        f'  title "Penyesuaian Sistem Kerja Pegawai ASN nomor {number}"',
        f'  issued {issued.isoformat()} by "{SYNTH_ISSUERS[series]}"',
        '  basis "PP 94/2021", "Perpres 21/2023"',
        "",
    ]
    for r in range(rules_per_circular):
        start = issued + dt.timedelta(days=c.integer(1, 19))
        end = start + dt.timedelta(days=c.choice([0, 1, 2, 4, 6, 13, 27]))
        if indonesian:
            when = f"antara {start} dan {end}" if start != end else f"pada {start}"
            where = "nasional" if nationwide else "di " + ", ".join(regions)
        else:
            when = f"between {start} and {end}" if start != end else f"on {start}"
            where = "nationwide" if nationwide else "in " + ", ".join(regions)
        who = ""
        if c.chance(0.12):
            pick = c.fraction()
            who = " for " + ("central" if pick < 0.4 else "regional" if pick < 0.6 else c.choice(SYNTH_AGENCIES))
        constraints = "; ".join(_synthetic_constraint(c, indonesian) for _ in range(c.choice([1, 1, 2, 2, 3])))
        label = f"aturan-{r + 1}" if indonesian else f"rule-{r + 1}"
        keyword = "aturan" if indonesian else "rule"
        lines.append(f"{keyword} {label} {when} {where}{who}: {constraints}")
    if c.chance(0.5):
        lines += ["", 'note "Pemantauan kinerja pegawai dan organisasi tetap berjalan."']
    return f"synthetic-{number:05d}.asnr", "\n".join(lines) + "\n"


def synthetic(n_circulars: int, rules_per_circular: int, seed: int = 0) -> dict[str, str]:
    """``n_circulars`` synthetic circulars (:func:`synthetic_circular`) of ``rules_per_circular`` rules
    each: file name → rule text. Deterministic for a given seed (the benchmarks' rule sets)."""
    c = RandomChooser(seed)
    return dict(synthetic_circular(c, i + 1, rules_per_circular) for i in range(n_circulars))


# ---- Hypothesis strategies -------------------------------------------------------------------------------


def rule_sets(**options: Any) -> SearchStrategy[RuleSetCase]:
    """Random rule sets (:func:`random_rule_set`; the options are its keyword arguments)."""
    return strategy(lambda c: random_rule_set(c, **options))


def situation_lists(
    case: RuleSetCase | None = None, *, min_size: int = 1, max_size: int = 12, **options: Any
) -> SearchStrategy[list[SituationCase]]:
    """Lists of situations for ``case`` (:func:`random_situation`)."""
    return strategy(lambda c: [random_situation(c, case, **options) for _ in range(c.integer(min_size, max_size))])


def situations(case: RuleSetCase | None = None, **options: Any) -> SearchStrategy[SituationCase]:
    """Random situations (:func:`random_situation`), for ``case`` or the prelude's categories."""
    return strategy(lambda c: random_situation(c, case, **options))


def rule_sets_with_situations(
    *, min_size: int = 1, max_size: int = 12, situation_options: Mapping[str, Any] | None = None, **options: Any
) -> SearchStrategy[tuple[RuleSetCase, list[SituationCase]]]:
    """A rule set and situations drawn for it (its days, categories and agencies)."""

    def make(c: Chooser) -> tuple[RuleSetCase, list[SituationCase]]:
        case = random_rule_set(c, **options)
        return case, [
            random_situation(c, case, **(situation_options or {})) for _ in range(c.integer(min_size, max_size))
        ]

    return strategy(make)


def rule_sets_with_attendance(
    *, attendance_options: Mapping[str, Any] | None = None, **options: Any
) -> SearchStrategy[tuple[RuleSetCase, AttendanceCase]]:
    """A rule set and attendance rows drawn for it."""

    def make(c: Chooser) -> tuple[RuleSetCase, AttendanceCase]:
        case = random_rule_set(c, **options)
        return case, random_attendance(c, case, **(attendance_options or {}))

    return strategy(make)


def attendance(case: RuleSetCase | None = None, **options: Any) -> SearchStrategy[AttendanceCase]:
    """Random attendance tables (:func:`random_attendance`)."""
    return strategy(lambda c: random_attendance(c, case, **options))


def awkward_rows(flaw_rate: float = 0.4, **options: Any) -> SearchStrategy[Row]:
    """Single rows in awkward spellings with their expected reading (:func:`random_row`), a flaw in
    ``flaw_rate`` of them (row flaws only: one row has no unit-day to disagree with)."""
    return strategy(lambda c: random_row(c, flaws=random_flaws(c, flaw_rate, unit_day=False), **options))


def midnight_dates(exotic: bool = True) -> SearchStrategy[tuple[str, dt.date]]:
    """(text, day): any day from 0001 to 9999 as ``YYYY-MM-DD``, perhaps with a time part at midnight
    and blanks around: each must read as that day."""
    from hypothesis import strategies as st

    return st.dates().flatmap(lambda day: strategy(lambda c: (date_text(c, day, exotic=exotic), day)))


def other_times() -> SearchStrategy[str]:
    """A day followed by a time part other than midnight (or with a zone): each a bad date."""
    from hypothesis import strategies as st

    return st.dates().flatmap(lambda day: strategy(lambda c: day.isoformat() + other_time(c)))


def working_days_cases(**options: Any) -> SearchStrategy[WorkingDaysCase]:
    """A rule ``on working days between A and B`` and the same rule without it, with random
    declarations (:func:`random_working_days_case`)."""
    return strategy(lambda c: random_working_days_case(c, **options))


def window_cases(**options: Any) -> SearchStrategy[WindowCase]:
    """A rule on a window counted from a holiday, with random declarations (:func:`random_window_case`)."""
    return strategy(lambda c: random_window_case(c, **options))


def one_group_sets() -> SearchStrategy[str]:
    return strategy(one_group_set)


def tied_sets() -> SearchStrategy[str]:
    return strategy(tied_set)


def scattered_sets() -> SearchStrategy[str]:
    return strategy(scattered_set)


def grammar_texts() -> SearchStrategy[str]:
    """Inputs drawn from the real grammar (``hypothesis.extra.lark``), with terminals spelled in every
    way the language allows and some it does not (``2023-02-30``, ``150%``, ``"\\q"``)."""
    from hypothesis import strategies as st
    from hypothesis.extra.lark import from_lark

    from asnrules.parser import raw_parser

    terminals = {
        "CIRCULAR": ["circular", "surat edaran", "Surat-Edaran"],
        "TITLE": ["title", "judul"],
        "ISSUED": ["issued", "ditetapkan"],
        "BY": ["by", "oleh"],
        "EFFECTIVE": ["effective", "berlaku"],
        "BASIS": ["basis", "dasar"],
        "SOURCE": ["source", "sumber"],
        "SUPERSEDES": ["supersedes", "mencabut"],
        "OVERRIDES": ["overrides", "mengesampingkan"],
        "RULE": ["rule", "aturan"],
        "BETWEEN": ["between", "antara"],
        "AND": ["and", "dan"],
        "ON": ["on", "pada"],
        "FROM": ["from", "mulai"],
        "UNTIL": ["until", "sampai"],
        "IN": ["in", "di", "IN"],
        "NATIONWIDE": ["nationwide", "nasional"],
        "FOR": ["for", "untuk"],
        "CENTRAL": ["central", "pusat"],
        "REGIONAL": ["regional", "daerah"],
        "ALL": ["all", "semua"],
        "AT_MOST": ["at most", "paling-banyak"],
        "AT_LEAST": ["at least", "paling sedikit"],
        "EXACTLY": ["exactly", "tepat"],
        "CATEGORY": ["category", "kategori"],
        "REGION": ["region", "wilayah"],
        "NOTE": ["note", "catatan"],
        "EXAMPLE": ["example", "contoh"],
        "COMPLIANT": ["compliant", "patuh"],
        "VIOLATION": ["violation", "pelanggaran"],
        "UNCOVERED": ["uncovered", "tidak diatur"],
        "MODE": ["WFO", "wfh", "Wfa"],
        "LEAVE": ["LEAVE", "cuti"],
        "LE": ["<=", "≤"],
        "GE": [">=", "≥"],
        "EQ": ["="],
        "LT": ["<"],
        "GT": [">"],
        "COLON": [":"],
        "_COMMA": [","],
        "_SEMI": [";"],
        "_ARROW": ["->", "→"],
    }
    explicit: dict[str, SearchStrategy[str]] = {
        k: st.sampled_from([f"{v} " for v in vs]) for k, vs in terminals.items()
    }
    explicit.update(
        {
            "DATE": st.sampled_from(["2023-08-28 ", "2023-02-30 ", "2024-04-16 ", "2023-8-1 "]),
            "PERCENT": st.sampled_from(["50% ", "33,5% ", "100% ", "0% ", "150% ", "12.25% "]),
            "INT": st.sampled_from(["0 ", "3 ", "31 ", "10 "]),
            "STRING": st.sampled_from(
                ['"DKI Jakarta" ', '"a \\"b\\"" ', '"BKN" ', '"\\q" ', '"x\\ny" ', '"DKI\u00a0Jakarta" ']
            ),
            "NAME": st.sampled_from(
                ["admin ", "DKI ", "frontline ", "health ", "foo ", "Jabar ", "ops-1 ", "ID-JK ", "dki_jakarta "]
            ),
            "COMMENT": st.just("# c\n"),
            "WS": st.sampled_from([" ", "\n"]),
        }
    )
    return from_lark(raw_parser(), start="start", explicit=explicit)
