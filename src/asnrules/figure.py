"""The timeline figure: which instruments are in force on which dates, and where, as an SVG.

Rows are (instrument, where, for whom); bars are the days its rules apply. Time runs on a broken
axis: the days are gathered into *windows* (stretches with something happening, the stretches
between them cut out and marked with a break), each window with its own scale and a minimum width,
so that a two-day instrument stays visible beside one that lasts months, years apart.

- A period without an end date is drawn as *continuing*: from its first day to the right edge of the
  figure, through every later window, with an arrow and a fade; it never stretches a window of its
  own (its window holds its first days only).
- A stretch where an instrument is switched off is drawn hatched: where a ``supersedes`` ends it
  (the rest of its period) and where an ``overrides`` of another instrument speaks (the days of the
  overrider's rules in the same places).
- A narrower ``overrides rule L of N`` / ``supersedes rule L of N`` (LANGUAGE.md §11) is written beside
  the switching instrument's name (``mengesampingkan aturan wfh dari SE A``) and hatched on the rules it
  names only: on half the bar when other rules of the row go on speaking (or the override speaks in
  some of the row's places only), as a supersession of the whole row when it names every rule of it.
- A rule ``on working days`` or counted from a holiday (LANGUAGE.md §9) is drawn on the days of its
  period; its row says how it binds (``hanya pada hari kerja``, ``dua hari kerja pertama setelah ...``).
- ``amends`` is written beside the amending instrument's name and, when both are drawn, joined by a
  dashed connector.
- A date the rule file marks ``unconfirmed`` is said to be so wherever it is shown.
- No label runs out of its place: a label too long is cut with ``…`` and its full text is the
  ``<title>`` (a tooltip), and the figure's ``<desc>`` and the table beside it say everything.

The SVG is deterministic (no ids, no timestamps, fixed number formatting) and every text in it is
escaped, so it can be written to a file or embedded in an HTML page as it is.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import escape

from .model import Circular, Model, Period, Rule
from .prelude import name_key
from .wording import (
    date_text,
    doc_say,
    doc_words,
    region_summary,
    rules_named,
    rules_period_text,
    short_date_range,
    short_day,
    uncertain_date_text,
    who_summary,
    with_note,
)

__all__ = ["Bar", "Row", "timeline_rows", "timeline_svg"]

_DAY = dt.timedelta(days=1)
#: Okabe–Ito colours (readable by colour-blind readers), one per instrument in turn.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
WIDTH = 800  # the wide figure; the narrow one (phones) is NARROW
NARROW = 360
MARGIN = 10
GAP = 26  # width of a cut-out stretch of time
MIN_WINDOW = 120  # narrowest window
MIN_BAR = 6  # narrowest bar: a single day stays visible in a window of years
ROW = 46  # height of a row: label line and bar
AXIS = 44  # height of the axis band at the top
LEGEND = 22  # height of a legend line
TICKS = 16  # height of the line of dates under the rows
MERGE_DAYS = 31  # stretches closer than this share one window
SUPERSEDED_DAYS = 14  # the days drawn hatched after a supersession of a period without an end
OPEN_DAYS = 14  # the days of a window that an open-ended period shows before it continues
TAIL = 18  # room at the right edge for the arrow of a continuing period


@dataclass(frozen=True)
class Bar:
    """Days ``start``..``end`` (both included); ``open_start``/``open_end``: unbounded on that side
    (the bar then runs to the edge of the figure)."""

    start: dt.date
    end: dt.date
    open_start: bool = False
    open_end: bool = False


@dataclass(frozen=True)
class Off:
    """Days on which a row's instrument is switched off (``open_end``: from ``start`` on), and why."""

    start: dt.date
    end: dt.date
    why: str
    open_end: bool = False
    uncertain: bool = False
    #: only in some of the row's places or for some of its agencies (drawn on half the bar)
    partial: bool = False


@dataclass(frozen=True)
class Row:
    circular: str
    where: str
    who: str
    when: str
    bars: tuple[Bar, ...]
    colour: str
    offs: tuple[Off, ...] = ()
    note: str = ""
    focus: bool = True


@dataclass(frozen=True)
class _Window:
    """A stretch of the axis: days ``start``..``end`` drawn from ``x`` over ``width`` pixels, on a
    piecewise scale: ``knots`` are (first day of a piece, its x), one piece between every two days on
    which something starts or ends, each piece at least a few pixels wide and the rest shared by the
    square root of its days (two days stay readable beside eight months in one window)."""

    start: dt.date
    end: dt.date
    x: float
    width: float
    knots: tuple[tuple[dt.date, float], ...]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def at(self, day: dt.date) -> float:
        """x of the start of ``day`` (a day after ``end``: the right edge)."""
        if day > self.end:
            return self.x + self.width
        i = bisect.bisect_right(self.knots, (day, math.inf)) - 1
        first, x0 = self.knots[i]
        if i + 1 < len(self.knots):
            nxt, x1 = self.knots[i + 1]
        else:
            nxt, x1 = None, self.x + self.width
        days = ((nxt - first).days if nxt is not None else (self.end - first).days + 1) or 1
        return x0 + (x1 - x0) * (day - first).days / days

    def after(self, day: dt.date) -> float:
        """x of the end of ``day`` (also for 31 December 9999, which has no next day)."""
        return self.x + self.width if day >= self.end else self.at(day + _DAY)

    def px_per_day(self, day: dt.date) -> float:
        return self.after(day) - self.at(day)


def _superseded(model: Model, circ: Circular) -> list[tuple[str, dt.date | None, bool]]:
    """Who supersedes ``circ``, from which day (None: from the start) and whether that day is certain."""
    out: list[tuple[str, dt.date | None, bool]] = []
    for by, since in model.superseded_by.get(circ.key, ()):
        confirmed = True
        try:
            other = model.circular(by)
        except KeyError:
            other = None
        if other is not None and since is not None:
            confirmed = other.switch_confirmed
        out.append((by if other is None else other.name, since, confirmed))
    return out


def _overlaps(a: Rule, b: Rule) -> bool:
    """Whether two rules can speak in one place for one agency (their where and who overlap)."""
    where = a.provinces is None or b.provinces is None or bool(a.provinces & b.provinces)
    who = a.audience.everyone or b.audience.everyone
    if not who:
        who = bool(a.audience.levels & b.audience.levels) or bool(a.audience.agencies & b.audience.agencies)
    return where and who


def _covers(a: Rule, b: Rule) -> bool:
    """Whether ``a`` speaks wherever and for whomever ``b`` does (an override by ``a`` then switches
    ``b`` off wholly on its days, not in part)."""
    where = a.provinces is None or (b.provinces is not None and b.provinces <= a.provinces)
    x, y = a.audience, b.audience
    who = x.everyone or (not y.everyone and y.levels <= x.levels and y.agencies <= x.agencies)
    return where and who


def _clip(p: Period) -> tuple[dt.date, dt.date, bool, bool]:
    """A period as drawn: its days (an open side is ``date.min``/``date.max``, drawn to the edge of
    the figure) and whether each side is open."""
    return p.start or dt.date.min, p.end or dt.date.max, p.start is None, p.end is None


def timeline_rows(model: Model, circulars: Sequence[Circular], lang: str = "id", focus: str | None = None) -> list[Row]:
    """One row per instrument and distinct where/who of its rules, in the order given. ``focus``:
    the instrument a page is about (the others are drawn as its context)."""
    words = doc_words(lang)
    rows: list[Row] = []
    for i, circ in enumerate(circulars):
        colour = PALETTE[i % len(PALETTE)]
        supers = _superseded(model, circ)
        keyed: dict[tuple[str, str], list[Rule]] = {}
        for rule in circ.rules:
            keyed.setdefault((region_summary(model, rule, lang), who_summary(rule, lang)), []).append(rule)
        notes = (
            [doc_say("supersedes-short", lang, name=name) for name in circ.supersedes]
            + _narrower_notes("supersedes-rules-short", circ.supersedes_rules, lang)
            + [doc_say("overrides-short", lang, name=name) for name in circ.overrides]
            + _narrower_notes("overrides-rules-short", circ.overrides_rules, lang)
            + [doc_say("amends-short", lang, name=name) for name in circ.amends]
        )
        by_keys = {name_key(n) for n in model.overridden_by.get(circ.key, ())}
        overriders = [c for c in circulars if c.key in by_keys]
        for (where, who), rules in keyed.items():
            bars: list[Bar] = []
            offs: list[Off] = []
            # a supersession of some rules by name (LANGUAGE.md §11): of the whole row when it names
            # every rule of it, else drawn on half the bar from its day
            row_supers = list(supers)
            narrow_supers = _narrow_supersessions(model, rules)
            for by, (since, confirmed, named) in narrow_supers.items():
                if len(named) == len(rules):
                    row_supers.append((by, since, confirmed))
            periods = sorted(
                {p for r in rules for p in r.periods}, key=lambda p: (p.start or dt.date.min, p.end or dt.date.max)
            )
            for p in periods:
                start, end, open_start, open_end = _clip(p)
                cut: tuple[dt.date, str, bool] | None = None
                for by, since, confirmed in row_supers:
                    day = dt.date.min if since is None else since
                    if cut is None or day < cut[0]:
                        why = (
                            words["superseded_off"]
                            if since is None
                            else doc_say(
                                "superseded-by", lang, name=by, date=uncertain_date_text(since, confirmed, lang)
                            )
                        )
                        cut = (day, why, not confirmed)
                if cut is not None and cut[0] <= end:
                    off_start = max(cut[0], start)
                    if open_end:  # superseded for good: a stretch says so, not a hatch to the edge
                        offs.append(Off(off_start, _add(off_start, SUPERSEDED_DAYS - 1), cut[1], False, cut[2]))
                    else:
                        offs.append(Off(off_start, end, cut[1], False, cut[2]))
                    if cut[0] <= start:
                        continue
                    end, open_end = cut[0] - _DAY, False
                bars.append(Bar(start, end, open_start, open_end))
            for by, (since, confirmed, named) in narrow_supers.items():
                if len(named) == len(rules):
                    continue
                labels = [r.label for r in named if r.label]
                why = (
                    words["superseded_off"]
                    if since is None
                    else doc_say(
                        "rules-superseded-by",
                        lang,
                        rules=rules_named(labels, lang),
                        name=by,
                        date=uncertain_date_text(since, confirmed, lang),
                    )
                )
                for r in named:
                    for p in r.periods:
                        start, end, _, open_end = _clip(p)
                        day = max(start, since or dt.date.min)
                        if day > end:
                            continue
                        last = _add(day, SUPERSEDED_DAYS - 1) if open_end else end
                        offs.append(Off(day, last, why, False, not confirmed, partial=True))
            for other, r, narrow in _overriders(model, circulars, overriders, rules):
                for o in other.rules:
                    if not _overlaps(r, o):
                        continue
                    partial = not _covers(o, r) or (narrow and _others_speak(model, other, r, rules))
                    if narrow:
                        said = rules_named([r.label] if r.label else [], lang)
                        if not _covers(o, r):
                            part = " · ".join(x for x in (region_summary(model, o, lang), who_summary(o, lang)) if x)
                            why = doc_say("rules-overridden-in-part", lang, rules=said, name=other.name, part=part)
                        else:
                            why = doc_say("rules-overridden-by", lang, rules=said, name=other.name)
                    elif partial:
                        part = " · ".join(x for x in (region_summary(model, o, lang), who_summary(o, lang)) if x)
                        why = doc_say("overridden-in-part", lang, name=other.name, part=part)
                    else:
                        why = doc_say("overridden-by", lang, name=other.name)
                    for p in r.periods:
                        for q in o.periods:
                            a = max(p.start or dt.date.min, q.start or dt.date.min)
                            b = min(p.end or dt.date.max, q.end or dt.date.max)
                            if a > b:
                                continue
                            offs.append(Off(a, b, why, b == dt.date.max, partial=partial))
            offs = _merged_offs(offs)
            bars = _merged_bars(bars)
            when = rules_period_text(rules, lang)
            for _by, since, confirmed in row_supers:
                if since is None:
                    when = with_note(when, words["superseded_off"])
                else:
                    said = date_text(since, lang) + ("" if confirmed else f"; {words['not_confirmed']}")
                    when = with_note(when, doc_say("superseded-since", lang, date=said))
            for _by, (since, confirmed, named) in narrow_supers.items():
                if len(named) == len(rules) or since is None:
                    continue
                said = date_text(since, lang) + ("" if confirmed else f"; {words['not_confirmed']}")
                labels = [r.label for r in named if r.label]
                when = with_note(
                    when, doc_say("rules-superseded-since", lang, rules=rules_named(labels, lang), date=said)
                )
            rows.append(
                Row(
                    circ.name,
                    where,
                    who,
                    when,
                    tuple(bars),
                    colour,
                    tuple(offs),
                    "; ".join(notes),
                    focus is None or name_key(focus) == circ.key,
                )
            )
        switches = (circ.supersedes, circ.overrides, circ.amends, circ.supersedes_rules, circ.overrides_rules)
        if not circ.rules and any(switches):  # it only switches others off
            relations = []
            since = circ.switch_date
            confirmed = circ.switch_confirmed
            from_day = (
                "" if since is None else " " + doc_say("since", lang, date=uncertain_date_text(since, confirmed, lang))
            )
            for target in circ.supersedes:
                relations.append(doc_say("supersedes-short", lang, name=target) + from_day)
            relations += [n + from_day for n in _narrower_notes("supersedes-rules-short", circ.supersedes_rules, lang)]
            relations += [doc_say("overrides-short", lang, name=n) for n in circ.overrides]
            relations += _narrower_notes("overrides-rules-short", circ.overrides_rules, lang)
            relations += [doc_say("amends-short", lang, name=n) for n in circ.amends]
            rows.append(
                Row(
                    circ.name,
                    "",
                    "",
                    "; ".join(relations) or "—",
                    (),
                    colour,
                    (),
                    "",
                    focus is None or name_key(focus) == circ.key,
                )
            )
    return rows


def _narrower_notes(id: str, pairs: Sequence[tuple[str, tuple[str, ...]]], lang: str) -> list[str]:
    """``mengesampingkan aturan wfh dari SE A`` for each ``overrides rule L of N`` (``id``: the message)."""
    return [doc_say(id, lang, rules=rules_named(labels, lang), name=target) for target, labels in pairs]


def _narrow_supersessions(model: Model, rules: Sequence[Rule]) -> dict[str, tuple[dt.date | None, bool, list[Rule]]]:
    """Who supersedes some of ``rules`` by name: its name → (from when, whether that day is certain,
    the rules it names)."""
    out: dict[str, tuple[dt.date | None, bool, list[Rule]]] = {}
    for r in rules:
        for by, since in model.rule_superseded_by.get(r.id, ()):
            try:
                other = model.circular(by)
            except KeyError:
                continue
            confirmed = other.switch_confirmed
            out.setdefault(other.name, (since, confirmed, []))[2].append(r)
    return out


def _overriders(
    model: Model, circulars: Sequence[Circular], whole: Sequence[Circular], rules: Sequence[Rule]
) -> list[tuple[Circular, Rule, bool]]:
    """Each (overrider, rule of the row, whether by name): the instruments that override the row's
    instrument as a whole, then those that override one of its rules by name (``overrides rule L of N``)."""
    out = [(other, r, False) for other in whole for r in rules]
    keys = {c.key for c in whole}
    for r in rules:
        named = set(model.rule_overridden_by.get(r.id, ()))
        out += [(other, r, True) for other in circulars if other.key in named and other.key not in keys]
    return out


def _others_speak(model: Model, other: Circular, rule: Rule, rules: Sequence[Rule]) -> bool:
    """Whether a rule of the row that ``other`` does not override by name speaks beside ``rule``
    (an override of ``rule`` alone then switches off part of the row only)."""
    return any(
        x.id != rule.id and other.key not in model.rule_overridden_by.get(x.id, ()) and _overlaps(x, rule)
        for x in rules
    )


def _merged_bars(bars: Sequence[Bar]) -> list[Bar]:
    """Bars of consecutive days joined (``on 16, 17`` is one bar of two days)."""
    out: list[Bar] = []
    for b in sorted(bars, key=lambda b: (b.start, b.end)):
        last = out[-1] if out else None
        if last is not None and last.end < dt.date.max and b.start <= last.end + _DAY:
            out[-1] = Bar(last.start, max(last.end, b.end), last.open_start, last.open_end or b.open_end)
        else:
            out.append(b)
    return out


def _merged_offs(offs: Sequence[Off]) -> list[Off]:
    """Switched-off stretches of consecutive days and the same reason joined."""
    out: list[Off] = []
    for o in sorted(set(offs), key=lambda o: (o.why, o.start, o.end)):
        last = out[-1] if out else None
        if last is not None and last.why == o.why and last.end < dt.date.max and o.start <= last.end + _DAY:
            out[-1] = Off(
                last.start, max(last.end, o.end), o.why, last.open_end or o.open_end, last.uncertain, last.partial
            )
        else:
            out.append(o)
    return sorted(out, key=lambda o: (o.start, o.end, o.why))


# ---- layout ----


def _spans(rows: Sequence[Row]) -> list[tuple[dt.date, dt.date]]:
    """The finite stretches that need room on the axis (an open side needs only its first days)."""
    out: list[tuple[dt.date, dt.date]] = []
    items = [(b.start, b.end) for r in rows for b in r.bars] + [(o.start, o.end) for r in rows for o in r.offs]
    for start, end in items:
        lo, hi = start == dt.date.min, end == dt.date.max
        if lo and hi:
            continue
        if hi:
            end = _add(start, OPEN_DAYS - 1)
        if lo:
            start = _add(end, -(OPEN_DAYS - 1))
        out.append((start, end))
    return sorted(out)


def _add(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def _windows(spans: Sequence[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    merged: list[list[dt.date]] = []
    for start, end in sorted(spans):
        if merged and (start - merged[-1][1]).days <= MERGE_DAYS:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


MIN_PIECE = 18  # narrowest piece of a window (a day or two that starts or ends something)


def _pieces(start: dt.date, end: dt.date, cuts: Sequence[dt.date]) -> list[tuple[dt.date, int]]:
    """The pieces of days ``start``..``end`` cut at ``cuts``: (first day, number of days)."""
    firsts = sorted({start, *(c for c in cuts if start < c <= end)})
    out: list[tuple[dt.date, int]] = []
    for i, first in enumerate(firsts):
        last = firsts[i + 1] - _DAY if i + 1 < len(firsts) else end
        out.append((first, (last - first).days + 1))
    return out


def _layout(spans: Sequence[tuple[dt.date, dt.date]], cuts: Sequence[dt.date], width: int, tail: bool) -> list[_Window]:
    """Windows side by side: each at least ``MIN_WINDOW`` wide (or an equal share when that does not
    fit), the rest shared by their pieces (:class:`_Window`)."""
    k = len(spans)
    avail = width - 2 * MARGIN - (k - 1) * GAP - (TAIL if tail else 0)
    floor = min(MIN_WINDOW, avail / k)
    pieces = [_pieces(a, b, cuts) for a, b in spans]
    weights = [sum(math.sqrt(d) for _, d in ps) for ps in pieces]
    total = sum(weights)
    out: list[_Window] = []
    x = float(MARGIN)
    for (a, b), ps, wt in zip(spans, pieces, weights, strict=True):
        w = floor + (avail - k * floor) * wt / total
        least = min(MIN_PIECE, w / len(ps))
        roots = [math.sqrt(d) for _, d in ps]
        knots: list[tuple[dt.date, float]] = []
        px = x
        for (first, _), root in zip(ps, roots, strict=True):
            knots.append((first, px))
            px += least + (w - least * len(ps)) * root / sum(roots)
        out.append(_Window(a, b, x, w, tuple(knots)))
        x += w + GAP
    return out


def _cuts(rows: Sequence[Row]) -> list[dt.date]:
    """The days on which a bar or a switched-off stretch starts, or the day after one ends."""
    out: set[dt.date] = set()
    for r in rows:
        for s, e in [(b.start, b.end) for b in r.bars] + [(o.start, o.end) for o in r.offs]:
            if s > dt.date.min:
                out.add(s)
            if e < dt.date.max:
                out.add(e + _DAY)
    return sorted(out)


def _n(v: float) -> str:
    """Fixed, short number formatting (deterministic output)."""
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _fits(body: str, size: float, weight: str = "normal") -> float:
    """The width a text needs, estimated generously (system sans-serif fonts)."""
    per = 0.62 if weight == "bold" else 0.56
    return len(body) * size * per


def _cut(body: str, room: float, size: float, weight: str = "normal") -> str:
    """``body`` cut with ``…`` to fit ``room`` pixels."""
    if _fits(body, size, weight) <= room:
        return body
    keep = max(int(room / (size * (0.62 if weight == "bold" else 0.56))) - 1, 1)
    return body[:keep].rstrip(" ·,;–") + "…"


def _wrap(body: str, room: float, size: float, lines: int) -> list[str]:
    """``body`` in at most ``lines`` lines of ``room`` pixels, broken between words (the last line
    cut with ``…`` only if it still does not fit)."""
    out: list[str] = []
    words = body.split(" ")
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and _fits(line + " " + words[0], size) <= room:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        out.append(" ".join(words))
    return out


def _text(
    x: float,
    y: float,
    body: str,
    *,
    anchor: str = "start",
    size: int = 12,
    weight: str = "normal",
    fill: str = "#1a1a1a",
    halo: bool = False,
    room: float | None = None,
) -> str:
    """A text element; with ``room``, cut to fit it, its full text then in a ``<title>``."""
    shown = body if room is None else _cut(body, room, size, weight)
    extra = f' font-weight="{weight}"' if weight != "normal" else ""
    if halo:
        extra += ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    tip = f"<title>{escape(body)}</title>" if shown != body else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{extra}>'
        f"{tip}{escape(shown)}</text>"
    )


def _hatch(x: float, y: float, w: float, h: float, colour: str, dashed: str = "") -> str:
    """A hatched stretch (switched off), drawn with lines only (no pattern ids); ``dashed``: the
    outline's dash attribute (a switch on a date not confirmed)."""
    parts = [
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="#ffffff" fill-opacity="0.8" '
        f'stroke="{colour}" stroke-width="1"{dashed}/>'
    ]
    step = 6.0
    d: list[str] = []
    t = 0.0
    while t < w + h:
        x0, y0 = x + min(t, w), y + max(0.0, t - w)
        x1, y1 = x + max(0.0, t - h), y + min(t, h)
        d.append(f"M{_n(x0)} {_n(y0)}L{_n(x1)} {_n(y1)}")
        t += step
    if d:
        parts.append(f'<path d="{"".join(d)}" stroke="{colour}" stroke-width="1.2" fill="none"/>')
    return "".join(parts)


def timeline_svg(
    model: Model,
    circulars: Sequence[Circular] | None = None,
    lang: str = "id",
    *,
    width: int = WIDTH,
    focus: str | None = None,
) -> str:
    """The timeline of ``circulars`` (default: all of the model's) as a standalone SVG document,
    ``width`` pixels wide (``NARROW`` for phones). ``focus``: the instrument a page is about."""
    words = doc_words(lang)
    circs = list(model.circulars if circulars is None else circulars)
    rows = timeline_rows(model, circs, lang, focus)
    spans = _windows(_spans(rows))
    open_right = any(b.open_end for r in rows for b in r.bars) or any(o.open_end for r in rows for o in r.offs)
    windows = _layout(spans, _cuts(rows), width, open_right) if spans else []
    legend = [
        k
        for k, used in (
            ("off", any(not o.partial for r in rows for o in r.offs)),
            ("part", any(o.partial for r in rows for o in r.offs)),
            ("open", open_right),
        )
        if used
    ]
    ticked = any(len(w.knots) > 1 for w in windows)
    height = AXIS + max(len(rows), 1) * ROW + (TICKS if ticked else 0) + len(legend) * LEGEND + 8
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, sans-serif">',
        f"<title>{escape(words['timeline_alt'])}</title>",
        f"<desc>{escape('; '.join(f'{r.circular}: {r.where}, {r.when}' for r in rows))}</desc>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    bottom = AXIS + max(len(rows), 1) * ROW + 2
    right = width - MARGIN
    # axis: each window with its date range, ticks where its scale changes, break marks between
    ticks: list[tuple[float, dt.date]] = []
    for i, w in enumerate(windows):
        out.append(
            f'<rect x="{_n(w.x)}" y="{AXIS - 6}" width="{_n(w.width)}" height="{_n(bottom - AXIS + 6)}" '
            'fill="#f3f5f8"/>'
        )
        for first, kx in w.knots[1:]:  # where the scale changes: a tick and, room permitting, the date
            out.append(
                f'<line x1="{_n(kx)}" y1="{AXIS - 6}" x2="{_n(kx)}" y2="{_n(bottom)}" stroke="#c9d0d8" '
                'stroke-width="1"/>'
            )
            ticks.append((kx, first))
        for j, (first, kx) in enumerate(w.knots):  # day lines where a day is wide enough to be told apart
            nx = w.knots[j + 1][1] if j + 1 < len(w.knots) else w.x + w.width
            days = ((w.knots[j + 1][0] - first).days if j + 1 < len(w.knots) else (w.end - first).days + 1) or 1
            if days <= 200 and (nx - kx) / days >= 8:
                for d in range(1, days):
                    x = kx + (nx - kx) * d / days
                    out.append(
                        f'<line x1="{_n(x)}" y1="{AXIS - 6}" x2="{_n(x)}" y2="{_n(bottom)}" stroke="#e1e5ea" '
                        'stroke-width="1"/>'
                    )
        label = short_date_range(w.start, w.end, lang)
        count = doc_say("days.one" if w.days == 1 else "days.other", lang, n=w.days)
        cx, room = w.x + w.width / 2, w.width - 4
        if _fits(label, 13, "bold") <= room:
            out.append(_text(cx, 18, label, anchor="middle", size=13, weight="bold"))
            out.append(_text(cx, 33, count, anchor="middle", size=11, fill="#555555", room=room))
        elif " – " in label and w.start != w.end:
            opening, closing = label.split(" – ", 1)
            out.append(_text(cx, 16, opening + " –", anchor="middle", size=11, weight="bold", room=room))
            out.append(_text(cx, 31, closing, anchor="middle", size=11, weight="bold", room=room))
        elif _fits(label, 11, "bold") <= room or " " not in label:
            out.append(_text(cx, 18, label, anchor="middle", size=11, weight="bold", room=room))
            out.append(_text(cx, 33, count, anchor="middle", size=11, fill="#555555", room=room))
        else:  # a date is never cut: its year goes on a second line
            opening, closing = label.rsplit(" ", 1)
            out.append(_text(cx, 16, opening, anchor="middle", size=11, weight="bold", room=room))
            out.append(_text(cx, 31, closing, anchor="middle", size=11, weight="bold", room=room))
        if i:
            gx = w.x - GAP / 2
            out.append(
                f'<path d="M{_n(gx - 5)} {AXIS - 2} l4 -8 M{_n(gx + 1)} {AXIS - 2} l4 -8" stroke="#777777" '
                'stroke-width="1.5" fill="none"/>'
            )
    if not windows:
        out.append(_text(width / 2, 24, words["every_day"], anchor="middle", size=13, weight="bold"))
    left_edge = windows[0].x if windows else float(MARGIN)
    right_edge = windows[-1].x + windows[-1].width if windows else float(right - TAIL)

    def xs(start: dt.date, end: dt.date) -> list[tuple[float, float]]:
        """The x extents of days ``start``..``end`` in each window they touch (an open side,
        ``date.min``/``date.max``, reaches the edge of the figure)."""
        if not windows:
            return [(left_edge, right_edge)]
        segs: list[tuple[float, float]] = []
        for w in windows:
            if end < w.start or start > w.end:
                continue
            x0 = w.at(max(start, w.start))
            x1 = w.after(min(end, w.end))
            if x1 - x0 < MIN_BAR:  # a day in a window of years: still visible
                x0, x1 = max(w.x, (x0 + x1 - MIN_BAR) / 2), 0.0
                x1 = x0 + MIN_BAR
            segs.append((x0, x1))
        return segs

    # rows
    first_x: dict[str, tuple[float, int]] = {}
    row_y: dict[str, int] = {}
    for j, row in enumerate(rows):
        y = AXIS + j * ROW
        row_y.setdefault(name_key(row.circular), y)
        head = " · ".join(x for x in (row.circular, row.where, row.who, row.note) if x)
        out.append(
            _text(
                MARGIN,
                y + 14,
                head,
                size=13,
                weight="bold" if row.focus else "normal",
                fill="#1a1a1a" if row.focus else "#444444",
                halo=True,
                room=width - 2 * MARGIN,
            )
        )
        tip = f"{row.circular}: {row.where}" + (f" ({row.who})" if row.who else "") + f", {row.when}"
        opacity = "" if row.focus else ' fill-opacity="0.55"'
        for b in row.bars:
            segs = xs(b.start, b.end)
            for k, (x0, x1) in enumerate(segs):
                out.append(
                    f'<rect x="{_n(x0)}" y="{y + 20}" width="{_n(x1 - x0)}" height="16" rx="3" '
                    f'fill="{row.colour}"{opacity}><title>{escape(tip)}</title></rect>'
                )
                if k + 1 < len(segs):  # the same period goes on in the next window: across the break
                    out.append(
                        f'<line x1="{_n(x1)}" y1="{y + 28}" x2="{_n(segs[k + 1][0])}" y2="{y + 28}" '
                        f'stroke="{row.colour}" stroke-width="2" stroke-dasharray="3 3"/>'
                    )
            if not segs:
                continue
            if b.open_end:  # continuing: a fade and an arrow at the right edge
                x1 = segs[-1][1]
                for s, op in ((36, "0.25"), (24, "0.35"), (12, "0.45")):
                    out.append(
                        f'<rect x="{_n(x1 - s)}" y="{y + 20}" width="{s}" height="16" fill="#ffffff" '
                        f'fill-opacity="{op}"/>'
                    )
                out.append(
                    f'<path d="M{_n(x1 + 2)} {y + 18} l10 10 l-10 10 z" fill="{row.colour}"{opacity}>'
                    f"<title>{escape(words['legend_open'])}</title></path>"
                )
            if b.open_start:
                out.append(f'<path d="M{_n(segs[0][0] - 2)} {y + 18} l-8 10 l8 10 z" fill="{row.colour}"{opacity}/>')
            first_x.setdefault(name_key(row.circular), (segs[0][0], y))
        for o in row.offs:
            for x0, x1 in xs(o.start, o.end):
                dashed = ' stroke-dasharray="3 2"' if o.uncertain else ""
                out.append(
                    f"<g><title>{escape(row.circular + ': ' + o.why)}</title>"
                    + (
                        _hatch(x0, y + 29, x1 - x0, 6, row.colour, dashed)
                        if o.partial
                        else _hatch(x0, y + 22, x1 - x0, 12, row.colour, dashed)
                    )
                    + "</g>"
                )
        if not row.bars and not row.offs:  # words instead of bars, on two lines if need be (never cut short)
            for k, line in enumerate(_wrap(row.when, width - 2 * MARGIN, 11, 2)):
                out.append(_text(MARGIN, y + 30 + 13 * k, line, size=11, fill="#555555", room=width - 2 * MARGIN))
    # amendments: a dashed connector from the amending instrument's first bar to the amended row
    for circ in circs:
        for target in circ.amends:
            start = first_x.get(circ.key)
            ty = row_y.get(name_key(target))
            if start is None or ty is None:
                continue
            x, fy = start
            y0, y1 = (fy + 20, ty + 36) if ty < fy else (fy + 36, ty + 20)
            tip = doc_say("amends-short", lang, name=target)
            out.append(
                f"<g><title>{escape(circ.name + ': ' + tip)}</title>"
                f'<line x1="{_n(x)}" y1="{y0}" x2="{_n(x)}" y2="{y1}" stroke="#333333" stroke-width="1.5" '
                f'stroke-dasharray="4 3"/><circle cx="{_n(x)}" cy="{y1}" r="3" fill="#333333"/></g>'
            )
    taken = -1e9
    for kx, tick_day in ticks:  # the dates where a window's scale changes, where there is room
        said = short_day(tick_day, lang)
        half = _fits(said, 10) / 2
        if kx - half > taken + 6 and kx - half >= 0 and kx + half <= width:
            out.append(_text(kx, bottom + 12, said, anchor="middle", size=10, fill="#555555"))
            taken = kx + half
    for k, key in enumerate(legend):
        ly = bottom + (TICKS if ticked else 0) + 16 + k * LEGEND
        if key == "off":
            out.append(_hatch(MARGIN, ly - 10, 18, 12, "#555555"))
        elif key == "part":
            out.append(f'<rect x="{MARGIN}" y="{ly - 10}" width="18" height="12" rx="2" fill="#888888"/>')
            out.append(_hatch(MARGIN, ly - 4, 18, 6, "#555555"))
        else:
            out.append(f'<path d="M{_n(MARGIN + 4)} {ly - 11} l10 7 l-10 7 z" fill="#555555"/>')
        label = words[{"off": "legend_overridden", "part": "legend_partial", "open": "legend_open"}[key]]
        out.append(_text(MARGIN + 24, ly, label, size=11, fill="#444444", room=width - 2 * MARGIN - 24))
    out.append("</svg>")
    return "\n".join(out) + "\n"
