"""The command line as INTERFACES.md fixes it: output formats, exit statuses, one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from asnrules.messages import file_language
from conftest import SHARED

CARD = "between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%; frontline WFO = 100%\n"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asnrules", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def one_line_error(p: subprocess.CompletedProcess[str], status: int = 2) -> str:
    assert p.returncode == status, (p.returncode, p.stdout, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout
    return lines[0]


@pytest.fixture
def card(tmp_path: Path) -> Path:
    path = tmp_path / "card.asnr"
    path.write_text(CARD, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(p.name for p in (SHARED / "examples").glob("*.asnr")))
def test_shared_examples_lint_clean_and_pass(name: str) -> None:
    path = SHARED / "examples" / name
    lint = run("lint", "--lang", "en", str(path))
    assert lint.returncode == 0 and lint.stdout.strip().splitlines() == ["no problems found in 1 file"], lint.stdout
    test = run("test", "--lang", "en", str(path))
    assert test.returncode == 0
    assert re.fullmatch(r"\d+ passed, 0 failed", test.stdout.strip().splitlines()[-1])
    # in the file's own language without --lang (LANGUAGE.md §14)
    own = file_language(path.read_text(encoding="utf-8"))
    test = run("test", str(path))
    pattern = r"\d+ berhasil, 0 gagal" if own == "id" else r"\d+ passed, 0 failed"
    assert test.returncode == 0 and re.fullmatch(pattern, test.stdout.strip().splitlines()[-1]), test.stdout


def test_all_shared_examples_together_lint_clean() -> None:
    p = run("lint", "--lang", "en", str(SHARED / "examples"))
    assert p.returncode == 0 and p.stdout.strip() == "no problems found in 3 files"


def test_lint_prints_one_line_per_diagnostic_then_a_summary(tmp_path: Path) -> None:
    bad = tmp_path / "bad.asnr"
    bad.write_text("in Jakartta: admn WFH <= 50%\nnationwide: admin WFH <= 50%; admin WFH <= 40%\n")
    p = run("lint", str(bad))
    assert p.returncode == 1
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 3
    assert re.match(rf"{re.escape(str(bad))}:1:4: error\[E121\]: unknown region 'Jakartta'", lines[0])
    assert re.match(rf"{re.escape(str(bad))}:1:14: error\[E120\]: unknown category 'admn'", lines[1])
    assert lines[2] == "2 errors in 1 file"
    js = json.loads(run("lint", "--json", str(bad)).stdout)
    assert [d["code"] for d in js["diagnostics"]] == ["E121", "E120"] and js["errors"] == 2


def test_lint_warnings_do_not_fail(tmp_path: Path) -> None:
    f = tmp_path / "w.asnr"
    f.write_text("nationwide: admin WFH <= 50%; admin WFH <= 40%\n")
    p = run("lint", str(f))
    assert p.returncode == 0 and "warning[W201]" in p.stdout and p.stdout.strip().endswith("1 warning in 1 file")


def test_lint_verbose_shows_the_caret(tmp_path: Path) -> None:
    f = tmp_path / "s.asnr"
    f.write_text("in DKI admin WFH <= 50%\n")
    p = run("lint", "-v", str(f))
    assert p.returncode == 1 and "expected ':' after the scope of the rule" in p.stdout
    assert "   1 | in DKI admin WFH <= 50%" in p.stdout and "^" in p.stdout


def test_lint_verbose_shows_the_caret_for_problems_found_after_parsing(tmp_path: Path) -> None:
    f = tmp_path / "s.asnr"
    f.write_text("# a comment\nnationwide: admin WFH <= 50%; admn WFO >= 10%\n")
    p = run("lint", "-v", str(f))
    assert p.returncode == 1 and "error[E120]" in p.stdout
    assert "   2 | nationwide: admin WFH <= 50%; admn WFO >= 10%\n" in p.stdout
    assert "     | " + " " * 30 + "^\n" in p.stdout  # under 'admn', column 31
    assert run("lint", str(f)).stdout.count("\n") == 2  # without -v: the problem and the summary


def test_test_command_reports_failures_with_location_and_actual_outcome(tmp_path: Path) -> None:
    f = tmp_path / "t.asnr"
    f.write_text(
        CARD + 'example "wrong" on 2023-08-30 in DKI: admin WFH 6, WFO 4 -> compliant\n'
        "example on 2023-08-30 in DKI: admin WFH 5, WFO 5 -> compliant\n"
    )
    p = run("test", str(f))
    assert p.returncode == 1
    lines = p.stdout.strip().splitlines()
    assert lines[-1] == "1 passed, 1 failed"
    assert lines[0].startswith(f'{f}:2:1: FAILED example "wrong": expected compliant, got violation')
    assert "60%" in lines[0]


def test_eval_text_and_json(card: Path) -> None:
    p = run("eval", str(card), "--date", "2023-08-30", "--region", "DKI", "admin:WFH=6", "admin:WFO=4")
    assert p.returncode == 0 and p.stdout.startswith("Outcome: violation.")
    j = json.loads(
        run("eval", str(card), "--date", "2023-08-30", "--region", "31", "--json", "admin:WFH=1", "admin:WFO=2").stdout
    )
    assert j["outcome"] == "compliant" and j["violations"] == []
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", j["fingerprint"])
    assert j["asnrules_version"] == run("--version").stdout.split()[-1]
    j = json.loads(
        run(
            "eval",
            str(card),
            "--date",
            "2023-08-30",
            "--region",
            "DKI",
            "--level",
            "central",
            "--agency",
            "BKN",
            "--json",
            "admin:WFH=2",
            "admin:WFO=1",
        ).stdout
    )
    (v,) = j["violations"]
    assert {"circular", "rule", "group", "mode", "comparison", "bound", "share", "source"} <= set(v)
    assert (v["bound"], v["share"]) == ("50", "200/3")
    idn = run("eval", str(card), "--date", "2023-08-30", "--region", "DKI", "--lang", "id", "admin:WFH=1")
    assert idn.stdout.startswith("Hasil: pelanggaran.")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--date", "2023-02-30", "--region", "DKI", "admin:WFH=1"], "February 2023 has 28 days"),
        (["--date", "2023-08-30", "--region", "Atlantis", "admin:WFH=1"], "unknown province 'Atlantis'"),
        (["--date", "2023-08-30", "--region", "DKI", "admin:WFH=x"], "CATEGORY:MODE=N"),
        (["--date", "2023-08-30", "--region", "DKI", "admn:WFH=1"], "unknown category 'admn'"),
        (["--region", "DKI", "admin:WFH=1"], "--date"),
    ],
)
def test_eval_bad_input_is_one_line_and_exit_2(card: Path, args: list[str], words: str) -> None:
    assert words in one_line_error(run("eval", str(card), *args))


def test_bad_files_are_one_line_and_exit_2(tmp_path: Path) -> None:
    assert "no such file" in one_line_error(run("lint", str(tmp_path / "missing.asnr")))
    latin1 = tmp_path / "latin1.asnr"
    latin1.write_bytes('note "Pemantauan \xe9"\n'.encode("latin-1"))
    assert "not UTF-8" in one_line_error(run("lint", str(latin1)))
    binary = tmp_path / "bin.asnr"
    binary.write_bytes(b"\x00\x01\x02")
    assert "not a text file" in one_line_error(run("test", str(binary)))
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    assert "no .asnr rule files" in one_line_error(run("lint", str(empty_dir)))


def test_unknown_command_and_missing_arguments_are_one_line() -> None:
    one_line_error(run("frobnicate"))
    one_line_error(run("lint"))


def test_fmt_check_and_rewrite(tmp_path: Path) -> None:
    f = tmp_path / "f.asnr"
    f.write_text("BETWEEN 2023-08-28 AND 2023-09-07   IN DKI :admin wfh <= 50%# c\n")
    check = run("fmt", "--check", str(f))
    assert check.returncode == 1 and "would be reformatted" in check.stdout
    assert run("fmt", str(f)).returncode == 0
    assert f.read_text() == "between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%  # c\n"
    again = run("fmt", "--check", str(f))
    assert again.returncode == 0 and "0 files would be reformatted" in again.stdout
    indo = tmp_path / "uji.asnr"  # an Indonesian file is told in Indonesian, as lint tells it
    indo.write_text('surat edaran "X"\nantara 2023-01-02 dan 2023-01-03 di  DKI: admin WFH paling banyak 5%\n')
    said = run("fmt", "--check", str(indo))
    assert said.returncode == 1 and said.stdout.splitlines() == [f"{indo}: akan dirapikan", "1 berkas akan dirapikan"]
    english = run("fmt", "--check", "--lang", "en", str(indo))
    assert english.stdout.splitlines() == [f"{indo}: would be reformatted", "1 file would be reformatted"]
    assert run("fmt", str(indo)).stdout == f"{indo}: telah dirapikan\n"
    broken = tmp_path / "rusak.asnr"  # a file that does not parse: its error in its language, or in --lang
    broken.write_text('surat edaran "X"\nantara 2023-01-02 dan 2023-01-03 di DKI admin WFH paling banyak 5%\n')
    assert "kesalahan[E100]" in run("fmt", "--check", str(broken)).stderr
    assert "error[E100]" in run("fmt", "--check", "--lang", "en", str(broken)).stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("asnrules, version")
    assert "lint" in run("--help").stdout


def test_outputs_go_into_new_folders_and_unwritable_places_are_one_line(card: Path, tmp_path: Path) -> None:
    module = tmp_path / "new" / "folder" / "policy.py"
    assert run("compile", str(card), "-o", str(module)).returncode == 0
    assert "def evaluate(" in module.read_text(encoding="utf-8")
    assert not list(module.parent.glob(".*asnrules-tmp"))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    line = one_line_error(run("compile", str(card), "-o", str(blocker / "policy.py")))
    assert str(blocker) in line and "folder" in line
    line = one_line_error(run("render", str(card), "-o", str(blocker / "docs")))
    assert "folder" in line


ID_CARD = (
    'surat edaran "SE A"\n  ditetapkan 2023-08-16\n'
    "antara 2023-08-28 dan 2023-09-07 di DKI: admin WFH paling banyak 50%; frontline WFO = 100%\n"
    "contoh pada 2023-08-30 di DKI: admin WFH 6, WFO 4 -> patuh\n"
)


def test_messages_speak_the_language_of_the_file_or_of_lang(tmp_path: Path) -> None:
    """LANGUAGE.md §14: an Indonesian file gets Indonesian messages from lint, test and eval (and
    their errors); --lang en gives English; the codes and exit statuses do not change."""
    path = tmp_path / "se.asnr"
    path.write_text(ID_CARD + "di Jakartta: admn WFH paling banyak 50%\n", encoding="utf-8")
    lint_id, lint_en = run("lint", str(path)), run("lint", "--lang", "en", str(path))
    assert lint_id.returncode == lint_en.returncode == 1
    assert "kesalahan[E121]: wilayah 'Jakartta' tidak dikenal" in lint_id.stdout
    assert lint_id.stdout.splitlines()[-1] == "2 kesalahan dalam 1 berkas"
    assert "error[E121]: unknown region 'Jakartta'" in lint_en.stdout
    assert lint_en.stdout.splitlines()[-1] == "2 errors in 1 file"

    path.write_text(ID_CARD, encoding="utf-8")
    test = run("test", str(path))
    assert test.returncode == 1
    assert "contoh GAGAL: seharusnya patuh, hasilnya pelanggaran" in test.stdout, test.stdout
    assert test.stdout.splitlines()[-1] == "0 berhasil, 1 gagal"
    test = run("test", "--lang", "en", str(path))
    assert "FAILED example: expected compliant, got violation" in test.stdout
    assert test.stdout.splitlines()[-1] == "0 passed, 1 failed"

    ev = run("eval", str(path), "--date", "2023-08-30", "--region", "DKI", "admin:WFH=6", "admin:WFO=4")
    assert ev.returncode == 0 and ev.stdout.startswith("Hasil: pelanggaran"), ev.stdout
    ev = run("eval", str(path), "--lang", "en", "--date", "2023-08-30", "--region", "DKI", "admin:WFH=6")
    assert ev.returncode == 0 and ev.stdout.startswith("Outcome: violation"), ev.stdout
    bad = run("eval", str(path), "--date", "2023-08-30", "--region", "DKI", "admin:WFH=-1")
    assert bad.returncode == 2
    assert bad.stderr == "asnrules: kesalahan[E313]: 'admin:WFH=-1': jumlah pegawai tidak boleh negatif\n"
    bad = run("eval", str(path), "--lang", "en", "--date", "2023-08-30", "--region", "DKI", "admin:WFH=-1")
    assert bad.stderr == "asnrules: error[E313]: 'admin:WFH=-1': a staff count cannot be negative\n"


def test_calendar_lists_the_non_working_days_of_a_year() -> None:
    """issue 11: ``asnrules calendar 2025`` names 28 March as cuti bersama for Nyepi and 31 March as
    Idul Fitri; ``--json`` gives the same days; a bad year or region is one line and status 2."""
    p = run("calendar", "2025")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert any(line.startswith("2025-03-28") and "cuti bersama" in line and "Nyepi" in line for line in lines)
    assert any(line.startswith("2025-03-31") and "Idul Fitri" in line for line in lines)
    data = json.loads(run("calendar", "2025", "--json").stdout)
    assert {"2025-03-28", "2025-03-31"} <= {d["date"] for d in data["days"]}
    one_line_error(run("calendar", "20255"))
    one_line_error(run("calendar", "2025", "--region", "Atlantis"))
