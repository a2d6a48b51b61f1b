"""Text → syntax tree (:mod:`asnrules.nodes`), with syntax errors in words a drafter understands.

The grammar is ``grammar/asnrules.lark`` (shipped inside the package as ``asnrules/grammar``) with its
keyword terminals written from the keyword table (:mod:`asnrules.keywords`), which also gives the
meaning of each keyword and how the syntax-error messages name it. Lark builds the nodes directly
while parsing (an inline transformer on the LALR parser), so no intermediate parse tree is made.
Lark's exceptions never leave this module: they are turned into a :class:`~asnrules.errors.RulesError`
holding one diagnostic with line, column and a caret excerpt.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from lark import Lark, Token
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from . import nodes as n
from .errors import Diagnostic, RulesError, Span, caret_excerpt
from .keywords import MEANINGS, SYMBOLS, keyword, lark_terminals, spelling, terminals
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


class _Problem(Exception):
    """Raised inside the transformer; turned into a diagnostic by :func:`parse`."""

    def __init__(self, span: Span, code: str, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
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


class _Build:
    """Builds :mod:`asnrules.nodes` while the LALR parser reduces (one callback per grammar rule,
    taking the rule's children as arguments; see :func:`_callbacks`)."""

    path = "<input>"

    def _span(self, *items: Any) -> Span:
        return _first_span(items, self.path)

    def _text(self, tok: Token) -> n.Text:
        raw = str(tok)[1:-1]
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
                    raise _Problem(
                        span,
                        "E102",
                        f"'\\{esc}' is not a valid escape inside quotes",
                        'inside quotes write \\" for a quote, \\\\ for a backslash and \\n for a new line',
                    )
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
        return n.Name(str(tok), False, _tok_span(tok, self.path))

    def _date(self, tok: Token) -> n.DateLit:
        return n.DateLit(str(tok), _tok_span(tok, self.path))

    # ---- file and header ----
    def start(self, *statements: n.Statement) -> list[n.Statement]:
        return list(statements)

    def header(self, kw: Token, name: n.Name, *attributes: n.Attribute) -> n.Header:
        return n.Header(name, attributes, self._span(kw))

    def circular_name(self, tok: Token) -> n.Name:
        return self._name(tok)

    def title(self, kw: Token, s: Token) -> n.Attribute:
        return n.Attribute("title", (self._text(s),), None, self._span(kw))

    def issued(self, kw: Token, d: Token, _by: Token | None, s: Token | None) -> n.Attribute:
        return n.Attribute("issued", (self._date(d),), self._text(s) if s is not None else None, self._span(kw))

    def effective(self, kw: Token, d: Token) -> n.Attribute:
        return n.Attribute("effective", (self._date(d),), None, self._span(kw))

    def basis(self, kw: Token, *items: Token) -> n.Attribute:
        return n.Attribute("basis", tuple(self._text(s) for s in items), None, self._span(kw))

    def source(self, kw: Token, s: Token) -> n.Attribute:
        return n.Attribute("source", (self._text(s),), None, self._span(kw))

    def supersedes(self, kw: Token, *names: n.Name) -> n.Attribute:
        return n.Attribute("supersedes", names, None, self._span(kw))

    def overrides(self, kw: Token, *names: n.Name) -> n.Attribute:
        return n.Attribute("overrides", names, None, self._span(kw))

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
        return n.Rule(label, when, where, who, constraints, self._span(kw, label, when, where, who, colon))

    def label(self, tok: Token) -> n.Name:
        return self._name(tok)

    def between(self, kw: Token, d1: Token, _and: Token, d2: Token) -> n.When:
        return n.When("between", (self._date(d1), self._date(d2)), self._span(kw))

    def on_dates(self, kw: Token, *dates: Token) -> n.When:
        return n.When("on", tuple(self._date(d) for d in dates), self._span(kw))

    def from_until(self, kw: Token, d1: Token, _until: Token | None, d2: Token | None) -> n.When:
        dates = (self._date(d1),) + ((self._date(d2),) if d2 is not None else ())
        return n.When("from", dates, self._span(kw))

    def until(self, kw: Token, d: Token) -> n.When:
        return n.When("until", (self._date(d),), self._span(kw))

    def in_regions(self, kw: Token, *regions: n.Name) -> n.Where:
        return n.Where(regions, self._span(kw))

    def nationwide(self, kw: Token) -> n.Where:
        return n.Where((), self._span(kw))

    def who(self, kw: Token, *agencies: n.Agency) -> n.Who:
        return n.Who(agencies, self._span(kw))

    def agency(self, tok: Token) -> n.Agency:
        if tok.type == "STRING":
            return n.Agency(None, self._text(tok).value, self._span(tok))
        return n.Agency(MEANINGS[tok.type], None, self._span(tok))

    def region_ref(self, tok: Token) -> n.Name:
        return self._name(tok)

    def constraint(self, group: n.Name, mode: Token, cmp: tuple[str, str], pct: Token) -> n.Constraint:
        text = "".join(str(pct)[:-1].split())
        return n.Constraint(group, str(mode).upper(), cmp[0], text, cmp[1], group.span, _tok_span(pct, self.path))

    def group(self, tok: Token) -> n.Name:
        return self._name(tok)

    def comparison(self, tok: Token) -> tuple[str, str]:
        return MEANINGS[tok.type], " ".join(str(tok).replace("-", " ").split()).lower()

    # ---- declarations ----
    def category(self, kw: Token, name: Token, label: Token | None, *rest: Token | None) -> n.CategoryDecl:
        members = tuple(self._name(t) for t in rest if t is not None and t.type == "NAME")
        return n.CategoryDecl(
            self._name(name), self._text(label) if label is not None else None, members, self._span(kw)
        )

    def region(self, kw: Token, name: Token, label: Token | None, _eq: Token, *refs: n.Name) -> n.RegionDecl:
        return n.RegionDecl(self._name(name), self._text(label) if label is not None else None, refs, self._span(kw))

    def note(self, kw: Token, s: Token) -> n.Note:
        return n.Note(self._text(s), self._span(kw))

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
        return n.Example(
            self._text(label) if label is not None else None,
            self._date(d),
            region,
            who,
            counts,
            rest[-1],
            self._span(kw),
        )

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
            raise RulesError([_diag(text, Span(path, 1, 1, 1, 1), "E100", f"cannot read this file: {e}")]) from None
    for line_no, line in enumerate(text.splitlines(), 1):
        if "#" in line:
            comments.extend(_comments_in(line, line_no, path))
    return n.File(path, tuple(statements), tuple(comments))


def _comments_in(line: str, line_no: int, path: str) -> list[n.Comment]:
    """The comment on one line, if any (a ``#`` outside double quotes)."""
    in_string = False
    i = 0
    while i < len(line):
        ch = line[i]
        if in_string and ch == "\\":
            i += 2
            continue
        if ch == '"':
            in_string = not in_string
        elif ch == "#" and not in_string:
            text = line[i:].rstrip()
            return [n.Comment(text, Span(path, line_no, i + 1, line_no, i + 1 + len(text)))]
        i += 1
    return []


def _diag(text: str, span: Span, code: str, message: str, suggestion: str | None = None) -> Diagnostic:
    d = Diagnostic.at(span, code, message, suggestion=suggestion)
    return Diagnostic(
        d.path,
        d.line,
        d.column,
        d.code,
        d.severity,
        d.message,
        d.suggestion,
        (),
        caret_excerpt(text, span.line, span.column),
    )


# ---- syntax errors in words ---------------------------------------------------------------------
# The keywords and symbols a message names are spelled from the keyword table (asnrules.keywords),
# in ``lang``; the sentences around them are English for now.

_WORDS = {
    "DATE": "a date (YYYY-MM-DD)",
    "PERCENT": "a percentage such as 50%",
    "INT": "a whole number",
    "STRING": "a text in double quotes",
    "NAME": "a name",
    "COLON": "':'",
    "_COMMA": "','",
    "_SEMI": "';'",
    "_ARROW": "'->'",
    "$END": "the end of the file",
}
_SYMBOL = {s.terminal: s for s in SYMBOLS}
_COMPARISON_WORDS = frozenset(terminals("comparison"))
# `=` is a comparison, and also joins a declaration to its members
_COMPARISON_ONLY = _COMPARISON_WORDS | {s.terminal for s in SYMBOLS if s.terminal != "EQ"}
_COMPARISONS = _COMPARISON_ONLY | {"EQ"}
_OUTCOMES = frozenset(terminals("outcome"))
_MODES = frozenset({"MODE", *terminals("count")})
_SCOPE = frozenset(terminals("scope"))
_STATEMENT_STARTS = frozenset(terminals("statement", "scope"))
_ATTRIBUTES = frozenset(terminals("attribute"))
#: Keywords that a drafter may write where the parser reads a name (after ',' or 'rule').
_KEYWORD_WORDS = frozenset(
    s.casefold() for t in _STATEMENT_STARTS for s in keyword(t).spellings() if len(s.split()) == 1
)


def _kw(terminal: str, lang: str) -> str:
    return spelling(terminal, lang)


def _quoted(terminal: str, lang: str) -> str:
    return f"'{_kw(terminal, lang)}'"


def _join_or(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _modes_phrase() -> str:
    return f"a work mode ({_join_or(list(MODES))})"


def _comparison_phrase(lang: str) -> str:
    words = [s.spellings[0] for s in SYMBOLS] + [_kw(t, lang) for t in terminals("comparison")]
    return f"a comparison ({_join_or(words)})"


def _outcome_phrase(lang: str) -> str:
    return f"an outcome ({_join_or([_kw(t, lang) for t in terminals('outcome')])})"


def _rule_example(lang: str) -> str:
    """``'between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%'`` in ``lang``."""
    return f"'{_kw('BETWEEN', lang)} 2023-08-28 {_kw('AND', lang)} 2023-09-07 {_kw('IN', lang)} DKI: admin WFH <= 50%'"


def _alternatives(expected: set[str], lang: str = "en") -> list[str]:
    words: list[str] = []
    comparisons = bool(expected & _COMPARISON_ONLY)
    if comparisons:
        words.append(_comparison_phrase(lang))
    if expected & _OUTCOMES:
        words.append(_outcome_phrase(lang))
    if {"NAME", "ALL"} <= expected:
        words.append(f"a category (such as admin, frontline or {_kw('ALL', lang)})")
        expected = expected - {"NAME", "ALL"}
    for name in sorted(expected, key=lambda t: (t.startswith("$"), t)):
        if (comparisons and name in _COMPARISONS) or name in _OUTCOMES:
            continue
        if name == "MODE":
            words.append(_modes_phrase())
        elif name in _SYMBOL:
            words.append(f"'{_SYMBOL[name].spellings[0]}'")
        elif name in MEANINGS:
            words.append(_quoted(name, lang))
        else:
            words.append(_WORDS.get(name, name.lower()))
    return words


def _expected_phrase(expected: set[str], lang: str = "en") -> tuple[str, str | None]:
    """What was expected, in words, and a hint; special cases first, then a plain list."""
    if "COLON" in expected and expected & _SCOPE:
        return "expected ':' after the scope of the rule", (
            f"a rule is written SCOPE: CONSTRAINT, for example {_rule_example(lang)}"
        )
    if expected and expected <= _MODES:
        return f"expected {_modes_phrase()} after the category", "for example 'admin WFH <= 50%'"
    if expected and expected <= _COMPARISONS and expected & _COMPARISON_ONLY:
        return f"expected {_comparison_phrase(lang)} after the work mode", "for example 'admin WFH <= 50%'"
    if expected == {"PERCENT"}:
        return "expected a percentage such as 50% after the comparison", None
    if expected == {"AND"}:
        between, and_ = _kw("BETWEEN", lang), _kw("AND", lang)
        return f"expected '{and_}' between the two dates ('{between} DATE {and_} DATE')", None
    if expected == {"DATE"}:
        return "expected a date written YYYY-MM-DD", None
    if expected and expected <= _OUTCOMES:
        return f"expected {_outcome_phrase(lang)} after '->'", None
    if "_ARROW" in expected:
        outcomes = [f"'-> {_kw(t, lang)}'" for t in terminals("outcome")]
        return "expected '->' and the outcome at the end of the example", (f"an example ends with {_join_or(outcomes)}")
    if expected and expected <= _STATEMENT_STARTS | _ATTRIBUTES | {"$END", "COLON"}:
        others = ", ".join(_quoted(t, lang) for t in terminals("statement") if t != "RULE")
        return (
            f"expected the start of a statement (a rule such as '{_kw('BETWEEN', lang)} ... {_kw('IN', lang)} "
            f"...: ...', or {others})"
        ), None
    return "expected " + _join_or(_alternatives(expected, lang)), None


def _describe_token(tok: Token) -> str:
    if tok.type == "$END":
        return "the end of the file"
    value = str(tok)
    if tok.type == "STRING":
        return f"the text {value}"
    return f"'{value}'"


def _end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


_STATEMENT_NODES = (n.Header, n.Rule, n.CategoryDecl, n.RegionDecl, n.Note, n.Example, list)


def _current_statement(e: UnexpectedToken) -> list[Any]:
    """What the parser has read of the statement it was in when it stopped."""
    parser = getattr(e, "interactive_parser", None)
    stack = list(getattr(getattr(parser, "parser_state", None), "value_stack", None) or [])
    items: list[Any] = []
    for item in reversed(stack):
        if isinstance(item, _STATEMENT_NODES) or type(item).__name__ == "Tree":
            break
        items.append(item)
    items.reverse()
    return items


def _in_context(e: UnexpectedToken, lang: str = "en") -> tuple[str, str | None] | None:
    """Phrasing that depends on the statement being read, or ``None`` to fall back on the expected set."""
    items = _current_statement(e)
    tok = e.token
    types = [i.type if isinstance(i, Token) else type(i).__name__ for i in items]
    last = items[-1] if items else None
    if "EXAMPLE" in types:
        if "COLON" not in types and "COLON" in e.expected:
            example, on, in_, for_ = (_kw(t, lang) for t in ("EXAMPLE", "ON", "IN", "FOR"))
            return (
                "expected ':' after the day, place and agency of the example",
                f"an example is written: {example} {on} DATE [{in_} PROVINCE] [{for_} AGENCY]: COUNTS -> OUTCOME",
            )
        return None
    if types and types[-1] in ("Constraint", "PERCENT") and tok.type in ("NAME", "ALL"):
        return "expected ';' between two constraints", "separate the constraints of a rule with ';'"
    if types and types[-1] == "_SEMI" and tok.type == "_SEMI":
        return "expected a constraint after ';'", "remove the extra ';'"
    if "CIRCULAR" in types and "TITLE" in e.expected:
        attributes = _join_or([_kw(t, lang) for t in terminals("attribute")])
        phrase = f"expected a header attribute ({attributes}) or a new statement"
        if len(items) == 2 and tok.type in ("NAME", "INT", "STRING", "PERCENT", "DATE"):
            return (
                phrase + " after the circular's name",
                "a name with spaces or signs must be in double quotes, e.g. "
                f'{_kw("CIRCULAR", lang)} "SE MenPANRB 17/2023"',
            )
        return phrase, None
    if (
        len(items) >= 2
        and isinstance(last, Token)
        and last.type == "NAME"
        and isinstance(items[-2], Token)
        and items[-2].type == "_COMMA"
        and str(last).casefold() in _KEYWORD_WORDS
    ):
        return (f"after ',' a region name is expected, so '{last}' was read as one", f"remove the ',' before '{last}'")
    label = last.text if isinstance(last, n.Name) else str(last) if isinstance(last, Token) else ""
    if len(items) == 2 and types[0] == "RULE" and label.casefold() in _KEYWORD_WORDS:
        rule = _kw("RULE", lang)
        return (
            f"after '{rule}' comes the rule's label, so '{label}' was read as one",
            f"give the rule a label first, e.g. '{rule} my-label {label} ...'",
        )
    if not items and tok.type in ("NAME", "ALL"):
        return (
            "expected the start of a statement",
            "a rule needs its scope and ':' before its constraints, e.g. "
            f"'{_kw('NATIONWIDE', lang)}: admin WFH <= 50%'",
        )
    return None


def _syntax_diagnostic(text: str, path: str, e: UnexpectedInput, lang: str = "en") -> Diagnostic:
    """The diagnostic of a Lark syntax error; keywords named in ``lang``."""
    if isinstance(e, UnexpectedToken):
        tok = e.token
        if tok.type == "$END":
            line, col = _end_position(text)
        else:
            line, col = tok.line or 1, tok.column or 1
        phrase, hint = _in_context(e, lang) or _expected_phrase(set(e.expected), lang)
        message = f"{phrase}, found {_describe_token(tok)}"
        if tok.type == "PERCENT" and "MODE" in e.expected:
            hint = "write the work mode before the comparison, for example 'admin WFH <= 50%'"
        return _diag(text, Span(path, line, col, line, col + 1), "E100", message, hint)
    if isinstance(e, UnexpectedCharacters):
        line, col = e.line, e.column
        pos = e.pos_in_stream or 0
        ch = text[pos] if 0 <= pos < len(text) else ""
        if ch == '"':
            return _diag(
                text,
                Span(path, line, col, line, col + 1),
                "E101",
                "this text in quotes is not closed on the same line",
                'end it with a double quote " before the end of the line',
            )
        allowed = _alternatives(set(e.allowed or ()), lang)
        message = f"the character '{ch}' cannot be used here"
        if allowed:
            message += f"; expected {_join_or(allowed)}"
        return _diag(text, Span(path, line, col, line, col + 1), "E103", message)
    line, col = getattr(e, "line", 1) or 1, getattr(e, "column", 1) or 1  # pragma: no cover
    return _diag(text, Span(path, line, col, line, col + 1), "E100", "this file could not be read as rules")
