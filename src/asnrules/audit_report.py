"""What an audit found (:class:`AuditReport`), and the queries that count it: the accounting of
the rows read, audited and rejected per reason (:func:`stats_sql`), and the summaries of the violations
(:func:`summary_sql`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .compile_sql import (
    CONFLICT,
    CONSISTENT,
    REASONS,
)
from .prelude import province_by_code

__all__ = ["OUTPUT_COLUMNS", "AuditReport", "fill_report", "stats_sql", "summarize", "summary_sql"]


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
        lines += [
            f"unit-days      {self.unit_days:>12,}",
            f"units          {self.units:>12,}",
            f"violations     {self.violation_count:>12,} (in {self.violating_unit_days:,} unit-days)",
        ]
        if self.by_circular:
            lines.append("by circular:")
            lines += [f"  {name}: {n:,}" for name, n in self.by_circular.items()]
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


def stats_sql(table: str) -> str:
    ok = CONSISTENT.format(s="")
    reasons = ", ".join(
        f"COALESCE(SUM(CASE WHEN reason = {r} THEN rows_read ELSE 0 END), 0)" for r in REASONS if r != CONFLICT
    )
    return f"""
SELECT
  COALESCE(SUM(rows_read), 0),
  COALESCE(SUM(CASE WHEN reason = 0 AND {ok} THEN rows_read ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN reason = 0 AND NOT ({ok}) THEN rows_read ELSE 0 END), 0),
  {reasons},
  COALESCE(SUM(CASE WHEN reason = 0 AND {ok} THEN 1 ELSE 0 END), 0),
  COUNT(DISTINCT CASE WHEN reason = 0 AND {ok} THEN unit END)
FROM {table}
"""


def summary_sql(table: str) -> list[str]:
    return [
        f"SELECT COUNT(*), COUNT(DISTINCT CONCAT(unit, '|', CAST(date AS VARCHAR))) FROM {table}",
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
)


def fill_report(report: AuditReport, stats: Sequence[Any]) -> None:
    read, audited, conflicting = int(stats[0]), int(stats[1]), int(stats[2])
    reasons = [int(x) for x in stats[3 : 3 + len(REASONS) - 1]]
    unit_days, units = int(stats[-2]), int(stats[-1])
    report.rows_read = read
    report.rows_audited = audited
    report.rejected_by_reason = {
        REASONS[r]: n for r, n in zip([r for r in REASONS if r != CONFLICT], reasons, strict=True)
    }
    report.rejected_by_reason[REASONS[CONFLICT]] = conflicting
    report.unit_days = unit_days
    report.units = units
    if report.rows_read != report.rows_audited + report.rows_rejected:  # pragma: no cover - a bug
        raise AssertionError(f"rows read {read} != audited {audited} + rejected {report.rows_rejected}")


def summarize(report: AuditReport, results: Sequence[Sequence[Sequence[Any]]]) -> None:
    counts, circ, prov = results
    report.violation_count = int(counts[0][0])
    report.violating_unit_days = int(counts[0][1])
    report.by_circular = {str(name): int(n) for name, n in circ}
    names = province_by_code()
    report.by_province = {names[str(code)].name if str(code) in names else str(code): int(n) for code, n in prov}
