"""Checks on a resolved rule set (LANGUAGE.md §6): conflicts, redundant constraints, rules that can
never apply.

**Conflicts, exactly.** On one day, place and agency the applicable constraints on a group G bound
the shares of WFO, WFH and WFA, which add up to 100%. Each share lies in an interval (open or closed
at each end); the constraints on G can all hold with staff in G exactly when some point of the three
intervals sums to 100 (:func:`solve`). A group whose constraints force a mode to 0% (directly, or
because the other modes' lower bounds already add up to 100%) forces it to 0% for every category
under it too — that is how a 0% or 100% bound binds sub-categories. Checking every group with these
propagated bounds for every set of constraints that the applicability plan (:mod:`asnrules.plan`:
every run of days × province × agency context that the rules can tell apart, with ``supersedes`` and
``overrides`` resolved) says apply together finds every conflict and only real ones. Each is
reported once, with a smallest set of constraints that cannot hold together and a witness day,
province and agency. Constraints are quoted and cited by :mod:`asnrules.wording`, as everywhere.

**Working days** (LANGUAGE.md §9). A run of the plan reached by a rule ``on working days`` has two
tables, for its working and its non-working days (:meth:`asnrules.plan.Run.tables`): each is checked,
with a witness day of its kind in the run's province, and a table whose run holds no such day (a
weekend has no working day) is not read at all, so a rule for every working day never clashes with
one for a weekend. What is never read never applies: a rule ``on working days`` whose days hold no
working day gets W200, as does one switched off by name (``supersedes rule L of N``, ``overrides
rule L of N``, §11) wherever it would apply. A constraint is redundant (W201) only when one other
constraint of its circular, group and mode implies it and applies wherever it does: the stricter
rule for every day makes the one for working days redundant, not the other way round.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple, Protocol

from .citing import Chain, Cite, Group, Quoted, chain
from .errors import Diagnostic, Source
from .messages import Join, Kw, Msg, msg
from .model import MODES, Circular, Constraint, Model, Rule
from .plan import Run, applicability
from .prelude import name_key, province_name
from .timeline import Segment

__all__ = ["Conflict", "Interval", "check", "find_conflicts", "interval", "pinned", "solve"]

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
    #: ``province``, ``False`` its non-working days (LANGUAGE.md §9; :meth:`asnrules.plan.Run.tables`)
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

    What applies where is read off the applicability plan (:func:`asnrules.plan.applicability`):
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
    it; ``None`` when it holds no such day (:meth:`asnrules.plan.Run.witness`). A run unbounded
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
    """Every diagnostic of §6 beyond names and syntax: conflicts (E140), rules that never apply
    (W200), redundant constraints (W201), supersedes (whole or by rule) without a date (W203),
    duplicate labels (W204)."""
    out: list[Diagnostic] = []
    conflicts, redundancy, used_rules = find_conflicts(model)
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
