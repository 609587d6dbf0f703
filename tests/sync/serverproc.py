"""The real national server in a subprocess (``lapor-server serve``) on 127.0.0.1, and direct access to its database
for seeding offices and for reading what it stored."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from server.db import Database, make_engine
from tests.helpers.postgres import free_port

ADMIN_TOKEN = "sync-test-admin-token"
BIN = Path(sys.executable).parent


@dataclass
class ServerProcess:
    """One ``lapor-server serve`` over ``db_url``. :attr:`db` is the test's own connection to the same database."""

    kind: str  # "sqlite" or "postgresql"
    db_url: str
    folder: Path
    port: int = field(default_factory=free_port)
    _proc: subprocess.Popen[bytes] | None = None
    _db: Database | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def blob_dir(self) -> Path:
        return self.folder / "blobs"

    @property
    def log_path(self) -> Path:
        return self.folder / "server.log"

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(make_engine(self.db_url, pool_size=2))
        return self._db

    def start(self, timeout: float = 60) -> ServerProcess:
        token_file = self.folder / "admin-token"
        token_file.write_text(ADMIN_TOKEN)
        log = self.log_path.open("ab")
        subprocess.run([str(BIN / "lapor-server"), "migrate", "--db", self.db_url], stdout=subprocess.DEVNULL,
                       stderr=log, cwd=self.folder, check=True, timeout=timeout)  # its "up to date" is no log line
        self._proc = subprocess.Popen(
            [str(BIN / "lapor-server"), "serve", "--db", self.db_url, "--port", str(self.port),
             "--blob-dir", str(self.blob_dir), "--admin-token-file", str(token_file)],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"lapor-server exited with {self._proc.returncode}:\n{self.log_tail()}")
            try:
                status = requests.get(self.url + "/health", timeout=2).status_code
            except requests.RequestException:
                status = None
            if status == 200:
                return self
            if status is not None:
                self.stop()
                raise RuntimeError(f"lapor-server answers /health with {status}:\n{self.log_tail()}")
            time.sleep(0.1)
        raise RuntimeError(f"lapor-server did not start:\n{self.log_tail()}")

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    def close_db(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def admin(self, method: str, path: str, **kwargs: object) -> requests.Response:
        """The national admin's API (online complaints, routing)."""
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]
