"""The national server as it is deployed: two ``lapor-server serve`` hosts (each its own temp folder, port and one
worker) on one PostgreSQL database migrated once, one file store, and a round-robin proxy in front
(tests/helpers/rr_proxy.py). A host can be killed (kill -9) and started again.

:class:`TwoHosts` looks like tests/sync/serverproc.ServerProcess where the sync tests read one (``url`` is the
proxy's, ``db`` the test's own connection, ``admin`` the national admin's API), so their fleet of PCs runs through
it unchanged.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from server.db import Database, make_engine
from tests.helpers.postgres import free_port
from tests.helpers.rr_proxy import RoundRobinProxy

ADMIN_TOKEN = "twohost-test-admin-token"
BIN = Path(sys.executable).parent
START_TIMEOUT = 60.0


@dataclass
class Host:
    """One ``lapor-server serve`` process; a new process on the same port after :meth:`TwoHosts.start_host`."""

    index: int
    folder: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

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
    def pid(self) -> int:
        assert self.proc is not None and self.proc.poll() is None, f"host {self.index} is not running"
        return self.proc.pid


@dataclass
class TwoHosts:
    """Hosts over ``db_url`` with files in ``files`` (``s3://BUCKET`` with ``env`` holding the endpoint and keys)
    or, when it is None, each host in a folder of its own (uploads that move between hosts cannot work then)."""

    db_url: str
    folder: Path
    files: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    count: int = 2
    kind: str = "postgresql"
    hosts: list[Host] = field(default_factory=list)
    proxy: RoundRobinProxy | None = None
    _db: Database | None = None

    @property
    def url(self) -> str:
        assert self.proxy is not None
        return self.proxy.url

    @property
    def rr(self) -> RoundRobinProxy:
        assert self.proxy is not None
        return self.proxy

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(make_engine(self.db_url, pool_size=2))
        return self._db

    def start(self) -> TwoHosts:
        """``migrate`` once, then every host, then the proxy in front of them."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "migrate.log").open("ab") as log:
            subprocess.run([str(BIN / "lapor-server"), "migrate", "--db", self.db_url], stdout=log,
                           stderr=subprocess.STDOUT, check=True, timeout=120)
        self.hosts = [Host(i, self.folder / f"host{i}") for i in range(self.count)]
        for host in self.hosts:
            host.folder.mkdir()
            (host.folder / "admin-token").write_text(ADMIN_TOKEN)
            self._spawn(host)
        for host in self.hosts:
            self._wait_ready(host)
        self.proxy = RoundRobinProxy([h.url for h in self.hosts]).start()
        return self

    def _spawn(self, host: Host) -> None:
        files = ["--files", self.files] if self.files else ["--blob-dir", str(host.blob_dir)]
        with host.log_path.open("ab") as log:
            host.proc = subprocess.Popen(
                [str(BIN / "lapor-server"), "serve", "--db", self.db_url, "--port", str(host.port), *files,
                 "--admin-token-file", str(host.folder / "admin-token")],
                stdout=log, stderr=subprocess.STDOUT, cwd=host.folder, env={**os.environ, **self.env})

    def _wait_ready(self, host: Host) -> None:
        """Until the host answers /health/ready with 200 (database and file store reachable)."""
        assert host.proc is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if host.proc.poll() is not None:
                raise RuntimeError(f"host {host.index} exited with {host.proc.returncode}:\n{self.log_tail(host)}")
            try:
                if requests.get(host.url + "/health/ready", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)  # polling a process that is starting, not synchronising with our own code
        raise RuntimeError(f"host {host.index} was not ready in {START_TIMEOUT:.0f} s:\n{self.log_tail(host)}")

    def kill(self, index: int) -> None:
        """kill -9 the host and wait until it is gone (its sockets closed by the kernel)."""
        host = self.hosts[index]
        assert host.proc is not None
        os.kill(host.proc.pid, signal.SIGKILL)
        host.proc.wait()

    def start_host(self, index: int) -> None:
        """Start a killed or stopped host again on its port; the proxy sends it requests again once it is ready."""
        host = self.hosts[index]
        assert host.proc is None or host.proc.poll() is not None, f"host {index} is running"
        self._spawn(host)
        self._wait_ready(host)
        self.rr.mark_up(index)

    def alive(self, index: int) -> bool:
        proc = self.hosts[index].proc
        return proc is not None and proc.poll() is None

    def stop(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        for host in self.hosts:
            if host.proc is not None and host.proc.poll() is None:
                host.proc.terminate()
        for host in self.hosts:
            if host.proc is not None:
                try:
                    host.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    host.proc.kill()
                    host.proc.wait()
        self.close_db()

    def close_db(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None

    def stored_bytes(self, sha: str) -> bytes | None:
        """The bytes the server's file store holds under this SHA-256 (read from the store itself, not through a
        host), or None. With a folder per host, the first host's that has it."""
        from server.files import store_from_url

        stores = ([store_from_url(self.files, self.folder, self.env)] if self.files
                  else [store_from_url(str(h.blob_dir), h.blob_dir) for h in self.hosts])
        for store in stores:
            found = store.open_final(sha)
            if found is not None:
                try:
                    return b"".join(found.chunks)
                finally:
                    found.close()
        return None

    @property
    def blob_dir(self) -> StoredFiles:
        return StoredFiles(self.stored_bytes)

    def log_tail(self, host: Host | None = None, lines: int = 40) -> str:
        chosen = [host] if host is not None else self.hosts
        parts = []
        for h in chosen:
            text = h.log_path.read_text(errors="replace") if h.log_path.exists() else ""
            parts.append(f"--- host {h.index} ---\n" + "\n".join(text.splitlines()[-lines:]))
        return "\n".join(parts)

    def admin(self, method: str, path: str, **kwargs: object) -> requests.Response:
        """The national admin's API, through the proxy."""
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]


class StoredFiles:
    """Stands where the single-host sync tests read ``server.blob_dir / sha[:2] / sha``: ``read_bytes()`` of that
    path reads the file named by its last part from the object store, so those tests run here unchanged."""

    def __init__(self, read: Callable[[str], bytes | None], parts: tuple[str, ...] = ()) -> None:
        self._read = read
        self._parts = parts

    def __truediv__(self, part: str) -> StoredFiles:
        return StoredFiles(self._read, (*self._parts, part))

    def read_bytes(self) -> bytes:
        found = self._read(self._parts[-1])
        if found is None:
            raise FileNotFoundError(self._parts[-1])
        return found


@contextmanager
def two_hosts(db_url: str, folder: Path, files: str | None = None, env: dict[str, str] | None = None,
              count: int = 2) -> Iterator[TwoHosts]:
    hosts = TwoHosts(db_url, folder, files, env or {}, count)
    try:
        yield hosts.start()
    finally:
        hosts.stop()
