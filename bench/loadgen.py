"""The load generator for ``bench.server_load``: N concurrent clients over raw HTTP/1.1 keep-alive (asyncio streams,
no third-party client), one connection each, in a process of its own.

Run as ``python -m bench.loadgen`` with a JSON spec on stdin; it prints one JSON report on stdout. Each round runs
three closed-loop phases of ``warmup + seconds`` each (GET /health, no-op pulls, pushes of intake mutations) and
counts only what completes inside the measured window. Between phases each client catches its pull cursor up
(untimed), and at the end any push whose answer was lost is sent again (push is idempotent), so the caller can
check that every mutation was applied exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.ids import new_id
from app.rules import tracking
from sync.protocol import HEADER_APP_VERSION, HEADER_PROTOCOL, PROTOCOL_VERSION, payload_hash

REQUEST_TIMEOUT = 60.0  # one request; a server this slow is broken, not busy
DRAIN_TIMEOUT = 90.0  # after a phase's deadline, for the requests still in flight


class HttpError(Exception):
    """The connection broke or the answer was not HTTP/1.1 we understand."""


class Connection:
    """One keep-alive HTTP/1.1 connection; reconnects lazily after the server closed it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self.opened = 0

    async def _open(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        self.opened += 1

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None

    async def request(self, head: bytes, body: bytes = b"") -> tuple[int, dict[bytes, bytes], bytes]:
        """Send one request; on a connection the server had already closed, reconnect and send it once more."""
        for attempt in (1, 2):
            fresh = self._writer is None
            if fresh:
                await self._open()
            try:
                return await asyncio.wait_for(self._exchange(head, body), REQUEST_TIMEOUT)
            except TimeoutError:
                self.close()
                raise
            except (OSError, asyncio.IncompleteReadError, HttpError):
                self.close()
                if fresh or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, head: bytes, body: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
        assert self._reader is not None and self._writer is not None
        self._writer.write(head + body)
        await self._writer.drain()
        raw = await self._reader.readuntil(b"\r\n\r\n")
        lines = raw.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise HttpError(f"bad status line {lines[0][:60]!r}")
        status = int(parts[1])
        headers: dict[bytes, bytes] = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
        if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            chunks = []
            while True:
                size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunks.append(await self._reader.readexactly(size + 2))
                if size == 0:
                    break
            payload = b"".join(c[:-2] for c in chunks)
        else:
            payload = await self._reader.readexactly(int(headers.get(b"content-length", b"0")))
        if headers.get(b"connection", b"").lower() == b"close":
            self.close()
        return status, headers, payload


@dataclass
class Client:
    """One enrolled PC: its credentials, its own office and counter-staff account, its gap-free seq."""

    token: str
    client_id: str
    user_id: str
    region4: str
    device_no: int
    conn: Connection
    cursor: str | None = None
    next_seq: int = 1  # the next seq to put in a new batch
    acked: int = 0  # every seq up to this one has an answer
    pending: bytes | None = None  # a push body whose answer has not been read
    pending_last: int = 0


@dataclass
class PhaseStats:
    """One phase: every answer from its start to its last in-flight request, and CPU use in its window."""

    name: str
    seconds: float
    start: float = 0.0
    last_answer: float = 0.0
    requests: int = 0  # 200 answers over the whole phase
    items: int = 0  # mutations applied (push) or requests (others), over the whole phase
    latencies: list[float] = field(default_factory=list)  # of every answered request
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    cpu: dict[str, float] = field(default_factory=dict)  # cores busy in the window, by who

    def report(self) -> dict[str, Any]:
        lat = sorted(self.latencies)

        def pct(p: float) -> float | None:
            return round(1000 * lat[min(len(lat) - 1, int(p * len(lat)))], 2) if lat else None

        span = max(1e-9, self.last_answer - self.start)
        return {"phase": self.name, "seconds": self.seconds, "span_s": round(span, 2), "requests": self.requests,
                "requests_per_s": self.requests / span, "items": self.items, "items_per_s": self.items / span,
                "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
                "statuses": {str(k): v for k, v in sorted(self.statuses.items())}, "errors": dict(self.errors),
                "cpu_cores": {k: round(v, 2) for k, v in self.cpu.items()}}


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies summed over all cores."""
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:8]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def _tree_ticks(roots: dict[str, int]) -> dict[str, int]:
    """CPU jiffies (user + system) of each root process and all its descendants."""
    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        pid = int(entry)
        parent[pid] = int(fields[1])
        # utime + stime + cutime + cstime: a reaped child's time moves to its parent, so a tree's sum is kept
        # when a PostgreSQL backend or a pooled connection's process ends inside the window.
        ticks[pid] = sum(int(v) for v in fields[11:15])
    out = {}
    for name, root in roots.items():
        total = 0
        for pid, t in ticks.items():
            p, hops = pid, 0
            while p > 1 and p != root and hops < 50:
                p, hops = parent.get(p, 0), hops + 1
            total += t if p == root else 0
        out[name] = total
    return out


class LoadGenerator:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        host, port = spec["host"], int(spec["port"])
        self.host_header = f"{host}:{port}"
        self.clients = [Client(token=c["token"], client_id=c["client_id"], user_id=c["user_id"],
                               region4=c["region4"], device_no=int(c["device_no"]), conn=Connection(host, port))
                        for c in spec["clients"]]
        self.batch = int(spec["batch"])
        self.app_version = str(spec["app_version"])
        self.nonempty_pulls = 0
        self.non_applied: Counter[str] = Counter()
        self.push_stops: Counter[str] = Counter()
        self.watch: dict[str, int] = {k: int(v) for k, v in spec.get("watch", {}).items()}

    # ---- requests -------------------------------------------------------------------------------------------

    def _head(self, method: str, path: str, client: Client | None, length: int | None) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host_header}"]
        if client is not None:
            lines += [f"Authorization: Bearer {client.token}", f"{HEADER_PROTOCOL}: {PROTOCOL_VERSION}",
                      f"{HEADER_APP_VERSION}: {self.app_version}"]
        if length is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {length}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    async def _post(self, client: Client, path: str, body: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
        return await client.conn.request(self._head("POST", path, client, len(body)), body)

    def _intake_batch(self, client: Client) -> bytes:
        """``batch`` new complaints as the desktop captures them at intake (a named walk-in reporter)."""
        mutations = []
        for _ in range(self.batch):
            seq = client.next_seq
            client.next_seq += 1
            now = datetime.now(UTC).isoformat()
            cid, reporter_id = new_id(), new_id()
            args = {
                "complaint": {
                    "id": cid, "tracking_code": tracking.make_code(client.region4, client.device_no, seq),
                    "classification": "PENGADUAN", "category_id": None, "title": "Jalan berlubang di depan pasar",
                    "description": "Jalan di depan pasar berlubang besar dan membahayakan pengendara motor.",
                    "channel": "WALK_IN", "is_anonymous": False, "is_confidential": False,
                    "status": "BELUM_TERVERIFIKASI", "received_at": now, "reporter_id": reporter_id,
                },
                "reporter": {"id": reporter_id, "name": "Budi Santoso", "phone": "081234567890", "consent_at": now},
                "event": {"id": new_id(), "complaint_id": cid, "kind": "RECEIVED", "at": now,
                          "actor_user_id": client.user_id, "to_status": "BELUM_TERVERIFIKASI"},
            }
            h = payload_hash("complaint.intake", 1, "complaint", cid, 0, client.user_id, args)
            mutations.append({"seq": seq, "mutation_id": new_id(), "name": "complaint.intake", "version": 1,
                              "entity_type": "complaint", "entity_id": cid, "base_version": 0,
                              "user_id": client.user_id, "client_time": now, "args": args, "payload_hash": h})
        client.pending_last = client.next_seq - 1
        return json.dumps({"client_id": client.client_id, "mutations": mutations}).encode()

    async def push_once(self, client: Client) -> tuple[int, int]:
        """Push the pending batch (or a new one); return (HTTP status, mutations newly applied)."""
        if client.pending is None:
            client.pending = self._intake_batch(client)
        status, headers, payload = await self._post(client, "/api/v1/sync/push", client.pending)
        if status != 200:
            await self._back_off(status, headers)
            return status, 0
        answer = json.loads(payload)
        applied = 0
        for result in answer["results"]:
            if result["seq"] > client.acked:
                if result["status"] == "applied":
                    applied += 1
                else:
                    self.non_applied[f"{result['status']}:{result.get('code')}"] += 1
        if answer.get("stopped"):
            self.push_stops[answer["stopped"]] += 1
        client.acked = max(client.acked, int(answer["acked_seq"]))
        if client.acked >= client.pending_last:
            client.pending = None
        return status, applied

    async def pull_once(self, client: Client, limit: int = 500) -> tuple[int, int, bool]:
        """One pull from the client's cursor; return (HTTP status, changes received, has_more)."""
        body = json.dumps({"cursor": client.cursor, "limit": limit}).encode()
        status, headers, payload = await self._post(client, "/api/v1/sync/pull", body)
        if status != 200:
            await self._back_off(status, headers)
            return status, 0, True
        answer = json.loads(payload)
        client.cursor = answer["cursor"]
        return status, len(answer["changes"]), bool(answer["has_more"])

    async def health_once(self, client: Client) -> int:
        status, headers, _ = await client.conn.request(self._head("GET", "/health", None, None))
        if status != 200:
            await self._back_off(status, headers)
        return status

    @staticmethod
    async def _back_off(status: int, headers: dict[bytes, bytes]) -> None:
        """As a real client does on 429/503: wait what the server asked (bounded)."""
        if status in (429, 503):
            await asyncio.sleep(min(5.0, float(headers.get(b"retry-after", b"1"))))

    # ---- phases ---------------------------------------------------------------------------------------------

    async def catch_up(self) -> None:
        """Bring every cursor to the end of its office's feed (untimed), so the next pulls have nothing to send."""

        async def one(client: Client) -> None:
            for _ in range(1000):
                status, _, more = await self.pull_once(client, limit=2000)
                if status == 200 and not more:
                    return
            raise RuntimeError("catch-up did not reach the end of the feed")

        await asyncio.gather(*(one(c) for c in self.clients))

    async def flush_pending(self) -> None:
        """Send again every push whose answer was lost, until each is answered (idempotent on the server)."""

        async def one(client: Client) -> None:
            for _ in range(20):
                if client.pending is None:
                    return
                try:
                    await self.push_once(client)
                except (OSError, asyncio.IncompleteReadError, HttpError, TimeoutError):
                    await asyncio.sleep(1)

        await asyncio.gather(*(one(c) for c in self.clients))

    async def run_phase(self, name: str) -> PhaseStats:
        """Closed loop: every client sends its next request when the last one is answered, until the window
        ends; then the requests still in flight are awaited. Rates are over the whole phase, from the first
        request to the last answer: with every client busy the server is never idle in between, which holds
        even when a congested server answers in bursts longer than the window."""
        warmup, seconds = float(self.spec["warmup"]), float(self.spec["seconds"])
        stats = PhaseStats(name, seconds)
        loop = asyncio.get_running_loop()
        stats.start = loop.time()
        begin = stats.start + warmup
        end = begin + seconds

        async def one(client: Client) -> None:
            while loop.time() < end:
                t0 = loop.time()
                try:
                    if name == "health":
                        status, items = await self.health_once(client), 1
                    elif name == "pull":
                        status, changes, _ = await self.pull_once(client)
                        self.nonempty_pulls += changes > 0
                        items = 1
                    else:
                        status, items = await self.push_once(client)
                except (OSError, asyncio.IncompleteReadError, HttpError, TimeoutError) as exc:
                    stats.errors[type(exc).__name__] += 1
                    await asyncio.sleep(0.1)
                    continue
                t1 = loop.time()
                stats.statuses[status] += 1
                if status == 200:
                    stats.requests += 1
                    stats.items += items
                    stats.last_answer = max(stats.last_answer, t1)
                    stats.latencies.append(t1 - t0)

        async def sample() -> None:
            await asyncio.sleep(max(0.0, begin - loop.time()))
            cpu0, machine0, trees0 = time.process_time(), _cpu_ticks(), _tree_ticks(self.watch)
            await asyncio.sleep(max(0.0, end - loop.time()))
            cpu1, machine1, trees1 = time.process_time(), _cpu_ticks(), _tree_ticks(self.watch)
            hz, cores = os.sysconf("SC_CLK_TCK"), os.cpu_count() or 1
            wall = (machine1[1] - machine0[1]) / cores / hz  # seconds, as the kernel counted them
            busy = (machine1[0] - machine0[0]) / hz / max(wall, 1e-9)
            stats.cpu = {"machine": busy, "loadgen": (cpu1 - cpu0) / max(wall, 1e-9)}
            for key in self.watch:
                stats.cpu[key] = (trees1[key] - trees0[key]) / hz / max(wall, 1e-9)
            stats.cpu["other"] = max(0.0, busy - sum(v for k, v in stats.cpu.items() if k != "machine"))

        tasks = [asyncio.ensure_future(one(c)) for c in self.clients]
        await sample()
        done, late = await asyncio.wait(tasks, timeout=DRAIN_TIMEOUT)
        for task in late:  # bounded: a request that never answers is dropped; its push is resent by flush_pending
            task.cancel()
            stats.errors["still_running_after_drain"] += 1
        for task in done:
            if task.exception() is not None:
                stats.errors[repr(task.exception())[:80]] += 1
        if late:
            await asyncio.gather(*late, return_exceptions=True)
            for client in self.clients:
                client.conn.close()
        return stats

    async def run(self) -> dict[str, Any]:
        rounds: list[dict[str, Any]] = []
        for _ in range(int(self.spec["rounds"])):
            phases: dict[str, Any] = {}
            for name in self.spec["phases"]:
                if name == "pull":
                    await self.catch_up()
                phases[name] = (await self.run_phase(name)).report()
            rounds.append(phases)
        await self.flush_pending()
        connections = sum(c.conn.opened for c in self.clients)
        for client in self.clients:
            client.conn.close()
        return {"rounds": rounds, "acked": {c.client_id: c.acked for c in self.clients},
                "unanswered_pushes": sum(c.pending is not None for c in self.clients),
                "nonempty_pulls": self.nonempty_pulls, "non_applied": dict(self.non_applied),
                "push_stops": dict(self.push_stops), "connections_opened": connections}


def main() -> None:
    spec = json.load(sys.stdin)
    report = asyncio.run(LoadGenerator(spec).run())
    report["pid"] = os.getpid()
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
