"""Hypothesis invariants of the core language (issue: the language end to end).

- formatting: ``parse(fmt(x)) == parse(x)`` and ``fmt`` is idempotent, on generated rule sets and on
  inputs drawn from the real grammar;
- robustness: grammar-driven inputs, arbitrary text and arbitrary bytes only ever raise asnrules'
  own errors, each with a location;
- evaluation: the reference evaluator agrees with an independent brute-force Fraction oracle;
- conflicts: the checker is sound (a reported conflict admits no satisfying split, by brute force)
  and complete for one group and for groups tied by a 0%/100% bound (no conflict reported means a
  satisfying split exists: the checker's witness, verified with integer counts, and brute force).
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

import asnrules
from asnrules.check import find_conflicts, solve
from asnrules.errors import AsnrulesError, RulesError
from asnrules.format import format_text
from asnrules.model import Model
from asnrules.parser import parse, raw_parser
from asnrules.resolve import resolve
from asnrules.ruleset import read_source
from asnrules.semantics import Situation, evaluate

# ---- generated rule sets ---------------------------------------------------------------------------

DAYS = [dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(12)]
PROVINCES = {"DKI": "31", "Jabar": "32", "31": "31", '"Bali"': "51", "ID-JT": "33"}
TREE = {  # the prelude's categories used here, each with the categories under it (itself included)
    "all": {"all", "admin", "administration", "leadership-support", "frontline", "health", "security"},
    "admin": {"admin", "administration", "leadership-support"},
    "administration": {"administration"},
    "leadership-support": {"leadership-support"},
    "frontline": {"frontline", "health", "security"},
    "health": {"health"},
    "security": {"security"},
}
CATS = sorted(TREE)
MODES = ["WFO", "WFH", "WFA"]
COMPARISONS = {
    "<=": "<=",
    ">=": ">=",
    "=": "=",
    "<": "<",
    ">": ">",
    "at most": "<=",
    "at least": ">=",
    "exactly": "=",
    "paling banyak": "<=",
    "paling-sedikit": ">=",
    "tepat": "=",
}
PERCENTS = ["0", "100", "50", "33.3", "33,3", "66.7", "25", "12.5", "40", "60", "75", "1"]

dates = st.sampled_from(DAYS)


@st.composite
def whens(draw: st.DrawFn) -> tuple[str, list[tuple[dt.date | None, dt.date | None]]]:
    kind = draw(st.sampled_from(["none", "between", "on", "from", "from-until", "until"]))
    a, b = sorted([draw(dates), draw(dates)])
    if kind == "none":
        return "", [(None, None)]
    if kind == "between":
        return f"between {a} and {b} ", [(a, b)]
    if kind == "on":
        return f"on {a}, {b} ", [(a, a), (b, b)]
    if kind == "from":
        return f"from {a} ", [(a, None)]
    if kind == "from-until":
        return f"from {a} until {b} ", [(a, b)]
    return f"until {b} ", [(None, b)]


@st.composite
def constraints(draw: st.DrawFn) -> tuple[str, tuple[str, str, str, Decimal]]:
    group = draw(st.sampled_from(CATS))
    mode = draw(st.sampled_from(MODES))
    spelled = draw(st.sampled_from(sorted(COMPARISONS)))
    pct = draw(st.sampled_from(PERCENTS))
    written_group = draw(st.sampled_from([group, group.upper()])) if group != "all" else "all"
    return (
        f"{written_group} {draw(st.sampled_from([mode, mode.lower()]))} {spelled} {pct}%",
        (group, mode, COMPARISONS[spelled], Decimal(pct.replace(",", "."))),
    )


@st.composite
def rules(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    when_text, periods = draw(whens())
    where = draw(st.sampled_from(["none", "nationwide", "in"]))
    regions = draw(st.lists(st.sampled_from(sorted(PROVINCES)), min_size=1, max_size=2, unique=True))
    provinces = None if where != "in" else {PROVINCES[r] for r in regions}
    where_text = {"none": "", "nationwide": "nationwide ", "in": "in " + ", ".join(regions) + " "}[where]
    who = draw(st.sampled_from(["none", "central", "regional", "bkn", "central-bkn"]))
    who_text = {
        "none": "",
        "central": "for central ",
        "regional": "for regional ",
        "bkn": 'for "BKN" ',
        "central-bkn": 'for central, "BKN" ',
    }[who]
    cs = draw(st.lists(constraints(), min_size=1, max_size=3))
    label = draw(st.sampled_from(["", "rule r1 ", 'rule "quota A" ']))
    sep = draw(st.sampled_from([" ", "\n  "]))
    text = f"{label}{when_text}{where_text}{who_text}:{sep}" + f";{sep}".join(t for t, _ in cs)
    meaning = {
        "periods": periods,
        "provinces": provinces,
        "levels": {"central"} if "central" in who else ({"regional"} if who == "regional" else set()),
        "agencies": {"bkn"} if "bkn" in who else set(),
        "constraints": [m for _, m in cs],
    }
    return text, meaning


@st.composite
def rule_files(draw: st.DrawFn) -> tuple[str, list[dict[str, object]]]:
    parts: list[str] = []
    meanings: list[dict[str, object]] = []
    if draw(st.booleans()):
        parts.append('# a comment\ncircular "SE Test 1/2023"\n  title "T \\"quoted\\""\n  issued 2023-01-01 by "M"')
    for text, meaning in draw(st.lists(rules(), min_size=1, max_size=4)):
        parts.append(text + draw(st.sampled_from(["", ";", "  # trailing note\n"])))
        meanings.append(meaning)
    if draw(st.booleans()):
        parts.append('note "Obligation #1: keep \\\\ services open"')
    if draw(st.booleans()):
        parts.append('example "ex" on 2023-01-02 in DKI for central: admin WFH 1, WFO 1; health WFO 2 -> compliant')
    if draw(st.booleans()):
        parts.append('category ops "Operations" = admin-ops\nregion jawa = Jabar, "Jawa Tengah"')
    joiner = draw(st.sampled_from(["\n", "\n\n", " "]))
    return joiner.join(parts) + "\n", meanings


def _model(text: str) -> Model:
    """Parse and resolve without the checker (conflicting sets are fine for evaluation)."""
    model, diags = resolve([parse(text, "gen.asnr")])
    assert not [d for d in diags if d.severity == "error"], diags
    return model


# ---- formatting ----------------------------------------------------------------------------------


@given(rule_files())
@settings(max_examples=300)
def test_format_round_trip_and_idempotent(case: tuple[str, list[dict[str, object]]]) -> None:
    text, _ = case
    once = format_text(text, "gen.asnr")
    assert parse(once, "gen.asnr") == parse(text, "gen.asnr")
    assert format_text(once, "gen.asnr") == once


def _grammar_strategy() -> st.SearchStrategy[str]:
    kw = {
        "CIRCULAR": ["circular", "surat edaran", "Surat-Edaran"],
        "TITLE": ["title", "judul"],
        "ISSUED": ["issued", "ditetapkan"],
        "BY": ["by", "oleh"],
        "EFFECTIVE": ["effective", "berlaku"],
        "BASIS": ["basis", "dasar"],
        "SOURCE": ["source", "sumber"],
        "SUPERSEDES": ["supersedes", "mencabut"],
        "OVERRIDES": ["overrides", "mengesampingkan"],
        "RULE": ["rule", "aturan"],
        "BETWEEN": ["between", "antara"],
        "AND": ["and", "dan"],
        "ON": ["on", "pada"],
        "FROM": ["from", "mulai"],
        "UNTIL": ["until", "sampai"],
        "IN": ["in", "di", "IN"],
        "NATIONWIDE": ["nationwide", "nasional"],
        "FOR": ["for", "untuk"],
        "CENTRAL": ["central", "pusat"],
        "REGIONAL": ["regional", "daerah"],
        "ALL": ["all", "semua"],
        "AT_MOST": ["at most", "paling-banyak"],
        "AT_LEAST": ["at least", "paling sedikit"],
        "EXACTLY": ["exactly", "tepat"],
        "CATEGORY": ["category", "kategori"],
        "REGION": ["region", "wilayah"],
        "NOTE": ["note", "catatan"],
        "EXAMPLE": ["example", "contoh"],
        "COMPLIANT": ["compliant", "patuh"],
        "VIOLATION": ["violation", "pelanggaran"],
        "UNCOVERED": ["uncovered", "tidak diatur"],
        "MODE": ["WFO", "wfh", "Wfa"],
        "LEAVE": ["LEAVE", "cuti"],
        "LE": ["<=", "≤"],
        "GE": [">=", "≥"],
        "EQ": ["="],
        "LT": ["<"],
        "GT": [">"],
        "COLON": [":"],
        "_COMMA": [","],
        "_SEMI": [";"],
        "_ARROW": ["->", "→"],
    }
    explicit: dict[str, st.SearchStrategy[str]] = {k: st.sampled_from([f"{v} " for v in vs]) for k, vs in kw.items()}
    explicit.update(
        {
            "DATE": st.sampled_from(["2023-08-28 ", "2023-02-30 ", "2024-04-16 ", "2023-8-1 "]),
            "PERCENT": st.sampled_from(["50% ", "33,5% ", "100% ", "0% ", "150% ", "12.25% "]),
            "INT": st.sampled_from(["0 ", "3 ", "31 ", "10 "]),
            "STRING": st.sampled_from(['"DKI Jakarta" ', '"a \\"b\\"" ', '"BKN" ', '"\\q" ', '"x\\ny" ']),
            "NAME": st.sampled_from(["admin ", "DKI ", "frontline ", "health ", "foo ", "Jabar ", "ops-1 ", "ID-JK "]),
            "COMMENT": st.just("# c\n"),
            "WS": st.sampled_from([" ", "\n"]),
        }
    )
    return from_lark(raw_parser(), start="start", explicit=explicit)


@given(_grammar_strategy())
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


# ---- evaluation against a brute-force oracle ------------------------------------------------------


def _oracle(
    meanings: list[dict[str, object]],
    day: dt.date,
    province: str,
    level: str | None,
    agency: str | None,
    counts: dict[str, dict[str, int]],
) -> str:
    """LANGUAGE.md §5 for one circular without supersedes/overrides, straight from the generator's
    own record of what each rule means, with Fractions."""
    any_holds = False
    for m in meanings:
        periods = m["periods"]
        assert isinstance(periods, list)
        if not any((a is None or a <= day) and (b is None or day <= b) for a, b in periods):
            continue
        provinces = m["provinces"]
        if provinces is not None and province not in provinces:  # type: ignore[operator]
            continue
        levels, agencies = m["levels"], m["agencies"]
        if (levels or agencies) and not (level in levels or agency in agencies):  # type: ignore[operator]
            continue
        for group, mode, cmp, bound in m["constraints"]:  # type: ignore[attr-defined]
            n = sum(k for cat, ms in counts.items() if cat in TREE[group] for md, k in ms.items() if md != "LEAVE")
            k = sum(ms.get(mode, 0) for cat, ms in counts.items() if cat in TREE[group])
            if n == 0:
                continue
            share = Fraction(100 * k, n)
            ok = {
                "<=": share <= bound,
                ">=": share >= bound,
                "=": share == bound,
                "<": share < bound,
                ">": share > bound,
            }[cmp]
            if not ok:
                return "violation"
            any_holds = True
    return "compliant" if any_holds else "uncovered"


counts_strategy = st.dictionaries(
    st.sampled_from(CATS),
    st.dictionaries(st.sampled_from([*MODES, "LEAVE"]), st.integers(0, 4), max_size=4),
    max_size=4,
)


@given(
    rule_files(),
    dates,
    st.sampled_from(["31", "32", "51", "33", "11"]),
    st.sampled_from([None, "central", "regional"]),
    st.sampled_from([None, "bkn", "kemenag"]),
    counts_strategy,
)
@settings(max_examples=400)
def test_evaluator_agrees_with_fraction_oracle(
    case: tuple[str, list[dict[str, object]]],
    day: dt.date,
    province: str,
    level: str | None,
    agency: str | None,
    counts: dict[str, dict[str, int]],
) -> None:
    text, meanings = case
    model = _model(text)
    result = evaluate(model, Situation(day, province, level, agency, counts))
    assert result.outcome == _oracle(meanings, day, province, level, agency, counts)


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

SMALL_PERCENTS = ["0", "10", "20", "25", "40", "50", "60", "75", "80", "100"]
SYMBOLS = ["<=", ">=", "=", "<", ">"]


def _splits(n: int) -> list[dict[str, int]]:
    return [{"WFO": a, "WFH": b, "WFA": n - a - b} for a in range(n + 1) for b in range(n + 1 - a)]


def _all_hold(model: Model, group: str, split: dict[str, int], names: list[int]) -> bool:
    """Whether every constraint in ``names`` holds (or is vacuous) with these staff, all in ``group``."""
    n = sum(split.values())
    for c in (model.constraints[i] for i in names):
        if group in model.under[c.group] and n and not c.holds(split[c.mode], n):
            return False
    return True


@st.composite
def one_group_sets(draw: st.DrawFn) -> str:
    cs = draw(
        st.lists(
            st.tuples(st.sampled_from(MODES), st.sampled_from(SYMBOLS), st.sampled_from(SMALL_PERCENTS)),
            min_size=1,
            max_size=5,
        )
    )
    return "nationwide: " + "; ".join(f"admin {m} {c} {p}%" for m, c, p in cs)


@st.composite
def tied_sets(draw: st.DrawFn) -> str:
    parent = draw(
        st.lists(
            st.tuples(st.sampled_from(MODES), st.sampled_from(["=", "<=", ">="]), st.sampled_from(["0", "100"])),
            min_size=1,
            max_size=2,
        )
    )
    child = draw(
        st.lists(
            st.tuples(st.sampled_from(MODES), st.sampled_from(SYMBOLS), st.sampled_from(SMALL_PERCENTS)),
            min_size=1,
            max_size=3,
        )
    )
    return (
        "nationwide: "
        + "; ".join(f"admin {m} {c} {p}%" for m, c, p in parent)
        + "\n"
        + "nationwide: "
        + "; ".join(f"administration {m} {c} {p}%" for m, c, p in child)
    )


def _check_sound_and_complete(text: str, group: str, max_staff: int) -> None:
    model = _model(text)
    conflicts, _, _ = find_conflicts(model)
    ids = [c.id for c in model.constraints]
    brute = any(_all_hold(model, group, s, ids) for n in range(1, max_staff + 1) for s in _splits(n))
    # soundness: no reported conflict admits a split with staff in its group
    for cf in conflicts:
        names = [c.id for c in cf.constraints]
        assert not any(_all_hold(model, cf.group, s, names) for n in range(1, max_staff + 1) for s in _splits(n)), cf
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
        n = 1
        for v in shares.values():
            n = n * (v / 100).denominator // __import__("math").gcd(n, (v / 100).denominator)
        split = {m: int(shares[m] / 100 * n) for m in MODES}
        assert sum(split.values()) == n
        assert _all_hold(model, group, split, ids), (text, split)


@given(one_group_sets())
@settings(max_examples=400)
def test_conflicts_sound_and_complete_on_one_group(text: str) -> None:
    _check_sound_and_complete(text, "admin", 20)


@given(tied_sets())
@settings(max_examples=300)
def test_conflicts_sound_and_complete_through_0_100_bounds(text: str) -> None:
    _check_sound_and_complete(text, "administration", 20)


@st.composite
def scattered_sets(draw: st.DrawFn) -> str:
    """Rules on one group, each on one of three days in one of two provinces: several segments,
    some whose rules can hold next to some whose rules cannot."""
    rules = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["2023-01-02", "2023-01-03", "2023-01-04"]),
                st.sampled_from(["DKI", "Bali"]),
                st.sampled_from(MODES),
                st.sampled_from(SYMBOLS),
                st.sampled_from(SMALL_PERCENTS),
            ),
            min_size=1,
            max_size=7,
        )
    )
    return "\n".join(f"on {d} in {p}: admin {m} {c} {b}%" for d, p, m, c, b in rules)


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
            if not here or any(_all_hold(model, "admin", s, here) for n in range(1, 21) for s in _splits(n)):
                continue
            # no split of 1..20 staff satisfies the rules of this day and place: a conflict among them
            assert any({c.id for c in cf.constraints} <= set(here) for cf in conflicts), (text, day, province)
    for cf in conflicts:  # and every conflict is real, among rules of its witness day and place
        names = [c.id for c in cf.constraints]
        assert not any(_all_hold(model, cf.group, s, names) for n in range(1, 21) for s in _splits(n)), cf
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
