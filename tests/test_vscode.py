"""The VS Code extension (editors/vscode/) as VS Code would run it: Node.js loads extension.js with
stand-ins for the two modules VS Code provides (tests/vscode_stub/run.js); the stand-in client
starts the server the extension configures and speaks the protocol to it (initialize, open a file,
its diagnostics, the code lenses, shutdown and exit). VS Code itself is not on this machine."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "editors" / "vscode"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def test_the_extension_starts_the_server_and_gets_its_answers(tmp_path: Path) -> None:
    sample = (ROOT / "rules" / "se-menpanrb-17-2023.asnr").read_text("utf-8")
    text = sample.replace("in DKI: admin WFH <= 50%", "in Jakrta: admin WFH <= 50%", 1)
    doc = tmp_path / "se.asnr"
    doc.write_text(text, "utf-8")
    command = [sys.executable, "-m", "asnrules", "lsp"]
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(ROOT / "tests" / "vscode_stub" / "run.js"), str(EXTENSION), str(doc), json.dumps(command)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # the server says nothing on its standard error, not even when it exits
    report = json.loads(done.stdout)
    package = json.loads((EXTENSION / "package.json").read_text("utf-8"))
    assert report["setting"] in package["contributes"]["configuration"]["properties"]
    assert package["contributes"]["configuration"]["properties"][report["setting"]]["default"] == ["asnrules", "lsp"]
    assert report["selector"] == [{"scheme": "file", "language": package["contributes"]["languages"][0]["id"]}]
    assert report["server"]["command"] == command[0] and report["server"]["args"] == command[1:]
    assert report["debugSame"] and report["subscriptions"] == 1  # stopped with the extension
    answers = report["answers"]
    wanted = {"hoverProvider", "codeLensProvider", "completionProvider", "definitionProvider", "codeActionProvider"}
    assert wanted | {"documentFormattingProvider", "documentSymbolProvider"} <= set(answers["capabilities"])
    line = next(i for i, ln in enumerate(text.splitlines()) if "Jakrta" in ln)
    assert answers["diagnostics"] == [["E121", line]]
    examples = sum(1 for ln in text.splitlines() if ln.startswith("example"))
    not_run = [t for t in answers["lenses"] if t.startswith("…")]  # the rules have an error: not judged
    assert len(not_run) == examples and f"se.asnr:{line + 1}:" in not_run[0]
    assert report["exit"] == 0  # shutdown, then exit: a clean end
