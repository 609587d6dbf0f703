"""The measured syncs of bench/sync_bench.py: a real ``lapor-server`` subprocess, freshly enrolled PCs (the program's
own enrol, store and sync engine), and every HTTP exchange the PC makes, recorded with its bytes on the wire."""

from __future__ import annotations

import gzip
import json
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import func, select

from app import services
from app.config import Paths
from app.domain import Status
from app.models import Attachment, Complaint, TimelineEvent
from app.store.db import Store, open_store
from app.timeutil import utcnow
from bench.sync_seed import Seeded
from server import admin
from server.db import Database, make_engine
from sync.engine import SyncEngine, SyncReport
from sync.enroll import enroll
from sync.protocol import SnapshotTables
from sync.session import build_engine

ROOT = Path(__file__).resolve().parent.parent
CLOSED = (Status.SELESAI, Status.DIARSIPKAN, Status.BUKAN_WEWENANG)


@dataclass
class Exchange:
    """One call of Transport.request: what WireStats counted (compressed bodies; the request's URL is counted with
    its body), an estimate of the HTTP header bytes, and the decoded answer of pulls and reference downloads."""

    method: str
    path: str
    status: int
    sent: int
    received: int
    attempts: int
    headers: int
    seconds: float
    content: bytes | None = None

    @property
    def kind(self) -> str:
        if self.path.startswith("/api/v1/blobs/"):
            return "blob"
        return {"/api/v1/sync/pull": "pull", "/api/v1/sync/push": "push", "/api/v1/reference": "reference"}.get(
            self.path, "other")


@dataclass
class Recorder:
    """Wraps one engine's transport: every exchange, and the time spent waiting before retries."""

    exchanges: list[Exchange] = field(default_factory=list)
    slept: float = 0.0
    waits: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def install(self, engine: SyncEngine) -> None:
        transport = engine.transport
        original, original_sleep, original_add = transport.request, transport.sleep, transport.stats.add
        # Per request, what WireStats counted in the request's own thread: files are fetched several at a time, so
        # the difference of the shared totals before and after a request would include the others in flight.
        mine = threading.local()

        def add(sent: int, received: int) -> None:
            original_add(sent, received)
            counts = getattr(mine, "counts", None)
            if counts is not None:
                counts[0] += sent
                counts[1] += received
                counts[2] += 1

        def request(method: str, path: str, **kwargs: Any) -> requests.Response:
            mine.counts = counts = [0, 0, 0]
            started = time.perf_counter()
            try:
                response = original(method, path, **kwargs)
            finally:
                mine.counts = None
            keep = path in ("/api/v1/sync/pull", "/api/v1/reference")
            self.exchanges.append(Exchange(
                method, path, response.status_code, counts[0], counts[1], counts[2], _header_bytes(response),
                time.perf_counter() - started, response.content if keep else None))
            return response

        def sleep(seconds: float) -> None:
            with self._lock:
                self.slept += seconds
                self.waits += 1
            original_sleep(seconds)

        transport.stats.add = add  # type: ignore[method-assign]
        transport.request = request  # type: ignore[method-assign]
        transport.sleep = sleep

    def take(self) -> list[Exchange]:
        taken, self.exchanges = self.exchanges, []
        return taken


def _header_bytes(response: requests.Response) -> int:
    """The request's and the answer's header block, as HTTP/1.1 writes them (of the last attempt)."""
    req = response.request
    size = len(f"{req.method} {req.path_url} HTTP/1.1\r\n\r\n") + len("HTTP/1.1 200 OK\r\n\r\n")
    size += sum(len(k) + len(v) + 4 for k, v in req.headers.items()) + len("Host: 127.0.0.1:00000\r\n")
    return size + sum(len(k) + len(v) + 4 for k, v in response.headers.items())


class PC:
    """A freshly enrolled office PC: a copy of the template store, enrolled with a new one-time code."""

    def __init__(self, folder: Path, template: Path, server_url: str, db_url: str, seeded: Seeded,
                 name: str) -> None:
        self.paths = Paths(folder)
        folder.mkdir(parents=True)
        shutil.copyfile(template, self.paths.database)
        self.store: Store = open_store(self.paths.database, backup_dir=self.paths.backups)
        self.seeded = seeded
        database = Database(make_engine(db_url, pool_size=1))
        try:
            with database.transaction() as s:
                code = admin.issue_enrollment_code(s, admin.find_office(s, seeded.office_id), utcnow())
        finally:
            database.dispose()
        enroll(self.store, self.paths, server_url=server_url, code=code, device_name=name)
        self.engine = build_engine(self.store, self.paths)
        self.recorder = Recorder()
        self.recorder.install(self.engine)
        self.phase_ends: dict[str, float] = {}  # seconds from the start of the sync to each phase's last report
        self._started = 0.0
        self.engine.progress = self._progress

    def _progress(self, phase: str, done: int, total: int, nbytes: int) -> None:
        self.phase_ends[phase] = time.perf_counter() - self._started

    def sync(self) -> tuple[SyncReport, float, list[Exchange]]:
        self.recorder.take()
        self.recorder.slept, self.recorder.waits = 0.0, 0
        self.phase_ends.clear()
        self._started = time.perf_counter()
        report = self.engine.run_once()
        return report, time.perf_counter() - self._started, self.recorder.take()

    def counts(self) -> dict[str, int]:
        with self.store.read() as s:
            office = Complaint.office_id == self.seeded.office_id
            return {
                "complaints": s.execute(select(func.count()).select_from(Complaint).where(office)).scalar_one(),
                "events": s.execute(select(func.count()).select_from(TimelineEvent)).scalar_one(),
                "attachments": s.execute(select(func.count()).select_from(Attachment)).scalar_one(),
                "files": s.execute(select(func.count()).select_from(Attachment)
                                   .where(Attachment.blob_present.is_(True))).scalar_one(),
                "open_files": s.execute(select(func.count()).select_from(Attachment).join(
                    Complaint, Complaint.id == Attachment.complaint_id).where(Complaint.status.not_in(CLOSED)))
                .scalar_one()}

    def open_complaints(self, n: int) -> list[tuple[str, str]]:
        with self.store.read() as s:
            return [(cid, title) for cid, title in s.execute(
                select(Complaint.id, Complaint.title).where(Complaint.status.not_in(CLOSED))
                .order_by(Complaint.received_at.desc()).limit(n))]

    def edit(self, targets: list[tuple[str, str]], round_no: int) -> float:
        """Two editable fields of each complaint (title and address), as the office admin edits them."""
        started = time.perf_counter()
        for i, (cid, title) in enumerate(targets):
            edit = services.ComplaintEdit(title=f"{title[:120]} (koreksi {round_no})",
                                          address=f"Jl. Kaliurang km {round_no}.{i % 10}, RT {i % 9 + 1:02d}")
            services.edit_complaint(self.engine.ctx, self.seeded.admin_id, cid, edit)
        return time.perf_counter() - started

    def close(self) -> None:
        self.engine.transport.close()
        self.store.close()


def make_template(folder: Path) -> Path:
    """An empty, migrated store with the bundled reference data: each PC starts from a copy."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "template.sqlite3"
    store = open_store(path, backup_dir=folder / "backups")
    store.close()
    return path


def floor_bytes(exchanges: list[Exchange]) -> dict[str, int]:
    """The records the first sync had to deliver, each once in its final state, as compact JSON in ONE stream:
    the reference download and every upserted entity of the pull pages. Also how many entities the pages carried
    (an entity sent in several pages counts each time), and what the pages would weigh on the wire (gzip -6, as the
    server sends them) had each entity been sent only in the first page that carries it."""
    records: dict[tuple[str, str], Any] = {}
    parts: list[Any] = []
    delivered = once_wire = 0
    for ex in exchanges:
        if ex.content is None:
            continue
        body = json.loads(ex.content)
        if ex.kind == "reference":
            parts.append(body)
            once_wire += ex.received
            continue
        fresh = []
        snapshot = body.get("snapshot") or {}
        if body.get("tables"):  # protocol 6: the same entities as tables
            snapshot = SnapshotTables.model_validate(body["tables"]).as_snapshot().model_dump(mode="json")
        for entity_type, rows in (("unit", "units"), ("user", "users"), ("complaint", "complaints"),
                                  ("event", "events"), ("attachment", "attachments")):
            for row in snapshot.get(rows, []):
                delivered += 1
                records[(entity_type, row["id"])] = row
        for change in body.get("changes", []):
            delivered += 1
            key = (change["entity_type"], change["entity_id"])
            if key not in records:
                fresh.append(change)
            records[key] = change.get("data") or change
        once = json.dumps({**body, "changes": fresh}, ensure_ascii=False, separators=(",", ":")).encode()
        once_wire += len(gzip.compress(once, 6)) + ex.sent
    raw = json.dumps([*parts, *records.values()], ensure_ascii=False, separators=(",", ":")).encode()
    return {"raw": len(raw), "gzip9": len(gzip.compress(raw, 9)), "gzip6": len(gzip.compress(raw, 6)),
            "entities": len(records), "delivered": delivered, "once_wire": once_wire}


def totals(exchanges: list[Exchange], kinds: Callable[[str], bool] = lambda _k: True) -> dict[str, float]:
    chosen = [e for e in exchanges if kinds(e.kind)]
    return {"requests": len(chosen), "attempts": sum(e.attempts for e in chosen),
            "sent": sum(e.sent for e in chosen), "received": sum(e.received for e in chosen),
            "bytes": sum(e.sent + e.received for e in chosen), "headers": sum(e.headers for e in chosen),
            "seconds": sum(e.seconds for e in chosen), "retries": sum(e.attempts - 1 for e in chosen)}
