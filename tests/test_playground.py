"""The playground's answer (POST /v1/playground) and its page: good, bad and hostile rule text."""

from __future__ import annotations

import base64
import hashlib
import re

from hypothesis import given
from hypothesis import strategies as st

from asnrules.playground import SAMPLE, answer, csp, page

GOOD = "aturan r antara 2023-08-28 dan 2023-09-07 di DKI: admin WFH <= 50%; frontline WFO = 100%\n"


def test_good_rule_gives_provision_verdict_and_capacity() -> None:
    a = answer(GOOD, date="2023-08-30", region="DKI", counts={"admin": {"WFH": 6, "WFO": 4}}, staff={"admin": 10})
    assert a["lang"] == "id" and a["loaded"] and a["diagnostics"] == []
    assert "28 Agustus 2023" in a["provision"]
    assert a["verdict"]["outcome"] == "violation" and a["verdict"]["word"] == "pelanggaran"
    assert "60%" in a["verdict"]["explanation"]
    assert a["capacity"]["allowed"] and "WFH 0–5" in a["capacity"]["text"]


def test_compliant_in_english() -> None:
    a = answer(GOOD, lang="en", date="2023-08-30", region="DKI", counts={"admin": {"WFH": 5, "WFO": 5}})
    assert a["verdict"]["word"] == "compliant"


def test_unknown_province_is_a_diagnostic_with_its_place() -> None:
    a = answer(GOOD.replace("DKI", "Jakrta"))
    assert not a["loaded"]
    [d] = a["diagnostics"]
    assert (d["line"], d["column"], d["code"], d["severity"]) == (1, 46, "E121", "error")
    assert "tidak dikenal" in d["message"] and d["suggestion"]


def test_bad_situation_is_an_error_entry() -> None:
    a = answer(GOOD, date="2023-08-30", region="Nowhere", counts={})
    assert a["error"]["code"] == "E311"
    assert answer(GOOD, date="2023-13-45", region="DKI", counts={})["error"]["code"].startswith("E3")


def test_samples_load() -> None:
    for lang, text in SAMPLE.items():
        a = answer(text)
        assert a["loaded"] and a["lang"] == lang and a["diagnostics"] == []


@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    a = answer(text, date="2023-08-30", region="DKI", counts={"admin": {"WFH": 1}}, staff={"admin": 3})
    assert isinstance(a["diagnostics"], list)


def test_hostile_text_stays_text() -> None:
    a = answer('aturan <script>alert(1)</script> pada 2023-08-28 di "<img src=x>": admin WFH <= 50%\n')
    assert isinstance(a["diagnostics"], list)
    html = page("id")
    assert "<script>alert" not in html


def _hash(block: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"


def test_page_is_self_contained_and_csp_matches() -> None:
    for lang in ("id", "en"):
        html = page(lang)
        assert f'<html lang="{lang}">' in html
        assert not re.search(r"(src|href)=\"(https?:)?//", html)
        style = re.search(r"<style>(.*?)</style>", html, re.S)
        script = re.search(r"<script>(.*?)</script>", html, re.S)
        assert style and script
        policy = csp()
        assert f"style-src {_hash(style.group(1))}" in policy
        assert f"script-src {_hash(script.group(1))}" in policy
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "Ruang uji aturan" in page("id") and "Rule playground" in page("en")
