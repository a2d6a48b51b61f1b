"""The fingerprint of a rule set: ``sha256:<hex>`` of what the rules mean, and nothing else.

Two rule sets have one fingerprint when they say the same thing, however they were given: by a
relative or an absolute path, from another directory or another copy, in another file order, with
other comments or another layout (``asnrules fmt`` keeps it). So it covers no file path, no line or
column, and no citation of the form ``file:line`` (an unlabelled rule is known by its ordinal within
its instrument instead). It covers:

- each instrument (sorted by name): its kind (circular, regulation, instruction, decree), name,
  title, issued date and issuer, effective date, whether those dates are confirmed, basis, source
  url, what it supersedes, overrides and amends, the rules it supersedes or overrides one by one
  (``supersedes rule L of N``: N with its labels), whether it is implicit (rules outside any
  ``circular`` header, named after their file), its notes and quotes (each marked as which), its
  rules and its examples;
- each rule: its label (else its ordinal), periods (a window counted from a holiday by the dates it
  resolved to), whether it applies on working days only, such a window as written (first or last,
  how many working days, the holiday as the calendar names it — ``"Lebaran"`` and ``"Idul Fitri"``
  are one holiday — and the year), provinces, the regions and agency names
  as written (the documents word them), levels, agency keys, and its constraints (group, mode,
  comparison, bound; bounds by value: ``50%`` and ``50,0%`` are one bound; a permission as ``may``);
- the set's calendar declarations (LANGUAGE.md §9): each ``holiday`` (date, name, provinces) and
  each ``working day`` (date, name), sorted;
- each example (they decide nothing, but the documents show them and ``asnrules test`` judges them):
  label, date, province, level, agency, counts, expected outcome;
- the categories (labels, members) with every name accepted for them, and the groups of provinces.

Sets (provinces, levels, agencies, members, supersedes, overrides, amends, labels, declarations)
are sorted; sequences (rules, constraints, periods, notes, examples, basis) keep their order. The
province table and the spellings asnrules reads belong to asnrules itself, and the national holidays
and cuti bersama to the ``holidays`` package: results carry ``asnrules_version`` and the calendar's
version (:func:`calendar_version`) beside the fingerprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from .model import Circular, EmployeeExample, Example, Model, Rule
from .prelude import name_key
from .workdays import CALENDAR_VERSION

__all__ = ["FINGERPRINT_FORMAT", "calendar_version", "fingerprint"]

#: Raised whenever what the fingerprint covers changes, so that old and new prints never collide.
#: 2: working days, windows counted from a holiday, calendar declarations, narrower supersedes and
#: overrides, amends, kinds of instrument, unconfirmed dates, quotes (LANGUAGE.md Part II).
FINGERPRINT_FORMAT = 2


def fingerprint(model: Model) -> str:
    """``sha256:<hex>`` of the meaning of ``model`` (see the module's docstring); remembered on it."""
    found: str | None = model.__dict__.get("_fingerprint")
    if found is None:
        text = json.dumps(meaning(model), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        found = "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        object.__setattr__(model, "_fingerprint", found)  # a cache: the model is immutable
    return found


def calendar_version() -> str:
    """The version of the holidays calendar that working days are decided by
    (:data:`asnrules.workdays.CALENDAR_VERSION`, e.g. ``"holidays 0.109"``): results carry it beside
    the fingerprint, which covers the set's own declarations but not the package's holidays."""
    return CALENDAR_VERSION


def meaning(model: Model) -> dict[str, Any]:
    """The plain, JSON-ready value the fingerprint hashes (no paths, no positions)."""
    circulars = sorted(model.circulars, key=lambda c: (c.key, c.name))
    return {
        "format": FINGERPRINT_FORMAT,
        "circulars": [_circular(c) for c in circulars],
        "categories": {
            name: {"label_id": cat.label_id, "label_en": cat.label_en, "members": sorted(cat.members)}
            for name, cat in model.categories.items()
        },
        "category_names": dict(model.category_names),
        "regions": {
            key: {"name": g.name, "label": g.label, "provinces": sorted(g.provinces)}
            for key, g in model.regions.items()
        },
        "calendar": _calendar(model),
    }


def _calendar(model: Model) -> dict[str, Any]:
    """The set's own ``holiday`` and ``working day`` declarations (the national calendar is the
    package's: :func:`calendar_version`)."""
    calendar = model.calendar
    holidays = [] if calendar is None else calendar.declared_holidays
    working = [] if calendar is None else calendar.working_days
    return {
        "holidays": sorted(
            ([_day(h.day), h.name, None if h.provinces is None else sorted(h.provinces)] for h in holidays),
            key=lambda h: (h[0], h[1], h[2] is not None, h[2] or []),
        ),
        "working_days": sorted([_day(w.day), w.name] for w in working),
    }


def _narrower(relations: tuple[tuple[str, tuple[str, ...]], ...]) -> list[list[Any]]:
    """``supersedes rule L of N`` / ``overrides rule L of N``: per instrument N (by key), the labels,
    sorted, however the lines grouped them."""
    by_target: dict[str, tuple[str, set[str]]] = {}
    for target, labels in relations:
        by_target.setdefault(name_key(target), (target, set()))[1].update(labels)
    return [[written, sorted(labels)] for _key, (written, labels) in sorted(by_target.items())]


def _circular(c: Circular) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "name": c.name,
        "title": c.title,
        "issued": _day(c.issued),
        "issued_confirmed": c.issued_confirmed,
        "issued_by": c.issued_by,
        "effective": _day(c.effective),
        "effective_confirmed": c.effective_confirmed,
        "basis": list(c.basis),
        "source": c.source_url,
        "supersedes": sorted(c.supersedes, key=name_key),
        "overrides": sorted(c.overrides, key=name_key),
        "amends": sorted(c.amends, key=name_key),
        "supersedes_rules": _narrower(c.supersedes_rules),
        "overrides_rules": _narrower(c.overrides_rules),
        "implicit": c.implicit,
        "notes": [[n.text, "quote" if n.verbatim else "note"] for n in c.notes],
        "rules": [_rule(r, i) for i, r in enumerate(c.rules, 1)],
        "examples": [_example(e) for e in c.examples],
        # employee examples (LANGUAGE.md §12), only where there are some: older fingerprints stay
        **({"employee_examples": [_employee_example(e) for e in c.employee_examples]} if c.employee_examples else {}),
    }


def _rule(r: Rule, ordinal: int) -> dict[str, Any]:
    return {
        "label": r.label,
        "ordinal": None if r.label else ordinal,
        "periods": [[_day(p.start), _day(p.end)] for p in r.periods],
        "working_days": r.working_days,
        "relative": None
        if r.relative is None
        else [r.relative.order, r.relative.count, r.relative.name_id, r.relative.year],
        "provinces": None if r.provinces is None else sorted(r.provinces),
        "regions": list(r.regions),
        "levels": sorted(r.audience.levels),
        "agencies": sorted(r.audience.agencies),
        "agency_names": list(r.audience.agency_names),
        # a permission (LANGUAGE.md §10) is the share >= 0% marked "may": the mark is part of what it says
        "constraints": [
            [c.group, c.mode, "may"] if c.permission else [c.group, c.mode, c.comparison, _number(c.bound)]
            for c in r.constraints
        ],
        # employee constraints (LANGUAGE.md §12), only where there are some: older fingerprints stay
        **(
            {"employee": [[e.group, e.measure, e.comparison, _number(e.amount), e.window] for e in r.employee]}
            if r.employee
            else {}
        ),
    }


def _employee_example(e: EmployeeExample) -> dict[str, Any]:
    return {
        "label": e.label,
        "start": _day(e.start),
        "category": e.category,
        "province": e.province,
        "region": e.region_text,
        "level": e.level,
        "agency": e.agency,
        "agency_name": e.agency_name,
        "days": [
            None
            if d is None
            else [
                d.mode,
                None if d.hours is None else _number(d.hours),
                None if d.overtime is None else _number(d.overtime),
            ]
            for d in e.days
        ],
        "outcome": e.outcome,
    }


def _example(e: Example) -> dict[str, Any]:
    return {
        "label": e.label,
        "date": _day(e.date),
        "province": e.province,
        "region": e.region_text,
        "level": e.level,
        "agency": e.agency,
        "agency_name": e.agency_name,
        "counts": [[cat, mode, k] for cat, mode, k in e.counts],
        "outcome": e.outcome,
    }


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _number(value: Decimal) -> str:
    """A bound by its value: ``50``, ``50.0`` and ``50.00`` are all ``50``; ``33.50`` is ``33.5``."""
    return format(value.normalize(), "f")
