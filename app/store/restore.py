"""Backups as IT sees them, and putting one back: the checks before a backup replaces the database, the
replacement itself (the replaced database kept first), and a restore asked for in the window, staged while the
program runs and done at its next start, before the store is opened (a file in use cannot be replaced safely).

A backup comes back with its attachment files (the pool beside it, app.store.backup_files). After a restore the
sync engine notices that the PC went back in time (sync.restore) and catches up with the server; changes made
after the backup and never sent are lost, which is why a restore is refused while there are any, unless the person
says to go on (the window's tick, the command line's ``--force``).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from app.config import Paths
from app.errors import Message, StoreError, StoreTooNew
from app.models import OutboxEntry
from app.store.backup_files import (
    AttachmentsBack,
    blob_path,
    keep_attachments,
    pool_of,
    referenced_blobs,
    restore_attachments,
)
from app.store.db import Store, backup_name, known_revisions, probe_file, readonly_uri, sqlite_backup
from app.store.store_messages import REPLACED_BY_RESTORE

log = logging.getLogger(__name__)

PENDING_FILE = "restore-pending.sqlite3"
PENDING_NOTE = "restore-pending.json"
PENDING_ATTACHMENTS = "restore-pending-attachments"
_NAME = re.compile(r"lapor-desk-(\d{8}-\d{6}-\d{6})-(.+)\.sqlite3$")  # app.store.db.backup_name


@dataclass(frozen=True)
class BackupFile:
    """One backup in a folder: when it was made (from its name, else the file's time), why (``manual``,
    ``pre-migrate-…``, ``replaced-by-restore``, …), its size."""

    path: Path
    made_at: datetime
    reason: str
    size: int


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in ``folder``, newest first (an absent folder has none)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.sqlite3"):
        try:
            stat = path.stat()
        except OSError:  # removed while listing
            continue
        match = _NAME.match(path.name)
        if match:
            made = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f").replace(tzinfo=UTC)
            reason = match.group(2)
        else:  # copied in by hand under another name
            made, reason = datetime.fromtimestamp(stat.st_mtime, UTC), ""
        found.append(BackupFile(path, made, reason, stat.st_size))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def check_backup_file(source: Path, backup_dir: Path) -> None:
    """Raise StoreError (with what to do) unless ``source`` is an intact LAPOR Desk database this version can
    open."""
    if not source.is_file():
        raise StoreError(Message(f"Berkas cadangan tidak ditemukan: {source}", f"Backup file not found: {source}"))
    if source.stat().st_size == 0:
        raise StoreError(Message(f"Berkas {source} kosong (0 bita), bukan cadangan LAPOR Desk; tidak dipulihkan.",
                                 f"{source} is empty (0 bytes), not a LAPOR Desk backup; nothing was restored."))
    not_intact = StoreError(Message(f"Berkas {source} bukan cadangan LAPOR Desk yang utuh; tidak dipulihkan.",
                                    f"{source} is not an intact LAPOR Desk backup; nothing was restored."))
    try:
        rev = probe_file(source, backup_dir)
    except StoreTooNew:
        raise
    except StoreError as exc:  # its message is about the PC's own database and how to restore it: not this file's
        raise not_intact from exc
    if rev is not None and rev not in known_revisions():
        # This version could not open the restored file; refuse rather than leave the PC unusable.
        raise StoreTooNew(Message(
            f"Cadangan {source} dibuat oleh LAPOR Desk versi yang lebih baru (skema {rev}); "
            "tidak dipulihkan. Pasang versi terbaru LAPOR Desk terlebih dahulu.",
            f"The backup {source} was written by a newer LAPOR Desk (schema {rev}); nothing was restored. "
            "Install the latest version first."))
    conn = sqlite3.connect(readonly_uri(source), uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()
        has_schema = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('complaints', 'alembic_version')").fetchone()[0]
    finally:
        conn.close()
    if result[0] != "ok" or has_schema != 2:
        raise not_intact


class UnsentChanges(StoreError):
    """A restore would drop changes this PC has not sent to the server yet."""

    def __init__(self, message: Message, count: int) -> None:
        super().__init__(message)
        self.count = count


def unsent_message(count: int) -> Message:
    return Message(
        f"Ada {count} perubahan di PC ini yang belum terkirim ke server; pemulihan akan menghilangkannya. "
        "Sinkronkan dulu, lalu pulihkan lagi.",
        f"This PC has {count} change{'s' if count != 1 else ''} not yet sent to the server; a restore would lose "
        f"{'them' if count != 1 else 'it'}. Sync first, then restore again.")


@dataclass(frozen=True)
class Restored:
    """What a restore did: where the replaced database was kept (None: there was none), and its attachments."""

    kept: Path | None
    attachments: AttachmentsBack


def replace_database(paths: Paths, source: Path, *, pool: Path | None = None) -> Path | None:
    """:func:`restore_database`, returning where the replaced database was kept."""
    return restore_database(paths, source, pool=pool).kept


def restore_database(paths: Paths, source: Path, *, pool: Path | None = None) -> Restored:
    """Put the checked backup ``source`` in place of the database (no store may be open on it), its attachment
    files first (from ``pool``, by default the one beside ``source``); the database it replaces is kept in the
    backup folder first."""
    attachments = restore_attachments(source, pool or pool_of(source), paths.attachments)
    target = paths.database
    kept = None
    if target.exists():
        kept = paths.backups / backup_name(REPLACED_BY_RESTORE)
        kept.parent.mkdir(parents=True, exist_ok=True)
        try:
            sqlite_backup(target, kept)
        except sqlite3.DatabaseError:
            shutil.copy2(target, kept)  # a damaged file is kept byte for byte
        try:
            keep_attachments(kept, paths.attachments)  # the files only it refers to: a sync tidies them away
        except (OSError, sqlite3.Error):
            log.warning("attachment files of the replaced database not kept")
    staged = target.with_suffix(".restoring")
    sqlite_backup(source, staged)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    staged.replace(target)
    return Restored(kept, attachments)


def unsent_in_file(database: Path) -> int | None:
    """:func:`unsent_changes` of a database file no store has open (the command line's restore); None when it
    cannot be read (a damaged file: what it held is kept as ``replaced-by-restore`` anyway)."""
    if not database.is_file():
        return 0
    try:
        conn = sqlite3.connect(readonly_uri(database), uri=True)
        try:
            if not conn.execute("SELECT count(*) FROM sqlite_master WHERE name='sync_outbox'").fetchone()[0]:
                return 0
            return int(conn.execute("SELECT count(*) FROM sync_outbox WHERE acked_at IS NULL").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def unsent_changes(store: Store) -> int:
    """Changes made on this PC that the server has not confirmed: what a restore would lose."""
    with store.read() as session:
        return int(session.execute(select(func.count()).select_from(OutboxEntry)
                                   .where(OutboxEntry.acked_at.is_(None))).scalar() or 0)


def stage_restore(paths: Paths, source: Path, *, requested_by: str, store: Store | None = None,
                  force: bool = False) -> None:
    """The window's restore: check ``source`` and copy it and its attachment files into the data folder now (the
    USB drive it is on may be gone at the next start), to replace the database when the program starts again
    (:func:`apply_pending`). With the open ``store``, refused (:class:`UnsentChanges`) while it holds changes not
    sent to the server, unless ``force`` (the person ticked that they understand they are lost)."""
    check_backup_file(source, paths.backups)
    if store is not None and not force and (count := unsent_changes(store)):
        raise UnsentChanges(unsent_message(count), count)
    cancel_pending(paths)
    staged = paths.data_dir / PENDING_FILE
    sqlite_backup(source, staged)
    _stage_attachments(staged, pool_of(source), paths)
    note = {"source": source.name, "requested_by": requested_by, "at": datetime.now(UTC).isoformat()}
    (paths.data_dir / PENDING_NOTE).write_text(json.dumps(note), encoding="utf-8")
    log.info("restore staged by user %s", requested_by)


def _stage_attachments(staged: Path, source_pool: Path, paths: Paths) -> None:
    """The files the staged backup refers to, beside it: linked from the data folder's (which a sync may tidy
    before the restart) or copied from the backup's pool. They go into the data folder at the restore."""
    pending_pool = paths.data_dir / PENDING_ATTACHMENTS
    for sha in sorted(referenced_blobs(staged)):
        live = blob_path(paths.attachments, sha)
        if live.is_file():
            target = blob_path(pending_pool, sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(live, target)
            except OSError:
                shutil.copyfile(live, target)
    restore_attachments(staged, source_pool, pending_pool)


def cancel_pending(paths: Paths) -> None:
    (paths.data_dir / PENDING_NOTE).unlink(missing_ok=True)
    (paths.data_dir / PENDING_FILE).unlink(missing_ok=True)
    shutil.rmtree(paths.data_dir / PENDING_ATTACHMENTS, ignore_errors=True)


def pending_restore(paths: Paths) -> str | None:
    """The name of the backup waiting to be restored at the next start, if any."""
    note, staged = paths.data_dir / PENDING_NOTE, paths.data_dir / PENDING_FILE
    if not (note.is_file() and staged.is_file()):
        return None
    try:
        return str(json.loads(note.read_text(encoding="utf-8")).get("source") or staged.name)
    except (OSError, ValueError):
        return staged.name


def apply_pending(paths: Paths) -> Path | None:
    """Before the store is opened: do a restore the window staged (checked again: the copy is on this disk now).
    Returns the restored file's original name, None if none was waiting. A staged copy that fails its check is
    dropped with the error raised, and the database is left as it was."""
    source_name = pending_restore(paths)
    if source_name is None:
        return None
    staged = paths.data_dir / PENDING_FILE
    try:
        check_backup_file(staged, paths.backups)
        restore_database(paths, staged, pool=paths.data_dir / PENDING_ATTACHMENTS)
        log.info("staged restore done")
    finally:
        cancel_pending(paths)
    return Path(source_name)
