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
        # a rule `on working days` says it binds on working days only (LANGUAGE.md §9)
        (
            "on working days between 2023-08-28 and 2023-09-07",
            "id",
            "Pada hari kerja terhitung mulai tanggal 28 Agustus 2023 sampai dengan 7 September 2023",
        ),
        (
            "on working days between 2023-08-28 and 2023-09-07",
            "en",
            "On working days from 28 August 2023 to 7 September 2023",
        ),
        ("on working days from 2025-04-21", "id", "Pada hari kerja terhitung mulai tanggal 21 April 2025"),
        ("on working days until 2024-05-01", "id", "Pada hari kerja sampai dengan tanggal 1 Mei 2024"),
        ("on working days until 2024-05-01", "en", "On working days until 1 May 2024"),
        ("on working days", "id", "Pada hari kerja"),
        ("on working days", "en", "On working days"),
        # a window counted from a holiday: its dates, how they were counted, the holidays' days
        (
            'on the first 2 working days after "Idul Fitri" 2024',
            "id",
            "Pada tanggal 16–17 April 2024, yaitu dua hari kerja pertama setelah libur Hari Raya Idul Fitri 2024"
            " (6–15 April 2024)",
        ),
        (
            'on the first 2 working days after "Idul Fitri" 2024',
            "en",
            "On 16–17 April 2024, the first two working days after the Eid al-Fitr 2024 holidays (6–15 April 2024)",
        ),
        (
            'on the last 4 working days before "Nyepi" 2025',
            "id",
            "Pada tanggal 24–27 Maret 2025, yaitu empat hari kerja terakhir sebelum libur Hari Suci Nyepi 2025"
            " (28 Maret – 7 April 2025)",
        ),
        (
            'on the first working day after "Lebaran" 2025',
            "en",
            "On 8 April 2025, the first working day after the Eid al-Fitr 2025 holidays (28 March – 7 April 2025)",
        ),
        (
            'on the first 3 working days after "Idul Fitri" 2026',
            "id",
            "Pada tanggal 25–27 Maret 2026, yaitu tiga hari kerja pertama setelah libur Hari Raya Idul Fitri 2026"
            " (18–24 Maret 2026)",
        ),
        (
            'on the first working day after "Idul Fitri" 2027',
            "en",
            "On 16 March 2027, the first working day after the Eid al-Fitr 2027 holidays (6–15 March 2027; the date"
            " of the holiday is an estimate)",
        ),
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


# ---- working days, windows counted from a holiday, narrower relations (LANGUAGE.md §9, §11) ----
#
# The render case tests/cases/render/working-days: SE MenPANRB 1/2024 (two windows after Idul Fitri
# 2024, a holiday declared for Bali), SE Gubernur Bali (overrides rule wfh of it), SE Contoh 5/2025
# (Indonesian keywords: working days from a date, a window before Nyepi, a cancelled cuti bersama)
# and SE Contoh 6/2025 (supersedes rule kantor of it, every working day, an estimated holiday date).

WORKING_DAYS = CASES / "render" / "working-days"


@pytest.fixture(scope="module")
def wd() -> asnrules.RuleSet:
    old = Path.cwd()
    os.chdir(WORKING_DAYS)
    try:
        return asnrules.load("input")
    finally:
        os.chdir(old)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_window_shows_its_dates_and_how_they_were_counted(wd: asnrules.RuleSet, fmt: str) -> None:
    for lang, facts, lead in (
        (
            "id",
            "16–17 April 2024 (dua hari kerja pertama setelah libur Hari Raya Idul Fitri 2024)",
            "Pada tanggal 16–17 April 2024, yaitu dua hari kerja pertama setelah libur Hari Raya Idul Fitri 2024"
            " (6–15 April 2024), di seluruh wilayah Indonesia, bagi seluruh instansi pemerintah:",
        ),
        (
            "en",
            "16–17 April 2024 (the first two working days after the Eid al-Fitr 2024 holidays)",
            "On 16–17 April 2024, the first two working days after the Eid al-Fitr 2024 holidays (6–15 April 2024),"
            " throughout Indonesia, for all government agencies:",
        ),
    ):
        docs = render_documents(wd, lang=lang, fmt=fmt)
        page = docs[f"se-menpanrb-1-2024.{fmt}"]
        assert facts in page and page.count(lead) == 2  # the facts, and each of the two provisions
        assert facts in docs[f"index.{fmt}"]  # the list of circulars and the timeline's table


def test_an_estimated_holiday_date_is_said_to_be_one(wd: asnrules.RuleSet) -> None:
    id_ = render_documents(wd, lang="id")
    en = render_documents(wd, lang="en")
    assert "(6–15 Maret 2027; tanggal hari libur tersebut masih perkiraan)" in id_["se-contoh-6-2025.md"]
    assert "(6–15 March 2027; the date of the holiday is an estimate)" in en["se-contoh-6-2025.md"]
    assert (
        "16 Maret 2027 (hari kerja pertama setelah libur Hari Raya Idul Fitri 2027; tanggal libur perkiraan)"
        in id_["index.md"]
    )
    assert (
        "16 March 2027 (the first working day after the Eid al-Fitr 2027 holidays; estimated holiday date)"
        in (en["index.md"])
    )


def test_a_working_day_rule_says_it_binds_on_working_days_only(wd: asnrules.RuleSet) -> None:
    id_ = render_documents(wd, lang="id")
    en = render_documents(wd, lang="en")
    assert "Pada hari kerja terhitung mulai tanggal 21 April 2025, di Provinsi Bali" in id_["se-contoh-5-2025.md"]
    assert "On working days from 21 April 2025, in the province of Bali" in en["se-contoh-5-2025.md"]
    assert "Pada hari kerja, di Provinsi Bali, bagi seluruh instansi pemerintah:" in id_["se-contoh-6-2025.md"]
    assert "On working days, in the province of Bali, for all government agencies:" in en["se-contoh-6-2025.md"]
    # compact: the facts, the index, the timeline; in the order of time
    assert (
        "24–27 Maret 2025 (empat hari kerja terakhir sebelum libur Hari Suci Nyepi 2025); mulai 21 April 2025"
        " (hanya pada hari kerja)" in id_["se-contoh-5-2025.md"]
    )
    assert "from 21 April 2025 (working days only; superseded from 2 June 2025)" in en["index.md"]
    assert "setiap hari kerja" in id_["index.md"] and "every working day" in en["index.md"]
    # an example on a Saturday says why no provision applies
    assert (
        "Tanggal 26 April 2025 bukan hari kerja di Bali (Sabtu), sehingga ketentuan yang hanya berlaku pada hari"
        " kerja tidak diterapkan." in id_["se-contoh-5-2025.md"]
    )
    assert "7 June 2025 is not a working day in Bali (Saturday)" in en["se-contoh-6-2025.md"]


def test_narrower_overrides_and_supersessions_are_relations(wd: asnrules.RuleSet) -> None:
    id_ = render_documents(wd, lang="id")
    en = render_documents(wd, lang="en")
    general, bali = "se-menpanrb-1-2024.md", "se-gubernur-bali.md"
    assert (
        "- Surat edaran ini mengesampingkan aturan wfh dari [SE MenPANRB 1/2024](se-menpanrb-1-2024.md)"
        " (Ketentuan 1) pada hari, di wilayah, dan bagi instansi tempat ketentuan surat edaran ini berlaku."
    ) in id_[bali]
    assert "- This circular overrides rule wfh of [SE MenPANRB 1/2024](se-menpanrb-1-2024.md) (Provision 1)" in en[bali]
    assert (
        "- Aturan wfh dikesampingkan oleh [SE Gubernur Bali](se-gubernur-bali.md) pada hari, di wilayah, dan bagi"
        " instansi tempat ketentuan naskah tersebut berlaku (Ketentuan 1 surat edaran ini)."
    ) in id_[general]
    assert "- Rule wfh is overridden by [SE Gubernur Bali](se-gubernur-bali.md) on the days" in en[general]
    # under the provision itself, and only under that one
    provisions = id_[general].split("### Ketentuan ")
    assert "Ketentuan ini dikesampingkan oleh [SE Gubernur Bali](se-gubernur-bali.md)" in provisions[1]
    assert "dikesampingkan" not in provisions[2].split("## ")[0]
    assert "This provision is overridden by [SE Gubernur Bali](se-gubernur-bali.md)" in en[general]
    # supersedes rule L of N, from the superseder's date
    assert (
        "- Surat edaran ini mencabut aturan kantor dari [SE Contoh 5/2025](se-contoh-5-2025.md) (Ketentuan 1)"
        " mulai 2 Juni 2025." in id_["se-contoh-6-2025.md"]
    )
    assert (
        "- This circular supersedes rule kantor of [SE Contoh 5/2025](se-contoh-5-2025.md) (Provision 1)"
        " from 2 June 2025." in (en["se-contoh-6-2025.md"])
    )
    assert (
        "- Aturan kantor dicabut oleh [SE Contoh 6/2025](se-contoh-6-2025.md) mulai 2 Juni 2025 (Ketentuan 1"
        in (id_["se-contoh-5-2025.md"])
    )
    assert (
        "Ketentuan ini dicabut oleh [SE Contoh 6/2025](se-contoh-6-2025.md) mulai 2 Juni 2025."
        in (id_["se-contoh-5-2025.md"])
    )
    html = render_documents(wd, lang="en", fmt="html")[bali.replace(".md", ".html")]
    assert (
        'This circular overrides rule wfh of <a href="se-menpanrb-1-2024.html">SE MenPANRB 1/2024</a> (Provision 1)'
        in html
    )


def test_narrower_relations_are_drawn_in_the_timeline(wd: asnrules.RuleSet) -> None:
    for lang, note, why, superseded in (
        (
            "id",
            "mengesampingkan aturan wfh dari SE MenPANRB 1/2024",
            "aturan wfh dikesampingkan oleh SE Gubernur Bali sebagian (Bali)",
            "mulai 21 April 2025 (hanya pada hari kerja; dicabut mulai 2 Juni 2025)",
        ),
        (
            "en",
            "overrides rule wfh of SE MenPANRB 1/2024",
            "rule wfh overridden by SE Gubernur Bali in part (Bali)",
            "from 21 April 2025 (working days only; superseded from 2 June 2025)",
        ),
    ):
        rows = timeline_rows(wd.model, list(wd.model.circulars), lang)
        bali = next(r for r in rows if r.circular == "SE Gubernur Bali")
        assert bali.note == note
        general = next(r for r in rows if r.circular == "SE MenPANRB 1/2024")
        offs = [o for o in general.offs if o.why.startswith(why)]
        assert offs and all(o.partial for o in offs)  # one rule of two, in Bali only: half the bar
        assert (offs[0].start, offs[-1].end) == (D(2024, 4, 16), D(2024, 4, 17))
        kantor = next(r for r in rows if r.circular == "SE Contoh 5/2025" and r.where == "Bali")
        assert kantor.when == superseded
        assert kantor.bars[-1].end == D(2025, 6, 1) and not kantor.bars[-1].open_end  # the only rule: cut off
        svg = timeline_svg(wd.model, lang=lang)
        assert note in svg and why in svg


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_declared_holidays_and_working_days_are_on_the_index(wd: asnrules.RuleSet, fmt: str) -> None:
    id_ = render_documents(wd, lang="id", fmt=fmt)["index." + fmt]
    en = render_documents(wd, lang="en", fmt=fmt)["index." + fmt]
    assert "Hari Libur dan Hari Kerja yang Ditetapkan" in id_ and "Holidays and Working Days Declared" in en
    assert "Hari libur yang ditetapkan dalam kumpulan aturan ini" in id_
    assert "Holidays declared in this collection" in en
    if fmt == "md":
        assert "| 20 Mei 2024 | Libur daerah | Bali |" in id_ and "| 20 May 2024 | Libur daerah | Bali |" in en
        assert "| 26 Desember 2025 | Cuti bersama Natal dibatalkan | seluruh Indonesia |" in id_
        assert "| 26 December 2025 | Cuti bersama Natal dibatalkan | nationwide |" in en
    else:
        assert '<td data-label="Tanggal">20 Mei 2024</td>' in id_
    plain = render_documents(load_instruments(), lang="id", fmt=fmt)["index." + fmt]
    assert "Ditetapkan</h2>" not in plain and "## Hari Libur" not in plain  # a set that declares none


def test_explanations_give_the_window_of_a_working_day_rule(wd: asnrules.RuleSet) -> None:
    r = wd.evaluate("2024-04-16", "DKI", {"admin": {"WFH": 6, "WFO": 4}})
    en, id_ = r.explain("en"), r.explain("id")
    assert "SE MenPANRB 1/2024, rule wfh, input/a-se-menpanrb-1-2024.asnr:6:" in en
    assert "(16–17 April 2024, the first 2 working days after Eid al-Fitr 2024): at most 50%" in en
    assert "(16–17 April 2024, 2 hari kerja pertama setelah Hari Raya Idul Fitri 2024): paling banyak 50%" in id_
    r = wd.evaluate("2025-04-28", "Bali", {"admin": {"WFH": 6, "WFO": 4}})
    assert "(on working days from 21 April 2025): at least 50%" in r.explain("en")
    assert "(pada hari kerja mulai 21 April 2025): paling sedikit 50%" in r.explain("id")
    estimated = wd.evaluate("2027-03-16", "DKI", {"admin": {"WFH": 1, "WFO": 9}}).explain("en")
    assert "(16 March 2027, the first working day after Eid al-Fitr 2027; estimated holiday date)" in estimated


def test_explanations_name_the_rules_switched_off_by_name(wd: asnrules.RuleSet) -> None:
    r = wd.evaluate("2024-04-16", "Bali", {"admin": {"WFH": 6, "WFO": 4}})
    assert r.outcome == "compliant"  # 60% at home: SE Gubernur Bali's 70%, not the 50% of rule wfh
    assert "- SE MenPANRB 1/2024, rule wfh: does not apply here, overridden by SE Gubernur Bali." in r.explain("en")
    assert "- SE MenPANRB 1/2024, aturan wfh: tidak berlaku di sini, dikesampingkan oleh SE Gubernur Bali." in (
        r.explain("id")
    )
    assert "overridden" not in wd.evaluate("2024-04-16", "DKI", {"admin": {"WFO": 1}}).explain("en")
    later = wd.evaluate("2025-06-03", "Bali", {"admin": {"WFH": 6, "WFO": 4}}).explain("en")
    assert "- SE Contoh 5/2025, rule kantor: no longer applies, superseded by SE Contoh 6/2025 from 2 June 2025." in (
        later
    )


def test_explanations_say_when_the_day_is_not_a_working_day(wd: asnrules.RuleSet) -> None:
    saturday = wd.evaluate("2025-04-26", "Bali", {"admin": {"WFH": 9, "WFO": 1}})
    assert saturday.outcome == "uncovered"
    assert saturday.explain("en").splitlines() == [
        "Outcome: uncovered. On 26 April 2025 in Bali, no rule applies.",
        "Note: 26 April 2025 is not a working day in Bali (Saturday), so the provisions that bind on working days"
        " only do not apply.",
    ]
    assert "Catatan: 26 April 2025 bukan hari kerja di Bali (Sabtu)" in saturday.explain("id")
    declared = wd.evaluate("2024-05-20", "Bali", {"frontline": {"WFH": 9, "WFO": 1}}).explain("en")
    assert "Note: 20 May 2024 is not a working day in Bali (Libur daerah)" in declared
    # the same day elsewhere is a working day; a day no working-day rule speaks of gets no note
    assert "Note:" not in wd.evaluate("2024-05-20", "DKI", {"frontline": {"WFO": 1}}).explain("en")
    assert "Note:" not in wd.evaluate("2024-04-14", "DKI", {"admin": {"WFO": 1}}).explain("en")


def test_lint_verbose_lists_the_resolved_windows_and_the_declarations() -> None:
    from click.testing import CliRunner

    from asnrules.cli import cli

    old = Path.cwd()
    os.chdir(WORKING_DAYS)
    try:
        en = CliRunner().invoke(cli, ["lint", "-v", "input", "--lang", "en"])
        id_ = CliRunner().invoke(cli, ["lint", "-v", "input", "--lang", "id"])
        quiet = CliRunner().invoke(cli, ["lint", "input", "--lang", "en"])
    finally:
        os.chdir(old)
    assert en.exit_code == 0, en.output
    lines = en.output.splitlines()
    assert (
        'SE MenPANRB 1/2024, rule wfh: the first 2 working days after "Idul Fitri" 2024 = 2024-04-16, 2024-04-17'
        " (block 2024-04-06 to 2024-04-15)" in lines
    )
    assert (
        'SE Contoh 5/2025, rule nyepi: the last 4 working days before "Nyepi" 2025 = 2025-03-24, 2025-03-25,'
        " 2025-03-26, 2025-03-27 (block 2025-03-28 to 2025-04-07)" in lines
    )
    assert (
        'SE Contoh 6/2025, rule lebaran: the first working day after "Idul Fitri" 2027 = 2027-03-16'
        " (block 2027-03-06 to 2027-03-15; Eid al-Fitr 2027 is an estimated date)" in lines
    )
    assert 'holiday 2024-05-20 "Libur daerah" in Bali' in lines
    assert 'working day 2025-12-26 "Cuti bersama Natal dibatalkan"' in lines
    assert lines[-1] == "1 warning in 4 files"  # the summary stays last
    assert (
        'SE MenPANRB 1/2024, aturan wfh: 2 hari kerja pertama setelah "Idul Fitri" 2024 = 2024-04-16, 2024-04-17'
        " (rangkaian libur 2024-04-06 sampai 2024-04-15)" in id_.output.splitlines()
    )
    assert 'libur 2024-05-20 "Libur daerah" di Bali' in id_.output.splitlines()
    assert "2024-04-16, 2024-04-17" not in quiet.output  # without -v: problems and the summary only


# ---- each employee over windows (LANGUAGE.md §12; issue 12) ----

EMPLOYEE = CASES / "render" / "employee"
BKN = (
    'surat edaran "Skema BKN"\n'
    "  ditetapkan 2025-04-21\n"
    'aturan fwa pada hari kerja mulai 2025-04-21 untuk "BKN": setiap pegawai WFA paling banyak 2 hari per minggu\n'
    'aturan kantor pada hari kerja mulai 2025-04-21 untuk "BKN": setiap pegawai dalam admin WFO paling sedikit 3'
    " hari per minggu\n"
    "aturan jam pada hari kerja mulai 2025-04-21: setiap pegawai bekerja paling sedikit 37,5 jam per minggu\n"
    "aturan lembur mulai 2025-01-01: setiap pegawai lembur paling banyak 14 jam per minggu\n"
    "aturan cuti mulai 2025-01-01: setiap pegawai CUTI paling sedikit 6 hari per tahun\n"
)


@pytest.fixture(scope="module")
def emp() -> asnrules.RuleSet:
    old = Path.cwd()
    os.chdir(EMPLOYEE)
    try:
        return asnrules.load("input")
    finally:
        os.chdir(old)


@pytest.mark.parametrize(
    ("label", "lang", "expected"),
    [
        (
            "fwa",
            "id",
            "setiap pegawai paling banyak 2 (dua) hari kerja dalam satu minggu melaksanakan tugas kedinasan secara"
            " fleksibel (WFA)",
        ),
        ("fwa", "en", "each employee may work from anywhere (WFA) on at most 2 (two) working days a week"),
        (
            "kantor",
            "id",
            "setiap pegawai pada kategori layanan administrasi pemerintahan dan dukungan pimpinan paling sedikit 3"
            " (tiga) hari kerja dalam satu minggu melaksanakan tugas kedinasan di kantor (WFO)",
        ),
        (
            "kantor",
            "en",
            "each employee of the government administration and leadership support services staff must work from"
            " the office (WFO) on at least 3 (three) working days a week",
        ),
        ("jam", "id", "setiap pegawai bekerja paling sedikit 37,5 (tiga puluh tujuh koma lima) jam dalam satu minggu"),
        ("jam", "en", "each employee must work at least 37.5 (thirty-seven point five) hours a week"),
        ("lembur", "id", "jam lembur setiap pegawai paling banyak 14 (empat belas) jam dalam satu minggu"),
        ("lembur", "en", "each employee may work at most 14 (fourteen) hours of overtime a week"),
        ("cuti", "id", "setiap pegawai menggunakan cuti paling sedikit 6 (enam) hari dalam satu tahun"),
        ("cuti", "en", "each employee must take at least 6 (six) days of leave a year"),
    ],
)
def test_employee_rules_in_legal_wording(label: str, lang: str, expected: str) -> None:
    """Issue 12, item 5: each employee rule in the wording of a provision, from the one wording
    module; ``hari kerja`` / ``working days`` only for a rule on working days."""
    rs = asnrules.loads(BKN)
    rule = next(r for r in rs.model.rules if r.label == label)
    (c,) = rule.employee
    assert wording.employee_sentence(rs.model, c, lang, working_days=rule.working_days) == expected
    docs = render_documents(rs, lang=lang)
    assert f"- {expected}." in docs["skema-bkn.md"]  # the provision's item in the document


@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        (Decimal("2"), "id", "2 (dua)"),
        (Decimal("14"), "id", "14 (empat belas)"),
        (Decimal("37.5"), "id", "37,5 (tiga puluh tujuh koma lima)"),
        (Decimal("37.5"), "en", "37.5 (thirty-seven point five)"),
        (Decimal("105"), "en", "105 (one hundred and five)"),
        (Decimal("1240"), "id", "1240 (seribu dua ratus empat puluh)"),
        (Decimal("21"), "en", "21 (twenty-one)"),
        (Fraction(225, 14), "id", "≈ 16,07"),
    ],
)
def test_amounts_are_written_as_a_provision_writes_them(amount: Decimal | Fraction, lang: str, expected: str) -> None:
    assert wording.legal_amount(amount, lang) == expected


def test_employee_rules_and_examples_in_the_documents(emp: asnrules.RuleSet) -> None:
    id_ = render_documents(emp, lang="id")
    en = render_documents(emp, lang="en")
    page, page_en = prose(id_["se-bkn-7-2025.md"]), prose(en["se-bkn-7-2025.md"])
    # group and employee constraints side by side, each provision with its lead
    assert "Pada hari kerja terhitung mulai tanggal 21 April 2025, di seluruh wilayah Indonesia, bagi BKN:" in page
    assert "- paling banyak 50% pegawai layanan administrasi pemerintahan dan dukungan pimpinan bekerja dari" in page
    other = prose(id_["se-bkn-8-2025.md"])
    assert "setiap pegawai pada kategori kesehatan paling banyak 4 (empat) hari dalam satu bulan melaksanakan" in other
    assert "setiap pegawai bekerja paling banyak 12 (dua belas) jam dalam satu hari." in other
    # the categories named by employee rules; `each employee` names none
    assert "- **kesehatan** (`health`)" in id_["se-bkn-8-2025.md"]
    assert "**seluruh pegawai** (`all`)" not in id_["se-bkn-8-2025.md"]
    # the examples: units, then employees with their days, the outcome and why
    assert "### Setiap Pegawai" in page and "### Each Employee" in page_en
    assert "BKN — Senin–Rabu, 5–7 Mei 2025: WFA 8 jam; Kamis–Jumat, 8–9 Mei 2025: WFO 8 jam | **pelanggaran** |" in page
    assert "Monday–Wednesday, 5–7 May 2025: WFA, 8 hours; Thursday–Friday, 8–9 May 2025: WFO, 8 hours" in page_en
    assert (
        "Ketentuan 1: pada minggu 5–11 Mei 2025 pegawai ini 3 hari WFA; paling banyak 2 hari: dilanggar."
        " Ketentuan 2: pada minggu 5–11 Mei 2025 pegawai ini 2 hari WFO; paling sedikit 3 hari: dilanggar." in page
    )
    assert "Provision 1: in the week 5–11 May 2025 this employee worked 3 days in WFA; at most 2 days: violated." in (
        page_en
    )
    # a holiday among the days is named; a lowered bound says why
    assert "Senin, 12 Mei 2025 (Hari Raya Waisak): tanpa catatan" in page
    assert "Monday, 12 May 2025 (Vesak Day): no record" in page_en
    assert (
        "paling sedikit 37,5 jam, diturunkan secara proporsional menjadi paling sedikit 22,5 jam karena hanya 3 dari 5"
        " hari yang mungkin dapat dihitung: terpenuhi" in page
    )
    assert (
        "at least 3 days, lowered to at least 2 days as only 2 of its days could count (days on leave and days"
        " without a record do not): violated" in page_en
    )
    html = render_documents(emp, lang="id", fmt="html")["se-bkn-7-2025.html"]
    assert '<table class="stack examples employee-examples">' in html
    assert "<li>Senin–Rabu, 19–21 Mei 2025: cuti</li>" in html


def test_an_employee_example_shows_its_evaluated_outcome_when_it_differs() -> None:
    text = BKN + 'contoh "salah" pegawai admin di DKI untuk "BKN" mulai 2025-05-05: WFA, WFA, WFA, WFO, WFO -> patuh\n'
    rs = asnrules.loads(text)
    assert "| **patuh** (hasil evaluasi: pelanggaran) |" in render_documents(rs, lang="id")["skema-bkn.md"]
    assert "| **compliant** (evaluated: violation) |" in render_documents(rs, lang="en")["skema-bkn.md"]


def test_an_employee_explanation_of_a_violating_week() -> None:
    """The issue's example: the week of 1 May 2025 (Labour Day), three days WFA."""
    rs = asnrules.loads(BKN)
    records = [("2025-04-28", "WFA"), ("2025-04-29", "WFA"), ("2025-04-30", "WFA"), ("2025-05-02", "WFO")]
    result = rs.check_employee(records, "DKI", "admin", agency="BKN")
    assert result.outcome == "violation"
    id_, en = result.explain("id"), result.explain("en")
    assert id_.startswith("Hasil: pelanggaran. ")
    assert "Pada minggu 28 April – 4 Mei 2025 pegawai ini 3 hari WFA; paling banyak 2 hari: dilanggar." in id_
    assert "aturan fwa" in id_ and "rule fwa" in en
    assert en.startswith("Outcome: violation. ")
    assert "In the week 28 April – 4 May 2025 this employee worked 3 days in WFA; at most 2 days: violated." in en
    # the WFO bound: 4 working days recorded outside leave, so 3 are asked and 1 is had
    assert "pegawai ini 1 hari WFO; paling sedikit 3 hari: dilanggar" in id_
    assert "this employee worked 1 day in WFO; at least 3 days: violated" in en
    # hours: none recorded, so the bound is lowered to nothing
    assert (
        "this employee worked 0 hours; at least 37.5 hours, lowered to at least 0 hours as none of its days could"
        " count (days on leave and days without a record do not): met" in en
    )
    # the one clause of `asnrules test`
    why = wording.employee_why(result, "id")
    assert "pada minggu 28 April – 4 Mei 2025 pegawai ini 3 hari WFA; paling banyak 2 hari: dilanggar (" in why
    assert why.startswith("pada minggu 28 April")  # the leave minimum, asked pro rata, is met


def test_an_employee_explanation_of_a_window_partly_in_scope() -> None:
    """A week cut by the rule's end: the upper bound counts its days in scope; the lower one is not
    judged there, and the explanation says so rather than calling it met."""
    rs = asnrules.loads(
        "rule a on working days between 2025-05-01 and 2025-05-07: each employee WFA at most 1 days per week\n"
        "rule b on working days between 2025-05-01 and 2025-05-07: each employee WFO at least 3 days per week\n"
    )
    records = [(f"2025-05-0{d}", "WFA") for d in (5, 6, 7, 8, 9)]
    result = rs.check_employee(records, "DKI", "admin")
    en, id_ = result.explain("en"), result.explain("id")
    assert (
        "In the week 5–11 May 2025 this employee worked 3 days in WFA; at most 1 day: violated (this week is only"
        " partly in the rule's scope: only its days in scope count)." in en
    )
    assert "minggu ini hanya sebagian dalam cakupan aturan: hanya hari dalam cakupan yang dihitung" in id_
    assert (
        "this employee worked 0 days in WFO; at least 3 days: not judged, as this week is only partly in the"
        " rule's scope (a lower bound is judged only on a week wholly in scope)." in en
    )
    assert "paling sedikit 3 hari: tidak dinilai, karena minggu ini hanya sebagian dalam cakupan aturan" in id_
