"""``lapor-server serve`` as IT runs it: a real process with one and with two workers answers on loopback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.helpers.postgres import free_port


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_with_one_and_two_workers(tmp_path: Path, workers: int) -> None:
    port = free_port()
    cmd = [sys.executable, "-c", "from server.cli import main; main()", "serve", "--db",
           f"sqlite:///{tmp_path / 'server.sqlite3'}", "--blob-dir", str(tmp_path / "blobs"), "--port", str(port),
           "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        answers: list[dict[str, str]] = []
        while time.monotonic() < deadline and len(answers) < 3:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else "server exited"
            try:
                answers.append(requests.get(f"http://127.0.0.1:{port}/health", timeout=2).json())
            except requests.ConnectionError:
                time.sleep(0.3)
        assert answers and all(a == {"status": "ok", "database": "sqlite"} for a in answers)
        version = requests.get(f"http://127.0.0.1:{port}/version", timeout=5).json()
        assert version["app"] == "lapor-server" and version["era"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
