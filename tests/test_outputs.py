"""Outputs that cannot hurt (issue 9): symlinks, hard links, modes and non-regular files survive a rewrite."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from asnrules.outputs import write_text


def test_rewriting_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_text("old\n")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    write_text(link, "new\n", "the compiled rules")
    assert link.is_symlink() and real.read_text() == "new\n"


def test_rewriting_keeps_hard_links_and_the_mode(tmp_path: Path) -> None:
    a = tmp_path / "a.py"
    a.write_text("old\n")
    os.chmod(a, 0o640)
    b = tmp_path / "b.py"
    os.link(a, b)
    inode = a.stat().st_ino
    write_text(a, "new\n", "the compiled rules")
    assert a.stat().st_ino == inode and b.read_text() == "new\n"
    assert stat.S_IMODE(a.stat().st_mode) == 0o640


def test_mode_kept_for_a_single_file(tmp_path: Path) -> None:
    a = tmp_path / "a.py"
    a.write_text("old\n")
    os.chmod(a, 0o600)
    write_text(a, "new\n", "x")
    assert a.read_text() == "new\n" and stat.S_IMODE(a.stat().st_mode) == 0o600


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_a_device_is_written_directly_not_replaced() -> None:
    write_text(Path("/dev/null"), "x\n", "the compiled rules")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_no_temporary_file_left(tmp_path: Path) -> None:
    write_text(tmp_path / "o.py", "x\n", "x")
    assert [p.name for p in tmp_path.iterdir()] == ["o.py"]


def test_closed_pipe_exits_zero_quietly(tmp_path: Path) -> None:
    import subprocess
    import sys

    f = tmp_path / "c.asnr"
    f.write_text("between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%\n" * 200)
    p = subprocess.run(
        f"{sys.executable} -m asnrules compile {f} | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0 and "internal error" not in p.stderr and "Traceback" not in p.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_full_standard_output_is_exit_2_with_a_code(tmp_path: Path) -> None:
    import subprocess
    import sys

    f = tmp_path / "c.asnr"
    f.write_text("between 2023-08-28 and 2023-09-07 in DKI: admin WFH <= 50%\n")
    with open("/dev/full", "w") as full:
        p = subprocess.run(
            [sys.executable, "-m", "asnrules", "compile", str(f)], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert p.returncode == 2 and "E325" in p.stderr and len(p.stderr.strip().splitlines()) == 1
