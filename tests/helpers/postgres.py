"""A throwaway PostgreSQL server for the test run: initdb + pg_ctl in a temp dir, on a free loopback port.

Where PostgreSQL is missing the PostgreSQL tests skip locally but FAIL in CI (CI=true), so they can never
silently stop running there. As root (CI), the server runs as the ``postgres`` system user.
"""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest


def find_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return found[0] if found else shutil.which(name)


# Ports the test processes of this user have handed out, as lock files held until the process ends: another
# xdist worker or another run on the same machine can be given the same port by the kernel before our server binds
# it (or while a stopped server waits to start again on it), and then skips it.
_PORT_LOCKS = Path(tempfile.gettempdir()) / f"lapor-test-ports-{os.getuid()}"
_held_port_locks: list[int] = []


def free_port() -> int:
    """A loopback port that nothing listens on and no other test process was given, for a server started next."""
    _PORT_LOCKS.mkdir(mode=0o700, exist_ok=True)
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        fd = os.open(_PORT_LOCKS / f"{port}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another test process was given this port and may not have bound it yet
            os.close(fd)
            continue
        _held_port_locks.append(fd)
        return port
    raise RuntimeError("no free loopback port")


@dataclass
class PostgresServer:
    data_dir: Path
    port: int
    run_as: list[str]
    pg_ctl: str
    counter: int = 0
    # Run before the server stops (what a fixture set up before this one still needs to read at its end).
    before_stop: list[Callable[[], None]] = field(default_factory=list)

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self) -> str:
        import psycopg

        self.counter += 1
        name = f"lapor_test_{os.getpid()}_{self.counter}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database a test is done with: a run creates hundreds, and a CI disk is not large."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            for last_reads in self.before_stop:
                last_reads()
        finally:
            self._stop()

    def _stop(self) -> None:
        subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.data_dir), "-m", "immediate", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def start_postgres() -> PostgresServer:
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        message = "PostgreSQL (initdb, pg_ctl) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — CI must install it (.ci/run)", pytrace=False)
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="lapor-pg-"))
    data = root / "data"
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*run_as, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"],
                   check=True, capture_output=True)
    port = free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
    subprocess.run([*run_as, pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"],
                   check=True, capture_output=True)
    return PostgresServer(data, port, run_as, pg_ctl)
