"""LAPOR Desk's side of bench/peer.py: the documents loaded into a server database once per size (cached), then
per repetition a fresh ``lapor-server`` over a copy of it and a freshly enrolled PC, with every byte its HTTP
connections carry counted on their sockets."""

from __future__ import annotations

import gc
import hashlib
import itertools
import shutil
import socket
import statistics
import sys
import tempfile
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import select
from urllib3.connection import HTTPConnection
from urllib3.connectionpool import HTTPConnectionPool

from app import collector
from app.domain import OPEN_STATUSES
from app.models import Complaint
from bench.peer_load import Loaded, load, read_documents
from bench.peer_report import NOOPS_AFTER
from bench.serverproc import ServerProcess
from bench.sync_runs import PC, Exchange, make_template
from bench.sync_seed import Seeded

ROOT = Path(__file__).resolve().parent.parent
TIMES_ENV = "LAPOR_BENCH_REQUEST_TIMES"
PRIME_EDITS = 5  # edits pushed, untimed, before the timed push
# `lapor-server serve` with its app wrapped: each request's time from the ASGI call to the answer's first message
# (headers: the routes and the gzip middleware build the whole answer before it) appended to a file.
SERVER_WRAPPER = f"""
import os, sys, time
import server.main as entry
shipped = entry.build
out = open(os.environ["{TIMES_ENV}"], "a", buffering=1)
def build():
    app = shipped()
    async def timed(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        start = time.perf_counter_ns()
        async def send_timed(message):
            if message["type"] == "http.response.start":
                out.write(f"{{scope['method']}} {{scope['path']}} {{time.perf_counter_ns() - start}}\\n")
            await send(message)
        await app(scope, receive, send_timed)
    return timed
entry.build = build
from server.cli import main
sys.argv[0] = "lapor-server"
main()
"""


class WireCount:
    """TCP payload bytes of one PC's connections, by the kind of exchange in flight in the thread that sent or
    received them (sync_runs.Exchange.kind)."""

    def __init__(self) -> None:
        self.up: dict[str, int] = defaultdict(int)
        self.down: dict[str, int] = defaultdict(int)
        self.kind = threading.local()
        self._lock = threading.Lock()

    def add(self, up: int, down: int) -> None:
        kind = getattr(self.kind, "name", "other")
        with self._lock:
            if up:
                self.up[kind] += up
            if down:
                self.down[kind] += down

    def take(self) -> tuple[dict[str, int], dict[str, int]]:
        with self._lock:
            taken = dict(self.up), dict(self.down)
            self.up.clear()
            self.down.clear()
        return taken


class _CountedSocket(socket.socket):
    count: WireCount

    def sendall(self, data: Any, flags: int = 0) -> None:
        super().sendall(data, flags)
        self.count.add(memoryview(data).nbytes, 0)

    def send(self, data: Any, flags: int = 0) -> int:
        sent = super().send(data, flags)
        self.count.add(sent, 0)
        return sent

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        got = super().recv_into(buffer, nbytes, flags)
        self.count.add(0, got)
        return got

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        data = super().recv(bufsize, flags)
        self.count.add(0, len(data))
        return data


def count_wire(pc: PC) -> WireCount:
    """Count every byte of the PC's HTTP connections (plain HTTP: the bench's server is on 127.0.0.1)."""
    count = WireCount()

    class CountedConnection(HTTPConnection):
        def connect(self) -> None:
            super().connect()
            timeout = self.sock.gettimeout()
            counted = _CountedSocket(self.sock.family, self.sock.type, self.sock.proto, fileno=self.sock.detach())
            counted.count = count
            counted.settimeout(timeout)
            self.sock = counted

    class CountedPool(HTTPConnectionPool):
        ConnectionCls = CountedConnection

    adapter = HTTPAdapter()
    adapter.poolmanager.pool_classes_by_scheme = {**adapter.poolmanager.pool_classes_by_scheme,
                                                  "http": CountedPool}
    transport = pc.engine.transport
    transport._session.mount("http://", adapter)  # the transport has no public hook for its connections
    inner = transport.request

    def request(method: str, path: str, **kwargs: Any) -> requests.Response:
        count.kind.name = Exchange(method, path, 0, 0, 0, 0, 0, 0.0).kind
        try:
            return inner(method, path, **kwargs)
        finally:
            count.kind.name = "other"

    transport.request = request  # type: ignore[method-assign]
    return count


def _cache_key(n: int) -> str:
    from server.db import MIGRATIONS_DIR

    h = hashlib.sha256(str(n).encode())
    for module in ("peer_load.py", "sync_seed.py"):
        h.update((ROOT / "bench" / module).read_bytes())
    for path in sorted(MIGRATIONS_DIR.rglob("*.py")):  # contents too: an unreleased migration may be edited
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


@contextmanager
def collected_as_the_desktop_does() -> Iterator[None]:
    """The PC's syncs run as they run in lapor-desk: there the sync works in the window's task threads, automatic
    garbage collection is off while they exist, and the GUI thread collects what is due every
    app.collector.CHECK_SECONDS (ui.collector). Here a thread of its own does that collecting."""
    was = gc.isenabled()
    stop = threading.Event()

    def check() -> None:
        while not stop.wait(collector.CHECK_SECONDS):
            collector.collect_due()

    checker = threading.Thread(target=check, name="bench-collector", daemon=True)
    gc.disable()
    checker.start()
    try:
        yield
    finally:
        stop.set()
        checker.join()
        if was:
            gc.enable()


class OurSide:
    def __init__(self, out: Path, work: Path, log: Callable[[str], None]) -> None:
        self.out, self.work, self.log = out, work, log
        self.template = make_template(work / "template")
        self.loaded: dict[int, tuple[Path, Loaded, list[str]]] = {}
        self.notes: list[str] = []

    def prepare(self, n: int, data: Path) -> None:
        """The server database with the ``n`` documents (bench/out/peer/loaded-N-<key>/, made once)."""
        folder = self.out / f"loaded-{n}-{_cache_key(n)}"
        manifest = folder / "loaded.json"
        if not manifest.is_file():
            for old in self.out.glob(f"loaded-{n}-*"):
                shutil.rmtree(old, ignore_errors=True)  # stale: the loader or the schema changed since
            building = Path(tempfile.mkdtemp(prefix="loading-", dir=self.out))
            self.log(f"loading {n:,} documents into a server database…")
            loaded = load(f"sqlite:///{building / 'server.sqlite3'}", read_documents(data))
            (building / "loaded.json").write_text(loaded.to_json())
            building.rename(folder)
            self.log(f"  loaded in {loaded.seconds:.0f} s: {loaded.events:,} events, "
                     f"{loaded.changelog_rows:,} change-log rows in {loaded.transactions:,} transactions")
        loaded = Loaded.from_json(manifest.read_text())
        order = [doc["id"] for doc in read_documents(data)]
        self.loaded[n] = (folder, loaded, order)
        self.notes.append(
            f"{n:,} complaints: the server holds them with {loaded.events:,} timeline events and "
            f"{loaded.changelog_rows:,} change-log rows in {loaded.transactions:,} transactions "
            f"(loaded in {loaded.seconds:.0f} s, not timed).")

    def rep(self, n: int, push: int, r: int) -> dict[str, Any]:
        folder, loaded, order = self.loaded[n]
        work = self.work / f"ours-{n}-{r}"
        work.mkdir(parents=True)
        shutil.copyfile(folder / "server.sqlite3", work / "server.sqlite3")
        db_url = f"sqlite:///{work / 'server.sqlite3'}"
        times = work / "request-times.txt"
        server = ServerProcess(db_url, work / "blobs", work / "server.log", command=[sys.executable, "-c",
                               SERVER_WRAPPER], extra_env={TIMES_ENV: str(times)})
        seeded = Seeded(loaded.office_id, loaded.region_code, loaded.admin_id, loaded.complaints, 0, loaded.events,
                        0, 0, 0, 0, 0.0)
        pc: PC | None = None
        try:
            pc = PC(work / "pc", self.template, server.url, db_url, seeded, f"PC-peer-{r}")
            with collected_as_the_desktop_does():
                return self._measure(pc, count_wire(pc), loaded, order, push, times)
        finally:
            if pc is not None:
                pc.close()
            server.stop()
            if errors := server.log_errors():
                raise RuntimeError(f"the server logged {errors} error(s); see {work / 'server.log'}")
            shutil.rmtree(work, ignore_errors=True)

    def _measure(self, pc: PC, wire: WireCount, loaded: Loaded, order: list[str], push: int,
                 times: Path) -> dict[str, Any]:
        server = _ServerTimes(times)
        wire.take()
        first = _sync(pc, wire)
        first["server_ms"] = server.since_last()
        counts = pc.counts()
        if (counts["complaints"], counts["events"]) != (loaded.complaints, loaded.events):
            raise AssertionError(f"the PC holds {counts['complaints']} complaints and {counts['events']} events, "
                                 f"the server {loaded.complaints} and {loaded.events}")
        noop = _sync(pc, wire)
        noop["server_ms"] = server.since_last()
        # A PC syncs every few minutes against a server that has long been running: the no-ops after the first one
        # (back to back; the first one of a fresh server also compiles the statements only a no-op uses).
        following = []
        for _ in range(NOOPS_AFTER):
            _sync(pc, wire)
            following.append(server.since_last())
        noop["server_ms_after"] = statistics.median(following)
        targets = edit_targets(pc, order, push)
        # Primed, as PouchDB's push is (its step "prime"): edits of a few other complaints pushed first, untimed,
        # so that the timed push meets a server that has applied a push before (its statements compiled), as a
        # running server has.
        pc.edit(prime_targets(pc, order, targets), 0)
        pc.sync()
        server.since_last()
        pc.edit(targets, 1)
        wire.take()
        report, seconds, exchanges = pc.sync()
        up, down = wire.take()
        if report.applied + report.merged != push or report.rejected or report.conflicts:
            raise AssertionError(f"push: {report.applied} applied, {report.merged} merged, {report.conflicts} "
                                 f"conflicts, {len(report.rejected)} rejected of {push}")
        pushes = [e for e in exchanges if e.kind == "push"]
        edits = {"seconds": pc.phase_ends["push"], "requests": sum(e.attempts for e in pushes),
                 "bytes": up.get("push", 0) + down.get("push", 0), "bytes_up": up.get("push", 0),
                 "bytes_down": down.get("push", 0), "server_ms": server.since_last("/api/v1/sync/push"),
                 "sync_seconds": seconds, "sync_requests": sum(e.attempts for e in exchanges),
                 "sync_bytes": sum(up.values()) + sum(down.values())}
        self.log(f"  LAPOR Desk: first {first['seconds']:.2f} s, no-op {noop['seconds'] * 1000:.0f} ms "
                 f"(server {noop['server_ms']:.1f} ms), push {edits['seconds']:.2f} s "
                 f"(server {edits['server_ms']:.0f} ms)")
        return {"a": first, "b": noop, "c": edits}


class _ServerTimes:
    """The server's handling times (SERVER_WRAPPER's file): the sum over the requests answered since the last call."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen = len(self._lines())

    def _lines(self) -> list[str]:
        return self.path.read_text().splitlines() if self.path.exists() else []

    def since_last(self, path: str | None = None) -> float:
        lines = self._lines()
        new, self.seen = lines[self.seen:], len(lines)
        return sum(int(ns) for _method, where, ns in (line.split(" ") for line in new)
                   if path is None or where == path) / 1e6


def _sync(pc: PC, wire: WireCount) -> dict[str, Any]:
    _report, seconds, exchanges = pc.sync()
    up, down = wire.take()
    kinds: dict[str, int] = defaultdict(int)
    for e in exchanges:
        kinds[f"{e.method} {e.path}"] += e.attempts
    return {"seconds": seconds, "requests": sum(e.attempts for e in exchanges),
            "bytes": sum(up.values()) + sum(down.values()), "bytes_up": sum(up.values()),
            "bytes_down": sum(down.values()), "by_kind": dict(kinds)}


def prime_targets(pc: PC, order: list[str], targets: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """:data:`PRIME_EDITS` open complaints that are not among ``targets`` (for the untimed push before the timed
    one: several, so that the server applies them as a run, as it does the timed ones)."""
    taken = {cid for cid, _title in targets}
    with pc.store.read() as s:
        rows = {cid: (status, title) for cid, status, title in
                s.execute(select(Complaint.id, Complaint.status, Complaint.title))}
    chosen = [(cid, rows[cid][1]) for cid in reversed(order)
              if cid not in taken and rows[cid][0] in OPEN_STATUSES][:PRIME_EDITS]
    if len(chosen) < PRIME_EDITS:
        raise AssertionError("not enough open complaints left to prime the push with")
    return chosen


def edit_targets(pc: PC, order: list[str], push: int) -> list[tuple[str, str]]:
    """``push`` complaints to edit: for every k-th document (k = documents ÷ push, as bench.js picks them) the first
    open complaint at or after it that is not taken yet (title kept for the edit)."""
    with pc.store.read() as s:
        rows = {cid: (status, title) for cid, status, title in
                s.execute(select(Complaint.id, Complaint.status, Complaint.title))}
    step = len(order) // push
    chosen: list[tuple[str, str]] = []
    taken: set[str] = set()
    for i in range(push):
        for cid in itertools.islice(order, i * step, None):
            status, title = rows[cid]
            if cid not in taken and status in OPEN_STATUSES:
                chosen.append((cid, title))
                taken.add(cid)
                break
    if len(chosen) < push:
        raise AssertionError(f"only {len(chosen)} open complaints to edit, {push} wanted")
    return chosen
