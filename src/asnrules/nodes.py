"""The syntax tree of a rule file: frozen dataclasses, each keeping its source span.

Nodes record what the drafter wrote (names as spelled, dates and percentages as text); meaning is
given to them by :mod:`asnrules.resolve`. Spans and spellings are excluded from equality so that a
formatted file parses back to an equal tree (``parse(fmt(x)) == parse(x)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Span
from .runtime import name_key

NOWHERE = Span("<none>", 0, 0, 0, 0)


@dataclass(frozen=True)
class Name:
    """A name as written (categories, regions, labels, circulars); two names are equal when the
    resolver takes them for one (:func:`~asnrules.runtime.name_key`: case, blanks, ``_`` and ``-``
    aside)."""

    text: str
    quoted: bool = field(default=False, compare=False)
    span: Span = field(default=NOWHERE, compare=False, repr=False)

    @property
    def key(self) -> str:
        return name_key(self.text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Name) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


@dataclass(frozen=True)
class Text:
    """A double-quoted string, already unescaped."""

    value: str
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class DateLit:
    """A date as written; :mod:`asnrules.resolve` checks that it exists."""

    text: str
    span: Span = field(default=NOWHERE, compare=False, repr=False)


# ---- header --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribute:
    """One header attribute: ``kind`` is title, issued, effective, basis, source, supersedes,
    overrides or amends; ``values`` holds its texts, dates or circular names (:class:`RuleRef` for
    ``rule L of N`` in supersedes and overrides) in order (empty for
    ``issued by STRING`` without a date); ``by`` the issuer; ``unconfirmed`` is set when the date
    is marked ``unconfirmed`` (``belum pasti``: LANGUAGE.md §11)."""

    kind: str
    values: tuple[Text | DateLit | Name | RuleRef, ...]
    by: Text | None = None
    span: Span = field(default=NOWHERE, compare=False, repr=False)
    unconfirmed: bool = False


@dataclass(frozen=True)
class RuleRef:
    """``rule LABEL {, LABEL} of NAME`` in ``overrides`` or ``supersedes``: only those rules of the
    instrument NAME (LANGUAGE.md §11)."""

    labels: tuple[Name, ...]
    circular: Name
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Header:
    """``kind`` is the kind of instrument the header opens with: circular, regulation,
    instruction or decree (LANGUAGE.md §11)."""

    name: Name
    attributes: tuple[Attribute, ...]
    span: Span = field(default=NOWHERE, compare=False, repr=False)
    kind: str = "circular"


# ---- rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HolidayRef:
    """A holiday of the calendar and a year, as a relative window names it (``"Idul Fitri" 2024``):
    ``name`` as written (quoted or not), ``year`` the digits as written."""

    name: str
    year: str
    quoted: bool = field(default=True, compare=False)
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class When:
    """``kind`` is between, on, from or until (LANGUAGE.md §3), ``every`` (``on working days``
    alone) or ``relative`` (``on the first/last N working days after/before HOLIDAY YEAR``, §9);
    ``dates`` the dates in order (from: 1 or 2); ``and_last`` keeps whether an ``on`` list was
    written with ``and`` before its last date (the formatter writes it so again).

    ``working_days``: the rule applies only on the working days of the situation's province (§9;
    always so for ``relative``). For ``relative``: ``order`` is ``first`` or ``last``, ``count`` the
    N (1 when left out: ``on the first working day after``), ``holiday`` the holiday and year counted from;
    ``relation`` is ``after`` (with ``first``) or ``before`` (with ``last``) as written."""

    kind: str
    dates: tuple[DateLit, ...]
    span: Span = field(default=NOWHERE, compare=False, repr=False)
    and_last: bool = field(default=False, compare=False)
    working_days: bool = False
    order: str | None = None
    count: int | None = None
    relation: str | None = None
    holiday: HolidayRef | None = None


@dataclass(frozen=True)
class Where:
    """``regions`` empty means ``nationwide``."""

    regions: tuple[Name, ...]
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Agency:
    """``central``/``regional`` (``level`` set) or one agency by name (``name`` set)."""

    level: str | None
    name: str | None
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Who:
    agencies: tuple[Agency, ...]
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Constraint:
    """``GROUP MODE COMPARISON PERCENT``; ``comparison`` is normalised (``<=``, ``>=``, ``=``, ``<``,
    ``>``) and ``spelling`` keeps how it was written (``at most``, ``paling banyak``...).

    ``GROUP may MODE`` (LANGUAGE.md §10) is a *permission*: ``permission`` is true, and its meaning
    for every evaluator is the share ``>= 0%`` (it holds whenever the group has counted staff), so
    that no backend needs a new comparison; the checker and the documents tell it by the flag."""

    group: Name
    mode: str
    comparison: str
    percent: str
    spelling: str = field(default="", compare=False)
    span: Span = field(default=NOWHERE, compare=False, repr=False)
    percent_span: Span = field(default=NOWHERE, compare=False, repr=False)
    permission: bool = False


@dataclass(frozen=True)
class EmployeeConstraint:
    """``each employee [in GROUP] MEASURE COMPARISON AMOUNT UNIT per WINDOW`` (LANGUAGE.md §12).
    ``measure`` is a mode (``WFO``, ``WFH``, ``WFA``, ``LEAVE``: days in it), ``works`` (hours worked)
    or ``overtime`` (overtime hours); ``amount`` the decimal as written with ``.`` for its point
    (``37.5``); ``unit`` ``days`` or ``hours`` as written (:mod:`asnrules.resolve` checks that it fits
    the measure); ``window`` ``days`` (per day), ``week``, ``month`` or ``year``. ``group`` is
    ``None`` for every employee. ``spelling`` keeps the comparison as written."""

    group: Name | None
    measure: str
    comparison: str
    amount: str
    unit: str
    window: str
    spelling: str = field(default="", compare=False)
    span: Span = field(default=NOWHERE, compare=False, repr=False)
    amount_span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Rule:
    label: Name | None
    when: When | None
    where: Where | None
    who: Who | None
    constraints: tuple[Constraint | EmployeeConstraint, ...]
    span: Span = field(default=NOWHERE, compare=False, repr=False)


# ---- declarations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryDecl:
    name: Name
    label: Text | None
    members: tuple[Name, ...]
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class RegionDecl:
    name: Name
    label: Text | None
    members: tuple[Name, ...]
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class CalendarDecl:
    """``holiday DATE STRING [in REGION {, REGION}]`` (``working`` false: a non-working day, for the
    provinces named or nationally) or ``working day DATE STRING`` (``working`` true: a working day
    again): the calendar of the whole rule set (LANGUAGE.md §9)."""

    working: bool
    date: DateLit
    name: Text
    regions: tuple[Name, ...] = ()
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Note:
    """``note STRING`` (the drafter's paraphrase) or, with ``verbatim``, ``quote STRING`` (the
    instrument's own words: LANGUAGE.md §11)."""

    text: Text
    span: Span = field(default=NOWHERE, compare=False, repr=False)
    verbatim: bool = False


@dataclass(frozen=True)
class Count:
    """``CATEGORY MODE N {, MODE N}``; modes include ``LEAVE`` (not counted)."""

    group: Name
    entries: tuple[tuple[str, int], ...]
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Example:
    label: Text | None
    date: DateLit
    region: Name | None
    who: Who | None
    counts: tuple[Count, ...]
    outcome: str
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class DayEntry:
    """One day of an employee example: a mode (``WFO``... ``LEAVE``) with optional ``hours`` and
    ``overtime`` (decimals as written, ``.`` for the point), or ``mode`` ``None`` for ``-`` (no record)."""

    mode: str | None
    hours: str | None = None
    overtime: str | None = None
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class EmployeeExample:
    """``example [STRING] employee [CATEGORY] [in REGION] [for AGENCY] from DATE: DAY, DAY ... ->
    OUTCOME`` (LANGUAGE.md §12): one employee's records on consecutive days from ``date``."""

    label: Text | None
    category: Name | None
    region: Name | None
    who: Who | None
    date: DateLit
    days: tuple[DayEntry, ...]
    outcome: str
    span: Span = field(default=NOWHERE, compare=False, repr=False)


Statement = Header | Rule | CategoryDecl | RegionDecl | CalendarDecl | Note | Example | EmployeeExample


@dataclass(frozen=True)
class Comment:
    """A ``#`` comment, kept for the formatter."""

    text: str
    span: Span = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class File:
    """A parsed rule file: its statements in order and its comments."""

    path: str
    statements: tuple[Statement, ...]
    comments: tuple[Comment, ...] = field(default=(), compare=False)
