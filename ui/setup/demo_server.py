"""The demo's own national server: ``lapor-server`` run by the app on 127.0.0.1 over a SQLite file in the data
directory, so that sync can be seen working on a single PC. No Qt here: the setup jobs run this on worker threads.

The folder (``<data dir>/demo-server``) holds the server's database, blobs, log and ``server.json`` (port, process
id, era) so a later launch starts the same server again, or adopts one left running by a crashed session.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import json
import logging
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from app.errors import LaporError, Message

log = logging.getLogger(__name__)

FOLDER_NAME = "demo-server"
INFO_NAME = "server.json"
HOST = "127.0.0.1"
SLEMAN = "34.04"  # the demo PC's office: Pemerintah Kabupaten Sleman
_BOOT = "import sys; from server.cli import main; sys.argv[0] = 'lapor-server'; main()"
_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window flashing up on Windows


class DemoServerError(LaporError):
    """The demo server could not be prepared or started."""


@dataclass
class DemoServerInfo:
    """What ``server.json`` keeps between launches."""

    port: int
    pid: int | None = None
    era: str = ""

    @classmethod
    def load(cls, folder: Path) -> DemoServerInfo | None:
        try:
            raw = json.loads((folder / INFO_NAME).read_text(encoding="utf-8"))
            return cls(port=int(raw["port"]), pid=raw.get("pid"), era=str(raw.get("era", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (INFO_NAME + ".part")
        tmp.write_text(json.dumps(asdict(self)), encoding="utf-8")
        tmp.replace(folder / INFO_NAME)


def folder_of(data_dir: Path) -> Path:
    return data_dir / FOLDER_NAME


def db_url(folder: Path) -> str:
    return f"sqlite:///{(folder / 'server.sqlite3').as_posix()}"


def server_command() -> list[str] | None:
    """How to run ``lapor-server`` from this program, or None when the server is not installed here (the
    ``server`` extra is missing, or a frozen build without a ``lapor-server`` next to it)."""
    if getattr(sys, "frozen", False):
        here = Path(sys.executable).parent
        for name in ("lapor-server.exe", "lapor-server"):
            if (here / name).is_file():
                return [str(here / name)]
        return None
    for module in ("uvicorn", "fastapi", "server.cli"):
        try:
            if importlib.util.find_spec(module) is None:
                return None
        except (ImportError, ValueError):
            return None
    return [sys.executable, "-c", _BOOT]


def free_port(preferred: int | None = None) -> int:
    """``preferred`` when nothing listens there, else a port the OS hands out."""
    if preferred:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, preferred))
                return preferred
            except OSError:
                pass
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def unavailable_error() -> DemoServerError:
    return DemoServerError(Message("Server demo tidak terpasang pada program ini.",
                                   "The demo server is not installed with this program."))


def failure(what_id: str, what_en: str, detail: str) -> DemoServerError:
    tail = " ".join(detail.strip().splitlines()[-3:])[:400]
    return DemoServerError(Message(f"{what_id}: {tail or 'tanpa keterangan'}", f"{what_en}: {tail or 'no detail'}"))


class AdminProcess:
    """One ``lapor-server admin ... --db <demo db>`` running in the background."""

    def __init__(self, folder: Path, *args: str) -> None:
        command = server_command()
        if command is None:
            raise unavailable_error()
        folder.mkdir(parents=True, exist_ok=True)
        self.name = args[0] if args else "admin"
        self._out, self._err = folder / f"admin-{self.name}.out", folder / f"admin-{self.name}.err"
        with self._out.open("wb") as out, self._err.open("wb") as err:
            self._proc = subprocess.Popen([*command, "admin", *args, "--db", db_url(folder)], stdout=out,
                                          stderr=err, stdin=subprocess.DEVNULL, cwd=folder,
                                          creationflags=_NO_WINDOW)

    def finished(self) -> bool:
        """True once it ended well; raises when it failed."""
        code = self._proc.poll()
        if code is None:
            return False
        if code != 0:
            raise failure("Server demo gagal menyiapkan data", "The demo server failed to prepare its data",
                          self._err.read_text(encoding="utf-8", errors="replace"))
        return True

    def output(self) -> str:
        return self._out.read_text(encoding="utf-8", errors="replace")

    def wait(self, timeout: float, cancel: threading.Event | None = None,
             tick: Callable[[], None] | None = None) -> str:
        """Wait for the end (``tick`` about three times a second); returns its standard output."""
        deadline = time.monotonic() + timeout
        while not self.finished():
            if cancel is not None and cancel.is_set():
                self.stop()
                raise cancelled()
            if time.monotonic() > deadline:
                self.stop()
                raise failure("Perintah server demo terlalu lama", "The demo server command took too long",
                              self.name)
            if tick is not None:
                tick()
            time.sleep(0.3)
        return self.output()

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


def cancelled() -> DemoServerError:
    return DemoServerError(Message("Dibatalkan.", "Cancelled."))


def run_admin(folder: Path, *args: str, timeout: float = 120.0, cancel: threading.Event | None = None) -> str:
    """Run ``lapor-server admin ARGS`` over the demo database to its end; returns its standard output."""
    return AdminProcess(folder, *args).wait(timeout, cancel)


def _count(folder: Path, sql: str, *params: str) -> int:
    """A count from the demo server's database, read-only (0 when it cannot tell yet)."""
    path = folder / "server.sqlite3"
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute(sql, params).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def count_complaints(folder: Path, region_code: str = SLEMAN) -> int:
    """Complaints the demo server holds so far for the office of ``region_code``."""
    return _count(folder, "SELECT count(*) FROM complaints c JOIN offices o ON o.id = c.office_id "
                          "WHERE o.region_code = ?", region_code)


class DemoServer:
    """A running (or starting) demo server. :meth:`stop` ends it; it is also stopped when Python exits."""

    def __init__(self, folder: Path, port: int, proc: subprocess.Popen[bytes] | None = None,
                 pid: int | None = None) -> None:
        self.folder = folder
        self.port = port
        self._proc = proc
        self.pid = proc.pid if proc is not None else pid
        self.seeder: AdminProcess | None = None  # demo complaints still being added in the background
        atexit.register(self.stop)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @classmethod
    def launch(cls, folder: Path, port: int) -> DemoServer:
        """Start ``lapor-server serve`` without waiting for it (see :meth:`wait_until_healthy`)."""
        command = server_command()
        if command is None:
            raise unavailable_error()
        (folder / "blobs").mkdir(parents=True, exist_ok=True)
        token_file = folder / "admin-token"
        if not token_file.exists():  # for `lapor-server simulate-citizens --token ...` against the demo
            fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(24))
        with (folder / "server.log").open("ab") as out:
            proc = subprocess.Popen(
                # --migrate: a demo database made by an older version of this program is brought up to date.
                [*command, "serve", "--migrate", "--db", db_url(folder), "--host", HOST, "--port", str(port),
                 "--blob-dir", str(folder / "blobs"), "--admin-token-file", str(token_file)],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder,
                creationflags=_NO_WINDOW)
        log.info("demo server started on port %d (pid %d)", port, proc.pid)
        return cls(folder, port, proc)

    def running(self) -> bool:
        if self._proc is not None:
            return self._proc.poll() is None
        return self.pid is not None and healthy(self.url)

    def wait_until_healthy(self, timeout: float, cancel: threading.Event | None = None) -> bool:
        """True once /health answers; False on timeout. A server that exits raises with its log's last lines."""
        deadline = time.monotonic() + timeout
        while True:
            if self._proc is not None and self._proc.poll() is not None:
                raise failure("Server demo berhenti", "The demo server stopped", self.log_tail())
            if healthy(self.url):
                return True
            if time.monotonic() > deadline or (cancel is not None and cancel.is_set()):
                return False
            time.sleep(0.1)

    def log_tail(self, lines: int = 5) -> str:
        path = self.folder / "server.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the server to stop and wait for it (killed if it does not stop in time)."""
        _registry.pop(self.folder.resolve(), None)
        if self.seeder is not None:
            self.seeder.stop()
            self.seeder = None
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.terminate()
                try:
                    self._proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
            self._proc = None
        elif self.pid is not None:  # adopted from an earlier session
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and healthy(self.url):
                time.sleep(0.1)
        self.pid = None
        atexit.unregister(self.stop)


def healthy(url: str, timeout: float = 1.0) -> bool:
    import requests  # here, not at the top: every start of the program imports this module (ui.setup.state)

    try:
        return requests.get(url + "/health", timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


def era_at(url: str, timeout: float = 1.0) -> str | None:
    """The era a server at ``url`` reports (identifies the database it serves)."""
    import requests

    try:
        response = requests.get(url + "/version", timeout=timeout)
        return str(response.json().get("era")) if response.status_code == 200 else None
    except (requests.RequestException, ValueError, AttributeError):
        return None


_registry: dict[Path, DemoServer] = {}  # data folder → the server this process runs for it


def register(server: DemoServer) -> DemoServer:
    _registry[server.folder.resolve()] = server
    return server


def running_for(folder: Path) -> DemoServer | None:
    server = _registry.get(folder.resolve())
    if server is not None and not server.running():
        _registry.pop(folder.resolve(), None)
        return None
    return server


def stop_all() -> None:
    for server in list(_registry.values()):
        server.stop()
