"""Benchmark: the planner (``asnrules plan``) at the issue's sizes.

    python benchmarks/bench_plan.py                  # 200 staff × 20 working days, then 2,000 × 20
    python benchmarks/bench_plan.py --sizes 200      # quicker

Generated staff (asnrules.staffgen: teams, leave, preferences, a tenth who may not work away; a fifth
frontline) in units of about 100, planned over the 20 working days of 2–27 October 2023 in DKI
Jakarta under a group rule set of the usual shape (admin WFH at most 40% and WFO at least 50%,
frontline WFO 100%), each roster re-checked by the interpreter as ``asnrules plan`` does. Goals: at
most 1 s for 200 staff and 10 s for 2,000, every stage optimal. Printed per size: the whole time (best
of ``--repeat``), the time of each fairness stage, and the spread achieved (max − min days away among
eligible staff) against its least possible value (0 when the days away divide evenly, else 1): the
spread stage is solved to optimality, so the two differ only when the rules force it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import asnrules
from asnrules.planner import plan
from asnrules.staffgen import generate_staff, staff_csv

RULES = """circular "Skema Uji 1/2023"
  issued 2023-09-25 by "asnrules benchmark"
rule kuota between 2023-10-02 and 2023-10-27 in DKI: admin WFH <= 40%; admin WFO >= 50%; frontline WFO = 100%
"""
START, END = dt.date(2023, 10, 2), dt.date(2023, 10, 27)
GOALS = {200: 1.0, 2000: 10.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="200,2000", help="comma-separated staff counts (default 200,2000)")
    ap.add_argument("--repeat", type=int, default=2, help="timed runs per size after a warm-up (best is kept)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rules = asnrules.loads(RULES, name="bench-plan.asnr")
    with tempfile.TemporaryDirectory(prefix="asnrules-bench-plan-") as tmp:
        for n in (int(s) for s in args.sizes.split(",") if s.strip()):
            staff = Path(tmp) / f"staff-{n}.csv"
            rows = generate_staff(n, args.seed, start=START, end=END, units=max(1, n // 100), frontline=0.2)
            staff.write_text(staff_csv(rows), encoding="utf-8")
            plan(rules, staff, START, END, "DKI")  # warm-up
            times, roster = [], None
            for _ in range(args.repeat):
                started = time.perf_counter()
                roster = plan(rules, staff, START, END, "DKI")
                times.append(time.perf_counter() - started)
            assert roster is not None and roster.feasible and roster.checked
            best = min(times)
            away = [roster.away[e] for e in roster.spread_staff]
            spread = max(away) - min(away) if away else 0
            least = 0 if not away or sum(away) % len(away) == 0 else 1
            stages = ", ".join(f"{s.name} {s.value}" for s in roster.stages)
            goal = GOALS.get(n)
            verdict = "" if goal is None else f"   (goal <= {goal:g} s: {'met' if best <= goal else 'NOT met'})"
            print(
                f"== {n:,} staff × {len(roster.days)} working days, {len({m.unit for m in roster.staff})} units: "
                f"{best:.2f} s best of [{', '.join(f'{t:.2f}' for t in times)}]{verdict}"
            )
            print(f"  stages: {stages}")
            print(
                f"  spread of days away among {len(away)} eligible staff: {spread} "
                f"(least possible {least}); {roster.unit_days_checked:,} unit-days and "
                f"{roster.employees_checked:,} employees re-checked"
            )


if __name__ == "__main__":
    main()
