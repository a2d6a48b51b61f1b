"""The resolved rule set: what the rule files mean, with every name looked up.

:mod:`asnrules.resolve` builds a :class:`Model` from syntax trees; the checker, the reference
evaluator, the compilers and the renderer all read it. Everything here is immutable and exact
(dates are ``datetime.date``, bounds ``decimal.Decimal``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from .errors import Source
from .prelude import name_key
from .runtime import LEVEL_SPELLINGS, MODES, OUTCOMES, Situation, holds

if TYPE_CHECKING:
    from .workdays import Calendar

__all__ = [
    "EVERY_DAY",
    "LEVELS",
    "MEASURES",
    "MODES",
    "OUTCOMES",
    "WINDOWS",
    "Audience",
    "Category",
    "Circular",
    "Constraint",
    "DayRecord",
    "EmployeeConstraint",
    "EmployeeExample",
    "Example",
    "Model",
    "Note",
    "Period",
    "RegionGroup",
    "Relative",
    "Rule",
    "Under",
    "compare",
    "reachable",
]

#: The agency levels, as the runtime reads them (``pusat`` is ``central``).
LEVELS = tuple(dict.fromkeys(LEVEL_SPELLINGS.values()))


def compare(k: int, n: int, comparison: str, bound: Decimal) -> bool:
    """Whether ``100·k cmp bound·n`` holds, computed exactly on integers (LANGUAGE.md §5;
    :func:`asnrules.runtime.holds`)."""
    f = Fraction(bound)
    return holds(k, n, comparison, f.numerator, f.denominator)


@dataclass(frozen=True)
class Category:
    name: str
    label_id: str
    label_en: str
    members: tuple[str, ...]
    source: Source | None = None

    def label(self, lang: str) -> str:
        return self.label_id if lang == "id" else self.label_en


class Under(Mapping[str, frozenset[str]]):
    """Each category → itself and every category under it, worked out when first asked for.

    The full table can be quadratic in the number of categories (a chain of n categories holds n²/2
    pairs), while every stage asks only about the groups its constraints name: so each entry costs
    what it holds, once. :meth:`ancestors` walks the memberships upwards, as cheaply."""

    __slots__ = ("_done", "_members", "_parents", "_up")

    def __init__(self, members: Mapping[str, tuple[str, ...]]) -> None:
        self._members = dict(members)
        self._done: dict[str, frozenset[str]] = {}
        self._parents: dict[str, list[str]] | None = None
        self._up: dict[str, frozenset[str]] = {}

    def __getitem__(self, category: str) -> frozenset[str]:
        found = self._done.get(category)
        if found is None:
            if category not in self._members:
                raise KeyError(category)
            found = self._done[category] = reachable(category, self._members)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._members)

    def __len__(self) -> int:
        return len(self._members)

    def __contains__(self, category: object) -> bool:
        return category in self._members

    def parents(self) -> Mapping[str, list[str]]:
        """Each category → the categories it is a direct member of (in declaration order)."""
        if self._parents is None:
            parents: dict[str, list[str]] = {c: [] for c in self._members}
            for c, ms in self._members.items():
                for m in ms:
                    if m in parents and (not parents[m] or parents[m][-1] != c):
                        parents[m].append(c)
            self._parents = parents
        return self._parents

    def ancestors(self, category: str) -> frozenset[str]:
        """Every category that has ``category`` under it (excluding itself)."""
        found = self._up.get(category)
        if found is None:
            parents = self.parents()
            found = self._up[category] = reachable(category, parents) - {category}
        return found


def reachable(start: str, edges: Mapping[str, Iterable[str]]) -> frozenset[str]:
    """``start`` and everything reachable from it along ``edges`` (iterative: long chains are fine)."""
    seen = {start}
    stack = [start]
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return frozenset(seen)


@dataclass(frozen=True)
class RegionGroup:
    name: str
    label: str | None
    provinces: frozenset[str]
    source: Source | None = None


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included; ``None`` means unbounded on that side."""

    start: dt.date | None
    end: dt.date | None

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


EVERY_DAY = (Period(None, None),)


@dataclass(frozen=True)
class Audience:
    """The who part of a rule: agency levels and agency names (keys by :func:`~asnrules.runtime.name_key`,
    as :func:`~asnrules.runtime.read_agency` reads a situation's agency). Both empty means every agency."""

    levels: frozenset[str] = frozenset()
    agencies: frozenset[str] = frozenset()
    agency_names: tuple[str, ...] = ()

    @property
    def everyone(self) -> bool:
        return not self.levels and not self.agencies

    def matches(self, level: str | None, agency: str | None) -> bool:
        if self.everyone:
            return True
        return (level is not None and level in self.levels) or (agency is not None and agency in self.agencies)


@dataclass(frozen=True)
class Constraint:
    """``group mode comparison bound`` of one rule. ``id`` is its index in :attr:`Model.constraints`."""

    id: int
    rule_id: int
    circular: str
    rule: str
    group: str
    mode: str
    comparison: str
    bound: Decimal
    source: Source
    #: ``GROUP may MODE`` (LANGUAGE.md §10): evaluated as ``>= 0%`` by every engine (it holds whenever
    #: the group has counted staff); never reported as redundant or always holding; worded as a permission
    permission: bool = False

    def holds(self, k: int, n: int) -> bool:
        return compare(k, n, self.comparison, self.bound)

    def describe(self) -> str:
        """As a rule file writes it: ``admin WFH <= 50%`` (:func:`asnrules.wording.constraint_text`)."""
        from .wording import constraint_text

        return constraint_text(self)


#: What an employee rule measures (LANGUAGE.md §12): the days in a mode, the hours worked, the overtime hours.
MEASURES = (*MODES, "LEAVE", "works", "overtime")
#: The windows an employee rule counts over: one day, an ISO week (Monday to Sunday), a calendar month or year.
WINDOWS = ("day", "week", "month", "year")


@dataclass(frozen=True)
class EmployeeConstraint:
    """``each employee [in GROUP] MEASURE COMPARISON AMOUNT per WINDOW`` of one rule (LANGUAGE.md §12).
    ``id`` is its index in :attr:`Model.employee_constraints`; ``group`` the category whose members it
    binds (``all``: every employee); ``measure`` one of :data:`MEASURES`; ``amount`` exact (days or
    hours); ``window`` one of :data:`WINDOWS`."""

    id: int
    rule_id: int
    circular: str
    rule: str
    group: str
    measure: str
    comparison: str
    amount: Decimal
    window: str
    source: Source

    @property
    def unit(self) -> str:
        """``days`` (a mode) or ``hours`` (works, overtime)."""
        return "hours" if self.measure in ("works", "overtime") else "days"

    def binds(self, category: str | None, under: Mapping[str, frozenset[str]]) -> bool:
        """Whether an employee of ``category`` (``None``: not said) is one this constraint binds."""
        return self.group == "all" or (category is not None and category in under[self.group])


@dataclass(frozen=True)
class DayRecord:
    """One employee's record of one day (LANGUAGE.md §12, §13): the mode (``LEAVE`` included) and,
    when given, the hours worked and the overtime hours (exact)."""

    mode: str
    hours: Decimal | None = None
    overtime: Decimal | None = None


@dataclass(frozen=True)
class EmployeeExample:
    """``example employee ... from DATE: DAYS -> OUTCOME``: ``days`` one entry per consecutive day from
    ``start`` (``None``: no record that day)."""

    circular: str
    label: str | None
    category: str | None
    province: str | None
    level: str | None
    agency: str | None
    start: dt.date
    days: tuple[DayRecord | None, ...]
    outcome: str
    source: Source
    region_text: str | None = None
    agency_name: str | None = None

    def records(self) -> list[tuple[dt.date, str, Decimal | None, Decimal | None]]:
        """The days with a record as ``check_employee`` takes them: ``(date, mode, hours, overtime)``."""
        return [
            (self.start + dt.timedelta(days=i), r.mode, r.hours, r.overtime)
            for i, r in enumerate(self.days)
            if r is not None
        ]


@dataclass(frozen=True)
class Relative:
    """A window counted from a holiday (LANGUAGE.md §9), as the rule set resolved it when it loaded:
    ``order`` ``first`` (after) or ``last`` (before), ``count`` working days, the holiday as written
    (``written``, ``year``) and as the calendar knows it (``name_id``, ``name_en``, its ``day``), the
    ``block`` of non-working days that holds it, and the ``dates`` it gives, in order."""

    order: str
    count: int
    written: str
    year: int
    name_id: str
    name_en: str
    day: dt.date
    block: tuple[dt.date, dt.date]
    dates: tuple[dt.date, ...]
    estimated: bool = False

    def name(self, lang: str) -> str:
        return self.name_id if lang == "id" else self.name_en


@dataclass(frozen=True)
class Rule:
    """One rule. ``periods`` are the days its when names (a relative window resolved to its dates);
    with ``working_days`` it applies only on those that are working days in the situation's
    province, by ``calendar`` (the rule set's: the national calendar and its declarations)."""

    id: int
    circular: str
    label: str | None
    citation: str
    periods: tuple[Period, ...]
    provinces: frozenset[str] | None
    regions: tuple[str, ...]
    audience: Audience
    constraints: tuple[Constraint, ...]
    source: Source
    when_kind: str | None = None
    working_days: bool = False
    relative: Relative | None = None
    calendar: Calendar | None = field(default=None, compare=False, repr=False)
    #: the rule's constraints on each employee over windows (LANGUAGE.md §12), beside ``constraints``
    employee: tuple[EmployeeConstraint, ...] = ()

    def matches(
        self, day: dt.date, province: str | None, level: str | None, agency: str | None, working: bool | None = None
    ) -> bool:
        """Whether the rule's when, where and who match. ``working``: whether ``day`` is a working
        day in ``province``, when the caller knows it (``None``: asked of the calendar, only for a
        working-day rule)."""
        if not (
            any(p.contains(day) for p in self.periods)
            and (self.provinces is None or province in self.provinces)
            and self.audience.matches(level, agency)
        ):
            return False
        if not self.working_days:
            return True
        if working is None:
            assert self.calendar is not None, "a working-day rule is resolved with its calendar"
            working = self.calendar.is_working_day(day, province)
        return working


@dataclass(frozen=True)
class Note:
    """``note`` (the drafter's paraphrase) or, with ``verbatim``, ``quote`` (the instrument's own
    words, LANGUAGE.md §11)."""

    text: str
    source: Source
    verbatim: bool = False


@dataclass(frozen=True)
class Example:
    circular: str
    label: str | None
    date: dt.date
    province: str | None
    level: str | None
    agency: str | None
    counts: tuple[tuple[str, str, int], ...]
    outcome: str
    source: Source
    region_text: str | None = None
    agency_name: str | None = None

    def count_map(self) -> dict[str, dict[str, int]]:
        """The counts as a situation holds them: category → mode → staff (repeated entries added)."""
        out: dict[str, dict[str, int]] = {}
        for cat, mode, k in self.counts:
            out.setdefault(cat, {})
            out[cat][mode] = out[cat].get(mode, 0) + k
        return out

    def situation(self) -> Situation:
        """The work unit and day this example describes, as every engine decides it."""
        return Situation(self.date, self.province, self.level, self.agency, self.count_map(), self.agency_name)


@dataclass(frozen=True)
class Circular:
    name: str
    title: str | None
    issued: dt.date | None
    issued_by: str | None
    effective: dt.date | None
    basis: tuple[str, ...]
    source_url: str | None
    supersedes: tuple[str, ...]
    overrides: tuple[str, ...]
    rules: tuple[Rule, ...]
    notes: tuple[Note, ...]
    examples: tuple[Example, ...]
    path: str
    source: Source
    implicit: bool = False
    #: ``circular``, ``regulation``, ``instruction`` or ``decree`` (LANGUAGE.md §11): they behave alike
    kind: str = "circular"
    #: ``False`` when the file marks the date ``unconfirmed`` (``belum pasti``): documents say so
    issued_confirmed: bool = True
    effective_confirmed: bool = True
    #: the instruments this one changes (``amends``): shown, switches nothing off
    amends: tuple[str, ...] = ()
    #: ``supersedes rule L of N`` / ``overrides rule L of N`` (LANGUAGE.md §11): (N, its labels)
    supersedes_rules: tuple[tuple[str, tuple[str, ...]], ...] = ()
    overrides_rules: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: the examples of one employee over consecutive days (LANGUAGE.md §12)
    employee_examples: tuple[EmployeeExample, ...] = ()

    @property
    def key(self) -> str:
        return name_key(self.name)

    @property
    def switch_date(self) -> dt.date | None:
        """From when a ``supersedes`` of this circular takes effect: ``effective``, else ``issued``."""
        return self.effective or self.issued

    @property
    def switch_confirmed(self) -> bool:
        """Whether :attr:`switch_date` is certain (not marked ``unconfirmed``)."""
        return self.effective_confirmed if self.effective is not None else self.issued_confirmed


@dataclass(frozen=True)
class Model:
    circulars: tuple[Circular, ...]
    categories: Mapping[str, Category]
    category_names: Mapping[str, str]
    regions: Mapping[str, RegionGroup]
    under: Mapping[str, frozenset[str]]
    rules: tuple[Rule, ...]
    constraints: tuple[Constraint, ...]
    override_order: tuple[str, ...] = ()
    superseded_by: Mapping[str, tuple[tuple[str, dt.date | None], ...]] = field(default_factory=dict)
    overridden_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: narrower relations (LANGUAGE.md §11): rule id → (superseder key, from when) / overrider keys
    rule_superseded_by: Mapping[int, tuple[tuple[str, dt.date | None], ...]] = field(default_factory=dict)
    rule_overridden_by: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    #: the calendar of working days: the national one with the set's ``holiday``/``working day``
    #: declarations (``None``: the national calendar alone)
    calendar: Calendar | None = field(default=None, compare=False)
    #: every employee constraint (LANGUAGE.md §12), in source order: ``EmployeeConstraint.id`` indexes it
    employee_constraints: tuple[EmployeeConstraint, ...] = ()

    @property
    def workdays(self) -> Calendar:
        """The calendar working-day rules are decided by."""
        if self.calendar is not None:
            return self.calendar
        from .workdays import national_calendar

        return national_calendar()

    @property
    def switches(self) -> bool:
        """Whether anything can be switched off (a supersedes or an overrides, whole or narrower)."""
        return bool(self.superseded_by or self.overridden_by or self.rule_superseded_by or self.rule_overridden_by)

    @functools.cached_property
    def switch_days(self) -> tuple[dt.date, ...]:
        """The days a supersedes (whole or narrower) takes effect, sorted: applicability may change on them."""
        found = {d for by in self.superseded_by.values() for _, d in by if d is not None}
        found |= {d for by in self.rule_superseded_by.values() for _, d in by if d is not None}
        return tuple(sorted(found))

    @functools.cached_property
    def implicit_circulars(self) -> frozenset[str]:
        """The names of the circulars named after their file (no ``circular`` header): citations
        leave them out, as the place already names the file."""
        return frozenset(c.name for c in self.circulars if c.implicit)

    def circular(self, name: str) -> Circular:
        key = name_key(name)
        for c in self.circulars:
            if c.key == key:
                return c
        raise KeyError(name)

    def category_of(self, name: str) -> str | None:
        return self.category_names.get(name_key(name))

    def ancestors(self, category: str) -> frozenset[str]:
        """Every category that has ``category`` under it (excluding itself)."""
        if isinstance(self.under, Under):  # walked upwards: what it holds, not every category's table
            return self.under.ancestors(category)
        return frozenset(g for g, below in self.under.items() if category in below and g != category)

    def family(self, name: str) -> tuple[str, ...]:
        """The names of the instruments tied to ``name`` by ``supersedes``, ``overrides`` or
        ``amends`` (whole or narrower), in either direction and transitively, ``name`` included, in
        the set's order: what its examples are judged against (LANGUAGE.md §3)."""
        return self._family_table[name_key(name)]

    @functools.cached_property
    def _family_table(self) -> dict[str, tuple[str, ...]]:
        edges: dict[str, set[str]] = {c.key: set() for c in self.circulars}
        for c in self.circulars:
            narrower = (t for t, _ in (*c.supersedes_rules, *c.overrides_rules))
            for other in (*c.supersedes, *c.overrides, *c.amends, *narrower):
                k = name_key(other)
                if k in edges and k != c.key:
                    edges[c.key].add(k)
                    edges[k].add(c.key)
        table: dict[str, tuple[str, ...]] = {}
        for c in self.circulars:
            if c.key not in table:
                group = reachable(c.key, edges)
                names = tuple(x.name for x in self.circulars if x.key in group)
                for k in group:
                    table[k] = names
        return table

    def restricted(self, names: Iterable[str]) -> Model:
        """The same model with only the instruments ``names`` (and their rules): what an example of
        one instrument is judged against (LANGUAGE.md §3). Categories and regions stay whole; a
        constraint keeps its ``id`` (its index in the whole model), so this model is for the
        reference evaluator (:func:`asnrules.semantics.evaluate`), not for the compilers."""
        keys = {name_key(x) for x in names}
        if keys >= {c.key for c in self.circulars}:
            return self
        rules = tuple(r for r in self.rules if name_key(r.circular) in keys)
        return dataclasses.replace(
            self,
            circulars=tuple(c for c in self.circulars if c.key in keys),
            rules=rules,
            constraints=tuple(c for r in rules for c in r.constraints),
            employee_constraints=tuple(e for r in rules for e in r.employee),
            override_order=tuple(k for k in self.override_order if k in keys),
            superseded_by={
                k: tuple((by, since) for by, since in v if name_key(by) in keys)
                for k, v in self.superseded_by.items()
                if k in keys
            },
            overridden_by={
                k: tuple(by for by in v if name_key(by) in keys) for k, v in self.overridden_by.items() if k in keys
            },
            rule_superseded_by={
                k: tuple((by, since) for by, since in v if name_key(by) in keys)
                for k, v in self.rule_superseded_by.items()
                if any(r.id == k for r in rules)
            },
            rule_overridden_by={
                k: tuple(by for by in v if name_key(by) in keys)
                for k, v in self.rule_overridden_by.items()
                if any(r.id == k for r in rules)
            },
        )
