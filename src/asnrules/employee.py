"""The reference evaluator of employee rules: LANGUAGE.md §12, written to be obviously right.

An employee rule binds each employee of its group over windows of days (a day, an ISO week, a
calendar month or year). For one employee — a list of dated records, a province, a category, a level
and an agency — every employee constraint is looked at on every window that holds at least one of the
employee's records on a day of the constraint's scope: the days where its rule applies
(:func:`asnrules.semantics.applicable_rules`: when, where, who, working days, switched off, exactly
as for the group rules of §5) and whose group holds the employee's category. On such a window the
verdict is :func:`asnrules.runtime.judge_window`'s, the one definition every backend shares: an
upper bound on every window, a lower bound only on a window wholly in scope and only for what the
employee could reach.

A window is *wholly in scope* when each of its days is in the constraint's scope, a non-working day
of a rule ``on working days`` aside (such a day could never be in scope). A week cut by the start of
a rule, by its end, or by another instrument that switches the rule off on some day is not whole.

Records: ``(date, mode)``, ``(date, mode, hours)`` or ``(date, mode, hours, overtime)`` (or
mappings with those keys), read with the runtime's readers (dates as ``read_date``, modes as
``read_mode``: ``CUTI``, ``SAKIT``, ``IZIN`` are leave; hours as ``read_hours``). Two records of one
day are both set aside as duplicates, as the audit does (LANGUAGE.md §13), and listed in
:attr:`EmployeeResult.rejected`: never counted, never silently lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NoReturn

from . import runtime
from .citing import reason_msg
from .errors import InputError
from .model import EmployeeConstraint, Model, Rule
from .runtime import DayRec, Reason
from .semantics import applicable_rules, province_code

__all__ = [
    "WINDOW_COLUMNS",
    "EmployeeResult",
    "WindowAudit",
    "WindowResult",
    "audit_windows",
    "check_employee",
    "read_records",
]

_DUPLICATE = runtime.REJECTS[8]


@dataclass(frozen=True)
class WindowResult:
    """One employee constraint on one window of one employee: the window (``first``..``last``), the
    ``amount`` measured, the ``bound`` held to with its ``comparison`` (the reachable bound for a
    lower bound, LANGUAGE.md §12), the ``verdict`` (``compliant`` or ``violation``), whether the
    window lies ``whole`` in the rule's scope, its ``days`` in scope and the ``counted`` ones."""

    constraint: EmployeeConstraint
    first: dt.date
    last: dt.date
    amount: Fraction
    bound: Fraction
    comparison: str
    verdict: str
    whole: bool
    days: int
    counted: int

    @property
    def violated(self) -> bool:
        return self.verdict == "violation"

    def to_json(self) -> dict[str, Any]:
        c = self.constraint
        return {
            "circular": c.circular,
            "rule": c.rule,
            "group": c.group,
            "measure": c.measure,
            "comparison": c.comparison,
            "amount": format(c.amount, "f"),
            "window": c.window,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "value": fraction_text(self.amount),
            "bound": fraction_text(self.bound),
            "bound_comparison": self.comparison,
            "verdict": self.verdict,
            "whole": self.whole,
            "days": self.days,
            "counted": self.counted,
            "source": str(c.source),
        }


#: The one way an exact amount is written (``22.5``, ``225/14``): the runtime's.
fraction_text = runtime.fraction_text


@dataclass(frozen=True)
class EmployeeResult:
    """What :meth:`asnrules.RuleSet.check_employee` returns: the ``outcome`` (``violation`` if any
    window is violated, ``compliant`` if any is judged, else ``uncovered``), every judged window in
    order (first day, then constraint), the records set aside (``rejected``: (date, reason)), and
    the employee's place, category, level and agency as read."""

    outcome: str
    windows: tuple[WindowResult, ...]
    rejected: tuple[tuple[dt.date, str], ...]
    province: str | None
    category: str | None
    level: str | None
    agency: str | None
    agency_name: str | None
    model: Model

    @property
    def violations(self) -> tuple[WindowResult, ...]:
        return tuple(w for w in self.windows if w.violated)

    def explain(self, lang: str = "en") -> str:
        """A plain-language account of each judged window, citing each rule (``lang``: ``en``/``id``)."""
        from .wording import explain_employee

        return explain_employee(self, lang)

    def to_json(self) -> dict[str, Any]:
        from .fingerprint import fingerprint
        from .version import __version__
        from .workdays import CALENDAR_VERSION

        return {
            "outcome": self.outcome,
            "windows": [w.to_json() for w in self.windows],
            "violations": [w.to_json() for w in self.violations],
            "rejected": [{"date": d.isoformat(), "reason": r} for d, r in self.rejected],
            "employee": {
                "province": self.province,
                "category": self.category,
                "level": self.level,
                "agency": self.agency_name,
            },
            "fingerprint": fingerprint(self.model),
            "calendar": CALENDAR_VERSION,
            "asnrules_version": __version__,
        }


def _raise(reason: Reason) -> NoReturn:
    raise InputError(reason_msg(reason), code=reason.code)


def read_records(records: Iterable[object]) -> tuple[dict[dt.date, DayRec], tuple[tuple[dt.date, str], ...]]:
    """The records of one employee as the runtime judges them (day → (mode index, hours, overtime)),
    and the days set aside as duplicates (both records dropped): :func:`asnrules.runtime.read_employee_records`,
    the one reading of records for every backend. Raises :class:`InputError` for a record that cannot
    be read (E310 date, E313 mode, E315 hours)."""
    found = runtime.read_employee_records(records)
    if isinstance(found, Reason):
        _raise(found)
    days, twice = found
    return {dt.date.fromordinal(o): rec for o, rec in days.items()}, twice


def check_employee(
    model: Model,
    records: Iterable[object],
    region: object,
    category: str | None,
    level: str | None = None,
    agency: str | None = None,
) -> EmployeeResult:
    """LANGUAGE.md §12 for one employee (see the module docstring); raises :class:`InputError` for
    an argument that cannot be used."""
    province = province_code(region) if region is not None else None
    lv = runtime.read_level(level)
    if isinstance(lv, Reason):
        _raise(lv)
    ag = runtime.read_agency(agency)
    if isinstance(ag, Reason):
        _raise(ag)
    assert not isinstance(lv, Reason) and not isinstance(ag, Reason)
    cat: str | None = None
    if category is not None:
        found = runtime.read_category(category, model.category_names, list(model.categories))
        if isinstance(found, Reason):
            _raise(found)
        assert not isinstance(found, Reason)
        cat = found
    agency_key, agency_name = (None, None) if ag is None else ag
    days, rejected = read_records(records)
    rules = {r.id: r for r in model.rules}
    calendar = model.workdays
    scopes: dict[dt.date, frozenset[int]] = {}

    def scope(day: dt.date) -> frozenset[int]:
        """The ids of the employee constraints binding this employee on ``day``."""
        found = scopes.get(day)
        if found is None:
            found = frozenset(
                e.id
                for r in applicable_rules(model, day, province, lv, agency_key)
                for e in r.employee
                if e.binds(cat, model.under)
            )
            scopes[day] = found
        return found

    by_id = {e.id: e for e in model.employee_constraints}
    wanted: set[tuple[int, int, int]] = set()
    for day in days:
        for cid in scope(day):
            first, last = runtime.window_of(day.toordinal(), by_id[cid].window)
            wanted.add((first, cid, last))
    out: list[WindowResult] = []
    for first, cid, last in sorted(wanted):
        c = by_id[cid]
        rule: Rule = rules[c.rule_id]
        inside: list[DayRec | None] = []
        whole = True
        for o in range(first, last + 1):
            day = dt.date.fromordinal(o)
            if cid in scope(day):
                inside.append(days.get(day))
            elif not (rule.working_days and not calendar.is_working_day(day, province)):
                whole = False
        amount = Fraction(c.amount)
        possible = runtime.possible_days(first, last, rule.working_days)
        v = runtime.judge_window(
            runtime.MEASURE_INDEX[c.measure],
            c.comparison,
            amount.numerator,
            amount.denominator,
            inside,
            whole,
            possible,
        )
        out.append(
            WindowResult(
                c,
                dt.date.fromordinal(first),
                dt.date.fromordinal(last),
                v.amount,
                v.bound,
                v.comparison,
                "violation" if v.verdict == 2 else "compliant",
                v.whole,
                v.days,
                v.counted,
            )
        )
    outcome = "violation" if any(w.violated for w in out) else "compliant" if out else "uncovered"
    return EmployeeResult(outcome, tuple(out), rejected, province, cat, lv, agency_key, agency_name, model)


# ---- the reference audit of employee windows (LANGUAGE.md §12, §13) --------------------------------

#: The columns of the employee-window violations (``asnrules audit --windows``), in this order.
WINDOW_COLUMNS = (
    "employee",
    "unit",
    "window",
    "first",
    "last",
    "circular",
    "rule",
    "source",
    "measure",
    "amount",
    "bound",
    "comparison",
)


@dataclass(frozen=True)
class WindowAudit:
    """What :func:`audit_windows` finds: every judged window of every employee group, as
    ``(employee, unit, WindowResult)`` sorted by employee, unit, first day and constraint, and the
    classification of the rows (:class:`asnrules.semantics.AuditAnswer`: the rejects and their
    reasons, exactly as the audit of unit-days gives them)."""

    windows: tuple[tuple[str, str, WindowResult], ...]
    answer: Any  # asnrules.semantics.AuditAnswer

    @property
    def violations(self) -> tuple[tuple[str, str, WindowResult], ...]:
        return tuple(x for x in self.windows if x[2].violated)

    def rows(self) -> list[dict[str, str]]:
        """The violations as the rows of ``--windows`` (:data:`WINDOW_COLUMNS`; every value a text)."""
        return [window_row(e, u, w) for e, u, w in self.violations]

    def by_rule(self) -> dict[tuple[str, str], int]:
        """The employee-window violations counted per (circular, rule)."""
        out: dict[tuple[str, str], int] = {}
        for _, _, w in self.violations:
            key = (w.constraint.circular, w.constraint.rule)
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))


def window_row(employee: str, unit: str, w: WindowResult) -> dict[str, str]:
    """One employee-window as a row of ``--windows`` (:data:`WINDOW_COLUMNS`)."""
    c = w.constraint
    return {
        "employee": employee,
        "unit": unit,
        "window": c.window,
        "first": w.first.isoformat(),
        "last": w.last.isoformat(),
        "circular": c.circular,
        "rule": c.rule,
        "source": str(c.source),
        "measure": c.measure,
        "amount": fraction_text(w.amount),
        "bound": fraction_text(w.bound),
        "comparison": w.comparison,
    }


def audit_windows(
    model: Model,
    rows: Sequence[Mapping[str, object]],
    modes: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
) -> WindowAudit:
    """The employee rules of LANGUAGE.md §12 judged over attendance rows (the columns of §7 and the
    optional ``hours`` and ``overtime`` of §13, named as :func:`asnrules.semantics.audit_rows` reads
    them), written to be obviously right: the reference of every backend's ``--windows``.

    1. The rows are classified exactly as :func:`asnrules.semantics.audit_rows` classifies them (a
       row's own reasons, bad hours among them; duplicates and employees in two units on one day
       rejected, never counted; unit-days whose rows disagree rejected): only the rows it audits
       count. (``complete_only`` does not apply: a window is judged on the records it has.)
    2. The usable rows are grouped by *(employee, unit, province, category, level, agency)*. Each
       group is one employee as :func:`check_employee` sees one — a list of dated records with one
       place, category, level and agency — and is judged by one call of it: no second definition of a
       window's verdict. An employee whose rows within a window disagree on any of these (moved to
       another unit, or re-graded, mid-week) is judged as that many employees, each on its own days:
       an upper bound is checked on each part's days, and a lower bound only asks what each part's
       days could reach (a week is still whole or not by the rule's scope alone, so a part of a whole
       week is held to the reachable amount of the days it recorded).
    """
    from .semantics import audit_rows, named_as_section_7, read_row

    answer = audit_rows(model, rows, columns=columns, modes=modes)
    spellings = runtime.read_mode_map((modes or {}).items())
    if isinstance(spellings, Reason):
        _raise(spellings)
    groups: dict[tuple[str, str, str, str, str | None, str | None], list[tuple[object, ...]]] = {}
    names: dict[tuple[str, str, str, str, str | None, str | None], str | None] = {}
    for i, raw in enumerate(rows):
        if i in answer.rejects:
            continue
        r = read_row(model, named_as_section_7(raw, columns), spellings)
        assert not isinstance(r, Reason)  # audit_rows read it
        key = (r.employee, r.unit, r.province, r.category, r.level, r.agency)
        groups.setdefault(key, []).append((r.day, r.mode, r.hours, r.overtime))
        if r.agency_name is not None:
            names[key] = max(names.get(key) or "", r.agency_name)
    found: list[tuple[str, str, WindowResult]] = []
    for key, records in sorted(groups.items(), key=lambda x: tuple(str(v) for v in x[0])):
        employee, unit, province, category, level, _ = key
        result = check_employee(model, records, province, category, level, names.get(key))
        found.extend((employee, unit, w) for w in result.windows)
    found.sort(key=lambda x: (x[0], x[1], x[2].first, x[2].constraint.id))
    return WindowAudit(tuple(found), answer)
