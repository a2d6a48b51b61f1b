"""The wheel carries the grammar and the data files, and works from a plain (non-editable) install."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("asnrules-*.whl")
    return found


def test_wheel_ships_grammar_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "asnrules/grammar/asnrules.lark" in names
    assert "asnrules/data/provinces.csv" in names
    assert "asnrules/py.typed" in names
    shipped = zipfile.ZipFile(wheel).read("asnrules/grammar/asnrules.lark").decode()
    assert shipped == (ROOT / "grammar" / "asnrules.lark").read_text(encoding="utf-8")


def test_installed_wheel_parses_without_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import asnrules, importlib.resources as r, pathlib;"
        f"assert pathlib.Path(asnrules.__file__).is_relative_to({str(site)!r}), asnrules.__file__;"
        "assert r.files('asnrules').joinpath('grammar/asnrules.lark').is_file();"
        "rs = asnrules.loads('between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%');"
        "print(rs.evaluate('2023-08-30', 'DKI', {'admin': {'WFH': 6, 'WFO': 4}}).outcome)"
    )
    p = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "violation"
