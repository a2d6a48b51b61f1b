"""The value maps of the printed audit query, computed in SQL from the runtime's own tables.

``asnrules audit`` reads the distinct raw values of the data in Python with the runtime's readers
(:mod:`asnrules.audit_plan`). The printed query (``asnrules compile --target sql``) must stand alone,
so it computes the same maps in SQL, from static key tables generated here from the runtime's
tables (:data:`~asnrules.runtime.MODE_SPELLINGS`, :data:`~asnrules.runtime.LEVEL_SPELLINGS`), the
province keys (:func:`asnrules.prelude.province_keys`) and the rule set's category names, with the
placeholders of :mod:`asnrules.sql_dialects` (``ASN_NAME_KEY`` is :func:`~asnrules.runtime.name_key`,
``ASN_BLANK_COLLAPSE`` is :func:`~asnrules.runtime.blank_collapse`):

- ``asn_region(raw, code)``: the raw values whose key is a province key;
- ``asn_category(raw, category, m0, ...)``, ``asn_mode(raw, mode)``: likewise;
- ``asn_level(raw, level)``: 0 for a value whose key is empty (no level), else a known level;
- ``asn_agency(raw, agency_key, agency_ctx, agency_name)``: every raw value; key 0 when its key is empty;
- ``asn_day(raw, day, hint)``: the text dates with a day (:func:`~asnrules.runtime.day_hint`), and
  ``day`` for those :func:`~asnrules.runtime.read_date` accepts, read as it reads them — blanks
  collapsed, the runtime's own pattern (:func:`day_pattern`), the day of the month checked against the
  month's length in SQL (leap years by the Gregorian rule), and only then the ISO text ``YYYY-MM-DD``
  cast to a date, which no engine reads by its date style.

A raw value missing from a map is what the audit rejects with the map's reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from .compile_sql import (
    HOURS_SCALE,
    LEVEL_CODES,
    MODE_CODES,
    Columns,
    Relational,
    agency_ctx_code,
    hours_columns,
    values_table,
)
from .prelude import province_keys
from .runtime import _DAY, LEVEL_SPELLINGS, MODE_SPELLINGS

__all__ = ["day_pattern", "sql_value_maps"]


def day_pattern() -> str:
    """The runtime's pattern of a text day (:func:`~asnrules.runtime.read_date`) without backslashes,
    which the dialects' string literals read differently (``\\.`` is written ``[.]``)."""
    pattern = _DAY.pattern.replace("\\.", "[.]")
    if "\\" in pattern or "'" in pattern:  # pragma: no cover - the runtime's pattern changed
        raise AssertionError(f"the day pattern cannot be written portably in SQL: {_DAY.pattern}")
    return pattern


def _distinct(col: str, source: str) -> str:
    return f"(SELECT DISTINCT CAST({col} AS VARCHAR) AS raw FROM {source} WHERE {col} IS NOT NULL)"


def _day_map(col: str, source: str) -> list[str]:
    """``asn_day`` (and the CTEs it reads): see the module docstring. Every cast is of text the pattern
    has checked, and guarded by a ``CASE`` as well, so no engine can fail on a bad date. ``hint`` is
    :func:`asnrules.runtime.day_hint`: the day of the first ten characters when they are a real day
    (a bad date is still charged to its unit-day); ``day`` the day of a good date only."""
    matched = f"ASN_FULL_MATCH(t.t, '{day_pattern()}')"
    head = "ASN_FULL_MATCH(SUBSTR(t.t, 1, 10), '[0-9]{4}-[0-9]{2}-[0-9]{2}')"

    def part(start: int, length: int) -> str:
        return f"CASE WHEN {head} THEN CAST(SUBSTR(t.t, {start}, {length}) AS INTEGER) END"

    days_in_month = (
        "CASE WHEN p.m = 2 THEN CASE WHEN (p.y % 4 = 0 AND p.y % 100 <> 0) OR p.y % 400 = 0 THEN 29 ELSE 28 END "
        "WHEN p.m IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    )
    valid = f"p.y >= 1 AND p.m BETWEEN 1 AND 12 AND p.d BETWEEN 1 AND {days_in_month}"
    return [
        f"asn_day_text AS (SELECT d.raw, ASN_BLANK_COLLAPSE(d.raw) AS t FROM {_distinct(col, source)} AS d)",
        f"asn_day_parts AS (SELECT t.raw, t.t, CASE WHEN {matched} THEN 1 ELSE 0 END AS whole, {part(1, 4)} AS y, "
        f"{part(6, 2)} AS m, {part(9, 2)} AS d FROM asn_day_text AS t)",
        f"asn_day_checked AS (SELECT p.raw, p.t, p.whole, CASE WHEN {valid} THEN 1 ELSE 0 END AS ok "
        "FROM asn_day_parts AS p)",
        "asn_day AS (SELECT c.raw, "
        "CASE WHEN c.ok = 1 AND c.whole = 1 THEN CAST(SUBSTR(c.t, 1, 10) AS DATE) END AS day, "
        "CASE WHEN c.ok = 1 THEN CAST(SUBSTR(c.t, 1, 10) AS DATE) END AS hint "
        "FROM asn_day_checked AS c WHERE c.ok = 1)",
    ]


def _keyed(rows: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(rows.items())


def sql_value_maps(
    rel: Relational, cols: Columns, source: str = "attendance", spellings: Mapping[str, str] | None = None
) -> list[str]:
    """The ``asn_*`` value maps computed by SQL from the data's distinct values (see the module
    docstring). ``spellings``: the user's spellings of modes (:func:`~asnrules.runtime.read_mode_map`),
    which come before the runtime's."""
    provinces_by_key = _keyed({k: int(code) for k, code in province_keys().items()})
    category_keys = sorted(rel.categories)
    members = [[1 if rel.categories[k] in under else 0 for under in rel.slots_n] for k in category_keys]
    slot_names = [f"m{i}" for i in range(len(rel.slots_n))]
    modes = _keyed({k: MODE_CODES[m] for k, m in {**MODE_SPELLINGS, **(spellings or {})}.items()})
    levels = _keyed({k: LEVEL_CODES[lv] for k, lv in LEVEL_SPELLINGS.items()})
    maps = [
        values_table("asn_province_key", ["key", "code"], provinces_by_key, ["VARCHAR", "INTEGER"]),
        values_table(
            "asn_category_key",
            ["key", "category", *slot_names],
            [(k, rel.categories[k], *m) for k, m in zip(category_keys, members, strict=True)],
            ["VARCHAR", "VARCHAR", *["INTEGER"] * len(slot_names)],
        ),
        values_table("asn_mode_key", ["key", "mode"], modes, ["VARCHAR", "INTEGER"]),
        values_table("asn_level_key", ["key", "level"], levels, ["VARCHAR", "INTEGER"]),
        values_table(
            "asn_agency_named",
            ["agency_key", "ctx"],
            [(a, agency_ctx_code(rel, a)) for a in sorted(rel.agencies)],
            ["VARCHAR", "INTEGER"],
        ),
        f"asn_region AS (SELECT d.raw, k.code FROM {_distinct(cols.region, source)} AS d "
        "JOIN asn_province_key AS k ON k.key = ASN_NAME_KEY(d.raw))",
        f"asn_category AS (SELECT d.raw, k.category{''.join(', k.' + m for m in slot_names)} "
        f"FROM {_distinct(cols.category, source)} AS d JOIN asn_category_key AS k ON k.key = ASN_NAME_KEY(d.raw))",
        f"asn_mode AS (SELECT d.raw, k.mode FROM {_distinct(cols.mode, source)} AS d "
        "JOIN asn_mode_key AS k ON k.key = ASN_NAME_KEY(d.raw))",
    ]
    if cols.level:
        maps.append(
            f"asn_level AS (SELECT d.raw, COALESCE(k.level, 0) AS level FROM {_distinct(cols.level, source)} AS d "
            "LEFT JOIN asn_level_key AS k ON k.key = ASN_NAME_KEY(d.raw) "
            "WHERE k.level IS NOT NULL OR ASN_NAME_KEY(d.raw) = '')"
        )
    if cols.agency:
        maps.append(
            "asn_agency_keys AS (SELECT d.raw, NULLIF(ASN_NAME_KEY(d.raw), '') AS k, "
            "CASE WHEN ASN_NAME_KEY(d.raw) = '' THEN NULL ELSE ASN_BLANK_COLLAPSE(d.raw) END AS agency_name "
            f"FROM {_distinct(cols.agency, source)} AS d)"
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
        maps += _day_map(cols.date, source)
    if hours_columns(cols):
        maps.append(_hours_map(cols, source))
    return maps


#: The runtime's pattern of hours (:func:`~asnrules.runtime.read_hours`: a comma read as a point).
HOURS_PATTERN = "[0-9]{1,2}([.][0-9]{1,4})?"


def _hours_map(cols: Columns, source: str) -> str:
    """``asn_hours(raw, tenk)``: the readable hours and overtime (not blank) in ten-thousandths of an
    hour, as :func:`~asnrules.runtime.read_hours` reads a text: trimmed, a comma for a point, at most
    two digits and four decimals, from 0 to 24."""
    union = " UNION ".join(
        f"SELECT DISTINCT CAST({c} AS VARCHAR) AS raw FROM {source} WHERE {c} IS NOT NULL" for c in hours_columns(cols)
    )
    text = "REPLACE(ASN_BLANK_COLLAPSE(d.raw), ',', '.')"
    value = f"CAST(CAST({text} AS DECIMAL(10, 4)) * {HOURS_SCALE} AS BIGINT)"
    return (
        f"asn_hours AS (SELECT x.raw, x.tenk FROM (SELECT d.raw, CASE WHEN ASN_FULL_MATCH({text}, '{HOURS_PATTERN}') "
        f"THEN {value} END AS tenk FROM ({union}) AS d) AS x WHERE x.tenk <= {24 * HOURS_SCALE})"
    )
