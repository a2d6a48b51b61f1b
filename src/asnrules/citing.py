"""Pieces of messages that word themselves in the message's language (:class:`asnrules.messages.Worded`).

A message of the catalogue (:mod:`asnrules.messages`) is worded where it is shown, in Indonesian or
English; the pieces it quotes or cites must follow it. Each class here holds what a piece needs and
words it on demand, with ``text(lang)``:

- :class:`Cite`: where a constraint, a violation or a rule comes from (:func:`asnrules.wording.citation`
  with that language: ``SE A, rule r1, a.asnr:3:5`` / ``SE A, aturan r1, a.asnr:3:5``);
- :class:`Quoted`: a constraint as a rule file writes it (``admin WFH <= 50%``; the group of all staff
  is named by its keyword, ``all`` / ``semua``);
- :class:`Group`: a category's name, ``all`` by its keyword;
- :class:`Chain` (:func:`chain`): items joined pairwise by a message of the catalogue (``a and b and c``, ``'x' or
  'y'``), for the lists whose English repeats the conjunction;
- :class:`Number`: a whole number with the thousands separator of the language (``1,234`` / ``1.234``);
- :func:`reason_msg`: the message of a :class:`asnrules.runtime.Reason` (the runtime, which the
  standalone module copies, holds only its id and plain arguments: :class:`asnrules.runtime.Words`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .keywords import KEYWORDS, spelling
from .messages import Join, Msg, msg, say
from .model import Model, Rule
from .runtime import Reason, Words
from .wording import Cited, citation, constraint_text, decimal_text
from .wording import Worded as Bounded

__all__ = ["Chain", "Cite", "Group", "Number", "Quoted", "chain", "reason_msg", "words_msg"]


def _lang(lang: str) -> str:
    return "id" if lang.lower().startswith("id") else "en"


@dataclass(frozen=True)
class Cite:
    """The citation of ``x`` (a constraint, a violation, an applied constraint or a rule) by
    :func:`asnrules.wording.citation`, with its options, in the message's language."""

    x: Cited | Rule
    model: Model | None = field(default=None, compare=False)
    circular: bool = True
    place: bool = True
    prose: bool = False

    def text(self, lang: str) -> str:
        return citation(
            self.x, _lang(lang), model=self.model, circular=self.circular, place=self.place, prose=self.prose
        )

    def __bool__(self) -> bool:
        return bool(self.text("en"))


@dataclass(frozen=True)
class Group:
    """A category's name as a rule file writes it: ``all`` spelled as the keyword (``semua``)."""

    name: str

    def text(self, lang: str) -> str:
        return spelling("ALL", _lang(lang)) if self.name == "all" else self.name


@dataclass(frozen=True)
class Quoted:
    """A constraint as a rule file writes it, without quotes (the messages quote it): in English
    ``admin WFH <= 50%`` (:func:`asnrules.wording.constraint_text`), in Indonesian with the keywords
    of the language where it has them (``semua WFH paling banyak 50%``, ``admin WFO tepat 100%``;
    ``<`` and ``>`` have none)."""

    c: Bounded

    def text(self, lang: str) -> str:
        if getattr(self.c, "permission", False):  # `semua boleh WFA` (LANGUAGE.md §10)
            return f"{Group(self.c.group).text(lang)} {spelling('MAY', _lang(lang))} {self.c.mode}"
        if _lang(lang) == "en":
            return constraint_text(self.c)
        comparison = _COMPARISONS.get(self.c.comparison)
        words = spelling(comparison, "id") if comparison else self.c.comparison
        return f"{Group(self.c.group).text(lang)} {self.c.mode} {words} {decimal_text(self.c.bound)}%"


#: The comparisons that have a keyword: meaning → terminal.
_COMPARISONS = {k.meaning: k.terminal for k in KEYWORDS if k.kind == "comparison"}


@dataclass(frozen=True)
class Chain(Msg):
    """Items joined pairwise by the message ``id`` (its arguments ``a`` and ``b``): ``a and b and c``,
    as the English messages have always said it. In Indonesian, with ``last`` given, the list is said
    as a drafter writes one (``a, b, dan c``: :class:`~asnrules.messages.Join`). Each item (an
    argument ``"0"``, ``"1"``, ...) is a :class:`~asnrules.messages.Msg`, any worded piece or plain
    text. A :class:`~asnrules.messages.Msg` itself, so that :meth:`~asnrules.messages.Msg.ids` finds
    the joiner and the messages inside (the golden cases' coverage); made by :func:`chain`."""

    last: Literal["or", "and"] | None = None

    @property
    def items(self) -> tuple[Any, ...]:
        return tuple(self.args[str(i)] for i in range(len(self.args)))

    def text(self, lang: str = "en") -> str:
        items = self.items
        if not items:
            return ""
        if self.last is not None and _lang(lang) == "id":
            return Join(tuple(_word(i, lang) for i in items), self.last).text(lang)
        out = _word(items[0], lang)
        for item in items[1:]:
            out = say(self.id, lang, a=out, b=_word(item, lang))
        return out


@dataclass(frozen=True)
class Number:
    """A whole number with the thousands separator of the language: ``999,999`` / ``999.999``."""

    n: int

    def text(self, lang: str) -> str:
        shown = f"{self.n:,}"
        return shown.replace(",", ".") if _lang(lang) == "id" else shown


def _word(item: Any, lang: str) -> str:
    text = getattr(item, "text", None)
    if callable(text) and not isinstance(item, str):
        return str(text(lang))
    return str(item)


def words_msg(words: Words) -> Msg:
    """The message of the catalogue that :class:`~asnrules.runtime.Words` name: nested ``Words``
    become messages, a tuple of names an ``or`` list (``'a' or 'b'``)."""
    args: dict[str, Any] = {}
    for name, value in words.args:
        if isinstance(value, Words):
            args[name] = words_msg(value)
        elif isinstance(value, tuple):
            args[name] = chain(value, "runtime.or", "or")
        else:
            args[name] = value
    return msg(words.id, **args)


def reason_msg(reason: Reason) -> Msg | str:
    """What a :class:`~asnrules.runtime.Reason` says, as a message of the catalogue (its plain English
    text when it names none)."""
    return words_msg(reason.words) if reason.words is not None else reason.message


def chain(items: Sequence[Any], joiner: str, last: Literal["or", "and"] | None = None) -> Chain:
    """``items`` joined by the message ``joiner`` (:class:`Chain`; the id must be in the catalogue)."""
    msg(joiner, a="", b="")
    return Chain(joiner, {str(i): item for i, item in enumerate(items)}, last)
