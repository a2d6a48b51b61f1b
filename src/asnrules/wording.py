"""The one source of plain-language wording, in Indonesian (``id``) and English (``en``).

Decision explanations (:meth:`asnrules.Result.explain`) and the policy documents
(:mod:`asnrules.render`) use these functions, so what a decision says and what the document says can
never drift apart. Everything here returns plain text: escaping for HTML or Markdown is the
renderer's job, never this module's.

Dates and lists are written with Babel (``16 Agustus 2023``, ``A, B, dan C``; imported on first use,
so that checking a rule set does not load it); percentages with the decimal comma in Indonesian;
each quota in the legal wording of the circulars ("paling banyak 50% pegawai ... bekerja dari rumah
(WFH)", "seluruh pegawai (100%) ... bekerja dari kantor (WFO)").

**A constraint is worded and cited here only**, whoever shows it: :func:`constraint_text` writes it
as a rule file does (``admin WFH <= 50%``: the checker's messages), :func:`constraint_sentence` in
the legal wording (documents and explanations), and :func:`citation` says where it comes from
(``SE A, rule r1, a.asnr:3:5`` in messages and explanations, ``aturan r1, a.asnr baris 3`` in the
documents). Keywords named here (``rule``/``aturan``) come from :mod:`asnrules.keywords`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol

from .errors import Source
from .keywords import KEYWORDS, LANGS, spelling
from .model import Model, Rule
from .prelude import name_key, province_by_code, province_index, province_name
from .runtime import Applied

if TYPE_CHECKING:
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

#: The fixed words of the documents (headings, field names, sentences around the facts). The
#: templates are language-neutral and read every word from here.
DOC: Mapping[str, Mapping[str, str]] = {
    "id": {
        "circular": "Surat Edaran",
        "circulars": "Daftar Surat Edaran",
        "index_title": "Surat Edaran tentang Sistem Kerja Pegawai ASN",
        "index_intro": "Himpunan ini memuat {n} surat edaran tentang sistem kerja pegawai Aparatur Sipil Negara "
        "(ASN), disusun dari berkas aturan asnrules.",
        "about": "Tentang",
        "title_note": "",
        "number": "Nomor",
        "issued_by": "Ditetapkan oleh",
        "issued": "Tanggal penetapan",
        "effective": "Tanggal berlaku",
        "in_force": "Masa berlaku ketentuan",
        "where": "Wilayah",
        "rule_file": "Berkas aturan",
        "source_url": "Sumber naskah",
        "basis": "Dasar",
        "relations": "Hubungan dengan Surat Edaran Lain",
        "rules": "Ketentuan",
        "rule": "Ketentuan",
        "no_rules": "Surat edaran ini tidak memuat ketentuan persentase sistem kerja.",
        "cited": "Sumber",
        "line": "baris",
        "categories": "Kategori Pegawai",
        "categories_intro": "Kategori pegawai yang disebut dalam ketentuan di atas:",
        "includes": "meliputi",
        "notes": "Kewajiban dan Arahan",
        "notes_intro": "Sebagaimana tertulis dalam surat edaran:",
        "examples": "Contoh Penerapan",
        "examples_intro": "Situasi satu unit kerja pada satu hari dan hasilnya menurut ketentuan surat edaran ini.",
        "no": "No.",
        "situation": "Situasi",
        "outcome": "Hasil",
        "why": "Keterangan",
        "evaluated": "hasil evaluasi",
        "timeline": "Linimasa",
        "timeline_intro": "Kapan dan di mana setiap surat edaran berlaku.",
        "timeline_alt": "Linimasa masa berlaku surat edaran menurut tanggal dan wilayah",
        "timeline_table_when": "Tanggal",
        "index_link": "Daftar surat edaran",
        "footer": "Dokumen ini disusun otomatis oleh asnrules dari berkas aturan; bukan naskah resmi. Bila terdapat "
        "perbedaan, yang berlaku adalah naskah resmi surat edaran.",
        "every_day": "setiap hari",
        "superseded_off": "dicabut",
        "files": "Berkas aturan",
    },
    "en": {
        "circular": "Circular",
        "circulars": "Circulars",
        "index_title": "Circulars on the Work Arrangements of Civil Servants (ASN)",
        "index_intro": "This collection holds {n} circulars on the work arrangements of Indonesia's civil servants "
        "(ASN), rendered from asnrules rule files.",
        "about": "Subject",
        "title_note": " (official title, in Indonesian)",
        "number": "Number",
        "issued_by": "Issued by",
        "issued": "Date signed",
        "effective": "In effect from",
        "in_force": "Provisions in force",
        "where": "Where",
        "rule_file": "Rule file",
        "source_url": "Source text",
        "basis": "Legal basis",
        "relations": "Relation to Other Circulars",
        "rules": "Provisions",
        "rule": "Provision",
        "no_rules": "This circular sets no work-arrangement percentages.",
        "cited": "Source",
        "line": "line",
        "categories": "Staff Categories",
        "categories_intro": "The staff categories named in the provisions above:",
        "includes": "comprising",
        "notes": "Obligations and Directions",
        "notes_intro": "As written in the circular (in Indonesian):",
        "examples": "Worked Examples",
        "examples_intro": "One work unit on one day, and the outcome under the provisions of this circular.",
        "no": "No.",
        "situation": "Situation",
        "outcome": "Outcome",
        "why": "Why",
        "evaluated": "evaluated",
        "timeline": "Timeline",
        "timeline_intro": "When and where each circular is in force.",
        "timeline_alt": "Timeline of the circulars in force by date and region",
        "timeline_table_when": "Dates",
        "index_link": "All circulars",
        "footer": "This document was generated by asnrules from the rule files; it is not an official text. Where "
        "they differ, the official text of the circular prevails.",
        "every_day": "every day",
        "superseded_off": "superseded",
        "files": "Rule files",
    },
}


def _lang(lang: str) -> str:
    if lang not in LOCALES:
        raise ValueError(f"lang must be 'id' or 'en', not {lang!r}")
    return lang


def doc_words(lang: str) -> Mapping[str, str]:
    """The fixed words of the documents in ``lang``."""
    return DOC[_lang(lang)]


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


def list_text(items: Iterable[str], lang: str = "id") -> str:
    """``A, B, dan C`` / ``A, B and C``."""
    from babel.lists import format_list

    seq = list(items)
    if not seq:
        return ""
    return format_list(seq, locale=LOCALES[_lang(lang)])


def percent_text(value: Decimal | Fraction, lang: str = "id") -> str:
    """A percentage as people write it: ``33,5%`` (id) or ``33.5%`` (en). A share that is not a
    short exact decimal is shown to two decimals followed by ``...`` (``66,67...%``)."""
    more = ""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            text = str(value.numerator)
        else:
            dec = Decimal(value.numerator) / Decimal(value.denominator)
            exact = Fraction(dec) == value
            if exact and len(str(dec)) < 12:
                text = decimal_text(dec)
            else:
                text, more = f"{float(value):.2f}", "..."
    else:
        text = decimal_text(value)
    if lang == "id":
        text = text.replace(".", ",")
    return f"{text}{more}%"


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


def period_text(rule: Rule, lang: str = "id") -> str:
    """When a rule applies, in words: ``28 Agustus 2023 – 7 September 2023``, ``16 April 2024 dan
    17 April 2024``, ``mulai 1 Mei 2024``, ``setiap hari``."""
    lang = _lang(lang)
    parts: list[str] = []
    for p in rule.periods:
        if p.start is None and p.end is None:
            return "setiap hari" if lang == "id" else "every day"
        if p.start == p.end and p.start is not None:
            parts.append(date_text(p.start, lang))
        elif p.start is not None and p.end is not None:
            parts.append(f"{date_text(p.start, lang)} – {date_text(p.end, lang)}")
        elif p.start is not None:
            parts.append(("mulai " if lang == "id" else "from ") + date_text(p.start, lang))
        elif p.end is not None:
            parts.append(("sampai dengan " if lang == "id" else "until ") + date_text(p.end, lang))
    return list_text(parts, lang)


def when_text(rule: Rule, lang: str = "id") -> str:
    """The period as the opening of a sentence: ``Selama 28 Agustus 2023 – 7 September 2023``,
    ``Pada 16 April 2024``, ``Mulai 1 Mei 2024``, ``Setiap hari``."""
    lang = _lang(lang)
    text = period_text(rule, lang)
    ps = rule.periods
    if len(ps) == 1 and ps[0].start is None and ps[0].end is None:
        return text[:1].upper() + text[1:]
    if all(p.start is not None and p.start == p.end for p in ps):
        return ("Pada " if lang == "id" else "On ") + text
    if len(ps) == 1 and (ps[0].start is None or ps[0].end is None):
        return text[:1].upper() + text[1:]
    return ("Selama " if lang == "id" else "During ") + text


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
    """A constraint as a rule file writes it, in the checker's messages: ``admin WFH <= 50%``."""
    return f"{c.group} {c.mode} {c.comparison} {decimal_text(c.bound)}%"


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


# ---- relations between circulars ----

_RELATIONS = {
    "id": {
        "supersedes": ("Surat edaran ini mencabut ", "{since}."),
        "overrides": (
            "Surat edaran ini mengesampingkan ",
            " pada hari, di wilayah, dan bagi instansi tempat ketentuan surat edaran ini berlaku.",
        ),
        "superseded_by": ("Surat edaran ini dicabut oleh ", "{since}."),
        "overridden_by": (
            "Surat edaran ini dikesampingkan oleh ",
            " pada hari, di wilayah, dan bagi instansi tempat ketentuan surat edaran tersebut berlaku.",
        ),
    },
    "en": {
        "supersedes": ("This circular supersedes ", "{since}."),
        "overrides": (
            "This circular overrides ",
            " on the days, in the places and for the agencies where its own provisions apply.",
        ),
        "superseded_by": ("This circular is superseded by ", "{since}."),
        "overridden_by": (
            "This circular is overridden by ",
            " on the days, in the places and for the agencies where that circular's provisions apply.",
        ),
    },
}


def relation_parts(kind: str, since: dt.date | None, lang: str = "id") -> tuple[str, str]:
    """The words before and after the other circular's name in a sentence about a relation
    (``supersedes``, ``overrides``, ``superseded_by``, ``overridden_by``); ``since`` is the day a
    supersession takes effect, if known."""
    lang = _lang(lang)
    before, after = _RELATIONS[lang][kind]
    when = "" if since is None else (" mulai " if lang == "id" else " from ") + date_text(since, lang)
    return before, after.format(since=when)


# ---- situations and decisions ----


def counts_text(model: Model, counts: Iterable[tuple[str, str, int]], lang: str = "id") -> str:
    """Staff counts of an example: ``layanan administrasi ...: 6 WFH, 4 WFO; kesehatan: 3 WFO``."""
    lang = _lang(lang)
    groups: dict[str, list[str]] = {}
    for cat, mode, k in counts:
        groups.setdefault(cat, []).append(f"{k} {COUNT_MODE_WORDS[lang].get(mode, mode)}")
    return "; ".join(f"{short_label(model, cat, lang)}: {', '.join(parts)}" for cat, parts in groups.items())


def _count(k: int, n: int, share: Fraction, lang: str) -> str:
    if lang == "id":
        return f"{k} dari {n} pegawai ({percent_text(share, 'id')})"
    return f"{k} of {n} staff ({percent_text(share, 'en')})"


def applied_text(model: Model, a: Applied, lang: str = "id") -> str:
    """One applicable constraint and its verdict in a situation: ``paling banyak 50% ... (WFH). Di
    sini 6 dari 10 pegawai (60%) bekerja dari rumah: dilanggar``."""
    lang = _lang(lang)
    head = f"{constraint_sentence(model, a, lang)}."
    if a.share is None:
        tail = VERDICT_WORDS[lang]["vacuous"].capitalize()
    else:
        tail = (
            ("Di sini " if lang == "id" else "Here ")
            + _count(a.k, a.n, a.share, lang)
            + " "
            + MODE_PHRASES[lang][a.mode].split(" (")[0]
            + ": "
            + VERDICT_WORDS[lang][a.verdict]
        )
    return f"{head} {tail}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def outcome_reason(result: Result, lang: str = "id") -> str:
    """Why a situation has its outcome, in one or two sentences (for the documents' examples)."""
    lang = _lang(lang)
    model = result.model
    if result.outcome == "violation":
        fails = [a for a in result.applied if a.verdict == "fails"]
        return " ".join(_sentence(applied_text(model, a, lang)) for a in fails)
    if result.outcome == "compliant":
        held = [a for a in result.applied if a.verdict == "holds"]
        if len(held) == 1:
            return _sentence(applied_text(model, held[0], lang))
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
    return (
        "Tidak ada ketentuan yang berlaku pada tanggal, di wilayah dan bagi instansi ini."
        if lang == "id"
        else "No provision applies on this date, in this place and to this agency."
    )


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
    for a in result.applied:
        lines.append(f"- {citation(a, lang, model=model)}: {applied_text(model, a, lang)}.")
    return "\n".join(lines)
