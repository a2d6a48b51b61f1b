"""The ``asnrules`` command: argument handling and printing only; the work is in the stages.

Every failure a user can cause ends in one line on standard error and a non-zero status: 1 when the
rules or the data are at fault (errors in a rule file, a failed example, a violation with
``--strict``), 2 for unusable input (a missing file, a bad date, an unknown region, a bad count).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, TypeVar

import click

from . import runtime
from .answers import dumps, evaluation_answer, lint_answer, rules_error_answer, sorted_diagnostics, stamped, test_answer
from .citing import Group, Quoted
from .employee import EmployeeResult
from .errors import AsnrulesError, Diagnostic, InputError, Interrupted, RulesError, SourceError
from .messages import Kw, Msg, msg, say
from .outputs import is_one_of, printable, write_text
from .ruleset import ExampleResult, RuleSet, load, rule_files
from .version import __version__
from .wording import citation, employee_why, percent_text

F = TypeVar("F", bound=Callable[..., Any])

paths_argument = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))


#: The language of the messages of the running command, once it is known (``--lang``, or the
#: language of the rule files' keywords): what an error that ends it is worded in.
_LANG: list[str] = []


def _use_lang(lang: str) -> str:
    _LANG[:] = [lang]
    return lang


def _lang_now() -> str:
    return _LANG[0] if _LANG else "en"


def _fail(message: str, status: int = 2, code: str | None = None) -> NoReturn:
    """One line on standard error (``asnrules: error[CODE]: message``), then exit ``status``."""
    word = say("diagnostic.error", _lang_now())
    label = f"{word}[{code}]" if code else word
    click.echo(f"asnrules: {label}: {_shortened(printable(message))}", err=True)
    sys.exit(status)


def _shortened(text: str) -> str:
    """``text`` with any very long word (a path of thousands of characters) cut in the middle."""
    return re.sub(r"\S{241,}", lambda m: f"{m.group()[:100]}...{m.group()[-100:]}", text)


def _echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Print text for people: every control character from a rule file shown escaped (``\\x1b``)."""
    click.echo(printable(text, keep="\n\t"), err=err, nl=nl)


def _json(data: Any) -> str:
    return dumps(data)


def _print_rules_error(e: RulesError, as_json: bool = False, lang: str | None = None) -> NoReturn:
    diags = [d.localised(lang) for d in e.diagnostics] if lang else e.diagnostics
    if as_json:
        click.echo(_json(rules_error_answer(diags)))
    else:
        for d in diags:
            _echo(_line(d), err=True)
        summary_lang = lang or max(("id", "en"), key=lambda x: sum(d.lang == x for d in diags))
        click.echo(_summary(diags, None, summary_lang), err=True)
    sys.exit(1)


lang_option = click.option(
    "--lang",
    type=click.Choice(["id", "en"], case_sensitive=False),
    default=None,
    help="Language of the messages (default: that of the rule files' keywords).",
)


def _line(d: Diagnostic, verbose: bool = False) -> str:
    """A diagnostic in one line (``-v``: with its notes and excerpt on the lines below), in its
    language; control characters of the rule file, line breaks included, are shown escaped."""
    text = printable(str(d))
    if d.suggestion:
        text += f" ({say('diagnostic.help', d.lang)}: {printable(d.suggestion)})"
    if verbose:
        for where, note in d.related:
            text += f"\n  {say('diagnostic.note', d.lang)}: {printable(str(where))}: {printable(note)}"
        if d.excerpt:
            text += "\n" + _shown_excerpt(d.excerpt)
    return text


def _shown_excerpt(excerpt: str) -> str:
    """A caret excerpt (:func:`asnrules.errors.caret_excerpt`) with its control characters shown
    escaped and the caret moved to stay under the same character."""
    lines = excerpt.split("\n")
    bar = lines[0].find(" | ")
    if len(lines) != 2 or bar < 0 or not lines[1].endswith("^"):
        return printable(excerpt, keep="\n")
    width = bar + 3
    source, column = lines[0][width:], len(lines[1]) - 1 - width
    caret = lines[1][:width] + " " * len(printable(source[:column])) + "^"
    return lines[0][:width] + printable(source) + "\n" + caret


def _refuse_overwriting(outputs: Iterable[tuple[Path, Msg]], inputs: Sequence[Path]) -> None:
    """Stop (E327, before any work) when an output would overwrite one of the inputs; ``outputs``
    name each output with a message (``msg("cli.output-documents")``)."""
    seen: list[tuple[Path, Msg]] = []
    for out, what in outputs:
        hit = is_one_of(out, inputs)
        if hit is not None:
            raise InputError(msg("cli.overwrite-input", what=what, out=out, input=hit), code="E327")
        for other, other_what in seen:
            if is_one_of(out, [other]) is not None:
                raise InputError(msg("cli.two-outputs", what=what, other=other_what, out=out), code="E327")
        seen.append((out, what))


def _refuse_stdout_onto(inputs: Sequence[Path]) -> None:
    """Stop (E327) when standard output is redirected into one of the input files."""
    try:
        st = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return
    if not stat.S_ISREG(st.st_mode):
        return
    for item in inputs:
        try:
            other = os.stat(item)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
            raise InputError(msg("cli.stdout-onto-input", input=item), code="E327")


def _stdout(path: Path | None) -> bool:
    """Whether ``-o`` means standard output: not given, or ``-``."""
    return path is None or str(path) == "-"


def _plural(stem: str, n: int, lang: str, **args: Any) -> str:
    """``cli.STEM.one`` or ``cli.STEM.many`` (English plurals; Indonesian has one form) with ``n``."""
    return say(f"{stem}.{'one' if n == 1 else 'many'}", lang, n=n, **args)


def _summary(diags: Sequence[Diagnostic], files: int | None, lang: str = "en") -> str:
    errors = sum(d.severity == "error" for d in diags)
    warnings = len(diags) - errors
    where = _plural("cli.in-files", files, lang) if files is not None else ""
    if not diags:
        return say("cli.no-problems", lang, where=where)
    parts = []
    if errors:
        parts.append(_plural("cli.errors", errors, lang))
    if warnings:
        parts.append(_plural("cli.warnings", warnings, lang))
    return ", ".join(parts) + where


def _load(paths: Sequence[Path], as_json: bool = False, lang: str | None = None) -> RuleSet:
    try:
        return load(list(paths))
    except RulesError as e:
        _print_rules_error(e, as_json, lang)


class _Group(click.Group):
    """Click's group, except that Ctrl-C and a closed standard output reach :func:`main` as they are
    (Click would print a blank line for the one and exit 1 for the other)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted(signal.SIGINT) from None
        except OSError as e:
            if e.errno == errno.EPIPE:
                raise _ClosedPipe from None
            raise


class _ClosedPipe(BaseException):
    """Standard output was closed by its reader (``asnrules render ... | head -1``)."""


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="asnrules")
def cli() -> None:
    """Rules as code for the work arrangements of Indonesia's civil servants (ASN)."""


@cli.command()
@paths_argument
@click.option("--json", "as_json", is_flag=True, help="Print the diagnostics as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="Show the source line under each problem and every rule involved.")
@lang_option
def lint(paths: tuple[Path, ...], as_json: bool, verbose: bool, lang: str | None) -> None:
    """Check rule files: one line per problem, then a summary. Exit 1 if any error, 2 if a file
    cannot be read (the others are still checked). Messages are in the language of each file's
    keywords (Indonesian or English), or in --lang."""
    from .ruleset import load_readable

    files, diags, unreadable, set_lang = load_readable(list(paths))
    lang = lang.lower() if lang else None
    if lang:
        diags = [d.localised(lang) for d in diags]
    summary_lang = _use_lang(lang or set_lang)
    diags = sorted_diagnostics(diags)
    if as_json:
        click.echo(_json(lint_answer(files, diags, unreadable)))
    else:
        for e in unreadable:
            _echo(printable(e.line_text(summary_lang)), err=True)
        for d in diags:
            _echo(_line(d, verbose))
        if verbose and not unreadable and not any(d.severity == "error" for d in diags):
            for line in _resolved_listing(list(paths), summary_lang):
                _echo(line)
        n = len(unreadable)
        if n < len(files):  # when no file could be read, the errors above say it all
            lost = _plural("cli.unreadable", n, summary_lang) if n else ""
            _echo(_summary(diags, len(files) - n, summary_lang) + lost)
    if unreadable:
        sys.exit(2)
    if any(d.severity == "error" for d in diags):
        sys.exit(1)


def _resolved_listing(paths: Sequence[Path], lang: str) -> list[str]:
    """For ``lint -v``: what the rule set resolved when it loaded (LANGUAGE.md §9): each window
    counted from a holiday with its dates and the holiday's block, then the ``holiday`` and
    ``working day`` declarations, as a rule file writes them."""
    from .prelude import province_name
    from .wording import list_text

    try:
        model = load(list(paths)).model
    except AsnrulesError:  # said above, as a diagnostic
        return []
    out: list[str] = []
    for rule in model.rules:
        rel = rule.relative
        if rel is None:
            continue
        cite = citation(rule, lang, model=model, place=rule.label is None)
        estimated = say("cli.estimated-date", lang, name=rel.name(lang), year=rel.year) if rel.estimated else ""
        out.append(
            _plural(
                f"cli.relative-window.{rel.order}",
                rel.count,
                lang,
                cite=cite,
                holiday=rel.written,
                year=rel.year,
                dates=", ".join(d.isoformat() for d in rel.dates),
                start=rel.block[0].isoformat(),
                end=rel.block[1].isoformat(),
                estimated=estimated,
            )
        )
    calendar = model.calendar
    if calendar is not None:
        for h in sorted(calendar.declared_holidays, key=lambda h: (h.day, h.name)):
            names = [province_name(c) for c in sorted(h.provinces)] if h.provinces is not None else []
            where = say("cli.declared-in", lang, regions=list_text(names, lang)) if names else ""
            out.append(say("cli.declared-holiday", lang, day=h.day.isoformat(), name=h.name, where=where))
        for w in sorted(calendar.working_days, key=lambda w: (w.day, w.name)):
            out.append(say("cli.declared-working-day", lang, day=w.day.isoformat(), name=w.name))
    return out


@cli.command()
@paths_argument
@click.option("--json", "as_json", is_flag=True, help="Print every example and its result as JSON.")
@click.option(
    "--together",
    is_flag=True,
    help="Judge every example against the whole rule set (default: against its own instrument and those tied to it).",
)
@lang_option
def test(paths: tuple[Path, ...], as_json: bool, together: bool, lang: str | None) -> None:
    """Run every `example` in the rule files. Last line: `N passed, N failed` (in the files' language)."""
    lang = lang.lower() if lang else None
    if lang:
        _use_lang(lang)
    rs = _load(paths, as_json, lang)
    results = rs.run_examples(together=together)
    failed = [r for r in results if not r.passed]
    langs = rs.languages
    set_lang = _use_lang(lang or rs.language)
    if as_json:
        click.echo(_json(test_answer(results)))
    else:
        for r in failed:
            ex = r.example
            ex_lang = lang or langs.get(ex.source.file, set_lang)
            name = f' "{ex.label}"' if ex.label else ""
            _echo(
                say(
                    "test.failed",
                    ex_lang,
                    where=ex.source,
                    name=name,
                    expected=Kw(ex.outcome.upper()),
                    actual=Kw(r.result.outcome.upper()),
                    why=_why(r, ex_lang),
                )
            )
        _echo(say("test.summary", set_lang, passed=len(results) - len(failed), failed=len(failed)))
    if failed:
        sys.exit(1)


def _why(r: ExampleResult, lang: str = "en") -> str:
    """Why an example got the outcome it got, in one clause, in ``lang``."""
    res = r.result
    if isinstance(res, EmployeeResult):
        return employee_why(res, lang)
    if res.violations:
        return "; ".join(
            say(
                "test.why-violation",
                lang,
                group=Group(v.group).text(lang),
                mode=v.mode,
                share=percent_text(v.share, lang),
                constraint=Quoted(v).text(lang),
                cited=citation(v, lang, model=res.model),
            )
            for v in res.violations
        )
    n = len(res.applied)
    if res.outcome == "compliant":
        return _plural("test.why-compliant", n, lang)
    if n:
        return _plural("test.why-vacuous", n, lang)
    return say("test.why-uncovered", lang)


def _parse_count(text: str) -> tuple[str, str, int]:
    try:
        cat, rest = text.split(":", 1)
        mode, number = rest.split("=", 1)
        digits = number.strip().lstrip("+-").lstrip("0")
        if len(digits) > len(str(runtime.MAX_COUNT)) and digits.isdigit():
            raise InputError(
                msg("cli.count-too-big", text=_shortened(text), most=f"{runtime.MAX_COUNT:,}"), code="E313"
            )
        n = int(number)
    except ValueError:
        raise InputError(msg("cli.count-not-written", text=text), code="E313") from None
    if n < 0:
        raise InputError(msg("cli.count-negative", text=text), code="E313")
    return cat.strip(), mode.strip(), n


@cli.command(name="eval")
@paths_argument
@click.option("--date", "date_", required=True, help="The day, YYYY-MM-DD.")
@click.option("--region", required=True, help="The province: a name, short name, code or ISO code.")
@click.option(
    "--level",
    type=click.Choice(["central", "regional", "pusat", "daerah"], case_sensitive=False),
    help="The agency's level.",
)
@click.option("--agency", help="The agency's name.")
@click.option("--count", "counts_opt", multiple=True, help="CATEGORY:MODE=N (may repeat; also as arguments).")
@click.option(
    "--lang",
    type=click.Choice(["id", "en"], case_sensitive=False),
    default=None,
    help="Language of the explanation and the messages (default: that of the rule files' keywords).",
)
@click.option("--engine", type=click.Choice(["compiled", "interpreter"]), default="compiled", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def eval_(
    paths: tuple[Path, ...],
    date_: str,
    region: str,
    level: str | None,
    agency: str | None,
    counts_opt: tuple[str, ...],
    lang: str | None,
    engine: str,
    as_json: bool,
) -> None:
    """Evaluate one situation: PATH... then counts as CATEGORY:MODE=N (e.g. admin:WFH=6)."""
    files = [p for p in paths if os.path.exists(p) or not ({":", "="} & set(str(p)))]
    count_args = [str(p) for p in paths if p not in files] + list(counts_opt)
    if lang:
        _use_lang(lang.lower())
    if not files:
        _fail(say("source.none-given", _lang_now()))
    rs = _load(files, as_json, lang.lower() if lang else None)
    chosen = _use_lang(lang.lower() if lang else rs.language)  # the counts' errors are worded in it too
    counts: dict[str, dict[str, int]] = {}
    for text in count_args:
        cat, mode, n = _parse_count(text)
        counts.setdefault(cat, {})
        counts[cat][mode] = counts[cat].get(mode, 0) + n
    result = rs.evaluate(date_, region, counts, level=level, agency=agency, engine=engine)
    if as_json:
        click.echo(_json(evaluation_answer(result, rs)))
    else:
        _echo(result.explain(chosen))


@cli.command(name="in-force")
@paths_argument
@click.option("--date", "date_", required=True, help="The day, YYYY-MM-DD.")
@click.option("--region", help="The province (default: any; each rule then says where it is in force).")
@click.option(
    "--level",
    type=click.Choice(["central", "regional", "pusat", "daerah"], case_sensitive=False),
    help="The agency's level.",
)
@click.option("--agency", help="The agency's name.")
@click.option(
    "--lang",
    type=click.Choice(["id", "en"], case_sensitive=False),
    default=None,
    help="Language of the answer and the messages (default: that of the rule files' keywords).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
def in_force_(
    paths: tuple[Path, ...],
    date_: str,
    region: str | None,
    level: str | None,
    agency: str | None,
    lang: str | None,
    as_json: bool,
) -> None:
    """What is in force on a day: the instruments and rules, overrides and supersedes resolved, each
    rule in plain language with its citation, and the rules switched off there."""
    if lang:
        _use_lang(lang.lower())
    rs = _load(list(paths), as_json, lang.lower() if lang else None)
    chosen = _use_lang(lang.lower() if lang else rs.language)
    answer = rs.in_force(date_, region, level=level, agency=agency)
    if as_json:
        click.echo(_json(answer.to_json(chosen)))
    else:
        _echo(answer.text(chosen))


@cli.command()
@click.argument("args", nargs=-1, required=True)
@click.option("--date", "date_", required=True, help="The day, YYYY-MM-DD.")
@click.option("--region", required=True, help="The province: a name, short name, code or ISO code.")
@click.option(
    "--level",
    type=click.Choice(["central", "regional", "pusat", "daerah"], case_sensitive=False),
    help="The agency's level.",
)
@click.option("--agency", help="The agency's name.")
@click.option(
    "--lang",
    type=click.Choice(["id", "en"], case_sensitive=False),
    default=None,
    help="Language of the answer and the messages (default: that of the rule files' keywords).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
def capacity(
    args: tuple[str, ...],
    date_: str,
    region: str,
    level: str | None,
    agency: str | None,
    lang: str | None,
    as_json: bool,
) -> None:
    """The least and most staff the rules allow in each mode: PATH... then the unit's head counts as
    CATEGORY=N (e.g. admin=40 health=12). Exit 1 when no split of the unit is allowed."""
    from .capacity import read_staff

    if lang:
        _use_lang(lang.lower())
    files = [Path(a) for a in args if os.path.exists(a) or "=" not in a]
    staff_args = [a for a in args if Path(a) not in files]
    if not files:
        _fail(say("source.none-given", _lang_now()))
    rs = _load(files, as_json, lang.lower() if lang else None)
    chosen = _use_lang(lang.lower() if lang else rs.language)
    answer = rs.capacity(date_, region, read_staff(staff_args), level=level, agency=agency)
    if as_json:
        click.echo(_json(answer.to_json(chosen)))
    else:
        _echo(answer.text(chosen))
    if not answer.allowed:
        sys.exit(1)


@cli.command(name="plan")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--from", "start", required=True, help="The first day of the period, YYYY-MM-DD.")
@click.option("--to", "end", required=True, help="The last day of the period, YYYY-MM-DD.")
@click.option("--region", required=True, help="The province of the units: a name, short name, code or ISO code.")
@click.option(
    "--level",
    type=click.Choice(["central", "regional", "pusat", "daerah"], case_sensitive=False),
    help="The agency's level.",
)
@click.option("--agency", help="The agency's name.")
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    help="Write the roster to FILE (.csv or .parquet; default: print it).",
)
@click.option("--html", "html_out", type=click.Path(path_type=Path), help="Write a calendar picture to FILE.")
@click.option("--memo", "memo_out", type=click.Path(path_type=Path), help="Write a memo (Markdown) to FILE.")
@click.option(
    "--lang",
    type=click.Choice(["id", "en"], case_sensitive=False),
    default=None,
    help="Language of the summary, the picture, the memo and the messages (default: the rule files').",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def plan_(
    paths: tuple[Path, ...],
    start: str,
    end: str,
    region: str,
    level: str | None,
    agency: str | None,
    out: Path | None,
    html_out: Path | None,
    memo_out: Path | None,
    lang: str | None,
    as_json: bool,
) -> None:
    """A compliant, fair roster for a unit: RULES... STAFF_FILE (CSV: employee, unit, category, and
    optionally team, eligible, leave, prefer, fixed). Exit 1, with the reason, when no roster can
    satisfy the rules."""
    from .planner import PlanError, plan

    if lang:
        _use_lang(lang.lower())
    if len(paths) < 2:
        raise InputError(msg("plan.needs-staff"), code="E360")
    *rule_paths, staff = paths
    outputs = [
        (p, msg(what))
        for p, what in ((out, "plan.the-roster"), (html_out, "plan.the-calendar"), (memo_out, "plan.the-memo"))
        if p is not None
    ]
    if outputs:
        _refuse_overwriting(outputs, [*rule_files(list(rule_paths)), staff])
    rs = _load(list(rule_paths), as_json, lang.lower() if lang else None)
    chosen = _use_lang(lang.lower() if lang else rs.language)
    try:
        roster = plan(rs, staff, start, end, region, level=level, agency=agency)
    except PlanError as e:  # the re-check failed: a bug, never a roster
        _fail(e.text(chosen), 3, e.code)
    if roster.feasible and out is not None:
        roster.write(out)
    if html_out is not None:
        write_text(html_out, roster.html(chosen), msg("plan.the-calendar"))
    if memo_out is not None:
        write_text(memo_out, roster.memo(chosen), msg("plan.the-memo"))
    if as_json:
        click.echo(_json(roster.to_json(chosen)))
    elif out is None and roster.feasible:
        click.echo(roster.csv_text(), nl=False)
    else:
        _echo(roster.text(chosen), err=not roster.feasible)
    if not roster.feasible:
        sys.exit(1)


@cli.command()
@paths_argument
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file is not in canonical form.")
@click.option("--diff", is_flag=True, help="Print what would change instead of writing.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the formatted rule file to FILE ('-': print it) instead of rewriting it (one file only).",
)
@lang_option
def fmt(paths: tuple[Path, ...], check: bool, diff: bool, output: Path | None, lang: str | None) -> None:
    """Rewrite rule files in canonical layout (comments kept)."""
    import difflib

    from .format import format_text
    from .ruleset import read_source

    files = rule_files(list(paths))
    if output is not None:
        if check or diff:
            raise InputError(msg("cli.fmt-o-with-check"), code="E327")
        if len(files) != 1:
            raise InputError(msg("cli.fmt-o-one-file", n=len(files)), code="E327")
        if not _stdout(output):
            _refuse_overwriting([(output, msg("cli.output-formatted"))], files)
    if diff or (_stdout(output) and output is not None):
        _refuse_stdout_onto(files)
    if output is None and not (check or diff):
        for path in files:  # rewritten in place: only files can be
            if not stat.S_ISREG(os.stat(path).st_mode):
                raise InputError(msg("cli.fmt-not-regular", path=path), code="E325")
    from .messages import file_language
    from .ruleset import set_language

    chosen = lang.lower() if lang else None
    changed: list[Path] = []
    texts: list[str] = []
    for path in files:
        text = read_source(path)
        texts.append(text)
        said = chosen or file_language(text)  # each file's line in its own language, as lint words it
        try:
            new = format_text(text, str(path))
        except RulesError as e:
            _print_rules_error(e, lang=said)
        if output is not None:
            if _stdout(output):
                click.echo(new, nl=False)
            else:
                write_text(output, new, msg("cli.output-formatted"))
            return
        if new == text:
            continue
        changed.append(path)
        if diff:
            _echo(
                "".join(difflib.unified_diff(text.splitlines(True), new.splitlines(True), str(path), str(path))),
                nl=False,
            )
        elif check:
            _echo(say("cli.would-reformat", said, path=path))
        else:
            write_text(path, new, msg("cli.output-formatted"))
            _echo(say("cli.reformatted", said, path=path))
    if check or diff:
        click.echo(_plural("cli.would-reformat-count", len(changed), chosen or set_language(texts)))
        if changed:
            sys.exit(1)


@cli.command()
@click.argument("year", type=int)
@click.option("--region", help="A province (name, short name, code or ISO code): its declared holidays too.")
@click.option("--json", "as_json", is_flag=True, help="Print the days as JSON.")
@click.option("--lang", type=click.Choice(["id", "en"], case_sensitive=False), default="id", show_default=True)
def calendar(year: int, region: str | None, as_json: bool, lang: str) -> None:
    """The non-working days of YEAR (national holidays and cuti bersama, LANGUAGE.md §9), with their
    Indonesian and English names: for drafters to check their dates."""
    from .workdays import calendar_json, calendar_text

    _use_lang(lang.lower())
    if as_json:
        click.echo(_json(calendar_json(year, region)))
    else:
        _echo(calendar_text(year, region, lang.lower()))


@cli.command()
@paths_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port.")
def serve(paths: tuple[Path, ...], host: str, port: int) -> None:
    """The web API (JSON over HTTP, OpenAPI at /openapi.json) and the drafters' playground at /, for
    the rules in PATH..., loaded once. Runs until stopped (Ctrl-C). Needs asnrules[serve]."""
    rs = _load(paths)
    try:
        from .serve import run
    except ImportError as e:
        if (e.name or "").split(".")[0] in {"fastapi", "uvicorn", "starlette", "pydantic", "anyio"}:
            raise InputError(msg("serve.no-extra"), code="E380") from None
        raise
    run(rs, host=host, port=port)


@cli.command()
def lsp() -> None:
    """A language server for rule files on standard input and output (for VS Code and any editor
    that speaks the Language Server Protocol). Needs asnrules[lsp]."""
    try:
        from .lsp import run
    except ImportError as e:
        if (e.name or "").split(".")[0] in {"pygls", "lsprotocol", "cattrs", "attrs"}:
            raise InputError(msg("lsp.no-extra"), code="E390") from None
        raise
    run()


@cli.command(name="compile")
@paths_argument
@click.option("--target", type=click.Choice(["python", "sql"]), default="python", show_default=True)
@click.option(
    "--dialect",
    type=click.Choice(["duckdb", "spark", "postgres", "trino"]),
    default="duckdb",
    show_default=True,
    help="SQL dialect (with --target sql).",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="NAME",
    help="With --target sql: a column of your attendance table (repeat it for each; default: all of "
    "employee, unit, date, region, category, mode, agency, level). agency and level are optional; other "
    "columns travel with the rejected rows.",
)
@click.option(
    "--date-type",
    type=click.Choice(["text", "date", "timestamp"]),
    default="text",
    show_default=True,
    help="With --target sql: the type of the date column.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE instead of printing.")
def compile_(
    paths: tuple[Path, ...], target: str, dialect: str, columns: tuple[str, ...], date_type: str, output: Path | None
) -> None:
    """Emit the compiled evaluator: a standalone Python module, or the audit SQL (three statements:
    violations, rejected rows with their reasons, and the accounting)."""
    if _stdout(output):
        _refuse_stdout_onto(rule_files(list(paths)))
    else:
        assert output is not None
        _refuse_overwriting([(output, msg("cli.output-compiled"))], rule_files(list(paths)))
    rs = _load(paths)
    if target == "python":
        code = rs.compile("python")
    else:
        try:
            code = rs.compile("sql", dialect=dialect, columns=columns or None, date_type=date_type)
        except ValueError as e:
            raise InputError(str(e), code="E322") from None
    if output is None or _stdout(output):
        click.echo(code, nl=not code.endswith("\n"))
    else:
        write_text(output, code, msg("cli.output-compiled"))


@cli.command()
@paths_argument
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option("--format", "fmt_", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write the documents to DIR ('-': print them).",
)
def render(paths: tuple[Path, ...], lang: str, fmt_: str, output: Path | None) -> None:
    """Render plain-language policy documents (Indonesian by default)."""
    from .render import render_documents

    inputs = rule_files(list(paths))
    if _stdout(output):
        _refuse_stdout_onto(inputs)
    else:
        assert output is not None
        _refuse_overwriting([(output, msg("cli.output-documents"))], inputs)
    rs = _load(paths)
    docs = render_documents(rs, lang=lang, fmt=fmt_)
    if output is None or _stdout(output):
        for name, text in docs.items():
            if len(docs) > 1:
                click.echo(f"<!-- {name} -->")
            _echo(text)
        return
    _refuse_overwriting([(output / name, msg("cli.output-document", name=name)) for name in docs], inputs)
    for name, text in docs.items():
        write_text(output / name, text, msg("cli.output-document", name=name))
    _echo(_plural("cli.wrote-documents", len(docs), lang, out=output))


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", type=click.Path(path_type=Path), help="Write violations to FILE (.csv, .parquet or .json).")
@click.option("--rejects", type=click.Path(path_type=Path), help="Write unusable rows with the reason to FILE.")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--strict", is_flag=True, help="Exit 1 if there is any violation.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when on a terminal).")
@click.option(
    "--memory-limit",
    help="Memory cap for DuckDB, e.g. 2GB (default $ASNRULES_MEMORY_LIMIT or 512MB); "
    "beyond it DuckDB spills to a temporary directory.",
)
@click.option("--threads", type=click.IntRange(min=1), help="Threads for DuckDB (default: all cores).")
@click.option(
    "--column",
    "column_maps",
    multiple=True,
    metavar="X=Y",
    help="Read the data column X as the column Y of LANGUAGE.md §7 (repeatable), e.g. --column nip=employee. "
    "Indonesian names (nip, unit_kerja, tanggal, provinsi, kategori, instansi, tingkat) are known already.",
)
@click.option(
    "--mode",
    "mode_maps",
    multiple=True,
    metavar="X=MODE",
    help="Read the mode X in the data as MODE (WFO, WFH, WFA or LEAVE), e.g. --mode DL=WFO; repeatable.",
)
@click.option(
    "--complete-only",
    is_flag=True,
    help="Judge only the unit-days that lost no row to rejection (LANGUAGE.md §13).",
)
@click.option(
    "--windows",
    "windows",
    type=click.Path(path_type=Path),
    help="Write the employee-window violations (LANGUAGE.md §12) to FILE (.csv, .parquet or .json).",
)
@lang_option
def audit(
    paths: tuple[str, ...],
    out: Path | None,
    rejects: Path | None,
    engine: str,
    as_json: bool,
    strict: bool,
    progress: bool | None,
    memory_limit: str | None,
    threads: int | None,
    column_maps: tuple[str, ...],
    mode_maps: tuple[str, ...],
    complete_only: bool,
    windows: Path | None,
    lang: str | None,
) -> None:
    """Audit attendance records: RULES... DATA (CSV or Parquet: a file, a directory or a glob)."""
    from .audit import run_audit

    if lang:
        _use_lang(lang.lower())
    columns: dict[str, str] = {}
    for item in column_maps:
        name, sep, meant = item.partition("=")
        if not sep or not name.strip() or not meant.strip():
            raise InputError(msg("cli.column-not-written", item=repr(item)), code="E322")
        columns[name.strip()] = meant.strip()

    modes: dict[str, str] = {}
    for item in mode_maps:
        spelling, sep, meant = item.partition("=")
        if not sep or not spelling.strip() or not meant.strip():
            raise InputError(msg("cli.mode-not-written", item=repr(item)), code="E329")
        if modes.get(spelling.strip(), meant.strip()) != meant.strip():
            raise InputError(
                msg("cli.mode-twice", spelling=spelling.strip(), first=modes[spelling.strip()], second=meant.strip()),
                code="E329",
            )
        modes[spelling.strip()] = meant.strip()

    if len(paths) < 2:
        _fail(say("cli.audit-arguments", _lang_now()))
    outputs = [
        (p, what)
        for p, what in (
            (out, msg("cli.output-violations")),
            (rejects, msg("cli.output-rejects")),
            (windows, msg("cli.output-windows")),
        )
        if p is not None
    ]
    if outputs:
        _refuse_overwriting(outputs, [*rule_files([Path(p) for p in paths[:-1]]), *_data_files(paths[-1])])
    rs = _load([Path(p) for p in paths[:-1]], as_json, lang.lower() if lang else None)
    chosen = _use_lang(lang.lower() if lang else rs.language)
    report = run_audit(
        rs,
        paths[-1],
        out=out,
        rejects=rejects,
        engine=engine,
        progress=sys.stderr.isatty() if progress is None else progress,
        memory_limit=memory_limit,
        threads=threads,
        columns=columns or None,
        modes=modes or None,
        complete_only=complete_only,
        lang=chosen,
        windows=windows,
    )
    if as_json:
        click.echo(_json(stamped(report.to_json(), rs)))
    else:
        _echo(report.summary_text(chosen))
    if strict and (report.violation_count or report.window_violations):
        sys.exit(1)


def _data_files(data: str) -> list[Path]:
    """The files of the attendance data (for :func:`_refuse_overwriting`); none when it cannot be
    found (the audit reports that itself)."""
    from .audit_data import find_source

    try:
        return [Path(f) for f in find_source(data).files]
    except (AsnrulesError, OSError, ValueError):
        return [Path(data)]


#: The first signal that asked the command to stop (SIGINT, SIGTERM), if any.
_signalled: list[int] = []


def _on_signal(signum: int, frame: FrameType | None) -> None:
    """SIGINT and SIGTERM: stop the audit engines' queries, then raise, so that every ``finally``
    block runs (temporary files and DuckDB's spill folder are removed) before the exit."""
    if not _signalled:
        _signalled.append(signum)
    _interrupt_engines()
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Interrupted(signum)


def _interrupt_engines() -> None:
    """Ask every running DuckDB query to stop (``asnrules.audit_engines.interrupt_all``, once the
    engines keep a registry of their connections)."""
    engines = sys.modules.get("asnrules.audit_engines")
    interrupt_all = getattr(engines, "interrupt_all", None)
    if callable(interrupt_all):
        with contextlib.suppress(Exception):
            interrupt_all()


@contextlib.contextmanager
def _signal_handlers() -> Iterator[None]:
    """:func:`_on_signal` for SIGINT and SIGTERM while the command runs (in the main thread only;
    a signal that was ignored when we started, as for a background job, stays ignored)."""
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            current = signal.getsignal(signum)
            if current is signal.SIG_IGN:
                continue
            with contextlib.suppress(OSError, ValueError):
                previous[signum] = signal.signal(signum, _on_signal)
    _signalled.clear()
    try:
        yield
    finally:
        for number, handler in previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(number, handler)


def _stopped(signum: int) -> NoReturn:
    if signum == signal.SIGINT:
        what = say("cli.interrupted", _lang_now())
    else:
        what = say("cli.stopped", _lang_now(), signal=signal.Signals(signum).name)
    click.echo(f"asnrules: {what}", err=True)
    sys.exit(128 + signum)


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that Python's last flush at exit fails no more."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the command, turning every error into one line and an exit status: 0, 1
    (the rules or the data are at fault), 2 (unusable input), 130 (Ctrl-C), 143 (SIGTERM), 3 only for
    a bug."""
    _LANG.clear()
    with _signal_handlers():
        try:
            status = cli.main(
                args=list(argv) if argv is not None else None, prog_name="asnrules", standalone_mode=False
            )
            if not sys.stdout.closed:  # the language server closes it when the editor says `exit`
                sys.stdout.flush()  # a full standard output, or one closed by the reader, is reported here
        except SystemExit:
            raise
        except BaseException as e:
            _failed(e)
    sys.exit(status if isinstance(status, int) else 0)


def _failed(e: BaseException) -> NoReturn:
    if _signalled:  # whatever the signal turned into on its way out (DuckDB: "Query interrupted")
        _stopped(_signalled[0])
    if isinstance(e, Interrupted):
        _stopped(e.signum)
    if isinstance(e, KeyboardInterrupt | click.exceptions.Abort):
        _stopped(signal.SIGINT)
    if isinstance(e, click.exceptions.Exit):
        sys.exit(e.exit_code)
    if isinstance(e, click.ClickException):
        _fail(e.format_message(), 2)
    if isinstance(e, RulesError):
        _print_rules_error(e, lang=_LANG[0] if _LANG else None)
    if isinstance(e, SourceError):  # `path:line:col: error[CODE]: message`
        click.echo(_shortened(printable(e.line_text(_lang_now()))), err=True)
        sys.exit(2)
    if isinstance(e, AsnrulesError):
        if e.path != "<input>":
            click.echo(_shortened(printable(e.line_text(_lang_now()))), err=True)
            sys.exit(2)
        _fail(e.text(_lang_now()), 2, e.code)
    if isinstance(e, _ClosedPipe) or (isinstance(e, OSError) and e.errno == errno.EPIPE):
        _quiet_stdout()  # e.g. `asnrules render ... | head -1`: quietly done
        sys.exit(0)
    if isinstance(e, OSError):
        if e.filename is None:  # standard output: a full disk or /dev/full (ENOSPC), and the like
            _quiet_stdout()
            _fail(say("cli.cannot-write", _lang_now(), reason=e.strerror or e), 2, "E325")
        _fail(f"{e.filename}: {e.strerror or e}", 2)
    if os.environ.get("ASNRULES_DEBUG") or not isinstance(e, Exception):
        raise e
    # a bug: still one line, unless debugging
    _fail(say("cli.internal-error", _lang_now(), error=f"{type(e).__name__}: {e}"), 3)
