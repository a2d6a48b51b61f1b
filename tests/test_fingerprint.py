"""Reproducible results (issue 8, item 5): ``rules.fingerprint`` is a hash of what the rules mean —
one print for the same rules whatever the paths, the working directory, the file order, the comments
or the layout — and ``rules.sources`` the hash of each file's bytes by its path relative to the root;
``eval --json`` and ``audit --json`` carry the fingerprint and the version."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import asnrules
from asnrules import version
from asnrules.cli import cli
from asnrules.fingerprint import calendar_version, fingerprint
from asnrules.format import format_text
from asnrules.workdays import CALENDAR_VERSION
from conftest import RULES

# Unlabelled rules (cited as file:line), an implicit circular and a messy layout.
MESSY = """\
BETWEEN 2023-08-28   AND 2023-09-07 IN DKI :admin wfh <= 50% ;frontline wfo=100%
nationwide FOR central,"BKN" : admin WFO AT LEAST 50%
note   "a note"
example "one"   on 2023-08-30 in DKI : admin WFH 1 , WFO 1 -> COMPLIANT
"""


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The repository's ``rules/`` copied to a temporary directory."""
    target = tmp_path / "elsewhere" / "rules"
    shutil.copytree(RULES, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_print_is_a_sha256_and_remembered() -> None:
    rs = asnrules.load(RULES)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", rs.fingerprint)
    assert rs.fingerprint == fingerprint(rs.model) == rs.model.__dict__["_fingerprint"]
    assert calendar_version() == CALENDAR_VERSION


def test_the_same_rules_have_one_print_whatever_the_path(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = asnrules.load(RULES).fingerprint
    files = sorted(copy.glob("*.asnr"))
    assert asnrules.load(copy).fingerprint == original
    assert asnrules.load(str(copy)).fingerprint == original
    assert asnrules.load(files).fingerprint == original
    assert asnrules.load(list(reversed(files))).fingerprint == original  # file order is not meaning
    monkeypatch.chdir(copy.parent)
    assert asnrules.load("rules").fingerprint == original
    assert asnrules.load("./rules/").fingerprint == original
    assert asnrules.load([Path("rules") / f.name for f in files]).fingerprint == original
    monkeypatch.chdir(copy)
    assert asnrules.load(".").fingerprint == original
    assert asnrules.load([f.name for f in files]).fingerprint == original
    nested = copy.parent / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert asnrules.load("../../rules").fingerprint == original


def test_the_print_does_not_depend_on_the_hash_seed() -> None:
    # provinces, levels, agencies and members are sets: their order must not leak into the print
    text = (
        'category office "Office" = admin, leadership-support, frontline\n'
        "region java = DKI, Jabar, Jateng, Jatim, Banten, DIY\n"
        'in java, Bali, Aceh, Papua for central, regional, "BKN", "LAN", "BPS": office WFH <= 50%\n'
    )
    code = "import asnrules, sys; print(asnrules.loads(sys.argv[1], name='x.asnr').fingerprint)"
    prints = {
        subprocess.run(
            [sys.executable, "-c", code, text],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("0", "1", "2", "3", "4242")
    }
    assert prints == {asnrules.loads(text, name="x.asnr").fingerprint}


def test_messy_unlabelled_rules_have_one_print_wherever_they_are(tmp_path: Path) -> None:
    # the rules are cited by file:line: neither the path nor the line may enter the print
    here = tmp_path / "here" / "card.asnr"
    there = tmp_path / "there" / "deeper" / "card.asnr"
    for path in (here, there):
        path.parent.mkdir(parents=True)
    here.write_text(MESSY, encoding="utf-8")
    there.write_text("# a comment\n\n# and another, which moves every rule down\n" + MESSY, encoding="utf-8")
    a, b = asnrules.load(here), asnrules.load(there)
    assert [r.citation for r in a.model.rules] != [r.citation for r in b.model.rules]
    assert a.fingerprint == b.fingerprint == asnrules.loads(MESSY, name="card.asnr").fingerprint


def test_fmt_does_not_change_the_print(tmp_path: Path) -> None:
    formatted = format_text(MESSY, "card.asnr")
    assert formatted != MESSY
    assert (
        asnrules.loads(formatted, name="card.asnr").fingerprint == asnrules.loads(MESSY, name="card.asnr").fingerprint
    )
    # and the repository's rules, put out of shape and formatted back
    original = asnrules.load(RULES).fingerprint
    for path in sorted(RULES.glob("*.asnr")):
        text = path.read_text(encoding="utf-8")
        messy = "\n".join(
            re.sub(r" (between|and|nationwide|in) ", r"   \1   ", line) if line.startswith("rule ") else line
            for line in text.splitlines()
        )
        messy = messy.replace("\n  title  ", "  title ").replace(": ", " :", 1) + "   # trailing\n"
        assert messy != text
        tidy = format_text(messy, path.name)
        assert tidy != messy
        (tmp_path / path.name).write_text(messy, encoding="utf-8")
        (tmp_path / "tidy").mkdir(exist_ok=True)
        (tmp_path / "tidy" / path.name).write_text(tidy, encoding="utf-8")
    assert asnrules.load(sorted(tmp_path.glob("*.asnr"))).fingerprint == original
    assert asnrules.load(tmp_path / "tidy").fingerprint == original


def test_comments_do_not_change_the_print(copy: Path) -> None:
    original = asnrules.load(RULES).fingerprint
    for path in copy.glob("*.asnr"):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        lines.insert(0, "# a comment added at the top\n")
        lines = [line + "  # and one at the end" if line.startswith("rule ") else line for line in lines]
        path.write_text("\n".join(lines) + "\n\n# and a last one\n", encoding="utf-8")
    assert asnrules.load(copy).fingerprint == original


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("se-menpanrb-17-2023.asnr", "admin WFH <= 50%", "admin WFH <= 40%"),
        ("se-menpanrb-17-2023.asnr", "admin-wfh between 2023-08-28", "admin-wfh between 2023-08-29"),
        ("se-menpanrb-17-2023.asnr", "in DKI: admin WFO", "in Jabar: admin WFO"),
        ("se-menpanrb-17-2023.asnr", "rule admin-wfo", "rule admin-wfo-2"),
        ("se-menpanrb-17-2023.asnr", "issued 2023-08-16", "issued 2023-08-17"),
        ("se-menpanrb-17-2023.asnr", "berada di domisili", "berada di rumah"),
        ("se-menpanrb-17-2023.asnr", '50% WFH"\n  on 2023-08-28', '50% WFH"\n  on 2023-08-29'),
        ("se-menpanrb-17-2023.asnr", "WFO 4 -> violation", "WFO 4 -> compliant"),
    ],
)
def test_a_change_of_meaning_changes_the_print(copy: Path, file: str, old: str, new: str) -> None:
    original = asnrules.load(copy).fingerprint
    edit(copy / file, old, new)
    assert asnrules.load(copy).fingerprint != original


def test_bounds_count_by_value() -> None:
    a = asnrules.loads("nationwide: admin WFH <= 50%", name="x.asnr")
    b = asnrules.loads("nationwide: admin WFH <= 50,0%", name="x.asnr")
    c = asnrules.loads("nationwide: admin WFH <= 50,5%", name="x.asnr")
    d = asnrules.loads("nationwide: admin WFH < 50%", name="x.asnr")
    assert a.fingerprint == b.fingerprint
    assert len({a.fingerprint, c.fingerprint, d.fingerprint}) == 3


def test_sources_are_relative_to_the_root_with_the_hash_of_the_bytes(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {p.name: sha256(p.read_bytes()) for p in sorted(copy.glob("*.asnr"))}
    rs = asnrules.load(copy)
    assert rs.sources == expected and list(rs.sources) == sorted(expected)
    monkeypatch.chdir(copy.parent)
    assert asnrules.load("rules").sources == expected
    assert asnrules.load(list(reversed(sorted(Path("rules").glob("*.asnr"))))).sources == expected
    one = sorted(copy.glob("*.asnr"))[0]
    assert asnrules.load(one).sources == {one.name: expected[one.name]}
    # a list from several directories: relative to their common directory
    (copy / "sub").mkdir()
    moved = copy / "sub" / one.name
    one.rename(moved)
    rs = asnrules.load([copy / "sub", *sorted(copy.glob("*.asnr"))])
    assert rs.sources == {(f"sub/{k}" if k == one.name else k): v for k, v in expected.items()}
    assert asnrules.load(copy).sources == rs.sources  # the directory searched recursively
    assert asnrules.loads(MESSY, name="card.asnr").sources == {"card.asnr": sha256(MESSY.encode())}


def test_sources_see_a_comment_the_print_does_not(copy: Path) -> None:
    before = asnrules.load(copy)
    path = copy / "se-menpanrb-1-2024.asnr"
    path.write_bytes(b"# new comment\n" + path.read_bytes())
    after = asnrules.load(copy)
    assert after.fingerprint == before.fingerprint
    assert after.sources[path.name] == sha256(path.read_bytes()) != before.sources[path.name]
    assert {k: v for k, v in after.sources.items() if k != path.name} == {
        k: v for k, v in before.sources.items() if k != path.name
    }


def test_the_version_has_one_home() -> None:
    assert asnrules.__version__ == version.__version__
    out = CliRunner().invoke(cli, ["--version"])
    assert out.exit_code == 0 and out.output.strip().endswith(version.__version__)


def test_eval_json_shows_the_print_and_the_version(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(copy.parent)
    args = ["eval", "rules", "--date", "2023-08-30", "--region", "DKI", "--json", "admin:WFH=6", "admin:WFO=4"]
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["outcome"] == "violation"
    assert data["fingerprint"] == asnrules.load(RULES).fingerprint
    assert data["asnrules_version"] == asnrules.__version__


def test_audit_json_shows_the_print_and_the_version(copy: Path, tmp_path: Path) -> None:
    data = tmp_path / "attendance.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["employee", "unit", "date", "region", "category", "mode", "agency", "level"])
        w.writerow(["e1", "U1", "2023-08-30", "DKI", "admin", "WFH", "BKN", "central"])
        w.writerow(["e2", "U1", "2023-08-30", "DKI", "admin", "WFO", "BKN", "central"])
    out = CliRunner().invoke(cli, ["audit", str(copy), str(data), "--json", "--no-progress"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert report["rows_read"] == 2
    assert report["fingerprint"] == asnrules.load(RULES).fingerprint
    assert report["asnrules_version"] == asnrules.__version__


# ---- Part II: working days, calendar declarations, narrower relations (LANGUAGE.md §9, §11) --------

WORKING = """\
circular "SE 1/2024"
rule wfh on the first 2 working days after "Idul Fitri" 2024: admin WFH <= 50%
rule wfo on working days from 2024-04-01 until 2024-05-31: frontline WFO = 100%
rule nyepi on the last 2 working days before "Nyepi" 2024: admin WFH <= 20%
holiday 2024-05-20 "Libur daerah" in Bali
working day 2024-04-20 "Sabtu masuk"
circular "SE Bali"
  overrides rule wfh, nyepi of "SE 1/2024"
rule bali on 2024-04-16, 2024-04-17 in Bali: admin WFH <= 70%
"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("rule wfo on working days from", "rule wfo from"),  # every day, not working days only
        ("first 2 working", "first 3 working"),  # other resolved dates
        ('"Libur daerah" in Bali', '"Libur daerah" in DKI'),
        ('"Libur daerah" in Bali', '"Libur daerah"'),
        ('"Libur daerah"', '"Libur provinsi"'),
        ("working day 2024-04-20", "working day 2024-04-27"),
        ('working day 2024-04-20 "Sabtu masuk"\n', ""),
        ('overrides rule wfh, nyepi of "SE 1/2024"', 'overrides "SE 1/2024"'),
        ("overrides rule wfh, nyepi of", "overrides rule wfh of"),
        ("overrides rule wfh, nyepi of", "supersedes rule wfh, nyepi of"),
        ('circular "SE Bali"', 'regulation "SE Bali"'),
    ],
)
def test_working_days_declarations_and_narrower_relations_change_the_print(old: str, new: str) -> None:
    assert WORKING.count(old) == 1
    original = asnrules.loads(WORKING, name="w.asnr").fingerprint
    assert asnrules.loads(WORKING.replace(old, new), name="w.asnr").fingerprint != original


def test_declarations_and_labels_count_as_sets() -> None:
    original = asnrules.loads(WORKING, name="w.asnr").fingerprint
    swapped = WORKING.replace("rule wfh, nyepi of", "rule nyepi, wfh of")
    declarations = 'holiday 2024-05-20 "Libur daerah" in Bali\nworking day 2024-04-20 "Sabtu masuk"\n'
    moved = WORKING.replace(declarations, "") + "".join(reversed(declarations.splitlines(keepends=True)))
    lebaran = WORKING.replace('after "Idul Fitri"', 'after "Lebaran"')  # one holiday, written otherwise
    assert lebaran != WORKING
    for text in (swapped, moved, "# a comment\n" + WORKING, lebaran):
        assert asnrules.loads(text, name="w.asnr").fingerprint == original


def test_the_print_covers_the_calendar_declarations_and_its_format() -> None:
    from asnrules.fingerprint import FINGERPRINT_FORMAT, meaning

    model = asnrules.loads(WORKING, name="w.asnr").model
    m = meaning(model)
    assert m["format"] == FINGERPRINT_FORMAT == 2
    assert m["calendar"] == {
        "holidays": [["2024-05-20", "Libur daerah", ["51"]]],
        "working_days": [["2024-04-20", "Sabtu masuk"]],
    }
    rules = {r["label"]: r for c in m["circulars"] for r in c["rules"]}
    assert rules["wfo"]["working_days"] is True and rules["bali"]["working_days"] is False
    assert rules["wfh"]["periods"] == [["2024-04-16", "2024-04-17"]]  # the window by its resolved dates
    assert rules["wfh"]["relative"] == ["first", 2, "Hari Raya Idul Fitri", 2024]
    bali = next(c for c in m["circulars"] if c["name"] == "SE Bali")
    assert bali["overrides_rules"] == [["SE 1/2024", ["nyepi", "wfh"]]] and bali["overrides"] == []
    plain = meaning(asnrules.loads("nationwide: admin WFH <= 50%", name="x.asnr").model)
    assert plain["calendar"] == {"holidays": [], "working_days": []}
