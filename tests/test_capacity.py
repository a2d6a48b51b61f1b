"""The least and most staff allowed in each mode (issue 13, item 2): ``rules.capacity``.

- the acceptance example on the bundled rules (SE MenPANRB 17/2023 in Jakarta);
- the integer bounds of one constraint are exactly the counts :func:`asnrules.runtime.holds` accepts;
- the exact solver (flow and search) against brute force on small random problems;
- the property on small units and random rule sets (LANGUAGE.md §5 through the reference evaluator):
  each (category, mode)'s least and most are attained by a split the evaluator accepts, no accepted
  split lies outside them, and "not allowed" exactly when no split is accepted, with an irreducible
  clash;
- bad input.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asnrules
from asnrules import runtime
from asnrules.capacity import Bound, read_staff, share_range, solve
from asnrules.errors import InputError
from asnrules.model import MODES
from conftest import RULES
from strategies import Chooser, random_rule_set, random_situation, strategy

# ---- the acceptance example -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> asnrules.RuleSet:
    """The bundled rules/, loaded once (loading checks every file: seconds)."""
    return asnrules.load(RULES)


def test_the_asean_summit_in_jakarta(bundled: asnrules.RuleSet) -> None:
    rs = bundled
    answer = rs.capacity("2023-08-30", "DKI", {"admin": 40, "health": 12})
    assert answer.allowed and answer.clash == ()
    assert answer.range("admin", "WFH") == (0, 20)
    assert answer.range("admin", "WFO") == (20, 40)
    assert answer.range("admin", "WFA") == (0, 20)
    assert answer.bounds["health"] == {"WFO": (12, 12), "WFH": (0, 0), "WFA": (0, 0)}
    en = answer.text("en")
    assert "admin (40): WFO 20–40, WFH 0–20, WFA 0–20" in en.splitlines()
    assert "health (12): WFO 12" in en.splitlines()
    assert "rule admin-wfh, " in en and "se-menpanrb-17-2023.asnr line" in en
    assert "staff on leave are not counted" in en
    idn = answer.text("id")
    assert idn.startswith(
        "Jumlah pegawai yang diperbolehkan pada setiap mode kerja pada 30 Agustus 2023 di DKI Jakarta"
    )
    assert "admin (40): WFO 20–40, WFH 0–20, WFA 0–20" in idn.splitlines()
    assert "aturan admin-wfh, " in idn and "se-menpanrb-17-2023.asnr baris" in idn
    data = answer.to_json()
    json.dumps(data)
    assert data["fingerprint"] == rs.fingerprint and data["asnrules_version"] == asnrules.__version__
    assert data["capacity"]["admin"]["WFH"] == {"least": 0, "most": 20}
    assert data["capacity"]["health"]["WFO"] == {"least": 12, "most": 12}
    assert data["allowed"] is True and data["leave_counted"] is False
    assert {r["rule"] for r in data["rules"]} >= {"admin-wfh", "admin-wfo", "layanan-langsung-wfo"}
    # the example split is one the evaluator accepts
    assert answer.example is not None
    assert rs.evaluate("2023-08-30", "DKI", answer.example, engine="interpreter").outcome == "compliant"


def test_categories_are_read_in_any_spelling_and_sub_categories_count_together(bundled: asnrules.RuleSet) -> None:
    rs = bundled
    answer = rs.capacity("2023-09-01", "dki_jakarta", {"Administrasi": 3, "leadership-support": 4, "kesehatan": 2})
    assert list(answer.staff) == ["administration", "leadership-support", "health"]
    # admin WFH <= 50% of 7 staff: at most 3 at home, whichever sub-category they are in
    assert answer.range("administration", "WFH") == (0, 3)
    assert answer.range("leadership-support", "WFH") == (0, 3)
    assert answer.range("leadership-support", "WFO") == (1, 4)
    assert answer.range("health", "WFO") == (2, 2)


def test_no_rule_in_force_allows_every_split(bundled: asnrules.RuleSet) -> None:
    rs = bundled
    answer = rs.capacity("2023-09-20", "Bali", {"admin": 5, "health": 0})
    assert answer.allowed and answer.binding == ()
    assert answer.bounds["admin"] == {m: (0, 5) for m in MODES}
    assert answer.bounds["health"] == {m: (0, 0) for m in MODES}
    assert "No rule limits these staff" in answer.text("en")
    assert "health (0): tidak ada pegawai" in answer.text("id")


CLASH = """
circular "SE A"
rule wfh on 2024-03-04 in DKI: admin WFH >= 60%
rule office on 2024-03-04 in DKI: all WFO >= 70%
rule front on 2024-03-04 in DKI: frontline WFO = 100%
"""


def test_a_clash_names_an_irreducible_set_of_rules() -> None:
    rs = asnrules.loads(CLASH, name="clash.asnr")
    # 10 admin and 0 frontline: at least 6 at home, at least 7 at the office
    answer = rs.capacity("2024-03-04", "DKI", {"admin": 10})
    assert not answer.allowed and answer.bounds == {} and answer.example is None
    assert [c.rule for c in answer.clash] == ["wfh", "office"]
    text = answer.text("en")
    assert text.startswith("No split of these staff meets every rule in force on 4 March 2024 in DKI Jakarta")
    assert "rule wfh, clash.asnr line 3" in text and "rule office, clash.asnr line 4" in text
    assert "rule front" not in text
    assert "Tidak ada pembagian pegawai" in answer.text("id")
    data = answer.to_json("id")
    assert data["allowed"] is False and [c["rule"] for c in data["clash"]] == ["wfh", "office"]
    # with enough frontline staff in the office, all WFO >= 70% can hold
    assert rs.capacity("2024-03-04", "DKI", {"admin": 10, "health": 20}).allowed


def test_exactly_a_share_that_is_no_whole_number_of_staff() -> None:
    rs = asnrules.loads("rule r on 2024-03-04 in DKI: admin WFH = 33,5%\n", name="x.asnr")
    answer = rs.capacity("2024-03-04", "DKI", {"admin": 10})
    assert not answer.allowed and [c.rule for c in answer.clash] == ["r"]
    assert "33.5% of 10 staff is 3.35, not a whole number of people." in answer.text("en")
    assert "33,5% dari 10 pegawai sama dengan 3,35 orang, bukan bilangan bulat." in answer.text("id")
    assert rs.capacity("2024-03-04", "DKI", {"admin": 200}).range("admin", "WFH") == (67, 67)


def test_hundreds_of_staff_in_ten_categories_answer_fast(bundled: asnrules.RuleSet) -> None:
    import time

    rs = bundled
    staff = {
        c: 100 + 37 * i
        for i, c in enumerate(
            [
                "admin",
                "administration",
                "leadership-support",
                "health",
                "security",
                "disaster",
                "energy",
                "logistics",
                "post",
                "frontline",
            ]
        )
    }
    start = time.perf_counter()
    for day in ("2023-08-30", "2024-04-16", "2022-05-09", "2025-04-28"):
        answer = rs.capacity(day, "DKI", staff, "central", "BKN")
        assert answer.allowed
    assert time.perf_counter() - start < 1.0


# ---- one constraint: the counts runtime.holds accepts --------------------------------------------------


@given(
    st.integers(0, 60),
    st.sampled_from(runtime.COMPARISONS),
    st.sampled_from(["0", "100", "50", "33.5", "12,5", "66.7", "1", "99.99", "0.01"]),
)
def test_share_range_is_exactly_what_holds_accepts(n: int, comparison: str, pct: str) -> None:
    num, den = runtime.exact_bound(pct.replace(",", "."))
    accepted = [k for k in range(n + 1) if runtime.holds(k, n, comparison, num, den)]
    found = share_range(n, comparison, num, den)
    assert (found is None) == (not accepted)
    if found is not None:
        assert list(range(found[0], found[1] + 1)) == accepted


# ---- the solver against brute force ------------------------------------------------------------------------


def splits(total: int) -> Iterator[tuple[int, int, int]]:
    for a in range(total + 1):
        for b in range(total - a + 1):
            yield a, b, total - a - b


def brute(totals: Sequence[int], bounds: Sequence[Bound]) -> list[tuple[tuple[int, int, int], ...]]:
    out = []
    for x in itertools.product(*(list(splits(n)) for n in totals)):
        if all(lo <= sum(x[a][m] for a in atoms) <= hi for atoms, m, lo, hi in bounds):
            out.append(x)
    return out


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[int], list[Bound]]:
    atoms = draw(st.integers(1, 4))
    totals = [draw(st.integers(0, 5)) for _ in range(atoms)]
    bounds: list[Bound] = []
    for _ in range(draw(st.integers(0, 6))):
        members = frozenset(draw(st.sets(st.integers(0, atoms - 1), min_size=1)))
        n = sum(totals[a] for a in members)
        lo = draw(st.integers(0, n))
        hi = draw(st.integers(max(0, lo - 1), n))
        bounds.append((members, draw(st.integers(0, 2)), lo, hi))
    return totals, bounds


def _nested(bounds: Sequence[Bound]) -> bool:
    return all(
        not (a & b) or a <= b or b <= a
        for m in range(3)
        for a, b in itertools.combinations({x[0] for x in bounds if x[1] == m}, 2)
    )


@settings(max_examples=300)
@given(problems())
def test_the_solver_is_exact(problem: tuple[list[int], list[Bound]]) -> None:
    totals, bounds = problem
    accepted = brute(totals, bounds)
    methods = ["search", "flow"] if _nested(bounds) else ["search"]
    for method in methods:
        found = solve(totals, bounds, method=method)
        assert (found is None) == (not accepted), method
        if found is None:
            continue
        witness, spans = found
        assert tuple(tuple(w) for w in witness) in accepted
        for a in range(len(totals)):
            for m in range(3):
                values = {x[a][m] for x in accepted}
                assert spans[a][m] == (min(values), max(values)), (method, a, m)
                if method == "flow":  # nested sets: every count in between is possible too
                    assert values == set(range(min(values), max(values) + 1))


# ---- the property on rule sets, through the reference evaluator --------------------------------------------

#: Categories under two groups (LANGUAGE.md §3: declarations merge members): the sets cross, and
#: capacity takes the exact search.
CROSSING = """
category night "Night shift" = health, administration
category crew = security, night
"""
CROSSING_GROUPS = ("night", "crew", "frontline", "admin", "all", "administration", "health", "security")
CROSSING_STAFF = ("administration", "leadership-support", "health", "security", "admin", "night", "frontline")
PERCENTS = ("0", "20", "25", "40", "50", "60", "75", "100", "33,5")
DAY = "2024-03-04"


def _budget(heads: dict[str, int], most: int = 1500) -> dict[str, int]:
    """Head counts whose splits the brute force can enumerate (at most ``most`` of them)."""
    heads = dict(heads)

    def count() -> int:
        out = 1
        for n in heads.values():
            out *= (n + 1) * (n + 2) // 2
        return out

    while count() > most:
        big = max(heads, key=lambda c: heads[c])
        heads[big] -= 1
    return heads


def crossing_case(c: Chooser) -> tuple[str, str, str | None, str | None, dict[str, int]]:
    """Mostly a unit of administration, health and security staff with bounds on ``night`` (health,
    administration) and ``frontline`` (health, security) in one mode: sets that cross."""
    lines = [CROSSING]
    main = c.choice(MODES)
    crossing = c.chance(0.8)

    def bound(group: str, mode: str) -> str:
        return f"{group} {mode} {c.choice(runtime.COMPARISONS)} {c.choice(PERCENTS)}%"

    if crossing:
        lines.append(f"rule night on {DAY} in DKI: {bound('night', main)}")
        lines.append(f"rule front on {DAY} in DKI: {bound(c.choice(('frontline', 'crew', 'admin')), main)}")
    for r in range(c.integer(0 if crossing else 1, 2)):
        parts = [
            bound(c.choice(CROSSING_GROUPS), main if c.chance(0.6) else c.choice(MODES)) for _ in range(c.integer(1, 2))
        ]
        lines.append(f"rule r{r} on {DAY} in DKI: " + "; ".join(parts))
    if crossing:
        cats = ["administration", "health", "security", *(["leadership-support"] if c.chance(0.3) else [])]
    else:
        cats = c.sample(CROSSING_STAFF, c.integer(1, 3))
    heads = _budget({cat: c.integer(0, 5) for cat in cats})
    return "\n".join(lines) + "\n", "DKI", None, None, heads


def random_case(c: Chooser) -> tuple[str, str, str | None, str | None, dict[str, int], str]:
    case = random_rule_set(c, circulars=(1, 3), rules=(1, 3), constraints=(1, 3), one_file=True)
    s = random_situation(c, case)
    names = list(s.counts_arg) or [c.choice(sorted(case.categories))]
    heads = _budget({name: c.integer(0, 6) for name in names[:3]})
    date = s.date_arg if isinstance(s.date_arg, str) else s.date_arg.isoformat()
    return case.text, s.region_arg, s.level_arg, s.agency_arg, heads, date


def _all_splits(heads: Mapping[str, int]) -> Iterator[dict[str, dict[str, int]]]:
    names = list(heads)
    for combo in itertools.product(*(list(splits(heads[n])) for n in names)):
        yield {n: dict(zip(MODES, x, strict=True)) for n, x in zip(names, combo, strict=True)}


def check_against_the_evaluator(
    rs: asnrules.RuleSet, date: str, region: str, level: str | None, agency: str | None, heads: dict[str, int]
) -> None:
    answer = rs.capacity(date, region, heads, level, agency)
    canonical = {name: rs.model.category_of(name) for name in heads}
    accepted = [
        split
        for split in _all_splits(heads)
        if rs.evaluate(date, region, split, level, agency, engine="interpreter").outcome != "violation"
    ]
    assert answer.allowed == bool(accepted)
    if accepted:
        for name in heads:
            cat = canonical[name]
            assert cat is not None
            for m in MODES:
                values = [split[name][m] for split in accepted]
                assert answer.bounds[cat][m] == (min(values), max(values)), (name, m)
        assert answer.example is not None
        assert rs.evaluate(date, region, answer.example, level, agency, engine="interpreter").outcome != "violation"
    else:
        _check_clash(answer, heads, canonical)
    for lang in ("id", "en"):
        assert answer.text(lang)
    json.dumps(answer.to_json())


def _check_clash(
    answer: asnrules.capacity.Capacity, heads: dict[str, int], canonical: Mapping[str, str | None]
) -> None:
    """The clash admits no split, and without any one of its constraints some split exists."""
    model = answer.model
    assert answer.clash and set(answer.clash) <= set(answer.binding)

    def meets(split: Mapping[str, Mapping[str, int]], constraints: Sequence[asnrules.model.Constraint]) -> bool:
        for c in constraints:
            under = model.under[c.group]
            n = sum(heads[name] for name in heads if canonical[name] in under)
            k = sum(split[name][c.mode] for name in heads if canonical[name] in under)
            num, den = runtime.exact_bound(format(c.bound, "f"))
            if n and not runtime.holds(k, n, c.comparison, num, den):
                return False
        return True

    every = list(_all_splits(heads))
    assert not any(meets(s, answer.clash) for s in every)
    for i in range(len(answer.clash)):
        rest = answer.clash[:i] + answer.clash[i + 1 :]
        assert any(meets(s, rest) for s in every), "the clash is irreducible"


@settings(max_examples=60)
@given(strategy(random_case))
def test_capacity_agrees_with_the_evaluator_on_random_rule_sets(
    case: tuple[str, str, str | None, str | None, dict[str, int], str],
) -> None:
    text, region, level, agency, heads, date = case
    try:
        rs = asnrules.loads(text, name="random.asnr")
    except asnrules.RulesError:  # a conflict the checker finds: not a rule set to ask
        return
    check_against_the_evaluator(rs, date, region, level, agency, heads)


@settings(max_examples=60)
@given(strategy(crossing_case))
def test_capacity_agrees_with_the_evaluator_when_groups_cross(
    case: tuple[str, str, str | None, str | None, dict[str, int]],
) -> None:
    text, region, level, agency, heads = case
    try:
        rs = asnrules.loads(text, name="crossing.asnr")
    except asnrules.RulesError:  # a conflict the checker finds: not a rule set to ask
        return
    check_against_the_evaluator(rs, DAY, region, level, agency, heads)


def test_crossing_groups_take_the_search() -> None:
    text = f"rule r on {DAY} in DKI: night WFH <= 50%; frontline WFH <= 25%; frontline WFO >= 50%\n"
    rs = asnrules.loads(CROSSING + text)
    answer = rs.capacity(DAY, "DKI", {"health": 4, "administration": 2, "security": 2})
    assert answer.method == "search"  # {health, administration} and {health, security} cross in WFH
    assert answer.range("health", "WFH") == (0, 1)
    assert answer.range("security", "WFH") == (0, 1)
    assert answer.range("administration", "WFH") == (0, 2)
    assert answer.range("health", "WFO") == (1, 4)
    # the same rules, each group in its own mode, nest: the flow
    assert rs.capacity(DAY, "DKI", {"health": 4, "security": 2}).method == "flow"


def test_leave_is_not_a_mode_of_capacity(bundled: asnrules.RuleSet) -> None:
    """Staff on leave are not counted (LANGUAGE.md §5): the head count is of those who work that day,
    so a unit of 10 with 4 on leave asks for 6 — the same as the evaluator with 4 LEAVE."""
    rs = bundled
    answer = rs.capacity("2023-09-04", "DKI", {"admin": 6})
    assert answer.range("admin", "WFH") == (0, 3)
    assert rs.evaluate("2023-09-04", "DKI", {"admin": {"WFH": 3, "WFO": 3, "LEAVE": 4}}).outcome == "compliant"
    assert rs.evaluate("2023-09-04", "DKI", {"admin": {"WFH": 4, "WFO": 2, "LEAVE": 4}}).outcome == "violation"


# ---- bad input ---------------------------------------------------------------------------------------------


def test_read_staff() -> None:
    assert read_staff(["admin=40", "health = 12", "Leadership Support=+3", "post=0"]) == {
        "admin": 40,
        "health": 12,
        "Leadership Support": 3,
        "post": 0,
    }


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        ([], "E354", "no head count given"),
        (["admin"], "E350", "'admin' is not a head count: write CATEGORY=N"),
        (["admin:WFH=6"], "E350", "is not a head count"),
        (["=4"], "E350", "is not a head count"),
        (["admin=4.5"], "E350", "is not a head count"),
        (["admin=4_0"], "E350", "is not a head count"),
        (["admin=٤"], "E350", "is not a head count"),
        (["admin=-3"], "E351", "cannot be negative"),
        (["admin=" + "9" * 13], "E351", "a head count is at most 999,999,999,999"),
        (["admin=1", "ADMIN=2"], "E352", "'ADMIN' names the same category as 'admin'"),
    ],
)
def test_read_staff_refuses(args: list[str], code: str, words: str) -> None:
    with pytest.raises(InputError) as e:
        read_staff(args)
    assert e.value.code == code and words in e.value.text("en")
    assert "\n" not in e.value.text("en") and e.value.text("id") != e.value.text("en")


@pytest.mark.parametrize(
    ("kwargs", "code", "words"),
    [
        ({"staff": {"chef": 3}}, "E353", "unknown category 'chef'"),
        ({"staff": {"admn": 3}}, "E353", "admin"),
        ({"staff": {"admin": -1}}, "E351", "whole numbers from 0 up"),
        ({"staff": {"admin": 2.0}}, "E351", "whole numbers from 0 up"),
        ({"staff": {"admin": True}}, "E351", "whole numbers from 0 up"),
        ({"staff": {"admin": 10**13}}, "E351", "at most"),
        ({"staff": {"admin": 1, "Admin": 2}}, "E352", "names the same category"),
        ({"staff": {"administrasi": 1, "administration": 2}}, "E352", "(administration)"),
        ({"staff": [("admin", 3)]}, "E350", "staff must map categories to head counts"),
        ({"staff": {"admin": 1}, "date": "2023-02-30"}, "E310", ""),
        ({"staff": {"admin": 1}, "region": "Atlantis"}, "E311", "Atlantis"),
        ({"staff": {"admin": 1}, "level": "provincial"}, "E312", ""),
    ],
)
def test_capacity_refuses(bundled: asnrules.RuleSet, kwargs: dict[str, object], code: str, words: str) -> None:
    rs = bundled
    args: dict[str, object] = {"date": "2023-08-30", "region": "DKI", **kwargs}
    with pytest.raises(InputError) as e:
        rs.capacity(**args)  # type: ignore[arg-type]
    assert e.value.code == code and words in e.value.text("en")
    assert "\n" not in e.value.text("en")


def test_bounds_are_exact_decimals_in_json() -> None:
    rs = asnrules.loads("rule r on 2024-03-04 in DKI: admin WFH <= 33.5%\n")
    data = rs.capacity("2024-03-04", "DKI", {"admin": 200}).to_json()
    assert data["rules"][0]["bound"] == "33.5" and Decimal(data["rules"][0]["bound"]) == Decimal("33.5")
    assert data["capacity"]["admin"]["WFH"]["most"] == int(Fraction(335, 1000) * 200)
