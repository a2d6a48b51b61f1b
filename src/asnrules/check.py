"""Checks on a resolved rule set (LANGUAGE.md §6): conflicts, redundant constraints, rules that can
never apply.

**Conflicts, exactly.** On one day, place and agency the applicable constraints on a group G bound
the shares of WFO, WFH and WFA, which add up to 100%. Each share lies in an interval (open or closed
at each end); the constraints on G can all hold with staff in G exactly when some point of the three
intervals sums to 100 (:func:`solve`). A group whose constraints force a mode to 0% (directly, or
because the other modes' lower bounds already add up to 100%) forces it to 0% for every category
under it too — that is how a 0% or 100% bound binds sub-categories. Checking every group with these
propagated bounds for every set of constraints that the applicability plan (:mod:`asnrules.applicability`:
every run of days × province × agency context that the rules can tell apart, with ``supersedes`` and
``overrides`` resolved) says apply together finds every conflict and only real ones. Each is
reported once, with a smallest set of constraints that cannot hold together and a witness day,
province and agency. Constraints are quoted and cited by :mod:`asnrules.wording`, as everywhere.

**Working days** (LANGUAGE.md §9). A run of the plan reached by a rule ``on working days`` has two
tables, for its working and its non-working days (:meth:`asnrules.applicability.Run.tables`): each is checked,
with a witness day of its kind in the run's province, and a table whose run holds no such day (a
weekend has no working day) is not read at all, so a rule for every working day never clashes with
one for a weekend. What is never read never applies: a rule ``on working days`` whose days hold no
working day gets W200, as does one switched off by name (``supersedes rule L of N``, ``overrides
rule L of N``, §11) wherever it would apply. A constraint is redundant (W201) only when one other
constraint of its circular, group and mode implies it and applies wherever it does: the stricter
rule for every day makes the one for working days redundant, not the other way round.

**Employee rules** (LANGUAGE.md §12; ``docs/employee-checks.md``). Their plan is
``applicability(model, employee=True)``: a rule with only employee constraints applies where it says
(no W200). E141: constraints of one window kind binding one category that no employee who works
every day in their scope of a whole window can meet together (:func:`employee_assignment`, judged
by :func:`asnrules.runtime.judge_window` itself), with a concrete window as the witness. E142: a
group quota on every day of such a window against employee constraints binding every member of its
group, for a unit of any head count (:func:`_quota_fails`). W201: an employee constraint implied by
another of its circular, rule kind, group, measure and window that applies wherever it does, or one
that every window meets.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple, Protocol

from . import runtime
from .applicability import Run, applicability
from .citing import Chain, Cite, Group, Quoted, chain
from .errors import Diagnostic, Source
from .keywords import keyword, spelling
from .messages import Join, Kw, Msg, msg
from .model import MODES, Circular, Constraint, EmployeeConstraint, Model, Rule
from .prelude import name_key, province_name
from .runtime import DayRec
from .timeline import Segment

__all__ = [
    "Conflict",
    "EmployeeConflict",
    "EmployeeQuoted",
    "Interval",
    "check",
    "employee_assignment",
    "find_conflicts",
    "find_employee_conflicts",
    "interval",
    "pinned",
    "solve",
]

NO_MODES: frozenset[str] = frozenset()


class Bounded(Protocol):
    """What the interval arithmetic needs of a constraint."""

    @property
    def mode(self) -> str: ...
    @property
    def comparison(self) -> str: ...
    @property
    def bound(self) -> Decimal: ...


Number = int | Fraction


class Interval(NamedTuple):
    """The shares (percent, or in units of 1/scale percent) a mode may take: ``lo``..``hi``, each
    end open or closed."""

    lo: Number
    lo_closed: bool
    hi: Number
    hi_closed: bool

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_closed and self.hi_closed))

    def __and__(self, other: Interval) -> Interval:
        if other.lo > self.lo or (other.lo == self.lo and not other.lo_closed):
            lo, lo_c = other.lo, other.lo_closed
        else:
            lo, lo_c = self.lo, self.lo_closed
        if other.hi < self.hi or (other.hi == self.hi and not other.hi_closed):
            hi, hi_c = other.hi, other.hi_closed
        else:
            hi, hi_c = self.hi, self.hi_closed
        return Interval(lo, lo_c, hi, hi_c)

    def within(self, other: Interval) -> bool:
        """Whether every point of this (non-empty) interval is in ``other``."""
        return (self & other) == self


def interval(c: Bounded) -> Interval:
    """The shares (in percent) of ``c.mode`` that satisfy ``c``."""
    return _interval(c.comparison, c.bound)


def _shape(comparison: str, p: Number, hundred: Number) -> Interval:
    return {
        "<=": Interval(0, True, p, True),
        "<": Interval(0, True, p, False),
        ">=": Interval(p, True, hundred, True),
        ">": Interval(p, False, hundred, True),
        "=": Interval(p, True, p, True),
    }[comparison] & Interval(0, True, hundred, True)


@functools.lru_cache(maxsize=4096)
def _interval(comparison: str, bound: Decimal) -> Interval:
    return _shape(comparison, Fraction(bound), Fraction(100))


# Solving runs on integers: every bound of one group times 10^(its most decimal places).
@functools.lru_cache(maxsize=65536)
def _scaled(comparison: str, bound: Decimal, scale: int) -> Interval:
    p = Fraction(bound) * scale
    assert p.denominator == 1
    return _shape(comparison, p.numerator, 100 * scale)


def _scale(bounds: Iterable[Decimal]) -> int:
    places = 0
    for b in bounds:
        exponent = b.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            places = -exponent
    scale: int = 10**places
    return scale


def _intervals(constraints: Iterable[Bounded], zero: frozenset[str]) -> tuple[dict[str, Interval], int]:
    cs = list(constraints)
    scale = _scale(c.bound for c in cs)
    full, none = Interval(0, True, 100 * scale, True), Interval(0, True, 0, True)
    iv = {m: (none if m in zero else full) for m in MODES}
    for c in cs:
        iv[c.mode] = iv[c.mode] & _scaled(c.comparison, c.bound, scale)
    return iv, scale


def _solve(iv: dict[str, Interval], hundred: int) -> dict[str, Number] | None:
    if any(i.empty for i in iv.values()):
        return None
    low = sum(i.lo for i in iv.values())
    high = sum(i.hi for i in iv.values())
    if low == hundred and all(i.lo_closed for i in iv.values()):
        return {m: i.lo for m, i in iv.items()}
    if high == hundred and all(i.hi_closed for i in iv.values()):
        return {m: i.hi for m, i in iv.items()}
    if low < hundred < high:
        # every share strictly inside its interval (or at its only point): open ends are respected
        t = Fraction(hundred - low, high - low)
        return {m: i.lo + t * (i.hi - i.lo) for m, i in iv.items()}
    return None


def _pinned(iv: dict[str, Interval], zero: frozenset[str], hundred: int) -> frozenset[str]:
    out = set(zero)
    for m in MODES:
        others = sum(iv[o].lo for o in MODES if o != m)
        if iv[m].hi == 0 or others >= hundred:
            out.add(m)
    return frozenset(out)


def solve(constraints: Iterable[Bounded], zero: frozenset[str] = frozenset()) -> dict[str, Fraction] | None:
    """Shares of WFO, WFH, WFA (percent, summing to 100) satisfying every constraint (all on one
    group) with the modes in ``zero`` at 0%; ``None`` when there are none."""
    iv, scale = _intervals(constraints, zero)
    shares = _solve(iv, 100 * scale)
    return None if shares is None else {m: Fraction(v) / scale for m, v in shares.items()}


def pinned(constraints: Iterable[Bounded], zero: frozenset[str] = frozenset()) -> frozenset[str]:
    """The modes these (satisfiable) constraints force to 0%."""
    iv, scale = _intervals(constraints, zero)
    return _pinned(iv, zero, 100 * scale)


def _verdict(values: Sequence[Bounded], zero: frozenset[str]) -> tuple[bool, frozenset[str]]:
    """Whether constraints with these values (mode, comparison, bound) can hold together with the
    modes in ``zero`` at 0%, and the modes they then pin to 0%."""
    iv, scale = _intervals(values, zero)
    if _solve(iv, 100 * scale) is None:
        return False, frozenset()
    return True, _pinned(iv, zero, 100 * scale)


class _Value(NamedTuple):
    mode: str
    comparison: str
    bound: Decimal


_ALL_MODES = (1 << len(MODES)) - 1
_FULL = Interval(0, True, 100, True)
_NONE = Interval(0, True, 0, True)


def _holds_at(c: Bounded, mode: str) -> bool:
    """Whether ``c`` holds when every member of staff works in ``mode`` (its mode's share is 100% if
    it is ``mode``, else 0%)."""
    share = 100 if c.mode == mode else 0
    i = interval(c)
    return (i.lo < share or (i.lo == share and i.lo_closed)) and (share < i.hi or (share == i.hi and i.hi_closed))


@dataclass(frozen=True)
class Conflict:
    """A smallest set of constraints that cannot all hold for ``group`` on ``day`` (one day of the
    days ``segment`` stands for), in ``province`` (``None``: a unit whose province is not given), for
    the agency context ``level``/``agency``: the witness, a run of the applicability plan."""

    group: str
    constraints: tuple[Constraint, ...]
    day: dt.date
    province: str | None
    level: str | None
    agency: str | None
    segment: Segment | None = None
    #: the days of ``segment`` it stands for: ``None`` every day, ``True`` its working days in
    #: ``province``, ``False`` its non-working days (LANGUAGE.md §9; :meth:`asnrules.applicability.Run.tables`)
    working: bool | None = None
    #: whether ``segment`` holds another day of that kind after ``day``
    more: bool = True


class _Groups:
    """Per-model facts about categories (their parents, an order with ancestors first) and the
    numbered values of the constraints, on which feasibility is decided.

    Nothing here costs the square of the categories: pins flow from each group to its direct
    members (a group's pins hold its ancestors' already), the groups a set of constraints reaches
    are found in one walk down, and ancestors are walked up only for the few groups that ask."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.members = {c: cat.members for c, cat in model.categories.items()}
        parents: dict[str, list[str]] = {c: [] for c in model.categories}
        for c, ms in self.members.items():
            for m in ms:
                if m in parents and c not in parents[m][-1:]:
                    parents[m].append(c)
        self.parents = parents
        self.order = _ancestors_first(self.members)
        self.rank = {c: i for i, c in enumerate(self.order)}
        self._ancestors: dict[str, frozenset[str]] = {}
        self._failed_key: dict[str, tuple[int, str]] = {}
        # Feasibility depends only on the constraints' values, not on which rule states them, and
        # intersecting intervals is idempotent and commutative: so sets of values decide it. Values
        # recur across circulars and days; they are numbered so that sets of them hash fast, and
        # each set is decided once. A value is (group, mode, comparison, bound); its bound part
        # (mode, comparison, bound) is numbered too, as the verdict of one group needs only that.
        values: dict[tuple[str, str, str, Decimal], int] = {}
        bounds: dict[tuple[str, str, Decimal], int] = {}
        self.value_of = [
            values.setdefault((c.group, c.mode, c.comparison, c.bound), len(values)) for c in model.constraints
        ]
        self.group_of = [g for g, _, _, _ in values]
        self.bound_of = [bounds.setdefault((m, cmp, b), len(bounds)) for _, m, cmp, b in values]
        self.bounds = [_Value(*b) for b in bounds]
        # Most sets of constraints all hold when every member of staff works in one mode (the
        # circulars' usual "at most so much at home, at least so much at the office"). Then no
        # group can fail (a share of 100% in that mode for every group meets every constraint and
        # what the ancestors pin), and nothing needs solving: each value carries the modes at
        # which it holds so, as bits.
        at_one_mode = [sum(1 << i for i, m in enumerate(MODES) if _holds_at(b, m)) for b in self.bounds]
        self.one_mode = [at_one_mode[b] for b in self.bound_of]
        self.verdicts: dict[tuple[frozenset[int], frozenset[str]], tuple[bool, frozenset[str]]] = {}
        self.orders: dict[frozenset[str], list[str]] = {}
        self.uptos: dict[str, list[str]] = {}

    def ancestors(self, group: str) -> frozenset[str]:
        """Every category that has ``group`` under it (excluding itself), walked up once."""
        found = self._ancestors.get(group)
        if found is None:
            found = self._ancestors[group] = self.model.ancestors(group)
        return found

    def failed_order(self, group: str) -> tuple[int, str]:
        """Where a failing group is listed among others: fewer ancestors first, then by name."""
        found = self._failed_key.get(group)
        if found is None:
            found = self._failed_key[group] = (len(self.ancestors(group)), group)
        return found

    def all_in_one_mode(self, values: Iterable[int]) -> bool:
        """Whether constraints with these values all hold when all staff work in one same mode."""
        one_mode = self.one_mode
        bits = _ALL_MODES
        for v in values:
            bits &= one_mode[v]
            if not bits:
                return False
        return True

    def values(self, ids: Iterable[int]) -> frozenset[int]:
        """The numbered values of the constraints with these ids."""
        value_of = self.value_of
        return frozenset([value_of[i] for i in ids])

    def _reach(self, groups: Iterable[str]) -> list[str]:
        """These groups and every category under them, ancestors first (one walk down)."""
        seen = set(groups)
        stack = list(seen)
        members = self.members
        while stack:
            for m in members.get(stack.pop(), ()):
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        rank = self.rank
        return sorted((g for g in seen if g in rank), key=rank.__getitem__)

    def zero_pins(self, values: Iterable[int], upto: str | None = None) -> tuple[dict[str, frozenset[str]], list[str]]:
        """Pins of every group (ancestors first) and the groups whose constraints cannot hold, for
        constraints with these values (up to the group ``upto`` only, when given). The failing
        groups are listed with fewer ancestors first, then by name."""
        by_group: dict[str, list[int]] = {}
        for v in values:
            g = self.group_of[v]
            if g in by_group:
                by_group[g].append(self.bound_of[v])
            else:
                by_group[g] = [self.bound_of[v]]
        if upto is not None:
            order = self.uptos.get(upto)
            if order is None:
                chain = {upto, *self.ancestors(upto)}
                order = self.uptos[upto] = sorted((g for g in chain if g in self.rank), key=self.rank.__getitem__)
        else:  # a group with no constraints on it or above it has nothing to check
            key = frozenset(by_group)
            found = self.orders.get(key)
            if found is None:
                found = self.orders[key] = self._reach(key)
            order = found
        pins: dict[str, frozenset[str]] = {}
        failed: list[str] = []
        parents = self.parents
        for g in order:
            zero = NO_MODES
            if pins:
                # a group's pins hold those of its own ancestors: its parents' pins are all it inherits
                for a in parents[g]:
                    if a in pins:
                        zero = zero | pins[a]
            own = by_group.get(g)
            if not own:  # only what its ancestors pin: it fails when they pin every mode
                if zero:
                    pins[g] = zero
                    if len(zero) == len(MODES):
                        failed.append(g)
                continue
            decide = (frozenset(own), zero)
            verdict = self.verdicts.get(decide)
            if verdict is None:
                verdict = self.verdicts[decide] = _verdict([self.bounds[i] for i in decide[0]], zero)
            ok, p = verdict
            if not ok:
                failed.append(g)
                if zero:
                    pins[g] = zero
                continue
            if p:
                pins[g] = p
        if len(failed) > 1:
            failed.sort(key=self.failed_order)
        return pins, failed

    def chain(self, group: str) -> list[str]:
        """``group`` and its ancestors, ancestors first."""
        order = self.uptos.get(group)
        if order is None:
            chain = {group, *self.ancestors(group)}
            order = self.uptos[group] = sorted((g for g in chain if g in self.rank), key=self.rank.__getitem__)
        return order

    def minimal(self, group: str, constraints: Sequence[Constraint]) -> tuple[Constraint, ...]:
        """A smallest-by-deletion subset of ``constraints`` that still cannot hold for ``group``:
        each constraint in turn is deleted when the others left still cannot hold.

        Computed without solving the whole set once per constraint: a constraint whose value
        recurs later is always deleted (the values left are the same), so only the last of each
        value is tried; and as intersecting intervals is associative, the intervals of the ones
        kept so far and of every suffix of the ones still to try are kept per group and mode, so
        each try costs the groups above ``group``, not the constraints."""
        ancestors = self.ancestors(group)
        keep = [c for c in constraints if c.group == group or c.group in ancestors]
        value_of = self.value_of
        last = {value_of[c.id]: pos for pos, c in enumerate(keep)}
        items = [c for pos, c in enumerate(keep) if last[value_of[c.id]] == pos]
        chain = self.chain(group)
        # per (group, mode): the positions of its items, and the intervals of each suffix of them
        positions: dict[tuple[str, str], list[int]] = defaultdict(list)
        for pos, c in enumerate(items):
            positions[(c.group, c.mode)].append(pos)
        suffix: dict[tuple[str, str], list[Interval]] = {}
        for key, where in positions.items():
            acc = _FULL
            out = [_FULL] * len(where)
            for t in range(len(where) - 1, -1, -1):
                acc = acc & interval(items[where[t]])
                out[t] = acc
            suffix[key] = out
        kept: dict[tuple[str, str], Interval] = {}
        parents = self.parents

        def holds_without(j: int) -> bool:  # the kept ones and those after items[j]
            pins: dict[str, frozenset[str]] = {}
            ok = True
            for h in chain:
                zero = NO_MODES
                if pins:
                    for a in parents[h]:
                        if a in pins:
                            zero = zero | pins[a]
                iv: dict[str, Interval] = {}
                own = False
                for m in MODES:
                    i = _NONE if m in zero else _FULL
                    k = kept.get((h, m))
                    if k is not None:
                        i, own = i & k, True
                    where = positions.get((h, m))
                    if where is not None:
                        t = bisect.bisect_right(where, j)
                        if t < len(where):
                            i, own = i & suffix[(h, m)][t], True
                    iv[m] = i
                if not own:
                    ok = len(zero) < len(MODES)
                    if zero:
                        pins[h] = zero
                    continue
                ok = _solve(iv, 100) is not None
                if not ok:
                    if zero:
                        pins[h] = zero
                    continue
                p = _pinned(iv, zero, 100)
                if p:
                    pins[h] = p
            return ok  # the verdict of the last group of the chain: ``group`` itself

        chosen: list[Constraint] = []
        for j, c in enumerate(items):
            if holds_without(j):  # needed: without it the rest would hold
                key = (c.group, c.mode)
                kept[key] = kept[key] & interval(c) if key in kept else interval(c)
                chosen.append(c)
        return tuple(sorted(chosen, key=lambda c: c.id))


def _ancestors_first(members: Mapping[str, Sequence[str]]) -> list[str]:
    """The categories with every one after all that contain it: by depth (the longest chain of
    memberships above it), then by name (anything left in a circle, an error already, last)."""
    indegree = dict.fromkeys(members, 0)
    for ms in members.values():
        for m in ms:
            if m in indegree:
                indegree[m] += 1
    depth = dict.fromkeys(members, 0)
    ready = [c for c, k in indegree.items() if k == 0]
    done: list[str] = []
    while ready:
        c = ready.pop()
        done.append(c)
        for m in members[c]:
            if m in indegree:
                depth[m] = max(depth[m], depth[c] + 1)
                indegree[m] -= 1
                if indegree[m] == 0:
                    ready.append(m)
    rest = sorted(c for c in members if indegree[c] > 0)
    return [*sorted(done, key=lambda c: (depth[c], c)), *rest]


def find_conflicts(model: Model) -> tuple[list[Conflict], dict[int, int | None], set[int]]:
    """Every conflict (each smallest set once), the redundancy verdict of each constraint that ever
    applies (``None``: needed somewhere, or implied only by different constraints in different
    places; ``-1``: allows every share; else the id of one constraint of the same circular that
    implies it and applies wherever it does), and the ids of the rules that apply somewhere.

    What applies where is read off the applicability plan (:func:`asnrules.applicability.applicability`):
    each distinct set of constraint ids of its runs (of their working and non-working days apart,
    where a rule ``on working days`` reaches them) is decided once, and the first run (provinces in
    code order, days in order; situations naming no province last) where a conflict shows is its
    witness, on its first day of the kind the table is for."""
    groups = _Groups(model)
    constraints = model.constraints
    failures: dict[frozenset[int], list[str]] = {}
    dominance = _Dominance(model)
    pending = set(dominance.first)  # may still turn out redundant
    seen: set[tuple[int, ...]] = set()
    read: set[int] = set()  # the tables already read (runs of one stretch of days share equal ones)
    conflicts: dict[frozenset[int], Conflict] = {}
    runs = applicability(model)
    # Fewer constraints can only be easier to satisfy: a set of values inside one already found
    # satisfiable needs no solving. The widest agency context of a run is decided first, and the
    # last few satisfiable sets (neighbouring runs differ by a rule or two) are kept.
    good: deque[frozenset[int]] = deque(maxlen=4)
    ordered = (*(r for r in runs if r.province is not None), *(r for r in runs if r.province is None))
    for run, working, table in ((r, w, t) for r in ordered for w, t in r.tables()):
        if id(table) in read:
            continue
        # the days this table is for: a run that holds none of them (a weekend has no working day)
        # says nothing; the table is read where it first stands for some day
        found = _witness(model, run, working)
        if found is None:
            continue
        read.add(id(table))
        day, more = found
        contexts: list[tuple[str | None, str | None, tuple[int, ...], frozenset[int]]] = []
        for (level, agency), ids in table.items():
            if not ids or ids in seen:
                continue
            seen.add(ids)
            dominance.record(ids)
            if pending:
                dominance.note_needed(ids, pending)
            contexts.append((level, agency, ids, groups.values(ids)))
        if not contexts:
            continue
        for values in sorted((ctx[3] for ctx in contexts), key=len, reverse=True):
            if values in failures:
                continue
            if groups.all_in_one_mode(values) or any(values <= g for g in good):
                failures[values] = []
                continue
            failed = failures[values] = groups.zero_pins(values)[1]
            if not failed:
                good.append(values)
        for level, agency, ids, values in contexts:
            if not failures[values]:
                continue
            active = [constraints[i] for i in ids]
            for g in failures[values]:
                smallest = groups.minimal(g, active)
                key = frozenset(c.id for c in smallest)
                if key not in conflicts:
                    segment = Segment(run.first, run.last)
                    conflicts[key] = Conflict(
                        g, smallest, day, run.province, level, agency, segment, working=working, more=more
                    )
    used_constraints: set[int] = set().union(*seen)
    used_rules = {constraints[i].rule_id for i in used_constraints}
    # a constraint that applies somewhere is redundant when it was never found needed and one
    # constraint implies it wherever it applies
    redundancy = {i: dominance.dominator(i) if i in pending else None for i in sorted(used_constraints)}
    return list(conflicts.values()), redundancy, used_rules


def _witness(model: Model, run: Run, working: bool | None) -> tuple[dt.date, bool] | None:
    """The first day of ``run`` that is a working day in its province (``working`` true), a
    non-working day (false) or any day (``None``), and whether the run holds another such day after
    it; ``None`` when it holds no such day (:meth:`asnrules.applicability.Run.witness`). A run unbounded
    before its last day stands for the last such day up to it."""
    if working is None:
        return run.day, run.first != run.last or run.first is None
    calendar = model.workdays

    def kind(day: dt.date) -> bool:
        return calendar.is_working_day(day, run.province) == working

    first = run.witness(model, working)  # the last such day, for a run with no first day
    if first is None:
        return None
    if run.last is None or run.first is None:
        return first, True
    day = first
    for _ in range(_LOOK_DAYS):
        if day >= run.last:
            return first, False
        day += _ONE_DAY
        if kind(day):
            return first, True
    return first, True  # pragma: no cover - every year has both kinds of days


_ONE_DAY = dt.timedelta(days=1)
#: How far a witness is looked for (a year holds days of both kinds)
_LOOK_DAYS = 400


class _Dominance:
    """Which constraints could be redundant, and what would make them so.

    A constraint is implied by another of the same circular, group and mode when its interval of
    shares holds the other's. Interval containment is a comparison of two coordinates — how strict
    the lower end is (its value, then open stricter than closed) and how strict the upper end is —
    so each constraint is a point, ``d`` implies ``c`` when ``d``'s point is at least ``c``'s on both,
    and the questions asked (the first constraint that implies one; whether one active here does)
    are answered by sorting points, never by comparing every pair. A constraint that allows every
    share is ``-1``. Restating another circular's rule is normal practice, so only one circular's
    own constraints are compared.

    Constraints of one list need not apply on the same days (a rule ``on working days`` next to one
    for every day, LANGUAGE.md §9): each is noted at every distinct set of constraints it is active
    in (:meth:`record`), and one is redundant only when a single other that implies it is active
    wherever it is (:meth:`dominator`). Of two at the same point, the one active in fewer places is
    the redundant one; where they are active alike, the later one."""

    def __init__(self, model: Model) -> None:
        same: dict[tuple[str, str, str], list[Constraint]] = defaultdict(list)
        for c in model.constraints:
            same[(c.circular, c.group, c.mode)].append(c)
        #: id → ``-1`` (allows every share) or another constraint implying it (:func:`_first_dominators`)
        self.first: dict[int, int] = {}
        self.point: dict[int, tuple[int, int]] = {}  # id → (lower-end rank, upper-end rank)
        self.list_of: dict[int, int] = {}  # id → its (circular, group, mode), numbered
        #: id (of a list of two or more) → the sets of constraints it is active in, numbered
        self.where: dict[int, list[int]] = {}
        self._spots: list[tuple[int, ...]] = []  # each such set: the ids in it of lists of two or more
        self._where_sets: dict[int, frozenset[int]] = {}
        for number, cs in enumerate(same.values()):
            if len(cs) == 1:  # the usual case: only "allows every share" to look for
                if _implies(_EVERY, (cs[0].comparison, cs[0].bound)):
                    self.first[cs[0].id] = -1
                continue
            # few distinct (comparison, bound) values per list: each is turned into a point once
            index: dict[tuple[str, Decimal], int] = {}
            ks = [index.setdefault((c.comparison, c.bound), len(index)) for c in cs]
            keys = list(index)
            every = [_implies(_EVERY, k) for k in keys]
            ivs = [_interval(*k) for k in keys]
            los = [(i.lo, 0 if i.lo_closed else 1) for i in ivs]
            his = [(-i.hi, 0 if i.hi_closed else 1) for i in ivs]
            lo_rank = {v: r for r, v in enumerate(sorted(set(los)))}
            hi_rank = {v: r for r, v in enumerate(sorted(set(his)))}
            points = [(lo_rank[los[k]], hi_rank[his[k]]) for k in ks]
            for c, pt in zip(cs, points, strict=True):
                self.point[c.id] = pt
                self.list_of[c.id] = number
                self.where[c.id] = []
            firsts = _first_dominators(points, [c.id for c in cs], len(hi_rank))
            for c, k, first in zip(cs, ks, firsts, strict=True):
                if every[k]:
                    self.first[c.id] = -1
                elif first is not None:
                    self.first[c.id] = first

    def note_needed(self, active: Sequence[int], pending: set[int]) -> None:
        """A constraint active here (by id) that no other constraint active here implies is needed
        after all: it leaves ``pending``."""
        first = self.first
        candidates = [i for i in active if i in pending and first[i] != -1]
        if not candidates:
            return
        if len(active) == 1:  # alone here: nothing else active implies it
            pending.discard(candidates[0])
            return
        list_of = self.list_of
        lists = {list_of[i] for i in candidates}
        members: dict[int, list[int]] = defaultdict(list)
        for i in active:
            number = list_of.get(i)
            if number is not None and number in lists:
                members[number].append(i)
        implied: set[int] = set()
        for ids in members.values():
            implied |= _implied(ids, self.point)
        for i in candidates:
            if i not in implied:
                pending.discard(i)

    def record(self, active: Sequence[int]) -> None:
        """Note that the constraints ``active`` (by id) apply together somewhere."""
        spot = len(self._spots)
        where = self.where
        kept = []
        for i in active:
            found = where.get(i)
            if found is not None:
                found.append(spot)
                kept.append(i)
        self._spots.append(tuple(kept))

    def _spot_set(self, i: int) -> frozenset[int]:
        found = self._where_sets.get(i)
        if found is None:
            found = self._where_sets[i] = frozenset(self.where[i])
        return found

    def _covers(self, j: int, i: int) -> bool:
        """Whether ``j`` (which implies ``i``) is active wherever ``i`` is, and is the one to keep."""
        mine, theirs = self.where[i], self.where[j]
        if len(theirs) < len(mine):
            return False
        if len(mine) > 1 or len(theirs) > 1:
            if not self._spot_set(j) >= self._spot_set(i):
                return False
        elif mine != theirs:
            return False
        if self.point[j] != self.point[i]:
            return True
        return len(theirs) > len(mine) or j < i

    def dominator(self, i: int) -> int | None:
        """For a constraint found implied wherever it is active: ``-1`` when it allows every share,
        else one constraint that implies it and is active wherever it is (the hint of
        :func:`_first_dominators` when it is one, else the smallest id; ``None``: none is, several
        imply it each in some places only)."""
        hint = self.first[i]
        if hint == -1:
            return -1
        if self._covers(hint, i):
            return hint
        # the others that imply it where it is active with the fewest others: only they can cover it
        lo, hi = self.point[i]
        number = self.list_of[i]
        fewest = min((self._spots[spot] for spot in self.where[i]), key=len)
        for j in sorted(fewest):
            if j != i and j != hint and self.list_of[j] == number:
                pj = self.point[j]
                if pj[0] >= lo and pj[1] >= hi and self._covers(j, i):
                    return j
        return None


def _first_dominators(points: Sequence[tuple[int, int]], ids: Sequence[int], heights: int) -> list[int | None]:
    """For each constraint (its point and id), the smallest id of another that implies it: one at a
    point at least as strict on both ends and not the same point, or one at the same point with a
    smaller id; failing those, the next one at the same point (a hint, :meth:`_Dominance.dominator`).
    Points in decreasing order of the lower end, with a Fenwick tree of the smallest id seen for each
    upper end (its suffix minimum: every upper end at least as strict)."""
    none = len(ids) + max(ids, default=0) + 1
    least: dict[tuple[int, int], int] = {}
    second: dict[tuple[int, int], int] = {}  # the next smallest id at the same point
    for pt, i in zip(points, ids, strict=True):
        if pt not in least:
            least[pt] = i
        elif i < least[pt]:
            second[pt] = min(second.get(pt, none), least[pt])
            least[pt] = i
        elif i != least[pt]:
            second[pt] = min(second.get(pt, none), i)
    tree = [none] * (heights + 1)

    def query(pos: int) -> int:  # smallest id at positions 1..pos
        out = none
        while pos > 0:
            out = min(out, tree[pos])
            pos -= pos & -pos
        return out

    def update(pos: int, value: int) -> None:
        while pos <= heights:
            if value < tree[pos]:
                tree[pos] = value
            pos += pos & -pos

    strict: dict[tuple[int, int], int] = {}
    ordered = sorted(least, key=lambda p: (-p[0], -p[1]))
    at = 0
    while at < len(ordered):
        lo = ordered[at][0]
        group = []
        while at < len(ordered) and ordered[at][0] == lo:
            group.append(ordered[at])
            at += 1
        run = none  # the same lower end and a stricter upper end: the ones before in the group
        for pt in group:
            strict[pt] = min(query(heights - pt[1]), run)
            run = min(run, least[pt])
        for pt in group:
            update(heights - pt[1], least[pt])
    out: list[int | None] = []
    for pt, i in zip(points, ids, strict=True):
        best = min(strict[pt], least[pt] if least[pt] < i else none)
        if best == none and least[pt] == i:  # only later ones at its point: it may be their repeat
            best = second.get(pt, none)
        out.append(None if best == none else best)
    return out


def _implied(ids: Sequence[int], point: Mapping[int, tuple[int, int]]) -> set[int]:
    """Of these constraints (active together, of one list), those another of them implies (two at
    the same point imply each other: :meth:`_Dominance.dominator` keeps one)."""
    if len(ids) == 1:
        return set()
    least: dict[tuple[int, int], int] = {}
    twice: set[tuple[int, int]] = set()
    for i in ids:
        pt = point[i]
        if pt in least:
            twice.add(pt)
        else:
            least[pt] = i
    strictly: set[tuple[int, int]] = set()
    ordered = sorted(least, key=lambda p: (-p[0], -p[1]))
    best = -1  # the strictest upper end among the points with a stricter lower end
    at = 0
    while at < len(ordered):
        lo = ordered[at][0]
        top = ordered[at][1]
        if best >= top:
            strictly.add(ordered[at])
        at += 1
        while at < len(ordered) and ordered[at][0] == lo:
            strictly.add(ordered[at])  # the same lower end, a laxer upper end than the group's top
            at += 1
        best = max(best, top)
    return {i for i in ids if point[i] in strictly or point[i] in twice}


_EVERY = ("<=", Decimal(100))  # the (comparison, bound) every share satisfies


@functools.lru_cache(maxsize=65536)
def _implies(a: tuple[str, Decimal], b: tuple[str, Decimal]) -> bool:
    """Whether every share satisfying comparison-and-bound ``a`` satisfies ``b``."""
    return _interval(*a).within(_interval(*b))


def _quoted(c: Constraint) -> Msg:
    """``'admin WFH <= 50%'``: a constraint as the messages quote it."""
    return msg("check.quoted", constraint=Quoted(c))


def _cited(c: Constraint, citation: Cite) -> Msg:
    """``'admin WFH <= 50%' (SE A, rule r1, a.asnr:3:5)``."""
    return msg("check.cited", constraint=Quoted(c), citation=citation)


def _note(model: Model, c: Constraint) -> Msg:
    """What a related place says of its constraint: ``'admin WFH <= 50%' (SE A, rule r1)``."""
    who = Cite(c, model=model, place=False)
    return _cited(c, who) if who else _quoted(c)


def _and(items: Sequence[object]) -> Chain:
    """``a and b and c`` (``a, b, dan c``)."""
    return chain(items, "check.and", "and")


def _reason(model: Model, conflict: Conflict) -> Msg:
    own = [c for c in conflict.constraints if c.group == conflict.group]
    inherited = [c for c in conflict.constraints if c.group != conflict.group]
    if inherited:
        parents = sorted({c.group for c in inherited})
        forced = sorted(
            set().union(*(pinned([c for c in inherited if c.group == p]) for p in parents)), key=MODES.index
        )
        whose = _and([Group(p) for p in parents])
        modes = _and(forced) if forced else msg("check.a-mode")
        return msg("check.reason-inherited", whose=whose, modes=modes, group=Group(conflict.group))
    iv, scale = _intervals(own, frozenset())
    for m, i in iv.items():
        if i.empty:
            if len([c for c in own if c.mode == m]) == 1:
                return msg("check.reason-empty-one", mode=m)
            return msg("check.reason-empty", mode=m)
    if sum(i.lo for i in iv.values()) >= 100 * scale:
        return msg("check.reason-over")
    return msg("check.reason-gap")


_DAYS = {None: "check.days-any", True: "check.days-working", False: "check.days-off"}


def _when(conflict: Conflict) -> Msg:
    seg = conflict.segment
    days = msg(_DAYS[conflict.working])
    if seg is not None and seg.start is None and seg.end is None:
        return msg("check.when-always", days=days)
    if seg is None or seg.start == seg.end or not conflict.more:
        return msg("check.when-day", day=conflict.day.isoformat())
    if seg.start is None and seg.end is not None:
        return msg("check.when-until", days=days, end=seg.end.isoformat())
    if seg.end is None and seg.start is not None:
        return msg("check.when-from", days=days, start=conflict.day.isoformat())
    assert seg.end is not None
    return msg("check.when-run", days=days, day=conflict.day.isoformat(), end=seg.end.isoformat())


def _context(conflict: Conflict, everywhere: bool, agency_names: dict[str, str]) -> Msg:
    where: Msg | str
    if conflict.province is None:  # only where no province is given: elsewhere other rules apply too
        where = msg("check.where-unknown-province")
    else:
        where = msg("check.where-province", province=province_name(conflict.province))
        if everywhere:
            where = msg("check.where-everywhere", province=where)
    level = Kw(conflict.level.upper()) if conflict.level else None
    name = agency_names.get(conflict.agency, conflict.agency) if conflict.agency else None
    when = _when(conflict)
    if level is not None and name is not None:
        return msg("check.context-level-agency", when=when, where=where, level=level, agency=name)
    if level is not None:
        return msg("check.context-level", when=when, where=where, level=level)
    if name is not None:
        return msg("check.context-agency", when=when, where=where, agency=name)
    return msg("check.context", when=when, where=where)


_KINDS = ("circular", "regulation", "instruction", "decree")


def _kind(which: str, circ: Circular) -> Msg:
    """``this circular`` / ``peraturan ini``, ``its circular`` / ``surat edarannya``: the instrument by its kind."""
    kind = circ.kind if circ.kind in _KINDS else "circular"
    return msg(f"check.{which}.{kind}")


def check(model: Model) -> list[Diagnostic]:
    """Every diagnostic of §6 beyond names and syntax: conflicts (E140), conflicts between employee
    rules (E141) and between group quotas and employee rules (E142), rules that never apply (W200),
    redundant constraints (W201, employee constraints too), supersedes (whole or by rule) without a
    date (W203), duplicate labels (W204)."""
    out: list[Diagnostic] = []
    conflicts, redundancy, used_rules = find_conflicts(model)
    employee_conflicts, together, quotas = find_employee_conflicts(model)
    used_rules = used_rules | {model.employee_constraints[i].rule_id for ids in together for i in ids}
    rule_of = {r.id: r for r in model.rules}
    agency_names = {name_key(a): a for r in model.rules for a in r.audience.agency_names}
    for cf in sorted(conflicts, key=lambda x: x.constraints[0].id):
        first = cf.constraints[0]
        parts = _and([_cited(c, Cite(c, model=model)) for c in cf.constraints])
        everywhere = all(rule_of[c.rule_id].provinces is None for c in cf.constraints)
        related: tuple[tuple[Source, str | Msg], ...] = tuple((c.source, _note(model, c)) for c in cf.constraints)
        out.append(
            Diagnostic.at(
                first.source,
                "E140",
                msg(
                    "check.conflict" if len(cf.constraints) > 1 else "check.conflict-one",
                    parts=parts,
                    group=Group(cf.group),
                    context=_context(cf, everywhere, agency_names),
                    reason=_reason(model, cf),
                ),
                suggestion=msg("check.conflict-help"),
                related=related,
            )
        )
    by_id = model.constraints
    for cid, dom in sorted(redundancy.items()):
        if dom is None:
            continue
        c = by_id[cid]
        if c.permission:  # a permission says what a unit may do: never "redundant" (LANGUAGE.md §10)
            continue
        if dom == -1:
            out.append(
                Diagnostic.at(
                    c.source,
                    "W201",
                    msg("check.always-holds", constraint=Quoted(c)),
                    severity="warning",
                    # `semua WFA paling banyak 100%` is how a permission was faked before `may` (§10)
                    suggestion=msg(
                        "check.always-holds-permission-help",
                        permission=Quoted(dataclasses.replace(c, comparison=">=", bound=Decimal(0), permission=True)),
                    ),
                )
            )
            continue
        d = by_id[dom]
        same = interval(c) == interval(d)
        # d is of the same circular: cited by rule and place only
        where = Cite(d, model=model, circular=False)
        out.append(
            Diagnostic.at(
                c.source,
                "W201",
                msg("check.repeats" if same else "check.redundant", constraint=Quoted(c), other=Quoted(d), where=where),
                severity="warning",
                suggestion=msg("check.repeats-help" if same else "check.redundant-help"),
                related=((d.source, _note(model, d)),),
            )
        )
    out += _employee_diagnostics(model, employee_conflicts, together, agency_names)
    out += _quota_diagnostics(model, quotas, agency_names)
    for circ in model.circulars:
        labels: dict[str, Source] = {}
        for rule in circ.rules:
            if rule.label:
                key = name_key(rule.label)
                if key in labels:
                    out.append(
                        Diagnostic.at(
                            rule.source,
                            "W204",
                            msg(
                                "check.duplicate-label",
                                label=rule.label,
                                this=_kind("this", circ),
                                where=str(labels[key]),
                            ),
                            severity="warning",
                            suggestion=msg("check.duplicate-label-help"),
                        )
                    )
                labels.setdefault(key, rule.source)
            last_days = [p.end for p in rule.periods]
            if circ.issued and all(e is not None and e < circ.issued for e in last_days):
                out.append(
                    Diagnostic.at(
                        rule.source,
                        "W200",
                        msg("check.ends-before-issued", its=_kind("its", circ), issued=circ.issued.isoformat()),
                        severity="warning",
                        suggestion=msg("check.ends-before-issued-help"),
                    )
                )
            elif rule.id not in used_rules:
                out.append(_never_applies(model, circ, rule))
        for target in circ.supersedes:
            if circ.switch_date is None:
                out.append(
                    Diagnostic.at(
                        circ.source,
                        "W203",
                        msg("check.supersedes-undated", name=circ.name, target=target),
                        severity="warning",
                        suggestion=msg("check.supersedes-undated-help"),
                    )
                )
        for target, rule_labels in circ.supersedes_rules:
            if circ.switch_date is None:
                out.append(
                    Diagnostic.at(
                        circ.source,
                        "W203",
                        msg(
                            "check.supersedes-rules-undated",
                            name=circ.name,
                            labels=", ".join(rule_labels),
                            target=target,
                        ),
                        severity="warning",
                        suggestion=msg("check.supersedes-undated-help"),
                    )
                )
    return out


def _never_applies(model: Model, circ: Circular, rule: Rule) -> Diagnostic:
    """W200 for a rule that applies nowhere: why (LANGUAGE.md §5, §9, §11)."""
    if rule.working_days and not _has_working_day(model, rule):
        # every period is bounded (an unbounded one holds working days): the year of the first
        years = sorted({p.start.year for p in rule.periods if p.start is not None})
        return Diagnostic.at(
            rule.source,
            "W200",
            msg("check.no-working-day"),
            severity="warning",
            suggestion=msg("check.no-working-day-help", year=str(years[0]) if years else ""),
        )
    narrower = [by for by, _ in model.rule_superseded_by.get(rule.id, ())]
    narrower += model.rule_overridden_by.get(rule.id, ())
    if not narrower:  # its circular is switched off, whole, wherever the rule would apply
        return Diagnostic.at(
            rule.source,
            "W200",
            msg("check.never-applies", its=_kind("its", circ)),
            severity="warning",
            suggestion=msg("check.never-applies-help"),
        )
    # switched off by name (``supersedes rule L of N``), perhaps also with its circular on some days
    keys = {*narrower, *(by for by, _ in model.superseded_by.get(circ.key, ()))}
    keys |= set(model.overridden_by.get(circ.key, ()))
    by = [c.name for c in model.circulars if c.key in keys]
    return Diagnostic.at(
        rule.source,
        "W200",
        msg("check.never-applies-rule", by=Join(tuple(by), "and", quote=True)),
        severity="warning",
        suggestion=msg("check.never-applies-help"),
    )


def _has_working_day(model: Model, rule: Rule) -> bool:
    """Whether some day a working-day rule names is a working day in one of its provinces (any
    province, for a rule for every province: a situation naming none is judged by the national
    calendar)."""
    calendar = model.workdays
    places: list[str | None] = [None] if rule.provinces is None else [*sorted(rule.provinces)]
    for period in rule.periods:
        if period.start is None or period.end is None:
            return True  # an unbounded period holds working days
        day = period.start
        while day <= period.end:
            if any(calendar.is_working_day(day, p) for p in places):
                return True
            if day == dt.date.max:
                break
            day += _ONE_DAY
    return False


# ---- employee rules (LANGUAGE.md §12) ---------------------------------------------------------------


#: The most days (and hours: 24 a day) a window of each kind holds.
_WINDOW_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}
_WINDOW_KW = {"day": "DAYS", "week": "WEEK", "month": "MONTH", "year": "YEAR"}
_EMPLOYEE_COMPARISONS = {"<=": "AT_MOST", ">=": "AT_LEAST", "=": "EXACTLY"}


@dataclass(frozen=True)
class EmployeeQuoted:
    """An employee constraint as a rule file writes it, in the message's language: ``each employee
    in admin WFA at most 2 days per week`` / ``setiap pegawai dalam admin WFA paling banyak 2 hari per
    minggu`` (``<`` and ``>`` have no keyword)."""

    c: EmployeeConstraint

    def text(self, lang: str) -> str:
        lang = "id" if lang.lower().startswith("id") else "en"
        c = self.c
        parts = [spelling("EACH_EMPLOYEE", lang)]
        if c.group != "all":
            parts.append(f"{spelling('WITHIN' if lang == 'id' else 'IN', lang)} {c.group}")
        if c.measure in MODES:
            parts.append(c.measure)
        elif c.measure == "LEAVE":
            parts.append(spelling("LEAVE", lang).upper())
        else:
            parts.append(spelling(c.measure.upper(), lang))
        word = _EMPLOYEE_COMPARISONS.get(c.comparison)
        parts.append(spelling(word, lang) if word else c.comparison)
        amount = format(c.amount, "f")
        parts.append(amount.replace(".", ",") if lang == "id" else amount)
        unit = keyword(c.unit.upper()).spellings(lang)
        parts.append(unit[-1] if lang == "en" and c.amount == 1 else unit[0])
        window = keyword(_WINDOW_KW[c.window]).spellings(lang)
        parts += [spelling("PER", lang), window[-1] if c.window == "day" else window[0]]
        return " ".join(parts)


@dataclass(frozen=True)
class _Window:
    """A window for a reader (:func:`asnrules.wording.window_text`): ``in the week 28 April – 4 May
    2025`` / ``pada minggu 28 April – 4 Mei 2025``."""

    kind: str
    first: dt.date
    last: dt.date

    def text(self, lang: str) -> str:
        from .wording import window_text

        return window_text(self.kind, self.first, self.last, lang)


@dataclass(frozen=True)
class EmployeeConflict:
    """A smallest set of employee constraints of one window kind that no employee of ``category``
    (``all``: any employee) who works every day of the window ``first``..``last`` in their scope can
    meet all at once (LANGUAGE.md §12): ``days`` the days in scope (the same for each of them),
    ``leave`` the days of leave the leave rules among them require (the employee takes no more),
    in ``province`` for the agency context ``level``/``agency``. ``reason``: ``over`` (their lower
    bounds on the modes need more than the days worked), ``under`` (their upper bounds leave days
    worked in no mode) or ``empty`` (no amount of ``measure`` meets them all); ``need`` the days or
    hours it is about."""

    constraints: tuple[EmployeeConstraint, ...]
    category: str
    first: dt.date
    last: dt.date
    province: str | None
    level: str | None
    agency: str | None
    days: int
    leave: int
    reason: str
    measure: str | None = None
    need: int = 0

    @property
    def window(self) -> str:
        return self.constraints[0].window


@dataclass(frozen=True)
class QuotaConflict:
    """Group quotas of §5 (``quota``, applying on every day of the window in scope) and employee
    rules (``employee``) binding every member of ``category`` that no unit of staff of ``category``,
    of any head count, who all work every day in scope of the window ``first``..``last`` (``days``
    of them), can meet together (see ``docs/employee-checks.md``)."""

    quota: tuple[Constraint, ...]
    employee: tuple[EmployeeConstraint, ...]
    category: str
    first: dt.date
    last: dt.date
    province: str | None
    level: str | None
    agency: str | None
    days: int

    @property
    def window(self) -> str:
        return self.employee[0].window


def _mode_counts(
    cs: Sequence[EmployeeConstraint], d: int, possible: Mapping[int, int]
) -> dict[str, tuple[int, int]] | None:
    """For an employee who works each of ``d`` days in scope (no leave), the fewest and most days in
    each mode that the mode constraints among ``cs`` allow (:func:`runtime.judge_window`); ``None``
    when some mode allows none."""
    out: dict[str, tuple[int, int]] = {}
    for m in MODES:
        index = runtime.MODE_INDEX[m]
        other = 1 if index != 1 else 2
        mine = [c for c in cs if c.measure == m]
        ok = [a for a in range(d + 1) if all(_judged(c, _days(0, d, index, a, other), possible[c.id]) for c in mine)]
        if not ok:
            return None
        out[m] = (ok[0], ok[-1])
    return out


def _quota_fails(items: Sequence[Constraint | EmployeeConstraint], days: int, possible: Mapping[int, int]) -> bool:
    """Whether no unit of any head count can meet these group quotas (on every one of ``days`` days)
    and employee rules (over the window) together, its staff working every day.

    Exact: over the window the average of the daily shares is the average over the staff of each
    one's days in a mode divided by ``days``; each one's days lie in a box of integers summing to
    ``days`` (:func:`_mode_counts`), whose hull is that box; and any mix of them is reached exactly,
    every day, by staff rotating a few patterns. So some unit meets both exactly when a point of
    the quotas' share intervals, intersected with the boxes scaled to percent, sums to 100
    (:func:`_solve`, as for E140)."""
    quota = [x for x in items if isinstance(x, Constraint)]
    employee = [x for x in items if isinstance(x, EmployeeConstraint)]
    if not quota or not employee:
        return False
    counts = _mode_counts(employee, days, possible)
    if counts is None or days == 0:
        return False
    iv, scale = _intervals(quota, frozenset())
    hundred = 100 * scale
    box = {
        m: Interval(Fraction(hundred * lo, days), True, Fraction(hundred * hi, days), True)
        for m, (lo, hi) in counts.items()
    }
    return _solve({m: iv[m] & box[m] for m in MODES}, hundred) is None


class _Shortfall(NamedTuple):
    reason: str
    measure: str | None = None
    need: int = 0


def _judged(c: EmployeeConstraint, scope: Sequence[DayRec | None], possible: int) -> bool:
    """Whether ``c`` holds on a whole window with these days in scope (:func:`runtime.judge_window`)."""
    amount = Fraction(c.amount)
    v = runtime.judge_window(
        runtime.MEASURE_INDEX[c.measure], c.comparison, amount.numerator, amount.denominator, scope, True, possible
    )
    return v.verdict == 1


def _days(leave: int, d: int, mode: int = 1, amount: int = 0, other: int = 2) -> list[DayRec | None]:
    """``leave`` days of leave, then ``d`` days worked (``amount`` of them in ``mode``, the rest in
    ``other``), with no hours."""
    out: list[DayRec | None] = [(4, None, None)] * leave
    return out + [(mode, None, None)] * amount + [(other, None, None)] * (d - amount)


def employee_assignment(
    constraints: Sequence[EmployeeConstraint], days: int, possible: Mapping[int, int]
) -> tuple[int, dict[str, int], Fraction, Fraction] | _Shortfall:
    """How an employee who works every one of ``days`` days in scope of a whole window (on leave
    only as many days as the leave constraints among ``constraints`` require) meets them all: the
    days of leave, the days in each of WFO, WFH, WFA, the hours worked and the overtime hours (each
    spread evenly over the days worked); or why none can (:class:`_Shortfall`). ``possible``: each
    constraint's possible days (:func:`runtime.possible_days`, by id). Decided with
    :func:`runtime.judge_window` itself, so exactly as every backend judges a window: the amount of
    each measure is judged apart from the others, given the days worked."""
    by_measure: dict[str, list[EmployeeConstraint]] = defaultdict(list)
    for c in constraints:
        by_measure[c.measure].append(c)
    leave = next(
        (
            ell
            for ell in range(days + 1)
            if all(_judged(c, _days(ell, days - ell), possible[c.id]) for c in by_measure["LEAVE"])
        ),
        None,
    )
    if leave is None:
        return _Shortfall("empty", "LEAVE")
    d = days - leave
    counts: dict[str, tuple[int, int]] = {}
    for m in MODES:
        index = runtime.MODE_INDEX[m]
        other = 1 if index != 1 else 2
        ok = [
            a
            for a in range(d + 1)
            if all(_judged(c, _days(leave, d, index, a, other), possible[c.id]) for c in by_measure[m])
        ]
        if not ok:
            return _Shortfall("empty", m)
        counts[m] = (ok[0], ok[-1])  # an interval: every bound is a lower or an upper end
    low = sum(lo for lo, _ in counts.values())
    high = sum(hi for _, hi in counts.values())
    if low > d:
        return _Shortfall("over", None, low)
    if high < d:
        return _Shortfall("under", None, high)
    split = {m: lo for m, (lo, _) in counts.items()}
    rest = d - low
    for m in MODES:
        more = min(rest, counts[m][1] - counts[m][0])
        split[m] += more
        rest -= more
    amounts: list[Fraction] = []
    for measure in ("works", "overtime"):
        found = _amount(by_measure[measure], leave, d, possible)
        if found is None:
            return _Shortfall("empty", measure)
        amounts.append(found)
    return leave, split, amounts[0], amounts[1]


def _amount(
    constraints: Sequence[EmployeeConstraint], leave: int, d: int, possible: Mapping[int, int]
) -> Fraction | None:
    """Hours (worked or overtime, by the measure of ``constraints``) over ``d`` days worked, at most
    24 a day, that meet every one of ``constraints``; ``None`` when none does. What they allow is a
    union of intervals whose ends are among 0, 24·d and the bounds each is judged by (its amount, or
    its amount pro rata over the days worked): those points and the midpoints between them decide."""
    if not constraints:
        return Fraction(0)
    top = Fraction(24 * d)
    points = {Fraction(0), top}
    for c in constraints:
        for p in (Fraction(c.amount), Fraction(c.amount) * d / max(possible[c.id], 1)):
            if 0 <= p <= top:
                points.add(p)
    ordered = sorted(points)
    tries = [*ordered, *((a + b) / 2 for a, b in itertools.pairwise(ordered))]
    for total in sorted(tries):
        each = total / d if d else Fraction(0)
        if constraints[0].measure == "works":
            scope: list[DayRec | None] = [(4, None, None)] * leave + [(1, each, None)] * d
        else:
            scope = [(4, None, None)] * leave + [(1, None, each)] * d
        if all(_judged(c, scope, possible[c.id]) for c in constraints):
            return total
    return None


def _smallest_sets(
    items: Sequence[EmployeeConstraint], fails: Callable[[Sequence[EmployeeConstraint]], bool], limit: int = 64
) -> list[list[EmployeeConstraint]]:
    """Smallest-by-deletion subsets of ``items`` for which ``fails`` holds: one, then for each of its
    members the ones left without it, and so on (each set of items left is tried once, at most
    ``limit`` of them), so that two conflicts among the same constraints are both found."""
    out: list[list[EmployeeConstraint]] = []
    found: set[frozenset[int]] = set()
    todo: deque[list[EmployeeConstraint]] = deque([list(items)])
    tried: set[frozenset[int]] = set()
    while todo and len(tried) < limit:
        cs = todo.popleft()
        key = frozenset(c.id for c in cs)
        if key in tried:
            continue
        tried.add(key)
        if not fails(cs):
            continue
        smallest = list(cs)
        for c in cs:
            rest = [x for x in smallest if x is not c]
            if rest and fails(rest):
                smallest = rest
        ids = frozenset(c.id for c in smallest)
        if ids not in found:
            found.add(ids)
            out.append(smallest)
        for c in smallest:
            todo.append([x for x in cs if x is not c])
    return out


#: How many windows of each kind are tried from the start of each run (about a year: every kind of
#: week, with its holidays and cuti bersama, and every month come round in a year).
_SCAN = {"day": 14, "week": 54, "month": 13, "year": 2}
_SCAN_BACK = dt.timedelta(days=371)


class _EmployeePlan:
    """The employee plan (:func:`asnrules.applicability.applicability` with ``employee=True``; the group plan
    with ``employee`` false) read day by day: which constraints bind on one day, in one province, in
    one agency context."""

    def __init__(self, model: Model, employee: bool = True) -> None:
        self.model = model
        self.runs = applicability(model, employee=employee)
        by_province: dict[str | None, list[Run]] = defaultdict(list)
        for run in self.runs:
            by_province[run.province].append(run)
        self.by_province = dict(by_province)
        self.starts = {p: [r.first or dt.date.min for r in rs] for p, rs in self.by_province.items()}

    def active(self, day: dt.date, province: str | None, level: str | None, agency: str | None) -> tuple[int, ...]:
        runs = self.by_province.get(province)
        if not runs:
            return ()
        at = bisect.bisect_right(self.starts[province], day) - 1
        if at < 0:
            return ()
        run = runs[at]
        if run.last is not None and day > run.last:
            return ()
        working = self.model.workdays.is_working_day(day, province)
        return run.ids(level, agency, working)


def find_employee_conflicts(
    model: Model,
) -> tuple[list[EmployeeConflict], list[frozenset[int]], list[QuotaConflict]]:
    """Every conflict between employee constraints (each smallest set once), and the distinct sets of
    employee constraint ids that apply together somewhere (where a rule of the plan has a day of the
    kind its table is for: what makes an employee rule one that applies, and what the redundancy of
    one is judged on).

    For each run of the employee plan (provinces in code order, situations naming none last), each
    agency context and each window kind, the window holding the run's witness day and the next one
    are tried: of the constraints of that kind binding one category of employees, those whose scope
    holds the window whole are grouped by the days of it in their scope, and each group is decided
    by :func:`employee_assignment`. Constraints with different days in scope on a window (a rule
    ``on working days`` next to one for every day) are not compared: no conflict is claimed there."""
    plan = _EmployeePlan(model)
    group_plan = _EmployeePlan(model, employee=False)
    quotas: dict[frozenset[tuple[str, int]], QuotaConflict] = {}
    commons: dict[tuple[str | None, str | None, str | None, tuple[int, ...]], set[int]] = {}
    by_id = model.employee_constraints
    rule_of = {r.id: r for r in model.rules}
    categories: list[str] = ["all", *sorted(model.categories)]
    calendar = model.workdays
    seen: set[tuple[int, ...]] = set()
    tried: set[tuple[str | None, str | None, str | None, str, int]] = set()
    decided: dict[tuple[tuple[int, ...], int, tuple[int, ...]], bool] = {}
    conflicts: dict[frozenset[int], EmployeeConflict] = {}
    ordered = (*(r for r in plan.runs if r.province is not None), *(r for r in plan.runs if r.province is None))

    def binds(e: EmployeeConstraint, category: str) -> bool:
        return e.group == "all" or (category != "all" and category in model.under[e.group])

    def infeasible(cs: Sequence[EmployeeConstraint], days: int, possible: Mapping[int, int]) -> bool:
        key = (tuple(c.id for c in cs), days, tuple(possible[c.id] for c in cs))
        found = decided.get(key)
        if found is None:
            found = decided[key] = isinstance(employee_assignment(cs, days, possible), _Shortfall)
        return found

    def window(province: str | None, level: str | None, agency: str | None, kind: str, first: int, last: int) -> None:
        """The conflicts on one window in one province and agency context."""
        days = [dt.date.fromordinal(o) for o in range(first, last + 1)]
        active = [frozenset(plan.active(day, province, level, agency)) for day in days]
        here = {i for a in active for i in a if by_id[i].window == kind}
        scopes: dict[int, tuple[int, ...]] = {}
        for i in sorted(here):
            rule = rule_of[by_id[i].rule_id]
            whole = all(
                i in a or (rule.working_days and not calendar.is_working_day(day, province))
                for day, a in zip(days, active, strict=True)
            )
            if whole:
                scopes[i] = tuple(o for o, a in zip(range(first, last + 1), active, strict=True) if i in a)
        done: set[frozenset[int]] = set()
        for category in categories:
            bound = [i for i in scopes if binds(by_id[i], category)]
            groups: dict[tuple[int, ...], list[EmployeeConstraint]] = defaultdict(list)
            for i in bound:
                groups[scopes[i]].append(by_id[i])
            for scope, cs in groups.items():
                ids = frozenset(c.id for c in cs)
                possible = {c.id: runtime.possible_days(first, last, rule_of[c.rule_id].working_days) for c in cs}
                if ids not in done:
                    done.add(ids)
                    fails = functools.partial(infeasible, days=len(scope), possible=possible)
                    for smallest in _smallest_sets(cs, fails):
                        record(smallest, category, province, level, agency, first, last, len(scope), possible)
                if not infeasible(cs, len(scope), possible):
                    quota(cs, category, scope, province, level, agency, first, last, possible)

    def quota(
        cs: Sequence[EmployeeConstraint],
        category: str,
        scope: tuple[int, ...],
        province: str | None,
        level: str | None,
        agency: str | None,
        first: int,
        last: int,
        possible: Mapping[int, int],
    ) -> None:
        """The group quotas on ``category`` itself, applying on every day of ``scope``, against the
        employee constraints ``cs`` (each binds every member of ``category``): whatever other staff
        a unit has, its staff of ``category`` are counted by those quotas alone."""
        if any(c.measure == "LEAVE" for c in cs):
            return  # the days of leave change the staff counted each day: not decided
        where = (province, level, agency, scope)
        common = commons.get(where)
        if common is None:
            common = (
                set.intersection(
                    *(set(group_plan.active(dt.date.fromordinal(o), province, level, agency)) for o in scope)
                )
                if scope
                else set()
            )
            commons[where] = common
        group_cs = [
            g for g in model.constraints if common and g.id in common and not g.permission and g.group == category
        ]
        if not group_cs or solve(group_cs) is None:
            return
        items: list[Constraint | EmployeeConstraint] = [*group_cs, *cs]
        days = len(scope)
        if not _quota_fails(items, days, possible):
            return
        for x in list(items):  # smallest by deletion
            rest = [y for y in items if y is not x]
            if _quota_fails(rest, days, possible):
                items = rest
        key = frozenset((type(x).__name__, x.id) for x in items)
        if key in quotas:
            return
        quotas[key] = QuotaConflict(
            tuple(x for x in items if isinstance(x, Constraint)),
            tuple(x for x in items if isinstance(x, EmployeeConstraint)),
            category,
            dt.date.fromordinal(first),
            dt.date.fromordinal(last),
            province,
            level,
            agency,
            days,
        )

    def record(
        smallest: list[EmployeeConstraint],
        category: str,
        province: str | None,
        level: str | None,
        agency: str | None,
        first: int,
        last: int,
        days: int,
        possible: Mapping[int, int],
    ) -> None:
        key = frozenset(c.id for c in smallest)
        if key in conflicts:
            return
        found = employee_assignment(smallest, days, possible)
        assert isinstance(found, _Shortfall)
        leave = 0
        leaves = [c for c in smallest if c.measure == "LEAVE"]
        if leaves and found.measure != "LEAVE":
            leave = next(
                ell
                for ell in range(days + 1)
                if all(_judged(c, _days(ell, days - ell), possible[c.id]) for c in leaves)
            )
        own = [c.group for c in smallest if all(binds(x, c.group) for x in smallest)]
        who = own[0] if own else category
        conflicts[key] = EmployeeConflict(
            tuple(smallest),
            who,
            dt.date.fromordinal(first),
            dt.date.fromordinal(last),
            province,
            level,
            agency,
            days,
            leave,
            found.reason,
            found.measure,
            found.need,
        )

    for run in ordered:
        for working, table in run.tables():
            if _witness(model, run, working) is None:
                continue
            for (level, agency), ids in table.items():
                if not ids:
                    continue
                if ids not in seen:
                    seen.add(ids)
                for kind in sorted({by_id[i].window for i in ids}):
                    start = run.first
                    if start is None:
                        start = run.day if run.last is None else max(run.last - _SCAN_BACK, dt.date.min)
                    end = dt.date.max.toordinal() if run.last is None else run.last.toordinal()
                    first, last = runtime.window_of(start.toordinal(), kind)
                    for _ in range(_SCAN[kind]):
                        if first > end or last >= dt.date.max.toordinal():
                            break
                        key = (run.province, level, agency, kind, first)
                        if key not in tried:
                            tried.add(key)
                            window(run.province, level, agency, kind, first, last)
                        first, last = runtime.window_of(last + 1, kind)
    return list(conflicts.values()), sorted(map(frozenset, seen), key=sorted), list(quotas.values())


def _employee_reason(cf: EmployeeConflict) -> Msg:
    days = msg("check.employee-days" if cf.days != 1 else "check.employee-day", days=cf.days)
    if cf.leave:
        days = msg("check.employee-days-leave", days=cf.days, leave=cf.leave)
    if cf.reason == "over":
        return msg("check.employee-reason-over", need=cf.need, days=days)
    if cf.reason == "under":
        return msg("check.employee-reason-under", most=cf.need, days=days)
    measure = cf.measure or "WFO"
    what = msg(f"check.employee-what-{measure.lower()}") if measure in ("LEAVE", "works", "overtime") else None
    if what is None:
        what = msg("check.employee-what-mode", mode=measure)
    if len(cf.constraints) == 1:
        return msg("check.employee-reason-empty-one", what=what, days=days)
    return msg("check.employee-reason-empty", what=what, days=days)


def _employee_context(
    model: Model, cf: EmployeeConflict, agency_names: dict[str, str], extra: Sequence[Constraint] = ()
) -> Msg:
    rule_of = {r.id: r for r in model.rules}
    rule_ids = [c.rule_id for c in cf.constraints] + [c.rule_id for c in extra]
    everywhere = all(rule_of[i].provinces is None for i in rule_ids)
    where: Msg | str
    if cf.province is None:
        where = msg("check.where-unknown-province")
    else:
        where = msg("check.where-province", province=province_name(cf.province))
        if everywhere:
            where = msg("check.where-everywhere", province=where)
    when = _Window(cf.window, cf.first, cf.last)
    level = Kw(cf.level.upper()) if cf.level else None
    name = agency_names.get(cf.agency, cf.agency) if cf.agency else None
    if level is not None and name is not None:
        return msg("check.context-level-agency", when=when, where=where, level=level, agency=name)
    if level is not None:
        return msg("check.context-level", when=when, where=where, level=level)
    if name is not None:
        return msg("check.context-agency", when=when, where=where, agency=name)
    return msg("check.context", when=when, where=where)


def _quota_diagnostics(model: Model, quotas: Sequence[QuotaConflict], agency_names: dict[str, str]) -> list[Diagnostic]:
    """E142 for each group quota that employee rules binding all its staff contradict."""
    out: list[Diagnostic] = []
    for qc in sorted(quotas, key=lambda x: ([c.id for c in x.quota], [c.id for c in x.employee])):
        as_employee = EmployeeConflict(
            qc.employee, qc.category, qc.first, qc.last, qc.province, qc.level, qc.agency, qc.days, 0, "over"
        )
        context = _employee_context(model, as_employee, agency_names, extra=qc.quota)
        days = msg("check.employee-days" if qc.days != 1 else "check.employee-day", days=qc.days)
        related: list[tuple[Source, str | Msg]] = [(c.source, _note(model, c)) for c in qc.quota]
        related += [(c.source, _employee_cited(model, c, place=False)) for c in qc.employee]
        out.append(
            Diagnostic.at(
                qc.quota[0].source,
                "E142",
                msg(
                    "check.quota-conflict" if qc.category != "all" else "check.quota-conflict-all",
                    quota=_and([_cited(c, Cite(c, model=model)) for c in qc.quota]),
                    parts=_and([_employee_cited(model, c) for c in qc.employee]),
                    group=Group(qc.category),
                    context=context,
                    days=days,
                ),
                suggestion=msg("check.employee-conflict-help"),
                related=tuple(related),
            )
        )
    return out


def _employee_cited(model: Model, c: EmployeeConstraint, place: bool = True) -> Msg:
    who = Cite(c, model=model, place=place)
    return (
        msg("check.cited", constraint=EmployeeQuoted(c), citation=who)
        if who
        else msg("check.quoted", constraint=EmployeeQuoted(c))
    )


def _employee_diagnostics(
    model: Model,
    conflicts: Sequence[EmployeeConflict],
    together: Sequence[frozenset[int]],
    agency_names: dict[str, str],
) -> list[Diagnostic]:
    """E141 for each conflict between employee rules, W201 for each employee constraint that adds
    nothing (LANGUAGE.md §12)."""
    out: list[Diagnostic] = []
    for cf in sorted(conflicts, key=lambda x: [c.id for c in x.constraints]):
        parts = _and([_employee_cited(model, c) for c in cf.constraints])
        who = (
            msg("check.employee-who-all")
            if cf.category == "all"
            else msg("check.employee-who", group=Group(cf.category))
        )
        out.append(
            Diagnostic.at(
                cf.constraints[0].source,
                "E141",
                msg(
                    "check.employee-conflict" if len(cf.constraints) > 1 else "check.employee-conflict-one",
                    parts=parts,
                    who=who,
                    context=_employee_context(model, cf, agency_names),
                    reason=_employee_reason(cf),
                ),
                suggestion=msg("check.employee-conflict-help"),
                related=tuple((c.source, _employee_cited(model, c, place=False)) for c in cf.constraints),
            )
        )
    by_id = model.employee_constraints
    for cid, dom in sorted(_employee_redundancy(model, together).items()):
        c = by_id[cid]
        if dom == -1:
            most = _WINDOW_DAYS[c.window] * (24 if c.unit == "hours" else 1)
            out.append(
                Diagnostic.at(
                    c.source,
                    "W201",
                    msg(
                        "check.employee-always-holds",
                        constraint=EmployeeQuoted(c),
                        window=msg(f"employee.window-noun.{c.window}"),
                        most=most,
                        unit=Kw(c.unit.upper()),
                    ),
                    severity="warning",
                    suggestion=msg("check.employee-always-holds-help"),
                )
            )
            continue
        d = by_id[dom]
        same = (c.comparison, c.amount) == (d.comparison, d.amount)
        where = Cite(d, model=model, circular=False)
        out.append(
            Diagnostic.at(
                c.source,
                "W201",
                msg(
                    "check.repeats" if same else "check.redundant",
                    constraint=EmployeeQuoted(c),
                    other=EmployeeQuoted(d),
                    where=where,
                ),
                severity="warning",
                suggestion=msg("check.repeats-help" if same else "check.redundant-help"),
                related=((d.source, _employee_cited(model, d, place=False)),),
            )
        )
    return out


def _employee_interval(c: EmployeeConstraint) -> Interval:
    """The amounts of its window that satisfy ``c`` (0 to the most a window of its kind holds)."""
    most = _WINDOW_DAYS[c.window] * (24 if c.unit == "hours" else 1)
    return _shape(c.comparison, Fraction(c.amount), Fraction(most))


def _employee_redundancy(model: Model, together: Sequence[frozenset[int]]) -> dict[int, int]:
    """Employee constraints that add nothing: id → ``-1`` when every amount a window can hold
    satisfies it, else the id of another of the same circular, rule kind (``on working days`` or
    not), group, measure and window that implies it and applies wherever it does (of two alike, the
    one applying in fewer places, else the later, is reported). Implication is containment of the
    amounts allowed: a reachable bound (LANGUAGE.md §12) only ever lowers both alike."""
    by_id = model.employee_constraints
    rule_of = {r.id: r for r in model.rules}
    full = {c.id: _employee_interval(c) for c in by_id}
    where: dict[int, set[int]] = defaultdict(set)
    for n, ids in enumerate(together):
        for i in ids:
            where[i].add(n)
    out: dict[int, int] = {}
    lists: dict[tuple[str, bool, str, str, str], list[EmployeeConstraint]] = defaultdict(list)
    for c in by_id:
        if c.id not in where:
            continue
        most = _WINDOW_DAYS[c.window] * (24 if c.unit == "hours" else 1)
        if _shape("<=", Fraction(most), Fraction(most)).within(full[c.id]):
            out[c.id] = -1
            continue
        lists[(c.circular, rule_of[c.rule_id].working_days, c.group, c.measure, c.window)].append(c)
    for cs in lists.values():
        for c in cs:
            for d in cs:
                if d is c or not full[d.id].within(full[c.id]) or not where[c.id] <= where[d.id]:
                    continue
                if full[d.id] == full[c.id] and not (len(where[d.id]) > len(where[c.id]) or d.id < c.id):
                    continue
                out[c.id] = d.id
                break
    return out
