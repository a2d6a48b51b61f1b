"""The drafters' playground (``GET /`` of ``asnrules serve``): being written (issue 14)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def page() -> str:
    """The whole playground page: one self-contained HTML document."""
    return "<!doctype html><title>asnrules</title>"


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
    return {}
