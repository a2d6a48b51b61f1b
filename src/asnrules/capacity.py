"""The least and most staff allowed in each mode (issue 13 item 2; INTERFACES Part II ``capacity``).

``rules.capacity(date, region, staff={"admin": 40, "health": 12}, level=None, agency=None)`` and
``asnrules capacity`` answer a PPK's question before the roster is drawn up: for a work unit with
these head counts on that day in that province, how many of each category's staff may work in each
mode (WFO, WFH, WFA)? For each category and mode the answer is the exact least and most such that
*some* split of the whole unit — every category at once — satisfies every applicable constraint
(LANGUAGE.md §5). When no split does, the answer says so and names a small set of clashing rules.

**What is applicable** is decided by the reference semantics (:func:`asnrules.semantics.applicable`:
when, where, who, working days, ``supersedes`` and ``overrides``), as for every evaluator.

**Who counts.** The head counts are the staff who work that day: staff on leave are not counted
(LANGUAGE.md §5), so they are left out of the head count rather than given a mode. With the head
counts fixed, each constraint ``G M cmp p`` has a fixed n (the staff of the categories under G) and,
unless n = 0 (vacuous), becomes integer bounds ``lo ≤ k ≤ hi`` on k, the staff under G in mode M:
exactly the k in ``0..n`` with :func:`asnrules.runtime.holds` (:func:`share_range` computes them with
integer division and checks its ends with ``holds``).

**The search.** Categories that every constraint counts alike are merged (an *atom*: their split
does not matter to the rules, only its total), the bounds of each (set of atoms, mode) intersected.
The unknowns are ``x[a][m]``, the staff of atom a in mode m, with ``Σ_m x[a][m] = N_a``.

- When the sets of each mode nest (are *laminar*: two are disjoint or one holds the other — always
  so with the prelude's categories, and with any declared category that has one parent), the system
  is a circulation with lower bounds: source → atom (exactly N_a) → the smallest set of mode m
  holding it → the next larger set ... → sink, each set's edge bounded by ``[lo, hi]``. A feasible
  circulation is found by one max-flow; the least and the most of an ``x[a][m]`` are its flow minus
  (plus) the most that can be pushed around a cycle through its edge in the residual network — one
  max-flow each. Flows are integral (the integral flow theorem), so these are the exact least and
  most over whole numbers of staff, and every number in between is possible too. Cost: 1 + 6·A
  max-flows (Edmonds–Karp) on a network of A + S + 2 nodes (A atoms ≤ categories, S sets ≤
  constraints): well under a millisecond each for the bundled rules.
- Otherwise (a category declared under two groups whose sets cross in one mode) the problem is
  NP-hard in general (exact cover reduces to it), and an exact depth-first search decides it: at
  each node bounds propagation tightens the domains, then the flow above solves relaxations (the
  sets split into families that nest, each with every domain as edge bounds) — a relaxation with no
  split prunes the node, a relaxed split that meets every bound ends the search — else the widest
  domain of a variable in a missed bound is halved. The least and most of each unknown come by
  binary search over feasibility. Exact, but exponential in the worst case: a large unit under many
  crossing bounds can take long (docs/capacity.md).

Each atom's least and most give its categories': ``most_c = min(N_c, most_a)`` and ``least_c =
max(0, least_a − (N_a − N_c))`` (the other categories of the atom take the rest).

**The clash.** When no split exists, the applicable constraints are dropped one at a time, in source
order, while the rest still admit no split: what remains is an irreducible set (dropping any one of
them would let a split exist), cited with circular, rule label and source line.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import runtime
from .citing import reason_msg
from .errors import InputError
from .messages import msg, say
from .model import MODES, Constraint, EmployeeConstraint, Model, Rule
from .runtime import Reason, holds
from .semantics import applicable_rules, situation

__all__ = ["Capacity", "capacity", "nested", "read_staff", "share_range", "solve"]

#: One bound of the search: the atoms a constraint counts, its mode (an index of :data:`MODES`), and
#: the least and most of them allowed in that mode.
Bound = tuple[frozenset[int], int, int, int]


def share_range(n: int, comparison: str, num: int, den: int) -> tuple[int, int] | None:
    """The whole numbers k from 0 to n for which ``holds(k, n, comparison, num, den)`` (``100·k·den
    cmp num·n``), as ``(least, most)``; ``None`` when there is none. They form an interval, as
    ``100·k·den`` grows with k; its ends are checked against :func:`asnrules.runtime.holds`, the one
    definition of the comparison."""
    q, d = num * n, 100 * den
    if comparison == "<=":
        lo, hi = 0, q // d
    elif comparison == "<":
        lo, hi = 0, (q - 1) // d
    elif comparison == ">=":
        lo, hi = -(-q // d), n
    elif comparison == ">":
        lo, hi = q // d + 1, n
    elif comparison == "=":
        if q % d:
            return None
        lo = hi = q // d
    else:
        raise ValueError(f"unknown comparison {comparison!r}")
    lo, hi = max(lo, 0), min(hi, n)
    if lo > hi:
        assert not any(holds(k, n, comparison, num, den) for k in (0, n, max(0, min(n, q // d))))
        return None
    assert holds(lo, n, comparison, num, den) and holds(hi, n, comparison, num, den)
    assert (lo == 0 or not holds(lo - 1, n, comparison, num, den)) and (
        hi == n or not holds(hi + 1, n, comparison, num, den)
    )
    return lo, hi


# ---- the exact search over atoms ------------------------------------------------------------------------


def _laminar(sets: Iterable[frozenset[int]]) -> bool:
    found = list(set(sets))
    return all(not (a & b) or a <= b or b <= a for i, a in enumerate(found) for b in found[i + 1 :])


def nested(bounds: Sequence[Bound]) -> bool:
    """Whether the sets of each mode nest (two are disjoint or one holds the other): the flow's case."""
    return all(_laminar(b[0] for b in bounds if b[1] == m) for m in range(3))


def _merged(bounds: Sequence[Bound]) -> dict[tuple[frozenset[int], int], tuple[int, int]]:
    out: dict[tuple[frozenset[int], int], tuple[int, int]] = {}
    for atoms, mode, lo, hi in bounds:
        old = out.get((atoms, mode))
        out[(atoms, mode)] = (lo, hi) if old is None else (max(old[0], lo), min(old[1], hi))
    return out


class _Network:
    """A circulation with lower bounds, solved by max-flow (Edmonds–Karp) on its residual network."""

    def __init__(self, nodes: int) -> None:
        self.nodes = nodes
        self.head: list[int] = []
        self.cap: list[int] = []
        self.low: list[int] = []
        self.adj: list[list[int]] = [[] for _ in range(nodes)]
        self.excess = [0] * nodes

    def edge(self, u: int, v: int, low: int, cap: int) -> int:
        """Add ``u → v`` carrying from ``low`` to ``cap``; its index (the reverse arc is index ^ 1)."""
        e = len(self.head)
        self.head += [v, u]
        self.cap += [cap - low, 0]
        self.low += [low, 0]
        self.adj[u].append(e)
        self.adj[v].append(e + 1)
        self.excess[v] += low
        self.excess[u] -= low
        return e

    def flow(self, e: int) -> int:
        """The flow on edge ``e`` (its lower bound plus what its reverse arc holds)."""
        return self.low[e] + self.cap[e ^ 1]

    def feasible(self) -> bool:
        """Find a circulation within every edge's bounds; ``False`` when there is none. The super
        source and sink used for it are removed afterwards (their arcs closed)."""
        s, t = self.nodes, self.nodes + 1
        self.adj += [[], []]
        self.nodes += 2
        excess = list(self.excess)
        self.excess += [0, 0]
        need = 0
        added = []
        for v, ex in enumerate(excess):
            if ex > 0:
                added.append(self.edge(s, v, 0, ex))
                need += ex
            elif ex < 0:
                added.append(self.edge(v, t, 0, -ex))
        got = _max_flow(self.head, self.cap, self.adj, s, t, need)
        for e in added:
            self.cap[e] = self.cap[e ^ 1] = 0
        return got == need

    def widen(self, e: int, up: bool) -> int:
        """How far the flow on edge ``e`` can rise (``up``) or fall, every other bound kept: the most
        that can go round a cycle through ``e`` in the residual network."""
        room = self.cap[e] if up else self.cap[e ^ 1]
        if room == 0:
            return 0
        cap = list(self.cap)
        cap[e] = cap[e ^ 1] = 0
        u, v = self.head[e ^ 1], self.head[e]
        return _max_flow(self.head, cap, self.adj, v if up else u, u if up else v, room)


def _max_flow(head: list[int], cap: list[int], adj: list[list[int]], s: int, t: int, limit: int) -> int:
    """Edmonds–Karp from ``s`` to ``t``, at most ``limit``; ``cap`` (residual) is updated in place."""
    total = 0
    while total < limit:
        prev = [-1] * len(adj)
        prev[s] = -2
        queue = deque([s])
        while queue and prev[t] == -1:
            u = queue.popleft()
            for e in adj[u]:
                v = head[e]
                if cap[e] > 0 and prev[v] == -1:
                    prev[v] = e
                    queue.append(v)
        if prev[t] == -1:
            break
        push, v = limit - total, t
        while v != s:
            e = prev[v]
            push = min(push, cap[e])
            v = head[e ^ 1]
        v = t
        while v != s:
            e = prev[v]
            cap[e] -= push
            cap[e ^ 1] += push
            v = head[e ^ 1]
        total += push
    return total


def _by_flow(
    totals: Sequence[int],
    bounds: Mapping[tuple[frozenset[int], int], tuple[int, int]],
    ranges: bool,
    lo: Sequence[int] | None = None,
    hi: Sequence[int] | None = None,
) -> tuple[list[list[int]], list[list[tuple[int, int]]]] | None:
    """The laminar case: a witness split and (with ``ranges``) each ``x[a][m]``'s least and most;
    ``lo``/``hi`` (index 3·a + m), when given, bound each ``x[a][m]`` too (the search's domains)."""
    atoms = len(totals)
    everyone = sum(totals)
    sets = sorted(bounds, key=lambda k: (len(k[0]), sorted(k[0]), k[1]))
    source, sink = 0, 1
    node = {key: 2 + atoms + i for i, key in enumerate(sets)}
    net = _Network(2 + atoms + len(sets))

    def smallest(mode: int, holding: frozenset[int], strict: bool) -> int:
        for key in sets:  # by size: the first that holds it is the smallest
            if key[1] == mode and holding <= key[0] and not (strict and key[0] == holding):
                return node[key]
        return sink

    for a, n in enumerate(totals):
        net.edge(source, 2 + a, n, n)
    var = [
        [
            net.edge(
                2 + a,
                smallest(m, frozenset({a}), False),
                0 if lo is None else lo[3 * a + m],
                totals[a] if hi is None else hi[3 * a + m],
            )
            for m in range(3)
        ]
        for a in range(atoms)
    ]
    for key in sets:
        least, most = bounds[key]
        net.edge(node[key], smallest(key[1], key[0], True), least, most)
    net.edge(sink, source, 0, everyone)
    if not net.feasible():
        return None
    witness = [[net.flow(var[a][m]) for m in range(3)] for a in range(atoms)]
    if not ranges:
        return witness, []
    spans = [
        [(witness[a][m] - net.widen(var[a][m], False), witness[a][m] + net.widen(var[a][m], True)) for m in range(3)]
        for a in range(atoms)
    ]
    return witness, spans


def _laminar_cover(keys: Iterable[tuple[frozenset[int], int]]) -> list[list[tuple[frozenset[int], int]]]:
    """The sets split into few families, each nesting in every mode (first fit, larger sets first)."""
    families: list[list[tuple[frozenset[int], int]]] = []
    for key in sorted(keys, key=lambda k: (-len(k[0]), sorted(k[0]), k[1])):
        for fam in families:
            if all(m != key[1] or not (a & key[0]) or a <= key[0] or key[0] <= a for a, m in fam):
                fam.append(key)
                break
        else:
            families.append([key])
    return families


class _Search:
    """The general case: depth-first search over ``x[a][m]`` (index 3·a + m). At each node the domains
    are tightened by bounds propagation, then relaxed problems are solved by the flow — the sets
    split into families that nest, each family with every domain — pruning the node when one has no
    split and ending the search when a relaxed split meets every bound; else the widest domain of a
    variable in a bound that split misses is halved."""

    def __init__(self, totals: Sequence[int], bounds: Mapping[tuple[frozenset[int], int], tuple[int, int]]) -> None:
        self.totals = list(totals)
        self.bounds = dict(bounds)
        self.families = [{k: bounds[k] for k in fam} for fam in _laminar_cover(bounds)] or [{}]
        self.size = 3 * len(totals)
        rows = [((3 * a, 3 * a + 1, 3 * a + 2), n, n) for a, n in enumerate(totals)]
        sums = [(tuple(3 * a + m for a in sorted(atoms)), lo, hi) for (atoms, m), (lo, hi) in bounds.items()]
        self.constraints = rows + sums
        self.watch: list[list[int]] = [[] for _ in range(self.size)]
        for i, (vs, _, _) in enumerate(self.constraints):
            for v in vs:
                self.watch[v].append(i)
        self.top = [totals[v // 3] for v in range(self.size)]

    def propagate(self, lo: list[int], hi: list[int]) -> bool:
        """Tighten ``lo``/``hi`` in place to a fixpoint; ``False`` when a domain or a constraint empties."""
        pending = deque(range(len(self.constraints)))
        queued = [True] * len(self.constraints)
        while pending:
            i = pending.popleft()
            queued[i] = False
            vs, clo, chi = self.constraints[i]
            smin = sum(lo[v] for v in vs)
            smax = sum(hi[v] for v in vs)
            if smin > chi or smax < clo:
                return False
            for v in vs:
                new_hi = min(hi[v], chi - (smin - lo[v]))
                new_lo = max(lo[v], clo - (smax - hi[v]))
                if new_lo > new_hi:
                    return False
                if new_lo != lo[v] or new_hi != hi[v]:
                    smin += new_lo - lo[v]
                    smax += new_hi - hi[v]
                    lo[v], hi[v] = new_lo, new_hi
                    for j in self.watch[v]:
                        if j != i and not queued[j]:
                            queued[j] = True
                            pending.append(j)
        return True

    def find(self, lo: list[int], hi: list[int]) -> list[int] | None:
        """A solution within ``lo``/``hi``, or ``None``: exact (every branch is explored or refuted)."""
        stack = [(list(lo), list(hi))]
        while stack:
            a, b = stack.pop()
            if not self.propagate(a, b):
                continue
            missed: set[int] = set()
            for fam in self.families:
                relaxed = _by_flow(self.totals, fam, False, a, b)
                if relaxed is None:
                    break
                x = [relaxed[0][v // 3][v % 3] for v in range(self.size)]
                missed = {v for vs, clo, chi in self.constraints if not clo <= sum(x[w] for w in vs) <= chi for v in vs}
                if not missed:
                    return x
            else:
                open_ = [v for v in sorted(missed) if a[v] < b[v]] or [v for v in range(self.size) if a[v] < b[v]]
                v = max(open_, key=lambda x: (b[x] - a[x], -x))
                mid = (a[v] + b[v]) // 2
                upper_a, upper_b = list(a), list(b)
                upper_a[v] = mid + 1
                lower_b = list(b)
                lower_b[v] = mid
                stack.append((upper_a, upper_b))
                stack.append((a, lower_b))
        return None

    def solve(self, ranges: bool) -> tuple[list[list[int]], list[list[tuple[int, int]]]] | None:
        lo, hi = [0] * self.size, list(self.top)
        if not self.propagate(lo, hi):
            return None
        found = self.find(lo, hi)
        if found is None:
            return None
        witness = [found[3 * a : 3 * a + 3] for a in range(self.size // 3)]
        if not ranges:
            return witness, []
        for fam in self.families:  # each relaxation's least and most bound the true ones
            relaxed = _by_flow(self.totals, fam, True, lo, hi)
            assert relaxed is not None, "a relaxation of a problem with a split has one"
            for v in range(self.size):
                r_lo, r_hi = relaxed[1][v // 3][v % 3]
                lo[v], hi[v] = max(lo[v], r_lo), min(hi[v], r_hi)
        least, most = list(found), list(found)
        for v in range(self.size):
            for up in (True, False):
                known, edge = (most[v], hi[v]) if up else (least[v], lo[v])
                while known != edge:  # binary search on the value, each probe an exact search
                    probe = (known + 1 + edge) // 2 if up else (known + edge) // 2
                    a, b = list(lo), list(hi)
                    if up:
                        a[v] = max(a[v], probe)
                    else:
                        b[v] = min(b[v], probe)
                    s = self.find(a, b)
                    if s is None:
                        edge = probe - 1 if up else probe + 1
                        continue
                    for w in range(self.size):
                        least[w], most[w] = min(least[w], s[w]), max(most[w], s[w])
                    known = most[v] if up else least[v]
                (most if up else least)[v] = known
        spans = [[(least[3 * a + m], most[3 * a + m]) for m in range(3)] for a in range(self.size // 3)]
        return witness, spans


def solve(
    totals: Sequence[int], bounds: Sequence[Bound], *, ranges: bool = True, method: str | None = None
) -> tuple[list[list[int]], list[list[tuple[int, int]]]] | None:
    """The exact integer problem: ``totals[a]`` staff of atom a split over the three modes, each
    bound ``(atoms, mode, lo, hi)`` requiring ``lo ≤ Σ_{a∈atoms} x[a][mode] ≤ hi``. ``None`` when no
    split exists; else a witness ``x`` and (with ``ranges``) each ``x[a][m]``'s ``(least, most)``.
    ``method``: ``flow`` (only for nested sets), ``search``, or ``None``: the flow when every mode's
    sets nest, else the search."""
    merged = _merged(bounds)
    if any(lo > hi for lo, hi in merged.values()):
        return None
    if method is None:
        method = "flow" if nested(bounds) else "search"
    if method == "flow":
        if not nested(bounds):
            raise ValueError("the flow needs the sets of each mode to nest")
        return _by_flow(totals, merged, ranges)
    return _Search(totals, merged).solve(ranges)


# ---- the answer -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Capacity:
    """The answer of :meth:`asnrules.RuleSet.capacity`.

    ``staff``: each category (canonical name, in the order given) → its head count; ``bounds``: each
    category → mode → ``(least, most)`` (empty when not ``allowed``); ``example``: one split that
    satisfies every applicable constraint (``None`` when not allowed); ``constraints``: every
    applicable constraint, in source order, and ``binding`` those that count some of the unit's staff
    (the others are vacuous here); ``clash``: when not allowed, an irreducible set of constraints that
    no split satisfies together; ``employee``: the applicable employee constraints (LANGUAGE.md §12),
    which bind each employee over weeks or months and are not part of one day's split; ``method``:
    ``flow`` or ``search`` (see the module's docstring)."""

    date: dt.date
    province: str | None
    level: str | None
    agency: str | None
    agency_name: str | None
    staff: Mapping[str, int]
    allowed: bool
    bounds: Mapping[str, Mapping[str, tuple[int, int]]]
    example: Mapping[str, Mapping[str, int]] | None
    constraints: tuple[Constraint, ...]
    binding: tuple[Constraint, ...]
    clash: tuple[Constraint, ...]
    employee: tuple[EmployeeConstraint, ...]
    rules: tuple[Rule, ...]
    model: Model = field(repr=False)
    method: str = "flow"

    def range(self, category: str, mode: str) -> tuple[int, int]:
        """``(least, most)`` of ``category``'s staff in ``mode`` (canonical names; any spelling the
        rules accept is read)."""
        cat = self.model.category_of(category) or category
        found = runtime.read_mode(mode)
        return self.bounds[cat][found if isinstance(found, str) else mode]

    def text(self, lang: str = "id") -> str:
        """The answer for a PPK, in ``lang`` (``id`` or ``en``)."""
        return capacity_text(self, lang)

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        from .fingerprint import fingerprint
        from .version import __version__
        from .workdays import CALENDAR_VERSION

        return {
            "date": self.date.isoformat(),
            "province": self.province,
            "level": self.level,
            "agency": self.agency_name,
            "lang": lang,
            "staff": dict(self.staff),
            "leave_counted": False,
            "allowed": self.allowed,
            "capacity": {
                cat: {m: {"least": lo, "most": hi} for m, (lo, hi) in modes.items()}
                for cat, modes in self.bounds.items()
            },
            "example": None if self.example is None else {c: dict(ms) for c, ms in self.example.items()},
            "rules": [_constraint_json(self.model, c, lang, c in self.binding) for c in self.constraints],
            "clash": [_constraint_json(self.model, c, lang, True) for c in self.clash],
            "employee_rules": [_employee_json(self.model, e, lang) for e in self.employee],
            "method": self.method,
            "fingerprint": fingerprint(self.model),
            "calendar": CALENDAR_VERSION,
            "asnrules_version": __version__,
        }


def _constraint_json(model: Model, c: Constraint, lang: str, binds: bool) -> dict[str, Any]:
    from .wording import citation, constraint_sentence, constraint_text

    return {
        "circular": c.circular,
        "rule": c.rule,
        "citation": citation(c, lang, model=model),
        "source": str(c.source),
        "constraint": constraint_text(c),
        "sentence": constraint_sentence(model, c, lang),
        "group": c.group,
        "mode": c.mode,
        "comparison": c.comparison,
        "bound": format(c.bound.normalize(), "f"),
        "binds": binds,
    }


def _employee_json(model: Model, e: EmployeeConstraint, lang: str) -> dict[str, Any]:
    from .inforce import employee_text
    from .wording import citation

    return {
        "circular": e.circular,
        "rule": e.rule,
        "citation": citation(e, lang, model=model),
        "source": str(e.source),
        "constraint": employee_text(e, "en"),
        "sentence": employee_text(e, lang),
    }


# ---- reading the head counts --------------------------------------------------------------------------------


def read_staff(args: Sequence[str]) -> dict[str, int]:
    """The head counts of the command line, ``CATEGORY=N`` each (``admin=40``), as written: the
    category names are read by :func:`capacity` (any spelling the rules accept). Raises
    :class:`InputError`: E350 (not ``CATEGORY=N``), E351 (a negative or too large number), E352 (one
    category named twice), E354 (no head count at all)."""
    if not args:
        raise InputError(msg("capacity.no-staff"), code="E354")
    out: dict[str, int] = {}
    seen: dict[str, str] = {}
    for text in args:
        name, sep, number = str(text).partition("=")
        name, number = runtime.blank_collapse(name), number.strip()
        digits = number.removeprefix("+").removeprefix("-")
        if not sep or not name or ":" in name or not digits.isascii() or not digits.isdigit():
            raise InputError(msg("capacity.staff-not-written", text=_short(str(text))), code="E350")
        if number.startswith("-") and int(digits):
            raise InputError(msg("capacity.count-negative", text=_short(str(text))), code="E351")
        if len(digits.lstrip("0")) > len(str(runtime.MAX_COUNT)) or int(digits) > runtime.MAX_COUNT:
            raise InputError(
                msg("capacity.count-too-big", text=_short(str(text)), most=f"{runtime.MAX_COUNT:,}"), code="E351"
            )
        key = runtime.name_key(name)
        if key in seen:
            raise InputError(msg("capacity.staff-twice", first=seen[key], second=name, category=name), code="E352")
        seen[key] = name
        out[name] = int(digits)
    return out


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _raise(reason: Reason, code: str) -> None:
    raise InputError(reason_msg(reason), code=code)


def _staff(model: Model, staff: object) -> dict[str, int]:
    """``staff`` read with the runtime's readers: canonical category → head count."""
    if not isinstance(staff, Mapping):
        raise InputError(msg("capacity.staff-not-a-mapping"), code="E350")
    out: dict[str, int] = {}
    written: dict[str, str] = {}
    for name, count in staff.items():
        cat = runtime.read_category(name, model.category_names, list(model.categories))
        if isinstance(cat, Reason):
            _raise(cat, "E353")
        assert isinstance(cat, str)
        n = runtime.read_count(count, str(name))
        if isinstance(n, Reason):
            _raise(n, "E351")
        assert isinstance(n, int)
        if cat in out:
            raise InputError(
                msg("capacity.staff-twice", first=written[cat], second=str(name), category=cat), code="E352"
            )
        out[cat] = n
        written[cat] = str(name)
    return out


# ---- capacity ------------------------------------------------------------------------------------------------


def capacity(
    model: Model,
    date: dt.date | str,
    region: str | None,
    staff: Mapping[str, int],
    level: str | None = None,
    agency: str | None = None,
    *,
    method: str | None = None,
) -> Capacity:
    """See the module docstring. Raises :class:`InputError` for an unusable argument: a date, region,
    level or agency as :meth:`asnrules.RuleSet.situation` does (E310–E312), head counts E350–E353.
    ``method`` forces ``flow`` or ``search`` (for the tests; the default chooses)."""
    s = situation(model, date, region, {}, level, agency)
    heads = _staff(model, staff)
    rules = tuple(applicable_rules(model, s.date, s.province, s.level, s.agency))
    constraints = tuple(c for r in rules for c in r.constraints)
    employee = tuple(e for r in rules for e in r.employee)
    cats = [c for c, n in heads.items() if n > 0]
    counted: list[tuple[Constraint, frozenset[str], int]] = []
    for c in constraints:
        under = model.under[c.group]
        members = frozenset(cat for cat in cats if cat in under)
        n = sum(heads[cat] for cat in members)
        if n:
            counted.append((c, members, n))
    # atoms: the categories every binding constraint counts alike
    signature: dict[str, frozenset[frozenset[str]]] = {
        cat: frozenset(m for _, m, _ in counted if cat in m) for cat in cats
    }
    atom_of: dict[frozenset[frozenset[str]], int] = {}
    members_of: list[list[str]] = []
    for cat in cats:
        a = atom_of.setdefault(signature[cat], len(atom_of))
        if a == len(members_of):
            members_of.append([])
        members_of[a].append(cat)
    totals = [sum(heads[c] for c in ms) for ms in members_of]

    def bound_of(c: Constraint, members: frozenset[str], n: int) -> Bound | None:
        num, den = runtime.exact_bound(format(c.bound, "f"))
        found = share_range(n, c.comparison, num, den)
        if found is None:
            return None
        atoms = frozenset(atom_of[signature[cat]] for cat in members)
        return atoms, MODES.index(c.mode), found[0], found[1]

    bounds = [bound_of(c, m, n) for c, m, n in counted]
    binding = tuple(c for c, _, _ in counted)
    usable = [b for b in bounds if b is not None]
    chosen = method or ("flow" if nested(usable) else "search")
    solved = None if len(usable) < len(bounds) else solve(totals, usable, method=chosen)

    def answer(
        bounds: Mapping[str, Mapping[str, tuple[int, int]]],
        example: Mapping[str, Mapping[str, int]] | None,
        clash: tuple[Constraint, ...],
    ) -> Capacity:
        return Capacity(
            date=s.date,
            province=s.province,
            level=s.level,
            agency=s.agency,
            agency_name=s.agency_name,
            staff=heads,
            allowed=example is not None,
            bounds=bounds,
            example=example,
            constraints=constraints,
            binding=binding,
            clash=clash,
            employee=employee,
            rules=rules,
            model=model,
            method=chosen,
        )

    if solved is None:
        return answer({}, None, _clash(totals, binding, bounds, method))
    witness, spans = solved
    out: dict[str, dict[str, tuple[int, int]]] = {cat: {m: (0, 0) for m in MODES} for cat in heads}
    example: dict[str, dict[str, int]] = {cat: {} for cat in heads}
    for a, ms in enumerate(members_of):
        left = list(witness[a])
        for cat in ms:
            n = heads[cat]
            others = totals[a] - n
            out[cat] = {m: (max(0, spans[a][i][0] - others), min(n, spans[a][i][1])) for i, m in enumerate(MODES)}
            part: dict[str, int] = {}
            for i, m in enumerate(MODES):  # the witness shared out, category by category
                take = min(left[i], n - sum(part.values()))
                left[i] -= take
                if take:
                    part[m] = take
            example[cat] = part
    return answer(out, example, ())


def _clash(
    totals: Sequence[int], binding: Sequence[Constraint], bounds: Sequence[Bound | None], method: str | None
) -> tuple[Constraint, ...]:
    """An irreducible set of the binding constraints that admit no split together."""
    for c, b in zip(binding, bounds, strict=True):
        if b is None:
            return (c,)  # no whole number of staff meets it alone
    keep = list(range(len(binding)))
    for i in range(len(binding)):
        trial = [j for j in keep if j != i]
        rest = [b for j in trial if (b := bounds[j]) is not None]
        if solve(totals, rest, ranges=False, method=method) is None:
            keep = trial
    return tuple(binding[j] for j in keep)


# ---- the words ---------------------------------------------------------------------------------------------


def _modes_text(bounds: Mapping[str, tuple[int, int]], lang: str) -> str:
    parts = []
    for m in MODES:
        lo, hi = bounds[m]
        if hi == 0:
            continue
        if lo == hi:
            parts.append(say("capacity.exact", lang, mode=m, count=hi))
        else:
            parts.append(say("capacity.range", lang, mode=m, least=lo, most=hi))
    return say("capacity.comma", lang).join(parts)


def _split_text(example: Mapping[str, Mapping[str, int]], lang: str) -> str:
    parts = []
    for cat, modes in example.items():
        if modes:
            inner = say("capacity.comma", lang).join(
                say("capacity.exact", lang, mode=m, count=k) for m, k in modes.items()
            )
            parts.append(say("capacity.split-part", lang, category=cat, modes=inner))
    return say("capacity.semicolon", lang).join(parts)


def _share_amount(c: Constraint, n: int, lang: str) -> str:
    amount = Fraction(c.bound) * n / 100
    text = format((Decimal(amount.numerator) / Decimal(amount.denominator)).normalize(), "f")
    return text.replace(".", ",") if lang == "id" else text


def capacity_text(answer: Capacity, lang: str = "id") -> str:
    """``asnrules capacity`` for a reader: the day and place; per category its head count and the
    least–most of each mode it may take (``admin (40): WFO 20–40, WFH 0–20, WFA 0–20``); one split
    that satisfies every rule; the rules applied, cited. When no split is allowed: the clashing rules."""
    from .prelude import province_name
    from .wording import citation, constraint_sentence, date_text, percent_text

    model = answer.model
    place = province_name(answer.province) if answer.province else say("capacity.no-province", lang)
    who = [x for x in (answer.level and say(f"inforce.level-{answer.level}", lang), answer.agency_name) if x]
    where = dict(day=date_text(answer.date, lang), place=place, who=f" ({', '.join(who)})" if who else "")

    def cited(c: Constraint) -> str:
        return f"  - {constraint_sentence(model, c, lang)} [{citation(c, lang, model=model, prose=True)}]"

    staff = say("capacity.comma", lang).join(
        say("capacity.split-part", lang, category=c, modes=n) for c, n in answer.staff.items()
    )
    if not answer.allowed:
        lines = [say("capacity.not-allowed", lang, **where), say("capacity.staff", lang, staff=staff)]
        for c in answer.clash:
            lines.append(cited(c))
        if len(answer.clash) == 1:
            c = answer.clash[0]
            n = sum(k for cat, k in answer.staff.items() if cat in model.under[c.group])
            if c.comparison == "=":
                amount = _share_amount(c, n, lang)
                lines.append(say("capacity.not-whole", lang, share=percent_text(c.bound, lang), n=n, amount=amount))
            else:
                lines.append(say("capacity.never", lang, n=n))
        return "\n".join(lines)
    lines = [say("capacity.heading", lang, **where)]
    omitted = False
    for cat, n in answer.staff.items():
        if n == 0:
            lines.append(say("capacity.no-staff-line", lang, category=cat))
            continue
        bounds = answer.bounds[cat]
        omitted = omitted or any(bounds[m][1] == 0 for m in MODES)
        lines.append(say("capacity.line", lang, category=cat, staff=n, modes=_modes_text(bounds, lang)))
    if not answer.binding:
        lines.append(say("capacity.uncovered", lang))
    else:
        if omitted:
            lines.append(say("capacity.omitted", lang))
        lines.append(say("capacity.one-at-a-time", lang))
        if answer.example is not None:
            lines.append(say("capacity.example", lang, split=_split_text(answer.example, lang)))
        lines.append(say("capacity.applied", lang))
        lines += [cited(c) for c in answer.binding]
    idle = [c for c in answer.constraints if c not in answer.binding]
    if idle:
        lines.append(say("capacity.not-binding", lang))
        lines += [cited(c) for c in idle]
    if answer.employee:
        from .inforce import employee_text

        lines.append(say("capacity.employee", lang))
        lines += [
            f"  - {employee_text(e, lang)} [{citation(e, lang, model=model, prose=True)}]" for e in answer.employee
        ]
    return "\n".join(lines)
