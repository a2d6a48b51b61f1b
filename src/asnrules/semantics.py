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
from typing import Any, Literal, NamedTuple, NoReturn

from . import runtime
from .errors import InputError
from .model import MODES, Constraint, Model, Rule
from .prelude import name_key, province_keys, province_name, province_suggestions
from .runtime import Applied, Reason, Situation, Violation

__all__ = [
    "Applied",
    "AuditAnswer",
    "Result",
    "Row",
    "Situation",
    "Violation",
    "applicable",
    "audit_rows",
    "circulars_off",
    "evaluate",
    "named_as_section_7",
    "province_name",
    "read_row",
    "situation",
    "tallies",
]

Outcome = Literal["compliant", "violation", "uncovered"]
COUNTED_MODES = frozenset(MODES)
COUNT_MODES = frozenset({*MODES, "LEAVE"})
_NOTHING: frozenset[str] = frozenset()


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
            "asnrules_version": __version__,
        }


def _raise(reason: Reason) -> NoReturn:
    raise InputError(reason.message, code=reason.code)


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
        _raise(Reason("E313", "", "counts must map categories to {mode: number}"))
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
            _raise(Reason("E313", "", f"the counts of '{cat}' must map modes to numbers, e.g. {{'WFH': 6}}"))
        tally = normal.setdefault(canonical, {}) if modes else {}
        for mode, k in modes.items():
            m = mode if mode in COUNT_MODES and type(mode) is str else runtime.read_mode(mode)
            if isinstance(m, Reason):
                _raise(m)
            if type(k) is not int or k < 0:
                count = runtime.read_count(k, f"{cat} {m}")
                if isinstance(count, Reason):
                    _raise(count)
                k = count
            tally[m] = tally.get(m, 0) + k
    return Situation(day, province, lv, None if ag is None else ag[0], normal, None if ag is None else ag[1])


def circulars_off(
    model: Model,
    day: dt.date,
    province: str | None,
    level: str | None,
    agency: str | None,
    rules: Sequence[Rule] | None = None,
) -> frozenset[str]:
    """Keys of the circulars switched off for this day, place and agency (``supersedes``, then
    ``overrides`` with every overrider decided before what it overrides). ``rules`` may narrow the
    rules looked at to those that can match this day and province (an index does that)."""
    if not model.superseded_by and not model.overridden_by:
        return _NOTHING
    off: set[str] = set()
    for key, by in model.superseded_by.items():
        if any(since is None or day >= since for _, since in by):
            off.add(key)
    if model.overridden_by:
        speaking = {
            name_key(r.circular)
            for r in (model.rules if rules is None else rules)
            if r.matches(day, province, level, agency)
        }
        for key in model.override_order:
            if key not in off and any(y not in off and y in speaking for y in model.overridden_by.get(key, ())):
                off.add(key)
    return frozenset(off)


def applicable(
    model: Model,
    day: dt.date,
    province: str | None,
    level: str | None,
    agency: str | None,
    rules: Sequence[Rule] | None = None,
) -> list[Constraint]:
    """Every constraint that applies to this day, place and agency, in source order. ``rules``: as
    for :func:`circulars_off`."""
    off = circulars_off(model, day, province, level, agency, rules)
    return [
        c
        for rule in (model.rules if rules is None else rules)
        if rule.matches(day, province, level, agency) and not (off and name_key(rule.circular) in off)
        for c in rule.constraints
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
    key and name (``None`` when blank)."""

    unit: str
    employee: str
    day: dt.date
    province: str
    category: str
    mode: str
    level: str | None
    agency: str | None
    agency_name: str | None


class AuditAnswer(NamedTuple):
    """What an audit of rows finds: ``violations`` (one per failed constraint per unit-day, as
    ``(unit, day, Violation)``, sorted by day, unit, constraint), ``rejects`` (row index → reason
    text of :data:`asnrules.runtime.REJECTS`), ``rows_read`` and ``unit_days`` (usable unit-days
    judged)."""

    violations: tuple[tuple[str, dt.date, Violation], ...]
    rejects: dict[int, str]
    rows_read: int
    unit_days: int

    @property
    def rows_audited(self) -> int:
        return self.rows_read - len(self.rejects)


def read_row(model: Model, row: Mapping[str, object]) -> Row | Reason:
    """One row of attendance data read with the runtime's readers; the first reason of
    :data:`~asnrules.runtime.REJECTS` that applies when it cannot be used. Missing optional columns
    (``level``, ``agency``) read as blank."""
    unit, employee = row.get("unit"), row.get("employee")
    if runtime.is_blank(unit) or not isinstance(unit, str):
        return Reason("E314", runtime.REJECTS[1], "the unit is empty")
    if runtime.is_blank(employee) or not isinstance(employee, str):
        return Reason("E314", runtime.REJECTS[2], "the employee is empty")
    day = runtime.read_date(row.get("date"))
    if isinstance(day, Reason):
        return day
    province = runtime.read_province(row.get("region"), province_keys())
    if isinstance(province, Reason):
        return province
    category = runtime.read_category(row.get("category"), model.category_names)
    if isinstance(category, Reason):
        return category
    mode = runtime.read_mode(row.get("mode"))
    if isinstance(mode, Reason):
        return mode
    level = runtime.read_level(row.get("level"))
    if isinstance(level, Reason):
        return level
    agency = runtime.read_agency(row.get("agency"))
    if isinstance(agency, Reason):  # pragma: no cover - any text is an agency
        return agency
    key, name = agency if agency is not None else (None, None)
    return Row(unit, employee, day, province, category, mode, level, key, name)


def named_as_section_7(row: Mapping[str, object], columns: Mapping[str, str] | None = None) -> dict[str, object]:
    """``row`` with its keys the column names of §7: Indonesian names translated
    (:func:`asnrules.runtime.column_of`), ``columns`` (data name → §7 name) applied first."""
    given = {k.strip().casefold(): runtime.column_of(v) for k, v in (columns or {}).items()}
    out: dict[str, object] = {}
    for k, v in row.items():
        out.setdefault(given.get(k.strip().casefold()) or runtime.column_of(k), v)
    return out


def audit_rows(
    model: Model, rows: Sequence[Mapping[str, object]], columns: Mapping[str, str] | None = None
) -> AuditAnswer:
    """The audit of ``rows`` (dicts of raw values by column name), written to be obviously right: each
    row read by :func:`read_row`; the usable rows of each (unit, day) must agree on province, level
    and agency (else all of them are rejected with reason 8: the audit cannot know which is right);
    each unit-day is then one situation, decided by :func:`evaluate`. Rows read = audited + rejected.
    Column names as :func:`named_as_section_7` reads them (Indonesian, or mapped by ``columns``)."""
    rejects: dict[int, str] = {}
    groups: dict[tuple[str, dt.date], list[tuple[int, Row]]] = {}
    for i, raw in enumerate(rows):
        r = read_row(model, named_as_section_7(raw, columns))
        if isinstance(r, Reason):
            rejects[i] = r.reject
        else:
            groups.setdefault((r.unit, r.day), []).append((i, r))
    found: list[tuple[dt.date, str, int, Violation]] = []
    judged = 0
    for (unit, day), members in groups.items():
        first = members[0][1]
        if any((r.province, r.level, r.agency) != (first.province, first.level, first.agency) for _, r in members):
            for i, _ in members:
                rejects[i] = runtime.REJECTS[8]
            continue
        counts: dict[str, dict[str, int]] = {}
        for _, r in members:
            modes = counts.setdefault(r.category, {})
            modes[r.mode] = modes.get(r.mode, 0) + 1
        name = max((r.agency_name for _, r in members if r.agency_name), default=None)
        s = Situation(day, first.province, first.level, first.agency, counts, name)
        judged += 1
        result = evaluate(model, s)
        failed = [a.cid for a in result.applied if a.verdict == "fails"]
        found.extend((day, unit, c, v) for c, v in zip(failed, result.violations, strict=True))
    found.sort(key=lambda x: x[:3])
    return AuditAnswer(tuple((u, d, v) for d, u, _, v in found), dict(sorted(rejects.items())), len(rows), judged)
