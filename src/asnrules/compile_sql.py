"""Rule set → relational form and the audit query (LANGUAGE.md §5 and §7).

Jobs, in order:

1. :func:`relational` turns the model into small tables, computed once at compile time with the
   reference semantics itself (:func:`asnrules.timeline.sweep`, :func:`asnrules.semantics.applicable`),
   so that ``supersedes`` and ``overrides`` are already resolved:

   - ``asn_constraint(cid, circular, rule, grp, mode, cmp, bound, bnum, bden, slot_n, slot_k)``: one
     row per constraint; the bound ``p`` is the exact fraction ``bnum/bden``;
   - ``asn_applicable(seg_start, seg_end, province, level, agency, cid)``: on the days
     ``seg_start..seg_end`` a unit in ``province`` (Kemendagri code) whose level is ``level`` and whose
     agency is ``agency`` (``''`` when unknown or named by no rule) is bound by constraint ``cid``.
     Every (segment × province × level × agency) context is decided by ``semantics.applicable``.

   Groups are pre-expanded: ``slot_n`` names a count of the staff in ``under[G]`` (any category
   under G, itself included) and ``slot_k`` of those of them in mode M.

2. :func:`build_audit` writes the audit as set-based SQL over a table ``attendance`` with the
   columns of §7: one pass (one hash aggregate) groups the rows by unit, raw date and row class
   (mapped province, level and agency plus the flags of the reasons a row can have) and counts the
   staff per slot; the small grouped table is then split per reason, aggregated per unit-day, joined
   with ``asn_applicable`` (expanded to the days present, an equality join) and compared with exact
   integer arithmetic, ``100·k·bden cmp bnum·n``. The audit engine on DuckDB writes the lookups into
   the pass (:class:`Inline`); the printed query and Spark join the value tables: same groups, same
   results. The SQL is written once (DuckDB dialect) and translated by
   sqlglot for Spark, PostgreSQL and Trino; what varies per dialect lives in :data:`GCD`.

The raw values of ``region``, ``category``, ``mode``, ``level``, ``agency`` and ``date`` are mapped by
value tables ``asn_<column>(raw, ...)``. The audit engine fills them from the distinct values of the
data with the Python name rules (exact); :func:`compile_sql` (``asnrules compile --target sql``)
computes them in SQL from static key tables instead, so that the printed query stands alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import sqlglot
from sqlglot import exp

from .model import LEVELS, Model
from .prelude import name_key, provinces
from .semantics import applicable
from .timeline import sweep

__all__ = [
    "DIALECTS",
    "REASONS",
    "AuditSQL",
    "Inline",
    "Relational",
    "build_audit",
    "compile_sql",
    "relational",
    "sql_literal",
    "unnest_table",
]

DIALECTS = ("duckdb", "spark", "postgres", "trino")
FIRST_DAY = dt.date(1, 1, 1)
LAST_DAY = dt.date(9999, 12, 31)

#: Why a row cannot be audited, by code (0 = usable). The first that applies is reported.
REASONS: Mapping[int, str] = {
    1: "empty unit",
    2: "empty employee",
    3: "bad date",
    4: "unknown region",
    5: "unknown category",
    6: "unknown mode",
    7: "unknown level",
    8: "unit-day rows disagree on province, level or agency",
}
CONFLICT = 8


@dataclass(frozen=True)
class Relational:
    """The rule set as tables (see the module docstring)."""

    constraints: tuple[tuple[int, str, str, str, str, str, str, int, int, int, int], ...]
    slots_n: tuple[frozenset[str], ...]
    slots_k: tuple[tuple[frozenset[str], str], ...]
    applicable: tuple[tuple[dt.date, dt.date, str, str, str, int], ...]
    agencies: frozenset[str]
    categories: Mapping[str, str]


def relational(model: Model) -> Relational:
    """Compile the model to tables, deciding applicability with the reference semantics."""
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
                _bound_text(c.bound),
                f.numerator,
                f.denominator,
                n,
                k,
            )
        )
    agencies = frozenset(a for r in model.rules for a in r.audience.agencies)
    contexts = [(lv, ag) for lv in (None, *LEVELS) for ag in (None, *sorted(agencies))]
    codes = [p.code for p in provinces()]
    # Per context, runs of days with the same constraints (consecutive segments merged).
    runs: dict[tuple[str, str, str], list[tuple[dt.date, dt.date, tuple[int, ...]]]] = {}
    for seg, active in sweep(model, model.rules):
        day = seg.day
        start = seg.start or FIRST_DAY
        end = seg.end or LAST_DAY
        for code in codes:
            for lv, ag in contexts:
                ids = tuple(c.id for c in applicable(model, day, code, lv, ag, rules=active))
                if not ids:
                    continue
                key = (code, lv or "", ag or "")
                seq = runs.setdefault(key, [])
                if seq and seq[-1][2] == ids and seq[-1][1] == start - dt.timedelta(days=1):
                    seq[-1] = (seq[-1][0], end, ids)
                else:
                    seq.append((start, end, ids))
    rows: list[tuple[dt.date, dt.date, str, str, str, int]] = []
    for (code, lv, ag), seq in sorted(runs.items()):
        for first, last, ids in seq:
            rows.extend((first, last, code, lv, ag, cid) for cid in ids)
    return Relational(
        constraints=tuple(constraints),
        slots_n=tuple(model.under[g] for g in slot_n),
        slots_k=tuple((model.under[g], m) for g, m in slot_k),
        applicable=tuple(rows),
        agencies=agencies,
        categories=dict(model.category_names),
    )


def _bound_text(bound: Decimal) -> str:
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
    date_kind: str = "text"  # "text" (mapped by asn_day), "date" or "timestamp"


@dataclass(frozen=True)
class AuditSQL:
    """The pieces of the audit, each a CTE list plus a final SELECT, in the DuckDB dialect.

    ``rows``: every row classified (``reason`` 0 = usable; only the rejects read it); ``groups``: the
    one pass over the data, one row per (unit, raw date, row class); ``unitday``: one row per
    (unit, date, reason) with the row counts and the slot counts, from ``asn_groups``;
    ``violations``: the failed constraints per unit-day.
    """

    tables: tuple[str, ...]  # CTEs of the rule set and the value maps
    rows: str
    groups: str
    unitday: str
    checks: str  # the CTEs asn_day_applicable, asn_situation, asn_checked, asn_failed
    violations: str  # the final SELECT

    def with_(self, *ctes: str) -> str:
        return "WITH " + ",\n".join([*self.tables, *ctes]) + "\n"


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
    agency_ctx: Mapping[int, int] = field(default_factory=dict)  # agency key -> agency_ctx_code (0: none)


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


def _inline_unitday(inline: Inline, cols: Columns, slot_defs: Sequence[tuple[int, int | None]], source: str) -> str:
    """``asn_groups`` and ``asn_unitday`` for DuckDB, the values looked up in the one pass (see :class:`Inline`).

    The rows are grouped by unit, mapped day and *status*, the first reason a row has of those the row
    itself shows (employee 2, region 4, category 5, mode 6, level 7; 0 for none): a unit-day's usable
    rows are one group. Region, level and agency are cast to ENUMs of their raw values ordered by what
    they map to (province code, level, agency key), so ``MIN``/``MAX`` over a group, mapped afterwards,
    are the least and greatest mapped values: the usable rows agree exactly when they are equal. A value
    that maps to nothing is NULL in its ENUM (which lists only the values that map), which gives the
    status. The slot counts are summed packed, ``inline.bits`` bits each, several to a ``HUGEINT``, by
    the position of (category, mode) among the valid pairs (NULL, so not counted, for an invalid
    one). The unit-day table is then a projection of the groups: no second aggregate."""
    values = inline.raw

    def ordered(key: str, mapped: Mapping[str, object]) -> list[str]:
        return sorted((v for v in values.get(key, ()) if v in mapped), key=lambda v: (mapped[v], v))

    def text(col: str) -> str:
        return f"CAST(a.{col} AS VARCHAR)"

    def lookup(items: Sequence[object], index: str, typ: str = "BIGINT") -> str:
        return f"{sql_list(items, typ)}[{index} + 1]"

    regions = ordered("region", inline.region)
    per_row = [f"{_enum(text(cols.region), regions, values.get('region', ()))} AS er"]
    levels: list[str] = []
    if cols.level:
        level_of = {**inline.level, "": 0}
        levels = ordered("level", level_of)
        if "" not in levels:
            levels.insert(0, "")
        per_row.append(f"{_enum(f'COALESCE({text(cols.level)}, {sql_literal(str())})', levels, levels)} AS el")
    agencies: list[str] = []
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
    employee = text(cols.employee)
    # TRIM(e) = '' only when e is '' or starts with a character TRIM removes: a space or one beyond ASCII.
    per_row.append(
        f"{employee} IS NULL OR (({employee} < '!' OR {employee} >= CHR(128)) AND TRIM({employee}) = '') AS eb"
    )
    status = (
        "CASE WHEN e.eb THEN 2 WHEN e.er IS NULL THEN 4 WHEN e.ec IS NULL THEN 5 WHEN e.em IS NULL THEN 6"
        + (" WHEN e.el IS NULL THEN 7" if cols.level else "")
        + " ELSE 0 END"
    )
    if cols.date_kind == "date":
        day = f"a.{cols.date}"
    elif cols.date_kind == "timestamp":
        day = f"CAST(a.{cols.date} AS DATE)"
    else:
        dates = sorted(v for v in values.get("date", ()) if v in inline.day)
        day_at = f"CAST(ENUM_CODE({_enum(text(cols.date), dates, values.get('date', ()))}) AS BIGINT)"
        day = lookup([inline.day[v] for v in dates], day_at, "DATE")
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
        "CASE WHEN g.unit IS NULL OR TRIM(g.unit) = '' THEN 1 WHEN g.status = 2 THEN 2 "
        "WHEN g.day IS NULL THEN 3 ELSE g.status END"
    )
    return f"""asn_groups AS (
SELECT r.unit, r.day, r.status, COUNT(*) AS rows_read, {", ".join(aggs)}{"".join(", " + x for x in sums)}
FROM (
  SELECT e.unit, e.day, {pair} AS asn_pair, e.er{", e.el" if cols.level else ""}{", e.ea" if cols.agency else ""},
    {status} AS status
  FROM (SELECT CAST(a.{cols.unit} AS VARCHAR) AS unit, {day} AS day, {", ".join(per_row)} FROM {source} AS a) AS e
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
    - ``asn_day(raw, day)`` when the date column is text.

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
    tables = (
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
        table(
            "asn_applicable",
            ["seg_start", "seg_end", "province", "level", "agency", "cid"],
            [(a, b, int(p), LEVEL_CODES[lv], agency_ctx_code(rel, ag), cid) for a, b, p, lv, ag, cid in rel.applicable],
            ["DATE", "DATE", "INTEGER", "INTEGER", "INTEGER", "BIGINT"],
        ),
        table(
            "asn_province_name", ["code", "name"], [(int(p.code), p.name) for p in provinces()], ["INTEGER", "VARCHAR"]
        ),
        *maps,
        "asn_agency_name AS (SELECT agency_key, MAX(agency_name) AS name, MAX(agency_ctx) AS ctx FROM asn_agency "
        "GROUP BY agency_key)",
    )

    def raw(col: str | None) -> str:
        return f"CAST(a.{col} AS VARCHAR)" if col else "CAST(NULL AS VARCHAR)"

    if cols.date_kind == "date":
        day = f"a.{cols.date}"
        day_join = ""
    elif cols.date_kind == "timestamp":
        day = f"CAST(a.{cols.date} AS DATE)"
        day_join = ""
    else:
        day = "d.day"
        day_join = f"LEFT JOIN asn_day AS d ON d.raw = CAST(a.{cols.date} AS VARCHAR)\n"
    level_join = f"LEFT JOIN asn_level AS l ON l.raw = {raw(cols.level)}\n" if cols.level else ""
    agency_join = f"LEFT JOIN asn_agency AS g ON g.raw = {raw(cols.agency)}\n" if cols.agency else ""
    level_value = "COALESCE(l.level, 0)" if cols.level else "0"
    level_bad = f"({raw(cols.level)} IS NOT NULL AND l.raw IS NULL)" if cols.level else "FALSE"
    agency_key_v = "COALESCE(g.agency_key, 0)" if cols.agency else "0"
    unit = raw(cols.unit)
    employee = raw(cols.employee)
    employee_bad = f"{employee} IS NULL OR TRIM({employee}) = ''"
    region_join = f"LEFT JOIN asn_region AS r ON r.raw = CAST(a.{cols.region} AS VARCHAR)\n"
    category_join = f"LEFT JOIN asn_category AS c ON c.raw = CAST(a.{cols.category} AS VARCHAR)\n"
    mode_join = f"LEFT JOIN asn_mode AS m ON m.raw = CAST(a.{cols.mode} AS VARCHAR)\n"
    n_slots = len(rel.slots_n)
    rows = f"""asn_rows AS (
SELECT
  {unit} AS unit, {day} AS day,
  CASE
    WHEN {unit} IS NULL OR TRIM({unit}) = '' THEN 1
    WHEN {employee_bad} THEN 2
    WHEN {day} IS NULL THEN 3
    WHEN r.code IS NULL THEN 4
    WHEN c.category IS NULL THEN 5
    WHEN m.mode IS NULL THEN 6
    WHEN {level_bad} THEN 7
    ELSE 0
  END AS reason{"".join(", " + e for e in extra)}
FROM {source} AS a
{day_join}{region_join}{category_join}{mode_join}{level_join}{agency_join})"""

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
    if inline is None:
        row_class = (
            f"CASE WHEN {employee_bad} THEN {S} ELSE 0 END"
            f" + CASE WHEN r.code IS NULL THEN {2 * S} ELSE r.code * {3 * A} END"
            + (f" + CASE WHEN {level_bad} THEN {4 * S} ELSE {level_value} * {A} END" if cols.level else "")
            + (f" + {agency_key_v}" if cols.agency else "")
        )
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
{region_join}{category_join}{mode_join}{level_join}{agency_join}GROUP BY 1, 2, 3
)"""
    else:
        # asn_groups and asn_unitday at once; they read no value table.
        groups = _inline_unitday(inline, cols, slot_defs, source)
    if cols.date_kind == "text":
        day_of, day_join_g = "d.day", "LEFT JOIN asn_day AS d ON d.raw = g.day_raw\n"
    else:
        day_of, day_join_g = "g.day_raw", ""
    decoded = f"""SELECT g.unit, {day_of} AS day, g.rows_read, g.row_class // {S} AS status,
  (g.row_class % {S}) // {3 * A} AS province, ((g.row_class % {S}) // {A}) % 3 AS level,
  g.row_class % {A} AS agency_key{"".join(", g." + x for x in counts)}
FROM asn_groups AS g
{day_join_g}"""
    # Each group splits into at most three reasons: its own (unit, employee, date, region), else the
    # rows with an unknown category (5), with an unknown mode (6) and the rest (level: 7, else usable);
    # only the rest (part 2) carries the slot counts.
    whole = (
        "CASE WHEN x.unit IS NULL OR TRIM(x.unit) = '' THEN 1 WHEN x.status % 2 = 1 THEN 2 "
        "WHEN x.day IS NULL THEN 3 WHEN (x.status // 2) % 2 = 1 THEN 4 END"
    )
    rest = "CASE WHEN (x.status // 4) % 2 = 1 THEN 7 ELSE 0 END"
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
  SELECT x.*, t.part, 5 + t.part AS reason, CASE t.part WHEN 0 THEN x.cat_bad ELSE x.mode_bad END AS n
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
    checks = f"""asn_situation AS (
SELECT * FROM {ud} AS s
WHERE s.reason = 0 AND {CONSISTENT.format(s="s.")}
), asn_day_applicable AS (
SELECT d.day, p.province, p.level, p.agency, p.cid
FROM (SELECT DISTINCT day FROM asn_situation) AS d
JOIN asn_applicable AS p ON d.day BETWEEN p.seg_start AND p.seg_end
), asn_checked AS (
SELECT
  s.unit, s.day, s.province, s.level, s.agency_key, c.cid, c.circular, c.rule, c.grp, c.mode, c.cmp, c.bound,
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
  f.n, f.k, f.cid
FROM asn_failed AS f
LEFT JOIN asn_province_name AS pn ON pn.code = f.province
LEFT JOIN asn_agency_name AS an ON an.agency_key = f.agency_key AND f.agency_key > 0"""
    return AuditSQL(tables=tables, rows=rows, groups=groups, unitday=unitday, checks=checks, violations=violations)


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


# ---- dialects ------------------------------------------------------------------------------------


def _gcd_duckdb(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this="GCD", expressions=[a, b])


def _gcd_spark(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    # Spark SQL has no gcd(): Euclid's algorithm folded over 64 steps (enough for 64-bit numbers).
    a_sql, b_sql = a.sql("spark"), b.sql("spark")
    return sqlglot.parse_one(
        f"AGGREGATE(SEQUENCE(1, 64), NAMED_STRUCT('a', CAST({a_sql} AS BIGINT), 'b', CAST({b_sql} AS BIGINT)), "
        "(s, i) -> IF(s.b = 0, s, NAMED_STRUCT('a', s.b, 'b', s.a % s.b)), s -> s.a)",
        read="spark",
    )


def _gcd_trino(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    a_sql, b_sql = a.sql("trino"), b.sql("trino")
    return sqlglot.parse_one(
        f"REDUCE(SEQUENCE(1, 64), CAST(ROW({a_sql}, {b_sql}) AS ROW(a BIGINT, b BIGINT)), "
        "(s, i) -> IF(s.b = 0, s, CAST(ROW(s.b, s.a % s.b) AS ROW(a BIGINT, b BIGINT))), s -> s.a)",
        read="trino",
    )


#: How each dialect computes a greatest common divisor (for the exact share ``100k/n`` in lowest terms).
GCD = {"duckdb": _gcd_duckdb, "postgres": _gcd_duckdb, "spark": _gcd_spark, "trino": _gcd_trino}


def translate(sql: str, dialect: str, pretty: bool = False) -> str:
    """DuckDB-dialect SQL in ``dialect``, with ``ASN_GCD`` replaced per :data:`GCD`."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}: use one of {', '.join(DIALECTS)}")
    tree = sqlglot.parse_one(sql, read="duckdb")
    gcd = GCD[dialect]

    def fix(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Anonymous) and str(node.this).upper() == "ASN_GCD":
            a, b = node.expressions
            return gcd(a, b)
        return node

    tree = tree.transform(fix)
    return tree.sql(dialect=dialect, pretty=pretty)


# ---- value maps computed in SQL (for the printed, standalone query) --------------------------------


def _sql_key(expr: str) -> str:
    """name_key in SQL: trimmed, runs of spaces, '-' and '_' made one space, lower case."""
    return f"LOWER(TRIM(REGEXP_REPLACE({expr}, '[\\s_-]+', ' ', 'g')))"


def sql_value_maps(rel: Relational, cols: Columns, source: str = "attendance") -> list[str]:
    """The ``asn_*`` value maps computed by SQL from the data's distinct values (see module doc)."""
    province_keys = sorted({(name_key(n), int(p.code)) for p in provinces() for n in p.names})
    members = [
        [1 if cat in under else 0 for under in rel.slots_n]
        for cat in [rel.categories[k] for k in sorted(rel.categories)]
    ]
    slot_names = [f"m{i}" for i in range(len(rel.slots_n))]
    maps = [
        values_table("asn_province_key", ["key", "code"], province_keys, ["VARCHAR", "INTEGER"]),
        values_table(
            "asn_category_key",
            ["key", "category", *slot_names],
            [(k, rel.categories[k], *m) for k, m in zip(sorted(rel.categories), members, strict=True)],
            ["VARCHAR", "VARCHAR", *["INTEGER"] * len(slot_names)],
        ),
        values_table(
            "asn_mode_key",
            ["key", "mode"],
            [("wfo", 1), ("wfh", 2), ("wfa", 3), ("leave", 0), ("cuti", 0)],
            ["VARCHAR", "INTEGER"],
        ),
        values_table(
            "asn_level_key",
            ["key", "level"],
            [("central", 1), ("pusat", 1), ("regional", 2), ("daerah", 2)],
            ["VARCHAR", "INTEGER"],
        ),
        values_table(
            "asn_agency_named",
            ["agency_key", "ctx"],
            [(a, agency_ctx_code(rel, a)) for a in sorted(rel.agencies)],
            ["VARCHAR", "INTEGER"],
        ),
    ]

    def distinct(col: str) -> str:
        return f"(SELECT DISTINCT CAST({col} AS VARCHAR) AS raw FROM {source} WHERE {col} IS NOT NULL)"

    maps.append(
        f"asn_region AS (SELECT d.raw, k.code FROM {distinct(cols.region)} AS d "
        f"JOIN asn_province_key AS k ON k.key = {_sql_key('d.raw')})"
    )
    maps.append(
        f"asn_category AS (SELECT d.raw, k.category{''.join(', k.' + m for m in slot_names)} "
        f"FROM {distinct(cols.category)} AS d JOIN asn_category_key AS k ON k.key = {_sql_key('d.raw')})"
    )
    maps.append(
        f"asn_mode AS (SELECT d.raw, k.mode FROM {distinct(cols.mode)} AS d "
        f"JOIN asn_mode_key AS k ON k.key = LOWER(TRIM(d.raw)))"
    )
    if cols.level:
        maps.append(
            f"asn_level AS (SELECT d.raw, COALESCE(k.level, 0) AS level FROM {distinct(cols.level)} AS d "
            f"LEFT JOIN asn_level_key AS k ON k.key = LOWER(TRIM(d.raw)) "
            f"WHERE k.level IS NOT NULL OR TRIM(d.raw) = '')"
        )
    if cols.agency:
        maps.append(
            f"asn_agency_keys AS (SELECT d.raw, NULLIF({_sql_key('d.raw')}, '') AS k, "
            f"NULLIF(TRIM(d.raw), '') AS agency_name FROM {distinct(cols.agency)} AS d)"
        )
        maps.append(
            "asn_agency AS (SELECT a.raw, CASE WHEN a.k IS NULL THEN 0 ELSE DENSE_RANK() OVER (ORDER BY a.k) "
            "END AS agency_key, COALESCE(n.ctx, 0) AS agency_ctx, a.agency_name FROM asn_agency_keys AS a "
            "LEFT JOIN asn_agency_named AS n ON n.agency_key = a.k)"
        )
    else:
        maps.append(
            values_table(
                "asn_agency",
                ["raw", "agency_key", "agency_ctx", "agency_name"],
                [],
                ["VARCHAR", "INTEGER", "INTEGER", "VARCHAR"],
            )
        )
    if cols.date_kind == "text":
        maps.append(
            f"asn_day AS (SELECT d.raw, TRY_CAST(TRIM(d.raw) AS DATE) AS day FROM {distinct(cols.date)} AS d "
            f"WHERE REGEXP_MATCHES(TRIM(d.raw), '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$'))"
        )
    return maps


def compile_sql(model: Model, dialect: str = "duckdb") -> str:
    """The audit as one standalone query in ``dialect`` (duckdb, spark, postgres or trino).

    It reads a table or view named ``attendance`` with the columns of LANGUAGE.md §7 (all of them,
    ``agency`` and ``level`` included; ``date`` as text ``YYYY-MM-DD``) and returns one row per failed
    constraint per unit-day. Names are compared in SQL by trimming, lower-casing and making runs of
    spaces, ``-`` and ``_`` one space (``asnrules audit`` applies the exact Python rules instead).
    """
    rel = relational(model)
    cols = Columns()
    audit = build_audit(rel, cols, sql_value_maps(rel, cols))
    sql = audit.with_(audit.groups, audit.unitday, audit.checks) + audit.violations + "\nORDER BY date, unit, cid"
    header = (
        f"-- asnrules audit query ({dialect}): one row per failed constraint per unit-day.\n"
        "-- Input: a table or view `attendance(employee, unit, date, region, category, mode, agency, level)`.\n"
        f"-- {len(rel.constraints)} constraints, {len(rel.applicable)} applicability rows "
        "(supersedes/overrides resolved at compile time).\n"
    )
    return header + translate(sql, dialect, pretty=True) + ";\n"
