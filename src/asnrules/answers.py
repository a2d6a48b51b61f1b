"""The JSON answers of asnrules: one serialiser for the command line's ``--json`` and the web API.

Each function builds the object one command prints with ``--json`` (and one endpoint answers); the
CLI prints it with :func:`dumps`, the web API sends it as it is. Nothing here formats for people.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Diagnostic, SourceError
from .version import __version__

if TYPE_CHECKING:
    from .ruleset import ExampleResult, RuleSet
    from .semantics import Result

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def dumps(data: Any) -> str:
    """``data`` as JSON for printing: like ``json.dumps`` (UTF-8 kept, indented) with the controls that
    JSON leaves raw (DEL, C1, the overrides of text direction) written as ``\\uNNNN`` too: the same data."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def stamped(data: dict[str, Any], rs: RuleSet) -> dict[str, Any]:
    """``data`` with the rule set's ``fingerprint``, the ``calendar`` its working days are decided by
    (LANGUAGE.md §9) and the ``asnrules_version`` (where it has none)."""
    from .workdays import CALENDAR_VERSION

    data.setdefault("fingerprint", rs.fingerprint)
    data.setdefault("calendar", CALENDAR_VERSION)
    data.setdefault("asnrules_version", __version__)
    return data


def evaluation_answer(result: Result, rs: RuleSet) -> dict[str, Any]:
    """``asnrules eval --json``, ``POST /v1/evaluate`` and each answer of ``/v1/evaluate/batch``: the
    verdict of one situation, stamped with the rule set it was judged by."""
    return stamped(result.to_json(), rs)


def sorted_diagnostics(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in the order every answer lists them: file, line, column, code."""
    return sorted(diags, key=lambda d: (d.path, d.line, d.column, d.code))


def lint_answer(
    files: Sequence[Path | str], diags: Sequence[Diagnostic], unreadable: Sequence[SourceError] = ()
) -> dict[str, Any]:
    """``asnrules lint --json`` and ``POST /v1/lint``: the files, every diagnostic, the counts."""
    ordered = sorted_diagnostics(diags)
    return {
        "files": [str(f) for f in files],
        "diagnostics": [d.to_json() for d in ordered],
        "errors": sum(d.severity == "error" for d in ordered),
        "warnings": sum(d.severity == "warning" for d in ordered),
        "unreadable": [{"path": e.path, "code": e.code, "message": e.message} for e in unreadable],
    }


def rules_error_answer(diags: Sequence[Diagnostic]) -> dict[str, Any]:
    """What a command prints with ``--json`` when the rule files do not load."""
    return {"diagnostics": [d.to_json() for d in diags]}


def test_answer(results: Sequence[ExampleResult]) -> dict[str, Any]:
    """``asnrules test --json``: every example and its result."""
    failed = sum(not r.passed for r in results)
    return {
        "passed": len(results) - failed,
        "failed": failed,
        "examples": [
            {
                "source": str(r.example.source),
                "label": r.example.label,
                "expected": r.example.outcome,
                "actual": r.result.outcome,
                "passed": r.passed,
                "judged_against": list(r.scope),
                "violations": [v.to_json() for v in r.result.violations],
            }
            for r in results
        ],
    }


def circulars_answer(rs: RuleSet) -> dict[str, Any]:
    """``GET /v1/circulars``: the instruments of the loaded rule set, in the order of their files."""
    items: list[dict[str, Any]] = []
    for c in rs.circulars:
        if c.implicit:
            continue
        items.append(
            {
                "name": c.name,
                "title": c.title,
                "kind": c.kind,
                "issued_by": c.issued_by,
                "issued": c.issued.isoformat() if c.issued else None,
                "issued_confirmed": c.issued_confirmed,
                "effective": c.effective.isoformat() if c.effective else None,
                "effective_confirmed": c.effective_confirmed,
                "source_url": c.source_url,
                "overrides": list(c.overrides),
                "supersedes": list(c.supersedes),
                "amends": list(c.amends),
                "overrides_rules": {name: list(labels) for name, labels in c.overrides_rules},
                "supersedes_rules": {name: list(labels) for name, labels in c.supersedes_rules},
                "path": c.path,
                "rules": len(c.rules),
                "examples": len(c.examples) + len(c.employee_examples),
            }
        )
    return stamped({"circulars": items, "sources": dict(rs.sources)}, rs)


def error_answer(code: str, message: str) -> dict[str, Any]:
    """The body of every refused request of the web API (and of no command: they print one line)."""
    return {"error": {"code": code, "message": message}}
