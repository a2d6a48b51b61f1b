"""The language server's latency (issue 15): the diagnostics of a 1,000-rule file after one edit
(goal <= 200 ms). Prints figures; asserts nothing.

The file is one synthetic circular of 1,000 rules (``synthetic`` of tests/strategies.py, seeded).
An edit is what a drafter does: one character typed into a rule (a province misspelt, then put
back). The time is that of ``asnrules.lsp.publish``: load the folder's texts (parse, resolve, check:
conflicts, redundancy, rules that never apply) and convert every diagnostic to the protocol's
positions, which is what the server does on each change before it publishes; the stdio transport
adds well under a millisecond. Best of five, beside a bare ``asnrules.loads`` of the same text.

Usage: python benchmarks/bench_lsp.py [--rules 1000]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import asnrules
from asnrules import lsp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from bench_lint import best_of  # the benchmarks' one timer (best of N runs)

from strategies import synthetic  # the one generator of the tests and benchmarks


def _published(texts: dict[str, str]) -> list[dict[str, object]]:
    uris = {path: f"file://{path}" for path in texts}
    return [d for found in lsp.publish(texts, uris).values() for d in found]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=1000)
    args = parser.parse_args()
    ((name, text),) = synthetic(1, args.rules, seed=7).items()
    path = f"/bench/{name}"
    lines = text.splitlines()
    # one typed character in a rule's percentage (40% -> 41%): the file stays valid, every check runs
    target, pct = next(
        (i, m) for i, line in enumerate(lines) for m in re.finditer(r"\b(\d+)%", line) if 0 < int(m.group(1)) < 99
    )
    edited = lines[target][: pct.start(1)] + str(int(pct.group(1)) + 1) + lines[target][pct.end(1) :]
    valid_edit = "\n".join([*lines[:target], edited, *lines[target + 1 :]]) + "\n"
    errors = [d for d in _published({path: valid_edit}) if d["severity"] == 1]
    assert not errors, f"the edit is meant to keep the file valid: {errors[:1]}"
    # and a typo that breaks the syntax (the parser stops at the first error: cheaper)
    typo = "\n".join([*lines[:target], lines[target] + " x", *lines[target + 1 :]]) + "\n"
    # each run sees a text it has not parsed yet, as after a keystroke (the server keeps the trees of
    # unchanged files only)
    variants = iter(valid_edit.replace(" 1%", f" {k % 9 + 1}%", 1) + f"# {k}\n" for k in range(10**6))
    after_edit = best_of(5, lambda: _published({path: next(variants)}))
    after_typo = best_of(5, lambda: _published({path: typo + f"# {next(variants)[-3:]}"}))
    # a small circular being edited beside the 1,000-rule one (unchanged: its tree is kept)
    small = 'circular "SE Uji"\nrule r between 2024-01-02 and 2024-01-31 in Bali: admin WFH <= 40%\n'
    beside = iter(small.replace("40%", f"{k % 50 + 1}%") + f"# {k}\n" for k in range(10**6))
    folder = best_of(5, lambda: _published({path: text, "/bench/uji.asnr": next(beside)}))
    bare = best_of(5, lambda: asnrules.loads(text, name))
    print(f"file: {args.rules} rules, {len(lines)} lines, {len(text) / 1024:.0f} KiB")
    print(f"diagnostics after one edit that keeps the file valid: {after_edit * 1000:.0f} ms (goal <= 200 ms)")
    print(f"diagnostics after a typo that breaks the syntax: {after_typo * 1000:.0f} ms")
    print(f"a small file edited beside that one (its tree kept): {folder * 1000:.0f} ms")
    print(f"asnrules.loads of the unedited file (a whole load, with excerpts): {bare * 1000:.0f} ms")


if __name__ == "__main__":
    main()
