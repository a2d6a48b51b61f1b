"""Indonesia's calendar of working days (LANGUAGE.md §9): the one module that knows about holidays.

The national calendar is the ``holidays`` package's Indonesia, categories *public* (hari libur nasional)
and *government* (cuti bersama of ASN), with the package's own Indonesian (``id``) and English
(``en_US``) names; Saturdays and Sundays are non-working. :data:`CALENDAR_VERSION` names the package
and its version: results that depend on the calendar record it beside their fingerprint. Nothing else
in asnrules imports ``holidays``.

A rule set adds **declarations** on top (:class:`Calendar`): ``holiday DATE STRING [in REGION...]``
(:class:`HolidayDeclaration`: a non-working day, national or for some provinces) and ``working day
DATE STRING`` (:class:`WorkingDayDeclaration`: a day made a working day again, a cancelled cuti
bersama). A **working day** in a province is a day that is not a Saturday or Sunday, not a national
holiday, not cuti bersama and not a holiday declared for that province, unless a ``working day``
declaration names it. Which day wins where declarations meet:

- a ``working day`` declaration makes the day a working day *nationally*, whatever the package says
  (a public holiday, cuti bersama, even a Saturday or Sunday);
- a ``holiday`` declared for some provinces still makes the day non-working *there* (it is the more
  specific declaration);
- a national ``holiday`` and a ``working day`` on one date contradict each other: :class:`InputError`.

The **block** of a day (:meth:`Calendar.block`) is the run of consecutive *national* non-working days
that holds it; :meth:`Calendar.first_after` and :meth:`Calendar.last_before` count *national* working
days from the day after a holiday's block, or back from the day before it. A holiday declared only for
some provinces therefore neither lengthens a block nor is skipped by the count: the window is the same
dates in every province (as the circulars write them); on a provincial holiday inside it the office is
simply closed there.

The package marks the dates it only computes (Islamic holidays of the years it has not confirmed, and
Chinese and Buddhist ones beyond its tables) with the suffix ``" (perkiraan)"`` / ``" (estimated)"``
in the name. :class:`Holiday` strips it and keeps :attr:`Holiday.estimated` instead.

Errors are :class:`~asnrules.errors.InputError` with a message of the catalogue (``calendar.*``, in
``asnrules/data/messages/calendar.toml``); warnings about declarations are values
(:meth:`Calendar.warnings`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import holidays as _holidays
from holidays.version import __version__ as _holidays_version

from .errors import InputError
from .messages import Join, Msg, msg, say
from .prelude import province_by_code, province_keys, province_name, province_suggestions
from .runtime import WorkingDays, name_key
from .runtime import suggest as _suggest

__all__ = [
    "ALIASES",
    "CALENDAR_VERSION",
    "FIRST_YEAR",
    "LAST_YEAR",
    "Calendar",
    "Holiday",
    "HolidayDeclaration",
    "HolidayName",
    "Kind",
    "WorkingDayDeclaration",
    "calendar_json",
    "calendar_text",
    "cuti_bersama_published",
    "national_calendar",
    "national_holidays",
]

#: The calendar results depend on: written wherever a fingerprint is.
CALENDAR_VERSION = f"holidays {_holidays_version}"

#: The years the calendar covers (the package's first year for Indonesia, and its last year).
FIRST_YEAR = 1946
LAST_YEAR = 2100

Kind = Literal["public", "cuti bersama", "declared", "weekend"]

#: The order of kinds on one day, in listings.
_KIND_ORDER: dict[str, int] = {"public": 0, "cuti bersama": 1, "declared": 2, "weekend": 3}
_KIND_MSG: dict[str, str] = {
    "public": "calendar.kind.public",
    "cuti bersama": "calendar.kind.cuti-bersama",
    "declared": "calendar.kind.declared",
    "weekend": "calendar.kind.weekend",
}

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Holiday:
    """One non-working day and why: ``kind`` is ``"public"`` (a national public holiday),
    ``"cuti bersama"``, ``"declared"`` (by the rule set) or ``"weekend"``.

    ``name_id`` and ``name_en`` are its names in Indonesian and English (a declared holiday has one name,
    used for both), without the package's "(perkiraan)"/"(estimated)" suffix: ``estimated`` says that the
    calendar only estimates the date. ``provinces`` is ``None`` for a national day, else the Kemendagri
    codes of the provinces it is declared for.
    """

    day: dt.date
    name_id: str
    name_en: str
    kind: Kind
    estimated: bool = False
    provinces: frozenset[str] | None = None

    def name(self, lang: str = "id") -> str:
        """The name in ``lang`` (``id`` or ``en``)."""
        return self.name_id if lang.lower().startswith("id") else self.name_en

    def label(self, lang: str = "id") -> str:
        """The name in ``lang``, followed by "(perkiraan)"/"(estimated)" where the date is estimated."""
        if self.estimated:
            return f"{self.name(lang)} {say('calendar.estimated', lang)}"
        return self.name(lang)

    def applies_in(self, province: str | None) -> bool:
        """Whether the day is non-working in ``province`` (a Kemendagri code; ``None``: nationally)."""
        return self.provinces is None or (province is not None and province in self.provinces)

    def text(self, lang: str = "id") -> str:
        """``name (date)``, in ``lang``: how a message names the holiday."""
        return f"{self.label(lang)} ({self.day.isoformat()})"


@dataclass(frozen=True)
class HolidayName:
    """A holiday's name as a message argument: worded in the message's language."""

    holiday: Holiday

    def text(self, lang: str) -> str:
        return self.holiday.name(lang)


@dataclass(frozen=True)
class HolidayDeclaration:
    """``holiday DATE STRING [in REGION...]``: ``day`` is non-working, nationally (``provinces`` None)
    or in the provinces named (Kemendagri codes, or any name asnrules accepts for a province)."""

    day: dt.date
    name: str
    provinces: frozenset[str] | None = None


@dataclass(frozen=True)
class WorkingDayDeclaration:
    """``working day DATE STRING``: ``day`` is a working day, whatever the national calendar says."""

    day: dt.date
    name: str


# ---- the package's calendar ------------------------------------------------------------------------


def _check_day(day: object) -> dt.date:
    """``day`` if it is an exact :class:`datetime.date` within the years covered, else InputError."""
    if type(day) is not dt.date:
        raise InputError(msg("calendar.not-a-date", type=type(day).__name__))
    _check_year(day.year)
    return day


def _check_year(year: object) -> int:
    if type(year) is not int:
        raise InputError(msg("calendar.not-a-year", type=type(year).__name__))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(msg("calendar.year-range", first=FIRST_YEAR, last=LAST_YEAR, year=year), code="E310")
    return year


def _affix(template: str) -> tuple[str, str]:
    """A label template of the package (``"%s (perkiraan)"``) split around its ``%s``."""
    before, _, after = template.partition("%s")
    return before, after


def _strip(name: str, affix: tuple[str, str]) -> tuple[str, bool]:
    """``name`` without the estimated label, and whether it had it."""
    before, after = affix
    if after and name.endswith(after) and name.startswith(before) and len(name) > len(before) + len(after):
        return name[len(before) : len(name) - len(after)], True
    return name, False


def _package(year: int, category: str, language: str) -> Any:
    return _holidays.country_holidays("ID", years=year, categories=(category,), language=language)


@functools.cache
def national_holidays(year: int) -> tuple[Holiday, ...]:
    """The package's public holidays and cuti bersama of ``year`` (no weekends, no declarations),
    sorted by day, then public before cuti bersama, then name. Each holiday's English name is the
    package's own translation of its Indonesian one (the package sorts the names of one day by their
    spelling, so the two languages cannot be paired by position)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return ()
    found: list[Holiday] = []
    kind: Kind
    for category, kind in (("public", "public"), ("government", "cuti bersama")):
        in_id = _package(year, category, "id")
        in_en = _package(year, category, "en_US")
        id_affix = _affix(in_id.tr(in_id.estimated_label))
        en_template = in_en.tr(in_en.estimated_label)
        en_affix = _affix(en_template)
        for day in sorted(in_id):
            names_en = in_en.get_list(day)
            for raw in in_id.get_list(day):
                name_id, estimated = _strip(raw, id_affix)
                name_en = in_en.tr(name_id)
                shown = en_template % name_en if estimated else name_en
                if shown not in names_en:
                    # not a name the package translates one to one (an "observed" label): pair the only
                    # English name of the day, else keep the Indonesian
                    only = names_en[0] if len(names_en) == 1 and len(in_id.get_list(day)) == 1 else raw
                    name_en, _ = _strip(only, en_affix)
                found.append(Holiday(day, name_id, name_en, kind, estimated))
    found.sort(key=_order)
    return tuple(found)


def cuti_bersama_published(year: int) -> bool:
    """Whether the calendar has the cuti bersama of ``year`` (the joint decree of the year is in the
    package: from 2002 to the last year decreed). In a later year the calendar knows only the public
    holidays, most of them estimated: a window resolved there may move when the decree comes."""
    return any(h.kind == "cuti bersama" for h in national_holidays(year))


def _order(h: Holiday) -> tuple[dt.date, int, str]:
    return (h.day, _KIND_ORDER[h.kind], h.name_id)


@functools.cache
def _national_days(year: int) -> frozenset[dt.date]:
    return frozenset(h.day for h in national_holidays(year))


def _weekend(day: dt.date) -> Holiday:
    weekday = day.isoweekday()
    key = f"calendar.weekday.{weekday}"
    return Holiday(day, say(key, "id"), say(key, "en"), "weekend")


# ---- names ----------------------------------------------------------------------------------------

_QUOTES = re.compile(r"['’‘`´.]")


def _key(name: str) -> str:
    """How holiday names are compared: blanks, ``_`` and hyphens made one space, case folded,
    apostrophes and full stops dropped (``"Isra' Mi'raj"`` is ``"isra miraj"``)."""
    return name_key(_QUOTES.sub("", name)).casefold()


#: Common names of the package's holidays, by their official Indonesian name (the package's
#: Indonesian and English names are always accepted too). "Cuti Bersama X" and "X Joint Holiday" are
#: accepted for every X below (:meth:`Calendar.find`).
ALIASES: dict[str, tuple[str, ...]] = {
    "Tahun Baru Masehi": ("Tahun Baru", "Tahun Baru Nasional", "1 Januari", "New Year", "New Year's Day"),
    "Tahun Baru Imlek": ("Imlek", "Tahun Baru Cina", "Chinese New Year", "Lunar New Year", "Imlek Kongzili"),
    "Isra Mikraj Nabi Muhammad": (
        "Isra Mikraj",
        "Isra Miraj",
        "Isra Mi'raj",
        "Isra' Mi'raj",
        "Isra Mi'raj Nabi Muhammad",
        "Isra Mikraj Nabi Muhammad SAW",
        "Isra and Miraj",
        "Al-Isra wal-Miraj",
        "Night Journey",
    ),
    "Hari Suci Nyepi": (
        "Nyepi",
        "Hari Raya Nyepi",
        "Tahun Baru Saka",
        "Hari Suci Nyepi Tahun Baru Saka",
        "Day of Silence",
        "Balinese New Year",
        "Saka New Year",
    ),
    "Wafat Yesus Kristus": ("Wafat Isa Almasih", "Wafat Isa Al Masih", "Jumat Agung", "Good Friday"),
    "Kebangkitan Yesus Kristus": ("Paskah", "Hari Paskah", "Hari Raya Paskah", "Easter", "Easter Sunday"),
    "Hari Raya Idul Fitri": (
        "Idul Fitri",
        "Idulfitri",
        "Hari Raya Idulfitri",
        "Lebaran",
        "Hari Raya Lebaran",
        "Hari Lebaran",
        "Eid al-Fitr",
        "Eid ul-Fitr",
        "Eid al Fitr",
        "Eid",
        "Eid Mubarak",
        "Hari Raya Puasa",
    ),
    "Hari kedua dari Hari Raya Idul Fitri": (
        "Idul Fitri Hari Kedua",
        "Hari Kedua Idul Fitri",
        "Hari Kedua Lebaran",
        "Lebaran Hari Kedua",
        "Second Day of Eid al-Fitr",
        "Eid al-Fitr Day Two",
    ),
    "Hari Buruh Internasional": ("Hari Buruh", "May Day", "Labour Day", "Labor Day", "International Labour Day"),
    "Kenaikan Yesus Kristus": (
        "Kenaikan Isa Almasih",
        "Kenaikan Isa Al Masih",
        "Hari Kenaikan",
        "Ascension",
        "Ascension Day",
        "Ascension of Jesus",
    ),
    "Hari Raya Waisak": ("Waisak", "Waisyak", "Hari Raya Waisyak", "Hari Waisak", "Vesak", "Vesak Day", "Buddha Day"),
    "Hari Lahir Pancasila": ("Pancasila", "Hari Pancasila", "Pancasila Day", "Birth of Pancasila"),
    "Hari Raya Idul Adha": (
        "Idul Adha",
        "Iduladha",
        "Hari Raya Iduladha",
        "Idul Kurban",
        "Hari Raya Kurban",
        "Hari Raya Haji",
        "Lebaran Haji",
        "Eid al-Adha",
        "Eid ul-Adha",
        "Eid al Adha",
        "Feast of the Sacrifice",
    ),
    "Tahun Baru Islam": (
        "Tahun Baru Hijriah",
        "Tahun Baru Hijriyah",
        "1 Muharam",
        "1 Muharram",
        "Islamic New Year",
        "Hijri New Year",
        "Muharram",
    ),
    "Hari Kemerdekaan Republik Indonesia": (
        "Hari Kemerdekaan",
        "Hari Kemerdekaan RI",
        "HUT RI",
        "17 Agustus",
        "Hari Proklamasi",
        "Independence Day",
        "Indonesian Independence Day",
    ),
    "Maulid Nabi Muhammad": (
        "Maulid Nabi",
        "Maulid",
        "Maulud Nabi",
        "Maulid Nabi Muhammad SAW",
        "Mawlid",
        "Prophet's Birthday",
        "Prophet Muhammad's Birthday",
    ),
    "Hari Raya Natal": ("Natal", "Hari Natal", "Christmas", "Christmas Day", "Xmas"),
    "Hari Pemilihan Umum": ("Pemilu", "Hari Pemilu", "General Election", "Election Day"),
    "Hari Pemilihan Kepala Daerah": ("Pilkada", "Hari Pilkada", "Local Election", "Regional Election Day"),
    "Hari Pemilihan Presiden": ("Pilpres", "Presidential Election"),
    "Hari Pemilihan Legislatif": ("Pileg", "Legislative Election"),
}

_CUTI_PREFIX = "cuti bersama "
_JOINT_SUFFIX = " joint holiday"
_JOINT_PREFIX = "joint holiday "

#: Years whose package names are known to :meth:`Calendar.suggest` and the index of names.
_NAME_YEARS = range(2002, 2036)


@functools.cache
def _name_index() -> dict[str, str]:
    """Every known name of a package holiday (by :func:`_key`) → the key of its Indonesian name."""
    index: dict[str, str] = {}
    for year in _NAME_YEARS:
        for h in national_holidays(year):
            index.setdefault(_key(h.name_id), _key(h.name_id))
            index.setdefault(_key(h.name_en), _key(h.name_id))
    for official, aliases in ALIASES.items():
        for alias in (official, *aliases):
            index.setdefault(_key(alias), _key(official))
    return index


@functools.cache
def _known_names() -> tuple[str, ...]:
    """Every name of a package holiday, as written, for suggestions."""
    names: dict[str, None] = {}
    for year in _NAME_YEARS:
        for h in national_holidays(year):
            names.setdefault(h.name_id)
            names.setdefault(h.name_en)
    for official, aliases in ALIASES.items():
        names.setdefault(official)
        for alias in aliases:
            names.setdefault(alias)
    return tuple(names)


@functools.cache
def holiday_names(lang: str = "id") -> tuple[tuple[str, str], ...]:
    """The names a drafter writes in quotes after ``after``/``before`` (``setelah``/``sebelum``), each
    with its name in the other language, for completion: in Indonesian the official names and the
    short name in common use (``Idul Fitri``, ``Nyepi``), in English the package's English names. Every
    one of them is found by :meth:`Calendar.find`; joint leave ("Cuti Bersama X") is left out, as a
    rule counts from the holiday itself."""
    english: dict[str, str] = {}
    for year in _NAME_YEARS:
        for h in national_holidays(year):
            if h.kind == "public":
                english.setdefault(_key(h.name_id), h.name_en)
    out: dict[str, str] = {}
    for official, aliases in ALIASES.items():
        en = english.get(_key(official), aliases[-1])
        if _lang(lang) == "id":
            out.setdefault(official, en)
            out.setdefault(aliases[0], en)
        else:
            out.setdefault(en, official)
    return tuple(out.items())


def _canonical(key: str) -> str | None:
    """The key of the Indonesian name a name stands for (``None``: not a name of the package)."""
    index = _name_index()
    if key in index:
        return index[key]
    for prefix in (_CUTI_PREFIX, _JOINT_PREFIX):
        if key.startswith(prefix) and key[len(prefix) :] in index:
            return _CUTI_PREFIX + index[key[len(prefix) :]]
    if key.endswith(_JOINT_SUFFIX) and key[: -len(_JOINT_SUFFIX)] in index:
        return _CUTI_PREFIX + index[key[: -len(_JOINT_SUFFIX)]]
    return None


# ---- provinces ------------------------------------------------------------------------------------


def _province(name: str) -> str:
    """The Kemendagri code of a province given by code or any accepted name, else InputError."""
    if name in province_by_code():
        return name
    code = province_keys().get(name_key(name)) if isinstance(name, str) else None
    if code is None:
        close = _suggest(str(name), province_suggestions())
        if close:
            raise InputError(
                msg("calendar.unknown-province-close", name=name, names=Join(tuple(close), quote=True)), code="E311"
            )
        raise InputError(msg("calendar.unknown-province", name=name), code="E311")
    return code


# ---- the calendar of a rule set -------------------------------------------------------------------

HolidayInput = HolidayDeclaration | tuple[dt.date, str] | tuple[dt.date, str, Iterable[str] | None]
WorkingDayInput = WorkingDayDeclaration | tuple[dt.date, str]


@dataclass(frozen=True)
class Calendar:
    """The national calendar with a rule set's declarations on top (see the module's docstring).

    ``declared_holidays`` are :class:`HolidayDeclaration` (or tuples ``(day, name)`` and ``(day, name,
    provinces)``), ``working_days`` are :class:`WorkingDayDeclaration` (or ``(day, name)``); provinces
    may be given by code or by any name asnrules accepts, and are kept as Kemendagri codes. Raises
    :class:`InputError` for a day that is not an exact date in the years covered, a blank name, an unknown
    province, a holiday declared for no province, or a national holiday and a working day on one date.
    """

    declared_holidays: tuple[HolidayDeclaration, ...] = ()
    working_days: tuple[WorkingDayDeclaration, ...] = ()
    _declared: dict[dt.date, tuple[Holiday, ...]] = field(init=False, repr=False, compare=False, hash=False)
    _working: dict[dt.date, WorkingDayDeclaration] = field(init=False, repr=False, compare=False, hash=False)
    _years: dict[int, tuple[Holiday, ...]] = field(init=False, repr=False, compare=False, hash=False)

    def __init__(
        self, declared_holidays: Iterable[HolidayInput] = (), working_days: Iterable[WorkingDayInput] = ()
    ) -> None:
        holidays_ = tuple(_holiday_declaration(d) for d in declared_holidays)
        workings = tuple(_working_declaration(d) for d in working_days)
        object.__setattr__(self, "declared_holidays", holidays_)
        object.__setattr__(self, "working_days", workings)
        declared: dict[dt.date, list[Holiday]] = {}
        for d in holidays_:
            declared.setdefault(d.day, []).append(Holiday(d.day, d.name, d.name, "declared", False, d.provinces))
        working: dict[dt.date, WorkingDayDeclaration] = {}
        for w in workings:
            working.setdefault(w.day, w)
            for h in declared.get(w.day, ()):
                if h.provinces is None:
                    raise InputError(
                        msg(
                            "calendar.holiday-and-working-day",
                            day=w.day.isoformat(),
                            holiday=h.name_id,
                            working=w.name,
                        )
                    )
        object.__setattr__(self, "_declared", {k: tuple(v) for k, v in declared.items()})
        object.__setattr__(self, "_working", working)
        object.__setattr__(self, "_years", {})

    # -- days -----------------------------------------------------------------------------------------

    def _nationally_off(self, day: dt.date) -> bool:
        if day in self._working:
            return False
        if day.isoweekday() >= 6 or day in _national_days(day.year):
            return True
        return any(h.provinces is None for h in self._declared.get(day, ()))

    def is_working_day(self, day: dt.date, province: str | None = None) -> bool:
        """Whether ``day`` is a working day in ``province`` (a Kemendagri code or any accepted name;
        ``None``: by the national calendar and the national declarations only). Outside the years
        the calendar covers (:data:`FIRST_YEAR` to :data:`LAST_YEAR`) it knows no holiday: only
        Saturdays and Sundays are non-working there."""
        if type(day) is not dt.date:
            raise InputError(msg("calendar.not-a-date", type=type(day).__name__))
        if self._nationally_off(day):
            return False
        if province is None:
            return True
        code = _province(province)
        return not any(h.provinces is not None and code in h.provinces for h in self._declared.get(day, ()))

    def _all_of_year(self, year: int) -> tuple[Holiday, ...]:
        """Every holiday of ``year`` in force in some province (no weekends), sorted."""
        found = self._years.get(year)
        if found is None:
            found = tuple(
                sorted(
                    [h for h in national_holidays(year) if h.day not in self._working]
                    + [h for day, hs in self._declared.items() if day.year == year for h in hs],
                    key=_order,
                )
            )
            self._years[year] = found
        return found

    def non_working_days(self, year: int, province: str | None = None, *, weekends: bool = False) -> list[Holiday]:
        """The non-working days of ``year`` in ``province`` (``None``: nationally), one entry for each
        reason (a holiday on a Sunday is listed as the holiday, and with ``weekends`` also as a
        weekend), sorted by day. Cancelled days (``working day``) are left out; holidays declared for
        other provinces too."""
        _check_year(year)
        code = None if province is None else _province(province)
        found = [h for h in self._all_of_year(year) if h.applies_in(code)]
        if weekends:
            day = dt.date(year, 1, 1)
            while day.year == year:
                if day.isoweekday() >= 6 and day not in self._working:
                    found.append(_weekend(day))
                day += _ONE_DAY
            found.sort(key=_order)
        return found

    # -- names ----------------------------------------------------------------------------------------

    def find(self, name: str, year: int) -> Holiday | None:
        """The holiday of ``year`` named ``name`` (its first day; ``None`` when there is none): by its
        official or common name, in Indonesian or English, case and blanks ignored (``"Lebaran"``,
        ``"Eid al-Fitr"``, ``"hari raya  idul fitri"``; :data:`ALIASES`), or by the name of a holiday the
        rule set declares (for any province). A cancelled day is not found."""
        _check_year(year)
        key = _key(name)
        if not key:
            return None
        canonical = _canonical(key)
        for h in self._all_of_year(year):
            keys = (_key(h.name_id), _key(h.name_en))
            if key in keys or (canonical is not None and h.kind != "declared" and canonical == keys[0]):
                return h
        return None

    def is_known(self, name: str) -> bool:
        """Whether ``name`` names a holiday of the calendar in some year (or a declared one)."""
        key = _key(name)
        return _canonical(key) is not None or any(_key(h.name_id) == key for hs in self._declared.values() for h in hs)

    def suggest(self, name: str) -> list[str]:
        """Up to three known holiday names close to ``name`` (for an unknown one), one for each
        holiday (not ``'Idul Fitri', 'Eid ul-Fitr' or 'Idulfitri'``)."""
        declared = [h.name_id for hs in self._declared.values() for h in hs]
        found: dict[str, str] = {}
        for close in _suggest(name, [*_known_names(), *declared], limit=12):
            key = _key(close)
            found.setdefault(_canonical(key) or key, close)
        return list(found.values())[:3]

    def holiday(self, name: str, year: int) -> Holiday:
        """:meth:`find`, but an unknown name or one with no holiday in ``year`` is an InputError
        (``calendar.unknown-holiday[-close]`` with suggestions, or ``calendar.not-in-year``)."""
        found = self.find(name, year)
        if found is not None:
            return found
        if self.is_known(name):
            raise InputError(msg("calendar.not-in-year", name=name, year=year))
        close = self.suggest(name)
        if close:
            raise InputError(msg("calendar.unknown-holiday-close", name=name, names=Join(tuple(close), quote=True)))
        raise InputError(msg("calendar.unknown-holiday", name=name))

    # -- blocks and windows ---------------------------------------------------------------------------

    def _span(self, day: dt.date) -> tuple[dt.date, dt.date]:
        start = end = day
        while self._nationally_off(start - _ONE_DAY) and (start - _ONE_DAY).year >= FIRST_YEAR:
            start -= _ONE_DAY
        while self._nationally_off(end + _ONE_DAY) and (end + _ONE_DAY).year <= LAST_YEAR:
            end += _ONE_DAY
        return start, end

    def block(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The first and last day of the run of consecutive national non-working days that holds
        ``day`` (weekends, national holidays, cuti bersama, national declarations; a ``working day``
        declaration ends a run). InputError when ``day`` is a national working day."""
        _check_day(day)
        if not self._nationally_off(day):
            raise InputError(msg("calendar.not-in-block", day=day.isoformat()))
        return self._span(day)

    def holiday_block(self, name: str, year: int) -> tuple[dt.date, dt.date]:
        """The block of the holiday ``name`` of ``year`` (:meth:`holiday`); for a holiday that is not
        nationally non-working (declared for some provinces only) its own day."""
        h = self.holiday(name, year)
        return self._span(h.day) if self._nationally_off(h.day) else (h.day, h.day)

    def _count(self, start: dt.date, step: dt.timedelta, n: object) -> tuple[dt.date, ...]:
        if type(n) is not int or n < 1:
            raise InputError(msg("calendar.count", n=n))
        found: list[dt.date] = []
        day = start
        while len(found) < n:
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise InputError(
                    msg("calendar.out-of-range", n=n, day=start.isoformat(), first=FIRST_YEAR, last=LAST_YEAR)
                )
            if not self._nationally_off(day):
                found.append(day)
            day += step
        return tuple(sorted(found))

    def first_after(self, name: str, year: int, n: int = 1) -> tuple[dt.date, ...]:
        """The first ``n`` national working days after the block of holiday ``name`` of ``year``
        (counted from the day after the block), in order: ``on the first N working days after``."""
        _, end = self.holiday_block(name, year)
        return self._count(end + _ONE_DAY, _ONE_DAY, n)

    def last_before(self, name: str, year: int, n: int = 1) -> tuple[dt.date, ...]:
        """The last ``n`` national working days before the block of holiday ``name`` of ``year``
        (counted back from the day before the block), in order: ``on the last N working days before``."""
        start, _ = self.holiday_block(name, year)
        return self._count(start - _ONE_DAY, -_ONE_DAY, n)

    def estimates(self, start: dt.date, end: dt.date) -> list[Holiday]:
        """The holidays from ``start`` to ``end`` (inclusive) whose dates the calendar only estimates.
        A window resolved from a holiday depends on every day from its block to its last day: warn when
        this is not empty for that stretch."""
        _check_day(start)
        _check_day(end)
        return [
            h
            for year in range(start.year, end.year + 1)
            for h in self._all_of_year(year)
            if h.estimated and start <= h.day <= end
        ]

    def working_days_between(self, start: dt.date, end: dt.date, province: str | None = None) -> Iterator[dt.date]:
        """The working days from ``start`` to ``end`` (inclusive) in ``province``, in order."""
        day = _check_day(start)
        _check_day(end)
        code = None if province is None else _province(province)
        while day <= end:
            if self.is_working_day(day, code):
                yield day
            day += _ONE_DAY

    def frozen(self, first_year: int, last_year: int) -> WorkingDays:
        """The calendar of the years ``first_year`` to ``last_year`` (clipped to the years it covers)
        as plain values (:class:`asnrules.runtime.WorkingDays`), for the compiled module and the SQL:
        :func:`asnrules.runtime.is_working_day` on them decides every day of those years as
        :meth:`is_working_day` does (tested)."""
        first, last = max(first_year, FIRST_YEAR), min(last_year, LAST_YEAR)
        off: set[int] = set()
        local: dict[str, set[int]] = {}
        for year in range(first, last + 1):
            for h in national_holidays(year):
                if h.day not in self._working and h.day.isoweekday() < 6:
                    off.add(h.day.toordinal())
        for day, hs in self._declared.items():
            if not first <= day.year <= last:
                continue
            for h in hs:
                if h.provinces is None:
                    if day not in self._working and day.isoweekday() < 6:
                        off.add(day.toordinal())
                else:
                    for code in h.provinces:
                        local.setdefault(code, set()).add(day.toordinal())
        on = {day.toordinal() for day in self._working if first <= day.year <= last}
        return WorkingDays(
            frozenset(off), frozenset(on), {code: frozenset(days) for code, days in sorted(local.items())}
        )

    # -- declarations ---------------------------------------------------------------------------------

    def warnings(self) -> tuple[tuple[HolidayDeclaration | WorkingDayDeclaration, Msg], ...]:
        """Declarations that change nothing, each with its message: a ``working day`` on a day the
        national calendar already has as a working day (``calendar.already-working``), a national
        ``holiday`` on a day that is already a public holiday or cuti bersama
        (``calendar.already-holiday``)."""
        out: list[tuple[HolidayDeclaration | WorkingDayDeclaration, Msg]] = []
        for w in self.working_days:
            if w.day.isoweekday() < 6 and w.day not in _national_days(w.day.year):
                out.append((w, msg("calendar.already-working", day=w.day.isoformat(), name=w.name)))
        for d in self.declared_holidays:
            if d.provinces is None:
                there = [h for h in national_holidays(d.day.year) if h.day == d.day]
                if there and d.day not in self._working:
                    out.append(
                        (d, msg("calendar.already-holiday", day=d.day.isoformat(), name=d.name, holiday=there[0]))
                    )
        return tuple(out)


def _holiday_declaration(d: HolidayInput) -> HolidayDeclaration:
    given: Iterable[str] | None
    if isinstance(d, HolidayDeclaration):
        day, name, given = d.day, d.name, d.provinces
    elif len(d) == 2:
        day, name, given = d[0], d[1], None
    else:
        day, name, given = d[0], d[1], d[2]
    _check_day(day)
    name = _clean_name(name, day)
    if given is None:
        return HolidayDeclaration(day, name, None)
    codes = frozenset(_province(p) for p in ((given,) if isinstance(given, str) else given))
    if not codes:
        raise InputError(msg("calendar.no-provinces", name=name, day=day.isoformat()))
    return HolidayDeclaration(day, name, codes)


def _working_declaration(d: WorkingDayInput) -> WorkingDayDeclaration:
    day, name = (d.day, d.name) if isinstance(d, WorkingDayDeclaration) else (d[0], d[1])
    _check_day(day)
    return WorkingDayDeclaration(day, _clean_name(name, day))


def _clean_name(name: object, day: dt.date) -> str:
    text = " ".join(str(name).split()) if isinstance(name, str) else ""
    if not text:
        raise InputError(msg("calendar.blank-name", day=day.isoformat()))
    return text


# ---- `asnrules calendar` --------------------------------------------------------------------------

_DEFAULT = Calendar()


def national_calendar() -> Calendar:
    """The national calendar with no declarations (one object, shared)."""
    return _DEFAULT


def _lang(lang: str) -> str:
    return "id" if lang.lower().startswith("id") else "en"


def calendar_text(year: int, province: str | None = None, lang: str = "id", calendar: Calendar | None = None) -> str:
    """What ``asnrules calendar YEAR [--region R]`` prints: a title line (the year, national or the
    province, and :data:`CALENDAR_VERSION`), then one line for each non-working day that is not a
    weekend (a holiday on a Saturday or Sunday is listed): the date and weekday, the kind in words in
    ``lang``, the Indonesian and the English name (a declared holiday has one), "(perkiraan)" /
    "(estimated)" where the date is estimated, and the provinces of a provincial declaration."""
    lang = _lang(lang)
    cal = calendar or _DEFAULT
    days = cal.non_working_days(year, province)
    code = None if province is None else _province(province)
    where = (
        say("calendar.national", lang)
        if code is None
        else say("calendar.in-province", lang, province=province_name(code))
    )
    lines = [say("calendar.title", lang, year=year, where=where, version=CALENDAR_VERSION)]
    weekdays = [say(f"calendar.weekday.{i}", lang) for i in range(1, 8)]
    kinds = {k: say(m, lang) for k, m in _KIND_MSG.items()}
    wd = max((len(weekdays[h.day.isoweekday() - 1]) for h in days), default=0)
    kw = max((len(kinds[h.kind]) for h in days), default=0)
    for h in days:
        names = h.name_id if h.name_id == h.name_en else f"{h.name_id} | {h.name_en}"
        if h.estimated:
            names += " " + say("calendar.estimated", lang)
        if h.provinces is not None:
            where_ = Join(tuple(province_name(p) for p in sorted(h.provinces)), last="and").text(lang)
            names += f" ({say('calendar.only-in', lang, provinces=where_)})"
        lines.append(f"{h.day.isoformat()}  {weekdays[h.day.isoweekday() - 1]:<{wd}}  {kinds[h.kind]:<{kw}}  {names}")
    if not days:
        lines.append(say("calendar.no-days", lang))
    return "\n".join(lines) + "\n"


def calendar_json(year: int, province: str | None = None, calendar: Calendar | None = None) -> dict[str, Any]:
    """What ``asnrules calendar YEAR [--region R] --json`` prints: ``year``, ``province`` (``None`` or
    ``{"code", "name"}``), ``calendar_version`` and ``days``: every non-working day that is not a
    weekend, as ``{"date", "weekday" (1 = Monday), "kind", "name_id", "name_en", "estimated",
    "provinces" (None, or the codes of a provincial declaration)}``."""
    cal = calendar or _DEFAULT
    days = cal.non_working_days(year, province)
    code = None if province is None else _province(province)
    return {
        "year": year,
        "province": None if code is None else {"code": code, "name": province_name(code)},
        "calendar_version": CALENDAR_VERSION,
        "days": [_day_json(h) for h in days],
    }


def _day_json(h: Holiday) -> dict[str, Any]:
    return {
        "date": h.day.isoformat(),
        "weekday": h.day.isoweekday(),
        "kind": h.kind,
        "name_id": h.name_id,
        "name_en": h.name_en,
        "estimated": h.estimated,
        "provinces": None if h.provinces is None else sorted(h.provinces),
    }
