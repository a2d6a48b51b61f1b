"""Lint speed and evaluate() latency (issue: the language end to end). Prints figures; asserts nothing.

1. `asnrules.load` (read, parse, resolve, check: conflicts, redundancy, never-applying rules) of a
   generated set of 10,000 rules across 1,000 circulars (``synthetic`` of tests/strategies.py, seeded),
   against the raw Lark parse of the same texts with the same grammar (goal: ratio <= 2). Best of three
   runs each, in one process. asnrules pauses Python's cyclic garbage collector while it loads; the
   raw parse runs as Lark leaves it, and the figures with the collector off for both are printed too,
   so the comparison hides nothing.
2. The latency of `RuleSet.evaluate()` on SE MenPANRB 17/2023 (goal <= 10 µs), through the public API
   with both engines.

Usage: python benchmarks/bench_lint.py [--circulars 1000] [--rules-per-circular 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path

import asnrules
from asnrules.parser import raw_parser

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from strategies import synthetic  # the one generator of the tests and benchmarks (plain random, no Hypothesis)

ROOT = Path(__file__).resolve().parents[1]


def best_of(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--circulars", type=int, default=1000)
    ap.add_argument("--rules-per-circular", type=int, default=10)
    args = ap.parse_args()

    files = synthetic(args.circulars, args.rules_per_circular, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        paths = sorted(Path(tmp).glob("*.asnr"))
        lark = raw_parser()

        def raw() -> None:
            for p in paths:
                lark.parse(p.read_text(encoding="utf-8"))

        def ours() -> None:
            asnrules.load(tmp)

        ours()  # warm: grammar compiled, caches filled, as in a long-running service or a second file
        raw()
        rules = sum(len(c.rules) for c in asnrules.load(tmp).circulars)
        t_raw, t_ours = best_of(3, raw), best_of(3, ours)
        gc.disable()
        t_raw_nogc, t_ours_nogc = best_of(3, raw), best_of(3, ours)
        gc.enable()
    print(f"lint: {rules} rules in {len(files)} circulars")
    print(f"  raw Lark parse        {t_raw:7.3f} s   (collector off: {t_raw_nogc:.3f} s)")
    print(f"  asnrules lint (load)  {t_ours:7.3f} s   (collector off: {t_ours_nogc:.3f} s)")
    print(
        f"  ratio                 {t_ours / t_raw:7.2f}x  (collector off for both: {t_ours_nogc / t_raw_nogc:.2f}x;"
        " goal <= 2x)"
    )

    se17 = ROOT / "rules" / "se-menpanrb-17-2023.asnr"
    source = se17 if se17.exists() else ROOT.parent / "shared" / "examples" / "first-file.asnr"
    rs = asnrules.load(source)
    day = dt.date(2023, 8, 30)
    counts = {"admin": {"WFH": 6, "WFO": 4}, "health": {"WFO": 3}}
    print(f"evaluate() on {source.name}")
    for engine in ("compiled", "interpreter"):
        for label, date in (("date object", day), ("ISO text", "2023-08-30")):
            n = 50_000
            t = timeit.timeit(lambda e=engine, d=date: rs.evaluate(d, "DKI", counts, engine=e), number=n)  # type: ignore[misc]
            print(f"  {engine:<11} {label:<11} {t / n * 1e6:6.2f} µs per decision (goal <= 10 µs)")


if __name__ == "__main__":
    main()
