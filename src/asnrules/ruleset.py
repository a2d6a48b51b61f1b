"""The one place that chains the stages: read → :mod:`~asnrules.parser` → :mod:`~asnrules.resolve`
→ :mod:`~asnrules.check` → :class:`RuleSet`, whose methods evaluate situations, run the examples and
hand the model to the compilers and the renderer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import gc
import hashlib
import os
import select
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, NamedTuple

from . import nodes
from .capacity import Capacity, capacity
from .check import check
from .employee import EmployeeResult, check_employee
from .errors import Diagnostic, RulesError, SourceError, caret_excerpt
from .fingerprint import fingerprint
from .inforce import InForce, in_force
from .messages import file_language, msg
from .model import Circular, EmployeeExample, Example, Model
from .parser import parse
from .resolve import resolve
from .semantics import Result, Situation, evaluate, situation

__all__ = ["ExampleResult", "RuleSet", "load", "load_readable", "loads", "read_source", "rule_files"]

PathLike = str | os.PathLike[str]


def rule_files(paths: PathLike | Sequence[PathLike]) -> list[Path]:
    """The ``.asnr`` files named by ``paths``: files as given, directories searched recursively
    (sorted, so the order is stable). Raises :class:`SourceError` for a path that does not exist,
    a broken or looping symbolic link, or a named file that is not one (a device such as
    ``/dev/null``). In a directory, things that are not regular files (named pipes, sockets) are
    skipped, but a broken or looping ``.asnr`` link is kept so that reading it reports it by name."""
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    out: list[Path] = []
    for item in items:
        p = Path(item)
        mode = _mode(p)
        if stat.S_ISDIR(mode):
            found = sorted(x for x in p.rglob("*.asnr") if _found_in_folder(x))
            if not found:
                raise SourceError(msg("source.empty-folder", path=p), code="E003", path=str(p))
            out.extend(found)
        elif stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            out.append(p)  # a pipe (``<(...)``, ``/dev/stdin``) is read once
        else:
            raise SourceError(
                msg("source.device", path=_short(p)),
                code="E001",
                path=_short(p),
            )
    if not out:
        raise SourceError(msg("source.none-given"), code="E001")
    return out


def _short(path: Path | str, limit: int = 200) -> str:
    """A path for a one-line message: a very long one is cut in the middle."""
    text = str(path)
    return text if len(text) <= limit else f"{text[: limit // 2]}...{text[-limit // 2 :]}"


def _mode(path: Path) -> int:
    """``st_mode`` of what ``path`` names; :class:`SourceError` (E001), naming it, when it cannot be
    reached: missing, a broken or looping link, a name too long, a folder that cannot be entered."""
    try:
        return os.stat(path).st_mode
    except OSError as e:
        raise _unreachable(path, e) from None
    except ValueError:  # a NUL in the path
        raise SourceError(msg("source.bad-name", path=repr(_short(path))), code="E001", path=_short(path)) from None


def _unreachable(path: Path, e: OSError) -> SourceError:
    name = _short(path)
    if e.errno == errno.ENAMETOOLONG:
        message = msg("source.name-too-long", path=name)
    elif e.errno == errno.ELOOP:
        message = msg("source.link-loop", path=name)
    elif isinstance(e, FileNotFoundError) and os.path.islink(path):
        message = msg("source.link-broken", path=name, target=_short(os.readlink(path)))
    elif isinstance(e, FileNotFoundError):
        message = msg("source.missing", path=name)
    else:
        message = msg("source.unreadable", path=name, reason=e.strerror or e)
    return SourceError(message, code="E001", path=name)


def _found_in_folder(path: Path) -> bool:
    """Whether a ``*.asnr`` found in a folder is a rule file to read: a regular file, or a link that
    leads nowhere (kept, so that reading it is an error that names it)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return os.path.islink(path)


def read_source(path: Path) -> str:
    """A rule file's text; :class:`SourceError` if it cannot be read or is not UTF-8."""
    return _decode(path, _read_bytes(path))


#: Seconds to wait for the first bytes of a named pipe before giving up on it (nobody writes to it).
PIPE_WAIT = 3.0


def _read_bytes(path: Path) -> bytes:
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            return _read_pipe(path)
        return path.read_bytes()
    except IsADirectoryError:
        raise SourceError(msg("source.is-folder", path=path), code="E001", path=str(path)) from None
    except OSError as e:
        raise _unreachable(path, e) from None


def _read_pipe(path: Path) -> bytes:
    """A named pipe read once, to its end; an error, not a wait for ever, when nobody writes to it."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opening does not wait for a writer
    try:
        if not select.select([fd], [], [], PIPE_WAIT)[0]:
            raise SourceError(
                msg("source.pipe-silent", path=_short(path)),
                code="E001",
                path=_short(path),
            )
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        column = e.start - (before.rfind(b"\n") + 1) + 1
        raise SourceError(
            msg("source.not-utf8", path=path, byte=f"0x{data[e.start]:02x}", line=line, column=column),
            code="E002",
            path=str(path),
            line=line,
            column=column,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError(msg("source.nul", path=path), code="E002", path=str(path), line=line)
    return text


@dataclass(frozen=True)
class ExampleResult:
    """One ``example`` run by :meth:`RuleSet.run_examples`."""

    example: Example | EmployeeExample
    result: Result | EmployeeResult
    #: the names of the instruments the example was judged against (:meth:`RuleSet.example_scope`)
    scope: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.result.outcome == self.example.outcome


class RuleSet:
    """A checked rule set. Build it with :func:`load` or :func:`loads`.

    ``diagnostics`` holds the warnings (errors stop loading with :class:`RulesError`);
    ``files`` the parsed syntax trees; ``model`` the resolved meaning; ``sources`` each file (its
    path relative to the rule set's root) with the ``sha256:`` of its bytes.
    """

    def __init__(
        self,
        model: Model,
        files: Sequence[nodes.File],
        diagnostics: Sequence[Diagnostic],
        texts: Mapping[str, str] | None = None,
        sources: Mapping[str, str] | None = None,
    ) -> None:
        self.model = model
        self.files = tuple(files)
        self.diagnostics = list(diagnostics)
        self.texts = dict(texts or {})
        if sources is None:
            sources = {path: _digest(text.encode("utf-8", "surrogatepass")) for path, text in self.texts.items()}
        self.sources: dict[str, str] = dict(sorted(sources.items()))
        self._compiled: Any = None

    @property
    def circulars(self) -> tuple[Circular, ...]:
        return self.model.circulars

    @property
    def fingerprint(self) -> str:
        """``sha256:<hex>`` of what the rules mean: the same for the same rules whatever the paths,
        the working directory, the file order, the comments or the layout (:mod:`asnrules.fingerprint`)."""
        return fingerprint(self.model)

    def situation(
        self,
        date: dt.date | str,
        region: str | None,
        counts: Mapping[str, Mapping[str, int]],
        level: str | None = None,
        agency: str | None = None,
    ) -> Situation:
        """Checked, normalised arguments of :meth:`evaluate` (raises :class:`~asnrules.InputError`)."""
        return situation(self.model, date, region, counts, level, agency)

    def evaluate(
        self,
        date: dt.date | str,
        region: str | None,
        counts: Mapping[str, Mapping[str, int]],
        level: str | None = None,
        agency: str | None = None,
        *,
        engine: str = "compiled",
    ) -> Result:
        """Evaluate one work unit on one day (LANGUAGE.md §5).

        ``date`` is a ``datetime.date`` or ``YYYY-MM-DD``; ``region`` any name, code or alias of a
        province; ``counts`` maps categories to ``{mode: staff}`` (modes WFO, WFH, WFA, LEAVE);
        ``level`` is ``central``/``regional``; ``agency`` an agency name. ``engine="interpreter"``
        uses the reference evaluator; the default uses the compiled evaluator where available and
        gives the same answers. Raises :class:`~asnrules.InputError` for unusable arguments.
        """
        s = self.situation(date, region, counts, level, agency)
        if engine == "compiled":
            compiled = self._compiled_evaluator()
            if compiled is not None:
                return compiled(s)  # type: ignore[no-any-return]
        elif engine != "interpreter":
            raise ValueError(f"engine must be 'compiled' or 'interpreter', not {engine!r}")
        return evaluate(self.model, s)

    def _compiled_evaluator(self) -> Any:
        """Hook for the compiled evaluator (asnrules.compile_py); ``None`` falls back to the interpreter."""
        if self._compiled is None:
            try:
                from .compile_py import evaluator_for
            except ImportError:
                self._compiled = False
            else:
                self._compiled = evaluator_for(self.model)
        return self._compiled or None

    def example_scope(self, example: Example) -> tuple[str, ...]:
        """The names of the instruments an example is judged against (LANGUAGE.md §3): its own and
        those tied to it by ``supersedes``, ``overrides`` or ``amends``, in either direction and
        transitively, in the set's order."""
        return self.model.family(example.circular)

    def run_examples(self, together: bool = False) -> list[ExampleResult]:
        """Run every ``example`` of every instrument, in file order. Each is judged against its own
        instrument and those tied to it (:meth:`example_scope`), so that an unrelated instrument
        added to the set never changes its outcome; ``together=True`` judges every example against
        the whole set instead (what a unit actually has to obey: ``asnrules test --together``)."""
        out: list[ExampleResult] = []
        models: dict[tuple[str, ...], Model] = {}
        for circ in self.model.circulars:
            if not circ.examples and not circ.employee_examples:
                continue
            scope = tuple(c.name for c in self.model.circulars) if together else self.model.family(circ.name)
            model = models.get(scope)
            if model is None:
                model = models[scope] = self.model.restricted(scope)
            for ex in circ.examples:
                out.append(ExampleResult(ex, evaluate(model, ex.situation()), scope))
            for emp in circ.employee_examples:
                judged = check_employee(model, emp.records(), emp.province, emp.category, emp.level, emp.agency_name)
                out.append(ExampleResult(emp, judged, scope))
        out.sort(key=lambda r: (r.example.source.file, r.example.source.line, r.example.source.column))
        return out

    def in_force(
        self, date: dt.date | str, region: str | None = None, level: str | None = None, agency: str | None = None
    ) -> InForce:
        """The instruments and rules in force on ``date`` (in ``region``, for ``level`` and ``agency``
        when given), ``supersedes`` and ``overrides`` resolved, with the rules switched off there and
        by whom (:class:`~asnrules.inforce.InForce`: ``.text(lang)``, ``.to_json(lang)``). Without a
        region: in any province, each rule with the provinces where it is in force."""
        return in_force(self.model, date, region, level, agency)

    def capacity(
        self,
        date: dt.date | str,
        region: str | None,
        staff: Mapping[str, int],
        level: str | None = None,
        agency: str | None = None,
    ) -> Capacity:
        """For a unit with ``staff`` (category → head count of the staff who work that day; staff on
        leave are not counted), the exact least and most of each category's staff allowed in each
        mode such that some split of the whole unit meets every applicable rule, or the clashing
        rules when none does (:class:`~asnrules.capacity.Capacity`: ``.allowed``, ``.bounds``,
        ``.clash``, ``.text(lang)``, ``.to_json(lang)``). Raises :class:`~asnrules.InputError`."""
        return capacity(self.model, date, region, staff, level, agency)

    def check_employee(
        self,
        records: Iterable[object],
        region: str | None,
        category: str | None,
        level: str | None = None,
        agency: str | None = None,
        *,
        engine: str = "compiled",
    ) -> EmployeeResult:
        """Judge one employee's records against the employee rules (LANGUAGE.md §12).

        ``records``: ``[(date, mode[, hours[, overtime]]), ...]`` of one employee (dates as
        ``datetime.date`` or ``YYYY-MM-DD``; modes WFO, WFH, WFA, LEAVE and the spellings of §13;
        hours exact: ``7.5``, ``"7,5"``, ``Decimal``); ``region``, ``level`` and ``agency`` as for
        :meth:`evaluate`; ``category`` the employee's category. Returns the windows judged with their
        verdicts and citations (:class:`~asnrules.employee.EmployeeResult`); raises
        :class:`~asnrules.InputError` for unusable arguments. ``engine="interpreter"`` uses the
        reference evaluator (:mod:`asnrules.employee`); the default, the compiled engine, gives the
        same answers (tested)."""
        if engine == "compiled":
            compiled = self._compiled_evaluator()
            if compiled is not None:
                found: EmployeeResult = compiled.employee_result(records, region, category, level, agency)
                return found
        elif engine != "interpreter":
            raise ValueError(f"engine must be 'compiled' or 'interpreter', not {engine!r}")
        return check_employee(self.model, records, region, category, level, agency)

    @property
    def languages(self) -> dict[str, str]:
        """Each file (as named in messages) → the language of its keywords, ``id`` or ``en``
        (:func:`asnrules.messages.file_language`): the language of the messages about it."""
        return {path: file_language(text) for path, text in self.texts.items()}

    @property
    def language(self) -> str:
        """The language of the rule set's messages that concern no one file (summaries): that of
        most of its files (:func:`set_language`)."""
        return set_language(self.texts.values())

    def render(self, lang: str = "id", fmt: str = "md") -> dict[str, str]:
        """The plain-language documents of this rule set (file name → text), as ``asnrules render``."""
        from .render import render_documents

        return render_documents(self, lang=lang, fmt=fmt)

    def compile(self, target: str = "python", **options: Any) -> str:
        """Source code of the compiled evaluator (``target``: ``python`` or ``sql``)."""
        if target == "python":
            from .compile_py import compile_module

            code: str = compile_module(self.model, **options)
            return code
        if target == "sql":
            from .compile_sql import compile_sql

            sql: str = compile_sql(self.model, **options)
            return sql
        raise ValueError(f"unknown target {target!r}: use 'python' or 'sql'")


def _build(
    sources: Iterable[tuple[str, str]],
    digests: Mapping[str, str],
    *,
    parse_file: Callable[[str, str], nodes.File] = parse,
) -> RuleSet:
    # Loading allocates many small objects and frees none: the cyclic collector would only rescan
    # them over and over (a large rule set loads several times faster without it).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_stages(sources, digests, parse_file)
    finally:
        if enabled:
            gc.enable()


def _build_stages(
    sources: Iterable[tuple[str, str]], digests: Mapping[str, str], parse_file: Callable[[str, str], nodes.File]
) -> RuleSet:
    files: list[nodes.File] = []
    texts: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for path, text in sources:
        texts[path] = text
        try:
            files.append(parse_file(text, path))
        except RulesError as e:
            diags.extend(e.diagnostics)
    model, found = resolve(files)
    diags.extend(found)
    if not any(d.severity == "error" for d in diags):
        diags.extend(check(model))
    diags = _with_ends(_with_excerpts(diags, texts), files)
    langs = {path: file_language(text) for path, text in texts.items()}
    diags = [d.localised(langs.get(d.path, "en")) for d in diags]
    if any(d.severity == "error" for d in diags):
        raise RulesError(diags)
    return RuleSet(model, files, diags, texts, digests)


def set_language(texts: Iterable[str]) -> str:
    """The language of messages about several rule files together: ``id`` when most of them are
    written with Indonesian keywords (:func:`asnrules.messages.file_language`), else ``en``."""
    langs = [file_language(t) for t in texts]
    return "id" if langs and langs.count("id") > len(langs) / 2 else "en"


def _with_ends(diags: list[Diagnostic], files: Iterable[nodes.File]) -> list[Diagnostic]:
    """Each diagnostic of the checker (which knows a rule's constraints by where they start) with
    the end of the node it is about: the constraint, else the statement (rule, header, example)
    that starts there, so that an editor underlines the whole ``admin WFH <= 50%``."""
    if all(d.end_line for d in diags):
        return diags
    ends: dict[tuple[str, int, int], tuple[int, int]] = {}
    for f in files:
        for st in f.statements:
            spans = [st.span]
            if isinstance(st, nodes.Rule):
                spans += [c.span for c in st.constraints]
            for sp in spans:
                if sp.line > 0:
                    ends.setdefault((sp.file, sp.line, sp.column), (sp.end_line, sp.end_column))
    out = []
    for d in diags:
        end = None if d.end_line else ends.get((d.path, d.line, d.column))
        out.append(d if end is None else dataclasses.replace(d, end_line=end[0], end_column=end[1]))
    return out


def _with_excerpts(diags: list[Diagnostic], texts: Mapping[str, str]) -> list[Diagnostic]:
    """Each diagnostic with the line it points at and a caret under its column (the parser gives
    its own; the later stages know only the position)."""
    lines: dict[str, list[str]] = {}
    out = []
    for d in diags:
        if d.excerpt is None and d.path in texts:
            if d.path not in lines:
                lines[d.path] = texts[d.path].splitlines()
            excerpt = caret_excerpt(lines[d.path], d.line, d.column)
            d = dataclasses.replace(d, excerpt=excerpt or None)
        out.append(d)
    return out


def load(paths: PathLike | Sequence[PathLike]) -> RuleSet:
    """Load a rule set from a file, a directory (every ``.asnr`` under it) or a list of them.

    Raises :class:`~asnrules.RulesError` if any file has errors (``.diagnostics`` lists them all) and
    :class:`~asnrules.SourceError` if a file is missing, unreadable or not UTF-8. Messages and
    citations name the files as given; ``.sources`` names them relative to the rule set's root: the
    directory given, a file's directory, or for several paths their common directory.
    """
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    found = rule_files(items)
    read, digests, _ = _read_all(found, items, stop=True)
    return _build(read, digests)


class Readable(NamedTuple):
    """What :func:`load_readable` finds: the rule files, the diagnostics of those that could be read,
    a :class:`SourceError` for each that could not, and the language of the messages about the set
    as a whole (:func:`set_language`)."""

    files: list[Path]
    diagnostics: list[Diagnostic]
    unreadable: list[SourceError]
    language: str = "en"


def load_readable(paths: PathLike | Sequence[PathLike]) -> Readable:
    """For ``asnrules lint``: the rule files found, the diagnostics of those that could be read
    (checked together, as :func:`load` does), and a :class:`SourceError` for each file that could not
    be read (unreadable, a broken link, not UTF-8) instead of stopping at the first."""
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    found = rule_files(items)
    read, digests, failed = _read_all(found, items, stop=False)
    if not read:
        return Readable(found, [], failed)
    try:
        diags = _build(read, digests).diagnostics
    except RulesError as e:
        diags = e.diagnostics
    return Readable(found, diags, failed, set_language(text for _, text in read))


def _read_all(
    found: Sequence[Path], items: Sequence[PathLike], stop: bool
) -> tuple[list[tuple[str, str]], dict[str, str], list[SourceError]]:
    root = _root([Path(p) for p in items])
    read: list[tuple[str, str]] = []
    digests: dict[str, str] = {}
    failed: list[SourceError] = []
    for path in found:
        try:
            data = _read_bytes(path)
            text = _decode(path, data)
        except SourceError as e:
            if stop:
                raise
            failed.append(e)
            continue
        read.append((str(path), text))
        digests[_relative(path, root)] = _digest(data)
    return read, digests, failed


def loads(text: str, name: str = "<string>.asnr") -> RuleSet:
    """Load a rule set from the text of one rule file; ``name`` is used in messages and citations,
    and in ``.sources`` (with the ``sha256:`` of the text in UTF-8)."""
    if not isinstance(text, str):
        raise TypeError("loads() takes the text of a rule file (str)")
    digest = _digest(text.encode("utf-8", "surrogatepass"))
    return _build([(name, text.removeprefix("\ufeff"))], {name: digest})


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _root(items: Sequence[Path]) -> str | None:
    """The rule set's root: a directory given alone, a file's directory, or the common directory of
    several (``None`` where there is none, as across Windows drives)."""
    bases = [os.path.abspath(p if p.is_dir() else p.parent) for p in items]
    try:
        return os.path.commonpath(bases)
    except ValueError:
        return None


def _relative(path: Path, root: str | None) -> str:
    """``path`` relative to ``root``, with ``/`` between the parts on every system."""
    if root is None:
        return path.as_posix()
    return PurePath(os.path.relpath(os.path.abspath(path), root)).as_posix()
