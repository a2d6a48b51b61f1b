"""Syntax trees → :class:`~asnrules.model.Model`: every name looked up, every literal checked.

The jobs of this pass, each its own class or function, in the order :func:`resolve` runs them:

1. :class:`_Categories` and :class:`_Regions` merge the ``category`` and ``region`` declarations of
   the whole set with the prelude, reject cycles, and look names up (with "did you mean"
   suggestions for unknown ones);
2. :func:`_split` splits each file into circulars (statements before any ``circular`` header belong
   to a circular named after the file) and checks each header attribute appears at most once;
3. :class:`_Meanings` turns the dates, percentages, regions, agencies and categories of the rules and
   examples into their meanings (:class:`~asnrules.model.Rule`, :class:`~asnrules.model.Example`);
4. :func:`_link` looks up the circulars named by ``supersedes``/``overrides`` and builds the
   circulars, :func:`_narrower` looks up the rules named by ``supersedes rule L of N`` and
   ``overrides rule L of N``, and :func:`_override_order` orders the overrides.

Before step 3, :func:`_calendar` builds the set's calendar (LANGUAGE.md §9) from the ``holiday`` and
``working day`` declarations of every file: relative windows (``on the first 2 working days after
"Idul Fitri" 2024``) are resolved against it to their dates while the rules get their meaning.

Problems are collected as diagnostics in one :class:`_Report`, never raised, so one run reports all
of them.
"""

from __future__ import annotations

import datetime as dt
import functools
import graphlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from . import nodes as n
from .citing import reason_msg
from .errors import Diagnostic, InputError, Source, Span
from .messages import Join, Kw, Msg, msg
from .model import (
    EVERY_DAY,
    Audience,
    Category,
    Circular,
    Constraint,
    DayRecord,
    EmployeeConstraint,
    EmployeeExample,
    Example,
    Model,
    Note,
    Period,
    RegionGroup,
    Relative,
    Rule,
    Under,
    reachable,
)
from .prelude import CATEGORIES, name_key, province_index
from .runtime import Reason, read_date
from .runtime import suggest as suggest
from .workdays import (
    FIRST_YEAR,
    LAST_YEAR,
    Calendar,
    HolidayDeclaration,
    HolidayName,
    WorkingDayDeclaration,
    cuti_bersama_published,
    national_calendar,
)

__all__ = ["MAX_CATEGORY_DEPTH", "parse_date", "parse_percent", "resolve", "suggest"]

#: How many levels below ``all`` a category may be nested (``all`` → ``admin`` → ``administration``
#: is two); deeper is an error (E135, docs/limits.md). Real hierarchies are a few levels deep; the
#: limit bounds the tables of categories under groups (in a tree, a category is in at most this many).
MAX_CATEGORY_DEPTH = 32

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: What drafters write for "the whole country" where a region is expected: ``nasional`` says it.
_NATIONWIDE_WORDS = frozenset(
    name_key(x) for x in ("Indonesia", "seluruh Indonesia", "semua provinsi", "seluruh provinsi", "all provinces")
)
#: What drafters write for "every employee" where a category is expected: ``semua`` says it.
_EVERYONE_WORDS = frozenset(
    name_key(x) for x in ("seluruh", "pegawai", "seluruh pegawai", "semua pegawai", "everyone", "staff", "ASN")
)
#: First words of the names of places below a province (kabupaten, kota): not regions of the language.
_BELOW_PROVINCE = frozenset({"kota", "kabupaten", "kab", "kec", "kecamatan", "city", "regency"})


@functools.lru_cache(maxsize=4096)  # rule sets repeat their dates
def parse_date(text: str) -> tuple[dt.date | None, Msg | None]:
    """``(date, None)`` or ``(None, why)`` for a date of a rule file, written exactly ``YYYY-MM-DD``
    (whether the day exists is the runtime's :func:`~asnrules.runtime.read_date`; this says why not)."""
    if not _DATE_RE.match(text):
        return None, msg("runtime.date-format", text=text)
    day = read_date(text)
    if isinstance(day, Reason):
        why = reason_msg(day)  # the runtime's reason: one wording of a bad day everywhere
        assert isinstance(why, Msg), "every bad day the runtime reads names its message"
        return None, why
    return day, None


def parse_percent(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the grammar only admits digits
        return None


def _closest_hint(names: list[str]) -> Msg | None:
    """The suggestion for an unknown name: ``did you mean 'a' or 'b'?``."""
    if not names:
        return None
    return msg("resolve.did-you-mean", names=Join(tuple(names), "or", quote=True))


class _Report:
    """The diagnostics of one resolution, in the order they are found."""

    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []

    def error(self, span: Span | Source, code: str, message: Msg, suggestion: Msg | None = None) -> None:
        self.diags.append(Diagnostic.at(span, code, message, suggestion=suggestion))

    def warning(self, span: Span | Source, code: str, message: Msg, suggestion: Msg | None = None) -> None:
        self.diags.append(Diagnostic.at(span, code, message, suggestion=suggestion, severity="warning"))


# ---- 1. categories and regions ----------------------------------------------------------------------


class _Categories:
    """The categories of the set: the prelude's, merged with every ``category`` declaration (the
    members of declarations of one name add up; a category outside the prelude's tree joins
    ``all``); a cycle is an error (E132). Looks a category up by any of its names (E120)."""

    def __init__(self, report: _Report, decls: list[n.CategoryDecl]) -> None:
        self.report = report
        self.categories: dict[str, Category] = {}
        self.names: dict[str, str] = {}  # every accepted name (name_key) → canonical name
        for pc in CATEGORIES:
            self.categories[pc.name] = Category(pc.name, pc.label_id, pc.label_en, pc.members)
            for alias in (pc.name, *pc.aliases):
                self.names[name_key(alias)] = pc.name
        first_decl: dict[str, n.CategoryDecl] = {}
        self.member_spans: dict[str, Span] = {}  # each category → where it is first named as a member
        # the members of each category as they add up (a dict keeps their order and finds one at once)
        members: dict[str, dict[str, None]] = {}
        for decl in decls:
            canonical = self._declare(decl.name.text, decl.span)
            first_decl.setdefault(canonical, decl)
            old = self.categories[canonical]
            own = members.get(canonical)
            if own is None:
                own = members[canonical] = dict.fromkeys(old.members)
            for m in decl.members:
                member = self._declare(m.text, m.span)
                own.setdefault(member)
                self.member_spans.setdefault(member, m.span)
            if decl.label is not None:
                self.categories[canonical] = Category(
                    canonical, decl.label.value, decl.label.value, old.members, old.source or decl.span.source
                )
            elif old.source is None:
                self.categories[canonical] = Category(
                    canonical, old.label_id, old.label_en, old.members, decl.span.source
                )
        for canonical, own in members.items():
            old = self.categories[canonical]
            self.categories[canonical] = Category(canonical, old.label_id, old.label_en, tuple(own), old.source)
        below_something = {m for cat in self.categories.values() for m in cat.members}
        roots = [c for c in self.categories if c != "all" and c not in below_something]
        if roots:
            top = self.categories["all"]
            self.categories["all"] = Category(top.name, top.label_id, top.label_en, (*top.members, *roots), top.source)
        cycle = _find_cycle({c: cat.members for c, cat in self.categories.items()})
        if cycle is not None:
            where = first_decl.get(cycle[0]) or first_decl.get(cycle[-2])
            span = where.span if where else Span("<prelude>", 1, 1, 1, 1)
            report.error(
                span,
                "E132",
                msg("resolve.category-cycle", chain=" → ".join(cycle)),
                msg("resolve.region-cycle-hint"),
            )
        else:
            self._check_depth()

    def _declare(self, text: str, span: Span) -> str:
        key = name_key(text)
        if key not in self.names:
            self.names[key] = text
            self.categories[text] = Category(text, text, text, (), span.source)
        return self.names[key]

    def _check_depth(self) -> None:
        """Categories nested more than :data:`MAX_CATEGORY_DEPTH` levels below ``all`` are an error
        (E135), reported once, where the first one too deep is named as a member. The depth of a
        category is its longest chain of memberships from ``all``, found in one pass over the
        memberships in topological order (no cycle is left at this point)."""
        graph = {c: cat.members for c, cat in self.categories.items()}
        depth: dict[str, int] = dict.fromkeys(graph, 0)
        via: dict[str, str] = {}
        # static_order lists what a category depends on first: here its members, so reversed
        order = list(graphlib.TopologicalSorter(graph).static_order())
        order.reverse()
        for c in order:
            d = depth[c] + 1
            for m in graph.get(c, ()):
                if d > depth.get(m, -1):
                    depth[m] = d
                    via[m] = c
        too_deep = next((c for c in self.categories if depth[c] == MAX_CATEGORY_DEPTH + 1), None)
        if too_deep is None:
            return
        chain = [too_deep]
        while chain[-1] in via:
            chain.append(via[chain[-1]])
        chain.reverse()
        shown = chain if len(chain) <= 7 else [*chain[:3], "…", *chain[-3:]]
        span = self.member_spans.get(too_deep)
        self.report.error(
            span if span is not None else Span("<prelude>", 1, 1, 1, 1),
            "E135",
            msg(
                "resolve.category-too-deep",
                name=too_deep,
                depth=depth[too_deep],
                top=chain[0],
                chain=" → ".join(shown),
                limit=MAX_CATEGORY_DEPTH,
            ),
            msg("resolve.category-too-deep-hint", name=too_deep, top=chain[0]),
        )

    def under(self) -> Under:
        """Each category → itself and every category under it (each worked out when first asked)."""
        return Under({c: cat.members for c, cat in self.categories.items()})

    def lookup(self, ref: n.Name) -> str | None:
        """The canonical name of a category, or ``None`` after reporting it unknown (E120)."""
        canonical = self.names.get(name_key(ref.text))
        if canonical is None:
            known = [*self.categories, *(k for k in self.names if k not in self.categories)]
            everyone = name_key(ref.text) in _EVERYONE_WORDS
            self.report.error(
                ref.span,
                "E120",
                msg("resolve.unknown-category", name=ref.text),
                msg("resolve.everyone-hint")
                if everyone
                else _closest_hint(suggest(ref.text, known)) or msg("resolve.unknown-category-hint"),
            )
        return canonical


class _Regions:
    """The named groups of provinces of the set (``region`` declarations: members of declarations
    of one name add up, groups may contain groups; a cycle or a group named like a province is an
    error, E133). Looks a region up as a province or a group (E121)."""

    def __init__(self, report: _Report, decls: list[n.RegionDecl]) -> None:
        self.report = report
        self.groups: dict[str, RegionGroup] = {}
        provinces = province_index()
        raw: dict[str, tuple[str, str | None, list[n.Name], Span]] = {}
        for decl in decls:
            key = name_key(decl.name.text)
            if key in provinces:
                report.error(
                    decl.name.span,
                    "E133",
                    msg("resolve.region-is-province", name=decl.name.text, province=provinces[key].name),
                    msg("resolve.region-is-province-hint"),
                )
                continue
            name, label, members, span = raw.get(key, (decl.name.text, None, [], decl.span))
            raw[key] = (name, decl.label.value if decl.label else label, members + list(decl.members), span)
        members_of = {key: [name_key(m.text) for m in members] for key, (_, _, members, _) in raw.items()}
        cycle = _find_cycle({k: [m for m in ms if m in raw] for k, ms in members_of.items()})
        if cycle is not None:
            report.error(
                raw[cycle[0]][3],
                "E133",
                msg("resolve.region-cycle", chain=" → ".join(raw[k][0] for k in cycle)),
                msg("resolve.region-cycle-hint"),
            )
        # Each group's provinces: its own, and those of the groups it holds, decided members first
        # (at most 38 codes each, so a long chain of groups costs its length, not its length squared).
        graph = {k: [m for m in ms if m in raw] for k, ms in members_of.items()}
        found: dict[str, frozenset[str]] = {}

        def own_codes(key: str) -> set[str]:
            out: set[str] = set()
            for ref in raw[key][2]:
                rkey = name_key(ref.text)
                if rkey in provinces:
                    out.add(provinces[rkey].code)
            return out

        if cycle is None:
            for key in graphlib.TopologicalSorter(graph).static_order():
                codes = own_codes(key)
                for sub in graph[key]:
                    codes |= found[sub]
                found[key] = frozenset(codes)
        else:  # groups in a circle (already an error): every group reachable, walked for each
            for key in raw:
                found[key] = frozenset(c for g in reachable(key, graph) for c in own_codes(g))
        for key, (name, label, members, span) in raw.items():
            for m in members:
                mkey = name_key(m.text)
                if mkey not in provinces and mkey not in raw:
                    self.unknown(m)
            self.groups[key] = RegionGroup(name, label, found[key], span.source)

    def unknown(self, ref: n.Name) -> None:
        """Report an unknown region (E121), with the closest names."""
        known = [x for p in province_index().values() for x in p.names if not x.isdigit()]
        known += [g.name for g in self.groups.values()]
        words = ref.text.casefold().replace(".", " ").split()
        if name_key(ref.text) in _NATIONWIDE_WORDS:  # "seluruh Indonesia": the keyword says it
            hint: Msg | None = msg("resolve.nationwide-hint")
        elif words and words[0] in _BELOW_PROVINCE:  # "Kota Surabaya": places are provinces
            hint = msg("resolve.below-province-hint")
        else:
            hint = _closest_hint(suggest(ref.text, known)) or msg("resolve.unknown-region-hint")
        self.report.error(ref.span, "E121", msg("resolve.unknown-region", name=ref.text), hint)

    def codes(self, ref: n.Name) -> frozenset[str] | None:
        """The Kemendagri codes of a province or a group, or ``None`` after reporting it unknown."""
        key = name_key(ref.text)
        province = province_index().get(key)
        if province is not None:
            return frozenset({province.code})
        if key in self.groups:
            return self.groups[key].provinces
        self.unknown(ref)
        return None

    def province(self, ref: n.Name) -> str | None:
        """The code of one province (an example is one work unit), or ``None`` after reporting a
        group (E114) or an unknown name (E121)."""
        p = province_index().get(name_key(ref.text))
        if p is not None:
            return p.code
        if name_key(ref.text) in self.groups:
            self.report.error(
                ref.span,
                "E114",
                msg("resolve.example-region-group", name=ref.text),
                msg("resolve.example-region-group-hint"),
            )
        else:
            self.unknown(ref)
        return None


# ---- 1b. the calendar -------------------------------------------------------------------------------


def _calendar(report: _Report, regions: _Regions, decls: list[n.CalendarDecl]) -> Calendar | None:
    """The set's calendar: the national one with the ``holiday`` and ``working day`` declarations of
    every file (``None`` when there are none). A bad date (E110), a year the calendar does not cover
    or a blank name (E116), an unknown province (E121), and a national holiday and a working day on
    one date (E136) are errors, the declaration left out; one that changes nothing is a warning (W208)."""
    if not decls:
        return None
    holidays: list[tuple[n.CalendarDecl, HolidayDeclaration]] = []
    workings: list[tuple[n.CalendarDecl, WorkingDayDeclaration]] = []
    for d in decls:
        day, why = parse_date(d.date.text)
        if why is not None or day is None:
            report.error(d.date.span, "E110", why or msg("runtime.date-format", text=d.date.text))
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            report.error(
                d.date.span, "E116", msg("calendar.year-range", first=FIRST_YEAR, last=LAST_YEAR, year=day.year)
            )
            continue
        name = " ".join(d.name.value.split())
        if not name:
            report.error(d.name.span, "E116", msg("calendar.blank-name", day=day.isoformat()))
            continue
        if d.working:
            workings.append((d, WorkingDayDeclaration(day, name)))
            continue
        codes: frozenset[str] | None = None
        if d.regions:
            found: set[str] = set()
            ok = True
            for ref in d.regions:
                got = regions.codes(ref)
                if got is None:
                    ok = False
                else:
                    found |= got
            if not ok:
                continue
            codes = frozenset(found)
        holidays.append((d, HolidayDeclaration(day, name, codes)))
    national = {h.day: h for _, h in holidays if h.provinces is None}
    kept: list[tuple[n.CalendarDecl, WorkingDayDeclaration]] = []
    for d, w in workings:
        clash = national.get(w.day)
        if clash is not None:
            report.error(
                d.span,
                "E136",
                msg("calendar.holiday-and-working-day", day=w.day.isoformat(), holiday=clash.name, working=w.name),
                msg("resolve.holiday-and-working-day-hint"),
            )
            continue
        kept.append((d, w))
    calendar = Calendar([h for _, h in holidays], [w for _, w in kept])
    spans: dict[HolidayDeclaration | WorkingDayDeclaration, Span] = {h: d.span for d, h in holidays}
    spans.update({w: d.span for d, w in kept})
    for decl, why in calendar.warnings():
        report.warning(spans.get(decl, decls[0].span), "W208", why, msg("resolve.declaration-idle-hint"))
    return calendar


#: Words drafters put before a holiday's name that the calendar's names do not have (``setelah libur
#: Idul Fitri``): left out when the name is looked up.
_HOLIDAY_PREFIXES = ("hari libur ", "libur ", "holiday of ", "the ")


# ---- 2. files into circulars ------------------------------------------------------------------------


@dataclass
class _Draft:
    """A circular being assembled from the statements of one file."""

    name: str
    path: str
    span: Span
    implicit: bool
    kind: str = "circular"
    attrs: dict[str, n.Attribute] = field(default_factory=dict)
    statements: list[n.Rule | n.Note | n.Example | n.EmployeeExample] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    employee_examples: list[EmployeeExample] = field(default_factory=list)


def _split(report: _Report, f: n.File) -> list[_Draft]:
    """The circulars of one file, their statements in order (declarations belong to the whole set);
    a header attribute given twice is an error (E131)."""
    drafts: list[_Draft] = []
    current: _Draft | None = None
    stem = PurePath(f.path).stem or f.path
    for st in f.statements:
        if isinstance(st, n.Header):
            current = _Draft(st.name.text, f.path, st.span, False, getattr(st, "kind", "circular"))
            drafts.append(current)
            for attr in st.attributes:
                if attr.kind in current.attrs:
                    first = current.attrs[attr.kind].span
                    report.error(
                        attr.span,
                        "E131",
                        msg("resolve.attribute-twice", attribute=Kw(attr.kind.upper()), line=first.line),
                        msg("resolve.attribute-twice-hint"),
                    )
                else:
                    current.attrs[attr.kind] = attr
            continue
        if isinstance(st, n.CategoryDecl | n.RegionDecl | n.CalendarDecl):
            continue
        if current is None:
            current = _Draft(stem, f.path, st.span, True)
            drafts.append(current)
        current.statements.append(st)
    return drafts


# ---- 3. rules and examples: the meaning of their literals and names ------------------------------------


class _Meanings:
    """Rules, notes and examples with their dates, percentages, places, agencies and categories
    looked up and checked (E110–E114 and the names of step 1). Rules and constraints are numbered
    in source order across the set (:attr:`rules`, :attr:`constraints`)."""

    def __init__(
        self, report: _Report, categories: _Categories, regions: _Regions, calendar: Calendar | None = None
    ) -> None:
        self.report = report
        self.categories = categories
        self.regions = regions
        self.calendar = calendar
        self.rules: list[Rule] = []
        self.constraints: list[Constraint] = []
        self.employee: list[EmployeeConstraint] = []

    @property
    def workdays(self) -> Calendar:
        return self.calendar if self.calendar is not None else national_calendar()

    def relative(self, when: n.When) -> Relative | None:
        """A window counted from a holiday, resolved against the set's calendar (LANGUAGE.md §9);
        ``None`` after reporting why it cannot be: a year outside the calendar, ``first ... before``
        or ``last ... after``, or a count of 0 (E116), an unknown holiday (E115, with the closest names).
        A window that depends on a date the calendar only estimates, or on a year whose cuti bersama
        are not yet decreed, gets a warning (W207)."""
        h = when.holiday
        assert h is not None and when.order is not None and when.relation is not None
        year = int(h.year) if h.year.isdigit() else 0
        if len(h.year) != 4 or not FIRST_YEAR <= year <= LAST_YEAR:
            self.report.error(
                h.span,
                "E116",
                msg("calendar.year-range", first=FIRST_YEAR, last=LAST_YEAR, year=h.year),
                msg("resolve.holiday-year-hint"),
            )
            return None
        pair = (when.order, when.relation)
        if pair not in (("first", "after"), ("last", "before")):
            self.report.error(
                when.span,
                "E116",
                msg("resolve.relative-order", order=Kw(when.order.upper()), relation=Kw(when.relation.upper())),
                msg(
                    "resolve.relative-order-hint",
                    first=Kw("FIRST"),
                    after=Kw("AFTER"),
                    last=Kw("LAST"),
                    before=Kw("BEFORE"),
                ),
            )
            return None
        count = when.count if when.count is not None else 1
        if count < 1:
            self.report.error(when.span, "E116", msg("calendar.count", n=count), msg("resolve.relative-count-hint"))
            return None
        name = " ".join(h.name.split())
        folded = name.casefold()
        for prefix in _HOLIDAY_PREFIXES:
            if folded.startswith(prefix) and len(folded) > len(prefix):
                name = name[len(prefix) :]
                break
        cal = self.workdays
        try:
            holiday = cal.holiday(name, year)
            block = cal.holiday_block(name, year)
            dates = cal.first_after(name, year, count) if when.order == "first" else cal.last_before(name, year, count)
        except InputError as e:
            why = e.msg if e.msg is not None else msg("calendar.unknown-holiday", name=name)
            self.report.error(h.span, "E115", why, msg("resolve.unknown-holiday-hint", year=year))
            return None
        reach = (block[0], dates[-1]) if when.order == "first" else (dates[0], block[1])
        estimated = cal.estimates(*reach)
        for guess in estimated[:1]:
            self.report.warning(
                h.span,
                "W207",
                msg("calendar.estimated-date", name=HolidayName(guess), year=guess.day.year, day=guess.day.isoformat()),
                msg("resolve.estimated-hint"),
            )
        if not estimated and not all(cuti_bersama_published(y) for y in range(reach[0].year, reach[1].year + 1)):
            self.report.warning(
                h.span, "W207", msg("resolve.cuti-bersama-unpublished", year=year), msg("resolve.estimated-hint")
            )
        return Relative(
            when.order,
            count,
            h.name,
            year,
            holiday.name_id,
            holiday.name_en,
            holiday.day,
            block,
            dates,
            bool(estimated),
        )

    def draft(self, d: _Draft) -> None:
        """Give meaning to the statements of one circular."""
        for st in d.statements:
            if isinstance(st, n.Rule):
                self.rule(st, d)
            elif isinstance(st, n.Note):
                d.notes.append(Note(st.text.value, st.span.source, getattr(st, "verbatim", False)))
            elif isinstance(st, n.EmployeeExample):
                self.employee_example(st, d)
            else:
                self.example(st, d)

    def date(self, lit: n.DateLit) -> dt.date | None:
        value, why = parse_date(lit.text)
        if why is not None:
            self.report.error(lit.span, "E110", why)
        return value

    def periods(self, when: n.When | None) -> tuple[Period, ...] | None:
        if when is None or when.kind == "every":
            return EVERY_DAY
        dates = [self.date(d) for d in when.dates]
        if any(d is None for d in dates):
            return None
        ds: list[dt.date] = [d for d in dates if d is not None]
        if when.kind == "on":
            return tuple(Period(d, d) for d in sorted(set(ds)))
        if when.kind == "until":
            return (Period(None, ds[0]),)
        start, end = ds[0], (ds[1] if len(ds) > 1 else None)
        if end is not None and end < start:
            word = Kw("AND") if when.kind == "between" else Kw("UNTIL")
            self.report.error(
                when.span,
                "E111",
                msg("resolve.period-backwards", start=start, end=end),
                msg("resolve.period-backwards-hint", word=word),
            )
            return None
        if when.kind == "between" and end is not None and (end - start).days >= 366:
            self.report.warning(
                when.span,
                "W205",
                msg("resolve.period-long", start=start, end=end, days=(end - start).days + 1),
                msg("resolve.period-long-hint"),
            )
        return (Period(start, end),)

    @staticmethod
    def audience(who: n.Who | None) -> Audience:
        if who is None:
            return Audience()
        levels = frozenset(a.level for a in who.agencies if a.level)
        names = tuple(a.name for a in who.agencies if a.name is not None)
        return Audience(levels, frozenset(name_key(x) for x in names), names)

    def rule(self, st: n.Rule, draft: _Draft) -> None:
        relative: Relative | None = None
        if st.when is not None and st.when.kind == "relative":
            relative = self.relative(st.when)
            periods = None if relative is None else _runs_of(relative.dates)
        else:
            periods = self.periods(st.when)
        provinces: frozenset[str] | None = None
        ok = periods is not None
        if st.where is not None and st.where.regions:
            codes: set[str] = set()
            for ref in st.where.regions:
                found = self.regions.codes(ref)
                if found is None:
                    ok = False
                else:
                    codes |= found
            provinces = frozenset(codes)
        rule_id = len(self.rules)
        label = st.label.text if st.label else None
        citation = label if label else f"{st.span.file}:{st.span.line}"
        constraints: list[Constraint] = []
        employee: list[EmployeeConstraint] = []
        for c in st.constraints:
            if isinstance(c, n.EmployeeConstraint):
                made = self.employee_constraint(c, rule_id, draft.name, citation, len(employee))
                if made is None:
                    ok = False
                else:
                    employee.append(made)
                continue
            group = self.categories.lookup(c.group)
            bound = parse_percent(c.percent)
            if bound is not None and not 0 <= bound <= 100:
                self.report.error(
                    c.percent_span if c.percent_span != n.NOWHERE else c.span,
                    "E112",
                    msg("resolve.percent-range", percent=c.percent),
                    msg("resolve.percent-range-hint"),
                )
                bound = None
            if group is None or bound is None:
                ok = False
                continue
            constraints.append(
                Constraint(
                    len(self.constraints) + len(constraints),
                    rule_id,
                    draft.name,
                    citation,
                    group,
                    c.mode,
                    c.comparison,
                    bound,
                    c.span.source,
                    c.permission,
                )
            )
        if not ok or periods is None:
            return
        self.constraints.extend(constraints)
        self.employee.extend(employee)
        regions = tuple(r.text for r in st.where.regions) if st.where else ()
        rule = Rule(
            rule_id,
            draft.name,
            label,
            citation,
            periods,
            provinces,
            regions,
            self.audience(st.who),
            tuple(constraints),
            st.span.source,
            st.when.kind if st.when else None,
            working_days=st.when is not None and st.when.working_days,
            relative=relative,
            calendar=self.workdays if st.when is not None and st.when.working_days else None,
            employee=tuple(employee),
        )
        self.rules.append(rule)
        draft.rules.append(rule)

    def employee_constraint(
        self, c: n.EmployeeConstraint, rule_id: int, circular: str, citation: str, before: int
    ) -> EmployeeConstraint | None:
        """An employee constraint (LANGUAGE.md §12) with its group looked up (E120) and its amount
        checked: the unit fits the measure (E117), and a lower bound asks no more than the window
        holds (E118: a week has 7 days of 24 hours). ``before``: the rule's employee constraints so far."""
        group = "all" if c.group is None else self.categories.lookup(c.group)
        window = "day" if c.window == "days" else c.window
        want = "hours" if c.measure in ("works", "overtime") else "days"
        where = c.amount_span if c.amount_span != n.NOWHERE else c.span
        if c.unit != want:
            self.report.error(
                where,
                "E117",
                msg(
                    "resolve.employee-unit",
                    measure=_measure_word(c.measure),
                    unit=Kw(c.unit.upper()),
                    want=Kw(want.upper()),
                ),
                msg("resolve.employee-unit-hint", want=Kw(want.upper())),
            )
            return None
        amount = Decimal(c.amount)
        most = Decimal(WINDOW_DAYS[window]) * (24 if want == "hours" else 1)
        if c.comparison in (">=", ">", "=") and (amount > most or (c.comparison == ">" and amount >= most)):
            self.report.error(
                where,
                "E118",
                msg(
                    "resolve.employee-amount",
                    amount=c.amount,
                    unit=Kw(want.upper()),
                    window=Kw(_WINDOW_TERMINAL[window]),
                    most=most,
                ),
                msg("resolve.employee-amount-hint"),
            )
            return None
        if group is None:
            return None
        return EmployeeConstraint(
            len(self.employee) + before,
            rule_id,
            circular,
            citation,
            group,
            c.measure,
            c.comparison,
            amount,
            window,
            c.span.source,
        )

    def employee_example(self, st: n.EmployeeExample, draft: _Draft) -> None:
        """An example of one employee over consecutive days (LANGUAGE.md §12): its place and agency as
        for an example of a unit (E121, E114), its category (E120), its days (E119: hours on a day
        of leave, more than 24 hours in a day)."""
        day = self.date(st.date)
        ok = day is not None
        province: str | None = None
        if st.region is not None:
            province = self.regions.province(st.region)
            ok = ok and province is not None
        level, agency, agency_name, one = self.one_unit(st.who)
        ok = ok and one
        category: str | None = None
        if st.category is not None:
            category = self.categories.lookup(st.category)
            ok = ok and category is not None
        days: list[DayRecord | None] = []
        for entry in st.days:
            if entry.mode is None:
                days.append(None)
                continue
            hours = None if entry.hours is None else Decimal(entry.hours)
            overtime = None if entry.overtime is None else Decimal(entry.overtime)
            where = entry.span if entry.span != n.NOWHERE else st.span
            if entry.mode == "LEAVE" and (hours or overtime):
                self.report.error(
                    where, "E119", msg("resolve.example-leave-hours"), msg("resolve.example-leave-hours-hint")
                )
                ok = False
            elif any(x is not None and x != x.quantize(Decimal("0.0001")) for x in (hours, overtime)):
                self.report.error(where, "E119", msg("resolve.example-hours-decimals"), None)
                ok = False
            elif (hours or 0) + (overtime or 0) > 24:
                self.report.error(
                    where, "E119", msg("resolve.example-day-hours", hours=(hours or 0) + (overtime or 0)), None
                )
                ok = False
            days.append(DayRecord(entry.mode, hours, overtime))
        if ok and day is not None:
            draft.employee_examples.append(
                EmployeeExample(
                    draft.name,
                    st.label.value if st.label else None,
                    category,
                    province,
                    level,
                    agency,
                    day,
                    tuple(days),
                    st.outcome,
                    st.span.source,
                    st.region.text if st.region else None,
                    agency_name,
                )
            )

    def one_unit(self, who: n.Who | None) -> tuple[str | None, str | None, str | None, bool]:
        """The level, agency key and agency name of an example's ``for`` (one unit: E114), and whether it is one."""
        if who is None:
            return None, None, None, True
        levels = [a.level for a in who.agencies if a.level]
        names = [a.name for a in who.agencies if a.name is not None]
        if len(set(levels)) > 1 or len(names) > 1:
            self.report.error(who.span, "E114", msg("resolve.example-one-unit"), msg("resolve.example-one-unit-hint"))
            return None, None, None, False
        return (
            levels[0] if levels else None,
            name_key(names[0]) if names else None,
            names[0] if names else None,
            True,
        )

    def example(self, st: n.Example, draft: _Draft) -> None:
        day = self.date(st.date)
        province: str | None = None
        ok = day is not None
        if st.region is not None:
            province = self.regions.province(st.region)
            ok = ok and province is not None
        level: str | None = None
        agency: str | None = None
        agency_name: str | None = None
        if st.who is not None:
            levels = [a.level for a in st.who.agencies if a.level]
            names = [a.name for a in st.who.agencies if a.name is not None]
            if len(set(levels)) > 1 or len(names) > 1:
                self.report.error(
                    st.who.span,
                    "E114",
                    msg("resolve.example-one-unit"),
                    msg("resolve.example-one-unit-hint"),
                )
                ok = False
            level = levels[0] if levels else None
            agency = name_key(names[0]) if names else None
            agency_name = names[0] if names else None
        counts: list[tuple[str, str, int]] = []
        for c in st.counts:
            group = self.categories.lookup(c.group)
            if group is None:
                ok = False
                continue
            counts.extend((group, mode, k) for mode, k in c.entries)
        if ok and day is not None:
            label = st.label.value if st.label else None
            draft.examples.append(
                Example(
                    draft.name,
                    label,
                    day,
                    province,
                    level,
                    agency,
                    tuple(counts),
                    st.outcome,
                    st.span.source,
                    st.region.text if st.region else None,
                    agency_name,
                )
            )


#: The most days a window holds (LANGUAGE.md §12): what a lower bound may ask at most.
WINDOW_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}
_WINDOW_TERMINAL = {"day": "DAYS", "week": "WEEK", "month": "MONTH", "year": "YEAR"}


def _measure_word(measure: str) -> Kw | str:
    """How a message names an employee rule's measure: the keyword (``works``, ``lembur``) or the mode."""
    if measure == "works":
        return Kw("WORKS")
    if measure == "overtime":
        return Kw("OVERTIME")
    return Kw("LEAVE") if measure == "LEAVE" else measure


def _runs_of(dates: tuple[dt.date, ...]) -> tuple[Period, ...]:
    """Sorted days as periods, one per run of consecutive days."""
    out: list[Period] = []
    for day in sorted(set(dates)):
        if out and out[-1].end is not None and out[-1].end + dt.timedelta(days=1) == day:
            out[-1] = Period(out[-1].start, day)
        else:
            out.append(Period(day, day))
    return tuple(out)


# ---- 4. circulars together ------------------------------------------------------------------------


def _link(report: _Report, drafts: list[_Draft]) -> list[Circular]:
    """The circulars, with their header attributes read and the circulars their ``supersedes`` and
    ``overrides`` name looked up; a second circular of one name (E130), a circular naming itself
    (E134) and an unknown name (E122) are errors."""
    seen: dict[str, _Draft] = {}
    out: list[Circular] = []
    keys: dict[str, str] = {}
    for d in drafts:
        key = name_key(d.name)
        if key in seen:
            first = seen[key]
            report.error(
                d.span,
                "E130",
                msg("resolve.circular-twice", name=first.name, where=f"{first.path}:{first.span.line}"),
                msg("resolve.circular-twice-hint"),
            )
            continue
        seen[key] = d
        keys[key] = d.name
    for d in seen.values():

        def texts(kind: str, d: _Draft = d) -> tuple[str, ...]:
            attr = d.attrs.get(kind)
            return tuple(v.value for v in attr.values if isinstance(v, n.Text)) if attr else ()

        def one_date(kind: str, d: _Draft = d) -> dt.date | None:
            attr = d.attrs.get(kind)
            if attr is None or not attr.values or not isinstance(attr.values[0], n.DateLit):
                return None
            value, why = parse_date(attr.values[0].text)
            if why is not None:
                report.error(attr.values[0].span, "E110", why)
            return value

        def lookup(kind: str, v: n.Name, d: _Draft = d) -> str | None:
            """The instrument ``v`` names in ``kind``, as the set names it; ``None`` after reporting a
            circular naming itself (E134) or an unknown name (E122; for ``amends``, W206 and the name as
            written: an amendment switches nothing off, so what it amends may lie outside the set, as
            SE 67/2020 amends SE 58/2020)."""
            k = name_key(v.text)
            if k == name_key(d.name):
                report.error(
                    v.span, "E134", msg(f"resolve.{kind}-itself", name=d.name), msg(f"resolve.{kind}-itself-hint")
                )
                return None
            if k in keys:
                return keys[k]
            others = [x for x in keys.values() if name_key(x) != name_key(d.name)]
            close = _closest_hint(suggest(v.text, others))
            if kind == "amends":
                report.warning(
                    v.span,
                    "W206",
                    msg("resolve.amends-outside", name=v.text),
                    close or msg("resolve.amends-outside-hint"),
                )
                return v.text
            report.error(
                v.span,
                "E122",
                msg("resolve.unknown-circular", name=v.text),
                close or msg("resolve.unknown-circular-hint"),
            )
            return None

        def names(kind: str, d: _Draft = d) -> tuple[str, ...]:
            attr = d.attrs.get(kind)
            if attr is None:
                return ()
            found = (lookup(kind, v) for v in attr.values if isinstance(v, n.Name))
            return tuple(x for x in found if x is not None)

        def narrower(kind: str, d: _Draft = d) -> tuple[tuple[str, tuple[str, ...]], ...]:
            """``rule L, L of N`` of ``supersedes``/``overrides``: N looked up as :func:`names` does,
            and each label among N's rules (E123, with the closest labels)."""
            attr = d.attrs.get(kind)
            if attr is None:
                return ()
            out: list[tuple[str, tuple[str, ...]]] = []
            for v in attr.values:
                if not isinstance(v, n.RuleRef):
                    continue
                name = lookup(kind, v.circular)
                if name is None:
                    continue
                k = name_key(name)
                target = seen[k]
                labels = [r.label for r in target.rules if r.label]
                found: list[str] = []
                for label in v.labels:
                    match = next((x for x in labels if name_key(x) == label.key), None)
                    if match is not None:
                        found.append(match)
                        continue
                    hint = (
                        _closest_hint(suggest(label.text, labels))
                        or msg("resolve.unknown-label-hint", name=target.name)
                        if labels
                        else msg("resolve.no-labels-hint", name=target.name, rule=Kw("RULE"))
                    )
                    report.error(
                        label.span, "E123", msg("resolve.unknown-label", label=label.text, name=target.name), hint
                    )
                if found:
                    out.append((name, tuple(dict.fromkeys(found))))
            return tuple(out)

        issued_attr = d.attrs.get("issued")
        title = texts("title")
        source = texts("source")
        out.append(
            Circular(
                name=d.name,
                title=title[0] if title else None,
                kind=d.kind,
                issued_confirmed=not (issued_attr is not None and getattr(issued_attr, "unconfirmed", False)),
                effective_confirmed=not getattr(d.attrs.get("effective"), "unconfirmed", False),
                amends=names("amends"),
                issued=one_date("issued"),
                issued_by=issued_attr.by.value if issued_attr and issued_attr.by else None,
                effective=one_date("effective"),
                basis=texts("basis"),
                source_url=source[0] if source else None,
                supersedes=names("supersedes"),
                overrides=names("overrides"),
                supersedes_rules=narrower("supersedes"),
                overrides_rules=narrower("overrides"),
                rules=tuple(d.rules),
                notes=tuple(d.notes),
                examples=tuple(d.examples),
                employee_examples=tuple(d.employee_examples),
                path=d.path,
                source=d.span.source,
                implicit=d.implicit,
            )
        )
    return out


def _override_order(report: _Report, circulars: list[Circular]) -> tuple[str, ...]:
    """Circular keys with every overrider before what it overrides; overrides in a circle and two
    circulars that supersede each other are errors (E134)."""
    by_key = {c.key: c for c in circulars}
    graph = {c.key: [name_key(t) for t in (*c.overrides, *(t for t, _ in c.overrides_rules))] for c in circulars}
    cycle = _find_cycle(graph)
    if cycle is not None:
        report.error(
            by_key[cycle[0]].source,
            "E134",
            msg("resolve.override-cycle", chain=" → ".join(by_key[x].name for x in cycle)),
            msg("resolve.override-cycle-hint"),
        )
        return tuple(by_key)
    # static_order puts what a circular overrides first; reversed, every overrider comes first
    order = list(graphlib.TopologicalSorter(graph).static_order())
    order.reverse()
    # supersedes in a circle switch each other off: reject too
    sup: dict[str, tuple[str, ...]] = {c.key: tuple(name_key(x) for x in c.supersedes) for c in circulars}
    for c in circulars:
        for t in sup[c.key]:
            if c.key in sup.get(t, ()):
                if c.key < t:
                    report.error(
                        c.source,
                        "E134",
                        msg("resolve.supersede-each-other", a=c.name, b=by_key[t].name),
                        msg("resolve.supersede-each-other-hint"),
                    )
    return tuple(order)


def _find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle of ``graph`` (first node repeated at the end), or ``None``."""
    try:
        graphlib.TopologicalSorter({k: list(v) for k, v in graph.items()}).prepare()
    except graphlib.CycleError as e:
        cycle = list(e.args[1])
        cycle.reverse()  # graphlib lists it against the direction of membership
        return cycle
    return None


def resolve(files: list[n.File]) -> tuple[Model, list[Diagnostic]]:
    """Resolve the parsed files of one rule set (with the prelude) into a model and diagnostics."""
    report = _Report()
    categories = _Categories(report, [st for f in files for st in f.statements if isinstance(st, n.CategoryDecl)])
    regions = _Regions(report, [st for f in files for st in f.statements if isinstance(st, n.RegionDecl)])
    calendar = _calendar(report, regions, [st for f in files for st in f.statements if isinstance(st, n.CalendarDecl)])
    meanings = _Meanings(report, categories, regions, calendar)
    drafts: list[_Draft] = []
    for f in files:
        for d in _split(report, f):
            meanings.draft(d)
            drafts.append(d)
    circulars = _link(report, drafts)
    order = _override_order(report, circulars)
    kept = {c.name for c in circulars}
    rules = tuple(rule for rule in meanings.rules if rule.circular in kept)
    constraints = tuple(c for rule in rules for c in rule.constraints)
    employee = tuple(e for rule in rules for e in rule.employee)
    superseded_by: dict[str, list[tuple[str, dt.date | None]]] = {}
    overridden_by: dict[str, list[str]] = {}
    for c in circulars:
        for target in c.supersedes:
            superseded_by.setdefault(name_key(target), []).append((c.key, c.switch_date))
        for target in c.overrides:
            overridden_by.setdefault(name_key(target), []).append(c.key)
    rule_superseded_by: dict[int, list[tuple[str, dt.date | None]]] = {}
    rule_overridden_by: dict[int, list[str]] = {}
    by_key = {c.key: c for c in circulars}

    def named(target: str, labels: tuple[str, ...]) -> list[int]:
        wanted = {name_key(x) for x in labels}
        return [r.id for r in by_key[name_key(target)].rules if r.label is not None and name_key(r.label) in wanted]

    for c in circulars:
        for target, labels in c.supersedes_rules:
            for rid in named(target, labels):
                rule_superseded_by.setdefault(rid, []).append((c.key, c.switch_date))
        for target, labels in c.overrides_rules:
            for rid in named(target, labels):
                rule_overridden_by.setdefault(rid, []).append(c.key)
    model = Model(
        circulars=tuple(circulars),
        categories=dict(categories.categories),
        category_names=dict(categories.names),
        regions=dict(regions.groups),
        under=categories.under(),
        rules=rules,
        constraints=constraints,
        override_order=order,
        superseded_by={k: tuple(v) for k, v in superseded_by.items()},
        overridden_by={k: tuple(v) for k, v in overridden_by.items()},
        rule_superseded_by={k: tuple(v) for k, v in rule_superseded_by.items()},
        rule_overridden_by={k: tuple(v) for k, v in rule_overridden_by.items()},
        calendar=calendar,
        employee_constraints=employee,
    )
    return model, report.diags
