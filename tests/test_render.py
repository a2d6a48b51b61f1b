"""Policy documents (asnrules.render): golden documents, the acceptance facts, freshness of
docs/circulars/, escaping of hostile text, HTML5 structure, the timeline figure, and one wording
source shared with Result.explain.

Golden files: tests/cases/render/<case>/input/*.asnr → expected/<lang>-<fmt>/*. Re-create them with
``ASNRULES_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render.py`` and review with ``git diff``.
"""

from __future__ import annotations

import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

import asnrules
from asnrules import wording
from asnrules.cli import cli
from asnrules.figure import timeline_svg
from asnrules.render import _environment, md_escape, render_circular, render_documents, slug
from conftest import CASES, ROOT, SHARED

RENDER_CASES = CASES / "render"
DOCS = ROOT / "docs" / "circulars"
UPDATE = os.environ.get("ASNRULES_UPDATE_GOLDEN") == "1"


@contextmanager
def cwd(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def load_case(case: str) -> asnrules.RuleSet:
    """A case's rule files, loaded from inside its folder so citations read ``input/x.asnr``."""
    with cwd(RENDER_CASES / case):
        return asnrules.load("input")


def load_bundled() -> asnrules.RuleSet:
    """rules/ as `make demo` loads it (citations read ``rules/x.asnr``)."""
    with cwd(ROOT):
        return asnrules.load("rules/")


def collapse(text: str) -> str:
    return " ".join(text.split())


# ---- golden documents ----

CASE_NAMES = sorted(p.name for p in RENDER_CASES.iterdir() if (p / "input").is_dir())


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("case", CASE_NAMES)
def test_golden_documents(case: str, lang: str, fmt: str) -> None:
    docs = render_documents(load_case(case), lang=lang, fmt=fmt)
    expected_dir = RENDER_CASES / case / "expected" / f"{lang}-{fmt}"
    if UPDATE:
        expected_dir.mkdir(parents=True, exist_ok=True)
        for old in expected_dir.iterdir():
            old.unlink()
        for name, text in docs.items():
            (expected_dir / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(expected_dir.iterdir())}
    assert sorted(docs) == sorted(expected), "documents added or missing (ASNRULES_UPDATE_GOLDEN=1 to accept)"
    for name, text in docs.items():
        assert text == expected[name], f"{case}/{lang}-{fmt}/{name} differs (ASNRULES_UPDATE_GOLDEN=1 to accept)"
    assert render_documents(load_case(case), lang=lang, fmt=fmt) == docs  # deterministic


# ---- docs/circulars/ is the rendering of rules/ ----


def bundled_rule_files() -> list[Path]:
    return sorted((ROOT / "rules").rglob("*.asnr")) if (ROOT / "rules").is_dir() else []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_docs_circulars_are_fresh(lang: str, tmp_path: Path) -> None:
    if not bundled_rule_files():
        pytest.skip("rules/ holds no rule files yet")
    with cwd(ROOT):  # exactly what `make demo` runs
        result = CliRunner().invoke(cli, ["render", "rules/", "--lang", lang, "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    target = DOCS / lang
    stored = {p.name: p.read_text(encoding="utf-8") for p in target.iterdir()} if target.is_dir() else {}
    hint = (
        f"docs/circulars/{lang} is stale: run `make demo` "
        f"(or asnrules render rules/ --lang {lang} -o docs/circulars/{lang})"
    )
    assert sorted(stored) == sorted(fresh), hint
    for name in fresh:
        assert stored[name] == fresh[name], f"{hint}: {name} differs"


# ---- the acceptance facts ----


def test_se_17_2023_in_indonesian() -> None:
    rs = load_bundled()
    doc = render_circular(rs, "SE MenPANRB 17/2023", lang="id")
    assert "mulai tanggal 28 Agustus 2023 sampai dengan 7 September 2023" in doc
    assert "28 Agustus – 7 September 2023" in doc  # the facts, compact
    assert "Provinsi DKI Jakarta" in doc
    assert "16 Agustus 2023" in doc and "Menteri PANRB" in doc and "Perpres 21/2023" in doc
    assert (
        "paling banyak 50% pegawai layanan administrasi pemerintahan dan dukungan pimpinan bekerja dari rumah (WFH)"
    ) in doc
    assert "seluruh pegawai (100%) layanan langsung kepada masyarakat bekerja dari kantor (WFO)" in doc
    assert "## Kewajiban dan Arahan" in doc
    circ = rs.model.circular("SE MenPANRB 17/2023")
    quotes = [n.text for n in circ.notes if n.verbatim]
    notes = [n.text for n in circ.notes if not n.verbatim]
    assert len(quotes) + len(notes) >= 1
    for i, note in enumerate(notes, 1):
        assert f"\n{i}. {md_escape(note)}\n" in doc
    for i, quote in enumerate(quotes, 1):
        assert f"\n{i}. “{md_escape(quote)}”\n" in doc
    assert ("### Catatan perancang" in doc) == bool(notes) and ("### Kutipan" in doc) == bool(quotes)
    assert "*Sumber: aturan admin-wfh, rules/se-menpanrb-17-2023.asnr baris" in doc
    assert "| patuh |" not in doc and "**pelanggaran**" in doc  # examples table with outcomes


def test_se_17_2023_in_english() -> None:
    rs = load_bundled()
    doc = render_circular(rs, "SE MenPANRB 17/2023", lang="en")
    assert "From 28 August 2023 to 7 September 2023" in doc
    assert "the province of DKI Jakarta" in doc and "16 August 2023" in doc
    assert (
        "at most 50% of the government administration and leadership support services staff may work from home (WFH)"
    ) in doc
    assert "all (100%) of the direct public services staff must work from the office (WFO)" in doc
    assert "## Obligations and Directions" in doc
    notes = [n for n in rs.model.circular("SE MenPANRB 17/2023").notes if not n.verbatim]
    for i, note in enumerate(notes, 1):
        assert f"\n{i}. {md_escape(note.text)}\n" in doc
    assert "rules/se-menpanrb-17-2023.asnr line" in doc


def test_first_file_example_of_the_issue() -> None:
    rs = asnrules.load(SHARED / "examples" / "first-file.asnr")
    html = render_documents(rs, fmt="html")
    page = html["se-menpanrb-17-2023.html"]
    assert '<html lang="id">' in page
    assert "seluruh pegawai (100%) layanan langsung kepada masyarakat bekerja dari kantor (WFO)" in page
    assert set(html) == {"index.html", "se-menpanrb-17-2023.html"}
    assert set(render_documents(rs, lang="en")) == {
        "index.md",
        "timeline.svg",
        "se-menpanrb-17-2023.md",
        "timeline-se-menpanrb-17-2023.svg",
    }


# ---- one wording source ----


def test_explanation_and_document_say_the_same() -> None:
    rs = load_bundled()
    result = rs.evaluate("2023-08-30", "DKI", {"admin": {"WFH": 6, "WFO": 4}, "health": {"WFO": 3}})
    for lang in ("id", "en"):
        doc = render_circular(rs, "SE MenPANRB 17/2023", lang=lang)
        explanation = result.explain(lang=lang)
        for a in result.applied:
            sentence = wording.constraint_sentence(rs.model, rs.model.constraints[a.cid], lang)
            assert sentence in explanation
            assert md_escape(sentence) in doc
        reason = wording.outcome_reason(result, lang)
        assert md_escape(reason) in doc  # the worked example on 30 August with 6 of 10 at home


def test_explain_still_useful() -> None:
    rs = asnrules.loads("between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%", name="x.asnr")
    r = rs.evaluate("2023-08-30", "DKI", {"admin": {"WFH": 2, "WFO": 1}})
    en = r.explain("en")
    assert en.splitlines()[0] == "Outcome: violation. On 30 August 2023 in DKI Jakarta, 1 constraint applies."
    assert "x.asnr:1:43" in en and "2 of 3 staff (66.7%)" in en and "violated" in en
    assert "2 dari 3 pegawai (66,7%)" in r.explain("id")
    assert "tidak ada ketentuan" in rs.evaluate("2024-01-01", "DKI", {"admin": {"WFH": 1}}).explain("id")


def test_wording_tables_match() -> None:
    assert set(wording.doc_words("id")) == set(wording.doc_words("en"))
    assert wording.doc_words("id")["rules"] == "Ketentuan" and wording.doc_words("en")["rules"] == "Provisions"
    with pytest.raises(ValueError):
        wording.doc_words("fr")


@pytest.mark.parametrize(
    ("rule", "lang", "expected"),
    [
        ("nationwide: all WFO = 100%", "id", "seluruh pegawai (100%) bekerja dari kantor (WFO)"),
        ("nationwide: all WFO = 100%", "en", "all staff (100%) must work from the office (WFO)"),
        ("nationwide: all WFH = 50%", "id", "tepat 50% dari seluruh pegawai bekerja dari rumah (WFH)"),
        (
            "nationwide: admin WFA = 0%",
            "id",
            "tidak seorang pun (0%) pegawai layanan administrasi pemerintahan dan "
            "dukungan pimpinan bekerja dari mana saja (WFA)",
        ),
        ("nationwide: health WFH < 33,5%", "id", "kurang dari 33,5% pegawai kesehatan bekerja dari rumah (WFH)"),
        ("nationwide: health WFH < 33.5%", "en", "less than 33.5% of the health staff may work from home (WFH)"),
        ("nationwide: health WFO >= 75%", "en", "at least 75% of the health staff must work from the office (WFO)"),
    ],
)
def test_constraint_wording(rule: str, lang: str, expected: str) -> None:
    rs = asnrules.loads(rule)
    assert wording.constraint_sentence(rs.model, rs.model.constraints[0], lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            'on 2024-04-16, 2024-04-17 in DKI, Bali for central, "BKN": admin WFH <= 50%',
            "id",
            "Pada tanggal 16–17 April 2024, di Provinsi DKI Jakarta dan Bali, bagi instansi pemerintah pusat dan BKN:",
        ),
        (
            "from 2024-01-01: admin WFH <= 50%",
            "en",
            "From 1 January 2024, throughout Indonesia, for all government agencies:",
        ),
        (
            "until 2024-01-01 in Jabar: admin WFH <= 50%",
            "id",
            "Sampai dengan tanggal 1 Januari 2024, di Provinsi Jawa Barat, bagi seluruh instansi pemerintah:",
        ),
        (
            'region jabo "Jabodetabek" = DKI, Jabar, Banten\nin jabo for regional: admin WFH <= 50%',
            "en",
            "Every day, in the Jabodetabek region (DKI Jakarta, Jawa Barat and Banten), for regional government "
            "agencies:",
        ),
    ],
)
def test_rule_lead(text: str, lang: str, expected: str) -> None:
    rs = asnrules.loads(text)
    assert wording.rule_lead(rs.model, rs.model.rules[0], lang) == expected


# ---- names, templates, CLI ----


def test_slugs_are_stable_and_unique() -> None:
    assert slug("SE MenPANRB 17/2023") == "se-menpanrb-17-2023"
    assert slug("SE Kemendagri 440/2420/SJ") == "se-kemendagri-440-2420-sj"
    assert slug("Édaran <x>") == "edaran-x" and slug("///") == "circular"
    with tempfile.TemporaryDirectory() as d:
        for i, name in enumerate(["SE 1/2", "SE 1-2", "index"]):
            Path(d, f"{i}.asnr").write_text(f'circular "{name}"\nnationwide: admin WFH <= 50%\n', encoding="utf-8")
        names = set(render_documents(asnrules.load(d)))
    assert names == {
        "index.md",
        "timeline.svg",
        "se-1-2.md",
        "se-1-2-2.md",
        "index-2.md",
        "timeline-se-1-2.svg",
        "timeline-se-1-2-2.svg",
        "timeline-index-2.svg",
    }


def test_templates_ship_in_the_package_and_are_strict() -> None:
    files = {p.name for p in resources.files("asnrules").joinpath("templates").iterdir()}
    assert {"circular.md.j2", "circular.html.j2", "index.md.j2", "index.html.j2", "base.html.j2", "style.css"} <= files
    for fmt in ("md", "html"):
        with pytest.raises(jinja2.UndefinedError):
            _environment(fmt).from_string("{{ missing }}").render()
        with pytest.raises(jinja2.UndefinedError):
            _environment(fmt).from_string("{{ t.missing }}").render(t={})
    assert _environment("html").autoescape is True


def test_bad_arguments() -> None:
    rs = asnrules.loads("nationwide: admin WFH <= 50%")
    with pytest.raises(ValueError):
        render_documents(rs, lang="fr")
    with pytest.raises(ValueError):
        render_documents(rs, fmt="pdf")


def test_cli_render_defaults_to_indonesian_markdown(tmp_path: Path) -> None:
    src = tmp_path / "card.asnr"
    src.write_text((SHARED / "examples" / "first-file.asnr").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "index.md",
        "se-menpanrb-17-2023.md",
        "timeline-se-menpanrb-17-2023.svg",
        "timeline.svg",
    ]
    assert "Ketentuan" in (out / "se-menpanrb-17-2023.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(src), "--lang", "en", "--format", "html", "-o", str(out)])
    assert result.exit_code == 0 and (out / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ---- HTML5 structure ----

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
ALLOWED = frozenset(
    {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "header",
        "footer",
        "section",
        "article",
        "nav",
        "h1",
        "h2",
        "h3",
        "p",
        "a",
        "span",
        "strong",
        "em",
        "code",
        "br",
        "dl",
        "dt",
        "dd",
        "ol",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "figure",
        "figcaption",
        "blockquote",
        # the inline SVG
        "svg",
        "desc",
        "rect",
        "text",
        "line",
        "path",
        "g",
        "circle",
    }
)


class Html5Check(HTMLParser):
    """A strict structural check of the pages this renderer writes: doctype, lang, charset, title,
    properly nested elements, known elements only, unique ids, no external resources, no script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doctype: str | None = None
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[str] = []
        self.attrs: dict[str, list[dict[str, str | None]]] = {}
        self.text: list[str] = []
        self.title = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag not in VOID and "svg" not in self.stack:
            self.problems.append(f"self-closing <{tag}/> outside SVG")

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.tags and tag != "html":
            self.problems.append(f"first element is <{tag}>")
        self.tags.append(tag)
        if tag not in ALLOWED:
            self.problems.append(f"unexpected element <{tag}>")
        a = dict(attrs)
        self.attrs.setdefault(tag, []).append(a)
        if "id" in a:
            if a["id"] in self.ids:
                self.problems.append(f"duplicate id {a['id']}")
            self.ids.add(str(a["id"]))
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}")
            if name in ("src", "srcset"):
                self.problems.append(f"external resource {name}={value}")
            if name == "href" and value is not None and not re.fullmatch(r"[a-z0-9-]+\.html|https?://\S+", value):
                self.problems.append(f"unexpected link {value}")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "title" and "svg" not in self.stack:
            self.title += data
        if not (self.stack and self.stack[-1] in ("style", "title")):
            self.text.append(data)


def check_html5(page: str, lang: str) -> Html5Check:
    c = Html5Check()
    c.feed(page)
    c.close()
    assert c.doctype == "DOCTYPE html", c.doctype
    assert page.startswith("<!DOCTYPE html>\n")
    assert not c.problems, c.problems
    assert not c.stack, f"unclosed: {c.stack}"
    assert c.attrs["html"] == [{"lang": lang}]
    assert c.tags[:3] == ["html", "head", "meta"] and c.attrs["meta"][0] == {"charset": "utf-8"}
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in c.attrs["meta"]
    assert c.tags.count("title") >= 1 and c.title.strip()
    assert c.tags.count("body") == 1 and c.tags.count("main") == 1 and c.tags.count("h1") == 1
    assert "script" not in c.tags and "link" not in c.tags and "img" not in c.tags
    return c


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("case", CASE_NAMES)
def test_html_is_well_formed_html5(case: str, lang: str) -> None:
    for name, page in render_documents(load_case(case), lang=lang, fmt="html").items():
        check = check_html5(page, lang)
        if name == "index.html":
            assert check.tags.count("svg") == 2  # wide and narrow (phones)
        classes = [a.get("class") for a in check.attrs.get("svg", [])]
        assert classes in ([], ["timeline timeline-wide", "timeline timeline-narrow"]), (name, classes)


# ---- the timeline figure ----


def test_timeline_svg_is_deterministic_well_formed_and_escaped() -> None:
    rs = load_case("hostile")
    svg = timeline_svg(rs.model, lang="en")
    assert svg == timeline_svg(load_case("hostile").model, lang="en")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert " id=" not in svg and "<script" not in svg
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "SE <script>alert(1)</script> {{ 7*7 }} 9/2024 · Bali" in texts


def test_timeline_rows_of_bundled_rules() -> None:
    rs = load_case("relations")
    svg = timeline_svg(rs.model, lang="id")
    root = ET.fromstring(svg)
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("rx")]
    assert len(bars) >= 5
    tips = [b.find("{http://www.w3.org/2000/svg}title") for b in bars]
    assert any(t is not None and "dicabut mulai 1 Juli 2024" in (t.text or "") for t in tips)
    hatched = [
        g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.find("{http://www.w3.org/2000/svg}title") is not None
    ]
    said = [(g.find("{http://www.w3.org/2000/svg}title").text or "") for g in hatched]  # type: ignore[union-attr]
    assert any("dicabut oleh SE Umum 3/2024 mulai 1 Juli 2024" in s for s in said)
    assert any("dikesampingkan oleh SE Daerah 2/2024" in s for s in said)


# ---- Hypothesis: any valid rule set renders, completely and safely ----

TOKENS = [
    "<script>",
    "</script>",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    '"',
    "'",
    "`",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "#",
    "|",
    "~",
    "$",
    "&",
    "&lt;",
    "&#60;",
    "<",
    ">",
    "\\",
    "\n",
    "  ",
    "http://x.y",
    "www.x.y",
    "a@b.c",
    "javascript:",
    "<!--",
    "-->",
    "- ",
    "1. ",
    "> ",
    "=",
    "é",
    "ñ",
    "日本",
    "a",
    "b",
    "Z",
    "7",
    " ",
]
hostile = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=8).map("".join).filter(lambda s: s.strip() != "")


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


DATES = ["2023-08-28", "2023-09-07", "2024-01-01", "2024-04-16", "2024-04-17", "2025-03-24"]
PLACES = ["DKI", "Jabar", "Bali", "31", '"Papua Barat Daya"', "ID-AC", "grp"]
GROUPS = ["admin", "frontline", "health", "all", "administration", "custom"]


@st.composite
def constraint(draw: st.DrawFn) -> str:
    group = draw(st.sampled_from(GROUPS))
    kind = draw(st.sampled_from(["WFH <=", "WFA <=", "WFH <", "WFO >=", "WFO >", "WFO ="]))
    if kind == "WFO =":
        return f"{group} WFO = 100%"
    if kind == "WFH <":
        return f"{group} WFH < {draw(st.integers(1, 100))}%"
    if kind == "WFO >":
        return f"{group} WFO > {draw(st.integers(0, 99))}%"
    pct = draw(st.sampled_from(["0%", "50%", "33,5%", "12.25%", "100%"]))
    return f"{group} {kind} {pct}"


@st.composite
def rule_line(draw: st.DrawFn) -> str:
    d = sorted(draw(st.lists(st.sampled_from(DATES), min_size=2, max_size=2)))
    when = draw(
        st.sampled_from(
            [
                "",
                f"between {d[0]} and {d[1]}",
                f"on {d[0]}, {d[1]}",
                f"from {d[0]}",
                f"until {d[1]}",
                f"from {d[0]} until {d[1]}",
                # working days and windows counted from a holiday (LANGUAGE.md §9)
                "on working days",
                f"on working days between {d[0]} and {d[1]}",
                f"on working days from {d[0]}",
                'on the first 2 working days after "Idul Fitri" 2024',
                'on the last working day before "Nyepi" 2025',
            ]
        )
    )
    where = draw(st.sampled_from(["", "nationwide", *(f"in {p}" for p in PLACES), "in DKI, grp, Bali"]))
    who = draw(st.sampled_from(["", "for central", "for regional"]))
    if draw(st.booleans()):
        who = (who + ", " if who else "for ") + quoted(draw(hostile))
    label = f"rule r{draw(st.integers(0, 999))}-x " if draw(st.booleans()) else ""
    cs = draw(st.lists(constraint(), min_size=1, max_size=3))
    scope = " ".join(x for x in (when, where, who) if x) or "nationwide"
    return f"{label}{scope}: {'; '.join(cs)}"


@st.composite
def rule_set(draw: st.DrawFn) -> dict[str, str]:
    n = draw(st.integers(1, 3))
    files: dict[str, str] = {}
    names = [f"SE {i} {draw(hostile)}" for i in range(n)]
    for i, name in enumerate(names):
        lines = [f"circular {quoted(name)}"]
        if draw(st.booleans()):
            lines.append(f"  title {quoted(draw(hostile))}")
        if draw(st.booleans()):
            lines.append(f"  issued {draw(st.sampled_from(DATES))} by {quoted(draw(hostile))}")
        if draw(st.booleans()):
            lines.append(f"  basis {', '.join(quoted(x) for x in draw(st.lists(hostile, min_size=1, max_size=2)))}")
        if draw(st.booleans()):
            lines.append(f"  source {quoted(draw(hostile))}")
        if i and draw(st.booleans()):
            lines.append(f"  {draw(st.sampled_from(['supersedes', 'overrides']))} {quoted(names[i - 1])}")
        if i == 0:
            lines.append(f"category custom {quoted(draw(hostile))} = health, security")
            lines.append(f"region grp {quoted(draw(hostile))} = Banten, Jatim")
            if draw(st.booleans()):
                lines.append(f"holiday {draw(st.sampled_from(DATES))} {quoted('Libur ' + draw(hostile))} in Bali")
        lines.extend(draw(st.lists(rule_line(), max_size=3)))
        lines.extend(f"note {quoted(x)}" for x in draw(st.lists(hostile, max_size=3)))
        if draw(st.booleans()):
            outcome = draw(st.sampled_from(["compliant", "violation", "uncovered"]))
            lines.append(
                f"example {quoted(draw(hostile))} on {draw(st.sampled_from(DATES))} in Bali: "
                f"admin WFH 1, WFO 1; custom WFO 2 -> {outcome}"
            )
        files[f"c{i}.asnr"] = "\n".join(lines) + "\n"
    return files


LINK = re.compile(r"!?\[(?:[^\[\]\\]|\\.)*\]\([a-z0-9-]+\.(?:md|svg)\)")


def assert_markdown_inert(text: str) -> None:
    """Outside the renderer's own links, no Markdown can open a tag, a link, an image or an
    autolink: every such character is escaped."""
    rest = LINK.sub("", text)
    for ch in "<>[]":
        for m in re.finditer(re.escape(ch), rest):
            assert rest[m.start() - 1] == "\\", (ch, rest[max(0, m.start() - 40) : m.start() + 40])
    assert not re.search(r"(?i)[a-z0-9]://", rest) and not re.search(r"(?i)(?<![\\a-z0-9])www\.", rest)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rule_set())
def test_rendering_any_valid_rule_set(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as d:
        for name, text in files.items():
            Path(d, name).write_text(text, encoding="utf-8")
        rs = asnrules.load(d)  # a valid set: the strategy only writes satisfiable rules
        for lang in ("id", "en"):
            md = render_documents(rs, lang=lang, fmt="md")
            html = render_documents(rs, lang=lang, fmt="html")
            assert render_documents(rs, lang=lang, fmt="md") == md
            ET.fromstring(md["timeline.svg"])
            for doc in md.values():
                assert_markdown_inert(doc) if not doc.startswith("<svg") else None
            for page in html.values():
                check_html5(page, lang)
            md_all = collapse("\n".join(md.values()))
            html_all = collapse("\n".join(html.values()))
            for circ in rs.model.circulars:
                assert collapse(md_escape(circ.name)) in md_all
                assert collapse(str(escape(circ.name))) in html_all
                for rule in circ.rules:
                    cite = wording.source_text(rule.source, lang)
                    assert md_escape(cite) in md_all and str(escape(cite)) in html_all
                    for c in rule.constraints:
                        sentence = wording.constraint_sentence(rs.model, c, lang)
                        assert collapse(md_escape(sentence)) in md_all
                        assert collapse(str(escape(sentence))) in html_all
                for note in circ.notes:
                    assert collapse(md_escape(note.text)) in md_all
                    assert collapse(str(escape(note.text))) in html_all
            calendar = rs.model.calendar
            for h in calendar.declared_holidays if calendar is not None else ():
                assert collapse(md_escape(h.name)) in collapse(md["index.md"])
                assert collapse(str(escape(h.name))) in collapse(html["index.html"])


@given(hostile)
def test_md_escape_is_inert_and_lossless(text: str) -> None:
    escaped = md_escape(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert_markdown_inert(escaped)
    unescaped = re.sub(r"\\(.)", r"\1", escaped)
    assert unescaped == re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", text)


def test_one_wording_and_citation_of_a_constraint_for_messages_explanations_and_documents() -> None:
    text = 'circular "SE A"\nrule r1 nationwide: admin WFH <= 50%\nnationwide: admin WFO >= 10%\n'
    rs = asnrules.loads(text, name="a.asnr")
    labelled, plain = rs.model.constraints
    assert wording.constraint_text(labelled) == "admin WFH <= 50%" == labelled.describe()
    assert wording.citation(labelled, model=rs.model) == "SE A, rule r1, a.asnr:2:21"
    assert wording.citation(plain, "id", model=rs.model) == "SE A, a.asnr:3:13"
    assert wording.rule_citation(rs.model.rules[0], "id") == "aturan r1, a.asnr baris 2"
    result = rs.evaluate("2024-01-01", "Aceh", {"admin": {"WFH": 1}})
    assert "\n- SE A, rule r1, a.asnr:2:21: at most 50%" in result.explain("en")
    assert "\n- SE A, aturan r1, a.asnr:2:21: paling banyak 50%" in result.explain("id")
    assert "*Sumber: aturan r1, a.asnr baris 2*" in render_circular(rs, "SE A", lang="id")
    # the checker quotes and cites the same way; a circular named after its file is not named
    with pytest.raises(asnrules.RulesError) as e:
        asnrules.loads("rule r1 nationwide: admin WFH >= 60%\nnationwide: admin WFO >= 50%\n", name="b.asnr")
    message = e.value.diagnostics[0].message
    assert "'admin WFH >= 60%' (rule r1, b.asnr:1:21) and 'admin WFO >= 50%' (b.asnr:2:13)" in message


def test_a_permission_is_worded_as_a_permission_in_both_languages() -> None:
    """LANGUAGE.md §10: `all may WFA` draws no warning and renders as a permission ("dapat
    melaksanakan tugas kedinasan secara fleksibel (WFA)", "may work from anywhere"), never as a share
    of 0%."""
    from pathlib import Path

    import asnrules

    path = Path(__file__).parent / "cases" / "lint" / "good" / "permissions.asnr"
    rs = asnrules.load(path)
    assert rs.diagnostics == []
    docs = {lang: "\n".join(rs.render(lang=lang, fmt="md").values()) for lang in ("id", "en")}
    assert "seluruh pegawai dapat melaksanakan tugas kedinasan secara fleksibel (WFA)" in docs["id"]
    assert "all staff may work from anywhere (WFA)" in docs["en"]
    for text in docs.values():
        assert not re.search(r"(?<![\d,.])0%", text), "a permission printed as a share of 0%"
    result = rs.evaluate("2025-03-24", "DKI", {"admin": {"WFA": 10}})
    assert result.outcome == "compliant"
    assert "all staff may work from anywhere (WFA)" in result.explain("en")


def test_an_employee_window_is_worded_alike_in_explanations_and_documents() -> None:
    """LANGUAGE.md §12: the document's reason for an employee example is the explanation's line of
    the same window (one wording module), and each employee rule is an item of its provision."""
    text = (
        'circular "SE A"\n'
        'rule fwa on working days from 2025-04-21 for "BKN": each employee WFA at most 2 days per week\n'
        'example "three days" employee admin in DKI for "BKN" from 2025-05-05: WFA, WFA, WFA, WFO, WFO -> violation\n'
    )
    rs = asnrules.loads(text, name="a.asnr")
    (run,) = rs.run_examples()
    line = "in the week 5–11 May 2025 this employee worked 3 days in WFA; at most 2 days: violated"
    assert f": {line[:1].upper()}{line[1:]}." in run.result.explain("en")
    doc = render_circular(rs, "SE A", lang="en")
    assert f"Provision 1: {line}." in doc
    assert "- each employee may work from anywhere (WFA) on at most 2 (two) working days a week." in doc
    assert "| **violation** |" in doc and "Monday–Wednesday, 5–7 May 2025: WFA" in doc
