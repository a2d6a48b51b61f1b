"""The web API and the playground (``asnrules serve``): being written (issue 14)."""

from __future__ import annotations

from .ruleset import RuleSet


def run(rs: RuleSet, host: str = "127.0.0.1", port: int = 8000) -> None:
    raise NotImplementedError("asnrules serve is being written")
