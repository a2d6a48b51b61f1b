"""Scaling: time and peak memory of each stage shape at 1x, 2x and 4x, and the growth per doubling.

    python benchmarks/bench_scale.py            # modest default sizes (well under two minutes)
    python benchmarks/bench_scale.py --scale 4  # every base size times 4

Shapes (issue 9, item 3): a deep category chain, many rules in one period, many constraints in one
rule, many agencies compiled to SQL. Each is loaded with ``asnrules.load`` (parse, resolve, check)
from a temporary file; the SQL shape also compiles. Peak memory is Python's (tracemalloc). Goal: at
most 2.3x per doubling.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import asnrules


def chain(n: int) -> str:
    """A chain of ``n`` categories, each the member of the one before, and one rule on the deepest."""
    lines = [f"category c{i} = c{i + 1}" for i in range(n)]
    lines.append(f"nationwide: c{n} WFH <= 50%")
    return "\n".join(lines) + "\n"


def one_period(n: int) -> str:
    """``n`` rules on the same period, each for its own agency."""
    return "".join(
        f'between 2023-08-28 and 2023-09-07 in DKI for "A{i}": admin WFH <= {i % 90 + 10}%\n' for i in range(n)
    )


def constraints(n: int) -> str:
    """One rule with ``n`` constraints."""
    body = "; ".join(f"admin WFH <= {50 + i % 40}%" for i in range(n))
    return f"between 2023-08-28 and 2023-09-07 in DKI: {body}\n"


def agencies(n: int) -> str:
    """``n`` rules, each for its own agency, in the same period (compiled to SQL)."""
    return "".join(
        f'between 2023-08-28 and 2023-09-07 for "Agency {i}": admin WFH <= {i % 50 + 40}%\n' for i in range(n)
    )


def _load(text: str, sql: bool = False) -> Callable[[], object]:
    def run() -> object:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "scale.asnr"
            path.write_text(text, encoding="utf-8")
            rs = asnrules.load(path)
            if sql:
                from asnrules.compile_sql import compile_sql

                return compile_sql(rs.model)
            return rs

    return run


SHAPES: dict[str, tuple[Callable[[int], str], int, bool]] = {
    "category chain depth": (chain, 250, False),
    "rules in one period": (one_period, 500, False),
    "constraints in one rule": (constraints, 500, False),
    "agencies (compile --target sql)": (agencies, 50, True),
}


def measure(fn: Callable[[], object]) -> tuple[float, int]:
    tracemalloc.start()
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=1, help="multiply every base size")
    ap.add_argument("--only", default="", help="run only the shapes whose name contains this")
    args = ap.parse_args()
    worst = 0.0
    for name, (make, base, sql) in SHAPES.items():
        if args.only not in name:
            continue
        rows = []
        for k in (1, 2, 4):
            size = base * args.scale * k
            rows.append((size, *measure(_load(make(size), sql))))
        ratio_t = max(b[1] / max(a[1], 1e-9) for a, b in itertools.pairwise(rows))
        ratio_m = max(b[2] / max(a[2], 1) for a, b in itertools.pairwise(rows))
        worst = max(worst, ratio_t, ratio_m)
        figures = "   ".join(f"{s:>7}: {t:6.2f} s {m / 1e6:7.1f} MB" for s, t, m in rows)
        ok = "ok" if max(ratio_t, ratio_m) <= 2.3 else "OVER 2.3x"
        print(f"{name:<33} {figures}   growth/doubling: time {ratio_t:.2f}x, memory {ratio_m:.2f}x  {ok}")
    print(f"worst growth per doubling: {worst:.2f}x (goal <= 2.3x)")


if __name__ == "__main__":
    main()
