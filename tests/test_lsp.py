"""The language server (``asnrules lsp``): end to end over stdio with pytest-lsp, and its pure
functions in process (a Hypothesis property). Golden answers in tests/cases/lsp/
(``ASNRULES_UPDATE_GOLDEN=1`` rewrites them)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pytest_lsp import LanguageClient

from asnrules import lsp

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "lsp"
UPDATE = os.environ.get("ASNRULES_UPDATE_GOLDEN") == "1"
SAMPLE = (ROOT / "rules" / "se-menpanrb-17-2023.asnr").read_text("utf-8")
TYPO = SAMPLE.replace("in DKI: admin WFH <= 50%", "in Jakrta: admin WFH <= 50%", 1)
BUNDLED = sorted((ROOT / "rules").glob("*.asnr"))


def golden(name: str, answer: Any, uri: str | None = None) -> None:
    path = CASES / f"{name}.json"
    text = json.dumps(answer, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if uri is not None:  # the test's temporary folder differs from run to run
        text = text.replace(uri, "file:///DOC/se.asnr")
    if UPDATE or not path.exists():
        path.write_text(text, "utf-8")
    assert json.loads(path.read_text("utf-8")) == json.loads(text)


@pytest_lsp.fixture(
    config=pytest_lsp.ClientServerConfig(server_command=[sys.executable, "-m", "asnrules", "lsp"]),
)
async def client(lsp_client: LanguageClient) -> Any:
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


async def _open(client: Any, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="asnrules", version=1, text=text)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    for _ in range(50):  # every file of the folder is published; wait for this one
        if uri in client.diagnostics:
            break
        await asyncio.sleep(0.05)
    return uri


async def _published(client: Any, uri: str, count: int) -> list[Any]:
    for _ in range(100):
        if len(client.diagnostics.get(uri, [])) == count:
            break
        await asyncio.sleep(0.05)
    return list(client.diagnostics.get(uri, []))


@pytest.mark.asyncio
async def test_typo_quick_fix_and_clean(client: Any, tmp_path: Path) -> None:
    doc = tmp_path / "se.asnr"
    doc.write_text(TYPO, "utf-8")
    uri = await _open(client, doc, TYPO)
    diags = await _published(client, uri, 1)
    assert [d.code for d in diags] == ["E121"]
    d = diags[0]
    line = TYPO.splitlines()[d.range.start.line]
    assert line[d.range.start.character : d.range.end.character] == "Jakrta"
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=diags),
        )
    )
    fix = actions[0]
    edit = fix.edit.changes[uri][0]
    assert edit.new_text == "Jakarta" and edit.range == d.range
    golden("code-action-E121", client.protocol._converter.unstructure(actions), uri)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)],
        )
    )
    assert await _published(client, uri, 0) == []


@pytest.mark.asyncio
async def test_hover_admin_in_indonesian(client: Any, tmp_path: Path) -> None:
    doc = tmp_path / "se.asnr"
    uri = await _open(client, doc, SAMPLE)
    lines = SAMPLE.splitlines()
    n = next(i for i, ln in enumerate(lines) if ln.startswith("rule admin-wfh"))
    col = lines[n].index(": admin") + 3
    found = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=n, character=col)
        )
    )
    assert "layanan administrasi pemerintahan dan dukungan pimpinan" in found.contents.value
    golden("hover-admin", client.protocol._converter.unstructure(found))


@pytest.mark.asyncio
async def test_code_lens_per_example(client: Any, tmp_path: Path) -> None:
    doc = tmp_path / "se.asnr"
    text = SAMPLE.replace("admin WFH 5, WFO 5 -> compliant", "admin WFH 5, WFO 5 -> violation", 1)
    uri = await _open(client, doc, text)
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    examples = [i for i, ln in enumerate(text.splitlines()) if ln.startswith("example")]
    rules = [i for i, ln in enumerate(text.splitlines()) if ln.startswith("rule")]
    verdicts = [c for c in lenses if c.command.tooltip.startswith("asnrules test ")]
    where = [c for c in lenses if c.command.tooltip.startswith("asnrules lint -v ")]
    assert [c.range.start.line for c in verdicts] == examples
    # above each rule: where and when it applies, the dates resolved
    assert [c.range.start.line for c in where] == rules
    assert all(c.command.title == "DKI Jakarta · 28 August – 7 September 2023" for c in where), where
    titles = [c.command.title for c in verdicts]
    assert titles[0].startswith("✗") and all(t.startswith("✓") for t in titles[1:])
    golden("code-lens", [titles[0], titles[1]])


@pytest.mark.asyncio
async def test_formatting_and_unknown_document(client: Any, tmp_path: Path) -> None:
    doc = tmp_path / "se.asnr"
    messy = SAMPLE.replace("rule admin-wfh between", "rule   admin-wfh   between", 1)
    uri = await _open(client, doc, messy)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri), options=types.FormattingOptions(2, True)
        )
    )
    assert len(edits) == 1 and "rule admin-wfh between" in edits[0].new_text
    none = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=(tmp_path / "nope.asnr").as_uri()),
            options=types.FormattingOptions(2, True),
        )
    )
    assert not none


# --- in process ---------------------------------------------------------------------------------


def test_emoji_before_error_utf16() -> None:
    text = TYPO.replace('circular "SE MenPANRB 17/2023"', 'circular "SE MenPANRB 17/2023"', 1)
    text = text.replace("rule admin-wfh between", "# 😀😀\nrule admin-wfh between", 1).replace(
        "in Jakrta:", "in Jakrta :", 1
    )
    line_with = next(i for i, ln in enumerate(text.splitlines()) if "Jakrta" in ln)
    text = text.replace("rule admin-wfh", "rule admin-wfh", 1)
    # an emoji on the same line, inside a quoted label of a rule would be a syntax change: put it in the
    # instrument title line instead and an error on it
    bad = text.replace('  title  "', '  title  "😀 ', 1).replace("Jakrta", "Jakarta", 1)
    bad = bad.replace("😀 Penyesuaian", '😀 Penyesuaian" Jakrta "', 1)
    uri = "file:///x.asnr"
    found = lsp.publish({"/x.asnr": bad}, {"/x.asnr": uri})[uri]
    assert found
    for d in found:
        ln = bad.splitlines()[d["range"]["start"]["line"]]
        utf16 = ln.encode("utf-16-le")
        s, e = d["range"]["start"]["character"], d["range"]["end"]["character"]
        assert 0 <= s <= e <= len(utf16) // 2
    assert line_with >= 0
    # the conversion itself
    assert lsp.utf16_column("😀ab", 2) == 3
    assert lsp.code_point_column("😀ab", 3) == 2


def test_cross_file_conflict_in_both() -> None:
    one = SAMPLE  # SE 17/2023: admin WFO >= 50% in DKI from 2023-08-28 to 2023-09-07
    two = 'circular "SE Tiruan 1/2023"\n  issued 2023-08-20\n\n'
    two += "between 2023-08-28 and 2023-09-07 in DKI: admin WFH >= 80%\n"
    uris = {"/d/a.asnr": "file:///d/a.asnr", "/d/b.asnr": "file:///d/b.asnr"}
    found = lsp.publish({"/d/a.asnr": one, "/d/b.asnr": two}, uris)
    codes_a = {d["code"] for d in found["file:///d/a.asnr"]}
    codes_b = {d["code"] for d in found["file:///d/b.asnr"]}
    golden("cross-file", {"a": sorted(codes_a), "b": sorted(codes_b)})
    assert codes_a == codes_b == {"E140"}  # one conflict, shown in both circulars
    (in_a,) = found["file:///d/a.asnr"]
    (in_b,) = found["file:///d/b.asnr"]
    assert in_a["message"] == in_b["message"]  # the same words, as lint says them once
    assert (
        _range_text(one, in_a["range"]) == "admin WFO >= 50%" and _range_text(two, in_b["range"]) == "admin WFH >= 80%"
    )
    other = next(r for r in in_a["relatedInformation"] if r["location"]["uri"] == "file:///d/b.asnr")
    assert other["location"]["range"] == in_b["range"]  # the other constraint, whole
    assert [r["location"] for r in in_b["relatedInformation"]] == [{"uri": "file:///d/a.asnr", "range": in_a["range"]}]
    fixed = lsp.publish({"/d/a.asnr": one, "/d/b.asnr": two.replace(">= 80%", ">= 40%")}, uris)
    assert fixed == {"file:///d/a.asnr": [], "file:///d/b.asnr": []}  # fixing one file clears both


def test_unparsable_file_formats_to_nothing() -> None:
    assert lsp.formatting("rule :::") == []
    assert lsp.code_actions("file:///x.asnr", "rule :::", []) == []


@settings(max_examples=25, deadline=None)
@given(
    which=st.integers(0, len(BUNDLED) - 1),
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 5), st.text(max_size=4)), min_size=1, max_size=4),
)
def test_random_edits_never_raise_nor_escape(which: int, edits: list[tuple[int, int, str]]) -> None:
    text = BUNDLED[which].read_text("utf-8")
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut :]
    uri = "file:///r.asnr"
    lines = text.splitlines() or [""]
    for d in lsp.publish({"/r.asnr": text}, {"/r.asnr": uri}).get(uri, []):
        for end in ("start", "end"):
            pos = d["range"][end]
            assert 0 <= pos["line"] < len(lines)
            assert 0 <= pos["character"] <= len(lines[pos["line"]].encode("utf-16-le")) // 2
    lsp.hover(text, 3, 4)
    lsp.code_lenses("/r.asnr", text, {})
    lsp.formatting(text)
    at = len(lines) // 2
    for sym in lsp.document_symbols("/r.asnr", text):
        for part in (sym, *sym.get("children", [])):
            assert 0 <= part["range"]["start"]["line"] <= part["range"]["end"]["line"] < len(lines)
    assert all(i["label"] for i in lsp.completion(text, at, 7, {"/s.asnr": SAMPLE}))
    lsp.definition(text, at, 3, {"/r.asnr": text}, {"/r.asnr": uri})
    lsp.hover_more("/r.asnr", text, at, 9, {})


# --- completion, symbols, definition, hover on instruments and rules ----------------------------

OVERRIDER = """circular "SE Uji 9/2023"
  title "Uji pengesampingan"
  issued 2023-08-20 by "Menteri PANRB"
  effective 2023-08-29
  overrides "SE MenPANRB 17/2023"

category piket "petugas piket" = administration
rule piket-wfo between 2023-08-29 and 2023-09-01 in DKI: piket WFO >= 75%
"""


def _at(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    for n, ln in enumerate(text.splitlines()):
        if needle in ln:
            return n, ln.index(needle) + offset
    raise AssertionError(needle)


@pytest.mark.asyncio
async def test_completion_over_stdio(client: Any, tmp_path: Path) -> None:
    (tmp_path / "se.asnr").write_text(SAMPLE, "utf-8")
    text = OVERRIDER.replace('  overrides "SE MenPANRB 17/2023"', "  overrides ", 1)
    doc = tmp_path / "uji.asnr"
    uri = await _open(client, doc, text)
    n, col = _at(text, "  overrides ", len("  overrides "))
    found = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=n, character=col)
        )
    )
    labels = [i.label for i in (found.items if hasattr(found, "items") else found)]
    assert "SE MenPANRB 17/2023" in labels and "rule" not in labels
    golden("completion-overrides", sorted(labels))


def test_completion_keywords_categories_provinces_outcomes() -> None:
    indo = 'surat edaran "SE Uji 1/2023"\n\n'
    items = lsp.completion(OVERRIDER, 7, 0)
    labels = {i["label"] for i in items}
    assert {"rule", "between", "at most", "admin", "frontline", "piket", "DKI", "Jawa Barat"} <= labels
    assert not {"aturan", "paling banyak", "compliant"} & labels  # the file is in English; no outcome here
    jabar = next(i for i in items if i["label"] == "Jawa Barat")
    assert jabar["insertText"] == '"Jawa Barat"'
    idn = indo + "aturan x pada 2023-08-30 di DKI: admin WFH paling banyak 5%\n"
    words = {i["label"] for i in lsp.completion(idn, 2, 0)}
    assert {"aturan", "paling banyak", "surat edaran", "admin"} <= words and "rule" not in words
    text = "example on 2023-08-30 in DKI: admin WFH 5 -> "
    outcomes = [i["label"] for i in lsp.completion(text, 0, len(text))]
    assert outcomes == ["compliant", "violation", "uncovered"]
    line = "  mengesampingkan "
    ids = [i["label"] for i in lsp.completion(indo + line, 2, len(line), {"/d/se.asnr": SAMPLE})]
    assert ids == ["SE MenPANRB 17/2023"]  # the file's own instrument is not offered
    broken = {"/d/se.asnr": SAMPLE + "rule :::", "/d/u.asnr": OVERRIDER}
    quoted = lsp.completion(indo + line + '"', 2, len(line) + 1, broken)
    assert [(i["label"], i["insertText"]) for i in quoted] == [
        ("SE MenPANRB 17/2023", "SE MenPANRB 17/2023"),
        ("SE Uji 9/2023", "SE Uji 9/2023"),
    ]
    assert lsp.completion("", 5, 99) and lsp.completion("rule :::", 0, 3)


@pytest.mark.asyncio
async def test_document_symbols_over_stdio(client: Any, tmp_path: Path) -> None:
    uri = await _open(client, tmp_path / "se.asnr", SAMPLE)
    found = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert len(found) == 1 and found[0].name == "SE MenPANRB 17/2023"
    children = found[0].children
    assert [c.name for c in children[:3]] == ["admin-wfh", "admin-wfo", "layanan-langsung-wfo"]
    examples = [c for c in children if c.kind == types.SymbolKind.Event]
    assert examples[0].name == "hari pertama, admin 50% WFH"
    assert len(examples) == sum(1 for ln in SAMPLE.splitlines() if ln.startswith("example"))
    for c in children:  # every child lies inside the instrument
        assert found[0].range.start.line <= c.range.start.line <= c.range.end.line <= found[0].range.end.line
    golden("symbols", [[c.name, c.kind.value, c.range.start.line] for c in children])


def test_symbols_of_another_file_and_a_broken_file() -> None:
    text = OVERRIDER + "example on 2023-08-30 in DKI: piket WFO 4 -> compliant\n"
    children = lsp.document_symbols("/u.asnr", text)[0]["children"]
    assert [c["name"] for c in children] == ["piket-wfo", "example (line 9)"]
    assert lsp.document_symbols("/u.asnr", "rule :::") == []


@pytest.mark.asyncio
async def test_definition_across_files(client: Any, tmp_path: Path) -> None:
    (tmp_path / "se.asnr").write_text(SAMPLE, "utf-8")
    target = (tmp_path / "se.asnr").as_uri()
    uri = await _open(client, tmp_path / "uji.asnr", OVERRIDER)
    n, col = _at(OVERRIDER, "MenPANRB 17", 2)
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=n, character=col)
        )
    )
    assert [loc.uri for loc in found] == [target]
    assert found[0].range.start.line == _at(SAMPLE, "circular ")[0]
    n, col = _at(OVERRIDER, "piket WFO", 1)
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=n, character=col)
        )
    )
    assert [(loc.uri, loc.range.start.line) for loc in found] == [(uri, _at(OVERRIDER, "category piket")[0])]


def test_definition_of_nothing() -> None:
    texts = {"/d/a.asnr": OVERRIDER}
    uris = {"/d/a.asnr": "file:///d/a.asnr"}
    assert lsp.definition(OVERRIDER, 0, 0, texts, uris) == []  # the keyword `circular`
    assert lsp.definition(OVERRIDER, 99, 0, texts, uris) == []
    n, col = _at(OVERRIDER, "administration")
    assert lsp.definition(OVERRIDER, n, col, texts, uris) == []  # a prelude category: no file


@pytest.mark.asyncio
async def test_hover_instrument_and_rule_over_stdio(client: Any, tmp_path: Path) -> None:
    (tmp_path / "se.asnr").write_text(SAMPLE, "utf-8")
    uri = await _open(client, tmp_path / "uji.asnr", OVERRIDER)
    n, col = _at(OVERRIDER, "SE Uji", 3)
    found = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=n, character=col)
        )
    )
    value = found.contents.value
    assert "Uji pengesampingan" in value and "SE MenPANRB 17/2023" in value and "29 August 2023" in value
    golden("hover-instrument", value)
    n, col = _at(OVERRIDER, "between 2023-08-29")
    found = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=n, character=col)
        )
    )
    value = found.contents.value
    assert "piket-wfo" in value and "75%" in value and "29 August" in value
    golden("hover-rule", value)


def test_hover_rule_in_indonesian_is_the_documents_sentence() -> None:
    from asnrules import wording
    from asnrules.ruleset import loads

    rs = loads(SAMPLE, "/d/se.asnr")
    rule = rs.model.rules[0]
    n, col = _at(SAMPLE, "rule admin-wfh", 1)
    value = lsp.hover_more("/d/se.asnr", SAMPLE, n, col, {})["contents"]["value"]
    lang = lsp.file_language(SAMPLE)
    assert wording.constraint_sentence(rs.model, rule.constraints[0], lang) in value
    assert wording.rule_period_text(rule, lang) in value
    # outside every rule (a comment line), and in a broken folder: nothing
    assert lsp.hover_more("/d/se.asnr", SAMPLE, 0, 2, {}) is None
    assert lsp.hover_more("/d/se.asnr", "rule :::", 0, 2, {}) is None


def test_hover_in_an_indonesian_file() -> None:
    text = (
        'surat edaran "SE Uji 1/2023"\n  ditetapkan 2023-08-20 oleh "Menteri PANRB"\n\n'
        "aturan x pada 2023-08-30 di DKI: admin WFH paling banyak 5%\n"
    )
    rule = lsp.hover_more("/d/i.asnr", text, 3, 2, {})
    inst = lsp.hover_more("/d/i.asnr", text, 0, 16, {})
    assert rule is not None and inst is not None
    assert "**Aturan `x`**" in rule["contents"]["value"] and "30 Agustus 2023" in rule["contents"]["value"]
    assert inst["contents"]["value"].startswith("**Surat Edaran `SE Uji 1/2023`**")
    golden("hover-indonesian", [rule["contents"]["value"], inst["contents"]["value"]])


def test_quick_fixes_come_only_from_did_you_mean() -> None:
    """Every bad lint case: a diagnostic offers replacements exactly when it asks "did you mean" (a
    suggestion that quotes a rule, such as "remove 'admin WFH <= 50%'", is no replacement)."""
    asked = 0
    for path in sorted((ROOT / "tests" / "cases" / "lint" / "bad").glob("*.asnr")):
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        for d in lsp.diagnose({str(path): text}).get(str(path), []):
            words = lsp.did_you_mean(d)
            en = d.localised("en")
            says = "did you mean" in f"{en.message} {en.suggestion or ''}"
            assert bool(words) == says, (path.name, d.code, en.message, en.suggestion, words)
            asked += bool(words)
    assert asked >= 3


def test_hover_on_a_holiday_gives_its_date_and_block() -> None:
    path = ROOT / "rules" / "se-menpanrb-1-2024.asnr"
    text = path.read_text("utf-8")
    lines = text.splitlines()
    n = next(i for i, ln in enumerate(lines) if ln.startswith("rule") and '"Idul Fitri" 2024' in ln)
    found = lsp.hover_more(str(path), text, n, lines[n].index("Fitri"), {})
    assert found is not None
    value = found["contents"]["value"]
    assert "2024-04-10" in value and "2024-04-06 – 2024-04-15" in value, value
    assert "Idul Fitri" in value and "Eid al-Fitr" in value
    # outside the quotes the rule is hovered instead; an unknown holiday shows nothing of a holiday
    assert lsp.holiday_hover(text.replace('"Idul Fitri" 2024', '"Idul Fitrx" 2024'), n, lines[n].index("Fitri")) is None


def _range_text(text: str, rng: dict[str, Any]) -> str:
    lines = text.splitlines()
    s, e = rng["start"], rng["end"]
    first = lines[s["line"]]
    if s["line"] == e["line"]:
        return first[lsp.code_point_column(first, s["character"]) : lsp.code_point_column(first, e["character"])]
    last = lines[e["line"]]
    middle = lines[s["line"] + 1 : e["line"]]
    head = first[lsp.code_point_column(first, s["character"]) :]
    return "\n".join([head, *middle, last[: lsp.code_point_column(last, e["character"])]])


@pytest.mark.parametrize(
    ("case", "code", "underlined"),
    [
        ("e140-konflik-id", "E140", "admin WFH paling sedikit 60%"),  # the checker: the whole constraint
        ("emp-e141-pertentangan-id", "E141", "setiap pegawai bekerja paling sedikit 40 jam per minggu"),
        ("e134-saling-mengesampingkan-id", "E134", 'surat edaran "SE A"'),  # a header: kind and name
        ("e121-unknown-region-in-group", "E121", '"Jawa Barrat"'),  # the resolver: the name as written
        ("e100-date-in-words", "E100", "16 Agustus 2023"),  # the parser: the stretch it could not read
        ("e112-percent-over-100", "E112", "150%"),
    ],
)
def test_diagnostic_ranges_are_the_nodes_spans(case: str, code: str, underlined: str) -> None:
    path = ROOT / "tests" / "cases" / "lint" / "bad" / f"{case}.asnr"
    text = path.read_text("utf-8")
    found = lsp.publish({str(path): text}, {str(path): "file:///x.asnr"})["file:///x.asnr"]
    assert underlined in [_range_text(text, d["range"]) for d in found if d["code"] == code]


def test_every_bad_case_has_a_range_inside_its_file_that_starts_at_lints_column() -> None:
    for path in sorted((ROOT / "tests" / "cases" / "lint" / "bad").glob("*.asnr")):
        try:
            text = path.read_text("utf-8")
        except UnicodeError:
            continue
        lines = text.splitlines() or [""]
        for d in lsp.diagnose({str(path): text})[str(path)]:
            assert d.end_line, (path.name, d.code)  # every stage now knows where its node ends
            rng = lsp.lsp_diagnostic(d, text, {})["range"]
            s, e = rng["start"], rng["end"]
            assert (s["line"], s["character"]) < (e["line"], e["character"]), (path.name, d.code)
            assert e["line"] < len(lines) and e["character"] <= len(lines[e["line"]].encode("utf-16-le")) // 2
            assert s == lsp._position(lines, d.line, d.column)


def test_completion_of_holidays_in_quotes() -> None:
    indo = 'surat edaran "SE Uji"\nlibur 2024-05-20 "Hari Jadi Kota" di Bali\npada 3 hari kerja pertama setelah "'
    n = len(indo.splitlines()) - 1
    items = lsp.completion(indo, n, len(indo.splitlines()[n]))
    labels = [i["label"] for i in items]
    assert labels[0] == "Hari Jadi Kota"  # the folder's own holidays first
    assert {"Hari Raya Idul Fitri", "Idul Fitri", "Hari Suci Nyepi", "Nyepi"} <= set(labels)
    assert "Eid al-Fitr" not in labels and all("insertText" not in i for i in items)  # the quote is open
    assert next(i for i in items if i["label"] == "Idul Fitri")["detail"] == "Eid al-Fitr"
    english = 'circular "SE X"\non the last 2 working days before '
    found = lsp.completion(english, 1, len(english.splitlines()[1]), {"/d/o.asnr": 'holiday 2024-01-02 "Office Day"'})
    assert found[0]["label"] == "Office Day" and found[0]["insertText"] == '"Office Day"'
    assert {"Eid al-Fitr", "Christmas Day"} <= {i["label"] for i in found}
    from asnrules.workdays import national_calendar

    cal = national_calendar()
    offered = [i["label"] for i in items[1:] + found[1:]]
    assert len(offered) > 50 and all(cal.is_known(name) for name in offered)  # every name resolves


def test_definition_of_regions_labels_and_provinces() -> None:
    a = (
        'circular "SE A"\nissued 2023-01-01\n'
        "rule wfh between 2023-01-02 and 2023-01-31 in Jawa Barat: admin WFH <= 50%\n"
        'rule wfh2 in "DKI Jakarta": admin WFO >= 50%\n'
    )
    b = 'circular "SE B"\noverrides rule wfh of "SE A"\nregion barat = Jawa Barat, Banten\nin barat: admin WFH <= 40%\n'
    c = 'circular "SE C"\nrule wfh in Bali: admin WFH <= 10%\n'  # another rule labelled wfh
    texts = {"/d/a.asnr": a, "/d/b.asnr": b, "/d/c.asnr": c}
    uris = {p: "file://" + p for p in texts}

    def where(text: str, needle: str, offset: int = 1) -> list[tuple[str, int, int, int]]:
        found = lsp.definition(text, *_at(text, needle, offset), texts, uris)
        return [
            (
                loc["uri"].rsplit("/", 1)[-1],
                loc["range"]["start"]["line"],
                *(loc["range"][k]["character"] for k in ("start", "end")),
            )
            for loc in found
        ]

    assert where(b, "wfh of") == [("a.asnr", 2, 5, 8)]  # the label of that instrument only, not SE C's
    assert where(b, "barat:") == where(b, "barat =") == [("b.asnr", 2, 7, 12)]
    table = (Path(lsp.__file__).parent / "data" / "provinces.csv").read_text("utf-8").splitlines()
    jabar = next(i for i, row in enumerate(table) if row.startswith("32,"))
    assert where(b, "Jawa Barat", 6) == [("provinces.csv", jabar, 0, len(table[jabar]))]  # not the group `barat`
    assert where(a, "Barat") == [("provinces.csv", jabar, 0, len(table[jabar]))]
    dki = next(i for i, row in enumerate(table) if row.startswith("31,"))
    assert where(a, '"DKI', 2) == [("provinces.csv", dki, 0, len(table[dki]))]
    assert {u for u, *_ in where(a, "wfh between")} == {"a.asnr", "c.asnr"}  # a label outside a reference


def test_hover_explains_what_resolves_while_another_line_has_an_error() -> None:
    broken = OVERRIDER + "in Jakrta: admin WFH <= 10%\n"
    found = lsp.hover_more("/d/u.asnr", broken, *_at(broken, "SE MenPANRB 17", 3), {"/d/se.asnr": SAMPLE})
    assert found is not None and "SE MenPANRB 17/2023" in found["contents"]["value"]
    n, _ = _at(broken, "piket WFO")
    rule = lsp.hover_more("/d/u.asnr", broken, n, 0, {"/d/se.asnr": SAMPLE})
    assert rule is not None and "piket" in rule["contents"]["value"]
    province = lsp.hover(a_line := "rule x in Jawa Barat: admin WFH <= 5%", *_at(a_line, "Barat", 2))
    assert province is not None and "Kemendagri 32" in province["contents"]["value"]  # a name of two words


def test_trees_are_kept_only_for_unchanged_texts() -> None:
    lsp._TREES.clear()
    tree = lsp._parsed("/d/se.asnr", SAMPLE)
    assert tree is not None and lsp._parsed("/d/se.asnr", SAMPLE) is tree  # kept, not parsed again
    assert lsp._parsed("/d/se.asnr", SAMPLE + "\n") is not tree  # another text: parsed
    first = lsp.diagnose({"/d/se.asnr": TYPO})["/d/se.asnr"]
    again = lsp.diagnose({"/d/se.asnr": TYPO})["/d/se.asnr"]
    assert [d.code for d in first] == [d.code for d in again] == ["E121"]
    assert lsp.diagnose({"/d/se.asnr": SAMPLE})["/d/se.asnr"] == []  # a new text is parsed again
    broken = SAMPLE + "rule :::\n"
    assert [d.code for d in lsp.diagnose({"/d/se.asnr": broken})["/d/se.asnr"]] == ["E100"]
    assert [d.code for d in lsp.diagnose({"/d/se.asnr": broken})["/d/se.asnr"]] == ["E100"]  # kept errors too
    try:
        lsp._parse_cached(broken, "/d/se.asnr")
    except lsp.RulesError as e:
        depth = len(traceback.extract_tb(e.__traceback__))
    for _ in range(5):  # raised again from the cache: its traceback does not grow (nor what it keeps alive)
        try:
            lsp._parse_cached(broken, "/d/se.asnr")
        except lsp.RulesError as e:
            assert len(traceback.extract_tb(e.__traceback__)) == depth
    for k in range(lsp._TREES_KEPT + 5):
        lsp._parsed("/d/x.asnr", f"# {k}\n")
    assert len(lsp._TREES) == lsp._TREES_KEPT and ("/d/se.asnr", TYPO) not in lsp._TREES


def test_examples_of_a_set_with_errors_say_they_were_not_run() -> None:
    lenses = lsp.code_lenses("/d/se.asnr", TYPO, {})
    examples = [n for n, ln in enumerate(TYPO.splitlines()) if ln.startswith("example")]
    line = next(n for n, ln in enumerate(TYPO.splitlines()) if "Jakrta" in ln) + 1
    column = TYPO.splitlines()[line - 1].index("Jakrta") + 1
    assert [c["range"]["start"]["line"] for c in lenses] == examples
    assert {c["command"]["title"] for c in lenses} == {
        f"… not run: the rules have 1 error(s), the first at se.asnr:{line}:{column}"
    }
    beside = lsp.code_lenses(
        "/d/u.asnr", OVERRIDER + "example on 2023-08-30 in DKI: piket WFO 4 -> compliant\n", {"/d/se.asnr": TYPO}
    )
    assert [c["command"]["title"] for c in beside] == [
        f"… not run: the rules have 1 error(s), the first at se.asnr:{line}:{column}"
    ]
    assert lsp.code_lenses("/d/se.asnr", "rule :::", {}) == []  # nothing parses: no example to speak of


@pytest.mark.asyncio
async def test_a_conflict_across_files_over_stdio_shows_in_both_and_clears_in_both(client: Any, tmp_path: Path) -> None:
    (tmp_path / "se.asnr").write_text(SAMPLE, "utf-8")  # on disk, not open
    other = (tmp_path / "se.asnr").as_uri()
    text = 'surat edaran "SE Tiruan 1/2023"\n  ditetapkan 2023-08-20\n\n'
    text += "antara 2023-08-28 dan 2023-09-07 di DKI: admin WFH paling sedikit 80%\n"
    uri = await _open(client, tmp_path / "tiruan.asnr", text)
    assert [d.code for d in await _published(client, uri, 1)] == ["E140"]
    assert [d.code for d in await _published(client, other, 1)] == ["E140"]  # the file beside it too
    n, col = _at(text, "80%")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=n, character=col), end=types.Position(line=n, character=col + 2)
                    ),
                    text="40",
                )
            ],
        )
    )
    assert await _published(client, uri, 0) == []
    assert await _published(client, other, 0) == []  # fixing one circular clears the other's


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ('after "Idul Fitr" 2024', 'after "Idul Fitri" 2024'),  # E115: the name inside its quotes, the year kept
        ("after Idul Fitr 2024", "after Idul Fitri 2024"),  # unquoted: the year kept
        ('in "Jawa Barrat":', 'in "Jawa Barat":'),  # E121 in quotes: the quotes kept
        ("in Jakrta:", "in Jakarta:"),
    ],
)
def test_a_quick_fix_replaces_the_name_and_leaves_the_rest_as_written(wrong: str, right: str) -> None:
    rule = "rule a on the first 2 working days after Idul Fitri 2024 in DKI: admin WFO >= 75%\n"
    if wrong.startswith("in"):
        rule = "rule a between 2024-01-02 and 2024-01-31 in DKI: admin WFO >= 75%\n"
        rule = rule.replace("in DKI:", wrong)
    else:
        rule = rule.replace("after Idul Fitri 2024", wrong)
    text = 'circular "SE Uji"\n' + rule
    path = "/d/uji.asnr"
    (diag,) = lsp.publish({path: text}, {path: "file:///d/uji.asnr"})["file:///d/uji.asnr"]
    fix = lsp.code_actions("file:///d/uji.asnr", text, [diag])[0]
    (edit,) = fix["edit"]["changes"]["file:///d/uji.asnr"]
    lines = text.splitlines()
    n, rng = edit["range"]["start"]["line"], edit["range"]
    src = lines[n]
    a, b = (lsp.code_point_column(src, rng[k]["character"]) for k in ("start", "end"))
    fixed_line = src[:a] + edit["newText"] + src[b:]
    assert right in fixed_line
    fixed = "\n".join([*lines[:n], fixed_line, *lines[n + 1 :]]) + "\n"
    assert lsp.diagnose({path: fixed})[path] == []  # the fixed rule loads


def test_inside_a_text_only_province_names_are_offered() -> None:
    for line in ('contoh "sehari sebelum ', 'note "the day after ', 'rule x in "Jawa'):
        items = lsp.completion(line, 0, len(line))
        assert items and {i["kind"] for i in items} == {12}  # no keyword, category or holiday
        assert all("insertText" not in i for i in items)  # the quote is open already
    assert "rule" in {i["label"] for i in lsp.completion('title "x" ', 0, 10)}  # after the text: keywords again
