"""A real ``lapor-server serve`` started by a benchmark: on a free port, answering /health before it is used, logged
to a file, stopped with the whole process group it started (its own session, so only what the bench started)."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_command() -> list[str]:
    script = shutil.which("lapor-server", path=str(Path(sys.executable).parent))
    if script:
        return [script]
    # The entry point is missing when the venv was installed before it was declared: same code, via -c.
    return [sys.executable, "-c", "import sys; from server.cli import main; sys.argv[0] = 'lapor-server'; main()"]


class ServerProcess:
    """``lapor-server serve`` over ``db_url``; ``prefix`` runs it inside a network namespace (``ip netns exec``)."""

    def __init__(self, db_url: str, blob_dir: Path, log_path: Path, *, host: str = "127.0.0.1",
                 workers: int = 1, prefix: list[str] | None = None, timeout: float = 120,
                 command: list[str] | None = None, extra_env: dict[str, str] | None = None) -> None:
        """``command``: what runs instead of ``lapor-server`` (a wrapper that calls server.cli.main); ``extra_env``:
        variables added to the server's environment."""
        self.host, self.port = host, free_port()
        self.url = f"http://{host}:{self.port}"
        self.log_path = log_path
        cmd = [*(prefix or []), *(command or server_command()), "serve", "--db", db_url, "--blob-dir",
               str(blob_dir), "--host", host, "--port", str(self.port), "--workers", str(workers)]
        # Also through the environment: `serve` imports server.main (which builds the app at import time from
        # these variables) before it sets them, so with one worker the app would be None without them.
        env = dict(os.environ, **(extra_env or {}), LAPOR_SERVER_DB=db_url, LAPOR_SERVER_BLOB_DIR=str(blob_dir))
        with log_path.open("ab") as log:  # migrating is its own step: serve refuses a database behind the head
            subprocess.run([*(prefix or []), *(command or server_command()), "migrate", "--db", db_url], cwd=ROOT,
                           env=env, stdout=subprocess.DEVNULL, stderr=log, check=True, timeout=timeout)
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        self._wait_healthy(timeout)

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"lapor-server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                conn.request("GET", "/health")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
                self.stop()
                raise RuntimeError(f"lapor-server answered /health with {status}; see {self.log_path}")
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"lapor-server did not answer /health in {timeout:g} s; see {self.log_path}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: only what we started
                self.proc.wait(timeout=10)

    def log_errors(self) -> int:
        return sum('"level": "ERROR"' in line for line in self.log_path.open(errors="replace"))
