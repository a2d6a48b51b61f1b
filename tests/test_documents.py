"""Documents a legal reader trusts (LANGUAGE.md §3, §11; issue 10): the kinds of instrument, uncertain
facts, quotations and the drafter's notes, examples judged against their own instrument, dates in
the register of an official text, shares rounded for reading with the exact value kept, no file
paths or rule labels in the prose, and a timeline on every page that stays readable whatever the
spread of dates.

The render case ``tests/cases/render/instruments`` holds one instrument of each kind, a date not
confirmed, an ``issued by`` without a date, a quotation and a note, an open-ended rule beside a
two-day one, an override, a supersession and an amendment (its golden documents are checked by
tests/test_render.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import asnrules
from asnrules import wording
from asnrules.figure import NARROW, timeline_rows, timeline_svg
from asnrules.render import render_circular, render_documents
from conftest import CASES, ROOT

INSTRUMENTS = CASES / "render" / "instruments"
SVG = "{http://www.w3.org/2000/svg}"
D = dt.date


def load_instruments() -> asnrules.RuleSet:
    old = Path.cwd()
    os.chdir(INSTRUMENTS)
    try:
        return asnrules.load("input")
    finally:
        os.chdir(old)


def load_bundled() -> asnrules.RuleSet:
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        return asnrules.load("rules/")
    finally:
        os.chdir(old)


def prose(doc: str) -> str:
    """A Markdown document without its source notes (the italic lines and cells ``*Sumber: ...*``)
    and its footer: the body a legal reader reads."""
    body = doc.split("\n---\n")[0]
    return re.sub(r"\*\(?(Sumber|Source|Berkas aturan|Rule file)[^*]*\*", "", body)


@pytest.fixture(scope="module")
def rs() -> asnrules.RuleSet:
    return load_instruments()


# ---- kinds ----


@pytest.mark.parametrize(
    ("kind", "name", "issuer", "lang", "expected"),
    [
        ("circular", "SE MenPANRB 17/2023", "Menteri PANRB", "id", "Surat Edaran"),
        ("regulation", "PermenPANRB 4/2025", None, "id", "Peraturan Menteri"),
        ("regulation", "PermenPANRB 4/2025", None, "en", "Ministerial Regulation"),
        ("regulation", "Perpres 21/2023", None, "id", "Peraturan Presiden"),
        ("regulation", "PP 94/2021", None, "en", "Government Regulation"),
        ("regulation", "Peraturan BKN 3/2025", "Kepala BKN", "id", "Peraturan"),
        ("instruction", "Inmendagri 15/2021", None, "id", "Instruksi Menteri"),
        ("instruction", "Inpres 1/2022", None, "en", "Presidential Instruction"),
        ("decree", "Keputusan 5/2026", "Menteri PANRB", "id", "Keputusan Menteri"),
        ("decree", "Keppres 7/2024", None, "en", "Presidential Decree"),
        ("decree", "Keputusan 5/2026", None, "en", "Decree"),
    ],
)
def test_kind_titles(kind: str, name: str, issuer: str | None, lang: str, expected: str) -> None:
    assert wording.kind_title(kind, lang, name, issuer) == expected


@pytest.mark.parametrize(
    ("kinds", "lang", "expected"),
    [
        (["circular"], "en", "1 circular"),
        (["circular"] * 3, "en", "3 circulars"),
        (["circular"] * 3, "id", "3 surat edaran"),
        (["regulation"], "en", "1 regulation"),
        (["circular", "circular", "regulation"], "en", "3 instruments (2 circulars and 1 regulation)"),
        (["circular", "decree"], "id", "2 naskah (1 surat edaran dan 1 keputusan)"),
    ],
)
def test_counts_have_right_plurals(kinds: list[str], lang: str, expected: str) -> None:
    assert wording.collection_text(kinds, lang) == expected


def test_documents_name_each_kind_and_never_call_a_regulation_a_circular(rs: asnrules.RuleSet) -> None:
    for lang in ("id", "en"):
        md = render_documents(rs, lang=lang)
        reg = md["permenpanrb-9-2026.md"]
        assert reg.startswith("*Peraturan Menteri*\n" if lang == "id" else "*Ministerial Regulation*\n")
        assert "surat edaran" not in reg.lower() and "circular" not in reg.lower()
        assert md["inmendagri-1-2027.md"].startswith("*Instruksi Menteri*" if lang == "id" else "*Ministerial Instr")
        assert md["kepmenpanrb-2-2026.md"].startswith("*Keputusan Menteri*" if lang == "id" else "*Ministerial Decr")
        index = md["index.md"]
        assert "| Peraturan Menteri |" in index if lang == "id" else "| Ministerial Regulation |" in index
    en = render_documents(rs, lang="en")["index.md"]
    assert "This collection holds 6 instruments (3 circulars, 1 regulation, 1 instruction and 1 decree)" in en
    assert "# Instruments on the Work Arrangements" in en
    one = render_documents(asnrules.loads('circular "SE 1"\nnationwide: admin WFH <= 50%\n'), lang="en")["index.md"]
    assert "This collection holds 1 circular on" in one and "1 circulars" not in one


# ---- uncertain facts ----


def test_unconfirmed_dates_are_marked_everywhere(rs: asnrules.RuleSet) -> None:
    id_ = render_documents(rs, lang="id")
    en = render_documents(rs, lang="en")
    assert "- **Tanggal penetapan:** 10 Maret 2026 (belum dipastikan)" in id_["se-uji-3-2026.md"]
    assert "- **Date signed:** 10 March 2026 (not confirmed)" in en["se-uji-3-2026.md"]
    assert "| 10 Maret 2026 (belum dipastikan) |" in id_["index.md"]
    # a supersession from an unconfirmed date: in the relations, the timeline table and the figure
    assert "2 Februari 2026 (belum dipastikan)." in id_["se-lama-1-2025.md"]
    assert "2 February 2026 (not confirmed)." in en["kepmenpanrb-2-2026.md"]
    assert "dicabut mulai 2 Februari 2026; belum dipastikan" in id_["index.md"]
    assert "belum dipastikan" in id_["timeline.svg"] and "not confirmed" in en["timeline.svg"]
    html = render_documents(rs, lang="id", fmt="html")["se-uji-3-2026.html"]
    assert '10 Maret 2026 <span class="uncertain">(belum dipastikan)</span>' in html


def test_issued_by_without_a_date_invents_none(rs: asnrules.RuleSet) -> None:
    doc = render_circular(rs, "SE Uji 4/2026", lang="id")
    assert "- **Ditetapkan oleh:** Menteri PANRB" in doc and "Tanggal penetapan" not in doc
    index = render_documents(rs, lang="id")["index.md"]
    assert re.search(r"\| \[SE Uji 4/2026\]\(se-uji-4-2026\.md\) \| Surat Edaran \| — \| — \|", index)


def test_bundled_se_1_2024_marks_its_signing_date_if_the_file_does() -> None:
    rs = load_bundled()
    circ = rs.model.circular("SE MenPANRB 1/2024")
    doc = render_circular(rs, "SE MenPANRB 1/2024", lang="id")
    if circ.issued_confirmed:
        pytest.skip("rules/se-menpanrb-1-2024.asnr does not mark its signing date `unconfirmed` yet")
    assert "13 April 2024 (belum dipastikan)" in doc


# ---- quotations and the drafter's notes ----


def test_quotes_and_notes_are_labelled_apart(rs: asnrules.RuleSet) -> None:
    for lang, quote, note in (
        ("id", "### Kutipan", "### Catatan perancang"),
        ("en", "### Quotation", "### Drafter's note"),
    ):
        doc = render_circular(rs, "PermenPANRB 9/2026", lang=lang)
        assert quote in doc and note in doc and doc.index(quote) < doc.index(note)
        assert "1. “Pelaksanaan tugas kedinasan secara fleksibel bukan merupakan hak pegawai.”" in doc
        assert "1. PPK menetapkan pegawai yang dapat bekerja secara fleksibel." in doc
    only_note = render_circular(rs, "SE Lama 1/2025", lang="id")
    assert "Catatan perancang" in only_note and "Kutipan" not in only_note
    for lang in ("id", "en"):
        for doc in render_documents(rs, lang=lang).values():
            assert "sebagaimana tertulis" not in doc.lower() and "as written in" not in doc.lower()
    html = render_documents(rs, fmt="html")["permenpanrb-9-2026.html"]
    assert (
        "<blockquote>“Pelaksanaan tugas kedinasan secara fleksibel bukan merupakan hak pegawai.”</blockquote>" in html
    )


# ---- examples judged against their own instrument ----


def test_examples_say_what_they_were_judged_against(rs: asnrules.RuleSet) -> None:
    doc = render_circular(rs, "SE Uji 3/2026", lang="id")
    assert (
        "**Diuji terhadap:** [PermenPANRB 9/2026](permenpanrb-9-2026.md), [SE Uji 3/2026](se-uji-3-2026.md), "
        "[SE Uji 4/2026](se-uji-4-2026.md)"
    ) in doc
    assert "dan naskah yang terkait dengannya" in doc
    # the verdict of another instrument is introduced by its name, never as this one's
    assert "Menurut PermenPANRB 9/2026: paling banyak 30%" in doc
    alone = render_circular(rs, "Inmendagri 1/2027", lang="en")
    assert "**Judged against:** [Inmendagri 1/2027](inmendagri-1-2027.md)" in alone
    assert "under the provisions of this instruction." in alone


def test_an_unrelated_circular_changes_no_example_table() -> None:
    text = (
        "between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%\n"
        "example on 2023-08-30 in DKI: admin WFH 1 -> violation\n"
    )
    other = 'circular "SE Lain"\nnationwide: admin WFH <= 10%\n'
    with tempfile.TemporaryDirectory() as d:
        Path(d, "a.asnr").write_text(text, encoding="utf-8")
        before = render_documents(asnrules.load(d), lang="id")["a.md"]
        Path(d, "b.asnr").write_text(other, encoding="utf-8")
        after = render_documents(asnrules.load(d), lang="id")["a.md"]
    assert "Tidak ada" not in before and before.split("## Contoh Penerapan")[1] == after.split("## Contoh Penerapan")[1]
    assert "SE Lain" not in after.split("## Contoh Penerapan")[1]


# ---- the register of dates ----


@pytest.mark.parametrize(
    ("rule", "lang", "lead"),
    [
        (
            "between 2023-08-28 and 2023-09-07",
            "id",
            "Terhitung mulai tanggal 28 Agustus 2023 sampai dengan 7 September 2023",
        ),
        ("between 2023-08-28 and 2023-09-07", "en", "From 28 August 2023 to 7 September 2023"),
        ("between 2025-03-24 and 2025-03-27", "id", "Terhitung mulai tanggal 24 sampai dengan 27 Maret 2025"),
        ("on 2025-03-24, 2025-03-25, 2025-03-26, 2025-03-27", "id", "Pada tanggal 24–27 Maret 2025"),
        (
            "on 2026-03-16, 2026-03-17, 2026-03-25, 2026-03-26, 2026-03-27",
            "id",
            "Pada tanggal 16–17 dan 25–27 Maret 2026",
        ),
        ("on 2025-03-24, 2025-03-25, 2025-04-08", "en", "On 24–25 March 2025 and 8 April 2025"),
        ("from 2024-05-01", "id", "Terhitung mulai tanggal 1 Mei 2024"),
        ("until 2024-05-01", "id", "Sampai dengan tanggal 1 Mei 2024"),
        ("from 2024-05-01", "en", "From 1 May 2024"),
        ("", "id", "Setiap hari"),
    ],
)
def test_provisions_speak_the_register_of_an_official_text(rule: str, lang: str, lead: str) -> None:
    rs = asnrules.loads(f"{rule} nationwide: admin WFH <= 50%" if rule else "nationwide: admin WFH <= 50%")
    assert wording.when_text(rs.model.rules[0], lang) == lead


@pytest.mark.parametrize(
    ("runs", "lang", "expected"),
    [
        ([(D(2025, 3, 24), D(2025, 3, 27))], "id", "24–27 Maret 2025"),
        ([(D(2026, 3, 16), D(2026, 3, 17))], "id", "16–17 Maret 2026"),
        ([(D(2023, 8, 28), D(2023, 9, 7))], "id", "28 Agustus – 7 September 2023"),
        ([(D(2023, 12, 30), D(2024, 1, 2))], "en", "30 December 2023 – 2 January 2024"),
        ([(D(2026, 3, 25), D(2026, 3, 27)), (D(2026, 3, 16), D(2026, 3, 17))], "id", "16–17 dan 25–27 Maret 2026"),
        ([(D(2024, 4, 16), D(2024, 4, 16)), (D(2024, 4, 17), D(2024, 4, 17))], "en", "16–17 April 2024"),
    ],
)
def test_ranges_are_collapsed(runs: list[tuple[dt.date, dt.date]], lang: str, expected: str) -> None:
    assert wording.runs_text(runs, lang) == expected


def test_se_17_2023_in_the_register_and_without_paths_in_its_body() -> None:
    rs = load_bundled()
    for fmt in ("md", "html"):
        doc = render_circular(rs, "SE MenPANRB 17/2023", lang="id", fmt=fmt)
        assert "mulai tanggal 28 Agustus 2023 sampai dengan 7 September 2023" in doc
        assert "28 Agustus 2023 – 7 September 2023" not in doc
    md = render_circular(rs, "SE MenPANRB 17/2023", lang="id")
    assert ".asnr" not in prose(md) and "admin-wfh" not in prose(md)
    assert "*Sumber: aturan admin-wfh, rules/se-menpanrb-17-2023.asnr baris 19*" in md  # the source note
    html = render_circular(rs, "SE MenPANRB 17/2023", lang="id", fmt="html")
    for m in re.finditer(r"[^\s>\"]*\.asnr", html):
        before = html[: m.start()]
        assert before.rfind('class="source"') > before.rfind("</p>") or before.rfind('class="source"') > before.rfind(
            "</td>"
        ), html[m.start() - 200 : m.end()]


# ---- shares ----


@pytest.mark.parametrize(
    ("share", "bound", "lang", "expected"),
    [
        (Fraction(100, 3), None, "id", "33,3%"),
        (Fraction(200, 3), None, "en", "66.7%"),
        (Fraction(1100, 12), None, "id", "91,7%"),
        (Fraction(125, 2), None, "id", "62,5%"),
        (Fraction(60), None, "en", "60%"),
        (Fraction(5001, 100), Decimal(50), "en", "50.01%"),  # never "50.0%" beside a bound of 50%
        (Fraction(49996, 1000), Decimal(50), "en", "49.996%"),
    ],
)
def test_shares_are_rounded_for_reading(share: Fraction, bound: Decimal | None, lang: str, expected: str) -> None:
    assert wording.percent_text(share, lang, avoid=bound) == expected


def test_exact_shares_stay_in_html_and_json() -> None:
    rs = load_bundled()
    html = render_circular(rs, "SE MenPANRB 17/2023", lang="id", fmt="html")
    assert '<span class="share" title="nilai tepat: 2/3 = 66,666666…%">66,7%</span>' in html
    assert '<span class="share" title="nilai tepat: 11/12 = 91,666666…%">91,7%</span>' in html
    md = render_circular(rs, "SE MenPANRB 17/2023", lang="id")
    assert "2 dari 3 pegawai (66,7%)" in md and "..." not in md
    result = rs.evaluate("2023-09-01", "DKI", {"leadership-support": {"WFH": 2, "WFO": 1}})
    assert {a["share"] for a in result.to_json()["applied"]} - {None} == {"200/3", "100/3"}


# ---- the timeline ----


def texts(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(f"{SVG}text"))


def test_every_instrument_page_has_its_timeline(rs: asnrules.RuleSet) -> None:
    md = render_documents(rs, lang="id")
    html = render_documents(rs, lang="id", fmt="html")
    for circ in rs.model.circulars:
        stem = next(k for k in html if k != "index.html" and circ.name in html[k].split("<h1>")[1].split("</h1>")[0])
        page = html[stem]
        assert page.count("<svg") == 2 and "timeline-wide" in page and "timeline-narrow" in page, stem
        svg = md[f"timeline-{stem.removesuffix('.html')}.svg"]
        assert circ.name in svg
        assert f"timeline-{stem.removesuffix('.html')}.svg" in md[stem.replace(".html", ".md")]


def test_open_ended_periods_continue_and_short_ones_stay_visible(rs: asnrules.RuleSet) -> None:
    svg = timeline_svg(rs.model, lang="en")
    root = ET.fromstring(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("rx")]
    by_row: dict[str, list[float]] = {}
    for b in bars:
        tip = b.find(f"{SVG}title")
        assert tip is not None
        by_row.setdefault((tip.text or "").split(":")[0], []).append(float(b.get("width", "0")))
    assert min(w for ws in by_row.values() for w in ws) >= 6  # a day still shows
    # the two-day rule is not a sliver beside the open-ended regulation
    assert max(by_row["SE Uji 3/2026"]) >= 10
    # the open-ended regulation continues to the right edge (an arrow), through the later window
    arrows = [
        p for p in root.iter(f"{SVG}path") if (t := p.find(f"{SVG}title")) is not None and "continues" in (t.text or "")
    ]
    assert arrows
    assert len(by_row["PermenPANRB 9/2026"]) >= 2  # drawn in each window after its start
    # windows years apart each get a scale of their own: the 2027 instruction's five days are wide
    assert max(by_row["Inmendagri 1/2027"]) >= 40


def test_overrides_supersessions_and_amendments_are_drawn(rs: asnrules.RuleSet) -> None:
    rows = {(r.circular, r.where): r for r in timeline_rows(rs.model, list(rs.model.circulars), "id")}
    reg = rows[("PermenPANRB 9/2026", "seluruh Indonesia")]
    assert {(o.start, o.end) for o in reg.offs} >= {(D(2026, 3, 16), D(2026, 3, 17)), (D(2026, 3, 25), D(2026, 3, 27))}
    assert all("SE Uji 3/2026" in o.why for o in reg.offs)
    old = rows[("SE Lama 1/2025", "seluruh Indonesia")]
    assert old.bars[-1].end == D(2026, 2, 1) and old.offs[0].start == D(2026, 2, 2) and old.offs[0].uncertain
    assert rows[("SE Uji 4/2026", "DKI Jakarta")].note == "mengubah SE Uji 3/2026"
    svg = timeline_svg(rs.model, lang="id")
    assert "dikesampingkan oleh SE Uji 3/2026" in svg and "SE Uji 4/2026: mengubah SE Uji 3/2026" in svg
    assert "stroke-dasharray" in svg  # the connector of the amendment
    assert "tidak berlaku (dicabut atau dikesampingkan)" in svg  # the legend


@pytest.mark.parametrize("width", [800, NARROW])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_label_runs_out_of_the_figure(rs: asnrules.RuleSet, width: int, lang: str) -> None:
    """Estimated as the figure estimates (0.62 em a bold character): every text fits; a text cut
    with … carries its full text as a <title>."""
    for circs in ([*rs.model.circulars], [rs.model.circular("Inmendagri 1/2027")]):
        svg = timeline_svg(rs.model, circs, lang, width=width)
        for t in texts(svg):
            body = "".join(t.itertext())
            title = t.find(f"{SVG}title")
            shown = body[len(title.text or "") :] if title is not None else body
            size = float(t.get("font-size", "12"))
            per = 0.62 if t.get("font-weight") == "bold" else 0.56
            x, anchor = float(t.get("x", "0")), t.get("text-anchor")
            w = len(shown) * size * per
            left = x - (w / 2 if anchor == "middle" else 0)
            assert left >= -0.5 and left + w <= width + 0.5, (shown, left, w, width)
            if shown.endswith("…"):
                assert title is not None and (title.text or "").startswith(shown[:-1].rstrip())


def test_an_override_in_part_is_drawn_on_half_the_bar() -> None:
    old = Path.cwd()
    os.chdir(CASES / "render" / "relations")
    try:
        rs = asnrules.load("input")
    finally:
        os.chdir(old)
    rows = timeline_rows(rs.model, list(rs.model.circulars), "en")
    general = next(r for r in rows if r.circular == "SE Umum 1/2024" and not r.who)
    partial = [o for o in general.offs if o.partial]
    assert partial and all("in part" in o.why for o in partial)
    assert any("DI Yogyakarta" in o.why and o.end == D(2024, 3, 31) for o in partial)
    assert any(not o.partial and "superseded by SE Umum 3/2024" in o.why for o in general.offs)
    svg = timeline_svg(rs.model, lang="en")
    assert "switched off in some of its places or for some agencies only" in svg
