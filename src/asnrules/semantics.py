"""The reference evaluator: LANGUAGE.md §5, written to be obviously right rather than fast.

A situation is one work unit on one day. For every rule of every circular that is not switched off,
whose when, where and who match, each constraint ``G M cmp p`` is checked: with n the counted staff in
G or under it and k those of them in mode M, it is vacuous when n = 0 and otherwise holds when
``100·k cmp p·n`` (exact). The compiled evaluators are tested against this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, NamedTuple, NoReturn

from . import runtime
from .citing import reason_msg
from .errors import InputError
from .model import MODES, Constraint, EmployeeConstraint, Model, Rule
from .prelude import name_key, province_keys, province_name, province_suggestions
from .runtime import Applied, Reason, Situation, Violation, Words

__all__ = [
    "Applied",
    "AuditAnswer",
    "Result",
    "Row",
    "Situation",
    "Violation",
    "applicable",
    "applicable_employee",
    "applicable_rules",
    "audit_rows",
    "evaluate",
    "named_as_section_7",
    "province_name",
    "read_row",
    "situation",
    "switched_off",
    "tallies",
]

Outcome = Literal["compliant", "violation", "uncovered"]
COUNTED_MODES = frozenset(MODES)
COUNT_MODES = frozenset({*MODES, "LEAVE"})
_NOTHING: frozenset[str] = frozenset()
_NO_RULES: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Result:
    """What :meth:`asnrules.RuleSet.evaluate` returns: the outcome, the failed constraints and every
    applicable one with its verdict (the runtime's :class:`~asnrules.runtime.Violation` and
    :class:`~asnrules.runtime.Applied` records, in source order)."""

    outcome: Outcome
    violations: tuple[Violation, ...]
    applied: tuple[Applied, ...]
    situation: Situation
    model: Model

    def explain(self, lang: str = "en") -> str:
        """A plain-language account of the decision, citing each rule (``lang`` is ``en`` or ``id``)."""
        from .wording import explain_result

        return explain_result(self, lang)

    def to_json(self) -> dict[str, Any]:
        from .fingerprint import fingerprint
        from .version import __version__
        from .workdays import CALENDAR_VERSION

        s = self.situation
        return {
            "outcome": self.outcome,
            "violations": [v.to_json() for v in self.violations],
            "applied": [a.to_json() for a in self.applied],
            "situation": {
                "date": s.date.isoformat(),
                "province": s.province,
                "level": s.level,
                "agency": s.agency_name,
                "counts": {c: dict(m) for c, m in s.counts.items()},
            },
            "fingerprint": fingerprint(self.model),
            "calendar": CALENDAR_VERSION,
            "asnrules_version": __version__,
        }


def _raise(reason: Reason) -> NoReturn:
    raise InputError(reason_msg(reason), code=reason.code)


def province_code(region: object) -> str:
    """The Kemendagri code of a province given by any accepted name, code or alias."""
    found = runtime.read_province(region, province_keys(), province_suggestions())
    if isinstance(found, Reason):
        _raise(found)
    return found


def situation(
    model: Model,
    date: dt.date | str,
    region: str | None,
    counts: Mapping[str, Mapping[str, int]],
    level: str | None = None,
    agency: str | None = None,
) -> Situation:
    """Check and normalise the arguments of ``evaluate`` with the runtime's readers; raises
    :class:`InputError` (code E310–E313) for an argument that cannot be used."""
    day = runtime.read_date(date)
    if isinstance(day, Reason):
        _raise(day)
    province = province_code(region) if region is not None else None
    lv = runtime.read_level(level)
    if isinstance(lv, Reason):
        _raise(lv)
    ag = runtime.read_agency(agency)
    if isinstance(ag, Reason):
        _raise(ag)
    if not isinstance(counts, Mapping):
        _raise(runtime.COUNTS_NOT_A_MAPPING)
    keys = model.category_names
    normal: dict[str, dict[str, int]] = {}
    for cat, modes in counts.items():
        # quick paths for values already in canonical form give what the readers give
        canonical = keys.get(cat) if type(cat) is str and cat in keys else None
        if canonical is None:
            found = runtime.read_category(cat, keys, list(model.categories))
            if isinstance(found, Reason):
                _raise(found)
            canonical = found
        if not isinstance(modes, Mapping):
            _raise(runtime.modes_not_a_mapping(cat))
        tally = normal.setdefault(canonical, {}) if modes else {}
        for mode, k in modes.items():
            m = mode if mode in COUNT_MODES and type(mode) is str else runtime.read_mode(mode)
            if isinstance(m, Reason):
                _raise(m)
            if type(k) is not int or k < 0 or k > runtime.MAX_COUNT:
                count = runtime.read_count(k, f"{cat} {m}")
                if isinstance(count, Reason):
                    _raise(count)
                k = count
            tally[m] = tally.get(m, 0) + k
    return Situation(day, province, lv, None if ag is None else ag[0], normal, None if ag is None else ag[1])


def switched_off(
    model: Model,
    day: dt.date,
    province: str | None,
    level: str | None,
    agency: str | None,
    rules: Sequence[Rule] | None = None,
    working: bool | None = None,
) -> tuple[frozenset[str], frozenset[int]]:
    """What is switched off for this day, place and agency (LANGUAGE.md §5, §11): the keys of the
    circulars switched off whole, and the ids of the rules switched off one by one (``supersedes
    rule L of N``, ``overrides rule L of N``; a rule of a circular switched off whole is not listed).

    ``supersedes`` (whole or narrower) switches off from its instrument's date; ``overrides`` where
    and while one of the overrider's rules applies, the overrider not being switched off itself: the
    instruments are decided in :attr:`Model.override_order`, every overrider before what it
    overrides. ``rules`` may narrow the rules looked at to those that can match this day and province
    (an index does that); ``working``: whether the day is a working day in the province, if known."""
    if not model.switches:
        return _NOTHING, _NO_RULES
    off: set[str] = set()
    for key, by in model.superseded_by.items():
        if any(since is None or day >= since for _, since in by):
            off.add(key)
    rules_off: set[int] = set()
    for rid, rby in model.rule_superseded_by.items():
        if any(since is None or day >= since for _, since in rby):
            rules_off.add(rid)
    if model.overridden_by or model.rule_overridden_by:
        looked = model.rules if rules is None else rules
        matching = [r for r in looked if r.matches(day, province, level, agency, working)]
        by_circular: dict[str, list[Rule]] = {}
        for r in matching:
            by_circular.setdefault(name_key(r.circular), []).append(r)
        # an instrument speaks where one of its rules applies: a rule that matches and is not off
        for key in model.override_order:
            if key not in off and any(
                y not in off and _speaks(y, by_circular, rules_off) for y in model.overridden_by.get(key, ())
            ):
                off.add(key)
                continue
            if key in off:
                continue
            for r in by_circular.get(key, ()):
                if r.id not in rules_off and any(
                    y not in off and _speaks(y, by_circular, rules_off) for y in model.rule_overridden_by.get(r.id, ())
                ):
                    rules_off.add(r.id)
    return frozenset(off), frozenset(rules_off)


def _speaks(key: str, by_circular: Mapping[str, list[Rule]], rules_off: set[int]) -> bool:
    return any(r.id not in rules_off for r in by_circular.get(key, ()))


def applicable(
    model: Model,
    day: dt.date,
    province: str | None,
    level: str | None,
    agency: str | None,
    rules: Sequence[Rule] | None = None,
    working: bool | None = None,
) -> list[Constraint]:
    """Every constraint that applies to this day, place and agency, in source order. ``rules`` and
    ``working``: as for :func:`switched_off` (``working`` ``None``: each working-day rule asks the
    calendar)."""
    return [
        c for rule in applicable_rules(model, day, province, level, agency, rules, working) for c in rule.constraints
    ]


def applicable_employee(
    model: Model,
    day: dt.date,
    province: str | None,
    level: str | None,
    agency: str | None,
    rules: Sequence[Rule] | None = None,
    working: bool | None = None,
) -> list[EmployeeConstraint]:
    """Every employee constraint (LANGUAGE.md §12) whose rule applies to this day, place and agency,
    in source order: the same rules as :func:`applicable` (when, where, who, working days, switched off)."""
    return [e for rule in applicable_rules(model, day, province, level, agency, rules, working) for e in rule.employee]


def applicable_rules(
    model: Model,
    day: dt.date,
    province: str | None,
    level: str | None,
    agency: str | None,
    rules: Sequence[Rule] | None = None,
    working: bool | None = None,
) -> list[Rule]:
    """The rules that apply to this day, place and agency (matched and not switched off), in source order."""
    off, rules_off = switched_off(model, day, province, level, agency, rules, working)
    return [
        rule
        for rule in (model.rules if rules is None else rules)
        if rule.matches(day, province, level, agency, working)
        and not (off and name_key(rule.circular) in off)
        and rule.id not in rules_off
    ]


def tallies(counts: Mapping[str, Mapping[str, int]]) -> dict[str, list[int]]:
    """A situation's counts as the runtime tallies them: category → [counted, WFO, WFH, WFA, LEAVE]."""
    out: dict[str, list[int]] = {}
    for cat, modes in counts.items():
        t = [0, 0, 0, 0, 0]
        for mode, count in modes.items():
            t[runtime.MODE_INDEX[mode]] += count
        t[0] = t[1] + t[2] + t[3]
        out[cat] = t
    return out


def evaluate(model: Model, s: Situation) -> Result:
    """LANGUAGE.md §5: every applicable constraint decided with :func:`asnrules.runtime.check`."""
    constraints = applicable(model, s.date, s.province, s.level, s.agency)
    checks = [
        (model.under[c.group], runtime.MODE_INDEX[c.mode], c.comparison, *runtime.exact_bound(format(c.bound, "f")))
        for c in constraints
    ]
    results = runtime.check(checks, tallies(s.counts))
    applied = tuple(
        Applied(c.circular, c.rule, c.group, c.mode, c.comparison, c.bound, c.source, n, k, runtime.VERDICTS[v], c.id)
        for c, (n, k, v) in zip(constraints, results, strict=True)
    )
    violations = tuple(
        Violation(c.circular, c.rule, c.group, c.mode, c.comparison, c.bound, c.source, n, k)
        for c, (n, k, v) in zip(constraints, results, strict=True)
        if v == 2
    )
    outcome = runtime.outcome_of([v for _, _, v in results])
    return Result(outcome, violations, applied, s, model)  # type: ignore[arg-type]


# ---- the reference audit (LANGUAGE.md §7, §13): the oracle of every audit backend ---------------------


class Row(NamedTuple):
    """A data row read by the runtime: ``unit`` and ``employee`` as written (identifiers are compared
    exactly), the day, the province code, the canonical category and mode, the level, and the agency
    key and name (``None`` when blank), and the hours worked and overtime of the day (exact, ``None``
    when not given: LANGUAGE.md §13)."""

    unit: str
    employee: str
    day: dt.date
    province: str
    category: str
    mode: str
    level: str | None
    agency: str | None
    agency_name: str | None
    hours: Fraction | None = None
    overtime: Fraction | None = None


class AuditAnswer(NamedTuple):
    """What an audit of rows finds (LANGUAGE.md §7, §13).

    ``violations``: one per failed constraint per unit-day judged, as ``(unit, day, Violation)``,
    sorted by day, unit, constraint; ``rejects``: row index → reason (:data:`asnrules.runtime.REJECTS`);
    ``rows_read``; ``unit_days``: the unit-days judged; ``incomplete``: each judged unit-day that lost
    rows to rejection → how many (a rejected row is charged to the unit-day of its unit and of
    :func:`asnrules.runtime.day_hint`); ``outcomes``: the judged unit-days per outcome (compliant,
    violation, uncovered); ``undated``: per unit, its rejected rows with no day to charge them to;
    ``unplaced``: rejected rows charged to no unit-day (a blank unit or no day); ``skipped``: the
    unit-days left unjudged by ``complete_only``."""

    violations: tuple[tuple[str, dt.date, Violation], ...]
    rejects: dict[int, str]
    rows_read: int
    unit_days: int
    incomplete: dict[tuple[str, dt.date], int] = {}  # noqa: RUF012 - a NamedTuple's default, never changed
    outcomes: dict[str, int] = {}  # noqa: RUF012
    undated: dict[str, int] = {}  # noqa: RUF012
    unplaced: int = 0
    skipped: int = 0
    #: The unit-days judged, as (unit, day), in order of day and unit.
    judged: tuple[tuple[str, dt.date], ...] = ()

    @property
    def rows_audited(self) -> int:
        return self.rows_read - len(self.rejects)

    def accounting(self) -> dict[str, int]:
        """The accounting every audit reports, item by item, in the order of the printed SQL's third
        statement (:data:`asnrules.compile_sql.SUMMARY_ITEMS`, tested equal)."""
        by_reason = dict.fromkeys(runtime.REJECTS.values(), 0)
        for reason in self.rejects.values():
            by_reason[reason] += 1
        outcomes = {**dict.fromkeys(runtime.OUTCOMES, 0), **self.outcomes}
        return {
            "rows read": self.rows_read,
            "rows audited": self.rows_audited,
            "rows rejected": len(self.rejects),
            **by_reason,
            "rejected rows with no unit-day": self.unplaced,
            "unit-days audited": self.unit_days,
            "unit-days compliant": outcomes["compliant"],
            "unit-days with violations": outcomes["violation"],
            "unit-days uncovered": outcomes["uncovered"],
            "unit-days audited with rows rejected": len(self.incomplete),
            "unit-days not audited (--complete-only)": self.skipped,
            "units audited": len({u for u, _ in self.judged}),
        }


def read_row(model: Model, row: Mapping[str, object], modes: Mapping[str, str] | None = None) -> Row | Reason:
    """One row of attendance data read with the runtime's readers; the first reason of
    :data:`~asnrules.runtime.REJECTS` that applies when it cannot be used. Missing optional columns
    (``level``, ``agency``) read as blank."""
    unit, employee = row.get("unit"), row.get("employee")
    if runtime.is_blank(unit) or not isinstance(unit, str):
        return Reason("E314", runtime.REJECTS[1], "the unit is empty", Words("runtime.unit-empty"))
    if runtime.is_blank(employee) or not isinstance(employee, str):
        return Reason("E314", runtime.REJECTS[2], "the employee is empty", Words("runtime.employee-empty"))
    day = runtime.read_date(row.get("date"))
    if isinstance(day, Reason):
        return day
    province = runtime.read_province(row.get("region"), province_keys())
    if isinstance(province, Reason):
        return province
    category = runtime.read_category(row.get("category"), model.category_names)
    if isinstance(category, Reason):
        return category
    mode = runtime.read_mode(row.get("mode"), modes)
    if isinstance(mode, Reason):
        return mode
    level = runtime.read_level(row.get("level"))
    if isinstance(level, Reason):
        return level
    agency = runtime.read_agency(row.get("agency"))
    if isinstance(agency, Reason):  # pragma: no cover - any text is an agency
        return agency
    key, name = agency if agency is not None else (None, None)
    hours = runtime.read_hours(row.get("hours"), "hours")
    if isinstance(hours, Reason):
        return hours
    overtime = runtime.read_hours(row.get("overtime"), "overtime")
    if isinstance(overtime, Reason):
        return overtime
    return Row(unit, employee, day, province, category, mode, level, key, name, hours, overtime)


def named_as_section_7(row: Mapping[str, object], columns: Mapping[str, str] | None = None) -> dict[str, object]:
    """``row`` with its keys the column names of §7: Indonesian names translated
    (:func:`asnrules.runtime.column_of`), ``columns`` (data name → §7 name) applied first."""
    given = {k.strip().casefold(): runtime.column_of(v) for k, v in (columns or {}).items()}
    out: dict[str, object] = {}
    for k, v in row.items():
        out.setdefault(given.get(k.strip().casefold()) or runtime.column_of(k), v)
    return out


def audit_rows(
    model: Model,
    rows: Sequence[Mapping[str, object]],
    columns: Mapping[str, str] | None = None,
    modes: Mapping[str, str] | None = None,
    complete_only: bool = False,
) -> AuditAnswer:
    """The audit of ``rows`` (dicts of raw values by column name), written to be obviously right
    (LANGUAGE.md §7, §13), in four steps:

    1. each row read by :func:`read_row` (its own reasons, :data:`asnrules.runtime.ROW_REASONS`: 1–7
       and 11, bad hours or overtime);
    2. among the rows left, two or more of one employee on one day are all rejected: as duplicates
       when they name one unit, else as an employee in two units (8, 9);
    3. the rows left of each (unit, day) must agree on province, level and agency, else all of them are
       rejected (10: the audit cannot know which is right);
    4. each unit-day left is one situation, decided by :func:`evaluate`; with ``complete_only``, only
       the unit-days that lost no row (none charged to them, and none of their unit without a day).

    Rows read = audited + rejected. Column names as :func:`named_as_section_7` reads them (Indonesian,
    or mapped by ``columns``); ``modes``: the user's spellings of modes, data spelling → mode
    (``{"DL": "WFO"}``: ``--mode DL=WFO``)."""
    spellings = runtime.read_mode_map((modes or {}).items())
    if isinstance(spellings, Reason):
        _raise(spellings)
    rejects: dict[int, str] = {}
    read: list[tuple[int, Row]] = []
    hints: dict[int, tuple[str | None, dt.date | None]] = {}
    for i, raw in enumerate(rows):
        named = named_as_section_7(raw, columns)
        r = read_row(model, named, spellings)
        if isinstance(r, Reason):
            rejects[i] = r.reject
            unit = named.get("unit")
            placed = unit if isinstance(unit, str) and not runtime.is_blank(unit) else None
            hints[i] = (placed, runtime.day_hint(named.get("date")))
        else:
            read.append((i, r))
    by_employee: dict[tuple[str, dt.date], list[tuple[int, Row]]] = {}
    for i, r in read:
        by_employee.setdefault((r.employee, r.day), []).append((i, r))
    groups: dict[tuple[str, dt.date], list[tuple[int, Row]]] = {}
    for members in by_employee.values():
        if len(members) == 1:
            i, r = members[0]
            groups.setdefault((r.unit, r.day), []).append((i, r))
            continue
        reason = runtime.REJECTS[8] if len({r.unit for _, r in members}) == 1 else runtime.REJECTS[9]
        for i, r in members:
            rejects[i] = reason
            hints[i] = (r.unit, r.day)
    judged: dict[tuple[str, dt.date], list[Row]] = {}
    for (unit, day), members in groups.items():
        first = members[0][1]
        if any((r.province, r.level, r.agency) != (first.province, first.level, first.agency) for _, r in members):
            for i, r in members:
                rejects[i] = runtime.REJECTS[10]
                hints[i] = (r.unit, r.day)
            continue
        judged[(unit, day)] = [r for _, r in members]
    charged: dict[tuple[str, dt.date], int] = {}
    undated: dict[str, int] = {}
    unplaced = 0
    for placed, hint in hints.values():
        if placed is None:
            unplaced += 1
        elif hint is None:
            undated[placed] = undated.get(placed, 0) + 1
            unplaced += 1
        else:
            charged[(placed, hint)] = charged.get((placed, hint), 0) + 1
    found: list[tuple[dt.date, str, int, Violation]] = []
    outcomes = dict.fromkeys(runtime.OUTCOMES, 0)
    incomplete: dict[tuple[str, dt.date], int] = {}
    skipped = 0
    done: list[tuple[str, dt.date]] = []
    for (unit, day), kept in judged.items():
        lost = charged.get((unit, day), 0)
        if complete_only and (lost or unit in undated):
            skipped += 1
            continue
        done.append((unit, day))
        if lost:
            incomplete[(unit, day)] = lost
        counts: dict[str, dict[str, int]] = {}
        for row in kept:
            modes_of = counts.setdefault(row.category, {})
            modes_of[row.mode] = modes_of.get(row.mode, 0) + 1
        one = kept[0]
        name = max((row.agency_name for row in kept if row.agency_name), default=None)
        s = Situation(day, one.province, one.level, one.agency, counts, name)
        result = evaluate(model, s)
        outcomes[result.outcome] += 1
        failed = [a.cid for a in result.applied if a.verdict == "fails"]
        found.extend((day, unit, c, v) for c, v in zip(failed, result.violations, strict=True))
    found.sort(key=lambda x: x[:3])
    return AuditAnswer(
        violations=tuple((u, d, v) for d, u, _, v in found),
        rejects=dict(sorted(rejects.items())),
        rows_read=len(rows),
        unit_days=sum(outcomes.values()),
        incomplete=dict(sorted(incomplete.items(), key=lambda x: (x[0][1], x[0][0]))),
        outcomes=outcomes,
        undated=dict(sorted(undated.items())),
        unplaced=unplaced,
        skipped=skipped,
        judged=tuple(sorted(done, key=lambda x: (x[1], x[0]))),
    )
