"""A hostile review of the command line: outputs that would destroy inputs, signals, odd inputs
(pipes, devices, broken links, unreadable files), exit status 3 where 2 belongs, and control
characters from rule files reaching a terminal or a document. Cases in tests/cases/hostile/."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import CASES, RULES

HOSTILE = CASES / "hostile"


def _sample() -> Path:
    """Attendance data to audit: a small file made here (``make demo``'s sample/ is absent on a clean clone)."""
    import tempfile

    from asnrules.datagen import generate

    path = Path(tempfile.mkdtemp(prefix="asnrules-hostile-")) / "attendance.parquet"
    generate(path, 2_000, seed=3)
    return path


SAMPLE = _sample()
CARD = "between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%; frontline WFO = 100%\n"
#: Raw control characters that must never reach a terminal or a document.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
LONG = "x" * 5000


def run(*args: str, cwd: Path | None = None, **kw: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("ASNRULES_DEBUG", None)
    options: dict[str, Any] = {"capture_output": True, "timeout": 120, **kw}
    return subprocess.run(
        [sys.executable, "-m", "asnrules", *args], text=True, encoding="utf-8", cwd=cwd, env=env, **options
    )


def one_line(p: subprocess.CompletedProcess[str], status: int = 2) -> str:
    """The one line of standard error of a command that failed with ``status``, never a traceback."""
    assert p.returncode == status, (p.returncode, (p.stdout or "")[-2000:], p.stderr[-2000:])
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert "Traceback" not in p.stderr and "internal error" not in p.stderr
    return lines[0]


def shell(command: str) -> subprocess.CompletedProcess[str]:
    """``command`` in bash (``$PY`` is this Python); the exit status of its first stage."""
    return subprocess.run(
        f"{command}; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PY": sys.executable},
    )


@pytest.fixture
def card(tmp_path: Path) -> Path:
    path = tmp_path / "card.asnr"
    path.write_text(CARD, encoding="utf-8")
    return path


def snapshot(path: Path) -> tuple[bytes, int, int]:
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, st.st_ino


# ---- 1. outputs -----------------------------------------------------------------------------------


def _hard_link(card: Path) -> Path:
    link = card.parent / "policy.py"
    os.link(card, link)
    return link


def _symlink(card: Path) -> Path:
    link = card.parent / "policy.py"
    link.symlink_to(card)
    return link


OVERWRITES: dict[str, Callable[[Path], list[str]]] = {
    "compile -o the rule file": lambda card: ["compile", str(card), "-o", str(card)],
    "compile -o the rule file spelled differently": lambda card: [
        "compile",
        str(card),
        "-o",
        f"{card.parent}/./{card.name}",
    ],
    "compile of a folder -o a file found in it": lambda card: ["compile", str(card.parent), "-o", str(card)],
    "compile -o a hard link to the rule file": lambda card: ["compile", str(card), "-o", str(_hard_link(card))],
    "compile -o a symlink to the rule file": lambda card: ["compile", str(card), "-o", str(_symlink(card))],
    "compile --target sql -o the rule file": lambda card: ["compile", str(card), "--target", "sql", "-o", str(card)],
    "fmt -o the rule file": lambda card: ["fmt", str(card), "-o", str(card)],
    "audit --out the rule file": lambda card: ["audit", str(card), str(SAMPLE), "--out", str(card)],
    "audit --rejects the rule file": lambda card: ["audit", str(card), str(SAMPLE), "--rejects", str(card)],
}


@pytest.mark.parametrize("case", sorted(OVERWRITES))
def test_an_output_that_is_an_input_is_refused_before_any_work(card: Path, case: str) -> None:
    args = OVERWRITES[case](card)
    before = snapshot(card)
    line = one_line(run(*args))
    assert "E327" in line and "input" in line, line
    assert snapshot(card) == before
    assert [p.name for p in card.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_audit_output_onto_its_data_or_onto_the_other_output_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "attendance.parquet"
    shutil.copy(SAMPLE, data)
    before = snapshot(data)
    assert "E327" in one_line(run("audit", str(RULES), str(data), "--out", str(data)))
    assert "E327" in one_line(run("audit", str(RULES), str(tmp_path), "--rejects", str(data)))  # in the data folder
    assert snapshot(data) == before
    out = tmp_path / "x.csv"
    line = one_line(run("audit", str(RULES), str(data), "--out", str(out), "--rejects", f"{tmp_path}/./x.csv"))
    assert "E327" in line and not out.exists()


def test_render_never_writes_a_document_over_a_rule_file(tmp_path: Path) -> None:
    rule = tmp_path / "index.md"  # a rule file given by name, where render would write its index
    rule.write_text('circular "SE A"\n' + CARD, encoding="utf-8")
    before = snapshot(rule)
    line = one_line(run("render", str(rule), "-o", str(tmp_path)))
    assert "E327" in line and "index.md" in line
    assert snapshot(rule) == before and sorted(p.name for p in tmp_path.iterdir()) == ["index.md"]
    one_line(run("render", str(rule), "-o", str(rule)))  # a file, not a folder
    assert snapshot(rule) == before


@pytest.mark.parametrize("command", ["compile", "render", "fmt --diff", "fmt -o -"])
def test_standard_output_appended_to_a_rule_file_is_refused(card: Path, command: str) -> None:
    card.write_text(CARD.upper().replace("WFH", "wfh"), encoding="utf-8")  # so that fmt --diff prints
    before = snapshot(card)
    p = shell(f'"$PY" -m asnrules {command} {card} >> {card}')
    assert p.returncode == 2 and "E327" in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
    assert snapshot(card)[0] == before[0]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_compile_to_dev_null_leaves_it_a_device(card: Path) -> None:
    p = run("compile", str(card), "-o", "/dev/null")
    assert p.returncode == 0, p.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    p = run("render", str(card), "-o", "/dev/null")  # not a folder: refused, untouched
    assert p.returncode == 2 and stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_compile_to_a_named_pipe_writes_through_it(card: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    p = run("compile", str(card), "-o", str(fifo))
    reader.join(30)
    assert p.returncode == 0, p.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and b"def evaluate(" in got[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.asnr", "out.fifo"]


def test_dash_is_standard_output(card: Path, tmp_path: Path) -> None:
    compiled = run("compile", str(card), "-o", "-", cwd=tmp_path)
    assert compiled.returncode == 0 and "def evaluate(" in compiled.stdout
    assert compiled.stdout == run("compile", str(card)).stdout
    rendered = run("render", str(card), "-o", "-", cwd=tmp_path)
    assert rendered.returncode == 0 and rendered.stdout == run("render", str(card)).stdout
    messy = tmp_path / "messy.asnr"
    messy.write_text("BETWEEN 2023-08-28 AND 2023-09-07   IN DKI :admin wfh <= 50%\n", encoding="utf-8")
    before = snapshot(messy)
    formatted = run("fmt", str(messy), "-o", "-", cwd=tmp_path)
    assert formatted.returncode == 0
    assert formatted.stdout == "between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%\n"
    assert snapshot(messy) == before
    assert not (tmp_path / "-").exists()
    other = tmp_path / "formatted.asnr"
    assert run("fmt", str(messy), "-o", str(other)).returncode == 0
    assert other.read_text(encoding="utf-8") == formatted.stdout and snapshot(messy) == before


def test_compile_output_keeps_a_symlink_its_hard_links_and_its_mode(card: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_text("old\n")
    os.chmod(real, 0o640)
    twin = tmp_path / "twin.py"
    os.link(real, twin)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    inode = real.stat().st_ino
    assert run("compile", str(card), "-o", str(link)).returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.stat().st_ino == inode and "def evaluate(" in twin.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# ---- 2. signals ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 3 million attendance rows (a 270 MB CSV): an audit of several seconds."""
    path = tmp_path_factory.mktemp("big") / "attendance.csv"
    subprocess.run(
        [sys.executable, "-m", "asnrules.datagen", "--rows", "3000000", "--out", str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_an_audit_stops_it_cleanly(big_csv: Path, tmp_path: Path, signum: int, status: int) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    out = tmp_path / "v.csv"
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    env.pop("ASNRULES_DEBUG", None)
    p = subprocess.Popen(
        [sys.executable, "-m", "asnrules", "audit", str(RULES), str(big_csv), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # a suite started in the background (``cmd &``) ignores SIGINT, and a child inherits that:
        # the audit must see the signal as a drafter's Ctrl-C would send it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not any(tmpdir.iterdir()) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # until DuckDB has its spill folder: the audit has started
    time.sleep(1.5)  # then well into the query
    assert p.poll() is None, "the audit ended before the signal: make the data bigger"
    p.send_signal(signum)
    _, stderr = p.communicate(timeout=120)
    assert p.returncode == status, (p.returncode, stderr)
    assert "Traceback" not in stderr and stderr.count("\n") == 1 and stderr.endswith("\n"), stderr
    assert not out.exists()  # never a partial output: a stopped audit writes none
    assert sorted(x.name for x in tmp_path.iterdir()) == ["tmp"]  # no temporary file beside it
    assert list(tmpdir.iterdir()) == []  # DuckDB's spill folder removed


def test_ctrl_c_in_a_command_is_one_line_and_130(
    card: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """KeyboardInterrupt anywhere in a command: exit 130, one line (Click would add a blank one)."""
    import asnrules.cli as cli

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "load", interrupted)
    before = signal.getsignal(signal.SIGINT)  # Python's default, or Spark's when a session started first
    with pytest.raises(SystemExit) as e:
        cli.main(["test", str(card)])
    assert e.value.code == 130
    err = capsys.readouterr().err
    assert err == "asnrules: interrupted (Ctrl-C)\n", err
    assert signal.getsignal(signal.SIGINT) is before  # the handlers are restored


# ---- 3. inputs -------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_read_once_or_refused_never_waited_for(card: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "rules.asnr"
    os.mkfifo(fifo)
    line = one_line(run("lint", str(fifo), timeout=60))  # nobody writes to it: refused, no hang
    assert "E001" in line and "named pipe" in line and str(fifo) in line
    writer = threading.Thread(target=lambda: fifo.write_text(CARD), daemon=True)
    writer.start()
    p = run("lint", str(fifo))  # somebody writes to it: read like a file
    writer.join(30)
    assert (p.returncode, p.stdout) == (0, "no problems found in 1 file\n"), p.stderr
    folder = tmp_path / "folder"  # in a folder, a pipe is not a rule file: skipped
    folder.mkdir()
    shutil.copy(card, folder / "card.asnr")
    os.mkfifo(folder / "pipe.asnr")
    p = run("lint", str(folder), timeout=60)
    assert (p.returncode, p.stdout, p.stderr) == (0, "no problems found in 1 file\n", "")
    p = shell(f'cat {card} | "$PY" -m asnrules lint /dev/stdin')  # a pipe for standard input: read once
    assert (p.returncode, p.stdout) == (0, "no problems found in 1 file\n"), p.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_named_as_a_rule_file_is_refused(device: str) -> None:
    line = one_line(run("lint", device))
    assert "E001" in line and device in line and "device" in line


@pytest.mark.parametrize("kind", ["dangling", "looping"])
def test_a_broken_symlink_is_an_error_that_names_it(card: Path, tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(card, folder / "card.asnr")
    link = folder / "broken.asnr"
    link.symlink_to("missing.asnr" if kind == "dangling" else "broken.asnr")
    words = "does not exist" if kind == "dangling" else "loops"
    line = one_line(run("lint", str(link)))  # named
    assert "E001" in line and str(link) in line and words in line
    p = run("lint", str(folder))  # found in a folder: reported by name, and the rest still checked
    assert p.returncode == 2
    assert str(link) in p.stderr and words in p.stderr and len(p.stderr.strip().splitlines()) == 1
    assert p.stdout == "no problems found in 1 file; 1 file could not be read\n"
    assert str(link) in one_line(run("test", str(folder)))  # the other commands stop at it


def _folder_with_unreadable(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "bad.asnr").write_text("between 2023-08-28 and 2023-09-07 in DKI: admn WFH <= 50%\n")
    secret = folder / "secret.asnr"
    secret.write_text(CARD)
    return folder, secret


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_in_a_folder_is_reported_and_the_rest_linted(tmp_path: Path) -> None:
    folder, secret = _folder_with_unreadable(tmp_path)
    os.chmod(secret, 0)
    try:
        p = run("lint", str(folder))
    finally:
        os.chmod(secret, 0o644)
    assert p.returncode == 2
    assert str(secret) in p.stderr and "E001" in p.stderr and len(p.stderr.strip().splitlines()) == 1
    assert "error[E120]: unknown category 'admn'" in p.stdout and "1 file could not be read" in p.stdout


def test_an_unreadable_file_in_a_folder_is_reported_and_the_rest_linted_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same in process, the permission error simulated (the tests may run as root)."""
    import asnrules.cli as cli

    folder, secret = _folder_with_unreadable(tmp_path)
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == secret.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(SystemExit) as e:
        cli.main(["lint", str(folder)])
    out, err = capsys.readouterr()
    assert e.value.code == 2
    assert err.strip() == f"{secret}:1:1: error[E001]: cannot read {secret}: Permission denied"
    assert "error[E120]: unknown category 'admn'" in out
    assert out.strip().splitlines()[-1] == "1 error in 1 file; 1 file could not be read"
    with pytest.raises(SystemExit) as e:
        cli.main(["lint", "--json", str(folder)])
    data = json.loads(capsys.readouterr().out)
    assert e.value.code == 2 and data["errors"] == 1
    message = f"cannot read {secret}: Permission denied"
    assert data["unreadable"] == [{"path": str(secret), "code": "E001", "message": message}]


# ---- 4. exit 2 (or 0), never 3 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("far-from.asnr", "31 December 9999"),
        ("far-between.asnr", "31 December 9999"),
        ("far-on.asnr", "31 December 9999"),
        ("first-day", "1 January 1"),  # superseded from the first day there is
    ],
)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_of_a_rule_that_reaches_the_edge_of_the_calendar(name: str, shown: str, fmt: str) -> None:
    p = run("render", str(HOSTILE / name), "--format", fmt, "--lang", "en")
    if p.returncode == 0:
        assert shown in p.stdout
    else:  # until asnrules.figure can draw the last day: a clear error
        line = one_line(p)
        assert "E328" in line and "31 December 9999" in line


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["lint", LONG], "too long"),
        (["test", LONG + ".asnr"], "too long"),
        (["render", LONG], "too long"),
        (["fmt", LONG], "too long"),
        (["compile", "{card}", "-o", LONG], "too long"),
        (["compile", "{card}", "-o", f"{LONG}/policy.py"], "too long"),
        (["render", "{card}", "-o", LONG], "too long"),
        (["fmt", "{card}", "-o", LONG], "too long"),
        (["audit", "{card}", str(SAMPLE), "--out", LONG + ".csv"], "too long"),
        (["audit", "{card}", LONG + ".csv"], "no such file"),
        (["eval", "{card}", "--date", "2023-08-30", "--region", LONG, "admin:WFH=1"], "unknown province"),
        (["eval", LONG, "--date", "2023-08-30", "--region", "DKI", "admin:WFH=1"], "too long"),
        (["eval", "{card}", "--date", "2023-08-30", "--region", "DKI", f"admin:WFH={LONG}"], "CATEGORY:MODE=N"),
    ],
    ids=lambda x: (
        x if isinstance(x, str) else " ".join("SAMPLE" if a == str(SAMPLE) else a if len(a) < 50 else "LONG" for a in x)
    ),
)
def test_a_very_long_path_is_one_line_and_exit_2(card: Path, args: list[str], words: str) -> None:
    line = one_line(run(*(a.replace("{card}", str(card)) for a in args)))
    assert len(line) < 1000 and line.count("error") == 1 and "error[E" in line and words in line, line[:300]
    if "-o" not in args and "--out" not in args:
        assert "cannot write" not in line, line[:300]  # the input is at fault: nothing was to be written


COMMANDS_PRINTING_MUCH = [
    "render {rules}",
    "render {rules} --format html",
    "compile {rules}",
    "compile {rules} --target sql",
    "fmt --diff {messy}",
    "lint --json {rules}",
    "lint {many}",
    "test --json {rules}",
    "eval {rules} --json --date 2023-08-30 --region DKI admin:WFH=6",
]


@pytest.fixture
def printing(tmp_path: Path) -> dict[str, str]:
    messy = tmp_path / "messy.asnr"
    messy.write_text("BETWEEN 2023-08-28 AND 2023-09-07   IN DKI :admin wfh <= 50%\n" * 3000)
    many = tmp_path / "many.asnr"
    many.write_text("between 2023-08-28 and 2023-09-07 in DKI: admn WFH <= 50%\n" * 3000)
    return {"rules": str(RULES), "messy": str(messy), "many": str(many)}


@pytest.mark.parametrize("command", COMMANDS_PRINTING_MUCH)
def test_a_closed_pipe_exits_0_quietly(command: str, printing: dict[str, str]) -> None:
    p = shell(f'"$PY" -m asnrules {command.format(**printing)} | head -1 >/dev/null')
    assert (p.returncode, p.stderr) == (0, ""), (p.returncode, p.stderr)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "command", [*COMMANDS_PRINTING_MUCH, "lint {rules}", "eval {rules} --date 2023-08-30 --region DKI admin:WFH=6"]
)
def test_a_full_standard_output_is_exit_2_with_e325(command: str, printing: dict[str, str]) -> None:
    with open("/dev/full", "w") as full:
        p = run(*command.format(**printing).split(), stdout=full, stderr=subprocess.PIPE, capture_output=False)
    # in the language of the rule files (rules/ is mostly Indonesian): the code is the same in both
    assert one_line(p).startswith(("asnrules: error[E325]: cannot write", "asnrules: kesalahan[E325]: keluaran tidak"))


def test_input_errors_show_their_code(card: Path) -> None:
    line = one_line(run("eval", str(card), "--date", "2023-08-30", "--region", "Atlantis", "admin:WFH=1"))
    assert line.startswith("asnrules: error[E311]: unknown province 'Atlantis'"), line
    line = one_line(run("eval", str(card), "--date", "2023-02-30", "--region", "DKI", "admin:WFH=1"))
    assert line.startswith("asnrules: error[E310]: "), line
    line = one_line(run("eval", str(card), "--date", "2023-08-30", "--region", "DKI", "admin:WFH=x"))
    assert line.startswith("asnrules: error[E313]: "), line
    line = one_line(run("audit", str(card), "no-such-data.csv"))
    assert line.startswith("asnrules: error[E320]: "), line
    line = one_line(run("audit", str(card), str(SAMPLE), "--column", "nonsense"))
    assert line.startswith("asnrules: error[E322]: "), line


# ---- 5. control characters -------------------------------------------------------------------------


def test_lint_shows_control_characters_escaped_and_the_caret_in_place() -> None:
    p = run("lint", "-v", str(HOSTILE / "controls-bad.asnr"))
    assert p.returncode == 1 and not RAW.search(p.stdout + p.stderr), p.stdout
    assert "unknown region 'Jak\\x1barta\\u202e'" in p.stdout
    lines = p.stdout.splitlines()
    carets = [(source, caret) for source, caret in itertools.pairwise(lines) if caret.endswith("^") and " | " in source]
    assert len(carets) == 2
    assert [source[len(caret) - 1 :][:4] for source, caret in carets] == ['"Jak', "adm "]
    data = run("lint", "--json", str(HOSTILE / "controls-bad.asnr")).stdout
    assert not RAW.search(data) and "Jak\\u001barta\\u202e" in data
    assert json.loads(data)["diagnostics"][0]["message"] == "unknown region 'Jak\x1barta\u202e'"


def test_eval_and_test_show_control_characters_escaped() -> None:
    path = str(HOSTILE / "controls.asnr")
    p = run("eval", path, "--date", "2024-05-07", "--region", "Bali", "--agency", "Ag\x1bency", "adm:WFH=1")
    assert p.returncode == 0 and not RAW.search(p.stdout + p.stderr), p.stdout
    assert "SE \\x1b[31mRED\\x1b[0m \\u202e9/2024" in p.stdout and "Admin \\x1b[1mbold\\u2066" in p.stdout
    line = one_line(run("eval", path, "--date", "2024-05-07", "--region", "Ba\x1bli\u202e", "admin:WFH=1"))
    assert "'Ba\\x1bli\\u202e'" in line and not RAW.search(line)
    p = run("test", path)
    assert not RAW.search(p.stdout + p.stderr) and 'example "ex\\x1b[2J"' in p.stdout, p.stdout
    p = run("eval", path, "--json", "--date", "2024-05-07", "--region", "Bali", "--agency", "Ag\x1bency", "adm:WFH=1")
    assert p.returncode == 0 and not RAW.search(p.stdout) and "\\u202e" in p.stdout
    assert "\u202e" in json.loads(p.stdout)["violations"][0]["circular"]


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["en", "id"])
def test_render_leaves_no_raw_control_character(fmt: str, lang: str, tmp_path: Path) -> None:
    args = ["render", str(HOSTILE / "controls.asnr"), "--format", fmt, "--lang", lang]
    p = run(*args)
    assert p.returncode == 0 and not RAW.search(p.stdout), RAW.findall(p.stdout)
    assert run(*args, "-o", str(tmp_path)).returncode == 0
    for doc in tmp_path.iterdir():
        text = doc.read_text(encoding="utf-8")
        assert not RAW.search(text), (doc.name, RAW.findall(text))
    docs = "".join(doc.read_text(encoding="utf-8") for doc in tmp_path.iterdir())
    for shown in ("x1b", "u202e", "x0d", "x9b", "x07", "u2066"):
        assert shown in docs, shown


def test_md_escape_shows_controls_and_keeps_line_breaks_as_spaces() -> None:
    from asnrules.render import md_escape

    assert md_escape("a\x1b[31mb\rc\u202ed\ne") == "a\\\\x1b\\[31mb\\\\x0dc\\\\u202ed e"


def test_printable() -> None:
    from asnrules.outputs import printable

    assert printable("a\x1b\r\x9b\u202e\u2066\t\n") == "a\\x1b\\x0d\\x9b\\u202e\\u2066\\x09\\x0a"
    assert printable("a\tb\nc\x07", keep="\n\t") == "a\tb\nc\\x07"
    assert printable("é 日本 – “x”") == "é 日本 – “x”"
