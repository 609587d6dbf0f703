"""``lapor-desk diagnose``: what IT needs to know about a PC it supports from afar, each finding OK, WARN or FAIL with
a fix a person can act on. Nothing here writes to the data folder: the database is opened read-only and never
migrated, so a damaged or missing one is reported, not repaired or created."""

from __future__ import annotations

import platform
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
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

# Below these the program soon stops: SQLite needs room for its journal, a backup copies the whole database.
DISK_FAIL_BYTES = 200 * 1024**2
DISK_WARN_BYTES = 1024**3
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
    """Every check, the local ones first; the server is asked at the address the configuration gives (the enrolled
    store's, else the machine file's)."""
    from sync.diagnose_backups import backups_finding
    from sync.diagnose_net import network_findings
    from sync.diagnose_sync import sync_findings

    findings = [version_finding(), paths_finding(paths, log_folder), disk_finding(paths.data_dir)]
    db_findings, local = database_findings(paths)
    findings += db_findings
    findings.append(backups_finding(paths, clock()))
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
