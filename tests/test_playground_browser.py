"""The playground (GET / of ``asnrules serve``) in headless Chromium driven by Playwright: live
diagnostics, a verdict, the English switch, a phone-sized screen, no request leaving 127.0.0.1 and
no console error (a CSP violation would show there). In CI (``CI=true``) a missing browser or
Playwright is a failure; elsewhere a skip. Screenshots go to tests/artifacts/screenshots/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from serving import ROOT, live_server

SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHROMIUM = os.environ.get("ASNRULES_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _missing(why: str) -> None:
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed")
    if not Path(CHROMIUM).exists():
        _missing("chromium is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with live_server() as url:
        yield url


def _open(browser: Any, url: str, width: int, height: int) -> tuple[Any, Any, list[str], list[str]]:
    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg = ctx.new_page()
    hosts: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: hosts.append(urlparse(r.url).hostname or r.url))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(url)
    return ctx, pg, hosts, errors


def _no_overflow(pg: Any) -> None:
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    out = pg.evaluate(
        "Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > "
        "window.innerWidth + 1).map(e => e.tagName + '#' + e.id)"
    )
    assert out == []


def test_playground_in_the_browser(browser: Any, base: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx, pg, hosts, errors = _open(browser, base + "/", 390, 844)
    try:
        verdict = pg.locator("#verdict")
        verdict.filter(has_text="pelanggaran").wait_for(timeout=15000)
        assert pg.locator("#diagnostics").inner_text().strip() == "Tidak ada masalah."
        rule = pg.locator("#rule")
        good = rule.input_value()
        rule.fill(good.replace("DKI", "Jakrta"))
        diag = pg.locator("#diagnostics button").first
        diag.wait_for(timeout=15000)
        text = diag.inner_text()
        assert "baris 1, kolom" in text and "E121" in text and "Jakrta" in text
        diag.click()
        assert pg.evaluate("document.activeElement.id") == "rule"
        assert pg.evaluate("document.getElementById('rule').selectionStart") == good.index("DKI")
        rule.fill(good)
        pg.locator("#diagnostics li.ok").wait_for(timeout=15000)
        pg.fill("#n-admin-WFH", "5")
        pg.fill("#n-admin-WFO", "5")
        verdict.filter(has_text="patuh").wait_for(timeout=15000)
        pg.fill("#n-admin-WFH", "6")
        verdict.filter(has_text="pelanggaran").wait_for(timeout=15000)
        assert "6 dari 11" in pg.locator("#explanation").inner_text()
        assert "WFH" in pg.locator("#capacity").inner_text()
        _no_overflow(pg)
        pg.screenshot(path=str(SHOTS / "playground-phone-id.png"), full_page=True)
        pg.click("a.switch")
        pg.wait_for_url("**lang=en")
        pg.locator("#verdict").filter(has_text="violation").wait_for(timeout=15000)
        assert pg.evaluate("document.documentElement.lang") == "en"
        _no_overflow(pg)
        pg.screenshot(path=str(SHOTS / "playground-phone-en.png"), full_page=True)
    finally:
        ctx.close()
    assert errors == []
    assert set(hosts) == {"127.0.0.1"}


def test_playground_on_a_desktop(browser: Any, base: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for lang, word in (("id", "pelanggaran"), ("en", "violation")):
        ctx, pg, hosts, errors = _open(browser, f"{base}/?lang={lang}", 1280, 900)
        try:
            pg.locator("#verdict").filter(has_text=word).wait_for(timeout=15000)
            _no_overflow(pg)
            pg.screenshot(path=str(SHOTS / f"playground-desktop-{lang}.png"), full_page=True)
        finally:
            ctx.close()
        assert errors == []
        assert set(hosts) == {"127.0.0.1"}
