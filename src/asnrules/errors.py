"""Source positions, diagnostics and the one exception hierarchy of asnrules.

Every problem asnrules reports, from a syntax error to a conflict between circulars, is a
:class:`Diagnostic` with a file, a line, a column, a stable code (documented in
``docs/diagnostics.md``) and a message in plain words. Exceptions raised to callers are all
:class:`AsnrulesError`; no other library's exception crosses the public API.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

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

    @classmethod
    def at(
        cls,
        span: Span | Source,
        code: str,
        message: str,
        *,
        severity: Severity | None = None,
        suggestion: str | None = None,
        related: tuple[tuple[Source, str], ...] = (),
    ) -> Diagnostic:
        sev: Severity = severity or ("warning" if code.startswith("W") else "error")
        return cls(span.file, span.line, span.column, code, sev, message, suggestion, related)

    def format(self) -> str:
        """``path:line:col: error[CODE]: message`` plus the suggestion and excerpt, if any."""
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"
        if self.suggestion:
            text += f"\n  help: {self.suggestion}"
        for where, note in self.related:
            text += f"\n  note: {where}: {note}"
        if self.excerpt:
            text += "\n" + self.excerpt
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
            "related": [{"path": s.file, "line": s.line, "column": s.column, "note": note} for s, note in self.related],
        }

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"


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
        message: str,
        *,
        code: str | None = None,
        path: str = "<input>",
        line: int = 1,
        column: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: error[{self.code}]: {self.message}"


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
