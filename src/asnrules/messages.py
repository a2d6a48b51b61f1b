"""The one catalogue of what asnrules says to people, in Indonesian (``id``) and English (``en``).

Every diagnostic, suggestion ("help"), note, syntax-error wording, test failure and summary line is a
:class:`Msg`: a message id and its arguments. Its two texts live in the catalogue, the TOML files in
``asnrules/data/messages/`` (one file a stage: ``parse.toml``, ``resolve.toml``, ``check.toml``,
``test.toml``, ``cli.toml``, ...; one namespace of ids across them, checked when loaded):

.. code-block:: toml

    [parse.expected-and]
    en = "expected '{k.AND}' between the two dates ('{k.BETWEEN} DATE {k.AND} DATE')"
    id = "setelah tanggal pertama harus ada '{k.AND}' ('{k.BETWEEN} TANGGAL {k.AND} TANGGAL')"

A text is a :meth:`str.format` template. ``{k.TERMINAL}`` is a keyword spelled in the language of
the message (``{k.AND}`` is ``and`` or ``dan``, from :mod:`asnrules.keywords`): so a message names
the keyword the drafter writes (LANGUAGE.md §14). Other placeholders are the message's arguments;
an argument may itself be a :class:`Msg` (worded in the same language), a :class:`Kw` (a keyword), a
:class:`Join` (a list joined with "or"/"atau" or "and"/"dan"), any :class:`Worded` object (one with
``text(lang)``: a citation of a rule), or plain text and numbers (what the
drafter wrote: a name, a date, a line number), which are never translated.

The language of a message is chosen where it is shown: by default the language of the file it is
about (:func:`file_language`: most of its keywords), or ``--lang`` on the command line.
"""

from __future__ import annotations

import functools
import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal, Protocol, runtime_checkable

from .keywords import spelling

__all__ = [
    "LANGS",
    "Join",
    "Kw",
    "Msg",
    "Worded",
    "catalogue",
    "file_language",
    "msg",
    "say",
    "stage_of",
]

LANGS = ("id", "en")
Lang = Literal["id", "en"]


@dataclass(frozen=True)
class Kw:
    """A keyword, by its grammar terminal (``Kw("AND")``), spelled in the message's language."""

    terminal: str

    def text(self, lang: str) -> str:
        return spelling(self.terminal, _lang(lang))


@dataclass(frozen=True)
class Join:
    """Items joined as a list: ``a, b or c`` / ``a, b, atau c`` (``last="or"``) or with ``and``/``dan``.
    Each item is worded like an argument (a :class:`Msg`, a :class:`Kw`, text)."""

    items: tuple[Any, ...]
    last: Literal["or", "and"] = "or"
    quote: bool = False

    def text(self, lang: str) -> str:
        words = [_value(i, lang) for i in self.items]
        if self.quote:
            words = [f"'{w}'" for w in words]
        if len(words) <= 1:
            return "".join(words)
        conj = {("en", "or"): "or", ("en", "and"): "and", ("id", "or"): "atau", ("id", "and"): "dan"}
        word = conj[(_lang(lang), self.last)]
        if _lang(lang) == "id" and len(words) > 2:
            return ", ".join(words[:-1]) + f", {word} " + words[-1]
        return ", ".join(words[:-1]) + f" {word} " + words[-1]


@dataclass(frozen=True)
class Msg:
    """A message of the catalogue: ``id`` and its arguments, worded in either language by :meth:`text`."""

    id: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return say(self.id, lang, **self.args)

    def ids(self) -> set[str]:
        """This message's id and those of every message inside its arguments."""
        found = {self.id}
        stack: list[Any] = list(self.args.values())
        while stack:
            v = stack.pop()
            if isinstance(v, Msg):
                found.add(v.id)
                stack.extend(v.args.values())
            elif isinstance(v, Join):
                stack.extend(v.items)
        return found

    def __str__(self) -> str:
        return self.text("en")


def msg(id: str, **args: Any) -> Msg:
    """The message ``id`` with its arguments (the id must be in the catalogue)."""
    if id not in catalogue():
        raise KeyError(f"message {id!r} is not in the catalogue (asnrules/data/messages/)")
    return Msg(id, args)


class _Keywords:
    """``{k.AND}`` in a template: the keyword spelled in one language."""

    def __init__(self, lang: str) -> None:
        self._lang = lang

    def __getattr__(self, terminal: str) -> str:
        return spelling(terminal, self._lang)


def _lang(lang: str) -> str:
    return "id" if lang.lower().startswith("id") else "en"


@runtime_checkable
class Worded(Protocol):
    """Any argument that words itself in a language (a citation of a rule, a date): ``text(lang)``."""

    def text(self, lang: str) -> str: ...


def _value(v: Any, lang: str) -> str:
    kind = type(v)
    worded = _WORDED.get(kind)
    if worded is None:  # decided once a type (a check against the Protocol costs ~15 µs each time)
        worded = _WORDED[kind] = not issubclass(kind, str) and isinstance(v, Msg | Kw | Join | Worded)
    return v.text(lang) if worded else str(v)


#: Whether values of a type word themselves (:class:`Worded`), by type.
_WORDED: dict[type, bool] = {str: False, int: False}


def say(id: str, lang: str = "en", /, **args: Any) -> str:
    """The text of message ``id`` in ``lang`` with ``args`` filled in."""
    lang = _lang(lang)
    template = catalogue()[id][lang]
    values = {k: _value(v, lang) for k, v in args.items()}
    return template.format(k=_Keywords(lang), **values)


@functools.cache
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """Every message: id → ``{"en": ..., "id": ...}``, read from ``asnrules/data/messages/*.toml``."""
    out: dict[str, dict[str, str]] = {}
    folder = resources.files("asnrules") / "data" / "messages"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        for id, texts in _flatten(data):
            if id in out:
                raise RuntimeError(f"message {id!r} is defined twice in the catalogue ({entry.name})")
            out[id] = texts
    return out


def _flatten(data: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, dict[str, str]]]:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and set(value) >= {"en", "id"} and isinstance(value["en"], str):
            yield name, {"en": value["en"], "id": value["id"]}
        elif isinstance(value, Mapping):
            yield from _flatten(value, name + ".")
        else:
            raise RuntimeError(f"message {name!r} needs both an 'en' and an 'id' text")


def placeholders(template: str) -> set[str]:
    """The argument names a template uses (``k`` is the keyword table, not an argument)."""
    names = {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(template) if field}
    return names - {"k"}


def stage_of(id: str) -> str:
    """The stage a message belongs to: the part of its id before the first dot (``parse``)."""
    return id.split(".", 1)[0]


def file_language(text: str) -> str:
    """``id`` when most of a rule file's keywords are Indonesian, else ``en`` (LANGUAGE.md §14)."""
    from .format import detect_language

    return detect_language(text)


#: What each stage of the catalogue holds, for the table of docs/diagnostics.md.
STAGES = {
    "diagnostic": "the words around every diagnostic",
    "source": "reading rule files (E00x)",
    "parse": "syntax (E10x)",
    "resolve": "values, names and instruments (E11x–E13x, W205)",
    "check": "conflicts and warnings (E140, W2xx)",
    "test": "`asnrules test`",
    "cli": "summary lines of the command line",
    "runtime": "input given to `evaluate` and the command line (E31x)",
    "audit": "attendance data and audits (E32x)",
    "calendar": "the calendar of working days (LANGUAGE.md §9)",
    "render": "documents",
    "employee": "each employee over windows (LANGUAGE.md §12)",
    "inforce": "what is in force (`asnrules in-force`)",
    "capacity": "what a unit may do (`asnrules capacity`, E35x)",
    "plan": "the planner (`asnrules plan`, E36x–E37x)",
    "serve": "the web API (`asnrules serve`, E38x)",
    "playground": "the playground page (`GET /` of `asnrules serve`)",
    "lsp": "the language server (`asnrules lsp`, E39x)",
    "highlight": "the highlighting generated from the grammar (`python -m asnrules.highlight`, E397–E398)",
}


def markdown_table() -> str:
    """Every message of the catalogue, stage by stage, with its English and Indonesian text: the
    appendix of docs/diagnostics.md (kept equal to this by tests/test_docs.py)."""
    out: list[str] = []
    by_stage: dict[str, list[str]] = {}
    for id in catalogue():
        by_stage.setdefault(stage_of(id), []).append(id)
    order = [s for s in STAGES if s in by_stage] + sorted(s for s in by_stage if s not in STAGES)
    for stage in order:
        out.append(f"### `{stage}`: {STAGES.get(stage, stage)}\n")
        out.append("| id | English | Indonesian |")
        out.append("| --- | --- | --- |")
        for id in sorted(by_stage[stage]):
            texts = catalogue()[id]
            out.append(f"| `{id}` | {_cell(texts['en'])} | {_cell(texts['id'])} |")
        out.append("")
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
