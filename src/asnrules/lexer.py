"""The Pygments lexer of rule files: ``pygmentize -l asnr rules/se-menpanrb-17-2023.asnr``.

Installed as the Pygments plugin ``asnr`` (the entry point ``pygments.lexers`` of the package), with
the aliases ``asnr`` and ``asnrules``, the file names ``*.asnr`` and the MIME type ``text/x-asnr``.
Its token table is built, at the lexer's first use, from the grammar's own terminals by
:func:`asnrules.highlight.states`: keywords in English and Indonesian (two-word ones as one token),
modes, dates, percentages, numbers, texts, comments, names of categories, regions, rules and
instruments, operators and punctuation. Loading the module does not load the grammar (Pygments
imports every plugin when it looks for a lexer by file name).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pygments.lexer import RegexLexer, bygroups, default  # type: ignore[import-untyped]
from pygments.token import string_to_tokentype  # type: ignore[import-untyped]

__all__ = ["AsnrulesLexer"]


def _tokendefs() -> dict[str, list[Any]]:
    from .highlight import states

    out: dict[str, list[Any]] = {}
    for state, rules in states().items():
        out[state] = []
        for rule in rules:
            types = [string_to_tokentype(t) for t in rule.tokens]
            if not types:
                out[state].append(default(rule.state))
                continue
            action = types[0] if len(types) == 1 else bygroups(*types)
            out[state].append((rule.regex, action, rule.state) if rule.state else (rule.regex, action))
    return out


class AsnrulesLexer(RegexLexer):  # type: ignore[misc]
    """Rule files of asnrules (``.asnr``): the grammar's terminals, in Lark's order."""

    name = "asnrules"
    aliases: ClassVar[list[str]] = ["asnr", "asnrules"]
    filenames: ClassVar[list[str]] = ["*.asnr"]
    mimetypes: ClassVar[list[str]] = ["text/x-asnr"]
    url = "https://github.com/asnrules/asnrules"
    version_added = ""
    flags = re.MULTILINE | re.UNICODE

    @classmethod
    def get_tokendefs(cls) -> dict[str, list[Any]]:
        """The token table, from the grammar (Pygments asks for it once, at the first instance)."""
        return _tokendefs()

    @staticmethod
    def analyse_text(text: str) -> float:
        """How likely ``text`` is a rule file: a header or a rule in either language."""
        if re.search(r"^\s*(?:circular|surat\s+edaran|regulation|peraturan)\s+\"", text, re.I | re.M):
            return 0.8
        if re.search(r"^\s*(?:rule|aturan)\s+[^\W\d][\w-]*.*:.*%", text, re.I | re.M):
            return 0.5
        return 0.0
