"""The language server (``asnrules lsp``, issue 15).

The logic is plain functions of (texts, position) returning JSON-like dictionaries in the shape of
the Language Server Protocol; pygls is only the thin transport in :func:`run`. Every function
answers empty rather than raising.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import Diagnostic, RulesError
from .messages import file_language, say

log = logging.getLogger(__name__)
Json = dict[str, Any]
_WORD = re.compile(r"[A-Za-z0-9_\-]")
_QUOTED = re.compile(r"'([^']+)'")


def utf16_column(line: str, column: int) -> int:
    """The UTF-16 offset of the (0-based, code point) ``column`` of ``line``."""
    return len(line[:column].encode("utf-16-le")) // 2


def code_point_column(line: str, utf16: int) -> int:
    n = 0
    for i, ch in enumerate(line):
        if n >= utf16:
            return i
        n += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


def _position(lines: list[str], line: int, column: int) -> Json:
    """An LSP position for a 1-based ``line`` and ``column``, clamped inside the document."""
    if not lines:
        return {"line": 0, "character": 0}
    ln = min(max(line - 1, 0), len(lines) - 1)
    text = lines[ln]
    col = min(max(column - 1, 0), len(text))
    return {"line": ln, "character": utf16_column(text, col)}


def _word_end(text: str, column: int) -> int:
    end = column
    while end < len(text) and _WORD.match(text[end]):
        end += 1
    return end


def diagnose(texts: Mapping[str, str]) -> dict[str, list[Diagnostic]]:
    """The diagnostics of the whole rule set ``texts`` (path → text), as ``asnrules lint`` finds them,
    grouped by path (every path of ``texts`` is a key)."""
    from .ruleset import _build

    found: dict[str, list[Diagnostic]] = {path: [] for path in texts}
    try:
        diags = _build(sorted(texts.items()), {p: "" for p in texts}).diagnostics
    except RulesError as e:
        diags = e.diagnostics
    except Exception:  # never let a bug reach the editor
        log.exception("diagnose")
        return found
    for d in diags:
        found.setdefault(d.path, []).append(d)
    return found


def lsp_diagnostic(d: Diagnostic, text: str, uris: Mapping[str, str]) -> Json:
    lines = text.splitlines() or [""]
    start = _position(lines, d.line, d.column)
    ln = start["line"]
    src = lines[ln]
    col = code_point_column(src, start["character"])
    end_col = _word_end(src, col)
    if end_col == col:
        end_col = min(col + 1, len(src))
    message = d.message + (f" ({d.suggestion})" if d.suggestion else "")
    out: Json = {
        "range": {"start": start, "end": {"line": ln, "character": utf16_column(src, end_col)}},
        "severity": 1 if d.severity == "error" else 2,
        "code": d.code,
        "source": "asnrules",
        "message": message,
    }
    words = _QUOTED.findall(d.suggestion or "")
    if words:
        out["data"] = {"replacements": words}
    related = []
    for where, note in d.related:
        uri = uris.get(where.file)
        if uri is None:
            continue
        pos = {"line": max(where.line - 1, 0), "character": max(where.column - 1, 0)}
        related.append({"location": {"uri": uri, "range": {"start": pos, "end": pos}}, "message": note})
    if related:
        out["relatedInformation"] = related
    return out


def publish(texts: Mapping[str, str], uris: Mapping[str, str]) -> dict[str, list[Json]]:
    """uri → LSP diagnostics for every file of ``texts`` (keyed by path; ``uris`` maps path → uri)."""
    out: dict[str, list[Json]] = {}
    for path, diags in diagnose(texts).items():
        if path in uris and path in texts:
            out[uris[path]] = [lsp_diagnostic(d, texts[path], uris) for d in diags]
    return out


def code_actions(uri: str, text: str, diagnostics: list[Json]) -> list[Json]:
    """Quick fixes for every did-you-mean in ``diagnostics``, and ``fmt`` when the file is not canonical."""
    lang = file_language(text)
    actions: list[Json] = []
    for d in diagnostics:
        for word in (d.get("data") or {}).get("replacements", [])[:3]:
            edit = {"range": d["range"], "newText": word}
            actions.append(
                {
                    "title": say("lsp.fix-replace", lang, word=word),
                    "kind": "quickfix",
                    "diagnostics": [d],
                    "edit": {"changes": {uri: [edit]}},
                }
            )
    edits = formatting(text)
    if edits:
        actions.append(
            {"title": say("lsp.fix-format", lang), "kind": "source.fixAll", "edit": {"changes": {uri: edits}}}
        )
    return actions


def formatting(text: str) -> list[Json]:
    """The edit that makes ``text`` canonical (``asnrules fmt``); none for an unparsable file."""
    from .format import format_text

    try:
        new = format_text(text)
    except Exception:
        return []
    if new == text:
        return []
    lines = text.split("\n")
    end = {"line": len(lines) - 1, "character": utf16_column(lines[-1], len(lines[-1]))}
    return [{"range": {"start": {"line": 0, "character": 0}, "end": end}, "newText": new}]


def _word_at(text: str, line: int, character: int) -> str:
    lines = text.splitlines()
    if not 0 <= line < len(lines):
        return ""
    src = lines[line]
    col = code_point_column(src, character)
    start = col
    while start > 0 and _WORD.match(src[start - 1]):
        start -= 1
    return src[start : _word_end(src, col)]


def hover(text: str, line: int, character: int) -> Json | None:
    """A category's labels (both languages) and members; a province's name and codes."""
    from .prelude import CATEGORIES, province_index

    word = _word_at(text, line, character)
    if not word:
        return None
    lang = file_language(text)
    for c in CATEGORIES:
        if word == c.name or word in c.aliases:
            parts = [
                say("lsp.hover-category", lang, name=c.name),
                f"- id: {c.label_id}",
                f"- en: {c.label_en}",
            ]
            if c.members:
                parts.append(say("lsp.hover-members", lang, members=", ".join(c.members)))
            return {"contents": {"kind": "markdown", "value": "\n\n".join(parts)}}
    p = province_index().get(word.lower())
    if p is not None:
        value = f"**{p.name}**\n\nKemendagri {p.code} · BPS {p.bps} · {p.iso}"
        if p.aliases:
            value += "\n\n" + ", ".join(p.aliases)
        return {"contents": {"kind": "markdown", "value": value}}
    return None


def code_lenses(path: str, text: str, others: Mapping[str, str]) -> list[Json]:
    """A lens above each ``example`` of ``path``: its verdict, the CLI command in its title."""
    from .ruleset import _build

    texts = dict(others)
    texts[path] = text
    try:
        rs = _build(sorted(texts.items()), {p: "" for p in texts})
        results = rs.run_examples()
    except Exception:
        return []
    lang = file_language(text)
    lines = text.splitlines() or [""]
    lenses: list[Json] = []
    for r in results:
        span = r.example.source
        if span.file != path:
            continue
        if r.passed:
            title = say("lsp.lens-pass", lang)
        else:
            title = say(
                "lsp.lens-fail", lang, expected=_outcome(r.example.outcome, lang), got=_outcome(r.result.outcome, lang)
            )
        pos = _position(lines, span.line, 1)
        lenses.append(
            {
                "range": {"start": pos, "end": pos},
                "command": {"title": title, "command": "", "tooltip": f"asnrules test {path}"},
            }
        )
    return lenses


def _outcome(outcome: str, lang: str) -> str:
    from .keywords import written

    try:
        return written(outcome, lang)
    except KeyError:
        return outcome


def uri_path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def run() -> None:  # pragma: no cover - exercised over stdio by tests/test_lsp.py
    from lsprotocol import types as t
    from lsprotocol.converters import get_converter
    from pygls.lsp.server import LanguageServer

    from .version import __version__

    _CONVERTER = get_converter()
    server = LanguageServer("asnrules", __version__)
    open_docs: dict[str, str] = {}  # uri -> text

    def folder_texts(uri: str) -> tuple[dict[str, str], dict[str, str]]:
        path = uri_path(uri)
        texts: dict[str, str] = {}
        uris: dict[str, str] = {}
        folder = Path(path).parent
        try:
            for f in sorted(folder.glob("*.asnr")):
                try:
                    texts[str(f)] = f.read_text("utf-8")
                    uris[str(f)] = f.as_uri()
                except (OSError, UnicodeError):
                    continue
        except OSError:
            pass
        for u, text in open_docs.items():
            p = uri_path(u)
            if Path(p).parent == folder:
                texts[p] = text
                uris[p] = u
        return texts, uris

    def refresh(uri: str) -> None:
        try:
            texts, uris = folder_texts(uri)
            for u, diags in publish(texts, uris).items():
                server.text_document_publish_diagnostics(
                    t.PublishDiagnosticsParams(
                        uri=u, diagnostics=[_CONVERTER.structure(d, t.Diagnostic) for d in diags]
                    )
                )
        except Exception:
            log.exception("refresh")

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: t.DidOpenTextDocumentParams) -> None:
        open_docs[params.text_document.uri] = params.text_document.text
        refresh(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: t.DidChangeTextDocumentParams) -> None:
        doc = server.workspace.get_text_document(params.text_document.uri)
        open_docs[params.text_document.uri] = doc.source
        refresh(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: t.DidCloseTextDocumentParams) -> None:
        open_docs.pop(params.text_document.uri, None)

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION)
    def code_action(params: t.CodeActionParams) -> list[t.CodeAction]:
        uri = params.text_document.uri
        if uri not in open_docs:
            return []
        try:
            diags = [_CONVERTER.unstructure(d) for d in params.context.diagnostics]
            found = code_actions(uri, open_docs[uri], diags)
            return [_CONVERTER.structure(a, t.CodeAction) for a in found]
        except Exception:
            log.exception("code action")
            return []

    @server.feature(t.TEXT_DOCUMENT_FORMATTING)
    def format_doc(params: t.DocumentFormattingParams) -> list[t.TextEdit]:
        uri = params.text_document.uri
        if uri not in open_docs:
            return []
        return [_CONVERTER.structure(e, t.TextEdit) for e in formatting(open_docs[uri])]

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def on_hover(params: t.HoverParams) -> t.Hover | None:
        uri = params.text_document.uri
        if uri not in open_docs:
            return None
        try:
            found = hover(open_docs[uri], params.position.line, params.position.character)
            return None if found is None else _CONVERTER.structure(found, t.Hover)
        except Exception:
            log.exception("hover")
            return None

    @server.feature(t.TEXT_DOCUMENT_CODE_LENS)
    def on_lens(params: t.CodeLensParams) -> list[t.CodeLens]:
        uri = params.text_document.uri
        if uri not in open_docs:
            return []
        try:
            texts, _ = folder_texts(uri)
            path = uri_path(uri)
            texts.pop(path, None)
            found = code_lenses(path, open_docs[uri], texts)
            return [_CONVERTER.structure(c, t.CodeLens) for c in found]
        except Exception:
            log.exception("code lens")
            return []

    server.start_io()
