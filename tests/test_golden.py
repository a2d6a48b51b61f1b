"""Golden cases for the checker and the evaluator (tests/cases/lint/), in the manner of Catala and black.

- ``good/``: each ``*.asnr`` file, or each sub-directory (one rule set of several files), must lint
  with no diagnostic at all, and every ``example`` in it must pass.
- ``bad/``: each ``NAME.asnr`` file, or ``NAME/`` sub-directory, has ``NAME.en.expected`` and
  ``NAME.id.expected`` beside it, holding exactly what ``asnrules lint --lang en NAME.asnr`` (and
  ``--lang id``) prints when run from ``bad/`` (paths are relative to that directory); without
  ``--lang`` it prints the one of the file's own language (LANGUAGE.md §14). The exit status must be
  1 when an error is reported, 0 when only warnings, and 2 when the files cannot be read at all
  (E0xx, one line on standard error). Between them the cases say every message of the catalogue
  that a rule file can cause (:func:`test_golden_cases_say_every_message_of_the_rule_stages`).
- ``tests/cases/test/``: the same for ``asnrules test`` on examples that fail.

``ASNRULES_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` rewrites the expected files; review the
change with ``git diff tests/cases`` before committing it.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
CASES = Path(__file__).resolve().parent / "cases" / "lint"
GOOD = CASES / "good"
BAD = CASES / "bad"
FAILING = Path(__file__).resolve().parent / "cases" / "test"
UPDATE = os.environ.get("ASNRULES_UPDATE_GOLDEN") == "1"


def _cases(directory: Path) -> list[str]:
    """Case names: every ``*.asnr`` file and every sub-directory, relative to ``directory``."""
    if not directory.is_dir():
        return []
    return sorted(
        p.name
        for p in directory.iterdir()
        if (p.is_file() and p.suffix == ".asnr") or (p.is_dir() and not p.name.startswith("."))
    )


def _run(cwd: Path, *args: str) -> tuple[int, str]:
    """``asnrules ARGS`` in ``cwd``: the exit status and standard output then standard error."""
    status, out, err = _run_here(cwd, *args)
    return status, out + err


@pytest.mark.parametrize("name", _cases(GOOD))
def test_good_case_lints_clean_and_its_examples_pass(name: str) -> None:
    status, out = _run(GOOD, "lint", "--lang", "en", name)
    files = len(list((GOOD / name).glob("*.asnr"))) if (GOOD / name).is_dir() else 1
    summary = f"no problems found in {files} file{'s' if files != 1 else ''}"
    assert (status, out) == (0, summary + "\n"), out

    status, out = _run(GOOD, "test", "--lang", "en", name)
    assert status == 0, out
    assert out.strip().splitlines()[-1].endswith(" passed, 0 failed"), out


@pytest.mark.parametrize("name", _cases(GOOD))
def test_good_case_formats_stably_and_keeps_its_meaning(name: str, tmp_path: Path) -> None:
    """As black does: formatting once gives the canonical form, formatting again changes nothing."""
    source = GOOD / name
    if source.is_dir():
        shutil.copytree(source, tmp_path / name)
    else:
        shutil.copy(source, tmp_path / name)
    status, out = _run(tmp_path, "fmt", name)
    assert status == 0, out
    status, out = _run(tmp_path, "fmt", "--check", "--lang", "en", name)
    assert (status, out.splitlines()[-1]) == (0, "0 files would be reformatted"), out
    status, out = _run(tmp_path, "lint", "--lang", "en", name)
    assert status == 0 and out.startswith("no problems found"), out
    status, out = _run(tmp_path, "test", "--lang", "en", name)
    assert status == 0 and out.strip().splitlines()[-1].endswith(" passed, 0 failed"), out


def test_rules_directory_lints_clean_passes_its_examples_and_is_canonical() -> None:
    """The real instruments in rules/, loaded together as one rule set."""
    files = sorted(RULES.glob("*.asnr"))
    assert files, "rules/ holds no .asnr file"
    status, out = _run(ROOT, "lint", "--lang", "en", "rules")
    assert (status, out) == (0, f"no problems found in {len(files)} files\n"), out
    status, out = _run(ROOT, "test", "--lang", "en", "rules")
    assert status == 0 and out.strip().splitlines()[-1].endswith(" passed, 0 failed"), out
    status, out = _run(ROOT, "fmt", "--check", "rules")
    assert status == 0, out


def _run_here(cwd: Path, *args: str) -> tuple[int, str, str]:
    """``asnrules ARGS`` run in this process from ``cwd`` (as :func:`_run`, many times faster): the
    exit status, standard output, standard error."""
    from asnrules.cli import main

    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    os.chdir(cwd)
    status = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as e:
                status = e.code if isinstance(e.code, int) else 1
    finally:
        os.chdir(before)
    return status, out.getvalue(), err.getvalue()


def _case_language(directory: Path, name: str) -> str | None:
    """The language of a case's files (``id``/``en``), or ``None`` when they mix or cannot be read."""
    from asnrules.messages import file_language

    path = directory / name
    files = sorted(path.glob("*.asnr")) if path.is_dir() else [path]
    try:
        langs = {file_language(f.read_text(encoding="utf-8")) for f in files}
    except (OSError, UnicodeDecodeError):
        return None
    return langs.pop() if len(langs) == 1 else None


def _check_golden(directory: Path, name: str, command: str) -> None:
    """``asnrules COMMAND --lang L NAME`` prints exactly ``NAME.L.expected``, for both languages;
    without ``--lang`` it prints the one of the file's language."""
    outputs = {}
    for lang in ("en", "id"):
        status, out, err = _run_here(directory, command, "--lang", lang, name)
        text = out + err
        expected = directory / f"{name.removesuffix('.asnr')}.{lang}.expected"
        if UPDATE:
            expected.write_text(text, encoding="utf-8")
        assert expected.is_file(), f"{expected.name} is missing: run with ASNRULES_UPDATE_GOLDEN=1 and review it"
        assert text == expected.read_text(encoding="utf-8"), f"--lang {lang}"
        outputs[lang] = (status, text)
    assert outputs["en"][0] == outputs["id"][0], "the exit status does not depend on the language"
    own = _case_language(directory, name)
    if own is not None:
        status, out, err = _run_here(directory, command, name)
        assert (status, out + err) == outputs[own], f"without --lang, {name} speaks its own language ({own})"


@pytest.mark.parametrize("name", _cases(BAD))
def test_bad_case_output_matches_expected(name: str) -> None:
    _check_golden(BAD, name, "lint")
    status, out, err = _run_here(BAD, "lint", "--lang", "en", name)
    lines = (out + err).splitlines()
    if lines and ": error[E0" in lines[0]:
        assert status == 2, out  # the files could not be read (E0xx)
    elif any(": error[" in line for line in lines):
        assert status == 1, out
    else:
        assert status == 0, out
        assert any(": warning[" in line for line in lines), "a bad case must report something"


@pytest.mark.parametrize("name", _cases(FAILING))
def test_failing_examples_output_matches_expected(name: str) -> None:
    """``asnrules test`` on examples that fail (tests/cases/test/): the failure lines and the summary."""
    _check_golden(FAILING, name, "test")


def test_every_expected_file_has_its_case() -> None:
    for directory in (BAD, FAILING):
        cases = {name.removesuffix(".asnr") for name in _cases(directory)}
        orphans = sorted(p.name for p in directory.glob("*.expected") if p.name.rsplit(".", 2)[0] not in cases)
        assert not orphans, f"expected files without a case: {orphans}"


def _said(directory: Path, name: str, together: bool = False) -> set[str]:
    """The catalogue ids of every message ``lint`` (and ``test``) says about one case."""
    from asnrules.errors import RulesError, SourceError
    from asnrules.ruleset import load, load_readable

    path = directory / name
    ids: set[str] = set()
    try:
        found = load_readable([path])
    except SourceError as e:
        return e.msg.ids() if e.msg else set()
    for d in found.diagnostics:
        ids |= d.message_ids()
    for e in found.unreadable:
        ids |= e.msg.ids() if e.msg else set()
    try:
        load([path])
    except (RulesError, SourceError):
        pass
    return ids


def test_golden_cases_say_every_message_of_the_rule_stages() -> None:
    """Every message that ``lint`` can print about a rule file (the stages parse, resolve, check and
    source of the catalogue) is said by at least one bad case: each is then seen, in both languages,
    in the ``.en.expected`` and ``.id.expected`` files."""
    from asnrules.messages import catalogue, stage_of

    said: set[str] = set()
    for name in _cases(BAD):
        said |= _said(BAD, name)
    wanted = {i for i in catalogue() if stage_of(i) in ("parse", "resolve", "check", "source")}
    # said only where no golden case can reach: a device or a pipe named as a rule file, an OS error
    wanted -= UNREACHABLE_IN_GOLDEN
    missing = sorted(wanted - said)
    assert not missing, f"no bad case says {missing}"


#: Messages about rule files that no file in tests/cases can cause (they need a device, a named pipe,
#: a path too long or an unreadable file): tests/test_hostile.py and tests/test_cli.py cover them.
UNREACHABLE_IN_GOLDEN = {
    "source.device",
    "source.bad-name",
    "source.name-too-long",
    "source.link-loop",
    "source.link-broken",
    "source.missing",
    "source.unreadable",
    "source.is-folder",
    "source.pipe-silent",
    "source.none-given",
    # a defensive wording of E140 (a parent category pins no mode of its own): no rule set reaches it
    "check.a-mode",
    # the parser's fallback for a failure of Lark that is not a syntax error
    "parse.unreadable",
}


def test_bad_cases_cover_every_rule_diagnostic_code() -> None:
    """One case at least per code of docs/diagnostics.md that a rule file can cause."""
    seen = set()
    for path in BAD.glob("*.en.expected"):
        for line in path.read_text(encoding="utf-8").splitlines():
            for marker in ("error[", "warning["):
                if marker in line:
                    seen.add(line.split(marker, 1)[1].split("]", 1)[0])
    wanted = {
        "E002",
        "E003",
        "E100",
        "E101",
        "E102",
        "E103",
        "E110",
        "E111",
        "E112",
        "E114",
        "E120",
        "E121",
        "E122",
        "E130",
        "E131",
        "E132",
        "E133",
        "E134",
        "E135",
        "E140",
        "W200",
        "W201",
        "W203",
        "W204",
        "W205",
        "W206",
    }
    assert wanted <= seen, f"no bad case for {sorted(wanted - seen)}"


def test_an_unrelated_instrument_never_breaks_the_examples_of_another(tmp_path: Path) -> None:
    """LANGUAGE.md §3: an example is judged against its own instrument and those tied to it; an
    unrelated circular added to rules/ changes no example's outcome, while ``test --together``
    judges against the whole set (and here finds what the units would really have to obey)."""
    for f in RULES.glob("*.asnr"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "se-lain.asnr").write_text(
        'surat edaran "SE Lain 1/2023"\n  ditetapkan 2023-01-02 oleh "Menteri Lain"\n'
        "mulai 2023-01-02 nasional: semua WFH paling banyak 5%\n"
        "contoh pada 2023-08-30 di DKI: admin WFH 1, WFO 99 -> patuh\n",
        encoding="utf-8",
    )
    status, out, _ = _run_here(tmp_path, "test", "--lang", "en", ".")
    assert status == 0 and out.splitlines()[-1].endswith(" 0 failed"), out
    status, out, _ = _run_here(tmp_path, "test", "--together", "--lang", "en", ".")
    assert status == 1 and "FAILED example" in out, out


def _english_only_words() -> frozenset[str]:
    from asnrules.keywords import language_words

    return language_words("en") - language_words("id")


@pytest.mark.parametrize(
    "directory,name",
    [(BAD, n) for n in _cases(BAD) if _case_language(BAD, n) == "id"]
    + [(FAILING, n) for n in _cases(FAILING) if _case_language(FAILING, n) == "id"],
)
def test_an_indonesian_file_hears_no_english_keyword(directory: Path, name: str) -> None:
    """LANGUAGE.md §14: for a file written in Indonesian, every message names the Indonesian keyword
    (``dan``, not ``and``). Words the drafter wrote in the file itself may come back quoted."""
    expected = directory / f"{name.removesuffix('.asnr')}.id.expected"
    if not expected.is_file():
        pytest.skip("no expected output yet")
    path = directory / name
    files = sorted(path.glob("*.asnr")) if path.is_dir() else [path]
    written = {w.casefold() for f in files for w in re.findall(r"[^\W\d_]+", f.read_text(encoding="utf-8"))}
    text = expected.read_text(encoding="utf-8")
    said = {w.casefold() for line in text.splitlines() for w in re.findall(r"[^\W\d_]+", line.split(": ", 1)[-1])}
    english = sorted((said & _english_only_words()) - written)
    assert not english, f"English keywords in the Indonesian messages of {name}: {english}"
