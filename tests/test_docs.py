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


def _messages_appendix(doc: str) -> str:
    begin, end = "<!-- messages:begin -->\n", "<!-- messages:end -->"
    return doc[doc.index(begin) + len(begin) : doc.index(end)]


def test_diagnostics_md_lists_every_message_in_both_languages() -> None:
    """docs/diagnostics.md's appendix is the catalogue, English and Indonesian text of every message
    (``ASNRULES_UPDATE_GOLDEN=1`` rewrites it)."""
    import os

    from asnrules.messages import markdown_table

    path = ROOT / "docs" / "diagnostics.md"
    doc = path.read_text(encoding="utf-8")
    table = markdown_table()
    if os.environ.get("ASNRULES_UPDATE_GOLDEN") == "1":
        begin, end = (
            doc.index("<!-- messages:begin -->\n") + len("<!-- messages:begin -->\n"),
            doc.index("<!-- messages:end -->"),
        )
        doc = doc[:begin] + table + doc[end:]
        path.write_text(doc, encoding="utf-8")
    assert _messages_appendix(doc) == table, "docs/diagnostics.md's appendix is out of date"
