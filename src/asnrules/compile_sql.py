"""Rule set → relational form and the audit query (LANGUAGE.md §5, §7 and §13).

Jobs, in order:

1. :func:`relational` turns the model into small tables, computed once at compile time from the one
   applicability plan (:func:`asnrules.applicability.applicability`, decided by the reference semantics
   itself), so that ``supersedes`` and ``overrides`` are already resolved:

   - ``asn_constraint(cid, circular, rule, grp, mode, cmp, bound, bnum, bden, slot_n, slot_k)``: one
     row per constraint; the bound ``p`` is the exact fraction ``bnum/bden``;
   - ``asn_applicable(seg_start, seg_end, province, level, agency, cid)``: on the days
     ``seg_start..seg_end`` a unit in ``province`` (Kemendagri code) whose level is ``level`` and whose
     agency is ``agency`` (``''`` when unknown or named by no rule) is bound by constraint ``cid``:
     each run of the plan expanded to every (level, agency) context a rule can tell apart
     (:func:`asnrules.applicability.expand`, :func:`asnrules.applicability.contexts_of`);
   - with working-day rules (LANGUAGE.md §9) only: a column ``days`` of ``asn_applicable`` says which
     of those days the row is for (:data:`EVERY_DAY`, :data:`WORKING_DAYS` of the province,
     :data:`NON_WORKING_DAYS`: the plan's :attr:`~asnrules.applicability.Run.table` and
     :attr:`~asnrules.applicability.Run.off`), and ``asn_calendar(day, province, working)`` holds the days that
     the weekday alone does not decide, from the frozen calendar
     (:meth:`asnrules.workdays.Calendar.frozen`, :func:`calendar_rows`) of the years those rows span.
     The SQL decides a situation's day as :func:`asnrules.runtime.is_working_day` does (its province's
     row, else the country's, else Saturday and Sunday off, by ``ASN_ISO_WEEKDAY``). A rule set without
     working-day rules has neither, and the same SQL as before them.

   Groups are pre-expanded: ``slot_n`` names a count of the staff in ``under[G]`` (any category
   under G, itself included) and ``slot_k`` of those of them in mode M.

2. :func:`build_audit` writes the audit as set-based SQL over a table ``attendance`` with the
   columns of §7: one pass (one hash aggregate) groups the rows by unit, raw date and row class
   (mapped province, level and agency plus the flags of the reasons a row can have) and counts the
   staff per slot; the small grouped table is then split per reason, aggregated per unit-day, joined
   with ``asn_applicable`` (expanded to the days present, an equality join) and compared with exact
   integer arithmetic, ``100·k·bden cmp bnum·n``. The audit engine on DuckDB writes the lookups into
   the pass (:class:`Inline`; tested to give the same unit-day table); the printed query and Spark
   join the value tables. :func:`build_rejects` gives every rejected row with its reason and
   :func:`build_summary` the accounting. The reasons are :data:`asnrules.runtime.REJECTS` itself
   (:data:`REASONS`), named in the SQL by the constants below, never by bare numbers.

The SQL is written once (DuckDB dialect) with placeholders for what must be decided exactly as the
runtime decides it (``ASN_NAME_KEY``, ``ASN_IS_BLANK``, ...) and translated by
:func:`asnrules.sql_dialects.translate` for DuckDB, Spark, PostgreSQL and Trino; what varies per
dialect lives in the tables of :mod:`asnrules.sql_dialects`.

The raw values of ``region``, ``category``, ``mode``, ``level``, ``agency`` and ``date`` are mapped by
value tables ``asn_<column>(raw, ...)``. The audit engine fills them from the distinct values of the
data with the runtime's readers (:mod:`asnrules.audit_plan`); :func:`compile_sql` (``asnrules compile
--target sql``) computes them in SQL from the runtime's tables instead (:mod:`asnrules.sql_values`),
so that the printed query stands alone and accepts exactly the same spellings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from functools import partial
from itertools import pairwise

from .applicability import Context, Run, applicability, contexts_of, expand
from .errors import InputError
from .messages import Msg, msg
from .model import Model
from .prelude import provinces
from .runtime import REJECTS, WorkingDays, column_of, is_working_day
from .sql_dialects import DIALECTS, translate
from .workdays import FIRST_YEAR, LAST_YEAR

__all__ = [
    "DIALECTS",
    "OPTIONAL",
    "REASONS",
    "REQUIRED",
    "AuditSQL",
    "Columns",
    "Inline",
    "Relational",
    "attendance_columns",
    "bound_digits",
    "build_audit",
    "compile_sql",
    "compile_sql_statements",
    "for_years",
    "relational",
    "sql_literal",
    "translate",
    "unnest_table",
]

FIRST_DAY = dt.date(1, 1, 1)
LAST_DAY = dt.date(9999, 12, 31)
#: The columns of attendance data (LANGUAGE.md §7): required, and optional.
REQUIRED = ("employee", "unit", "date", "region", "category", "mode")
OPTIONAL = ("agency", "level", "hours", "overtime")
#: The optional columns of hours (LANGUAGE.md §13): read as :func:`asnrules.runtime.read_hours` reads
#: them, a row whose hours cannot be read rejected as :data:`BAD_HOURS`.
HOURS_COLUMNS = ("hours", "overtime")
#: Hours are counted exactly in ten-thousandths of an hour (the runtime allows four decimals).
HOURS_SCALE = 10_000

#: Why a row cannot be audited, by number (0 = usable): :data:`asnrules.runtime.REJECTS` itself. The
#: first that applies is reported; the SQL below names each by the constants that follow.
REASONS: Mapping[int, str] = REJECTS


def _reason(text: str) -> int:
    return next(number for number, reason in REJECTS.items() if reason == text)


EMPTY_UNIT = _reason("empty unit")
EMPTY_EMPLOYEE = _reason("empty employee")
BAD_DATE = _reason("bad date")
UNKNOWN_REGION = _reason("unknown region")
UNKNOWN_CATEGORY = _reason("unknown category")
UNKNOWN_MODE = _reason("unknown mode")
UNKNOWN_LEVEL = _reason("unknown level")
DUPLICATE = _reason("duplicate record")
TWO_UNITS = _reason("employee in two units on one day")
CONFLICT = _reason("unit-day rows disagree on province, level or agency")
BAD_HOURS = _reason("bad hours")
#: The order in which the SQL tries the reasons: a row's own reasons first, in the order of
#: :data:`asnrules.runtime.ROW_REASONS`, then those of its company (tested).
REASON_ORDER = (
    EMPTY_UNIT,
    EMPTY_EMPLOYEE,
    BAD_DATE,
    UNKNOWN_REGION,
    UNKNOWN_CATEGORY,
    UNKNOWN_MODE,
    UNKNOWN_LEVEL,
    BAD_HOURS,
    DUPLICATE,
    TWO_UNITS,
    CONFLICT,
)


@dataclass(frozen=True)
class Relational:
    """The rule set as tables (see the module docstring). ``applicable`` rows are ``(seg_start,
    seg_end, province, level, agency, cid, days)``, ``days`` one of :data:`EVERY_DAY`,
    :data:`WORKING_DAYS`, :data:`NON_WORKING_DAYS`; ``calendar``: the rows of ``asn_calendar``
    ``(day, province, working)`` for the years ``calendar_years`` (:func:`calendar_rows`), ``None``
    when no row is for working or non-working days only (the SQL then has neither the calendar nor the
    ``days`` column)."""

    constraints: tuple[tuple[int, str, str, str, str, str, str, int, int, int, int], ...]
    slots_n: tuple[frozenset[str], ...]
    slots_k: tuple[tuple[frozenset[str], str], ...]
    applicable: tuple[tuple[dt.date, dt.date, str, str, str, int, int], ...]
    agencies: frozenset[str]
    categories: Mapping[str, str]
    calendar: tuple[tuple[dt.date, int, int], ...] | None = None
    calendar_years: tuple[int, int] | None = None


#: The days an applicability row is for (the ``days`` column of ``asn_applicable``; LANGUAGE.md §9):
#: every day, the working days of the row's province, or its non-working days.
EVERY_DAY, WORKING_DAYS, NON_WORKING_DAYS = 0, 1, 2
_DAYS_OF: Mapping[bool | None, int] = {None: EVERY_DAY, True: WORKING_DAYS, False: NON_WORKING_DAYS}
#: The ``province`` of a row of ``asn_calendar`` that holds for the whole country.
NATIONWIDE = 0


def _context_rows(model: Model, employee: bool = False) -> Iterator[tuple[Run, Context, int, tuple[int, ...]]]:
    """Each run of the plan (of the employee constraints: ``employee``) × each agency context × the
    days it is for (:func:`asnrules.applicability.expand`), as ``(run, context, days, ids)``: a context whose
    ids are the same on the run's working and non-working days (the working-day rules there do not
    reach it) is one row for every day."""
    contexts = contexts_of(model)
    for run in applicability(model, employee=employee):
        found: dict[Context, dict[bool | None, tuple[int, ...]]] = {}
        for _, ctx, working, ids in expand((run,), contexts):
            found.setdefault(ctx, {})[working] = ids
        for ctx in contexts:
            kinds = found.get(ctx)
            if not kinds:
                continue
            if True in kinds and kinds[True] == kinds.get(False):
                yield run, ctx, EVERY_DAY, kinds[True]
                continue
            for working, ids in kinds.items():
                yield run, ctx, _DAYS_OF[working], ids


def relational(model: Model) -> Relational:
    """Compile the model to tables; applicability is read off the one plan
    (:func:`asnrules.applicability.applicability`, each run expanded to every agency context SQL can tell
    apart, :func:`asnrules.applicability.contexts_of`, and to the days it is for)."""
    slot_n: dict[str, int] = {}
    slot_k: dict[tuple[str, str], int] = {}
    constraints = []
    for c in model.constraints:
        n = slot_n.setdefault(c.group, len(slot_n))
        k = slot_k.setdefault((c.group, c.mode), len(slot_k))
        f = Fraction(c.bound)
        constraints.append(
            (
                c.id,
                c.circular,
                c.rule,
                c.group,
                c.mode,
                c.comparison,
                bound_digits(c.bound),
                f.numerator,
                f.denominator,
                n,
                k,
            )
        )
    agencies = frozenset(a for r in model.rules for a in r.audience.agencies)
    # Per (province, level, agency) context and days (every day, working days, non-working days), runs
    # of days with the same constraints: the plan's runs of a province differ in some context, so
    # consecutive runs that agree on this one are merged.
    runs: dict[tuple[str, str, str, int], list[tuple[dt.date, dt.date, tuple[int, ...]]]] = {}
    for run, (lv, ag), days, ids in _context_rows(model):
        if run.province is None:  # a row without a province is rejected (unknown region) before this
            continue
        first, last = run.first or FIRST_DAY, run.last or LAST_DAY
        seq = runs.setdefault((run.province, lv or "", ag or "", days), [])
        if seq and seq[-1][2] == ids and seq[-1][1] < LAST_DAY and seq[-1][1] + dt.timedelta(days=1) == first:
            seq[-1] = (seq[-1][0], last, ids)
        else:
            seq.append((first, last, ids))
    rows: list[tuple[dt.date, dt.date, str, str, str, int, int]] = []
    for (code, lv, ag, days), seq in sorted(runs.items()):
        for first, last, ids in seq:
            rows.extend((first, last, code, lv, ag, cid, days) for cid in ids)
    spans = [(first, last) for first, last, *_, days in rows if days != EVERY_DAY]
    calendar, years = None, None
    if spans:
        from .workdays import FIRST_YEAR, LAST_YEAR  # the years the calendar knows holidays in

        years = (
            max(FIRST_YEAR, min(first.year for first, _ in spans)),
            min(LAST_YEAR, max(last.year for _, last in spans)),
        )
        calendar = calendar_rows(model.workdays.frozen(*years))
    return Relational(
        constraints=tuple(constraints),
        slots_n=tuple(model.under[g] for g in slot_n),
        slots_k=tuple((model.under[g], m) for g, m in slot_k),
        applicable=tuple(rows),
        agencies=agencies,
        categories=dict(model.category_names),
        calendar=calendar,
        calendar_years=years,
    )


def for_years(rel: Relational, model: Model, years: tuple[int, int] | None) -> Relational:
    """``rel`` with ``asn_calendar`` cut to the years ``years`` (the data's first and last, from the
    audit's one pass over the values), widened by a year each side: the calendar joins the data's
    days only, so the rows of other years change no answer but cost the engine the planning of a long
    literal table (an open-ended working-day rule spans the calendar's 155 years). ``None``: as it is."""
    if rel.calendar is None or rel.calendar_years is None or years is None:
        return rel
    lo, hi = max(rel.calendar_years[0], years[0] - 1), min(rel.calendar_years[1], years[1] + 1)
    if (lo, hi) == rel.calendar_years:
        return rel
    if lo > hi:  # no day of the data is in a year with holidays: the weekday decides every one
        return replace(rel, calendar=(), calendar_years=(lo, hi))
    return replace(rel, calendar=calendar_rows(model.workdays.frozen(lo, hi)), calendar_years=(lo, hi))


def calendar_rows(days: WorkingDays) -> tuple[tuple[dt.date, int, int], ...]:
    """The rows of ``asn_calendar(day, province, working)``: the days of the frozen calendar ``days``
    that the weekday alone does not decide, each with :func:`asnrules.runtime.is_working_day` (1: a
    working day, 0: not) — for the whole country (province :data:`NATIONWIDE`: a holiday or cuti
    bersama on a weekday, a declared working day) and for the one province of a holiday declared for
    it. The SQL decides a day of a province by the province's row, else the country's, else the weekday
    (Saturday and Sunday are non-working): exactly :func:`~asnrules.runtime.is_working_day`, since a
    province's day is non-working whatever the country's says (tested on every day of the years)."""
    out = [(o, NATIONWIDE, is_working_day(o, None, days)) for o in days.on | days.off]
    out += [(o, int(code), is_working_day(o, code, days)) for code, local in days.local.items() for o in local]
    return tuple((dt.date.fromordinal(o), p, int(w)) for o, p, w in sorted(out))


def bound_digits(bound: Decimal) -> str:
    """A percentage as plain digits without a trailing zero or point (``Decimal("12.50")`` → ``"12.5"``,
    ``Decimal("1E+2")`` → ``"100"``): the ``bound`` column of the audit's output."""
    text = format(bound, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# ---- SQL text (DuckDB dialect; sqlglot translates) ------------------------------------------------


def sql_literal(value: object) -> str:
    """A SQL literal for a checked Python value (text, whole number, date or ``None``)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"  # what sqlglot writes for DuckDB, without its cost
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def values_table(name: str, columns: Sequence[str], rows: Iterable[Sequence[object]], types: Sequence[str]) -> str:
    """``name(columns) AS (VALUES ...)`` for a CTE; an empty table when there are no rows."""
    body = [f"({', '.join(sql_literal(v) for v in row)})" for row in rows]
    cols = ", ".join(columns)
    if not body:
        nulls = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in zip(columns, types, strict=True))
        return f"{name} AS (SELECT {nulls} WHERE 1 = 0)"
    casts = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in zip(columns, types, strict=True))
    return f"{name} AS (SELECT {casts} FROM (VALUES {', '.join(body)}) AS v({cols}))"


def unnest_table(name: str, columns: Sequence[str], rows: Iterable[Sequence[object]], types: Sequence[str]) -> str:
    """:func:`values_table` for DuckDB only, one list per column: DuckDB plans a ``VALUES`` list of a few
    hundred rows in milliseconds, a list of literals several times faster, and one text literal split
    into numbers or dates (used for the columns of whole numbers and dates) faster still."""
    body = list(rows)
    if not body:
        return values_table(name, columns, body, types)

    cols = [
        f"UNNEST({sql_list([row[j] for row in body], t)}) AS {c}"
        for j, (c, t) in enumerate(zip(columns, types, strict=True))
    ]
    return f"{name} AS (SELECT {', '.join(cols)})"


def sql_list(items: Sequence[object], typ: str) -> str:
    """A DuckDB list of ``typ``; whole numbers and dates as one text literal split (planned many times
    faster than as many literals)."""
    if items and all(isinstance(v, int | dt.date) and not isinstance(v, bool) for v in items):
        text = ",".join(v.isoformat() if isinstance(v, dt.date) else str(v) for v in items)
        return f"CAST(STRING_SPLIT('{text}', ',') AS {typ}[])"
    return f"CAST([{', '.join(sql_literal(v) for v in items)}] AS {typ}[])"


@dataclass(frozen=True)
class Columns:
    """How the attendance table spells its columns (quoted identifiers) and the type of ``date``."""

    employee: str = "employee"
    unit: str = "unit"
    date: str = "date"
    region: str = "region"
    category: str = "category"
    mode: str = "mode"
    level: str | None = "level"
    agency: str | None = "agency"
    #: The optional columns of hours worked and overtime (LANGUAGE.md §13); not read when ``None``.
    hours: str | None = None
    overtime: str | None = None
    #: "text" (read by asn_day), "date", "timestamp" (a day at midnight; any other time is a bad date)
    #: or "timestamptz" (a time with a zone: always a bad date, as :func:`asnrules.runtime.read_date`)
    date_kind: str = "text"


def hours_columns(cols: Columns) -> list[str]:
    """The columns of hours the data has (hours worked, overtime; quoted as spelled)."""
    return [c for c in (cols.hours, cols.overtime) if c]


def hours_bad_sql(cols: Columns, unread: Callable[[int, str], str]) -> str:
    """Whether a row's hours or overtime cannot be read (:data:`BAD_HOURS`): a column not blank whose
    value maps to nothing (``unread(i, column)``: the SQL saying so for the ``i``-th hours column);
    ``FALSE`` when the data has no hours."""
    tests = [
        f"(NOT ASN_IS_BLANK(CAST(a.{c} AS VARCHAR)) AND {unread(i, c)})" for i, c in enumerate(hours_columns(cols))
    ]
    return "(" + " OR ".join(tests) + ")" if tests else "FALSE"


def attendance_columns(
    names: Sequence[str],
    types: Sequence[str] | None = None,
    where: str | Msg | None = None,
    columns: Mapping[str, str] | None = None,
) -> Columns:
    """Map a table's columns (case-insensitively, Indonesian names too: :func:`asnrules.runtime.column_of`)
    onto §7's, quoted as spelled; ``columns`` maps a data column's name to the §7 name it stands for
    (``{"nip": "employee"}``: ``--column nip=employee``); ``types``: the SQL type of each (``date``'s
    decides :attr:`Columns.date_kind`; default text). A missing required column, or two columns
    standing for one, is an error (E322). ``where`` names the data in the messages (default: "the data")."""
    if where is None:
        where = msg("audit.the-data")
    kinds = list(types) if types is not None else ["VARCHAR"] * len(names)
    by_key = _columns_by_key(names, kinds, columns, where)
    missing = [c for c in REQUIRED if c not in by_key]
    if missing:
        have: str | Msg = ", ".join(names) or msg("audit.no-columns")
        raise InputError(
            msg(
                "audit.missing-columns" if len(missing) > 1 else "audit.missing-column",
                where=where,
                missing=", ".join(missing),
                have=have,
                required=", ".join(REQUIRED),
            ),
            code="E322",
        )

    def q(col: str) -> str:
        return '"' + by_key[col][0].replace('"', '""') + '"'

    return Columns(
        employee=q("employee"),
        unit=q("unit"),
        date=q("date"),
        region=q("region"),
        category=q("category"),
        mode=q("mode"),
        level=q("level") if "level" in by_key else None,
        agency=q("agency") if "agency" in by_key else None,
        hours=q("hours") if "hours" in by_key else None,
        overtime=q("overtime") if "overtime" in by_key else None,
        date_kind=date_kind(by_key["date"][1]),
    )


def _columns_by_key(
    names: Sequence[str], kinds: Sequence[str], columns: Mapping[str, str] | None, where: str | Msg
) -> dict[str, tuple[str, str]]:
    given = {k.strip().casefold(): column_of(v) for k, v in (columns or {}).items()}
    known = (*REQUIRED, *OPTIONAL)
    for k, v in given.items():
        if v not in known:
            raise InputError(
                msg("audit.column-option", key=k, value=v, name=repr(v), known=", ".join(known)), code="E322"
            )
    by_key: dict[str, tuple[str, str]] = {}
    for n, t in zip(names, kinds, strict=True):
        folded = n.strip().casefold()
        key = given.get(folded) or column_of(n)
        if key in by_key and key in known:
            raise InputError(
                msg("audit.two-columns", where=where, key=key, first=repr(by_key[key][0]), second=repr(n)), code="E322"
            )
        by_key.setdefault(key, (n, t))
    return by_key


def date_kind(sql_type: str) -> str:
    """How a ``date`` column of this SQL type is read (:attr:`Columns.date_kind`)."""
    t = sql_type.strip().upper()
    if t in ("DATE", "DATETYPE()"):
        return "date"
    if t.startswith("TIMESTAMP"):
        zoned = "TIME ZONE" in t or t in ("TIMESTAMPTZ", "TIMESTAMP_TZ", "TIMESTAMP_LTZ")
        return "timestamptz" if zoned else "timestamp"
    return "text"


def typed_hint(kind: str, column: str) -> str:
    """The day a typed ``date`` column was meant for, good or bad (:func:`asnrules.runtime.day_hint`):
    the calendar day of a timestamp; none for a timestamp with a zone."""
    if kind == "date":
        return column
    if kind == "timestamp":
        return f"CAST({column} AS DATE)"
    if kind == "timestamptz":
        return "CAST(NULL AS DATE)"
    raise ValueError(f"not a typed date column: {kind}")


def typed_day(kind: str, column: str) -> str:
    """The day of a typed ``date`` column (``column``: SQL text); NULL for a bad date."""
    if kind == "date":
        return column
    if kind == "timestamp":  # midnight only (LANGUAGE.md §13)
        return f"CASE WHEN CAST(CAST({column} AS DATE) AS TIMESTAMP) = {column} THEN CAST({column} AS DATE) END"
    if kind == "timestamptz":
        return "CAST(NULL AS DATE)"
    raise ValueError(f"not a typed date column: {kind}")


@dataclass(frozen=True)
class AuditSQL:
    """The pieces of the audit, each a CTE list plus a final SELECT, in the DuckDB dialect.

    ``rows``: every row classified (``reason`` 0 = usable; only the rejects read it); ``groups``: the
    one pass over the data, one row per (unit, raw date, row class); ``unitday``: one row per
    (unit, date, reason) with the row counts and the slot counts, from ``asn_groups``;
    ``violations``: the failed constraints per unit-day.
    """

    rule_tables: tuple[str, ...]  # the CTEs of the rule set: asn_constraint, asn_applicable (, asn_calendar)
    tables: tuple[str, ...]  # the other CTEs: province names and the value maps
    own: str  # asn_own (every row with its own reason) and asn_dup (the duplicated employee-days)
    rows: str
    groups: str
    unitday: str
    checks: str  # the CTEs asn_situation, (asn_day_kind,) asn_day_applicable, asn_checked, asn_failed
    violations: str  # the final SELECT

    def with_(self, *ctes: str, rules: bool = True) -> str:
        """``WITH`` the tables (``rules``: and the rule set's) and ``ctes``."""
        return "WITH " + ",\n".join([*(self.rule_tables if rules else ()), *self.tables, *ctes]) + "\n"


@dataclass(frozen=True)
class Inline:
    """The value maps as data, for lookups written into the one pass itself (DuckDB only; see
    :func:`_inline_unitday`).

    Each mapped column is cast to an ``ENUM`` of its raw values (evaluated once per distinct value of a
    dictionary-encoded column, and a hash lookup otherwise) instead of joined; the counts of the slots
    are summed packed into ``HUGEINT``\\ s, ``bits`` bits a count. ``bits`` must exceed the bit length
    of the number of rows read, so that no count can carry into its neighbour: the sums are exact.

    ``region``: raw value -> Kemendagri code (known values only); ``category``: raw value -> the slot
    membership flags of :attr:`Relational.slots_n` (known values only); ``mode``: raw value -> mode
    code; ``level``: raw value -> level code; ``agency``: raw value -> agency key (0: none); ``day``: a
    text date -> the day (valid ones only); ``agency_ctx``: agency key -> :func:`agency_ctx_code`.
    """

    region: Mapping[str, int]
    category: Mapping[str, tuple[int, ...]]
    mode: Mapping[str, int]
    level: Mapping[str, int]
    agency: Mapping[str, int]
    raw: Mapping[str, Sequence[str]]  # every distinct raw value of each column (the ENUM members)
    bits: int
    day: Mapping[str, dt.date] = field(default_factory=dict)  # text dates: raw value -> day (valid ones)
    hint: Mapping[str, dt.date] = field(default_factory=dict)  # text dates: raw value -> runtime.day_hint
    agency_ctx: Mapping[int, int] = field(default_factory=dict)  # agency key -> agency_ctx_code (0: none)
    #: hours and overtime: raw value -> ten-thousandths of an hour (readable, not blank, values only)
    hours: Mapping[str, int] = field(default_factory=dict)


#: The row class of the one pass when it joins the value maps: ``status · 2^40 + profile``, where
#: ``profile`` is ``(province · 3 + level) · 2^31 + agency_key`` and ``status`` has one bit per reason a
#: row can have that the unit, date and profile do not show (employee 1, region 2, level 4).
STATUS_SHIFT = 2**40
AGENCY_SHIFT = 2**31


def _sentinel(values: Sequence[str]) -> str:
    """A text that is none of ``values``."""
    sentinel = "\u2205"
    while sentinel in values:
        sentinel += "\u2205"
    return sentinel


def _enum(raw: str, members: Sequence[str], avoid: Sequence[str]) -> str:
    """``raw`` as an ENUM of ``members`` (in that order; NULL when it is none of them or NULL). DuckDB
    casts a dictionary-encoded column once per distinct value, and compares ENUMs by their position.
    ``avoid``: every raw value; NULL becomes a text none of them nor of ``members`` equals (the
    ``COALESCE`` also keeps DuckDB from turning the ``TRY_CAST`` into a strict cast inside its CSV
    reader)."""
    sentinel = _sentinel([*avoid, *members])
    listed = list(members) or [sentinel]  # an ENUM needs a member: one no raw value equals
    return f"TRY_CAST(COALESCE({raw}, {sql_literal(sentinel)}) AS ENUM({', '.join(sql_literal(v) for v in listed)}))"


@dataclass(frozen=True)
class _InlineRows:
    """The per-row part of the DuckDB pass (see :func:`_inline_unitday`): ``select`` reads the source
    as ``e`` (unit, employee, day, bad, er, el, ea, ec, em, eb); ``status`` is the first reason a row
    shows itself (0 for none; ``e.`` columns)."""

    select: str
    status: str
    regions: list[str]
    levels: list[str]
    level_of: dict[str, int]
    agencies: list[str]
    agency_of: dict[str, int]
    cats: list[str]
    modes: list[str]


def _inline_rows(inline: Inline, cols: Columns, source: str) -> _InlineRows:
    values = inline.raw

    def ordered(key: str, mapped: Mapping[str, object]) -> list[str]:
        return sorted((v for v in values.get(key, ()) if v in mapped), key=lambda v: (mapped[v], v))

    def text(col: str) -> str:
        return f"CAST(a.{col} AS VARCHAR)"

    regions = ordered("region", inline.region)
    per_row = [f"{_enum(text(cols.region), regions, values.get('region', ()))} AS er"]
    levels: list[str] = []
    level_of: dict[str, int] = {}
    if cols.level:
        level_of = {**inline.level, "": 0}
        levels = ordered("level", level_of)
        if "" not in levels:
            levels.insert(0, "")
        per_row.append(f"{_enum(f'COALESCE({text(cols.level)}, {sql_literal(str())})', levels, levels)} AS el")
    agencies: list[str] = []
    agency_of: dict[str, int] = {}
    if cols.agency:
        raw_agencies = list(values.get("agency", ()))
        none = _sentinel(raw_agencies)
        agency_of = {**inline.agency, none: 0}
        agencies = sorted([*raw_agencies, none], key=lambda v: (agency_of.get(v, 0), v))
        per_row.append(f"{_enum(f'COALESCE({text(cols.agency)}, {sql_literal(none)})', agencies, agencies)} AS ea")
    cats = ordered("category", inline.category)
    modes = ordered("mode", inline.mode)
    per_row.append(f"{_enum(text(cols.category), cats, values.get('category', ()))} AS ec")
    per_row.append(f"{_enum(text(cols.mode), modes, values.get('mode', ()))} AS em")
    good_hours = sorted(v for v in values.get("hours", ()) if v in inline.hours)
    every_hours = values.get("hours", ())
    for i, col in enumerate(hours_columns(cols)):
        unread = f"{_enum(text(col), good_hours, every_hours)} IS NULL"
        per_row.append(f"({unread} AND NOT ASN_IS_BLANK({text(col)})) AS ehb{i}")
    employee = text(cols.employee)
    per_row.append(f"ASN_IS_BLANK({employee}) AS eb")  # quick on DuckDB: see asnrules.sql_dialects
    if cols.date_kind != "text":
        day = typed_hint(cols.date_kind, f"a.{cols.date}")
        good = typed_day(cols.date_kind, f"a.{cols.date}")
        bad = "FALSE" if cols.date_kind == "date" else f"({good}) IS NULL"
    else:
        good_days = sorted(v for v in values.get("date", ()) if v in inline.day)
        hinted = sorted(v for v in values.get("date", ()) if v in inline.hint and v not in inline.day)
        code = f"CAST(ENUM_CODE({_enum(text(cols.date), [*good_days, *hinted], values.get('date', ()))}) AS BIGINT)"
        listed = [inline.day[v] for v in good_days] + [inline.hint[v] for v in hinted]
        day = f"{sql_list(listed, 'DATE')}[{code} + 1]"
        bad = f"COALESCE({code} >= {len(good_days)}, FALSE)" if hinted else "FALSE"
    per_row[:0] = [f"{employee} AS employee", f"{day} AS day", f"{bad} AS bad"]
    status = (
        f"CASE WHEN e.eb THEN {EMPTY_EMPLOYEE} WHEN e.bad THEN {BAD_DATE} WHEN e.er IS NULL THEN {UNKNOWN_REGION}"
        f" WHEN e.ec IS NULL THEN {UNKNOWN_CATEGORY} WHEN e.em IS NULL THEN {UNKNOWN_MODE}"
        + (f" WHEN e.el IS NULL THEN {UNKNOWN_LEVEL}" if cols.level else "")
        + (
            f" WHEN {' OR '.join(f'e.ehb{i}' for i in range(len(hours_columns(cols))))} THEN {BAD_HOURS}"
            if hours_columns(cols)
            else ""
        )
        + " ELSE 0 END"
    )
    select = f"SELECT CAST(a.{cols.unit} AS VARCHAR) AS unit, {', '.join(per_row)} FROM {source} AS a"
    return _InlineRows(select, status, regions, levels, level_of, agencies, agency_of, cats, modes)


#: Typed dates: the bit of a day among an employee's days is its day number modulo this (two rows of
#: one day always share a bit; days this far apart share one too and only cost a closer look).
DAY_BITS = 1024


def inline_duplicate_candidates(inline: Inline, cols: Columns, source: str = "attendance") -> str:
    """The employees who may have two rows on one day (DuckDB; a superset of those who have): one
    aggregate per employee, not per employee-day, comparing the number of their rows with a day to the
    number of distinct bits those days set in a bit string (``bitstring_agg``): a text date's bit is
    the position of its day among the distinct days of the data, a typed date's its day number modulo
    :data:`DAY_BITS`. Fewer bits than rows means two rows may share a day; :func:`inline_duplicates`
    then looks at those employees' rows exactly. Six times cheaper than grouping every employee-day."""
    if cols.date_kind == "text":
        values = inline.raw.get("date", ())
        raws = sorted(v for v in values if v in inline.hint)
        days = sorted({inline.hint[v] for v in raws})
        index = {d: i for i, d in enumerate(days)}
        code = f"CAST(ENUM_CODE({_enum(f'CAST(a.{cols.date} AS VARCHAR)', raws, values)}) AS BIGINT)"
        bit = f"{sql_list([index[inline.hint[v]] for v in raws], 'BIGINT')}[{code} + 1]"
        width = max(1, len(days))
    else:
        day = typed_hint(cols.date_kind, f"a.{cols.date}")
        bit = f"((date_diff('day', DATE '0001-01-01', {day}) % {DAY_BITS}) + {DAY_BITS}) % {DAY_BITS}"
        width = DAY_BITS
    return (
        f"SELECT c.employee FROM (SELECT CAST(a.{cols.employee} AS VARCHAR) AS employee, {bit} AS bit "
        f"FROM {source} AS a) AS c\n"
        "GROUP BY c.employee\n"
        f"HAVING COUNT(c.bit) > bit_count(bitstring_agg(c.bit, 0, {width - 1}))"
    )


def inline_duplicates(inline: Inline, cols: Columns, source: str = "attendance", candidates: str | None = None) -> str:
    """The employee-days of two or more rows among those with no reason of their own (DuckDB, the
    values looked up as in the pass): ``(employee, day, reason)``, the reason
    :data:`DUPLICATE` when all of them name one unit, else :data:`TWO_UNITS` (LANGUAGE.md §13).
    ``candidates``: a table of the only employees to look at (:func:`inline_duplicate_candidates`)."""
    rows = _inline_rows(inline, cols, source)
    only = f" WHERE e.employee IN (SELECT employee FROM {candidates})" if candidates else ""
    return (
        "SELECT r.employee, r.day, "
        f"CASE WHEN MIN(r.unit) = MAX(r.unit) THEN {DUPLICATE} ELSE {TWO_UNITS} END AS reason\n"
        f"FROM (SELECT e.unit, e.employee, e.day, {rows.status} AS status FROM ({rows.select}) AS e{only}) AS r\n"
        "WHERE r.status = 0 AND r.day IS NOT NULL AND NOT ASN_IS_BLANK(r.unit)\n"
        "GROUP BY r.employee, r.day HAVING COUNT(*) > 1"
    )


def _inline_unitday(
    inline: Inline,
    cols: Columns,
    slot_defs: Sequence[tuple[int, int | None]],
    source: str,
    dups: str | None = None,
) -> str:
    """``asn_groups`` and ``asn_unitday`` for DuckDB, the values looked up in the one pass (see :class:`Inline`).

    The rows are grouped by unit, day (:func:`asnrules.runtime.day_hint`: a bad date still has one
    when it can be read) and *status*, the first reason a row has of those the row itself shows
    (employee, date, region, category, mode, level) or, for a row with none, its duplicate reason in
    ``dups`` (a table of :func:`inline_duplicates`; ``None`` when it has no rows); 0 for none: a
    unit-day's usable rows are one group. Region, level and agency are cast to ENUMs of their raw
    values ordered by what they map to (province code, level, agency key), so ``MIN``/``MAX`` over a
    group, mapped afterwards, are the least and greatest mapped values: the usable rows agree exactly
    when they are equal. A value that maps to nothing is NULL in its ENUM (which lists only the values
    that map), which gives the status. The slot counts are summed packed, ``inline.bits`` bits each,
    several to a ``HUGEINT``, by the position of (category, mode) among the valid pairs (NULL, so not
    counted, for an invalid one). The unit-day table is then a projection of the groups: no second
    aggregate."""
    rows = _inline_rows(inline, cols, source)
    regions, levels, level_of = rows.regions, rows.levels, rows.level_of
    agencies, agency_of, cats, modes = rows.agencies, rows.agency_of, rows.cats, rows.modes

    def lookup(items: Sequence[object], index: str, typ: str = "BIGINT") -> str:
        return f"{sql_list(items, typ)}[{index} + 1]"

    status = rows.status
    dup_join = ""
    if dups is not None:
        status = status.replace(" ELSE 0 END", " WHEN dp.reason IS NOT NULL THEN dp.reason ELSE 0 END")
        dup_join = f" LEFT JOIN {dups} AS dp ON dp.employee = e.employee AND dp.day = e.day"
    width = max(1, len(modes))
    pair = f"CAST(ENUM_CODE(e.ec) AS BIGINT) * {width} + CAST(ENUM_CODE(e.em) AS BIGINT)"
    bits = inline.bits
    per = max(1, 126 // bits)
    fields = list(range(len(slot_defs)))
    chunks = [fields[j : j + per] for j in range(0, len(fields), per)]
    sums = []
    for q, chunk in enumerate(chunks):
        weights = [
            sum(
                1 << (bits * pos)
                for pos, (i, mc) in enumerate(slot_defs[slot] for slot in chunk)
                if inline.category[c][i] and (inline.mode[m] > 0 if mc is None else inline.mode[m] == mc)
            )
            for c in cats
            for m in modes
        ] or [0]  # no valid pair: every row is rejected
        sums.append(f"SUM({sql_list(weights, 'HUGEINT')}[r.asn_pair + 1]) AS p{q}")
    mask = (1 << bits) - 1
    n_slots = sum(1 for _, mc in slot_defs if mc is None)
    names = [f"n{i}" for i in range(n_slots)] + [f"k{i}" for i in range(len(slot_defs) - n_slots)]
    unpack = [
        f"CAST((g.p{q} >> {bits * pos}) & {mask} AS BIGINT) AS {names[slot]}"
        for q, chunk in enumerate(chunks)
        for pos, slot in enumerate(chunk)
    ]

    def mapped(col: str, items: Sequence[object]) -> str:
        return lookup(items, f"CAST(ENUM_CODE(g.{col}) AS BIGINT)")

    aggs = ["MIN(r.er) AS er", "MAX(r.er) AS er_hi"]
    province = [mapped("er", [inline.region[v] for v in regions]), mapped("er_hi", [inline.region[v] for v in regions])]
    level = ["0", "0"]
    if cols.level:
        aggs += ["MIN(r.el) AS el", "MAX(r.el) AS el_hi"]
        level = [mapped(c, [level_of[v] for v in levels]) for c in ("el", "el_hi")]
    agency = ["0", "0"]
    ctx = "0"
    if cols.agency:
        aggs += ["MIN(r.ea) AS ea", "MAX(r.ea) AS ea_hi"]
        agency = [mapped(c, [agency_of.get(v, 0) for v in agencies]) for c in ("ea", "ea_hi")]
        ctx = mapped("ea", [inline.agency_ctx.get(agency_of.get(v, 0), 0) for v in agencies])
    reason = (
        f"CASE WHEN ASN_IS_BLANK(g.unit) THEN {EMPTY_UNIT} WHEN g.status = {EMPTY_EMPLOYEE} THEN {EMPTY_EMPLOYEE} "
        f"WHEN g.day IS NULL THEN {BAD_DATE} ELSE g.status END"
    )
    return f"""asn_groups AS (
SELECT r.unit, r.day, r.status, COUNT(*) AS rows_read, {", ".join(aggs)}{"".join(", " + x for x in sums)}
FROM (
  SELECT e.unit, e.day, {pair} AS asn_pair, e.er{", e.el" if cols.level else ""}{", e.ea" if cols.agency else ""},
    {status} AS status
  FROM ({rows.select}) AS e{dup_join}
) AS r
GROUP BY r.unit, r.day, r.status
), asn_unitday AS (
SELECT g.unit, g.day, {reason} AS reason, g.rows_read,
  {province[0]} AS province, {province[1]} AS province_hi, {level[0]} AS level, {level[1]} AS level_hi,
  {agency[0]} AS agency_key, {agency[1]} AS agency_key_hi, {ctx} AS agency_ctx
  {"".join(", " + u for u in unpack)}
FROM asn_groups AS g
)"""


def build_audit(
    rel: Relational,
    cols: Columns,
    maps: Sequence[str],
    source: str = "attendance",
    unitday_table: str | None = None,
    extra: Sequence[str] = (),
    inline: Inline | None = None,
    table: Callable[[str, Sequence[str], Iterable[Sequence[object]], Sequence[str]], str] = values_table,
    dups: str | None = "asn_dup",
    complete_only: bool = False,
) -> AuditSQL:
    """The audit over ``source``. ``maps`` are the CTEs (codes are small integers):

    - ``asn_region(raw, code)``: the Kemendagri code as an integer;
    - ``asn_category(raw, category, m0, m1, ...)``: ``m<i>`` is 1 when the category lies under the
      group of count slot ``i`` (:attr:`Relational.slots_n`), else 0;
    - ``asn_mode(raw, mode)``: 0 LEAVE, 1 WFO, 2 WFH, 3 WFA;
    - ``asn_level(raw, level)``: 0 not given, 1 central, 2 regional;
    - ``asn_agency(raw, agency_key, agency_ctx, agency_name)``: ``agency_key`` numbers the agency
      keys (0: none), ``agency_ctx`` is the 1-based position of the key in
      :attr:`Relational.agencies` sorted (0: named by no rule);
    - ``asn_day(raw, day, hint)`` when the date column is text (``hint``:
      :func:`asnrules.runtime.day_hint`, ``day`` for good dates only).

    Duplicates (LANGUAGE.md §13): ``dups`` names the table of the employee-days with two or more rows
    among those with no reason of their own, ``(employee, day, reason)``: ``"asn_dup"`` is the CTE
    :attr:`AuditSQL.own` computes (``asn_own``, every row with its own reason, and ``asn_dup``); the
    engines materialise it first and give its name, or ``None`` when it has no rows (no join at all).
    A rejected row is charged to the unit-day of its unit and of its day (a bad date's hint); the
    violations carry ``rows_rejected``, and ``complete_only`` judges only the unit-days with no row
    charged to them and none of their unit without a day.

    The one pass over the data (``groups``) groups the rows by unit, raw date and *row class* (the
    mapped province, level and agency and the flags of the reasons a row can have), counting rows and,
    per slot, staff; there are about as many groups as unit-days. Everything else (dates mapped,
    reasons, unit-days, applicability) works on that small table. ``inline``: look the values up in
    the pass itself (:class:`Inline`, DuckDB) instead of joining the value maps; the pass then groups
    by unit, day and reason, so that the unit-day table is a projection of it (:func:`_inline_unitday`;
    ``groups`` holds both CTEs, which read no value table, and ``unitday`` is empty).

    ``unitday_table``: read the unit-day aggregate from this table instead of computing it (the
    engines materialise it). ``extra``: more select items of the classified rows (``a`` is the source
    row), for the rejects. ``table``: how the rule set's tables are written (:func:`unnest_table` on
    DuckDB)."""
    rule_tables = (
        table(
            "asn_constraint",
            ["cid", "circular", "rule", "grp", "mode", "cmp", "bound", "bnum", "bden", "slot_n", "slot_k"],
            rel.constraints,
            [
                "BIGINT",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "BIGINT",
                "BIGINT",
                "BIGINT",
                "BIGINT",
            ],
        ),
        applicable_table(rel, table),
        *([] if rel.calendar is None else [calendar_table(rel, table)]),
    )
    tables = (
        table(
            "asn_province_name", ["code", "name"], [(int(p.code), p.name) for p in provinces()], ["INTEGER", "VARCHAR"]
        ),
        *maps,
        "asn_agency_name AS (SELECT agency_key, MAX(ASN_TEXT_ORDER(agency_name)) AS name, MAX(agency_ctx) AS ctx "
        "FROM asn_agency GROUP BY agency_key)",
    )

    def raw(col: str | None) -> str:
        return f"CAST(a.{col} AS VARCHAR)" if col else "CAST(NULL AS VARCHAR)"

    if cols.date_kind != "text":
        good = typed_day(cols.date_kind, f"a.{cols.date}")
        day = typed_hint(cols.date_kind, f"a.{cols.date}")
        day_join = ""
    else:
        good, day = "d.day", "d.hint"
        day_join = f"LEFT JOIN asn_day AS d ON d.raw = CAST(a.{cols.date} AS VARCHAR)\n"
    level_join = f"LEFT JOIN asn_level AS l ON l.raw = {raw(cols.level)}\n" if cols.level else ""
    agency_join = f"LEFT JOIN asn_agency AS g ON g.raw = {raw(cols.agency)}\n" if cols.agency else ""
    level_value = "COALESCE(l.level, 0)" if cols.level else "0"
    level_bad = f"({raw(cols.level)} IS NOT NULL AND l.raw IS NULL)" if cols.level else "FALSE"
    agency_key_v = "COALESCE(g.agency_key, 0)" if cols.agency else "0"
    unit = raw(cols.unit)
    employee = raw(cols.employee)
    employee_bad = f"ASN_IS_BLANK({employee})"
    region_join = f"LEFT JOIN asn_region AS r ON r.raw = CAST(a.{cols.region} AS VARCHAR)\n"
    category_join = f"LEFT JOIN asn_category AS c ON c.raw = CAST(a.{cols.category} AS VARCHAR)\n"
    mode_join = f"LEFT JOIN asn_mode AS m ON m.raw = CAST(a.{cols.mode} AS VARCHAR)\n"
    hours_join = "".join(
        f"LEFT JOIN asn_hours AS h{i} ON h{i}.raw = {raw(col)}\n" for i, col in enumerate(hours_columns(cols))
    )
    hours_bad = hours_bad_sql(cols, lambda i, col: f"h{i}.raw IS NULL")
    level_join += hours_join
    n_slots = len(rel.slots_n)
    extras = "".join(f", {e}" for e in extra)
    outs = "".join(f", o.{e.rsplit(' AS ', 1)[1]}" for e in extra)
    own = f"""asn_own AS (
SELECT
  {unit} AS unit, {employee} AS employee, {day} AS day,
  CASE
    WHEN ASN_IS_BLANK({unit}) THEN {EMPTY_UNIT}
    WHEN {employee_bad} THEN {EMPTY_EMPLOYEE}
    WHEN {good} IS NULL THEN {BAD_DATE}
    WHEN r.code IS NULL THEN {UNKNOWN_REGION}
    WHEN c.category IS NULL THEN {UNKNOWN_CATEGORY}
    WHEN m.mode IS NULL THEN {UNKNOWN_MODE}
    WHEN {level_bad} THEN {UNKNOWN_LEVEL}
    WHEN {hours_bad} THEN {BAD_HOURS}
    ELSE 0
  END AS reason{extras}
FROM {source} AS a
{day_join}{region_join}{category_join}{mode_join}{level_join}{agency_join}), asn_dup AS (
SELECT o.employee, o.day, CASE WHEN MIN(o.unit) = MAX(o.unit) THEN {DUPLICATE} ELSE {TWO_UNITS} END AS reason
FROM asn_own AS o WHERE o.reason = 0
GROUP BY o.employee, o.day HAVING COUNT(*) > 1
)"""
    if dups is None:
        rows = f"asn_rows AS (SELECT o.unit, o.day, o.reason{outs} FROM asn_own AS o)"
    else:
        rows = f"""asn_rows AS (
SELECT o.unit, o.day, CASE WHEN o.reason = 0 AND dp.reason IS NOT NULL THEN dp.reason ELSE o.reason END AS reason{outs}
FROM asn_own AS o
LEFT JOIN {dups} AS dp ON dp.employee = o.employee AND dp.day = o.day
)"""

    # The one pass: group keys unit, raw date (mapped afterwards when it is text) and the row class;
    # per group the rows, those with an unknown category, those with a known category and an unknown
    # mode, and the staff per slot.
    day_key = f"CAST(a.{cols.date} AS VARCHAR)" if cols.date_kind == "text" else day
    group_of = {under: i for i, under in enumerate(rel.slots_n)}
    slot_defs: list[tuple[int, int | None]] = [(i, None) for i in range(n_slots)]  # (n slot, mode code or None)
    slot_defs += [(group_of[under], MODE_CODES[mode]) for under, mode in rel.slots_k]
    slot_names = [f"n{i}" for i in range(n_slots)] + [f"k{i}" for i in range(len(rel.slots_k))]
    counts = ["cat_bad", "mode_bad", *slot_names]
    S, A = STATUS_SHIFT, AGENCY_SHIFT
    dup_join = ""
    if inline is None:
        row_class = (
            f"CASE WHEN {employee_bad} THEN {S} ELSE 0 END"
            f" + CASE WHEN r.code IS NULL THEN {2 * S} ELSE r.code * {3 * A} END"
            + (f" + CASE WHEN {level_bad} THEN {4 * S} ELSE {level_value} * {A} END" if cols.level else "")
            + (f" + {agency_key_v}" if cols.agency else "")
            + (f" + CASE WHEN ({good}) IS NULL THEN {32 * S} ELSE 0 END" if cols.date_kind != "text" else "")
            + (f" + CASE WHEN {hours_bad} THEN {64 * S} ELSE 0 END" if hours_columns(cols) else "")
        )
        if dups is not None:
            usable = (
                f"NOT {employee_bad} AND r.code IS NOT NULL AND c.category IS NOT NULL AND m.mode IS NOT NULL"
                f" AND NOT {level_bad} AND NOT {hours_bad}"
            )
            row_class += (
                f" + CASE WHEN dp.reason IS NOT NULL AND {usable} THEN"
                f" CASE WHEN dp.reason = {DUPLICATE} THEN {8 * S} ELSE {16 * S} END ELSE 0 END"
            )
            if cols.date_kind == "text":  # the duplicates by raw date: no date map joined in the pass
                dup_join = (
                    f"LEFT JOIN (SELECT x.employee, y.raw, x.reason FROM {dups} AS x"
                    " JOIN asn_day AS y ON y.day = x.day)"
                    f" AS dp ON dp.employee = {employee} AND dp.raw = CAST(a.{cols.date} AS VARCHAR)\n"
                )
            else:
                dup_join = f"LEFT JOIN {dups} AS dp ON dp.employee = {employee} AND dp.day = {good}\n"
        sums = [
            "SUM(CASE WHEN c.category IS NULL THEN 1 ELSE 0 END) AS cat_bad",
            "SUM(CASE WHEN c.category IS NOT NULL AND m.mode IS NULL THEN 1 ELSE 0 END) AS mode_bad",
        ]
        sums += [
            f"SUM(CASE WHEN m.mode {'> 0' if mc is None else f'= {mc}'} THEN c.m{i} ELSE 0 END) AS {name}"
            for (i, mc), name in zip(slot_defs, slot_names, strict=True)
        ]
        groups = f"""asn_groups AS (
SELECT {unit} AS unit, {day_key} AS day_raw, {row_class} AS row_class, COUNT(*) AS rows_read
  {"".join(", " + x for x in sums)}
FROM {source} AS a
{region_join}{category_join}{mode_join}{level_join}{agency_join}{dup_join}GROUP BY 1, 2, 3
)"""
    else:
        # asn_groups and asn_unitday at once; they read no value table.
        groups = _inline_unitday(inline, cols, slot_defs, source, dups)
    if cols.date_kind == "text":
        day_of, bad_of = "d.hint", "d.day IS NULL"
        day_join_g = "LEFT JOIN asn_day AS d ON d.raw = g.day_raw\n"
    else:
        day_of, bad_of, day_join_g = "g.day_raw", f"g.day_raw IS NULL OR (g.row_class // {32 * S}) % 2 = 1", ""
    decoded = f"""SELECT g.unit, {day_of} AS day, CASE WHEN {bad_of} THEN 1 ELSE 0 END AS bad, g.rows_read,
  g.row_class // {S} AS status,
  (g.row_class % {S}) // {3 * A} AS province, ((g.row_class % {S}) // {A}) % 3 AS level,
  g.row_class % {A} AS agency_key{"".join(", g." + x for x in counts)}
FROM asn_groups AS g
{day_join_g}"""
    # Each group splits into at most three reasons: its own (unit, employee, date, region), else the
    # rows with an unknown category, with an unknown mode and the rest (unknown level, else usable);
    # only the rest (part 2) carries the slot counts.
    whole = (
        f"CASE WHEN ASN_IS_BLANK(x.unit) THEN {EMPTY_UNIT} WHEN x.status % 2 = 1 THEN {EMPTY_EMPLOYEE} "
        f"WHEN x.bad = 1 THEN {BAD_DATE} WHEN (x.status // 2) % 2 = 1 THEN {UNKNOWN_REGION} "
        f"WHEN (x.status // 8) % 2 = 1 THEN {DUPLICATE} WHEN (x.status // 16) % 2 = 1 THEN {TWO_UNITS} END"
    )
    rest = (
        f"CASE WHEN (x.status // 4) % 2 = 1 THEN {UNKNOWN_LEVEL} WHEN (x.status // 64) % 2 = 1 THEN {BAD_HOURS} "
        "ELSE 0 END"
    )
    slot_sums = [f"SUM(CASE WHEN u.part = 2 THEN u.{name} ELSE 0 END) AS {name}" for name in slot_names]
    unitday = f"""asn_unitday AS (
SELECT
  u.unit, u.day, u.reason, SUM(u.n) AS rows_read,
  MIN(u.province) AS province, MAX(u.province) AS province_hi, MIN(u.level) AS level, MAX(u.level) AS level_hi,
  MIN(u.agency_key) AS agency_key, MAX(u.agency_key) AS agency_key_hi, MIN(COALESCE(an.ctx, 0)) AS agency_ctx
  {"".join(", " + x for x in slot_sums)}
FROM (
  SELECT x.*, 2 AS part, COALESCE({whole}, {rest}) AS reason,
    CASE WHEN {whole} IS NULL THEN x.rows_read - x.cat_bad - x.mode_bad ELSE x.rows_read END AS n
  FROM ({decoded}) AS x
  UNION ALL
  SELECT x.*, t.part, CASE t.part WHEN 0 THEN {UNKNOWN_CATEGORY} ELSE {UNKNOWN_MODE} END AS reason,
    CASE t.part WHEN 0 THEN x.cat_bad ELSE x.mode_bad END AS n
  FROM ({decoded}) AS x
  CROSS JOIN (SELECT 0 AS part UNION ALL SELECT 1) AS t
  WHERE {whole} IS NULL AND x.cat_bad + x.mode_bad > 0
) AS u
LEFT JOIN asn_agency_name AS an ON an.agency_key = u.agency_key AND u.agency_key > 0
WHERE u.n > 0
GROUP BY u.unit, u.day, u.reason
)"""
    if inline is not None:
        unitday = ""  # in groups
    ud = unitday_table or "asn_unitday"
    n_case = " ".join(f"WHEN {i} THEN s.n{i}" for i in range(len(rel.slots_n))) or "WHEN -1 THEN 0"
    k_case = " ".join(f"WHEN {i} THEN s.k{i}" for i in range(len(rel.slots_k))) or "WHEN -1 THEN 0"
    checks = f"""asn_lost AS (
SELECT unit, day, SUM(rows_read) AS lost FROM {ud}
WHERE (reason <> 0 OR NOT ({CONSISTENT.format(s="")})) AND day IS NOT NULL
GROUP BY unit, day
), asn_undated AS (
SELECT unit, SUM(rows_read) AS undated FROM {ud}
WHERE reason <> 0 AND day IS NULL AND NOT ASN_IS_BLANK(unit)
GROUP BY unit
), asn_judged AS (
SELECT s.*, COALESCE(l.lost, 0) AS rows_rejected, CASE WHEN w.undated IS NULL THEN 0 ELSE 1 END AS undated
FROM {ud} AS s
LEFT JOIN asn_lost AS l ON l.unit = s.unit AND l.day = s.day
LEFT JOIN asn_undated AS w ON w.unit = s.unit
WHERE s.reason = 0 AND {CONSISTENT.format(s="s.")}
), asn_situation AS (
SELECT * FROM asn_judged AS s
WHERE {"s.rows_rejected = 0 AND s.undated = 0" if complete_only else "1 = 1"}
), {day_applicable(rel)}, asn_checked AS (
SELECT
  s.unit, s.day, s.province, s.level, s.agency_key, s.rows_rejected, c.cid, c.circular, c.rule, c.grp, c.mode,
  c.cmp, c.bound,
  c.bnum, c.bden, CASE c.slot_n {n_case} END AS n, CASE c.slot_k {k_case} END AS k
FROM asn_situation AS s
JOIN asn_day_applicable AS p
  ON p.day = s.day AND p.province = s.province AND p.level = s.level AND p.agency = s.agency_ctx
JOIN asn_constraint AS c ON c.cid = p.cid
), asn_failed AS (
SELECT *, ASN_GCD(100 * k, n) AS g FROM asn_checked
WHERE n > 0 AND NOT (CASE cmp
  WHEN '<=' THEN 100 * k * bden <= bnum * n
  WHEN '>=' THEN 100 * k * bden >= bnum * n
  WHEN '=' THEN 100 * k * bden = bnum * n
  WHEN '<' THEN 100 * k * bden < bnum * n
  ELSE 100 * k * bden > bnum * n END)
)"""
    violations = """SELECT
  f.unit, f.day AS date, CAST(f.province AS VARCHAR) AS province, pn.name AS province_name,
  CASE f.level WHEN 1 THEN 'central' WHEN 2 THEN 'regional' END AS level,
  an.name AS agency, f.circular, f.rule, f.grp AS "group", f.mode, f.cmp AS comparison, f.bound,
  CASE WHEN f.n // f.g = 1 THEN CAST((100 * f.k) // f.g AS VARCHAR)
       ELSE CONCAT(CAST((100 * f.k) // f.g AS VARCHAR), '/', CAST(f.n // f.g AS VARCHAR)) END AS share,
  f.n, f.k, f.rows_rejected, f.cid
FROM asn_failed AS f
LEFT JOIN asn_province_name AS pn ON pn.code = f.province
LEFT JOIN asn_agency_name AS an ON an.agency_key = f.agency_key AND f.agency_key > 0"""
    return AuditSQL(
        rule_tables=rule_tables,
        tables=tables,
        own=own,
        rows=rows,
        groups=groups,
        unitday=unitday,
        checks=checks,
        violations=violations,
    )


def applicable_table(
    rel: Relational, table: Callable[[str, Sequence[str], Iterable[Sequence[object]], Sequence[str]], str]
) -> str:
    """``asn_applicable``, with the ``days`` column only when some row is not for every day."""
    columns = ["seg_start", "seg_end", "province", "level", "agency", "cid"]
    types = ["DATE", "DATE", "INTEGER", "INTEGER", "INTEGER", "BIGINT"]
    rows = [
        (a, b, int(p), LEVEL_CODES[lv], agency_ctx_code(rel, ag), cid, days)
        for a, b, p, lv, ag, cid, days in rel.applicable
    ]
    if rel.calendar is None:
        return table("asn_applicable", columns, [r[:-1] for r in rows], types)
    return (
        f"-- asn_applicable.days: {EVERY_DAY} every day, {WORKING_DAYS} the working days of the province, "
        f"{NON_WORKING_DAYS} its other days (asn_calendar)\n"
        + table("asn_applicable", [*columns, "days"], rows, [*types, "INTEGER"])
    )


def calendar_table(
    rel: Relational, table: Callable[[str, Sequence[str], Iterable[Sequence[object]], Sequence[str]], str]
) -> str:
    """``asn_calendar(day, province, working)`` (:func:`calendar_rows`), with a comment for the reader."""
    assert rel.calendar is not None and rel.calendar_years is not None
    years = calendar_years_text(rel.calendar_years)
    comment = (
        f"-- asn_calendar: the days of {years} the weekday does not decide; province {NATIONWIDE}: the whole country "
        "(working 0: a holiday or cuti bersama, 1: a declared working day), else a holiday of that province only\n"
    )
    return comment + table("asn_calendar", ["day", "province", "working"], rel.calendar, ["DATE", "INTEGER", "INTEGER"])


def calendar_years_text(years: tuple[int, int]) -> str:
    """``2024``, ``2024-2026``, or ``no year with holidays`` (rows only outside the calendar's years)."""
    first, last = years
    if first > last:
        return "no year with holidays"
    return str(first) if first == last else f"{first}-{last}"


def day_applicable(rel: Relational) -> str:
    """The CTE ``asn_day_applicable(day, province, level, agency, cid)``: the rows of ``asn_applicable``
    for each day of the situations (and, with a calendar, each province: a row for working days only
    on a working day of its province, one for non-working days only on the others; the weekday by
    ``ASN_ISO_WEEKDAY``, the same in every dialect)."""
    if rel.calendar is None:
        return """asn_day_applicable AS (
SELECT d.day, p.province, p.level, p.agency, p.cid
FROM (SELECT DISTINCT day FROM asn_situation) AS d
JOIN asn_applicable AS p ON d.day BETWEEN p.seg_start AND p.seg_end
)"""
    weekday = "CASE WHEN ASN_ISO_WEEKDAY(d.day) >= 6 THEN 0 ELSE 1 END"
    return f"""asn_day_kind AS (
SELECT d.day, d.province,
  CASE WHEN COALESCE(cp.working, cn.working, {weekday}) = 1 THEN {WORKING_DAYS} ELSE {NON_WORKING_DAYS} END AS days
FROM (SELECT DISTINCT day, province FROM asn_situation) AS d
LEFT JOIN asn_calendar AS cn ON cn.day = d.day AND cn.province = {NATIONWIDE}
LEFT JOIN asn_calendar AS cp ON cp.day = d.day AND cp.province = d.province
), asn_day_applicable AS (
SELECT d.day, p.province, p.level, p.agency, p.cid
FROM asn_day_kind AS d
JOIN asn_applicable AS p ON p.province = d.province AND d.day BETWEEN p.seg_start AND p.seg_end
WHERE p.days = {EVERY_DAY} OR p.days = d.days
)"""


#: A unit-day's usable rows agree on province, level and agency (``{s}``: a table prefix).
CONSISTENT = "{s}province = {s}province_hi AND {s}level = {s}level_hi AND {s}agency_key = {s}agency_key_hi"
LEVEL_CODES = {"": 0, "central": 1, "regional": 2}
MODE_CODES = {"LEAVE": 0, "WFO": 1, "WFH": 2, "WFA": 3}


def agency_ctx_code(rel: Relational, key: str | None) -> int:
    """0 for no agency named by a rule, else the 1-based position of ``key`` among the named ones."""
    if not key:
        return 0
    names = sorted(rel.agencies)
    return names.index(key) + 1 if key in rel.agencies else 0


def build_rejects(
    rel: Relational,
    cols: Columns,
    maps: Sequence[str],
    raw: Sequence[tuple[str, str]],
    unitday_table: str | None = None,
    filename: str | None = None,
    dups: str | None = "asn_dup",
) -> str:
    """Every rejected row, with the reason in words (:data:`REASONS`): ``raw`` lists (column of the
    source as SQL, name in the output) of the columns to give, as text; ``filename``: the source's
    column (SQL) naming the file each row comes from, given as ``source_file``. ``unitday_table``: the
    unit-day table already computed (else it is computed here), whose disagreeing unit-days reject
    their usable rows; ``dups``: as :func:`build_audit`."""
    extra = [f"CAST(a.{src} AS VARCHAR) AS raw_{i}" for i, (src, _) in enumerate(raw)]
    if filename:
        extra.append(f"CAST(a.{filename} AS VARCHAR) AS raw_file")
    a = build_audit(rel, cols, maps, extra=extra, dups=dups)
    ud = unitday_table or "asn_unitday"
    bad = f"asn_bad AS (SELECT unit, day FROM {ud} WHERE reason = 0 AND NOT ({CONSISTENT.format(s='')}))"
    reason = (
        "CASE r.reason "
        + " ".join(f"WHEN {n} THEN {sql_literal(t)}" for n, t in REASONS.items() if n != CONFLICT)
        + f" WHEN 0 THEN {sql_literal(REASONS[CONFLICT])} END"
    )
    outs = [f"r.raw_{i} AS {_ident(name)}" for i, (_, name) in enumerate(raw)]
    if filename:
        outs.append("r.raw_file AS source_file")
    ctes = [a.own, a.rows, *([a.groups, a.unitday] if unitday_table is None else []), bad]
    return (
        a.with_(*ctes, rules=False) + f"SELECT {', '.join(outs)}, {reason} AS reason FROM asn_rows AS r "
        "LEFT JOIN asn_bad AS b ON b.unit = r.unit AND b.day = r.day "
        "WHERE r.reason <> 0 OR b.unit IS NOT NULL"
    )  # b: only ever joined for usable rows (a rejected row's day may be NULL)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: The rows of the accounting statement: what is counted, in this order (LANGUAGE.md §7, §13).
SUMMARY_ITEMS = (
    "rows read",
    "rows audited",
    "rows rejected",
    *REASONS.values(),
    "rejected rows with no unit-day",
    "unit-days audited",
    "unit-days compliant",
    "unit-days with violations",
    "unit-days uncovered",
    "unit-days audited with rows rejected",
    "unit-days not audited (--complete-only)",
    "units audited",
)


def build_summary(unitday: str) -> tuple[str, str]:
    """The CTE and the SELECT of the accounting, from the unit-day table ``unitday`` and the CTEs of
    :attr:`AuditSQL.checks` (which the caller puts before): one row per item of :data:`SUMMARY_ITEMS`
    (``item``, ``n``), each counted on its own, so that rows read = rows audited + rows rejected, rows
    rejected = the sum over the reasons, and unit-days audited = compliant + with violations +
    uncovered can be checked. A unit-day is covered when a constraint with staff to count applies."""
    ok = CONSISTENT.format(s="")
    sums = [
        "COALESCE(SUM(rows_read), 0)",
        f"COALESCE(SUM(CASE WHEN reason = 0 AND {ok} THEN rows_read ELSE 0 END), 0)",
        f"COALESCE(SUM(CASE WHEN reason <> 0 OR NOT ({ok}) THEN rows_read ELSE 0 END), 0)",
    ]
    for n in REASONS:
        test = f"reason = 0 AND NOT ({ok})" if n == CONFLICT else f"reason = {n}"
        sums.append(f"COALESCE(SUM(CASE WHEN {test} THEN rows_read ELSE 0 END), 0)")
    sums.append(
        "COALESCE(SUM(CASE WHEN reason <> 0 AND (day IS NULL OR ASN_IS_BLANK(unit)) THEN rows_read ELSE 0 END), 0)"
    )
    judged = [
        "(SELECT COUNT(*) FROM asn_situation)",
        "(SELECT COUNT(*) FROM (SELECT unit, day FROM asn_checked WHERE n > 0 GROUP BY unit, day) AS x)",
        "(SELECT COUNT(*) FROM (SELECT unit, day FROM asn_failed GROUP BY unit, day) AS x)",
        "(SELECT COUNT(*) FROM asn_situation WHERE rows_rejected > 0)",
        "(SELECT COUNT(*) FROM asn_judged)",
        "(SELECT COUNT(*) FROM (SELECT unit FROM asn_situation GROUP BY unit) AS x)",
    ]
    cols = [f"{x} AS t{i}" for i, x in enumerate(sums)]
    cols += [f"{x} AS j{i}" for i, x in enumerate(judged)]
    totals = f"asn_totals AS (SELECT {', '.join(cols)} FROM {unitday})"
    picks = [f"t.t{i}" for i in range(len(sums))]
    picks += ["t.j0", "t.j1 - t.j2", "t.j2", "t.j0 - t.j1", "t.j3", "t.j4 - t.j0", "t.j5"]
    assert len(picks) == len(SUMMARY_ITEMS)
    items = values_table("asn_items", ["pos", "item"], list(enumerate(SUMMARY_ITEMS)), ["INTEGER", "VARCHAR"])
    pick = " ".join(f"WHEN {i} THEN {x}" for i, x in enumerate(picks))
    select = (
        f"SELECT i.item, CAST(CASE i.pos {pick} END AS BIGINT) AS n FROM asn_totals AS t CROSS JOIN asn_items AS i "
        "ORDER BY i.pos"
    )
    return f"{totals},\n{items}", select


def printed_columns(columns: Sequence[str] | None = None, date_type: str = "text") -> Columns:
    """The columns the printed query reads: all of §7 (``agency`` and ``level`` included) when
    ``columns`` is ``None``, else those of ``columns`` (the attendance table's column names, matched
    case-insensitively; the optional ones are read when present). ``date_type``: ``text`` (read as
    :func:`asnrules.runtime.read_date` reads a text), ``date`` or ``timestamp`` (midnight only)."""
    if date_type not in ("text", "date", "timestamp"):
        raise ValueError(f"unknown date type {date_type!r}: use text, date or timestamp")
    cols = Columns() if columns is None else attendance_columns(list(columns), where=msg("audit.the-attendance-table"))
    return replace(cols, date_kind=date_type)


def compile_sql_statements(
    model: Model, dialect: str = "duckdb", columns: Sequence[str] | None = None, date_type: str = "text"
) -> tuple[str, str, str]:
    """The printed audit as three statements in ``dialect``: the violations, the rejected rows and the
    accounting (see :func:`compile_sql`)."""
    from .sql_values import sql_value_maps

    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}: use one of {', '.join(DIALECTS)}")
    rel = relational(model)
    cols = printed_columns(columns, date_type)
    maps = sql_value_maps(rel, cols)
    a = build_audit(rel, cols, maps)
    violations = a.with_(a.own, a.groups, a.unitday, a.checks) + a.violations + "\nORDER BY date, unit, cid"
    given = [(name, getattr(cols, name)) for name in (*REQUIRED, *OPTIONAL)]
    raw = [(str(col), name) for name, col in given if col]
    known = {str(col) for _, col in given if col}
    # Every other column of the table travels with its rejected rows too (an id, a source system...).
    raw += [(_ident(n), n) for n in columns or () if _ident(n) not in known]
    rejects = build_rejects(rel, cols, maps, raw) + "\nORDER BY " + ", ".join(_ident(n) for _, n in raw)
    totals, summary = build_summary("asn_unitday")
    accounting = a.with_(a.own, a.groups, a.unitday, a.checks, totals) + summary
    return (
        translate(violations, dialect, pretty=True),
        translate(rejects, dialect, pretty=True),
        translate(accounting, dialect, pretty=True),
    )


def compile_sql(
    model: Model, dialect: str = "duckdb", columns: Sequence[str] | None = None, date_type: str = "text"
) -> str:
    """The audit as standalone SQL in ``dialect`` (duckdb, spark, postgres or trino): three statements,
    each separated by ``;`` and a blank line (the header comment says the same for a reader):

    1. the violations: one row per failed constraint per unit-day (the columns of ``asnrules audit
       --out``, and ``cid``, the constraint's position in the rule set);
    2. the rejected rows: every row of ``attendance`` that is not audited, its columns as text and the
       ``reason`` (the words of :data:`REASONS`), as ``asnrules audit --rejects`` gives them;
    3. the accounting: ``(item, n)`` rows — rows read, rows audited, rows rejected, the rows rejected
       for each reason, unit-days audited — so rows read = rows audited + rows rejected can be checked.

    It reads a table or view named ``attendance`` with the columns of LANGUAGE.md §7: all of them when
    ``columns`` is ``None``, else those named in ``columns`` (``agency`` and ``level`` are optional;
    see :func:`printed_columns`); ``date`` as text unless ``date_type`` says otherwise. Values are read
    exactly as :mod:`asnrules.runtime` reads them (:mod:`asnrules.sql_values`), with no dependence on
    the engine's collation, case folding, trimming or date style (:mod:`asnrules.sql_dialects`).
    """
    statements = list(compile_sql_statements(model, dialect, columns, date_type))
    windows = compile_window_statement(model, dialect, columns, date_type)
    rel = relational(model)
    cols = printed_columns(columns, date_type)
    names = [n for n in (*REQUIRED, *OPTIONAL) if getattr(cols, n)]
    count = "three" if windows is None else "four"
    header = (
        f"-- asnrules audit ({dialect}): {count} statements, each ended by ';' and a blank line.\n"
        "--   1. violations: one row per failed constraint per unit-day;\n"
        "--   2. rejected rows: every row not audited, its columns as text, and the reason;\n"
        "--   3. accounting: (item, n) rows: rows read = rows audited + rows rejected, and the rows\n"
        "--      rejected for each reason. No row is dropped without a reason.\n"
        + (
            ""
            if windows is None
            else "--   4. employee-window violations (LANGUAGE.md §12): one row per employee, window and employee\n"
            "--      rule broken, the rows counted being those statement 1 audits; the windows of the days of\n"
            f"--      {FIRST_YEAR}-{LAST_YEAR} (the years the calendar knows; asnrules audit cuts them to the\n"
            "--      data's).\n"
        )
        + f"-- Input: a table or view `attendance({', '.join(names)})`"
        f"{'' if date_type == 'text' else f' (date: {date_type})'}.\n"
        "-- Values are read as asnrules reads them: names by runtime.name_key (blanks, '_' and hyphens\n"
        "-- as one space, ASCII letters in any case), dates as YYYY-MM-DD with an optional time part at\n"
        "-- midnight, whatever the server's collation or date style.\n"
        f"-- {len(rel.constraints)} constraints, {len(rel.applicable)} applicability rows "
        "(supersedes/overrides resolved at compile time).\n"
    )
    if rel.calendar is not None and rel.calendar_years is not None:
        years = calendar_years_text(rel.calendar_years)
        header += (
            "-- Working days (rules 'on working days'): asn_applicable.days says which days a row is for\n"
            f"-- ({EVERY_DAY} every day, {WORKING_DAYS} the working days of its province, {NON_WORKING_DAYS} the other "
            f"days); asn_calendar ({len(rel.calendar)} rows,\n"
            f"-- {years}) holds the holidays, cuti bersama and declared days of the rule set's calendar.\n"
            "-- A day is a working day in a province by the province's row in asn_calendar, else by the\n"
            "-- country's row, else when it is not a Saturday or Sunday.\n"
        )
    if windows is not None:
        statements.append(windows)
    return header + ";\n\n".join(statements) + ";\n"


def compile_window_statement(
    model: Model, dialect: str = "duckdb", columns: Sequence[str] | None = None, date_type: str = "text"
) -> str | None:
    """The printed employee-window audit (:func:`build_windows`) in ``dialect``, for the days of the
    years the calendar knows (:data:`asnrules.workdays.FIRST_YEAR` to ``LAST_YEAR``); ``None`` when the
    rule set has no employee rule."""
    from .sql_values import sql_value_maps

    if not model.employee_constraints:
        return None
    cols = printed_columns(columns, date_type)
    sql = build_windows(model, employee_tables(model), cols, sql_value_maps(relational(model), cols))
    assert sql is not None
    return translate(sql, dialect, pretty=True)


# ---- employee rules (LANGUAGE.md §12): the scope and the windows the window audit joins -------------


@dataclass(frozen=True)
class EmployeeTables:
    """The tables of the employee-window audit, computed once from the one plan
    (:func:`asnrules.applicability.applicability` with ``employee=True``), cut to the days of ``years``:

    - ``scope``: ``(eid, province, level, agency, first, last, days)``: on the days ``first..last``
      an employee of a unit in ``province`` (Kemendagri code as an integer) whose level is ``level``
      (:data:`LEVEL_CODES`) and whose agency context is ``agency`` (:func:`agency_ctx_code`) is in
      the scope of employee constraint ``eid`` (its position in ``model.employee_constraints``) on
      every day (``days`` :data:`EVERY_DAY`), or on the working (:data:`WORKING_DAYS`) or other
      (:data:`NON_WORKING_DAYS`) days of the province only, as ``asn_applicable`` says it for the
      share constraints: runs of the plan, not days, so the table is as long as the plan;
    - ``spans``: ``(eid, province, level, agency, first, last)``: the maximal runs of days each of
      which is in the constraint's scope or, for a rule ``on working days``, not a working day of the
      province (and that meet the scope): a window lies whole in the scope (LANGUAGE.md §12, exactly
      as :func:`asnrules.employee.check_employee` decides it) when one span holds it;
    - ``members``: ``(eid, category)``: the categories each constraint binds
      (:meth:`~asnrules.model.EmployeeConstraint.binds`);
    - ``calendar``: the rows of ``asn_calendar`` (:func:`calendar_rows`) for ``calendar_years``,
      ``None`` when every scope row is for every day (the SQL then needs no calendar).

    Group membership is independent of the context, so it is a table of its own. A window's last
    day and its possible days (:func:`asnrules.runtime.possible_days`) are computed in the SQL."""

    scope: tuple[tuple[int, int, int, int, dt.date, dt.date, int], ...]
    spans: tuple[tuple[int, int, int, int, dt.date, dt.date], ...]
    members: tuple[tuple[int, str], ...]
    calendar: tuple[tuple[dt.date, int, int], ...] | None
    calendar_years: tuple[int, int] | None
    days: tuple[dt.date, dt.date]


def employee_tables(model: Model, years: tuple[int, int] | None = None) -> EmployeeTables:
    """:class:`EmployeeTables` for the days of the years ``years`` (the data's first and last), the
    windows that reach beyond them included (an ISO week of 30 December); ``None``: the years the
    calendar knows holidays in (:data:`asnrules.workdays.FIRST_YEAR` to ``LAST_YEAR``), as the printed
    statement says."""
    from .runtime import window_of
    from .workdays import FIRST_YEAR, LAST_YEAR

    lo_year, hi_year = years if years is not None else (FIRST_YEAR, LAST_YEAR)
    start = window_of(dt.date(lo_year, 1, 1).toordinal(), "week")[0]
    end = max(window_of(dt.date(hi_year, 12, 31).toordinal(), "week")[1], dt.date(hi_year, 12, 31).toordinal())
    constraints = model.employee_constraints
    rules = {r.id: r for r in model.rules}
    names = sorted({a for r in model.rules for a in r.audience.agencies})  # as agency_ctx_code numbers them
    # per (eid, province, level, agency) and days (every, working, non-working): runs of days, merged
    runs: dict[tuple[int, str, str, str], dict[int, list[list[int]]]] = {}
    for run, (lv, ag), days, ids in _context_rows(model, employee=True):
        if run.province is None:
            continue
        first = max((run.first or FIRST_DAY).toordinal(), start)
        last = min((run.last or LAST_DAY).toordinal(), end)
        if first > last:
            continue
        for eid in ids:
            seq = runs.setdefault((eid, run.province, lv or "", ag or ""), {}).setdefault(days, [])
            if seq and seq[-1][1] + 1 == first:
                seq[-1][1] = last
            else:
                seq.append([first, last])
    calendar = model.workdays
    working_cache: dict[tuple[int, str], bool] = {}

    def working(province: str, o: int) -> bool:
        found = working_cache.get((o, province))
        if found is None:
            found = working_cache[(o, province)] = calendar.is_working_day(dt.date.fromordinal(o), province)
        return found

    scope: list[tuple[int, int, int, int, dt.date, dt.date, int]] = []
    spans: list[tuple[int, int, int, int, dt.date, dt.date]] = []
    for (eid, province, lv, ag), by_days in sorted(runs.items()):
        key = (eid, int(province), LEVEL_CODES[lv], names.index(ag) + 1 if ag else 0)
        for days, seq in sorted(by_days.items()):
            scope.extend((*key, dt.date.fromordinal(a), dt.date.fromordinal(b), days) for a, b in seq)
        wd = rules[constraints[eid].rule_id].working_days
        for a, b in _scope_spans(by_days, wd, partial(working, province), start, end):
            spans.append((*key, dt.date.fromordinal(a), dt.date.fromordinal(b)))
    members = tuple(
        (c.id, category) for c in constraints for category in sorted(model.categories) if c.binds(category, model.under)
    )
    table, cut = None, None
    if any(row[-1] != EVERY_DAY for row in scope):
        cut = (max(FIRST_YEAR, lo_year - 1), min(LAST_YEAR, hi_year + 1))
        table = calendar_rows(calendar.frozen(*cut)) if cut[0] <= cut[1] else ()
    return EmployeeTables(
        tuple(scope), tuple(spans), members, table, cut, (dt.date.fromordinal(start), dt.date.fromordinal(end))
    )


def _scope_spans(
    by_days: Mapping[int, Sequence[Sequence[int]]], wd: bool, working: Callable[[int], bool], start: int, end: int
) -> list[tuple[int, int]]:
    """The maximal runs of days (ordinals within ``start..end``) each in scope or excused (a
    non-working day of a rule ``on working days``, ``wd``) that meet the scope, from the scope's runs
    per kind of days (:data:`EVERY_DAY`, ...). A day of a run for every day, or for working days of a
    rule on working days, needs no look at the calendar; only the runs for some days of another rule,
    and the non-working days next to the scope, are looked at day by day."""
    points = sorted(
        {a for seq in by_days.values() for a, _ in seq} | {b + 1 for seq in by_days.values() for _, b in seq}
    )
    out: list[list[int]] = []

    def true_from(a: int, b: int) -> None:  # the days a..b hold: extend the last span or start one
        if out and out[-1][1] + 1 == a:
            out[-1][1] = b
        else:
            out.append([a, b])

    def gap(a: int, b: int) -> None:  # no scope: a day holds only when excused, and only next to a span
        if not wd:
            return
        o = a
        while o <= b and out and out[-1][1] + 1 == o and not working(o):
            out[-1][1] = o
            o += 1
        back = b
        while back >= o and not working(back):
            back -= 1
        if back < b:
            out.append([back + 1, b])  # a span to be met by the scope's next run (dropped if it is not)

    covered_from = start
    for a, b1 in pairwise(points):
        b = b1 - 1
        kinds = {d for d, seq in by_days.items() for x, y in seq if x <= a and b <= y}
        if not kinds:
            continue
        if a > covered_from:
            gap(covered_from, a - 1)
        covered_from = b + 1
        if EVERY_DAY in kinds or {WORKING_DAYS, NON_WORKING_DAYS} <= kinds or (WORKING_DAYS in kinds and wd):
            true_from(a, b)
            continue
        for o in range(a, b + 1):
            w = working(o)
            if (w and WORKING_DAYS in kinds) or (not w and (NON_WORKING_DAYS in kinds or wd)):
                true_from(o, o)
    if covered_from <= end:
        gap(covered_from, end)
    # a span of excused days alone does not meet the scope (it holds no window with a row in scope)
    inside = [(x, y) for seq in by_days.values() for x, y in seq]
    return [(a, b) for a, b in out if any(x <= b and a <= y for x, y in inside)]


#: The columns of the employee-window violations (as :data:`asnrules.employee.WINDOW_COLUMNS`).
WINDOW_OUTPUT = (
    "employee",
    "unit",
    "window",
    "first",
    "last",
    "circular",
    "rule",
    "source",
    "measure",
    "amount",
    "bound",
    "comparison",
)
_MEASURES = {"WFO": 1, "WFH": 2, "WFA": 3, "LEAVE": 4, "works": 5, "overtime": 6}
#: Fractions with a denominator dividing this are written as decimals (:func:`asnrules.employee.fraction_text`).
_DECIMAL_UNIT = 10**12


def _fraction_text(x: str, y: str) -> str:
    """SQL for :func:`asnrules.employee.fraction_text` of the non-negative fraction ``x/y`` (integers,
    ``y`` > 0, already in lowest terms): a whole number, a decimal when ``y`` divides 10^12, else
    ``x/y``."""
    u = _DECIMAL_UNIT
    scaled = f"({x}) * ({u} // ({y}))"
    decimal = (
        f"CONCAT(CAST({scaled} // {u} AS VARCHAR), CASE WHEN {scaled} % {u} = 0 THEN '' ELSE "
        f"CONCAT('.', RTRIM(LPAD(CAST({scaled} % {u} AS VARCHAR), 12, '0'), '0')) END)"
    )
    return (
        f"CASE WHEN ({y}) = 1 THEN CAST({x} AS VARCHAR) WHEN {u} % ({y}) = 0 THEN {decimal} "
        f"ELSE CONCAT(CAST({x} AS VARCHAR), '/', CAST({y} AS VARCHAR)) END"
    )


def _window_start(kind: str, day: str) -> str:
    if kind == "day":
        return day
    return f"CAST(DATE_TRUNC('{kind}', {day}) AS DATE)"  # an ISO week starts on Monday in every dialect


def _window_end(kind: str, wfirst: str) -> str:
    """The last day of the window of ``kind`` that starts on ``wfirst`` (no later than 9999-12-31, as
    :func:`asnrules.runtime.window_of` clips it)."""
    step = {"day": None, "week": "INTERVAL 6 DAY", "month": "INTERVAL 1 MONTH - INTERVAL 1 DAY"}.get(
        kind, "INTERVAL 1 YEAR - INTERVAL 1 DAY"
    )
    if step is None:
        return wfirst
    return f"LEAST(CAST({wfirst} + {step} AS DATE), DATE '9999-12-31')"


def _days(first: str, last: str) -> str:
    """The days from ``first`` to ``last`` (both included)."""
    return f"(DATE_DIFF('day', {first}, {last}) + 1)"


def _weekdays(first: str, last: str) -> str:
    """:func:`asnrules.runtime.weekdays_between` in SQL: the Mondays to Fridays from ``first`` to
    ``last`` — five in each whole week, and of the rest (fewer than 7 days from the weekday ``s`` of
    ``first``, Monday 0) those at positions 0–4 and 7–11 of two weeks, ``f(s + rest) - f(s)`` with
    ``f(x) = min(x, 5) + max(0, min(x, 12) - 7)``."""
    n = _days(first, last)
    s = f"(ASN_ISO_WEEKDAY({first}) - 1)"

    def f(x: str) -> str:
        return f"(LEAST({x}, 5) + GREATEST(0, LEAST({x}, 12) - 7))"

    return f"(({n} // 7) * 5 + {f(f'{s} + {n} % 7')} - {f(s)})"


def build_windows(
    model: Model,
    tables: EmployeeTables,
    cols: Columns,
    maps: Sequence[str],
    source: str = "attendance",
    table: Callable[[str, Sequence[str], Iterable[Sequence[object]], Sequence[str]], str] = values_table,
    order: bool = False,
    dups: str | None = "asn_dup",
) -> str | None:
    """The employee-window audit (LANGUAGE.md §12) as one statement (DuckDB dialect): the violating
    windows (:data:`WINDOW_OUTPUT`; with ``order``, also ``window_order``, the rank of each row in
    the reference's order, for a table written later), one set-based aggregate per window kind of the
    rule set, ``None`` when it has no employee rules; ``dups``: the duplicated employee-days, as for
    :func:`build_audit` (an engine gives the table it made for the unit-day audit). The rows counted
    are those :func:`build_audit` audits (its own classification: a row's own reasons, duplicates,
    unit-days that disagree), grouped as
    :func:`asnrules.employee.audit_windows` groups them, by employee, unit, province, category, level
    and agency; each row's day is in a constraint's scope when it lies in a run of
    :attr:`EmployeeTables.scope` for its kind of day (working or not in its province, by
    ``asn_calendar`` and the weekday) and its category is a member (:attr:`EmployeeTables.members`);
    a window is whole when a span of :attr:`EmployeeTables.spans` holds it, and its last day and its
    possible days are computed from its first (:func:`_window_end`, :func:`_weekdays`): the tables are
    as long as the plan, whatever the years of the data. Amounts are
    counted in ten-thousandths (days: 10,000 a day) and compared exactly with
    :func:`asnrules.runtime.judge_window`'s rule: an upper bound on every window, a lower bound on
    whole windows with the reachable amount."""
    constraints = model.employee_constraints
    if not constraints:
        return None
    from .employee import fraction_text

    rel_dummy = Relational((), (), (), (), frozenset(), {}, None, None)
    hours_index = {c: i for i, c in enumerate(hours_columns(cols))}
    hours = f"h{hours_index[cols.hours]}.tenk" if cols.hours else "CAST(NULL AS BIGINT)"
    overtime = f"h{hours_index[cols.overtime]}.tenk" if cols.overtime else "CAST(NULL AS BIGINT)"
    extra = [
        f"CAST(a.{cols.employee} AS VARCHAR) AS e_employee",
        "r.code AS e_province",
        "c.category AS e_category",
        "CASE WHEN m.mode = 0 THEN 4 ELSE m.mode END AS e_mode",
        ("COALESCE(l.level, 0)" if cols.level else "0") + " AS e_level",
        ("COALESCE(g.agency_key, 0)" if cols.agency else "0") + " AS e_agency_key",
        ("COALESCE(g.agency_ctx, 0)" if cols.agency else "0") + " AS e_agency_ctx",
        f"{hours} AS e_hours",
        f"{overtime} AS e_overtime",
    ]
    a = build_audit(rel_dummy, cols, maps, source=source, extra=extra, dups=dups)
    fraction = [(Fraction(c.amount), c) for c in constraints]
    working_days = {r.id: r.working_days for r in model.rules}
    econ = table(
        "asn_econ",
        ["eid", "circular", "rule", "source", "measure", "measure_name", "cmp", "anum", "aden", "btext", "kind", "wd"],
        [
            (c.id, c.circular, c.rule, str(c.source), _MEASURES[c.measure], c.measure, c.comparison, *rest)
            for f, c in fraction
            for rest in [(f.numerator, f.denominator, fraction_text(f), c.window, int(working_days[c.rule_id]))]
        ],
        [
            "BIGINT",
            *["VARCHAR"] * 3,
            "BIGINT",
            "VARCHAR",
            "VARCHAR",
            "BIGINT",
            "BIGINT",
            "VARCHAR",
            "VARCHAR",
            "INTEGER",
        ],
    )
    scope = table(
        "asn_escope",
        ["eid", "province", "level", "agency", "first", "last", "days"],
        tables.scope,
        ["BIGINT", "INTEGER", "INTEGER", "INTEGER", "DATE", "DATE", "INTEGER"],
    )
    spans = table(
        "asn_espan",
        ["eid", "province", "level", "agency", "first", "last"],
        tables.spans,
        ["BIGINT", "INTEGER", "INTEGER", "INTEGER", "DATE", "DATE"],
    )
    members = table("asn_emember", ["eid", "category"], tables.members, ["BIGINT", "VARCHAR"])
    if tables.calendar is None:
        day_kind, calendar_joins, in_days = f"{EVERY_DAY} AS e_days", "", ""
    else:
        weekday = "CASE WHEN ASN_ISO_WEEKDAY(r.day) >= 6 THEN 0 ELSE 1 END"
        day_kind = (
            f"CASE WHEN COALESCE(cp.working, cn.working, {weekday}) = 1 THEN {WORKING_DAYS} "
            f"ELSE {NON_WORKING_DAYS} END AS e_days"
        )
        calendar_joins = (
            f"\nLEFT JOIN asn_calendar AS cn ON cn.day = r.day AND cn.province = {NATIONWIDE}"
            "\nLEFT JOIN asn_calendar AS cp ON cp.day = r.day AND cp.province = r.e_province"
        )
        in_days = f" AND (s.days = {EVERY_DAY} OR s.days = u.e_days)"
    usable = f"""asn_eok AS (
SELECT unit, day FROM asn_rows WHERE reason = 0 GROUP BY unit, day
HAVING MIN(e_province) = MAX(e_province) AND MIN(e_level) = MAX(e_level) AND MIN(e_agency_key) = MAX(e_agency_key)
), asn_eu AS (
SELECT r.*, {day_kind} FROM asn_rows AS r JOIN asn_eok AS k ON k.unit = r.unit AND k.day = r.day{calendar_joins}
WHERE r.reason = 0
)"""
    kinds = [k for k in ("day", "week", "month", "year") if any(c.window == k for c in constraints)]
    parts = []
    for kind in kinds:
        parts.append(f"""SELECT u.e_employee AS employee, u.unit, u.e_province AS province, u.e_category AS category,
  u.e_level AS level, u.e_agency_key AS agency_key, u.e_agency_ctx AS agency, c.eid,
  {_window_start(kind, "u.day")} AS wfirst, {_window_end(kind, _window_start(kind, "u.day"))} AS wlast,
  SUM(CASE WHEN c.measure <= 4 THEN CASE WHEN u.e_mode = c.measure THEN {HOURS_SCALE} ELSE 0 END
           WHEN u.e_mode = 4 THEN 0
           WHEN c.measure = 5 THEN COALESCE(u.e_hours, 0) ELSE COALESCE(u.e_overtime, 0) END) AS amt,
  SUM(CASE WHEN c.measure <= 4 THEN CASE WHEN c.measure = 4 OR u.e_mode <> 4 THEN 1 ELSE 0 END
           WHEN u.e_mode = 4 THEN 0
           WHEN c.measure = 5 THEN CASE WHEN u.e_hours IS NULL THEN 0 ELSE 1 END ELSE 1 END) AS counted
FROM asn_eu AS u
JOIN asn_escope AS s ON s.province = u.e_province AND s.level = u.e_level AND s.agency = u.e_agency_ctx
  AND u.day BETWEEN s.first AND s.last{in_days}
JOIN asn_emember AS mb ON mb.eid = s.eid AND mb.category = u.e_category
JOIN asn_econ AS c ON c.eid = s.eid AND c.kind = '{kind}'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10""")
    aggregate = "asn_eagg AS (\n" + "\nUNION ALL\n".join(parts) + "\n)"
    judged = f"""asn_ejudged AS (
SELECT x.*, CASE WHEN w.eid IS NULL THEN 0 ELSE 1 END AS whole,
  CASE WHEN c.wd = 1 THEN {_weekdays("x.wfirst", "x.wlast")} ELSE {_days("x.wfirst", "x.wlast")} END AS possible,
  c.circular, c.rule, c.source, c.measure, c.measure_name, c.cmp, c.anum, c.aden, c.btext, c.kind
FROM asn_eagg AS x
JOIN asn_econ AS c ON c.eid = x.eid
LEFT JOIN asn_espan AS w ON w.eid = x.eid AND w.province = x.province AND w.level = x.level
  AND w.agency = x.agency AND w.first <= x.wfirst AND x.wlast <= w.last
), asn_eneed AS (
SELECT j.*,
  CASE WHEN j.cmp IN ('<=', '<', '=') AND CASE WHEN j.cmp = '<' THEN j.amt * j.aden >= j.anum * {HOURS_SCALE}
       ELSE j.amt * j.aden > j.anum * {HOURS_SCALE} END THEN 1
       WHEN j.cmp IN ('>=', '>', '=') AND j.whole = 1 THEN 2 ELSE 0 END AS part,
  CASE WHEN j.measure < 4 AND (j.counted * j.aden < j.anum OR (j.cmp = '>' AND j.counted * j.aden <= j.anum)) THEN 1
       WHEN j.measure > 4 AND j.counted < j.possible THEN 2
       WHEN j.measure = 4 AND j.counted < j.possible THEN 3 ELSE 0 END AS lowered
FROM asn_ejudged AS j
), asn_elower AS (
SELECT e.*,
  CASE e.lowered WHEN 1 THEN e.counted WHEN 2 THEN e.anum * e.counted
    WHEN 3 THEN (e.anum * e.counted) // (e.aden * GREATEST(e.possible, 1)) ELSE e.anum END AS nnum,
  CASE e.lowered WHEN 1 THEN 1 WHEN 2 THEN e.aden * GREATEST(e.possible, 1) WHEN 3 THEN 1 ELSE e.aden END AS nden
FROM asn_eneed AS e WHERE e.part = 2
), asn_efailed AS (
SELECT {{keep}}, e.anum AS fnum, e.aden AS fden, CASE WHEN e.cmp = '=' THEN '<=' ELSE e.cmp END AS fcmp,
  0 AS lowered_out
FROM asn_eneed AS e WHERE e.part = 1
UNION ALL
SELECT {{keep}}, e.nnum AS fnum, e.nden AS fden,
  CASE WHEN e.lowered > 0 OR e.cmp = '=' THEN '>=' ELSE e.cmp END AS fcmp, e.lowered AS lowered_out
FROM asn_elower AS e
WHERE NOT (CASE WHEN e.lowered > 0 OR e.cmp <> '>' THEN e.amt * e.nden >= e.nnum * {HOURS_SCALE}
               ELSE e.amt * e.nden > e.nnum * {HOURS_SCALE} END)
), asn_eout AS (
SELECT f.*, ASN_GCD(f.amt, {HOURS_SCALE}) AS ga, ASN_GCD(f.fnum, f.fden) AS gb FROM asn_efailed AS f
)"""
    keep = ", ".join(
        f"e.{c}"
        for c in (
            "employee unit province category level agency_key eid wfirst wlast kind circular rule source measure_name"
            " amt btext"
        ).split()
    )
    judged = judged.replace("{keep}", keep)
    amount = _fraction_text("o.amt // o.ga", f"{HOURS_SCALE} // o.ga")
    bound = f"CASE WHEN o.lowered_out = 0 THEN o.btext ELSE {_fraction_text('o.fnum // o.gb', 'o.fden // o.gb')} END"
    select = f"""SELECT o.employee, o.unit, o.kind AS "window", o.wfirst AS "first", o.wlast AS "last", o.circular,
  o.rule, o.source, o.measure_name AS measure, {amount} AS amount, {bound} AS bound, o.fcmp AS comparison{{rank}}
FROM asn_eout AS o
ORDER BY {{keys}}"""
    keys = "o.employee, o.unit, o.wfirst, o.eid, o.province, o.category, o.level, o.agency_key"
    select = select.replace("{rank}", f",\n  ROW_NUMBER() OVER (ORDER BY {keys}) AS window_order" if order else "")
    select = select.replace("{keys}", keys)
    calendar = []
    if tables.calendar is not None:
        calendar = [
            table("asn_calendar", ["day", "province", "working"], tables.calendar, ["DATE", "INTEGER", "INTEGER"])
        ]
    ctes = [econ, scope, spans, members, *calendar, *a.tables, a.own, a.rows, usable, aggregate, judged]
    return "WITH " + ",\n".join(ctes) + "\n" + select
