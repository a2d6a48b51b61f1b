"""The ``asnrules`` command: argument handling and printing only; the work is in the stages.

Every failure a user can cause ends in one line on standard error and a non-zero status: 1 when the
rules or the data are at fault (errors in a rule file, a failed example, a violation with
``--strict``), 2 for unusable input (a missing file, a bad date, an unknown region, a bad count).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from .errors import AsnrulesError, Diagnostic, InputError, RulesError, SourceError
from .outputs import write_text
from .ruleset import ExampleResult, RuleSet, load
from .version import __version__
from .wording import citation, constraint_text, percent_text

F = TypeVar("F", bound=Callable[..., Any])

paths_argument = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))


def _fail(message: str, status: int = 2) -> NoReturn:
    click.echo(f"asnrules: error: {message}", err=True)
    sys.exit(status)


def _print_rules_error(e: RulesError, as_json: bool = False) -> NoReturn:
    if as_json:
        click.echo(json.dumps({"diagnostics": [d.to_json() for d in e.diagnostics]}, ensure_ascii=False, indent=2))
    else:
        for d in e.diagnostics:
            click.echo(_line(d), err=True)
        click.echo(_summary(e.diagnostics, None), err=True)
    sys.exit(1)


def _line(d: Diagnostic, verbose: bool = False) -> str:
    text = str(d)
    if d.suggestion:
        text += f" (help: {d.suggestion})"
    if verbose:
        for where, note in d.related:
            text += f"\n  note: {where}: {note}"
        if d.excerpt:
            text += "\n" + d.excerpt
    return text


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="asnrules")
def cli() -> None:
    """Rules as code for the work arrangements of Indonesia's civil servants (ASN)."""


@cli.command()
@paths_argument
@click.option("--json", "as_json", is_flag=True, help="Print the diagnostics as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="Show the source line under each problem and every rule involved.")
def lint(paths: tuple[Path, ...], as_json: bool, verbose: bool) -> None:
    """Check rule files: one line per problem, then a summary. Exit 1 if any error."""
    from .ruleset import rule_files

    files = rule_files(list(paths))
    try:
        rs = load(files)
        diags = rs.diagnostics
    except RulesError as e:
        diags = e.diagnostics
    diags = sorted(diags, key=lambda d: (d.path, d.line, d.column, d.code))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "files": [str(f) for f in files],
                    "diagnostics": [d.to_json() for d in diags],
                    "errors": sum(d.severity == "error" for d in diags),
                    "warnings": sum(d.severity == "warning" for d in diags),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for d in diags:
            click.echo(_line(d, verbose))
        click.echo(_summary(diags, len(files)))
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
            json.dumps(
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
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for r in failed:
            ex = r.example
            name = f' "{ex.label}"' if ex.label else ""
            why = _why(r)
            click.echo(f"{ex.source}: FAILED example{name}: expected {ex.outcome}, got {r.result.outcome} ({why})")
        click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
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
    files = [p for p in paths if p.exists() or not ({":", "="} & set(str(p)))]
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
        click.echo(json.dumps(_stamped(result.to_json(), rs), ensure_ascii=False, indent=2))
    else:
        click.echo(result.explain(lang))


@cli.command()
@paths_argument
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file is not in canonical form.")
@click.option("--diff", is_flag=True, help="Print what would change instead of writing.")
def fmt(paths: tuple[Path, ...], check: bool, diff: bool) -> None:
    """Rewrite rule files in canonical layout (comments kept)."""
    import difflib

    from .format import format_text
    from .ruleset import read_source, rule_files

    changed: list[Path] = []
    for path in rule_files(list(paths)):
        text = read_source(path)
        try:
            new = format_text(text, str(path))
        except RulesError as e:
            _print_rules_error(e)
        if new == text:
            continue
        changed.append(path)
        if diff:
            click.echo(
                "".join(difflib.unified_diff(text.splitlines(True), new.splitlines(True), str(path), str(path))),
                nl=False,
            )
        elif check:
            click.echo(f"{path}: would be reformatted")
        else:
            write_text(path, new, "the formatted file")
            click.echo(f"{path}: reformatted")
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
    rs = _load(paths)
    if target == "python":
        code = rs.compile("python")
    else:
        try:
            code = rs.compile("sql", dialect=dialect, columns=columns or None, date_type=date_type)
        except ValueError as e:
            raise InputError(str(e), code="E322") from None
    if output is None:
        click.echo(code, nl=not code.endswith("\n"))
    else:
        write_text(output, code, "the compiled rules")


@cli.command()
@paths_argument
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option("--format", "fmt_", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), help="Write the documents to DIR.")
def render(paths: tuple[Path, ...], lang: str, fmt_: str, output: Path | None) -> None:
    """Render plain-language policy documents (Indonesian by default)."""
    from .render import render_documents

    rs = _load(paths)
    docs = render_documents(rs, lang=lang, fmt=fmt_)
    if output is None:
        for name, text in docs.items():
            if len(docs) > 1:
                click.echo(f"<!-- {name} -->")
            click.echo(text)
        return
    for name, text in docs.items():
        write_text(output / name, text, "the document")
    click.echo(f"wrote {len(docs)} document{'s' if len(docs) != 1 else ''} to {output}")


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
) -> None:
    """Audit attendance records: RULES... DATA (CSV or Parquet: a file, a directory or a glob)."""
    from .audit import run_audit

    columns: dict[str, str] = {}
    for item in column_maps:
        name, sep, meant = item.partition("=")
        if not sep or not name.strip() or not meant.strip():
            raise InputError(f"--column takes DATA_COLUMN=COLUMN (e.g. nip=employee), not {item!r}", code="E322")
        columns[name.strip()] = meant.strip()

    if len(paths) < 2:
        _fail("give the rule files and then the attendance data: asnrules audit RULES... DATA")
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
    )
    if as_json:
        click.echo(json.dumps(_stamped(report.to_json(), rs), ensure_ascii=False, indent=2))
    else:
        click.echo(report.summary_text())
    if strict and report.violation_count:
        sys.exit(1)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the command, turning every error into one line and an exit status."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="asnrules", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except click.ClickException as e:
        _fail(e.format_message().replace("\n", " "), 2)
    except RulesError as e:
        _print_rules_error(e)
    except SourceError as e:  # already `path:line:col: error[CODE]: message`
        click.echo(str(e), err=True)
        sys.exit(2)
    except InputError as e:
        _fail(str(e) if e.path != "<input>" else e.message, 2)
    except AsnrulesError as e:
        _fail(str(e), 2)
    except BrokenPipeError:  # e.g. `asnrules render ... | head -1`: quietly done
        # Python flushes standard output again at exit: point it at /dev/null so that fails no more
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except OSError as e:  # a full disk or a full standard output (ENOSPC), and the like
        _fail(f"error[E325]: cannot write: {e.strerror or e}", 2)
    except KeyboardInterrupt:  # pragma: no cover
        _fail("interrupted", 130)
    except Exception as e:  # pragma: no cover - a bug: still one line, unless debugging
        if os.environ.get("ASNRULES_DEBUG"):
            raise
        _fail(f"internal error ({type(e).__name__}: {e}); please report it (ASNRULES_DEBUG=1 shows details)", 3)
    sys.exit(0)
