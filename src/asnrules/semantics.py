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
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, NamedTuple

from .errors import InputError, Source
from .model import MODES, Constraint, Model, Rule, agency_key
from .prelude import name_key, province_by_code, province_index
from .resolve import parse_date, suggest

__all__ = ["Applied", "Result", "Situation", "Violation", "applicable", "circulars_off", "evaluate", "situation"]

Outcome = Literal["compliant", "violation", "uncovered"]
COUNTED_MODES = frozenset(MODES)
COUNT_MODES = frozenset({*MODES, "LEAVE"})
_NOTHING: frozenset[str] = frozenset()


# Situation, Applied and Violation are immutable records made once or more per decision: named
# tuples, which are several times cheaper to build than frozen dataclasses.


class Situation(NamedTuple):
    """One work unit on one day: ``province`` is a Kemendagri code, ``agency`` an agency key, and
    ``counts`` maps canonical categories to modes (``WFO``, ``WFH``, ``WFA``, ``LEAVE``) to staff."""

    date: dt.date
    province: str | None
    level: str | None
    agency: str | None
    counts: Mapping[str, Mapping[str, int]]
    agency_name: str | None = None


class Applied(NamedTuple):
    """An applicable constraint with its verdict here: ``holds``, ``fails`` or ``vacuous`` (n = 0)."""

    constraint: Constraint
    n: int
    k: int
    verdict: Literal["holds", "fails", "vacuous"]

    @property
    def share(self) -> Fraction | None:
        return Fraction(100 * self.k, self.n) if self.n else None

    def __getattr__(self, name: str) -> Any:
        # circular, rule, group, mode, comparison, bound, source: those of the constraint
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.constraint, name)


class Violation(NamedTuple):
    """A failed constraint: ``bound`` and ``share`` are percentages (exact)."""

    circular: str
    rule: str
    group: str
    mode: str
    comparison: str
    bound: Decimal
    share: Fraction
    source: Source
    n: int
    k: int

    @classmethod
    def of(cls, c: Constraint, n: int, k: int) -> Violation:
        """The violation of ``c`` by ``k`` of ``n`` staff."""
        return cls(c.circular, c.rule, c.group, c.mode, c.comparison, c.bound, Fraction(100 * k, n), c.source, n, k)

    def to_json(self) -> dict[str, Any]:
        return {
            "circular": self.circular,
            "rule": self.rule,
            "group": self.group,
            "mode": self.mode,
            "comparison": self.comparison,
            "bound": str(self.bound),
            "share": str(self.share),
            "source": str(self.source),
            "n": self.n,
            "k": self.k,
        }


@dataclass(frozen=True)
class Result:
    """What :meth:`asnrules.RuleSet.evaluate` returns."""

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
        s = self.situation
        return {
            "outcome": self.outcome,
            "violations": [v.to_json() for v in self.violations],
            "applied": [
                {
                    "circular": a.constraint.circular,
                    "rule": a.constraint.rule,
                    "group": a.constraint.group,
                    "mode": a.constraint.mode,
                    "comparison": a.constraint.comparison,
                    "bound": str(a.constraint.bound),
                    "share": None if a.share is None else str(a.share),
                    "n": a.n,
                    "k": a.k,
                    "verdict": a.verdict,
                    "source": str(a.constraint.source),
                }
                for a in self.applied
            ],
            "situation": {
                "date": s.date.isoformat(),
                "province": s.province,
                "level": s.level,
                "agency": s.agency_name,
                "counts": {c: dict(m) for c, m in s.counts.items()},
            },
        }


def _date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise InputError(
            f"a date must be a datetime.date or a text YYYY-MM-DD, not {type(value).__name__}", code="E310"
        )
    day, why = parse_date(value.strip())
    if day is None:
        raise InputError(why or "bad date", code="E310")
    return day


def province_code(region: str) -> str:
    """The Kemendagri code of a province given by any accepted name, code or alias."""
    if not isinstance(region, str):
        raise InputError(f"a region must be a text, not {type(region).__name__}", code="E311")
    p = province_index().get(name_key(region))
    if p is None:
        close = suggest(region, [n for q in province_index().values() for n in q.names if not n.isdigit()])
        hint = f"; did you mean {' or '.join(repr(x) for x in close)}?" if close else ""
        raise InputError(f"unknown province '{region}'{hint}", code="E311")
    return p.code


def situation(
    model: Model,
    date: dt.date | str,
    region: str | None,
    counts: Mapping[str, Mapping[str, int]],
    level: str | None = None,
    agency: str | None = None,
) -> Situation:
    """Check and normalise the arguments of ``evaluate``; raises :class:`InputError`."""
    day = _date(date)
    province = province_code(region) if region is not None else None
    if level is not None:
        if not isinstance(level, str) or level.strip().casefold() not in {"central", "regional", "pusat", "daerah"}:
            raise InputError(f"level must be 'central' or 'regional', not {level!r}", code="E312")
        level = {"pusat": "central", "daerah": "regional"}.get(level.strip().casefold(), level.strip().casefold())
    if agency is not None and not isinstance(agency, str):
        raise InputError("agency must be a text", code="E312")
    if not isinstance(counts, Mapping):
        raise InputError("counts must map categories to {mode: number}", code="E313")
    normal: dict[str, dict[str, int]] = {}
    for cat, modes in counts.items():
        canonical = model.category_of(cat) if isinstance(cat, str) else None
        if canonical is None:
            close = suggest(str(cat), model.categories)
            hint = f"; did you mean {' or '.join(repr(x) for x in close)}?" if close else ""
            raise InputError(f"unknown category '{cat}'{hint}", code="E313")
        if not isinstance(modes, Mapping):
            raise InputError(f"the counts of '{cat}' must map modes to numbers, e.g. {{'WFH': 6}}", code="E313")
        tally = normal.setdefault(canonical, {}) if modes else {}
        for mode, k in modes.items():
            m = mode if mode in COUNT_MODES else _mode(mode)
            if (type(k) is not int and (isinstance(k, bool) or not isinstance(k, int))) or k < 0:
                raise InputError(f"staff counts are whole numbers from 0 up; {cat} {m} is {k!r}", code="E313")
            tally[m] = tally.get(m, 0) + k
    key = agency_key(agency) if agency else None
    return Situation(day, province, level, key, normal, agency)


def _mode(mode: object) -> str:
    m = mode.strip().upper() if isinstance(mode, str) else mode
    if m == "CUTI":
        return "LEAVE"
    if not isinstance(m, str) or m not in COUNT_MODES:
        raise InputError(f"unknown work mode {mode!r}: use WFO, WFH, WFA or LEAVE", code="E313")
    return m


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


def evaluate(model: Model, s: Situation) -> Result:
    applied: list[Applied] = []
    for c in applicable(model, s.date, s.province, s.level, s.agency):
        under = model.under[c.group]
        n = k = 0
        for cat, modes in s.counts.items():
            if cat in under:
                for mode, count in modes.items():
                    if mode in COUNTED_MODES:
                        n += count
                        if mode == c.mode:
                            k += count
        verdict: Literal["holds", "fails", "vacuous"] = "vacuous" if n == 0 else "holds" if c.holds(k, n) else "fails"
        applied.append(Applied(c, n, k, verdict))
    violations = tuple(Violation.of(a.constraint, a.n, a.k) for a in applied if a.verdict == "fails")
    outcome: Outcome
    if violations:
        outcome = "violation"
    elif any(a.verdict == "holds" for a in applied):
        outcome = "compliant"
    else:
        outcome = "uncovered"
    return Result(outcome, violations, tuple(applied), s, model)


def province_name(code: str | None) -> str:
    if code is None:
        return "?"
    return province_by_code()[code].name
