"""The documentation stays true: every diagnostic code the code can emit is documented, and every
documented code exists."""

from __future__ import annotations

import re

from conftest import ROOT


def codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "asnrules").glob("*.py"):
        found |= set(re.findall(r'"([EW]\d{3})"', path.read_text(encoding="utf-8")))
    return found - {"E000", "E300"}  # the base classes' defaults, never emitted as such


def test_every_code_is_documented_and_every_documented_code_exists() -> None:
    doc = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| ([EW]\d{3}) \|", doc, flags=re.M))
    ranges = re.findall(r"^\| E(\d{3})–E(\d{3}) \|", doc, flags=re.M)
    in_range = {c for c in codes_in_source() if any(int(a) <= int(c[1:]) <= int(b) for a, b in ranges)}
    assert codes_in_source() - in_range <= documented, sorted(codes_in_source() - in_range - documented)
    assert documented <= codes_in_source(), sorted(documented - codes_in_source())


def test_readme_shows_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
