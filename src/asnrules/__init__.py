"""asnrules: rules as code for the work arrangements of Indonesia's civil servants (ASN).

>>> import asnrules
>>> rules = asnrules.loads("between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%")
>>> rules.evaluate(date="2023-08-30", region="DKI", counts={"admin": {"WFH": 6, "WFO": 4}}).outcome
'violation'
"""

from .audit import AuditReport, audit
from .errors import AsnrulesError, Diagnostic, InputError, RulesError, Source, SourceError
from .planner import plan
from .ruleset import ExampleResult, RuleSet, load, loads
from .semantics import Applied, Result, Violation
from .version import __version__

__all__ = [
    "Applied",
    "AsnrulesError",
    "AuditReport",
    "Diagnostic",
    "ExampleResult",
    "InputError",
    "Result",
    "RuleSet",
    "RulesError",
    "Source",
    "SourceError",
    "Violation",
    "__version__",
    "audit",
    "load",
    "loads",
    "plan",
]
