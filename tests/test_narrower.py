"""Narrower overrides and supersedes (LANGUAGE.md §11): ``overrides rule L of N`` switches off only
the rules named, where and while the overrider speaks; ``supersedes rule L of N`` from the
superseder's date. Decided by the interpreter (the reference); the backends are held to it by the
conformance corpus and the differential properties."""

from __future__ import annotations

import datetime as dt

import pytest

import asnrules
from asnrules.errors import RulesError

SE_1_2024 = """
circular "SE MenPANRB 1/2024"
  issued 2024-04-05
rule wfh on the first 2 working days after "Idul Fitri" 2024: admin WFH <= 50%
rule wfo on the first 2 working days after "Idul Fitri" 2024: frontline WFO = 100%
"""

BALI = """
circular "SE Gubernur Bali"
  overrides rule wfh of "SE MenPANRB 1/2024"
rule bali on 2024-04-16 in Bali: admin WFH <= 70%
"""


def _applied(rs: asnrules.RuleSet, day: str, region: str, counts: dict[str, dict[str, int]]) -> list[str]:
    r = rs.evaluate(day, region, counts, engine="interpreter")
    return [a.rule for a in r.applied]


def test_a_narrower_override_switches_off_only_the_named_rule_where_and_while_it_speaks() -> None:
    rs = asnrules.loads(SE_1_2024 + BALI)
    counts = {"admin": {"WFH": 6, "WFO": 4}, "health": {"WFO": 19, "WFH": 1}}
    assert _applied(rs, "2024-04-16", "Bali", counts) == ["wfo", "bali"]  # frontline WFO 100% still binds
    assert _applied(rs, "2024-04-17", "Bali", counts) == ["wfh", "wfo"]  # Bali's rule is silent that day
    assert _applied(rs, "2024-04-16", "Jawa Barat", counts) == ["wfh", "wfo"]  # and elsewhere
    r = rs.evaluate("2024-04-16", "Bali", {"admin": {"WFH": 6, "WFO": 4}}, engine="interpreter")
    assert r.outcome == "compliant"


def test_a_whole_override_switches_off_every_rule_of_the_instrument() -> None:
    whole = BALI.replace('overrides rule wfh of "SE MenPANRB 1/2024"', 'overrides "SE MenPANRB 1/2024"')
    rs = asnrules.loads(SE_1_2024 + whole)
    assert _applied(rs, "2024-04-16", "Bali", {"health": {"WFO": 1}}) == ["bali"]


def test_a_narrower_supersedes_switches_the_rule_off_from_its_date() -> None:
    text = (
        SE_1_2024
        + """
circular "SE MenPANRB 1a/2024"
  effective 2024-04-17
  supersedes rule wfh of "SE MenPANRB 1/2024"
note "Mencabut ketentuan WFH."
"""
    )
    rs = asnrules.loads(text)
    counts = {"admin": {"WFH": 6, "WFO": 4}, "health": {"WFO": 1}}
    assert _applied(rs, "2024-04-16", "DKI", counts) == ["wfh", "wfo"]
    assert _applied(rs, "2024-04-17", "DKI", counts) == ["wfo"]
    assert rs.model.switch_days == (dt.date(2024, 4, 17),)


def test_an_overrider_whose_only_rule_is_switched_off_does_not_speak() -> None:
    """C narrowly supersedes B's rule; B overrides A: where B's rule is off, B does not speak, so A holds."""
    text = """
circular A
rule a on 2024-03-04: admin WFH <= 50%
circular B
  overrides A
rule b on 2024-03-04: admin WFH <= 80%
circular C
  supersedes rule b of B
note "x"
"""
    rs = asnrules.loads(text)
    assert _applied(rs, "2024-03-04", "DKI", {"admin": {"WFH": 1}}) == ["a"]


def test_narrower_overrides_in_a_circle_are_an_error() -> None:
    text = """
circular A
  overrides rule b of B
rule a on 2024-03-04: admin WFH <= 50%
circular B
  overrides rule a of A
rule b on 2024-03-04: admin WFH <= 80%
"""
    with pytest.raises(RulesError) as e:
        asnrules.loads(text)
    assert [d.code for d in e.value.diagnostics] == ["E134"]


def test_a_narrower_relation_ties_the_family_of_examples() -> None:
    rs = asnrules.loads(SE_1_2024 + BALI)
    assert rs.model.family("SE Gubernur Bali") == ("SE MenPANRB 1/2024", "SE Gubernur Bali")


def test_both_languages_say_the_same() -> None:
    id_ = """
surat edaran "SE MenPANRB 1/2024"
  ditetapkan 2024-04-05
aturan wfh pada 2 hari kerja pertama setelah "Idul Fitri" 2024: admin WFH paling banyak 50%
aturan wfo pada 2 hari kerja pertama setelah "Idul Fitri" 2024: frontline WFO = 100%
surat edaran "SE Gubernur Bali"
  mengesampingkan aturan wfh dari "SE MenPANRB 1/2024"
aturan bali pada 2024-04-16 di Bali: admin WFH paling banyak 70%
"""
    a, b = asnrules.loads(SE_1_2024 + BALI).model, asnrules.loads(id_).model
    assert a.rule_overridden_by == b.rule_overridden_by == {0: ("se gubernur bali",)}
    assert [r.periods for r in a.rules] == [r.periods for r in b.rules]
