"""Decision speed of the compiled evaluator (issue: compiled evaluators). Prints figures; asserts only
that the engines compared give the same outcomes.

One process, one run, the same 100,000 random situations (seeded) for every engine:

1. SE MenPANRB 17/2023 + SE MenPANRB 1/2024 (from rules/, else an inline text with the same content):
   the compiled module's ``evaluate`` (imported from the file ``asnrules compile`` writes) against a
   hand-written Python function for the same two circulars with the same contract (date object or ISO
   text, any province spelling, categories and counts checked; goal: ratio <= 2), and against the same
   policy as a GoRules ``zen-engine`` decision table (goal: compiled >= 100x faster; skipped with a
   message if ``zen`` cannot be imported: ``pip install -e '.[bench]'``).
2. Scaling: the same decisions with 1, 100 and 10,000 circulars in the set (SE 17/2023 plus synthetic
   circulars from tests/strategies.py (`synthetic`), all at other dates; goal: latency 10,000 vs 1 <= 1.5x).
3. Compile time and generated module size for 10,000 rules (1,000 circulars of 10 rules).

Times are the best of three passes over the situations (warm: the module imported, caches filled).

Usage: python benchmarks/bench_evaluate.py [--situations 100000] [--zen-situations 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import asnrules
from asnrules.compile_py import compile_module
from asnrules.prelude import name_key, province_index
from asnrules.ruleset import RuleSet, _build, _digest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from strategies import RandomChooser, plain_situations, synthetic  # plain random: no Hypothesis needed

ROOT = Path(__file__).resolve().parents[1]
RULE_FILES = [ROOT / "rules" / "se-menpanrb-17-2023.asnr", ROOT / "rules" / "se-menpanrb-1-2024.asnr"]
INLINE_17 = """circular "SE MenPANRB 17/2023"
  issued 2023-08-16 by "Menteri PANRB"
rule admin-wfh between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%
rule admin-wfo between 2023-08-28 and 2023-09-07 in DKI: admin WFO >= 50%
rule layanan-langsung-wfo between 2023-08-28 and 2023-09-07 in DKI: frontline WFO = 100%
"""
INLINE_1 = """circular "SE MenPANRB 1/2024"
  issued 2024-04-13 by "Menteri PANRB"
rule layanan-langsung-wfo between 2024-04-16 and 2024-04-17 nationwide: frontline WFO = 100%
rule admin-wfh between 2024-04-16 and 2024-04-17 nationwide: admin WFH at most 50%
"""
REGIONS = [
    "DKI",
    "31",
    "Jakarta",
    "DKI Jakarta",
    "ID-JK",
    "Jabar",
    "Jateng",
    "Jatim",
    "Bali",
    "Aceh",
    "Sulsel",
    "Papua Barat Daya",
    "NTT",
    "Kaltim",
]
CATEGORIES = [
    "admin",
    "administration",
    "leadership-support",
    "frontline",
    "health",
    "security",
    "transport",
    "post",
    "all",
]
WINDOWS = [(dt.date(2023, 8, 25), dt.date(2023, 9, 10)), (dt.date(2024, 4, 14), dt.date(2024, 4, 19))]
FIRST_DAY = dt.date(2022, 1, 1)  # situations lie in 2022..2025
Situation = tuple[dt.date, str, dict[str, dict[str, int]]]


def sources() -> list[tuple[str, str]]:
    if all(p.exists() for p in RULE_FILES):
        return [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in RULE_FILES]
    print("(rules/ not complete: using the inline SE 17/2023 and SE 1/2024)")
    return [("se-menpanrb-17-2023.asnr", INLINE_17), ("se-menpanrb-1-2024.asnr", INLINE_1)]


def build(sources: list[tuple[str, str]]) -> RuleSet:
    """The rule set of these (name, text) pairs, loaded in memory as ``asnrules.load`` loads files."""
    return _build(sources, {name: _digest(text.encode("utf-8")) for name, text in sources})


def situations(n: int, seed: int = 7) -> list[Situation]:
    """``n`` random situations (seeded), mostly while the two circulars are in force."""
    return plain_situations(
        RandomChooser(seed), n, windows=WINDOWS, first_day=FIRST_DAY, regions=REGIONS, categories=CATEGORIES
    )


def import_compiled(rs: RuleSet, directory: Path, name: str) -> ModuleType:
    """Write the module as `asnrules compile` does, and import it like any other module."""
    path = directory / f"{name}.py"
    path.write_text(rs.compile("python"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- the hand-written function ---------------------------------------------------------------------

ADMIN = frozenset({"admin", "administration", "leadership-support"})
FRONTLINE = frozenset(
    {
        "frontline",
        "health",
        "security",
        "disaster",
        "energy",
        "logistics",
        "post",
        "transport",
        "vital-objects",
        "strategic-projects",
        "construction",
        "utilities",
    }
)
KNOWN = ADMIN | FRONTLINE | {"all"}
MODES = frozenset({"WFO", "WFH", "WFA", "LEAVE"})
PROVINCES = {
    **{key: p.code for key, p in province_index().items()},
    **{n: province_index()[name_key(n)].code for p in province_index().values() for n in p.names},
}
SE17 = (dt.date(2023, 8, 28), dt.date(2023, 9, 7))
SE1 = (dt.date(2024, 4, 16), dt.date(2024, 4, 17))


def hand_written(
    date: dt.date | str, region: str, counts: Mapping[str, Mapping[str, int]]
) -> tuple[str, tuple[Any, ...]]:
    """SE 17/2023 and SE 1/2024 by hand: outcome and violations (circular, rule, n, k)."""
    if not isinstance(date, dt.date):
        date = dt.date.fromisoformat(date)
    province = PROVINCES.get(region)
    if province is None:
        province = PROVINCES.get(name_key(region))
        if province is None:
            raise ValueError(f"unknown province {region!r}")
    an = awfo = awfh = fn = fwfo = 0
    for cat, modes in counts.items():
        if cat not in KNOWN:
            raise ValueError(f"unknown category {cat!r}")
        for mode, k in modes.items():
            if mode not in MODES:
                raise ValueError(f"unknown mode {mode!r}")
            if type(k) is not int or k < 0:
                raise ValueError(f"bad count {k!r}")
        wfo = modes.get("WFO", 0)
        wfh = modes.get("WFH", 0)
        n = wfo + wfh + modes.get("WFA", 0)
        if cat in ADMIN:
            an += n
            awfo += wfo
            awfh += wfh
        elif cat in FRONTLINE:
            fn += n
            fwfo += wfo
    violations = []
    holds = False
    if SE17[0] <= date <= SE17[1] and province == "31":
        if an:
            if 100 * awfh <= 50 * an:
                holds = True
            else:
                violations.append(("SE MenPANRB 17/2023", "admin-wfh", an, awfh))
            if 100 * awfo >= 50 * an:
                holds = True
            else:
                violations.append(("SE MenPANRB 17/2023", "admin-wfo", an, awfo))
        if fn:
            if fwfo == fn:
                holds = True
            else:
                violations.append(("SE MenPANRB 17/2023", "layanan-langsung-wfo", fn, fwfo))
    if SE1[0] <= date <= SE1[1]:
        if fn:
            if fwfo == fn:
                holds = True
            else:
                violations.append(("SE MenPANRB 1/2024", "layanan-langsung-wfo", fn, fwfo))
        if an:
            if 100 * awfh <= 50 * an:
                holds = True
            else:
                violations.append(("SE MenPANRB 1/2024", "admin-wfh", an, awfh))
    return ("violation" if violations else "compliant" if holds else "uncovered"), tuple(violations)


# ---- the same policy as a zen-engine decision table ------------------------------------------------


def zen_decision() -> Callable[[dt.date, str, Mapping[str, Mapping[str, int]]], str] | None:
    try:
        import zen
    except ImportError:
        return None

    def rows(
        rid: str, first: dt.date, last: dt.date, province: str, circular: str, rule: str, holds: str, group: str
    ) -> list[dict[str, str]]:
        day = f"[{first:%Y%m%d}..{last:%Y%m%d}]"
        fails = f"not ({holds})"
        return [
            {
                "_id": f"{rid}h",
                "day": day,
                "province": province,
                "check": f"{group}.n > 0 and {holds}",
                "circular": json.dumps(circular),
                "rule": json.dumps(rule),
                "verdict": '"holds"',
            },
            {
                "_id": f"{rid}f",
                "day": day,
                "province": province,
                "check": f"{group}.n > 0 and {fails}",
                "circular": json.dumps(circular),
                "rule": json.dumps(rule),
                "verdict": '"fails"',
            },
        ]

    table = [
        *rows("1", *SE17, "'31'", "SE MenPANRB 17/2023", "admin-wfh", "admin.WFH * 100 <= 50 * admin.n", "admin"),
        *rows("2", *SE17, "'31'", "SE MenPANRB 17/2023", "admin-wfo", "admin.WFO * 100 >= 50 * admin.n", "admin"),
        *rows(
            "3",
            *SE17,
            "'31'",
            "SE MenPANRB 17/2023",
            "layanan-langsung-wfo",
            "frontline.WFO == frontline.n",
            "frontline",
        ),
        *rows("4", *SE1, "", "SE MenPANRB 1/2024", "layanan-langsung-wfo", "frontline.WFO == frontline.n", "frontline"),
        *rows("5", *SE1, "", "SE MenPANRB 1/2024", "admin-wfh", "admin.WFH * 100 <= 50 * admin.n", "admin"),
    ]
    content = {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "Situation", "position": {"x": 0, "y": 0}},
            {
                "id": "rules",
                "type": "decisionTableNode",
                "name": "Rules",
                "position": {"x": 300, "y": 0},
                "content": {
                    "hitPolicy": "collect",
                    "inputs": [
                        {"id": "day", "name": "Day", "field": "day"},
                        {"id": "province", "name": "Province", "field": "province"},
                        {"id": "check", "name": "Check"},
                    ],
                    "outputs": [
                        {"id": "circular", "name": "Circular", "field": "circular"},
                        {"id": "rule", "name": "Rule", "field": "rule"},
                        {"id": "verdict", "name": "Verdict", "field": "verdict"},
                    ],
                    "rules": table,
                },
            },
            {"id": "out", "type": "outputNode", "name": "Decision", "position": {"x": 600, "y": 0}},
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "rules", "type": "edge"},
            {"id": "e2", "sourceId": "rules", "targetId": "out", "type": "edge"},
        ],
    }
    decision = zen.ZenEngine().create_decision(json.dumps(content))

    def decide(date: dt.date, region: str, counts: Mapping[str, Mapping[str, int]]) -> str:
        province = PROVINCES.get(region) or PROVINCES[name_key(region)]
        admin = {"n": 0, "WFO": 0, "WFH": 0}
        frontline = {"n": 0, "WFO": 0}
        for cat, modes in counts.items():
            n = modes.get("WFO", 0) + modes.get("WFH", 0) + modes.get("WFA", 0)
            if cat in ADMIN:
                admin["n"] += n
                admin["WFO"] += modes.get("WFO", 0)
                admin["WFH"] += modes.get("WFH", 0)
            elif cat in FRONTLINE:
                frontline["n"] += n
                frontline["WFO"] += modes.get("WFO", 0)
        context = {"day": int(f"{date:%Y%m%d}"), "province": province, "admin": admin, "frontline": frontline}
        verdicts = [r["verdict"] for r in decision.evaluate(context)["result"]]
        return "violation" if "fails" in verdicts else "compliant" if verdicts else "uncovered"

    return decide


# ---- measuring ----------------------------------------------------------------------------------------


def per_decision(fn: Callable[..., Any], cases: list[Situation], runs: int = 3) -> float:
    """Best of ``runs`` passes, in microseconds per decision."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for date, region, counts in cases:
            fn(date, region, counts)
        best = min(best, time.perf_counter() - start)
    return best / len(cases) * 1e6


def synthetic_elsewhere(n: int) -> list[tuple[str, str]]:
    """``n`` synthetic circulars none of whose days comes within two months of the situations' years."""
    if n <= 0:
        return []
    first, last = FIRST_DAY - dt.timedelta(days=60), FIRST_DAY + dt.timedelta(days=4 * 365 + 60)
    files = synthetic(int(n * 1.4) + 10, 1, seed=1)
    out = []
    for name, text in files.items():
        days = [dt.date.fromisoformat(d) for d in re.findall(r"\d{4}-\d{2}-\d{2}", text)]
        if all(not (first <= d <= last) for d in days):
            out.append((name, text))
        if len(out) == n:
            return out
    raise RuntimeError("not enough synthetic circulars away from the windows")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--situations", type=int, default=100_000)
    ap.add_argument("--zen-situations", type=int, default=5_000, help="zen-engine is slow: time it on a prefix")
    args = ap.parse_args()
    cases = situations(args.situations)

    with tempfile.TemporaryDirectory() as tmp:
        rs = build(sources())
        module = import_compiled(rs, Path(tmp), "se_2023_2024")
        outcomes = [module.evaluate(*c).outcome for c in cases]
        assert outcomes == [hand_written(*c)[0] for c in cases], "compiled and hand-written disagree"
        spot = cases[:: max(1, len(cases) // 2000)]
        assert [module.evaluate(*c).outcome for c in spot] == [
            rs.evaluate(*c, engine="interpreter").outcome for c in spot
        ], "compiled and interpreter disagree"
        mix = {o: outcomes.count(o) for o in ("compliant", "violation", "uncovered")}
        print(f"{len(cases):,} situations on SE MenPANRB 17/2023 + 1/2024: {mix}")
        t_compiled = per_decision(module.evaluate, cases)
        t_hand = per_decision(hand_written, cases)
        print(f"  compiled evaluate()       {t_compiled:8.3f} µs per decision")
        print(f"  hand-written function     {t_hand:8.3f} µs per decision")
        print(f"  ratio compiled / hand     {t_compiled / t_hand:8.2f}x   (goal <= 2x)")
        t_interp = per_decision(lambda d, r, c: rs.evaluate(d, r, c, engine="interpreter"), cases[:20_000], 1)
        t_ruleset = per_decision(rs.evaluate, cases[:20_000], 1)
        print(
            f"  (RuleSet.evaluate: compiled {t_ruleset:.2f} µs, interpreter {t_interp:.2f} µs per decision,"
            " with Result objects)"
        )
        zen_decide = zen_decision()
        if zen_decide is None:
            print("  zen-engine: not importable, skipped (pip install -e '.[bench]')")
        else:
            prefix = cases[: args.zen_situations]
            assert [zen_decide(*c) for c in prefix] == outcomes[: len(prefix)], "compiled and zen-engine disagree"
            t_zen = per_decision(zen_decide, prefix)
            print(f"  zen-engine decision table {t_zen:8.3f} µs per decision ({len(prefix):,} situations)")
            print(f"  zen / compiled            {t_zen / t_compiled:8.1f}x   (goal >= 100x)")

        print("scaling: the same situations, SE 17/2023 plus synthetic circulars at other dates")
        base = [s for s in sources() if "17-2023" in s[0]]
        times = {}
        reference: list[str] | None = None
        for size in (1, 100, 10_000):
            start = time.perf_counter()
            big = build(base + synthetic_elsewhere(size - 1))
            loaded = time.perf_counter() - start
            start = time.perf_counter()
            m = import_compiled(big, Path(tmp), f"scale_{size}")
            built = time.perf_counter() - start
            got = [m.evaluate(*c).outcome for c in cases]
            reference = reference or got
            assert got == reference, "the decisions changed with the size of the set"
            times[size] = per_decision(m.evaluate, cases)
            rules = len(big.model.rules)
            print(
                f"  {size:>6,} circulars ({rules:>6,} rules): {times[size]:7.3f} µs per decision"
                f"   (load {loaded:6.2f} s, compile + import {built:6.2f} s)"
            )
        print(f"  ratio 10,000 / 1          {times[10_000] / times[1]:8.2f}x   (goal <= 1.5x)")

        files = synthetic(1000, 10, seed=0)
        big = build(sorted(files.items()))
        start = time.perf_counter()
        source = compile_module(big.model)
        compiled = time.perf_counter() - start
        print(
            f"compile: {len(big.model.rules):,} rules in {len(files):,} circulars: compile_module {compiled:.2f} s,"
            f" module {len(source.encode('utf-8')) / 1e6:.2f} MB ({source.count(chr(10)):,} lines)"
        )


if __name__ == "__main__":
    asnrules.__name__  # noqa: B018 - the package is imported (and the grammar compiled) before timing
    main()
