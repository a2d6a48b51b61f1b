"""Generate realistic attendance records (LANGUAGE.md §7) for demos, tests and benchmarks.

``python -m asnrules.datagen --rows 200000 --out sample/attendance.parquet [--seed 1] [--no-bad-rows]``

The data is made by DuckDB itself (``range`` and ``hash``), so 50 million rows take seconds and no
Python loop touches a row. The same arguments give the same file (for a given DuckDB version).

Shape: work units of 25 to 55 staff (40 on average); 38 provinces, a quarter of the units in DKI
Jakarta; central (about a fifth, half of those in Jakarta) and regional agencies, with names; each
employee has a category of the prelude (mostly sub-categories such as ``administration`` or
``health``, a few the parents ``admin``/``frontline``), spelled in English or Indonesian, and each
unit writes its province in one of its accepted forms (``DKI``, ``31``, ``ID-JK``, ``DKI Jakarta``).
Every working day each employee is WFO, WFH, WFA or on LEAVE (about 3%). Most unit-days keep the
circulars' quotas; about 8% of unit-days send most administrative staff home and about 5% let some
front-line staff work from home, so a realistic share of unit-days violates SE 17/2023 and SE 1/2024
when they are in force. With ``--bad-rows`` (the default) about 1 row in 2,000 is deliberately
unusable (unknown region, category or mode, a date that does not exist, an empty unit) to exercise
the audit's reject accounting; the date column is then text, otherwise a Parquet DATE.

Default days: the working days of 21 August – 15 September 2023 (the 43rd ASEAN Summit in Jakarta
and the weeks around it) and 15–19 April 2024 (after Idul Fitri 1445 H).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from .compile_sql import sql_literal, values_table
from .errors import AsnrulesError
from .outputs import atomic, writable
from .prelude import provinces

__all__ = ["DEFAULT_DAYS", "generate", "generate_sql", "main"]

DEFAULT_PERIODS = ((dt.date(2023, 8, 21), dt.date(2023, 9, 15)), (dt.date(2024, 4, 15), dt.date(2024, 4, 19)))


def working_days(periods: Sequence[tuple[dt.date, dt.date]]) -> list[dt.date]:
    out = []
    for start, end in periods:
        day = start
        while day <= end:
            if day.weekday() < 5:
                out.append(day)
            day += dt.timedelta(days=1)
    return out


DEFAULT_DAYS = tuple(working_days(DEFAULT_PERIODS))

# (category as written, weight per thousand employees); Indonesian aliases for some units.
CATEGORIES = (
    ("administration", "administrasi", 330),
    ("leadership-support", "dukungan-pimpinan", 150),
    ("admin", "admin", 30),
    ("health", "kesehatan", 150),
    ("security", "keamanan", 80),
    ("disaster", "bencana", 30),
    ("energy", "energi", 20),
    ("logistics", "logistik", 30),
    ("post", "pos", 10),
    ("transport", "transportasi", 50),
    ("vital-objects", "objek-vital", 15),
    ("strategic-projects", "proyek-strategis", 15),
    ("construction", "konstruksi", 30),
    ("utilities", "utilitas", 30),
    ("frontline", "layanan-langsung", 30),
)
ADMIN = ("administration", "leadership-support", "admin")
CENTRAL_AGENCIES = (
    "Kementerian Kesehatan",
    "Kementerian Keuangan",
    "Kementerian Dalam Negeri",
    "Kementerian PANRB",
    "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi",
    "Kementerian Agama",
    "Kementerian Perhubungan",
    "Kementerian Pekerjaan Umum dan Perumahan Rakyat",
    "Kementerian Sosial",
    "Kementerian Luar Negeri",
    "Kementerian Hukum dan HAM",
    "Kementerian Pertanian",
    "Badan Kepegawaian Negara",
    "Badan Pusat Statistik",
    "Badan Nasional Penanggulangan Bencana",
    "Kementerian Energi dan Sumber Daya Mineral",
    "Kementerian Komunikasi dan Informatika",
    "Lembaga Administrasi Negara",
    "Kementerian Sekretariat Negara",
    "Kementerian Perindustrian",
)
REGIONAL_KINDS = (
    "Pemerintah Provinsi",
    "Dinas Kesehatan Provinsi",
    "Pemerintah Kota",
    "Pemerintah Kabupaten",
    "Dinas Perhubungan Provinsi",
)
BAD_VALUES = ("region:Atlantis", "category:chef", "mode:REMOTE", "date:2023-02-30", "unit:")


def _u(*parts: str) -> str:
    """A uniform number in [0, 1) from a hash of the seed and ``parts`` (SQL)."""
    return f"((hash($seed, {', '.join(parts)}) % 1000003) / 1000003.0)"


def generate_sql(rows: int, seed: int = 1, days: Sequence[dt.date] = DEFAULT_DAYS, bad_rows: bool = True) -> str:
    """The DuckDB query that makes ``rows`` attendance rows (employee-major: each employee's days)."""
    n_days = len(days)
    employees = -(-rows // n_days)
    units = max(1, -(-employees // 25) + 1)  # every unit has at least 25 staff: enough employees
    dki = next(p for p in provinces() if p.code == "31")
    others = [p for p in provinces() if p.code != "31"]
    spellings = []
    for i, p in enumerate([dki, *others]):
        forms = [p.code, p.iso, p.name, p.short]
        for j, form in enumerate(forms):
            spellings.append((i, j, form, p.short))
    cat_rows = []
    acc = 0
    for en, idn, weight in CATEGORIES:
        cat_rows.append((acc, acc + weight, en, idn, en in ADMIN))
        acc += weight
    tables = [
        values_table("g_days", ["d", "day"], list(enumerate(days)), ["BIGINT", "DATE"]),
        values_table(
            "g_prov", ["p", "form", "written", "short"], spellings, ["BIGINT", "BIGINT", "VARCHAR", "VARCHAR"]
        ),
        values_table(
            "g_cat",
            ["lo", "hi", "en", "idn", "is_admin"],
            cat_rows,
            ["BIGINT", "BIGINT", "VARCHAR", "VARCHAR", "BOOLEAN"],
        ),
        values_table("g_central", ["i", "name"], list(enumerate(CENTRAL_AGENCIES)), ["BIGINT", "VARCHAR"]),
        values_table("g_kind", ["i", "name"], list(enumerate(REGIONAL_KINDS)), ["BIGINT", "VARCHAR"]),
        values_table("g_bad", ["i", "what"], list(enumerate(BAD_VALUES)), ["BIGINT", "VARCHAR"]),
    ]
    date_expr = "CAST(day AS VARCHAR)" if bad_rows else "day"
    bad = "(hash($seed, e, d, 'bad') % 2000 = 0)" if bad_rows else "FALSE"
    sql = f"""
WITH {", ".join(tables)},
unit_raw AS (
  SELECT u,
    25 + CAST(hash($seed, u, 'size') % 31 AS BIGINT) AS size,
    CASE WHEN hash($seed, u, 'dki') % 4 = 0 THEN 0 ELSE 1 + CAST(hash($seed, u, 'prov') % 37 AS BIGINT) END AS p,
    CAST(hash($seed, u, 'form') % 4 AS BIGINT) AS form,
    {_u("u", "'lax'")} AS lax, {_u("u", "'lang'")} < 0.2 AS indonesian
  FROM range({units}) AS t(u)
),
units AS (
  SELECT r.*, SUM(size) OVER (ORDER BY u ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS first_e,
    CASE WHEN {_u("u", "'central'")} < CASE WHEN r.p = 0 THEN 0.5 ELSE 0.12 END THEN 'central' ELSE 'regional' END
      AS level
  FROM unit_raw AS r
),
unit_info AS (
  SELECT units.*, COALESCE(first_e, 0) AS e0, g_prov.written AS region,
    CASE WHEN level = 'central' THEN c.name ELSE CONCAT(k.name, ' ', g_prov.short) END AS agency
  FROM units
  JOIN g_prov ON g_prov.p = units.p AND g_prov.form = units.form
  JOIN g_central AS c ON c.i = hash($seed, units.u, 'agency') % {len(CENTRAL_AGENCIES)}
  JOIN g_kind AS k ON k.i = hash($seed, units.u, 'kind') % {len(REGIONAL_KINDS)}
),
emp AS (
  SELECT ui.u, ui.e0 + s.i AS e, ui.region, ui.level, ui.agency, ui.lax, ui.indonesian
  FROM unit_info AS ui, LATERAL (SELECT i FROM range(ui.size) AS r(i)) AS s
),
emp_cat AS (
  SELECT emp.*, CASE WHEN emp.indonesian THEN g_cat.idn ELSE g_cat.en END AS category, g_cat.is_admin
  FROM emp JOIN g_cat ON hash($seed, emp.e, 'cat') % {acc} >= g_cat.lo AND hash($seed, emp.e, 'cat') % {acc} < g_cat.hi
  WHERE emp.e < {employees}
),
ids AS (SELECT i FROM range({rows}) AS t(i)),
rows AS (
  SELECT ec.*, g_days.d, g_days.day,
    {_u("ec.e", "g_days.d", "'mode'")} AS x,
    {_u("ec.u", "g_days.d", "'day'")} AS y
  FROM ids
  JOIN emp_cat AS ec ON ec.e = ids.i // {n_days}
  JOIN g_days ON g_days.d = ids.i % {n_days}
),
shaped AS (
  SELECT *,
    CASE
      WHEN x < 0.03 THEN 'LEAVE'
      WHEN is_admin THEN
        CASE WHEN y < 0.08 + 0.1 * lax THEN (CASE WHEN x < 0.30 THEN 'WFO' WHEN x < 0.97 THEN 'WFH' ELSE 'WFA' END)
             ELSE (CASE WHEN x < 0.66 THEN 'WFO' WHEN x < 0.98 THEN 'WFH' ELSE 'WFA' END) END
      ELSE
        CASE WHEN y < 0.05 AND x > 0.9 THEN (CASE WHEN x < 0.97 THEN 'WFH' ELSE 'WFA' END) ELSE 'WFO' END
    END AS mode,
    {bad} AS is_bad,
    CAST(hash($seed, e, d, 'which') % {len(BAD_VALUES)} AS BIGINT) AS which
  FROM rows
)
SELECT
  CONCAT('E', LPAD(CAST(e AS VARCHAR), 8, '0')) AS employee,
  CASE WHEN is_bad AND which = 4 THEN '' ELSE CONCAT('U', LPAD(CAST(u AS VARCHAR), 6, '0')) END AS unit,
  CASE WHEN is_bad AND which = 3 THEN '2023-02-30' ELSE {date_expr} END AS date,
  CASE WHEN is_bad AND which = 0 THEN 'Atlantis' ELSE region END AS region,
  CASE WHEN is_bad AND which = 1 THEN 'chef' ELSE category END AS category,
  CASE WHEN is_bad AND which = 2 THEN 'REMOTE' ELSE mode END AS mode,
  agency, level
FROM shaped
"""
    return sql.replace("$seed", str(int(seed)))


def generate(
    out: Path,
    rows: int,
    seed: int = 1,
    days: Sequence[dt.date] = DEFAULT_DAYS,
    bad_rows: bool = True,
    memory_limit: str = "1GB",
) -> int:
    """Write ``rows`` attendance rows to ``out`` (``.parquet`` or ``.csv``), atomically; returns ``rows``."""
    import duckdb

    if rows < 0:
        raise ValueError("rows must be 0 or more")
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise ValueError("the output must be a .parquet or .csv file")
    fmt = "FORMAT PARQUET" if suffix == ".parquet" else "FORMAT CSV, HEADER TRUE"
    con = duckdb.connect(config={"preserve_insertion_order": False})
    try:
        con.execute(f"SET memory_limit = {sql_literal(memory_limit)}")
        with atomic(writable(out, "the sample")) as tmp:
            con.execute(f"COPY ({generate_sql(rows, seed, days, bad_rows)}) TO {sql_literal(str(tmp))} ({fmt})")
    finally:
        con.close()
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m asnrules.datagen", description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=200_000, help="number of rows (default 200000)")
    ap.add_argument("--out", type=Path, required=True, help="output file, .parquet or .csv")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument(
        "--bad-rows",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="include a few deliberately unusable rows (default: yes)",
    )
    ap.add_argument("--memory-limit", default="1GB", help="DuckDB memory limit (default 1GB)")
    args = ap.parse_args(argv)
    try:
        generate(args.out, args.rows, args.seed, bad_rows=args.bad_rows, memory_limit=args.memory_limit)
    except (ValueError, OSError, AsnrulesError) as e:
        print(f"asnrules.datagen: error: {e.message if isinstance(e, AsnrulesError) else e}", file=sys.stderr)
        return 2
    print(f"wrote {args.rows:,} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
