"""What an audit found (:class:`AuditReport`), and the queries that count it: the accounting of
the rows read, audited and rejected per reason (:func:`stats_sql`), and the summaries of the violations
(:func:`summary_sql`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .compile_sql import REASONS, SUMMARY_ITEMS
from .outputs import printable
from .prelude import province_by_code

__all__ = ["OUTPUT_COLUMNS", "AuditReport", "fill_report", "summarize", "summary_sql"]


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
    #: Seconds per step (DuckDB: setup, values, pass, violations, output, rejects); not in :meth:`to_json`.
    timings: dict[str, float] = field(default_factory=dict)

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
            "seconds": round(self.seconds, 3),
            "fingerprint": self.fingerprint,
            "asnrules_version": self.asnrules_version,
        }
        return out

    def summary_text(self) -> str:
        lines = [
            f"rows read      {self.rows_read:>12,}",
            f"rows audited   {self.rows_audited:>12,}",
            f"rows rejected  {self.rows_rejected:>12,}",
        ]
        for reason, n in sorted(self.rejected_by_reason.items(), key=lambda kv: -kv[1]):
            if n:
                lines.append(f"  {reason}: {n:,}")
        if self.unplaced_rejects:
            lines.append(f"  (of them with no unit or no day to charge them to: {self.unplaced_rejects:,})")
        lines += [
            f"unit-days      {self.unit_days:>12,}",
            f"  compliant    {self.compliant_unit_days:>12,}",
            f"  violating    {self.violating_unit_days:>12,}",
            f"  uncovered    {self.uncovered_unit_days:>12,} (no rule applies, or no staff to count)",
        ]
        if self.incomplete_unit_days:
            lines.append(
                f"  of them {self.incomplete_unit_days:,} audited although some of their rows were rejected "
                "(see rows_rejected; --complete-only leaves them out)"
            )
        if self.skipped_unit_days:
            lines.append(f"  not audited (--complete-only: rows rejected) {self.skipped_unit_days:,}")
        lines += [
            f"units          {self.units:>12,}",
            f"violations     {self.violation_count:>12,} (in {self.violating_unit_days:,} unit-days)",
        ]
        if self.by_circular:
            lines.append("by circular:")
            lines += [f"  {printable(name)}: {n:,}" for name, n in self.by_circular.items()]
        if self.by_province:
            lines.append("by province:")
            items = list(self.by_province.items())
            lines += [f"  {name}: {n:,}" for name, n in items[:10]]
            if len(items) > 10:
                lines.append(f"  ({len(items) - 10} more provinces: {sum(n for _, n in items[10:]):,})")
        if self.out:
            lines.append(f"violations written to {self.out}")
        if self.rejects and self.rows_rejected:
            lines.append(f"rejected rows written to {self.rejects}")
        elif self.rows_rejected and not self.rejects:
            lines.append("rejected rows not written (use --rejects FILE to see them)")
        lines.append(
            f"rows read = rows audited + rows rejected: {self.rows_read:,} = {self.rows_audited:,} + "
            f"{self.rows_rejected:,}"
        )
        return "\n".join(lines)


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
