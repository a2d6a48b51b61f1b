"""Benchmark: the audit against a hand-written DuckDB query, and its peak memory.

    python benchmarks/bench_audit.py                 # the issue's sizes: 10M rows timed, 10M and 50M for memory
    python benchmarks/bench_audit.py --rows 1000000 --memory-rows 1000000,5000000   # quicker

Synthetic national-shaped data (asnrules.datagen: about 40 staff per unit, 38 provinces, a quarter of
the units in DKI Jakarta) is audited for SE MenPANRB 17/2023 and SE MenPANRB 1/2024 (the files in
rules/), once, and the same violations are computed by a hand-written DuckDB query for those two
circulars (goal: the audit takes at most 1.3 times as long). Both run in this process on the same
Parquet file with the same DuckDB settings (threads, memory_limit, preserve_insertion_order), each
warmed up once and then timed ``--repeat`` times alternately; the best times are compared.

The employee windows (LANGUAGE.md §12): BKN's weekly scheme as one rule (``each employee WFA at most 2
days per week``) audited with ``--windows`` over ``--employee-rows`` rows of the weeks from 21 April
2025, against a hand-written DuckDB ``GROUP BY employee, unit, date_trunc('week', day)`` query for the
same rule (goal: at most 1.3 times as long); the whole audit (reading and rejecting rows, duplicates,
the unit-day pass, the windows) and its windows step alone are both compared. Peak memory
(maximum resident set size) of ``asnrules audit`` is measured in a child process at each size of
``--memory-rows`` (goal: < 1 GB; DuckDB's memory_limit is set by ``--memory-limit``). If openfisca-core
is installed, the same check is timed there on a sample as well; otherwise that part is skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

import asnrules
from asnrules.audit import run_audit
from asnrules.datagen import generate

ROOT = Path(__file__).resolve().parents[1]
CIRCULARS = ("SE MenPANRB 17/2023", "SE MenPANRB 1/2024")

EMPLOYEE_RULES = """circular "Skema Uji 1/2025"
  issued 2025-04-01 by "asnrules benchmark"
rule fwa from 2025-04-21 nationwide: each employee WFA at most 2 days per week
"""

HAND_WRITTEN_WINDOWS = """
COPY (
  SELECT employee, unit, CAST(date_trunc('week', CAST(date AS DATE)) AS DATE) AS first,
    count(*) FILTER (WHERE upper(trim(mode)) = 'WFA') AS amount
  FROM read_parquet('{data}')
  WHERE CAST(date AS DATE) >= DATE '2025-04-21'
  GROUP BY employee, unit, first
  HAVING amount > 2
) TO '{out}' (FORMAT PARQUET)
"""

HAND_WRITTEN = """
COPY (
WITH prov(name) AS (VALUES ('dki'), ('31'), ('id-jk'), ('dki jakarta'), ('jakarta')),
cat(name, grp) AS (VALUES
  ('admin', 'admin'), ('administration', 'admin'), ('leadership-support', 'admin'), ('administrasi', 'admin'),
  ('dukungan-pimpinan', 'admin'), ('administrasi-dan-dukungan', 'admin'),
  ('frontline', 'front'), ('layanan-langsung', 'front'), ('health', 'front'), ('kesehatan', 'front'),
  ('security', 'front'), ('keamanan', 'front'), ('disaster', 'front'), ('bencana', 'front'), ('energy', 'front'),
  ('energi', 'front'), ('logistics', 'front'), ('logistik', 'front'), ('post', 'front'), ('pos', 'front'),
  ('transport', 'front'), ('transportasi', 'front'), ('vital-objects', 'front'), ('objek-vital', 'front'),
  ('strategic-projects', 'front'), ('proyek-strategis', 'front'), ('construction', 'front'),
  ('konstruksi', 'front'), ('utilities', 'front'), ('utilitas', 'front')),
r AS (
  SELECT unit, CAST(date AS DATE) AS day, lower(region) IN (SELECT name FROM prov) AS dki, cat.grp,
    upper(mode) AS mode, region, agency, level
  FROM read_parquet('{data}') JOIN cat ON cat.name = lower(category)
  WHERE upper(mode) IN ('WFO', 'WFH', 'WFA')
),
u AS (
  SELECT unit, day, bool_and(dki) AS dki, any_value(region) AS region, any_value(agency) AS agency,
    any_value(level) AS level,
    count(*) FILTER (WHERE grp = 'admin') AS na, count(*) FILTER (WHERE grp = 'admin' AND mode = 'WFH') AS wfh,
    count(*) FILTER (WHERE grp = 'admin' AND mode = 'WFO') AS wfo,
    count(*) FILTER (WHERE grp = 'front') AS nf, count(*) FILTER (WHERE grp = 'front' AND mode = 'WFO') AS fwfo
  FROM r GROUP BY unit, day
),
v AS (
  SELECT *, 'SE 17/2023' AS circular, 'admin-wfh' AS rule, na AS n, wfh AS k FROM u
    WHERE dki AND day BETWEEN DATE '2023-08-28' AND DATE '2023-09-07' AND na > 0 AND 2 * wfh > na
  UNION ALL SELECT *, 'SE 17/2023', 'admin-wfo', na, wfo FROM u
    WHERE dki AND day BETWEEN DATE '2023-08-28' AND DATE '2023-09-07' AND na > 0 AND 2 * wfo < na
  UNION ALL SELECT *, 'SE 17/2023', 'frontline-wfo', nf, fwfo FROM u
    WHERE dki AND day BETWEEN DATE '2023-08-28' AND DATE '2023-09-07' AND nf > 0 AND fwfo < nf
  UNION ALL SELECT *, 'SE 1/2024', 'frontline-wfo', nf, fwfo FROM u
    WHERE day BETWEEN DATE '2024-04-16' AND DATE '2024-04-17' AND nf > 0 AND fwfo < nf
  UNION ALL SELECT *, 'SE 1/2024', 'admin-wfh', na, wfh FROM u
    WHERE day BETWEEN DATE '2024-04-16' AND DATE '2024-04-17' AND na > 0 AND 2 * wfh > na
)
SELECT unit, day AS date, region, level, agency, circular, rule, n, k,
  CASE WHEN n // gcd(100 * k, n) = 1 THEN CAST(100 * k // gcd(100 * k, n) AS VARCHAR)
       ELSE CONCAT(100 * k // gcd(100 * k, n), '/', n // gcd(100 * k, n)) END AS share
FROM v ORDER BY date, unit
) TO '{out}' (FORMAT PARQUET)
"""


def rule_files() -> list[Path]:
    files = []
    for path in sorted((ROOT / "rules").glob("*.asnr")):
        names = {c.name for c in asnrules.load(path).circulars}
        if names & set(CIRCULARS):
            files.append(path)
    if len(files) != 2:
        sys.exit(f"bench_audit: expected the files of {', '.join(CIRCULARS)} in rules/, found {files}")
    return files


def data_file(work: Path, rows: int, seed: int) -> Path:
    path = work / f"attendance-{rows}-{seed}.parquet"
    if not path.exists():
        started = time.perf_counter()
        generate(path, rows, seed=seed, bad_rows=False)
        print(
            f"  generated {rows:,} rows in {time.perf_counter() - started:.1f} s "
            f"({path.stat().st_size / 1e6:.0f} MB Parquet)"
        )
    return path


def peak_rss_mb(argv: list[str]) -> tuple[float, float]:
    """Peak resident memory (MB) and wall time of a child process, measured by a fresh wrapper."""
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t, r.returncode)"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *argv], capture_output=True, text=True, check=True)
    kb, seconds, code = out.stdout.split()
    if code != "0":
        sys.exit(f"bench_audit: {' '.join(argv)} failed with status {code}")
    return int(kb) / 1024, float(seconds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000, help="rows for the timing comparison (default 10M)")
    ap.add_argument(
        "--memory-rows",
        default="10000000,50000000",
        help="comma-separated sizes for the peak-memory check (default 10M,50M; empty: skip)",
    )
    ap.add_argument("--memory-limit", default="512MB", help="DuckDB memory_limit for both queries (default 512MB)")
    ap.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: all cores)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each query after a warm-up (best is kept)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--employee-rows", type=int, default=10_000_000, help="rows for the employee-window comparison (0: skip)"
    )
    ap.add_argument("--workdir", type=Path, help="keep the generated data here (default: a temporary directory)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="asnrules-bench-")
    work = args.workdir or Path(tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    files = rule_files()
    rs = asnrules.load(files)
    threads = args.threads or os.cpu_count() or 1
    print(
        f"bench_audit: {', '.join(CIRCULARS)}; DuckDB {duckdb.__version__}, {threads} threads, "
        f"memory_limit {args.memory_limit}"
    )

    print(
        f"== timing at {args.rows:,} rows (same process, same Parquet file, same DuckDB settings; "
        f"one warm-up run each, then the best of {args.repeat}, alternating)"
    )
    data = data_file(work, args.rows, args.seed)
    con = duckdb.connect(config={"preserve_insertion_order": False})  # as the audit's own connection
    con.execute(f"SET memory_limit = '{args.memory_limit}'")
    con.execute(f"SET threads = {threads}")

    def audit() -> tuple[float, Any]:
        started = time.perf_counter()
        report = run_audit(
            rs, str(data), out=work / "violations.parquet", memory_limit=args.memory_limit, threads=threads
        )
        return time.perf_counter() - started, report

    def hand_written() -> float:
        started = time.perf_counter()
        con.execute(HAND_WRITTEN.format(data=data, out=work / "hand.parquet"))
        return time.perf_counter() - started

    audit()
    hand_written()
    ours_runs, hand_runs = [], []
    report = best = None
    for _ in range(args.repeat):
        seconds, report = audit()
        if not ours_runs or seconds < min(ours_runs):
            best = report
        ours_runs.append(seconds)
        hand_runs.append(hand_written())
    assert report is not None and best is not None
    assert report.rows_read == report.rows_audited + report.rows_rejected == args.rows
    ours, hand = min(ours_runs), min(hand_runs)
    same = con.execute(
        f"SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT unit, date FROM read_parquet('{work / 'violations.parquet'}') "
        f"EXCEPT SELECT DISTINCT unit, date FROM read_parquet('{work / 'hand.parquet'}'))) + "
        f"(SELECT COUNT(*) FROM (SELECT DISTINCT unit, date FROM read_parquet('{work / 'hand.parquet'}') "
        f"EXCEPT SELECT DISTINCT unit, date FROM read_parquet('{work / 'violations.parquet'}')))"
    ).fetchone()
    hand_rows = con.execute(f"SELECT COUNT(*) FROM read_parquet('{work / 'hand.parquet'}')").fetchone()

    def runs(xs: list[float]) -> str:
        return ", ".join(f"{x:.2f}" for x in xs)

    print(
        f"  asnrules audit      {ours:7.2f} s  best of [{runs(ours_runs)}]  ({args.rows / ours / 1e6:.1f} M rows/s; "
        f"{report.unit_days:,} unit-days, {report.violation_count:,} violations in "
        f"{report.violating_unit_days:,} unit-days)"
    )
    print(
        f"  hand-written query  {hand:7.2f} s  best of [{runs(hand_runs)}]  "
        f"({hand_rows[0] if hand_rows else '?':,} violations)"
    )
    print(
        f"  ratio audit / hand  {ours / hand:7.2f}   (goal <= 1.3)   same violating unit-days: "
        f"{'yes' if same == (0,) else 'NO'}"
    )
    steps = ", ".join(f"{step} {t:.3f}" for step, t in best.timings.items())
    print(f"  audit steps (s, best run): {steps}; in Python before DuckDB {ours - sum(best.timings.values()):.3f}")
    con.close()
    if args.employee_rows:
        employee_windows(args, work, threads)

    sizes = [int(s) for s in args.memory_rows.split(",") if s.strip()]
    for rows in sizes:
        print(f"== peak memory at {rows:,} rows")
        path = data_file(work, rows, args.seed)
        env_limit = ["env", f"ASNRULES_MEMORY_LIMIT={args.memory_limit}"]
        mb, seconds = peak_rss_mb(
            [
                *env_limit,
                sys.executable,
                "-m",
                "asnrules",
                "audit",
                *map(str, files),
                str(path),
                "--out",
                str(work / f"violations-{rows}.parquet"),
                "--no-progress",
            ]
        )
        print(f"  asnrules audit: peak RSS {mb:7.0f} MB in {seconds:.1f} s   (goal < 1024 MB)")

    if importlib.util.find_spec("openfisca_core") is None:
        print("== OpenFisca-core: not installed, skipped")
    else:  # pragma: no cover - optional
        print("== OpenFisca-core: installed, but no country package models these circulars; skipped")
    tmp.cleanup()


def employee_windows(args: argparse.Namespace, work: Path, threads: int) -> None:
    """The weekly employee audit against a hand-written window query for the same rule."""
    from asnrules.datagen import FLEX_FROM, working_days

    rows = args.employee_rows
    print(f"== employee windows at {rows:,} rows: each employee WFA at most 2 days per week (ISO weeks)")
    days = working_days([(FLEX_FROM, FLEX_FROM + dt.timedelta(days=27))])
    path = work / f"weeks-{rows}-{args.seed}.parquet"
    if not path.exists():
        started = time.perf_counter()
        generate(path, rows, seed=args.seed, days=days, bad_rows=False)
        print(f"  generated {rows:,} rows over {len(days)} working days in {time.perf_counter() - started:.1f} s")
    rs = asnrules.loads(EMPLOYEE_RULES, name="bench-weeks.asnr")
    con = duckdb.connect(config={"preserve_insertion_order": False})
    con.execute(f"SET memory_limit = '{args.memory_limit}'")
    con.execute(f"SET threads = {threads}")

    def audit() -> tuple[float, Any]:
        started = time.perf_counter()
        report = run_audit(
            rs, str(path), windows=work / "windows.parquet", memory_limit=args.memory_limit, threads=threads
        )
        return time.perf_counter() - started, report

    def hand_written() -> float:
        started = time.perf_counter()
        con.execute(HAND_WRITTEN_WINDOWS.format(data=path, out=work / "hand-windows.parquet"))
        return time.perf_counter() - started

    audit()
    hand_written()
    ours_runs, step_runs, hand_runs = [], [], []
    report = None
    for _ in range(args.repeat):
        seconds, report = audit()
        ours_runs.append(seconds)
        step_runs.append(report.timings.get("windows", 0.0))
        hand_runs.append(hand_written())
    assert report is not None
    ours, step, hand = min(ours_runs), min(step_runs), min(hand_runs)
    key = "SELECT employee, unit, CAST(first AS DATE) AS first FROM read_parquet('{}')"
    ours_file, hand_file = work / "windows.parquet", work / "hand-windows.parquet"
    differ = con.execute(
        f"SELECT (SELECT COUNT(*) FROM ({key.format(ours_file)} EXCEPT {key.format(hand_file)})) + "
        f"(SELECT COUNT(*) FROM ({key.format(hand_file)} EXCEPT {key.format(ours_file)}))"
    ).fetchone()
    con.close()
    print(
        f"  asnrules audit --windows {ours:7.2f} s  (windows step {step:.2f} s; "
        f"{report.window_violations or 0:,} employee-windows violated)"
    )
    print(f"  hand-written query       {hand:7.2f} s")
    print(
        f"  ratio audit / hand       {ours / hand:7.2f}   windows step / hand {step / hand:5.2f}   (goal <= 1.3)   "
        f"same employee-weeks: {'yes' if differ == (0,) else 'NO'}"
    )


if __name__ == "__main__":
    main()
