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
import sys
from pathlib import Path

import asnrules
from asnrules import lsp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from bench_lint import best_of  # the benchmarks' one timer (best of N runs)

from strategies import synthetic  # the one generator of the tests and benchmarks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=1000)
    args = parser.parse_args()
    ((name, text),) = synthetic(1, args.rules, seed=7).items()
    path = f"/bench/{name}"
    uri = f"file://{path}"
    lines = text.splitlines()
    # one typed character in a rule's percentage: the file stays valid, so every check runs again
    target = next(i for i, line in enumerate(lines) if "0%" in line)
    valid_edit = "\n".join([*lines[:target], lines[target].replace("0%", "5%", 1), *lines[target + 1 :]]) + "\n"
    # and a typo that breaks the syntax (the parser stops at the first error: cheaper)
    typo = "\n".join([*lines[:target], lines[target] + " x", *lines[target + 1 :]]) + "\n"
    published = sum(len(v) for v in lsp.publish({path: typo}, {path: uri}).values())
    after_edit = best_of(5, lambda: lsp.publish({path: valid_edit}, {path: uri}))
    after_typo = best_of(5, lambda: lsp.publish({path: typo}, {path: uri}))
    bare = best_of(5, lambda: asnrules.loads(text, name))
    print(f"file: {args.rules} rules, {len(lines)} lines, {len(text) / 1024:.0f} KiB")
    print(f"diagnostics after one edit that keeps the file valid: {after_edit * 1000:.0f} ms (goal <= 200 ms)")
    print(f"diagnostics after a typo that breaks the syntax: {after_typo * 1000:.0f} ms ({published} published)")
    print(f"asnrules.loads of the unedited file (a whole load, with excerpts): {bare * 1000:.0f} ms")


if __name__ == "__main__":
    main()
