"""The queries of one audit: the value maps (the distinct raw values of the data read by the
runtime's readers, :func:`value_maps`), the one pass over the data that finds them
(:func:`distinct_sql`), and :class:`Plan`, which writes the unit-day, violation and reject queries
of :mod:`asnrules.compile_sql` for one data source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .compile_sql import (
    HOURS_SCALE,
    LEVEL_CODES,
    MODE_CODES,
    Columns,
    Inline,
    Relational,
    agency_ctx_code,
    build_audit,
    build_rejects,
    build_summary,
    build_windows,
    employee_tables,
    hours_columns,
    inline_duplicate_candidates,
    inline_duplicates,
    unnest_table,
    values_table,
)
from .model import Model
from .prelude import province_keys
from .runtime import (
    Reason,
    blank_collapse,
    day_hint,
    read_agency,
    read_category,
    read_date,
    read_hours,
    read_level,
    read_mode,
    read_province,
)

__all__ = ["DAY_SPAN", "Plan", "data_years", "distinct_sql", "map_date", "read_distinct", "value_maps"]

_AGENCY_TYPES = ("VARCHAR", "INTEGER", "INTEGER", "VARCHAR")


# ---- value maps (the runtime's readers on the distinct raw values) ----------------------------------


def map_date(raw: str) -> dt.date | None:
    """The day of a text date as :func:`asnrules.runtime.read_date` reads it; ``None`` for a bad date."""
    day = read_date(raw)
    return None if isinstance(day, Reason) else day


def value_maps(
    model: Model,
    rel: Relational,
    distinct: Mapping[str, Sequence[str]],
    cols: Columns,
    rows: int = 0,
    table: Callable[[str, Sequence[str], Iterable[Sequence[object]], Sequence[str]], str] = values_table,
    spellings: Mapping[str, str] | None = None,
) -> tuple[list[str], Inline]:
    """The value maps of :func:`~asnrules.compile_sql.build_audit`, from the data's distinct raw values
    read by the runtime's readers (:func:`~asnrules.runtime.read_province`,
    :func:`~asnrules.runtime.read_category` with the rule set's category names, ``read_mode``,
    ``read_level``, ``read_agency``, ``read_date``: what ``RuleSet.evaluate`` and the printed SQL
    accept): as CTEs (written by ``table``) and as data (for the lookups written into the one pass;
    ``rows``: the number of rows read, which sets the width of the packed counts). ``modes``: the
    user's spellings of modes (``spellings``: :func:`~asnrules.runtime.read_mode_map`)."""
    keys = province_keys()
    regions = []
    for raw in distinct.get("region", ()):
        code = read_province(raw, keys)
        if not isinstance(code, Reason):
            regions.append((raw, int(code)))
    cats = []
    members: dict[str, tuple[int, ...]] = {}
    for raw in distinct.get("category", ()):
        c = read_category(raw, model.category_names)
        if not isinstance(c, Reason):
            members[raw] = tuple(1 if c in under else 0 for under in rel.slots_n)
            cats.append((raw, c, *members[raw]))
    modes = []
    for raw in distinct.get("mode", ()):
        m = read_mode(raw, spellings)
        if not isinstance(m, Reason):
            modes.append((raw, MODE_CODES[m]))
    levels = []
    for raw in distinct.get("level", ()):
        lv = read_level(raw)
        if not isinstance(lv, Reason):
            levels.append((raw, LEVEL_CODES[lv or ""]))
    agencies: list[tuple[str, int, int, str | None]] = []
    numbers: dict[str, int] = {}
    for raw in sorted(distinct.get("agency", ())):
        found = read_agency(raw)
        if isinstance(found, Reason) or found is None:
            agencies.append((raw, 0, 0, None))
            continue
        key, name = found
        number = numbers.setdefault(key, len(numbers) + 1)
        agencies.append((raw, number, agency_ctx_code(rel, key), name))
    hours = hours_map([*distinct.get("hours", ()), *distinct.get("overtime", ())])
    days = [(raw, d) for raw in distinct.get("date", ()) if (d := map_date(raw)) is not None]
    hints = [(raw, h) for raw in distinct.get("date", ()) if (h := day_hint(raw)) is not None]
    inline = Inline(
        region=dict(regions),
        category=members,
        mode=dict(modes),
        level=dict(levels),
        agency={raw: number for raw, number, _, _ in agencies},
        raw={
            **{k: sorted(vs) for k, vs in distinct.items() if k != "overtime"},
            "hours": sorted({*distinct.get("hours", ()), *distinct.get("overtime", ())}),
        },
        bits=max(1, int(rows)).bit_length() + 1,
        day=dict(days),
        hint=dict(hints),
        agency_ctx={number: ctx for _, number, ctx, _ in agencies if number},
        hours=hours,
    )
    v, i = "VARCHAR", "INTEGER"
    return [
        table("asn_region", ["raw", "code"], regions, [v, i]),
        table(
            "asn_category",
            ["raw", "category", *[f"m{j}" for j in range(len(rel.slots_n))]],
            cats,
            [v, v, *[i] * len(rel.slots_n)],
        ),
        table("asn_mode", ["raw", "mode"], modes, [v, i]),
        table("asn_level", ["raw", "level"], levels, [v, i]),
        table("asn_agency", ["raw", "agency_key", "agency_ctx", "agency_name"], agencies, _AGENCY_TYPES),
        table("asn_day", ["raw", "day", "hint"], [(raw, map_date(raw), h) for raw, h in hints], [v, "DATE", "DATE"]),
        *([table("asn_hours", ["raw", "tenk"], sorted(hours.items()), [v, "BIGINT"])] if hours_columns(cols) else []),
    ], inline


def hours_map(raws: Iterable[str]) -> dict[str, int]:
    """Raw values of hours or overtime (as text) → ten-thousandths of an hour, for the values
    :func:`~asnrules.runtime.read_hours` reads (blank ones aside: they are no hours, not bad ones)."""
    out: dict[str, int] = {}
    for raw in raws:
        found = read_hours(raw)
        if found is not None and not isinstance(found, Reason):
            out[raw] = int(found * HOURS_SCALE)
    return out


def distinct_sql(cols: Columns, source: str = "attendance", total: bool = True) -> str:
    """One pass over the data giving each mapped column's distinct values and the number of rows
    (GROUPING SETS; the grand total is the row whose grouping flags are all 1)."""
    wanted = _mapped_columns(cols)
    inner = ", ".join(f"CAST({c} AS VARCHAR) AS v_{k}" for k, c in wanted.items())
    sets = ", ".join([f"(v_{k})" for k in wanted] + (["()"] if total else []))
    grouping = ", ".join(f"GROUPING(v_{k}) AS g_{k}" for k in wanted)
    span = ""
    if cols.date_kind in _SPANNED:  # the first and last year of a typed date column (text: its values)
        # years, not days: an engine may hold a day no Python date can (Spark's year 0 from Parquet)
        inner += f", EXTRACT(YEAR FROM CAST({cols.date} AS DATE)) AS y"
        span = ", MIN(y) AS y_lo, MAX(y) AS y_hi"
    return (
        f"SELECT {', '.join(f'v_{k}' for k in wanted)}, {grouping}, {'COUNT(*)' if total else '0'} AS n{span} "
        f"FROM (SELECT {inner} FROM {source}) AS t "
        f"GROUP BY GROUPING SETS ({sets})"
    )


_SPANNED = ("date", "timestamp")
#: The key of :func:`read_distinct`'s answer holding the first and last year of a typed date column.
DAY_SPAN = "year span"


def data_years(distinct: Mapping[str, Sequence[str]]) -> tuple[int, int] | None:
    """The first and last year of the data's days (from :func:`read_distinct`): the span of a typed
    date column, or the good text dates; ``None`` when there is no good date."""
    if span := distinct.get(DAY_SPAN):
        return int(span[0]), int(span[1])
    days = [d for raw in distinct.get("date", ()) if (d := map_date(raw)) is not None]
    return (min(days).year, max(days).year) if days else None


def _mapped_columns(cols: Columns) -> dict[str, str]:
    wanted = {"region": cols.region, "category": cols.category, "mode": cols.mode}
    if cols.level:
        wanted["level"] = cols.level
    if cols.agency:
        wanted["agency"] = cols.agency
    if cols.date_kind == "text":
        wanted["date"] = cols.date
    if cols.hours:
        wanted["hours"] = cols.hours
    if cols.overtime:
        wanted["overtime"] = cols.overtime
    return wanted


def read_distinct(rows: Sequence[Sequence[Any]], cols: Columns) -> tuple[dict[str, list[str]], int]:
    """The distinct values per column and the number of rows, from the rows of :func:`distinct_sql`."""
    keys = list(_mapped_columns(cols))
    out: dict[str, list[str]] = {k: [] for k in keys}
    n = len(keys)
    total = 0
    span: list[int] = []
    for row in rows:
        values, flags, count = row[:n], row[n : 2 * n], row[2 * n]
        span += [int(y) for y in row[2 * n + 1 : 2 * n + 3] if y is not None]
        if all(flags):
            total = int(count)
            continue
        for k, value, flag in zip(keys, values, flags, strict=True):
            if flag == 0 and value is not None:
                out[k].append(str(value))
    if span:
        out[DAY_SPAN] = [str(min(span)), str(max(span))]
    return out, total


# ---- the queries ---------------------------------------------------------------------------------


@dataclass
class Plan:
    """The queries of one audit of one data source. ``dups``: the table of duplicated employee-days
    (:meth:`dups_sql`, materialised by the engine), ``None`` when it has no rows; ``complete_only``:
    judge only the unit-days that lost no row (LANGUAGE.md §13)."""

    model: Model
    rel: Relational
    cols: Columns
    maps: list[str]
    names: list[str]
    inline: Inline | None = None  # DuckDB: look the values up in the one pass (see compile_sql.Inline)
    dups: str | None = None
    complete_only: bool = False
    #: The first and last year of the data's days (:func:`data_years`): the employee windows' tables
    #: are cut to them.
    years: tuple[int, int] | None = None

    def windows_sql(self) -> str | None:
        """The employee-window violations (LANGUAGE.md §12; :func:`~asnrules.compile_sql.build_windows`,
        columns :data:`~asnrules.compile_sql.WINDOW_OUTPUT`), ``None`` when the rule set has no employee
        rule. It classifies the rows as the unit-day audit does (its own reasons, duplicates, unit-days
        that disagree), so a row rejected there counts in no window."""
        if not self.model.employee_constraints:
            return None
        tables = employee_tables(self.model, self.years)
        table = values_table if self.inline is None else unnest_table  # DuckDB plans lists faster
        return build_windows(self.model, tables, self.cols, self.maps, table=table, order=True, dups=self.dups)

    def candidates_sql(self) -> str | None:
        """DuckDB: the employees who may have duplicates (a quick superset; ``None``: no such step)."""
        return None if self.inline is None else inline_duplicate_candidates(self.inline, self.cols)

    def dups_sql(self, candidates: str | None = None) -> str:
        """The employee-days of two or more rows with no reason of their own: (employee, day, reason);
        ``candidates``: the table of :meth:`candidates_sql`, the only employees to look at."""
        if self.inline is not None:
            return inline_duplicates(self.inline, self.cols, candidates=candidates)
        a = build_audit(self.rel, self.cols, self.maps)
        return a.with_(a.own, rules=False) + "SELECT * FROM asn_dup"

    def unitday_sql(self) -> str:
        a = build_audit(self.rel, self.cols, self.maps, inline=self.inline, dups=self.dups)
        if self.inline is not None:  # the one pass reads no value table
            return f"WITH {a.groups}\nSELECT * FROM asn_unitday"
        return a.with_(a.groups, a.unitday) + "SELECT * FROM asn_unitday"

    def _checks(self, unitday_table: str) -> Any:
        if self.inline is None:
            return build_audit(
                self.rel, self.cols, self.maps, unitday_table=unitday_table, complete_only=self.complete_only
            )
        # DuckDB: only the agency names are read (one row per key), and lists plan faster than VALUES
        names: dict[int, str] = {}
        for raw, number in self.inline.agency.items():
            if number:  # the name as written, blanks collapsed (the greatest spelling of a key)
                names[number] = max(names.get(number, ""), blank_collapse(raw))
        agencies = [(name, n, self.inline.agency_ctx.get(n, 0), name) for n, name in sorted(names.items())]
        maps = [unnest_table("asn_agency", ["raw", "agency_key", "agency_ctx", "agency_name"], agencies, _AGENCY_TYPES)]
        return build_audit(
            self.rel,
            self.cols,
            maps,
            unitday_table=unitday_table,
            table=unnest_table,
            complete_only=self.complete_only,
        )

    def violations_sql(self, unitday_table: str) -> str:
        a = self._checks(unitday_table)
        return str(a.with_(a.checks) + a.violations)

    def accounting_sql(self, unitday_table: str) -> str:
        """The accounting statement of the printed SQL (:func:`~asnrules.compile_sql.build_summary`)."""
        a = self._checks(unitday_table)
        totals, select = build_summary(unitday_table)
        return str(a.with_(a.checks, totals) + select)

    def rejects_sql(self, unitday_table: str, filename: str | None) -> str:
        raw = [('"' + n.replace('"', '""') + '"', n) for n in self.names]
        return build_rejects(self.rel, self.cols, self.maps, raw, unitday_table, filename, self.dups)
