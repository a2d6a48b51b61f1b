"""Rule set → a standalone Python module that decides situations (LANGUAGE.md §5).

Jobs, in order:

1. :func:`build_index` decides, at compile time and with the reference semantics itself
   (:func:`asnrules.timeline.sweep`, :func:`asnrules.timeline.agency_contexts`,
   :func:`asnrules.semantics.applicable`), which constraints apply on every run of days, in every
   province and in every agency context that the who parts can tell apart. ``supersedes`` and
   ``overrides`` are thereby resolved before anything runs. The result is one timeline per province:
   sorted first days (searched with ``bisect``) and, for each run, the constraints in source order.
   A province's timeline only changes where a rule that can reach it starts or ends, so a decision
   costs the same however many circulars speak at other times and places.
2. :func:`compile_module` writes the module: data tables, then a fixed runtime (:data:`_RUNTIME`)
   that is the same for every rule set. Text from rule files (names, titles, labels, notes, agency
   names, file paths) enters only as literals made by :func:`literal`, i.e. ``repr()`` of values
   checked to be plain ``str``/``int``/``bool``/``None`` or tuples and dicts of them — never as code,
   and never in comments. Everything is emitted in a fixed order: the same model gives the same bytes.
3. :func:`evaluator_for` runs that module in a fresh namespace and wraps its low-level entry points
   (``_applicable``: the index look-up; ``_check``: n, k and verdict per constraint) so that it returns
   a :class:`~asnrules.semantics.Result` equal to the interpreter's.

Decisions themselves are straight-line code: each distinct set of constraints in the index gets a
decision function by its *shape* (how many groups, which mode each constraint counts, equality or
not: code with numbers only, shared by every set of that shape); the values of the set (categories
under each group, exact integer bounds, citations) are its parameters. Sets of more than
:data:`SHAPED` constraints use one generic loop.

The module imports only the standard library. Its ``evaluate(date, region, counts, level=None,
agency=None)`` checks its arguments like :func:`asnrules.semantics.situation` (raising ``ValueError``)
and returns a ``Decision`` with the outcome, the violations with their citations, and every applied
constraint; ``CIRCULARS``, ``RULES``, ``CONSTRAINTS`` and ``FINGERPRINT`` say what it was built from.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import CodeType
from typing import Any, Literal

from .model import MODES, Model, Rule
from .prelude import name_key, province_index, provinces
from .semantics import Applied, Result, Situation, Violation, applicable
from .timeline import agency_contexts, sweep

__all__ = ["FORMAT", "Index", "build_index", "compile_module", "evaluator_for", "fingerprint", "literal"]

#: Version of the generated module's layout (``FORMAT`` in the module).
FORMAT = 1

_LAST_ORDINAL = dt.date.max.toordinal()
_COMPARISONS = frozenset({"<=", ">=", "=", "<", ">"})
_BOUND_RE = re.compile(r"\A[0-9]+(?:\.[0-9]+)?\Z")
_CODE_RE = re.compile(r"\A[0-9]{2}\Z")

#: What an index entry holds: constraint positions, or those per (level, agency key) context.
Entry = tuple[int, ...] | dict[tuple[str | None, str | None], tuple[int, ...]]


# ---- literals ----------------------------------------------------------------------------------------


def literal(value: object) -> str:
    """Python source for a checked value: ``None``, ``bool``, ``int``, ``str``, or tuples and dicts of
    them (dicts keep their order). Text always goes through ``repr()`` of a plain ``str``; anything else
    (a float, a ``str`` subclass with its own ``repr``, an arbitrary object) is refused."""
    if value is None or type(value) is bool:
        return repr(value)
    if type(value) is int:
        return repr(value)
    if type(value) is str:
        return repr(value)
    if type(value) is tuple:
        items = [literal(v) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if type(value) is dict:
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no literal for a value of type {type(value).__name__}")


def _text(value: object) -> str:
    """A plain ``str`` copy of a text from the model (a ``str`` subclass loses its own methods)."""
    if not isinstance(value, str):
        raise TypeError(f"expected a text, got {type(value).__name__}")
    return str.__str__(value)


def _opt_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


# ---- the index ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    """Applicability decided ahead of time (see the module docstring).

    ``entries[0]`` is ``()``; every other entry is a tuple of positions in ``model.constraints`` (source
    order) or, where who parts matter, a dict from every (level, agency key) context of
    :func:`~asnrules.timeline.agency_contexts` to such a tuple. ``timelines`` maps a Kemendagri code
    (``None``: a situation without a province, bound by nationwide rules only) to sorted first days
    (proleptic ordinals, the first always 1) and the entry that holds from each until the next.
    """

    entries: tuple[Entry, ...]
    timelines: Mapping[str | None, tuple[tuple[int, ...], tuple[int, ...]]]


def build_index(model: Model) -> Index:
    """Decide every (run of days × province × agency context) with :func:`semantics.applicable`."""
    position = {c.id: i for i, c in enumerate(model.constraints)}
    entries: list[Entry] = [()]
    interned: dict[object, int] = {("t", ()): 0}
    runs: dict[str | None, list[list[int]]] = {}
    codes = sorted(p.code for p in provinces())
    for seg, active in sweep(model, model.rules):
        start = 1 if seg.start is None else seg.start.toordinal()
        end = _LAST_ORDINAL if seg.end is None else seg.end.toordinal()
        nationwide = any(r.provinces is None for r in active)
        targets: list[str | None] = [None] if nationwide else []
        targets += codes if nationwide else sorted({p for r in active for p in (r.provinces or ())})
        decided: dict[tuple[int, ...], int] = {}
        for code in targets:
            reach = tuple(r for r in active if r.provinces is None or (code is not None and code in r.provinces))
            key = tuple(r.id for r in reach)
            entry = decided.get(key)
            if entry is None:
                entry = decided[key] = _entry(model, seg.day, code, reach, position, entries, interned)
            seq = runs.setdefault(code, [])
            if seq and seq[-1][1] == start - 1 and seq[-1][2] == entry:
                seq[-1][1] = end
            else:
                seq.append([start, end, entry])
    timelines: dict[str | None, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    for code in sorted(runs, key=lambda c: (c is not None, c or "")):
        starts: list[int] = []
        values: list[int] = []
        previous_end: int | None = None
        for first, last, entry in runs[code]:
            if previous_end is not None and previous_end + 1 < first:
                starts.append(previous_end + 1)
                values.append(0)
            starts.append(first)
            values.append(entry)
            previous_end = last
        if previous_end is not None and previous_end < _LAST_ORDINAL:
            starts.append(previous_end + 1)
            values.append(0)
        if starts[0] > 1:  # every timeline starts on the first day: bisect never falls before it
            starts.insert(0, 1)
            values.insert(0, 0)
        timelines[code] = (tuple(starts), tuple(values))
    return Index(tuple(entries), timelines)


def _entry(
    model: Model,
    day: dt.date,
    code: str | None,
    reach: tuple[Rule, ...],
    position: Mapping[int, int],
    entries: list[Entry],
    interned: dict[object, int],
) -> int:
    """The interned entry for the rules that reach one province in one segment."""
    contexts = agency_contexts(reach)
    table = {
        (level, agency): tuple(position[c.id] for c in applicable(model, day, code, level, agency, rules=reach))
        for level, agency in contexts
    }
    key: object
    value: Entry
    if len(contexts) == 1:
        value = table[(None, None)]
        key = ("t", value)
    else:
        value = table
        key = ("d", tuple(table.items()))
    found = interned.get(key)
    if found is None:
        found = interned[key] = len(entries)
        entries.append(value)
    return found


# ---- fingerprint --------------------------------------------------------------------------------------


def fingerprint(model: Model) -> str:
    """``sha256:<hex>`` of everything a decision depends on and cites: circulars with their attributes,
    rules (periods, provinces, who parts, constraints, citations and positions), the categories with
    what lies under each, and the province names accepted. Identical rule sets give identical prints."""

    def rule(r: Rule) -> dict[str, Any]:
        return {
            "label": r.label,
            "citation": r.citation,
            "periods": [[_day(p.start), _day(p.end)] for p in r.periods],
            "provinces": None if r.provinces is None else sorted(r.provinces),
            "levels": sorted(r.audience.levels),
            "agencies": sorted(r.audience.agencies),
            "agency_names": list(r.audience.agency_names),
            "source": list(r.source),
            "constraints": [[c.group, c.mode, c.comparison, str(c.bound), list(c.source)] for c in r.constraints],
        }

    doc = {
        "format": FORMAT,
        "circulars": [
            {
                "name": c.name,
                "title": c.title,
                "issued": _day(c.issued),
                "issued_by": c.issued_by,
                "effective": _day(c.effective),
                "basis": list(c.basis),
                "source": c.source_url,
                "supersedes": list(c.supersedes),
                "overrides": list(c.overrides),
                "path": c.path,
                "notes": [n.text for n in c.notes],
                "rules": [rule(r) for r in model.rules if r.circular == c.name],
            }
            for c in model.circulars
        ],
        "categories": {name: sorted(model.under[name]) for name in sorted(model.categories)},
        "category_names": dict(sorted(model.category_names.items())),
        "provinces": [list(p.names) for p in provinces()],
    }
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# ---- the module ---------------------------------------------------------------------------------------


def _tables(model: Model) -> tuple[list[tuple[str, object]], list[Shape]]:
    """The data of the module, name by name, as checked plain values; and the shapes of its decisions."""
    index = build_index(model)
    categories = sorted(model.categories)
    for c in model.constraints:
        if (
            c.mode not in MODES
            or c.comparison not in _COMPARISONS
            or c.group not in model.categories
            or not _BOUND_RE.match(_bound_text(c))
        ):
            raise ValueError(f"constraint {c.id} is not in normal form: {c.describe()}")
    circulars = tuple(
        {
            "name": _text(c.name),
            "title": _opt_text(c.title),
            "issued": _day(c.issued),
            "issued_by": _opt_text(c.issued_by),
            "effective": _day(c.effective),
            "basis": tuple(_text(b) for b in c.basis),
            "source": _opt_text(c.source_url),
            "supersedes": tuple(_text(x) for x in c.supersedes),
            "overrides": tuple(_text(x) for x in c.overrides),
            "path": _text(c.path),
            "notes": tuple(_text(n.text) for n in c.notes),
        }
        for c in model.circulars
    )
    position = {c.id: i for i, c in enumerate(model.constraints)}
    rules = tuple(
        {
            "circular": _text(r.circular),
            "rule": _text(r.citation),
            "label": _opt_text(r.label),
            "periods": tuple((_day(p.start), _day(p.end)) for p in r.periods),
            "provinces": None if r.provinces is None else tuple(sorted(_text(p) for p in r.provinces)),
            "levels": tuple(sorted(_text(x) for x in r.audience.levels)),
            "agencies": tuple(_text(x) for x in r.audience.agency_names),
            "source": _source_text(r.source),
            "constraints": tuple(position[c.id] for c in r.constraints),
        }
        for r in model.rules
    )
    constraints = tuple(
        (
            _text(c.circular),
            _text(c.rule),
            _text(c.group),
            c.mode,
            c.comparison,
            _bound_text(c),
            _text(c.source.file),
            int(c.source.line),
            int(c.source.column),
        )
        for c in model.constraints
    )
    category_table = {
        _text(name): {
            "label_id": _text(model.categories[name].label_id),
            "label_en": _text(model.categories[name].label_en),
            "members": tuple(_text(m) for m in model.categories[name].members),
            "under": tuple(sorted(_text(x) for x in model.under[name])),
        }
        for name in categories
    }
    category_keys = {_text(k): _text(v) for k, v in sorted(model.category_names.items())}
    category_exact: dict[str, str] = {}
    for name in categories:
        category_exact[_text(name)] = _text(model.category_names[name_key(name)])
    for k, v in sorted(model.category_names.items()):
        if name_key(k) == k:
            category_exact.setdefault(_text(k), _text(v))
    index_keys = province_index()
    province_keys = {_text(k): _code(p.code) for k, p in index_keys.items()}
    province_names = {_code(p.code): tuple(_text(n) for n in p.names) for p in provinces()}
    province_exact: dict[str, str] = {}
    for p in provinces():
        for n in p.names:
            province_exact.setdefault(_text(n), _code(index_keys[name_key(n)].code))
    agency_exact: dict[str, str] = {}
    for r in model.rules:
        for spelled in r.audience.agency_names:
            agency_exact.setdefault(_text(spelled), _text(name_key(spelled)))
    agency_exact = dict(sorted(agency_exact.items()))
    sets: dict[tuple[int, ...], int] = {(): 0}
    for e in index.entries:
        for ids in (e,) if isinstance(e, tuple) else e.values():
            sets.setdefault(ids, len(sets))
    entries = tuple(
        sets[e] if isinstance(e, tuple) else {(_opt_text(lv), _opt_text(ag)): sets[ids] for (lv, ag), ids in e.items()}
        for e in index.entries
    )
    shapes: dict[Shape, int] = {}
    set_shapes = tuple(shapes.setdefault(_shape(model, ids), len(shapes)) for ids in sets)
    timelines = {None if code is None else _code(code): line for code, line in index.timelines.items()}
    return [
        ("FORMAT", FORMAT),
        ("FINGERPRINT", fingerprint(model)),
        ("CIRCULARS", circulars),
        ("RULES", rules),
        ("CONSTRAINTS", constraints),
        ("CATEGORIES", category_table),
        ("_CATEGORY_KEYS", category_keys),
        ("_CATEGORY_EXACT", category_exact),
        ("_PROVINCE_KEYS", province_keys),
        ("_PROVINCE_NAMES", province_names),
        ("_PROVINCE_EXACT", province_exact),
        ("_AGENCY_EXACT", agency_exact),
        ("_SETS", tuple(sets)),
        ("_SET_SHAPES", set_shapes),
        ("_ENTRIES", entries),
        ("_TIMELINES", timelines),
    ], list(shapes)


def _bound_text(c: Any) -> str:
    """The bound as written in plain digits, so that ``Decimal(text) `` rebuilds it exactly (``str`` too)."""
    return format(c.bound, "f")


def _source_text(source: Any) -> str:
    return f"{_text(source.file)}:{int(source.line)}:{int(source.column)}"


def _code(code: str) -> str:
    if not _CODE_RE.match(code):
        raise ValueError(f"not a Kemendagri province code: {code!r}")
    return _text(code)


def _assignment(name: str, value: object) -> str:
    """``NAME = literal``; tuples and dicts with more than one item are written one item a line."""
    if type(value) is tuple and len(value) > 1:
        body = "".join(f"    {literal(v)},\n" for v in value)
        return f"{name} = (\n{body})\n"
    if type(value) is dict and len(value) > 1:
        body = "".join(f"    {literal(k)}: {literal(v)},\n" for k, v in value.items())
        return f"{name} = {{\n{body}}}\n"
    return f"{name} = {literal(value)}\n"


#: A decision's shape: how many groups, and per constraint (group index, mode index, equality?).
#: ``(0, ())`` is the empty set (nothing applies); ``(-1, ())`` the generic loop, used for sets of more
#: than :data:`SHAPED` constraints.
Shape = tuple[int, tuple[tuple[int, int, bool], ...]]
SHAPED = 4
_MODE_INDEX = {"WFO": 1, "WFH": 2, "WFA": 3}


def _shape(model: Model, ids: tuple[int, ...]) -> Shape:
    """The shape of deciding these constraints (groups numbered by first appearance, as ``_plan`` in
    the module numbers them)."""
    if len(ids) > SHAPED:
        return -1, ()
    groups: dict[str, int] = {}
    out = []
    for cid in ids:
        c = model.constraints[cid]
        out.append((groups.setdefault(c.group, len(groups)), _MODE_INDEX[c.mode], c.comparison == "="))
    return len(groups), tuple(out)


def _shape_source(number: int, shape: Shape) -> str:
    """A function deciding every constraint set of this shape, straight-line: one pass over the counts
    sums each group, then each constraint is compared exactly on whole numbers (see ``_plan``). Only
    numbers and the compiler's own names appear in it; the values of each set come in ``p``."""
    n_groups, checks = shape
    if not checks:
        return ""
    names = [f"u{g}" for g in range(n_groups)]
    for i in range(len(checks)):
        names += [f"c{i}", f"s{i}", f"a{i}", f"h{i}"]
    ks = sorted({(g, m) for g, m, _ in checks})
    lines = [f"def _shape_{number}(tallies, p):", f"    {', '.join(names)}, = p"]
    lines.append("    " + " = ".join([*(f"n{g}" for g in range(n_groups)), *(f"k{g}_{m}" for g, m in ks)]) + " = 0")
    lines.append("    for cat, t in tallies.items():")
    for g in range(n_groups):
        lines.append(f"        if cat in u{g}:")
        lines.append(f"            n{g} += t[0]")
        lines += [f"            k{g}_{m} += t[{m}]" for gg, m in ks if gg == g]
    lines += ["    violations = []", "    holds = False"]
    for i, (g, m, equal) in enumerate(checks):
        test = f"k{g}_{m} * s{i} == a{i} * n{g}" if equal else f"k{g}_{m} * s{i} - a{i} * n{g} <= h{i}"
        lines += [
            f"    if n{g}:",
            f"        if {test}:",
            "            holds = True",
            "        else:",
            f"            violations.append(_new(Violation, (*_CITED[c{i}], n{g}, k{g}_{m})))",
        ]
    lines.append("    return violations, holds")
    return "\n".join(lines) + "\n\n\n"


def compile_module(model: Model) -> str:
    """The source of a standalone Python module deciding situations under ``model`` (see the module
    docstring). Only the standard library is imported; the same model always gives the same text."""
    parts = [_HEADER, "\n# ---- the rule set (data; written by the compiler) " + "-" * 48 + "\n\n"]
    tables, shapes = _tables(model)
    for name, value in tables:
        parts.append(_assignment(name, value))
        parts.append("\n")
    parts.append(_RUNTIME)
    parts.append("\n\n# ---- one decision function per shape of constraint set (numbers only) " + "-" * 30 + "\n\n\n")
    parts += [_shape_source(i, shape) for i, shape in enumerate(shapes)]
    deciders = ", ".join(
        f"_shape_{i}" if shape[1] else "_generic" if shape[0] < 0 else "None" for i, shape in enumerate(shapes)
    )
    parts.append(f"_DECIDERS = ({deciders},)\n")
    parts.append(_PLANS)
    source = "".join(parts)
    _compiled(source)  # always valid Python, or fail here
    return source


@functools.lru_cache(maxsize=4)
def _compiled(source: str) -> CodeType:
    """The module compiled (remembered: :func:`evaluator_for` runs what :func:`compile_module` checked)."""
    return compile(source, "<asnrules compiled module>", "exec")


def _namespace(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "asnrules_compiled", "__builtins__": __builtins__}
    exec(_compiled(source), namespace)
    return namespace


_VERDICTS: tuple[Literal["vacuous"], Literal["holds"], Literal["fails"]] = ("vacuous", "holds", "fails")


def evaluator_for(model: Model) -> Callable[[Situation], Result]:
    """A function deciding normalised situations with the compiled module; its results equal those of
    :func:`asnrules.semantics.evaluate` (outcome, violations and applied constraints, in source order)."""
    namespace = _namespace(compile_module(model))
    find: Callable[[int, str | None, str | None, str | None], tuple[int, ...]] = namespace["_applicable"]
    check: Callable[[tuple[int, ...], Mapping[str, tuple[int, int, int, int]]], list[tuple[int, int, int, int]]]
    check = namespace["_check"]
    constraints = model.constraints
    verdicts = _VERDICTS

    def run(s: Situation) -> Result:
        tallies: dict[str, tuple[int, int, int, int]] = {}
        for cat, modes in s.counts.items():
            wfo = modes.get("WFO", 0)
            wfh = modes.get("WFH", 0)
            wfa = modes.get("WFA", 0)
            tallies[cat] = (wfo + wfh + wfa, wfo, wfh, wfa)
        checks = check(find(s.date.toordinal(), s.province, s.level, s.agency), tallies)
        applied = tuple(Applied(constraints[cid], n, k, verdicts[v]) for cid, n, k, v in checks)
        violations = tuple(Violation.of(constraints[cid], n, k) for cid, n, k, v in checks if v == 2)
        outcome: Literal["compliant", "violation", "uncovered"] = (
            "violation" if violations else "compliant" if any(v == 1 for *_, v in checks) else "uncovered"
        )
        return Result(outcome, violations, applied, s, model)

    return run


# ---- the fixed parts of the module (no text from rule files here) -------------------------------------

_HEADER = '''\
"""A compiled asnrules rule set: decides the work arrangements of one work unit on one day.

Generated by asnrules (compile_py); do not edit: compile the rule files again instead.
It imports only the Python standard library.

    import this_module as rules
    d = rules.evaluate("2023-08-30", "DKI", {"admin": {"WFH": 6, "WFO": 4}})
    d.outcome       # "compliant", "violation" or "uncovered"
    d.violations    # the failed constraints, each citing circular, rule and source file:line:column
    d.applied       # every applicable constraint with its verdict

CIRCULARS, RULES and CONSTRAINTS list what the module was built from; FINGERPRINT identifies the
rule set (a SHA-256 of its meaning and citations), so a decision can be reproduced later.
"""

from __future__ import annotations

import bisect as _bisect_module
import calendar as _calendar
import datetime as _datetime
import difflib as _difflib
import functools as _functools
import operator as _operator
import re as _re
from collections.abc import Mapping as _Mapping
from collections.abc import Sequence as _Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

__all__ = ["CATEGORIES", "CIRCULARS", "CONSTRAINTS", "FINGERPRINT", "FORMAT", "RULES", "Applied", "Decision",
           "InputError", "Violation", "evaluate"]
'''

_RUNTIME = '''\
# ---- the evaluator (the same for every rule set) ------------------------------------------------------


class InputError(ValueError):
    \"\"\"An argument of evaluate() that cannot be used (a bad date, an unknown province, ...).\"\"\"


class Violation(NamedTuple):
    \"\"\"A failed constraint: bound and share are percentages, exact; source is "file:line:column".\"\"\"

    circular: str
    rule: str
    group: str
    mode: str
    comparison: str
    bound: Decimal
    source: str
    n: int
    k: int

    @property
    def share(self) -> Fraction:
        \"\"\"The share of the group's counted staff in the mode, in percent: 100·k/n.\"\"\"
        return Fraction(100 * self.k, self.n)


class Applied(NamedTuple):
    \"\"\"An applicable constraint and its verdict: "holds", "fails" or "vacuous" (no staff counted).\"\"\"

    circular: str
    rule: str
    group: str
    mode: str
    comparison: str
    bound: Decimal
    source: str
    n: int
    k: int
    verdict: str

    @property
    def share(self) -> Fraction | None:
        return Fraction(100 * self.k, self.n) if self.n else None


class Decision(NamedTuple):
    \"\"\"outcome: "compliant", "violation" or "uncovered"; violations: the failed constraints in source
    order; constraints: the positions in CONSTRAINTS of every applicable constraint, in source order;
    tallies: the counts as understood, {canonical category: [counted, WFO, WFH, WFA, LEAVE]}.\"\"\"

    outcome: str
    violations: tuple[Violation, ...]
    constraints: tuple[int, ...]
    tallies: dict[str, list[int]]

    @property
    def applied(self) -> tuple[Applied, ...]:
        \"\"\"Every applicable constraint with its verdict, in source order.\"\"\"
        return tuple(_new(Applied, (*_CITED[cid], n, k, _VERDICTS[v]))
                     for cid, n, k, v in _check(self.constraints, self.tallies))

    def to_json(self) -> dict[str, object]:
        \"\"\"As `asnrules eval --json` prints it: bound and share as exact decimal or fraction texts.\"\"\"
        return {
            "outcome": self.outcome,
            "violations": [
                {"circular": v.circular, "rule": v.rule, "group": v.group, "mode": v.mode,
                 "comparison": v.comparison, "bound": str(v.bound), "share": str(v.share), "source": v.source,
                 "n": v.n, "k": v.k}
                for v in self.violations
            ],
            "fingerprint": FINGERPRINT,
        }


_WHITE = _re.compile(r"[\\s_-]+")
_DATE = _re.compile(r"^\\d{4}-\\d{2}-\\d{2}$")
_MODES = {"WFO": 1, "WFH": 2, "WFA": 3, "LEAVE": 4}
_MODE_EXACT = {**_MODES, "CUTI": 4}
_LEVELS = {"central": "central", "regional": "regional", "pusat": "central", "daerah": "regional"}
_OPERATORS = {"<=": _operator.le, ">=": _operator.ge, "=": _operator.eq, "<": _operator.lt, ">": _operator.gt}
_VERDICTS = ("vacuous", "holds", "fails")
_bisect = _bisect_module.bisect_right
_new = tuple.__new__
_Date = _datetime.date


@_functools.lru_cache(maxsize=4096)
def name_key(text: str) -> str:
    \"\"\"How names are compared: case-insensitive, runs of spaces, "-" and "_" made equal.\"\"\"
    return _WHITE.sub(" ", text.strip()).casefold()


def _suggest(word: str, candidates: list[str]) -> str:
    by_key: dict[str, str] = {}
    for c in candidates:
        by_key.setdefault(name_key(c), c)
    close = [by_key[k] for k in _difflib.get_close_matches(name_key(word), list(by_key), n=3, cutoff=0.6)]
    return f"; did you mean {' or '.join(repr(x) for x in close)}?" if close else ""


@_functools.lru_cache(maxsize=4096)
def _parse_day(text: str) -> int:
    if not _DATE.match(text):
        raise InputError(f"'{text}' is not written as YYYY-MM-DD (for example 2023-08-28)")
    year, month, day = (int(x) for x in text.split("-"))
    if not 1 <= month <= 12:
        raise InputError(f"'{text}' is not a date: there is no month {month}")
    last = _calendar.monthrange(year, month)[1] if year >= 1 else 31
    if year < 1 or not 1 <= day <= last:
        raise InputError(f"'{text}' is not a date: {_calendar.month_name[month]} {year} has {last} days")
    return _datetime.date(year, month, day).toordinal()


def _ordinal(date: object) -> int:
    if isinstance(date, _datetime.date):
        return date.toordinal()
    if isinstance(date, str):
        return _parse_day(date.strip())
    raise InputError(f"a date must be a datetime.date or a text YYYY-MM-DD, not {type(date).__name__}")


def _province(region: object) -> str | None:
    if region is None:
        return None
    if not isinstance(region, str):
        raise InputError(f"a region must be a text, not {type(region).__name__}")
    code = _PROVINCE_KEYS.get(name_key(region))
    if code is None:
        names = [n for ns in _PROVINCE_NAMES.values() for n in ns if not n.isdigit()]
        raise InputError(f"unknown province '{region}'{_suggest(region, names)}")
    return code


def _level(level: object) -> str:
    found = _LEVELS.get(level.strip().casefold()) if isinstance(level, str) else None
    if found is None:
        raise InputError(f"level must be 'central' or 'regional', not {level!r}")
    return found


def _agency(agency: object) -> str | None:
    if not isinstance(agency, str):
        raise InputError("agency must be a text")
    return (_AGENCY_EXACT.get(agency) or name_key(agency)) if agency else None


def _category(cat: object) -> str:
    found = _CATEGORY_KEYS.get(name_key(cat)) if isinstance(cat, str) else None
    if found is None:
        raise InputError(f"unknown category '{cat}'{_suggest(str(cat), list(CATEGORIES))}")
    return found


def _mode(mode: object) -> int:
    m = mode.strip().upper() if isinstance(mode, str) else mode
    found = _MODE_EXACT.get(m) if isinstance(m, str) else None
    if found is None:
        raise InputError(f"unknown work mode {mode!r}: use WFO, WFH, WFA or LEAVE")
    return found


class _Unusual(Exception):
    """Counts that the quick path of evaluate() leaves to _tallies."""


def _tallies(counts: object) -> dict[str, list[int]]:
    """The counts, checked, per canonical category: [staff counted, WFO, WFH, WFA, LEAVE]."""
    if not isinstance(counts, _Mapping):
        raise InputError("counts must map categories to {mode: number}")
    tallies: dict[str, list[int]] = {}
    for cat, modes in counts.items():
        canonical = _CATEGORY_EXACT.get(cat) if isinstance(cat, str) else None
        if canonical is None:
            canonical = _category(cat)
        if not isinstance(modes, _Mapping):
            raise InputError(f"the counts of '{cat}' must map modes to numbers, e.g. {{'WFH': 6}}")
        tally = tallies.get(canonical)
        if tally is None:
            tally = tallies[canonical] = [0, 0, 0, 0, 0]
        for mode, k in modes.items():
            i = _mode(mode)
            if isinstance(k, bool) or not isinstance(k, int) or k < 0:
                raise InputError(f"staff counts are whole numbers from 0 up; {cat} {mode} is {k!r}")
            tally[i] += k
        tally[0] = tally[1] + tally[2] + tally[3]
    return tallies


def _by_who(entry: dict[tuple[str | None, str | None], tuple[int, ...]], level: str | None,
            agency: str | None) -> tuple[int, ...]:
    \"\"\"The constraints for this level and agency: the context as given, else without the part (level,
    agency or both) that no rule here names.\"\"\"
    found = entry.get((level, agency))
    if found is None:
        found = entry.get((level, None))
        if found is None:
            found = entry.get((None, agency))
            if found is None:
                found = entry[(None, None)]
    return found


def _plan_for(ordinal: int, province: str | None, level: str | None, agency: str | None) -> tuple:
    \"\"\"(positions in CONSTRAINTS of the constraints that apply, in source order; the function deciding
    them; its parameters): one bisect into the province's timeline (province: a Kemendagri code or
    None; agency: a name_key).\"\"\"
    starts, entries = _TIMELINES.get(province, _NOTHING)
    entry = entries[_bisect(starts, ordinal) - 1]
    return entry if type(entry) is tuple else _by_who(entry, level, agency)


def _applicable(ordinal: int, province: str | None, level: str | None, agency: str | None) -> tuple[int, ...]:
    \"\"\"Positions in CONSTRAINTS of the constraints that apply, in source order.\"\"\"
    return _plan_for(ordinal, province, level, agency)[0]


def _check(constraints: tuple[int, ...], tallies: _Mapping[str, _Sequence[int]]) -> list[tuple[int, int, int, int]]:
    \"\"\"(position, n, k, verdict) of each constraint: verdict 0 is vacuous (n = 0), 1 holds, 2 fails.
    tallies: {canonical category: [counted, WFO, WFH, WFA]}.\"\"\"
    out = []
    for cid in constraints:
        under, m, compare, num, scale = _CHECKS[cid]
        n = k = 0
        for cat, tally in tallies.items():
            if cat in under:
                n += tally[0]
                k += tally[m]
        out.append((cid, n, k, 0 if n == 0 else 1 if compare(k * scale, num * n) else 2))
    return out


def evaluate(date: object, region: str | None, counts: _Mapping[str, _Mapping[str, int]],
             level: str | None = None, agency: str | None = None) -> Decision:
    \"\"\"Decide one work unit on one day.

    date: a datetime.date or a text YYYY-MM-DD; region: any name, code or alias of a province;
    counts: {category: {mode: staff}} with modes WFO, WFH, WFA and LEAVE (not counted);
    level: "central" or "regional" (or "pusat"/"daerah"); agency: the agency's name.
    Raises InputError (a ValueError) for an argument that cannot be used.
    \"\"\"
    ordinal = date.toordinal() if type(date) is _Date else _ordinal(date)
    try:
        province = _PROVINCE_EXACT[region]
    except (KeyError, TypeError):
        province = _province(region)
    if level is not None:
        level = _level(level)
    if agency is not None:
        agency = _agency(agency)
    try:  # the common case, quickly: plain dicts, names and modes as written in CATEGORIES and MODES
        if type(counts) is not dict:
            raise _Unusual
        tallies: dict[str, list[int]] = {}
        for cat, modes in counts.items():
            canonical = _CATEGORY_EXACT[cat]
            if type(modes) is not dict or canonical in tallies:
                raise _Unusual
            tally = tallies[canonical] = [0, 0, 0, 0, 0]
            for mode, k in modes.items():
                if type(k) is not int or k < 0:
                    raise _Unusual
                tally[_MODE_EXACT[mode]] += k
            tally[0] = tally[1] + tally[2] + tally[3]
    except (_Unusual, KeyError):
        tallies = _tallies(counts)
    starts, entries = _TIMELINES[province]
    entry = entries[_bisect(starts, ordinal) - 1]
    constraints, decide, parameters = entry if type(entry) is tuple else _by_who(entry, level, agency)
    if decide is None:
        return _new(Decision, ("uncovered", (), constraints, tallies))
    violations, holds = decide(tallies, parameters)
    if violations:
        return _new(Decision, ("violation", tuple(violations), constraints, tallies))
    return _new(Decision, ("compliant" if holds else "uncovered", (), constraints, tallies))


def _prepare() -> tuple[tuple[frozenset[str], int, object, int, int], ...]:
    checks = []
    for _circular, _rule, group, mode, comparison, bound, _file, _line, _column in CONSTRAINTS:
        exact = Fraction(bound)
        checks.append((frozenset(CATEGORIES[group]["under"]), _MODES[mode], _OPERATORS[comparison],
                       exact.numerator, 100 * exact.denominator))
    return tuple(checks)


def _generic(tallies: dict[str, tuple[int, int, int, int]], constraints: tuple[int, ...]) -> tuple[list, bool]:
    """Decides a set of any size, one constraint after the other."""
    violations = []
    holds = False
    for cid, n, k, verdict in _check(constraints, tallies):
        if verdict == 1:
            holds = True
        elif verdict == 2:
            violations.append(_new(Violation, (*_CITED[cid], n, k)))
    return violations, holds


_CHECKS = _prepare()
_CITED = tuple((c[0], c[1], c[2], c[3], c[4], Decimal(c[5]), f"{c[6]}:{c[7]}:{c[8]}") for c in CONSTRAINTS)
'''

_PLANS = '''
def _plan(constraints: tuple[int, ...], shape: int) -> tuple:
    """(constraints, the function deciding them, its parameters). For a shaped function: the categories
    under each group in order of first appearance, then per constraint its position c and whole numbers
    s, a, h such that it holds when k·s − a·n <= h (an equality: when k·s == a·n). With the bound
    p = num/den: s = 100·den and a = num for <=, <, = and both negated for >=, >; h = -1 if strict, else 0."""
    decide = _DECIDERS[shape]
    if decide is None or decide is _generic:
        return constraints, decide, constraints
    groups: list[str] = []
    values: list[object] = []
    for cid in constraints:
        group, comparison = CONSTRAINTS[cid][2], CONSTRAINTS[cid][4]
        if group not in groups:
            groups.append(group)
        _under, _m, _compare, num, scale = _CHECKS[cid]
        sign = -1 if comparison in (">=", ">") else 1
        values += [cid, sign * scale, sign * num, -1 if comparison in ("<", ">") else 0]
    return constraints, decide, (*(_CHECKS_UNDER[g] for g in groups), *values)


_CHECKS_UNDER = {name: frozenset(c["under"]) for name, c in CATEGORIES.items()}
_PLANS = tuple(_plan(ids, shape) for ids, shape in zip(_SETS, _SET_SHAPES))
_TIMELINES = {
    code: (starts, tuple(_PLANS[e] if type(e) is int else {who: _PLANS[i] for who, i in e.items()}
                         for e in (_ENTRIES[v] for v in values)))
    for code, (starts, values) in _TIMELINES.items()
}
_NOTHING = ((1,), (_PLANS[0],))
_TIMELINES.update({code: _NOTHING for code in (None, *_PROVINCE_NAMES) if code not in _TIMELINES})
'''
