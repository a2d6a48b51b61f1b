"""Every stage grows linearly (or nearly) with its input (issue 9).

Each test builds one shape of rule file (the shapes of ``benchmarks/bench_scale.py``) at a size n and
at 4n, and measures the work of the stage at both: CPU time (``time.process_time``, the best of three
runs, so other work on the machine hardly counts) and Python's peak memory (tracemalloc, which is
deterministic). Linear growth gives a ratio near 4; quadratic growth near 16. A test fails when a
ratio passes 8. The sizes are the smallest at which the quadratic versions these tests replaced
(``_Categories.under``, ``Model.ancestors``, ``check._dominators``, ``_Groups.minimal``...) showed
ratios well above 8, so that each test would fail against them.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

import asnrules
from asnrules import nodes
from asnrules.check import check, find_conflicts
from asnrules.compile_sql import relational
from asnrules.parser import parse
from asnrules.resolve import resolve

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_scale as shapes

LIMIT = 8.0  # 4x the input: linear work grows about 4x, quadratic about 16x


def _best_time(fn: Callable[[], object], runs: int = 3) -> float:
    """The best CPU time of ``runs`` runs, the cyclic collector paused (as loading does: its passes
    over every live object would add their own growth to the stage's)."""
    best = float("inf")
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            start = time.process_time()
            fn()
            best = min(best, time.process_time() - start)
    finally:
        if enabled:
            gc.enable()
    return max(best, 1e-3)


def _peak(fn: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _growth(run_at: Callable[[int], Callable[[], object]], n: int, memory: bool = True) -> tuple[float, float]:
    """(time ratio, peak memory ratio) of the work at 4n over the work at n (memory 1.0 unless
    asked: tracing every allocation costs more than the work measured)."""
    small, large = run_at(n), run_at(4 * n)
    small()  # warm: the grammar and the caches of the first call
    ratio = _best_time(large) / _best_time(small)
    return ratio, (_peak(large) / _peak(small) if memory else 1.0)


def _assert_linear(run_at: Callable[[int], Callable[[], object]], n: int, memory: bool = True) -> None:
    t, m = _growth(run_at, n, memory)
    if t > LIMIT and m <= LIMIT:  # time on a busy machine can jump once; quadratic work never stops being so
        t = min(t, _growth(run_at, n, memory=False)[0])
    assert t <= LIMIT and m <= LIMIT, f"4x the input took {t:.1f}x the time and {m:.1f}x the memory"


def _loads(make: Callable[[int], str]) -> Callable[[int], Callable[[], object]]:
    """Load (parse, resolve, check) the rule file of each size; errors count as loaded (lint stops)."""

    def at(size: int) -> Callable[[], object]:
        text = make(size)

        def run() -> object:
            try:
                return asnrules.loads(text, "scale.asnr")
            except asnrules.RulesError as e:
                return e

        return run

    return at


def _after_parse(make: Callable[[int], str]) -> Callable[[int], Callable[[], object]]:
    """Resolve and check the rule file of each size, parsed beforehand (the parser is linear and
    would dilute the stages measured here)."""

    def at(size: int) -> Callable[[], object]:
        tree: nodes.File = parse(make(size), "scale.asnr")

        def run() -> object:
            model, found = resolve([tree])
            assert not any(d.severity == "error" for d in found)
            return check(model)

        return run

    return at


def test_deep_category_chain_is_rejected_in_linear_time() -> None:
    # 20,000 levels used to take 7.9 GB: every category's table of categories under it, n²/2 pairs
    _assert_linear(_loads(shapes.chain), 300)


def test_deep_chain_reports_one_clear_error() -> None:
    from asnrules.resolve import MAX_CATEGORY_DEPTH

    with pytest.raises(asnrules.RulesError) as caught:
        asnrules.loads(shapes.chain(2000), "deep.asnr")
    errors = [d for d in caught.value.diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["E135"]
    (d,) = errors
    assert (d.path, d.line) == ("deep.asnr", MAX_CATEGORY_DEPTH)
    assert "\n" not in d.message
    assert f"'c{MAX_CATEGORY_DEPTH}' is nested too deeply" in d.message
    assert f"at most {MAX_CATEGORY_DEPTH} levels" in d.message


def test_nesting_up_to_the_limit_is_fine() -> None:
    from asnrules.resolve import MAX_CATEGORY_DEPTH

    rs = asnrules.loads(shapes.chain(MAX_CATEGORY_DEPTH - 1))
    deepest = f"c{MAX_CATEGORY_DEPTH - 1}"
    assert rs.model.under["c0"] >= {"c0", deepest}
    assert rs.model.ancestors(deepest) == {"all", *(f"c{i}" for i in range(MAX_CATEGORY_DEPTH - 1))}


def test_many_categories_within_the_limit() -> None:
    # Model.ancestors of every category read every other's table: categories² work
    _assert_linear(_after_parse(shapes.chains), 600, memory=False)


def test_many_rules_in_one_period() -> None:
    # check._dominators compared every pair of one circular's constraints on a group and mode
    _assert_linear(_after_parse(shapes.one_period), 1000)


def test_many_constraints_in_one_rule() -> None:
    _assert_linear(_after_parse(shapes.constraints), 1000)


def test_many_constraints_in_one_rule_loaded() -> None:
    _assert_linear(_loads(shapes.constraints), 400)


def test_many_rules_over_many_periods() -> None:
    # each province's rules only (nationwide ones would add their own, linear, share of the work)
    _assert_linear(_after_parse(lambda size: shapes.total(size, nationwide=0)), 400)


def test_many_agencies_for_sql() -> None:
    # the applicability rows of compile --target sql: the plan, expanded to every agency context
    def at(size: int) -> Callable[[], object]:
        model = asnrules.loads(shapes.agencies(size)).model

        def run() -> object:
            model.__dict__.pop("_applicability", None)  # the plan is remembered on the model
            return relational(model)

        return run

    _assert_linear(at, 200, memory=False)


def test_many_working_day_rules_for_sql() -> None:
    # the applicability rows split into working and non-working days, and the calendar of their years
    import datetime as dt

    from asnrules.prelude import provinces

    codes = sorted(p.code for p in provinces())

    def at(size: int) -> Callable[[], object]:
        start = dt.date(2024, 1, 1)
        lines = ['circular "X"']
        for i in range(size):
            a, b = start + dt.timedelta(days=i), start + dt.timedelta(days=i + 6)
            lines.append(f"rule r{i} on working days between {a} and {b} in {codes[i % len(codes)]}: admin WFH <= 50%")
        model = asnrules.loads("\n".join(lines) + "\n").model

        def run() -> object:
            model.__dict__.pop("_applicability", None)  # the plan is remembered on the model
            rel = relational(model)
            assert rel.calendar is not None
            return rel

        return run

    _assert_linear(at, 100, memory=False)


def test_smallest_conflict_among_many_constraints() -> None:
    # _Groups.minimal solved the whole set once per constraint: constraints² work
    def at(size: int) -> Callable[[], object]:
        body = "; ".join(f"admin WFH <= {50 + i % 40}.{i:05d}%" for i in range(size))
        tree = parse(f"nationwide: {body}; admin WFH >= 95%\n", "conflict.asnr")
        model, _ = resolve([tree])

        def run() -> object:
            conflicts, _, _ = find_conflicts(model)
            assert len(conflicts) == 1 and len(conflicts[0].constraints) == 2
            return conflicts

        return run

    _assert_linear(at, 300, memory=False)
