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
from .semantics import applicable
from .timeline import agency_contexts, sweep

__all__ = ["Context", "Run", "applicability", "contexts_of", "expand"]

_ONE_DAY = dt.timedelta(days=1)

#: (level, agency key): ``None`` where the situation does not say, or no rule here names it.
Context = tuple[str | None, str | None]


class Run(NamedTuple):
    """Days ``first``..``last`` (both included; ``None``: unbounded) in ``province``: context → ids."""

    first: dt.date | None
    last: dt.date | None
    province: str | None
    table: Mapping[Context, tuple[int, ...]]

    @property
    def day(self) -> dt.date:
        """A day of the run, to stand for them all (a witness)."""
        if self.first is not None:
            return self.first
        if self.last is not None:
            return self.last
        return dt.date(2000, 1, 3)

    def ids(self, level: str | None, agency: str | None) -> tuple[int, ...]:
        """The constraint ids for a situation of this level and agency key (as every backend finds them)."""
        found: tuple[int, ...] = by_who(self.table, level, agency)
        return found


def applicability(model: Model) -> tuple[Run, ...]:
    """Every run, provinces in code order (``None`` first), days in order; remembered on the model."""
    found: tuple[Run, ...] | None = model.__dict__.get("_applicability")
    if found is None:
        found = tuple(_runs(model))
        object.__setattr__(model, "_applicability", found)  # a cache: the model is immutable
    return found


def _runs(model: Model) -> Iterator[Run]:
    codes = sorted(p.code for p in provinces())
    everywhere: list[str | None] = [None, *codes]
    done: dict[str | None, list[Run]] = {}
    open_runs: dict[str | None, Run] = {}  # per province, the run that the next segment may extend
    # What applies under rules that all match a day and a place depends on that day only through
    # the supersedes in force on it (every day one takes effect starts a segment of the sweep): a
    # table is decided once per (those rules, supersedes in force), and shared by every province
    # and segment that has them.
    since = sorted({d for by in model.superseded_by.values() for _, d in by if d is not None})
    decided: dict[tuple[tuple[int, ...], int], tuple[Mapping[Context, tuple[int, ...]], bool]] = {}

    def decide(
        day: dt.date, code: str | None, reach: tuple[Rule, ...], epoch: int
    ) -> tuple[Mapping[Context, tuple[int, ...]], bool]:
        key = (tuple(r.id for r in reach), epoch)
        found = decided.get(key)
        if found is None:
            table = _table(model, day, code, reach)
            found = decided[key] = (table, any(table.values()))
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
            table, nonempty = found
            last = open_runs.get(code)
            if (
                last is not None
                and (last.table is table or last.table == table)
                and last.last is not None
                and seg.start is not None
                and last.last + _ONE_DAY == seg.start
            ):
                open_runs[code] = last._replace(last=seg.end)
            elif nonempty:
                if last is not None:
                    done.setdefault(code, []).append(last)
                open_runs[code] = Run(seg.start, seg.end, code, table)
    for where, run in open_runs.items():
        done.setdefault(where, []).append(run)
    for where in sorted(done, key=lambda c: (c is not None, c or "")):
        yield from done[where]


def _rule_id(rule: Rule) -> int:
    return rule.id


def _table(model: Model, day: dt.date, code: str | None, reach: tuple[Rule, ...]) -> Mapping[Context, tuple[int, ...]]:
    """What applies in each agency context under ``reach``: rules that all match ``day`` and ``code``.

    Each context looks only at the rules that match it (those for every agency, for its level, for its
    agency: an index by level and agency), so a table costs what it holds, not contexts × rules; the
    semantics looks at nothing else (what is switched off depends only on the rules that match)."""
    contexts = agency_contexts(reach)
    everyone: list[int] = []
    by_level: dict[str, list[int]] = {}
    by_agency: dict[str, list[int]] = {}
    for i, r in enumerate(reach):
        if r.audience.everyone:
            everyone.append(i)
            continue
        for level in r.audience.levels:
            by_level.setdefault(level, []).append(i)
        for name in r.audience.agencies:
            by_agency.setdefault(name, []).append(i)
    switched = bool(model.superseded_by or model.overridden_by)
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
            out[(lv, ag)] = tuple(c.id for r in matched for c in r.constraints)
        else:
            out[(lv, ag)] = tuple(c.id for c in applicable(model, day, code, lv, ag, rules=matched))
    return out


def contexts_of(model: Model) -> list[Context]:
    """Every (level, agency key) context that any rule of the model can tell apart, ``(None, None)``
    first: what a backend that enumerates contexts (SQL) must list."""
    agencies = sorted({a for r in model.rules for a in r.audience.agencies})
    return [(lv, ag) for lv in (None, *LEVELS) for ag in (None, *agencies)]


def expand(runs: Iterable[Run], contexts: Iterable[Context]) -> Iterator[tuple[Run, Context, tuple[int, ...]]]:
    """Each run × each of ``contexts`` with its constraint ids (by :meth:`Run.ids`), empty ones left out."""
    listed = list(contexts)
    for run in runs:
        for ctx in listed:
            ids = run.ids(*ctx)
            if ids:
                yield run, ctx, ids
