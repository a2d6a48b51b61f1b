"""Syntax highlighting generated from the grammar: the token table of the Pygments lexer
(:class:`asnrules.lexer.AsnrulesLexer`) and the TextMate grammar of the VS Code extension
(``editors/vscode/syntaxes/asnr.tmLanguage.json``).

Both are read off the grammar's own terminals: the grammar (``grammar/asnrules.lark`` with the keyword
terminals that :func:`asnrules.keywords.lark_terminals` appends) is loaded with Lark, and every
terminal's regular expression is used as Lark's lexer uses it: in Lark's order (priority, then the
longest match first, so that ``hari kerja`` is one token before ``hari`` is tried), with the
grammar's case rule (the keywords are case-insensitive, ``(?i:...)``), each English and Indonesian
spelling and each two-word keyword (``paling banyak``, ``surat edaran``) one token. So a new keyword
or spelling can never be missing from either: the lexer builds its table at its first use, and
``python -m asnrules.highlight`` rewrites the TextMate grammar (``--check`` only compares it; a test
fails when the committed copy is stale).

A keyword's token class follows its kind in :data:`asnrules.keywords.KEYWORDS` (a statement, an
attribute of the header, a scope word...; the words that open a header, read from the grammar's
``header`` rule, are the instrument kinds). A name's class follows the keyword before it: a region
after ``in``/``di`` and ``region``, a category after ``category`` and in the constraints and the
counts, a rule's label after ``rule``, an instrument after ``circular``, ``supersedes``, ``of``...,
a holiday after ``after``/``before`` (:data:`CONTEXTS`).
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .keywords import KEYWORDS, SYMBOLS

__all__ = [
    "CONTEXTS",
    "SCOPES",
    "TEXTMATE_PATH",
    "Context",
    "Rule",
    "Terminal",
    "check",
    "keyword_terminals",
    "main",
    "states",
    "terminals",
    "textmate",
    "textmate_json",
    "write",
]

#: The token class (a Pygments token type, by name) of each kind of keyword.
KIND_TOKENS = {
    "statement": "Keyword.Declaration",
    "attribute": "Keyword.Reserved",
    "qualifier": "Keyword.Reserved",
    "scope": "Keyword",
    "joiner": "Keyword",
    "calendar": "Keyword",
    "employee": "Keyword",
    "permission": "Keyword",
    "agency": "Keyword.Constant",
    "group": "Keyword.Constant",
    "outcome": "Keyword.Constant",
    "comparison": "Operator.Word",
    "count": "Name.Builtin",
}

#: The token class of the instrument kinds (the keywords that open a header: ``circular``...).
INSTRUMENT_TOKEN = "Keyword.Namespace"

#: The token class of the other terminals of the grammar, by terminal.
TERMINAL_TOKENS = {
    "MODE": "Name.Builtin",
    "DATE": "Literal.Date",
    "PERCENT": "Number.Float",
    "DECIMAL": "Number.Float",
    "INT": "Number.Integer",
    "STRING": "String.Double",
    "NAME": "Name.Class",
    "COMMENT": "Comment.Single",
    "WS": "Text.Whitespace",
    "COLON": "Punctuation",
    "_COMMA": "Punctuation",
    "_SEMI": "Punctuation",
    "_ARROW": "Operator",
    "NO_RECORD": "Operator",
    **{s.terminal: "Operator" for s in SYMBOLS},
}

#: Terminals whose last character is an operator of its own (``50%``: a number, then ``%``).
SPLIT_OPERATORS = {"PERCENT": "%"}

#: The TextMate scope of each token class (``.asnr`` is appended, after the terminal for keywords).
SCOPES = {
    "Keyword": "keyword.control",
    "Keyword.Declaration": "storage.type.statement",
    "Keyword.Namespace": "storage.type.instrument",
    "Keyword.Reserved": "keyword.other.attribute",
    "Keyword.Constant": "constant.language",
    "Operator.Word": "keyword.operator.word",
    "Operator": "keyword.operator",
    "Name.Builtin": "support.constant.mode",
    "Name.Class": "entity.name.type.category",
    "Name.Constant": "entity.name.tag.region",
    "Name.Namespace": "entity.name.namespace.instrument",
    "Name.Label": "entity.name.function.label",
    "Name.Entity": "entity.name.holiday",
    "Literal.Date": "constant.numeric.date",
    "Number.Float": "constant.numeric.decimal",
    "Number.Integer": "constant.numeric.integer",
    "String.Double": "string.quoted.double",
    "Comment.Single": "comment.line.number-sign",
    "Punctuation": "punctuation.separator",
}


class Context(NamedTuple):
    """What follows some keywords (``after``): ``names`` is the token class of a name read there,
    ``also`` the other terminals read there, ``last`` those that end it once read; anything else
    (a keyword, a ``:``) ends it. ``words`` says which keywords are names there, as Lark's contextual
    lexer reads them where the grammar wants a name: ``none``, ``modes`` (a rule may be labelled
    ``wfh``: the work modes and the count words) or ``all`` (the words of a holiday's name)."""

    name: str
    after: tuple[str, ...]
    names: str
    also: tuple[str, ...] = ()
    words: str = "none"
    last: tuple[str, ...] = ()


#: The contexts, and the keywords that open them (the instrument kinds are added from the grammar).
CONTEXTS: tuple[Context, ...] = (
    Context("instrument", ("SUPERSEDES", "OVERRIDES", "AMENDS", "OF"), "Name.Namespace", ("STRING", "_COMMA"), "modes"),
    Context("label", ("RULE",), "Name.Label", ("STRING", "_COMMA"), "modes"),
    Context("category", ("CATEGORY",), "Name.Class", ("STRING", "EQ", "_COMMA")),
    Context("regions", ("IN", "REGION"), "Name.Constant", ("STRING", "INT", "EQ", "_COMMA")),
    Context("group", ("EACH_EMPLOYEE",), "Name.Class", ("IN", "WITHIN")),
    Context("employee", ("EMPLOYEE",), "Name.Class"),
    Context("holiday", ("AFTER", "BEFORE"), "Name.Entity", ("STRING",), "all", ("INT",)),
)

#: The terminals read as names in a context of ``words="modes"``.
MODE_WORDS = ("MODE", "LEAVE")


class Terminal(NamedTuple):
    """A terminal of the grammar: its ``regex`` (Python ``re`` syntax, the case rule inside it),
    its token class, and whether it is a keyword (a case-insensitive terminal: the keywords and the
    work modes)."""

    name: str
    regex: str
    token: str
    keyword: bool


class Rule(NamedTuple):
    """One rule of a lexer state: ``regex``, the token class of each group (one: the whole match;
    none: a rule that matches nothing and leaves the state), and the state it enters (``#pop``: leaves)."""

    regex: str
    tokens: tuple[str, ...]
    state: str | None = None


@functools.cache
def _grammar() -> Any:
    from lark import Lark

    from .parser import grammar_text

    return Lark(grammar_text(), parser="earley", lexer="basic")


def _instruments() -> tuple[str, ...]:
    """The terminals that open a header, read from the grammar's ``header`` rule."""
    out = [r.expansion[0].name for r in _grammar().rules if r.origin.name == "header" and r.expansion]
    return tuple(dict.fromkeys(out))


def _token(name: str, keyword: bool) -> str:
    if name in _instruments():
        return INSTRUMENT_TOKEN
    if name in TERMINAL_TOKENS:
        return TERMINAL_TOKENS[name]
    kinds = {k.terminal: k.kind for k in KEYWORDS}
    if keyword or name in kinds:
        return KIND_TOKENS.get(kinds.get(name, ""), "Keyword")
    raise ValueError(f"the terminal {name} of the grammar has no token class (asnrules.highlight)")


@functools.cache
def terminals() -> tuple[Terminal, ...]:
    """Every terminal of the grammar, in the order Lark's lexer tries them."""
    defs = list(_grammar().terminals)
    defs.sort(key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    out = []
    for t in defs:
        regex = t.pattern.to_regexp()
        keyword = "i" in t.pattern.flags
        if keyword:
            regex = f"(?i:{regex})"
        elif t.pattern.flags:
            raise ValueError(f"the terminal {t.name} has flags {sorted(t.pattern.flags)} (asnrules.highlight)")
        out.append(Terminal(t.name, regex, _token(t.name, keyword), keyword))
    return tuple(out)


def _by_name() -> dict[str, Terminal]:
    return {t.name: t for t in terminals()}


def keyword_terminals() -> tuple[str, ...]:
    """The keyword terminals (and ``MODE``), in the lexer's order."""
    return tuple(t.name for t in terminals() if t.keyword)


def _contexts() -> tuple[Context, ...]:
    first, *rest = CONTEXTS
    return (first._replace(after=(*_instruments(), *first.after)), *rest)


def _opens() -> dict[str, Context]:
    return {t: c for c in _contexts() for t in c.after}


def _keywords_of(c: Context) -> tuple[str, ...]:
    """The keywords that are not names in the context ``c``."""
    if c.words == "all":
        return ()
    return tuple(t for t in keyword_terminals() if c.words != "modes" or t not in MODE_WORDS)


def _name_in(c: Context) -> str:
    """A name in the context ``c``: one that is not one of its keywords."""
    name = _by_name()["NAME"].regex
    keywords = "|".join(_by_name()[t].regex for t in _keywords_of(c))
    return f"(?!{keywords}){name}" if keywords else name


def _rule(t: Terminal, state: str | None = None) -> Rule:
    if t.name in SPLIT_OPERATORS:
        op = re.escape(SPLIT_OPERATORS[t.name])
        return Rule(f"(?={t.regex})(.*?)(\\s*)({op})", (t.token, "Text.Whitespace", "Operator"), state)
    return Rule(t.regex, (t.token,), state)


@functools.cache
def states() -> dict[str, tuple[Rule, ...]]:
    """The lexer's states: ``root``, and one for each of :data:`CONTEXTS`."""
    opens = _opens()
    by_name = _by_name()
    out: dict[str, tuple[Rule, ...]] = {
        "root": tuple(_rule(t, opens[t.name].name if t.name in opens else None) for t in terminals())
    }
    for c in _contexts():
        inside = [t for t in terminals() if t.name in c.also or t.name in c.last]
        out[c.name] = (
            _rule(by_name["WS"]),
            _rule(by_name["COMMENT"]),
            *(_rule(t, "#pop" if t.name in c.last else None) for t in inside),
            Rule(_name_in(c), (c.names,)),
            Rule("", (), "#pop"),
        )
    return out


# ---- the TextMate grammar --------------------------------------------------------------------------

#: Where the TextMate grammar is written, from the root of the source tree.
TEXTMATE_PATH = Path("editors") / "vscode" / "syntaxes" / "asnr.tmLanguage.json"


def _key(terminal: str) -> str:
    """The terminal's key in the repository of the TextMate grammar (``AT_MOST`` → ``at-most``)."""
    return terminal.lower().replace("_", "-").strip("-")


def _scope(token: str, terminal: str | None = None, context: str | None = None) -> str:
    base = SCOPES[token]
    if terminal is not None and _by_name()[terminal].keyword:
        base += "." + _key(terminal)
    if context is not None:
        base += "." + context
    return base + ".asnr"


def _captures(tokens: Sequence[str], terminal: str) -> dict[str, dict[str, str]]:
    return {str(i): {"name": _scope(tok, terminal)} for i, tok in enumerate(tokens, 1) if tok in SCOPES}


def _tm_rule(rule: Rule, terminal: str) -> dict[str, Any]:
    if len(rule.tokens) == 1:
        return {"match": rule.regex, "name": _scope(rule.tokens[0], terminal)}
    return {"match": rule.regex, "captures": _captures(rule.tokens, terminal)}


def textmate() -> dict[str, Any]:
    """The TextMate grammar (scope ``source.asnr``): one pattern a terminal, in the lexer's order; a
    keyword that opens a context is a begin/end pattern whose end is any keyword not read in it, or
    anything else that nothing in it reads."""
    by_name = _by_name()
    opens = _opens()
    repository: dict[str, Any] = {}
    patterns = []
    for t in terminals():
        if t.name == "WS":
            continue
        if t.name in opens:
            c = opens[t.name]
            inside = [by_name["COMMENT"], *(a for a in terminals() if a.name in c.also)]
            last = [a for a in terminals() if a.name in c.last]
            reads = "|".join([r"\s", r"\Z", *(a.regex for a in inside), by_name["NAME"].regex])
            ends = [f"({a.regex})" for a in last]
            leaving = "|".join(by_name[k].regex for k in _keywords_of(c) if k not in c.also)
            if leaving:
                ends.append(f"(?={leaving})")
            ends.append(f"(?!{reads})")
            included = []
            for a in inside:
                # a terminal that opens a context elsewhere (`in` after `each employee`) is read here
                # as a plain keyword
                key = _key(a.name) + ("-word" if a.name in opens else "")
                repository.setdefault(key, _tm_rule(_rule(a), a.name))
                included.append({"include": "#" + key})
            entry: dict[str, Any] = {
                "begin": t.regex,
                "beginCaptures": {"0": {"name": _scope(t.token, t.name)}},
                "end": "|".join(ends),
            }
            if last:
                entry["endCaptures"] = {str(i): {"name": _scope(a.token, a.name)} for i, a in enumerate(last, 1)}
            entry["patterns"] = [*included, {"match": _name_in(c), "name": _scope(c.names, context=c.name)}]
            repository[_key(t.name)] = entry
        else:
            repository[_key(t.name)] = _tm_rule(_rule(t), t.name)
        patterns.append({"include": "#" + _key(t.name)})
    return {
        "$comment": "Generated by `python -m asnrules.highlight` from grammar/asnrules.lark and "
        "src/asnrules/keywords.py: do not edit.",
        "name": "asnrules",
        "scopeName": "source.asnr",
        "fileTypes": ["asnr"],
        "patterns": patterns,
        "repository": repository,
    }


def textmate_json() -> str:
    """The TextMate grammar as it is written: JSON, two spaces, non-ASCII characters as they are."""
    return json.dumps(textmate(), ensure_ascii=False, indent=2) + "\n"


# ---- python -m asnrules.highlight [--check] -------------------------------------------------------


def _root() -> Path:
    return Path(__file__).resolve().parents[2]


def _outputs(root: Path) -> dict[Path, str]:
    return {root / TEXTMATE_PATH: textmate_json()}


def check(root: Path | None = None) -> list[Path]:
    """The generated files that are missing or differ from what the grammar gives (stale)."""
    outputs = _outputs(root or _root())
    return [p for p, text in outputs.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]


def write(root: Path | None = None) -> list[Path]:
    """Write the generated files that are stale; returns them."""
    stale = check(root)
    outputs = _outputs(root or _root())
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(outputs[path], encoding="utf-8", newline="\n")
    return stale


STALE = "E397"  # a generated file is out of date with the grammar
NO_TREE = "E398"  # not run in a source tree, or an unknown argument


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m asnrules.highlight [--check] [--lang id|en]``: write the generated highlighting
    files (or, with ``--check``, say which are stale and exit 1)."""
    from .messages import say

    args = list(sys.argv[1:] if argv is None else argv)
    lang = "en"
    if "--lang" in args:
        i = args.index("--lang")
        lang = args[i + 1] if i + 1 < len(args) else "en"
        del args[i : i + 2]
    root = _root()
    error = say("diagnostic.error", lang)
    if not (root / "grammar").is_dir():
        print(f"asnrules.highlight: {error}[{NO_TREE}]: {say('highlight.no-tree', lang, path=root)}", file=sys.stderr)
        return 2
    unknown = [a for a in args if a != "--check"]
    if unknown:
        print(
            f"asnrules.highlight: {error}[{NO_TREE}]: {say('highlight.usage', lang, arg=unknown[0])}", file=sys.stderr
        )
        return 2
    if "--check" in args:
        stale = check(root)
        for path in stale:
            shown = path.relative_to(root).as_posix()
            print(f"asnrules.highlight: {error}[{STALE}]: {say('highlight.stale', lang, path=shown)}", file=sys.stderr)
        if not stale:
            print(say("highlight.fresh", lang))
        return 1 if stale else 0
    written = write(root)
    for path in written:
        print(say("highlight.wrote", lang, path=path.relative_to(root).as_posix()))
    if not written:
        print(say("highlight.fresh", lang))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
