"""Scaling: time and peak memory of each stage shape at 1x, 2x and 4x, and the growth per doubling.

    python benchmarks/bench_scale.py            # modest default sizes (a few minutes at most)
    python benchmarks/bench_scale.py --scale 4  # every base size times 4
    python benchmarks/bench_scale.py --only period --goal

Shapes (issue 9): a deep category chain (past the nesting limit: lint reports E135), many chains
within the limit, many rules in one period, many constraints in one rule (loaded, and through parse,
resolve and check alone), many agencies compiled to SQL, many rules in total over different periods.
Each is loaded with ``asnrules.loads`` (parse, resolve, check; a rule set with errors counts as
loaded once :class:`asnrules.RulesError` is raised, as ``asnrules lint`` stops there); the SQL shape
also compiles. Time is CPU time (``time.process_time``: other work on the machine does not count),
the best of ``--repeat`` runs; peak memory is Python's (tracemalloc), in a run of its own (tracing
slows everything down). Goal: at most 2.3x per doubling; ``--goal`` also loads 20,000 rules in one
period (goal: under 2 s and 300 MB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import time
import tracemalloc
from collections.abc import Callable

import asnrules
from asnrules.check import check
from asnrules.parser import parse
from asnrules.prelude import provinces
from asnrules.resolve import resolve


def chain(n: int) -> str:
    """A chain of ``n`` categories, each the member of the one before, and one rule on the deepest."""
    lines = [f"category c{i} = c{i + 1}" for i in range(n)]
    lines.append(f"nationwide: c{n} WFH <= 50%")
    return "\n".join(lines) + "\n"


def chains(n: int, depth: int = 30) -> str:
    """``n`` categories in chains of ``depth`` under ``admin`` (within the nesting limit), a rule on
    the top and on the deepest category of each chain, and one on ``all``."""
    lines = []
    for i in range(n):
        parent = "admin" if i % depth == 0 else f"k{i - 1}"
        lines.append(f"category {parent} = k{i}")
    for i in range(0, n, depth):
        deepest = min(i + depth, n) - 1
        lines.append(f"nationwide: k{i} WFH <= 60%; k{deepest} WFO >= 10%")
    lines.append("nationwide: all WFA <= 90%")
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


_CODES = sorted(p.code for p in provinces())


def total(n: int, nationwide: int = 10) -> str:
    """``n`` rules over different periods: each a week long, four starting each day, in the provinces
    in turn, one in every ``nationwide`` nationwide (0: none) — many rules in all, a few in force on
    any one day."""
    start = dt.date(2020, 1, 6)
    out = []
    for i in range(n):
        first = start + dt.timedelta(days=i // 4)
        last = first + dt.timedelta(days=6)
        where = "nationwide" if nationwide and i % nationwide == 0 else f"in {_CODES[i % len(_CODES)]}"
        out.append(f"between {first} and {last} {where}: admin WFH <= {i % 90 + 10}%; health WFO >= 20%\n")
    return "".join(out)


def _load(text: str, sql: bool = False) -> Callable[[], object]:
    def run() -> object:
        try:
            rs = asnrules.loads(text, "scale.asnr")
        except asnrules.RulesError as e:
            return e
        if sql:
            from asnrules.compile_sql import compile_sql

            return compile_sql(rs.model)
        return rs

    return run


def _stages(text: str, sql: bool = False) -> Callable[[], object]:
    """Parse, resolve and check only (what ``load`` does before it quotes each diagnostic's line)."""

    def run() -> object:
        model, found = resolve([parse(text, "scale.asnr")])
        return found if any(d.severity == "error" for d in found) else check(model)

    return run


#: name → (rule text of a size, base size, runner, whether it compiles to SQL)
SHAPES: dict[str, tuple[Callable[[int], str], int, Callable[[str, bool], Callable[[], object]], bool]] = {
    "category chain depth (E135)": (chain, 5000, _load, False),
    "categories in chains of 30": (chains, 1500, _load, False),
    "rules in one period": (one_period, 2500, _load, False),
    "constraints in one rule": (constraints, 1500, _load, False),
    "constraints in one rule (stages)": (constraints, 1500, _stages, False),
    "agencies (compile --target sql)": (agencies, 20, _load, True),
    "rules in total (other periods)": (total, 2500, _load, False),
}


def cpu_time(fn: Callable[[], object], repeat: int) -> float:
    """The best CPU time of ``repeat`` runs (the collector paused, as loading does)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def peak_memory(fn: Callable[[], object]) -> int:
    """Python's peak memory (bytes) while ``fn`` runs."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(fn: Callable[[], object], repeat: int = 2) -> tuple[float, int]:
    return cpu_time(fn, repeat), peak_memory(fn)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=1, help="multiply every base size")
    ap.add_argument("--only", default="", help="run only the shapes whose name contains this")
    ap.add_argument("--repeat", type=int, default=2, help="runs per size for the time (the best counts)")
    ap.add_argument("--goal", action="store_true", help="also load 20,000 rules in one period")
    args = ap.parse_args()
    _load("nationwide: admin WFH <= 50%")()  # warm: the grammar is compiled once per process
    worst = 0.0
    print(f"{'shape':<33} {'1x':>27}   {'2x':>27}   {'4x':>27}   growth per doubling")
    for name, (make, base, runner, sql) in SHAPES.items():
        if args.only not in name:
            continue
        rows = []
        for k in (1, 2, 4):
            size = base * args.scale * k
            rows.append((size, *measure(runner(make(size), sql), args.repeat)))
        ratio_t = max(b[1] / max(a[1], 1e-3) for a, b in itertools.pairwise(rows))
        ratio_m = max(b[2] / max(a[2], 1) for a, b in itertools.pairwise(rows))
        worst = max(worst, ratio_t, ratio_m)
        figures = "   ".join(f"{s:>6}: {t:6.2f} s {m / 1e6:7.1f} MB" for s, t, m in rows)
        ok = "ok" if max(ratio_t, ratio_m) <= 2.3 else "OVER 2.3x"
        print(f"{name:<33} {figures}   time {ratio_t:.2f}x, memory {ratio_m:.2f}x  {ok}", flush=True)
    print(f"worst growth per doubling: {worst:.2f}x (goal <= 2.3x)")
    if args.goal:
        t, m = measure(_load(one_period(20_000)), args.repeat)
        verdict = "ok" if t < 2 and m < 300e6 else "OVER"
        print(f"20,000 rules in one period: {t:.2f} s, {m / 1e6:.1f} MB (goal < 2 s, < 300 MB)  {verdict}")


if __name__ == "__main__":
    main()
