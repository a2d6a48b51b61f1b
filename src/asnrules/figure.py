"""The timeline figure: which circulars are in force on which dates, and where, as an SVG.

Rows are (circular, where, for whom); bars are the days its rules apply, ended by a ``supersedes``.
Time runs on a broken axis: stretches with no rule in force are cut out (a gap with a break mark),
so a two-day circular stays visible beside one that lasts weeks, years apart.

The SVG is deterministic (no ids, no timestamps, fixed number formatting) and every text in it is
escaped, so it can be written to a file or embedded in an HTML page as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import escape

from .model import Circular, Model, Period
from .wording import doc_words, period_text, region_summary, short_date_range, who_summary

__all__ = ["Bar", "Row", "timeline_rows", "timeline_svg"]

_DAY = dt.timedelta(days=1)
#: Okabe–Ito colours (readable by colour-blind readers), one per circular in turn.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
WIDTH = 800
MARGIN = 10
GAP = 30  # width of a cut-out stretch of time
MIN_WINDOW = 170  # narrowest window, wide enough for its date label
ROW = 46  # height of a row: label line and bar
AXIS = 44  # height of the axis band at the top
MERGE_DAYS = 31  # stretches closer than this share one window


@dataclass(frozen=True)
class Bar:
    """Days ``start``..``end`` (both included); ``open_start``/``open_end``: unbounded on that side."""

    start: dt.date
    end: dt.date
    open_start: bool = False
    open_end: bool = False


@dataclass(frozen=True)
class Row:
    circular: str
    where: str
    who: str
    when: str
    bars: tuple[Bar, ...]
    colour: str


@dataclass(frozen=True)
class _Window:
    start: dt.date
    end: dt.date
    x: float
    width: float

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def at(self, day: dt.date) -> float:
        """x of the start of ``day``."""
        return self.x + self.width * (day - self.start).days / self.days

    def after(self, day: dt.date) -> float:
        """x of the end of ``day`` (the start of the next; also for 31 December 9999, which has none)."""
        return self.x + self.width * ((day - self.start).days + 1) / self.days


def _switched_off(model: Model, circ: Circular) -> tuple[bool, dt.date | None]:
    """Whether ``circ`` is superseded, and from which day (None: from the start)."""
    by = model.superseded_by.get(circ.key, ())
    if not by:
        return False, None
    if any(since is None for _, since in by):
        return True, None
    return True, min(since for _, since in by if since is not None)


def timeline_rows(model: Model, circulars: Sequence[Circular], lang: str = "id") -> list[Row]:
    """One row per circular and distinct where/who of its rules, in the order given."""
    finite = sorted(
        {d for c in circulars for r in c.rules for p in r.periods for d in (p.start, p.end) if d is not None}
    )
    lo = finite[0] if finite else None
    hi = finite[-1] if finite else None
    rows: list[Row] = []
    for i, circ in enumerate(circulars):
        colour = PALETTE[i % len(PALETTE)]
        superseded, off = _switched_off(model, circ)
        keyed: dict[tuple[str, str], list[Period]] = {}
        whens: dict[tuple[str, str], list[str]] = {}
        for rule in circ.rules:
            key = (region_summary(model, rule, lang), who_summary(rule, lang))
            keyed.setdefault(key, []).extend(rule.periods)
            text = period_text(rule, lang)
            if text not in whens.setdefault(key, []):
                whens[key].append(text)
        for (where, who), periods in keyed.items():
            bars: list[Bar] = []
            for p in sorted(set(periods), key=lambda p: (p.start or dt.date.min, p.end or dt.date.max)):
                start = p.start if p.start is not None else lo
                end = p.end if p.end is not None else hi
                if start is None or end is None:  # every day, and no date anywhere to draw against
                    continue
                open_end = p.end is None
                if superseded and off is None:
                    continue
                if off is not None and end >= off:
                    if off == dt.date.min:  # switched off from the first day there is
                        continue
                    end, open_end = off - _DAY, False
                if end < start:
                    continue
                bars.append(Bar(start, end, p.start is None, open_end))
            when = "; ".join(whens[(where, who)])
            if superseded:
                when += f" ({doc_words(lang)['superseded_off']}" + (
                    f" {short_date_range(off, off, lang)})" if off is not None else ")"
                )
            rows.append(Row(circ.name, where, who, when, tuple(bars), colour))
    return rows


def _windows(bars: Sequence[Bar]) -> list[tuple[dt.date, dt.date]]:
    spans = sorted((b.start, b.end) for b in bars)
    merged: list[list[dt.date]] = []
    for start, end in spans:
        if merged and (start - merged[-1][1]).days <= MERGE_DAYS:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _layout(spans: Sequence[tuple[dt.date, dt.date]]) -> list[_Window]:
    k = len(spans)
    avail = WIDTH - 2 * MARGIN - (k - 1) * GAP
    floor = min(MIN_WINDOW, avail / k)
    days = [(b - a).days + 1 for a, b in spans]
    total = sum(days)
    out: list[_Window] = []
    x = float(MARGIN)
    for (a, b), d in zip(spans, days, strict=True):
        w = floor + (avail - k * floor) * d / total
        out.append(_Window(a, b, x, w))
        x += w + GAP
    return out


def _n(v: float) -> str:
    """Fixed, short number formatting (deterministic output)."""
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


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
) -> str:
    extra = f' font-weight="{weight}"' if weight != "normal" else ""
    if halo:
        extra += ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{extra}>'
        f"{escape(body)}</text>"
    )


def timeline_svg(model: Model, circulars: Sequence[Circular] | None = None, lang: str = "id") -> str:
    """The timeline of ``circulars`` (default: all of the model's) as a standalone SVG document."""
    words = doc_words(lang)
    circs = list(model.circulars if circulars is None else circulars)
    rows = timeline_rows(model, circs, lang)
    bars = [b for r in rows for b in r.bars]
    spans = _windows(bars)
    windows = _layout(spans) if spans else []
    height = AXIS + max(len(rows), 1) * ROW + 8
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, sans-serif">',
        f"<title>{escape(words['timeline_alt'])}</title>",
        f"<desc>{escape('; '.join(f'{r.circular}: {r.where}, {r.when}' for r in rows))}</desc>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    bottom = height - 4
    # axis: each window with its date range, day lines for short windows, break marks between
    for i, w in enumerate(windows):
        out.append(
            f'<rect x="{_n(w.x)}" y="{AXIS - 6}" width="{_n(w.width)}" height="{_n(bottom - AXIS + 6)}" '
            'fill="#f3f5f8"/>'
        )
        if w.days <= 62:
            for d in range(1, w.days):
                x = w.x + w.width * d / w.days
                out.append(
                    f'<line x1="{_n(x)}" y1="{AXIS - 6}" x2="{_n(x)}" y2="{_n(bottom)}" stroke="#e1e5ea" '
                    'stroke-width="1"/>'
                )
        label = short_date_range(w.start, w.end, lang)
        out.append(_text(w.x + w.width / 2, 18, label, anchor="middle", size=13, weight="bold"))
        days = w.days
        count = f"{days} hari" if lang == "id" else f"{days} day{'s' if days != 1 else ''}"
        out.append(_text(w.x + w.width / 2, 33, count, anchor="middle", size=11, fill="#555555"))
        if i:
            gx = w.x - GAP / 2
            out.append(
                f'<path d="M{_n(gx - 5)} {AXIS - 2} l4 -8 M{_n(gx + 1)} {AXIS - 2} l4 -8" stroke="#777777" '
                'stroke-width="1.5" fill="none"/>'
            )
    if not windows:
        out.append(_text(WIDTH / 2, 24, words["every_day"], anchor="middle", size=13, weight="bold"))
    # rows
    for j, row in enumerate(rows):
        y = AXIS + j * ROW
        head = f"{row.circular} · {row.where}" + (f" · {row.who}" if row.who else "")
        out.append(_text(MARGIN, y + 14, head, size=13, weight="bold", halo=True))
        for b in row.bars:
            for w in windows:
                if b.end < w.start or b.start > w.end:
                    continue
                x0 = w.at(max(b.start, w.start))
                x1 = w.after(min(b.end, w.end))
                tip = f"{row.circular}: {row.where}, {row.when}"
                out.append(
                    f'<rect x="{_n(x0)}" y="{y + 20}" width="{_n(max(x1 - x0, 2))}" height="16" rx="3" '
                    f'fill="{row.colour}"><title>{escape(tip)}</title></rect>'
                )
                if b.open_end and b.end >= w.end:
                    out.append(f'<path d="M{_n(x1)} {y + 18} l8 10 l-8 10 z" fill="{row.colour}"/>')
                if b.open_start and b.start <= w.start:
                    out.append(f'<path d="M{_n(x0)} {y + 18} l-8 10 l8 10 z" fill="{row.colour}"/>')
        if not row.bars:
            out.append(_text(MARGIN, y + 33, row.when, size=11, fill="#555555"))
    out.append("</svg>")
    return "\n".join(out) + "\n"
