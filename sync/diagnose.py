"""``lapor-desk diagnose``: what IT needs to know about a PC it supports from afar, each finding OK, WARN or FAIL with
a fix a person can act on. Nothing here writes to the data folder: the database is opened read-only and never
migrated, so a damaged or missing one is reported, not repaired or created."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app import __version__
from app.config import Paths
from app.errors import LaporError, Message
from app.store import meta
from app.store.db import BUSY_TIMEOUT_MS, head_revision, known_revisions, probe_file, readonly_uri, write_problem
from app.store.store_messages import restore_hint
from app.timeutil import utcnow
from sync import state
from sync.credentials import TokenStore

# Below these the program soon stops: SQLite needs room for its journal, a backup copies the whole database.
DISK_FAIL_BYTES = 200 * 1024**2
DISK_WARN_BYTES = 1024**3
STALE_SYNC = timedelta(days=1)  # changes waiting longer than this are worth IT's look
CLOCK_WARN_SECONDS = 300.0  # what `lapor-desk sync --status` warns at too


class Level(StrEnum):
    OK = "OK"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Finding:
    """One line of the report: ``key`` is stable for scripts (``database.integrity``), ``facts`` the measured values."""

    key: str
    level: Level
    what: Message
    fix: Message | None = None
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class LocalState:
    """What the database told about sync, read once for the later checks."""

    status: state.SyncStatus
    settings: dict[str, str]
    client_id: str | None
    device_id: str | None
    office_id: str | None
    demo: bool


@dataclass
class Report:
    generated_at: datetime
    findings: list[Finding]

    @property
    def failed(self) -> bool:
        return any(f.level is Level.FAIL for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def count(self, level: Level) -> int:
        return sum(1 for f in self.findings if f.level is level)

    def as_text(self, lang: str = "id") -> str:
        en = lang == "en"
        lines = [f"LAPOR Desk diagnose — {self.generated_at.isoformat(timespec='seconds')}"]
        for f in self.findings:
            lines.append(f"[{f.level.value:<4}] " + f.what.text(lang).replace("\n", "\n      "))
            if f.fix is not None and f.level is not Level.OK:
                lines.append(("       Fix: " if en else "       Perbaikan: ") + f.fix.text(lang))
        ok, warn, fail = self.count(Level.OK), self.count(Level.WARN), self.count(Level.FAIL)
        lines.append(f"{'Summary' if en else 'Ringkasan'}: {ok} OK, {warn} WARN, {fail} FAIL")
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, Any]:
        return {"program": "lapor-desk", "version": __version__,
                "generated_at": self.generated_at.isoformat(timespec="seconds"), "exit_code": self.exit_code,
                "findings": [{"key": f.key, "level": f.level.value, "what": {"id": f.what.id, "en": f.what.en},
                              "fix": {"id": f.fix.id, "en": f.fix.en} if f.fix else None, "facts": f.facts}
                             for f in self.findings]}


def diagnose(paths: Paths, log_folder: Path, *, timeout: float = 5.0,
             clock: Callable[[], datetime] = utcnow) -> tuple[Report, LocalState | None]:
    """Every check, the local ones first; the server is asked only when the database says which one."""
    from sync.diagnose_net import network_findings

    findings = [version_finding(), paths_finding(paths, log_folder), disk_finding(paths.data_dir)]
    db_findings, local = database_findings(paths)
    findings += db_findings
    if local is not None:
        findings += sync_findings(local, paths, clock())
    findings.append(config_finding(paths))
    findings += network_findings(paths, timeout=timeout, clock=clock,
                                 stored_skew=local.status.clock_skew_seconds if local is not None else None)
    return Report(clock(), findings), local


# ---- this PC ---------------------------------------------------------------------------------------------------

def version_finding() -> Finding:
    frozen = bool(getattr(sys, "frozen", False))
    system = platform.platform(terse=True)
    python = platform.python_version()
    build = ("paket (frozen)", "packaged (frozen)") if frozen else ("dari sumber", "from source")
    return Finding("version", Level.OK,
                   Message(f"LAPOR Desk {__version__} ({build[0]}), Python {python}, {system} {platform.machine()}",
                           f"LAPOR Desk {__version__} ({build[1]}), Python {python}, {system} {platform.machine()}"),
                   facts={"version": __version__, "python": python, "platform": system, "machine": platform.machine(),
                          "frozen": frozen})


def paths_finding(paths: Paths, log_folder: Path) -> Finding:
    where = {"data_dir": paths.data_dir, "database": paths.database, "attachments": paths.attachments,
             "backups": paths.backups, "logs": log_folder}
    names = {"data_dir": "folder data", "database": "basis data", "attachments": "lampiran", "backups": "cadangan",
             "logs": "log"}
    listed_id = "".join(f"\n  {names[key]:<12}: {path}" for key, path in where.items())
    listed_en = "".join(f"\n  {key:<12}: {path}" for key, path in where.items())
    facts: dict[str, Any] = {name: str(path) for name, path in where.items()}
    if not paths.data_dir.is_dir():
        return Finding("paths", Level.FAIL,
                       Message(f"Folder data tidak ada: {paths.data_dir}{listed_id}",
                               f"The data folder does not exist: {paths.data_dir}{listed_en}"),
                       Message("Periksa --data-dir atau $LAPOR_DESK_DATA_DIR; PC yang belum disiapkan: jalankan "
                               "LAPOR Desk sekali atau lapor-desk enroll --server URL --code KODE.",
                               "Check --data-dir or $LAPOR_DESK_DATA_DIR; a PC not set up yet: start LAPOR Desk "
                               "once or run lapor-desk enroll --server URL --code CODE."), facts)
    problem = write_problem(paths.database)
    if problem is not None:
        return Finding("paths", Level.FAIL, Message(problem.id + listed_id, problem.en + listed_en), None, facts)
    return Finding("paths", Level.OK, Message(f"Lokasi:{listed_id}", f"Locations:{listed_en}"), facts=facts)


def disk_finding(folder: Path) -> Finding:
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    free = shutil.disk_usage(existing).free
    amount = f"{free / 1024**3:.1f} GB"
    facts = {"free_bytes": free, "folder": str(existing)}
    fix = Message(f"Kosongkan ruang di disk {existing} (hapus berkas yang tidak perlu, kosongkan Recycle Bin) atau "
                  "pindahkan folder data ke disk lain dengan --data-dir.",
                  f"Free space on the disk of {existing} (delete files not needed, empty the Recycle Bin) or move "
                  "the data folder to another disk with --data-dir.")
    level = Level.FAIL if free < DISK_FAIL_BYTES else Level.WARN if free < DISK_WARN_BYTES else Level.OK
    return Finding("disk", level, Message(f"Ruang kosong di disk folder data: {amount}",
                                          f"Free space on the data folder's disk: {amount}"), fix, facts)


def config_finding(paths: Paths) -> Finding:
    from app.config_layers import resolve, user_settings

    config = resolve(user=user_settings(paths))
    machine = config.machine
    facts = {"machine_file": str(machine.path), "exists": machine.exists,
             "problems": [p.text("en") for p in config.problems]}
    if config.problems:
        listed_id = "".join(f"\n  - {p.text('id')}" for p in config.problems)
        listed_en = "".join(f"\n  - {p.text('en')}" for p in config.problems)
        return Finding("config", Level.WARN,
                       Message(f"Masalah konfigurasi (nilai itu tidak dipakai):{listed_id}",
                               f"Configuration problems (those values are not used):{listed_en}"),
                       Message(f"Perbaiki {machine.path} atau variabel lingkungannya; periksa dengan lapor-desk config "
                               "show.", f"Correct {machine.path} or the environment variable; check with lapor-desk "
                               "config show."), facts)
    state_id, state_en = ("ada", "present") if machine.exists else ("tidak ada", "absent")
    return Finding("config", Level.OK,
                   Message(f"Konfigurasi tanpa masalah; berkas mesin {machine.path} ({state_id})",
                           f"Configuration without problems; machine file {machine.path} ({state_en})"), facts=facts)


# ---- the database ----------------------------------------------------------------------------------------------

def database_findings(paths: Paths) -> tuple[list[Finding], LocalState | None]:
    db = paths.database
    if not db.exists():
        hint = restore_hint(paths.backups)
        return [Finding("database.integrity", Level.FAIL,
                        Message(f"Berkas basis data tidak ada: {db}", f"The database file does not exist: {db}"),
                        Message("PC baru: jalankan LAPOR Desk sekali atau daftarkan PC (lapor-desk enroll --server "
                                f"URL --code KODE). PC yang sebelumnya berisi data: {hint.id}",
                                "A new PC: start LAPOR Desk once or enrol it (lapor-desk enroll --server URL --code "
                                f"CODE). A PC that held data: {hint.en}"), {"exists": False})], None
    try:
        revision = probe_file(db, paths.backups)  # PRAGMA quick_check over every page, read-only
    except LaporError as exc:
        return [Finding("database.integrity", Level.FAIL, exc.message, None, {"exists": True, "ok": False})], None
    size = db.stat().st_size
    found = [Finding("database.integrity", Level.OK,
                     Message(f"Basis data utuh (PRAGMA quick_check: ok), {size / 1024**2:.1f} MB",
                             f"Database intact (PRAGMA quick_check: ok), {size / 1024**2:.1f} MB"),
                     facts={"exists": True, "ok": True, "bytes": size}),
             migration_finding(revision)]
    if found[-1].level is Level.FAIL:
        return found, None
    try:
        local = read_local_state(db)
    except Exception as exc:  # noqa: BLE001 - an older schema, a lock: reported, the other checks still run
        found.append(Finding("sync.state", Level.WARN,
                             Message(f"Status sinkronisasi tidak dapat dibaca ({type(exc).__name__}).",
                                     f"The sync status cannot be read ({type(exc).__name__})."),
                             Message("Jalankan LAPOR Desk sekali (basis data dimigrasikan setelah dicadangkan), lalu "
                                     "ulangi diagnose.",
                                     "Start LAPOR Desk once (the database is migrated after a backup), then run "
                                     "diagnose again.")))
        return found, None
    return found, local


def migration_finding(revision: str | None) -> Finding:
    head = head_revision()
    facts = {"current": revision, "head": head}
    if revision == head:
        return Finding("database.migration", Level.OK,
                       Message(f"Skema basis data terbaru (revisi {revision})",
                               f"Database schema up to date (revision {revision})"), facts=facts)
    if revision is None:
        return Finding("database.migration", Level.FAIL,
                       Message("Basis data tidak punya revisi skema: bukan basis data LAPOR Desk, atau tidak pernah "
                               f"selesai disiapkan (terbaru: {head}).",
                               "The database has no schema revision: not a LAPOR Desk database, or its set-up never "
                               f"finished (newest: {head})."),
                       Message("Periksa --data-dir; atau pulihkan cadangan (lapor-desk restore BERKAS --force).",
                               "Check --data-dir; or restore a backup (lapor-desk restore FILE --force)."), facts)
    if revision not in known_revisions():
        return Finding("database.migration", Level.FAIL,
                       Message(f"Basis data dibuat oleh LAPOR Desk yang lebih baru (revisi {revision}, program ini "
                               f"mengenal sampai {head}).",
                               f"The database was made by a newer LAPOR Desk (revision {revision}, this program "
                               f"knows up to {head})."),
                       Message("Pasang versi LAPOR Desk yang sama atau lebih baru dari yang terakhir dipakai di PC "
                               "ini.", "Install the same or a newer LAPOR Desk than last used on this PC."), facts)
    return Finding("database.migration", Level.WARN,
                   Message(f"Skema basis data lama (revisi {revision}, terbaru {head}).",
                           f"Database schema is older (revision {revision}, newest {head})."),
                   Message("Jalankan LAPOR Desk sekali: basis data dicadangkan lalu dimigrasikan.",
                           "Start LAPOR Desk once: the database is backed up, then migrated."), facts)


@contextmanager
def read_only_session(db: Path) -> Iterator[Session]:
    """A session over ``db`` that cannot write: diagnose must leave a damaged or old database as it found it."""
    engine = create_engine("sqlite://", poolclass=NullPool, creator=lambda: sqlite3.connect(
        readonly_uri(db), uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False))
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def read_local_state(db: Path) -> LocalState:
    with read_only_session(db) as session:
        return LocalState(status=state.read_status(session), settings=state.settings_of(session),
                          client_id=meta.get(session, state.CLIENT_ID), device_id=meta.get(session, state.DEVICE_ID),
                          office_id=meta.get(session, meta.HOME_OFFICE), demo=meta.get(session, meta.DEMO) is not None)


# ---- sync as the database remembers it ------------------------------------------------------------------------

def sync_findings(local: LocalState, paths: Paths, now: datetime) -> list[Finding]:
    st = local.status
    facts: dict[str, Any] = {"enrolled": st.enrolled, "server_url": st.server_url, "device_id": local.device_id,
                             "office_id": local.office_id, "demo": local.demo}
    if not st.enrolled:
        what = Message("PC ini belum terdaftar ke server nasional" + (" (data demo)." if local.demo else "."),
                       "This PC is not enrolled with the national server" + (" (demo data)." if local.demo else "."))
        return [Finding("sync.enrolment", Level.WARN, what,
                        Message("Daftarkan dengan kode dari admin nasional: lapor-desk enroll --server URL --code KODE",
                                "Enrol with the code from the national admin: lapor-desk enroll --server URL "
                                "--code CODE"), facts)]
    found = [Finding("sync.enrolment", Level.OK,
                     Message(f"Terdaftar ke {st.server_url} (instansi {local.office_id}, perangkat {local.device_id})",
                             f"Enrolled with {st.server_url} (office {local.office_id}, device {local.device_id})"),
                     facts=facts), token_finding(paths, local.client_id)]
    found.append(queue_finding(st, now))
    found.append(last_sync_finding(st, now))
    return found


def token_finding(paths: Paths, client_id: str | None) -> Finding:
    """Where the device token is kept, never the token itself."""
    tokens = TokenStore(paths.data_dir, client_id or "")
    enrol_again = Message("Daftarkan ulang PC ini: lapor-desk enroll --server URL --code KODE (kode baru dari admin "
                          "nasional).", "Enrol this PC again: lapor-desk enroll --server URL --code CODE (a new code "
                          "from the national admin).")
    if not tokens.load():
        return Finding("sync.token", Level.FAIL, Message("Token perangkat tidak ditemukan (keyring maupun berkas).",
                                                         "The device token is missing (neither keyring nor file)."),
                       enrol_again, {"location": None})
    if not tokens.fallback_path.is_file():
        return Finding("sync.token", Level.OK, Message("Token perangkat tersimpan di keyring OS",
                                                       "Device token kept in the OS keyring"),
                       facts={"location": "keyring"})
    where = str(tokens.fallback_path)
    if os.name != "nt" and tokens.fallback_path.stat().st_mode & 0o077:
        return Finding("sync.token", Level.WARN,
                       Message(f"Berkas token perangkat dapat dibaca akun lain: {where}",
                               f"The device token file is readable by other accounts: {where}"),
                       Message(f"chmod 600 {where}", f"chmod 600 {where}"), {"location": "file"})
    return Finding("sync.token", Level.OK,
                   Message(f"Token perangkat tersimpan di berkas pribadi {where} (tidak ada keyring OS)",
                           f"Device token kept in the private file {where} (no OS keyring)"),
                   facts={"location": "file"})


def queue_finding(st: state.SyncStatus, now: datetime) -> Finding:
    facts = {"pending": st.pending, "open_conflicts": st.open_conflicts, "refused_intakes": st.refused_intakes}
    what = Message(f"Menunggu dikirim: {st.pending} perubahan; konflik terbuka: {st.open_conflicts}; laporan "
                   f"ditolak server: {st.refused_intakes}",
                   f"Waiting to be sent: {st.pending} changes; open conflicts: {st.open_conflicts}; complaints "
                   f"refused by the server: {st.refused_intakes}")
    stale = st.pending > 0 and (st.last_success is None or now - st.last_success > STALE_SYNC)
    if st.refused_intakes or st.open_conflicts or stale:
        return Finding("sync.queue", Level.WARN, what,
                       Message("Konflik dan laporan yang ditolak diselesaikan petugas di jendela LAPOR Desk (halaman "
                               "Konflik sinkronisasi, bilah status); perubahan yang lama menunggu: lihat "
                               "keterjangkauan server di bawah, lalu lapor-desk sync.",
                               "Conflicts and refused complaints are settled by staff in the LAPOR Desk window (the "
                               "sync conflicts page, the status bar); changes waiting long: see the server's "
                               "reachability below, then lapor-desk sync."), facts)
    return Finding("sync.queue", Level.OK, what, facts=facts)


def last_sync_finding(st: state.SyncStatus, now: datetime) -> Finding:
    when = st.last_success.isoformat(timespec="seconds") if st.last_success else "-"
    facts = {"last_success": when if st.last_success else None, "last_error": st.last_error,
             "last_error_en": st.last_error_en, "stored_clock_skew_seconds": st.clock_skew_seconds}
    if st.last_error:
        return Finding("sync.last", Level.WARN,
                       Message(f"Sinkronisasi terakhir berhasil: {when}; galat terakhir: {st.last_error}",
                               f"Last successful sync: {when}; last error: {st.last_error_en or st.last_error}"),
                       Message("Ikuti petunjuk dalam pesan galat, lalu jalankan lapor-desk sync.",
                               "Follow the error message's advice, then run lapor-desk sync."), facts)
    if st.last_success is None or now - st.last_success > STALE_SYNC:
        return Finding("sync.last", Level.WARN,
                       Message(f"Sinkronisasi terakhir berhasil: {when} (lebih dari sehari)",
                               f"Last successful sync: {when} (more than a day ago)"),
                       Message("Jalankan lapor-desk sync dan lihat keterjangkauan server di bawah.",
                               "Run lapor-desk sync and see the server's reachability below."), facts)
    return Finding("sync.last", Level.OK, Message(f"Sinkronisasi terakhir berhasil: {when}, tanpa galat",
                                                  f"Last successful sync: {when}, no error"), facts=facts)
