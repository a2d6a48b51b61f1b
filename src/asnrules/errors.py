"""Source positions, diagnostics and the one exception hierarchy of asnrules.

Every problem asnrules reports, from a syntax error to a conflict between circulars, is a
:class:`Diagnostic` with a file, a line, a column, a stable code (documented in
``docs/diagnostics.md``) and a message in plain words. Exceptions raised to callers are all
:class:`AsnrulesError`; no other library's exception crosses the public API.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from .messages import Msg, say
from .runtime import Source as Source

Severity = Literal["error", "warning"]


class Span(NamedTuple):
    """A stretch of source text; ``end_*`` point just past its last character."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def source(self) -> Source:
        return Source(self.file, self.line, self.column)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a rule file.

    ``related`` lists other places involved (for a conflict: every rule that takes part), each as a
    :class:`Source` with a short note.

    ``message``, ``suggestion`` and the notes are text in one language (by default that of the file
    the diagnostic is about: :func:`asnrules.messages.file_language`); ``msg``, ``hint`` and
    ``notes`` keep them as messages of the catalogue (:mod:`asnrules.messages`), so that
    :meth:`localised` words the same diagnostic in the other language. The code never changes.
    """

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    suggestion: str | None = None
    related: tuple[tuple[Source, str], ...] = ()
    excerpt: str | None = field(default=None, compare=False)
    msg: Msg | None = field(default=None, compare=False, repr=False)
    hint: Msg | None = field(default=None, compare=False, repr=False)
    notes: tuple[Msg | None, ...] = field(default=(), compare=False, repr=False)
    lang: str = field(default="en", compare=False)
    #: where the node the diagnostic is about ends (just past its last character), when the stage
    #: that found it had the node's :class:`Span`; ``0`` when only a start is known
    end_line: int = field(default=0, compare=False)
    end_column: int = field(default=0, compare=False)

    @classmethod
    def at(
        cls,
        span: Span | Source,
        code: str,
        message: str | Msg,
        *,
        severity: Severity | None = None,
        suggestion: str | Msg | None = None,
        related: tuple[tuple[Source, str | Msg], ...] = (),
        lang: str = "en",
    ) -> Diagnostic:
        sev: Severity = severity or ("warning" if code.startswith("W") else "error")
        m = message if isinstance(message, Msg) else None
        h = suggestion if isinstance(suggestion, Msg) else None
        return cls(
            span.file,
            span.line,
            span.column,
            code,
            sev,
            _text(message, lang),
            None if suggestion is None else _text(suggestion, lang),
            tuple((where, _text(note, lang)) for where, note in related),
            msg=m,
            hint=h,
            notes=tuple(note if isinstance(note, Msg) else None for _, note in related),
            lang=lang,
            end_line=span.end_line if isinstance(span, Span) else 0,
            end_column=span.end_column if isinstance(span, Span) else 0,
        )

    def localised(self, lang: str) -> Diagnostic:
        """The same diagnostic worded in ``lang`` (``id`` or ``en``); text that is not a message of
        the catalogue stays as it is."""
        if lang == self.lang:
            return self
        notes = self.notes or (None,) * len(self.related)
        return dataclasses.replace(
            self,
            message=self.msg.text(lang) if self.msg is not None else self.message,
            suggestion=self.hint.text(lang) if self.hint is not None else self.suggestion,
            related=tuple(
                (where, m.text(lang) if m is not None else note)
                for (where, note), m in zip(self.related, notes, strict=True)
            ),
            lang=lang,
        )

    def message_ids(self) -> set[str]:
        """The catalogue's ids of every message this diagnostic says (for the golden cases' coverage)."""
        found: set[str] = set()
        for m in (self.msg, self.hint, *self.notes):
            if m is not None:
                found |= m.ids()
        return found

    def format(self) -> str:
        """``path:line:col: error[CODE]: message`` plus the suggestion and excerpt, if any; the words
        ``error``, ``help`` and ``note`` in the diagnostic's language (``kesalahan``, ``saran``, ``catatan``)."""
        lang = self.lang
        text = str(self)
        if self.suggestion:
            text += f"\n  {say('diagnostic.help', lang)}: {self.suggestion}"
        for where, note in self.related:
            text += f"\n  {say('diagnostic.note', lang)}: {where}: {note}"
        if self.excerpt:
            text += "\n" + self.excerpt
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line or self.line,
            "end_column": self.end_column or self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
            "related": [{"path": s.file, "line": s.line, "column": s.column, "note": note} for s, note in self.related],
        }

    def __str__(self) -> str:
        severity = say("diagnostic." + self.severity, self.lang)
        return f"{self.path}:{self.line}:{self.column}: {severity}[{self.code}]: {self.message}"


def _text(value: str | Msg, lang: str) -> str:
    return value.text(lang) if isinstance(value, Msg) else value


def caret_excerpt(text: str | Sequence[str], line: int, column: int) -> str:
    """The source line with a caret under ``column`` (both 1-based); ``text`` may be given split
    into lines already."""
    lines = text.splitlines() if isinstance(text, str) else text
    if not 1 <= line <= len(lines):
        return ""
    raw = lines[line - 1]
    # a window around the column: a long line quoted whole by each of many diagnostics costs n² (issue 9)
    lo, hi = max(0, column - 1 - EXCERPT_SIDE), column - 1 + EXCERPT_SIDE
    pre, post = ("…" if lo else ""), ("…" if hi < len(raw) else "")
    src = raw[lo:hi].expandtabs(1)
    gutter = f"{line:>4} | "
    return f"{gutter}{pre}{src}{post}\n{' ' * (len(gutter) - 2)}| {' ' * (len(pre) + column - 1 - lo)}^"


#: Characters of a source line quoted on each side of a diagnostic's column.
EXCERPT_SIDE = 80


class AsnrulesError(Exception):
    """Base of every exception asnrules raises on purpose.

    Carries ``path``, ``line``, ``column`` and a stable ``code``; ``str()`` is one line.
    """

    code: str = "E000"

    def __init__(
        self,
        message: str | Msg,
        *,
        code: str | None = None,
        path: str = "<input>",
        line: int = 1,
        column: int = 1,
    ) -> None:
        #: the message of the catalogue, when it is one (:meth:`text` words it in either language)
        self.msg = message if isinstance(message, Msg) else None
        text = _text(message, "en")
        super().__init__(text)
        self.message = text
        if code is not None:
            self.code = code
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: error[{self.code}]: {self.message}"

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``id`` or ``en``), without the position: what a command prints."""
        return self.msg.text(lang) if self.msg is not None else self.message

    def line_text(self, lang: str = "en") -> str:
        """``path:line:col: error[CODE]: message`` in ``lang``."""
        return f"{self.path}:{self.line}:{self.column}: {say('diagnostic.error', lang)}[{self.code}]: {self.text(lang)}"


class RulesError(AsnrulesError):
    """A rule set could not be loaded: ``diagnostics`` lists every problem found (errors first)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.severity != "error", d.path, d.line, d.column))
        errors = [d for d in self.diagnostics if d.severity == "error"]
        first = errors[0] if errors else self.diagnostics[0]
        more = len(errors) - 1
        message = first.message + (f" (and {more} more error{'s' if more > 1 else ''})" if more > 0 else "")
        super().__init__(message, code=first.code, path=first.path, line=first.line, column=first.column)

    def to_json(self) -> str:
        return json.dumps([d.to_json() for d in self.diagnostics], ensure_ascii=False, indent=2)


class SourceError(AsnrulesError):
    """A rule file could not be read at all: missing, unreadable, or not UTF-8 text."""

    code = "E001"


class InputError(AsnrulesError):
    """A value given by a caller (a date, a region, staff counts, a data file) is not usable."""

    code = "E300"


class Interrupted(BaseException):
    """The command was stopped by a signal (SIGTERM, or Ctrl-C: SIGINT): raised by the command line's
    signal handling so that every ``finally`` block and context manager runs (temporary files and
    spill folders are removed). A :class:`BaseException`, like :class:`KeyboardInterrupt`, so that
    no ``except Exception`` stops it; ``signum`` is the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signum}")
        self.signum = signum
