"""The network half of ``lapor-desk diagnose``: the TLS and proxy settings in effect, one short GET of the server's
/health with them (no retries: a diagnosis waits seconds, not the minutes a sync may), and the clock offset to the
server measured now beside the one the last sync stored."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from app import __version__
from app.config import Paths
from app.config_layers import EffectiveConfig, resolve, user_settings
from app.errors import Message
from app.machine_config import CA_BUNDLE, PROXY, SERVER_URL, Key
from app.timeutil import as_utc
from sync.diagnose import CLOCK_WARN_SECONDS, Finding, Level

CA_ENV = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def without_credentials(url: str) -> str:
    """``url`` with any user:password replaced, for a proxy URL that is shown or written to a support bundle."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class Connection:
    """How this PC reaches its server: the address, the CA bundle and the proxy in effect, and where each came
    from. ``ca_set``/``proxy_set``: chosen by the configuration (passed to requests), else requests' own choice
    from the environment (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE) or certifi's bundle."""

    server_url: str
    server_from: Message
    ca_bundle: str | None
    ca_from: Message
    ca_set: bool
    proxy: str | None
    proxy_from: Message
    proxy_set: bool

    @property
    def verify(self) -> bool | str:
        return self.ca_bundle if self.ca_set and self.ca_bundle else True

    @property
    def proxies(self) -> dict[str, str] | None:
        return {"http": self.proxy, "https": self.proxy} if self.proxy_set and self.proxy else None


def _source(config: EffectiveConfig, key: Key) -> Message:
    return Message(config[key].source.text("id"), config[key].source.text("en"))


def connection_of(config: EffectiveConfig) -> Connection | None:
    """What sync uses (sync.session resolves the same way: the enrolled store's connection over the machine file's,
    unless IT locked it there), or None when no server address is configured anywhere."""
    server_url = config.text(SERVER_URL)
    if not server_url:
        return None
    ca, ca_from, ca_set = config.text(CA_BUNDLE) or None, _source(config, CA_BUNDLE), True
    if ca is None:
        env = next((name for name in CA_ENV if os.environ.get(name)), None)
        ca_set = False
        if env is not None:
            ca, ca_from = os.environ[env], Message(f"variabel lingkungan {env}", f"environment variable {env}")
        else:
            import certifi

            ca, ca_from = certifi.where(), Message("bawaan (certifi)", "the default (certifi)")
    proxy, proxy_from, proxy_set = config.text(PROXY) or None, _source(config, PROXY), True
    if proxy is None:
        proxy_set = False
        proxy = requests.utils.get_environ_proxies(server_url).get(urlsplit(server_url).scheme or "https")
        proxy_from = Message("variabel lingkungan HTTP(S)_PROXY", "the HTTP(S)_PROXY environment variable")
    return Connection(server_url, _source(config, SERVER_URL), ca, ca_from, ca_set, proxy, proxy_from, proxy_set)


def network_findings(paths: Paths, *, timeout: float, stored_skew: float | None,
                     clock: Callable[[], datetime]) -> list[Finding]:
    """The server's checks, for the address the configuration gives: the enrolled one, or (before enrolment) the
    machine file's, so IT can test a PC's proxy and CA before enrolling it."""
    conn = connection_of(resolve(user=user_settings(paths)))
    if conn is None:
        return [Finding("server.reachable", Level.WARN,
                        Message("Server tidak diperiksa: alamatnya tidak diketahui (PC belum terdaftar, tidak ada "
                                "server_url di lapor-desk.toml, atau basis data tidak dapat dibaca).",
                                "The server was not checked: its address is unknown (the PC is not enrolled, no "
                                "server_url in lapor-desk.toml, or the database cannot be read)."),
                        Message("Perbaiki temuan di atas, atau isi server_url di lapor-desk.toml (lapor-desk config "
                                "show).", "Fix the findings above, or set server_url in lapor-desk.toml (lapor-desk "
                                "config show)."))]
    found = [tls_finding(conn), proxy_finding(conn)]
    reach, server_time = reach_server(conn, timeout, clock)
    found.append(reach)
    found.append(clock_finding(server_time, stored_skew))
    return found


def _loopback(host: str | None) -> bool:
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def tls_finding(conn: Connection) -> Finding:
    parts = urlsplit(conn.server_url)
    facts: dict[str, Any] = {"scheme": parts.scheme, "ca_bundle": conn.ca_bundle, "ca_source": conn.ca_from.en}
    if parts.scheme != "https":
        level = Level.OK if _loopback(parts.hostname) else Level.WARN  # a server on this PC: the demo, a test
        here = (" di PC ini sendiri", " on this PC itself") if level is Level.OK else ("", "")
        return Finding("tls", level,
                       Message(f"Koneksi ke server tanpa TLS (http){here[0]}",
                               f"Connection to the server without TLS (http){here[1]}"),
                       Message("Minta alamat https dari admin nasional lalu daftarkan ulang dengan --server https://….",
                               "Ask the national admin for the https address, then enrol again with --server "
                               "https://…."), facts)
    ca_path = Path(conn.ca_bundle or "")
    if not _looks_like_pem(ca_path):
        return Finding("tls", Level.FAIL,
                       Message(f"Berkas CA (dari {conn.ca_from.id}) tidak ada atau bukan PEM: {ca_path}",
                               f"The CA file (from {conn.ca_from.en}) is missing or not PEM: {ca_path}"),
                       Message("Salin berkas CA pemda (PEM, berisi -----BEGIN CERTIFICATE-----) ke PC ini dan pasang "
                               "di ca_bundle lapor-desk.toml, atau daftarkan ulang dengan --ca-bundle BERKAS.",
                               "Copy the government CA file (PEM, holding -----BEGIN CERTIFICATE-----) to this PC and "
                               "set it as ca_bundle in lapor-desk.toml, or enrol again with --ca-bundle FILE."), facts)
    return Finding("tls", Level.OK, Message(f"TLS diverifikasi dengan berkas CA {ca_path} (dari {conn.ca_from.id})",
                                            f"TLS verified with the CA file {ca_path} (from {conn.ca_from.en})"),
                   facts=facts)


def _looks_like_pem(path: Path) -> bool:
    try:
        return path.is_file() and b"-----BEGIN CERTIFICATE-----" in path.read_bytes()
    except OSError:
        return False


def proxy_finding(conn: Connection) -> Finding:
    shown = without_credentials(conn.proxy) if conn.proxy else None
    facts = {"proxy": shown, "source": conn.proxy_from.en if conn.proxy else None}
    if conn.proxy is None:
        return Finding("proxy", Level.OK,
                       Message("Tanpa proxy (langsung ke server)", "No proxy (straight to the server)"), facts=facts)
    return Finding("proxy", Level.OK, Message(f"Proxy {shown} (dari {conn.proxy_from.id})",
                                              f"Proxy {shown} (from {conn.proxy_from.en})"), facts=facts)


def reach_server(conn: Connection, timeout: float,
                 clock: Callable[[], datetime]) -> tuple[Finding, tuple[datetime, datetime, datetime] | None]:
    """GET /health (then /version for the server's clock); the finding and (sent, server's time, answered)."""
    base = conn.server_url.rstrip("/")
    facts: dict[str, Any] = {"url": base + "/health"}
    with requests.Session() as session:
        session.headers["User-Agent"] = f"LAPOR-Desk/{__version__} diagnose"
        try:
            sent = clock()
            health = session.get(base + "/health", timeout=(timeout, timeout), verify=conn.verify,
                                 proxies=conn.proxies)
            answered = clock()
        except requests.exceptions.RequestException as exc:
            return _unreachable(conn, exc, facts), None
        facts["status"] = health.status_code
        facts["seconds"] = round((answered - sent).total_seconds(), 3)
        if health.status_code != 200 or _json(health).get("status") != "ok":
            return Finding("server.reachable", Level.FAIL,
                           Message(f"{base}/health menjawab HTTP {health.status_code}, bukan jawaban server LAPOR.",
                                   f"{base}/health answered HTTP {health.status_code}, not the LAPOR server's answer."),
                           Message("Periksa alamat server dan proxy (halaman login proxy?); bila benar, hubungi admin "
                                   "server nasional.", "Check the server address and the proxy (a proxy log-in "
                                   "page?); if they are right, contact the national server's admin."), facts), None
        measured = _server_time(session, base, conn, timeout, clock)
        if measured is None:  # an older server: the HTTP Date header, to the second
            date = _date_header(health)
            measured = (sent, date, answered) if date is not None else None
    if measured is not None:
        facts["server_time"] = measured[1].isoformat(timespec="seconds")
    return Finding("server.reachable", Level.OK,
                   Message(f"Server terjangkau: {base}/health ok dalam {facts['seconds']} detik",
                           f"Server reachable: {base}/health ok in {facts['seconds']} s"), facts=facts), measured


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _server_time(session: requests.Session, base: str, conn: Connection, timeout: float,
                 clock: Callable[[], datetime]) -> tuple[datetime, datetime, datetime] | None:
    """The server's clock from /version (its own time, which tests and a server behind a cache set apart from the
    HTTP Date header), with the moments asked and answered."""
    try:
        sent = clock()
        r = session.get(base + "/version", timeout=(timeout, timeout), verify=conn.verify, proxies=conn.proxies)
        answered = clock()
        raw = _json(r).get("server_time") if r.status_code == 200 else None
        return (sent, as_utc(datetime.fromisoformat(str(raw))), answered) if raw else None
    except (requests.exceptions.RequestException, ValueError):
        return None


def _date_header(response: requests.Response) -> datetime | None:
    try:
        return as_utc(parsedate_to_datetime(response.headers["Date"]))
    except (KeyError, TypeError, ValueError):
        return None


def _unreachable(conn: Connection, exc: requests.exceptions.RequestException, facts: dict[str, Any]) -> Finding:
    facts["error"] = type(exc).__name__
    url = conn.server_url.rstrip("/") + "/health"
    if isinstance(exc, requests.exceptions.SSLError):
        what = Message(f"Sertifikat server tidak dapat diverifikasi dengan berkas CA {conn.ca_bundle}: {url}",
                       f"The server's certificate cannot be verified with the CA file {conn.ca_bundle}: {url}")
        fix = Message("Minta berkas CA (PEM) jaringan pemda dari TI pusat lalu daftarkan ulang dengan --ca-bundle "
                      "BERKAS (atau ubah di Pengaturan); periksa juga tanggal dan jam PC.",
                      "Get the government network's CA file (PEM) from central IT, then enrol again with --ca-bundle "
                      "FILE (or change it in Settings); also check the PC's date and time.")
    elif isinstance(exc, requests.exceptions.ProxyError):
        shown = without_credentials(conn.proxy or "")
        what = Message(f"Proxy {shown} tidak dapat dipakai untuk {url}", f"The proxy {shown} cannot be used for {url}")
        fix = Message("Periksa alamat, port dan izin proxy (tanyakan ke TI jaringan); ubah di Pengaturan atau "
                      "daftarkan ulang dengan --proxy.", "Check the proxy's address, port and permission (ask network "
                      "IT); change it in Settings or enrol again with --proxy.")
    elif isinstance(exc, requests.exceptions.ReadTimeout):
        what = Message(f"Server terlalu lama menjawab: {url}", f"The server takes too long to answer: {url}")
        fix = Message("Coba lagi nanti; bila berulang, hubungi admin server nasional.",
                      "Try again later; if it keeps happening, contact the national server's admin.")
    else:
        what = Message(f"Server tidak dapat dihubungi: {url} ({type(exc).__name__})",
                       f"The server cannot be reached: {url} ({type(exc).__name__})")
        fix = Message("Periksa kabel jaringan atau Wi-Fi, lalu buka alamat itu di peramban; bila peramban pun gagal, "
                      "tanyakan firewall atau proxy ke TI jaringan. Perubahan tetap tersimpan di PC ini.",
                      "Check the network cable or Wi-Fi, then open that address in a browser; if the browser fails "
                      "too, ask network IT about the firewall or proxy. Changes stay safe on this PC.")
    return Finding("server.reachable", Level.FAIL, what, fix, facts)


def _offset_text(seconds: float) -> tuple[str, str]:
    """How far this PC's clock is off (``seconds``: the server's time minus this PC's), in both languages."""
    size = abs(seconds)
    if size < 1:
        return "kurang dari 1 detik", "under 1 s"
    units = ((120, 1, "detik", "s"), (7200, 60, "menit", "min"), (2 * 86400, 3600, "jam", "h"),
             (float("inf"), 86400, "hari", "d"))
    _limit, unit, id_unit, en_unit = next(u for u in units if size < u[0])
    amount = f"{size / unit:.0f}" if unit < 3600 else f"{size / unit:.1f}"
    behind = seconds > 0
    return (f"PC {amount.replace('.', ',')} {id_unit} {'lebih lambat' if behind else 'lebih cepat'}",
            f"PC {amount} {en_unit} {'behind' if behind else 'ahead'}")


def clock_finding(measured: tuple[datetime, datetime, datetime] | None, stored: float | None) -> Finding:
    facts: dict[str, Any] = {"stored_seconds": stored, "measured_seconds": None}
    stored_text = _offset_text(stored) if stored is not None else ("-", "-")
    fix = Message("Setel jam PC: Windows Pengaturan ▸ Waktu & bahasa ▸ Setel waktu secara otomatis; Linux: "
                  "timedatectl set-ntp true. Deadline tetap dihitung dengan jam server.",
                  "Set the PC's clock: Windows Settings ▸ Time & language ▸ Set time automatically; Linux: timedatectl "
                  "set-ntp true. Deadlines are still counted by the server's clock.")
    if measured is None:
        level = Level.WARN if stored is not None and abs(stored) > CLOCK_WARN_SECONDS else Level.OK
        return Finding("clock", level,
                       Message("Selisih jam dengan server: tidak dapat diukur sekarang; tersimpan dari "
                               f"sinkronisasi terakhir: {stored_text[0]}",
                               "Clock offset to the server: cannot be measured now; stored by the last sync: "
                               f"{stored_text[1]}"), fix, facts)
    sent, server_time, answered = measured
    offset = (server_time - (sent + (answered - sent) / 2)).total_seconds()
    facts["measured_seconds"] = round(offset, 1)
    now_text = _offset_text(offset)
    level = Level.WARN if abs(offset) > CLOCK_WARN_SECONDS else Level.OK
    return Finding("clock", level,
                   Message(f"Selisih jam dengan server, diukur sekarang: {now_text[0]}; tersimpan dari sinkronisasi "
                           f"terakhir: {stored_text[0]}",
                           f"Clock offset to the server, measured now: {now_text[1]}; stored by the last sync: "
                           f"{stored_text[1]}"),
                   fix, facts)
