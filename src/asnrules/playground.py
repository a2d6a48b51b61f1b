"""The drafters' playground (``GET /`` of ``asnrules serve``, issue 14): one self-contained page and
the answer it asks for on every edit (``POST /v1/playground``).

The page is built from the templates in ``templates/playground/`` (Jinja2 with autoescape); its
script and style are inline, and :func:`csp` allows exactly those two blocks by their hashes.
:func:`answer` never raises: diagnostics are those of ``asnrules lint --json``, the provision is the
wording of ``asnrules render``, the verdict that of ``asnrules eval`` and the capacity that of
``asnrules capacity``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .messages import catalogue

_HERE = Path(__file__).resolve().parent
_TEMPLATES = _HERE / "templates" / "playground"
_LANGS = ("id", "en")
SAMPLE = {
    "id": "aturan contoh antara 2023-08-28 dan 2023-09-07 di DKI: admin WFH <= 50%; frontline WFO = 100%\n",
    "en": "rule sample between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%; frontline WFO = 100%\n",
}
CATEGORIES = ("admin", "frontline")
MODES = ("WFO", "WFH", "WFA")
MAX_TEXT = 200_000


def _texts(lang: str) -> dict[str, str]:
    """The page's texts in ``lang``, from the one catalogue (``playground.*``), by their short names;
    templates stay as they are (the page's script fills ``{line}`` and ``{column}``)."""
    prefix = "playground."
    return {k[len(prefix) :]: v[lang] for k, v in catalogue().items() if k.startswith(prefix)}


def _lang(lang: str | None) -> str:
    return lang if lang in _LANGS else "id"


@cache
def _assets() -> tuple[str, str]:
    css = (_TEMPLATES / "playground.css").read_text(encoding="utf-8")
    js = (_TEMPLATES / "playground.js").read_text(encoding="utf-8")
    return css, js


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def csp() -> str:
    """The Content-Security-Policy of :func:`page`: nothing but its own inline style and script."""
    css, js = _assets()
    return (
        f"default-src 'none'; script-src {_hash(js)}; style-src {_hash(css)}; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def _provinces() -> list[tuple[str, str]]:
    from .prelude import provinces

    return [(p.code, p.name) for p in provinces()]


def page(lang: str = "id") -> str:
    """The whole playground page: one self-contained HTML document."""
    lang = _lang(lang)
    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=select_autoescape(["j2", "html"]))
    css, js = _assets()
    t = _texts(lang)
    return env.get_template("page.html.j2").render(
        lang=lang,
        other="en" if lang == "id" else "id",
        t=t,
        css=css,
        js=js,
        sample=SAMPLE[lang],
        provinces=_provinces(),
        categories=CATEGORIES,
        modes=MODES,
    )


def _diagnostics(diags: Any, lang: str) -> list[dict[str, Any]]:
    from .answers import sorted_diagnostics

    return [d.localised(lang).to_json() for d in sorted_diagnostics(list(diags))]


def _provision(rs: Any, lang: str) -> str:
    """The provisions of the document ``asnrules render`` writes (its first section), as plain text."""
    docs = rs.render(lang, "md")
    parts = []
    for name, doc in docs.items():
        if not name.endswith(".md") or name == "index.md":
            continue
        sections = re.split(r"^## .*$", doc, flags=re.M)
        body = sections[1] if len(sections) > 1 else doc
        body = re.sub(r"^### (.*)$", r"\1", body, flags=re.M)
        parts.append(re.sub(r"\*\*|(?<![\w*])\*|\*(?![\w*])|`", "", body).strip())
    return "\n\n".join(parts)


def _counts(counts: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    return {str(c): {str(m): n for m, n in modes.items() if n} for c, modes in counts.items()}


def answer(
    text: str,
    *,
    lang: str | None = None,
    date: str | None = None,
    region: str | None = None,
    counts: Mapping[str, Mapping[str, int]] | None = None,
    level: str | None = None,
    agency: str | None = None,
    staff: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """What the playground shows for rule ``text``: diagnostics, provisions, verdict, capacity."""
    from .errors import AsnrulesError, RulesError
    from .messages import file_language

    if not isinstance(text, str):
        text = ""
    text = text[:MAX_TEXT]
    try:
        chosen = lang if lang in _LANGS else file_language(text)
    except Exception:  # never a traceback to the page
        chosen = "id"
    chosen = _lang(chosen)
    out: dict[str, Any] = {"lang": chosen, "diagnostics": [], "loaded": False}
    try:
        from .ruleset import loads

        rs = loads(text, name="playground.asnr")
    except RulesError as e:
        out["diagnostics"] = _diagnostics(e.diagnostics, chosen)
        return out
    except Exception:
        out["error"] = {"code": "E389", "message": _texts(chosen)["internal"]}
        return out
    out["loaded"] = True
    try:
        out["diagnostics"] = _diagnostics(rs.diagnostics, chosen)
        out["provision"] = _provision(rs, chosen)
        if date and region and counts is not None:
            result = rs.evaluate(date, region, _counts(counts), level=level or None, agency=agency or None)
            out["verdict"] = {
                "outcome": result.outcome,
                "word": _texts(chosen)[f"outcome-{result.outcome}"],
                "explanation": result.explain(chosen),
                "result": result.to_json(),
            }
        if staff and date and region:
            cap = rs.capacity(
                date,
                region,
                {str(k): int(v) for k, v in staff.items() if v},
                level=level or None,
                agency=agency or None,
            )
            out["capacity"] = {"allowed": cap.allowed, "text": cap.text(chosen), "result": cap.to_json(chosen)}
    except AsnrulesError as e:
        out["error"] = {"code": e.code, "message": e.text(chosen)}
    except Exception:
        out["error"] = {"code": "E389", "message": _texts(chosen)["internal"]}
    return out
