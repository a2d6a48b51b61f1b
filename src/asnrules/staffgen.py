"""A sample STAFF_FILE for the planner (``make demo``; INTERFACES Part II, the "Planner." paragraph).

``generate_staff(n, seed, ...)`` draws ``n`` employees of one or more units with teams, a few days of
leave, a few ineligible staff (who may not work away from the office) and preferred weekdays for days
away, from a seeded generator: the same arguments give the same file, byte for byte.

    python -m asnrules.staffgen --staff 20 --seed 1 --from 2023-08-28 --to 2023-09-07 --out staff.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from pathlib import Path

__all__ = ["STAFF_FILE_COLUMNS", "generate_staff", "main", "staff_csv"]

STAFF_FILE_COLUMNS = ("employee", "unit", "category", "team", "eligible", "leave", "prefer", "fixed")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def generate_staff(
    n: int,
    seed: int = 0,
    *,
    start: dt.date = dt.date(2023, 8, 28),
    end: dt.date = dt.date(2023, 9, 7),
    units: int = 1,
    teams: int = 4,
    frontline: float = 0.0,
    ineligible: float = 0.1,
    on_leave: float = 0.2,
    prefers: float = 0.5,
    fixed: float = 0.0,
) -> list[dict[str, str]]:
    """``n`` employees as STAFF_FILE rows (every value a text, :data:`STAFF_FILE_COLUMNS`):
    ``units`` units (``U01``...), ``teams`` teams a unit; categories ``administration`` and
    ``leadership-support`` (admin), and ``health`` for a share ``frontline``; a share ``ineligible``
    with ``eligible`` false; a share ``on_leave`` with one to three weekdays of leave in
    ``start``..``end``; a share ``prefers`` preferring two weekdays; a share ``fixed`` with one day
    fixed at the office."""
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(seed)
    weekdays = [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
    weekdays = [d for d in weekdays if d.weekday() < 5]
    rows: list[dict[str, str]] = []
    width = max(3, len(str(n)))
    for k in range(n):
        unit = f"U{k % units + 1:02d}"
        draw = rng.random()
        category = (
            "health" if draw < frontline else rng.choice(("administration", "administration", "leadership-support"))
        )
        team = f"{unit}-T{rng.randrange(teams) + 1}"
        eligible = rng.random() >= ineligible
        leave: list[dt.date] = []
        if weekdays and rng.random() < on_leave:
            first = rng.randrange(len(weekdays))
            leave = weekdays[first : first + rng.randint(1, 3)]
        prefer = sorted(rng.sample(range(5), 2)) if eligible and rng.random() < prefers else []
        fixes: list[dt.date] = []
        if weekdays and rng.random() < fixed:
            day = rng.choice(weekdays)
            if day not in leave:
                fixes = [day]
        rows.append(
            {
                "employee": f"P{k + 1:0{width}d}",
                "unit": unit,
                "category": category,
                "team": team,
                "eligible": "true" if eligible else "false",
                "leave": ";".join(d.isoformat() for d in leave),
                "prefer": ";".join(_WEEKDAYS[i] for i in prefer),
                "fixed": ";".join(f"{d.isoformat()}=WFO" for d in fixes),
            }
        )
    return rows


def staff_csv(rows: Sequence[dict[str, str]]) -> str:
    """The rows as a STAFF_FILE (CSV, ``\\n`` line ends)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=STAFF_FILE_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m asnrules.staffgen", description="Write a sample STAFF_FILE.")
    p.add_argument("--staff", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--units", type=int, default=1)
    p.add_argument("--from", dest="start", type=dt.date.fromisoformat, default=dt.date(2023, 8, 28))
    p.add_argument("--to", dest="end", type=dt.date.fromisoformat, default=dt.date(2023, 9, 7))
    p.add_argument("--frontline", type=float, default=0.0)
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args(argv)
    rows = generate_staff(a.staff, a.seed, start=a.start, end=a.end, units=a.units, frontline=a.frontline)
    from .outputs import write_text

    write_text(a.out, staff_csv(rows), "the staff file")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
