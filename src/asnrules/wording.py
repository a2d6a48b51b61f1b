"""The one source of plain-language wording, in Indonesian (``id``) and English (``en``).

Decision explanations (:meth:`asnrules.Result.explain`) and the policy documents
(:mod:`asnrules.render`) use these functions, so what a decision says and what the document says can
never drift apart. Everything here returns plain text: escaping for HTML or Markdown is the
renderer's job, never this module's.

Dates and lists are written with Babel (``16 Agustus 2023``, ``A, B, dan C``; imported on first use,
so that checking a rule set does not load it); percentages with the decimal comma in Indonesian;
each quota in the legal wording of the circulars ("paling banyak 50% pegawai ... bekerja dari rumah
(WFH)", "seluruh pegawai (100%) ... bekerja dari kantor (WFO)"); each employee's bounds over windows
likewise ("setiap pegawai paling banyak 2 (dua) hari kerja dalam satu minggu melaksanakan tugas
kedinasan secara fleksibel (WFA)", LANGUAGE.md §12), and an employee's windows as a reader checks
them ("Pada minggu 28 April – 4 Mei 2025 pegawai ini 3 hari WFA; paling banyak 2 hari: dilanggar").

**A constraint is worded and cited here only**, whoever shows it: :func:`constraint_text` writes it
as a rule file does (``admin WFH <= 50%``: the checker's messages), :func:`constraint_sentence` in
the legal wording (documents and explanations), and :func:`citation` says where it comes from
(``SE A, rule r1, a.asnr:3:5`` in messages and explanations, ``aturan r1, a.asnr baris 3`` in the
documents). Keywords named here (``rule``/``aturan``) come from :mod:`asnrules.keywords`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

from .errors import InputError, Source
from .keywords import KEYWORDS, LANGS, spelling
from .messages import catalogue, msg, say
from .model import EmployeeConstraint, Model, Period, Relative, Rule
from .prelude import name_key, province_by_code, province_index, province_name
from .runtime import Applied

if TYPE_CHECKING:
    from .employee import EmployeeResult, WindowResult
    from .semantics import Result

LOCALES = {"id": "id_ID", "en": "en_GB"}


def _keyword_words(kind: str, lang: str) -> dict[str, str]:
    """meaning → keyword in ``lang``, for the keywords of one kind (:mod:`asnrules.keywords`)."""
    return {k.meaning: k.word(lang) for k in KEYWORDS if k.kind == kind}


MODE_PHRASES = {
    "id": {
        "WFO": "bekerja dari kantor (WFO)",
        "WFH": "bekerja dari rumah (WFH)",
        "WFA": "bekerja dari mana saja (WFA)",
    },
    "en": {"WFO": "work from the office (WFO)", "WFH": "work from home (WFH)", "WFA": "work from anywhere (WFA)"},
}
#: How a count of staff in a mode is written in an example ("5 WFH", "4 cuti").
COUNT_MODE_WORDS = {
    "id": {"WFO": "WFO", "WFH": "WFH", "WFA": "WFA", "LEAVE": "cuti"},
    "en": {"WFO": "WFO", "WFH": "WFH", "WFA": "WFA", "LEAVE": "on leave"},
}
#: A comparison in words: the keywords where the language has one (``paling banyak``), else plain words.
COMPARISON_PHRASES = {
    "id": {**_keyword_words("comparison", "id"), "<": "kurang dari", ">": "lebih dari"},
    "en": {**_keyword_words("comparison", "en"), "<": "less than", ">": "more than"},
}
#: An outcome in words: its keyword (``pelanggaran``).
OUTCOME_WORDS = {lang: _keyword_words("outcome", lang) for lang in LANGS}
VERDICT_WORDS = {
    "id": {"holds": "terpenuhi", "fails": "dilanggar", "vacuous": "tidak berlaku (tidak ada pegawai kategori ini)"},
    "en": {"holds": "met", "fails": "violated", "vacuous": "not applicable (no staff of this category)"},
}


def doc_words(lang: str) -> Mapping[str, str]:
    """The fixed words of the documents in ``lang``: the ``render.*`` messages of the catalogue
    (``asnrules/data/messages/render.toml``) without further dots in their id, keyed by the rest of
    the id with ``_`` for ``-`` (``render.index-link`` → ``index_link``). Texts with placeholders
    are returned as templates (fill them with :meth:`str.format` or use :func:`doc_say`)."""
    return _doc_words(_lang(lang))


@functools.cache
def _doc_words(lang: str) -> Mapping[str, str]:
    out: dict[str, str] = {}
    for id, texts in catalogue().items():
        if id.startswith("render.") and "." not in id[7:]:
            out[id[7:].replace("-", "_")] = texts[lang]
    return MappingProxyType(out)


def doc_say(id: str, lang: str, /, **args: object) -> str:
    """The document message ``render.<id>`` in ``lang`` (:func:`asnrules.messages.say`)."""
    return say(f"render.{id}", _lang(lang), **args)


def _lang(lang: str) -> str:
    if lang not in LOCALES:
        raise ValueError(f"lang must be 'id' or 'en', not {lang!r}")
    return lang


# ---- kinds of instrument (LANGUAGE.md §11) ----

KINDS = ("circular", "regulation", "instruction", "decree")
#: A name or an issuer that tells the level of a regulation, an instruction or a decree.
_LEVEL_BY_NAME = (
    ("president", re.compile(r"(?i)^(perpres|inpres|keppres|kepres)\b|^(peraturan|instruksi|keputusan) presiden\b")),
    ("minister", re.compile(r"(?i)^(permen|inmen|kepmen)|^(peraturan|instruksi|keputusan) menteri\b")),
    ("government", re.compile(r"(?i)^(pp|peraturan pemerintah)\b")),
)
_LEVEL_BY_ISSUER = (
    ("president", re.compile(r"(?i)^presiden\b")),
    ("minister", re.compile(r"(?i)^menteri\b")),
)


def _kind(kind: str) -> str:
    return kind if kind in KINDS else "circular"


def kind_title(kind: str, lang: str = "id", name: str = "", issued_by: str | None = None) -> str:
    """The kind of an instrument as a title: ``Surat Edaran``, ``Peraturan Menteri`` (a regulation
    named ``PermenPANRB ...`` or issued by a minister), ``Instruksi Presiden``, ...; ``Circular``,
    ``Ministerial Regulation``... in English. A circular is always ``Surat Edaran``."""
    kind = _kind(kind)
    if kind != "circular":
        for level, pattern in _LEVEL_BY_NAME:
            if pattern.search(name.strip()) and (level != "government" or kind == "regulation"):
                return doc_say(f"kind.{kind}-{level}", lang)
        for level, pattern in _LEVEL_BY_ISSUER:
            if issued_by and pattern.search(issued_by.strip()):
                return doc_say(f"kind.{kind}-{level}", lang)
    return doc_say(f"kind.{kind}", lang)


def this_text(kind: str, lang: str = "id", capital: bool = False) -> str:
    """``surat edaran ini`` / ``this regulation`` (``capital``: at the start of a sentence)."""
    text = doc_say(f"this.{_kind(kind)}", lang)
    return text[:1].upper() + text[1:] if capital else text


def count_text(n: int, kind: str, lang: str = "id") -> str:
    """``3 surat edaran`` / ``1 circular``, ``3 circulars``; ``kind`` may be ``instrument``."""
    kind = kind if kind == "instrument" else _kind(kind)
    return doc_say(f"count.{kind}.{'one' if n == 1 else 'other'}", lang, n=n)


def collection_text(kinds: Sequence[str], lang: str = "id") -> str:
    """How many instruments a collection holds: ``3 surat edaran``, or for several kinds ``4 naskah
    (3 surat edaran dan 1 peraturan)`` / ``4 instruments (3 circulars and 1 regulation)``."""
    counts: dict[str, int] = {}
    for k in kinds:
        counts[_kind(k)] = counts.get(_kind(k), 0) + 1
    if len(counts) <= 1:
        return count_text(len(kinds), next(iter(counts), "circular"), lang)
    parts = list_text((count_text(counts[k], k, lang) for k in KINDS if k in counts), lang)
    return doc_say("count-mixed", lang, count=count_text(len(kinds), "instrument", lang), parts=parts)


def collection_kind(kinds: Sequence[str]) -> str:
    """The one kind of a collection's instruments, or ``instrument`` when they are of several."""
    found = {_kind(k) for k in kinds}
    if not found:
        return "circular"
    return found.pop() if len(found) == 1 else "instrument"


# ---- dates, numbers, lists ----


def date_text(day: dt.date, lang: str = "id") -> str:
    """``16 Agustus 2023`` / ``16 August 2023``."""
    from babel.dates import format_date

    return format_date(day, format="long", locale=LOCALES[_lang(lang)])


def short_date_range(start: dt.date, end: dt.date, lang: str = "id") -> str:
    """A compact range for figures: ``28 Agu – 7 Sep 2023`` / ``28 Aug – 7 Sept 2023``."""
    from babel.dates import format_date, format_interval

    if start == end:
        return format_date(start, format="medium", locale=LOCALES[_lang(lang)])
    text = format_interval(start, end, "yMMMd", locale=LOCALES[_lang(lang)])
    # CLDR releases disagree on the spaces around the dash ("28 Agu–7 Sep", "28 Agu – 7 Sep", thin
    # spaces); one spelling keeps the documents identical whichever Babel is installed.
    parts = re.split(r"\s*–\s*", text, maxsplit=1)
    if len(parts) != 2:
        return text
    left, right = parts
    return f"{left}–{right}" if " " not in left.strip() else f"{left} – {right}"


def short_day(day: dt.date, lang: str = "id") -> str:
    """A day for the ticks of a figure: ``16 Mar`` / ``16 Mar``."""
    from babel.dates import format_date

    return format_date(day, format="d MMM", locale=LOCALES[_lang(lang)])


def list_text(items: Iterable[str], lang: str = "id") -> str:
    """``A, B, dan C`` / ``A, B and C``."""
    from babel.lists import format_list

    seq = list(items)
    if not seq:
        return ""
    return format_list(seq, locale=LOCALES[_lang(lang)])


def percent_text(value: Decimal | Fraction, lang: str = "id", *, avoid: Decimal | None = None) -> str:
    """A percentage as people read it: ``33,5%`` (id) or ``33.5%`` (en). A bound (a ``Decimal``
    from a rule file) and a share with at most one decimal are written exactly; any other share is
    rounded to one decimal (``66,7%``, ``33,3%``), with more decimals only where one would make it
    look equal to ``avoid`` (the bound it is compared with: 50.04% is ``50,04%`` beside a 50% bound,
    never ``50,0%``). The exact value stays in the JSON outputs and in the HTML ``title``
    (:func:`exact_share_text`)."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            text = str(value.numerator)
        else:
            dec = Decimal(value.numerator) / Decimal(value.denominator)
            if Fraction(dec) == value and dec == dec.quantize(Decimal("0.1")):
                text = decimal_text(dec)
            else:
                places = 1
                shown = dec.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
                while avoid is not None and shown == avoid and places < 8:
                    places += 1
                    shown = dec.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
                text = format(shown, "f")
    else:
        text = decimal_text(value)
    if lang == "id":
        text = text.replace(".", ",")
    return f"{text}%"


def exact_share_text(k: int, n: int, lang: str = "id") -> str:
    """The exact share ``k`` of ``n`` for a reader who wants it: ``2/3 = 66,666666…%``; a share
    that is a short decimal is written whole (``1/8 = 12,5%``)."""
    share = Fraction(100 * k, n)
    dec = Decimal(share.numerator) / Decimal(share.denominator)
    if Fraction(dec) == share and len(decimal_text(dec)) < 14:
        text = decimal_text(dec)
    else:
        text = format(dec.quantize(Decimal("0.000001"), rounding=ROUND_DOWN), "f") + "…"
    if lang == "id":
        text = text.replace(".", ",")
    return f"{k}/{n} = {text}%"


# ---- categories, places, agencies ----


def category_label(model: Model, name: str, lang: str = "id") -> str:
    return model.categories[name].label(_lang(lang))


def short_label(model: Model, name: str, lang: str = "id") -> str:
    """A category's label without a trailing parenthetical list (for tables)."""
    label = category_label(model, name, lang)
    short = re.sub(r"\s*\([^()]*\)\s*$", "", label)
    return short or label


def province_names(codes: Iterable[str]) -> list[str]:
    """Official names of provinces, in the order of their Kemendagri codes."""
    by_code = province_by_code()
    return [by_code[c].name for c in sorted(codes)]


def where_text(model: Model, rule: Rule, lang: str = "id") -> str:
    """Where a rule applies: ``di Provinsi DKI Jakarta`` / ``in the province of DKI Jakarta``;
    named region groups with their provinces; ``di seluruh wilayah Indonesia`` when nationwide."""
    lang = _lang(lang)
    if rule.provinces is None:
        return "di seluruh wilayah Indonesia" if lang == "id" else "throughout Indonesia"
    groups: list[str] = []
    provinces: list[str] = []
    seen: set[str] = set()
    for text in rule.regions:
        group = model.regions.get(name_key(text))
        if group is not None:
            names = list_text(province_names(group.provinces), lang)
            label = group.label or group.name
            groups.append(f"wilayah {label} ({names})" if lang == "id" else f"the {label} region ({names})")
            continue
        p = province_index().get(name_key(text))
        if p is not None and p.code not in seen:
            seen.add(p.code)
            provinces.append(p.code)
    if not groups and not provinces:  # regions not written (cannot happen for a parsed rule)
        provinces = sorted(rule.provinces)
    parts = list(groups)
    if provinces:
        official = province_names(provinces)
        if lang == "id":
            parts.append("Provinsi " + list_text(official, lang))
        else:
            parts.append(
                ("the province of " if len(official) == 1 else "the provinces of ") + list_text(official, lang)
            )
    return ("di " if lang == "id" else "in ") + list_text(parts, lang)


def region_summary(model: Model, rule: Rule, lang: str = "id") -> str:
    """A short 'where' for tables and figures: ``DKI Jakarta`` / ``seluruh Indonesia``."""
    if rule.provinces is None:
        return "seluruh Indonesia" if lang == "id" else "nationwide"
    names = province_names(rule.provinces)
    if len(names) > 4:
        more = len(names) - 3
        return ", ".join(names[:3]) + (f" dan {more} provinsi lain" if lang == "id" else f" and {more} more")
    return list_text(names, lang)


def who_text(rule: Rule, lang: str = "id") -> str:
    """Which agencies a rule binds: ``bagi seluruh instansi pemerintah`` / ``for all government
    agencies``; otherwise the levels and the agency names as written."""
    lang = _lang(lang)
    a = rule.audience
    if a.everyone:
        return "bagi seluruh instansi pemerintah" if lang == "id" else "for all government agencies"
    items: list[str] = []
    for level in ("central", "regional"):
        if level in a.levels:
            if lang == "id":
                items.append("instansi pemerintah pusat" if level == "central" else "instansi pemerintah daerah")
            else:
                items.append("central government agencies" if level == "central" else "regional government agencies")
    items.extend(a.agency_names)
    return ("bagi " if lang == "id" else "for ") + list_text(items, lang)


def who_summary(rule: Rule, lang: str = "id") -> str:
    """``who_text`` without its preposition, or empty when the rule binds every agency."""
    if rule.audience.everyone:
        return ""
    return who_text(rule, lang).split(" ", 1)[1]


# ---- periods ----
#
# Two registers: the *compact* one of tables, facts and figures (``28 Agustus – 7 September 2023``,
# ``24–27 Maret 2025``, ``16–17 dan 25–27 Maret 2026``) and the *formal* one of the provisions, as an
# official text writes them (``mulai tanggal 28 Agustus 2023 sampai dengan 7 September 2023``,
# ``pada tanggal 16–17 April 2024``; ``from 28 August 2023 to 7 September 2023``). In both, lists of
# days are collapsed into runs of consecutive days, and days of one month share its name.


def day_runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted distinct days as runs of consecutive days: ``[(24 Mar, 27 Mar), (8 Apr, 8 Apr)]``."""
    runs: list[list[dt.date]] = []
    for d in sorted(set(days)):
        if runs and (d - runs[-1][1]).days == 1:
            runs[-1][1] = d
        else:
            runs.append([d, d])
    return [(a, b) for a, b in runs]


def _month_year(day: dt.date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(day, format="MMMM y", locale=LOCALES[_lang(lang)])


def _day_month(day: dt.date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(day, format="d MMMM", locale=LOCALES[_lang(lang)])


def range_text(start: dt.date, end: dt.date, lang: str = "id") -> str:
    """A run of days, compact: ``16 April 2024``, ``24–27 Maret 2025``, ``28 Agustus – 7 September
    2023``, ``30 Desember 2023 – 2 Januari 2024``."""
    if start == end:
        return date_text(start, lang)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_text(end, lang)}"
    if start.year == end.year:
        return f"{_day_month(start, lang)} – {date_text(end, lang)}"
    return f"{date_text(start, lang)} – {date_text(end, lang)}"


def merge_runs(runs: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Runs of days sorted, and those that overlap or touch joined: ``16–17 Mar`` and ``18 Mar`` are
    ``16–18 Mar``."""
    out: list[list[dt.date]] = []
    for a, b in sorted(runs):
        if out and (a <= out[-1][1] or (a - out[-1][1]).days == 1):
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def runs_text(runs: Iterable[tuple[dt.date, dt.date]], lang: str = "id") -> str:
    """Runs of days, collapsed (:func:`merge_runs`), days of one month sharing its name:
    ``16–17 dan 25–27 Maret 2026``, ``24–27 Maret 2025 dan 8 April 2025``, ``16 April 2024``."""
    groups: list[tuple[str | None, list[str]]] = []  # (month shared by the items, the items)
    for a, b in merge_runs(runs):
        if (a.year, a.month) == (b.year, b.month):
            month = _month_year(a, lang)
            item = str(a.day) if a == b else f"{a.day}–{b.day}"
            if groups and groups[-1][0] == month:
                groups[-1][1].append(item)
            else:
                groups.append((month, [item]))
        else:
            groups.append((None, [range_text(a, b, lang)]))
    parts: list[str] = []
    for shared, items in groups:
        if shared is None:
            parts.extend(items)
        else:
            parts.append(f"{list_text(items, lang)} {shared}")
    return list_text(parts, lang)


def days_text(days: Iterable[dt.date], lang: str = "id") -> str:
    """Days, collapsed into runs of consecutive days (:func:`runs_text`)."""
    return runs_text(day_runs(days), lang)


def _formal_range(start: dt.date, end: dt.date, lang: str) -> str:
    """``mulai tanggal 28 Agustus 2023 sampai dengan 7 September 2023``, ``mulai tanggal 24 sampai
    dengan 27 Maret 2025`` / ``from 28 August 2023 to 7 September 2023``, ``from 24 to 27 March 2025``."""
    same_month = (start.year, start.month) == (end.year, end.month)
    first = str(start.day) if same_month else date_text(start, lang)
    if lang == "id":
        return f"mulai tanggal {first} sampai dengan {date_text(end, lang)}"
    return f"from {first} to {date_text(end, lang)}"


def _periods(periods: Iterable[Period]) -> tuple[list[dt.date], list[Period]]:
    """Single days (collapsed by the callers) and the other periods, in order."""
    ps = list(periods)
    days = [p.start for p in ps if p.start is not None and p.start == p.end]
    spans = [p for p in ps if not (p.start is not None and p.start == p.end)]
    return days, list(dict.fromkeys(spans))


def periods_text(periods: Iterable[Period], lang: str = "id") -> str:
    """Periods, compact (tables, facts, the figure): ``28 Agustus – 7 September 2023``, ``16–17 dan
    25–27 Maret 2026`` (periods and single days of one month together, in the order of time),
    ``mulai 1 Mei 2024``, ``sampai dengan 1 Mei 2024``, ``setiap hari``."""
    lang = _lang(lang)
    ps = list(dict.fromkeys(periods))
    if any(p.start is None and p.end is None for p in ps):
        return doc_say("every-day", lang)
    parts: list[str] = []
    until = sorted(p.end for p in ps if p.start is None and p.end is not None)
    if until:
        parts.append(("sampai dengan " if lang == "id" else "until ") + date_text(until[-1], lang))
    runs = [(p.start, p.end) for p in ps if p.start is not None and p.end is not None]
    if runs:
        parts.append(runs_text(runs, lang))
    since = sorted(p.start for p in ps if p.start is not None and p.end is None)
    if since:
        parts.append(("mulai " if lang == "id" else "from ") + date_text(since[0], lang))
    return list_text(parts, lang)


def period_text(rule: Rule, lang: str = "id") -> str:
    """When a rule applies, compact (:func:`periods_text`)."""
    return periods_text(rule.periods, lang)


# ---- working days and windows counted from a holiday (LANGUAGE.md §9) ----


def number_words(n: int, lang: str = "id") -> str:
    """A number of days as an official text writes it: ``dua`` / ``two`` up to ten, digits above."""
    words = doc_say("number-word", lang).split("|")
    return words[n] if 0 <= n < len(words) else str(n)


def relative_text(rel: Relative, lang: str = "id", *, short: bool = False) -> str:
    """How a window counted from a holiday was counted, with the calendar's name of the holiday in
    ``lang``: ``dua hari kerja pertama setelah libur Hari Raya Idul Fitri 2024`` / ``the first two
    working days after the Eid al-Fitr 2024 holidays``; ``short`` (explanations, with digits):
    ``the first 2 working days after Eid al-Fitr 2024``."""
    lang = _lang(lang)
    form = "one" if rel.count == 1 else "other"
    n = str(rel.count) if short else number_words(rel.count, lang)
    stem = "relative-short" if short else "relative"
    return doc_say(f"{stem}.{rel.order}.{form}", lang, n=n, holiday=rel.name(lang), year=rel.year)


def relative_compact(rel: Relative, lang: str = "id") -> str:
    """The resolved dates of a window and how they were counted, compact (facts, tables, figures):
    ``16–17 April 2024 (dua hari kerja pertama setelah libur Hari Raya Idul Fitri 2024)``; a window
    counted from an estimated holiday date says so."""
    return doc_say(
        "relative-compact-estimated" if rel.estimated else "relative-compact",
        lang,
        dates=days_text(rel.dates, lang),
        window=relative_text(rel, lang),
    )


def relative_short(rel: Relative, lang: str = "id") -> str:
    """The dates of a window and how they were counted, for an explanation: ``16–17 April 2024, the
    first 2 working days after Eid al-Fitr 2024`` (``; estimated holiday date`` when it is one)."""
    text = f"{days_text(rel.dates, lang)}, {relative_text(rel, lang, short=True)}"
    return text + (f"; {doc_say('estimated-holiday', lang)}" if rel.estimated else "")


def rule_period_text(rule: Rule, lang: str = "id") -> str:
    """When one rule applies, compact, saying how a working-day rule binds: a window counted from a
    holiday with its dates (:func:`relative_compact`), ``mulai 21 April 2025 (hanya pada hari
    kerja)``, ``setiap hari kerja``; other rules as :func:`period_text`."""
    lang = _lang(lang)
    if rule.relative is not None:
        return relative_compact(rule.relative, lang)
    text = period_text(rule, lang)
    if not rule.working_days:
        return text
    if any(p.start is None and p.end is None for p in rule.periods):
        return doc_say("every-working-day", lang)
    return doc_say("working-days-compact", lang, when=text)


def rules_period_text(rules: Sequence[Rule], lang: str = "id") -> str:
    """When some rules apply, compact: their periods together (:func:`periods_text`) or, when one
    of them binds on working days only, each rule's (:func:`rule_period_text`), the same said once."""
    if not any(r.working_days or r.relative is not None for r in rules):
        return periods_text([p for r in rules for p in r.periods], lang)
    ordered = sorted(rules, key=lambda r: min((p.start or dt.date.min for p in r.periods), default=dt.date.min))
    return "; ".join(dict.fromkeys(rule_period_text(r, lang) for r in ordered))


def with_note(text: str, note: str) -> str:
    """``text`` with ``note`` in parentheses, inside the parentheses ``text`` ends with if it does:
    ``mulai 21 April 2025 (hanya pada hari kerja; dicabut mulai 2 Juni 2025)``."""
    if text.endswith(")"):
        return f"{text[:-1]}; {note})"
    return f"{text} ({note})"


def when_text(rule: Rule, lang: str = "id") -> str:
    """The period in the formal register, opening a provision: ``Terhitung mulai tanggal 28
    Agustus 2023 sampai dengan 7 September 2023``, ``Pada tanggal 16–17 April 2024``, ``Terhitung
    mulai tanggal 1 Mei 2024``, ``Sampai dengan tanggal 1 Mei 2024``, ``Setiap hari``; in English
    ``From 28 August 2023 to 7 September 2023``, ``On 16–17 April 2024``, ``Until 1 May 2024``.
    A rule ``on working days`` says so (``Pada hari kerja terhitung mulai tanggal 21 April 2025``,
    ``On working days from 21 April 2025``, ``Pada hari kerja``); a window counted from a holiday
    gives its dates, how they were counted and the holidays' days (``Pada tanggal 16–17 April 2024,
    yaitu dua hari kerja pertama setelah libur Hari Raya Idul Fitri 2024 (6–15 April 2024)``)."""
    lang = _lang(lang)
    rel = rule.relative
    if rel is not None:  # "Pada tanggal 16–17 April 2024, yaitu dua hari kerja pertama setelah ..."
        text = doc_say(
            "relative-lead-estimated" if rel.estimated else "relative-lead",
            lang,
            dates=days_text(rel.dates, lang),
            window=relative_text(rel, lang),
            block=range_text(*rel.block, lang),
        )
        return text[:1].upper() + text[1:]
    days, spans = _periods(rule.periods)
    if any(p.start is None and p.end is None for p in spans):
        text = doc_say("working-days-lead" if rule.working_days else "every-day", lang)
        return text[:1].upper() + text[1:]
    parts: list[str] = []
    if days:
        parts.append(("pada tanggal " if lang == "id" else "on ") + days_text(days, lang))
    for p in spans:
        if p.start is not None and p.end is not None:
            parts.append(_formal_range(p.start, p.end, lang))
        elif p.start is not None:
            parts.append(("mulai tanggal " if lang == "id" else "from ") + date_text(p.start, lang))
        elif p.end is not None:
            parts.append(("sampai dengan tanggal " if lang == "id" else "until ") + date_text(p.end, lang))
    text = list_text(parts, lang)
    if lang == "id" and text.startswith("mulai"):
        text = "terhitung " + text
    if rule.working_days:  # "Pada hari kerja terhitung mulai tanggal 21 April 2025"
        text = doc_say("working-days-lead-when", lang, when=text)
    return text[:1].upper() + text[1:]


def rule_lead(model: Model, rule: Rule, lang: str = "id") -> str:
    """The opening of a provision: when, where and for whom, ending with a colon."""
    return f"{when_text(rule, lang)}, {where_text(model, rule, lang)}, {who_text(rule, lang)}:"


# ---- constraints: their wording and their citation ----


class Worded(Protocol):
    """A constraint as worded: a :class:`~asnrules.model.Constraint`, or a record that carries its
    fields (:class:`~asnrules.runtime.Violation`, :class:`~asnrules.runtime.Applied`)."""

    @property
    def group(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def comparison(self) -> str: ...
    @property
    def bound(self) -> Decimal: ...


class Cited(Protocol):
    """What a citation needs: the circular, the rule (its label, or ``file:line`` when it has none)
    and the place the constraint is written."""

    @property
    def circular(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def source(self) -> Source: ...


def decimal_text(value: Decimal) -> str:
    """A decimal as a rule file writes a percentage: no trailing zeros, no exponent (``50``, ``33.5``)."""
    return format(value.normalize(), "f")


def constraint_text(c: Worded) -> str:
    """A constraint as a rule file writes it, in the checker's messages: ``admin WFH <= 50%``, or a
    permission ``all may WFA`` (LANGUAGE.md §10)."""
    if getattr(c, "permission", False):
        return f"{c.group} may {c.mode}"
    return f"{c.group} {c.mode} {c.comparison} {decimal_text(c.bound)}%"


def is_permission(c: Worded) -> bool:
    """Whether ``c`` is worded as a permission: a ``may`` of the rule file, or any share ``>= 0%``
    (what a permission means, LANGUAGE.md §10: an applied constraint or a violation carries no flag)."""
    return bool(getattr(c, "permission", False)) or (c.comparison == ">=" and c.bound == 0)


def citation(
    x: Cited | Rule,
    lang: str = "en",
    *,
    model: Model | None = None,
    circular: bool = True,
    place: bool = True,
    prose: bool = False,
) -> str:
    """Where a constraint (or a violation, an applied constraint, a rule) comes from: its circular,
    ``rule LABEL`` for a labelled rule, and its place: ``SE A, rule r1, a.asnr:3:5``, ``SE A,
    a.asnr:3:5``. The circular is left out when ``circular`` is false (a document of that circular)
    or when it is named after its file (``model`` tells); the place is left out when ``place`` is
    false, and written for a reader (``a.asnr baris 3``) when ``prose`` is true."""
    parts: list[str] = []
    if circular and not (model is not None and x.circular in model.implicit_circulars):
        parts.append(x.circular)
    label = x.label if isinstance(x, Rule) else None if x.rule.startswith(f"{x.source.file}:") else x.rule
    if label:
        parts.append(f"{spelling('RULE', _lang(lang))} {label}")
    if place:
        parts.append(source_text(x.source, lang) if prose else str(x.source))
    return ", ".join(parts)


def source_text(source: Source, lang: str = "id") -> str:
    """A place for a reader: ``rules/se.asnr baris 7`` / ``rules/se.asnr line 7``."""
    return f"{source.file} {doc_words(lang)['line']} {source.line}"


def rule_citation(rule: Rule, lang: str = "id") -> str:
    """How a circular's document cites one of its rules: ``aturan admin-wfh, rules/se.asnr baris 18``
    or, unlabelled, ``rules/se.asnr baris 18`` (:func:`citation`)."""
    return citation(rule, lang, circular=False, prose=True)


def constraint_sentence(model: Model, c: Worded, lang: str = "id") -> str:
    """A constraint in legal wording, e.g. ``paling banyak 50% pegawai layanan ... bekerja dari rumah
    (WFH)`` / ``at most 50% of the ... staff may work from home (WFH)``."""
    lang = _lang(lang)
    everyone = c.group == "all"
    label = category_label(model, c.group, lang)
    if is_permission(c):  # "seluruh pegawai dapat melaksanakan tugas kedinasan secara fleksibel (WFA)"
        mode_words = msg(f"render.may.{c.mode}")
        return doc_say(f"permission.{'all' if everyone else 'group'}", lang, label=label, mode=mode_words)
    mode = MODE_PHRASES[lang][c.mode]
    pct = percent_text(c.bound, lang)
    full = c.bound == 100 and c.comparison in ("=", ">=")
    none = c.bound == 0 and c.comparison in ("=", "<=")
    if lang == "id":
        staff = "seluruh pegawai" if everyone else f"pegawai {label}"
        if full:
            return f"seluruh pegawai (100%) {'' if everyone else label + ' '}{mode}"
        if none:
            return f"tidak seorang pun (0%) {staff} {mode}"
        return f"{COMPARISON_PHRASES['id'][c.comparison]} {pct} {'dari ' if everyone else ''}{staff} {mode}"
    staff = "all staff" if everyone else f"the {label} staff"
    if full:
        return f"all staff (100%) must {mode}" if everyone else f"all (100%) of {staff} must {mode}"
    if none:
        return f"none (0%) of {staff} may {mode}"
    verb = "may" if c.comparison in ("<=", "<") else "must"
    return f"{COMPARISON_PHRASES['en'][c.comparison]} {pct} of {staff} {verb} {mode}"


# ---- relations between instruments ----

RELATIONS = ("supersedes", "overrides", "amends", "superseded_by", "overridden_by", "amended_by")


def uncertain_date_text(day: dt.date, confirmed: bool, lang: str = "id") -> str:
    """``13 April 2024``, or ``13 April 2024 (belum dipastikan)`` / ``(not confirmed)`` for a date the
    rule file marks ``unconfirmed`` (LANGUAGE.md §11: never presented as certain)."""
    text = date_text(day, lang)
    return text if confirmed else f"{text} ({doc_say('not-confirmed', lang)})"


def relation_parts(
    kind: str, since: dt.date | None, lang: str = "id", *, this: str = "circular", confirmed: bool = True
) -> tuple[str, str]:
    """The words before and after the other instrument's name in a sentence about a relation
    (``supersedes``, ``overrides``, ``amends``, ``superseded_by``, ``overridden_by``,
    ``amended_by``); ``this`` is the kind of the instrument the document is about; ``since`` is the
    day a supersession takes effect, if known, and ``confirmed`` whether that day is certain."""
    lang = _lang(lang)
    when = "" if since is None else doc_say("relation.since", lang, date=uncertain_date_text(since, confirmed, lang))
    text = doc_say(
        f"relation.{kind}",
        lang,
        This=this_text(this, lang, capital=True),
        this=this_text(this, lang),
        since=when,
    )
    before, after = text.split("|", 1)
    return before, after


def rules_named(labels: Sequence[str], lang: str = "id") -> str:
    """Rules by their labels: ``aturan wfh`` / ``rule wfh``, ``aturan wfh dan wfo`` / ``rules wfh and wfo``."""
    form = "one" if len(labels) == 1 else "other"
    return doc_say(f"rules-named.{form}", lang, labels=list_text(labels, lang))


def provisions_named(numbers: Sequence[int], lang: str = "id") -> str:
    """Provisions of a document by their numbers: ``Ketentuan 1`` / ``Provisions 1 and 2``."""
    form = "one" if len(numbers) == 1 else "other"
    return doc_say(f"provisions-named.{form}", lang, numbers=list_text((str(n) for n in numbers), lang))


#: The narrower relations (LANGUAGE.md §11): some rules of another instrument, or some of this one's.
NARROWER_RELATIONS = ("overrides_rules", "supersedes_rules", "overridden_rules", "superseded_rules")


def narrower_relation_parts(
    kind: str,
    labels: Sequence[str],
    numbers: Sequence[int],
    since: dt.date | None,
    lang: str = "id",
    *,
    this: str = "circular",
    confirmed: bool = True,
) -> tuple[str, str]:
    """The words before and after the other instrument's name in a sentence about a narrower
    relation (:data:`NARROWER_RELATIONS`): ``Surat edaran ini mengesampingkan aturan wfh dari |SE
    MenPANRB 1/2024| (Ketentuan 1) pada hari, ...``, ``Aturan wfh dikesampingkan oleh |SE Gubernur
    Bali| pada hari, ... (Ketentuan 1 surat edaran ini).``. ``labels`` are the rules' labels and
    ``numbers`` their provisions' numbers in the document of the instrument that holds them."""
    lang = _lang(lang)
    when = "" if since is None else doc_say("relation.since", lang, date=uncertain_date_text(since, confirmed, lang))
    rules = rules_named(labels, lang)
    provisions = provisions_named(numbers, lang) if numbers else ""
    id = f"relation.{kind}"
    if kind in ("overridden_rules", "superseded_rules"):
        id += ".one" if len(labels) == 1 else ".other"
    else:
        provisions = f" ({provisions})" if provisions else ""
    text = doc_say(
        id,
        lang,
        This=this_text(this, lang, capital=True),
        this=this_text(this, lang),
        rules=rules,
        Rules=rules[:1].upper() + rules[1:],
        provisions=provisions,
        since=when,
    )
    if kind == "superseded_rules":  # "mulai 2 Juni 2026 (belum dipastikan; Ketentuan 1 surat edaran ini)"
        text = text.replace(") (", "; ")
    before, after = text.split("|", 1)
    return before, after


def provision_status_parts(
    kind: str, since: dt.date | None, lang: str = "id", *, confirmed: bool = True
) -> tuple[str, str]:
    """The words around the other instrument's name under a provision it switches off: ``Ketentuan
    ini dikesampingkan oleh |X| pada hari, ...`` (``overridden``) or ``Ketentuan ini dicabut oleh
    |X| mulai ...`` (``superseded``)."""
    lang = _lang(lang)
    when = "" if since is None else doc_say("relation.since", lang, date=uncertain_date_text(since, confirmed, lang))
    text = doc_say(f"provision-{kind}", lang, since=when)
    before, after = text.split("|", 1)
    return before, after


# ---- situations and decisions ----


def counts_text(model: Model, counts: Iterable[tuple[str, str, int]], lang: str = "id") -> str:
    """Staff counts of an example: ``layanan administrasi ...: 6 WFH, 4 WFO; kesehatan: 3 WFO``."""
    lang = _lang(lang)
    groups: dict[str, list[str]] = {}
    for cat, mode, k in counts:
        groups.setdefault(cat, []).append(f"{k} {COUNT_MODE_WORDS[lang].get(mode, mode)}")
    return "; ".join(f"{short_label(model, cat, lang)}: {', '.join(parts)}" for cat, parts in groups.items())


#: How a share is written in a decision: ``(k, n, share, bound, lang) → text``. The default is
#: :func:`percent_text`; the HTML documents add the exact value as a ``title``.
ShareWriter = Callable[[int, int, Fraction, Decimal, str], str]


def _plain_share(k: int, n: int, share: Fraction, bound: Decimal, lang: str) -> str:
    return percent_text(share, lang, avoid=bound)


def _count(k: int, n: int, share: str, lang: str) -> str:
    if lang == "id":
        return f"{k} dari {n} pegawai ({share})"
    return f"{k} of {n} staff ({share})"


def applied_text(model: Model, a: Applied, lang: str = "id", share: ShareWriter | None = None) -> str:
    """One applicable constraint and its verdict in a situation: ``paling banyak 50% ... (WFH). Di
    sini 6 dari 10 pegawai (60%) bekerja dari rumah: dilanggar``. Shares are rounded for reading
    (:func:`percent_text`); ``share`` may write them otherwise."""
    lang = _lang(lang)
    head = f"{constraint_sentence(model, a, lang)}."
    if a.share is None:
        tail = VERDICT_WORDS[lang]["vacuous"].capitalize()
    else:
        pct = (share or _plain_share)(a.k, a.n, a.share, a.bound, lang)
        tail = (
            ("Di sini " if lang == "id" else "Here ")
            + _count(a.k, a.n, pct, lang)
            + " "
            + MODE_PHRASES[lang][a.mode].split(" (")[0]
            + ": "
            + VERDICT_WORDS[lang][a.verdict]
        )
    return f"{head} {tail}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def outcome_reason(result: Result, lang: str = "id", share: ShareWriter | None = None, own: str | None = None) -> str:
    """Why a situation has its outcome, in one or two sentences (for the documents' examples).
    ``own``: the instrument the document is about; a constraint of another instrument is then
    introduced by its name (``Menurut SE B: ...``), so that no other instrument's verdict reads as
    this one's."""
    lang = _lang(lang)
    model = result.model

    def said(a: Applied) -> str:
        text = _sentence(applied_text(model, a, lang, share))
        if own is not None and name_key(a.circular) != name_key(own):
            return f"{doc_say('according-to', lang, name=a.circular)}: {text[:1].lower()}{text[1:]}"
        return text

    if result.outcome == "violation":
        fails = [a for a in result.applied if a.verdict == "fails"]
        return " ".join(said(a) for a in fails)
    if result.outcome == "compliant":
        held = [a for a in result.applied if a.verdict == "holds"]
        if len(held) == 1:
            return said(held[0])
        n = len(held)
        return (
            f"{n} ketentuan berlaku dan semuanya terpenuhi."
            if lang == "id"
            else f"{n} provisions apply and all are met."
        )
    if result.applied:
        return (
            "Ketentuan yang berlaku tidak mengenai pegawai yang dihitung."
            if lang == "id"
            else "The provisions in force do not concern the staff counted."
        )
    text = (
        "Tidak ada ketentuan yang berlaku pada tanggal, di wilayah dan bagi instansi ini."
        if lang == "id"
        else "No provision applies on this date, in this place and to this agency."
    )
    note = not_working_note(result, lang, lead=False)
    return f"{text} {note}" if note else text


def explain_result(result: Result, lang: str = "en") -> str:
    """The plain-language account behind :meth:`asnrules.Result.explain`: the outcome, then each
    applicable constraint with its citation, wording and verdict."""
    lang = _lang(lang)
    s = result.situation
    model = result.model
    where = (
        province_name(s.province)
        if s.province
        else ("(provinsi tidak disebut)" if lang == "id" else "(no province given)")
    )
    lines: list[str] = []
    outcome = OUTCOME_WORDS[lang][result.outcome]
    n = len(result.applied)
    if lang == "id":
        lines.append(
            f"Hasil: {outcome}. Pada {date_text(s.date, 'id')} di {where}"
            + (f", {n} ketentuan berlaku." if n else ", tidak ada ketentuan yang berlaku.")
        )
    else:
        lines.append(
            f"Outcome: {outcome}. On {date_text(s.date, 'en')} in {where}"
            + (
                f", {n} constraint{'s' if n != 1 else ''} appl{'y' if n != 1 else 'ies'}."
                if n
                else ", no rule applies."
            )
        )
    rules = _rules_of_constraints(model)
    for a in result.applied:
        rule = rules.get(a.cid)
        when = f" ({rule_window_text(rule, lang)})" if rule is not None and rule.working_days else ""
        lines.append(f"- {citation(a, lang, model=model)}{when}: {applied_text(model, a, lang)}.")
    lines.extend(f"- {line}" for line in rules_switched_off(result, lang))
    note = not_working_note(result, lang)
    if note:
        lines.append(note)
    return "\n".join(lines)


def rules_switched_off(result: Result, lang: str = "id") -> list[str]:
    """The rules that would apply to the situation but are switched off by name (``overrides rule L
    of N``, ``supersedes rule L of N``, LANGUAGE.md §11), each with who switches it off:
    ``SE A, rule wfh: does not apply here, overridden by SE B.``"""
    from .semantics import switched_off

    s = result.situation
    model = result.model
    if not (model.rule_overridden_by or model.rule_superseded_by):
        return []
    off, rules_off = switched_off(model, s.date, s.province, s.level, s.agency)
    out: list[str] = []
    speaking = {
        name_key(r.circular)
        for r in model.rules
        if r.id not in rules_off
        and name_key(r.circular) not in off
        and r.matches(s.date, s.province, s.level, s.agency)
    }
    for r in model.rules:
        if r.id not in rules_off or not r.matches(s.date, s.province, s.level, s.agency):
            continue
        cite = citation(r, lang, model=model, place=r.label is None)
        superseded = [
            (by, since) for by, since in model.rule_superseded_by.get(r.id, ()) if since is None or s.date >= since
        ]
        if superseded:
            by, since = superseded[0]
            name = _instrument_name(model, by)
            date = date_text(since, lang) if since is not None else ""
            out.append(doc_say("rule-off-superseded", lang, cite=cite, name=name, date=date))
            continue
        names = [_instrument_name(model, by) for by in model.rule_overridden_by.get(r.id, ()) if by in speaking]
        if names:
            out.append(doc_say("rule-off-overridden", lang, cite=cite, names=list_text(names, lang)))
    return out


def _instrument_name(model: Model, key: str) -> str:
    try:
        return model.circular(key).name
    except KeyError:
        return key


def _rules_of_constraints(model: Model) -> dict[int, Rule]:
    """Constraint id → its rule (a restricted model keeps the ids of the whole one)."""
    return {c.id: r for r in model.rules for c in r.constraints}


def rule_window_text(rule: Rule, lang: str = "id") -> str:
    """When a working-day rule binds, for an explanation: a window counted from a holiday with its
    dates (:func:`relative_short`), else ``on working days`` and its period (``pada hari kerja``)."""
    if rule.relative is not None:
        return relative_short(rule.relative, lang)
    if any(p.start is None and p.end is None for p in rule.periods):
        return doc_say("working-days-lead", lang)
    return doc_say("working-days-lead-when", lang, when=period_text(rule, lang))


def not_working_note(result: Result, lang: str = "id", *, lead: bool = True) -> str:
    """``Catatan: 14 April 2024 bukan hari kerja di Bali (Minggu), ...`` when the day of the situation is
    not a working day in its province and some rule that binds on working days would otherwise
    apply there (its when, where and who match); empty otherwise. ``lead``: opened by ``Catatan:`` /
    ``Note:`` (an explanation), else a sentence of its own (the documents' examples)."""
    lang = _lang(lang)
    s = result.situation
    model = result.model
    idle = [r for r in model.rules if r.working_days and r.matches(s.date, s.province, s.level, s.agency, working=True)]
    if not idle:
        return ""
    calendar = model.workdays
    try:
        if calendar.is_working_day(s.date, s.province):
            return ""
        found = [h for h in calendar.non_working_days(s.date.year, s.province, weekends=True) if h.day == s.date]
    except InputError:
        return ""
    why = "; ".join(dict.fromkeys(h.label(lang) for h in found)) or date_text(s.date, lang)
    where = province_name(s.province) if s.province else doc_say("declared-nationwide", lang)
    return doc_say(
        "not-working-day" if lead else "not-working-day-sentence",
        lang,
        date=date_text(s.date, lang),
        where=where,
        why=why,
    )


# ---- each employee over windows (LANGUAGE.md §12) ----------------------------------------------------
#
# Two registers again: the provisions of the documents (:func:`employee_sentence`: "setiap pegawai
# paling banyak 2 (dua) hari kerja dalam satu minggu melaksanakan tugas kedinasan secara fleksibel
# (WFA)") and the account of one employee's windows (:func:`explain_employee`, :func:`employee_why`,
# :func:`employee_reason`: "Pada minggu 5–11 Mei 2025 pegawai ini 3 hari WFA; paling banyak 2 hari:
# dilanggar").


def _plural_say(id: str, amount: Decimal | Fraction | int, lang: str, /, **args: object) -> str:
    """``say`` of ``id.one`` for an amount of exactly 1, else of ``id.other``."""
    return say(f"{id}.{'one' if amount == 1 else 'other'}", _lang(lang), **args)


def integer_words(n: int, lang: str = "id") -> str | None:
    """A whole number in words, as an official text spells it after the digits: ``tiga puluh
    tujuh``, ``seratus lima``, ``seribu dua ratus`` / ``thirty-seven``, ``one hundred and five``;
    ``None`` from a million on."""
    lang = _lang(lang)
    if n < 0 or n >= 1_000_000:
        return None
    units = doc_say("number-word", lang).split("|")
    if n <= 10:
        return units[n]
    if n < 20:
        return doc_say("number-word-teens", lang).split("|")[n - 11]
    if n < 100:
        tens = doc_say("number-word-tens", lang).split("|")[n // 10 - 2]
        return tens if n % 10 == 0 else doc_say("number-word-tens-units", lang, tens=tens, units=units[n % 10])
    for size, id in ((1000, "number-word-thousands"), (100, "number-word-hundreds")):
        if n >= size:
            q, rest = divmod(n, size)
            big = doc_say(f"{id}.one", lang) if q == 1 else doc_say(f"{id}.other", lang, n=integer_words(q, lang))
            if rest == 0:
                return big
            join = "number-word-and" if rest < 100 else "number-word-join"
            return doc_say(join, lang, big=big, rest=integer_words(rest, lang))
    return None  # pragma: no cover - every n < 1e6 is handled above


def amount_words(value: Decimal | Fraction | int, lang: str = "id") -> str | None:
    """An exact amount in words: ``tiga puluh tujuh koma lima`` / ``thirty-seven point five`` (each
    digit after the separator read alone); ``None`` for one no words are given for (a fraction that is
    no short decimal, a million or more)."""
    text = amount_text(Fraction(value), lang)
    if text.startswith("≈"):
        return None
    whole, _, decimals = text.replace(",", ".").partition(".")
    words = integer_words(int(whole), lang)
    if words is None or len(decimals) > 4:
        return None
    if not decimals:
        return words
    units = doc_say("number-word", lang).split("|")
    return doc_say("number-word-point", lang, whole=words, digits=" ".join(units[int(d)] for d in decimals))


def legal_amount(value: Decimal | Fraction | int, lang: str = "id") -> str:
    """An amount as a provision writes it: ``2 (dua)``, ``37,5 (tiga puluh tujuh koma lima)`` /
    ``37.5 (thirty-seven point five)``; digits alone when no words are given."""
    digits = amount_text(Fraction(value), lang)
    words = amount_words(value, lang)
    return digits if words is None else doc_say("legal-amount", lang, digits=digits, words=words)


_UPPER = ("<=", "<")


def employee_sentence(model: Model, c: EmployeeConstraint, lang: str = "id", *, working_days: bool = False) -> str:
    """An employee constraint in legal wording (``working_days``: its rule binds on working days, so
    its days are ``hari kerja``): ``setiap pegawai paling banyak 2 (dua) hari kerja dalam satu minggu
    melaksanakan tugas kedinasan secara fleksibel (WFA)``, ``setiap pegawai bekerja paling sedikit 37,5
    (tiga puluh tujuh koma lima) jam dalam satu minggu``, ``jam lembur setiap pegawai paling banyak 14
    (empat belas) jam dalam satu minggu`` / ``each employee may work from anywhere (WFA) on at most 2
    (two) working days a week``, ``each employee must work at least 37.5 (thirty-seven point five)
    hours a week``."""
    lang = _lang(lang)
    if c.group == "all":
        who = doc_say("employee.who.all", lang)
    else:
        who = doc_say("employee.who.group", lang, label=category_label(model, c.group, lang))
    unit = "hours" if c.unit == "hours" else "working-days" if working_days else "days"
    amount = _plural_doc_say(f"employee.unit.{unit}", c.amount, lang, amount=legal_amount(c.amount, lang))
    if c.comparison == "<" and c.unit == "days":
        cmp = doc_say("employee.fewer-than", lang)
    else:
        cmp = COMPARISON_PHRASES[lang][c.comparison]
    bound = f"{cmp} {amount}"
    window = doc_say(f"employee.window.{c.window}", lang)
    side = "upper" if c.comparison in _UPPER else "lower"
    if c.measure in ("WFO", "WFH", "WFA"):
        return doc_say(
            f"employee.mode.{side}", lang, who=who, bound=bound, window=window, mode=msg(f"render.may.{c.measure}")
        )
    kind = {"LEAVE": "leave", "works": "works", "overtime": "overtime"}[c.measure]
    return doc_say(f"employee.{kind}.{side}", lang, who=who, bound=bound, window=window)


def _plural_doc_say(id: str, amount: Decimal | Fraction | int, lang: str, /, **args: object) -> str:
    return doc_say(f"{id}.{'one' if amount == 1 else 'other'}", lang, **args)


def amount_text(value: Decimal | Fraction, lang: str = "id") -> str:
    """An exact amount of days or hours for a reader: ``2``, ``37,5`` / ``37.5``; a fraction that is
    no finite decimal rounded to two decimals with ``≈`` (``≈ 16,07``)."""
    f = Fraction(value)
    sep = "," if _lang(lang) == "id" else "."
    den = f.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den == 1:
        text = format(Decimal(f.numerator) / Decimal(f.denominator), "f")
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return text.replace(".", sep)
    rounded = (Decimal(f.numerator) / Decimal(f.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return "≈ " + format(rounded, "f").replace(".", sep)


def window_text(kind: str, first: dt.date, last: dt.date, lang: str = "id") -> str:
    """A window for a reader: ``pada minggu 28 April – 4 Mei 2025`` / ``in the week 28 April – 4
    May 2025``, ``pada bulan April 2025``, ``pada tahun 2025``, ``pada 28 April 2025``."""
    lang = _lang(lang)
    if kind == "day":
        return say("employee.window-day", lang, day=date_text(first, lang))
    if kind == "week":
        return say("employee.window-week", lang, range=range_text(first, last, lang))
    if kind == "month":
        return say("employee.window-month", lang, month=_month_year(first, lang))
    return say("employee.window-year", lang, year=first.year)


def measured_text(measure: str, amount: Fraction | Decimal, lang: str = "id") -> str:
    """What was measured on a window, after "pegawai ini" / "this employee": ``3 hari WFA`` /
    ``worked 3 days in WFA``, ``bekerja 22,5 jam`` / ``worked 22.5 hours``, ``2 hari cuti`` / ``was
    on leave for 2 days``, ``lembur 3 jam`` / ``worked 3 hours of overtime``."""
    shown = amount_text(amount, lang)
    if measure == "LEAVE":
        return _plural_say("employee.measured-leave", amount, lang, amount=shown)
    if measure in ("works", "overtime"):
        return _plural_say(f"employee.measured-{measure}", amount, lang, amount=shown)
    return _plural_say("employee.measured-days", amount, lang, amount=shown, mode=measure)


def employee_bound_text(unit: str, comparison: str, amount: Fraction | Decimal, lang: str = "id") -> str:
    """A bound on a window: ``paling banyak 2 hari`` / ``at most 2 days``, ``paling sedikit 37,5 jam``."""
    words = {"<=": "AT_MOST", ">=": "AT_LEAST", "=": "EXACTLY"}
    cmp = spelling(words[comparison], _lang(lang)) if comparison in words else COMPARISON_PHRASES[lang][comparison]
    return _plural_say(f"employee.bound-{unit}", amount, lang, comparison=cmp, amount=amount_text(amount, lang))


def _window_bound(w: WindowResult, lang: str) -> tuple[str, str | None, bool]:
    """A judged window's bound as a reader needs it, a note on its scope, and whether it was judged:
    the rule's bound, lowered to what could be reached when it was (``paling sedikit 3 hari,
    diturunkan menjadi 2 hari karena ...``); for a window only partly in scope, the note that only its
    days in scope count, or that a lower bound is not judged there."""
    c = w.constraint
    noun = say(f"employee.window-noun.{c.window}", lang)
    required = employee_bound_text(c.unit, c.comparison, c.amount, lang)
    if not w.whole:
        if c.comparison in _UPPER:
            return required, say("employee.partial", lang, noun=noun), True
        if c.comparison == "=":
            upper = employee_bound_text(c.unit, "<=", c.amount, lang)
            return upper, say("employee.partial-exact", lang, noun=noun), True
        return required, say("employee.not-judged", lang, noun=noun), False
    if _lowered(w):
        reachable = employee_bound_text(c.unit, w.comparison, w.bound, lang)
        if w.counted == 0:
            lowered = "employee.lowered-none"
        elif c.unit == "hours":
            lowered = "employee.lowered-hours"
        else:
            lowered = "employee.lowered-leave" if c.measure == "LEAVE" else "employee.lowered-days"
        text = say(lowered, lang, required=required, reachable=reachable, counted=w.counted, days=w.days)
        return text, None, True
    if c.comparison == "=":  # the half of "exactly" that decided
        return employee_bound_text(c.unit, c.comparison, c.amount, lang), None, True
    return employee_bound_text(c.unit, w.comparison, w.bound, lang), None, True


def window_line(w: WindowResult, lang: str = "id") -> str:
    """One judged window for a reader, as a sentence without its final stop: ``Pada minggu 28
    April – 4 Mei 2025 pegawai ini 3 hari WFA; paling banyak 2 hari: dilanggar`` / ``In the week 28
    April – 4 May 2025 this employee worked 3 days in WFA; at most 2 days: violated``; with the
    lowered bound (:func:`_window_bound`) and, for a window only partly in scope, what that means."""
    lang = _lang(lang)
    c = w.constraint
    bound, note, judged = _window_bound(w, lang)
    if not judged and note is not None:
        verdict = note
        note = None
    else:
        verdict = say("employee.verdict-fails" if w.violated else "employee.verdict-holds", lang)
    line = say(
        "employee.window-line",
        lang,
        when=window_text(c.window, w.first, w.last, lang),
        measured=measured_text(c.measure, w.amount, lang),
        bound=bound,
        verdict=verdict,
    )
    if note is not None:
        line += f" ({note})"
    return line[:1].upper() + line[1:]


def explain_employee(result: EmployeeResult, lang: str = "en") -> str:
    """The plain-language account behind :meth:`asnrules.employee.EmployeeResult.explain`: the
    outcome, then each judged window with its rule, what was measured, the bound (lowered to what
    could be reached, when it was), the verdict, and whether the window was only partly in scope."""
    lang = _lang(lang)
    outcome = OUTCOME_WORDS[lang][result.outcome]
    n = len(result.windows)
    lines = [
        _plural_say("employee.outcome-line", n, lang, outcome=outcome, n=n, failed=len(result.violations))
        if result.windows
        else say("employee.outcome-none", lang, outcome=outcome)
    ]
    for w in result.windows:
        lines.append(f"- {citation(w.constraint, lang, model=result.model)}: {window_line(w, lang)}.")
    lines.extend(f"- {say('employee.rejected', lang, day=date_text(d, lang))}." for d, _ in result.rejected)
    return "\n".join(lines)


def employee_why(result: EmployeeResult, lang: str = "en") -> str:
    """Why an employee example got its outcome, in one clause (``asnrules test``): each violated
    window as :func:`explain_employee` words it, else how many windows were judged."""
    lang = _lang(lang)
    if result.violations:
        return "; ".join(
            f"{_lower_first(window_line(w, lang))} ({citation(w.constraint, lang, model=result.model)})"
            for w in result.violations
        )
    if result.windows:
        n = len(result.windows)
        return _plural_say("employee.why-compliant", n, lang, n=n)
    return say("employee.why-uncovered", lang)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def employee_reason(
    result: EmployeeResult,
    lang: str = "id",
    *,
    own: str | None = None,
    provisions: Mapping[int, int] | None = None,
) -> str:
    """Why an employee example has its outcome, for the documents: each violated window (when none
    is: each judged window, or, of more than two, how many were judged and those whose bound was
    lowered or that lay only partly in scope) as a sentence, opened by the provision it comes from
    (``provisions``: rule id → number of the provision in the document of ``own``) or, for a rule
    of another instrument, by that instrument's name (``Menurut SE B: ...``)."""
    lang = _lang(lang)

    def said(w: WindowResult) -> str:
        line = window_line(w, lang)
        c = w.constraint
        number = (provisions or {}).get(c.rule_id)
        if own is not None and name_key(c.circular) != name_key(own):
            head = doc_say("according-to", lang, name=c.circular)
        elif number is not None:
            head = doc_say("provision-ref", lang, n=number)
        else:
            return f"{line}."
        return f"{head}: {_lower_first(line)}."

    if result.violations:
        return " ".join(said(w) for w in result.violations)
    if result.windows:
        if len(result.windows) <= 2:
            return " ".join(said(w) for w in result.windows)
        notable = [w for w in result.windows if not w.whole or _lowered(w)]
        return " ".join([doc_say("employee-all-met", lang, n=len(result.windows)), *(said(w) for w in notable)])
    return doc_say("employee-uncovered", lang)


def _lowered(w: WindowResult) -> bool:
    """Whether a lower bound was lowered to what the employee could reach on this window."""
    c = w.constraint
    lower_half = ">=" if c.comparison == "=" else c.comparison
    return w.comparison in (">=", ">") and (w.bound, w.comparison) != (Fraction(c.amount), lower_half)
