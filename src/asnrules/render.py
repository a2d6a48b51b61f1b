"""Plain-language policy documents, rendered from the rules (Indonesian by default, or English).

:func:`render_documents` turns a rule set into one document per circular plus an index with the
timeline figure, as Markdown or as self-contained HTML. The pipeline has two steps:

1. *views*: the model is phrased into plain text by :mod:`asnrules.wording` (the same functions
   that :meth:`asnrules.Result.explain` uses) and gathered into small frozen view objects;
2. *templates*: Jinja2 templates shipped in ``asnrules/templates`` lay the views out. They are
   language-neutral (every fixed word comes from :data:`asnrules.wording.DOC`), run with
   ``StrictUndefined`` (a missing fact is an error, never a blank) and escape every value: HTML by
   autoescaping, Markdown by :func:`md_escape`, so text from a rule file can never inject markup,
   links or template code.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import wording as w
from .errors import InputError
from .figure import timeline_rows, timeline_svg
from .model import Category, Circular, Example, Model
from .outputs import printable
from .prelude import name_key, province_name
from .semantics import evaluate

__all__ = ["md_escape", "render_documents", "slug"]

FORMATS = ("md", "html")
RESERVED = frozenset({"index", "timeline"})


# ---- names and escaping ----


def slug(name: str) -> str:
    """A stable file-name stem for a circular: ``SE MenPANRB 17/2023`` → ``se-menpanrb-17-2023``."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return text[:80].rstrip("-") or "circular"


def document_stems(model: Model) -> dict[str, str]:
    """Circular key → unique file-name stem (``-2``, ``-3``... on a clash, in model order)."""
    used = set(RESERVED)
    out: dict[str, str] = {}
    for c in model.circulars:
        base = slug(c.name)
        stem, i = base, 2
        while stem in used:
            stem, i = f"{base}-{i}", i + 1
        used.add(stem)
        out[c.key] = stem
    return out


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$&@])")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<![a-z0-9])(www)(\.)")
_LINE_BREAKS = re.compile(r"[ \t]*\n+[ \t]*")


def md_escape(value: object) -> str:
    """Text made inert in Markdown: line breaks become spaces (no block can start inside it), every
    other control character (ESC, CR, tab, the overrides of text direction such as U+202E) is shown
    as ``\\x1b`` or ``\\u202e`` (:func:`asnrules.outputs.printable`), and every character that could
    open emphasis, code, a link, an image, raw HTML, an entity, a heading or a table cell is
    backslash-escaped, and so are the ``:`` of ``scheme://`` and the ``.`` of ``www.`` (GitHub would
    otherwise turn a bare address into a link)."""
    text = _MD_SPECIAL.sub(r"\\\1", printable(_LINE_BREAKS.sub(" ", str(value))))
    return _AUTOLINK.sub(lambda m: "\\:" if m.group(1) else m.group(2) + "\\.", text)


def _md_finalize(value: object) -> object:
    if isinstance(value, Markup):
        return value
    return md_escape(value)


_SAFE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@functools.cache
def _environment(fmt: str) -> Environment:
    env = Environment(
        loader=PackageLoader("asnrules", "templates"),
        undefined=StrictUndefined,
        autoescape=fmt == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_md_finalize if fmt == "md" else None,
    )
    env.filters["code"] = _code_md if fmt == "md" else _code_html
    return env


def _code_md(name: str) -> Markup:
    """A rule-file name (category, label) as Markdown code; names are checked to need no escaping."""
    if _SAFE_NAME.fullmatch(name):
        return Markup(f"`{name}`")
    return Markup(md_escape(name))


def _code_html(name: str) -> Markup:
    return Markup("<code>{}</code>").format(name)


# ---- views: the model phrased for one language ----


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None


@dataclass(frozen=True)
class RelationView:
    before: str
    target: Link
    after: str


@dataclass(frozen=True)
class RuleView:
    number: int
    label: str | None
    lead: str
    quotas: tuple[str, ...]
    citation: str


@dataclass(frozen=True)
class CategoryView:
    name: str
    label: str
    members: tuple[CategoryView, ...]


@dataclass(frozen=True)
class ExampleView:
    number: int
    label: str | None
    situation: str
    kind: str
    outcome: str
    evaluated: str | None
    why: str
    citation: str


@dataclass(frozen=True)
class CircularView:
    name: str
    stem: str
    title: str | None
    issued_by: str | None
    issued: str | None
    effective: str | None
    in_force: str
    where: str
    path: str
    source_url: str | None
    source_href: str | None
    basis: tuple[str, ...]
    relations: tuple[RelationView, ...]
    rules: tuple[RuleView, ...]
    categories: tuple[CategoryView, ...]
    notes: tuple[str, ...]
    examples: tuple[ExampleView, ...]


@dataclass(frozen=True)
class TimelineRowView:
    circular: Link
    where: str
    who: str
    when: str


def _category_view(model: Model, name: str, lang: str, depth: int = 0) -> CategoryView:
    cat: Category = model.categories[name]
    members = tuple(_category_view(model, m, lang, depth + 1) for m in cat.members) if depth < 8 else ()
    return CategoryView(cat.name, cat.label(lang), members)


def _situation_text(model: Model, ex: Example, lang: str) -> str:
    parts = [w.date_text(ex.date, lang)]
    if ex.province is not None:
        parts.append(province_name(ex.province))
    who: list[str] = []
    if ex.level is not None:
        who.append(
            ("instansi pusat" if ex.level == "central" else "instansi daerah") if lang == "id" else f"{ex.level} agency"
        )
    if ex.agency is not None:
        who.append(ex.agency_name or ex.agency)
    if who:
        parts.append(" ".join(who))
    counts = w.counts_text(model, ex.counts, lang)
    return ", ".join(parts) + (f" — {counts}" if counts else "")


def _href(stems: Mapping[str, str], name: str, ext: str) -> Link:
    stem = stems.get(name_key(name))
    return Link(name, f"{stem}.{ext}" if stem else None)


def _circular_view(model: Model, circ: Circular, stems: Mapping[str, str], lang: str, ext: str) -> CircularView:
    rules = tuple(
        RuleView(
            i,
            r.label,
            w.rule_lead(model, r, lang),
            tuple(w.constraint_sentence(model, c, lang) for c in r.constraints),
            w.rule_citation(r, lang),
        )
        for i, r in enumerate(circ.rules, 1)
    )
    groups: list[str] = []
    for r in circ.rules:
        for c in r.constraints:
            if c.group not in groups:
                groups.append(c.group)
    categories = tuple(_category_view(model, g, lang) for g in groups)
    examples: list[ExampleView] = []
    for i, ex in enumerate(circ.examples, 1):
        result = evaluate(model, ex.situation())
        evaluated = None if result.outcome == ex.outcome else w.OUTCOME_WORDS[lang][result.outcome]
        examples.append(
            ExampleView(
                i,
                ex.label,
                _situation_text(model, ex, lang),
                ex.outcome,
                w.OUTCOME_WORDS[lang][ex.outcome],
                evaluated,
                w.outcome_reason(result, lang),
                w.source_text(ex.source, lang),
            )
        )
    relations: list[RelationView] = []
    for target in circ.supersedes:
        before, after = w.relation_parts("supersedes", circ.switch_date, lang)
        relations.append(RelationView(before, _href(stems, target, ext), after))
    for target in circ.overrides:
        before, after = w.relation_parts("overrides", None, lang)
        relations.append(RelationView(before, _href(stems, target, ext), after))
    for other in model.circulars:
        if any(name_key(t) == circ.key for t in other.supersedes):
            before, after = w.relation_parts("superseded_by", other.switch_date, lang)
            relations.append(RelationView(before, _href(stems, other.name, ext), after))
        if any(name_key(t) == circ.key for t in other.overrides):
            before, after = w.relation_parts("overridden_by", None, lang)
            relations.append(RelationView(before, _href(stems, other.name, ext), after))
    url = circ.source_url
    href = url if url is not None and re.fullmatch(r"https?://[^\s\"'<>]+", url) else None
    return CircularView(
        name=circ.name,
        stem=stems[circ.key],
        title=circ.title,
        issued_by=circ.issued_by,
        issued=w.date_text(circ.issued, lang) if circ.issued else None,
        effective=w.date_text(circ.effective, lang) if circ.effective else None,
        in_force=_distinct("; ", (w.period_text(r, lang) for r in circ.rules)) or "—",
        where=_distinct("; ", (w.region_summary(model, r, lang) for r in circ.rules)) or "—",
        path=circ.path,
        source_url=url,
        source_href=href,
        basis=circ.basis,
        relations=tuple(relations),
        rules=rules,
        categories=categories,
        notes=tuple(n.text for n in circ.notes),
        examples=tuple(examples),
    )


def _distinct(sep: str, items: Any) -> str:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return sep.join(out)


def _chronological(circ: Circular) -> tuple[int, str, str]:
    days = [d for r in circ.rules for p in r.periods for d in (p.start, p.end) if d is not None]
    first = circ.issued or circ.effective or (min(days) if days else None)
    return (first.toordinal() if first else 10**7, name_key(circ.name), circ.name)


# ---- documents ----


def render_documents(rules: Any, lang: str = "id", fmt: str = "md") -> dict[str, str]:
    """Every document of a rule set: one per circular (``se-menpanrb-17-2023.md``), an index
    (``index.md``) and, for Markdown, the timeline figure (``timeline.svg``; HTML embeds it).

    ``rules`` is an :class:`asnrules.RuleSet` (or its :class:`~asnrules.model.Model`); ``lang`` is
    ``id`` (default) or ``en``; ``fmt`` is ``md`` or ``html``. Returns file name → text, in a
    stable order. The same rules always give byte-identical documents.
    """
    model: Model = rules.model if hasattr(rules, "model") else rules
    words = w.doc_words(lang)
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be 'md' or 'html', not {fmt!r}")
    env = _environment(fmt)
    stems = document_stems(model)
    ordered = sorted(model.circulars, key=_chronological)
    views = [_circular_view(model, c, stems, lang, fmt) for c in ordered]
    common = {"t": words, "lang": lang, "fmt": fmt}
    out: dict[str, str] = {}
    index_template = env.get_template(f"index.{fmt}.j2")
    try:
        rows = tuple(
            TimelineRowView(_href(stems, r.circular, fmt), r.where, r.who, r.when)
            for r in timeline_rows(model, ordered, lang)
        )
        svg = printable(timeline_svg(model, ordered, lang), keep="\n")
    except OverflowError:  # asnrules.figure before it knew the edges of the calendar
        raise InputError(
            "cannot draw the timeline of the documents: a rule or a switch reaches the first or the last "
            "day of the calendar (1 January 1, 31 December 9999)",
            code="E328",
        ) from None
    files = sorted({c.path for c in model.circulars})
    out[f"index.{fmt}"] = _tidy(
        index_template.render(
            circulars=views,
            timeline=rows,
            svg=Markup(_inline_svg(svg)),
            svg_file="timeline.svg",
            intro=words["index_intro"].format(n=len(views)),
            files=files,
            **common,
        ),
        fmt,
    )
    if fmt == "md":
        out["timeline.svg"] = svg
    template = env.get_template(f"circular.{fmt}.j2")
    for view in views:
        out[f"{view.stem}.{fmt}"] = _tidy(template.render(c=view, **common), fmt)
    return out


def render_circular(rules: Any, name: str, lang: str = "id", fmt: str = "md") -> str:
    """The document of one circular (by name)."""
    model: Model = rules.model if hasattr(rules, "model") else rules
    stem = document_stems(model)[model.circular(name).key]
    return render_documents(model, lang, fmt)[f"{stem}.{fmt}"]


def _inline_svg(svg: str) -> str:
    """The SVG for embedding in HTML: scaled to the page width, with its height following."""
    return re.sub(r' width="\d+" height="\d+"', ' class="timeline"', svg, count=1).rstrip("\n")


def _tidy(text: str, fmt: str) -> str:
    """The document with trailing blanks removed and, last safeguard, no control character left raw
    (:func:`asnrules.outputs.printable`: the HTML escaping leaves them, so does the SVG)."""
    lines = [line.rstrip() for line in printable(text, keep="\n").split("\n")]
    out = "\n".join(lines)
    if fmt == "md":
        out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip("\n") + "\n"
