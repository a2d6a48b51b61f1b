"""The ``asnrules`` command: argument handling and printing only; the work is in the stages.

Every failure a user can cause ends in one line on standard error and a non-zero status: 1 when the
rules or the data are at fault (errors in a rule file, a failed example, a violation with
``--strict``), 2 for unusable input (a missing file, a bad date, an unknown region, a bad count).
"""

from __future__ import annotations

import contextlib
import errno
import json
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
from .errors import AsnrulesError, Diagnostic, InputError, Interrupted, RulesError, SourceError
from .outputs import is_one_of, printable, write_text
from .ruleset import ExampleResult, RuleSet, load, rule_files
from .version import __version__
from .wording import citation, constraint_text, percent_text

F = TypeVar("F", bound=Callable[..., Any])

paths_argument = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))


def _fail(message: str, status: int = 2, code: str | None = None) -> NoReturn:
    """One line on standard error (``asnrules: error[CODE]: message``), then exit ``status``."""
    label = f"error[{code}]" if code else "error"
    click.echo(f"asnrules: {label}: {_shortened(printable(message))}", err=True)
    sys.exit(status)


def _shortened(text: str) -> str:
    """``text`` with any very long word (a path of thousands of characters) cut in the middle."""
    return re.sub(r"\S{241,}", lambda m: f"{m.group()[:100]}...{m.group()[-100:]}", text)


def _echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Print text for people: every control character from a rule file shown escaped (``\\x1b``)."""
    click.echo(printable(text, keep="\n\t"), err=err, nl=nl)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _json(data: Any) -> str:
    """``data`` as JSON for printing: like ``json.dumps`` (UTF-8 kept) with the controls that JSON
    leaves raw (DEL, C1, the overrides of text direction) written as ``\\uNNNN`` too: the same data."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _print_rules_error(e: RulesError, as_json: bool = False) -> NoReturn:
    if as_json:
        click.echo(_json({"diagnostics": [d.to_json() for d in e.diagnostics]}))
    else:
        for d in e.diagnostics:
            _echo(_line(d), err=True)
        click.echo(_summary(e.diagnostics, None), err=True)
    sys.exit(1)


def _line(d: Diagnostic, verbose: bool = False) -> str:
    """A diagnostic in one line (``-v``: with its notes and excerpt on the lines below); control
    characters of the rule file, line breaks included, are shown escaped."""
    text = printable(str(d))
    if d.suggestion:
        text += f" (help: {printable(d.suggestion)})"
    if verbose:
        for where, note in d.related:
            text += f"\n  note: {printable(str(where))}: {printable(note)}"
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


def _refuse_overwriting(outputs: Iterable[tuple[Path, str]], inputs: Sequence[Path]) -> None:
    """Stop (E327, before any work) when an output would overwrite one of the inputs."""
    seen: list[tuple[Path, str]] = []
    for out, what in outputs:
        hit = is_one_of(out, inputs)
        if hit is not None:
            raise InputError(
                f"will not write {what} to {out}: that is the input file {hit}, which would be lost; "
                "choose another name",
                code="E327",
            )
        for other, other_what in seen:
            if is_one_of(out, [other]) is not None:
                raise InputError(f"{what} and {other_what} would both be written to {out}; give two names", code="E327")
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
            raise InputError(
                f"will not print into {item}: standard output is that input file, which would be lost; "
                "redirect it elsewhere",
                code="E327",
            )


def _stdout(path: Path | None) -> bool:
    """Whether ``-o`` means standard output: not given, or ``-``."""
    return path is None or str(path) == "-"


def _summary(diags: Sequence[Diagnostic], files: int | None) -> str:
    errors = sum(d.severity == "error" for d in diags)
    warnings = len(diags) - errors
    where = f" in {files} file{'s' if files != 1 else ''}" if files is not None else ""
    if not diags:
        return f"no problems found{where}"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) + where


def _load(paths: Sequence[Path], as_json: bool = False) -> RuleSet:
    try:
        return load(list(paths))
    except RulesError as e:
        _print_rules_error(e, as_json)


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
def lint(paths: tuple[Path, ...], as_json: bool, verbose: bool) -> None:
    """Check rule files: one line per problem, then a summary. Exit 1 if any error, 2 if a file
    cannot be read (the others are still checked)."""
    from .ruleset import load_readable

    files, diags, unreadable = load_readable(list(paths))
    diags = sorted(diags, key=lambda d: (d.path, d.line, d.column, d.code))
    if as_json:
        click.echo(
            _json(
                {
                    "files": [str(f) for f in files],
                    "diagnostics": [d.to_json() for d in diags],
                    "errors": sum(d.severity == "error" for d in diags),
                    "warnings": sum(d.severity == "warning" for d in diags),
                    "unreadable": [{"path": e.path, "code": e.code, "message": e.message} for e in unreadable],
                }
            )
        )
    else:
        for e in unreadable:
            _echo(printable(str(e)), err=True)
        for d in diags:
            _echo(_line(d, verbose))
        n = len(unreadable)
        if n < len(files):  # when no file could be read, the errors above say it all
            lost = f"; {n} file{'s' if n != 1 else ''} could not be read" if n else ""
            _echo(_summary(diags, len(files) - n) + lost)
    if unreadable:
        sys.exit(2)
    if any(d.severity == "error" for d in diags):
        sys.exit(1)


@cli.command()
@paths_argument
@click.option("--json", "as_json", is_flag=True, help="Print every example and its result as JSON.")
def test(paths: tuple[Path, ...], as_json: bool) -> None:
    """Run every `example` in the rule files. Last line: `N passed, N failed`."""
    rs = _load(paths, as_json)
    results = rs.run_examples()
    failed = [r for r in results if not r.passed]
    if as_json:
        click.echo(
            _json(
                {
                    "passed": len(results) - len(failed),
                    "failed": len(failed),
                    "examples": [
                        {
                            "source": str(r.example.source),
                            "label": r.example.label,
                            "expected": r.example.outcome,
                            "actual": r.result.outcome,
                            "passed": r.passed,
                            "violations": [v.to_json() for v in r.result.violations],
                        }
                        for r in results
                    ],
                }
            )
        )
    else:
        for r in failed:
            ex = r.example
            name = f' "{ex.label}"' if ex.label else ""
            why = _why(r)
            _echo(f"{ex.source}: FAILED example{name}: expected {ex.outcome}, got {r.result.outcome} ({why})")
        _echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        sys.exit(1)


def _why(r: ExampleResult) -> str:
    """Why an example got the outcome it got, in one clause."""
    res = r.result
    if res.violations:
        return "; ".join(
            f"{v.group} {v.mode} is {percent_text(v.share, 'en')} but '{constraint_text(v)}' "
            f"({citation(v, model=res.model)}) applies"
            for v in res.violations
        )
    n = len(res.applied)
    if res.outcome == "compliant":
        return "the 1 applicable constraint holds" if n == 1 else f"all {n} applicable constraints hold"
    if n:
        return (
            "1 constraint applies but counts no staff of this unit"
            if n == 1
            else f"{n} constraints apply but count no staff of this unit"
        )
    return "no rule applies on that day, in that place, to that agency"


def _stamped(data: dict[str, Any], rs: RuleSet) -> dict[str, Any]:
    """``data`` with the rule set's ``fingerprint`` and the ``asnrules_version`` (where it has none)."""
    data.setdefault("fingerprint", rs.fingerprint)
    data.setdefault("asnrules_version", __version__)
    return data


def _parse_count(text: str) -> tuple[str, str, int]:
    try:
        cat, rest = text.split(":", 1)
        mode, number = rest.split("=", 1)
        digits = number.strip().lstrip("+-").lstrip("0")
        if len(digits) > len(str(runtime.MAX_COUNT)) and digits.isdigit():
            raise InputError(f"'{_shortened(text)}': staff counts are at most {runtime.MAX_COUNT:,}", code="E313")
        n = int(number)
    except ValueError:
        raise InputError(
            f"'{text}' is not a count: write CATEGORY:MODE=N, for example admin:WFH=6", code="E313"
        ) from None
    if n < 0:
        raise InputError(f"'{text}': a staff count cannot be negative", code="E313")
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
    "--lang", type=click.Choice(["en", "id"]), default="en", show_default=True, help="Language of the explanation."
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
    lang: str,
    engine: str,
    as_json: bool,
) -> None:
    """Evaluate one situation: PATH... then counts as CATEGORY:MODE=N (e.g. admin:WFH=6)."""
    files = [p for p in paths if os.path.exists(p) or not ({":", "="} & set(str(p)))]
    count_args = [str(p) for p in paths if p not in files] + list(counts_opt)
    counts: dict[str, dict[str, int]] = {}
    for text in count_args:
        cat, mode, n = _parse_count(text)
        counts.setdefault(cat, {})
        counts[cat][mode] = counts[cat].get(mode, 0) + n
    if not files:
        _fail("no rule files given")
    rs = _load(files, as_json)
    result = rs.evaluate(date_, region, counts, level=level, agency=agency, engine=engine)
    if as_json:
        click.echo(_json(_stamped(result.to_json(), rs)))
    else:
        _echo(result.explain(lang))


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
def fmt(paths: tuple[Path, ...], check: bool, diff: bool, output: Path | None) -> None:
    """Rewrite rule files in canonical layout (comments kept)."""
    import difflib

    from .format import format_text
    from .ruleset import read_source

    files = rule_files(list(paths))
    if output is not None:
        if check or diff:
            raise InputError("-o cannot be used with --check or --diff", code="E327")
        if len(files) != 1:
            raise InputError(f"-o takes one rule file, not {len(files)}; leave -o out to rewrite each", code="E327")
        if not _stdout(output):
            _refuse_overwriting([(output, "the formatted file")], files)
    if diff or (_stdout(output) and output is not None):
        _refuse_stdout_onto(files)
    if output is None and not (check or diff):
        for path in files:  # rewritten in place: only files can be
            if not stat.S_ISREG(os.stat(path).st_mode):
                raise InputError(
                    f"cannot reformat {path} in place: it is not a regular file; use --diff or -o FILE", code="E325"
                )
    changed: list[Path] = []
    for path in files:
        text = read_source(path)
        try:
            new = format_text(text, str(path))
        except RulesError as e:
            _print_rules_error(e)
        if output is not None:
            if _stdout(output):
                click.echo(new, nl=False)
            else:
                write_text(output, new, "the formatted file")
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
            _echo(f"{path}: would be reformatted")
        else:
            write_text(path, new, "the formatted file")
            _echo(f"{path}: reformatted")
    if check or diff:
        click.echo(f"{len(changed)} file{'s' if len(changed) != 1 else ''} would be reformatted")
        if changed:
            sys.exit(1)


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
        _refuse_overwriting([(output, "the compiled rules")], rule_files(list(paths)))
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
        write_text(output, code, "the compiled rules")


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
        _refuse_overwriting([(output, "the documents")], inputs)
    rs = _load(paths)
    docs = render_documents(rs, lang=lang, fmt=fmt_)
    if output is None or _stdout(output):
        for name, text in docs.items():
            if len(docs) > 1:
                click.echo(f"<!-- {name} -->")
            _echo(text)
        return
    _refuse_overwriting([(output / name, f"the document {name}") for name in docs], inputs)
    for name, text in docs.items():
        write_text(output / name, text, "the document")
    _echo(f"wrote {len(docs)} document{'s' if len(docs) != 1 else ''} to {output}")


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
) -> None:
    """Audit attendance records: RULES... DATA (CSV or Parquet: a file, a directory or a glob)."""
    from .audit import run_audit

    columns: dict[str, str] = {}
    for item in column_maps:
        name, sep, meant = item.partition("=")
        if not sep or not name.strip() or not meant.strip():
            raise InputError(f"--column takes DATA_COLUMN=COLUMN (e.g. nip=employee), not {item!r}", code="E322")
        columns[name.strip()] = meant.strip()

    modes: dict[str, str] = {}
    for item in mode_maps:
        spelling, sep, meant = item.partition("=")
        if not sep or not spelling.strip() or not meant.strip():
            raise InputError(f"--mode takes DATA_MODE=MODE (e.g. DL=WFO), not {item!r}", code="E329")
        if modes.get(spelling.strip(), meant.strip()) != meant.strip():
            raise InputError(
                f"--mode {spelling.strip()}: given twice, as {modes[spelling.strip()]} and as {meant.strip()}",
                code="E329",
            )
        modes[spelling.strip()] = meant.strip()

    if len(paths) < 2:
        _fail("give the rule files and then the attendance data: asnrules audit RULES... DATA")
    outputs = [(p, what) for p, what in ((out, "the violations"), (rejects, "the rejected rows")) if p is not None]
    if outputs:
        _refuse_overwriting(outputs, [*rule_files([Path(p) for p in paths[:-1]]), *_data_files(paths[-1])])
    rs = _load([Path(p) for p in paths[:-1]], as_json)
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
    )
    if as_json:
        click.echo(_json(_stamped(report.to_json(), rs)))
    else:
        _echo(report.summary_text())
    if strict and report.violation_count:
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
    what = "interrupted (Ctrl-C)" if signum == signal.SIGINT else f"stopped by signal {signal.Signals(signum).name}"
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
    with _signal_handlers():
        try:
            status = cli.main(
                args=list(argv) if argv is not None else None, prog_name="asnrules", standalone_mode=False
            )
            sys.stdout.flush()  # a full or closed standard output is reported here, not at exit
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
        _print_rules_error(e)
    if isinstance(e, SourceError):  # already `path:line:col: error[CODE]: message`
        click.echo(_shortened(printable(str(e))), err=True)
        sys.exit(2)
    if isinstance(e, AsnrulesError):
        if e.path != "<input>":
            click.echo(_shortened(printable(str(e))), err=True)
            sys.exit(2)
        _fail(e.message, 2, e.code)
    if isinstance(e, _ClosedPipe) or (isinstance(e, OSError) and e.errno == errno.EPIPE):
        _quiet_stdout()  # e.g. `asnrules render ... | head -1`: quietly done
        sys.exit(0)
    if isinstance(e, OSError):
        if e.filename is None:  # standard output: a full disk or /dev/full (ENOSPC), and the like
            _quiet_stdout()
            _fail(f"cannot write the output: {e.strerror or e}", 2, "E325")
        _fail(f"{e.filename}: {e.strerror or e}", 2)
    if os.environ.get("ASNRULES_DEBUG") or not isinstance(e, Exception):
        raise e
    # a bug: still one line, unless debugging
    _fail(f"internal error ({type(e).__name__}: {e}); please report it (ASNRULES_DEBUG=1 shows details)", 3)
