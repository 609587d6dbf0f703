"""PouchDB's side of bench/peer.py: ../shared/peer-bench copied to bench/out/peer/ (never changed where it is), its
packages installed by ``npm ci`` from its lock file once per lock file, its documents, its ``pouchdb-server`` and
one repetition of its ``bench.js`` at a time."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from bench.serverproc import free_port

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "peer-bench"
INSTALLED = ".npm-ci-done"  # written after a whole `npm ci`: a folder without it installs again
Log = Callable[[str], None]


def lock_hash(source: Path = SOURCE) -> str:
    return hashlib.sha256((source / "package-lock.json").read_bytes()).hexdigest()[:12]


def peer_folder(out: Path, log: Log, source: Path = SOURCE) -> Path:
    """bench/out/peer/peer-bench-<lock hash>: the scripts copied afresh each run, node_modules kept."""
    if not (source / "package-lock.json").is_file():
        raise FileNotFoundError(f"{source} has no package-lock.json: the peer benchmark is not there")
    folder = out / f"peer-bench-{lock_hash(source)}"
    shutil.copytree(source, folder, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("node_modules", "data", "results"))
    if not (folder / INSTALLED).is_file():
        log(f"npm ci in {folder.relative_to(ROOT)} (once per lock file)…")
        # leveldown ships prebuilt linux-x64 binaries; nodedir avoids a header download (as run.sh does)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=folder, check=True,
                       env=dict(os.environ, npm_config_nodedir="/usr"), stdout=subprocess.DEVNULL)
        (folder / INSTALLED).write_text(lock_hash(source) + "\n")
    for stale in out.glob("peer-bench-*"):
        if stale != folder:
            shutil.rmtree(stale, ignore_errors=True)  # another lock file's packages
    return folder


def documents(folder: Path, n: int, log: Log) -> Path:
    """data/complaints-N.jsonl by gen.js (deterministic: the same N gives the same bytes), made once."""
    path = folder / "data" / f"complaints-{n}.jsonl"
    if not path.is_file():
        log(f"generating {n:,} documents…")
        path.parent.mkdir(exist_ok=True)
        partial = path.with_suffix(".partial")
        subprocess.run(["node", "gen.js", str(n), str(partial)], cwd=folder, check=True, stdout=subprocess.DEVNULL)
        partial.rename(path)
    return path


class PouchServer:
    """``pouchdb-server`` as run.sh starts it: a free loopback port, its files in ``data``, its own session so that
    stopping it stops only what was started here."""

    def __init__(self, folder: Path, data: Path) -> None:
        self.folder, self.data = folder, data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> PouchServer:
        self.data.mkdir(parents=True, exist_ok=True)
        script = self.folder / "node_modules" / "pouchdb-server" / "bin" / "pouchdb-server"
        with (self.data / "stdout.log").open("ab") as out:
            # it writes config.json and log.txt relative to its working directory: keep them in its folder
            self.proc = subprocess.Popen(
                ["node", str(script), "-p", str(self.port), "-o", "127.0.0.1", "-d", f"{self.data}/",
                 "-c", str(self.data / "config.json"), "-n"],
                cwd=self.data, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pouchdb-server exited with {self.proc.returncode}; see {self.data}/stdout.log")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"pouchdb-server did not answer in 30 s; see {self.data}/stdout.log")
            time.sleep(0.2)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: only what we started
                self.proc.wait(timeout=10)


def _step(phase: dict[str, Any]) -> dict[str, Any]:
    return {"seconds": phase["seconds"], "requests": phase["requests"], "bytes": phase["bytes_total"],
            "bytes_up": phase["bytes_up"], "bytes_down": phase["bytes_down"],
            "client_cpu_seconds": phase["client_cpu_seconds"], "server_cpu_seconds": phase["server_cpu_seconds"],
            "by_kind": phase["requests_by_kind"]}


def pouch_rep(folder: Path, server: PouchServer, data: Path, push: int, work: Path, log: Log) -> dict[str, Any]:
    """One repetition of bench.js (fresh server database preloaded, fresh local database): steps a (first pull),
    b (no-op pull), c (push of ``push`` edited documents), and prime and b2 as it measures them."""
    assert server.proc is not None
    work.mkdir(parents=True, exist_ok=True)
    out = work / "pouchdb.json"
    out.unlink(missing_ok=True)
    with (work / "bench.log").open("ab") as console:
        subprocess.run(["node", "--expose-gc", "bench.js", "--server", server.url, "--data", str(data), "--reps", "1",
                        "--push", str(push), "--workdir", str(work / "client"), "--server-dir", str(server.data),
                        "--server-pid", str(server.proc.pid), "--out", str(out)],
                       cwd=folder, check=True, stdout=console, stderr=subprocess.STDOUT)
    phases = json.loads(out.read_text())["runs"][0]["phases"]
    rep = {name: _step(phases[name]) for name in ("a", "b", "c", "prime", "b2")}
    log(f"  PouchDB: first {rep['a']['seconds']:.2f} s, no-op {rep['b']['seconds'] * 1000:.0f} ms, "
        f"push {rep['c']['seconds']:.2f} s")
    return rep


def setup_lines(folder: Path) -> list[str]:
    def version(package: str) -> str:
        path = folder / "node_modules" / package / "package.json"
        return json.loads(path.read_text())["version"] if path.is_file() else "?"

    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return [
        f"- **PouchDB**: ../shared/peer-bench's `bench.js` (PouchDB {version('pouchdb')}, leveldb adapter, Node "
        f"{node}) against `pouchdb-server` {version('pouchdb-server')} on 127.0.0.1, installed by `npm ci` from "
        f"its lock file (sha256 {lock_hash()}…). Per repetition a fresh server database preloaded with `bulkDocs` "
        "(not timed) and a fresh local database: **first sync** = `replicate.from` (step a), **no-op** = "
        "`replicate.from` again (b), **push** = `replicate.to` after every k-th document got `status` and "
        "`updated_at` changed (c; its first push's `_revs_diff` of everything, step prime, is not in it).",
        "- **LAPOR Desk**: a fresh `lapor-server serve` (SQLite, one worker) over a copy of the same documents "
        "loaded into one office (`bench/peer_load.py`), and a freshly enrolled PC with the program's own store and "
        "`SyncEngine`, its garbage collected as in the desktop while a sync runs (automatic collection off, what "
        "is due collected every 0.5 s: `ui.collector`). **First sync** = the reference download and every pull "
        "page; **no-op** = a sync with nothing to do; **push** = the push phase of the sync after as many "
        "complaints got two fields edited through `services.edit_complaint` (title and address; the first open "
        "complaint at or after every k-th document, since a closed one cannot be edited), after an untimed sync "
        "that pushed five edits of other complaints (primed, as PouchDB's push is: the server has applied a push "
        "before). The no-op's server time is also given as the median of the five no-op syncs after the first one, "
        "back to back.",
        "- **Bytes** on both sides: TCP payload counted on the client's sockets, both directions (request and status "
        "lines, headers, bodies as sent: ours zstd both ways above 1 kB (a request in gzip until the first answer "
        "names zstd); PouchDB's answers gzip, its requests uncompressed). **Server time** (ours): from the ASGI call "
        "to the answer's first message, inside the server.",
    ]
