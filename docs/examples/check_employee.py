"""One employee over weeks (LANGUAGE.md §12) from Python: ``RuleSet.check_employee``.

Run from the repository: ``.venv/bin/python docs/examples/check_employee.py`` (``make demo`` does).
A BKN administrative employee in Jakarta in two weeks of May 2025 (5–9 and 19–23 May; the week
between holds Waisak): the first keeps BKN's 2 WFA + 3 WFO and Perpres 21/2023's 37.5 hours; the
second takes three WFA days and works 35 hours.
"""

import datetime as dt
import os
import sys
from pathlib import Path

import asnrules

RULES = os.path.relpath(Path(__file__).resolve().parents[2] / "rules")  # cited as rules/...
lang = sys.argv[1] if len(sys.argv) > 1 else "en"

rs = asnrules.load(RULES)
monday = dt.date(2025, 5, 5)
week1 = [("WFA", 7.5), ("WFO", 7.5), ("WFO", 8), ("WFA", 7.5), ("WFO", 7.5)]
week2 = [("WFA", 7), ("WFA", 7), ("WFA", 7), ("WFO", 7), ("WFO", 7)]
records = [
    (monday + dt.timedelta(days=w + i), mode, hours)
    for w, week in ((0, week1), (14, week2))
    for i, (mode, hours) in enumerate(week)
]
result = rs.check_employee(records, "DKI", "administration", level="central", agency="BKN")
print(result.outcome)
for w in result.windows:
    print(f"  {w.first}..{w.last}  {w.constraint.circular}, rule {w.constraint.rule}: {w.verdict}")
print()
print(result.explain(lang))
