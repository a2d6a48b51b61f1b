"""Canonical layout of rule files (``asnrules fmt``).

The layout: the header's attributes one per line, indented two spaces with their values aligned; one
rule per line (constraints on their own indented lines when the rule would pass 100 columns, and
long member lists wrapped the same way); a labelled example's label on its own line; one blank line
between statements of different kinds. Keywords are printed in the file's language (Indonesian when
most of its keywords are), comparisons as written (word or symbol), modes in capitals, an ``on``
list with ``and`` before its last date when it was so written, everything else as the drafter
wrote it, except that the look-alike characters of word processors are written in their plain
forms (``"`` for typographic quotes, ``-`` for non-breaking hyphens and dashes in dates, spaces
for no-break spaces) and constraints are separated by ``;``. Comments stay where they were:
before a statement (with the blank lines between comment paragraphs), between a statement's
lines, or at the end of the line they followed. Formatting is idempotent and the result
parses to the same tree (``parse(format(x)) == parse(x)``).
"""

from __future__ import annotations

import re
from collections import defaultdict

from . import nodes as n
from .keywords import keyword, language_words, terminals, written
from .parser import parse
from .runtime import MODES

__all__ = ["detect_language", "format_file", "format_text"]

WIDTH = 100

#: Strings (plain or typographic quotes) and comments: their words do not tell the file's language.
_STRIP = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\u201c\u201d\u201e](?:[^"\u201c\u201d\\\n]|\\.)*[\u201c\u201d"]|#[^\n]*')
_WORD = re.compile(r"[^\W\d_][\w-]*")
#: Comparisons written in words are printed as written, in whichever language (symbols as ``<=``).
_WORD_COMPARISONS = frozenset(s for t in terminals("comparison") for s in keyword(t).spellings())
_ID_ONLY = language_words("id") - language_words("en")
_EN_ONLY = language_words("en") - language_words("id")


def detect_language(text: str) -> str:
    """``id`` when more of the file's keywords are Indonesian than English, else ``en``."""
    words = [part.casefold() for w in _WORD.findall(_STRIP.sub(" ", text)) for part in w.split("-")]
    ids = sum(w in _ID_ONLY for w in words)
    ens = sum(w in _EN_ONLY for w in words)
    return "id" if ids > ens else "en"


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class _Keywords:
    """The keywords of one language, by meaning (:func:`asnrules.keywords.written`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, meaning: str) -> str:
        return written(meaning, self.lang)


class _Printer:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.kw = _Keywords(lang)

    def name(self, name: n.Name) -> str:
        if name.quoted:
            return quote(name.text)
        if name.key == "all":
            return self.kw["all"]
        return name.text

    def agencies(self, who: n.Who) -> str:
        items = [self.kw[a.level] if a.level else quote(a.name or "") for a in who.agencies]
        return f"{self.kw['for']} " + ", ".join(items)

    def when(self, w: n.When) -> str:
        if w.kind == "relative":
            return self.relative(w)
        if w.working_days:
            # `on working days [between ... | from ... | until ...]` (LANGUAGE.md §9)
            head = f"{self.kw['on']} {self.kw['working days']}"
            return head if w.kind == "every" else f"{head} {self.plain_when(w)}"
        return self.plain_when(w)

    def relative(self, w: n.When) -> str:
        """``on the first 2 working days after "Idul Fitri" 2024`` / ``pada 2 hari kerja pertama
        setelah "Idul Fitri" 2024`` (each language's order); N = 1 is left out, as drafters write it."""
        assert w.holiday is not None and w.order is not None and w.relation is not None
        count = "" if w.count is None or w.count == 1 else f"{w.count} "
        holiday = f"{quote(w.holiday.name)} {w.holiday.year}"
        days = keyword("WORKING_DAYS").spellings(self.lang)
        if self.lang == "id":
            return f"{self.kw['on']} {count}{days[0]} {self.kw[w.order]} {self.kw[w.relation]} {holiday}"
        plural = days[0] if count else days[-1]
        return f"{self.kw['on']} {self.kw[w.order]} {count}{plural} {self.kw[w.relation]} {holiday}"

    def calendar_decl(self, d: n.CalendarDecl) -> list[str]:
        kw = keyword("WORKING_DAYS").spellings(self.lang)[-1] if d.working else self.kw["holiday"]
        line = f"{kw} {d.date.text} {quote(d.name.value)}"
        if d.regions:
            line += f" {self.kw['in']} " + ", ".join(self.name(x) for x in d.regions)
        return [line]

    def target(self, v: n.Name | n.RuleRef) -> str:
        if isinstance(v, n.RuleRef):  # `rule a, b of X` (LANGUAGE.md §11)
            labels = ", ".join(self.name(x) for x in v.labels)
            return f"{self.kw['rule']} {labels} {self.kw['of']} {self.name(v.circular)}"
        return self.name(v)

    def plain_when(self, w: n.When) -> str:
        d = [x.text for x in w.dates]
        if w.kind == "between":
            return f"{self.kw['between']} {d[0]} {self.kw['and']} {d[1]}"
        if w.kind == "on":
            if w.and_last and len(d) > 1:
                # `on D and D`, `on D, D and D` / `pada D dan D`, `pada D, D, dan D` (LANGUAGE.md §14)
                comma = "," if self.lang == "id" and len(d) > 2 else ""
                return f"{self.kw['on']} " + ", ".join(d[:-1]) + f"{comma} {self.kw['and']} {d[-1]}"
            return f"{self.kw['on']} " + ", ".join(d)
        if w.kind == "until":
            return f"{self.kw['until']} {d[0]}"
        return f"{self.kw['from']} {d[0]}" + (f" {self.kw['until']} {d[1]}" if len(d) > 1 else "")

    def amount(self, text: str) -> str:
        """A decimal as the file's language writes it: ``37.5`` / ``37,5``."""
        return text.replace(".", ",") if self.lang == "id" else text

    def employee_constraint(self, c: n.EmployeeConstraint) -> str:
        """``each employee [in GROUP] WFA at most 2 days per week`` / ``setiap pegawai [dalam GROUP]
        bekerja paling sedikit 37,5 jam per minggu`` (LANGUAGE.md §12)."""
        parts = [self.kw["each employee"]]
        if c.group is not None:
            parts.append(f"{self.kw['within'] if self.lang == 'id' else self.kw['in']} {self.name(c.group)}")
        measure = (
            c.measure
            if c.measure in MODES
            else self.count_mode(c.measure)
            if c.measure == "LEAVE"
            else self.kw[c.measure]
        )
        cmp = c.spelling if c.spelling in _WORD_COMPARISONS else c.comparison
        one = c.amount == "1" and self.lang == "en"
        unit = keyword(c.unit.upper()).spellings(self.lang)[-1 if one else 0]
        window = keyword(_WINDOW_TERMINAL[c.window]).spellings(self.lang)[-1 if c.window == "days" else 0]
        parts += [measure, cmp, self.amount(c.amount), unit, self.kw["per"], window]
        return " ".join(parts)

    def constraint(self, c: n.Constraint | n.EmployeeConstraint) -> str:
        if isinstance(c, n.EmployeeConstraint):
            return self.employee_constraint(c)
        if c.permission:  # `semua boleh WFA`: the spelling kept when it is one of the file's language
            may = c.spelling if c.spelling in keyword("MAY").spellings(self.kw.lang) else self.kw["may"]
            return f"{self.name(c.group)} {may} {c.mode}"
        cmp = c.spelling if c.spelling in _WORD_COMPARISONS else c.comparison
        return f"{self.name(c.group)} {c.mode} {cmp} {c.percent}%"

    def count_mode(self, mode: str) -> str:
        """A work mode as written (``WFH``), or the count mode ``LEAVE`` as the keyword of the file's
        language, in capitals like the modes (``LEAVE`` / ``CUTI``)."""
        return mode if mode in MODES else self.kw[mode].upper()

    def rule(self, r: n.Rule) -> list[str]:
        scope = []
        if r.label is not None:
            scope.append(f"{self.kw['rule']} {self.name(r.label)}")
        if r.when is not None:
            scope.append(self.when(r.when))
        if r.where is not None:
            scope.append(
                f"{self.kw['in']} " + ", ".join(self.name(x) for x in r.where.regions)
                if r.where.regions
                else self.kw["nationwide"]
            )
        if r.who is not None:
            scope.append(self.agencies(r.who))
        head = " ".join(scope) + ":"
        body = [self.constraint(c) for c in r.constraints]
        line = f"{head} {'; '.join(body)}"
        if len(line) <= WIDTH:
            return [line]
        return [head] + [f"  {c}{';' if i < len(body) - 1 else ''}" for i, c in enumerate(body)]

    def header(self, h: n.Header) -> list[str]:
        lines = [f"{self.kw[h.kind]} {self.name(h.name)}"]
        width = max((len(self.kw[a.kind]) for a in h.attributes), default=0)
        for a in h.attributes:
            if a.kind in ("supersedes", "overrides", "amends"):
                value = ", ".join(self.target(v) for v in a.values if isinstance(v, n.Name | n.RuleRef))
            elif a.kind in ("issued", "effective"):
                words = [v.text for v in a.values if isinstance(v, n.DateLit)]
                if a.unconfirmed:
                    words.append(self.kw["unconfirmed"])
                if a.by is not None:
                    words += [self.kw["by"], quote(a.by.value)]
                value = " ".join(words)
            else:
                value = ", ".join(quote(v.value) for v in a.values if isinstance(v, n.Text))
            lines.append(f"  {self.kw[a.kind].ljust(width)} {value}")
        return lines

    def example(self, e: n.Example) -> list[str]:
        parts = [f"{self.kw['on']} {e.date.text}"]
        if e.region is not None:
            parts.append(f"{self.kw['in']} {self.name(e.region)}")
        if e.who is not None:
            parts.append(self.agencies(e.who))
        counts = "; ".join(
            f"{self.name(c.group)} " + ", ".join(f"{self.count_mode(m)} {k}" for m, k in c.entries) for c in e.counts
        )
        body = f"{' '.join(parts)}: {counts} -> {self.kw[e.outcome]}"
        if e.label is None:
            return [f"{self.kw['example']} {body}"]
        return [f"{self.kw['example']} {quote(e.label.value)}", f"  {body}"]

    def employee_example(self, e: n.EmployeeExample) -> list[str]:
        """``example ["label"] employee [CATEGORY] [in REGION] [for AGENCY] from DATE: DAYS -> OUTCOME``."""
        parts = [self.kw["employee"]]
        if e.category is not None:
            parts.append(self.name(e.category))
        if e.region is not None:
            parts.append(f"{self.kw['in']} {self.name(e.region)}")
        if e.who is not None:
            parts.append(self.agencies(e.who))
        parts.append(f"{self.kw['from']} {e.date.text}")
        days = []
        for d in e.days:
            if d.mode is None:
                days.append("-")
                continue
            day = self.count_mode(d.mode)
            if d.hours is not None:
                day += f" {self.amount(d.hours)}"
                if d.overtime is not None:
                    day += f" {self.kw['overtime']} {self.amount(d.overtime)}"
            days.append(day)
        body = f"{' '.join(parts)}: {', '.join(days)} -> {self.kw[e.outcome]}"
        if e.label is None:
            return [f"{self.kw['example']} {body}"]
        return [f"{self.kw['example']} {quote(e.label.value)}", f"  {body}"]

    def declaration(self, d: n.CategoryDecl | n.RegionDecl) -> list[str]:
        kw = self.kw["category"] if isinstance(d, n.CategoryDecl) else self.kw["region"]
        line = f"{kw} {self.name(d.name)}"
        if d.label is not None:
            line += f" {quote(d.label.value)}"
        if not (d.members or isinstance(d, n.RegionDecl)):
            return [line]
        members = [self.name(m) for m in d.members]
        if len(line) + 3 + len(", ".join(members)) <= WIDTH:
            return [f"{line} = " + ", ".join(members)]
        lines, current = [f"{line} ="], "  "
        for k, m in enumerate(members):
            piece = m + ("," if k < len(members) - 1 else "")
            if len(current) + len(piece) + 1 > WIDTH and current.strip():
                lines.append(current.rstrip())
                current = "  "
            current += piece + " "
        lines.append(current.rstrip())
        return lines

    def statement(self, st: n.Statement) -> list[str]:
        if isinstance(st, n.Header):
            return self.header(st)
        if isinstance(st, n.Rule):
            return self.rule(st)
        if isinstance(st, n.Example):
            return self.example(st)
        if isinstance(st, n.EmployeeExample):
            return self.employee_example(st)
        if isinstance(st, n.Note):
            return [f"{self.kw['quote' if st.verbatim else 'note']} {quote(st.text.value)}"]
        if isinstance(st, n.CalendarDecl):
            return self.calendar_decl(st)
        return self.declaration(st)


_WINDOW_TERMINAL = {"days": "DAYS", "week": "WEEK", "month": "MONTH", "year": "YEAR"}


def _kind(st: n.Statement) -> str:
    return type(st).__name__


def _anchors(st: n.Statement, lines: list[str]) -> list[int]:
    """For each printed line of a statement, the source line it comes from (comments stay by it)."""
    if isinstance(st, n.Header):
        return [st.span.line, *(a.span.line for a in st.attributes)]
    if isinstance(st, n.Rule) and len(lines) > 1:
        return [st.span.line, *(c.span.line for c in st.constraints)]
    if isinstance(st, n.Example | n.EmployeeExample) and len(lines) > 1:
        return [st.span.line, st.date.span.line]
    return [st.span.line] * len(lines)


def _end_line(st: n.Statement) -> int:
    """The last source line of a declaration's member list (a statement's first line otherwise)."""
    if isinstance(st, n.CategoryDecl | n.RegionDecl) and st.members:
        return max(st.span.line, *(m.span.line for m in st.members))
    return st.span.line


def format_file(f: n.File, text: str) -> str:
    """The canonical text of a parsed file (``text`` is its source, for comments and language)."""
    printer = _Printer(detect_language(text))
    source = text.splitlines()

    def blank_before(line: int) -> bool:
        return line >= 2 and not source[line - 2].strip()

    printed = [printer.statement(st) for st in f.statements]
    anchors = [_anchors(st, lines) for st, lines in zip(f.statements, printed, strict=True)]
    starts = [(st.span.line, st.span.column) for st in f.statements]
    leading: dict[int, list[n.Comment]] = defaultdict(list)  # before statement i
    inner: dict[tuple[int, int], list[str]] = defaultdict(list)  # before printed line j of statement i
    trailing: dict[tuple[int, int], str] = {}  # at the end of printed line j of statement i
    tail: list[n.Comment] = []
    for c in f.comments:
        where = (c.span.line, c.span.column)
        owner = max((i for i, s in enumerate(starts) if s <= where), default=None)
        own_line = not source[c.span.line - 1][: c.span.column - 1].strip()
        if owner is None:
            (leading[0] if f.statements else tail).append(c)
            continue
        marks = anchors[owner]
        if own_line:
            later = [j for j, a in enumerate(marks) if a > c.span.line]
            if later:
                inner[(owner, later[0])].append(c.text)
            elif c.span.line < _end_line(f.statements[owner]):
                # inside a statement printed on several lines with one anchor (a long member list):
                # above its last printed line, where the formatter put it the first time
                inner[(owner, len(marks) - 1)].append(c.text)
            elif owner + 1 < len(f.statements):
                leading[owner + 1].append(c)
            else:
                tail.append(c)
            continue
        j = max(j for j, a in enumerate(marks) if a <= c.span.line or j == 0)
        if (owner, j) not in trailing:
            trailing[(owner, j)] = c.text
        elif j == 0:  # a second comment for the first line goes above the statement
            leading[owner].append(c)
        else:
            inner[(owner, j)].append(c.text)
    out: list[str] = []

    def comment_block(comments: list[n.Comment]) -> None:
        for k, c in enumerate(comments):
            if k and blank_before(c.span.line):
                out.append("")
            out.append(c.text)

    previous: str | None = None
    previous_long = False
    for i, st in enumerate(f.statements):
        lines = printed[i]
        kind = _kind(st)
        long = len(lines) > 1 and kind == "Rule"
        blank = previous is not None and (kind != previous or long or previous_long or previous == "Header")
        if blank or (leading[i] and previous is not None):
            out.append("")
        comment_block(leading[i])
        if leading[i] and blank_before(st.span.line):
            out.append("")
        for j, line in enumerate(lines):
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + t for t in inner.get((i, j), ()))
            out.append(line + (f"  {trailing[(i, j)]}" if (i, j) in trailing else ""))
        previous, previous_long = kind, long
    if tail:
        if out:
            out.append("")
        comment_block(tail)
    return "\n".join(out) + "\n" if out else ""


def format_text(text: str, path: str = "<input>") -> str:
    """Format the text of one rule file; raises :class:`~asnrules.RulesError` on a syntax error."""
    return format_file(parse(text, path), text)
