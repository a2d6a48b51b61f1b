"""The language server (``asnrules lsp``): being written (issue 15)."""

from __future__ import annotations


def run() -> None:
    raise NotImplementedError("asnrules lsp is being written")
