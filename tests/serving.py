"""A live ``asnrules serve`` for the tests that need a real server (the acceptance request, the browser
test of the playground, the benchmark): started in a subprocess on a free loopback port, waited for,
and stopped (SIGINT, then SIGKILL) whatever the test does."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def live_server(paths: Sequence[Path | str] = (ROOT / "rules",), timeout: float = 60.0) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of an ``asnrules serve PATHS...`` that runs for the ``with`` block."""
    port = free_port()
    command = [sys.executable, "-m", "asnrules", "serve", *map(str, paths), "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                _out, err = proc.communicate()
                raise RuntimeError(f"asnrules serve exited {proc.returncode}: {err.decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{base}/v1/circulars", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("asnrules serve did not answer in time") from None
                time.sleep(0.1)
        yield base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
