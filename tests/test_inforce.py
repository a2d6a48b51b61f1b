"""What is in force (issue 13, item 1): rules.in_force on the bundled rules and on overrides."""

from __future__ import annotations

import pytest

import asnrules
from asnrules.errors import InputError
from conftest import RULES

RELATIONS = """
circular "SE 1/2024"
  issued 2024-01-01
rule wfh in DKI: admin WFH <= 50%
rule wfo in DKI: frontline WFO = 100%
circular "SE DKI 2/2024"
  issued 2024-02-01
  overrides rule wfh of "SE 1/2024"
rule dki between 2024-03-01 and 2024-03-31 in DKI: admin WFH <= 30%
circular "SE 3/2024"
  issued 2024-04-01
  supersedes "SE DKI 2/2024"
rule baru from 2024-04-01 in DKI: admin WFH <= 40%
"""


def test_the_asean_summit_in_jakarta() -> None:
    rs = asnrules.load(RULES)
    answer = rs.in_force("2023-08-30", "DKI", "central", "BKN")
    names = [i.circular.name for i in answer.instruments]
    assert "SE MenPANRB 17/2023" in names
    text = answer.text("id")
    assert text.startswith("Berlaku pada 30 Agustus 2023 di DKI Jakarta (instansi pusat, BKN):")
    assert "paling banyak 50% pegawai layanan administrasi" in text
    en = answer.to_json("en")
    assert en["province"] == "31" and en["fingerprint"] == rs.fingerprint and "calendar" in en
    summit = next(i for i in en["instruments"] if i["name"] == "SE MenPANRB 17/2023")
    assert any("at most 50%" in s for r in summit["rules"] for s in r["sentences"])
    # outside the summit's days, not in force
    later = rs.in_force("2023-09-20", "DKI")
    assert "SE MenPANRB 17/2023" not in [i.circular.name for i in later.instruments]


def test_a_narrower_override_switches_off_one_rule_and_says_by_whom() -> None:
    rs = asnrules.loads(RELATIONS)
    march = rs.in_force("2024-03-15", "DKI")
    assert [r.label for r in march.rules] == ["wfo", "dki"]
    ((off),) = march.switched_off
    assert (off.rule.label, off.how, off.by) == ("wfh", "overridden", ("SE DKI 2/2024",))
    assert "dikesampingkan oleh SE DKI 2/2024" in march.text("id")
    assert "overridden by SE DKI 2/2024" in march.text("en")
    # February: the DKI circular does not speak (no rule of its applies), so SE 1/2024 is whole
    assert [r.label for r in rs.in_force("2024-02-15", "DKI").rules] == ["wfh", "wfo"]
    # April: SE 3/2024 supersedes the DKI circular from its date
    april = rs.in_force("2024-04-15", "DKI")
    assert [r.label for r in april.rules] == ["wfh", "wfo", "baru"]
    # elsewhere nothing applies
    assert rs.in_force("2024-03-15", "Bali").instruments == ()


def test_without_a_region_each_rule_says_where() -> None:
    rs = asnrules.loads(RELATIONS)
    anywhere = rs.in_force("2024-03-15")
    assert {r.rule.label: r.provinces for i in anywhere.instruments for r in i.rules} == {
        "wfo": ("31",),
        "dki": ("31",),
    }
    assert "provinsi mana pun" in anywhere.text("id")


def test_bad_input_is_an_input_error() -> None:
    rs = asnrules.loads(RELATIONS)
    for args, code in (
        (("2024-02-30",), "E310"),
        (("2024-03-01", "Jakartta"), "E311"),
        (("2024-03-01", None, "x"), "E312"),
    ):
        with pytest.raises(InputError) as e:
            rs.in_force(*args)
        assert e.value.code == code


def test_the_in_force_command() -> None:
    """``asnrules in-force``: the rules in plain language with their citations, JSON with the
    fingerprint, exit 2 with a one-line error on a bad day or province."""
    import json as json_

    from click.testing import CliRunner

    from asnrules.cli import cli
    from conftest import RULES

    run = CliRunner()
    text = run.invoke(cli, ["in-force", str(RULES), "--date", "2025-05-05", "--region", "DKI", "--agency", "BKN"])
    assert text.exit_code == 0, text.output
    assert "Berlaku pada 5 Mei 2025 di DKI Jakarta" in text.output
    assert "paling banyak 2 (dua) hari kerja dalam satu minggu" in text.output
    english = run.invoke(cli, ["in-force", str(RULES), "--date", "2023-08-30", "--region", "DKI", "--lang", "en"])
    assert english.exit_code == 0 and "SE MenPANRB 17/2023" in english.output
    answer = json_.loads(run.invoke(cli, ["in-force", str(RULES), "--date", "2023-08-30", "--json"]).output)
    assert answer["fingerprint"].startswith("sha256:") and answer["instruments"]
    import subprocess
    import sys

    for bad, words in ((["--date", "2023-13-01"], "bulan ke-13"), (["--region", "Atlantis"], "'Atlantis'")):
        given = bad if "--date" in bad else ["--date", "2023-08-30", *bad]
        p = subprocess.run(
            [sys.executable, "-m", "asnrules", "in-force", str(RULES), *given],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and words in p.stderr, p.stderr
