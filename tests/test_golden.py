"""Golden cases for the checker and the evaluator (tests/cases/lint/), in the manner of Catala and black.

- ``good/``: each ``*.asnr`` file, or each sub-directory (one rule set of several files), must lint
  with no diagnostic at all, and every ``example`` in it must pass.
- ``bad/``: each ``NAME.asnr`` file, or ``NAME/`` sub-directory, has ``NAME.expected`` beside it,
  holding exactly what ``asnrules lint NAME.asnr`` prints when run from ``bad/`` (paths are relative
  to that directory). The exit status must be 1 when an error is reported, 0 when only warnings,
  and 2 when the files cannot be read at all (E0xx, one line on standard error).

``ASNRULES_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` rewrites the expected files; review the
change with ``git diff tests/cases`` before committing it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
CASES = Path(__file__).resolve().parent / "cases" / "lint"
GOOD = CASES / "good"
BAD = CASES / "bad"
UPDATE = os.environ.get("ASNRULES_UPDATE_GOLDEN") == "1"


def _cases(directory: Path) -> list[str]:
    """Case names: every ``*.asnr`` file and every sub-directory, relative to ``directory``."""
    if not directory.is_dir():
        return []
    return sorted(
        p.name
        for p in directory.iterdir()
        if (p.is_file() and p.suffix == ".asnr") or (p.is_dir() and not p.name.startswith("."))
    )


def _run(cwd: Path, *args: str) -> tuple[int, str]:
    """Run ``python -m asnrules ARGS`` in ``cwd``; return the exit status and stdout then stderr."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("ASNRULES_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "asnrules", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    return proc.returncode, proc.stdout + proc.stderr


def _expected_path(name: str) -> Path:
    return BAD / (name.removesuffix(".asnr") + ".expected")


@pytest.mark.parametrize("name", _cases(GOOD))
def test_good_case_lints_clean_and_its_examples_pass(name: str) -> None:
    status, out = _run(GOOD, "lint", name)
    files = len(list((GOOD / name).glob("*.asnr"))) if (GOOD / name).is_dir() else 1
    summary = f"no problems found in {files} file{'s' if files != 1 else ''}"
    assert (status, out) == (0, summary + "\n"), out

    status, out = _run(GOOD, "test", name)
    assert status == 0, out
    assert out.strip().splitlines()[-1].endswith(" passed, 0 failed"), out


@pytest.mark.parametrize("name", _cases(GOOD))
def test_good_case_formats_stably_and_keeps_its_meaning(name: str, tmp_path: Path) -> None:
    """As black does: formatting once gives the canonical form, formatting again changes nothing."""
    source = GOOD / name
    if source.is_dir():
        shutil.copytree(source, tmp_path / name)
    else:
        shutil.copy(source, tmp_path / name)
    status, out = _run(tmp_path, "fmt", name)
    assert status == 0, out
    status, out = _run(tmp_path, "fmt", "--check", name)
    assert (status, out.splitlines()[-1]) == (0, "0 files would be reformatted"), out
    status, out = _run(tmp_path, "lint", name)
    assert status == 0 and out.startswith("no problems found"), out
    status, out = _run(tmp_path, "test", name)
    assert status == 0 and out.strip().splitlines()[-1].endswith(" passed, 0 failed"), out


def test_rules_directory_lints_clean_passes_its_examples_and_is_canonical() -> None:
    """The real instruments in rules/, loaded together as one rule set."""
    files = sorted(RULES.glob("*.asnr"))
    assert files, "rules/ holds no .asnr file"
    status, out = _run(ROOT, "lint", "rules")
    assert (status, out) == (0, f"no problems found in {len(files)} files\n"), out
    status, out = _run(ROOT, "test", "rules")
    assert status == 0 and out.strip().splitlines()[-1].endswith(" passed, 0 failed"), out
    status, out = _run(ROOT, "fmt", "--check", "rules")
    assert status == 0, out


@pytest.mark.parametrize("name", _cases(BAD))
def test_bad_case_output_matches_expected(name: str) -> None:
    status, out = _run(BAD, "lint", name)
    expected = _expected_path(name)
    if UPDATE:
        expected.write_text(out, encoding="utf-8")
    assert expected.is_file(), f"{expected.name} is missing: run with ASNRULES_UPDATE_GOLDEN=1 and review it"
    assert out == expected.read_text(encoding="utf-8")

    lines = out.splitlines()
    if lines and ": error[E0" in lines[0]:
        assert status == 2, out  # the files could not be read (E0xx)
    elif any(": error[" in line for line in lines):
        assert status == 1, out
    else:
        assert status == 0, out
        assert any(": warning[" in line for line in lines), "a bad case must report something"


def test_every_expected_file_has_its_case() -> None:
    cases = {_expected_path(name).name for name in _cases(BAD)}
    orphans = sorted(p.name for p in BAD.glob("*.expected") if p.name not in cases)
    assert not orphans, f"expected files without a case: {orphans}"


def test_bad_cases_cover_every_rule_diagnostic_code() -> None:
    """One case at least per code of docs/diagnostics.md that a rule file can cause."""
    seen = set()
    for path in BAD.glob("*.expected"):
        for line in path.read_text(encoding="utf-8").splitlines():
            for marker in ("error[", "warning["):
                if marker in line:
                    seen.add(line.split(marker, 1)[1].split("]", 1)[0])
    wanted = {
        "E002",
        "E003",
        "E100",
        "E101",
        "E102",
        "E103",
        "E110",
        "E111",
        "E112",
        "E114",
        "E120",
        "E121",
        "E122",
        "E130",
        "E131",
        "E132",
        "E133",
        "E134",
        "E135",
        "E140",
        "W200",
        "W201",
        "W203",
        "W204",
    }
    assert wanted <= seen, f"no bad case for {sorted(wanted - seen)}"
