"""What the SQL dialects spell differently, as tables, and the translation of the audit SQL.

The audit SQL (:mod:`asnrules.compile_sql`) is written once, in DuckDB's dialect, with a few
*placeholder* functions wherever a result must be exactly what :mod:`asnrules.runtime` decides, or
where the dialects have no common spelling:

=============================  ==================================================================
``ASN_GCD(a, b)``              the greatest common divisor of two whole numbers
``ASN_BLANK_COLLAPSE(x)``      :func:`asnrules.runtime.blank_collapse`: runs of the characters of
                               :data:`~asnrules.runtime.BLANKS` made one space, the ends trimmed
``ASN_NAME_KEY(x)``            :func:`asnrules.runtime.name_key`: runs of blanks and separators made one
                               space, trimmed, ASCII letters (only) in lower case
``ASN_IS_BLANK(x)``            :func:`asnrules.runtime.is_blank`: NULL or only blanks
``ASN_FULL_MATCH(x, 'p')``     the whole of ``x`` matches the regular expression ``p``
``ASN_TEXT_ORDER(x)``          ``x`` compared by code points (PostgreSQL: ``COLLATE "C"``)
``ASN_ISO_WEEKDAY(d)``         the ISO weekday of the date ``d``, 1 (Monday) to 7 (Sunday), as
                               :meth:`datetime.date.isoweekday` (DuckDB ``ISODOW``; Spark's
                               ``DAYOFWEEK`` counts from Sunday, so ``WEEKDAY`` + 1 is written there)
=============================  ==================================================================

:func:`translate` parses the DuckDB text with sqlglot, writes it in the target dialect and puts each
placeholder's spelling from :data:`TEMPLATES` in its place. The audit engine on DuckDB runs the SQL
without translating it: :func:`duckdb_macros` defines the placeholders there as macros (DuckDB
expands them when it binds the query, so they cost what the expressions cost).

Why no dialect's built-ins are used for these: ``LOWER`` and ``TRIM`` fold and strip different
characters per engine (and differently from Python), ``\\s`` means different things in RE2, Java and
PostgreSQL regular expressions, and ``TRY_CAST`` of a text to a date depends on the engine (and in
PostgreSQL on the server's ``DateStyle``). So blanks and separators are replaced by ``TRANSLATE``
with exactly the runtime's characters, spaces collapsed with the one regular expression all engines
read alike (``' +'``), letters lower-cased by ``TRANSLATE`` of ``A``–``Z`` only, and patterns are
written without backslashes (which the dialects' string literals treat differently).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import sqlglot
from sqlglot import exp

from .runtime import BLANKS, SEPARATORS

__all__ = ["DIALECTS", "PLACEHOLDERS", "TEMPLATES", "duckdb_macros", "text_of_chars", "translate"]

DIALECTS = ("duckdb", "spark", "postgres", "trino")
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"

Template = Callable[[Sequence[str]], str]


def text_of_chars(dialect: str, chars: str) -> str:
    """A SQL expression in ``dialect`` whose value is the text ``chars``, written in plain ASCII (no
    control or non-ASCII character in the printed SQL): printable runs as literals, every other
    character by its code point (``CHR``; Spark's ``CHR`` only knows 0–255, so there the UTF-8 bytes
    are decoded instead)."""
    if not chars:
        return "''"
    if dialect == "spark":
        return f"DECODE(UNHEX('{chars.encode('utf-8').hex().upper()}'), 'UTF-8')"
    parts: list[str] = []
    run = ""
    for ch in chars:
        if " " <= ch <= "~":
            run += ch.replace("'", "''")
            continue
        if run:
            parts.append(f"'{run}'")
            run = ""
        parts.append(f"CHR({ord(ch)})")
    if run:
        parts.append(f"'{run}'")
    return "(" + " || ".join(parts) + ")" if len(parts) > 1 else parts[0]


def _collapse(dialect: str, x: str, chars: str) -> str:
    """``x`` with each run of ``chars`` made one space and the ends trimmed of spaces."""
    spaced = f"TRANSLATE({x}, {text_of_chars(dialect, chars)}, '{' ' * len(chars)}')"
    if dialect in ("duckdb", "postgres"):
        collapsed = f"REGEXP_REPLACE({spaced}, ' +', ' ', 'g')"  # without 'g' only the first run
    else:  # Spark and Trino replace every match
        collapsed = f"REGEXP_REPLACE({spaced}, ' +', ' ')"
    if dialect == "postgres":
        return f"BTRIM({collapsed}, ' ')"
    if dialect == "duckdb":
        return f"TRIM({collapsed}, ' ')"
    return f"TRIM(BOTH ' ' FROM {collapsed})"


def _templates(dialect: str) -> dict[str, Template]:
    def blank_collapse(a: Sequence[str]) -> str:
        return _collapse(dialect, a[0], BLANKS)

    def name_key(a: Sequence[str]) -> str:
        return f"TRANSLATE({_collapse(dialect, a[0], BLANKS + SEPARATORS)}, '{UPPER}', '{LOWER}')"

    def is_blank(a: Sequence[str]) -> str:
        x = a[0]
        full = f"TRANSLATE({x}, {text_of_chars(dialect, BLANKS)}, '') = ''"
        if dialect in ("duckdb", "spark"):
            # Texts compare by their UTF-8 bytes here, and a CASE only evaluates the branch it takes: a
            # text that starts with a printable ASCII character (from '!' up to, not including, U+0080)
            # is not blank, which settles almost every row without the (slow) TRANSLATE.
            return f"CASE WHEN {x} IS NULL THEN TRUE WHEN {x} >= '!' AND {x} < CHR(128) THEN FALSE ELSE {full} END"
        return f"({x} IS NULL OR {full})"  # PostgreSQL compares texts by its collation, not by code point

    def full_match(a: Sequence[str]) -> str:
        x, pattern = a
        if not (pattern.startswith("'") and pattern.endswith("'")) or "\\" in pattern:
            raise ValueError(f"ASN_FULL_MATCH needs a pattern literal without backslashes, not {pattern}")
        anchored = "'^(?:" + pattern[1:-1] + ")$'"
        return {
            "duckdb": f"REGEXP_FULL_MATCH({x}, {pattern})",
            "postgres": f"({x} ~ {anchored})",
            "spark": f"({x} RLIKE {anchored})",
            "trino": f"REGEXP_LIKE({x}, {anchored})",
        }[dialect]

    def text_order(a: Sequence[str]) -> str:
        return f'({a[0]} COLLATE "C")' if dialect == "postgres" else a[0]

    def iso_weekday(a: Sequence[str]) -> str:
        d = a[0]
        return {
            "duckdb": f"ISODOW({d})",
            "postgres": f"CAST(EXTRACT(ISODOW FROM {d}) AS INTEGER)",
            "spark": f"(WEEKDAY({d}) + 1)",  # WEEKDAY: 0 = Monday; DAYOFWEEK would be 1 = Sunday
            "trino": f"DAY_OF_WEEK({d})",  # ISO: 1 = Monday
        }[dialect]

    def gcd(a: Sequence[str]) -> str:
        x, y = a
        if dialect == "spark":  # Spark SQL has no gcd(): Euclid's algorithm folded over 64 steps
            return (
                f"AGGREGATE(SEQUENCE(1, 64), NAMED_STRUCT('a', CAST({x} AS BIGINT), 'b', CAST({y} AS BIGINT)), "
                "(s, i) -> IF(s.b = 0, s, NAMED_STRUCT('a', s.b, 'b', s.a % s.b)), s -> s.a)"
            )
        if dialect == "trino":
            return (
                f"REDUCE(SEQUENCE(1, 64), CAST(ROW({x}, {y}) AS ROW(a BIGINT, b BIGINT)), "
                "(s, i) -> IF(s.b = 0, s, CAST(ROW(s.b, s.a % s.b) AS ROW(a BIGINT, b BIGINT))), s -> s.a)"
            )
        return f"GCD({x}, {y})"

    return {
        "ASN_GCD": gcd,
        "ASN_BLANK_COLLAPSE": blank_collapse,
        "ASN_NAME_KEY": name_key,
        "ASN_IS_BLANK": is_blank,
        "ASN_FULL_MATCH": full_match,
        "ASN_TEXT_ORDER": text_order,
        "ASN_ISO_WEEKDAY": iso_weekday,
    }


#: Per dialect, per placeholder: its spelling, from the SQL text of its arguments in that dialect.
TEMPLATES: Mapping[str, Mapping[str, Template]] = {d: _templates(d) for d in DIALECTS}
#: The placeholders and the number of their arguments.
PLACEHOLDERS = {
    "ASN_GCD": 2,
    "ASN_BLANK_COLLAPSE": 1,
    "ASN_NAME_KEY": 1,
    "ASN_IS_BLANK": 1,
    "ASN_FULL_MATCH": 2,
    "ASN_TEXT_ORDER": 1,
    "ASN_ISO_WEEKDAY": 1,
}


def _int_div(dialect: str, a: str, b: str) -> str | None:
    """Whole-number division where sqlglot's own spelling is inexact (Trino: through DOUBLE)."""
    return f"({a} / {b})" if dialect == "trino" else None  # BIGINT / BIGINT truncates in Trino


def translate(sql: str, dialect: str, pretty: bool = False) -> str:
    """DuckDB-dialect SQL in ``dialect``, each placeholder spelled per :data:`TEMPLATES`."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}: use one of {', '.join(DIALECTS)}")
    tree = sqlglot.parse_one(sql, read="duckdb")
    templates = TEMPLATES[dialect]
    spelled: list[str] = []

    def spelling(node: exp.Expr) -> str | None:
        if isinstance(node, exp.Anonymous) and str(node.this).upper() in templates:
            name = str(node.this).upper()
            if len(node.expressions) != PLACEHOLDERS[name]:
                raise ValueError(f"{name} takes {PLACEHOLDERS[name]} arguments: {node.sql()}")
            return templates[name]([a.sql(dialect=dialect) for a in node.expressions])
        if isinstance(node, exp.IntDiv):
            return _int_div(dialect, node.this.sql(dialect=dialect), node.expression.sql(dialect=dialect))
        return None

    # Innermost first, each replaced by a token (a call with no arguments) that the final text spells
    # out: a spelling may hold the tokens of the nodes inside it, so tokens are spelled out last first.
    for node in list(tree.walk(bfs=False))[::-1]:
        text = spelling(node)
        if text is not None:
            spelled.append(text)
            node.replace(exp.Anonymous(this=f"ASNRAW{len(spelled) - 1}X", expressions=[]))
    out = tree.sql(dialect=dialect, pretty=pretty)
    for i in range(len(spelled) - 1, -1, -1):
        out = out.replace(f"ASNRAW{i}X()", spelled[i])
    leftover = [n for n in PLACEHOLDERS if n + "(" in out.upper()]
    if leftover or "ASNRAW" in out:  # pragma: no cover - a bug
        raise AssertionError(f"placeholders left in the {dialect} SQL: {leftover or 'ASNRAW'}")
    return out


def duckdb_macros() -> list[str]:
    """``CREATE TEMP MACRO`` statements defining the placeholders on a DuckDB connection."""
    templates = TEMPLATES["duckdb"]
    out = []
    for name, arity in PLACEHOLDERS.items():
        params = ["x", "y"][:arity]
        if name == "ASN_FULL_MATCH":  # the pattern is a literal in the SQL; the macro passes it on
            body = "REGEXP_FULL_MATCH(x, y)"
        else:
            body = templates[name](params)
        out.append(f"CREATE OR REPLACE TEMP MACRO {name.lower()}({', '.join(params)}) AS {body}")
    return out
