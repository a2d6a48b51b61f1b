"""The rendered HTML pages in a real browser: headless Chromium (Debian's ``chromium``, installed by
``make browser``), driven from the command line (``--dump-dom``, ``--screenshot``; no network).

A harness page loads every document in iframes of a phone's width (390 px) and a desktop's (1280 px)
and reports what a reader sees: the text (``innerText``) outside the source notes, the page's
language, whether anything runs out sideways (the page, or a label of the timeline out of its
figure), and whether the page fetched anything besides itself. Then every page is photographed at
both widths, whole (the screenshot is as tall as the page), into ``tests/artifacts/screenshots/``
(ignored by git): ``<set>-<lang>-<page>-<phone|desktop>.png``. Look at them.

In CI (``CI=true``) a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import asnrules
from asnrules.render import render_documents
from conftest import ROOT, SHARED

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1280}
LANGS = ("id", "en")


def chromium() -> str:
    found = os.environ.get("ASNRULES_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail("chromium is not installed: the browser tests must run in CI (make browser installs it)")
    pytest.skip("chromium is not installed (make browser installs it)")


@contextmanager
def profile() -> Iterator[list[str]]:
    """Flags for one headless run with a fresh profile (this machine has no network)."""
    with tempfile.TemporaryDirectory(prefix="asnrules-chromium-") as user_data:
        yield [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-quic",
            "--hide-scrollbars",
            "--disable-extensions",
            "--force-device-scale-factor=1",
            f"--user-data-dir={user_data}",
        ]


def run(args: list[str]) -> str:
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout


#: Loads each page in an iframe of its width and reports, per page, what a reader sees.
HARNESS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body><pre id="report">pending</pre>
{frames}
<script>
var frames = document.querySelectorAll("iframe"), reports = {{}}, left = frames.length;
function inspect(frame) {{
  var doc = frame.contentDocument, win = frame.contentWindow, root = doc.documentElement;
  var body = doc.body.cloneNode(true);
  Array.prototype.forEach.call(body.querySelectorAll(".source, footer, svg"), function (e) {{ e.remove(); }});
  var wide = [];
  Array.prototype.forEach.call(doc.body.querySelectorAll("*"), function (e) {{
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > root.clientWidth + 1) wide.push(e.tagName + "." + e.className.baseVal + e.className);
  }});
  var labels = [];
  Array.prototype.forEach.call(doc.querySelectorAll("svg"), function (svg) {{
    if (win.getComputedStyle(svg).display === "none") return;
    var box = svg.viewBox.baseVal;
    Array.prototype.forEach.call(svg.querySelectorAll("text"), function (t) {{
      var b = t.getBBox();
      if (b.x < -0.5 || b.x + b.width > box.width + 0.5) labels.push(t.textContent + " [" + Math.round(b.x) +
        ".." + Math.round(b.x + b.width) + " of " + box.width + "]");
    }});
  }});
  return {{
    lang: root.lang,
    title: doc.title,
    text: doc.body.innerText,
    body: (function () {{ doc.body.appendChild(body); body.style.position = "absolute";
      var t = body.innerText; body.remove(); return t; }})(),
    height: Math.max(root.scrollHeight, doc.body.scrollHeight),
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    wide: wide.slice(0, 10),
    labels: labels,
    svgs: Array.prototype.map.call(doc.querySelectorAll("svg"), function (s) {{
      return win.getComputedStyle(s).display === "none" ? 0 : s.getBoundingClientRect().width; }}),
    resources: win.performance.getEntriesByType("resource").map(function (r) {{ return r.name; }}),
    scripts: doc.querySelectorAll("script").length,
    fontSize: win.getComputedStyle(doc.body).fontSize
  }};
}}
Array.prototype.forEach.call(frames, function (frame) {{
  frame.addEventListener("load", function () {{
    reports[frame.dataset.key] = inspect(frame);
    if (--left === 0) document.getElementById("report").textContent = JSON.stringify(reports);
  }});
  frame.src = frame.dataset.src;
}});
</script></body></html>
"""


def inspect_all(pages: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """What a reader sees of each page at each width: ``"<key>@phone"`` → report."""
    folder = Path(os.path.commonpath([p.parent for p in pages.values()]))
    frames = "\n".join(
        f'<iframe data-key="{html.escape(key)}@{kind}" data-src="{html.escape(path.relative_to(folder).as_posix())}" '
        f'width="{width}" height="900"></iframe>'
        for key, path in pages.items()
        for kind, width in WIDTHS.items()
    )
    harness = folder / "harness.html"
    harness.write_text(HARNESS.format(frames=frames), encoding="utf-8")
    with profile() as base:
        dom = run(
            [
                *base,
                "--allow-file-access-from-files",
                "--virtual-time-budget=20000",
                "--window-size=1400,1000",
                "--dump-dom",
                harness.as_uri(),
            ]
        )
    start = dom.index('<pre id="report">') + len('<pre id="report">')
    raw = html.unescape(dom[start : dom.index("</pre>", start)])
    assert raw != "pending", "the pages did not load"
    reports: dict[str, dict[str, Any]] = json.loads(raw)
    return reports


def screenshot(page: Path, name: str, width: int, height: int) -> Path:
    """The whole page at ``width``, into tests/artifacts/screenshots/``name``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ignore = ARTIFACTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n!.gitignore\n", encoding="utf-8")
    out = SCREENSHOTS / name
    out.unlink(missing_ok=True)
    with profile() as base:
        run([*base, f"--window-size={width},{max(height, 200)}", f"--screenshot={out}", page.as_uri()])
    assert out.exists() and out.stat().st_size > 5_000 and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return out


def bundled() -> asnrules.RuleSet:
    rules = ROOT / "rules"
    if rules.is_dir() and any(rules.rglob("*.asnr")):
        old = Path.cwd()
        os.chdir(ROOT)
        try:
            return asnrules.load("rules/")
        finally:
            os.chdir(old)
    return asnrules.load(SHARED / "examples" / "first-file.asnr")


def instruments() -> asnrules.RuleSet:
    """The render case of every kind of instrument, relation and uncertain fact."""
    from test_documents import load_instruments

    return load_instruments()


SETS = {"rules": bundled, "instruments": instruments}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every HTML page of the bundled rules and of the instruments case, in both languages:
    ``"<set>-<lang>-<page>"`` → file."""
    chromium()
    folder = tmp_path_factory.mktemp("site")
    out: dict[str, Path] = {}
    for set_name, load in SETS.items():
        rs = load()
        for lang in LANGS:
            sub = folder / f"{set_name}-{lang}"
            sub.mkdir()
            for name, text in render_documents(rs, lang=lang, fmt="html").items():
                (sub / name).write_text(text, encoding="utf-8")
                out[f"{set_name}-{lang}-{name.removesuffix('.html')}"] = sub / name
    return out


@pytest.fixture(scope="module")
def seen(site: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return inspect_all(site)


def test_every_page_reads_well_at_both_widths(site: dict[str, Path], seen: dict[str, dict[str, Any]]) -> None:
    problems: list[str] = []
    for key, path in site.items():
        lang = key.split("-")[1]
        for kind, width in WIDTHS.items():
            r = seen[f"{key}@{kind}"]
            where = f"{key} at {kind} width"
            if r["lang"] != lang:
                problems.append(f"{where}: lang {r['lang']}")
            if r["resources"] or r["scripts"]:
                problems.append(f"{where}: fetches {r['resources']} / {r['scripts']} scripts: not self-contained")
            if r["scrollWidth"] > r["clientWidth"]:
                problems.append(f"{where}: scrolls sideways ({r['scrollWidth']} > {r['clientWidth']}): {r['wide']}")
            if r["labels"]:
                problems.append(f"{where}: timeline labels out of the figure: {r['labels']}")
            if float(r["fontSize"].removesuffix("px")) < 14:
                problems.append(f"{where}: body text smaller than 14px")
            if ".asnr" in r["body"]:
                problems.append(f"{where}: a file path in the body text")
            has_figure = 'id="timeline"' in path.read_text(encoding="utf-8")  # every page with rules or relations
            if has_figure and not [s for s in r["svgs"] if s]:
                problems.append(f"{where}: no timeline figure shown")
            shown = [s for s in r["svgs"] if s]
            if shown and (len(shown) != 1 or shown[0] > width):
                problems.append(f"{where}: timeline figures shown {r['svgs']}")
            screenshot(path, f"{key}-{kind}.png", width, int(r["height"]) + 16)
    assert not problems, "\n".join(problems)


def test_se_17_2023_reads_right_in_indonesian(seen: dict[str, dict[str, Any]]) -> None:
    r = seen["rules-id-se-menpanrb-17-2023@phone"]
    text = " ".join(r["text"].split())
    body = " ".join(r["body"].split())
    assert r["title"].startswith("SE MenPANRB 17/2023")
    for fact in (
        "SURAT EDARAN",
        "SE MenPANRB 17/2023",
        "16 Agustus 2023",
        "Menteri PANRB",
        "Perpres 21/2023",
        "mulai tanggal 28 Agustus 2023 sampai dengan 7 September 2023",
        "28 Agustus – 7 September 2023",
        "Provinsi DKI Jakarta",
        "paling banyak 50% pegawai layanan administrasi pemerintahan dan dukungan pimpinan bekerja dari rumah (WFH)",
        "seluruh pegawai (100%) layanan langsung kepada masyarakat bekerja dari kantor (WFO)",
        "Kewajiban dan Arahan",
        "Pemantauan dan pengawasan terhadap pencapaian kinerja organisasi",
        "Contoh Penerapan",
        "Diuji terhadap: SE MenPANRB 17/2023",
        "pelanggaran",
        "Linimasa",
    ):
        assert fact in body, fact
    assert "rules/se-menpanrb-17-2023.asnr baris" in text  # in the source notes only
    assert ".asnr" not in body and "admin-wfh" not in body
    assert "Sebagaimana tertulis" not in text


def test_se_17_2023_reads_right_in_english(seen: dict[str, dict[str, Any]]) -> None:
    r = seen["rules-en-se-menpanrb-17-2023@desktop"]
    body = " ".join(r["body"].split())
    for fact in (
        "CIRCULAR",
        "16 August 2023",
        "From 28 August 2023 to 7 September 2023",
        "the province of DKI Jakarta",
        "at most 50% of the government administration and leadership support services staff may work from home (WFH)",
        "all (100%) of the direct public services staff must work from the office (WFO)",
        "Obligations and Directions",
        "Worked Examples",
        "Judged against: SE MenPANRB 17/2023",
        "violation",
    ):
        assert fact in body, fact
    assert "33.3%" in body or "66.7%" in body  # shares rounded for reading


def test_index_with_timeline(seen: dict[str, dict[str, Any]]) -> None:
    for kind, width in WIDTHS.items():
        r = seen[f"rules-id-index@{kind}"]
        shown = [s for s in r["svgs"] if s]
        assert len(shown) == 1 and shown[0] <= width
        text = " ".join(r["text"].split())
        assert "Himpunan Naskah" in text and "SE MenPANRB 17/2023" in text and "Linimasa" in text
        n = len(list((ROOT / "rules").glob("*.asnr")))
        assert "28 Agustus – 7 September 2023" in text and f"Himpunan ini memuat {n} naskah" in text


def test_instruments_name_their_kind_and_uncertain_facts(seen: dict[str, dict[str, Any]]) -> None:
    index = " ".join(seen["instruments-en-index@desktop"]["text"].split())
    assert "Ministerial Regulation" in index and "circulars" in index and "1 circulars" not in index
    reg = " ".join(seen["instruments-id-permenpanrb-9-2026@phone"]["body"].split())
    assert reg.startswith("← Daftar naskah PERATURAN MENTERI") and "surat edaran" not in reg.lower()
    uncertain = " ".join(seen["instruments-id-se-uji-3-2026@phone"]["body"].split())
    assert "(belum dipastikan)" in uncertain
