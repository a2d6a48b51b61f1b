"""What is in force on a day, in a province, for an agency (issue 13; INTERFACES Part II ``in_force``).

``rules.in_force(date, region=None, level=None, agency=None)`` and ``asnrules in-force`` list the
instruments whose rules apply there and then — ``supersedes`` and ``overrides`` (whole and narrower)
resolved by the reference semantics (:func:`asnrules.semantics.applicable_rules`, the same question
every evaluator answers) — each rule with its plain-language sentences (the documents' wording) and
its citation, and the rules that would apply but are switched off, with the instruments that switch
them off. Without a region the answer is the union over the 38 provinces (and the rules for a
situation with no province), each rule with the provinces where it is in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import runtime
from .citing import reason_msg
from .errors import InputError
from .keywords import keyword, written
from .messages import say
from .model import Circular, EmployeeConstraint, Model, Rule
from .prelude import name_key, provinces
from .runtime import Reason
from .semantics import applicable_rules, province_code, switched_off

__all__ = ["InForce", "InstrumentInForce", "RuleInForce", "SwitchedOff", "in_force"]


@dataclass(frozen=True)
class RuleInForce:
    """One rule in force: ``provinces`` where it is (``None``: the one asked, or no province named
    and the rule is nationwide)."""

    rule: Rule
    provinces: tuple[str, ...] | None = None


@dataclass(frozen=True)
class InstrumentInForce:
    circular: Circular
    rules: tuple[RuleInForce, ...]


@dataclass(frozen=True)
class SwitchedOff:
    """A rule that would apply but does not: ``how`` is ``superseded`` or ``overridden``, ``by`` the
    instruments that do it (their names)."""

    rule: Rule
    how: str
    by: tuple[str, ...]


@dataclass(frozen=True)
class InForce:
    """The answer of :meth:`asnrules.RuleSet.in_force`."""

    date: dt.date
    province: str | None
    level: str | None
    agency: str | None
    agency_name: str | None
    instruments: tuple[InstrumentInForce, ...]
    switched_off: tuple[SwitchedOff, ...]
    model: Model

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r.rule for i in self.instruments for r in i.rules)

    def text(self, lang: str = "id") -> str:
        """The answer for a reader, in ``lang`` (``id`` or ``en``)."""
        return in_force_text(self, lang)

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        from .fingerprint import fingerprint
        from .version import __version__
        from .wording import citation, where_text
        from .workdays import CALENDAR_VERSION

        model = self.model

        def rule_json(r: RuleInForce) -> dict[str, Any]:
            return {
                "rule": r.rule.label,
                "citation": citation(r.rule, lang, model=model),
                "source": str(r.rule.source),
                "where": where_text(model, r.rule, lang),
                "provinces": None if r.provinces is None else list(r.provinces),
                "sentences": rule_sentences(model, r.rule, lang),
            }

        return {
            "date": self.date.isoformat(),
            "province": self.province,
            "level": self.level,
            "agency": self.agency_name,
            "lang": lang,
            "instruments": [
                {
                    "name": i.circular.name,
                    "kind": i.circular.kind,
                    "title": i.circular.title,
                    "issued": None if i.circular.issued is None else i.circular.issued.isoformat(),
                    "effective": None if i.circular.effective is None else i.circular.effective.isoformat(),
                    "rules": [rule_json(r) for r in i.rules],
                }
                for i in self.instruments
            ],
            "switched_off": [
                {
                    "circular": s.rule.circular,
                    "rule": s.rule.label,
                    "citation": citation(s.rule, lang, model=model),
                    "how": s.how,
                    "by": list(s.by),
                }
                for s in self.switched_off
            ],
            "fingerprint": fingerprint(model),
            "calendar": CALENDAR_VERSION,
            "asnrules_version": __version__,
        }


def _raise(reason: Reason) -> None:
    raise InputError(reason_msg(reason), code=reason.code)


def in_force(model: Model, date: object, region: object = None, level: object = None, agency: object = None) -> InForce:
    """See the module docstring; raises :class:`InputError` (E310–E312) for an unusable argument."""
    day = runtime.read_date(date)
    if isinstance(day, Reason):
        _raise(day)
    assert not isinstance(day, Reason)
    province = province_code(region) if region is not None else None
    lv = runtime.read_level(level)
    if isinstance(lv, Reason):
        _raise(lv)
    ag = runtime.read_agency(agency)
    if isinstance(ag, Reason):
        _raise(ag)
    assert not isinstance(lv, Reason) and not isinstance(ag, Reason)
    agency_key, agency_name = (None, None) if ag is None else ag
    places: Sequence[str | None] = [province] if region is not None else [None, *(p.code for p in provinces())]
    where: dict[int, list[str]] = {}
    off: dict[int, SwitchedOff] = {}
    for place in places:
        for rule in applicable_rules(model, day, place, lv, agency_key):
            where.setdefault(rule.id, [])
            if place is not None:
                where[rule.id].append(place)
        for s in _switched(model, day, place, lv, agency_key):
            off.setdefault(s.rule.id, s)
    instruments = []
    for circ in model.circulars:
        found = tuple(
            RuleInForce(r, None if region is not None or r.provinces is None else tuple(sorted(where[r.id])))
            for r in circ.rules
            if r.id in where
        )
        if found:
            instruments.append(InstrumentInForce(circ, found))
    order = {r.id: i for i, r in enumerate(model.rules)}
    kept = tuple(s for rid, s in sorted(off.items(), key=lambda x: order.get(x[0], 0)) if rid not in where)
    return InForce(day, province, lv, agency_key, agency_name, tuple(instruments), kept, model)


def _switched(
    model: Model, day: dt.date, province: str | None, level: str | None, agency: str | None
) -> list[SwitchedOff]:
    """The rules that match this day, place and agency but are switched off, with by whom."""
    if not model.switches:
        return []
    circulars_off, rules_off = switched_off(model, day, province, level, agency)
    speaking = {name_key(r.circular) for r in applicable_rules(model, day, province, level, agency)}
    names = {c.key: c.name for c in model.circulars}
    out: list[SwitchedOff] = []
    for r in model.rules:
        if not r.matches(day, province, level, agency):
            continue
        key = name_key(r.circular)
        if key in circulars_off:
            sup = [by for by, since in model.superseded_by.get(key, ()) if since is None or day >= since]
            if sup:
                out.append(SwitchedOff(r, "superseded", tuple(names.get(k, k) for k in sup)))
            else:
                by = [k for k in model.overridden_by.get(key, ()) if k in speaking]
                out.append(SwitchedOff(r, "overridden", tuple(names.get(k, k) for k in by)))
        elif r.id in rules_off:
            sup = [by for by, since in model.rule_superseded_by.get(r.id, ()) if since is None or day >= since]
            if sup:
                out.append(SwitchedOff(r, "superseded", tuple(names.get(k, k) for k in sup)))
            else:
                by = [k for k in model.rule_overridden_by.get(r.id, ()) if k in speaking]
                out.append(SwitchedOff(r, "overridden", tuple(names.get(k, k) for k in by)))
    return out


def employee_text(e: EmployeeConstraint, lang: str = "id") -> str:
    """An employee constraint as a rule file of ``lang`` writes it: ``setiap pegawai dalam admin WFA
    paling banyak 2 hari per minggu`` / ``each employee in admin WFA at most 2 days per week``."""
    parts = [written("each employee", lang)]
    if e.group != "all":
        parts.append(f"{written('within' if lang == 'id' else 'in', lang)} {e.group}")
    if e.measure in ("works", "overtime"):
        parts.append(written(e.measure, lang))
    else:
        parts.append(written("LEAVE", lang).upper() if e.measure == "LEAVE" else e.measure)
    words = {"<=": "<=", ">=": ">=", "=": "="}
    parts.append(written(words[e.comparison], lang) if e.comparison in words else e.comparison)
    amount = format(e.amount.normalize(), "f")
    parts.append(amount.replace(".", ",") if lang == "id" else amount)
    parts.append(written(e.unit, lang) if not (lang == "en" and e.amount == 1) else e.unit[:-1])
    window = {"day": "DAYS", "week": "WEEK", "month": "MONTH", "year": "YEAR"}[e.window]
    parts += [written("per", lang), keyword(window).spellings(lang)[-1 if e.window == "day" else 0]]
    return " ".join(parts)


def rule_sentences(model: Model, rule: Rule, lang: str = "id") -> list[str]:
    """The plain-language sentences of a rule's constraints, as the documents word them."""
    from .wording import constraint_sentence, employee_sentence

    out = [constraint_sentence(model, c, lang) for c in rule.constraints]
    out += [employee_sentence(model, e, lang, working_days=rule.working_days) for e in rule.employee]
    return out


def in_force_text(answer: InForce, lang: str = "id") -> str:
    """``asnrules in-force`` for a reader: the place and day, each instrument in force with its rules
    (sentence and citation), then the rules switched off there and by whom."""
    from .prelude import province_name
    from .wording import citation, date_text, where_text

    model = answer.model
    place = province_name(answer.province) if answer.province else say("inforce.everywhere", lang)
    who = [x for x in (answer.level and say(f"inforce.level-{answer.level}", lang), answer.agency_name) if x]
    lines = [
        say(
            "inforce.heading",
            lang,
            day=date_text(answer.date, lang),
            place=place,
            who=f" ({', '.join(who)})" if who else "",
        )
    ]
    if not answer.instruments:
        lines.append(say("inforce.nothing", lang))
    for i in answer.instruments:
        title = f" — {i.circular.title}" if i.circular.title else ""
        lines.append(f"{i.circular.name}{title}")
        for r in i.rules:
            cited = citation(r.rule, lang, model=model, circular=False, prose=True)
            where = "" if answer.province else f" ({where_text(model, r.rule, lang)})"
            for sentence in rule_sentences(model, r.rule, lang):
                lines.append(f"  - {sentence}{where} [{cited}]")
    if answer.switched_off:
        lines.append(say("inforce.switched-off", lang))
        for s in answer.switched_off:
            by = ", ".join(s.by) or "?"
            lines.append(
                f"  - {citation(s.rule, lang, model=model, prose=True)}: {say(f'inforce.{s.how}', lang, by=by)}"
            )
    return "\n".join(lines)
