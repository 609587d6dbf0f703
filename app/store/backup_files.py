"""A backup's attachment files. Attachments are content-addressed (``attachments/ab/abcd…``, the SHA-256 of their
bytes) and never change once written, so the backups in one folder share one pool beside them,
``<folder>/attachments/``: a backup adds only the files the pool does not hold yet (a hard link when the backup
folder is on the same disk, a copy otherwise), a restore copies back the files its database refers to, and the pool
keeps only what some backup in the folder still refers to."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sqlite3
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from app.store.blobfiles import PartialFile, stored_blobs

log = logging.getLogger(__name__)

POOL = "attachments"


def pool_of(backup_file: Path) -> Path:
    """The attachment pool of the backups in ``backup_file``'s folder."""
    return backup_file.parent / POOL


def blob_path(folder: Path, sha256: str) -> Path:
    return folder / sha256[:2] / sha256


def referenced_blobs(db_file: Path) -> set[str]:
    """The SHA-256 of every attachment the database ``db_file`` refers to (raises sqlite3.Error). Opened as
    immutable: a backup is a closed, whole file, and a read-only connection to a file in WAL mode would leave
    -wal and -shm files beside every backup."""
    conn = sqlite3.connect(Path(db_file).absolute().as_uri() + "?immutable=1", uri=True)
    try:
        has_table = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='attachments'")
        if not has_table.fetchone()[0]:
            return set()
        return {row[0] for row in conn.execute("SELECT DISTINCT sha256 FROM attachments") if row[0]}
    finally:
        conn.close()


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".part-{target.name}")
    part.unlink(missing_ok=True)
    try:
        try:
            os.link(source, part)  # the same disk: no second copy of the bytes (they never change)
        except OSError:
            shutil.copyfile(source, part)  # another disk (a USB drive), or links not allowed
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def keep_attachments(db_file: Path, attachments_dir: Path) -> int:
    """Put in the pool beside the backup ``db_file`` the attachment files it refers to that the pool lacks, from the
    live ``attachments_dir``. A file missing there too (not downloaded yet) is left out: the next sync after a
    restore fetches it. Returns how many files were added."""
    pool = pool_of(db_file)
    added = 0
    for sha in sorted(referenced_blobs(db_file)):
        target = blob_path(pool, sha)
        source = blob_path(attachments_dir, sha)
        if target.is_file() or not source.is_file():
            continue
        _link_or_copy(source, target)
        added += 1
    return added


@dataclass(frozen=True)
class AttachmentsBack:
    """What a restore did with the attachment files: ``copied`` into the data folder, ``missing`` from the pool
    (or damaged there) and left to the next sync to download."""

    copied: int
    missing: int


def _copy_checked(source: Path, target: Path, sha: str) -> bool:
    """Copy ``source`` to ``target`` if its bytes hash to ``sha`` (a pool file damaged on a USB drive is not put
    in place under a name that promises other bytes)."""
    digest = hashlib.sha256()
    with source.open("rb") as src, PartialFile(target.parent) as part:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            part.write(chunk)
        if digest.hexdigest() != sha:
            return False
        part.commit(target)
    return True


def restore_attachments(db_file: Path, pool: Path, attachments_dir: Path) -> AttachmentsBack:
    """Copy from ``pool`` into ``attachments_dir`` the files the backup ``db_file`` refers to and the data folder
    lacks (files it has already are the same bytes: their name is their hash)."""
    copied = missing = 0
    for sha in sorted(referenced_blobs(db_file)):
        target = blob_path(attachments_dir, sha)
        if target.is_file():
            continue
        source = blob_path(pool, sha)
        if source.is_file() and _copy_checked(source, target, sha):
            copied += 1
        else:
            missing += 1
    if missing:
        log.warning("restore: %d attachment file(s) not in the backup; the next sync downloads them", missing)
    return AttachmentsBack(copied, missing)


def prune_pool(folder: Path) -> int:
    """Remove from the folder's pool the files no backup in the folder refers to any more. When a backup cannot be
    read, nothing is removed (its files may be the ones it needs). Returns how many were removed."""
    pool = folder / POOL
    if not pool.is_dir():
        return 0
    wanted: set[str] = set()
    for db_file in folder.glob("*.sqlite3"):
        try:
            wanted |= referenced_blobs(db_file)
        except (sqlite3.Error, OSError):
            log.warning("backup pool not pruned: a backup in the folder cannot be read")
            return 0
    removed = 0
    for sha in stored_blobs(pool) - wanted:
        with suppress(FileNotFoundError):
            blob_path(pool, sha).unlink()
            removed += 1
    return removed
