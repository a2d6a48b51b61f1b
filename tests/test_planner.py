"""The planner (asnrules.planner; INTERFACES Part II, the "Planner." paragraph): a compliant, fair roster.

Golden roster for a 20-person unit under SE MenPANRB 17/2023; the same bytes twice; the roster audited
by ``asnrules.audit`` with no violation; employee rules (BKN's weekly scheme) kept; an impossible unit
named with its clashing rules and facts; bad input as one-line InputErrors; and Hypothesis: small
random units under small random rule sets are planned compliant, or reported infeasible exactly when a
brute force over every assignment finds none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import asnrules
from asnrules import InputError, RulesError
from asnrules.planner import PlanError, Roster, plan, read_staff, recheck
from asnrules.staffgen import generate_staff, staff_csv
from conftest import CASES, RULES

pytest.importorskip("highspy")

SE17 = CASES / "plan" / "se-17-2023"
SE17_RULES = RULES / "se-menpanrb-17-2023.asnr"


@pytest.fixture(scope="module")
def se17() -> asnrules.RuleSet:
    return asnrules.load(SE17_RULES)


@pytest.fixture(scope="module")
def roster(se17: asnrules.RuleSet) -> Roster:
    return plan(se17, SE17 / "staff.csv", "2023-08-28", "2023-09-07", "DKI")


# ---- the golden roster ------------------------------------------------------------------------------


def test_golden_roster(roster: Roster, tmp_path: Path) -> None:
    assert roster.feasible and roster.checked
    out = tmp_path / "roster.csv"
    roster.write(out)
    assert out.read_bytes() == (SE17 / "roster.csv").read_bytes()
    for lang in ("en", "id"):
        assert roster.text(lang) + "\n" == (SE17 / f"summary.{lang}.txt").read_text(encoding="utf-8")


def test_golden_roster_shape(roster: Roster) -> None:
    rows = list(csv.DictReader(io.StringIO((SE17 / "roster.csv").read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["employee", "unit", "date", "mode", "region", "category"]
    assert len(rows) == 20 * 9  # every employee on every working day (28 Aug – 7 Sep 2023: 9)
    assert {r["date"] for r in rows} == {d.isoformat() for d in roster.days}
    staff = {m.employee: m for m in read_staff(SE17 / "staff.csv", roster.model)}
    for r in rows:
        m = staff[r["employee"]]
        day = dt.date.fromisoformat(r["date"])
        if day in m.leave:
            assert r["mode"] == "LEAVE"
        elif day in m.fixed:
            assert r["mode"] == m.fixed[day]
        elif not m.eligible or m.category in ("health", "security"):
            assert r["mode"] == "WFO"  # ineligible; frontline WFO = 100%
        else:
            assert r["mode"] in ("WFO", "WFH")  # WFA is named by no rule of SE 17/2023
    # the fairness achieved: half of the admin staff at work away each day, as evenly as can be
    assert roster.stage("spread") == 1
    away = roster.away
    eligible_admin = [e for e, m in staff.items() if m.eligible and m.category not in ("health", "security")]
    assert max(away[e] for e in eligible_admin) - min(away[e] for e in eligible_admin) <= 1


def test_the_same_bytes_twice(se17: asnrules.RuleSet, tmp_path: Path) -> None:
    outs = []
    for k in range(2):
        r = plan(se17, SE17 / "staff.csv", "2023-08-28", "2023-09-07", "DKI")
        csv_path, pq_path = tmp_path / f"r{k}.csv", tmp_path / f"r{k}.parquet"
        r.write(csv_path)
        r.write(pq_path)
        outs.append((csv_path.read_bytes(), pq_path.read_bytes(), r.html("id"), r.memo("en"), r.to_json()))
    assert outs[0] == outs[1]


def test_the_roster_audits_clean(se17: asnrules.RuleSet, roster: Roster, tmp_path: Path) -> None:
    for name in ("roster.csv", "roster.parquet"):
        path = tmp_path / name
        roster.write(path)
        report = asnrules.audit(se17, str(path))
        assert report.violation_count == 0
        assert report.rows_rejected == 0
        assert report.rows_read == 180


def test_json_carries_fingerprint_and_the_objective(roster: Roster, se17: asnrules.RuleSet) -> None:
    j = roster.to_json()
    assert j["fingerprint"] == se17.fingerprint
    assert j["asnrules_version"] == asnrules.__version__
    assert j["calendar"].startswith("holidays")
    assert j["rechecked"] == {"engine": "interpreter", "ok": True, "unit_days": 9, "employees": 20}
    assert [s["name"] for s in j["objective"]["stages"]] == ["unnamed", "away", "spread", "prefer"]
    assert {r["rule"] for r in j["rules"]} == {"admin-wfh", "admin-wfo", "layanan-langsung-wfo"}
    assert j["row_count"] == len(j["rows"]) == 180
    assert j["rows"][0] == {
        "employee": "P001",
        "unit": "U01",
        "date": "2023-08-28",
        "mode": "WFO",
        "region": "DKI Jakarta",
        "category": "administration",
    }  # fixed at the office that day


def test_recheck_refuses_a_tampered_roster(roster: Roster, se17: asnrules.RuleSet) -> None:
    import dataclasses

    rows = [(e, u, d, "WFH" if m == "WFO" and e == "P019" else m) for e, u, d, m in roster.rows]
    with pytest.raises(PlanError):
        recheck(se17, dataclasses.replace(roster, rows=tuple(rows)))


# ---- pictures and memo ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_html_calendar(roster: Roster, lang: str) -> None:
    page = roster.html(lang)
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page and "https://" not in page and "<script" not in page  # self-contained
    assert page.count('<td class="WFH"') + page.count('<td class="WFO"') + page.count('<td class="LEAVE"') == 180
    assert page.count('<td class="off">') >= 20 * 2  # the weekend 2–3 September, shaded
    assert "admin-wfh" in page and "se-menpanrb-17-2023.asnr" in page
    assert ("Kuota harian" if lang == "id" else "Daily quotas") in page
    assert "admin WFH &lt;= 50%" in page


@pytest.mark.parametrize("lang", ["id", "en"])
def test_memo(roster: Roster, lang: str) -> None:
    memo = roster.memo(lang)
    assert memo.startswith("# ")
    assert "admin-wfh" in memo and "layanan-langsung-wfo" in memo
    assert ("Keadilan pembagian" if lang == "id" else "Fairness achieved") in memo


def test_html_escapes_user_text(se17: asnrules.RuleSet) -> None:
    staff = [{"employee": "<b>x</b>", "unit": "=U&1", "category": "admin"}]
    r = plan(se17, staff, "2023-08-28", "2023-08-28", "DKI")
    assert "<b>x</b>" not in r.html("en") and "&lt;b&gt;x&lt;/b&gt;" in r.html("en")
    assert "\\<b\\>x" in r.memo("en") or "<b>" not in r.memo("en")
    assert "'=U&1" in r.csv_text()  # a spreadsheet formula neutralised


# ---- employee rules ---------------------------------------------------------------------------------


def test_employee_rules_are_kept(tmp_path: Path) -> None:
    rules = asnrules.load([RULES / "bkn-kerja-fleksibel-2025.asnr", RULES / "perpres-21-2023.asnr"])
    rows = generate_staff(12, 5, start=dt.date(2025, 5, 5), end=dt.date(2025, 5, 16), ineligible=0.2)
    staff = tmp_path / "staff.csv"
    staff.write_text(staff_csv(rows), encoding="utf-8")
    r = plan(rules, staff, "2025-05-05", "2025-05-16", "DKI", agency="BKN")
    assert r.feasible and r.checked and r.employees_checked == 12
    per_week: dict[tuple[str, int], list[str]] = {}
    for e, _, d, mode in r.rows:
        per_week.setdefault((e, d.isocalendar()[1]), []).append(mode)
    for modes in per_week.values():
        assert modes.count("WFA") <= 2  # rule fwa
        assert modes.count("WFO") >= min(3, sum(m != "LEAVE" for m in modes))  # rule kantor, reachable
    assert r.stage("away") == sum(1 for *_, m in r.rows if m == "WFA")  # the away mode BKN names
    out = tmp_path / "roster.csv"
    r.write(out)
    assert "agency" in out.read_text(encoding="utf-8").splitlines()[0]
    report = asnrules.audit(rules, str(out))
    assert report.violation_count == 0 and report.window_violations == 0


# ---- no roster --------------------------------------------------------------------------------------

IMPOSSIBLE = """circular "SE Uji 1/2023"
rule rumah between 2023-08-28 and 2023-09-07 in DKI: admin WFH >= 60%
rule layanan between 2023-08-28 and 2023-09-07 in DKI: frontline WFO = 100%
"""


def test_an_impossible_unit_is_named() -> None:
    rules = asnrules.loads(IMPOSSIBLE, name="uji.asnr")
    staff = [
        {"employee": "A", "unit": "U", "category": "administration", "eligible": "false"},
        {"employee": "B", "unit": "U", "category": "administration", "fixed": "2023-08-30=WFO"},
        {"employee": "C", "unit": "U", "category": "administration"},
        {"employee": "D", "unit": "U", "category": "health"},
    ]
    r = plan(rules, staff, "2023-08-28", "2023-09-07", "DKI")
    assert not r.feasible and not r.rows and r.clash is not None
    assert [c.rule for c, _, _ in r.clash.constraints] == ["rumah"]
    why = r.why("en")
    assert "rule rumah, uji.asnr:2:54" in why and "SE Uji 1/2023" in why
    assert "A may not work away from the office" in why
    assert "layanan" not in why  # the frontline rule plays no part
    assert "aturan rumah" in r.why("id") and "tidak dapat bekerja di luar kantor" in r.why("id")
    assert "No roster can satisfy the rules." in r.text("en")
    j = r.to_json()
    assert j["feasible"] is False and j["clash"]["rules"][0]["unit"] == "U" and j["reason"]
    with pytest.raises(InputError) as e:
        r.write("/tmp/never.csv")
    assert e.value.code == "E370"
    assert r.html("id").count("tidak dapat bekerja di luar kantor") == 1
    assert "Tidak ada jadwal" in r.memo("id")


def test_integer_infeasibility_is_found_by_the_filter() -> None:
    # one admin: 40% at home and 40% at the office is feasible in fractions, not in people
    rules = asnrules.loads("rule q on 2023-08-30 in DKI: admin WFH >= 40%; admin WFO >= 40%", name="q.asnr")
    r = plan(rules, [{"employee": "A", "unit": "U", "category": "admin"}], "2023-08-28", "2023-09-01", "DKI")
    assert not r.feasible and r.clash is not None and r.clash.reduced
    assert sorted(c.mode for c, _, _ in r.clash.constraints) == ["WFH", "WFO"]
    assert {d for _, _, d in r.clash.constraints} == {dt.date(2023, 8, 30)}
    assert "1 staff of the category admin at work (0 on leave)" in r.why("en")


def test_leave_is_a_fact_not_a_count() -> None:
    rules = asnrules.loads("rule q on 2023-08-30 in DKI: admin WFH >= 50%", name="q.asnr")
    staff = [
        {"employee": "A", "unit": "U", "category": "admin", "eligible": "false"},
        {"employee": "B", "unit": "U", "category": "admin", "leave": "2023-08-30"},
    ]
    r = plan(rules, staff, "2023-08-30", "2023-08-30", "DKI")
    assert not r.feasible
    assert "1 staff of the category admin at work (1 on leave)" in r.why("en")


# ---- bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("employee,unit\nA,U\n", "E361"),
        ("employee,unit,category\nA,U,clerks\n", "E363"),
        ("employee,unit,category\nA,U,admin\nA,U,admin\n", "E369"),
        ("employee,unit,category,prefer\nA,U,admin,someday\n", "E365"),
        ("employee,unit,category,leave\nA,U,admin,30/08/2023\n", "E362"),
        ("employee,unit,category,fixed\nA,U,admin,2023-08-30\n", "E366"),
        ("employee,unit,category,eligible,fixed\nA,U,admin,tidak,2023-08-30=WFH\n", "E368"),
        ("employee,unit,category,eligible\nA,U,admin,maybe\n", "E364"),
        ("employee,unit,category\nA,U\n", "E361"),
        ("", "E360"),
    ],
)
def test_bad_staff_files(se17: asnrules.RuleSet, tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        plan(se17, path, "2023-08-28", "2023-09-07", "DKI")
    assert e.value.code == code
    assert "\n" not in e.value.text("en") and "\n" not in e.value.text("id")
    assert e.value.text("id") != e.value.text("en")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("2023-09-07", "2023-08-28", "DKI"), "E372"),
        (("2023-08-28", "next week", "DKI"), "E372"),
        (("2023-09-02", "2023-09-03", "DKI"), "E374"),
        (("2023-01-01", "2024-06-01", "DKI"), "E373"),
    ],
)
def test_bad_periods(se17: asnrules.RuleSet, args: tuple[str, str, str], code: str) -> None:
    with pytest.raises(InputError) as e:
        plan(se17, SE17 / "staff.csv", *args)
    assert e.value.code == code


def test_indonesian_headers(se17: asnrules.RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_text(
        "nip;unit_kerja;kategori;tim;cuti;pilihan\n1987;Biro Umum;administrasi;A;2023-08-30;sen;kam\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError):  # ';' splits the header: 'pilihan' then holds only 'sen'
        plan(se17, path, "2023-08-28", "2023-09-07", "DKI")
    path.write_text(
        "nip;unit_kerja;kategori;tim;cuti;pilihan\n1987;Biro Umum;administration;A;2023-08-30;sen,kam\n",
        encoding="utf-8",
    )
    r = plan(se17, path, "2023-08-28", "2023-09-07", "DKI")
    (m,) = r.staff
    assert (m.employee, m.unit, m.category, m.team, m.prefer) == ("1987", "Biro Umum", "administration", "A", {0, 3})
    assert ("1987", "Biro Umum", dt.date(2023, 8, 30), "LEAVE") in r.rows


def test_without_highspy(se17: asnrules.RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "highspy", None)
    with pytest.raises(InputError) as e:
        plan(se17, SE17 / "staff.csv", "2023-08-28", "2023-09-07", "DKI")
    assert e.value.code == "E371" and "asnrules[plan]" in e.value.text("en") and "\n" not in str(e.value)


def test_public_export() -> None:
    assert asnrules.plan is plan


# ---- properties: compliant or infeasible, as a brute force says ------------------------------------

DAYS = (dt.date(2023, 8, 28), dt.date(2023, 8, 29))
CATEGORIES = ("administration", "leadership-support", "health")
GROUPS = ("admin", "administration", "all", "frontline")
MODES = ("WFO", "WFH", "WFA")


@st.composite
def units(draw: Any) -> tuple[str, list[dict[str, str]]]:
    constraints = draw(
        st.lists(
            st.tuples(
                st.sampled_from(GROUPS),
                st.sampled_from(MODES),
                st.sampled_from(("<=", ">=", "=", "<", ">")),
                st.sampled_from(("0", "25", "33.5", "50", "60", "100")),
            ),
            min_size=1,
            max_size=3,
        )
    )
    lines = []
    for k, (g, m, c, p) in enumerate(constraints):
        when = draw(st.sampled_from(("on 2023-08-28", "between 2023-08-28 and 2023-08-29", "on 2023-08-29")))
        lines.append(f"rule r{k} {when} in DKI: {g} {m} {c} {p}%")
    if draw(st.booleans()):
        lines.append("rule e from 2023-08-01: each employee WFH at most 1 days per week")
    staff = []
    for k in range(draw(st.integers(1, 3))):
        row = {"employee": f"E{k}", "unit": "U", "category": draw(st.sampled_from(CATEGORIES))}
        row["eligible"] = "false" if draw(st.integers(0, 4)) == 0 else "true"
        special = draw(st.sampled_from(("", "leave", "fixed")))
        day = draw(st.sampled_from(DAYS)).isoformat()
        if special == "leave":
            row["leave"] = day
        elif special == "fixed":
            mode = "WFO" if row["eligible"] == "false" else draw(st.sampled_from(MODES))
            row["fixed"] = f"{day}={mode}"
        staff.append(row)
    return "\n".join(lines), staff


def brute_force(rules: asnrules.RuleSet, staff: list[dict[str, str]]) -> bool:
    """Whether some assignment of modes keeps every rule (every mode open to eligible staff)."""
    cells = []
    for row in staff:
        for d in DAYS:
            if row.get("leave") == d.isoformat():
                cells.append([(row, d, "LEAVE")])
            elif row.get("fixed", "").startswith(d.isoformat()):
                cells.append([(row, d, row["fixed"].split("=")[1])])
            else:
                options = MODES if row["eligible"] == "true" else ("WFO",)
                cells.append([(row, d, m) for m in options])
    for choice in itertools.product(*cells):
        ok = True
        for d in DAYS:
            counts: dict[str, dict[str, int]] = {}
            for row, day, mode in choice:
                if day == d:
                    counts.setdefault(row["category"], {}).setdefault(mode, 0)
                    counts[row["category"]][mode] += 1
            if rules.evaluate(d, "DKI", counts, engine="interpreter").outcome == "violation":
                ok = False
                break
        if ok and rules.model.employee_constraints:
            for row in staff:
                records = [(day, mode) for r, day, mode in choice if r is row]
                found = rules.check_employee(records, "DKI", row["category"], engine="interpreter")
                if found.outcome == "violation":
                    ok = False
                    break
        if ok:
            return True
    return False


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(case=units())
def test_compliant_or_infeasible_as_brute_force_says(case: tuple[str, list[dict[str, str]]], tmp_path: Path) -> None:
    text, staff = case
    try:
        rules = asnrules.loads(text, name="h.asnr")
    except RulesError:
        return  # a conflict the checker already refuses
    r = plan(rules, staff, DAYS[0], DAYS[1], "DKI")
    assert r.feasible == brute_force(rules, staff)
    if r.feasible:
        assert r.checked  # re-checked by the interpreter (a failure would have raised)
        out = tmp_path / "roster.csv"
        r.write(out)
        report = asnrules.audit(rules, str(out))  # and by the DuckDB audit
        assert report.violation_count == 0 and report.rows_rejected == 0
        assert not report.window_violations
        for row in staff:
            for e, _, _, mode in r.rows:
                if e == row["employee"] and row["eligible"] == "false":
                    assert mode in ("WFO", "LEAVE")
    else:
        assert r.clash is not None
        assert r.clash.constraints or r.clash.employee  # some rule is named
        assert r.why("en") and r.why("id")


# ---- the catalogue, the generator, the browser -------------------------------------------------------


def test_every_planner_message_is_in_the_catalogue() -> None:
    import re

    from asnrules.messages import catalogue

    src = Path(asnrules.__file__).parent
    text = (src / "planner.py").read_text(encoding="utf-8")
    ids = {f"plan.{x}" for x in re.findall(r'_bad\(\s*"([a-z0-9-]+)"', text)}
    ids |= set(re.findall(r'(?:msg|say)\(\s*"(plan\.[a-z0-9-]+)"', text))
    for template in (src / "templates" / "plan").iterdir():
        ids |= {f"plan.{x}" for x in re.findall(r'\bt\("([a-z0-9-]+)"', template.read_text(encoding="utf-8"))}
    assert len(ids) > 40
    assert not sorted(i for i in ids if i not in catalogue())
    for i in (k for k in catalogue() if k.startswith("plan.")):
        assert catalogue()[i]["id"] != catalogue()[i]["en"] or "{" in catalogue()[i]["en"], i


def test_staffgen_is_deterministic() -> None:
    a = staff_csv(generate_staff(50, 7, units=2, frontline=0.2))
    assert a == staff_csv(generate_staff(50, 7, units=2, frontline=0.2))
    assert a != staff_csv(generate_staff(50, 8, units=2, frontline=0.2))
    rows = list(csv.DictReader(io.StringIO(a)))
    assert len(rows) == 50 and {r["unit"] for r in rows} == {"U01", "U02"}
    assert any(r["eligible"] == "false" for r in rows) and any(r["leave"] for r in rows)
    assert any(r["prefer"] for r in rows) and any(r["category"] == "health" for r in rows)


def test_the_calendar_in_chromium(roster: Roster, tmp_path: Path) -> None:
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed")
    page = tmp_path / "roster.html"
    page.write_text(roster.html("id"), encoding="utf-8")
    shot = tmp_path / "roster.png"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
         f"--screenshot={shot}", page.as_uri()],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    assert shot.stat().st_size > 20_000  # a picture, not a blank page


def test_a_leave_rule_against_the_leave_given() -> None:
    rules = asnrules.loads("rule cuti on working days from 2023-08-01: each employee LEAVE at least 1 days per week")
    staff = [
        {"employee": "A", "unit": "U", "category": "admin", "leave": "2023-08-29"},
        {"employee": "B", "unit": "U", "category": "admin"},
    ]
    r = plan(rules, staff, "2023-08-28", "2023-09-01", "DKI")
    assert not r.feasible and r.clash is not None and r.clash.method == "constant"
    assert [(c.rule, e) for c, e, _, _ in r.clash.employee] == [("cuti", "B")]
    assert "B has 0 days of leave in the staff file from 28 August 2023 to 3 September 2023" in r.why("en")
    assert "setiap pegawai CUTI paling sedikit 1 hari per minggu" in r.why("id")
    staff[1]["leave"] = "2023-09-01"
    assert plan(rules, staff, "2023-08-28", "2023-09-01", "DKI").feasible


def test_a_time_limit_gives_an_error_not_a_roster(se17: asnrules.RuleSet) -> None:
    with pytest.raises(PlanError) as e:
        plan(se17, SE17 / "staff.csv", "2023-08-28", "2023-09-07", "DKI", time_limit=0.0)
    assert e.value.code == "E379" and "time limit" in e.value.text("en")


def test_several_units_and_frontline(tmp_path: Path) -> None:
    rules = asnrules.loads(
        "rule q between 2025-05-05 and 2025-05-16 in DKI: admin WFH <= 40%; admin WFO >= 50%; frontline WFO = 100%",
        name="q.asnr",
    )
    staff = tmp_path / "staff.csv"
    rows = generate_staff(40, 11, start=dt.date(2025, 5, 5), end=dt.date(2025, 5, 16), units=3, frontline=0.25)
    staff.write_text(staff_csv(rows), encoding="utf-8")
    r = plan(rules, staff, "2025-05-05", "2025-05-16", "Jakarta", level="central", agency="Kementerian X")
    assert r.feasible and r.unit_days_checked == 3 * len(r.days) == 3 * 8  # 12–13 May 2025: Waisak, cuti bersama
    frontline = {x["employee"] for x in rows if x["category"] == "health"}
    assert frontline and all(m in ("WFO", "LEAVE") for e, _, _, m in r.rows if e in frontline)
    assert not frontline & set(r.spread_staff)
    for q in r.quotas:
        assert runtime_holds(q)
    out = tmp_path / "roster.parquet"
    r.write(out)
    report = asnrules.audit(rules, str(out))
    assert report.violation_count == 0 and report.rows_rejected == 0 and report.rows_read == 40 * 8
    header = r.csv_text().splitlines()[0]
    assert header == "employee,unit,date,mode,region,category,level,agency"


def runtime_holds(q: Any) -> bool:
    from fractions import Fraction

    from asnrules.runtime import holds

    f = Fraction(q.constraint.bound)
    return holds(q.k, q.n, q.constraint.comparison, f.numerator, f.denominator)
