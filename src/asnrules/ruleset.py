"""The one place that chains the stages: read → :mod:`~asnrules.parser` → :mod:`~asnrules.resolve`
→ :mod:`~asnrules.check` → :class:`RuleSet`, whose methods evaluate situations, run the examples and
hand the model to the compilers and the renderer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from . import nodes
from .check import check
from .errors import Diagnostic, RulesError, SourceError, caret_excerpt
from .fingerprint import fingerprint
from .model import Circular, Example, Model
from .parser import parse
from .resolve import resolve
from .semantics import Result, Situation, evaluate, situation

__all__ = ["ExampleResult", "RuleSet", "load", "loads", "read_source", "rule_files"]

PathLike = str | os.PathLike[str]


def rule_files(paths: PathLike | Sequence[PathLike]) -> list[Path]:
    """The ``.asnr`` files named by ``paths``: files as given, directories searched recursively
    (sorted, so the order is stable). Raises :class:`SourceError` for a path that does not exist."""
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = sorted(x for x in p.rglob("*.asnr") if x.is_file())
            if not found:
                raise SourceError(f"no .asnr rule files in the directory {p}", code="E003", path=str(p))
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise SourceError(f"no such file or directory: {p}", code="E001", path=str(p))
    if not out:
        raise SourceError("no rule files given", code="E001")
    return out


def read_source(path: Path) -> str:
    """A rule file's text; :class:`SourceError` if it cannot be read or is not UTF-8."""
    return _decode(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise SourceError(f"{path} is a directory, not a rule file", code="E001", path=str(path)) from None
    except OSError as e:
        raise SourceError(f"cannot read {path}: {e.strerror or e}", code="E001", path=str(path)) from None


def _decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        column = e.start - (before.rfind(b"\n") + 1) + 1
        raise SourceError(
            f"{path} is not UTF-8 text (byte 0x{data[e.start]:02x} at line {line}, column {column}); save it as UTF-8",
            code="E002",
            path=str(path),
            line=line,
            column=column,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError(f"{path} is not a text file (it contains NUL bytes)", code="E002", path=str(path), line=line)
    return text


@dataclass(frozen=True)
class ExampleResult:
    """One ``example`` run by :meth:`RuleSet.run_examples`."""

    example: Example
    result: Result

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
        region: str,
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

    def run_examples(self) -> list[ExampleResult]:
        """Run every ``example`` of every circular, in file order."""
        out: list[ExampleResult] = []
        for circ in self.model.circulars:
            for ex in circ.examples:
                s = ex.situation()
                out.append(ExampleResult(ex, evaluate(self.model, s)))
        return out

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


def _build(sources: Iterable[tuple[str, str]], digests: Mapping[str, str]) -> RuleSet:
    # Loading allocates many small objects and frees none: the cyclic collector would only rescan
    # them over and over (a large rule set loads several times faster without it).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_stages(sources, digests)
    finally:
        if enabled:
            gc.enable()


def _build_stages(sources: Iterable[tuple[str, str]], digests: Mapping[str, str]) -> RuleSet:
    files: list[nodes.File] = []
    texts: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for path, text in sources:
        texts[path] = text
        try:
            files.append(parse(text, path))
        except RulesError as e:
            diags.extend(e.diagnostics)
    model, found = resolve(files)
    diags.extend(found)
    if not any(d.severity == "error" for d in diags):
        diags.extend(check(model))
    diags = _with_excerpts(diags, texts)
    if any(d.severity == "error" for d in diags):
        raise RulesError(diags)
    return RuleSet(model, files, diags, texts, digests)


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
    root = _root([Path(p) for p in items])
    read: list[tuple[str, str]] = []
    digests: dict[str, str] = {}
    for path in found:
        data = _read_bytes(path)
        read.append((str(path), _decode(path, data)))
        digests[_relative(path, root)] = _digest(data)
    return _build(read, digests)


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
