"""A reply cut anywhere, headers included, is a retryable network error, never a traceback: real answers of the real
server to a pull, a push and a file download, recorded byte for byte, then served cut at every position by a raw
socket on 127.0.0.1 to the very calls the sync makes; a cut gzip stream; pages that are not the server's; and the
whole ``lapor-desk sync`` with a reply cut inside its headers every time, which exits 7 after its retries and loses
nothing."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import update

try:
    from compression import zstd  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    from backports import zstd  # type: ignore[no-redef,unused-ignore]

from app.cli import run as lapor_desk
from app.models import OutboxEntry
from app.store import meta
from sync import session as session_module
from sync import state
from sync.blobs import blob_path, download_blob
from sync.engine import SyncReport
from sync.protocol import PullResponse
from sync.transport import IncompleteAnswer, ServerRefused, Transport, TransportSettings, UnexpectedAnswer
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import PC, Fleet

PUSH = "/api/v1/sync/push"
PULL = "/api/v1/sync/pull"
BLOBS = "/api/v1/blobs/"
SQLITE = pytest.mark.parametrize("server", ["sqlite"], indirect=True)


def read_message(conn: socket.socket) -> bytes:
    """One HTTP message off a socket: its head, then as many body bytes as its Content-Length says."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length and (chunk := conn.recv(65536)):
        body += chunk
    return head + b"\r\n\r\n" + body


@dataclass
class RawServer:
    """Answers each connection with ``answer(request)``, written as raw bytes, then closes it; one connection at a
    time, as the sync's calls come. :meth:`relay` forwards to the real server instead and records its replies."""

    answer: Callable[[bytes], bytes] = lambda request: b""
    requests: int = 0
    sock: socket.socket = field(default_factory=lambda: socket.create_server(("127.0.0.1", 0)))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed: the test is over
                return
            with conn:
                request = read_message(conn)  # all of it, so that closing sends a FIN, never a reset
                self.requests += 1
                try:
                    conn.sendall(self.answer(request))
                    conn.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

    def reply(self, raw: bytes) -> None:
        self.answer = lambda request: raw

    def relay(self, upstream: str, recorded: list[tuple[bytes, bytes]]) -> None:
        host, port = upstream.removeprefix("http://").split(":")

        def forward(request: bytes) -> bytes:
            with closing(socket.create_connection((host, int(port)))) as up:
                up.sendall(request)
                reply = read_message(up)
            recorded.append((request, reply))
            return reply

        self.answer = forward


@pytest.fixture
def raw_server() -> Iterator[RawServer]:
    server = RawServer()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield server
    server.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting in the thread
    server.sock.close()
    thread.join(timeout=5)


def record(raw_server: RawServer, pc: PC, path: str, call: Callable[[], object]) -> bytes:
    """The real server's raw reply to the first request to ``path`` that ``call`` makes with the PC's transport."""
    recorded: list[tuple[bytes, bytes]] = []
    raw_server.relay(pc.office.server.url, recorded)
    settings = pc.engine.transport.settings
    real_url, settings.base_url = settings.base_url, raw_server.url
    try:
        call()
    finally:
        settings.base_url = real_url
    replies = [reply for request, reply in recorded if request.split(b" ")[1].startswith(path.encode())]
    assert replies and replies[0].startswith(b"HTTP/1.1 200 "), recorded
    return replies[0]


def aim_at(pc: PC, raw_server: RawServer, retries: int = 0) -> Transport:
    """The PC's engine talks to the raw server from now on, trying each call ``retries`` + 1 times, never waiting."""
    token = pc.engine.transport.settings.token
    pc.engine.transport = Transport(TransportSettings(base_url=raw_server.url, token=token, retries=retries),
                                    sleep=lambda seconds: None)
    return pc.engine.transport


def misread(raw_server: RawServer, raw: bytes, call: Callable[[], object]) -> str | None:
    """What went wrong when ``call`` met ``raw``, or None when it failed as it must: with IncompleteAnswer."""
    raw_server.reply(raw)
    try:
        call()
    except IncompleteAnswer:
        return None
    except Exception as exc:  # noqa: BLE001 - any other error is what this test looks for
        return repr(exc)
    return "no error"


def every_cut(raw_server: RawServer, reply: bytes, call: Callable[[], object],
              after: Callable[[], None] = lambda: None) -> list[tuple[int, str]]:
    """``call`` against ``reply`` cut at every byte position, headers included: where it did not fail as it must."""
    wrong = []
    for end in range(len(reply)):
        why = misread(raw_server, reply[:end], call)
        if why is not None:
            wrong.append((end, why))
        after()
    return wrong


def reframed(reply: bytes, body: bytes, length: int | None) -> bytes:
    """The reply's status line and headers over another body, with this Content-Length (None: none at all)."""
    head = reply.partition(b"\r\n\r\n")[0].split(b"\r\n")
    lines = [line for line in head if not line.lower().startswith(b"content-length:")]
    if length is not None:
        lines.append(b"content-length: %d" % length)
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def cursor(pc: PC) -> str | None:
    with pc.store.read() as s:
        return meta.get(s, state.CURSOR)


# ---- every byte position of real answers --------------------------------------------------------------------------


@SQLITE
def test_a_pull_page_cut_anywhere_is_a_network_error(fleet: Fleet, raw_server: RawServer) -> None:
    office = fleet.office()
    pc = fleet.pc(office)
    office.online_complaints(3)  # a page big enough for the server to compress (zstd: the PC takes it)
    before = cursor(pc)
    reply = record(raw_server, pc, PULL, lambda: pc.engine.pull(SyncReport()))
    assert b"\r\ncontent-encoding: zstd\r\n" in reply
    after = cursor(pc)
    with pc.store.transaction() as s:  # the page not taken, as if its answer never arrived
        meta.put(s, state.CURSOR, before or "")
    aim_at(pc, raw_server)

    def untouched() -> None:
        assert cursor(pc) == (before or "")

    assert every_cut(raw_server, reply, lambda: pc.engine.pull(SyncReport()), after=untouched) == []

    # The zstd frame cut, framed as if whole (a proxy that passed on what it got), and with no length at all. Cut
    # only where the page inside is already whole (the frame's end), it may be taken.
    body = reply.partition(b"\r\n\r\n")[2]
    page = zstd.decompress(body)

    def fetch() -> PullResponse:
        return pc.engine.transport.request_model("POST", PULL, PullResponse, json_body={"cursor": before})

    for framed in (True, False):
        wrong = []
        for n in range(len(body)):
            why = misread(raw_server, reframed(reply, body[:n], n if framed else None), fetch)
            whole_inside = zstd.ZstdDecompressor().decompress(body[:n]) == page
            if why is not None and not (why == "no error" and whole_inside):
                wrong.append((n, why))
        assert wrong == []

    raw_server.reply(reply)  # the whole answer is taken
    pc.engine.pull(SyncReport())
    assert cursor(pc) == after


@SQLITE
def test_a_push_answer_cut_anywhere_is_a_network_error(fleet: Fleet, raw_server: RawServer) -> None:
    office = fleet.office()
    pc = fleet.pc(office)
    pc.note(pc.intake(1))
    reply = record(raw_server, pc, PUSH, lambda: pc.engine.push(SyncReport()))
    with pc.store.transaction() as s:  # the answer not taken, as if it never arrived: both changes wait again
        s.execute(update(OutboxEntry).values(acked_at=None, result_status=None, result_json=None))
    aim_at(pc, raw_server)

    def still_waiting() -> None:
        assert pc.pending() == 2

    assert every_cut(raw_server, reply, lambda: pc.engine.push(SyncReport()), after=still_waiting) == []

    raw_server.reply(reply)
    report = SyncReport()
    pc.engine.push(report)
    assert (report.pushed, pc.pending()) == (2, 0)


@SQLITE
def test_a_file_download_cut_anywhere_is_a_network_error(fleet: Fleet, raw_server: RawServer,
                                                          tmp_path: Path) -> None:
    office = fleet.office()
    pc = fleet.pc(office)
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(os.urandom(2000))
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    pc.attach(pc.intake(1), photo)
    assert pc.sync().uploaded == 1
    blob_dir = tmp_path / "unduhan"
    reply = record(raw_server, pc, BLOBS, lambda: download_blob(pc.engine.transport, blob_dir, sha))
    blob_path(blob_dir, sha).unlink()
    transport = aim_at(pc, raw_server)

    def nothing_kept() -> None:
        assert [p for p in blob_dir.rglob("*") if p.is_file()] == []  # never part of a file taken for the file

    assert every_cut(raw_server, reply, lambda: download_blob(transport, blob_dir, sha), after=nothing_kept) == []

    raw_server.reply(reply)
    assert download_blob(transport, blob_dir, sha).read_bytes() == photo.read_bytes()


# ---- answers that are whole but not the server's ------------------------------------------------------------------


def answer(status: str, content_type: str, body: bytes) -> bytes:
    return (f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n\r\n"
            .encode() + body)


HOTSPOT = b"<!DOCTYPE html><html><body><h1>Login Hotspot Pemda</h1><form>...</form></body></html>"


@pytest.mark.parametrize("raw", [
    answer("200 OK", "text/html; charset=utf-8", HOTSPOT),  # a proxy's or a network log-in page
    answer("200 OK", "application/json", b'{"status": "ok", "data": []}'),  # some other service's JSON
    answer("200 OK", "application/json", b"[]"),
    answer("200 OK", "text/plain", b"Akses ditolak oleh proxy"),
], ids=["html-page", "other-json", "json-list", "plain-text"])
def test_a_whole_answer_that_is_not_the_servers_is_a_plain_error_not_retried(raw_server: RawServer,
                                                                            raw: bytes) -> None:
    """Not a cut: asking again at once would get the same page. A typed error a person can act on (exit 1 from the
    CLI, a message in the window), never a traceback; the next sync asks again."""
    raw_server.reply(raw)
    transport = Transport(TransportSettings(base_url=raw_server.url, retries=3), sleep=lambda seconds: None)
    with pytest.raises(UnexpectedAnswer) as caught:
        transport.request_model("POST", PULL, PullResponse, json_body={"cursor": None})
    assert raw_server.requests == 1
    assert "proxy" in caught.value.message.en and "server address" in caught.value.message.en
    assert "127.0.0.1" in caught.value.message.id


@SQLITE
def test_sync_that_meets_a_log_in_page_exits_1_with_a_message(fleet: Fleet, raw_server: RawServer,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The whole program between a PC and a network log-in page: a message for a person, no traceback, nothing
    lost, and the reason kept for ``sync --status``."""
    office = fleet.office()
    pc = fleet.pc(office)
    pc.intake(1)
    with pc.store.transaction() as s:
        meta.put(s, state.SERVER_URL, raw_server.url)
    pc.close()
    raw_server.reply(answer("200 OK", "text/html", HOTSPOT))
    capsys.readouterr()
    assert lapor_desk(["--data-dir", str(pc.paths.data_dir), "--lang", "en", "sync"]) == 1
    out, err = capsys.readouterr()
    assert "not one this app can read as the LAPOR server's" in out + err and "Traceback" not in out + err
    assert raw_server.requests == 1
    pc.reopen()
    assert pc.pending() == 1
    with pc.store.read() as s:
        assert "bukan jawaban server LAPOR" in (meta.get(s, state.LAST_ERROR) or "")


@pytest.mark.parametrize(("raw", "stream"), [
    (answer("409 Conflict", "text/html", HOTSPOT), False),
    (answer("400 Bad Request", "application/json", b"[1, 2]"), False),
    (answer("404 Not Found", "application/json", b'{"detail": "Not Found"}'), False),
    (answer("404 Not Found", "application/json", b'{"code": "not_found", "message": "Tidak ada."}')[:-9], True),
], ids=["html", "json-list", "no-message", "streamed-and-cut"])
def test_a_refusal_with_an_odd_body_keeps_its_status(raw_server: RawServer, raw: bytes, stream: bool) -> None:
    """The status line arrived whole, so the refusal stands (a file download's 404 means "not uploaded yet"), told
    in plain words when its body has none to offer."""
    raw_server.reply(raw)
    transport = Transport(TransportSettings(base_url=raw_server.url, retries=0), sleep=lambda seconds: None)
    status = int(raw.split(b" ")[1])
    with pytest.raises(ServerRefused) as caught:
        transport.request("GET", BLOBS + "0" * 64, stream=stream)
    assert caught.value.status == status
    assert caught.value.message.en == f"The server answered {status}."


# ---- the whole program ------------------------------------------------------------------------------------------


@SQLITE
@pytest.mark.parametrize(("method", "path", "says"), [
    ("POST", PUSH, "The connection broke before the server's answer was complete"),
    ("POST", PULL, "The connection broke before the server's answer was complete"),
    ("GET", BLOBS, "An attachment download kept breaking off"),
], ids=["push", "pull", "file"])
def test_sync_whose_replies_are_cut_in_their_headers_exits_7_and_loses_nothing(
        fleet: Fleet, proxy: FaultProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], method: str, path: str, says: str) -> None:
    """Every reply to ``path`` cut right after ``Content-Length: `` (the finding: an empty length). The run tries
    again as many times as the transport allows, then ends with exit 7 and a message, no traceback; the next run
    sends, receives and downloads everything."""
    office = fleet.office()
    colleague, pc = fleet.pc(office), fleet.pc(office)
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(os.urandom(3000))
    colleague.attach(colleague.intake(1), photo)
    colleague.sync()
    office.online_complaints(2)
    pc.intake(2)
    pc.close()
    waits: list[float] = []

    class NoWaiting(Transport):
        def __post_init__(self) -> None:
            super().__post_init__()
            self.sleep = waits.append

    monkeypatch.setattr(session_module, "Transport", NoWaiting)
    sync = ["--data-dir", str(pc.paths.data_dir), "--lang", "en", "sync"]
    capsys.readouterr()

    proxy.inject(method, path, "truncate", times=100, at=b"Content-Length: ")
    assert lapor_desk(sync) == 7
    out, err = capsys.readouterr()
    assert says in out + err, out + err
    assert "Traceback" not in out + err
    retries = TransportSettings(base_url="").retries
    assert len(waits) == retries
    assert [e.fault for e in proxy.exchanges(path, method) if e.fault] == ["truncate"] * (retries + 1)

    proxy.clear()
    assert lapor_desk(sync) == 0, capsys.readouterr()
    pc.reopen()
    assert pc.pending() == 0
    pc.assert_converged()
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert blob_path(pc.paths.attachments, sha).read_bytes() == photo.read_bytes()
