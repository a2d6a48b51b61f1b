"""The applicability plan: which constraints apply on which days, where and to whom — computed once.

:func:`applicability` cuts time with :func:`asnrules.timeline.sweep` and decides every run of days ×
province × agency context with the reference semantics itself (:func:`asnrules.semantics.applicable`),
so ``supersedes`` and ``overrides`` are resolved before anything runs. The compiled index
(:mod:`asnrules.compile_py`), the SQL applicability table (:mod:`asnrules.compile_sql`) and the
conflict checker (:mod:`asnrules.check`) all read this one plan instead of enumerating contexts
each in their own way.

A :class:`Run` holds, for one province (or ``None``: a situation without a province, bound by
nationwide rules only) and one stretch of days, the constraint ids (positions in
``model.constraints``, source order) for each agency context that the rules reaching it can tell
apart (:func:`asnrules.timeline.agency_contexts`; ``(None, None)`` always present). The context of any
other (level, agency) is found with :func:`asnrules.runtime.by_who` — the same look-up every backend
makes. Consecutive runs of a province always differ; days and provinces in no run have nothing
applicable.

**Working days** (LANGUAGE.md §9). A rule ``on working days`` (or with a window counted from a
holiday) applies only on the working days of the situation's province. A run reached by such a rule
holds two tables: :attr:`Run.table` for its working days and :attr:`Run.off` for its non-working days
(decided with those rules left out; ``None`` when no working-day rule reaches the run, the two being
one). Whether a day is a working day in a province is the calendar's
(:meth:`asnrules.workdays.Calendar.is_working_day`, the set's :attr:`~asnrules.model.Model.workdays`);
the backends ask it through the frozen tables of :func:`asnrules.workdays.Calendar.frozen`, tested
equal to it. Runs are not cut at weekends: a timeline stays as long as the rules' own periods make it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from .model import LEVELS, Model, Rule
from .prelude import provinces
from .runtime import by_who
from .semantics import applicable_rules
from .timeline import agency_contexts, sweep

__all__ = ["Context", "Run", "applicability", "contexts_of", "expand"]

_ONE_DAY = dt.timedelta(days=1)
#: How far :meth:`Run.witness` looks for a day of the kind asked for (a year: every year has both).
_WITNESS_DAYS = 400

#: (level, agency key): ``None`` where the situation does not say, or no rule here names it.
Context = tuple[str | None, str | None]


class Run(NamedTuple):
    """Days ``first``..``last`` (both included; ``None``: unbounded) in ``province``: context → ids,
    on working days (``table``) and on non-working days (``off``; ``None``: the same as ``table``)."""

    first: dt.date | None
    last: dt.date | None
    province: str | None
    table: Mapping[Context, tuple[int, ...]]
    off: Mapping[Context, tuple[int, ...]] | None = None

    @property
    def day(self) -> dt.date:
        """A day of the run, to stand for them all (a witness)."""
        if self.first is not None:
            return self.first
        if self.last is not None:
            return self.last
        return dt.date(2000, 1, 3)

    def ids(self, level: str | None, agency: str | None, working: bool = True) -> tuple[int, ...]:
        """The constraint ids for a situation of this level and agency key, on a working day or not
        (as every backend finds them)."""
        table = self.table if working or self.off is None else self.off
        found: tuple[int, ...] = by_who(table, level, agency)
        return found

    def tables(self) -> tuple[tuple[bool | None, Mapping[Context, tuple[int, ...]]], ...]:
        """``((None, table),)`` when working days do not matter here, else ``((True, table), (False,
        off))``: each table with the days it is for (``None``: every day)."""
        if self.off is None:
            return ((None, self.table),)
        return ((True, self.table), (False, self.off))

    def witness(self, model: Model, working: bool | None) -> dt.date | None:
        """A day of the run to stand for those of its days that are working days (``working``
        true) or not (false) in its province, or for any of its days (``None``); ``None`` when the run
        has no such day (a run of one weekend has no working day). The first such day from
        :attr:`day` (the last, back from the run's last day, for a run with no first day)."""
        if working is None:
            return self.day
        calendar = model.workdays
        day = self.day
        # from the first day forwards; a run with no first day, back from its last
        step = -_ONE_DAY if self.first is None and self.last is not None else _ONE_DAY
        for _ in range(_WITNESS_DAYS):
            if self.last is not None and day > self.last:
                return None
            if calendar.is_working_day(day, self.province) == working:
                return day
            if (step > dt.timedelta(0) and day >= dt.date.max - _ONE_DAY) or (
                step < dt.timedelta(0) and day <= dt.date.min + _ONE_DAY
            ):
                return None
            day += step
        return None  # pragma: no cover - no calendar has a year without working days or weekends


def applicability(model: Model, employee: bool = False) -> tuple[Run, ...]:
    """Every run, provinces in code order (``None`` first), days in order; remembered on the model.
    ``employee``: the plan of the employee constraints (LANGUAGE.md §12; ids are positions in
    ``model.employee_constraints``), decided by the same rules of applicability."""
    key = "_employee_applicability" if employee else "_applicability"
    found: tuple[Run, ...] | None = model.__dict__.get(key)
    if found is None:
        found = tuple(_runs(model, employee))
        object.__setattr__(model, key, found)  # a cache: the model is immutable
    return found


def _runs(model: Model, employee: bool = False) -> Iterator[Run]:
    codes = sorted(p.code for p in provinces())
    everywhere: list[str | None] = [None, *codes]
    done: dict[str | None, list[Run]] = {}
    open_runs: dict[str | None, Run] = {}  # per province, the run that the next segment may extend
    # What applies under rules that all match a day and a place depends on that day only through
    # the supersedes in force on it (every day one takes effect starts a segment of the sweep): a
    # table is decided once per (those rules, supersedes in force), and shared by every province
    # and segment that has them.
    since = list(model.switch_days)
    Tables = tuple[Mapping[Context, tuple[int, ...]], Mapping[Context, tuple[int, ...]] | None, bool]
    decided: dict[tuple[tuple[int, ...], int], Tables] = {}

    def decide(day: dt.date, code: str | None, reach: tuple[Rule, ...], epoch: int) -> Tables:
        key = (tuple(r.id for r in reach), epoch)
        found = decided.get(key)
        if found is None:
            if any(r.working_days for r in reach):
                table = _table(model, day, code, reach, True, employee)
                off = _table(model, day, code, reach, False, employee)
                found = (table, off, any(table.values()) or any(off.values()))
            else:
                table = _table(model, day, code, reach, None, employee)
                found = (table, None, any(table.values()))
            decided[key] = found
        return found

    for seg, active in sweep(model, model.rules):
        epoch = bisect.bisect_right(since, seg.day)
        local: dict[str, list[Rule]] = {}
        nationwide: list[Rule] = []
        for r in active:
            if r.provinces is None:
                nationwide.append(r)
            else:
                for p in r.provinces:
                    local.setdefault(p, []).append(r)
        tables = {}
        # each province's rules, in the order of ``active`` (by rule id): its own and the nationwide
        # ones merged, so a segment costs the rules it holds, not provinces × rules
        for province, own in local.items():
            reach = tuple(heapq.merge(nationwide, own, key=_rule_id)) if nationwide else tuple(own)
            tables[province] = decide(seg.day, province, reach, epoch)
        shared = decide(seg.day, None, tuple(nationwide), epoch) if nationwide else None
        for code in everywhere if nationwide else sorted(local):
            found = tables.get(code, shared) if code is not None else shared
            assert found is not None
            table, off, nonempty = found
            last = open_runs.get(code)
            if (
                last is not None
                and (last.table is table or last.table == table)
                and (last.off is off or last.off == off)
                and last.last is not None
                and seg.start is not None
                and last.last + _ONE_DAY == seg.start
            ):
                open_runs[code] = last._replace(last=seg.end)
            elif nonempty:
                if last is not None:
                    done.setdefault(code, []).append(last)
                open_runs[code] = Run(seg.start, seg.end, code, table, off)
    for where, run in open_runs.items():
        done.setdefault(where, []).append(run)
    for where in sorted(done, key=lambda c: (c is not None, c or "")):
        yield from done[where]


def _rule_id(rule: Rule) -> int:
    return rule.id


def _table(
    model: Model, day: dt.date, code: str | None, reach: tuple[Rule, ...], working: bool | None, employee: bool = False
) -> Mapping[Context, tuple[int, ...]]:
    """What applies in each agency context under ``reach``: rules whose periods and places all match
    ``day`` and ``code``, on a working day (``working`` true: every rule of ``reach`` matches), on a
    non-working day (false: the working-day rules do not) or on any day (``None``: no rule of
    ``reach`` is a working-day rule).

    Each context looks only at the rules that match it (those for every agency, for its level, for its
    agency: an index by level and agency), so a table costs what it holds, not contexts × rules; the
    semantics looks at nothing else (what is switched off depends only on the rules that match)."""
    contexts = agency_contexts(reach)
    everyone: list[int] = []
    by_level: dict[str, list[int]] = {}
    by_agency: dict[str, list[int]] = {}
    if working is False:
        reach = tuple(r for r in reach if not r.working_days)
    for i, r in enumerate(reach):
        if r.audience.everyone:
            everyone.append(i)
            continue
        for level in r.audience.levels:
            by_level.setdefault(level, []).append(i)
        for name in r.audience.agencies:
            by_agency.setdefault(name, []).append(i)
    switched = model.switches
    out: dict[Context, tuple[int, ...]] = {}
    for lv, ag in contexts:
        parts = [everyone]
        if lv is not None and lv in by_level:
            parts.append(by_level[lv])
        if ag is not None and ag in by_agency:
            parts.append(by_agency[ag])
        positions = parts[0] if len(parts) == 1 else sorted({i for part in parts for i in part})
        matched = [reach[i] for i in positions]
        if not switched:
            # nothing is ever switched off: what applies is the constraints of the rules that match
            # the context (what semantics.applicable returns then, without asking it again)
            out[(lv, ag)] = tuple(c.id for r in matched for c in (r.employee if employee else r.constraints))
        else:
            rules = applicable_rules(model, day, code, lv, ag, rules=matched, working=working is not False)
            out[(lv, ag)] = tuple(c.id for r in rules for c in (r.employee if employee else r.constraints))
    return out


def contexts_of(model: Model) -> list[Context]:
    """Every (level, agency key) context that any rule of the model can tell apart, ``(None, None)``
    first: what a backend that enumerates contexts (SQL) must list."""
    agencies = sorted({a for r in model.rules for a in r.audience.agencies})
    return [(lv, ag) for lv in (None, *LEVELS) for ag in (None, *agencies)]


def expand(
    runs: Iterable[Run], contexts: Iterable[Context]
) -> Iterator[tuple[Run, Context, bool | None, tuple[int, ...]]]:
    """Each run × each of ``contexts`` × the days it is for (``None``: every day; ``True``/``False``:
    its working or non-working days, :meth:`Run.tables`) with its constraint ids (by
    :meth:`Run.ids`), empty ones left out."""
    listed = list(contexts)
    for run in runs:
        for working, _ in run.tables():
            for ctx in listed:
                ids = run.ids(*ctx, working=working is not False)
                if ids:
                    yield run, ctx, working, ids
