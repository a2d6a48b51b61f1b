"""What an audit found (:class:`AuditReport`), and the queries that count it: the accounting of
the rows read, audited and rejected per reason (:func:`stats_sql`), and the summaries of the violations
(:func:`summary_sql`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .citing import Number
from .compile_sql import REASONS, SUMMARY_ITEMS, WINDOW_OUTPUT
from .messages import say
from .outputs import printable
from .prelude import province_by_code
from .workdays import CALENDAR_VERSION

__all__ = [
    "OUTPUT_COLUMNS",
    "WINDOW_SUMMARY",
    "AuditReport",
    "fill_report",
    "summarize",
    "summarize_windows",
    "summary_sql",
    "window_select",
]


@dataclass
class AuditReport:
    """What an audit found. ``rows_read == rows_audited + rows_rejected`` always holds."""

    engine: str
    data: str
    #: The rule set's fingerprint (:attr:`asnrules.RuleSet.fingerprint`) and the asnrules version.
    fingerprint: str = ""
    asnrules_version: str = ""
    rows_read: int = 0
    rows_audited: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    unit_days: int = 0
    units: int = 0
    violation_count: int = 0
    violating_unit_days: int = 0
    #: The unit-days audited by outcome (LANGUAGE.md §5): compliant + violating + uncovered = unit_days.
    compliant_unit_days: int = 0
    uncovered_unit_days: int = 0
    #: Unit-days audited although rows of theirs were rejected (LANGUAGE.md §13; flagged in the
    #: violations' ``rows_rejected``), unit-days left unaudited by ``complete_only``, and rejected
    #: rows charged to no unit-day (a blank unit, or no day to read).
    incomplete_unit_days: int = 0
    skipped_unit_days: int = 0
    unplaced_rejects: int = 0
    complete_only: bool = False
    by_circular: dict[str, int] = field(default_factory=dict)
    by_province: dict[str, int] = field(default_factory=dict)
    out: str | None = None
    rejects: str | None = None
    seconds: float = 0.0
    violations: list[dict[str, Any]] | None = None
    truncated: bool = False
    #: The employee-window violations (LANGUAGE.md §12): their number (``None``: the rule set has no
    #: employee rule, or they were not asked for), by circular and rule label, and where they were written.
    window_violations: int | None = None
    window_violations_by_rule: dict[str, dict[str, int]] = field(default_factory=dict)
    windows: str | None = None
    #: Seconds per step (DuckDB: setup, values, pass, violations, output, rejects); not in :meth:`to_json`.
    timings: dict[str, float] = field(default_factory=dict)
    #: The language of :meth:`summary_text` and of the progress bars (``en`` or ``id``); not in :meth:`to_json`.
    lang: str = "en"

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected_by_reason.values())

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "engine": self.engine,
            "data": self.data,
            "rows_read": self.rows_read,
            "rows_audited": self.rows_audited,
            "rows_rejected": self.rows_rejected,
            "rejected_by_reason": dict(self.rejected_by_reason),
            "unit_days": self.unit_days,
            "units": self.units,
            "violations": self.violation_count,
            "violating_unit_days": self.violating_unit_days,
            "compliant_unit_days": self.compliant_unit_days,
            "uncovered_unit_days": self.uncovered_unit_days,
            "incomplete_unit_days": self.incomplete_unit_days,
            "skipped_unit_days": self.skipped_unit_days,
            "unplaced_rejects": self.unplaced_rejects,
            "complete_only": self.complete_only,
            "by_circular": dict(self.by_circular),
            "by_province": dict(self.by_province),
            "out": self.out,
            "rejects": self.rejects,
            "window_violations": self.window_violations,
            "window_violations_by_rule": {c: dict(r) for c, r in self.window_violations_by_rule.items()},
            "windows": self.windows,
            "seconds": round(self.seconds, 3),
            "fingerprint": self.fingerprint,
            "calendar": CALENDAR_VERSION,
            "asnrules_version": self.asnrules_version,
        }
        return out

    def summary_text(self, lang: str | None = None) -> str:
        """The summary ``asnrules audit`` prints, in ``lang`` (``id`` or ``en``; default
        :attr:`lang`). The reasons of the rejected rows are worded for a reader; the data keeps them
        as :data:`asnrules.runtime.REJECTS` writes them."""
        lang = lang or self.lang

        def say_(id: str, **args: object) -> str:
            return say("audit.summary." + id, lang, **args)

        def num(n: int, width: int = 0) -> str:
            return Number(n).text(lang).rjust(width)

        top = {k: say_(k) for k in ("rows-read", "rows-audited", "rows-rejected", "unit-days", "units", "violations")}
        sub = {k: say_(k) for k in ("compliant", "violating", "uncovered")}
        if self.window_violations is not None:
            top["window-violations"] = say_("window-violations")
        width = max(max(len(t) for t in top.values()), max(len(t) + 2 for t in sub.values())) + 2

        def row(label: str, n: int, indent: bool = False) -> str:
            return ("  " + label).ljust(width) + num(n, 12) if indent else label.ljust(width) + num(n, 12)

        lines = [
            row(top["rows-read"], self.rows_read),
            row(top["rows-audited"], self.rows_audited),
            row(top["rows-rejected"], self.rows_rejected),
        ]
        for reason, n in sorted(self.rejected_by_reason.items(), key=lambda kv: -kv[1]):
            if n:
                lines.append(f"  {_reason_text(reason, lang)}: {num(n)}")
        if self.unplaced_rejects:
            lines.append("  " + say_("unplaced", n=num(self.unplaced_rejects)))
        lines += [
            row(top["unit-days"], self.unit_days),
            row(sub["compliant"], self.compliant_unit_days, True),
            row(sub["violating"], self.violating_unit_days, True),
            row(sub["uncovered"], self.uncovered_unit_days, True) + " " + say_("uncovered-note"),
        ]
        if self.incomplete_unit_days:
            lines.append("  " + say_("incomplete", n=num(self.incomplete_unit_days)))
        if self.skipped_unit_days:
            lines.append("  " + say_("skipped", n=num(self.skipped_unit_days)))
        lines += [
            row(top["units"], self.units),
            row(top["violations"], self.violation_count)
            + " "
            + say_(
                "violations-note-one" if self.violating_unit_days == 1 else "violations-note",
                n=num(self.violating_unit_days),
            ),
        ]
        if self.by_circular:
            lines.append(say_("by-circular"))
            lines += [f"  {printable(name)}: {num(n)}" for name, n in self.by_circular.items()]
        if self.by_province:
            lines.append(say_("by-province"))
            items = list(self.by_province.items())
            lines += [f"  {name}: {num(n)}" for name, n in items[:10]]
            if len(items) > 10:
                more = len(items) - 10
                rest = num(sum(n for _, n in items[10:]))
                lines.append("  " + say_("more-province" if more == 1 else "more-provinces", count=more, n=rest))
        if self.window_violations is not None:
            lines.append(row(top["window-violations"], self.window_violations))
            for circular, by_rule in self.window_violations_by_rule.items():
                for rule, n in by_rule.items():
                    line = say_("window-rule", circular=printable(circular), rule=printable(rule), n=num(n))
                    lines.append("  " + line)
        if self.out:
            lines.append(say_("violations-written", path=self.out))
        if self.windows:
            lines.append(say_("windows-written", path=self.windows))
        if self.rejects and self.rows_rejected:
            lines.append(say_("rejects-written", path=self.rejects))
        elif self.rows_rejected and not self.rejects:
            lines.append(say_("rejects-not-written"))
        lines.append(
            say_(
                "balance",
                read=num(self.rows_read),
                audited=num(self.rows_audited),
                rejected=num(self.rows_rejected),
            )
        )
        return "\n".join(lines)


def _reason_text(reason: str, lang: str) -> str:
    """A reject reason of :data:`asnrules.runtime.REJECTS` (a machine value) worded for a reader."""
    number = next((k for k, v in REASONS.items() if v == reason), None)
    return reason if number is None else say(f"audit.reject.{number}", lang)


#: The employee-window violations by circular and rule (``{table}``: the table of
#: :meth:`asnrules.audit_plan.Plan.windows_sql`), the most first.
WINDOW_SUMMARY = (
    "SELECT circular, rule, COUNT(*) AS n FROM {table} GROUP BY circular, rule ORDER BY n DESC, circular, rule"
)


def window_select(table: str) -> str:
    """The rows written by ``--windows``: :data:`~asnrules.compile_sql.WINDOW_OUTPUT`, in the reference's order."""
    return f"SELECT {', '.join(chr(34) + c + chr(34) for c in WINDOW_OUTPUT)} FROM {table} ORDER BY window_order"


def summarize_windows(report: AuditReport, rows: Sequence[Sequence[Any]]) -> None:
    """Fill the report's employee-window counts from the rows of :data:`WINDOW_SUMMARY`."""
    report.window_violations = sum(int(n) for _, _, n in rows)
    by: dict[str, dict[str, int]] = {}
    for circular, rule, n in rows:
        by.setdefault(str(circular), {})[str(rule)] = int(n)
    report.window_violations_by_rule = by


def summary_sql(table: str) -> list[str]:
    return [
        f"SELECT COUNT(*) FROM {table}",
        f"SELECT circular, COUNT(*) AS n FROM {table} GROUP BY circular ORDER BY n DESC, circular",
        f"SELECT province, COUNT(*) AS n FROM {table} GROUP BY province ORDER BY n DESC, province",
    ]


OUTPUT_COLUMNS = (
    "unit",
    "date",
    "province",
    "province_name",
    "level",
    "agency",
    "circular",
    "rule",
    "group",
    "mode",
    "comparison",
    "bound",
    "share",
    "n",
    "k",
    "rows_rejected",
)


def fill_report(report: AuditReport, items: Sequence[Sequence[Any]]) -> None:
    """The accounting (``(item, n)`` rows of :func:`~asnrules.compile_sql.build_summary`) into ``report``."""
    n = {str(item): int(value) for item, value in items}
    if set(n) != set(SUMMARY_ITEMS):  # pragma: no cover - a bug
        raise AssertionError(f"the accounting gave {sorted(n)}")
    report.rows_read = n["rows read"]
    report.rows_audited = n["rows audited"]
    report.rejected_by_reason = {reason: n[reason] for reason in REASONS.values()}
    report.unplaced_rejects = n["rejected rows with no unit-day"]
    report.unit_days = n["unit-days audited"]
    report.compliant_unit_days = n["unit-days compliant"]
    report.violating_unit_days = n["unit-days with violations"]
    report.uncovered_unit_days = n["unit-days uncovered"]
    report.incomplete_unit_days = n["unit-days audited with rows rejected"]
    report.skipped_unit_days = n["unit-days not audited (--complete-only)"]
    report.units = n["units audited"]
    if report.rows_read != report.rows_audited + report.rows_rejected:  # pragma: no cover - a bug
        raise AssertionError(
            f"rows read {report.rows_read} != audited {report.rows_audited} + rejected {report.rows_rejected}"
        )
    if report.rows_rejected != n["rows rejected"]:  # pragma: no cover - a bug
        raise AssertionError(f"rows rejected {n['rows rejected']} != the sum over the reasons {report.rows_rejected}")


def summarize(report: AuditReport, results: Sequence[Sequence[Sequence[Any]]]) -> None:
    counts, circ, prov = results
    report.violation_count = int(counts[0][0])
    report.by_circular = {str(name): int(n) for name, n in circ}
    names = province_by_code()
    report.by_province = {names[str(code)].name if str(code) in names else str(code): int(n) for code, n in prov}
