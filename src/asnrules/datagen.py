"""Generate realistic attendance records (LANGUAGE.md §7, §13) for demos, tests and benchmarks.

``python -m asnrules.datagen --rows 200000 --out sample/attendance.parquet [--seed 1] [--no-bad-rows]
[--period 2025-04-14:2025-05-16 ...] [--no-hours]``

The data is made by DuckDB itself (``range`` and ``hash``), so 50 million rows take seconds and no
Python loop touches a row. The same arguments give the same file (for a given DuckDB version).

Shape: work units of 25 to 55 staff (40 on average); 38 provinces, a quarter of the units in DKI
Jakarta; central (about a fifth, half of those in Jakarta) and regional agencies, with names; each
employee has a category of the prelude (mostly sub-categories such as ``administration`` or
``health``, a few the parents ``admin``/``frontline``), spelled in English or Indonesian, and each
unit writes its province in one of its accepted forms (``DKI``, ``31``, ``ID-JK``, ``DKI Jakarta``).
Each day each employee is WFO, WFH, WFA or on LEAVE (about 3%). The default days are weekdays, the
cuti bersama of 15 April 2024 among them (rules on working days do not count its records);
``--period`` gives the national working days only. Before 21 April 2025 (PermenPANRB 4/2025) modes are
drawn day by day: most unit-days keep the circulars' quotas; about 8% of unit-days send most
administrative staff home and about 5% let some front-line staff work from home, so a realistic share
of unit-days violates SE 17/2023 and SE 1/2024 when they are in force. From 21 April 2025 modes are
drawn week by week (BKN's scheme, rules/bkn-kerja-fleksibel-2025.asnr): about 10% of employee-weeks
hold one day of leave and 1% a whole week; administrative staff work two consecutive working days of
each ISO week WFA (in a week shortened by a holiday or leave, fewer: at least three WFO days remain)
and the rest WFO, except about 8% of employees who take three WFA days in about half their weeks (and
everyone else in 2% of weeks); front-line staff stay WFO. With ``--bad-rows``
(the default) about 1 row in 2,000 is deliberately unusable (unknown region, category or mode, a
date that does not exist, an empty unit) to exercise the audit's reject accounting; the date column
is then text, otherwise a Parquet DATE.

Hours (LANGUAGE.md §12–§13; ``--no-hours`` leaves the two columns out): ``hours`` is the hours
worked on a day not on leave, most employees 7 to 8.5 (7.5 on half their days, 7 on 5%, so a few
weeks fall short of Perpres 21/2023's 37.5), about 5% of employees 6 or 6.5 a day (short every
week); ``overtime`` is blank on most days, 1 or 2 hours on about 15% of them, and 3 or 3.5 hours on
every working day of about 4% of employees (over 14 hours a week). Both are exact decimals
(``DECIMAL(3,1)``) and blank on leave. The other columns do not depend on them: ``--no-hours``
gives the same rows without the two columns.

Default days: the weekdays of 21 August – 15 September 2023 (the 43rd ASEAN Summit in Jakarta and
the weeks around it) and 15–19 April 2024 (after Idul Fitri 1445 H); ``--period`` (repeatable)
replaces them, e.g. ``--period 2025-04-14:2025-05-16`` for BKN's weekly scheme.
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

__all__ = ["DEFAULT_DAYS", "DEFAULT_PERIODS", "FLEX_FROM", "generate", "generate_sql", "main", "working_days"]

DEFAULT_PERIODS = ((dt.date(2023, 8, 21), dt.date(2023, 9, 15)), (dt.date(2024, 4, 15), dt.date(2024, 4, 19)))
#: From this day (PermenPANRB 4/2025 in force) administrative staff follow the weekly scheme.
FLEX_FROM = dt.date(2025, 4, 21)


def working_days(periods: Sequence[tuple[dt.date, dt.date]], holidays: bool = False) -> list[dt.date]:
    """The weekdays (Monday to Friday) of ``periods`` (first, last), in order, each day once; with
    ``holidays``, without the national holidays and cuti bersama (the prelude's calendar)."""
    from .workdays import national_calendar

    calendar = national_calendar() if holidays else None
    out: list[dt.date] = []
    seen: set[dt.date] = set()
    for start, end in periods:
        day = start
        while day <= end:
            if day.weekday() < 5 and day not in seen and (calendar is None or calendar.is_working_day(day)):
                seen.add(day)
                out.append(day)
            day += dt.timedelta(days=1)
    return out


DEFAULT_DAYS = tuple(working_days(DEFAULT_PERIODS))


def _week_place(day: dt.date) -> tuple[int, int, int]:
    """The ISO week of ``day`` (a number), the day's index among the national working days of that
    week (-1 when it is not one) and how many there are."""
    from .workdays import national_calendar

    calendar = national_calendar()
    monday = day - dt.timedelta(days=day.weekday())
    week = [monday + dt.timedelta(days=i) for i in range(5)]
    working = [d for d in week if calendar.is_working_day(d)]
    return monday.toordinal() // 7, working.index(day) if day in working else -1, len(working)


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


def generate_sql(
    rows: int, seed: int = 1, days: Sequence[dt.date] = DEFAULT_DAYS, bad_rows: bool = True, hours: bool = True
) -> str:
    """The DuckDB query that makes ``rows`` attendance rows (employee-major: each employee's days);
    ``hours``: with the columns ``hours`` and ``overtime``."""
    days = list(days)
    if not days:
        raise ValueError("no days to generate: every period is empty or a weekend")
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
        values_table(
            "g_days",
            ["d", "day", "flex", "wk", "widx", "wn"],
            [(i, day, day >= FLEX_FROM, *_week_place(day)) for i, day in enumerate(days)],
            ["BIGINT", "DATE", "BOOLEAN", "BIGINT", "BIGINT", "BIGINT"],
        ),
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
    # hours: one kind per employee (4% overtime beyond 14 a week, 5% short, the rest 7 to 8.5 a day)
    # (hk: drawn once per employee; hx: one hash per row, its two halves for the hours and the overtime)
    kind, h, o = "hk", "((hx % 1000003) / 1000003.0)", "(((hx // 1000003) % 1000003) / 1000003.0)"
    hour_columns = (
        f""",
  CAST(CASE WHEN mode = 'LEAVE' THEN NULL
       WHEN {kind} < 0.05 THEN CASE WHEN {h} < 0.5 THEN 6 ELSE 6.5 END
       ELSE CASE WHEN {h} < 0.05 THEN 7 WHEN {h} < 0.55 THEN 7.5 WHEN {h} < 0.85 THEN 8 ELSE 8.5 END
  END AS DECIMAL(3, 1)) AS hours,
  CAST(CASE WHEN mode = 'LEAVE' THEN NULL
       WHEN {kind} >= 0.96 THEN CASE WHEN {o} < 0.5 THEN 3 ELSE 3.5 END
       WHEN {o} < 0.10 THEN 1 WHEN {o} < 0.15 THEN 2
  END AS DECIMAL(3, 1)) AS overtime"""
        if hours
        else ""
    )
    row_hash = ",\n    hash($seed, e, d, 'hours') AS hx" if hours else ""
    hour_kind = ",\n    " + _u("emp.e", "'hours-kind'") + " AS hk" if hours else ""
    bad = "(hash($seed, e, d, 'bad') % 2000 = 0)" if bad_rows else "FALSE"
    # the weekly scheme of FLEX_FROM on (no hash of it when no day is that late: the older days' rows
    # are those they always were)
    flex = any(day >= FLEX_FROM for day in days)
    weekly = (
        f"""weekly AS (
  -- the weekly scheme: one draw per employee-week (no leave, one day of leave at working day ld of
  -- the week, or the whole week), m the working days left; two (short weeks: fewer) or three WFA days
  SELECT *, GREATEST(wn - CASE WHEN lw >= 0.01 AND lw < 0.11 THEN 1 ELSE 0 END, 1) AS m
  FROM (SELECT *, CASE WHEN flex THEN {_u("e", "wk", "'leave'")} END AS lw,
          CASE WHEN flex THEN CAST(hash($seed, e, wk, 'leave-day') % GREATEST(wn, 1) AS BIGINT) END AS ld
        FROM rows)
),
"""
        if flex
        else "weekly AS (SELECT * FROM rows),\n"
    )
    flex_case = (
        f"""      WHEN flex THEN
        CASE WHEN lw < 0.01 OR (lw < 0.11 AND widx = ld) THEN 'LEAVE'
             WHEN NOT is_admin OR widx < 0 THEN 'WFO'
             WHEN (widx - CASE WHEN lw < 0.11 AND widx > ld THEN 1 ELSE 0 END + m
                   - CAST(hash($seed, e, wk, 'start') % m AS BIGINT)) % m
                  < CASE WHEN {_u("e", "wk", "'wfa3'")} < CASE WHEN {_u("e", "'rebel'")} < 0.08 THEN 0.5 ELSE 0.02 END
                         THEN 3 ELSE LEAST(2, GREATEST(m - 3, 0)) END
             THEN 'WFA' ELSE 'WFO' END
"""
        if flex
        else ""
    )
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
  SELECT emp.*, CASE WHEN emp.indonesian THEN g_cat.idn ELSE g_cat.en END AS category, g_cat.is_admin{hour_kind}
  FROM emp JOIN g_cat ON hash($seed, emp.e, 'cat') % {acc} >= g_cat.lo AND hash($seed, emp.e, 'cat') % {acc} < g_cat.hi
  WHERE emp.e < {employees}
),
ids AS (SELECT i FROM range({rows}) AS t(i)),
rows AS (
  SELECT ec.*, g_days.d, g_days.day, g_days.flex, g_days.wk, g_days.widx, g_days.wn,
    {_u("ec.e", "g_days.d", "'mode'")} AS x,
    {_u("ec.u", "g_days.d", "'day'")} AS y
  FROM ids
  JOIN emp_cat AS ec ON ec.e = ids.i // {n_days}
  JOIN g_days ON g_days.d = ids.i % {n_days}
),
{weekly}shaped AS (
  SELECT *,
    CASE
{flex_case}      WHEN x < 0.03 THEN 'LEAVE'
      WHEN is_admin THEN
        CASE WHEN y < 0.08 + 0.1 * lax THEN (CASE WHEN x < 0.30 THEN 'WFO' WHEN x < 0.97 THEN 'WFH' ELSE 'WFA' END)
             ELSE (CASE WHEN x < 0.66 THEN 'WFO' WHEN x < 0.98 THEN 'WFH' ELSE 'WFA' END) END
      ELSE
        CASE WHEN y < 0.05 AND x > 0.9 THEN (CASE WHEN x < 0.97 THEN 'WFH' ELSE 'WFA' END) ELSE 'WFO' END
    END AS mode,
    {bad} AS is_bad,
    CAST(hash($seed, e, d, 'which') % {len(BAD_VALUES)} AS BIGINT) AS which{row_hash}
  FROM weekly
)
SELECT
  CONCAT('E', LPAD(CAST(e AS VARCHAR), 8, '0')) AS employee,
  CASE WHEN is_bad AND which = 4 THEN '' ELSE CONCAT('U', LPAD(CAST(u AS VARCHAR), 6, '0')) END AS unit,
  CASE WHEN is_bad AND which = 3 THEN '2023-02-30' ELSE {date_expr} END AS date,
  CASE WHEN is_bad AND which = 0 THEN 'Atlantis' ELSE region END AS region,
  CASE WHEN is_bad AND which = 1 THEN 'chef' ELSE category END AS category,
  CASE WHEN is_bad AND which = 2 THEN 'REMOTE' ELSE mode END AS mode,
  agency, level{hour_columns}
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
    hours: bool = True,
) -> int:
    """Write ``rows`` attendance rows to ``out`` (``.parquet`` or ``.csv``), atomically; returns ``rows``.
    ``hours=False`` leaves out the columns ``hours`` and ``overtime`` (the other columns are the same)."""
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
            con.execute(f"COPY ({generate_sql(rows, seed, days, bad_rows, hours)}) TO {sql_literal(str(tmp))} ({fmt})")
    finally:
        con.close()
    return rows


def _period(text: str) -> tuple[dt.date, dt.date]:
    """``FIRST:LAST`` (ISO dates) for ``--period``."""
    first, sep, last = text.partition(":")
    try:
        a, b = dt.date.fromisoformat(first.strip()), dt.date.fromisoformat(last.strip())
    except ValueError:
        sep = ""
    if not sep:
        raise argparse.ArgumentTypeError(f"a period is FIRST:LAST with ISO dates (2025-04-14:2025-05-16), not {text!r}")
    if b < a:
        raise argparse.ArgumentTypeError(f"the period {text!r} ends before it starts")
    return a, b


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
    ap.add_argument(
        "--hours",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="include the columns hours and overtime (default: yes; --no-hours leaves them out)",
    )
    ap.add_argument(
        "--period",
        action="append",
        type=_period,
        metavar="FIRST:LAST",
        help="generate the national working days from FIRST to LAST (ISO dates, both included; weekends, "
        "holidays and cuti bersama skipped); repeatable; default: the weekdays of 2023-08-21:2023-09-15 and "
        "2024-04-15:2024-04-19",
    )
    ap.add_argument("--memory-limit", default="1GB", help="DuckDB memory limit (default 1GB)")
    args = ap.parse_args(argv)
    days = working_days(args.period, holidays=True) if args.period else DEFAULT_DAYS
    try:
        generate(
            args.out,
            args.rows,
            args.seed,
            days=days,
            bad_rows=args.bad_rows,
            memory_limit=args.memory_limit,
            hours=args.hours,
        )
    except (ValueError, OSError, AsnrulesError) as e:
        print(f"asnrules.datagen: error: {e.message if isinstance(e, AsnrulesError) else e}", file=sys.stderr)
        return 2
    print(f"wrote {args.rows:,} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
