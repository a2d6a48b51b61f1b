"""The language server (``asnrules lsp``, issue 15).

The logic is plain functions of (texts, position) returning JSON-like dictionaries in the shape of
the Language Server Protocol; pygls is only the thin transport in :func:`run`. Every function
answers empty rather than raising.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import Diagnostic, RulesError
from .keywords import keyword
from .messages import file_language, say

log = logging.getLogger(__name__)
Json = dict[str, Any]
_WORD = re.compile(r"[A-Za-z0-9_\-]")


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
        diags = _build(sorted(texts.items()), {p: "" for p in texts}, parse_file=_parse_cached).diagnostics
    except RulesError as e:
        diags = e.diagnostics
    except Exception:  # never let a bug reach the editor
        log.exception("diagnose")
        return found
    for d in diags:
        found.setdefault(d.path, []).append(d)
    return found


#: The syntax trees of the texts the server saw last, by (path, text): only a changed file is parsed
#: again (trees are immutable, so they are shared safely); the oldest go first.
_TREES: dict[tuple[str, str], Any] = {}
_TREES_KEPT = 1024  # more than a folder of circulars holds: a check walks them all in order


def _parse_cached(text: str, path: str) -> Any:
    """:func:`asnrules.parser.parse`, remembered for the files that did not change since the last
    check (a syntax error is remembered too, as the exception to raise again)."""
    from .parser import parse

    key = (path, text)
    found = _TREES.pop(key, None)
    if found is None:
        try:
            found = parse(text, path)
        except RulesError as e:
            found = e
    _TREES[key] = found  # the most recent last
    while len(_TREES) > _TREES_KEPT:
        del _TREES[next(iter(_TREES))]
    if isinstance(found, RulesError):
        raise found.with_traceback(None)  # raised again and again: its traceback must not grow
    return found


def did_you_mean(d: Diagnostic) -> list[str]:
    """The names a "did you mean" of ``d`` proposes (its message or its suggestion, every stage that
    asks one: resolve, calendar, runtime), closest first; no other suggestion becomes a quick fix."""
    from .messages import Join, Msg, catalogue

    found: list[str] = []
    stack: list[Any] = [m for m in (d.msg, d.hint) if m is not None]
    while stack:
        m = stack.pop(0)
        if isinstance(m, Msg):
            names = m.args.get("names")
            if isinstance(names, Join) and "did you mean" in catalogue().get(m.id, {}).get("en", ""):
                found += [str(n) for n in names.items if str(n) not in found]
            stack.extend(m.args.values())
        elif isinstance(m, Join):
            stack.extend(m.items)
    return found[:3]


def _diagnostic_range(d: Diagnostic, lines: list[str]) -> Json:
    """The node's span when the stage that found ``d`` had it (UTF-16 columns); otherwise, or when the
    span does not fit the text, from the start to the end of the word there (at least one character)."""
    start = _position(lines, d.line, d.column)
    if d.end_line >= d.line > 0 and (d.end_line, d.end_column) > (d.line, d.column) and d.end_line <= len(lines):
        end = _position(lines, d.end_line, d.end_column)
        if (end["line"], end["character"]) > (start["line"], start["character"]):
            return {"start": start, "end": end}
    ln = start["line"]
    src = lines[ln]
    col = code_point_column(src, start["character"])
    end_col = _word_end(src, col)
    if end_col == col:
        end_col = min(col + 1, len(src))
    return {"start": start, "end": {"line": ln, "character": utf16_column(src, end_col)}}


def _node_range(path: str, text: str, line: int, column: int) -> Json:
    """The range of the constraint or statement of ``path`` that starts at ``line``/``column``
    (1-based; where a related place of a conflict points), else of the word there."""
    from . import nodes as n

    lines = text.splitlines() or [""]
    tree = _parsed(path, text)
    for st in tree.statements if tree is not None else ():
        spans = [st.span, *(c.span for c in st.constraints)] if isinstance(st, n.Rule) else [st.span]
        for sp in reversed(spans):  # the constraint before the rule that starts with it
            if (sp.line, sp.column) == (line, column):
                return _span_range(lines, sp)
    start = _position(lines, line, column)
    src = lines[start["line"]]
    col = code_point_column(src, start["character"])
    end = max(_word_end(src, col), min(col + 1, len(src)))
    return {"start": start, "end": {"line": start["line"], "character": utf16_column(src, end)}}


_QUOTE_CHARS = '"\u201c\u201d'
_TRAILING_YEAR = re.compile(r"\s+\d+$")


def _name_range(lines: list[str], rng: Json) -> Json:
    """The part of a diagnostic's range a did-you-mean replaces: the name itself, inside its quotes
    (``"Jawa Barrat"``) and without the year of a holiday (``"Idul Fitr" 2024``), so that the fix
    leaves what the drafter wrote around it as it was."""
    start, end = rng["start"], rng["end"]
    if start["line"] != end["line"]:
        return rng
    src = lines[start["line"]]
    a, b = code_point_column(src, start["character"]), code_point_column(src, end["character"])
    text = src[a:b]
    if text[:1] in _QUOTE_CHARS:
        close = next((i for i in range(1, len(text)) if text[i] in _QUOTE_CHARS), len(text))
        a, b = a + 1, a + close
    else:
        year = _TRAILING_YEAR.search(text)
        if year is not None and year.start() > 0:
            b = a + year.start()
    line = start["line"]
    return {
        "start": {"line": line, "character": utf16_column(src, a)},
        "end": {"line": line, "character": utf16_column(src, b)},
    }


def lsp_diagnostic(
    d: Diagnostic, text: str | list[str], uris: Mapping[str, str], texts: Mapping[str, str] | None = None
) -> Json:
    """``d`` as the protocol's diagnostic; ``text`` is its file's text, or its lines already split
    (:func:`publish` splits each file once, not once per diagnostic); ``texts`` (path → text) gives
    the related places their ranges (the other constraint of a conflict, whole)."""
    lines = (text.splitlines() if isinstance(text, str) else text) or [""]
    out: Json = {
        "range": _diagnostic_range(d, lines),
        "severity": 1 if d.severity == "error" else 2,
        "code": d.code,
        "source": "asnrules",
        "message": d.message + (f" ({d.suggestion})" if d.suggestion else ""),
    }
    words = did_you_mean(d)
    if words:
        out["data"] = {"replacements": words, "range": _name_range(lines, out["range"])}
    related = []
    for where, note in d.related:
        uri = uris.get(where.file)
        if uri is None:
            continue
        other = (texts or {}).get(where.file)
        if other is not None:
            rng = _node_range(where.file, other, where.line, where.column)
        else:
            pos = {"line": max(where.line - 1, 0), "character": max(where.column - 1, 0)}
            rng = {"start": pos, "end": pos}
        related.append({"location": {"uri": uri, "range": rng}, "message": note})
    if related:
        out["relatedInformation"] = related
    return out


def publish(texts: Mapping[str, str], uris: Mapping[str, str]) -> dict[str, list[Json]]:
    """uri → LSP diagnostics for every file of ``texts`` (keyed by path; ``uris`` maps path → uri).

    A diagnostic that involves a place in another file (a conflict between two circulars) is shown
    in that file too, at that place, with the same code and message and a link back: a drafter who
    opens either circular sees it, and fixing either clears both. (``asnrules lint`` lists it once.)"""
    out: dict[str, list[Json]] = {uris[p]: [] for p in texts if p in uris}
    for path, diags in diagnose(texts).items():
        if path not in uris or path not in texts:
            continue
        lines = texts[path].splitlines()
        for d in diags:
            shown = lsp_diagnostic(d, lines, uris, texts)
            out[uris[path]].append(shown)
            for where, _ in d.related:
                if where.file == path or where.file not in texts or where.file not in uris:
                    continue
                back = {"location": {"uri": uris[path], "range": shown["range"]}, "message": d.message}
                mirror = {k: v for k, v in shown.items() if k not in ("data", "relatedInformation", "range")}
                mirror["range"] = _node_range(where.file, texts[where.file], where.line, where.column)
                said = d.localised(file_language(texts[where.file]))  # in that file's language
                mirror["message"] = said.message + (f" ({said.suggestion})" if said.suggestion else "")
                mirror["relatedInformation"] = [back]
                out[uris[where.file]].append(mirror)
    return out


def code_actions(uri: str, text: str, diagnostics: list[Json]) -> list[Json]:
    """Quick fixes for every did-you-mean in ``diagnostics``, and ``fmt`` when the file is not canonical."""
    lang = file_language(text)
    actions: list[Json] = []
    for d in diagnostics:
        for word in (d.get("data") or {}).get("replacements", [])[:3]:
            edit = {"range": (d.get("data") or {}).get("range", d["range"]), "newText": word}
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


def _line_at(text: str, line: int, character: int) -> tuple[str, int] | None:
    """The source line of a (0-based) position and its code-point column; ``None`` outside the text."""
    lines = text.splitlines()
    if not 0 <= line < len(lines):
        return None
    src = lines[line]
    return src, code_point_column(src, character)


def _word_at(text: str, line: int, character: int) -> str:
    at = _line_at(text, line, character)
    if at is None:
        return ""
    src, col = at
    start = col
    while start > 0 and _WORD.match(src[start - 1]):
        start -= 1
    return src[start : _word_end(src, col)]


def _province_at(text: str, line: int, character: int) -> tuple[Any, int, int] | None:
    """The province named at the position, as written (a code, a name of several words, in quotes or
    not): the province and the code-point columns its name spans on the line, the longest name first."""
    from .prelude import province_index
    from .runtime import name_key

    at = _line_at(text, line, character)
    if at is None:
        return None
    src, col = at
    for m in _QUOTED_AT.finditer(src):
        if m.start() <= col <= m.end():
            found = province_index().get(name_key(m.group(1).strip()))
            return (found, m.start(), m.end()) if found is not None else None
    words = [(m.start(), m.end()) for m in re.finditer(r"[^\s,;:\"]+", src)]
    here = [i for i, (a, b) in enumerate(words) if a <= col <= b]
    if not here:
        return None
    i = here[0]
    for size in (4, 3, 2, 1):
        for first in range(max(0, i - size + 1), i + 1):
            last = first + size - 1
            if last >= len(words):
                continue
            a, b = words[first][0], words[last][1]
            found = province_index().get(name_key(" ".join(src[a:b].split())))
            if found is not None:
                return found, a, b
    return None


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
    at = _province_at(text, line, character)
    p = at[0] if at is not None else province_index().get(word.lower())
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
    lang = file_language(text)
    lines = text.splitlines() or [""]
    try:
        rs = _build(sorted(texts.items()), {p: "" for p in texts}, parse_file=_parse_cached)
        results = rs.run_examples()
    except RulesError as e:  # the examples cannot be judged: each says so, rather than vanish
        return _not_run_lenses(path, text, lines, lang, [d for d in e.diagnostics if d.severity == "error"])
    except Exception:
        log.exception("code lens")
        return []
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
    lenses += _rule_lenses(rs, path, lines, lang)
    lenses.sort(key=lambda c: (c["range"]["start"]["line"], c["range"]["start"]["character"]))
    return lenses


def _not_run_lenses(path: str, text: str, lines: list[str], lang: str, errors: list[Diagnostic]) -> list[Json]:
    """Above each example of a file whose rule set has errors: not run, and where the first error is."""
    from . import nodes as n

    tree = _parsed(path, text)
    if tree is None or not errors:
        return []
    first = min(errors, key=lambda d: (d.path != path, d.path, d.line, d.column))
    where = f"{Path(first.path).name}:{first.line}:{first.column}"
    title = say("lsp.lens-not-run", lang, errors=len(errors), where=where)
    lenses = []
    for st in tree.statements:
        if isinstance(st, n.Example | n.EmployeeExample):
            pos = _position(lines, st.span.line, 1)
            command = {"title": title, "command": "", "tooltip": f"asnrules lint {path}"}
            lenses.append({"range": {"start": pos, "end": pos}, "command": command})
    return lenses


def _rule_lenses(rs: Any, path: str, lines: list[str], lang: str) -> list[Json]:
    """A lens above each rule of ``path``: where and when it applies (the documents' wording, the
    dates resolved), ``asnrules lint -v FILE`` (which lists them) as its tooltip."""
    from . import wording as w

    found: list[Json] = []
    for r in rs.model.rules:
        if r.source.file != path:
            continue
        try:
            title = f"{w.region_summary(rs.model, r, lang)} · {w.rule_period_text(r, lang)}"
        except Exception:  # a rule the wording cannot say yet: no lens rather than no lenses
            log.exception("rule lens")
            continue
        pos = _position(lines, r.source.line, 1)
        found.append(
            {
                "range": {"start": pos, "end": pos},
                "command": {"title": title, "command": "", "tooltip": f"asnrules lint -v {path}"},
            }
        )
    return found


def _outcome(outcome: str, lang: str) -> str:
    from .keywords import written

    try:
        return written(outcome, lang)
    except KeyError:
        return outcome


# ---- completion, symbols, definitions, more hover -------------------------------------------------

_QUOTED_AT = re.compile(r'"([^"\n]*)"')
_AFTER_ARROW = re.compile(r"->\s*[\w\s]*$")
_RELATION = re.compile(r"^\s*(supersedes|overrides|mencabut|mengesampingkan)\b", re.IGNORECASE)


def _parsed(path: str, text: str) -> Any:
    """The syntax tree of ``text``, or ``None`` when it does not parse."""
    try:
        return _parse_cached(text, path)
    except Exception:
        return None


def _ruleset(texts: Mapping[str, str]) -> Any:
    """The checked rule set of ``texts`` (path → text); when it has errors, the model the resolver
    makes of the files that parse (what it could resolve), so that hover still explains the rules
    and instruments that are fine while another line has an error; ``None`` if not even that."""
    from types import SimpleNamespace

    from .resolve import resolve
    from .ruleset import _build

    try:
        return _build(sorted(texts.items()), {p: "" for p in texts}, parse_file=_parse_cached)
    except Exception:
        pass
    try:
        files = [f for f in (_parsed(path, body) for path, body in sorted(texts.items())) if f is not None]
        model, _ = resolve(files)
        return SimpleNamespace(model=model, files=files)
    except Exception:
        log.exception("partial model")
        return None


def _span_range(lines: list[str], span: Any) -> Json:
    start = _position(lines, span.line, span.column)
    end = _position(lines, span.end_line, span.end_column)
    if (end["line"], end["character"]) < (start["line"], start["character"]):
        end = start
    return {"start": start, "end": end}


def _name_at(text: str, line: int, character: int) -> str:
    """The quoted string the position is in (an instrument's name), else the word there."""
    at = _line_at(text, line, character)
    if at is not None:
        src, col = at
        for m in _QUOTED_AT.finditer(src):
            if m.start() <= col <= m.end():
                return m.group(1)
    return _word_at(text, line, character)


def _instruments(text: str) -> list[tuple[str, str]]:
    """(kind, name) of every instrument a file opens, read from its header lines so that a file
    being edited (not parsing) still names its instrument."""
    from .keywords import KEYWORDS

    kinds = {w.lower(): k.meaning for k in KEYWORDS if k.meaning in _KINDS for w in k.spellings()}
    out: list[tuple[str, str]] = []
    for m in _HEADER.finditer(text):
        kind = kinds.get(" ".join(m.group(1).lower().split()))
        if kind is not None:
            out.append((kind, m.group(2)))
    return out


def _declared_holidays(text: str) -> list[str]:
    """The names of the holidays a file declares (``holiday DATE "NAME"``), read line by line so that a
    file being edited (not parsing) still gives them."""
    return [m.group(1) for m in _HOLIDAY_DECL.finditer(text)]


def _holiday_quote() -> re.Pattern[str]:
    """Where a holiday's name is written: right after ``after``/``before`` (``setelah``/``sesudah``/
    ``sebelum``) that follow ``working days`` or ``first``/``last`` (``hari kerja``, ``pertama``,
    ``terakhir``), as the grammar has them, then an open quote or a blank."""

    def spellings(*names: str) -> str:
        words = sorted({w for k in names for w in keyword(k).spellings()}, key=len, reverse=True)
        return "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)

    lead, rel = spellings("WORKING_DAYS", "FIRST", "LAST"), spellings("AFTER", "BEFORE")
    return re.compile(rf'\b(?:{lead})\s+(?:{rel})(\s*"[^"]*|\s+)$', re.IGNORECASE)


_HOLIDAY_QUOTE = _holiday_quote()
_HOLIDAY_DECL = re.compile(
    r"^[ \t]*(?:"
    + "|".join(r"\s+".join(map(re.escape, w.split())) for w in keyword("HOLIDAY").spellings())
    + r')[ \t]+\d{4}-\d{2}-\d{2}[ \t]+"([^"\n]+)"',
    re.IGNORECASE | re.MULTILINE,
)
_KINDS = ("circular", "regulation", "instruction", "decree")
_HEADER = re.compile(r'^([A-Za-z][A-Za-z ]*?)\s+"([^"\n]+)"', re.MULTILINE)


def completion(text: str, line: int, character: int, others: Mapping[str, str] | None = None) -> list[Json]:
    """What may be written at the position: outcomes after ``->``, holidays in the quotes after
    ``after``/``before`` (those the folder declares, then the calendar's, in the file's language),
    instrument names after ``supersedes``/``overrides`` (``mencabut``/``mengesampingkan``), provinces
    inside any other quotes (a title or a note gets nothing else), otherwise the keywords in the
    file's language, the categories (prelude and the file's own) and the provinces."""
    from .keywords import KEYWORDS
    from .prelude import CATEGORIES, provinces

    lang = file_language(text)
    lines = text.splitlines()
    src = lines[line] if 0 <= line < len(lines) else ""
    before = src[: code_point_column(src, character)]
    items: list[Json] = []
    seen: set[str] = set()

    def add(label: str, kind: int, detail: str, insert: str | None = None) -> None:
        if label in seen:
            return
        seen.add(label)
        item: Json = {"label": label, "kind": kind, "detail": detail}
        if insert is not None:
            item["insertText"] = insert
        items.append(item)

    if _AFTER_ARROW.search(before):
        for k in KEYWORDS:
            if k.kind == "outcome":
                for word in k.spellings(lang):
                    add(word, 20, "outcome")
        return items
    holiday = _HOLIDAY_QUOTE.search(before)
    if holiday is not None and before[: holiday.start()].count('"') % 2 == 0:  # not inside a text
        from .workdays import holiday_names

        def quote(name: str) -> str | None:
            return None if '"' in holiday.group(1) else f'"{name}"'

        declared = [_declared_holidays(body) for body in (text, *(others or {}).values())]
        for name in sorted({name for names in declared for name in names}):
            add(name, 10, say("lsp.completion-declared-holiday", lang), quote(name))
        for name, other in holiday_names(lang):
            add(name, 10, other, quote(name))
        return items
    if _RELATION.match(before):
        quoted = before.count('"') % 2 == 1
        own = {name for _, name in _instruments(text)}  # an instrument does not override itself
        for _, body in sorted((others or {}).items()):
            for kind, name in _instruments(body):
                if name not in own:
                    add(name, 9, kind, name if quoted else f'"{name}"')
        return items
    if before.count('"') % 2 == 1:  # inside a text: a province's name in quotes, never a keyword
        for p in provinces():
            for label in (p.short, p.name):
                add(label, 12, p.name)
        return items
    for k in KEYWORDS:
        for word in k.spellings(lang) if k.kind != "outcome" else ():
            add(word, 14, k.kind)
    for c in CATEGORIES:
        add(c.name, 7, c.label_id if lang == "id" else c.label_en)
    tree = _parsed("<this>", text)
    for st in tree.statements if tree is not None else ():
        if type(st).__name__ == "CategoryDecl":
            add(st.name.text, 7, st.label.value if st.label is not None else "")
    for p in provinces():
        for label in (p.short, p.name):
            add(label, 12, p.name, f'"{label}"' if " " in label else None)
    return items


def document_symbols(path: str, text: str) -> list[Json]:
    """The outline of a file: each instrument, its rules (label, else the first words) and examples."""
    from . import nodes as n

    tree = _parsed(path, text)
    if tree is None:
        return []
    lang = file_language(text)
    lines = text.splitlines() or [""]
    starts = [_position(lines, st.span.line, st.span.column) for st in tree.statements]
    bounds = [s["line"] for s in starts[1:]] + [len(lines)]

    def last_line(first: int, stop: int) -> Json:
        end = first
        for i in range(first, min(stop, len(lines))):
            if lines[i].strip() and not lines[i].lstrip().startswith("#"):
                end = i
        return {"line": end, "character": utf16_column(lines[end], len(lines[end]))}

    top: list[Json] = []
    current: list[Json] = top
    header: Json | None = None
    for i, st in enumerate(tree.statements):
        rng = {"start": starts[i], "end": last_line(starts[i]["line"], bounds[i])}
        if header is not None and not isinstance(st, n.Header):
            header["range"] = {"start": header["range"]["start"], "end": rng["end"]}
        if isinstance(st, n.Header):
            sym: Json = {
                "name": st.name.text,
                "kind": 2,
                "range": rng,
                "selectionRange": rng,
                "detail": st.kind,
                "children": [],
            }
            header = sym
            top.append(sym)
            current = sym["children"]
        elif isinstance(st, n.Rule):
            if st.label is not None:
                name = st.label.text
            else:
                first = lines[rng["start"]["line"]].split()
                name = " ".join(first[:5]) or "rule"
            current.append({"name": name, "kind": 12, "range": rng, "selectionRange": rng})
        elif isinstance(st, n.Example | n.EmployeeExample):
            label = st.label.value if st.label is not None else say("lsp.symbol-example", lang, line=st.span.line)
            current.append({"name": label, "kind": 24, "range": rng, "selectionRange": rng})
    for sym in top:
        if not sym.get("children", True):
            del sym["children"]
    return top


def definition(text: str, line: int, character: int, texts: Mapping[str, str], uris: Mapping[str, str]) -> list[Json]:
    """Where the name at the position is declared, in the folder's files: a category, a region
    group, an instrument, a rule's label (``overrides rule wfh of "SE A"``: the rule labelled ``wfh``
    of that instrument); a province, on its row of the province table the package ships."""
    from . import nodes as n
    from .runtime import name_key

    name = _name_at(text, line, character)
    if not name:
        return []
    province = _province_at(text, line, character)
    if province is not None and province[2] - province[1] > len(name):  # "Barat" of "Jawa Barat"
        return _province_definition(text, line, character)
    key = name_key(name)
    within = _label_owner(text, line, character)  # a label inside ``rule L of "N"``: that instrument
    found: list[Json] = []
    for path, body in sorted(texts.items()):
        if path not in uris:
            continue
        tree = _parsed(path, body)
        lines = body.splitlines() or [""]
        current = ""
        for st in tree.statements if tree is not None else ():
            if isinstance(st, n.Header):
                current = st.name.key
            target = None
            if isinstance(st, n.Header | n.CategoryDecl | n.RegionDecl) and st.name.key == key:
                target = st.name
            elif isinstance(st, n.Rule) and st.label is not None and st.label.key == key:
                if within is None or within == current:
                    target = st.label
            if target is not None:
                span = target.span if target.span.line > 0 else st.span
                found.append({"uri": uris[path], "range": _span_range(lines, span)})
    if not found:
        found = _province_definition(text, line, character)
    return found


def _label_owner(text: str, line: int, character: int) -> str | None:
    """The key of the instrument named after ``of`` (``dari``) when the position is on a label of
    ``rule L {, L} of "N"`` (``ketentuan L dari "N"``), else ``None``."""
    from .runtime import name_key

    at = _line_at(text, line, character)
    if at is None:
        return None
    src, col = at
    for m in _RULE_REF.finditer(src):
        if m.start(1) <= col <= m.end(1):
            return name_key(m.group(2))
    return None


def _rule_ref() -> re.Pattern[str]:
    rule = "|".join(re.escape(w) for w in keyword("RULE").spellings())
    of = "|".join(re.escape(w) for w in keyword("OF").spellings())
    return re.compile(rf'\b(?:{rule})\s+([\w\-]+(?:\s*,\s*[\w\-]+)*)\s+(?:{of})\s+"([^"\n]+)"', re.IGNORECASE)


_RULE_REF = _rule_ref()


def _province_definition(text: str, line: int, character: int) -> list[Json]:
    """The row of ``asnrules/data/provinces.csv`` (in the installed package) of the province at the position."""
    from importlib import resources

    at = _province_at(text, line, character)
    if at is None:
        return []
    table = resources.files("asnrules").joinpath("data/provinces.csv")
    try:
        rows = table.read_text("utf-8").splitlines()
        uri = Path(str(table)).resolve().as_uri()
    except (OSError, ValueError):
        return []
    for i, row in enumerate(rows):
        if row.split(",", 1)[0] == at[0].code:
            rng = {"start": {"line": i, "character": 0}, "end": {"line": i, "character": len(row)}}
            return [{"uri": uri, "range": rng}]
    return []


def _instrument_hover(rs: Any, name: str, lang: str) -> Json | None:
    from .runtime import name_key
    from .wording import date_text, kind_title

    key = name_key(name)
    for c in rs.model.circulars:
        if c.implicit or name_key(c.name) != key:
            continue
        parts = [say("lsp.hover-instrument", lang, kind=kind_title(c.kind, lang, c.name, c.issued_by), name=c.name)]
        if c.title:
            parts.append(c.title)
        if c.issued is not None:
            when = date_text(c.issued, lang)
            if c.issued_by:
                parts.append(say("lsp.hover-issued-by", lang, date=when, by=c.issued_by))
            else:
                parts.append(say("lsp.hover-issued", lang, date=when))
        if c.effective is not None:
            parts.append(say("lsp.hover-effective", lang, date=date_text(c.effective, lang)))
        if c.overrides:
            parts.append(say("lsp.hover-overrides", lang, names=", ".join(c.overrides)))
        if c.supersedes:
            parts.append(say("lsp.hover-supersedes", lang, names=", ".join(c.supersedes)))
        return {"contents": {"kind": "markdown", "value": "\n\n".join(parts)}}
    return None


def _rule_hover(rs: Any, path: str, line: int, lang: str) -> Json | None:
    from . import wording as w

    model = rs.model
    best = None
    for r in model.rules:
        if r.source.file == path and r.source.line <= line + 1:
            if best is None or r.source.line > best.source.line:
                best = r
    if best is None:
        return None
    tree = next((f for f in rs.files if f.path == path), None)
    if tree is not None:  # the position must be inside that rule's own lines
        spans = [st.span for st in tree.statements if st.span.line == best.source.line]
        if spans and not spans[0].line <= line + 1 <= spans[0].end_line:
            return None
    if best.label:
        head = say("lsp.hover-rule", lang, label=best.label)
    else:
        head = say("lsp.hover-rule-unnamed", lang, line=best.source.line)
    sentences = [w.constraint_sentence(model, c, lang) for c in best.constraints]
    sentences += [w.employee_sentence(model, e, lang, working_days=best.working_days) for e in best.employee]
    parts = [head, w.rule_lead(model, best, lang), *(f"- {s}" for s in sentences)]
    parts.append(say("lsp.hover-when", lang, when=w.rule_period_text(best, lang)))
    return {"contents": {"kind": "markdown", "value": "\n\n".join(parts)}}


_HOLIDAY_AT = re.compile(r'"([^"\n]*)"\s+(\d{4})\b')


def holiday_hover(text: str, line: int, character: int) -> Json | None:
    """A holiday named in quotes with its year (``"Idul Fitri" 2024``): its names, its date that year
    and the block of non-working days around it (holidays, cuti bersama and the weekend), from the
    same calendar the rules are resolved with."""
    from .workdays import national_calendar

    at = _line_at(text, line, character)
    if at is None:
        return None
    src, col = at
    for m in _HOLIDAY_AT.finditer(src):
        if not m.start() <= col <= m.end():
            continue
        try:
            cal = national_calendar()
            year = int(m.group(2))
            day = cal.find(m.group(1), year)
            if day is None:
                return None
            first, last = cal.holiday_block(m.group(1), year)
        except Exception:  # an unknown name or a year the calendar does not cover: nothing to show
            return None
        lang = file_language(text)
        value = say(
            "lsp.hover-holiday",
            lang,
            name=day.label(lang),
            other=day.name("en" if lang == "id" else "id"),
            day=day.day.isoformat(),
            first=first.isoformat(),
            last=last.isoformat(),
        )
        return {"contents": {"kind": "markdown", "value": value}}
    return None


def hover_more(path: str, text: str, line: int, character: int, others: Mapping[str, str]) -> Json | None:
    """:func:`hover`, then an instrument's title, dates and relations, then a rule's plain-language
    sentence (:mod:`asnrules.wording`, as the documents write it) and when it applies."""
    found = hover(text, line, character) or holiday_hover(text, line, character)
    if found is not None:
        return found
    texts = dict(others)
    texts[path] = text
    rs = _ruleset(texts)
    if rs is None:
        return None
    lang = file_language(text)
    name = _name_at(text, line, character)
    try:
        if name:
            inst = _instrument_hover(rs, name, lang)
            if inst is not None:
                return inst
        return _rule_hover(rs, path, line, lang)
    except Exception:
        log.exception("hover")
        return None


def uri_path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def run() -> None:  # pragma: no cover - exercised over stdio by tests/test_lsp.py
    from lsprotocol import types as t
    from lsprotocol.converters import get_converter
    from pygls.lsp.server import LanguageServer

    from .version import __version__

    converter = get_converter()
    server = LanguageServer("asnrules", __version__)
    open_docs: dict[str, str] = {}  # uri -> text

    def folder_texts(uri: str) -> tuple[dict[str, str], dict[str, str]]:
        """The texts (path → text) and uris (path → uri) of the ``.asnr`` files beside ``uri``: the
        editor's text for the open ones, the disk's for the rest (unreadable ones left out)."""
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

    def others(uri: str) -> dict[str, str]:
        """The texts of the other files of ``uri``'s folder."""
        texts, _ = folder_texts(uri)
        texts.pop(uri_path(uri), None)
        return texts

    def answer(
        feature: str | tuple[str, Any], kind: Any, empty: Any, many: bool = True
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Registers a request handler ``f(uri, text, params) -> JSON`` (or a list of them): it answers
        ``empty`` for a document that is not open, and for any failure (logged), so that a bug never
        reaches the editor; the JSON becomes the protocol's ``kind``. ``feature`` is the method's
        name, or the name and the options the server announces for it."""
        name, *options = feature if isinstance(feature, tuple) else (feature,)

        def register(f: Callable[..., Any]) -> Callable[..., Any]:
            @server.feature(name, *options)
            def handler(params: Any) -> Any:
                uri = params.text_document.uri
                if uri not in open_docs:
                    return empty
                try:
                    found = f(uri, open_docs[uri], params)
                    if found is None:
                        return empty
                    if many:
                        return [converter.structure(x, kind) for x in found]
                    return converter.structure(found, kind)
                except Exception:
                    log.exception(name)
                    return empty

            return handler

        return register

    def refresh(uri: str) -> None:
        try:
            texts, uris = folder_texts(uri)
            for u, diags in publish(texts, uris).items():
                server.text_document_publish_diagnostics(
                    t.PublishDiagnosticsParams(uri=u, diagnostics=[converter.structure(d, t.Diagnostic) for d in diags])
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

    @answer(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeAction, [])
    def code_action(uri: str, text: str, params: t.CodeActionParams) -> list[Json]:
        return code_actions(uri, text, [converter.unstructure(d) for d in params.context.diagnostics])

    @answer(t.TEXT_DOCUMENT_FORMATTING, t.TextEdit, [])
    def format_doc(uri: str, text: str, params: t.DocumentFormattingParams) -> list[Json]:
        return formatting(text)

    @answer(t.TEXT_DOCUMENT_HOVER, t.Hover, None, many=False)
    def on_hover(uri: str, text: str, params: t.HoverParams) -> Json | None:
        pos = params.position
        return hover_more(uri_path(uri), text, pos.line, pos.character, others(uri))

    @answer(t.TEXT_DOCUMENT_CODE_LENS, t.CodeLens, [])
    def on_lens(uri: str, text: str, params: t.CodeLensParams) -> list[Json]:
        return code_lenses(uri_path(uri), text, others(uri))

    completion_feature = (t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=['"', ">"]))

    @answer(completion_feature, t.CompletionItem, [])
    def on_completion(uri: str, text: str, params: t.CompletionParams) -> list[Json]:
        return completion(text, params.position.line, params.position.character, others(uri))

    @answer(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL, t.DocumentSymbol, [])
    def on_symbols(uri: str, text: str, params: t.DocumentSymbolParams) -> list[Json]:
        return document_symbols(uri_path(uri), text)

    @answer(t.TEXT_DOCUMENT_DEFINITION, t.Location, [])
    def on_definition(uri: str, text: str, params: t.DefinitionParams) -> list[Json]:
        texts, uris = folder_texts(uri)
        return definition(text, params.position.line, params.position.character, texts, uris)

    server.start_io()
