"""Cutting time into segments on which the applicable rules cannot change.

A rule set's applicability changes only on the first day of a rule's period, the day after its last
day, and the day a ``supersedes`` (whole or narrower) takes effect — and, for a rule ``on working
days``, between working and non-working days, which the plan tells apart in each run instead of
cutting time at every weekend (:mod:`asnrules.applicability`). Between two such cut points every day sees the same
rules, so deciding one representative day per segment is exact. The applicability plan
(:func:`asnrules.applicability.applicability`), which the checker, the compiled evaluator and the SQL read,
is cut by :func:`sweep` and tells agency contexts apart with :func:`agency_contexts`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from .model import Model, Rule

__all__ = ["Segment", "agency_contexts", "cut_points", "segments", "sweep"]

_ONE_DAY = dt.timedelta(days=1)
_ANY_DAY = dt.date(2000, 1, 3)


class Segment(NamedTuple):
    """Days ``start``..``end`` (both included; ``None``: unbounded) and a day to stand for them all."""

    start: dt.date | None
    end: dt.date | None

    @property
    def day(self) -> dt.date:
        if self.start is not None:
            return self.start
        if self.end is not None:
            return self.end
        return _ANY_DAY


def cut_points(model: Model, rules: Iterable[Rule]) -> list[dt.date]:
    """Sorted days on which a new segment starts."""
    points: set[dt.date] = set()
    for rule in rules:
        for p in rule.periods:
            if p.start is not None:
                points.add(p.start)
            if p.end is not None and p.end < dt.date.max:
                points.add(p.end + _ONE_DAY)
    points.update(model.switch_days)
    return sorted(points)


def segments(points: Sequence[dt.date]) -> list[Segment]:
    """The segments cut by ``points``: before the first, between each two, after the last."""
    if not points:
        return [Segment(None, None)]
    out: list[Segment] = []
    if points[0] > dt.date.min:
        out.append(Segment(None, points[0] - _ONE_DAY))
    out.extend(Segment(a, b - _ONE_DAY) for a, b in itertools.pairwise(points))
    out.append(Segment(points[-1], None))
    return out


def sweep(model: Model, rules: Sequence[Rule]) -> Iterator[tuple[Segment, tuple[Rule, ...]]]:
    """For each segment (of these rules' cut points) on which at least one of them is in its
    period, the segment and those rules. Consecutive segments with the same rules are merged."""
    points = cut_points(model, rules)
    segs = segments(points)
    starts: list[list[int]] = [[] for _ in range(len(segs) + 1)]
    ends: list[list[int]] = [[] for _ in range(len(segs) + 1)]
    offset = 1 if points and points[0] > dt.date.min else 0

    def index(day: dt.date | None, default: int) -> int:
        if day is None:
            return default
        return bisect.bisect_right(points, day) - 1 + offset

    for i, rule in enumerate(rules):
        for p in rule.periods:
            first = index(p.start, 0)
            last = index(p.end, len(segs) - 1)
            starts[first].append(i)
            ends[last + 1].append(i)
    active: dict[int, int] = {}
    previous: tuple[int, ...] | None = None
    run_start: Segment | None = None
    run_end: Segment | None = None
    supersede_days = set(model.switch_days)
    for s, seg in enumerate(segs):
        if ends[s] or starts[s]:
            for i in ends[s]:
                active[i] -= 1
                if not active[i]:
                    del active[i]
            for i in starts[s]:
                active[i] = active.get(i, 0) + 1
            current = tuple(sorted(active))
        else:
            current = previous or ()
        if current == previous and seg.start not in supersede_days:
            run_end = seg
            continue
        if previous and run_start is not None and run_end is not None:
            yield Segment(run_start.start, run_end.end), tuple(rules[i] for i in previous)
        previous, run_start, run_end = current, seg, seg
    if previous and run_start is not None and run_end is not None:
        yield Segment(run_start.start, run_end.end), tuple(rules[i] for i in previous)


def agency_contexts(rules: Iterable[Rule]) -> list[tuple[str | None, str | None]]:
    """The (level, agency) pairs that can tell these rules' who parts apart; (None, None) first."""
    levels: set[str] = set()
    names: set[str] = set()
    for r in rules:
        levels |= r.audience.levels
        names |= r.audience.agencies
    level_opts: list[str | None] = [None, *sorted(levels)]
    name_opts: list[str | None] = [None, *sorted(names)]
    return [(lv, nm) for lv in level_opts for nm in name_opts]
