"""The benchmarks' synthetic rule sets now come from ``tests/strategies.py`` (``synthetic``), the one
generator of random rule sets for the tests and the benchmarks (issue 8): a plain seeded
``random.Random`` generator there, importable without Hypothesis. This module only keeps
``from synth_rules import generate`` working.

``generate(n_circulars, rules_per_circular, seed)`` returns ``{file name: rule text}``: realistic,
conflict-free circulars (see ``strategies.synthetic_circular``), the same for the same seed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from strategies import synthetic as generate

__all__ = ["generate"]
