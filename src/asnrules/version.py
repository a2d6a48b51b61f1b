"""The version of asnrules: its one home (the package, the command line, results and compiled modules
read it from here)."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
