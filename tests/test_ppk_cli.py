"""The PPK's commands as a user runs them (issue 13 acceptance): ``asnrules capacity`` and
``asnrules plan`` with their exit statuses, the roster through ``asnrules audit``, the same bytes
twice, and an impossible unit named with its rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import CASES, RULES

STAFF = CASES / "plan" / "se-17-2023" / "staff.csv"
PERIOD = ["--from", "2023-08-28", "--to", "2023-09-07", "--region", "DKI"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "asnrules", *args], capture_output=True, text=True, timeout=300)


def test_capacity_prints_the_acceptance_bounds() -> None:
    p = run("capacity", str(RULES), "--date", "2023-08-30", "--region", "DKI", "admin=40", "health=12", "--lang", "en")
    assert p.returncode == 0, p.stderr
    assert "admin (40): WFO 20–40, WFH 0–20" in p.stdout
    assert "health (12): WFO 12" in p.stdout
    answer = json.loads(
        run("capacity", str(RULES), "--date", "2023-08-30", "--region", "DKI", "admin=40", "--json").stdout
    )
    assert answer["fingerprint"].startswith("sha256:")


def test_capacity_exit_1_when_no_split_is_allowed(tmp_path: Path) -> None:
    rules = tmp_path / "x.asnr"
    # 40% at home and 40% at the office hold together in shares, not for one person
    rules.write_text(
        "rule a on 2023-08-30 in DKI: admin WFH >= 40%\nrule b on 2023-08-30 in DKI: admin WFO >= 40%\n",
        encoding="utf-8",
    )
    p = run("capacity", str(rules), "--date", "2023-08-30", "--region", "DKI", "admin=1", "--lang", "en")
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "rule a" in p.stdout and "rule b" in p.stdout


def test_capacity_bad_input_is_one_line_and_exit_2() -> None:
    for bad in (["admin=x"], ["admn=4"], ["admin=-1"]):
        p = run("capacity", str(RULES), "--date", "2023-08-30", "--region", "DKI", *bad)
        assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and "[E3" in p.stderr, p.stderr


def test_plan_writes_a_roster_the_audit_finds_compliant_the_same_bytes_twice(tmp_path: Path) -> None:
    outputs = []
    for i in (1, 2):
        roster, html = tmp_path / f"roster{i}.csv", tmp_path / f"roster{i}.html"
        p = run("plan", str(RULES), str(STAFF), *PERIOD, "-o", str(roster), "--html", str(html), "--lang", "en")
        assert p.returncode == 0, p.stderr
        assert "Re-checked with the reference evaluator" in p.stdout or "re-checked" in p.stdout.lower(), p.stdout
        outputs.append((roster.read_bytes(), html.read_bytes()))
    assert outputs[0] == outputs[1]
    assert b"<html" in outputs[0][1]
    audit = run("audit", str(RULES), str(tmp_path / "roster1.csv"), "--strict", "--json")
    assert audit.returncode == 0, audit.stdout + audit.stderr
    report = json.loads(audit.stdout)
    assert report["violations"] == 0 and report["rows_rejected"] == 0 and report["window_violations"] == 0
    assert report["rows_read"] == len(outputs[0][0].decode().splitlines()) - 1


def test_plan_of_an_impossible_unit_exits_1_naming_the_rules(tmp_path: Path) -> None:
    rules = tmp_path / "x.asnr"
    rules.write_text(
        'circular "SE Uji 1/2023"\nrule rumah between 2023-08-28 and 2023-09-07 in DKI: admin WFH >= 60%\n',
        encoding="utf-8",
    )
    staff = tmp_path / "staff.csv"
    staff.write_text("employee,unit,category,eligible\nA,U,admin,false\nB,U,admin,true\n", encoding="utf-8")
    p = run("plan", str(rules), str(staff), *PERIOD, "--lang", "en")
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "rule rumah" in p.stderr and "SE Uji 1/2023" in p.stderr


def test_plan_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = run("plan", str(RULES), str(tmp_path / "none.csv"), *PERIOD)
    over = run("plan", str(RULES), str(STAFF), *PERIOD, "-o", str(STAFF))
    backwards = run("plan", str(RULES), str(STAFF), "--from", "2023-09-07", "--to", "2023-08-28", "--region", "DKI")
    for p in (missing, over, backwards):
        assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and "[E3" in p.stderr, p.stderr
