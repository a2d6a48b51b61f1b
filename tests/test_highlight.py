"""Highlighting generated from the grammar (issue 15, item 6): the Pygments lexer (entry point
``asnr``) and the TextMate grammar of ``editors/vscode/``, both from the grammar's own terminals.

The committed TextMate grammar must equal what ``python -m asnrules.highlight`` writes now; every
rule file the parser accepts lexes with no error token and its tokens join back to its text; every
spelling of every keyword, in both languages, is one keyword token; ``pygmentize -l asnr`` works
through the installed entry point.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Operator, Token

from asnrules import highlight
from asnrules.errors import AsnrulesError
from asnrules.keywords import KEYWORDS
from asnrules.lexer import AsnrulesLexer
from asnrules.parser import parse
from conftest import ROOT, SHARED

VSCODE = ROOT / "editors" / "vscode"


def _rule_files() -> list[Path]:
    found = sorted((ROOT / "rules").glob("*.asnr")) + sorted((ROOT / "tests" / "cases").rglob("*.asnr"))
    if SHARED.is_dir():
        found += sorted((SHARED / "examples").glob("*.asnr"))
    return found


def _parses(text: str) -> bool:
    try:
        parse(text)
    except AsnrulesError:
        return False
    return True


FILES = _rule_files()


def test_the_committed_textmate_grammar_is_generated_from_the_grammar() -> None:
    stale = highlight.check()
    assert stale == [], f"{stale} out of date with grammar/asnrules.lark: run `python -m asnrules.highlight`"


def test_the_generator_says_when_a_copy_is_stale(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "grammar", tmp_path / "grammar")
    target = tmp_path / "editors" / "vscode" / "syntaxes"
    target.mkdir(parents=True)
    assert highlight.check(tmp_path) != []
    highlight.write(tmp_path)
    assert highlight.check(tmp_path) == []
    (target / "asnr.tmLanguage.json").write_text("{}", encoding="utf-8")
    assert highlight.check(tmp_path) != []


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_every_rule_file_lexes_back_to_itself_and_valid_ones_without_error_tokens(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "replace")  # a bad/ case is not UTF-8 on purpose
    tokens = list(AsnrulesLexer(stripnl=False, ensurenl=False).get_tokens(text))
    # Pygments itself reads line ends as "\n" and drops a byte-order mark; nothing else may change
    assert "".join(value for _, value in tokens) == text.removeprefix("\ufeff").replace("\r\n", "\n").replace(
        "\r", "\n"
    )
    # hostile/ cases are parseable on purpose with control characters in strings, which the lexer
    # marks as errors (a drafter should see them); every other parseable file has no error token
    if _parses(text) and "hostile" not in path.parts:
        errors = [value for kind, value in tokens if kind in Error]
        assert errors == [], f"{path}: error tokens {errors[:5]}"


def test_there_are_valid_files_of_both_languages_to_lex() -> None:
    texts = [p.read_bytes().decode("utf-8", "replace") for p in FILES]
    valid = [t for t in texts if _parses(t)]
    assert len(valid) > 50
    assert any("surat edaran" in t.lower() for t in valid)


def _keyword_tokens(text: str) -> list[str]:
    return [
        value
        for kind, value in AsnrulesLexer().get_tokens(text)
        if kind in Keyword or kind in Operator.Word or kind in Token.Name.Builtin
    ]


SPELLINGS = sorted({(k.terminal, s) for k in KEYWORDS for s in k.spellings()})


def test_every_keyword_is_in_the_textmate_grammar() -> None:
    grammar = (VSCODE / "syntaxes" / "asnr.tmLanguage.json").read_text(encoding="utf-8")
    data = json.loads(grammar)
    assert data["scopeName"] == "source.asnr"
    text = grammar.lower()
    for terminal, spelling in SPELLINGS:
        for word in spelling.lower().split():
            assert word in text, (terminal, spelling)


@given(st.sampled_from(SPELLINGS), st.sampled_from([str.lower, str.upper, str.title]))
def test_each_keyword_spelling_is_highlighted_as_one_token(item: tuple[str, str], case: object) -> None:
    _terminal, spelling = item
    written = case(spelling)  # type: ignore[operator]
    tokens = list(AsnrulesLexer().get_tokens(f"{written} "))
    assert not any(kind in Error for kind, _ in tokens)
    # the spelling is not broken into pieces of other classes: one token holds all of it
    assert any(value.strip().lower() == spelling.lower() for _, value in tokens), tokens


def test_the_entry_point_finds_the_lexer() -> None:
    assert isinstance(get_lexer_by_name("asnr"), AsnrulesLexer)
    assert isinstance(get_lexer_by_name("asnrules"), AsnrulesLexer)
    assert isinstance(get_lexer_for_filename("x.asnr"), AsnrulesLexer)


def test_pygmentize_colours_keywords_of_both_languages() -> None:
    pygmentize = Path(sys.executable).with_name("pygmentize")
    if not pygmentize.exists():
        pytest.skip("pygmentize is not installed beside this Python")
    source = ROOT / "rules" / "se-menpanrb-17-2023.asnr"
    out = subprocess.run(
        [str(pygmentize), "-l", "asnr", "-f", "raw", str(source)], capture_output=True, text=True, check=True
    ).stdout
    keywords = {m.group(2).lower() for m in re.finditer(r"^Token\.(Keyword[.\w]*|Operator\.Word)\t'(.*)'$", out, re.M)}
    assert {"antara", "dan"} & keywords or {"between", "and"} & keywords, sorted(keywords)[:20]
    html = subprocess.run(
        [str(pygmentize), "-l", "asnr", "-f", "html", str(source)], capture_output=True, text=True, check=True
    ).stdout
    assert 'class="k' in html
    english = _keyword_tokens("between 2023-08-28 and 2023-09-07 in DKI: admin WFH at most 50%")
    indonesian = _keyword_tokens("antara 2023-08-28 dan 2023-09-07 di DKI: admin WFH paling banyak 50%")
    assert {"between", "and", "in", "at most"} <= {t.lower() for t in english}, english
    assert {"antara", "dan", "di", "paling banyak"} <= {t.lower() for t in indonesian}, indonesian


def test_the_vscode_extension_is_consistent() -> None:
    package = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    (language,) = package["contributes"]["languages"]
    (grammar,) = package["contributes"]["grammars"]
    assert language["id"] == grammar["language"] == "asnr"
    assert ".asnr" in language["extensions"]
    assert (VSCODE / language["configuration"]).is_file()
    assert (VSCODE / grammar["path"]).is_file()
    assert grammar["scopeName"] == json.loads((VSCODE / grammar["path"]).read_text(encoding="utf-8"))["scopeName"]
    assert (VSCODE / package["main"]).is_file()
    config = json.loads((VSCODE / "language-configuration.json").read_text(encoding="utf-8"))
    assert config["comments"]["lineComment"] == "#"
    assert package["contributes"]["configuration"]["properties"]["asnrules.command"]["default"] == ["asnrules", "lsp"]
    if shutil.which("node"):
        subprocess.run(["node", "--check", str(VSCODE / "extension.js")], check=True)
