"""Golden cases of the formatter, in the manner of black: each file in tests/cases/format/ is an
input, a line ``# output`` and the expected output; without that line the file must stay unchanged.
Every case is also checked for stability (formatting the output changes nothing) and for meaning
(the output parses to the same tree)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from asnrules.format import detect_language, format_text
from asnrules.parser import parse
from conftest import CASES

MARK = "# output\n"
FORMAT_CASES = sorted((CASES / "format").glob("*.asnr"))


def split_case(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    if MARK in text:
        source, expected = text.split(MARK, 1)
        return source, expected
    return text, text


@pytest.mark.parametrize("path", FORMAT_CASES, ids=[p.stem for p in FORMAT_CASES])
def test_format_golden(path: Path) -> None:
    source, expected = split_case(path)
    actual = format_text(source, path.name)
    if os.environ.get("ASNRULES_UPDATE_GOLDEN") and actual != expected:
        path.write_text(
            source + MARK + actual if MARK in path.read_text(encoding="utf-8") else actual, encoding="utf-8"
        )
        pytest.skip("golden file updated")
    assert actual == expected
    assert format_text(actual, path.name) == actual
    assert parse(actual, path.name) == parse(source, path.name)


def test_there_are_cases() -> None:
    assert len(FORMAT_CASES) >= 4


def test_language_detection() -> None:
    assert detect_language("antara 2023-08-28 dan 2023-09-07 di DKI: admin WFH paling banyak 50%") == "id"
    assert detect_language("between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%") == "en"
    assert detect_language('note "antara dan di pada"\nin DKI: admin WFH <= 50%') == "en"  # strings don't count
