"""Hypothesis invariants of the core language (issue: the language end to end), on the rule sets,
situations and texts of ``tests/strategies.py``.

- formatting: ``parse(fmt(x)) == parse(x)`` and ``fmt`` is idempotent, on generated rule sets and on
  inputs drawn from the real grammar;
- robustness: grammar-driven inputs, arbitrary text and arbitrary bytes only ever raise asnrules'
  own errors, each with a location;
- evaluation: the reference evaluator, and ``RuleSet.evaluate`` with both engines on the arguments
  written awkwardly (a time part at midnight, no-break spaces, ``Pusat``, ``cuti``, mixed case, ...),
  agree with an independent Fraction oracle (the generator's own record of what each rule means);
- working days (LANGUAGE.md §9): a rule ``on working days between A and B`` applies exactly where
  ``between A and B`` does and the calendar calls the day working in the situation's province (with
  random declarations, against an independent reading of the ``holidays`` package); a window counted
  from a holiday is N working days, sorted, next to its block with no working day skipped, and the
  same as an independent count; the random rule sets also draw working-day rules, windows,
  declarations and narrower relations, where the compiled engine answers like the interpreter;
- conflicts: the checker is sound (a reported conflict admits no satisfying split, by brute force)
  and complete for one group and for groups tied by a 0%/100% bound (no conflict reported means a
  satisfying split exists: the checker's witness, verified with integer counts, and brute force).
  The brute force tries exactly the number of staff that decides the question (:func:`staff_needed`),
  so the properties hold on every seed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import asnrules
from asnrules.check import find_conflicts, solve
from asnrules.errors import AsnrulesError, RulesError
from asnrules.format import format_text
from asnrules.model import Model
from asnrules.parser import parse
from asnrules.resolve import resolve
from asnrules.ruleset import RuleSet, read_source
from asnrules.semantics import Situation, evaluate
from strategies import (
    MODES,
    RuleSetCase,
    SituationCase,
    WindowCase,
    WorkingDaysCase,
    grammar_texts,
    one_group_sets,
    rule_sets,
    rule_sets_with_situations,
    scattered_sets,
    tied_sets,
    window_cases,
    working_days_cases,
)


def _model(text: str) -> Model:
    """Parse and resolve without the checker (conflicting sets are fine for evaluation)."""
    model, diags = resolve([parse(text, "gen.asnr")])
    assert not [d for d in diags if d.severity == "error"], diags
    return model


# ---- formatting ----------------------------------------------------------------------------------


@given(rule_sets(one_file=True))
@settings(max_examples=300)
def test_format_round_trip_and_idempotent(case: RuleSetCase) -> None:
    text = case.text
    once = format_text(text, "gen.asnr")
    assert parse(once, "gen.asnr") == parse(text, "gen.asnr")
    assert format_text(once, "gen.asnr") == once


@given(grammar_texts())
@settings(max_examples=300)
def test_grammar_inputs_raise_only_our_errors_and_round_trip(text: str) -> None:
    try:
        asnrules.loads(text, name="g.asnr")
    except RulesError as e:
        assert e.diagnostics and all(d.line >= 1 and d.column >= 1 and d.code for d in e.diagnostics)
    try:
        tree = parse(text, "g.asnr")
    except RulesError:
        return
    once = format_text(text, "g.asnr")
    assert parse(once, "g.asnr") == tree
    assert format_text(once, "g.asnr") == once


@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_our_errors(text: str) -> None:
    try:
        asnrules.loads(text, name="t.asnr")
    except RulesError as e:
        assert all(d.line >= 1 and d.column >= 1 for d in e.diagnostics)


@given(data=st.binary(max_size=200))
def test_arbitrary_bytes_raise_only_our_errors(data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("bytes") / "b.asnr"
    path.write_bytes(data)
    try:
        asnrules.load(path)
    except AsnrulesError as e:
        assert e.path and e.line >= 1 and e.column >= 1 and e.code


@given(st.sampled_from(sorted((Path(__file__).parents[2] / "shared" / "examples").glob("*.asnr")) or [Path(__file__)]))
def test_shared_examples_are_canonical_or_formatable(path: Path) -> None:
    if path.suffix != ".asnr":
        return
    text = read_source(path)
    once = format_text(text, str(path))
    assert parse(once, str(path)) == parse(text, str(path))


# ---- evaluation against the generator's Fraction oracle ---------------------------------------------


def _rule_set(case: RuleSetCase) -> RuleSet:
    """The rule set of ``case``, parsed and resolved without the checker."""
    files = [parse(text, name) for name, text in case.files]
    model, diags = resolve(files)
    assert not [d for d in diags if d.severity == "error"], diags
    return RuleSet(model, files, diags)


@given(rule_sets_with_situations(relations=False))
@settings(max_examples=300)
def test_evaluator_agrees_with_fraction_oracle(drawn: tuple[RuleSetCase, list[SituationCase]]) -> None:
    """LANGUAGE.md §5 by the generator's record (no supersedes/overrides: every applicable constraint
    binds), against the interpreter on the canonical situation and against ``RuleSet.evaluate``, both
    engines, on the same situation written awkwardly; ``RuleSet.situation`` reads the awkward
    arguments as the canonical ones."""
    case, situations = drawn
    rs = _rule_set(case)
    for s in situations:
        expected = case.expected_outcome(s.day, s.province, s.level, s.agency, s.counts)
        canonical = Situation(s.day, s.province, s.level, s.agency, s.counts)
        assert evaluate(rs.model, canonical).outcome == expected, s
        read = rs.situation(*s.args)
        assert (read.date, read.province, read.level, read.agency, read.counts) == (
            s.day,
            s.province,
            s.level,
            s.agency,
            s.counts,
        ), s
        for engine in ("interpreter", "compiled"):
            assert rs.evaluate(*s.args, engine=engine).outcome == expected, (engine, s)


@given(rule_sets_with_situations(conflict_free=True))
@settings(max_examples=150)
def test_compiled_engine_agrees_with_the_interpreter_with_relations(
    drawn: tuple[RuleSetCase, list[SituationCase]],
) -> None:
    """With supersedes and overrides (whole and narrower), working-day rules, windows and calendar
    declarations: the compiled engine decides every situation as the interpreter, violations too."""
    case, situations = drawn
    rs = asnrules.loads(case.text, name="gen.asnr")
    for s in situations:
        want = rs.evaluate(*s.args, engine="interpreter")
        got = rs.evaluate(*s.args, engine="compiled")
        assert (got.outcome, got.violations) == (want.outcome, want.violations), s


# ---- working days and windows counted from a holiday (LANGUAGE.md §9) -------------------------------


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


#: Provinces probed: those declarations name (DKI, Jabar, Jateng, Bali, Aceh, DIY, Papua Barat Daya).
PROBED = ("31", "32", "33", "51", "11", "34", "96")


@given(working_days_cases())
@settings(max_examples=150)
def test_on_working_days_applies_exactly_on_the_working_days_of_its_period(case: WorkingDaysCase) -> None:
    working = asnrules.loads(case.working_text, name="w.asnr")
    plain = asnrules.loads(case.plain_text, name="p.asnr")
    calendar = working.model.workdays
    over = {"admin": {"WFH": 6, "WFO": 4}}
    for day in case.days:
        for province in PROBED:
            is_working = calendar.is_working_day(day, province)
            assert is_working == case.calendar.is_working(day, province), (day, province)
            p = plain.evaluate(day, province, over, engine="interpreter").outcome
            w = working.evaluate(day, province, over, engine="interpreter").outcome
            assert p == ("violation" if case.start <= day <= case.end else "uncovered"), (day, province)
            assert w == (p if is_working else "uncovered"), (day, province)


@given(window_cases())
@settings(max_examples=150)
def test_a_window_is_n_working_days_next_to_its_block(case: WindowCase) -> None:
    rs = asnrules.loads(case.text, name="w.asnr")
    (rule,) = rs.model.rules
    rel = rule.relative
    assert rel is not None and rule.working_days
    calendar = rs.model.workdays
    dates = rel.dates
    assert len(dates) == case.n
    assert list(dates) == sorted(set(dates))
    assert all(calendar.is_working_day(d) for d in dates)
    start, end = rel.block
    assert start <= rel.day <= end
    assert not any(calendar.is_working_day(d) for d in _days(start, end))
    assert calendar.is_working_day(start - dt.timedelta(days=1)) and calendar.is_working_day(end + dt.timedelta(days=1))
    # adjacent: from the block to the far end of the window, the working days are the window's
    stretch = (
        _days(end + dt.timedelta(days=1), dates[-1])
        if case.order == "first"
        else _days(dates[0], start - dt.timedelta(days=1))
    )
    assert [d for d in stretch if calendar.is_working_day(d)] == list(dates)
    assert (rel.block, rel.dates) == case.calendar.window(case.order, case.name_id, case.year, case.n)
    assert [p.contains(d) for d in stretch for p in rule.periods].count(True) == case.n


@pytest.mark.parametrize(
    ("k", "n", "cmp", "bound", "holds"),
    [
        (1, 3, "<=", "33.3", False),
        (1, 3, ">=", "33.3", True),
        (1, 3, "<", "33.4", True),
        (1, 2, "<=", "50", True),
        (1, 2, "<", "50", False),
        (2, 3, "=", "66.7", False),
        (1, 8, "=", "12.5", True),
        (1, 8, "=", "12,5", True),
        (0, 5, "<=", "0", True),
        (5, 5, "=", "100", True),
    ],
)
def test_exact_boundaries(k: int, n: int, cmp: str, bound: str, holds: bool) -> None:
    rs = asnrules.loads(f"nationwide: admin WFH {cmp} {bound}%")
    result = rs.evaluate("2023-01-01", "Aceh", {"admin": {"WFH": k, "WFO": n - k}}, engine="interpreter")
    assert result.outcome == ("compliant" if holds else "violation")
    if not holds:
        assert result.violations[0].share == Fraction(100 * k, n)
        assert isinstance(result.violations[0].bound, Decimal)


# ---- conflicts: soundness and completeness --------------------------------------------------------


def staff_needed(model: Model, ids: Iterable[int]) -> int:
    """The one number of staff whose splits decide whether the constraints ``ids`` can all hold:
    3·D, with D the least common denominator of their bounds as fractions of the staff (p/100).

    Why it is exact. All the constraints a brute force applies bind the same staff (those of one
    group, all in the group under test), so each limits one share x_m = k_m/n of WFO, WFH, WFA
    (x ≥ 0, Σx = 1) to an interval. Per mode, the intersection is an interval [L_m, U_m], open or
    closed at each end, whose ends are 0, 1 or bounds: all multiples of 1/D. The set of n for which a
    split exists is closed under addition (add two splits: ``100·k cmp p·n`` is linear) but has gaps
    (``WFO = 10%`` needs n divisible by 10). If any real shares satisfy the constraints, every
    n = t·D with t ≥ 3 has a split: write a_m = n·x_m; the integer ends are l_m = tD·L_m (+1 if open)
    and u_m = tD·U_m (−1 if open). A mode with an open end has U_m > L_m, so tD(U_m − L_m) ≥ t ≥ 2
    leaves room for an integer; with s strict lower ends (s ≤ 3) real feasibility needs ΣL < 1, so
    Σl = tD·ΣL + s ≤ tD − t + s ≤ tD, and likewise Σu ≥ tD; integer boxes with Σl ≤ tD ≤ Σu hold a
    point summing to tD. Conversely a split for any n gives real shares. So a split exists for some
    n ≥ 1 exactly when one exists for n = 3·D. Three is needed: ``WFO > 0%; WFH > 0%; WFA > 0%``
    (D = 1) has no split of 1 or 2 staff. ``WFO = 10%; WFH > 25%; WFA > 60%`` (D = 20) first splits
    at 30 staff, which is why a brute force over at most 20 staff failed on it."""
    d = 1
    for c in (model.constraints[i] for i in ids):
        d = math.lcm(d, (Fraction(c.bound) / 100).denominator)
    return 3 * d


def _splits(n: int) -> list[dict[str, int]]:
    return [{"WFO": a, "WFH": b, "WFA": n - a - b} for a in range(n + 1) for b in range(n + 1 - a)]


def _holds(k: int, n: int, comparison: str, bound: Decimal) -> bool:
    """``100·k/n cmp bound`` with Fractions (independent of the model's comparison)."""
    share, p = Fraction(100 * k, n), Fraction(bound)
    return {"<=": share <= p, ">=": share >= p, "=": share == p, "<": share < p, ">": share > p}[comparison]


def _all_hold(model: Model, group: str, split: dict[str, int], names: Iterable[int]) -> bool:
    """Whether every constraint in ``names`` holds (or is vacuous) with these staff, all in ``group``."""
    n = sum(split.values())
    for c in (model.constraints[i] for i in names):
        if group in model.under[c.group] and n and not _holds(split[c.mode], n, c.comparison, c.bound):
            return False
    return True


def _satisfiable(model: Model, group: str, names: list[int]) -> bool:
    """Whether some staff, all in ``group``, satisfy the constraints ``names``: by brute force over
    every split of exactly :func:`staff_needed` staff (which decides it)."""
    return any(_all_hold(model, group, s, names) for s in _splits(staff_needed(model, names)))


def _check_sound_and_complete(text: str, group: str) -> None:
    model = _model(text)
    conflicts, _, _ = find_conflicts(model)
    ids = [c.id for c in model.constraints]
    brute = _satisfiable(model, group, ids)
    # soundness: no reported conflict admits a split with staff in its group
    for cf in conflicts:
        assert not _satisfiable(model, cf.group, [c.id for c in cf.constraints]), cf
    reported = any(cf.group == group or cf.group in model.ancestors(group) for cf in conflicts)
    # completeness: brute force finding no split means a conflict is reported ...
    if not brute:
        assert reported, text
    # ... and no conflict reported means a split exists: the checker's witness, with integer counts
    if not reported:
        own = [c for c in model.constraints if c.group == group or c.group in model.ancestors(group)]
        shares = solve(
            [c for c in own if c.group == group],
            frozenset(
                m
                for m in MODES
                if any(
                    c.group != group
                    and (
                        (c.mode == m and c.comparison in ("=", "<=") and c.bound == 0)
                        or (c.mode != m and c.comparison in ("=", ">=") and c.bound == 100)
                    )
                    for c in own
                )
            ),
        )
        assert shares is not None, text
        n = math.lcm(*((v / 100).denominator for v in shares.values()))
        split = {m: int(shares[m] / 100 * n) for m in MODES}
        assert sum(split.values()) == n
        assert _all_hold(model, group, split, ids), (text, split)


REGRESSION = "nationwide: admin WFO = 10%; admin WFH > 25%; admin WFA > 60%"


@given(one_group_sets())
@example(REGRESSION)
@settings(max_examples=400)
def test_conflicts_sound_and_complete_on_one_group(text: str) -> None:
    _check_sound_and_complete(text, "admin")


@given(tied_sets())
@settings(max_examples=300)
def test_conflicts_sound_and_complete_through_0_100_bounds(text: str) -> None:
    _check_sound_and_complete(text, "administration")


def test_satisfiable_only_with_more_than_20_staff_is_no_conflict() -> None:
    """The case a brute force over at most 20 staff got wrong on some seeds: it is satisfiable (3 WFO,
    8 WFH, 19 WFA of 30), no conflict is reported, and the properties above hold on it."""
    model = _model(REGRESSION)
    ids = [c.id for c in model.constraints]
    assert staff_needed(model, ids) == 60
    assert not any(_all_hold(model, "admin", s, ids) for n in range(1, 21) for s in _splits(n))
    assert _all_hold(model, "admin", {"WFO": 3, "WFH": 8, "WFA": 19}, ids)
    assert min(n for n in range(1, 61) if any(_all_hold(model, "admin", s, ids) for s in _splits(n))) == 30
    assert find_conflicts(model)[0] == []
    asnrules.loads(REGRESSION)  # the checker reports no E140
    _check_sound_and_complete(REGRESSION, "admin")


def _splits_exist(model: Model, names: list[int], n: int) -> bool:
    """Whether a split of ``n`` staff satisfies ``names`` (all on one group), from the integer
    interval of each mode (a check of :func:`staff_needed` independent of the brute force)."""
    low = {m: 0 for m in MODES}
    high = {m: n for m in MODES}
    for c in (model.constraints[i] for i in names):
        p = Fraction(c.bound) * n / 100  # the bound on k_m, in staff
        floor, ceil = math.floor(p), math.ceil(p)
        if c.comparison in ("<=", "="):
            high[c.mode] = min(high[c.mode], floor)
        if c.comparison in (">=", "="):
            low[c.mode] = max(low[c.mode], ceil)
        if c.comparison == "<":
            high[c.mode] = min(high[c.mode], ceil - 1)
        if c.comparison == ">":
            low[c.mode] = max(low[c.mode], floor + 1)
    return all(low[m] <= high[m] for m in MODES) and sum(low.values()) <= n <= sum(high.values())


@given(one_group_sets())
@example(REGRESSION)
@example("nationwide: admin WFO > 0%; admin WFH > 0%; admin WFA > 0%")
@settings(max_examples=300)
def test_staff_needed_decides_whether_a_split_exists(text: str) -> None:
    """:func:`staff_needed` on its own terms: a split of some n up to 6·D staff exists exactly when
    one of 3·D does, and then one of every t·D for t from 3 to 6; the interval count agrees with the
    brute force on small staff."""
    model = _model(text)
    ids = [c.id for c in model.constraints]
    needed = staff_needed(model, ids)
    d = needed // 3
    some = any(_splits_exist(model, ids, n) for n in range(1, 6 * d + 1))
    assert _splits_exist(model, ids, needed) == some, text
    if some:
        assert all(_splits_exist(model, ids, t * d) for t in range(3, 7)), text
    for n in (1, 2, 3, 4, 5, 10, needed):
        assert _splits_exist(model, ids, n) == any(_all_hold(model, "admin", s, ids) for s in _splits(n)), (text, n)


@given(scattered_sets())
@settings(max_examples=300)
def test_conflicts_found_on_every_day_and_place_where_rules_cannot_hold(text: str) -> None:
    model = _model(text)
    conflicts, _, _ = find_conflicts(model)
    rules = {r.id: r for r in model.rules}
    for day in (dt.date(2023, 1, 2), dt.date(2023, 1, 3), dt.date(2023, 1, 4)):
        for province in ("31", "51"):  # DKI Jakarta, Bali
            here = [
                c.id
                for c in model.constraints
                if rules[c.rule_id].periods[0].start == day and province in (rules[c.rule_id].provinces or ())
            ]
            if not here or _satisfiable(model, "admin", here):
                continue
            # no split satisfies the rules of this day and place: a conflict among them
            assert any({c.id for c in cf.constraints} <= set(here) for cf in conflicts), (text, day, province)
    for cf in conflicts:  # and every conflict is real, among rules of its witness day and place
        assert not _satisfiable(model, cf.group, [c.id for c in cf.constraints]), cf
        assert all(rules[c.rule_id].periods[0].start == cf.day for c in cf.constraints), cf


def test_brute_force_splits_are_all_splits() -> None:
    assert len(_splits(3)) == 10 and all(sum(s.values()) == 3 for s in _splits(3))
    assert {tuple(s.values()) for s in _splits(2)} == set(
        p for p in itertools.product(range(3), repeat=3) if sum(p) == 2
    )


def test_satisfiable_pair_from_the_issue_is_not_a_conflict() -> None:
    asnrules.loads("nationwide: admin WFH <= 50%; admin WFO <= 40%")
    with pytest.raises(RulesError) as e:
        asnrules.loads("nationwide: admin WFH >= 60%; admin WFO >= 50%")
    assert [d.code for d in e.value.diagnostics] == ["E140"]
