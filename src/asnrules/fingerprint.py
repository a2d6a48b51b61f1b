"""The fingerprint of a rule set: ``sha256:<hex>`` of what the rules mean, and nothing else.

Two rule sets have one fingerprint when they say the same thing, however they were given: by a
relative or an absolute path, from another directory or another copy, in another file order, with
other comments or another layout (``asnrules fmt`` keeps it). So it covers no file path, no line or
column, and no citation of the form ``file:line`` (an unlabelled rule is known by its ordinal within
its instrument instead). It covers:

- each instrument (sorted by name): name, title, issued date and issuer, effective date, basis,
  source url, what it supersedes and overrides, whether it is implicit (rules outside any
  ``circular`` header, named after their file), its notes, its rules and its examples;
- each rule: its label (else its ordinal), periods, provinces, the regions and agency names as
  written (the documents word them), levels, agency keys, and its constraints (group, mode,
  comparison, bound; bounds by value: ``50%`` and ``50,0%`` are one bound; a permission as ``may``);
- each example (they decide nothing, but the documents show them and ``asnrules test`` judges them):
  label, date, province, level, agency, counts, expected outcome;
- the categories (labels, members) with every name accepted for them, and the groups of provinces.

Sets (provinces, levels, agencies, members, supersedes, overrides) are sorted; sequences (rules,
constraints, periods, notes, examples, basis) keep their order. The province table and the spellings
asnrules reads belong to asnrules itself: results carry ``asnrules_version`` beside the fingerprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from .model import Circular, Example, Model, Rule
from .prelude import name_key

__all__ = ["FINGERPRINT_FORMAT", "calendar_version", "fingerprint"]

#: Raised whenever what the fingerprint covers changes, so that old and new prints never collide.
FINGERPRINT_FORMAT = 1


def fingerprint(model: Model) -> str:
    """``sha256:<hex>`` of the meaning of ``model`` (see the module's docstring); remembered on it."""
    found: str | None = model.__dict__.get("_fingerprint")
    if found is None:
        text = json.dumps(meaning(model), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        found = "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        object.__setattr__(model, "_fingerprint", found)  # a cache: the model is immutable
    return found


def calendar_version() -> str | None:
    """The version of the holidays calendar results depend on; ``None`` while asnrules uses none."""
    return None


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
    }


def _circular(c: Circular) -> dict[str, Any]:
    return {
        "name": c.name,
        "title": c.title,
        "issued": _day(c.issued),
        "issued_by": c.issued_by,
        "effective": _day(c.effective),
        "basis": list(c.basis),
        "source": c.source_url,
        "supersedes": sorted(c.supersedes, key=name_key),
        "overrides": sorted(c.overrides, key=name_key),
        "implicit": c.implicit,
        "notes": [n.text for n in c.notes],
        "rules": [_rule(r, i) for i, r in enumerate(c.rules, 1)],
        "examples": [_example(e) for e in c.examples],
    }


def _rule(r: Rule, ordinal: int) -> dict[str, Any]:
    return {
        "label": r.label,
        "ordinal": None if r.label else ordinal,
        "periods": [[_day(p.start), _day(p.end)] for p in r.periods],
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
