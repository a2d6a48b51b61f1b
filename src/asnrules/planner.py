"""The planner: a compliant, fair roster for a work unit over a period (issue 13; INTERFACES Part II).

``asnrules.plan(rules, staff, start, end, region, ...)`` reads a STAFF_FILE (or staff already read),
takes the working days of the period in the province (the rule set's calendar), and writes a
mixed-integer model for HiGHS — the only module that imports ``highspy``, lazily:

- a binary variable for each employee, working day and mode the employee may be given that day
  (the office always; WFH or WFA where a rule in force there names the mode for the employee's
  group; the mode of a fixed day), and one row saying each employee-day has exactly one mode;
- every group constraint in force for each unit-day, as the reference decides it
  (:func:`asnrules.semantics.applicable_rules`), written as the runtime's one definition of a share
  (:func:`asnrules.runtime.holds`: ``100·k·den cmp num·n``) with integer coefficients; staff on
  leave are not counted in ``n``;
- every employee constraint (LANGUAGE.md §12) on every window that holds a day of the roster, with
  the scope, the whole-window test and the reachable lower bound of :mod:`asnrules.employee`;
- the facts: leave, fixed days (a variable's lower bound) and ineligible staff (the upper bound of
  their days away), so that an infeasibility analysis can name them.

Fairness is lexicographic, each stage solved to optimality with the previous optimum fixed:
(1) as many days away from the office as the rules allow, (2) the spread of days away across the
eligible staff (max − min) as small as possible, (3) as many days away on preferred weekdays as
possible. One thread, a fixed seed, a fixed order of variables and rows: the same input gives the
same roster, byte for byte.

The solver's answer is never trusted: every unit-day is re-evaluated by the interpreter
(``RuleSet.evaluate(..., engine="interpreter")``) and every employee by
:func:`asnrules.employee.check_employee` before the roster is returned; a failure there is an error,
never a roster. When no roster exists, the analysis of HiGHS (its IIS of the linear relaxation, or a
deletion filter over the mixed-integer model) is mapped back to rules and facts and reduced to a
small set that cannot all hold.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import runtime
from .citing import reason_msg
from .errors import AsnrulesError, InputError
from .messages import Msg, msg, say
from .model import Constraint, EmployeeConstraint, Model, Rule
from .runtime import Reason
from .semantics import applicable_rules, province_code

__all__ = [
    "Clash",
    "PlanError",
    "Roster",
    "StaffMember",
    "Stage",
    "plan",
    "read_staff",
]

AWAY = ("WFH", "WFA")
PLAN_MODES = ("WFO", "WFH", "WFA")
#: The roster's columns, in this order (``level`` and ``agency`` follow when given).
ROSTER_COLUMNS = ("employee", "unit", "date", "mode", "region", "category")
#: Above this many solves the deletion filter stops and reports the set it has (still infeasible).
FILTER_LIMIT = 400

#: STAFF_FILE columns in Indonesian (and a few other spellings), by lower-case name.
STAFF_COLUMNS = {
    "employee": "employee",
    "nip": "employee",
    "pegawai": "employee",
    "unit": "unit",
    "unit_kerja": "unit",
    "category": "category",
    "kategori": "category",
    "team": "team",
    "tim": "team",
    "eligible": "eligible",
    "boleh": "eligible",
    "layak": "eligible",
    "leave": "leave",
    "cuti": "leave",
    "prefer": "prefer",
    "pilihan": "prefer",
    "preferensi": "prefer",
    "fixed": "fixed",
    "tetap": "fixed",
    "jadwal_tetap": "fixed",
}
WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "sen": 0,
    "senin": 0,
    "tue": 1,
    "tuesday": 1,
    "sel": 1,
    "selasa": 1,
    "wed": 2,
    "wednesday": 2,
    "rab": 2,
    "rabu": 2,
    "thu": 3,
    "thursday": 3,
    "kam": 3,
    "kamis": 3,
    "fri": 4,
    "friday": 4,
    "jum": 4,
    "jumat": 4,
    "sat": 5,
    "saturday": 5,
    "sab": 5,
    "sabtu": 5,
    "sun": 6,
    "sunday": 6,
    "min": 6,
    "minggu": 6,
}
TRUE = frozenset({"true", "yes", "ya", "y", "1", "benar"})
FALSE = frozenset({"false", "no", "tidak", "t", "n", "0", "salah"})


class PlanError(AsnrulesError):
    """The solver's roster failed the interpreter's re-check, or the solver gave no answer: an error
    of asnrules or of the solver, never a roster (E379)."""

    code = "E379"


# ---- the staff --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    """One line of a STAFF_FILE, read: ``leave`` days, ``prefer`` weekdays (0 Monday … 6 Sunday) for
    days away, ``fixed`` days (date → mode, ``LEAVE`` included); ``line`` where it was read."""

    employee: str
    unit: str
    category: str
    team: str | None = None
    eligible: bool = True
    leave: frozenset[dt.date] = frozenset()
    prefer: frozenset[int] = frozenset()
    fixed: Mapping[dt.date, str] = field(default_factory=dict)
    line: int = 0


def _bad(id: str, code: str, **args: object) -> InputError:
    return InputError(msg(f"plan.{id}", **args), code=code)


def _date(text: str, where: str) -> dt.date:
    day = runtime.read_date(text.strip())
    if isinstance(day, Reason):
        raise _bad("bad-date", "E362", where=where, value=text.strip()[:40])
    return day


def _member(row: Mapping[str, object], where: str, model: Model, line: int) -> StaffMember:
    def text(key: str) -> str:
        v = row.get(key)
        return "" if v is None else str(v).strip()

    employee, unit = text("employee"), text("unit")
    for key, value in (("employee", employee), ("unit", unit), ("category", text("category"))):
        if not value:
            raise _bad("missing-value", "E361", where=where, column=key)
    cat = runtime.read_category(text("category"), model.category_names, list(model.categories))
    if isinstance(cat, Reason):
        raise _bad("bad-category", "E363", where=where, why=reason_msg(cat))
    raw = row.get("eligible")
    if isinstance(raw, bool):
        eligible = raw
    else:
        word = text("eligible").lower()
        if word and word not in TRUE | FALSE:
            raise _bad("bad-eligible", "E364", where=where, value=word[:20])
        eligible = word not in FALSE
    leave = frozenset(_date(x, where) for x in _items(row.get("leave")))
    prefer: set[int] = set()
    for x in _items(row.get("prefer")):
        key = x.lower().rstrip(".")
        if key not in WEEKDAYS:
            raise _bad("bad-weekday", "E365", where=where, value=x[:20])
        prefer.add(WEEKDAYS[key])
    fixed: dict[dt.date, str] = {}
    for x in _items(row.get("fixed")):
        day_text, eq, mode_text = x.partition("=")
        if not eq:
            raise _bad("bad-fixed", "E366", where=where, value=x[:40])
        day = _date(day_text, where)
        mode = runtime.read_mode(mode_text.strip())
        if isinstance(mode, Reason):
            raise _bad("bad-fixed", "E366", where=where, value=x[:40])
        if day in fixed and fixed[day] != mode:
            raise _bad("fixed-twice", "E367", where=where, day=day.isoformat())
        if not eligible and mode in AWAY:
            raise _bad("fixed-ineligible", "E368", where=where, employee=employee, day=day.isoformat(), mode=mode)
        fixed[day] = mode
    return StaffMember(employee, unit, cat, text("team") or None, eligible, leave, frozenset(prefer), fixed, line)


def _items(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [x.strip() for x in value.replace(",", ";").split(";") if x.strip()]
    if isinstance(value, Iterable):
        return [str(x).strip() for x in value if str(x).strip()]
    return [str(value)]


def read_staff(staff: object, model: Model) -> tuple[StaffMember, ...]:
    """The staff: a STAFF_FILE path (CSV, UTF-8; English or Indonesian headers: ``nip``,
    ``unit_kerja``, ``kategori``, ``tim``, ``cuti``...), or a sequence of :class:`StaffMember` or of
    mappings with the STAFF_FILE's columns. Raises :class:`InputError` (E360–E369)."""
    if isinstance(staff, str | os.PathLike):
        return _read_staff_file(Path(staff), model)
    if isinstance(staff, Mapping) or not isinstance(staff, Iterable):
        raise _bad("staff-not-a-list", "E360")
    out: list[StaffMember] = []
    for i, item in enumerate(staff, start=1):
        if isinstance(item, StaffMember):
            out.append(item)
        elif isinstance(item, Mapping):
            row = {STAFF_COLUMNS.get(str(k).strip().lower(), str(k)): v for k, v in item.items()}
            out.append(_member(row, f"#{i}", model, i))
        else:
            raise _bad("staff-not-a-list", "E360")
    return _checked(out)


def _read_staff_file(path: Path, model: Model) -> tuple[StaffMember, ...]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise _bad("cannot-read", "E360", path=str(path), why=e.strerror or str(e)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _bad("not-utf8", "E360", path=str(path)) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise _bad("empty", "E360", path=str(path))
    head = lines[0]
    delimiter = max(",;\t|", key=lambda d: len(next(csv.reader([head], delimiter=d))))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [STAFF_COLUMNS.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
    for need in ("employee", "unit", "category"):
        if need not in header:
            raise _bad("missing-column", "E361", path=str(path), column=need)
    out: list[StaffMember] = []
    for row in reader:
        line = reader.line_num
        if not any(x.strip() for x in row):
            continue
        if len(row) != len(header):
            raise _bad("ragged", "E361", where=f"{path}:{line}", found=len(row), expected=len(header))
        out.append(_member(dict(zip(header, row, strict=True)), f"{path}:{line}", model, line))
    return _checked(out)


def _checked(members: list[StaffMember]) -> tuple[StaffMember, ...]:
    if not members:
        raise _bad("no-staff", "E360")
    seen: set[str] = set()
    for m in members:
        if m.employee in seen:
            raise _bad("duplicate-employee", "E369", employee=m.employee)
        seen.add(m.employee)
    return tuple(members)


# ---- the result -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """One stage of the lexicographic objective: its ``name`` (``unnamed``, ``away``, ``spread``, ``prefer``),
    ``sense`` (``max``/``min``) and the optimum reached (an integer)."""

    name: str
    sense: str
    value: int


@dataclass(frozen=True)
class Quota:
    """One group constraint on one unit-day of the roster: the staff counted (``n``), those in the
    mode (``k``), and whether it holds (always, in a returned roster)."""

    unit: str
    day: dt.date
    constraint: Constraint
    n: int
    k: int

    @property
    def share(self) -> Fraction:
        return Fraction(100 * self.k, self.n) if self.n else Fraction(0)


@dataclass(frozen=True)
class Clash:
    """Why no roster exists: the rules (group and employee constraints, each with a unit-day or an
    employee's window where it binds) and the facts (head counts, leave, fixed days, ineligible
    staff) that cannot all hold; ``reduced`` whether the set was filtered to an irreducible one."""

    constraints: tuple[tuple[Constraint, str, dt.date], ...]
    employee: tuple[tuple[EmployeeConstraint, str, dt.date, dt.date], ...]
    facts: tuple[Msg, ...]
    reduced: bool
    method: str


@dataclass(frozen=True)
class Roster:
    """What :func:`plan` returns. ``feasible`` False: no roster (``rows`` empty, ``clash`` says why).
    ``rows``: ``(employee, unit, date, mode)`` in staff-file order, then by date; ``stages`` the
    objective reached; ``checked`` True once the interpreter has re-evaluated every unit-day and
    employee (always True for a feasible roster: a failed re-check raises :class:`PlanError`)."""

    feasible: bool
    rows: tuple[tuple[str, str, dt.date, str], ...]
    staff: tuple[StaffMember, ...]
    days: tuple[dt.date, ...]
    start: dt.date
    end: dt.date
    province: str
    level: str | None
    agency: str | None
    stages: tuple[Stage, ...]
    quotas: tuple[Quota, ...]
    rules: tuple[Rule, ...]
    checked: bool
    unit_days_checked: int
    employees_checked: int
    seconds: float
    model: Model
    clash: Clash | None = None
    #: the eligible staff who may be away on some day: the spread (stage 2) is among them
    spread_staff: tuple[str, ...] = ()

    # -- reading it
    @property
    def away(self) -> dict[str, int]:
        """Days away from the office per employee (staff-file order)."""
        out = {m.employee: 0 for m in self.staff}
        for e, _, _, mode in self.rows:
            if mode in AWAY:
                out[e] += 1
        return out

    @property
    def spread_range(self) -> tuple[int, int]:
        """The fewest and the most days away among :attr:`spread_staff` (0, 0 when none)."""
        away = self.away
        values = [away[e] for e in self.spread_staff] or [0]
        return min(values), max(values)

    def stage(self, name: str) -> int | None:
        for s in self.stages:
            if s.name == name:
                return s.value
        return None

    @property
    def region_name(self) -> str:
        from .prelude import province_name

        return province_name(self.province)

    def records(self) -> list[dict[str, str]]:
        """The roster's rows as text, with the columns of :attr:`columns`."""
        cats = {m.employee: m.category for m in self.staff}
        region = self.region_name
        out = []
        for e, u, d, mode in self.rows:
            row = {"employee": e, "unit": u, "date": d.isoformat(), "mode": mode, "region": region, "category": cats[e]}
            if self.level is not None:
                row["level"] = self.level
            if self.agency is not None:
                row["agency"] = self.agency
            out.append(row)
        return out

    @property
    def columns(self) -> tuple[str, ...]:
        extra = (("level",) if self.level is not None else ()) + (("agency",) if self.agency is not None else ())
        return ROSTER_COLUMNS + extra

    def csv_text(self) -> str:
        """The roster as CSV (RFC 4180, ``\\n`` line ends; a cell a spreadsheet would run as a
        formula is prefixed with ``'``)."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.columns)
        for row in self.records():
            w.writerow([_cell(row[c]) for c in self.columns])
        return buf.getvalue()

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the roster to ``path``: CSV, or Parquet when the name ends with ``.parquet``
        (atomically; raises :class:`InputError` E325 when it cannot be written, E370 for no roster)."""
        from .outputs import atomic, writable, write_text

        if not self.feasible:
            raise _bad("nothing-to-write", "E370")
        target = Path(path)
        if target.name.lower().endswith((".parquet", ".pq")):
            import tempfile

            import duckdb

            columns = ", ".join(f"CAST({c} AS DATE) AS {c}" if c == "date" else c for c in self.columns)
            with tempfile.TemporaryDirectory() as folder, atomic(writable(target, msg("plan.the-roster"))) as tmp:
                source = Path(folder) / "roster.csv"
                source.write_text(self.csv_text(), encoding="utf-8")
                con = duckdb.connect(":memory:")
                try:
                    con.execute("SET threads = 1")
                    con.execute(
                        f"COPY (SELECT {columns} FROM read_csv(?, header = true, all_varchar = true, quote = '\"', "
                        "escape = '\"', delim = ',')) TO ? (FORMAT parquet)",
                        [str(source), str(tmp)],
                    )
                finally:
                    con.close()
        else:
            write_text(target, self.csv_text(), msg("plan.the-roster"))

    def text(self, lang: str = "id") -> str:
        """A summary for a reader: the period, the objective reached, the re-check; or why no roster."""
        return roster_text(self, lang)

    def why(self, lang: str = "id") -> str:
        """Why no roster exists (empty for a feasible one), citing the rules and naming the facts."""
        return clash_text(self, lang) if self.clash is not None else ""

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        from .fingerprint import fingerprint
        from .version import __version__
        from .wording import citation
        from .workdays import CALENDAR_VERSION

        out: dict[str, Any] = {
            "feasible": self.feasible,
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "region": self.province,
            "level": self.level,
            "agency": self.agency,
            "working_days": [d.isoformat() for d in self.days],
            "staff": len(self.staff),
            "objective": {
                "order": ["unnamed", "away", "spread", "prefer"],
                "stages": [{"name": s.name, "sense": s.sense, "value": s.value} for s in self.stages],
                "away_per_employee": self.away if self.feasible else {},
                "spread_among": list(self.spread_staff),
            },
            "rechecked": {
                "engine": "interpreter",
                "ok": self.checked,
                "unit_days": self.unit_days_checked,
                "employees": self.employees_checked,
            },
            "rules": [
                {"circular": r.circular, "rule": r.label, "citation": citation(r, lang, model=self.model)}
                for r in self.rules
            ],
            "row_count": len(self.rows),
            "columns": list(self.columns),
            "rows": self.records(),
        }
        if self.clash is not None:
            out["reason"] = self.why(lang)
            out["clash"] = {
                "rules": [
                    {
                        "citation": citation(c, lang, model=self.model),
                        "constraint": c.describe(),
                        "unit": u,
                        "date": d.isoformat(),
                    }
                    for c, u, d in self.clash.constraints
                ]
                + [
                    {
                        "citation": citation(c, lang, model=self.model),
                        "constraint": f"{c.measure} {c.comparison} {c.amount} per {c.window}",
                        "employee": e,
                        "first": a.isoformat(),
                        "last": b.isoformat(),
                    }
                    for c, e, a, b in self.clash.employee
                ],
                "facts": [f.text(lang) for f in self.clash.facts],
                "reduced": self.clash.reduced,
                "method": self.clash.method,
            }
        out["fingerprint"] = fingerprint(self.model)
        out["calendar"] = CALENDAR_VERSION
        out["asnrules_version"] = __version__
        return out

    def html(self, lang: str = "id") -> str:
        """A self-contained calendar picture of the roster (people × days, by mode)."""
        return _render(self, "calendar.html.j2", lang)

    def memo(self, lang: str = "id") -> str:
        """A short memo (Markdown): the rules applied and the fairness achieved."""
        return _render(self, "memo.md.j2", lang)


def _cell(value: str) -> str:
    from .audit_engines import FORMULA_START

    return f"'{value}" if value and value[0] in FORMULA_START else value


# ---- building the model -----------------------------------------------------------------------------


@dataclass
class _Row:
    """A row of the model: ``lo <= Σ coef·x <= hi`` and what it stands for (``kind``: ``assign``,
    ``group``, ``employee``, ``objective``), with the element of the explanation it belongs to."""

    index: list[int]
    value: list[int]
    lo: float
    hi: float
    kind: str
    element: tuple[Any, ...] | None = None


@dataclass
class _Build:
    cols: list[tuple[int, int, str, tuple[Any, ...] | None]] = field(default_factory=list)  # lo, hi, what, element
    var: dict[tuple[int, int, str], int] = field(default_factory=dict)  # (member, day index, mode) → column
    rows: list[_Row] = field(default_factory=list)
    constant_clash: list[tuple[Any, ...]] = field(default_factory=list)
    quotas: list[tuple[str, dt.date, Constraint, list[int]]] = field(default_factory=list)
    #: the columns of a mode away that no rule in force there names for the employee's group
    unnamed: list[int] = field(default_factory=list)

    def column(self, key: tuple[int, int, str], lo: int, hi: int, element: tuple[Any, ...] | None) -> int:
        self.var[key] = len(self.cols)
        self.cols.append((lo, hi, "x", element))
        return self.var[key]

    def extra(self, lo: float, hi: float) -> int:
        self.cols.append((int(lo), int(hi), "aux", None))
        return len(self.cols) - 1


INF = float("inf")


def _rows_for(
    index: list[int], coef: int, comparison: str, num: int, rhs_const: int, kind: str, element: tuple[Any, ...]
) -> _Row:
    """``coef·Σx cmp num`` on integers (``num`` already the right-hand side), strict comparisons made
    integer: ``< r`` is ``<= r − 1``, ``> r`` is ``>= r + 1``."""
    r = num - rhs_const
    lo, hi = -INF, INF
    if comparison == "<=":
        hi = r
    elif comparison == "<":
        hi = r - 1
    elif comparison == ">=":
        lo = r
    elif comparison == ">":
        lo = r + 1
    elif comparison == "=":
        lo = hi = r
    else:  # pragma: no cover - the resolver admits no other
        raise ValueError(comparison)
    return _Row(index, [coef] * len(index), lo, hi, kind, element)


def _build(
    model: Model,
    staff: tuple[StaffMember, ...],
    days: tuple[dt.date, ...],
    province: str,
    level: str | None,
    agency: str | None,
    rules_by_day: Mapping[dt.date, list[Rule]],
) -> _Build:
    b = _Build()
    under = model.under
    dayset = set(days)
    onleave = [{d for d in days if d in m.leave or m.fixed.get(d) == "LEAVE"} for m in staff]
    # which modes each employee may be given each day: the office, and WFH/WFA where a rule in force
    # names the mode for the employee's group (a quota, a permission, an employee rule); a WFO upper
    # bound with no away mode named offers WFH (the office cannot be kept below a bound otherwise)
    for i, m in enumerate(staff):
        for j, d in enumerate(days):
            if d in onleave[i]:
                continue
            named: set[str] = set()
            office_capped = False
            for r in rules_by_day[d]:
                for c in r.constraints:
                    if m.category in under[c.group]:
                        if c.mode in AWAY:
                            named.add(c.mode)
                        elif c.comparison in ("<=", "<") or (c.comparison == "=" and c.bound < 100):
                            office_capped = True
                for e in r.employee:
                    if e.binds(m.category, under) and e.measure in AWAY:
                        named.add(e.measure)
            if not named and office_capped:
                named.add("WFH")
            fixed = m.fixed.get(d)
            cols = []
            for mode in PLAN_MODES:
                lo = 1 if fixed == mode else 0
                hi = 0 if (not m.eligible and mode in AWAY) else 1
                element: tuple[Any, ...] | None = None
                if fixed is not None:
                    element = ("fixed", i, d)
                elif hi == 0:
                    element = ("ineligible", i)
                if fixed is not None and mode != fixed:
                    hi = 0
                col = b.column((i, j, mode), lo, hi, element)
                cols.append(col)
                if mode in AWAY and mode not in named and fixed is None:
                    b.unnamed.append(col)
            b.rows.append(_Row(cols, [1] * len(cols), 1, 1, "assign", None))
    # group constraints, per unit and working day
    units: dict[str, list[int]] = {}
    for i, m in enumerate(staff):
        units.setdefault(m.unit, []).append(i)
    for unit, members in units.items():
        for j, d in enumerate(days):
            for r in rules_by_day[d]:
                for c in r.constraints:
                    counted = [i for i in members if staff[i].category in under[c.group] and d not in onleave[i]]
                    n = len(counted)
                    if n == 0:
                        continue
                    f = Fraction(c.bound)
                    cols = [b.var[(i, j, c.mode)] for i in counted if (i, j, c.mode) in b.var]
                    b.quotas.append((unit, d, c, counted))
                    if (c.comparison == ">=" and f == 0) or (c.comparison == "<=" and f == 100):
                        continue  # always holds (a permission is >= 0%)
                    b.rows.append(
                        _rows_for(
                            cols,
                            100 * f.denominator,
                            c.comparison,
                            f.numerator * n,
                            0,
                            "group",
                            ("group", c.id, unit, d),
                        )
                    )
    # employee constraints, per employee and window (LANGUAGE.md §12, as asnrules.employee judges them)
    if model.employee_constraints:
        _employee_rows(b, model, staff, days, dayset, onleave, province, level, agency)
    return b


def _employee_rows(
    b: _Build,
    model: Model,
    staff: tuple[StaffMember, ...],
    days: tuple[dt.date, ...],
    dayset: set[dt.date],
    onleave: list[set[dt.date]],
    province: str,
    level: str | None,
    agency: str | None,
) -> None:
    rules = {r.id: r for r in model.rules}
    by_id = {e.id: e for e in model.employee_constraints}
    calendar = model.workdays
    day_index = {d: j for j, d in enumerate(days)}
    applied: dict[dt.date, list[Rule]] = {}

    def rules_on(day: dt.date) -> list[Rule]:
        found = applied.get(day)
        if found is None:
            found = applied[day] = [r for r in applicable_rules(model, day, province, level, agency) if r.employee]
        return found

    for i, m in enumerate(staff):
        scopes: dict[dt.date, frozenset[int]] = {}

        def scope(
            day: dt.date, cat: str = m.category, scopes: dict[dt.date, frozenset[int]] = scopes
        ) -> frozenset[int]:
            found = scopes.get(day)
            if found is None:
                found = scopes[day] = frozenset(
                    e.id for r in rules_on(day) for e in r.employee if e.binds(cat, model.under)
                )
            return found

        wanted: set[tuple[int, int, int]] = set()
        for d in days:
            for cid in scope(d):
                first, last = runtime.window_of(d.toordinal(), by_id[cid].window)
                wanted.add((first, cid, last))
        for first, cid, last in sorted(wanted):
            c = by_id[cid]
            rule = rules[c.rule_id]
            inside: list[dt.date] = []
            whole = True
            for o in range(first, last + 1):
                day = dt.date.fromordinal(o)
                if cid in scope(day):
                    if day in dayset:
                        inside.append(day)
                elif not (rule.working_days and not calendar.is_working_day(day, province)):
                    whole = False
            amount = Fraction(c.amount)
            element = ("employee", cid, i, first, last)
            if c.measure in AWAY or c.measure == "WFO":
                cols = [b.var[(i, day_index[d], c.measure)] for d in inside if (i, day_index[d], c.measure) in b.var]
                counted = sum(1 for d in inside if d not in onleave[i])
                cmp = c.comparison
                if cmp in ("<=", "<", "="):
                    b.rows.append(
                        _rows_for(
                            cols,
                            amount.denominator,
                            "<=" if cmp == "=" else cmp,
                            amount.numerator,
                            0,
                            "employee",
                            element,
                        )
                    )
                if cmp in (">=", ">", "=") and whole:
                    low = ">=" if cmp == "=" else cmp
                    if counted < amount or (low == ">" and counted <= amount):
                        b.rows.append(_rows_for(cols, 1, ">=", counted, 0, "employee", element))
                    else:
                        b.rows.append(
                            _rows_for(cols, amount.denominator, low, amount.numerator, 0, "employee", element)
                        )
            else:
                # leave, hours, overtime: the roster fixes them (leave as given, no hours): judged once
                recs: list[runtime.DayRec | None] = [
                    (runtime.MODE_INDEX["LEAVE"] if d in onleave[i] else 1, None, None) for d in inside
                ]
                v = runtime.judge_window(
                    runtime.MEASURE_INDEX[c.measure],
                    c.comparison,
                    amount.numerator,
                    amount.denominator,
                    recs,
                    whole,
                    runtime.possible_days(first, last, rule.working_days),
                )
                if v.verdict == 2:
                    b.constant_clash.append(("employee-fixed", cid, i, first, last))


# ---- solving ----------------------------------------------------------------------------------------


_QUIET: list[bool] = []


def _highs() -> Any:
    """The ``highspy`` module (the one import of the solver), or a one-line InputError. HiGHS
    prints a banner on standard output when the first solver of a process is made, before any
    option can silence it: that first one is made here with the descriptor pointed at /dev/null."""
    import importlib

    try:
        highspy: Any = importlib.import_module("highspy")
    except ImportError:
        raise InputError(msg("plan.no-solver"), code="E371") from None
    if not _QUIET:
        import sys

        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _QUIET.append(True)
    return highspy


class _Solver:
    """The model in HiGHS: one thread, a fixed seed, exact gaps (every objective is an integer)."""

    def __init__(self, b: _Build, integer: bool = True, time_limit: float | None = None) -> None:
        hs = _highs()
        self.hs = hs
        h = hs.Highs()
        for name, value in (
            ("output_flag", False),
            ("threads", 1),
            ("random_seed", 0),
            ("mip_rel_gap", 0.0),
            ("mip_abs_gap", 1e-6),
            ("presolve", "on"),
        ):
            h.setOptionValue(name, value)
        if time_limit is not None:
            h.setOptionValue("time_limit", float(time_limit))
        self.h = h
        self.b = b
        self.integer = integer
        self._pass(b.rows)

    def _pass(self, rows: Sequence[_Row]) -> None:
        import numpy as np

        hs, b = self.hs, self.b
        lp = hs.HighsLp()
        lp.num_col_ = len(b.cols)
        lp.num_row_ = len(rows)
        lp.col_cost_ = np.zeros(len(b.cols))
        lp.col_lower_ = np.array([float(c[0]) for c in b.cols], dtype=float)
        lp.col_upper_ = np.array([float(c[1]) for c in b.cols], dtype=float)
        lp.row_lower_ = np.array([r.lo if r.lo != -INF else -hs.kHighsInf for r in rows], dtype=float)
        lp.row_upper_ = np.array([r.hi if r.hi != INF else hs.kHighsInf for r in rows], dtype=float)
        starts = [0]
        index: list[int] = []
        value: list[float] = []
        for r in rows:
            index.extend(r.index)
            value.extend(float(v) for v in r.value)
            starts.append(len(index))
        lp.a_matrix_.format_ = hs.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(value, dtype=float)
        lp.a_matrix_.num_col_ = len(b.cols)
        lp.a_matrix_.num_row_ = len(rows)
        if self.integer:
            lp.integrality_ = [hs.HighsVarType.kInteger] * len(b.cols)
        self.h.passModel(lp)

    def add_rows(self, rows: Sequence[tuple[Sequence[int], Sequence[float], float, float]]) -> None:
        """Rows ``lo <= Σ value·x[index] <= hi``, added in one call."""
        import numpy as np

        hs = self.hs
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []
        for idx, val, _, _ in rows:
            starts.append(len(index))
            index.extend(idx)
            value.extend(val)
        self.h.addRows(
            len(rows),
            np.array([lo if lo != -INF else -hs.kHighsInf for _, _, lo, _ in rows], dtype=float),
            np.array([hi if hi != INF else hs.kHighsInf for _, _, _, hi in rows], dtype=float),
            len(index),
            np.array(starts, dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=float),
        )

    def add_row(self, index: Sequence[int], value: Sequence[float], lo: float, hi: float) -> None:
        import numpy as np

        hs = self.hs
        self.h.addRow(
            lo if lo != -INF else -hs.kHighsInf,
            hi if hi != INF else hs.kHighsInf,
            len(index),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=float),
        )

    def optimise(self, cost: Mapping[int, int], sense: str, start: Sequence[int] | None = None) -> int | None:
        """Solve with ``cost`` (column → integer coefficient); the optimum, or None if infeasible.
        ``start``: a feasible solution to start from (the previous stage's: it stays feasible)."""
        import numpy as np

        hs, h = self.hs, self.h
        n = h.getNumCol()
        c = np.zeros(n)
        for j, v in cost.items():
            c[j] = float(v)
        h.changeColsCost(n, np.arange(n, dtype=np.int32), c)
        h.changeObjectiveSense(hs.ObjSense.kMaximize if sense == "max" else hs.ObjSense.kMinimize)
        if start is not None:
            h.setSolution(len(start), np.arange(len(start), dtype=np.int32), np.array(start, dtype=float))
        h.run()
        status = h.getModelStatus()
        if status == hs.HighsModelStatus.kInfeasible:
            return None
        if status == hs.HighsModelStatus.kTimeLimit:
            raise PlanError(msg("plan.time-limit"))
        if status != hs.HighsModelStatus.kOptimal:
            raise PlanError(msg("plan.solver-failed", status=str(status)))
        value: float = h.getInfo().objective_function_value
        return round(value)

    def feasible(self) -> bool:
        return self.optimise({}, "min") is not None

    def values(self) -> list[int]:
        return [round(v) for v in self.h.getSolution().col_value]


# ---- the entry point --------------------------------------------------------------------------------


def plan(
    rules: Any,
    staff: object,
    start: object,
    end: object,
    region: object,
    level: object = None,
    agency: object = None,
    *,
    explain: bool = True,
    time_limit: float | None = None,
) -> Roster:
    """A compliant, fair roster (see the module docstring). ``rules``: a :class:`~asnrules.RuleSet`
    (or a path to load); ``staff``: a STAFF_FILE path or the staff (:func:`read_staff`); ``start``,
    ``end``: the period (both included); ``region`` the province; ``level``, ``agency`` the agency's.
    Raises :class:`InputError` (E360–E379) for bad input; a roster that does not exist is returned
    with ``feasible`` False and :meth:`Roster.why`; ``explain`` False skips that analysis.
    ``time_limit``: seconds each solve may take (none by default); a stage not proved optimal in time
    raises :class:`PlanError`, never a roster that might not be the fairest."""
    from .ruleset import RuleSet, load

    started = time.perf_counter()
    ruleset = rules if isinstance(rules, RuleSet) else load(rules)
    model = ruleset.model
    _highs()
    first, last = runtime.read_date(start), runtime.read_date(end)
    for read, raw in ((first, start), (last, end)):
        if isinstance(read, Reason):
            raise _bad("bad-period-date", "E372", value=str(raw)[:40])
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    if last < first:
        raise _bad("period-backwards", "E372", start=first.isoformat(), end=last.isoformat())
    if (last - first).days > 366:
        raise _bad("period-too-long", "E373", start=first.isoformat(), end=last.isoformat())
    province = province_code(region)
    lv = runtime.read_level(level)
    if isinstance(lv, Reason):
        raise InputError(reason_msg(lv), code=lv.code)
    ag = runtime.read_agency(agency)
    if isinstance(ag, Reason):
        raise InputError(reason_msg(ag), code=ag.code)
    agency_key, agency_name = (None, None) if ag is None else ag
    members = read_staff(staff, model)
    calendar = model.workdays
    days = tuple(
        d
        for d in (first + dt.timedelta(days=k) for k in range((last - first).days + 1))
        if calendar.is_working_day(d, province)
    )
    if not days:
        raise _bad("no-working-days", "E374", start=first.isoformat(), end=last.isoformat())
    rules_by_day = {d: applicable_rules(model, d, province, lv, agency_key) for d in days}
    used = {r.id: r for d in days for r in rules_by_day[d]}
    in_force = tuple(r for r in model.rules if r.id in used)
    b = _build(model, members, days, province, lv, agency_key, rules_by_day)
    common = dict(
        staff=members,
        days=days,
        start=first,
        end=last,
        province=province,
        level=lv,
        agency=agency_name,
        rules=in_force,
        model=model,
    )
    solver = _Solver(b, time_limit=time_limit)
    stages: list[Stage] = []
    # (0) a mode away that no rule in force names (WFA where the rules speak of WFH only) only where
    # the rules cannot be kept otherwise. Tried first with those modes closed: when stage (1) can be
    # solved so, none is needed (the common case, one solve saved); else they are opened and their
    # use minimised, which also tells whether any roster exists.
    away_cols = [col for (i, _, mode), col in b.var.items() if mode in AWAY]
    best: int | None = None
    fewest: int | None = 0
    if not b.constant_clash:
        for c in b.unnamed:
            solver.h.changeColBounds(c, 0.0, 0.0)
        best = solver.optimise({c: 1 for c in away_cols}, "max")
        if best is None and b.unnamed:
            for c in b.unnamed:
                solver.h.changeColBounds(c, float(b.cols[c][0]), float(b.cols[c][1]))
            fewest = solver.optimise({c: 1 for c in b.unnamed}, "min")
            if fewest is not None:
                solver.add_row(b.unnamed, [1.0] * len(b.unnamed), -INF, float(fewest))
                best = solver.optimise({c: 1 for c in away_cols}, "max", solver.values())
    if best is None:
        found: _Found = _explain(b, days) if explain else ([], False, "none")
        return Roster(
            False,
            (),
            stages=(),
            quotas=(),
            checked=False,
            unit_days_checked=0,
            employees_checked=0,
            seconds=time.perf_counter() - started,
            clash=_worded(found, members, model, days),
            **common,  # type: ignore[arg-type]
        )
    if b.unnamed:
        assert fewest is not None
        stages.append(Stage("unnamed", "min", fewest))
    # (1) as many days away as the rules allow (solved above)
    stages.append(Stage("away", "max", best))
    solver.add_row(away_cols, [1.0] * len(away_cols), best, INF)
    # (2) the spread of days away across the eligible staff who may be away at all
    # (the staff some rule in force lets away on some day: frontline staff held at the office by
    # 'frontline WFO = 100%' are not among them)
    unnamed = set(b.unnamed)
    per: dict[int, list[int]] = {}
    for (i, _, mode), col in b.var.items():
        if mode in AWAY and members[i].eligible:
            per.setdefault(i, []).append(col)
    named_away = {
        i for (i, _, mode), col in b.var.items() if mode in AWAY and col not in unnamed and members[i].eligible
    }
    per = {i: cols for i, cols in per.items() if i in named_away}
    if len(per) > 1:
        hi = solver.h.getNumCol()
        lo = hi + 1
        big = len(days)
        for _ in range(2):
            solver.h.addCol(0.0, 0.0, float(big), 0, [], [])
        integrality = solver.hs.HighsVarType.kInteger
        solver.h.changeColIntegrality(hi, integrality)
        solver.h.changeColIntegrality(lo, integrality)
        bounds: list[tuple[Sequence[int], Sequence[float], float, float]] = []
        for i in sorted(per):
            cols = per[i]
            bounds.append(([*cols, hi], [1.0] * len(cols) + [-1.0], -INF, 0.0))
            bounds.append(([*cols, lo], [1.0] * len(cols) + [-1.0], 0.0, INF))
        solver.add_rows(bounds)
        # (no start given: on this stage HiGHS proves the optimum faster from its own)
        spread = solver.optimise({hi: 1, lo: -1}, "min")
        assert spread is not None
        stages.append(Stage("spread", "min", spread))
        solver.add_row([hi, lo], [1.0, -1.0], -INF, float(spread))
    else:
        stages.append(Stage("spread", "min", 0))
    # (3) preferences: days away on preferred weekdays
    preferred = [col for (i, j, mode), col in b.var.items() if mode in AWAY and days[j].weekday() in members[i].prefer]
    met = solver.optimise({c: 1 for c in preferred}, "max", solver.values()) if preferred else 0
    assert met is not None
    stages.append(Stage("prefer", "max", met))
    values = solver.values()
    rows: list[tuple[str, str, dt.date, str]] = []
    for i, m in enumerate(members):
        for j, d in enumerate(days):
            given = "LEAVE"
            for x in PLAN_MODES:
                at = b.var.get((i, j, x))
                if at is not None and values[at] == 1:
                    given = x
            rows.append((m.employee, m.unit, d, given))
    quotas = tuple(
        Quota(u, d, c, len(counted), sum(1 for i in counted if _mode_of(rows, i, days, d) == c.mode))
        for u, d, c, counted in b.quotas
    )
    roster = Roster(
        True,
        tuple(rows),
        spread_staff=tuple(members[i].employee for i in sorted(per)),
        stages=tuple(stages),
        quotas=quotas,
        checked=False,
        unit_days_checked=0,
        employees_checked=0,
        seconds=0.0,
        **common,  # type: ignore[arg-type]
    )
    unit_days, employees = recheck(ruleset, roster)
    return _replace(
        roster,
        checked=True,
        unit_days_checked=unit_days,
        employees_checked=employees,
        seconds=time.perf_counter() - started,
    )


def _mode_of(rows: Sequence[tuple[str, str, dt.date, str]], i: int, days: Sequence[dt.date], d: dt.date) -> str:
    return rows[i * len(days) + days.index(d)][3]


def _replace(roster: Roster, **changes: Any) -> Roster:
    import dataclasses

    return dataclasses.replace(roster, **changes)


def recheck(ruleset: Any, roster: Roster) -> tuple[int, int]:
    """Re-evaluate a roster with the interpreter: every unit-day (``RuleSet.evaluate``, engine
    ``interpreter``) and every employee (:func:`asnrules.employee.check_employee`). Raises
    :class:`PlanError` on the first violation; returns the unit-days and employees judged."""
    from .employee import check_employee

    cats = {m.employee: m.category for m in roster.staff}
    counts: dict[tuple[str, dt.date], dict[str, dict[str, int]]] = {}
    records: dict[str, list[tuple[dt.date, str]]] = {}
    for e, u, d, mode in roster.rows:
        tally = counts.setdefault((u, d), {}).setdefault(cats[e], {})
        tally[mode] = tally.get(mode, 0) + 1
        records.setdefault(e, []).append((d, mode))
    for (u, d), c in counts.items():
        result = ruleset.evaluate(d, roster.province, c, roster.level, roster.agency, engine="interpreter")
        if result.outcome == "violation":
            raise PlanError(msg("plan.recheck-failed", unit=u, day=d.isoformat(), what=result.violations[0].rule))
    for m in roster.staff:
        found = check_employee(
            roster.model, records[m.employee], roster.province, m.category, roster.level, roster.agency
        )
        if found.outcome == "violation":
            raise PlanError(
                msg("plan.recheck-failed", unit=m.unit, day=m.employee, what=found.violations[0].constraint.rule)
            )
    return len(counts), len(roster.staff)


# ---- when no roster exists --------------------------------------------------------------------------


def _elements(b: _Build) -> list[tuple[Any, ...]]:
    """Every element an explanation can name, in model order: rule instances and facts."""
    seen: dict[tuple[Any, ...], None] = {}
    for r in b.rows:
        if r.element is not None:
            seen.setdefault(r.element, None)
    for _, _, _, element in b.cols:
        if element is not None:
            seen.setdefault(element, None)
    return list(seen)


class _Relaxable:
    """The model with elements switched on and off (a row's bounds freed, a column's bounds reset)."""

    def __init__(self, b: _Build) -> None:
        self.b = b
        self.solver = _Solver(b)
        self.rows: dict[tuple[Any, ...], list[int]] = {}
        self.cols: dict[tuple[Any, ...], list[int]] = {}
        for k, r in enumerate(b.rows):
            if r.element is not None:
                self.rows.setdefault(r.element, []).append(k)
        for k, c in enumerate(b.cols):
            if c[3] is not None:
                self.cols.setdefault(c[3], []).append(k)

    def set(self, element: tuple[Any, ...], on: bool) -> None:
        hs, h, b = self.solver.hs, self.solver.h, self.b
        for k in self.rows.get(element, ()):
            r = b.rows[k]
            lo = (r.lo if r.lo != -INF else -hs.kHighsInf) if on else -hs.kHighsInf
            hi = (r.hi if r.hi != INF else hs.kHighsInf) if on else hs.kHighsInf
            h.changeRowBounds(k, lo, hi)
        for k in self.cols.get(element, ()):
            lo, hi = (b.cols[k][0], b.cols[k][1]) if on else (0, 1)
            h.changeColBounds(k, float(lo), float(hi))

    def feasible(self) -> bool:
        return self.solver.feasible()


def _explain(b: _Build, days: tuple[dt.date, ...]) -> _Found:
    """The rules and facts that cannot all hold: the constant clashes (leave against a leave or
    hours rule), else HiGHS' IIS of the linear relaxation, else the first unit-day whose own rules
    cannot hold, else everything; then a deletion filter over the mixed-integer model."""
    if b.constant_clash:
        return [b.constant_clash[0]], True, "constant"
    elements = _elements(b)
    relax = _Relaxable(b)
    on = set(elements)

    def only(chosen: set[tuple[Any, ...]]) -> bool:
        """Switch on exactly ``chosen``; whether the model is then infeasible."""
        for e in elements:
            if (e in chosen) != (e in on):
                relax.set(e, e in chosen)
        on.clear()
        on.update(chosen)
        return not relax.feasible()

    chosen: set[tuple[Any, ...]] = set(elements)
    method = "filter"
    iis = set(_iis(b))
    if iis and only(iis):  # the LP's certificate holds for the integers too (it always should)
        chosen, method = iis, "iis"
    else:
        local = set(_local(b, elements, days))
        if local and only(local):
            chosen, method = local, "unit-day"
        else:
            only(chosen)
    kept = [e for e in elements if e in chosen]
    reduced = True
    solves = 0
    for e in list(kept):
        if solves >= FILTER_LIMIT:
            reduced = False
            break
        relax.set(e, False)
        solves += 1
        if relax.feasible():
            relax.set(e, True)
        else:
            kept.remove(e)
    return kept, reduced, method


def _iis(b: _Build) -> list[tuple[Any, ...]]:
    """The elements of HiGHS' IIS of the linear relaxation (empty when the relaxation is feasible)."""
    hs = _highs()
    s = _Solver(b, integer=False)
    s.h.setOptionValue("iis_strategy", int(hs.IisStrategy.kIisStrategyFromLp))
    s.h.run()
    if s.h.getModelStatus() != hs.HighsModelStatus.kInfeasible:
        return []
    status, iis = s.h.getIis()
    if status != hs.HighsStatus.kOk or not iis.valid_:
        return []
    found: dict[tuple[Any, ...], None] = {}
    for k in iis.row_index_:
        e = b.rows[k].element
        if e is not None:
            found.setdefault(e, None)
    for k in iis.col_index_:
        e = b.cols[k][3]
        if e is not None:
            found.setdefault(e, None)
    return list(found)


def _local(b: _Build, elements: list[tuple[Any, ...]], days: tuple[dt.date, ...]) -> list[tuple[Any, ...]]:
    """The elements of the first unit-day whose own group rules (with its facts) cannot hold."""
    relax = _Relaxable(b)
    for e in elements:
        relax.set(e, False)
    by_day: dict[tuple[str, dt.date], list[tuple[Any, ...]]] = {}
    for e in elements:
        if e[0] == "group":
            by_day.setdefault((e[2], e[3]), []).append(e)
    facts = [e for e in elements if e[0] in ("fixed", "ineligible")]
    for key in sorted(by_day, key=lambda k: (k[1], k[0])):
        group = by_day[key] + [f for f in facts if f[0] == "ineligible" or f[2] == key[1]]
        for e in group:
            relax.set(e, True)
        infeasible = not relax.feasible()
        for e in group:
            relax.set(e, False)
        if infeasible:
            return group
    return []


_Found = tuple[list[tuple[Any, ...]], bool, str]


@dataclass(frozen=True)
class _Day:
    """A day in a message, written in the message's language."""

    day: dt.date

    def text(self, lang: str) -> str:
        from .wording import date_text

        return date_text(self.day, lang)


def _worded(found: _Found, staff: tuple[StaffMember, ...], model: Model, days: tuple[dt.date, ...]) -> Clash:
    """The elements kept, as the constraints they stand for and the facts in words."""
    kept, reduced, method = found
    cons = {c.id: c for c in model.constraints}
    econs = {e.id: e for e in model.employee_constraints}
    groups: list[tuple[Constraint, str, dt.date]] = []
    employee: list[tuple[EmployeeConstraint, str, dt.date, dt.date]] = []
    facts: list[Msg] = []
    seen_counts: set[tuple[str, dt.date, str]] = set()
    under = model.under
    for e in kept:
        if e[0] == "group":
            c, unit, day = cons[e[1]], e[2], e[3]
            groups.append((c, unit, day))
            key = (unit, day, c.group)
            if key not in seen_counts:
                seen_counts.add(key)
                members = [m for m in staff if m.unit == unit and m.category in under[c.group]]
                away = [m for m in members if day in m.leave or m.fixed.get(day) == "LEAVE"]
                facts.append(
                    msg(
                        "plan.fact-count",
                        unit=unit,
                        day=_Day(day),
                        group=c.group,
                        n=len(members) - len(away),
                        leave=len(away),
                    )
                )
        elif e[0] in ("employee", "employee-fixed"):
            ec = econs[e[1]]
            m = staff[e[2]]
            first, last = dt.date.fromordinal(e[3]), dt.date.fromordinal(e[4])
            employee.append((ec, m.employee, first, last))
            if e[0] == "employee-fixed":
                # what the roster cannot change: the leave given, and no hours
                taken = sum(1 for d in days if first <= d <= last and (d in m.leave or m.fixed.get(d) == "LEAVE"))
                fact = "plan.fact-leave" if ec.measure == "LEAVE" else "plan.fact-no-hours"
                facts.append(msg(fact, employee=m.employee, n=taken, first=_Day(first), last=_Day(last)))
        elif e[0] == "fixed":
            m = staff[e[1]]
            facts.append(msg("plan.fact-fixed", employee=m.employee, day=_Day(e[2]), mode=m.fixed[e[2]]))
        elif e[0] == "ineligible":
            facts.append(msg("plan.fact-ineligible", employee=staff[e[1]].employee))
    return Clash(tuple(groups), tuple(employee), tuple(facts), reduced, method)


# ---- words ------------------------------------------------------------------------------------------


def roster_text(roster: Roster, lang: str = "id") -> str:
    from .wording import date_text

    period = say("plan.period", lang, start=date_text(roster.start, lang), end=date_text(roster.end, lang))
    head = say(
        "plan.heading",
        lang,
        period=period,
        place=roster.region_name,
        staff=len(roster.staff),
        days=len(roster.days),
    )
    if not roster.feasible:
        return "\n".join([head, say("plan.infeasible", lang), roster.why(lang)])
    lines = [head, *(f"{k}. {line}" for k, line in enumerate(stage_lines(roster, lang), start=1))]
    lines.append(say("plan.rechecked", lang, unit_days=roster.unit_days_checked, employees=roster.employees_checked))
    return "\n".join(lines)


def stage_lines(roster: Roster, lang: str = "id") -> list[str]:
    """The three stages of the objective and what each achieved, in words."""
    low, high = roster.spread_range
    lines = [
        say("plan.stage-away", lang, value=roster.stage("away")),
        say("plan.stage-spread", lang, value=roster.stage("spread"), low=low, high=high),
        say("plan.stage-prefer", lang, value=roster.stage("prefer")),
    ]
    if roster.stage("unnamed"):
        lines.insert(0, say("plan.stage-unnamed", lang, value=roster.stage("unnamed")))
    return lines


def clash_text(roster: Roster, lang: str = "id") -> str:
    from .wording import citation, constraint_sentence, date_text

    clash = roster.clash
    assert clash is not None
    model = roster.model
    lines = [say("plan.clash-lead", lang)]
    for c, unit, day in clash.constraints:
        lines.append(
            say(
                "plan.clash-rule",
                lang,
                sentence=constraint_sentence(model, c, lang),
                unit=unit,
                day=date_text(day, lang),
                cite=citation(c, lang, model=model),
            )
        )
    for ec, employee, first, last in clash.employee:
        from .inforce import employee_text

        lines.append(
            say(
                "plan.clash-employee",
                lang,
                sentence=employee_text(ec, lang),
                employee=employee,
                first=date_text(first, lang),
                last=date_text(last, lang),
                cite=citation(ec, lang, model=model),
            )
        )
    if clash.facts:
        lines.append(say("plan.clash-facts", lang))
        lines.extend(f"  - {f.text(lang)}" for f in clash.facts)
    return "\n".join(lines)


def _render(roster: Roster, template: str, lang: str) -> str:
    import jinja2

    from .wording import citation, constraint_sentence, date_text, short_day

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("asnrules", "templates/plan"),
        autoescape=lambda name: name is not None and name.endswith(".html.j2"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    model = roster.model
    first, last = roster.start, roster.end
    all_days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    working = set(roster.days)
    cells: dict[tuple[str, dt.date], str] = {(e, d): mode for e, _, d, mode in roster.rows}
    quotas: dict[dt.date, list[Quota]] = {}
    for q in roster.quotas:
        quotas.setdefault(q.day, []).append(q)

    def t(id: str, **args: Any) -> str:
        return say(f"plan.{id}", lang, **args)

    def share(q: Quota) -> str:
        from .wording import percent_text

        return f"{q.k}/{q.n} ({percent_text(q.share, lang)})"

    names = {"WFO": t("mode-WFO"), "WFH": t("mode-WFH"), "WFA": t("mode-WFA"), "LEAVE": t("mode-LEAVE")}
    from .fingerprint import fingerprint
    from .inforce import rule_sentences
    from .render import md_escape
    from .version import __version__

    rules = []
    for r in roster.rules:
        cite = citation(r, lang, model=model, prose=True)
        for k, sentence in enumerate(rule_sentences(model, r, lang)):
            hours = k >= len(r.constraints) and r.employee[k - len(r.constraints)].measure in ("works", "overtime")
            # a roster sets modes, not hours: an hours rule binds the employees all the same
            rules.append({"sentence": sentence + (say("plan.hours-note", lang) if hours else ""), "cite": cite})
    period = say("plan.period", lang, start=date_text(first, lang), end=date_text(last, lang))
    return env.get_template(template).render(
        roster=roster,
        lang=lang,
        t=t,
        md=md_escape,
        period=period,
        all_days=all_days,
        working=working,
        cells=cells,
        quotas=quotas,
        share=share,
        names=names,
        away=roster.away,
        stage_lines=stage_lines(roster, lang) if roster.feasible else [],
        why=roster.why(lang).splitlines(),
        rules=rules,
        ineligible=sum(1 for m in roster.staff if not m.eligible),
        version=__version__,
        fingerprint=fingerprint(model),
        date_text=lambda d: date_text(d, lang),
        short_day=lambda d: short_day(d, lang),
        cite=lambda x: citation(x, lang, model=model),
        sentence=lambda c: constraint_sentence(model, c, lang),
        units=list(dict.fromkeys(m.unit for m in roster.staff)),
    )
