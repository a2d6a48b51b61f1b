"""Rule set → the compiled evaluator: a standalone Python module, and the same engine in process.

Jobs, in order:

1. :func:`build_index` turns the applicability plan (:func:`asnrules.applicability.applicability`, decided
   with the reference semantics; ``supersedes`` and ``overrides`` resolved) into one timeline per
   province: sorted first days (searched with ``bisect``) and, for each run, an entry: a set of
   constraint positions, or one per (level, agency) context; for a run that rules ``on working days``
   reach (LANGUAGE.md §9), a :class:`Split` of two such entries, one for the province's working days
   and one for its other days. A decision costs the same however many circulars speak at other times
   and places. Only then does the index hold the calendar, frozen
   (:meth:`asnrules.workdays.Calendar.frozen`) for the years those runs span.
2. :func:`tables` writes what the engine needs as checked plain values (:func:`literal`: ``repr()``
   of ``str``/``int``/``bool``/``None`` and tuples and dicts of them — text from rule files never
   becomes code, nor a comment), and :func:`decider_source` the only generated code: one decider
   factory per *shape* of constraint set (how many groups, which mode each constraint counts,
   equality or not), with numbers and the compiler's own names only.
3. :func:`compile_module` writes the standalone module: a header, the runtime's own source
   (:mod:`asnrules.runtime`, read from the installed package between its ``###{standalone`` fences),
   the tables, the deciders, and ``evaluate = Engine(...).evaluate``. It imports only the standard
   library, passes ``mypy --strict`` and ``ruff check`` (the data carry a ``# ruff: noqa: E501``
   header), and the same model always gives the same bytes. ``CALENDAR`` (and the header) name the
   holidays calendar its working days come from (:data:`asnrules.workdays.CALENDAR_VERSION`).
4. :func:`evaluator_for` builds the same :class:`~asnrules.runtime.Engine` in process from the same
   tables and the same decider source: the in-process engine and the standalone module run the same
   code. Its results equal :func:`asnrules.semantics.evaluate`'s (tested, and property-tested).
5. Employee rules (LANGUAGE.md §12): :func:`build_index` with ``employee`` indexes the plan of the
   employee constraints the same way (``EMPLOYEE_CONSTRAINTS``, ``_EMPLOYEE_SETS``,
   ``_EMPLOYEE_ENTRIES``, ``_EMPLOYEE_TIMELINES``, written only for a set that has employee rules; one
   frozen calendar for both indexes), and the engine's ``check_employee`` (the module's, and
   :meth:`CompiledEvaluator.check_employee` in process) judges one employee's records with the
   runtime's ``window_of``, ``possible_days`` and ``judge_window``: the windows, verdicts and
   citations of :func:`asnrules.employee.check_employee` (tested, and property-tested).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from . import runtime
from .applicability import Run, applicability
from .employee import EmployeeResult, WindowResult
from .fingerprint import calendar_version, fingerprint
from .model import MODES, Model
from .prelude import name_key, province_index, provinces
from .semantics import Result, Situation
from .version import __version__
from .workdays import FIRST_YEAR, LAST_YEAR

__all__ = [
    "FORMAT",
    "CompiledEvaluator",
    "Index",
    "Split",
    "build_index",
    "compile_module",
    "decider_source",
    "employee_result",
    "evaluator_for",
    "fingerprint",
    "literal",
    "runtime_source",
    "tables",
]

#: Version of the generated module's layout (``FORMAT`` in the module).
FORMAT = 4

_LAST_ORDINAL = dt.date.max.toordinal()
_COMPARISONS = frozenset({"<=", ">=", "=", "<", ">"})
_BOUND_RE = re.compile(r"\A[0-9]+(?:\.[0-9]+)?\Z")
_CODE_RE = re.compile(r"\A[0-9]{2}\Z")
#: What a calendar version may look like to be written in the module's docstring.
_CALENDAR_RE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9 .+_-]*\Z")


@dataclass(frozen=True)
class Split:
    """An entry for a run that working-day rules reach: the numbers of the entries (neither a split)
    that hold on the province's working days and on its other days."""

    working: int
    other: int


#: What an index entry holds: constraint positions, or those per (level, agency key) context, or a
#: :class:`Split` of two entries by working day.
Entry = tuple[int, ...] | dict[tuple[str | None, str | None], tuple[int, ...]] | Split


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
    """Applicability decided ahead of time, from the plan.

    ``entries[0]`` is ``()``; every other entry is a tuple of positions in ``model.constraints`` (source
    order) or, where who parts matter, a dict from each (level, agency key) context of the plan's run to
    such a tuple, or a :class:`Split` of two earlier entries. ``timelines`` maps a Kemendagri code
    (``None``: a situation without a province, bound by nationwide rules only) to sorted first days
    (proleptic ordinals, the first always 1) and the entry that holds from each until the next.
    ``working_days``: the calendar splits are decided by, frozen for the years their runs span
    (``None`` when there is no split); ``years`` those years.

    The index of the employee constraints (``employee``: positions in ``model.employee_constraints``)
    has the same form; its calendar also holds the year before and the year after each split run's
    years, since a window holding a day of the run (a week, a month, a year) may reach into them and
    whether it lies wholly in a working-day rule's scope asks of each of its days whether it is a
    working day (LANGUAGE.md §12).
    """

    entries: tuple[Entry, ...]
    timelines: Mapping[str | None, tuple[tuple[int, ...], tuple[int, ...]]]
    working_days: runtime.WorkingDays | None = None
    years: frozenset[int] = frozenset()


def build_index(model: Model, employee: bool = False) -> Index:
    """The plan's runs (of the employee constraints with ``employee``) as per-province timelines of
    interned entries."""
    entries: list[Entry] = [()]
    interned: dict[object, int] = {("t", ()): 0}
    runs: dict[str | None, list[tuple[int, int, int]]] = {}
    years: set[int] = set()

    def intern(key: object, value: Entry) -> int:
        found = interned.get(key)
        if found is None:
            found = interned[key] = len(entries)
            entries.append(value)
        return found

    def table_entry(table: Mapping[tuple[str | None, str | None], tuple[int, ...]]) -> int:
        if len(table) == 1:
            return intern(("t", table[(None, None)]), table[(None, None)])
        return intern(("d", tuple(table.items())), dict(table))

    for run in applicability(model, employee):
        entry = table_entry(run.table)
        if run.off is not None:
            other = table_entry(run.off)
            if other != entry:  # the working-day rules change nothing here (none, or all switched off)
                entry = intern(("w", entry, other), Split(entry, other))
                years.update(_years(run, 1 if employee else 0))
        first = 1 if run.first is None else run.first.toordinal()
        last = _LAST_ORDINAL if run.last is None else run.last.toordinal()
        runs.setdefault(run.province, []).append((first, last, entry))
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
    split = any(type(e) is Split for e in entries)
    return Index(tuple(entries), timelines, _frozen(model, years) if split else None, frozenset(years))


def _years(run: Run, margin: int = 0) -> range:
    """The years of the run that the calendar knows (an unbounded run reaches its first or last),
    widened by ``margin`` years on each side."""
    first = FIRST_YEAR if run.first is None else max(run.first.year - margin, FIRST_YEAR)
    last = LAST_YEAR if run.last is None else min(run.last.year + margin, LAST_YEAR)
    return range(first, last + 1)


def _frozen(model: Model, years: set[int]) -> runtime.WorkingDays:
    """The set's calendar frozen for ``years`` (each stretch of consecutive years at once)."""
    off: set[int] = set()
    on: set[int] = set()
    local: dict[str, set[int]] = {}
    ordered = sorted(years)
    start = 0
    for i, year in enumerate(ordered):
        if i + 1 == len(ordered) or ordered[i + 1] != year + 1:
            part = model.workdays.frozen(ordered[start], year)
            off |= part.off
            on |= part.on
            for code, days in part.local.items():
                local.setdefault(code, set()).update(days)
            start = i + 1
    return runtime.WorkingDays(
        frozenset(off), frozenset(on), {code: frozenset(days) for code, days in sorted(local.items())}
    )


# ---- the tables ---------------------------------------------------------------------------------------


def tables(model: Model) -> tuple[list[tuple[str, str, object]], list[Shape]]:
    """The data of the module, name by name, as checked plain values; and the shapes of its decisions."""
    index = build_index(model)
    categories = sorted(model.categories)
    for c in model.constraints:
        if (
            c.mode not in MODES
            or c.comparison not in _COMPARISONS
            or c.group not in model.categories
            or not _BOUND_RE.match(_plain_digits(c))
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
            _plain_digits(c),
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
        if not isinstance(e, Split):
            for ids in (e,) if isinstance(e, tuple) else e.values():
                sets.setdefault(ids, len(sets))
    entries = tuple(_entry(e, sets) for e in index.entries)
    shapes: dict[Shape, int] = {}
    set_shapes = tuple(shapes.setdefault(_shape(model, ids), len(shapes)) for ids in sets)
    timelines = {None if code is None else _code(code): line for code, line in index.timelines.items()}
    text_map = "dict[str, str]"
    employee = build_index(model, employee=True) if model.employee_constraints else None
    working_days = index.working_days
    if employee is not None and employee.working_days is not None:
        # one calendar for both indexes: the group splits' years and the employee windows' years
        working_days = (
            employee.working_days
            if index.years <= employee.years
            else _frozen(model, set(index.years | employee.years))
        )
    calendar: list[tuple[str, str, object]] = []
    if working_days is not None:
        calendar.append(("_WORKING_DAYS", _WORKING_DAYS_TYPE, _working_days_table(working_days)))
    if employee is not None:
        calendar += _employee_tables(model, employee)
    return [
        ("FORMAT", "int", FORMAT),
        ("FINGERPRINT", "str", fingerprint(model)),
        ("ASNRULES_VERSION", "str", _text(__version__)),
        ("CALENDAR", "str", _calendar()),
        ("CIRCULARS", "tuple[dict[str, object], ...]", circulars),
        ("RULES", "tuple[dict[str, object], ...]", rules),
        ("CONSTRAINTS", "tuple[tuple[str, str, str, str, str, str, str, int, int], ...]", constraints),
        ("CATEGORIES", "dict[str, dict[str, object]]", category_table),
        ("_CATEGORY_KEYS", text_map, category_keys),
        ("_CATEGORY_EXACT", text_map, category_exact),
        ("_PROVINCE_KEYS", text_map, province_keys),
        ("_PROVINCE_NAMES", "dict[str, tuple[str, ...]]", province_names),
        ("_PROVINCE_EXACT", text_map, province_exact),
        ("_AGENCY_EXACT", text_map, agency_exact),
        ("_SETS", "tuple[tuple[int, ...], ...]", tuple(sets)),
        ("_SET_SHAPES", "tuple[int, ...]", set_shapes),
        ("_ENTRIES", _ENTRIES_TYPE, entries),
        ("_TIMELINES", _TIMELINES_TYPE, timelines),
        *calendar,
    ], list(shapes)


_WORKING_DAYS_TYPE = "tuple[tuple[int, ...], tuple[int, ...], dict[str, tuple[int, ...]]]"
_ENTRIES_TYPE = "tuple[int | dict[tuple[str | None, str | None], int] | tuple[int, int], ...]"
_TIMELINES_TYPE = "dict[str | None, tuple[tuple[int, ...], tuple[int, ...]]]"


def _employee_tables(model: Model, index: Index) -> list[tuple[str, str, object]]:
    """The tables of the employee rules (LANGUAGE.md §12): each employee constraint with its citation
    (checked: a known measure, comparison, window and group, the amount in plain digits), and their
    index as the group constraints' (sets of positions, entries, timelines)."""
    rules = {r.id: r for r in model.rules}
    for e in model.employee_constraints:
        if (
            e.measure not in runtime.MEASURE_INDEX
            or e.comparison not in _COMPARISONS
            or e.window not in runtime.WINDOW_KINDS
            or (e.group != "all" and e.group not in model.categories)
            or not _BOUND_RE.match(format(e.amount, "f"))
        ):
            raise ValueError(f"employee constraint {e.id} is not in normal form")
    constraints = tuple(
        (
            _text(e.circular),
            _text(e.rule),
            _text(e.group),
            _text(e.measure),
            _text(e.comparison),
            format(e.amount, "f"),
            _text(e.window),
            rules[e.rule_id].working_days is True,
            _text(e.source.file),
            int(e.source.line),
            int(e.source.column),
        )
        for e in model.employee_constraints
    )
    sets: dict[tuple[int, ...], int] = {(): 0}
    for entry in index.entries:
        if not isinstance(entry, Split):
            for ids in (entry,) if isinstance(entry, tuple) else entry.values():
                sets.setdefault(ids, len(sets))
    timelines = {None if code is None else _code(code): line for code, line in index.timelines.items()}
    return [
        (
            "EMPLOYEE_CONSTRAINTS",
            "tuple[tuple[str, str, str, str, str, str, str, bool, str, int, int], ...]",
            constraints,
        ),
        ("_EMPLOYEE_SETS", "tuple[tuple[int, ...], ...]", tuple(sets)),
        ("_EMPLOYEE_ENTRIES", _ENTRIES_TYPE, tuple(_entry(entry, sets) for entry in index.entries)),
        ("_EMPLOYEE_TIMELINES", _TIMELINES_TYPE, timelines),
    ]


def _entry(e: Entry, sets: Mapping[tuple[int, ...], int]) -> object:
    """An index entry as the module writes it: a set number, a dict of them, or a pair of entries."""
    if isinstance(e, Split):
        return (int(e.working), int(e.other))
    if isinstance(e, tuple):
        return sets[e]
    return {(_opt_text(lv), _opt_text(ag)): sets[ids] for (lv, ag), ids in e.items()}


def _ordinals(days: frozenset[int]) -> tuple[int, ...]:
    if any(type(d) is not int for d in days):
        raise TypeError("a frozen calendar holds ordinals (int) only")
    return tuple(sorted(days))


def _working_days_table(days: runtime.WorkingDays) -> tuple[object, ...]:
    """The frozen calendar as sorted ordinals: (national days off, declared working days, {province
    code: its own days off})."""
    local = {_code(code): _ordinals(found) for code, found in sorted(days.local.items())}
    return (_ordinals(days.off), _ordinals(days.on), local)


def _calendar() -> str:
    """The calendar's version, checked to be a plain name and number (it goes in the docstring)."""
    version = _text(calendar_version())
    if not _CALENDAR_RE.match(version):
        raise ValueError(f"not a calendar version: {version!r}")
    return version


def _plain_digits(c: Any) -> str:
    """The bound in plain digits (no exponent), so that ``Decimal(text)`` rebuilds it exactly."""
    return format(c.bound, "f")


def _source_text(source: Any) -> str:
    return f"{_text(source.file)}:{int(source.line)}:{int(source.column)}"


def _code(code: str) -> str:
    if not _CODE_RE.match(code):
        raise ValueError(f"not a Kemendagri province code: {code!r}")
    return _text(code)


def _assignment(name: str, typ: str, value: object) -> str:
    """``NAME: TYPE = literal``; tuples and dicts with more than one item are written one item a line."""
    if type(value) is tuple and len(value) > 1:
        body = "".join(f"    {literal(v)},\n" for v in value)
        return f"{name}: {typ} = (\n{body})\n"
    if type(value) is dict and len(value) > 1:
        body = "".join(f"    {literal(k)}: {literal(v)},\n" for k, v in value.items())
        return f"{name}: {typ} = {{\n{body}}}\n"
    return f"{name}: {typ} = {literal(value)}\n"


#: A decision's shape: how many groups, and per constraint (group index, mode index, equality?).
#: ``(0, ())`` is the empty set (nothing applies); ``(-1, ())`` the generic loop of the runtime, used
#: for sets of more than :data:`SHAPED` constraints.
Shape = tuple[int, tuple[tuple[int, int, bool], ...]]
SHAPED = 4
_MODE_INDEX = runtime.MODE_INDEX


def _shape(model: Model, ids: tuple[int, ...]) -> Shape:
    """The shape of deciding these constraints (groups numbered by first appearance, as
    :meth:`asnrules.runtime.Engine._plan` numbers them)."""
    if len(ids) > SHAPED:
        return -1, ()
    groups: dict[str, int] = {}
    out = []
    for cid in ids:
        c = model.constraints[cid]
        out.append((groups.setdefault(c.group, len(groups)), _MODE_INDEX[c.mode], c.comparison == "="))
    return len(groups), tuple(out)


def _shape_source(number: int, shape: Shape) -> str:
    """A factory of the decider of every constraint set of this shape: straight-line code, one pass
    over the counts sums each group, then each constraint is compared exactly on whole numbers (see
    :meth:`asnrules.runtime.Engine._plan`). Only numbers and the compiler's own names appear in it; the
    values of each set come in ``p``; ``record`` and ``cited`` are the runtime's Violation and citations."""
    n_groups, checks = shape
    names = [f"u{g}" for g in range(n_groups)]
    for i, (_g, _m, equal) in enumerate(checks):
        names += [f"c{i}", f"s{i}", f"a{i}", f"_h{i}" if equal else f"h{i}"]
    ks = sorted({(g, m) for g, m, _ in checks})
    lines = [
        f"def _shape_{number}(record: type[Violation], cited: _Sequence[Cited]) -> Decider:",
        "    new = tuple.__new__",
        "",
        "    def decide(tallies: _Mapping[str, _Sequence[int]], p: _Sequence[_Any]) -> tuple[list[Violation], bool]:",
        f"        ({', '.join(names)},) = p",
    ]
    lines.append("        " + " = ".join([*(f"n{g}" for g in range(n_groups)), *(f"k{g}_{m}" for g, m in ks)]) + " = 0")
    lines.append("        for cat, t in tallies.items():")
    for g in range(n_groups):
        lines.append(f"            if cat in u{g}:")
        lines.append(f"                n{g} += t[0]")
        lines += [f"                k{g}_{m} += t[{m}]" for gg, m in ks if gg == g]
    lines += ["        violations: list[Violation] = []", "        found = False"]
    for i, (g, m, equal) in enumerate(checks):
        test = f"k{g}_{m} * s{i} == a{i} * n{g}" if equal else f"k{g}_{m} * s{i} - a{i} * n{g} <= h{i}"
        lines += [
            f"        if n{g}:",
            f"            if {test}:",
            "                found = True",
            "            else:",
            f"                violations.append(new(record, (*cited[c{i}], n{g}, k{g}_{m})))",
        ]
    lines += ["        return violations, found", "", "    return decide"]
    return "\n".join(lines) + "\n\n\n"


def decider_source(shapes: list[Shape]) -> tuple[str, list[str | None]]:
    """The generated deciders (numbers-only factories, one per shape with constraints) and, per shape,
    the name of its factory, ``"generic"`` (the runtime's loop) or ``None`` (nothing applies)."""
    parts: list[str] = []
    names: list[str | None] = []
    for i, shape in enumerate(shapes):
        if shape[1]:
            parts.append(_shape_source(i, shape))
            names.append(f"_shape_{i}")
        else:
            names.append("generic" if shape[0] < 0 else None)
    return "".join(parts), names


@functools.cache
def runtime_source() -> str:
    """The fenced part of :mod:`asnrules.runtime`, read from the installed package."""
    text = resources.files("asnrules").joinpath("runtime.py").read_text(encoding="utf-8")
    start = text.index("###{standalone\n") + len("###{standalone\n")
    end = text.index("###}", start)
    return text[start:end].rstrip() + "\n"


_ENGINE_ARGUMENTS = (
    ("constraints", "CONSTRAINTS"),
    ("categories", "CATEGORIES"),
    ("category_keys", "_CATEGORY_KEYS"),
    ("category_exact", "_CATEGORY_EXACT"),
    ("province_keys", "_PROVINCE_KEYS"),
    ("province_names", "_PROVINCE_NAMES"),
    ("province_exact", "_PROVINCE_EXACT"),
    ("agency_exact", "_AGENCY_EXACT"),
    ("sets", "_SETS"),
    ("set_shapes", "_SET_SHAPES"),
    ("entries", "_ENTRIES"),
    ("timelines", "_TIMELINES"),
    ("fingerprint", "FINGERPRINT"),
    ("version", "ASNRULES_VERSION"),
    ("calendar", "CALENDAR"),
)


def compile_module(model: Model) -> str:
    """The source of a standalone Python module deciding situations under ``model`` (see the module
    docstring). Only the standard library is imported; the same model always gives the same text."""
    data, shapes = tables(model)
    deciders, names = decider_source(shapes)
    header = _HEADER.replace("CALENDAR_VERSION", _calendar())
    parts = [header, runtime_source(), "\n\n# ---- the rule set (data; written by the compiler) " + "-" * 48 + "\n\n"]
    for name, typ, value in data:
        parts.append(_assignment(name, typ, value))
        parts.append("\n")
    parts.append("\n# ---- one decider factory per shape of constraint set (numbers only) " + "-" * 32 + "\n\n\n")
    parts.append(deciders)
    factories = ", ".join("None" if n is None else literal(n) if n == "generic" else n for n in names)
    arguments = "".join(f"    {arg}={table},\n" for arg, table in _arguments(name for name, _typ, _value in data))
    parts.append(
        "_FACTORIES: tuple[_Callable[..., Decider] | str | None, ...] = "
        f"({factories}{',' if len(names) == 1 else ''})\n"
        f"ENGINE = Engine(\n{arguments}    factories=_FACTORIES,\n)\n"
        "evaluate = ENGINE.evaluate\n"
        "check_employee = ENGINE.check_employee\n"
        "InputError = EngineInputError\n"
    )
    source = "".join(parts)
    _compiled(source)  # always valid Python, or fail here
    return source


_EMPLOYEE_ARGUMENTS = (
    ("employee_constraints", "EMPLOYEE_CONSTRAINTS"),
    ("employee_sets", "_EMPLOYEE_SETS"),
    ("employee_entries", "_EMPLOYEE_ENTRIES"),
    ("employee_timelines", "_EMPLOYEE_TIMELINES"),
)


def _arguments(names: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The engine's arguments and the tables that give them: the frozen calendar only where there
    is one (a rule set without working-day rules has none), the employee rules' tables only where
    there are employee rules."""
    given = set(names)
    out: tuple[tuple[str, str], ...] = _ENGINE_ARGUMENTS
    if "_WORKING_DAYS" in given:
        out = (*out, ("working_days", "_WORKING_DAYS"))
    if "_EMPLOYEE_SETS" in given:
        out = (*out, *_EMPLOYEE_ARGUMENTS)
    return out


@functools.lru_cache(maxsize=4)
def _compiled(source: str) -> Any:
    """The source compiled (remembered: a failure here is a bug of the compiler)."""
    return compile(source, "<asnrules compiled module>", "exec")


def engine_for(model: Model) -> runtime.Engine:
    """The compiled engine in process: the runtime's :class:`~asnrules.runtime.Engine` over the same
    tables and the same generated deciders as :func:`compile_module` writes."""
    data, shapes = tables(model)
    deciders, names = decider_source(shapes)
    namespace: dict[str, Any] = {name: getattr(runtime, name) for name in dir(runtime) if not name.startswith("__")}
    namespace["__name__"] = "asnrules_deciders"
    exec(_compiled(deciders), namespace)
    values = {name: value for name, _typ, value in data}
    arguments: dict[str, Any] = {arg: values[table] for arg, table in _arguments(values)}
    factories = [None if n is None else n if n == "generic" else namespace[n] for n in names]
    return runtime.Engine(**arguments, factories=factories)


class CompiledEvaluator:
    """The compiled engine of one model in process (:func:`evaluator_for`): called with a read
    situation it decides it as :func:`asnrules.semantics.evaluate` does (outcome, violations and
    applied constraints, in source order); :meth:`check_employee` judges one employee's records as
    :func:`asnrules.employee.check_employee` does (LANGUAGE.md §12)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.engine = engine_for(model)
        self._evaluate = self.engine.evaluate

    def __call__(self, s: Situation) -> Result:
        d = self._evaluate(s.date, s.province, s.counts, s.level, s.agency)
        return Result(d.outcome, d.violations, d.applied, s, self.model)  # type: ignore[arg-type]

    def check_employee(
        self,
        records: Iterable[object],
        region: object,
        category: str | None,
        level: str | None = None,
        agency: str | None = None,
    ) -> runtime.EmployeeDecision:
        """The runtime's decision (:class:`asnrules.runtime.EmployeeDecision`, what the standalone
        module's ``check_employee`` returns); raises :class:`asnrules.runtime.EngineInputError` (a
        ``ValueError`` with the diagnostic ``code``) for what cannot be used."""
        return self.engine.check_employee(records, region, category, level, agency)

    def employee_result(
        self,
        records: Iterable[object],
        region: object,
        category: str | None,
        level: str | None = None,
        agency: str | None = None,
    ) -> EmployeeResult:
        """The same decision as :class:`asnrules.employee.EmployeeResult` (each window citing the
        model's :class:`~asnrules.model.EmployeeConstraint`): equal to what
        :func:`asnrules.employee.check_employee` returns for the same arguments. Raises
        :class:`asnrules.errors.InputError` as it does (the message in the catalogue's words)."""
        from .citing import reason_msg
        from .errors import InputError

        try:
            d = self.engine.check_employee(records, region, category, level, agency)
        except runtime.EngineInputError as e:
            raise InputError(reason_msg(e.reason), code=e.code) from None
        return employee_result(self.model, d)


def employee_result(model: Model, d: runtime.EmployeeDecision) -> EmployeeResult:
    """A decision of the compiled engine as the reference evaluator's result type."""
    found = model.employee_constraints
    windows = tuple(
        WindowResult(
            found[w.constraint.id],
            w.first,
            w.last,
            w.amount,
            w.bound,
            w.comparison,
            w.verdict,
            w.whole,
            w.days,
            w.counted,
        )
        for w in d.windows
    )
    return EmployeeResult(
        d.outcome, windows, d.rejected, d.province, d.category, d.level, d.agency, d.agency_name, model
    )


def evaluator_for(model: Model) -> CompiledEvaluator:
    """The compiled engine deciding read situations (call it) and employees (its
    :meth:`~CompiledEvaluator.check_employee`); its results equal those of
    :func:`asnrules.semantics.evaluate` and :func:`asnrules.employee.check_employee`."""
    return CompiledEvaluator(model)


# ---- the fixed header of the module (no text from rule files here) ------------------------------------

_HEADER = '''\
# ruff: noqa: E501
"""A compiled asnrules rule set: decides the work arrangements of one work unit on one day.

Generated by asnrules (compile_py); do not edit: compile the rule files again instead.
It imports only the Python standard library; its engine is asnrules' own runtime, copied in.

    import this_module as rules
    d = rules.evaluate("2023-08-30", "DKI", {"admin": {"WFH": 6, "WFO": 4}})
    d.outcome       # "compliant", "violation" or "uncovered"
    d.violations    # the failed constraints, each citing circular, rule and source file:line:column
    d.applied       # every applicable constraint with its verdict
    d.to_json()     # as `asnrules eval --json` prints it, with FINGERPRINT and ASNRULES_VERSION

    e = rules.check_employee([("2025-05-05", "WFA"), ("2025-05-06", "WFO", 8)], "DKI", "admin")
    e.outcome       # each employee rule (EMPLOYEE_CONSTRAINTS) judged over its windows
    e.windows       # each judged window: first, last, amount, bound, verdict, whole, the rule cited

CIRCULARS, RULES and CONSTRAINTS list what the module was built from; FINGERPRINT identifies the
rule set's meaning (a SHA-256), so a decision can be reproduced later. Working days (Saturdays and
Sundays, national holidays, cuti bersama, the set's own declarations) follow the calendar of
CALENDAR_VERSION (Indonesia), as CALENDAR records.
"""

from __future__ import annotations

'''
