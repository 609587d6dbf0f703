"""What keeping the national comparison current costs a push (issue 13: ≤ 10 % of push time), for bench/national.py.

An office PC (the program's own store, services and sync engine: bench/sync_runs.PC) works as an office does between
two syncs: complaints taken in, dispositioned, followed up, the reporter's answer recorded or the complaint closed,
a note, an edit. It syncs with its own server (untimed). Each push it sent (the same bytes, the same device token) is
then sent again, in turns, to three servers over identical copies of the database made after the PC enrolled:

- **shipped**: ``lapor-server serve`` as shipped;
- **off**: the same with ``server.kpi_national.before_commit`` replaced by a no-op (a wrapper that patches it, then
  runs server.cli.main: nothing in the program knows about it);
- **timed**: the shipped hook wrapped in a timer that writes, per transaction, the complaints refreshed and the
  nanoseconds spent (the refresh measured directly).

So the three apply exactly the same mutations to the same data; the push time is the HTTP round trip as this bench's
client sees it. Afterwards the shipped copy must hold the pushed complaints' rows and the copy without the hook none.
"""

from __future__ import annotations

import gzip
import http.client
import json
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bench.serverproc import ServerProcess
from bench.sync_runs import PC, make_template
from bench.sync_seed import Seeded
from sync.protocol import zstd

PUSH = "/api/v1/sync/push"
VARIANTS = ("shipped", "off", "timed")
HOOK_ENV, TIMES_ENV = "LAPOR_BENCH_KPI_HOOK", "LAPOR_BENCH_KPI_TIMES"
# Runs the server with the hook replaced (off) or timed; ``lapor-server serve`` otherwise unchanged.
WRAPPER = f"""
import os, sys, time
from server import kpi_national as kn
if os.environ["{HOOK_ENV}"] == "off":
    kn.before_commit = lambda session: None
else:
    shipped = kn.before_commit
    out = open(os.environ["{TIMES_ENV}"], "a", buffering=1)
    def timed(session):
        if session.in_nested_transaction():  # a savepoint released: the hook does nothing there
            shipped(session)
            return
        dirty = len(session.info.get(kn.DIRTY_KEY) or ())
        start = time.perf_counter_ns()
        shipped(session)
        if dirty:
            out.write(f"{{dirty}} {{time.perf_counter_ns() - start}}\\n")
    kn.before_commit = timed
from server.cli import main
sys.argv[0] = "lapor-server"
main()
"""
PASSWORD = "Bench-Nasional-2026"
Log = Callable[[str], None]


@dataclass
class PushResult:
    backend: str
    batch: int
    rounds: int
    warmup: int
    kpi_rows_before: int  # rows in kpi_complaints of the copies (the big database's, or a fresh one's)
    times: dict[str, list[float]] = field(default_factory=lambda: {v: [] for v in VARIANTS})  # ms per push
    primary: list[float] = field(default_factory=list)  # the PC's own sync's push (ms), for comparison
    mutations: list[int] = field(default_factory=list)
    refresh: list[tuple[int, float, int]] = field(default_factory=list)  # (complaints, ms, hook calls) per push
    checks: dict[str, Any] = field(default_factory=dict)


class OfficeDay:
    """A PC's day between syncs: ``batch`` mutations of a fixed mix over complaints at every stage."""

    MIX = ("intake", "intake", "intake", "dispose", "dispose", "follow_up", "follow_up", "finish", "note", "edit")

    def __init__(self, pc: Any, admin_id: str, loket_id: str, units: list[str], categories: list[str],
                 seed: int) -> None:
        self.pc, self.admin, self.loket, self.units, self.categories = pc, admin_id, loket_id, units, categories
        self.rng = random.Random(f"national-push/{seed}")
        self.received: list[str] = []
        self.disposed: list[str] = []
        self.followed: list[str] = []
        self.all: list[str] = []
        self.open: list[str] = []
        self.n = 0

    def work(self, batch: int) -> int:
        """Do ``batch`` steps (an intake where no complaint is ready for a step); returns how many."""
        from app import services
        from app.domain import Channel, Classification
        from app.inputs import IntakeInput, ReporterInput

        ctx, rng = self.pc.engine.ctx, self.rng
        for i in range(batch):
            what = self.MIX[i % len(self.MIX)]
            if what == "dispose" and self.received:
                cid = self.received.pop(0)
                services.dispose(ctx, self.admin, cid, unit_id=rng.choice(self.units),
                                 instruction="Mohon segera ditindaklanjuti")
                self.disposed.append(cid)
            elif what == "follow_up" and self.disposed:
                cid = self.disposed.pop(0)
                services.follow_up(ctx, self.admin, cid, text="Sudah ditangani oleh tim di lapangan pagi ini.")
                self.followed.append(cid)
            elif what == "finish" and self.followed:
                cid = self.followed.pop(0)
                pick = self.n % 3
                if pick == 0:
                    services.record_response(ctx, self.admin, cid, satisfied=True, text="Terima kasih")
                    self.open.remove(cid)
                elif pick == 1:
                    services.record_response(ctx, self.admin, cid, satisfied=False, text="Belum beres")
                    self.disposed.append(cid)
                else:
                    services.close(ctx, self.admin, cid, note="Selesai ditangani")
                    self.open.remove(cid)
            elif what == "note" and self.open:
                services.add_note(ctx, self.admin, rng.choice(self.open), text="Sudah dicek ke lapangan")
            elif what == "edit" and self.open:
                cid = rng.choice(self.open)
                services.edit_complaint(ctx, self.admin, cid, services.ComplaintEdit(
                    address=f"Jl. Kaliurang km {self.n % 20}.{i}, RT {i % 9 + 1:02d}"))
            else:
                self.n += 1
                cid = services.intake(ctx, self.loket, IntakeInput(
                    classification=Classification.PENGADUAN, channel=Channel.WALK_IN,
                    title=f"Jalan berlubang di depan pasar nomor {self.n}",
                    description=f"Jalan di depan pasar nomor {self.n} berlubang besar dan membahayakan pengendara.",
                    category_id=rng.choice(self.categories),
                    reporter=ReporterInput(name=f"Budi Santoso {self.n}", phone="081234567890",
                                           consent_given=True))).complaint_id
                self.received.append(cid)
                self.all.append(cid)
                self.open.append(cid)
        self.n += 1
        return batch


def prepare_office(db_url: str, office_id: str | None, region_code: str) -> dict[str, Any]:
    """In the base database: the office (made when ``office_id`` is None, with six units), its administrator and
    counter clerk. Returns the ids the PC needs."""
    from sqlalchemy import select

    from app.domain import Role
    from app.security import hash_password
    from app.timeutil import utcnow
    from bench.national_db import UNITS
    from server import admin
    from server.db import Database, make_engine
    from server.models import Category, Office, Unit

    now = utcnow()
    engine = make_engine(db_url)
    try:
        with Database(engine).transaction() as s:
            found = s.get(Office, office_id) if office_id is not None else None
            if found is None:
                office = admin.create_office(s, region_code=region_code, name="Pemerintah Kabupaten Sleman",
                                             tz="WIB")
                for name in UNITS:
                    admin.create_unit(s, office, name, now)
            else:
                office = found
            hashed = hash_password(PASSWORD)
            users = {role: admin.create_user(s, office=office, username=f"{role.lower()}.bench", full_name=role,
                                             role=role, password=PASSWORD, unit=None, now=now,
                                             password_hash=hashed).id
                     for role in (Role.ADMIN_INSTANSI, Role.PETUGAS_LOKET)}
            units = list(s.scalars(select(Unit.id).where(Unit.office_id == office.id)))
            categories = sorted(s.scalars(select(Category.id).where(Category.parent_id.is_not(None))))
            return {"office_id": office.id, "region_code": office.region_code, "admin": users[Role.ADMIN_INSTANSI],
                    "loket": users[Role.PETUGAS_LOKET], "units": units, "categories": categories}
    finally:
        engine.dispose()


def _kpi_rows(db_url: str, office_id: str | None = None) -> int:
    from sqlalchemy import func, select

    from server.db import Database, make_engine
    from server.models import KpiComplaint

    engine = make_engine(db_url)
    try:
        with Database(engine).transaction() as s:
            stmt = select(func.count()).select_from(KpiComplaint)
            if office_id is not None:
                stmt = stmt.where(KpiComplaint.office_id == office_id)
            return int(s.execute(stmt).scalar_one())
    finally:
        engine.dispose()


class Replayer:
    """One keep-alive connection to a server; sends a captured push again and times the round trip."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.conn = http.client.HTTPConnection(server.host, server.port, timeout=120)

    def send(self, headers: dict[str, str], body: bytes) -> tuple[float, list[tuple[int, str]]]:
        start = time.perf_counter()
        self.conn.request("POST", PUSH, body, headers)
        response = self.conn.getresponse()
        payload = response.read()
        ms = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise RuntimeError(f"push answered {response.status}: {payload[:300]!r}")
        return ms, _results(payload, response.getheader("Content-Encoding"))

    def close(self) -> None:
        self.conn.close()


def _results(payload: bytes, encoding: str | None) -> list[tuple[int, str]]:
    if encoding == "gzip":
        payload = gzip.decompress(payload)
    return [(r["seq"], r["status"]) for r in json.loads(payload)["results"]]


def run(backend: str, base_url: str, clone: Callable[[str], str], drop: Callable[[str], None],
        office: dict[str, Any], work: Path, *, batch: int, rounds: int, warmup: int, seed: int,
        log: Log) -> PushResult:
    """Enrol a PC on ``base_url``, copy the database three times (``clone``: name → url), and push ``warmup`` +
    ``rounds`` times (each push also sent to the three servers, in turns)."""
    seeded = Seeded(office["office_id"], office["region_code"], office["admin"], 0, 0, 0, 0, 0, 0, 0, 0.0)
    template = make_template(work / "template")
    primary = ServerProcess(base_url, work / "blobs-primary", work / "primary.log")
    pc = None
    servers: dict[str, ServerProcess] = {}
    replayers: dict[str, Replayer] = {}
    urls: dict[str, str] = {}
    try:
        pc = PC(work / "pc", template, primary.url, base_url, seeded, "PC-bench-national")
        pc.sync()
        primary.stop()  # a copy of the database is taken with nobody connected to it
        log(f"  {backend}: copying the database for {', '.join(VARIANTS)}…")
        started = time.perf_counter()
        urls = {v: clone(v) for v in VARIANTS}
        copy_seconds = time.perf_counter() - started
        primary = ServerProcess(base_url, work / "blobs-primary", work / "primary.log")
        pc.engine.transport.settings = replace(pc.engine.transport.settings, base_url=primary.url)
        times_path = work / "refresh.txt"
        for v in VARIANTS:
            command = None if v == "shipped" else [_python(), "-c", WRAPPER]
            extra = {} if v == "shipped" else {HOOK_ENV: v, TIMES_ENV: str(times_path)}
            servers[v] = ServerProcess(urls[v], work / f"blobs-{v}", work / f"{v}.log", command=command,
                                       extra_env=extra)
            replayers[v] = Replayer(servers[v])
        result = PushResult(backend, batch, rounds, warmup, _kpi_rows(urls["shipped"]))
        result.checks["copy_seconds"] = round(copy_seconds, 1)
        captured: list[tuple[dict[str, str], bytes, float, list[tuple[int, str]]]] = []
        inner = pc.engine.transport.request

        def request(method: str, path: str, **kwargs: Any) -> Any:
            start = time.perf_counter()
            response = inner(method, path, **kwargs)
            if path == PUSH:
                prepared = response.request
                headers = {k: str(v) for k, v in prepared.headers.items()
                           if k.lower() not in ("host", "content-length")}
                body = prepared.body
                assert isinstance(body, bytes)
                captured.append((headers, body, (time.perf_counter() - start) * 1000,
                                 _results(response.content, None)))
            return response

        pc.engine.transport.request = request  # type: ignore[method-assign]
        work_office = OfficeDay(pc, office["admin"], office["loket"], office["units"], office["categories"], seed)
        log(f"  {backend}: {warmup} + {rounds} pushes of {batch} mutations…")
        refresh_seen = 0
        for k in range(warmup + rounds):
            work_office.work(batch)
            captured.clear()
            pc.sync()
            if len(captured) != 1:
                raise RuntimeError(f"the sync sent {len(captured)} pushes, expected one")
            headers, body, primary_ms, expected = captured[0]
            order = VARIANTS[k % 3:] + VARIANTS[:k % 3]  # each server first in turn
            answers = {}
            for v in order:
                ms, results = replayers[v].send(headers, body)
                answers[v] = results
                if k >= warmup:
                    result.times[v].append(ms)
            for v, results in answers.items():
                if results != expected:
                    raise RuntimeError(f"{v} answered {results[:3]}…, the PC's server {expected[:3]}…")
            lines = times_path.read_text().splitlines() if times_path.exists() else []
            new, refresh_seen = lines[refresh_seen:], len(lines)
            if k >= warmup:
                result.primary.append(primary_ms)
                coding = headers.get("Content-Encoding")
                mutations = len(json.loads(gzip.decompress(body) if coding == "gzip" else zstd.decompress(body)
                                           if coding == "zstd" else body)["mutations"])
                result.mutations.append(mutations)
                parts = [line.split() for line in new]
                result.refresh.append((sum(int(p[0]) for p in parts), sum(int(p[1]) for p in parts) / 1e6,
                                       len(parts)))
        pushed = len(work_office.all)
        for r in replayers.values():
            r.close()
        result.checks.update({
            "complaints_pushed": pushed,
            "kpi_rows_shipped": _kpi_rows(urls["shipped"], office["office_id"]),
            "kpi_rows_off": _kpi_rows(urls["off"], office["office_id"]),
            "kpi_rows_timed": _kpi_rows(urls["timed"], office["office_id"]),
            "log_errors": {v: s.log_errors() for v, s in servers.items()},
        })
        result.checks["kpi_rows_office_before"] = office.get("kpi_rows_office_before", 0)
        return result
    finally:
        for s in servers.values():
            s.stop()
        primary.stop()
        if pc is not None:
            pc.close()
        for name in urls:
            drop(name)


def _python() -> str:
    import sys

    return sys.executable


def summary(r: PushResult) -> dict[str, float]:
    med = {v: statistics.median(r.times[v]) for v in VARIANTS}
    per_push_refresh = [ms for _, ms, _ in r.refresh]
    return {
        "shipped": med["shipped"], "off": med["off"], "timed": med["timed"],
        "ratio": med["shipped"] / med["off"],
        "paired": statistics.median(a / b for a, b in zip(r.times["shipped"], r.times["off"], strict=True)),
        "refresh_ms": statistics.median(per_push_refresh),
        "refresh_share": statistics.median(ms / t for ms, t in zip(per_push_refresh, r.times["timed"], strict=True)),
        "refresh_per_mutation_ms": sum(per_push_refresh) / sum(r.mutations),
        "refresh_per_complaint_ms": sum(per_push_refresh) / max(1, sum(n for n, _, _ in r.refresh)),
        "mutations": statistics.median(r.mutations),
        "complaints": statistics.median(n for n, _, _ in r.refresh),
        "calls": statistics.median(c for _, _, c in r.refresh),
        "primary": statistics.median(r.primary),
    }


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else values[0]


