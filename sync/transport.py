"""HTTP to the national server: timeouts, retries with backoff and jitter that honour Retry-After, compressed
bodies (zstd where the server's answers say it takes zstd, else gzip), TLS verification (with a custom CA bundle for
government networks) and proxies.

Every failure becomes a typed error with a sentence a person can act on (Indonesian first).
"""

from __future__ import annotations

import gzip
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pydantic
import requests
import urllib3

from app import __version__
from app.errors import LaporError, Message
from sync.protocol import (
    DOWNLOAD_BUDGET,
    HEADER_APP_VERSION,
    HEADER_PROTOCOL,
    PROTOCOL_VERSION,
    zstd,
)

log = logging.getLogger(__name__)


class SyncError(LaporError):
    """A sync problem a person can read."""


class ServerUnreachable(SyncError):
    """No connection (offline, DNS, proxy, timeout): try again later; nothing is lost."""


class IncompleteAnswer(ServerUnreachable):
    """The connection broke before the server's answer was whole, or the answer came garbled (a cut reply, a cut
    gzip stream): tried again like a dropped connection; nothing is lost."""

    def __init__(self, message: Message | None = None) -> None:
        super().__init__(message or Message(
            "Koneksi terputus sebelum jawaban server lengkap. Coba lagi nanti; tidak ada yang hilang: perubahan "
            "tetap tersimpan di PC ini dan dikirim pada sinkronisasi berikutnya.",
            "The connection broke before the server's answer was complete. Try again later; nothing is lost: "
            "changes stay safe on this PC and are sent at the next sync.",
        ))


class UnexpectedAnswer(SyncError):
    """A whole answer that is not the LAPOR server's (a proxy's or log-in page, a wrong address, an incompatible
    server): trying again at once does not help, a person checks the address or the proxy."""


class CertificateProblem(SyncError):
    """TLS verification failed: the network or the CA bundle setting needs IT."""


class Unauthorized(SyncError):
    """The device token was revoked or is wrong: enrol again."""


class UpgradeRequired(SyncError):
    """The server no longer serves this version for pulls (pushes still go)."""


class ServerRefused(SyncError):
    """A 4xx the client cannot fix by retrying."""

    def __init__(self, message: Message, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


M = TypeVar("M", bound=pydantic.BaseModel)
# What a retry can fix: no connection, a timeout, an answer cut or garbled on the way.
_BROKEN = (requests.exceptions.ConnectionError, requests.exceptions.Timeout, requests.exceptions.ChunkedEncodingError,
           requests.exceptions.ContentDecodingError)


# zstd first (pull pages a third smaller than in gzip), where this urllib3 can decode it (2.6+ with backports.zstd).
ACCEPT_ENCODING = "zstd, gzip" if "zstd" in urllib3.response.HTTPResponse.CONTENT_DECODERS else "gzip"
# zstd level 1 for request bodies: on a push of 500 edits 0.9 ms against gzip -6's 6.8 ms, and 76 kB against 86 kB.
ZSTD_BODY_LEVEL = 1


@dataclass
class TransportSettings:
    base_url: str
    token: str | None = None
    ca_bundle: str | None = None  # path to a PEM bundle; None = the system/certifi store
    proxy: str | None = None  # e.g. http://proxy.pemda.go.id:8080; None = environment (HTTP(S)_PROXY)
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retries: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    gzip_min_bytes: int = 1024


@dataclass
class WireStats:
    """Bytes really sent and received on the wire (compressed sizes), for the progress bar and benchmarks."""

    sent: int = 0
    received: int = 0
    requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, sent: int, received: int) -> None:
        with self._lock:  # files are fetched by several threads at once (sync.downloads.DOWNLOAD_WORKERS)
            self.sent += sent
            self.received += received
            self.requests += 1


@dataclass
class Transport:
    settings: TransportSettings
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    stats: WireStats = field(default_factory=WireStats)

    def __post_init__(self) -> None:
        self._budget_lock = threading.Lock()
        self._download_budget: tuple[float, float, float] | None = None  # (bytes left, bytes a second, when read)
        # Whether the server's last answer named zstd in its Accept-Encoding (RFC 7694): request bodies go in zstd
        # (on a push of 500 edits a tenth of gzip's time on the PC, and 11 % smaller), else in gzip.
        self._zstd_bodies = False
        self._session = requests.Session()
        self._session.headers.update({
            HEADER_PROTOCOL: str(PROTOCOL_VERSION),
            HEADER_APP_VERSION: __version__,
            "User-Agent": f"LAPOR-Desk/{__version__}",
            "Accept-Encoding": ACCEPT_ENCODING,
        })
        if self.settings.proxy:
            self._session.proxies = {"http": self.settings.proxy, "https": self.settings.proxy}

    def close(self) -> None:
        self._session.close()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.token}"} if self.settings.token else {}

    def request(self, method: str, path: str, *, json_body: Any = None, data: bytes | None = None,
                params: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
                ok: tuple[int, ...] = (200, 201), stream: bool = False) -> requests.Response:
        """Send with retries for what retrying can fix (connection errors, 429, 502–504, 503 Retry-After)."""
        body = data
        extra = {**self._headers(), **(headers or {})}
        raw: bytes | None = None
        if json_body is not None:
            raw = (json_body.model_dump_json().encode() if isinstance(json_body, pydantic.BaseModel)
                   else json.dumps(json_body, ensure_ascii=False, separators=(",", ":"), default=str).encode())
            extra["Content-Type"] = "application/json"
            body = self._coded(raw, extra)
        url = self.settings.base_url.rstrip("/") + path
        verify: bool | str = self.settings.ca_bundle or True
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._session.request(
                    method, url, data=body, params=params, headers=extra, verify=verify, stream=True,
                    timeout=(self.settings.connect_timeout, self.settings.read_timeout))
                if not stream:
                    read_whole(response)
            except requests.exceptions.SSLError as exc:
                raise CertificateProblem(Message(
                    "Sertifikat server tidak dapat diverifikasi. Periksa pengaturan berkas CA (CA bundle) "
                    "atau hubungi petugas TI.",
                    "The server's certificate could not be verified. Check the CA bundle setting or ask IT.",
                )) from exc
            except _BROKEN as exc:
                log.info("%s %s failed: %s", method, path, type(exc).__name__)
                if attempt <= self.settings.retries:
                    self._wait(attempt, None)
                    continue
                if _broke_mid_answer(exc):
                    raise IncompleteAnswer() from exc
                raise ServerUnreachable(Message(
                    "Server tidak dapat dihubungi. Perubahan tetap tersimpan di PC ini dan akan dikirim "
                    "saat koneksi tersedia.",
                    "The server cannot be reached. Changes stay safe on this PC and are sent when the "
                    "connection is back.",
                )) from exc
            sent = len(body or b"") + len(response.request.url or "")
            self.stats.add(sent, _body_bytes(method, response, stream))
            self._note_budget(response)
            coded_in = extra.get("Content-Encoding")
            self._note_codings(response)
            if response.status_code == 415 and coded_in == "zstd" and raw is not None:
                # A host that takes gzip only (an older one behind the same address): the same body in gzip, at once.
                log.info("%s %s: zstd body refused, sending gzip", method, path)
                self._zstd_bodies = False
                body = self._coded(raw, extra)
                attempt -= 1
                continue
            if response.status_code in ok:
                return response
            retry_after = _retry_after(response)
            if response.status_code in (429, 502, 503, 504) and attempt <= self.settings.retries:
                self._wait(attempt, retry_after)
                continue
            raise _refusal(response)

    def _coded(self, raw: bytes, headers: dict[str, str]) -> bytes:
        """A JSON body as sent: compressed from :attr:`TransportSettings.gzip_min_bytes` on, in zstd where the
        server said it takes zstd, else in gzip (``headers`` gets its Content-Encoding)."""
        headers.pop("Content-Encoding", None)
        if len(raw) < self.settings.gzip_min_bytes:
            return raw
        if self._zstd_bodies:
            headers["Content-Encoding"] = "zstd"
            return bytes(zstd.compress(raw, level=ZSTD_BODY_LEVEL))
        headers["Content-Encoding"] = "gzip"
        return gzip.compress(raw, compresslevel=6)

    def _note_codings(self, response: requests.Response) -> None:
        """What the answering server takes in request bodies: its Accept-Encoding (none: gzip only)."""
        named = {part.split(";", 1)[0].strip().lower()
                 for part in response.headers.get("Accept-Encoding", "").split(",")}
        self._zstd_bodies = "zstd" in named

    def _note_budget(self, response: requests.Response) -> None:
        raw = response.headers.get(DOWNLOAD_BUDGET)
        if not raw:
            return
        values = dict(part.strip().partition("=")[::2] for part in raw.split(";"))
        try:
            budget = (float(values["remaining"]), float(values["per-second"]), time.monotonic())
        except (KeyError, ValueError):
            return
        with self._budget_lock:
            self._download_budget = budget

    def pace_download(self, size: int) -> None:
        """Before fetching a file of ``size`` bytes: wait until the server's download budget (the last
        ``X-Lapor-Download-Budget`` it sent) holds it, rather than be refused and wait after the round trip. The
        estimate is taken for this file at once, so files fetched side by side do not all count the same bytes."""
        with self._budget_lock:
            if self._download_budget is None:
                return
            left, rate, at = self._download_budget
            now = time.monotonic()
            left += (now - at) * rate
            wait = (size - left) / rate if left < size and rate > 0 else 0.0
            self._download_budget = (left - size, rate, now)
        if wait > 0:
            log.info("waiting %.1f s for the server's download budget", wait)
            self.sleep(min(wait, self.settings.backoff_max * 4))

    def request_model(self, method: str, path: str, model: type[M], **kwargs: Any) -> M:
        """:meth:`request`, its answer read as ``model`` (:func:`decode`). An answer cut or garbled on the way is
        asked for again, like a dropped connection (every sync request may be repeated: pushes are idempotent by
        ``seq``, a repeated chunk is answered 409 with the server's offset)."""
        attempt = 0
        while True:
            attempt += 1
            response = self.request(method, path, **kwargs)
            try:
                return decode(response, model)
            except IncompleteAnswer:
                log.info("%s %s: the answer broke off", method, path)
                if attempt > self.settings.retries:
                    raise
                self._wait(attempt, None)

    def _wait(self, attempt: int, retry_after: float | None) -> None:
        """Exponential backoff with full jitter; the server's Retry-After wins when it asks for longer."""
        ceiling = min(self.settings.backoff_max, self.settings.backoff_base * (2 ** (attempt - 1)))
        delay = self.rng.uniform(0, ceiling)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.settings.backoff_max * 4))
        log.info("retrying in %.1f s (attempt %d)", delay, attempt)
        self.sleep(delay)


def decode(response: requests.Response, model: type[M]) -> M:
    """The answer's body as ``model``. A body that is not whole JSON was cut or garbled on the way: retryable
    (:class:`IncompleteAnswer`). A page, or whole JSON of another shape, is not the LAPOR server speaking
    (:class:`UnexpectedAnswer`). A non-empty body only arrives after the whole header block, so its Content-Type
    is the sender's own, never a cut one."""
    try:
        body = response.content
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:  # a streamed answer
        raise IncompleteAnswer() from exc
    content_type = response.headers.get("Content-Type", "")
    if body.lstrip()[:1] == b"<" or (body and "json" not in content_type):
        log.warning("answer to %s is %s, not JSON", _where(response), content_type or "without a Content-Type")
        raise _unexpected(response)
    try:
        return model.model_validate_json(body)
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)  # no values: they may be personal data
        if errors and errors[0]["type"] == "json_invalid":
            raise IncompleteAnswer() from exc
        log.warning("answer to %s is not a %s: %s", _where(response), model.__name__,
                    [(".".join(map(str, e["loc"])), e["type"]) for e in errors[:5]])
        raise _unexpected(response) from exc


def _where(response: requests.Response) -> str:
    return f"{response.request.method} {urlsplit(response.url).path}"


def _unexpected(response: requests.Response) -> UnexpectedAnswer:
    host = urlsplit(response.url).netloc or response.url
    return UnexpectedAnswer(Message(
        f"Jawaban dari {host} bukan jawaban server LAPOR yang dapat dibaca aplikasi ini (mungkin halaman proxy atau "
        "halaman masuk jaringan, atau alamat server salah). Periksa alamat server dan pengaturan proxy, atau hubungi "
        "petugas TI. Perubahan tetap tersimpan di PC ini.",
        f"The answer from {host} is not one this app can read as the LAPOR server's (perhaps a proxy's or a "
        "network log-in page, or a wrong server address). Check the server address and the proxy setting, or "
        "contact IT. Changes stay safe on this PC.",
    ))


def _broke_mid_answer(exc: Exception) -> bool:
    """Whether the connection broke while the server was answering (or about to), rather than never being made."""
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        return True
    cause = exc.args[0] if exc.args else None
    return isinstance(exc, requests.exceptions.ConnectionError) and isinstance(cause, urllib3.exceptions.ProtocolError)


# How much of an answer's body is read (and decompressed) at a time. requests reads 10 kB at a time, and every read
# and every piece decompressed lets go of the interpreter lock and must take it back: while the PC writes a pulled
# page on its thread, the thread fetching the next one waited for the lock at each of those steps. A page of 1,500
# complaints, fetched beside a thread busy in Python, took 975 ms in 10 kB pieces and 247 ms in 1 MB pieces (145 ms
# with nothing beside it; /tmp/pushwork/convoy.py, stop 34).
BODY_CHUNK = 1 << 20


def read_whole(response: requests.Response) -> bytes:
    """Read the answer's body now, decompressed, in :data:`BODY_CHUNK` pieces: what ``response.content`` then
    gives, as requests itself keeps it. A body cut or garbled on the way raises as requests' own reading does."""
    content = b""
    if response.raw is not None and response.status_code != 0:
        content = b"".join(response.iter_content(BODY_CHUNK))
    response._content = content  # noqa: SLF001 - where requests keeps a body it has read (Response.content)
    response._content_consumed = True  # noqa: SLF001
    return content


def _content_length(response: requests.Response) -> int | None:
    """The Content-Length header, or None when it is missing or not a number (a reply cut inside it)."""
    try:
        return int(response.headers.get("Content-Length", ""))
    except ValueError:
        return None


def _body_bytes(method: str, response: requests.Response, stream: bool) -> int:
    """The answer's body as it crossed the wire (compressed when the server gzipped it). A HEAD answer has no
    body: its Content-Length describes the file, not bytes sent."""
    if method.upper() == "HEAD":
        return 0
    length = _content_length(response)
    if length is not None:
        return length
    if stream:
        return 0  # not read yet: a streamed answer without a length is not counted
    response.content  # noqa: B018 - read the body so the raw stream knows how many bytes it took
    return int(response.raw.tell() or len(response.content)) if response.raw is not None else len(response.content)


def _retry_after(response: requests.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        return None


def _refusal(response: requests.Response) -> SyncError:
    try:
        body = response.json()
    except (ValueError, requests.exceptions.RequestException, urllib3.exceptions.HTTPError):
        body = None  # not JSON, or cut: the status alone tells what happened
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("code", "http_error"))
    if body.get("message"):
        message = Message(str(body["message"]), str(body.get("message_en", "")) or str(body["message"]))
    else:
        message = Message(f"Server menjawab {response.status_code}.", f"The server answered {response.status_code}.")
    if response.status_code == 401:
        return Unauthorized(Message(
            "PC ini tidak lagi terdaftar di server (token dicabut atau salah). Daftarkan ulang dengan "
            "'lapor-desk enroll'. Perubahan lokal tetap tersimpan.",
            "This PC is no longer enrolled on the server (token revoked or wrong). Enrol it again with "
            "'lapor-desk enroll'. Local changes are kept.",
        ))
    if response.status_code == 426:
        return UpgradeRequired(message)
    if response.status_code >= 500:
        return ServerUnreachable(Message(
            f"Server sedang bermasalah ({response.status_code}). Perubahan tetap tersimpan dan dicoba lagi nanti.",
            f"The server has a problem ({response.status_code}). Changes are kept and retried later.",
        ))
    return ServerRefused(message, response.status_code, code)
