"""The rendered HTML pages in a real browser: headless Chromium (Debian's ``chromium``, installed by
``make browser``).

A harness page loads each document in an iframe of a phone's width and reports what a reader sees
(``innerText``), the page's language, whether anything overflows sideways, and whether the page
fetched anything besides itself. Screenshots (phone and desktop) are saved under artifacts/.

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

ARTIFACTS = ROOT / "artifacts" / "browser"
PHONE = (390, 844)
DESKTOP = (1280, 1800)


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
            f"--user-data-dir={user_data}",
        ]


def run(args: list[str]) -> str:
    p = subprocess.run(args, capture_output=True, text=True, timeout=90)
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout


HARNESS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body><pre id="report">pending</pre>
<iframe id="page" src="{src}" width="{width}" height="{height}"></iframe>
<script>
document.getElementById("page").addEventListener("load", function () {{
  var doc = this.contentDocument, win = this.contentWindow;
  var report = {{
    lang: doc.documentElement.lang,
    title: doc.title,
    text: doc.body.innerText,
    scrollWidth: doc.documentElement.scrollWidth,
    clientWidth: doc.documentElement.clientWidth,
    svgs: doc.querySelectorAll("svg").length,
    svgWidth: Array.prototype.map.call(doc.querySelectorAll("svg"), function (s) {{
      return s.getBoundingClientRect().width; }}),
    resources: win.performance.getEntriesByType("resource").map(function (r) {{ return r.name; }}),
    scripts: doc.querySelectorAll("script").length,
    fontSize: win.getComputedStyle(doc.body).fontSize
  }};
  document.getElementById("report").textContent = JSON.stringify(report);
}});
</script></body></html>
"""


def inspect(page: Path, width: int = PHONE[0], height: int = PHONE[1]) -> dict[str, Any]:
    """What a reader sees of ``page`` in an iframe ``width`` pixels wide."""
    harness = page.with_name(f"harness-{page.stem}.html")
    harness.write_text(HARNESS.format(src=page.name, width=width, height=height), encoding="utf-8")
    with profile() as base:
        dom = run(
            [
                *base,
                "--allow-file-access-from-files",
                "--virtual-time-budget=10000",
                f"--window-size={width + 40},{height + 200}",
                "--dump-dom",
                harness.as_uri(),
            ]
        )
    start = dom.index('<pre id="report">') + len('<pre id="report">')
    raw = dom[start : dom.index("</pre>", start)]
    text = html.unescape(raw)
    assert text != "pending", "the page did not load"
    report: dict[str, Any] = json.loads(text)
    return report


def screenshot(page: Path, name: str, size: tuple[int, int]) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / name
    out.unlink(missing_ok=True)
    with profile() as base:
        run([*base, f"--window-size={size[0]},{size[1]}", f"--screenshot={out}", page.as_uri()])
    assert out.exists() and out.stat().st_size > 10_000 and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return out


def rule_set() -> asnrules.RuleSet:
    rules = ROOT / "rules"
    if rules.is_dir() and any(rules.rglob("*.asnr")):
        old = Path.cwd()
        os.chdir(ROOT)
        try:
            return asnrules.load("rules/")
        finally:
            os.chdir(old)
    return asnrules.load(SHARED / "examples" / "first-file.asnr")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    chromium()
    rs = rule_set()
    out: dict[str, Path] = {}
    for lang in ("id", "en"):
        folder = tmp_path_factory.mktemp(f"html-{lang}")
        for name, text in render_documents(rs, lang=lang, fmt="html").items():
            (folder / name).write_text(text, encoding="utf-8")
        out[f"{lang}/index"] = folder / "index.html"
        out[f"{lang}/se-17"] = folder / "se-menpanrb-17-2023.html"
    return out


def common_checks(report: dict[str, Any], lang: str) -> None:
    assert report["lang"] == lang
    assert report["resources"] == [], "the page fetched something: it must be self-contained"
    assert report["scripts"] == 0
    assert report["scrollWidth"] <= report["clientWidth"], "the page scrolls sideways on a phone"
    assert float(report["fontSize"].removesuffix("px")) >= 14


def test_se_17_2023_reads_right_in_indonesian(pages: dict[str, Path]) -> None:
    report = inspect(pages["id/se-17"])
    common_checks(report, "id")
    text = " ".join(report["text"].split())
    assert report["title"].startswith("SE MenPANRB 17/2023")
    for fact in (
        "SURAT EDARAN",
        "SE MenPANRB 17/2023",
        "16 Agustus 2023",
        "Menteri PANRB",
        "Perpres 21/2023",
        "28 Agustus 2023 – 7 September 2023",
        "Provinsi DKI Jakarta",
        "paling banyak 50% pegawai layanan administrasi pemerintahan dan dukungan pimpinan bekerja dari rumah (WFH)",
        "seluruh pegawai (100%) layanan langsung kepada masyarakat bekerja dari kantor (WFO)",
        "Kewajiban dan Arahan",
        "Pemantauan dan pengawasan terhadap pencapaian kinerja organisasi",
        "Contoh Penerapan",
        "pelanggaran",
        "rules/se-menpanrb-17-2023.asnr baris",
    ):
        assert fact in text, fact
    screenshot(pages["id/se-17"], "se-menpanrb-17-2023-id-phone.png", (PHONE[0], 2400))
    screenshot(pages["id/se-17"], "se-menpanrb-17-2023-id-desktop.png", DESKTOP)


def test_se_17_2023_reads_right_in_english(pages: dict[str, Path]) -> None:
    report = inspect(pages["en/se-17"])
    common_checks(report, "en")
    text = " ".join(report["text"].split())
    for fact in (
        "CIRCULAR",
        "16 August 2023",
        "28 August 2023 – 7 September 2023",
        "the province of DKI Jakarta",
        "at most 50% of the government administration and leadership support services staff may work from home (WFH)",
        "all (100%) of the direct public services staff must work from the office (WFO)",
        "Obligations and Directions",
        "Worked Examples",
        "violation",
    ):
        assert fact in text, fact
    screenshot(pages["en/se-17"], "se-menpanrb-17-2023-en-desktop.png", DESKTOP)


def test_index_with_timeline(pages: dict[str, Path]) -> None:
    report = inspect(pages["id/index"])
    common_checks(report, "id")
    assert report["svgs"] == 1 and report["svgWidth"][0] >= 600  # scrolls inside its figure on a phone
    text = " ".join(report["text"].split())
    assert "Daftar Surat Edaran" in text and "SE MenPANRB 17/2023" in text and "Linimasa" in text
    assert "28 Agustus 2023 – 7 September 2023" in text
    screenshot(pages["id/index"], "index-id-desktop.png", (1100, 1400))
    screenshot(pages["id/index"], "index-id-phone.png", (PHONE[0], 1800))
