"""Text → syntax tree (:mod:`asnrules.nodes`), with syntax errors in words a drafter understands.

The grammar is ``grammar/asnrules.lark`` (shipped inside the package as ``asnrules/grammar``) with its
keyword terminals written from the keyword table (:mod:`asnrules.keywords`), which also gives the
meaning of each keyword and how the syntax-error messages name it. Lark builds the nodes directly
while parsing (an inline transformer on the LALR parser), so no intermediate parse tree is made.
Lark's exceptions never leave this module: they are turned into a :class:`~asnrules.errors.RulesError`
holding one diagnostic with line, column and a caret excerpt.

Every text a syntax error says is a message of the catalogue (``asnrules/data/messages/parse.toml``,
ids ``parse.*``): the diagnostics are built from :class:`~asnrules.messages.Msg` objects, worded in
English until :meth:`~asnrules.errors.Diagnostic.localised` words them in the language chosen by
the caller (the file's own, or ``--lang``); the keywords they name are then that language's.

The natural phrasing of LANGUAGE.md §14 is read here: provinces of several words without quotes (a
leading ``Provinsi``/``Province`` dropped), ``and`` before the last date of an ``on`` list, ``,``
between constraints, typographic quotes, and the look-alikes of the hyphen and of the space that
word processors put into dates and numbers (read as their plain forms). Common slips (a date
``28/08/2023`` or ``28 Agustus 2023``, ``=<``, ``50 persen``, a label with spaces, a header line
after a rule, an ambiguous ``1.000%``...) get a message that says what to write.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any, NamedTuple

from lark import Lark, Token
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from . import nodes as n
from .errors import Diagnostic, RulesError, Span, caret_excerpt
from .keywords import MEANINGS, SYMBOLS, keyword, lark_terminals, terminals
from .messages import Join, Kw, Msg, msg
from .runtime import MODES

__all__ = ["GRAMMAR_PATH_IN_PACKAGE", "grammar_text", "parse"]

GRAMMAR_PATH_IN_PACKAGE = "grammar/asnrules.lark"


def grammar_text() -> str:
    """The grammar: ``grammar/asnrules.lark`` (from the installed package, else from the source tree
    for editable installs) followed by the keyword, mode and comparison terminals written from the
    keyword table (:func:`asnrules.keywords.lark_terminals`)."""
    shipped = resources.files("asnrules").joinpath(GRAMMAR_PATH_IN_PACKAGE)
    if shipped.is_file():
        text = shipped.read_text(encoding="utf-8")
    else:
        text = (Path(__file__).resolve().parents[2] / "grammar" / "asnrules.lark").read_text(encoding="utf-8")
    return text.rstrip("\n") + "\n\n// ---- written by asnrules.keywords.lark_terminals() ----\n" + lark_terminals()


_ESCAPES = {'"': '"', "\\": "\\", "n": "\n"}

#: The look-alikes of ``-`` that word processors put into dates and names (read as ``-``).
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2212")
#: The no-break spaces read as blanks.
BLANKS = frozenset("\u00a0\u2007\u2009\u202f")
#: Quotes that open or close a text, besides ``"`` (LANGUAGE.md §14).
QUOTES = frozenset("\u201c\u201d\u201e")


def plain(text: str) -> str:
    """``text`` with the look-alikes of the grammar in their plain forms: dashes as ``-``, no-break
    spaces as spaces, digits of other scripts (fullwidth...) as ASCII digits."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in text:
        if ch in DASHES:
            out.append("-")
        elif ch in BLANKS:
            out.append(" ")
        elif not ch.isascii() and ch.isdigit():
            out.append(str(unicodedata.digit(ch, 0)))
        else:
            out.append(ch)
    return "".join(out)


class _Amount(NamedTuple):
    """An amount of an employee rule or an example's day, ``.`` for its point, and where it is."""

    text: str
    span: Span


class _Problem(Exception):
    """Raised inside the transformer; turned into a diagnostic by :func:`parse`."""

    def __init__(self, span: Span, code: str, message: Msg, suggestion: Msg | None = None) -> None:
        super().__init__(message.id)
        self.span, self.code, self.message, self.suggestion = span, code, message, suggestion


def _first_span(items: tuple[Any, ...], path: str) -> Span:
    for item in items:
        if isinstance(item, Token):
            return _tok_span(item, path)
        span = getattr(item, "span", None)
        if isinstance(span, Span):
            return span
    return n.NOWHERE


def _tok_span(tok: Token, path: str) -> Span:
    return Span(path, tok.line or 1, tok.column or 1, tok.end_line or 1, tok.end_column or 1)


def _join_spans(first: Span, last: Span) -> Span:
    return Span(first.file, first.line, first.column, last.end_line, last.end_column)


#: A leading word of a province's name that is dropped (``di Provinsi DKI Jakarta``).
_PROVINCE_WORDS = frozenset({"provinsi", "province"})
#: A percentage whose separator is followed by exactly three digits after one to three digits, the
#: shape of a thousands group (``1.000%``, ``12,500%``): which did the drafter mean? (LANGUAGE.md §14)
_AND_WORDS = frozenset(s.casefold() for s in keyword("AND").spellings())
_NATIONWIDE_WORDS = frozenset(s.casefold() for s in keyword("NATIONWIDE").spellings())
_THOUSANDS_SHAPE = re.compile(r"[1-9]\d{0,2}([.,])\d{3}")


class _Build:
    """Builds :mod:`asnrules.nodes` while the LALR parser reduces (one callback per grammar rule,
    taking the rule's children as arguments; see :func:`_callbacks`)."""

    path = "<input>"

    def _span(self, *items: Any) -> Span:
        return _first_span(items, self.path)

    def _text(self, tok: Token) -> n.Text:
        raw = str(tok)[1:-1]  # the quotes, plain or typographic, are one character each
        if "\\" not in raw:
            return n.Text(raw, _tok_span(tok, self.path))
        out: list[str] = []
        i = 0
        while i < len(raw):
            ch = raw[i]
            if ch == "\\":
                esc = raw[i + 1]
                if esc not in _ESCAPES:
                    span = _tok_span(tok, self.path)
                    span = Span(span.file, span.line, span.column + i + 1, span.line, span.column + i + 3)
                    raise _Problem(span, "E102", msg("parse.bad-escape", esc=esc), msg("parse.hint.escapes"))
                out.append(_ESCAPES[esc])
                i += 2
            else:
                out.append(ch)
                i += 1
        return n.Text("".join(out), _tok_span(tok, self.path))

    def _name(self, tok: Token) -> n.Name:
        if tok.type == "STRING":
            return n.Name(self._text(tok).value, True, _tok_span(tok, self.path))
        if tok.type == "ALL":
            return n.Name("all", False, _tok_span(tok, self.path))
        return n.Name(plain(str(tok)), False, _tok_span(tok, self.path))

    def _words(self, toks: tuple[Token, ...]) -> n.Name:
        """A name of several words (a province: ``Jawa Barat``), joined by one space."""
        if len(toks) == 1:
            return self._name(toks[0])
        span = _join_spans(_tok_span(toks[0], self.path), _tok_span(toks[-1], self.path))
        return n.Name(" ".join(plain(str(t)) for t in toks), False, span)

    def _date(self, tok: Token) -> n.DateLit:
        return n.DateLit(plain(str(tok)), _tok_span(tok, self.path))

    def _regions(self, refs: tuple[n.Name, ...], after: str) -> tuple[n.Name, ...]:
        """The province references of a list, each checked: a keyword first in an unquoted name
        means a ',' too many or the parts of a scope in the wrong order (``in DKI, for central``)."""
        for i, ref in enumerate(refs):
            words = ref.text.split()
            joiner = next((w for w in words[1:-1] if w.casefold() in _AND_WORDS), None)
            if not ref.quoted and joiner is not None:
                raise _Problem(
                    ref.span,
                    "E100",
                    msg("parse.and-in-list", items=msg("parse.word.provinces")),
                    msg("parse.hint.comma-instead"),
                )
            first = words[0] if words else ""
            if not ref.quoted and first.casefold() in _KEYWORD_WORDS:
                span = Span(ref.span.file, ref.span.line, ref.span.column, ref.span.line, ref.span.column + len(first))
                if i or after == "_COMMA":
                    raise _Problem(
                        span,
                        "E100",
                        msg("parse.keyword-after-comma", word=first),
                        msg("parse.hint.remove-comma", word=first),
                    )
                alone = first.casefold() in _NATIONWIDE_WORDS
                hint = msg("parse.hint.nationwide-alone") if alone else msg("parse.hint.scope-order")
                raise _Problem(span, "E100", msg("parse.keyword-after-in", word=first, kw=Kw(after)), hint)
        return refs

    # ---- file and header ----
    def start(self, *statements: n.Statement) -> list[n.Statement]:
        return list(statements)

    def header(self, kw: Token, name: n.Name, *attributes: n.Attribute) -> n.Header:
        return n.Header(name, attributes, _join_spans(self._span(kw), name.span), kind=MEANINGS[kw.type])

    def circular_name(self, tok: Token) -> n.Name:
        return self._name(tok)

    def title(self, kw: Token, s: Token) -> n.Attribute:
        return n.Attribute("title", (self._text(s),), None, self._span(kw))

    def issued(self, kw: Token, d: Token, unsure: Token | None, _by: Token | None, s: Token | None) -> n.Attribute:
        by = self._text(s) if s is not None else None
        return n.Attribute("issued", (self._date(d),), by, self._span(kw), unconfirmed=unsure is not None)

    def issued_by(self, kw: Token, _by: Token, s: Token) -> n.Attribute:
        return n.Attribute("issued", (), self._text(s), self._span(kw))

    def effective(self, kw: Token, d: Token, unsure: Token | None) -> n.Attribute:
        return n.Attribute("effective", (self._date(d),), None, self._span(kw), unconfirmed=unsure is not None)

    def basis(self, kw: Token, *items: Token) -> n.Attribute:
        return n.Attribute("basis", tuple(self._text(s) for s in items), None, self._span(kw))

    def source(self, kw: Token, s: Token) -> n.Attribute:
        return n.Attribute("source", (self._text(s),), None, self._span(kw))

    def rule_ref(self, kw: Token, *items: Any) -> n.RuleRef:
        labels = tuple(x for x in items if isinstance(x, n.Name))
        return n.RuleRef(labels[:-1], labels[-1], self._span(kw))

    def supersedes(self, kw: Token, *names: n.Name) -> n.Attribute:
        return n.Attribute("supersedes", names, None, self._span(kw))

    def overrides(self, kw: Token, *names: n.Name) -> n.Attribute:
        return n.Attribute("overrides", names, None, self._span(kw))

    def amends(self, kw: Token, *names: n.Name) -> n.Attribute:
        return n.Attribute("amends", names, None, self._span(kw))

    # ---- rules ----
    def rule(
        self,
        kw: Token | None,
        label: n.Name | None,
        when: n.When | None,
        where: n.Where | None,
        who: n.Who | None,
        colon: Token,
        *constraints: n.Constraint,
    ) -> n.Rule:
        first = self._span(kw, label, when, where, who, colon)
        last = constraints[-1].span if constraints else _tok_span(colon, self.path)
        return n.Rule(label, when, where, who, constraints, _join_spans(first, last))

    def words(self, *toks: Token) -> tuple[Token, ...]:
        return toks

    def label(self, tok: Token, more: tuple[Token, ...] | None = None) -> n.Name:
        if not more:
            return self._name(tok)
        toks = (tok, *more)
        name = self._words(toks)
        first = str(tok)
        if first.casefold() in _KEYWORD_WORDS:
            raise _Problem(
                _tok_span(tok, self.path),
                "E100",
                msg("parse.keyword-as-label", word=first),
                msg("parse.hint.label-first", word=first),
            )
        raise _Problem(
            name.span,
            "E100",
            msg("parse.label-spaces", label=name.text),
            msg("parse.hint.label-hyphens", fix="-".join(name.text.split())),
        )

    def between(self, kw: Token, d1: Token, _and: Token, d2: Token) -> n.When:
        return n.When("between", (self._date(d1), self._date(d2)), self._span(kw))

    def on_dates(self, kw: Token, *items: Token) -> n.When:
        dates = tuple(self._date(d) for d in items if d.type == "DATE")
        and_last = len(items) >= 3 and items[-2].type == "AND"
        return n.When("on", dates, self._span(kw), and_last=and_last)

    def from_until(self, kw: Token, d1: Token, _until: Token | None, d2: Token | None) -> n.When:
        dates = (self._date(d1),) + ((self._date(d2),) if d2 is not None else ())
        return n.When("from", dates, self._span(kw))

    def until(self, kw: Token, d: Token) -> n.When:
        return n.When("until", (self._date(d),), self._span(kw))

    def working_days(self, kw: Token, _days: Token, *items: Token) -> n.When:
        dates = tuple(self._date(d) for d in items if d.type == "DATE")
        if not items:
            return n.When("every", (), self._span(kw), working_days=True)
        kind = {"BETWEEN": "between", "FROM": "from", "UNTIL": "until"}[items[0].type]
        return n.When(kind, dates, self._span(kw), working_days=True)

    def relative(self, kw: Token, *items: Any) -> n.When:
        toks = [x for x in items if isinstance(x, Token)]
        order = next(MEANINGS[t.type] for t in toks if t.type in ("FIRST", "LAST"))
        relation = next(MEANINGS[t.type] for t in toks if t.type in ("AFTER", "BEFORE"))
        counts = [t for t in toks if t.type == "INT"]
        count = int(plain(str(counts[0]))) if counts else 1
        holiday = items[-1]
        assert isinstance(holiday, n.HolidayRef)
        return n.When(
            "relative",
            (),
            self._span(kw),
            working_days=True,
            order=order,
            count=count,
            relation=relation,
            holiday=holiday,
        )

    def holiday_ref(self, *items: Any) -> n.HolidayRef:
        toks = [x for x in items if isinstance(x, Token)]
        first, year = toks[0], toks[-1]
        span = _join_spans(_tok_span(first, self.path), _tok_span(year, self.path))
        if first.type == "STRING":
            return n.HolidayRef(self._text(first).value, plain(str(year)), True, span)
        name = self._words(tuple(toks[:-1]))
        return n.HolidayRef(name.text, plain(str(year)), False, span)

    def in_regions(self, kw: Token, *regions: n.Name) -> n.Where:
        return n.Where(self._regions(regions, "IN"), self._span(kw))

    def nationwide(self, kw: Token) -> n.Where:
        return n.Where((), self._span(kw))

    def who(self, kw: Token, *agencies: n.Agency) -> n.Who:
        return n.Who(agencies, self._span(kw))

    def agency(self, tok: Token) -> n.Agency:
        if tok.type == "STRING":
            return n.Agency(None, self._text(tok).value, self._span(tok))
        return n.Agency(MEANINGS[tok.type], None, self._span(tok))

    def region_ref(self, tok: Token, more: tuple[Token, ...] | None = None) -> n.Name:
        """A province or region: a name of one or more words, a string or a code; a leading
        ``Provinsi``/``Province`` is dropped, inside quotes too."""
        if more:
            toks = (tok, *more)
            if any(t.line != tok.line for t in more):  # a name is written on one line (fmt keeps it so)
                words = " ".join(str(t) for t in toks)
                raise _Problem(
                    _tok_span(next(t for t in more if t.line != tok.line), self.path),
                    "E100",
                    msg("parse.name-across-lines", name=words),
                    msg("parse.hint.name-across-lines", name=words),
                )
            if str(tok).casefold() in _PROVINCE_WORDS:
                return self._words(toks[1:])
            return self._words(toks)
        ref = self._name(tok)
        if ref.quoted:
            first, _, rest = ref.text.strip().partition(" ")
            if first.casefold() in _PROVINCE_WORDS and rest.strip():
                return n.Name(rest.strip(), True, ref.span)
        return ref

    def constraint(self, group: n.Name, mode: Token, cmp: tuple[str, str], pct: Token) -> n.Constraint:
        text = "".join(plain(str(pct))[:-1].split())
        span = _tok_span(pct, self.path)
        shape = _THOUSANDS_SHAPE.fullmatch(text)
        if shape is not None:
            sep = shape.group(1)
            fix = f"{Decimal(text.replace(',', '.')).normalize():f}".replace(".", sep)
            if fix == text:  # no trailing zero to drop (12,125%): a fourth decimal shows it is one
                fix += "0"
            raise _Problem(
                span,
                "E103",
                msg("parse.ambiguous-percent", found=text + "%", sep=sep),
                msg("parse.hint.ambiguous-percent", fix=fix + "%"),
            )
        return n.Constraint(group, str(mode).upper(), cmp[0], text, cmp[1], _join_spans(group.span, span), span)

    def permission(self, group: n.Name, may: Token, mode: Token) -> n.Constraint:
        """``GROUP may MODE``: the share ``>= 0%`` with the permission flag (:class:`asnrules.nodes.Constraint`)."""
        spelling = " ".join(plain(str(may)).split()).lower()
        mode_span = _tok_span(mode, self.path)
        return n.Constraint(
            group, str(mode).upper(), ">=", "0", spelling, _join_spans(group.span, mode_span), mode_span, True
        )

    def employee(self, each: Token, *items: Any) -> n.EmployeeConstraint:
        """``each employee [in GROUP] MEASURE COMPARISON AMOUNT UNIT per WINDOW`` (LANGUAGE.md §12)."""
        group = next((x for x in items if isinstance(x, n.Name)), None)
        measure = next(x for x in items if isinstance(x, Token) and x.type in ("MODE", "LEAVE", "WORKS", "OVERTIME"))
        cmp = next(x for x in items if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], str))
        amount = next(x for x in items if isinstance(x, _Amount))
        unit = next(x for x in items if isinstance(x, Token) and x.type in ("DAYS", "HOURS"))
        assert isinstance(items[-1], Token)
        window = MEANINGS[items[-1].type]
        toks = [_tok_span(x, self.path) for x in items if isinstance(x, Token)]
        what = str(measure).upper() if measure.type == "MODE" else MEANINGS[measure.type]
        return n.EmployeeConstraint(
            group,
            what,
            cmp[0],
            amount.text,
            MEANINGS[unit.type],
            window,
            cmp[1],
            _join_spans(self._span(each), max([amount.span, *toks], key=lambda sp: (sp.end_line, sp.end_column))),
            amount.span,
        )

    def employee_group(self, tok: Token) -> n.Name:
        return self._name(tok)

    def employee_comparison(self, tok: Token) -> tuple[str, str]:
        return self.comparison(tok)

    def day_mode(self, tok: Token) -> str:
        return self.count_mode(tok)

    def measure(self, tok: Token) -> Token:
        return tok

    def window(self, tok: Token) -> Token:
        return tok  # its meaning is read by :meth:`employee`, which also needs where it ends

    def amount(self, tok: Token) -> _Amount:
        return _Amount(plain(str(tok)).replace(",", "."), _tok_span(tok, self.path))

    def day_amount(self, tok: Token) -> _Amount:
        return self.amount(tok)

    def group(self, tok: Token) -> n.Name:
        return self._name(tok)

    def comparison(self, tok: Token) -> tuple[str, str]:
        return MEANINGS[tok.type], " ".join(plain(str(tok)).replace("-", " ").split()).lower()

    # ---- declarations ----
    def category(self, kw: Token, name: Token, label: Token | None, *rest: Token | None) -> n.CategoryDecl:
        members = tuple(self._name(t) for t in rest if t is not None and t.type == "NAME")
        return n.CategoryDecl(
            self._name(name), self._text(label) if label is not None else None, members, self._span(kw)
        )

    def region(self, kw: Token, name: Token, label: Token | None, _eq: Token, *refs: n.Name) -> n.RegionDecl:
        return n.RegionDecl(
            self._name(name),
            self._text(label) if label is not None else None,
            self._regions(refs, "_COMMA"),
            self._span(kw),
        )

    def holiday(self, kw: Token, d: Token, s: Token, *rest: Any) -> n.CalendarDecl:
        regions = tuple(x for x in rest if isinstance(x, n.Name))
        return n.CalendarDecl(False, self._date(d), self._text(s), self._regions(regions, "IN"), self._span(kw))

    def working_day(self, kw: Token, d: Token, s: Token) -> n.CalendarDecl:
        return n.CalendarDecl(True, self._date(d), self._text(s), (), self._span(kw))

    def note(self, kw: Token, s: Token) -> n.Note:
        return n.Note(self._text(s), self._span(kw))

    def quote(self, kw: Token, s: Token) -> n.Note:
        return n.Note(self._text(s), self._span(kw), verbatim=True)

    def example(
        self,
        kw: Token,
        label: Token | None,
        _on: Token,
        d: Token,
        _in: Token | None,
        region: n.Name | None,
        who: n.Who | None,
        _colon: Token,
        *rest: Any,
    ) -> n.Example:
        counts = tuple(rest[:-1])
        if region is not None:
            self._regions((region,), "IN")
        return n.Example(
            self._text(label) if label is not None else None,
            self._date(d),
            region,
            who,
            counts,
            rest[-1],
            self._span(kw),
        )

    def employee_example(self, kw: Token, *items: Any) -> n.EmployeeExample:
        """``example [STRING] employee [CATEGORY] [in REGION] [for AGENCY] from DATE: DAYS -> OUTCOME``."""
        toks = [x for x in items if isinstance(x, Token)]
        label = next((t for t in toks if t.type == "STRING"), None)
        category = next((t for t in toks if t.type == "NAME"), None)
        region = next((x for x in items if isinstance(x, n.Name)), None)
        who = next((x for x in items if isinstance(x, n.Who)), None)
        day = next(t for t in toks if t.type == "DATE")
        days = tuple(x for x in items if isinstance(x, n.DayEntry))
        if region is not None:
            self._regions((region,), "IN")
        return n.EmployeeExample(
            self._text(label) if label is not None else None,
            self._name(category) if category is not None else None,
            region,
            who,
            self._date(day),
            days,
            items[-1],
            self._span(kw),
        )

    def day_entry(self, first: Any, *rest: Any) -> n.DayEntry:
        if isinstance(first, Token) and first.type == "NO_RECORD":
            return n.DayEntry(None, None, None, _tok_span(first, self.path))
        amounts = [x for x in rest if isinstance(x, _Amount)]
        hours = amounts[0].text if amounts else None
        overtime = amounts[1].text if len(amounts) > 1 else None
        return n.DayEntry(first, hours, overtime, amounts[0].span if amounts else n.NOWHERE)

    def count(self, group: n.Name, *pairs: Any) -> n.Count:
        entries = tuple((pairs[i], int(pairs[i + 1])) for i in range(0, len(pairs), 2))
        return n.Count(group, entries, group.span)

    def count_mode(self, tok: Token) -> str:
        return MEANINGS[tok.type] if tok.type == "LEAVE" else str(tok).upper()

    def outcome(self, tok: Token) -> str:
        return MEANINGS[tok.type]


_lock = threading.Lock()


def _callbacks(build: _Build) -> SimpleNamespace:
    """The callbacks as Lark calls them, with the children in one list. (Lark's ``v_args(inline=True)``
    does the same through two more calls per reduction, a sixth of the parse.)"""
    out = SimpleNamespace()
    for name, f in vars(_Build).items():
        if callable(f) and not name.startswith("_"):
            setattr(out, name, _spread(getattr(build, name)))
    return out


def _spread(f: Callable[..., Any]) -> Callable[[list[Any]], Any]:
    return lambda children: f(*children)


@functools.cache
def _parser() -> tuple[Lark, _Build]:
    build = _Build()
    lark = Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        transformer=_callbacks(build),
        maybe_placeholders=True,
        propagate_positions=False,
    )
    return lark, build


@functools.cache
def raw_parser() -> Lark:
    """The plain Lark parser of the same grammar (no node building); used by benchmarks and tests."""
    return Lark(grammar_text(), parser="lalr", lexer="contextual", maybe_placeholders=True)


def parse(text: str, path: str = "<input>") -> n.File:
    """Parse one rule file. Raises :class:`RulesError` (code E100–E103) on a syntax error."""
    lark, build = _parser()
    comments: list[n.Comment] = []

    with _lock:
        build.path = path
        try:
            statements: list[n.Statement] = lark.parse(text)  # type: ignore[assignment]
        except _Problem as p:
            raise RulesError([_diag(text, p.span, p.code, p.message, p.suggestion)]) from None
        except UnexpectedInput as e:
            raise RulesError([_syntax_diagnostic(text, path, e)]) from None
        except LarkError as e:  # pragma: no cover - any other Lark failure is still ours to report
            span = Span(path, 1, 1, 1, 1)
            raise RulesError([_diag(text, span, "E100", msg("parse.unreadable", error=str(e)))]) from None
    for line_no, line in enumerate(text.splitlines(), 1):
        if "#" in line:
            comments.extend(_comments_in(line, line_no, path))
    return n.File(path, tuple(statements), tuple(comments))


def _comments_in(line: str, line_no: int, path: str) -> list[n.Comment]:
    """The comment on one line, if any (a ``#`` outside quotes, plain or typographic)."""
    closer: str | None = None  # the quotes that close the text being read, if any
    i = 0
    while i < len(line):
        ch = line[i]
        if closer is not None and ch == "\\":
            i += 2
            continue
        if closer is None and ch == '"':
            # a plain quote is closed by a plain one, or failing that by a typographic one
            closer = '"' if '"' in line[i + 1 :] else '"\u201d'
        elif closer is None and ch in QUOTES:
            closer = '"\u201c\u201d'
        elif closer is not None and ch in closer:
            closer = None
        elif ch == "#" and closer is None:
            text = line[i:].rstrip()
            return [n.Comment(text, Span(path, line_no, i + 1, line_no, i + 1 + len(text)))]
        i += 1
    return []


def _diag(text: str, span: Span, code: str, message: Msg, suggestion: Msg | None = None) -> Diagnostic:
    d = Diagnostic.at(span, code, message, suggestion=suggestion)
    return dataclasses.replace(d, excerpt=caret_excerpt(text, span.line, span.column))


# ---- syntax errors in words ---------------------------------------------------------------------
# Every text is a message of the catalogue (parse.toml); the keywords it names are Kw objects,
# spelled in the language the diagnostic is worded in.

#: How a terminal is named in a list of what was expected (those never listed with others, such as
#: PERCENT, ';', '->' or the end of the file, which have a phrase of their own, are named as written).
_WORDS = {
    "DATE": "parse.word.date",
    "INT": "parse.word.int",
    "DECIMAL": "parse.word.decimal",
    "STRING": "parse.word.string",
    "NAME": "parse.word.name",
}
_AS_WRITTEN = {
    "NO_RECORD": "'-'",
    "COLON": "':'",
    "_COMMA": "','",
    "_SEMI": "';'",
    "_ARROW": "'->'",
    "PERCENT": "'50%'",
    "$END": "$END",
}
_SYMBOL = {s.terminal: s for s in SYMBOLS}
_COMPARISON_WORDS = frozenset(terminals("comparison"))
# `=` is a comparison, and also joins a declaration to its members
_COMPARISON_ONLY = _COMPARISON_WORDS | {s.terminal for s in SYMBOLS if s.terminal != "EQ"}
_COMPARISONS = _COMPARISON_ONLY | {"EQ"}
_OUTCOMES = frozenset(terminals("outcome"))
_MODES = frozenset({"MODE", *terminals("count"), *terminals("permission")})
_SCOPE = frozenset(terminals("scope"))
_STATEMENT_STARTS = frozenset(terminals("statement", "scope"))
_ATTRIBUTES = frozenset(terminals("attribute"))
#: Keywords that only start a statement (not a part of a rule's scope).
_STATEMENT_ONLY = frozenset(terminals("statement")) - {"RULE"}
_WHEN = frozenset({"BETWEEN", "ON", "FROM", "UNTIL"})
_WHERE = frozenset({"IN", "NATIONWIDE"})
_INSTRUMENTS = ("CIRCULAR", "REGULATION", "INSTRUCTION", "DECREE")
#: Keywords that a drafter may write where the parser reads a name (after ',' or 'rule').
_KEYWORD_WORDS = frozenset(
    s.casefold() for t in _STATEMENT_STARTS for s in keyword(t).spellings() if len(s.split()) == 1
)
_MODE_WORDS = frozenset(m.casefold() for m in MODES)
_COMPARISON_SPELLINGS = frozenset(s.casefold() for t in terminals("comparison") for s in keyword(t).spellings())
#: ``s.d.``, ``s/d``: the abbreviations of ``sampai dengan`` (until) in Indonesian texts.
#: Each spelling of an instrument keyword (``surat edaran``) → its terminal.
_INSTRUMENT_BY_WORD = {
    " ".join(sp.casefold().replace("-", " ").split()): t for t in _INSTRUMENTS for sp in keyword(t).spellings()
}
#: A line that opens a header and an unquoted name: what precedes a sign the name cannot hold.
_UNQUOTED_HEADER = re.compile(
    r"\s*("
    + "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in sorted(_INSTRUMENT_BY_WORD, key=len, reverse=True))
    + r")\s+[^\s\"“”„]+$",
    re.I,
)
_SAMPAI_DENGAN = re.compile(r"s[ \t]?[./][ \t]?d(?:\.|(?![\w-]))", re.I)


def _quoted(terminal: str) -> Msg:
    return msg("parse.quoted", word=Kw(terminal))


def _or(items: list[Any]) -> Join:
    return Join(tuple(items), "or")


def _modes_phrase() -> Msg:
    return msg("parse.word.mode", modes=_or(list(MODES)))


def _comparison_phrase() -> Msg:
    words: list[Any] = [s.spellings[0] for s in SYMBOLS] + [Kw(t) for t in terminals("comparison")]
    return msg("parse.word.comparison", comparisons=_or(words))


def _outcome_phrase() -> Msg:
    return msg("parse.word.outcome", outcomes=_or([Kw(t) for t in terminals("outcome")]))


def _alternatives(expected: set[str]) -> list[Any]:
    words: list[Any] = []
    comparisons = bool(expected & _COMPARISON_ONLY)
    if comparisons:
        words.append(_comparison_phrase())
    if expected & _OUTCOMES:
        words.append(_outcome_phrase())
    if {"NAME", "ALL"} <= expected:
        words.append(msg("parse.word.category"))
        expected = expected - {"NAME", "ALL"}
    for name in sorted(expected, key=lambda t: (t.startswith("$"), t)):
        if (comparisons and name in _COMPARISONS) or name in _OUTCOMES:
            continue
        if name == "MODE":
            words.append(_modes_phrase())
        elif name in _SYMBOL:
            words.append(f"'{_SYMBOL[name].spellings[0]}'")
        elif name in MEANINGS:
            words.append(_quoted(name))
        elif name in _WORDS:
            words.append(msg(_WORDS[name]))
        else:  # pragma: no cover - every terminal of the grammar is named above
            words.append(_AS_WRITTEN.get(name, name.lower()))
    return words


def _expected_phrase(expected: set[str], lang: str | None = None) -> tuple[Msg, Msg | None]:
    """What was expected, in words, and a hint; special cases first, then a plain list. (``lang``
    is not used: the messages are worded where they are shown.)"""
    if expected & _STATEMENT_ONLY:  # between two statements (a rule may start with its scope)
        others = [_quoted(t) for t in terminals("statement") if t not in ("RULE", *_INSTRUMENTS[1:])]
        return msg("parse.statement-start-list", others=_or(others)), None
    if "COLON" in expected and expected & _SCOPE:
        return msg("parse.colon-after-scope"), msg("parse.hint.rule-shape")
    if expected and expected <= _MODES:
        return msg("parse.mode-after-category", mode=_modes_phrase()), msg("parse.hint.constraint-example")
    if expected and expected <= _COMPARISONS and expected & _COMPARISON_ONLY:
        return (
            msg("parse.comparison-after-mode", comparison=_comparison_phrase()),
            msg("parse.hint.constraint-example"),
        )
    if expected == {"PERCENT"}:
        return msg("parse.percent-after-comparison"), None
    if expected == {"PER"}:
        return msg("parse.expected", what=_or(_alternatives(expected))), msg("parse.hint.employee-window")
    if {"WORKS", "OVERTIME"} <= expected or expected >= {"DAYS", "HOURS"}:
        return msg("parse.expected", what=_or(_alternatives(expected))), msg("parse.hint.employee-shape")
    if expected == {"AND"}:
        return msg("parse.expected-and"), None
    if expected == {"DATE"}:
        return msg("parse.expected-date"), None
    if expected and expected <= _OUTCOMES:
        return msg("parse.outcome-after-arrow", outcome=_outcome_phrase()), None
    if "_ARROW" in expected:
        endings = [msg("parse.arrow-outcome", outcome=Kw(t)) for t in terminals("outcome")]
        return msg("parse.arrow-at-end"), msg("parse.hint.example-ends", endings=_or(endings))
    if expected and expected <= _STATEMENT_STARTS | _ATTRIBUTES | {"$END", "COLON", "UNCONFIRMED", "BY"}:
        others = [_quoted(t) for t in terminals("statement") if t not in ("RULE", *_INSTRUMENTS[1:])]
        return msg("parse.statement-start-list", others=_or(others)), None
    return msg("parse.expected", what=_or(_alternatives(expected))), None


def _found(phrase: Msg, tok: Token) -> Msg:
    """``PHRASE, found 'x'`` (the token as written)."""
    if tok.type == "$END":
        return msg("parse.found-end", expected=phrase)
    if tok.type == "STRING":
        return msg("parse.found-text", expected=phrase, value=str(tok))
    return msg("parse.found", expected=phrase, token=str(tok))


def _end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


_STATEMENT_NODES = (n.Header, n.Rule, n.CategoryDecl, n.RegionDecl, n.Note, n.Example, list)


def _stack(e: UnexpectedToken) -> list[Any]:
    parser = getattr(e, "interactive_parser", None)
    return list(getattr(getattr(parser, "parser_state", None), "value_stack", None) or [])


def _is_tree(item: Any) -> bool:
    return type(item).__name__ == "Tree"


def _statements_so_far(item: Any) -> bool:
    """Whether a value of the parser's stack holds whole statements (the file read so far)."""
    return isinstance(item, _STATEMENT_NODES) or (_is_tree(item) and str(item.data).startswith("__start"))


def _flat(item: Any) -> list[Any]:
    """A value of the parser's stack with the trees of inlined rules (``_instrument``, ``NAME+``...)
    opened into their children."""
    if _is_tree(item):
        return [x for child in item.children for x in _flat(child)]
    return [item]


def _current_statement(e: UnexpectedToken) -> list[Any]:
    """What the parser has read of the statement it was in when it stopped."""
    items: list[Any] = []
    for item in reversed(_stack(e)):
        if _statements_so_far(item):
            break
        items[:0] = _flat(item)
    return items


def _last_header(e: UnexpectedToken) -> n.Header | None:
    """The header of the instrument being read, if the file has one before the error."""
    headers = [x for item in _stack(e) for x in _flat(item) if isinstance(x, n.Header)]
    return headers[-1] if headers else None


def _types(items: list[Any]) -> list[str]:
    return [i.type if isinstance(i, Token) else type(i).__name__ for i in items]


def _trailing_names(items: list[Any]) -> tuple[str, list[Token]]:
    """The NAME tokens at the end of ``items`` (a province of several words being read) and the
    token before them (``IN``, ``_COMMA``...)."""
    names: list[Token] = []
    for item in reversed(items):
        if isinstance(item, Token) and item.type == "NAME":
            names.append(item)
        else:
            before = item.type if isinstance(item, Token) else type(item).__name__
            return before, names[::-1]
    return "", names[::-1]


_EMPLOYEE_WORDS = frozenset(s.casefold() for t in ("EMPLOYEE", "EACH_EMPLOYEE") for s in keyword(t).spellings())


def _employee_word(items: list[Any]) -> n.Name | None:
    """The group of the constraint being read when it is a word for "employee" (``pegawai``), else ``None``."""
    for item in reversed(items):
        if isinstance(item, n.Name):
            return item if item.text.casefold() in _EMPLOYEE_WORDS else None
        if isinstance(item, Token) and item.type in ("COLON", "_SEMI", "_COMMA"):
            return None
    return None


def _at(path: str, tok: Token) -> Span:
    line, col = tok.line or 1, tok.column or 1
    return Span(path, line, col, line, col + max(1, len(str(tok))))


Found = tuple[Span, str, Msg, Msg | None]


def _in_context(e: UnexpectedToken, path: str = "<input>", text: str = "") -> Found | None:
    """Phrasing that depends on the statement being read, or ``None`` to fall back on the expected
    set: the position, code, message (whole) and hint."""
    items = _current_statement(e)
    tok = e.token
    types = _types(items)
    last = items[-1] if items else None
    here = _at(path, tok)

    # a province of several words that swallowed what follows it: a missing ':' (`in DKI admin WFH
    # <= 50%`) or the parts of a scope out of order (`in DKI between ...`)
    before, names = _trailing_names(items)
    if names and before in ("IN", "_COMMA", "EQ"):
        for i, word in enumerate(names):
            folded = str(word).casefold()
            if i and folded in _MODE_WORDS:
                phrase = "parse.example-colon" if "EXAMPLE" in types else "parse.colon-after-scope"
                hint = "parse.hint.example-shape" if "EXAMPLE" in types else "parse.hint.rule-shape"
                return _at(path, names[i - 1]), "E100", _found(msg(phrase), names[i - 1]), msg(hint)
            if i and folded in _KEYWORD_WORDS:
                return (
                    _at(path, word),
                    "E100",
                    msg("parse.scope-order", word=str(word)),
                    msg("parse.hint.scope-order"),
                )

    if "COLON" not in types and (
        (tok.type in _WHEN and {"IN", "NATIONWIDE", "FOR", "Where", "Who"} & set(types))
        or (tok.type in _WHERE and {"FOR", "Who"} & set(types))
    ):
        return here, "E100", msg("parse.scope-order", word=str(tok)), msg("parse.hint.scope-order")
    group = str(last) if isinstance(last, Token) and last.type == "NAME" else None
    if "EXAMPLE" in types and group is not None and group.casefold() in _MODE_WORDS and types[-2:-1] == ["_SEMI"]:
        # `admin WFH 6; WFO 4`: the mode after ';' read as a category; the modes of one category take ','
        return _at(path, last), "E100", msg("parse.example-modes-comma"), msg("parse.hint.example-modes-comma")  # type: ignore[arg-type]
    if group is not None and e.expected and set(e.expected) <= _MODES and "COLON" in types:
        # the category left out: `nasional: WFH paling banyak 50%`, `nasional: paling banyak 50%`
        written = f"{group} {tok}" if tok.type == "NAME" else group
        if group.casefold() in _MODE_WORDS or " ".join(written.casefold().split()) in _COMPARISON_SPELLINGS:
            return (
                _at(path, last),  # type: ignore[arg-type]
                "E100",
                msg("parse.category-missing", word=written, category=msg("parse.word.category")),
                msg("parse.hint.constraint-example"),
            )
    if tok.type == "AND" and types and types[-1] in ("Constraint", "PERCENT"):
        # `semua WFH tepat 50% dan semua WFO tepat 50%`
        return here, "E100", _found(msg("parse.constraint-separator"), tok), msg("parse.hint.constraint-separator")
    if tok.type == "UNTIL" and "ON" in types and types[-1:] == ["DATE"]:
        # `pada D sampai D`: a list of days has no 'until'; a period is 'antara D dan D'
        return here, "E100", msg("parse.on-until"), msg("parse.hint.between-or-from", date=str(last))
    if "EXAMPLE" in types and tok.type == "NATIONWIDE":
        return here, "E100", msg("parse.example-nationwide"), msg("parse.hint.example-shape")
    if tok.type == "AND" and "EXAMPLE" in types and "COLON" in types:
        return here, "E100", msg("parse.and-in-list", items=msg("parse.word.counts")), msg("parse.hint.comma-instead")
    if "EXAMPLE" in types and tok.type == "HOURS":  # `WFO 8 jam`
        return (
            here,
            "E100",
            _found(msg("parse.expected", what=_or(_alternatives(set(e.expected)))), tok),
            msg("parse.hint.example-hours"),
        )
    if "EXAMPLE" in types and tok.type == "PERCENT" and "INT" in e.expected:
        return here, "E100", _found(msg("parse.expected", what=msg("parse.word.int")), tok), msg("parse.hint.counts")
    previous = _previous_statement(e)
    if (
        isinstance(previous, n.Header)
        and previous.attributes
        and previous.attributes[-1].kind == "effective"
        and items
        and _line_of(items[0]) == previous.attributes[-1].span.line
        and (
            (isinstance(items[0], Token) and items[0].type == "UNTIL")
            or (isinstance(items[0], n.When) and items[0].kind == "until")
        )
    ):
        start = _at(path, items[0]) if isinstance(items[0], Token) else items[0].span
        return start, "E100", msg("parse.header-attribute-one-date"), msg("parse.hint.effective-one-date")
    if "EXAMPLE" in types:
        if "COLON" not in types and "COLON" in e.expected:
            return here, "E100", _found(msg("parse.example-colon"), tok), msg("parse.hint.example-shape")
        return None
    if tok.type == "AND" and "_COMMA" in e.expected and "COLON" not in types:
        listed = "parse.word.provinces" if types[-1:] == ["Name"] or "IN" in types[-3:] else "parse.word.agencies"
        return here, "E100", msg("parse.and-in-list", items=msg(listed)), msg("parse.hint.comma-instead")
    if types and types[-1] in ("Constraint", "PERCENT") and str(tok).casefold() in _SHARE_WORDS:
        rest = re.compile(r"[^;,\n#]*").match(text, tok.start_pos or 0)
        words = " ".join((rest.group(0) if rest else str(tok)).split())
        return here, "E100", msg("parse.after-percent", words=words), msg("parse.hint.remove", words=words)
    if tok.type in ("UNTIL", "AND") and (types[-2:] == ["EFFECTIVE", "DATE"] or _last_attribute(items) == "effective"):
        return here, "E100", _found(msg("parse.header-attribute-one-date"), tok), msg("parse.hint.effective-one-date")
    if types and types[-1] in ("Constraint", "PERCENT") and tok.type in ("NAME", "ALL"):
        return (
            here,
            "E100",
            _found(msg("parse.constraint-separator"), tok),
            msg("parse.hint.constraint-separator"),
        )
    if types and types[-1] == "_SEMI" and tok.type == "_SEMI":
        return here, "E100", _found(msg("parse.constraint-after-semicolon"), tok), msg("parse.hint.remove-semicolon")
    if tok.type == "UNCONFIRMED":
        return here, "E100", msg("parse.unconfirmed-place"), msg("parse.hint.unconfirmed")
    if tok.type in _ATTRIBUTES and "TITLE" not in e.expected:
        header = _last_header(e)
        attribute = Kw(tok.type)
        if header is None:
            return (
                here,
                "E100",
                msg("parse.attribute-out-of-header", kw=attribute),
                msg("parse.hint.needs-header", kw=attribute),
            )
        name = f'"{header.name.text}"' if header.name.quoted else header.name.text
        line = msg("parse.header-line", kind=Kw(_instrument_terminal(header.kind)), name=name)
        return (
            here,
            "E100",
            msg("parse.attribute-out-of-header", kw=attribute),
            msg("parse.hint.attribute-place", line=line),
        )
    if types and types[0] in _INSTRUMENTS and "TITLE" in e.expected:
        attributes = _or([Kw(t) for t in terminals("attribute")])
        if len(items) == 2 and tok.type in ("NAME", "INT", "STRING", "PERCENT", "DATE"):
            kind = Kw(types[0])
            return (
                here,
                "E100",
                _found(msg("parse.header-attribute-after-name", attributes=attributes, kind=kind), tok),
                msg("parse.hint.quote-name", kind=kind),
            )
        return here, "E100", _found(msg("parse.header-attribute", attributes=attributes), tok), None
    if (
        len(items) >= 2
        and isinstance(last, Token)
        and last.type == "NAME"
        and isinstance(items[-2], Token)
        and items[-2].type == "_COMMA"
        and str(last).casefold() in _KEYWORD_WORDS
    ):
        return (
            _at(path, last),
            "E100",
            msg("parse.keyword-after-comma", word=str(last)),
            msg("parse.hint.remove-comma", word=str(last)),
        )
    if types == ["RULE"] and tok.type in ("INT", "DATE", "PERCENT"):
        return here, "E100", _found(msg("parse.label-expected"), tok), msg("parse.hint.label-letter", found=str(tok))
    label = last.text if isinstance(last, n.Name) else str(last) if isinstance(last, Token) else ""
    if len(items) == 2 and types[0] == "RULE" and label.casefold() in _KEYWORD_WORDS:
        return here, "E100", msg("parse.keyword-as-label", word=label), msg("parse.hint.label-first", word=label)
    abbreviation = _SAMPAI_DENGAN.match(text, tok.start_pos or 0) if tok.type == "NAME" else None
    if types[-2:] in (["BETWEEN", "DATE"], ["FROM", "DATE"]) and abbreviation is not None:
        span = Span(path, here.line, here.column, here.line, here.column + len(abbreviation.group(0)))
        return (
            span,
            "E100",
            msg("parse.abbreviated-until", found=abbreviation.group(0)),
            msg("parse.hint.between-or-from", date=str(last)),
        )
    if "COLON" in e.expected and "FOR" in types and "EXAMPLE" not in types and "COLON" not in types:
        return here, "E100", _found(msg("parse.colon-after-scope"), tok), msg("parse.hint.rule-shape")
    if types[-2:] == ["BETWEEN", "DATE"] and tok.type == "UNTIL":
        return here, "E100", _found(msg("parse.expected-and"), tok), msg("parse.hint.between-or-from", date=str(last))
    if types[-2:] == ["FROM", "DATE"] and tok.type == "AND":
        return (
            here,
            "E100",
            _found(msg("parse.expected", what=_quoted("UNTIL")), tok),
            msg("parse.hint.between-or-from", date=str(last)),
        )
    if types and types[-1] == "DATE" and tok.type == "DATE" and "_COMMA" in e.expected:
        return here, "E100", _found(msg("parse.date-list-sep"), tok), None
    if not items and tok.type in ("NAME", "ALL"):
        return here, "E100", _found(msg("parse.statement-start"), tok), msg("parse.hint.scope-first")
    return None


def _line_of(item: Any) -> int:
    if isinstance(item, Token):
        return item.line or 0
    span = getattr(item, "span", None)
    return span.line if isinstance(span, Span) else 0


def _previous_statement(e: UnexpectedToken) -> Any:
    """The last whole statement read before the one the parser stopped in, if any."""
    flat = [x for item in _stack(e) for x in _flat(item)]
    done = [x for x in flat if isinstance(x, _STATEMENT_NODES) and not isinstance(x, list)]
    return done[-1] if done else None


def _last_attribute(items: list[Any]) -> str | None:
    last = items[-1] if items else None
    return last.kind if isinstance(last, n.Attribute) else None


def _instrument_terminal(kind: str) -> str:
    return next((t for t in _INSTRUMENTS if MEANINGS[t] == kind), "CIRCULAR")


# ---- common slips, read from the text at the error (LANGUAGE.md §14) ---------------------------------

_MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "february", "pebruari", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "agu", "agt", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
_DAY_NAMES = (
    r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
)
_DASH = "[-\u2010-\u2013\u2212]"
_SPACE = "[ \t\u00a0\u2007\u2009\u202f]"
_MONTH = "(?P<month>[^\\W\\d_]+)\\.?"
_DATE_SLIPS = (
    # 28/08/2023, 28-08-2023, 28.08.2023
    (
        "figures",
        re.compile(rf"(?P<day>\d{{1,2}})(?P<sep>[/.]|{_DASH})(?P<mon>\d{{1,2}})(?P=sep)(?P<year>\d{{4}})(?![\w])"),
    ),
    # 2023/08/28, 2023.08.28
    ("figures", re.compile(r"(?P<year>\d{4})(?P<sep>[/.])(?P<mon>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\w])")),
    # [Senin,] 28 Agustus 2023
    (
        "words",
        re.compile(
            rf"(?:{_DAY_NAMES},?{_SPACE}+)?(?P<day>\d{{1,2}}){_SPACE}+{_MONTH}{_SPACE}+(?P<year>\d{{4}})(?![\w])", re.I
        ),
    ),
    # August 28, 2023
    (
        "words",
        re.compile(
            rf"(?:{_DAY_NAMES},?{_SPACE}+)?{_MONTH}{_SPACE}+(?P<day>\d{{1,2}}),?{_SPACE}+(?P<year>\d{{4}})(?![\w])",
            re.I,
        ),
    ),
)
#: ``2024-04-16–2024-04-17``: a period written as a range.
_DATE_RANGE = re.compile(
    rf"(\d{{4}}{_DASH}\d{{2}}{_DASH}\d{{2}}){_SPACE}*(?:{_DASH}|\u2014|/){_SPACE}*(\d{{4}}{_DASH}\d{{2}}{_DASH}\d{{2}})"
)
_PERCENT_WORD = re.compile(
    rf"(?P<number>\d+(?:[.,]\d+)?){_SPACE}*(?P<word>persen|prosen|percent|per{_SPACE}?cent|pct)(?![\w-])", re.I
)
_COMPARISON_SLIPS = {
    **dict.fromkeys(("maksimal", "maksimum", "maks", "max", "maximum", "maximal", "paling tinggi"), "AT_MOST"),
    **dict.fromkeys(("sebanyak-banyaknya", "setinggi-tingginya", "tidak lebih dari"), "AT_MOST"),
    **dict.fromkeys(("minimal", "minimum", "min", "paling rendah", "sekurang-kurangnya"), "AT_LEAST"),
    **dict.fromkeys(("sedikitnya", "tidak kurang dari"), "AT_LEAST"),
    **dict.fromkeys(("sebesar", "sama dengan", "persis"), "EXACTLY"),
    # the wording of SE MenPANRB 17/2023: "sama dengan atau lebih dari 50 persen"
    **dict.fromkeys(("sama dengan atau lebih dari", "lebih dari atau sama dengan"), "AT_LEAST"),
    **dict.fromkeys(("sama dengan atau kurang dari", "kurang dari atau sama dengan"), "AT_MOST"),
    **dict.fromkeys(("lebih dari", "more than", "greater than"), "GT"),
    **dict.fromkeys(("kurang dari", "less than", "fewer than"), "LT"),
}
_OUTCOME_SLIPS = {
    **dict.fromkeys(
        ("langgar", "melanggar", "tidak patuh", "violated", "violates", "fail", "fails", "failed"), "VIOLATION"
    ),
    **dict.fromkeys(("gagal", "breach", "tidak sesuai", "menyalahi"), "VIOLATION"),
    **dict.fromkeys(("sesuai", "taat", "memenuhi", "ok", "pass", "passes", "passed", "lulus", "comply"), "COMPLIANT"),
    **dict.fromkeys(("complies",), "COMPLIANT"),
    **dict.fromkeys(("tidak berlaku", "tak diatur", "none", "not covered"), "UNCOVERED"),
}
#: Words a drafter copies after a percentage from the circular's text ("50% dari jumlah pegawai").
_SHARE_WORDS = frozenset({"dari", "of", "from", "pegawai", "staff", "employees", "jumlah", "total"})
_AGENCY_WORDS = frozenset({"instansi", "agency", "agencies", "asn", "pns", "pegawai", "pemerintah", "government"})
_DATE_WORDS = frozenset({"tanggal", "tgl", "date", "hari"})


def _iso(year: int, month: int, day: int) -> str | None:
    import datetime as dt

    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _date_slip(text: str, pos: int, path: str, line: int, col: int) -> Found | None:
    """A date written otherwise than YYYY-MM-DD at ``pos``: the message and the ISO date to write."""
    for kind, pattern in _DATE_SLIPS:
        m = pattern.match(text, pos)
        if m is None:
            continue
        if kind == "words":
            month = _MONTHS.get(m.group("month").casefold())
            if month is None:
                continue
        else:
            month = int(plain(m.group("mon")))
        day, year = int(plain(m.group("day"))), int(plain(m.group("year")))
        fix = _iso(year, month, day)
        if fix is None and kind == "figures":
            fix = _iso(year, day, month)  # 08/28/2023, month first
        found = " ".join(m.group(0).split())
        span = Span(path, line, col, line, col + len(m.group(0)))
        message = msg("parse.date-words" if kind == "words" else "parse.date-figures", found=found)
        hint = msg("parse.hint.write", fix=fix) if fix else msg("parse.hint.date-format")
        return span, "E100", message, hint
    return None


_WORD_RUN = r"[^\W\d_][\w-]*(?:[ \t]+[^\W\d_][\w-]*)"


def _original_words(text: str, pos: int, count: int) -> str:
    """The ``count`` words of ``text`` from ``pos``, as written with blanks made one space (fewer
    when fewer follow one another)."""
    m = re.compile(_WORD_RUN + "{0," + str(count - 1) + "}").match(text, pos)
    return " ".join(m.group(0).split()) if m else ""


def _words_at(text: str, pos: int, count: int) -> str:
    """The ``count`` words of ``text`` from ``pos`` that follow one another, lower case."""
    words = _original_words(text, pos, count)
    return words.casefold() if len(words.split()) == count else ""


def _date_after_on(text: str, path: str, pos: int, expected: set[str]) -> Found | None:
    """A date slip read as a number: after ``on``/``pada`` a number may start ``pada 2 hari kerja
    pertama ...`` (LANGUAGE.md §9), so ``pada 28/08/2023`` and ``pada 28 Agustus 2023`` stop the
    parser after the number, where only ``hari kerja`` can come. The slip is looked for where the
    number starts, as where a date was expected."""
    if expected != {"WORKING_DAYS"}:
        return None
    start = pos
    while start > 0 and text[start - 1] in " \t\u00a0":
        start -= 1
    digits = start
    while digits > 0 and plain(text[digits - 1]).isdigit():
        digits -= 1
    if digits == start:
        return None
    line = text.count("\n", 0, digits) + 1
    col = digits - (text.rfind("\n", 0, digits) + 1) + 1
    span_of = _DATE_RANGE.match(text, digits)
    if span_of is not None:
        d1, d2 = plain(span_of.group(1)), plain(span_of.group(2))
        span = Span(path, line, col, line, col + len(span_of.group(0)))
        return (
            span,
            "E100",
            msg("parse.date-range", found=span_of.group(0)),
            msg("parse.hint.date-range", start=d1, end=d2),
        )
    return _date_slip(text, digits, path, line, col)


def _slip(text: str, path: str, e: UnexpectedToken) -> Found | None:
    """A common slip at the token where the parser stopped, or ``None``."""
    tok = e.token
    if tok.type == "$END" or tok.start_pos is None:
        return None
    pos, line, col = tok.start_pos, tok.line or 1, tok.column or 1
    expected = set(e.expected)
    here = _at(path, tok)
    after_on = _date_after_on(text, path, pos, expected)
    if after_on is not None:
        return after_on
    if "DATE" in expected:
        span_of = _DATE_RANGE.match(text, pos)
        if span_of is not None:
            d1, d2 = plain(span_of.group(1)), plain(span_of.group(2))
            span = Span(path, line, col, line, col + len(span_of.group(0)))
            return (
                span,
                "E100",
                msg("parse.date-range", found=span_of.group(0)),
                msg("parse.hint.date-range", start=d1, end=d2),
            )
        found = _date_slip(text, pos, path, line, col)
        if found is not None:
            return found
        word = str(tok).casefold()
        if tok.type == "NAME" and word in _DATE_WORDS:
            after = re.compile(rf"{re.escape(str(tok))}{_SPACE}+([\d\-\u2010-\u2013\u2212/.]+\d)").match(text, pos)
            if after is not None:
                prev = e.token_history[-1] if e.token_history else None
                kw = str(prev) if prev is not None else ""
                fix = f"'{kw} {plain(after.group(1))}'".replace("' ", "'")
                return here, "E100", msg("parse.word-before-date", word=str(tok)), msg("parse.hint.write", fix=fix)
    if "PERCENT" in expected:
        m = _PERCENT_WORD.match(text, pos)
        if m is not None:
            span = Span(path, line, col, line, col + len(m.group(0)))
            fix = plain(m.group("number")) + "%"
            return span, "E100", msg("parse.percent-word", word=m.group("word")), msg("parse.hint.write", fix=fix)
        if tok.type in ("LT", "GT") and text[:pos].rstrip().endswith("="):
            start = text[:pos].rstrip()
            reversed_ = "=" + str(tok)
            fix = "<=" if tok.type == "LT" else ">="
            span = Span(path, line, col - (pos - len(start)) - 1, line, col + 1)
            meaning = Kw("AT_MOST" if tok.type == "LT" else "AT_LEAST")
            return (
                span,
                "E100",
                msg("parse.reversed-comparison", found=reversed_),
                msg("parse.hint.comparison", sym=fix, kw=meaning),
            )
        if tok.type == "INT":
            number = re.compile(r"\d+(?:[.,]\d+)?").match(text, pos)
            fix = plain(number.group(0) if number else str(tok)) + "%"
            return here, "E100", _found(msg("parse.percent-after-comparison"), tok), msg("parse.hint.write", fix=fix)
    if "_ARROW" in expected and text.startswith(("=>", ">"), pos):
        arrow = "=>" if text.startswith("=>", pos) else ">"
        return here, "E100", msg("parse.arrow-slip", found=arrow), msg("parse.hint.write", fix="'->'")
    if expected & _COMPARISON_ONLY and tok.type == "NAME":
        for count in (5, 3, 2, 1):
            slip = _COMPARISON_SLIPS.get(_words_at(text, pos, count))
            if slip is not None:
                phrase = msg("parse.comparison-after-mode", comparison=_comparison_phrase())
                written = msg("parse.found", expected=phrase, token=_original_words(text, pos, count))
                sym = next(s.spellings[0] for s in SYMBOLS if s.meaning == MEANINGS[slip])
                if slip in _SYMBOL:  # `lebih dari`: a symbol only
                    return here, "E100", written, msg("parse.hint.write", fix=f"'{sym}'")
                return here, "E100", written, msg("parse.hint.comparison-word", kw=Kw(slip), sym=sym)
    if expected and expected <= _OUTCOMES and tok.type == "NAME":
        for count in (2, 1):
            slip = _OUTCOME_SLIPS.get(_words_at(text, pos, count))
            if slip is not None:
                phrase = msg("parse.outcome-after-arrow", outcome=_outcome_phrase())
                return here, "E100", _found(phrase, tok), msg("parse.hint.outcome-word", kw=Kw(slip))
    if {"CENTRAL", "REGIONAL", "STRING"} <= expected and tok.type == "NAME":
        word = str(tok)
        phrase = msg(
            "parse.expected", what=_or([_quoted("CENTRAL"), _quoted("REGIONAL"), msg("parse.word.agency-name")])
        )
        level = next((t for t in ("CENTRAL", "REGIONAL") if _words_at(text, pos, 2).endswith(_level_words(t))), None)
        if word.casefold() in _AGENCY_WORDS and level is not None:
            return here, "E100", _found(phrase, tok), msg("parse.hint.agency-level", level=Kw(level), word=word)
        name = re.compile(r"[^\s:,;]+(?:[ \t]+[^\s:,;]+)*").match(text, pos)
        return here, "E100", _found(phrase, tok), msg("parse.hint.agency-name", name=name.group(0) if name else word)
    return None


@functools.cache
def _level_words(terminal: str) -> tuple[str, ...]:
    return tuple(" " + s.casefold() for s in keyword(terminal).spellings())


def _character(ch: str) -> str:
    """A character as a message names it: ``'@'``, or with its code and Unicode name when it is not
    plain ASCII (``'‘' (U+2018 LEFT SINGLE QUOTATION MARK)``)."""
    if ch.isascii() and ch.isprintable():
        return f"'{ch}'"
    described = f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()
    return f"'{ch}' ({described})" if ch.isprintable() and not ch.isspace() else described


#: Characters a drafter may paste for a plain one that the grammar does not read as it.
_PLAIN_FORMS = {
    "\u2018": '"',
    "\u2019": '"',
    "\u201a": '"',
    "'": '"',
    "\uff05": "%",
    "\uff1a": ":",
    "\uff1b": ";",
    "\uff0c": ",",
    "\u2192": "->",
}


def _digits_start(text: str, pos: int) -> int:
    """Where the run of digits that ends just before ``pos`` starts."""
    while pos > 0 and text[pos - 1].isdigit():
        pos -= 1
    return pos


def _syntax_diagnostic(text: str, path: str, e: UnexpectedInput, lang: str | None = None) -> Diagnostic:
    """The diagnostic of a Lark syntax error, built from messages of the catalogue (worded in English
    until :meth:`~asnrules.errors.Diagnostic.localised` words it in another language; ``lang`` is
    not used)."""
    if isinstance(e, UnexpectedToken) and e.token.type == "NO_RECORD" and "NO_RECORD" not in e.expected:
        # a '-' where no day of an employee example is read (`<= -5%`): a character out of place, as
        # before employee examples had one
        tok = e.token
        e = UnexpectedCharacters(  # type: ignore[no-untyped-call]
            text, tok.start_pos or 0, tok.line or 1, tok.column or 1, allowed=set(e.expected)
        )
    if isinstance(e, UnexpectedToken):
        tok = e.token
        if tok.type == "$END":
            line, col = _end_position(text)
            span = Span(path, line, col, line, col + 1)
        else:
            span = _at(path, tok)
        word = _employee_word(_current_statement(e)) if tok.type == "INT" and set(e.expected) == {"PERCENT"} else None
        if word is not None:  # `pegawai WFA paling banyak 2 hari per minggu`: the `setiap` left out
            found: Found | None = (
                word.span,
                "E100",
                msg("parse.employee-without-each", word=word.text),
                msg("parse.hint.employee-shape"),
            )
        else:
            found = _slip(text, path, e) or _in_context(e, path, text)
        if found is not None:
            where, code, message, help_ = found
            return _diag(text, where, code, message, help_)
        phrase, help_ = _expected_phrase(set(e.expected))
        if tok.type == "PERCENT" and "MODE" in e.expected:
            help_ = msg("parse.hint.mode-first")
        return _diag(text, span, "E100", _found(phrase, tok), help_)
    if isinstance(e, UnexpectedCharacters):
        line, col = e.line, e.column
        pos = e.pos_in_stream or 0
        ch = text[pos] if 0 <= pos < len(text) else ""
        span = Span(path, line, col, line, col + 1)
        allowed = set(e.allowed or ())
        if ch == '"' or ch in QUOTES:
            return _diag(text, span, "E101", msg("parse.unclosed-text"), msg("parse.hint.close-text"))
        if "DATE" in allowed:
            found = _date_slip(text, pos, path, line, col)
            if found is not None:
                return _diag(text, *found)
        found = _date_after_on(text, path, pos, allowed)
        if found is not None:
            return _diag(text, *found)
        if ch in "<>" and "PERCENT" in allowed and text[:pos].rstrip().endswith("="):
            fix = "<=" if ch == "<" else ">="
            kw = Kw("AT_MOST" if ch == "<" else "AT_LEAST")
            return _diag(
                text,
                span,
                "E100",
                msg("parse.reversed-comparison", found="=" + ch),
                msg("parse.hint.comparison", sym=fix, kw=kw),
            )
        if "_ARROW" in allowed and text.startswith("=>", pos):
            return _diag(text, span, "E100", msg("parse.arrow-slip", found="=>"), msg("parse.hint.write", fix="'->'"))
        hint: Msg | None = None
        grouped = re.compile(r"\d+(?:[.,]\d{3})+(?!\d)").match(text, _digits_start(text, pos))
        if ch in ".," and grouped is not None and "PERCENT" not in allowed:
            hint = msg("parse.hint.whole-number", fix=re.sub("[.,]", "", grouped.group(0)))
        elif ch == "." and not text[pos + 1 :].split("\n", 1)[0].split("#", 1)[0].strip():
            hint = msg("parse.hint.no-full-stop")
        elif ch == "%" and "_ARROW" in allowed:
            hint = msg("parse.hint.counts")
        elif ch == "%" and {"DAYS", "HOURS"} <= allowed:
            hint = msg("parse.hint.employee-amount")
        elif ch in "-\u2212" and "PERCENT" in allowed:
            hint = msg("parse.hint.negative")
        elif ch in ("\u2018", "\u2019", "\u201a", "'"):
            hint = msg("parse.hint.double-quotes")
        elif ch in _PLAIN_FORMS:
            hint = msg("parse.hint.plain-character", plain=_PLAIN_FORMS[ch])
        elif (header := _UNQUOTED_HEADER.match(text[text.rfind("\n", 0, pos) + 1 : pos])) is not None:
            # `surat edaran SE-MenPANRB-2/2025`: a name with a sign in it, unquoted
            kind = _INSTRUMENT_BY_WORD[" ".join(header.group(1).casefold().replace("-", " ").split())]
            hint = msg("parse.hint.quote-name", kind=Kw(kind))
        else:
            decomposed = unicodedata.normalize("NFKC", ch)
            if decomposed != ch and decomposed.isascii() and decomposed.strip():
                hint = msg("parse.hint.plain-character", plain=decomposed)
        if (hint is not None and hint.id in ("parse.hint.plain-character", "parse.hint.no-full-stop")) or not allowed:
            return _diag(text, span, "E103", msg("parse.bad-character", ch=_character(ch)), hint)
        phrase = _expected_phrase(allowed)[0]
        return _diag(text, span, "E103", msg("parse.bad-character-expected", ch=_character(ch), expected=phrase), hint)
    line, col = getattr(e, "line", 1) or 1, getattr(e, "column", 1) or 1  # pragma: no cover
    return _diag(text, Span(path, line, col, line, col + 1), "E100", msg("parse.unreadable", error=str(e)))
