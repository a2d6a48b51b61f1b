"""The vocabulary of the language: one table of keywords, read by everything that spells one.

Each :class:`Keyword` holds its grammar terminal (``AT_MOST``), what it stands for in the syntax tree
(``<=``), its kind (what part of a statement it belongs to) and its English and Indonesian spellings
(LANGUAGE.md §8), the first of each being the one that is written: by the formatter in a file of that
language, and by the messages that name it. The comparison symbols (``<=``, ``≤``...) are the small
table :data:`SYMBOLS`, and the work modes come from :data:`asnrules.runtime.MODES`.

Who reads it:

- the grammar: :func:`lark_terminals` writes the keyword, mode and comparison terminals, which
  :func:`asnrules.parser.grammar_text` appends to ``grammar/asnrules.lark``;
- the parser: the meaning of each terminal (:data:`MEANINGS`) and the keywords its syntax-error
  messages name (:func:`spelling`, :func:`terminals`);
- the formatter: the spelling it writes (:func:`written`) and the words that tell a file's language
  (:func:`language_words`);
- the tests: every spelling of every keyword is lexed and parsed from this table.

A new spelling (an Indonesian synonym, say) is one more entry in a ``en``/``id`` tuple here, and
nothing else changes. Keywords are case-insensitive; a two-word keyword may be written with blanks
(a line break too) or a hyphen between its words; every keyword ends where a name could not go on
(``in-house`` stays one name).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from .runtime import MODES

__all__ = [
    "KEYWORDS",
    "KINDS",
    "LANGS",
    "MEANINGS",
    "SYMBOLS",
    "Keyword",
    "Symbol",
    "keyword",
    "language_words",
    "lark_terminals",
    "spelling",
    "terminals",
    "written",
]

#: The languages a keyword is spelled in.
LANGS = ("en", "id")

#: The kinds of keyword: which part of a statement each belongs to.
KINDS = {
    "statement": "starts a statement",
    "attribute": "an attribute of a circular's header",
    "qualifier": "qualifies a header date (not confirmed)",
    "scope": "starts a part of a rule's scope (when, where, who)",
    "joiner": "joins the parts of a scope or an attribute",
    "agency": "a level of government agency",
    "group": "the group of all staff",
    "comparison": "a comparison written in words",
    "count": "a count mode that is not a work mode",
    "outcome": "the outcome of an example",
    "permission": "allows a mode without a quota (LANGUAGE.md §10)",
    "calendar": "counts working days (LANGUAGE.md §9)",
    "employee": "binds each employee over a window of days (LANGUAGE.md §12)",
}


class Keyword(NamedTuple):
    """One keyword: ``terminal`` in the grammar, ``meaning`` in the syntax tree (and the key the
    formatter and the messages look it up by), ``kind`` (:data:`KINDS`), and its spellings in
    English (``en``) and Indonesian (``id``), the first of each being the one written."""

    terminal: str
    meaning: str
    kind: str
    en: tuple[str, ...]
    id: tuple[str, ...]

    def spellings(self, lang: str | None = None) -> tuple[str, ...]:
        """The spellings in ``lang`` (``en`` or ``id``), or in both (English first)."""
        if lang is None:
            return (*self.en, *self.id)
        return self.id if _lang(lang) == "id" else self.en

    def word(self, lang: str = "en") -> str:
        """The spelling written in ``lang``."""
        return self.spellings(lang)[0]


class Symbol(NamedTuple):
    """A comparison symbol: ``terminal``, ``meaning`` (the comparison in the syntax tree) and its
    spellings, the first being the one written."""

    terminal: str
    meaning: str
    spellings: tuple[str, ...]


KEYWORDS: tuple[Keyword, ...] = (
    # statements (the order in which the messages list them)
    Keyword("RULE", "rule", "statement", ("rule",), ("aturan",)),
    Keyword("CATEGORY", "category", "statement", ("category",), ("kategori",)),
    Keyword("REGION", "region", "statement", ("region",), ("wilayah",)),
    Keyword("NOTE", "note", "statement", ("note",), ("catatan",)),
    Keyword("QUOTE", "quote", "statement", ("quote",), ("kutipan",)),
    Keyword("EXAMPLE", "example", "statement", ("example",), ("contoh",)),
    Keyword("CIRCULAR", "circular", "statement", ("circular",), ("surat edaran",)),
    # the calendar's declarations (LANGUAGE.md §9): `holiday DATE STRING`; `working day DATE STRING`
    # starts with WORKING_DAYS (below), as `on working days` goes on with it
    Keyword("HOLIDAY", "holiday", "statement", ("holiday",), ("libur", "hari libur")),
    # the other kinds of instrument (LANGUAGE.md §11): a header opens with any of them
    Keyword("REGULATION", "regulation", "statement", ("regulation",), ("peraturan",)),
    Keyword("INSTRUCTION", "instruction", "statement", ("instruction",), ("instruksi",)),
    Keyword("DECREE", "decree", "statement", ("decree",), ("keputusan",)),
    # the header's attributes
    Keyword("TITLE", "title", "attribute", ("title",), ("judul",)),
    Keyword("ISSUED", "issued", "attribute", ("issued",), ("ditetapkan",)),
    Keyword("EFFECTIVE", "effective", "attribute", ("effective",), ("berlaku",)),
    Keyword("BASIS", "basis", "attribute", ("basis",), ("dasar",)),
    Keyword("SOURCE", "source", "attribute", ("source",), ("sumber",)),
    Keyword("SUPERSEDES", "supersedes", "attribute", ("supersedes",), ("mencabut",)),
    Keyword("OVERRIDES", "overrides", "attribute", ("overrides",), ("mengesampingkan",)),
    Keyword("AMENDS", "amends", "attribute", ("amends",), ("mengubah", "perubahan atas")),
    Keyword("UNCONFIRMED", "unconfirmed", "qualifier", ("unconfirmed",), ("belum pasti",)),
    # a rule's scope
    Keyword("BETWEEN", "between", "scope", ("between",), ("antara",)),
    Keyword("ON", "on", "scope", ("on",), ("pada",)),
    Keyword("FROM", "from", "scope", ("from",), ("mulai",)),
    Keyword("UNTIL", "until", "scope", ("until",), ("sampai", "sampai dengan")),
    Keyword("IN", "in", "scope", ("in",), ("di",)),
    Keyword("NATIONWIDE", "nationwide", "scope", ("nationwide",), ("nasional",)),
    Keyword("FOR", "for", "scope", ("for",), ("untuk",)),
    # working days and windows counted from a holiday (LANGUAGE.md §9): `on working days`, `on the
    # first 2 working days after "Idul Fitri" 2024`, `pada 2 hari kerja pertama setelah ...`; the
    # singular (its second English spelling) is written for one day and starts `working day DATE ...`
    Keyword("WORKING_DAYS", "working days", "calendar", ("working days", "working day"), ("hari kerja",)),
    Keyword("FIRST", "first", "calendar", ("the first", "first"), ("pertama",)),
    Keyword("LAST", "last", "calendar", ("the last", "last"), ("terakhir",)),
    Keyword("AFTER", "after", "calendar", ("after",), ("setelah", "sesudah")),
    Keyword("BEFORE", "before", "calendar", ("before",), ("sebelum",)),
    Keyword("AND", "and", "joiner", ("and",), ("dan",)),
    Keyword("BY", "by", "joiner", ("by",), ("oleh",)),
    # `overrides rule L of N` (LANGUAGE.md §11)
    Keyword("OF", "of", "joiner", ("of",), ("dari",)),
    Keyword("CENTRAL", "central", "agency", ("central",), ("pusat",)),
    Keyword("REGIONAL", "regional", "agency", ("regional",), ("daerah",)),
    # constraints and counts
    Keyword("ALL", "all", "group", ("all",), ("semua",)),
    Keyword("AT_MOST", "<=", "comparison", ("at most",), ("paling banyak",)),
    Keyword("AT_LEAST", ">=", "comparison", ("at least",), ("paling sedikit",)),
    Keyword("EXACTLY", "=", "comparison", ("exactly",), ("tepat",)),
    Keyword("MAY", "may", "permission", ("may",), ("boleh", "dapat")),
    Keyword("LEAVE", "LEAVE", "count", ("leave",), ("cuti", "sakit", "izin")),
    # each employee over windows (LANGUAGE.md §12): `each employee [in GROUP] WFA at most 2 days per
    # week`, `setiap pegawai [dalam GROUP] bekerja paling sedikit 37,5 jam per minggu`; `employee`
    # opens an example over consecutive days (`example employee admin in DKI from D: WFA, WFO 8, -`)
    Keyword(
        "EACH_EMPLOYEE",
        "each employee",
        "employee",
        ("each employee", "every employee"),
        ("setiap pegawai", "tiap pegawai"),
    ),
    Keyword("EMPLOYEE", "employee", "employee", ("employee",), ("pegawai",)),
    Keyword("WITHIN", "within", "employee", ("within",), ("dalam",)),
    Keyword("WORKS", "works", "employee", ("works", "work"), ("bekerja",)),
    Keyword("OVERTIME", "overtime", "employee", ("overtime",), ("lembur",)),
    Keyword("HOURS", "hours", "employee", ("hours", "hour"), ("jam",)),
    Keyword("DAYS", "days", "employee", ("days", "day"), ("hari",)),
    Keyword("PER", "per", "employee", ("per",), ("per",)),
    Keyword("WEEK", "week", "employee", ("week",), ("minggu", "pekan")),
    Keyword("MONTH", "month", "employee", ("month",), ("bulan",)),
    Keyword("YEAR", "year", "employee", ("year",), ("tahun",)),
    # examples
    Keyword("COMPLIANT", "compliant", "outcome", ("compliant",), ("patuh",)),
    Keyword("VIOLATION", "violation", "outcome", ("violation",), ("pelanggaran",)),
    Keyword("UNCOVERED", "uncovered", "outcome", ("uncovered",), ("tidak diatur",)),
)

#: The comparison symbols, in the order the messages list them. ``=`` (``EQ``) also joins a
#: declaration to its members.
SYMBOLS: tuple[Symbol, ...] = (
    Symbol("LE", "<=", ("<=", "\u2264")),
    Symbol("GE", ">=", (">=", "\u2265")),
    Symbol("EQ", "=", ("=",)),
    Symbol("LT", "<", ("<",)),
    Symbol("GT", ">", (">",)),
)

_BY_TERMINAL: dict[str, Keyword] = {k.terminal: k for k in KEYWORDS}
_BY_MEANING: dict[str, Keyword] = {k.meaning: k for k in KEYWORDS}

#: What each keyword and symbol terminal stands for in the syntax tree (``AT_MOST`` → ``<=``).
MEANINGS: Mapping[str, str] = {
    **{k.terminal: k.meaning for k in KEYWORDS},
    **{s.terminal: s.meaning for s in SYMBOLS},
}


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'id', not {lang!r}")
    return lang


def keyword(terminal: str) -> Keyword:
    """The keyword of a grammar terminal (``KeyError`` for another terminal)."""
    return _BY_TERMINAL[terminal]


def spelling(terminal: str, lang: str = "en") -> str:
    """How a message names the keyword of ``terminal`` in ``lang`` (``AND`` → ``and`` / ``dan``)."""
    return _BY_TERMINAL[terminal].word(lang)


def written(meaning: str, lang: str = "en") -> str:
    """The keyword the formatter writes for ``meaning`` in ``lang`` (``<=`` → ``at most`` /
    ``paling banyak``; ``circular`` → ``circular`` / ``surat edaran``)."""
    return _BY_MEANING[meaning].word(lang)


def terminals(*kinds: str) -> tuple[str, ...]:
    """The terminals of the keywords of these kinds, in table order."""
    return tuple(k.terminal for k in KEYWORDS if k.kind in kinds)


def language_words(lang: str) -> frozenset[str]:
    """The words (each word of a two-word keyword apart, lower case) of the keywords that tell a
    file's language: every keyword but the comparisons (the formatter keeps those as written) and
    the count mode (written in capitals like the work modes)."""
    return frozenset(
        word
        for k in KEYWORDS
        if k.kind not in ("comparison", "count")
        for spelling in k.spellings(lang)
        for word in spelling.split()
    )


# ---- the grammar's terminals -------------------------------------------------------------------------


#: The hyphens a two-word keyword may be written with: ``-`` and its look-alikes from word processors
#: (U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN).
HYPHENS = r"\-\u2010\u2011"


def _pattern(spelling: str) -> str:
    return rf"(?:\s+|[{HYPHENS}])".join(re.escape(w) for w in spelling.split())


def _regex(spellings: tuple[str, ...]) -> str:
    # in table order, except that a spelling whose first words are another spelling is tried first
    unique = list(dict.fromkeys(spellings))

    def depth(s: str) -> int:
        words = s.split()
        return sum(1 for p in unique if p != s and words[: len(p.split())] == p.split())

    ordered = sorted(unique, key=lambda s: -depth(s))
    return "(?:" + "|".join(_pattern(s) for s in ordered) + rf")(?![\w{HYPHENS}])"


def _literal(text: str) -> str:
    inner = "".join(c if " " <= c < "\x7f" and c not in '"\\' else f"\\u{ord(c):04x}" for c in text)
    return f'"{inner}"'


def lark_terminals() -> str:
    """The Lark definitions of the keyword terminals (case-insensitive regexes at priority 2, so
    that wherever a keyword and a NAME could both be read the keyword wins), of ``MODE`` (the work
    modes) and of the comparison symbols."""
    lines = [f"{k.terminal}.2: /{_regex(tuple(s.lower() for s in k.spellings()))}/i" for k in KEYWORDS]
    lines.append(f"MODE.2: /{_regex(tuple(m.lower() for m in MODES))}/i")
    lines.extend(f"{s.terminal}: " + " | ".join(_literal(x) for x in s.spellings) for s in SYMBOLS)
    return "\n".join(lines) + "\n"
