"""Plain-language policy documents, rendered from the rules (Indonesian by default, or English).

:func:`render_documents` turns a rule set into one document per instrument (circular, regulation,
instruction, decree: each named by its kind) plus an index, each with the timeline figure, as
Markdown or as self-contained HTML. What a legal reader relies on: dates in the register of an
official text, uncertain facts marked as such, quotations kept apart from the drafter's notes,
examples judged against their own instrument (and said so), file names and rule labels only in
secondary source notes (the one exception: a narrower ``overrides rule L of N`` names the rules it
switches off, with the numbers of their provisions). Working days (LANGUAGE.md §9): a window counted
from a holiday is given with its dates, how it was counted and the holidays' days; a rule ``on
working days`` says so; the index lists the set's ``holiday`` and ``working day`` declarations. Rules
on each employee over windows (LANGUAGE.md §12) are items of their provisions beside the groups'
shares, in the same legal wording (:func:`asnrules.wording.employee_sentence`); employee examples
are listed with their days as runs of one record (a weekday holiday named), the outcome, the
evaluated one when it differs, and each violated window as the explanations word it. The
pipeline has two steps:

1. *views*: the model is phrased into plain text by :mod:`asnrules.wording` (the same functions
   that :meth:`asnrules.Result.explain` uses) and gathered into small frozen view objects;
2. *templates*: Jinja2 templates shipped in ``asnrules/templates`` lay the views out. They are
   language-neutral (every fixed word comes from the catalogue, ``render.*`` in ``data/messages/render.toml``), run with
   ``StrictUndefined`` (a missing fact is an error, never a blank) and escape every value: HTML by
   autoescaping, Markdown by :func:`md_escape`, so text from a rule file can never inject markup,
   links or template code.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from . import wording as w
from .employee import EmployeeResult, check_employee
from .errors import InputError
from .figure import NARROW, timeline_rows, timeline_svg
from .model import Category, Circular, DayRecord, EmployeeExample, Example, Model, Rule
from .outputs import printable
from .prelude import name_key, province_name
from .ruleset import ExampleResult, RuleSet
from .semantics import Result, evaluate

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
    env.filters["inline_svg"] = inline_svg
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
class DateView:
    """A date of the header, and ``note`` (``belum dipastikan``) when the file marks it unconfirmed."""

    text: str
    note: str | None


@dataclass(frozen=True)
class RelationView:
    before: str
    target: Link
    after: str


@dataclass(frozen=True)
class RuleView:
    number: int
    lead: str
    #: the provision's items: its constraints on groups' shares, then those on each employee over
    #: windows (LANGUAGE.md §12), each in legal wording
    quotas: tuple[str, ...]
    #: where it comes from (rule label, file and line): a source note, secondary to the text
    citation: str
    #: another instrument that switches this provision off (``overrides rule L of N``, LANGUAGE.md §11)
    status: tuple[RelationView, ...] = ()


@dataclass(frozen=True)
class DeclarationView:
    """A ``holiday`` or ``working day`` declaration of the set (LANGUAGE.md §9), for the index."""

    date: str
    name: str
    where: str


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
    #: plain text in Markdown; in HTML, markup whose shares carry their exact value as a ``title``
    why: str
    citation: str


@dataclass(frozen=True)
class EmployeeExampleView:
    """An ``example employee ...`` (LANGUAGE.md §12): the employee (category, place, agency), the
    records as runs of days with one record (``Senin–Rabu, 5–7 Mei 2025: WFA``), the outcome the
    file states, the evaluated one when it differs, and why."""

    number: int
    label: str | None
    employee: str
    records: tuple[str, ...]
    kind: str
    outcome: str
    evaluated: str | None
    why: str
    citation: str


@dataclass(frozen=True)
class FigureView:
    """The timeline of a page: the wide SVG (desktop, paper, the Markdown file) and the narrow one
    (phones); ``file``: the SVG file a Markdown page links."""

    wide: Markup
    narrow: Markup
    file: str
    intro: str


@dataclass(frozen=True)
class CircularView:
    name: str
    stem: str
    kind: str
    kind_title: str
    title: str | None
    issued_by: str | None
    issued: DateView | None
    effective: DateView | None
    in_force: str
    where: str
    path: str
    source_url: str | None
    source_href: str | None
    basis: tuple[str, ...]
    relations: tuple[RelationView, ...]
    rules: tuple[RuleView, ...]
    no_rules: str
    categories: tuple[CategoryView, ...]
    quotes: tuple[str, ...]
    quotes_intro: str
    notes: tuple[str, ...]
    examples: tuple[ExampleView, ...]
    examples_intro: str
    employee_examples: tuple[EmployeeExampleView, ...]
    employee_examples_intro: str
    judged_against: tuple[Link, ...]
    figure: FigureView | None


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


def _employee_text(model: Model, ex: EmployeeExample, lang: str) -> str:
    """The employee of an example: ``pegawai kesehatan, DKI Jakarta, BKN`` / ``an employee of the
    health staff, DKI Jakarta, BKN``."""
    if ex.category is not None and ex.category in model.categories:
        parts = [w.doc_say("employee-of", lang, category=w.short_label(model, ex.category, lang))]
    else:
        parts = [w.doc_say("employee-any", lang)]
    if ex.province is not None:
        try:
            parts.append(province_name(ex.province))
        except KeyError:
            parts.append(ex.region_text or ex.province)
    who: list[str] = []
    if ex.level is not None:
        who.append(
            ("instansi pusat" if ex.level == "central" else "instansi daerah") if lang == "id" else f"{ex.level} agency"
        )
    if ex.agency is not None:
        who.append(ex.agency_name or ex.agency)
    if who:
        parts.append(" ".join(who))
    return ", ".join(parts)


def _record_text(rec: DayRecord | None, lang: str) -> str:
    """One day's record: ``WFO``, ``WFO 8 jam``, ``WFO 9 jam, lembur 1,5 jam``, ``cuti``, ``tanpa catatan``."""
    if rec is None:
        return w.doc_say("record-none", lang)
    text = w.doc_say("record-leave", lang) if rec.mode == "LEAVE" else rec.mode
    if rec.hours is not None:
        text = w.doc_say("record-hours", lang, mode=text, hours=w.amount_text(rec.hours, lang))
    if rec.overtime is not None:
        text = w.doc_say("record-overtime", lang, record=text, overtime=w.amount_text(rec.overtime, lang))
    return text


def _weekday(day: dt.date, lang: str) -> str:
    from babel.dates import format_date

    text = format_date(day, format="EEEE", locale=w.LOCALES[lang])
    return text[:1].upper() + text[1:]


def records_text(model: Model, ex: EmployeeExample, lang: str) -> tuple[str, ...]:
    """An employee example's days as runs of consecutive days with the same record: ``Senin–Rabu,
    5–7 Mei 2025: WFA`` / ``Monday–Wednesday, 5–7 May 2025: WFA``; a weekday that is a holiday in the
    employee's province (no working day: a rule ``on working days`` does not count it) is a run of
    its own with the holiday's name: ``Senin, 12 Mei 2025 (Hari Raya Waisak): WFO``."""
    holidays: dict[dt.date, list[str]] = {}
    if ex.days:
        last = ex.start + dt.timedelta(days=len(ex.days) - 1)
        for year in range(ex.start.year, last.year + 1):
            try:
                found = model.workdays.non_working_days(year, ex.province)
            except InputError:  # a year the calendar does not cover
                continue
            for h in found:
                if ex.start <= h.day <= last and h.day.isoweekday() <= 5:
                    names = holidays.setdefault(h.day, [])
                    if h.label(lang) not in names:
                        names.append(h.label(lang))
    runs: list[tuple[dt.date, dt.date, DayRecord | None, str | None]] = []
    for i, rec in enumerate(ex.days):
        day = ex.start + dt.timedelta(days=i)
        note = "; ".join(holidays[day]) if day in holidays else None
        if runs and runs[-1][2] == rec and runs[-1][3] is None and note is None:
            runs[-1] = (runs[-1][0], day, rec, None)
        else:
            runs.append((day, day, rec, note))
    out: list[str] = []
    for first, last_day, rec, note in runs:
        weekdays = _weekday(first, lang) if first == last_day else f"{_weekday(first, lang)}–{_weekday(last_day, lang)}"
        args = {"weekdays": weekdays, "dates": w.range_text(first, last_day, lang), "record": _record_text(rec, lang)}
        if note is None:
            out.append(w.doc_say("record-run", lang, **args))
        else:
            out.append(w.doc_say("record-run-holiday", lang, holiday=note, **args))
    return tuple(out)


def _href(stems: Mapping[str, str], name: str, ext: str) -> Link:
    stem = stems.get(name_key(name))
    return Link(name, f"{stem}.{ext}" if stem else None)


def _date_view(day: dt.date | None, confirmed: bool, lang: str) -> DateView | None:
    if day is None:
        return None
    return DateView(w.date_text(day, lang), None if confirmed else w.doc_words(lang)["not_confirmed"])


_TOKEN = re.compile("\ue000(\\d+)\ue001")


class _Shares:
    """Shares in an HTML decision: written as tokens while the text is put together, then, once it
    is escaped, each replaced by ``<span class="share" title="nilai tepat: 2/3 = 66,666666…%">66,7%</span>``
    (:func:`asnrules.wording.percent_text`, :func:`asnrules.wording.exact_share_text`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.items: list[tuple[int, int, Fraction, Decimal]] = []

    def __call__(self, k: int, n: int, share: Fraction, bound: Decimal, lang: str) -> str:
        self.items.append((k, n, share, bound))
        return f"\ue000{len(self.items) - 1}\ue001"

    def markup(self, text: str) -> Markup:
        def one(m: re.Match[str]) -> str:
            k, n, share, bound = self.items[int(m.group(1))]
            exact = w.doc_say("exact-share", self.lang, exact=w.exact_share_text(k, n, self.lang))
            shown = w.percent_text(share, self.lang, avoid=bound)
            if Fraction(Decimal(shown.rstrip("%").replace(",", "."))) == share:
                return str(escape(shown))  # exact as shown
            return str(Markup('<span class="share" title="{}">{}</span>').format(exact, shown))

        return Markup(_TOKEN.sub(one, str(escape(text))))


def _why(result: Result, own: str, lang: str, fmt: str) -> str:
    """Why an example has its outcome; in HTML with the exact shares as ``title`` attributes."""
    if fmt != "html" or "\ue000" in (plain := w.outcome_reason(result, lang, own=own)):
        return w.outcome_reason(result, lang, own=own)
    shares = _Shares(lang)
    text = w.outcome_reason(result, lang, shares, own=own)
    return shares.markup(text) if shares.items else plain


def _relations(model: Model, circ: Circular, stems: Mapping[str, str], lang: str, ext: str) -> list[RelationView]:
    out: list[RelationView] = []

    def add(kind: str, target: str, since: dt.date | None = None, confirmed: bool = True) -> None:
        before, after = w.relation_parts(kind, since, lang, this=circ.kind, confirmed=confirmed)
        out.append(RelationView(before, _href(stems, target, ext), after))

    def narrower(kind: str, target: str, labels: tuple[str, ...], since: dt.date | None, confirmed: bool) -> None:
        holder = circ if kind in ("overridden_rules", "superseded_rules") else _circular_or_none(model, target)
        numbers = _provision_numbers(holder, labels) if holder is not None else []
        before, after = w.narrower_relation_parts(
            kind, labels, numbers, since, lang, this=circ.kind, confirmed=confirmed
        )
        out.append(RelationView(before, _href(stems, target, ext), after))

    for target in circ.supersedes:
        add("supersedes", target, circ.switch_date, circ.switch_confirmed)
    for target, labels in circ.supersedes_rules:
        narrower("supersedes_rules", target, labels, circ.switch_date, circ.switch_confirmed)
    for target in circ.overrides:
        add("overrides", target)
    for target, labels in circ.overrides_rules:
        narrower("overrides_rules", target, labels, None, True)
    for target in circ.amends:
        add("amends", target)
    for other in model.circulars:
        if any(name_key(t) == circ.key for t in other.supersedes):
            add("superseded_by", other.name, other.switch_date, other.switch_confirmed)
        for t, labels in other.supersedes_rules:
            if name_key(t) == circ.key:
                narrower("superseded_rules", other.name, labels, other.switch_date, other.switch_confirmed)
        if any(name_key(t) == circ.key for t in other.overrides):
            add("overridden_by", other.name)
        for t, labels in other.overrides_rules:
            if name_key(t) == circ.key:
                narrower("overridden_rules", other.name, labels, None, True)
        if any(name_key(t) == circ.key for t in other.amends):
            add("amended_by", other.name)
    return out


def _circular_or_none(model: Model, name: str) -> Circular | None:
    try:
        return model.circular(name)
    except KeyError:
        return None


def _provision_numbers(circ: Circular, labels: Sequence[str]) -> list[int]:
    """The numbers of the provisions of ``circ``'s document that are its rules labelled ``labels``."""
    keys = {name_key(x) for x in labels}
    return [i for i, r in enumerate(circ.rules, 1) if r.label is not None and name_key(r.label) in keys]


def _rule_status(model: Model, rule: Rule, stems: Mapping[str, str], lang: str, ext: str) -> tuple[RelationView, ...]:
    """Under a provision: the instruments that switch it off by name (``overrides rule L of N``,
    ``supersedes rule L of N``)."""
    out: list[RelationView] = []
    for by, since in model.rule_superseded_by.get(rule.id, ()):
        other = _circular_or_none(model, by)
        confirmed = other.switch_confirmed if other is not None else True
        before, after = w.provision_status_parts("superseded", since, lang, confirmed=confirmed)
        out.append(RelationView(before, _href(stems, other.name if other else by, ext), after))
    for by in model.rule_overridden_by.get(rule.id, ()):
        other = _circular_or_none(model, by)
        before, after = w.provision_status_parts("overridden", None, lang)
        out.append(RelationView(before, _href(stems, other.name if other else by, ext), after))
    return tuple(out)


def _declarations(model: Model, lang: str) -> tuple[tuple[DeclarationView, ...], tuple[DeclarationView, ...]]:
    """The set's ``holiday`` and ``working day`` declarations, by date (none without a calendar)."""
    calendar = model.calendar
    if calendar is None:
        return (), ()
    nationwide = w.doc_say("declared-nationwide", lang)
    holidays = tuple(
        DeclarationView(
            w.date_text(h.day, lang),
            h.name,
            nationwide if h.provinces is None else w.list_text(w.province_names(h.provinces), lang),
        )
        for h in sorted(calendar.declared_holidays, key=lambda h: (h.day, h.name))
    )
    workings = tuple(
        DeclarationView(w.date_text(d.day, lang), d.name, nationwide)
        for d in sorted(calendar.working_days, key=lambda d: (d.day, d.name))
    )
    return holidays, workings


def _figure(
    model: Model, circs: Sequence[Circular], lang: str, *, file: str, intro: str, focus: str | None
) -> FigureView:
    try:
        wide = printable(timeline_svg(model, circs, lang, focus=focus), keep="\n")
        narrow = printable(timeline_svg(model, circs, lang, width=NARROW, focus=focus), keep="\n")
    except OverflowError:  # asnrules.figure before it knew the edges of the calendar
        raise InputError(
            "cannot draw the timeline of the documents: a rule or a switch reaches the first or the last "
            "day of the calendar (1 January 1, 31 December 9999)",
            code="E328",
        ) from None
    return FigureView(Markup(wide), Markup(narrow), file, intro)


def _circular_view(
    model: Model,
    circ: Circular,
    stems: Mapping[str, str],
    results: Mapping[int, ExampleResult],
    lang: str,
    ext: str,
) -> CircularView:
    this = w.this_text(circ.kind, lang)
    rules = tuple(
        RuleView(
            i,
            w.rule_lead(model, r, lang),
            tuple(w.constraint_sentence(model, c, lang) for c in r.constraints)
            + tuple(w.employee_sentence(model, e, lang, working_days=r.working_days) for e in r.employee),
            w.rule_citation(r, lang),
            _rule_status(model, r, stems, lang, ext),
        )
        for i, r in enumerate(circ.rules, 1)
    )
    groups: list[str] = []
    for r in circ.rules:
        # each employee (`all`) is no category named; `each employee in GROUP` names one
        for group in [c.group for c in r.constraints] + [e.group for e in r.employee if e.group != "all"]:
            if group not in groups:
                groups.append(group)
    categories = tuple(_category_view(model, g, lang) for g in groups)
    examples: list[ExampleView] = []
    scope: list[str] = []
    for i, ex in enumerate(circ.examples, 1):
        run = results.get(id(ex))
        result = run.result if run is not None else None
        if run is None or not isinstance(result, Result):  # not run by the rule set (a model built by hand)
            found = model.family(circ.name)
            result = evaluate(model.restricted(found), ex.situation())
            run = ExampleResult(ex, result, found)
        for name in run.scope:
            if name not in scope:
                scope.append(name)
        evaluated = None if result.outcome == ex.outcome else w.OUTCOME_WORDS[lang][result.outcome]
        examples.append(
            ExampleView(
                i,
                ex.label,
                _situation_text(model, ex, lang),
                ex.outcome,
                w.OUTCOME_WORDS[lang][ex.outcome],
                evaluated,
                _why(result, circ.name, lang, ext),
                w.source_text(ex.source, lang),
            )
        )
    numbers = {r.id: i for i, r in enumerate(circ.rules, 1)}
    employee_examples: list[EmployeeExampleView] = []
    for i, emp in enumerate(circ.employee_examples, len(examples) + 1):
        run = results.get(id(emp))
        judged = run.result if run is not None else None
        if run is None or not isinstance(judged, EmployeeResult):  # not run by the rule set
            found = model.family(circ.name)
            judged = check_employee(
                model.restricted(found), emp.records(), emp.province, emp.category, emp.level, emp.agency_name
            )
            run = ExampleResult(emp, judged, found)
        for name in run.scope:
            if name not in scope:
                scope.append(name)
        employee_examples.append(
            EmployeeExampleView(
                i,
                emp.label,
                _employee_text(model, emp, lang),
                records_text(model, emp, lang),
                emp.outcome,
                w.OUTCOME_WORDS[lang][emp.outcome],
                None if judged.outcome == emp.outcome else w.OUTCOME_WORDS[lang][judged.outcome],
                w.employee_reason(judged, lang, own=circ.name, provisions=numbers),
                w.source_text(emp.source, lang),
            )
        )
    related = [n for n in scope if name_key(n) != circ.key]
    url = circ.source_url
    href = url if url is not None and re.fullmatch(r"https?://[^\s\"'<>]+", url) else None
    family = [c for c in _ordered(model) if c.key in {name_key(n) for n in model.family(circ.name)}]
    stem = stems[circ.key]
    return CircularView(
        name=circ.name,
        stem=stem,
        kind=circ.kind,
        kind_title=w.kind_title(circ.kind, lang, circ.name, circ.issued_by),
        title=circ.title,
        issued_by=circ.issued_by,
        issued=_date_view(circ.issued, circ.issued_confirmed, lang),
        effective=_date_view(circ.effective, circ.effective_confirmed, lang),
        in_force=w.rules_period_text(circ.rules, lang) if circ.rules else "—",
        where=_distinct("; ", (w.region_summary(model, r, lang) for r in circ.rules)) or "—",
        path=circ.path,
        source_url=url,
        source_href=href,
        basis=circ.basis,
        relations=tuple(_relations(model, circ, stems, lang, ext)),
        rules=rules,
        no_rules=w.doc_say("no-rules", lang, this=w.this_text(circ.kind, lang, capital=True)),
        categories=categories,
        quotes=tuple(n.text for n in circ.notes if n.verbatim),
        quotes_intro=w.doc_say("quotes-intro", lang, this=this),
        notes=tuple(n.text for n in circ.notes if not n.verbatim),
        examples=tuple(examples),
        examples_intro=w.doc_say("examples-intro-related" if related else "examples-intro", lang, this=this),
        employee_examples=tuple(employee_examples),
        employee_examples_intro=w.doc_say(
            "employee-examples-intro-related" if related else "employee-examples-intro", lang, this=this
        ),
        judged_against=tuple(_href(stems, n, ext) for n in (scope or [circ.name])),
        figure=_figure(
            model,
            family,
            lang,
            file=f"timeline-{stem}.svg",
            intro=w.doc_say("timeline-intro-one" if len(family) > 1 else "timeline-intro-self", lang, this=this),
            focus=circ.name,
        )
        if circ.rules or len(family) > 1
        else None,
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


def _ordered(model: Model) -> list[Circular]:
    return sorted(model.circulars, key=_chronological)


def _example_results(rules: Any, model: Model) -> dict[int, ExampleResult]:
    """Every example run as ``asnrules test`` runs it: against its own instrument and those tied to
    it (:meth:`asnrules.RuleSet.run_examples`, LANGUAGE.md §3), by the example's identity."""
    rs = rules if isinstance(rules, RuleSet) else RuleSet(model, (), ())
    return {id(r.example): r for r in rs.run_examples()}


# ---- documents ----


def render_documents(rules: Any, lang: str = "id", fmt: str = "md") -> dict[str, str]:
    """Every document of a rule set: one per instrument (``se-menpanrb-17-2023.md``), an index
    (``index.md``) and, for Markdown, the timeline figures (``timeline.svg`` for the index,
    ``timeline-<stem>.svg`` for each instrument with rules; HTML embeds them).

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
    ordered = _ordered(model)
    results = _example_results(rules, model)
    views = [_circular_view(model, c, stems, results, lang, fmt) for c in ordered]
    kinds = [c.kind for c in ordered]
    collection = w.collection_kind(kinds)
    common = {"t": words, "lang": lang, "fmt": fmt}
    out: dict[str, str] = {}
    rows = tuple(
        TimelineRowView(_href(stems, r.circular, fmt), r.where, r.who, r.when)
        for r in timeline_rows(model, ordered, lang)
    )
    figure = _figure(model, ordered, lang, file="timeline.svg", intro=words["timeline_intro"], focus=None)
    files = sorted({c.path for c in model.circulars})
    holidays, workings = _declarations(model, lang)
    out[f"index.{fmt}"] = _tidy(
        env.get_template(f"index.{fmt}.j2").render(
            circulars=views,
            timeline=rows,
            figure=figure,
            title=w.doc_say(f"index-title.{collection}", lang),
            heading=w.doc_say(f"list.{collection}", lang),
            intro=w.doc_say("index-intro", lang, count=w.collection_text(kinds, lang)),
            files=files,
            holidays=holidays,
            working_days=workings,
            **common,
        ),
        fmt,
    )
    if fmt == "md":
        out["timeline.svg"] = str(figure.wide)
    template = env.get_template(f"circular.{fmt}.j2")
    for view in views:
        out[f"{view.stem}.{fmt}"] = _tidy(template.render(c=view, **common), fmt)
        if fmt == "md" and view.figure is not None:
            out[view.figure.file] = str(view.figure.wide)
    return out


def render_circular(rules: Any, name: str, lang: str = "id", fmt: str = "md") -> str:
    """The document of one instrument (by name)."""
    model: Model = rules.model if hasattr(rules, "model") else rules
    stem = document_stems(model)[model.circular(name).key]
    return render_documents(rules, lang, fmt)[f"{stem}.{fmt}"]


def inline_svg(svg: str, cls: str) -> Markup:
    """An SVG for embedding in HTML: scaled to the page width, with its height following."""
    return Markup(re.sub(r' width="\d+" height="\d+"', f' class="timeline {cls}"', str(svg), count=1).rstrip("\n"))


def _tidy(text: str, fmt: str) -> str:
    """The document with trailing blanks removed and, last safeguard, no control character left raw
    (:func:`asnrules.outputs.printable`: the HTML escaping leaves them, so does the SVG)."""
    lines = [line.rstrip() for line in printable(text, keep="\n").split("\n")]
    out = "\n".join(lines)
    if fmt == "md":
        out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip("\n") + "\n"
